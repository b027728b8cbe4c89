import { describe, expect, it } from 'vitest'
import { parseCamt053 } from '../camt/parse-camt-053'
import { parseCoda } from '../coda/parse-coda'
import { statementDisagreements } from '../statement/check-statement'
import { codaFile } from '../test-support/coda-records'
import { entry, eur } from '../test-support/entries'
import { thrown } from '../test-support/thrown'
import { entrySplit } from './entry-split'
import { reconcile } from './reconcile'

// OGM oracle written here: base + (base mod 97, 0 -> 97)
const ogmOf = (base: string) => {
  const r = Number(BigInt(base) % 97n)
  return base + String(r === 0 ? 97 : r).padStart(2, '0')
}
const G1 = ogmOf('0422000001')
const G2 = ogmOf('0422000002')
const G3 = ogmOf('0422000003')
const open = () => ({
  invoices: [
    { id: 'inv-1', reference: G1, amountDue: eur(5000n) },
    { id: 'inv-2', reference: G2, amountDue: eur(5000n) },
    { id: 'inv-3', reference: G3, amountDue: eur(5000n) },
  ],
})

const strd = (ref: string) => `<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp><Ref>${ref}</Ref></CdtrRefInf></Strd></RmtInf>`
/** A TxDtls as camt.053.001.08 writes it (its own amount and direction), or as .001.02 does (AmtDtls, no CdtDbtInd). */
const tx = (amount: string, ref: string, version: '08' | '02' = '08') => version === '08'
  ? `<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>${strd(ref)}</TxDtls>`
  : `<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">${amount}</Amt></TxAmt></AmtDtls>${strd(ref)}</TxDtls>`
