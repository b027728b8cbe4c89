import { parseCamt053, parseCoda, type BankStatement } from '@ecole/bank'
import type { Actor, Invoice, InvoiceChargeLine, LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createInvoiceBatch, decideHeldStatement, importBankStatement, previewBankStatement, validateDrafts, type BillingDeps } from './index'

// A bank entry grouping several transfers whose amounts do not add up to it (fewer TxDtls listed than
// the batch holds, a fee netted, a bank error) is posted neither by parts nor whole: it waits whole for
// a person. What is posted plus what is under review is each entry's amount, whatever the file says.
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const IBAN = 'BE68539007547034'
const k = (ref: string) => `${IBAN}|${ref}`
let sites = 0

/** A site whose office `regie` has one validated invoice of 50.00 per payer g1, g2, g3 (OGM references). */
async function site() {
  const storage: StoragePorts = createMemoryStorage()
  const deps: BillingDeps = { storage, clock }
  const siteId = `batch-sum-${process.pid}-${++sites}`
  const charges: InvoiceChargeLine[] = ['g1', 'g2', 'g3'].map((payerId, p) => ({
    chargeId: `${payerId}|meal`, debtorId: payerId, beneficiaryId: `k${p}`, serviceId: 'meal', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 5000n, amountMinor: 5000n,
  }))
  await createInvoiceBatch(deps, { batch: { id: 'dec', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' }, charges })
  const invoices = await validateDrafts(deps, { siteId, batchId: 'dec', issueDate: '2027-01-04', paymentReferences: { scheme: 'ogm', siteCode: '042' } })
  const ref = (debtor: string) => invoices.find((i: Invoice) => i.debtorId === debtor)!.paymentReference!
  const imp = (statements: BankStatement[]) => importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })
  const payments = async () => (await storage.payments!.listPayments(siteId, {}, { limit: 1000 })).items
  const review = async () => (await storage.bankImports!.listBankEntries(siteId, { outcome: 'review' }, { limit: 1000 })).items
  const actor: Actor = { userId: 'u-compta', siteId, profile: 'staff', permissions: ['payments.write'], scope: { schoolIds: 'all', serviceIds: 'all' } }
  return { storage, deps, siteId, ref, imp, payments, review, actor }
}

const amount = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`
/** One TxDtls: camt.053.001.08 (its own Amt and CdtDbtInd) or .001.02 (AmtDtls/TxAmt, no CdtDbtInd). */
const tx = (cents: bigint, ogm: string | undefined, version: '08' | '02') => {
  const rmt = ogm ? `<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp><Ref>${ogm}</Ref></CdtrRefInf></Strd></RmtInf>` : '<RmtInf><Ustrd>merci</Ustrd></RmtInf>'
  const amt = version === '08' ? `<Amt Ccy="EUR">${amount(cents)}</Amt><CdtDbtInd>CRDT</CdtDbtInd>` : `<AmtDtls><TxAmt><Amt Ccy="EUR">${amount(cents)}</Amt></TxAmt></AmtDtls>`
  return `<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>${amt}${rmt}</TxDtls>`
}
/** An entry of the test statement: its reference, its amount, its TxDtls, and what the bank adds (Btch, Chrgs). */
interface Ntry { ref: string; cents: bigint; txs: Array<{ cents: bigint; ogm?: string | undefined }>; nbOfTxs?: number; charges?: bigint }
/** A camt.053 of credit entries whose balances add up to the entries' amounts (so only a batch can disagree). */
function camt(entries: readonly Ntry[], version: '08' | '02' = '08'): string {
  const total = entries.reduce((a, e) => a + e.cents, 0n)
  const body = entries.map((e) => {
    const btch = e.nbOfTxs !== undefined ? `<Btch><NbOfTxs>${e.nbOfTxs}</NbOfTxs></Btch>` : ''
    const chrgs = e.charges !== undefined ? `<Chrgs><Amt Ccy="EUR">${amount(e.charges)}</Amt><CdtDbtInd>DBIT</CdtDbtInd></Chrgs>` : ''
    return `<Ntry><Amt Ccy="EUR">${amount(e.cents)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2027-01-16</Dt></BookgDt><ValDt><Dt>2027-01-16</Dt></ValDt>` +
      `<AcctSvcrRef>${e.ref}</AcctSvcrRef>${chrgs}<NtryDtls>${btch}${e.txs.map((t) => tx(t.cents, t.ogm, version)).join('')}</NtryDtls></Ntry>`
  }).join('')
  const bal = (tp: string, c: bigint, d: string) => `<Bal><Tp><CdOrPrtry><Cd>${tp}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount(c)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${d}</Dt></Dt></Bal>`
  return `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}"><BkToCstmrStmt><GrpHdr><MsgId>T</MsgId><CreDtTm>2027-01-20T06:00:00+01:00</CreDtTm></GrpHdr>` +
    `<Stmt><Id>STMT-1</Id><Acct><Id><IBAN>${IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>${bal('OPBD', 0n, '2027-01-15')}${bal('CLBD', total, '2027-01-20')}${body}</Stmt></BkToCstmrStmt></Document>`
}

/** What is posted and what is under review for the entry `ref` (its key, or a transfer of it `key#i`). */
async function postedAndReview(s: Awaited<ReturnType<typeof site>>, ref: string) {
  const key = k(ref)
  const mine = (r: string | null) => r === key || (r?.startsWith(`${key}#`) ?? false)
  const posted = (await s.payments()).filter((p) => mine(p.bankEntryReference)).reduce((a, p) => a + p.amountMinor, 0n)
  const review = (await s.review()).filter((e) => mine(e.entryReference)).reduce((a, e) => a + e.amountMinor, 0n)
  return { posted, review }
}

describe('importBankStatement, a batch entry whose transfers do not add up to it, on storage-memory', () => {
  it('keeps whole for review an entry of 150.00 grouping 3 transfers of which 2 are listed (50.00 + 50.00): nothing posted, 150.00 under review, the rule shown by the preview and the review list', async () => {
    const s = await site()
    const statements = parseCamt053(camt([{ ref: 'B1', cents: 15000n, nbOfTxs: 3, txs: [{ cents: 5000n, ogm: s.ref('g1') }, { cents: 5000n, ogm: s.ref('g2') }] }]))
    const preview = await previewBankStatement(s.deps, { siteId: s.siteId, billingOfficeId: 'regie', statements })
    expect(preview.lines.map((l) => [l.entryReference, l.amountMinor, l.proposal])).toEqual([
      [k('B1'), 15000n, { kind: 'review', reason: 'AMBIGUOUS', candidates: ['invoice:dec:g1', 'invoice:dec:g2'], rule: 'BATCH_AMOUNTS_DIFFER' }],
    ])
    const report = await s.imp(statements)
    expect(report.held).toEqual([])
    expect(report.imported.map((l) => [l.entryReference, l.amountMinor, l.outcome.kind, l.transfers])).toEqual([[k('B1'), 15000n, 'review', undefined]])
    expect(await s.payments()).toEqual([])
    expect((await s.review()).map((e) => [e.entryReference, e.amountMinor, e.outcome.kind === 'review' ? e.outcome.rule : undefined])).toEqual([[k('B1'), 15000n, 'BATCH_AMOUNTS_DIFFER']])
    expect(await postedAndReview(s, 'B1')).toEqual({ posted: 0n, review: 15000n })
  })

  it('keeps whole for review an entry of 100.00 grouping 3 transfers of which the 2 listed are 80.00 each: never 160.00 posted for 100.00 received', async () => {
    const s = await site()
    await s.imp(parseCamt053(camt([{ ref: 'B1', cents: 10000n, nbOfTxs: 3, txs: [{ cents: 8000n, ogm: s.ref('g1') }, { cents: 8000n, ogm: s.ref('g2') }] }])))
    expect(await postedAndReview(s, 'B1')).toEqual({ posted: 0n, review: 10000n })
  })

  it('holds a camt.053.001.02 statement whose entry of 150.00 lists TxDtls of 50.00 + 50.00 (no CdtDbtInd), and once it is accepted keeps the entry whole for review: nothing posted by parts', async () => {
    const s = await site()
    const statements = parseCamt053(camt([{ ref: 'B1', cents: 15000n, txs: [{ cents: 5000n, ogm: s.ref('g1') }, { cents: 5000n, ogm: s.ref('g2') }] }], '02'))
    const preview = await previewBankStatement(s.deps, { siteId: s.siteId, billingOfficeId: 'regie', statements })
    expect(preview.disagreeing.map((d) => d.disagreements.map((c) => [c.figure, c.stated, c.computed]))).toEqual([[['entry 1 amount against the sum of its TxDtls', '150.00', '100.00']]])
    const held = await s.imp(statements)
    expect([held.held.map((h) => h.status), await s.payments()]).toEqual([['held'], []])
    await decideHeldStatement(s.deps, { siteId: s.siteId, billingOfficeId: 'regie', key: held.held[0]!.key, actor: s.actor, decision: 'accept' })
    expect(await postedAndReview(s, 'B1')).toEqual({ posted: 0n, review: 15000n })
    expect((await s.review()).map((e) => e.outcome.kind === 'review' ? e.outcome.rule : undefined)).toEqual(['BATCH_AMOUNTS_DIFFER'])
  })

  it('posts the two transfers of a camt.053.001.02 entry of 100.00 whose TxDtls (no CdtDbtInd) are 50.00 + 50.00', async () => {
    const s = await site()
    await s.imp(parseCamt053(camt([{ ref: 'B1', cents: 10000n, txs: [{ cents: 5000n, ogm: s.ref('g1') }, { cents: 5000n, ogm: s.ref('g2') }] }], '02')))
    expect((await s.payments()).map((p) => [p.payerId, p.amountMinor])).toEqual([['g1', 5000n], ['g2', 5000n]])
    expect(await s.review()).toEqual([])
  })

  it('imports without holding an entry of 99.00 whose TxDtls of 50.00 + 50.00 lost a fee of 1.00 stated in Chrgs, and keeps it whole for review: never 100.00 credited for 99.00 received', async () => {
    const s = await site()
    const report = await s.imp(parseCamt053(camt([{ ref: 'B1', cents: 9900n, charges: 100n, txs: [{ cents: 5000n, ogm: s.ref('g1') }, { cents: 5000n, ogm: s.ref('g2') }] }], '02')))
    expect(report.held).toEqual([])
    expect(await postedAndReview(s, 'B1')).toEqual({ posted: 0n, review: 9900n })
  })

  it('posts each transfer of a CODA movement globalised on two levels (100.00 = subtotals 60.00 + 40.00 of 30.00 + 30.00 and 40.00): 100.00 posted, nothing of the subtotals under review', async () => {
    const s = await site()
    const rec = (fields: Record<number, string>) => { const c = Array.from({ length: 128 }, () => ' '); for (const [p, t] of Object.entries(fields)) for (let i = 0; i < t.length; i++) c[Number(p) - 1 + i] = t[i]!; return c.join('') }
    const amt15 = (cents: bigint) => (cents * 10n).toString().padStart(15, '0')
    const mv = (detail: number, cents: bigint, glob: number, comm: string) => rec({ 1: '21', 3: `0001${String(detail).padStart(4, '0')}`, 11: detail === 0 ? 'GLOB1' : `D${detail}`, 32: '0', 33: amt15(cents), 48: '160127', 54: '00150000', 62: comm, 116: '160127', 125: String(glob), 126: '0', 128: '0' })
    const lines = [
      rec({ 1: '00000', 6: '160127', 12: '005', 61: 'GEBABEBB', 128: '2' }),
      rec({ 1: `12001${IBAN}`, 40: 'EUR', 43: '0', 44: amt15(0n), 59: '150127', 126: '001' }),
      mv(0, 10000n, 2, '0REGROUPEMENT'), mv(1, 6000n, 1, '0SOUS-TOTAL 1'), mv(2, 3000n, 0, `1101${s.ref('g1')}`), mv(3, 3000n, 0, `1101${s.ref('g2')}`),
      mv(4, 4000n, 1, '0SOUS-TOTAL 2'), mv(5, 4000n, 0, `1101${s.ref('g3')}`),
      rec({ 1: `8001${IBAN}`, 39: 'EUR', 42: '0', 43: amt15(10000n), 58: '160127' }),
    ]
    lines.push(rec({ 1: '9', 17: String(lines.length - 1).padStart(6, '0'), 23: amt15(0n), 38: amt15(10000n), 128: '2' }))
    const report = await s.imp(parseCoda(lines.join('\r\n')))
    expect(report.held).toEqual([])
    expect((await s.payments()).map((p) => [p.payerId, p.amountMinor])).toEqual([['g1', 3000n], ['g2', 3000n], ['g3', 4000n]])
    expect(await s.review()).toEqual([])
    expect(await postedAndReview(s, 'GLOB1')).toEqual({ posted: 10000n, review: 0n })
  })
})