/** One statement of one credit entry `amount` (balances that add up) with `details` inside its NtryDtls. */
const camt = (amount: string, details: string, version: '08' | '02' = '08', extra = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr>` +
  '<Stmt><Id>S1</Id><Acct><Id><IBAN>BE68539007547034</IBAN></Id><Ccy>EUR</Ccy></Acct>' +
  '<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2027-01-15</Dt></Dt></Bal>' +
  `<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2027-01-20</Dt></Dt></Bal>` +
  `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2027-01-16</Dt></BookgDt><AcctSvcrRef>BATCH-1</AcctSvcrRef>${extra}` +
  `<NtryDtls>${details}</NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`

/** Every amount reconciliation reports for `ref`, each in the entry's direction (a credit entry here). */
const reported = (r: ReturnType<typeof reconcile>, ref: string) => {
  const signed: bigint[] = []
  for (const x of [...r.invoicePayments, ...r.walletTopUps]) if (x.entryReference === ref) signed.push(x.amount.minor)
  for (const x of r.directDebitReturns) if (x.entryReference === ref) signed.push(-x.amount.minor)
  for (const x of [...r.ambiguous, ...r.unmatched]) if (x.entryReference === ref) signed.push(x.creditDebit === 'credit' ? x.amount.minor : -x.amount.minor)
  return signed.reduce((a, b) => a + b, 0n)
}

describe('entrySplit: an entry is split into its transactions only when their amounts add up to it', () => {
  it('splits an entry of 100.00 whose two transactions are 60.00 and 40.00', () => {
    expect(entrySplit(entry('E', 10000n, true, [{ cents: 6000n }, { cents: 4000n }]))).toEqual({ kind: 'split' })
  })

  it('keeps whole, for review, an entry of 150.00 whose transactions add up to 100.00, and says what they add up to', () => {
    expect(entrySplit(entry('E', 15000n, true, [{ cents: 5000n }, { cents: 5000n }]))).toEqual({ kind: 'amountsDiffer', transactionsTotal: { minor: 10000n, currency: 'EUR' } })
  })

  it('counts a transaction of the other direction against the entry: 80.00 in and 30.00 out make an entry of 50.00', () => {
    expect(entrySplit(entry('E', 5000n, true, [{ cents: 8000n }, { cents: 3000n, credit: false }]))).toEqual({ kind: 'split' })
  })

  it('counts a transaction without a direction of its own (camt.053.001.02) in the entry\'s direction', () => {
    const e = entry('E', 10000n, true, [{ cents: 5000n }, { cents: 5000n }])
    for (const t of e.transactions) delete t.creditDebit
    expect(entrySplit(e)).toEqual({ kind: 'split' })
    expect(entrySplit({ ...e, amount: { minor: 9900n, currency: 'EUR' } })).toEqual({ kind: 'amountsDiffer', transactionsTotal: { minor: 10000n, currency: 'EUR' } })
  })

  it('reads one transaction of the entry\'s amount, or transactions without amounts, as one payment of the entry', () => {
    expect(entrySplit(entry('E', 5000n, true, [{ cents: 5000n }]))).toEqual({ kind: 'whole' })
    expect(entrySplit(entry('E', 5000n, true, [{}, {}]))).toEqual({ kind: 'whole' })
  })

  it('keeps whole, for review, an entry of 150.00 whose only transaction listed is 50.00: never a payment of 150.00 by that transfer\'s payer', () => {
    expect(entrySplit(entry('E', 15000n, true, [{ cents: 5000n }]))).toEqual({ kind: 'amountsDiffer', transactionsTotal: { minor: 5000n, currency: 'EUR' } })
  })

  it('refuses what is not a statement entry with INVALID_INPUT naming it', () => {
    expect(thrown(() => entrySplit(null as never))).toMatchObject({ code: 'INVALID_INPUT' })
    expect(thrown(() => entrySplit(null as never)).message).toContain('entrySplit: entry')
  })
})

describe('reconcile: a batch whose transactions do not add up to it is posted neither by parts nor whole', () => {
  it('keeps whole for review a camt entry of 150.00 grouping 3 transfers of which 2 are listed (50.00 + 50.00): nothing paid, the entry\'s amount under review, what its transfers name as candidates', () => {
    const [s] = parseCamt053(camt('150.00', `<Btch><NbOfTxs>3</NbOfTxs></Btch>${tx('50.00', G1)}${tx('50.00', G2)}`))
    expect(statementDisagreements(s!)).toEqual([])
    const r = reconcile([s!], open())
    expect(r.invoicePayments).toEqual([])
    expect(r.ambiguous.map((a) => [a.entryReference, a.transactionIndex, a.amount.minor, a.reason, a.candidates.map((c) => c.id)])).toEqual([
      ['BATCH-1', 0, 15000n, 'BATCH_AMOUNTS_DIFFER', ['inv-1', 'inv-2']],
    ])
    expect(reported(r, 'BATCH-1')).toBe(15000n)
  })

  it('keeps whole for review an entry of 100.00 whose 2 listed transfers of 3 are 80.00 each (more than the entry)', () => {
    const [s] = parseCamt053(camt('100.00', `<Btch><NbOfTxs>3</NbOfTxs></Btch>${tx('80.00', G1)}${tx('80.00', G2)}`))
    const r = reconcile([s!], open())
    expect([r.invoicePayments.length, r.ambiguous.map((a) => [a.reason, a.amount.minor])]).toEqual([0, [['BATCH_AMOUNTS_DIFFER', 10000n]]])
  })

  it('reads the transfers of a camt.053.001.02 batch (no CdtDbtInd in TxDtls) in the entry\'s direction: 50.00 + 50.00 for an entry of 100.00 are two payments', () => {
    const [s] = parseCamt053(camt('100.00', `${tx('50.00', G1, '02')}${tx('50.00', G2, '02')}`, '02'))
    expect(statementDisagreements(s!)).toEqual([])
    const r = reconcile([s!], open())
    expect(r.invoicePayments.map((p) => [p.transactionIndex, p.allocations.map((a) => [a.invoiceId, a.amount.minor])])).toEqual([[0, [['inv-1', 5000n]]], [1, [['inv-2', 5000n]]]])
  })

  it('holds a camt.053.001.02 statement whose batch of 50.00 + 50.00 (no CdtDbtInd) is booked as 150.00, and once accepted keeps the entry whole for review', () => {
    const [s] = parseCamt053(camt('150.00', `${tx('50.00', G1, '02')}${tx('50.00', G2, '02')}`, '02'))
    expect(statementDisagreements(s!).map((c) => [c.figure, c.stated, c.computed])).toEqual([['entry 1 amount against the sum of its TxDtls', '150.00', '100.00']])
    const r = reconcile([s!], open())
    expect([r.invoicePayments.length, r.ambiguous.map((a) => [a.reason, a.amount.minor])]).toEqual([0, [['BATCH_AMOUNTS_DIFFER', 15000n]]])
  })

  it('accepts an entry of 99.00 whose transfers of 50.00 + 50.00 lost a fee of 1.00 stated in Chrgs (the file adds up), and keeps it whole for review: never 100.00 credited for 99.00 received', () => {
    const fee = '<Chrgs><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></Chrgs>'
    const [s] = parseCamt053(camt('99.00', `${tx('50.00', G1, '02')}${tx('50.00', G2, '02')}`, '02', fee))
    expect(statementDisagreements(s!)).toEqual([])
    expect(s!.checks.find((c) => c.figure === 'entry 1 amount against the sum of its TxDtls')).toMatchObject({ severity: 'ok', stated: '99.00', convention: expect.stringContaining('less the charges stated in Chrgs (1.00)') })
    const r = reconcile([s!], open())
    expect([r.invoicePayments.length, r.ambiguous.map((a) => [a.reason, a.amount.minor])]).toEqual([0, [['BATCH_AMOUNTS_DIFFER', 9900n]]])
  })

  it('posts the three transfers of a CODA movement globalised on two levels (100.00 = subtotal 60.00 (30.00 + 30.00) + subtotal 40.00 (40.00)), never its subtotals', () => {
    const ogm = (ref: string) => ({ type: '101', content: ref })
    const [s] = parseCoda(codaFile({
      openingCents: 0n, movements: [
        { seq: 1, bankRef: 'GLOB1', credit: true, cents: 10000n, text: 'REGROUPEMENT', glob: 2 },
        { seq: 1, detail: 1, bankRef: 'GLOB1', credit: true, cents: 6000n, text: 'SOUS-TOTAL 1', glob: 1 },
        { seq: 1, detail: 2, bankRef: 'D2', credit: true, cents: 3000n, structured: ogm(G1) },
        { seq: 1, detail: 3, bankRef: 'D3', credit: true, cents: 3000n, structured: ogm(G2) },
        { seq: 1, detail: 4, bankRef: 'GLOB1', credit: true, cents: 4000n, text: 'SOUS-TOTAL 2', glob: 1 },
        { seq: 1, detail: 5, bankRef: 'D5', credit: true, cents: 4000n, structured: ogm(G3) },
      ],
    }))
    expect(statementDisagreements(s!)).toEqual([])
    expect(s!.entries[0]!.transactions.map((t) => [t.amount!.minor, t.remittance.structured[0]?.reference])).toEqual([[3000n, G1], [3000n, G2], [4000n, G3]])
    const r = reconcile([s!], open())
    expect(r.invoicePayments.map((p) => [p.transactionIndex, p.amount.minor, p.allocations[0]!.invoiceId])).toEqual([[0, 3000n, 'inv-1'], [1, 3000n, 'inv-2'], [2, 4000n, 'inv-3']])
    expect([r.ambiguous, r.unmatched]).toEqual([[], []])
  })
})