describe('importBankStatement, batch entries whose transfers add up to them or not (property), on storage-memory', () => {
  const part = fc.record({ cents: fc.bigInt({ min: 1n, max: 9_999n }), payer: fc.constantFrom('g1', 'g2', 'g3', 'nobody') })
  const ntry = fc.record({
    parts: fc.array(part, { minLength: 1, maxLength: 4 }),
    // exact: the entry is its TxDtls' sum; partial: more transfers than listed (Btch/NbOfTxs), any amount;
    // wrong: every transfer listed, another amount (the statement is held, then accepted)
    kind: fc.constantFrom('exact', 'partial', 'wrong'),
    other: fc.bigInt({ min: 1n, max: 30_000n }),
  })

  it('for any entries of TxDtls whose amounts add up to the entry or not, imported twice, what is posted plus what is under review is each entry\'s amount, and nothing is posted twice', async () => {
    await fc.assert(fc.asyncProperty(fc.array(ntry, { minLength: 1, maxLength: 4 }), fc.constantFrom('08' as const, '02' as const), async (generated, version) => {
      const s = await site()
      const entries: Ntry[] = generated.map((g, i) => {
        const sum = g.parts.reduce((a, p) => a + p.cents, 0n)
        const cents = g.kind === 'exact' ? sum : g.other === sum ? sum + 1n : g.other
        return {
          ref: `E${i}`, cents, txs: g.parts.map((p) => ({ cents: p.cents, ogm: p.payer === 'nobody' ? undefined : s.ref(p.payer) })),
          ...(g.kind === 'partial' ? { nbOfTxs: g.parts.length + 1 } : {}),
        }
      })
      const statements = parseCamt053(camt(entries, version))
      const first = await s.imp(statements)
      for (const h of first.held) await decideHeldStatement(s.deps, { siteId: s.siteId, billingOfficeId: 'regie', key: h.key, actor: s.actor, decision: 'accept' })
      const before = { payments: (await s.payments()).map((p) => [p.id, p.amountMinor]), review: (await s.review()).map((e) => [e.entryReference, e.amountMinor]) }
      for (const e of entries) {
        const { posted, review } = await postedAndReview(s, e.ref)
        expect([e.ref, posted + review]).toEqual([e.ref, e.cents])
      }
      // an entry whose TxDtls do not add up to it posts nothing
      for (const e of entries) {
        if (e.txs.reduce((a, t) => a + t.cents, 0n) !== e.cents) expect([e.ref, (await postedAndReview(s, e.ref)).posted]).toEqual([e.ref, 0n])
      }
      // importing again posts nothing and keeps nothing more for review
      const again = await s.imp(parseCamt053(camt(entries, version)))
      expect(again.payments).toEqual([])
      expect({ payments: (await s.payments()).map((p) => [p.id, p.amountMinor]), review: (await s.review()).map((e) => [e.entryReference, e.amountMinor]) }).toEqual(before)
      const paid = await s.payments()
      expect(new Set(paid.map((p) => p.bankEntryReference)).size).toBe(paid.length)
    }), { numRuns: 40 })
  }, 180_000)
})
