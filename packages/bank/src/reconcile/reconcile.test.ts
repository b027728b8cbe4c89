import { Money } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { parseCamt053 } from '../camt/parse-camt-053'
import { parseCamt054 } from '../camt/parse-camt-054'
import { parseCoda } from '../coda/parse-coda'
import { entry, eur, shown } from '../test-support/entries'
import { hasSharedData, sharedBytes, sharedText } from '../test-support/shared-data'
import { reconcile } from './reconcile'
import { thrown } from '../test-support/thrown'

// Oracles written here: OGM = base + (base mod 97, 0 -> 97); RF check = 98 - (body + 'RF00' as digits) mod 97.
const ogmOf = (base: string) => {
  const r = Number(BigInt(base) % 97n)
  return base + String(r === 0 ? 97 : r).padStart(2, '0')
}
const rfOf = (body: string) => {
  const digits = [...`${body}RF00`].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('')
  return `RF${String(98n - (BigInt(digits) % 97n)).padStart(2, '0')}${body}`
}
const show = shown

const WALLET = ogmOf('0421000017')
const INV1 = ogmOf('0422000001')
const INV2 = ogmOf('0422000002')
const INV3 = rfOf('0422000003')

const items = () => ({
  wallets: [{ id: 'wallet-17', reference: `+++${WALLET.slice(0, 3)}/${WALLET.slice(3, 7)}/${WALLET.slice(7)}+++` }],
  invoices: [
    { id: 'inv-1', reference: INV1, amountDue: eur(4250n), dueDate: '2026-11-30' as const, payerIbans: ['BE71 0961 2345 6769'] },
    { id: 'inv-2', reference: INV2, amountDue: eur(1705n), dueDate: '2026-10-31' as const },
    { id: 'inv-3', reference: INV3, amountDue: eur(10000n), payerIbans: ['BE71096123456769'] },
  ],
  directDebits: [{ endToEndId: 'DD-0001', amount: eur(4250n), invoiceIds: ['inv-1'] }],
})

describe('reconcile', () => {
  it('refuses an entry that is not a statement entry (null, a number, an object without reference or amount) with INVALID_INPUT naming its position', () => {
    const open = { invoices: [], wallets: [] }
    for (const bad of [undefined, null, 7, { reference: 'E1' }, { reference: 'E1', transactions: [] }]) {
      const e = thrown(() => reconcile([bad as never], open))
      expect([e.code, e.details['field']]).toEqual(['INVALID_INPUT', 'entries[0]'])
    }
  })

  it('refuses an entry whose amount is a Money or a decimal instead of minor units ({ minor: bigint, currency }), with INVALID_INPUT naming its position', () => {
    const open = { invoices: [], wallets: [] }
    const good = entry('E1', 4250n, true)
    for (const amount of [Money.of('42.50', 'EUR'), { amount: '42.50', currency: 'EUR' }, { minor: 4250, currency: 'EUR' }]) {
      const e = thrown(() => reconcile([{ ...good, amount } as never], open))
      expect([e.code, e.details['field']]).toEqual(['INVALID_INPUT', 'entries[0]'])
    }
    expect(reconcile([good], open).importedReferences).toEqual(['E1'])
  })

  it('credits a wallet from a transfer carrying its structured communication', () => {
    const r = reconcile([entry('B1', 2000n, true, [{ structured: [WALLET] }])], items())
    expect(r.walletTopUps.map((w) => [w.walletId, show(w.amount), w.matchedBy, w.reference])).toEqual([['wallet-17', '20.00 EUR', 'structuredReference', WALLET]])
  })

  it('pays an invoice from its RF reference, in any spelling', () => {
    const printed = INV3.toLowerCase().replace(/(.{4})/g, '$1 ')
    const r = reconcile([entry('B1', 10000n, true, [{ structured: [printed] }])], items())
    expect(r.invoicePayments.map((p) => [p.matchedBy, p.allocations.map((a) => [a.invoiceId, show(a.amount)]), show(p.unallocated)])).toEqual([
      ['structuredReference', [['inv-3', '100.00 EUR']], '0.00 EUR'],
    ])
  })

  it('lets one transfer pay several invoices, oldest due date first, and reports what is left', () => {
    // 42.50 (inv-1, due 30 Nov) + 17.05 (inv-2, due 31 Oct) = 59.55; 70.00 paid -> 10.45 left
    const r = reconcile([entry('B1', 7000n, true, [{ structured: [INV1, INV2] }])], items())
    expect(r.invoicePayments.map((p) => [p.allocations.map((a) => [a.invoiceId, show(a.amount)]), show(p.unallocated)])).toEqual([
      [[['inv-2', '17.05 EUR'], ['inv-1', '42.50 EUR']], '10.45 EUR'],
    ])
  })

  it('settles an invoice partly, then with a later payment, and calls a third payment a double payment', () => {
    const r = reconcile(
      [entry('B1', 1000n, true, [{ structured: [INV2] }]), entry('B2', 1000n, true, [{ structured: [INV2] }]), entry('B3', 500n, true, [{ structured: [INV2] }])],
      items(),
    )
    expect(r.invoicePayments.map((p) => [p.entryReference, show(p.allocations[0]!.amount), show(p.unallocated)])).toEqual([
      ['B1', '10.00 EUR', '0.00 EUR'],
      ['B2', '7.05 EUR', '2.95 EUR'],
    ])
    expect(r.ambiguous.map((a) => [a.entryReference, a.reason, a.candidates.map((c) => c.id)])).toEqual([['B3', 'INVOICE_ALREADY_PAID', ['inv-2']]])
  })

  it('settles the invoices of our own direct debit from its end-to-end id', () => {
    const r = reconcile([entry('B1', 4250n, true, [{ e2e: 'DD-0001' }])], items())
    expect(r.invoicePayments.map((p) => [p.matchedBy, p.endToEndId, p.allocations.map((a) => a.invoiceId)])).toEqual([['endToEndId', 'DD-0001', ['inv-1']]])
  })

  it('recognises the return of our direct debit with its reason code, and flags one of another amount', () => {
    const r = reconcile([entry('R1', 4250n, false, [{ e2e: 'DD-0001', reason: 'AM04' }]), entry('R2', 4000n, false, [{ e2e: 'DD-0001' }])], items())
    expect(r.directDebitReturns.map((d) => [d.entryReference, d.endToEndId, d.reasonCode, d.invoiceIds])).toEqual([['R1', 'DD-0001', 'AM04', ['inv-1']]])
    expect(r.ambiguous.map((a) => [a.entryReference, a.reason])).toEqual([['R2', 'RETURN_AMOUNT_DIFFERS']])
  })

  it('keeps for review a credit naming our direct debit by its end-to-end id in another amount than the debit, short or in excess, naming the debit and its invoices', () => {
    for (const cents of [4000n, 4500n]) {
      const r = reconcile([entry('S1', cents, true, [{ e2e: 'DD-0001' }])], items())
      expect([r.invoicePayments, r.unmatched]).toEqual([[], []])
      expect(r.ambiguous.map((a) => [a.entryReference, a.reason, show(a.amount), a.candidates.map((c) => [c.kind, c.id, show(c.amount!)])])).toEqual([
        ['S1', 'SETTLEMENT_AMOUNT_DIFFERS', show({ minor: cents, currency: 'EUR' }), [['directDebit', 'DD-0001', '42.50 EUR'], ['invoice', 'inv-1', '42.50 EUR']]],
      ])
    }
  })

  it('settles a direct debit once: a second credit of its amount in the same run is kept for review as already settled', () => {
    const r = reconcile([entry('S1', 4250n, true, [{ e2e: 'DD-0001' }]), entry('S2', 4250n, true, [{ e2e: 'DD-0001' }])], items())
    expect(r.invoicePayments.map((p) => [p.entryReference, p.endToEndId])).toEqual([['S1', 'DD-0001']])
    expect(r.ambiguous.map((a) => [a.entryReference, a.reason, a.candidates.map((c) => `${c.kind}:${c.id}`)])).toEqual([['S2', 'ALREADY_SETTLED', ['directDebit:DD-0001']]])
  })

  it('keeps for review a credit for a direct debit settled before the run (settledDirectDebits)', () => {
    const r = reconcile([entry('S9', 4250n, true, [{ e2e: 'DD-0001' }])], items(), { settledDirectDebits: ['DD-0001'] })
    expect(r.invoicePayments).toEqual([])
    expect(r.ambiguous.map((a) => [a.entryReference, a.reason])).toEqual([['S9', 'ALREADY_SETTLED']])
  })

  it('checks the amount of each transfer of a grouped entry settling several direct debits on its own', () => {
    const open = { ...items(), directDebits: [{ endToEndId: 'DD-A', amount: eur(1000n), invoiceIds: [] }, { endToEndId: 'DD-B', amount: eur(1000n), invoiceIds: [] }] }
    const ok = reconcile([entry('G1', 2000n, true, [{ cents: 1000n, e2e: 'DD-A' }, { cents: 1000n, e2e: 'DD-B' }])], open)
    expect([ok.invoicePayments.map((p) => p.endToEndId), ok.ambiguous]).toEqual([['DD-A', 'DD-B'], []])
    const short = reconcile([entry('G1', 1900n, true, [{ cents: 1000n, e2e: 'DD-A' }, { cents: 900n, e2e: 'DD-B' }])], open)
    expect(short.invoicePayments.map((p) => p.endToEndId)).toEqual(['DD-A'])
    expect(short.ambiguous.map((a) => [a.transactionIndex, a.reason])).toEqual([[1, 'SETTLEMENT_AMOUNT_DIFFERS']])
  })

  it('applies one return of a direct debit per run: a second return of the same debit is kept for review as already returned', () => {
    const r = reconcile([entry('R1', 4250n, false, [{ e2e: 'DD-0001', reason: 'AM04' }]), entry('R2', 4250n, false, [{ e2e: 'DD-0001', reason: 'MD06' }])], items())
    expect(r.directDebitReturns.map((d) => [d.entryReference, d.reasonCode])).toEqual([['R1', 'AM04']])
    expect(r.ambiguous.map((a) => [a.entryReference, a.reason, a.candidates.map((c) => `${c.kind}:${c.id}`)])).toEqual([['R2', 'ALREADY_RETURNED', ['directDebit:DD-0001']]])
  })

  it('finds a valid OGM or RF in free text when there is no structured reference', () => {
    const text = `Cantine Léa ${INV1.slice(0, 3)}/${INV1.slice(3, 7)}/${INV1.slice(7)} merci`
    const r = reconcile([entry('B1', 4250n, true, [{ text: [text] }]), entry('B2', 100n, true, [{ text: [`ref ${INV3.toLowerCase()}`] }])], items())
    expect(r.invoicePayments.map((p) => [p.entryReference, p.matchedBy, p.allocations[0]!.invoiceId])).toEqual([
      ['B1', 'referenceInText', 'inv-1'],
      ['B2', 'referenceInText', 'inv-3'],
    ])
  })

  it('finds an OGM or RF the bank cut across two lines of free text (a fixed line width), reading the lines end to end', () => {
    const ogmLines = [`Cantine Léa +++${INV1.slice(0, 3)}/${INV1.slice(3, 5)}`, `${INV1.slice(5, 7)}/${INV1.slice(7)}+++`]
    const rfLines = [`ref ${INV3.slice(0, 9)}`, INV3.slice(9)]
    const r = reconcile([entry('B1', 4250n, true, [{ text: ogmLines }]), entry('B2', 100n, true, [{ text: rfLines }])], items())
    expect(r.invoicePayments.map((p) => [p.entryReference, p.matchedBy, p.allocations[0]!.invoiceId])).toEqual([
      ['B1', 'referenceInText', 'inv-1'],
      ['B2', 'referenceInText', 'inv-3'],
    ])
  })

  it('applies the rules in order: structured reference, then end-to-end id, then free text', () => {
    const r = reconcile(
      [
        entry('B1', 2000n, true, [{ structured: [WALLET], text: [INV1], e2e: 'DD-0001' }]),
        entry('B2', 4250n, true, [{ text: [WALLET], e2e: 'DD-0001' }]),
      ],
      items(),
    )
    expect(r.walletTopUps.map((w) => w.entryReference)).toEqual(['B1'])
    expect(r.invoicePayments.map((p) => [p.entryReference, p.matchedBy])).toEqual([['B2', 'endToEndId']])
  })

  it('only proposes invoices for review when the amount and the payer IBAN are all there is', () => {
    const r = reconcile([entry('B1', 4250n, true, [{ iban: 'BE71096123456769', text: ['cantine'] }])], items())
    expect([r.invoicePayments, r.unmatched]).toEqual([[], []])
    expect(r.ambiguous.map((a) => [a.reason, a.candidates.map((c) => [c.id, show(c.amount!)])])).toEqual([['AMOUNT_AND_IBAN', [['inv-1', '42.50 EUR']]]])
  })

  it('calls a transfer naming a wallet and an invoice ambiguous, with both candidates', () => {
    const r = reconcile([entry('B1', 5000n, true, [{ structured: [WALLET, INV1] }])], items())
    expect(r.ambiguous.map((a) => [a.reason, a.candidates.map((c) => `${c.kind}:${c.id}`).sort()])).toEqual([['SEVERAL_TARGETS', ['invoice:inv-1', 'wallet:wallet-17']]])
  })

  it('never pays an invoice from a credit in another currency: it is reviewed as CURRENCY_MISMATCH, naming the invoice', () => {
    const usd = entry('B1', 4250n, true, [{ structured: [INV1] }])
    const inUsd = { ...usd, amount: { minor: 4250n, currency: 'USD' }, transactions: usd.transactions.map((t) => ({ ...t, amount: { minor: 4250n, currency: 'USD' } })) }
    const r = reconcile([inUsd], items())
    expect([r.invoicePayments, r.walletTopUps]).toEqual([[], []])
    expect(r.ambiguous.map((a) => [a.reason, a.candidates.map((c) => `${c.kind}:${c.id}`), show(a.amount)])).toEqual([['CURRENCY_MISMATCH', ['invoice:inv-1'], '42.50 USD']])
  })

  it('leaves what nothing matches unmatched, and never pays an invoice from money going out', () => {
    const r = reconcile([entry('B1', 999n, true, [{ text: ['hello'] }]), entry('B2', 4250n, false, [{ structured: [INV1] }])], items())
    expect(r.unmatched.map((u) => [u.entryReference, u.creditDebit])).toEqual([['B1', 'credit'], ['B2', 'debit']])
  })

  it('reconciles each payment of a batch entry on its own', () => {
    const r = reconcile([entry('B1', 6250n, true, [{ cents: 2000n, structured: [WALLET] }, { cents: 4250n, structured: [INV1] }])], items())
    expect(r.walletTopUps.map((w) => [w.transactionIndex, show(w.amount)])).toEqual([[0, '20.00 EUR']])
    expect(r.invoicePayments.map((p) => [p.transactionIndex, show(p.amount)])).toEqual([[1, '42.50 EUR']])
  })

  it('changes nothing when the same statement is imported twice', () => {
    const entries = [entry('B1', 2000n, true, [{ structured: [WALLET] }]), entry('B2', 4250n, true, [{ structured: [INV1] }])]
    const first = reconcile(entries, items())
    expect(first.importedReferences).toEqual(['B1', 'B2'])
    const second = reconcile(entries, items(), { alreadyImported: first.importedReferences })
    expect(second.duplicates.map((d) => d.entryReference)).toEqual(['B1', 'B2'])
    expect([second.walletTopUps, second.invoicePayments, second.ambiguous, second.unmatched, second.importedReferences]).toEqual([[], [], [], [], []])
  })

  it('reports an entry listed twice in one import as a duplicate, and skips entries the bank has not booked', () => {
    const r = reconcile([entry('B1', 2000n, true, [{ structured: [WALLET] }]), entry('B1', 2000n, true, [{ structured: [WALLET] }]), entry('P1', 100n, true, [{}], 'pending')], items())
    expect([r.walletTopUps.length, r.duplicates.map((d) => d.entryReference), r.skipped]).toEqual([1, ['B1'], [{ entryReference: 'P1', status: 'pending' }]])
  })

  it('matches a pagoPA notice with the IUV the bank reports', () => {
    // DOMAIN.md section 9: segregation 01, base 0000000000001 -> notice 301000000000000144, IUV = last 17 digits
    const r = reconcile([entry('B1', 1500n, true, [{ structured: ['01000000000000144'] }])], { invoices: [{ id: 'inv-it', reference: '301000000000000144', amountDue: eur(1500n) }] })
    expect(r.invoicePayments.map((p) => p.allocations[0]!.invoiceId)).toEqual(['inv-it'])
  })

  it('never posts a reversal (RvslInd), whatever its indicator: REVERSAL for review, pointing to what its reference names', () => {
    const reversal = (e: ReturnType<typeof entry>) => ({ ...e, reversal: true })
    const r = reconcile([
      // booked with the original credit indicator: not a new payment of inv-2
      reversal(entry('R1', 1705n, true, [{ structured: [INV2] }])),
      // a reversed top-up (ISO convention: DBIT), and a reversal naming our direct debit by end-to-end id
      reversal(entry('R2', 2000n, false, [{ text: [`retour +++${WALLET.slice(0, 3)}/${WALLET.slice(3, 7)}/${WALLET.slice(7)}+++`] }])),
      reversal(entry('R3', 4250n, false, [{ e2e: 'DD-0001', reason: 'AM04' }])),
      // nothing names what it reverses: just the rule
      reversal(entry('R4', 999n, true, [{ text: ['STORNO'] }])),
    ], items())
    expect([r.invoicePayments, r.walletTopUps, r.directDebitReturns, r.unmatched]).toEqual([[], [], [], []])
    expect(r.ambiguous.map((a) => [a.entryReference, a.reason, a.creditDebit, a.candidates.map((c) => `${c.kind}:${c.id}`)])).toEqual([
      ['R1', 'REVERSAL', 'credit', ['invoice:inv-2']],
      ['R2', 'REVERSAL', 'debit', ['wallet:wallet-17']],
      ['R3', 'REVERSAL', 'debit', ['directDebit:DD-0001']],
      ['R4', 'REVERSAL', 'credit', []],
    ])
    expect(r.importedReferences).toEqual(['R1', 'R2', 'R3', 'R4'])
  })

  it('refuses open items that do not match their schema, naming the field', () => {
    expect(thrown(() => reconcile([], { invoices: [{ id: 'x', reference: 'y', amountDue: { amount: '1,00', currency: 'EUR' } }] })).message).toContain('openItems.invoices.0.amountDue.amount')
    expect(thrown(() => reconcile('nope' as never, {})).code).toBe('INVALID_INPUT')
  })
})

describe('reconcile with the public sample files', () => {
  it.runIf(hasSharedData)('reconciles the pycoda statement: a known payer\'s transfers for review, everything else unmatched, nothing twice', () => {
    const statements = parseCoda(sharedBytes('bank/pycoda-Coda_v2_3_single_statement.txt'))
    const open = { invoices: [{ id: 'inv-vivium', reference: ogmOf('0000000148'), amountDue: eur(14830n), payerIbans: ['310180203454'] }] }
    const r = reconcile(statements, open)
    // both transfers from the payer's account are proposed: 148.30 (the amount due) and 2,249.70 (a known payer, another amount)
    expect(r.ambiguous.map((a) => [a.entryReference, a.reason, a.candidates.map((c) => c.id)])).toEqual([
      ['SWQSZ0187BOVSBBNONTVA', 'AMOUNT_AND_IBAN', ['inv-vivium']],
      ['SWQSZ019ABOVSBBNONTVA', 'AMOUNT_AND_IBAN', ['inv-vivium']],
    ])
    // 17 entries; 0017 is a globalisation whose 14 detailed debits are each reconciled: 16 + 14 - 2 (for review) = 28 unmatched
    expect(r.unmatched).toHaveLength(28)
    expect(r.importedReferences).toHaveLength(17)
    const again = reconcile(statements, open, { alreadyImported: new Set(r.importedReferences) })
    expect([again.duplicates.length, again.ambiguous.length, again.unmatched.length]).toEqual([17, 0, 0])
  })

  it.runIf(hasSharedData)('reconciles the genkgo camt.053 (balances corrected) against an invoice with its BBA reference', () => {
    const xml = sharedText('bank/genkgo-camt-camt053.v2.minimal.xml')
      .replace(/<Amt Ccy="SEK">27.00<\/Amt>\s*<CdtDbtInd>DBIT<\/CdtDbtInd>/, '<Amt Ccy="EUR">27.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>')
      .replace(/<Bal>\s*<Tp>\s*<CdOrPrtry>\s*<Cd>(OPAV|CLAV)<\/Cd>[\s\S]*?<\/Bal>/g, '')
    const r = reconcile(parseCamt053(xml), { invoices: [{ id: 'inv-genkgo', reference: '4654654654654654', amountDue: eur(1000n) }] })
    expect(r.invoicePayments.map((p) => [p.matchedBy, p.allocations.map((a) => [a.invoiceId, show(a.amount)])])).toEqual([['structuredReference', [['inv-genkgo', '8.85 EUR']]]])
  })

  it.runIf(hasSharedData)('recognises the genkgo camt.054 debit as the return of a direct debit we sent with its end-to-end id', () => {
    const r = reconcile(parseCamt054(sharedText('bank/genkgo-camt-camt054.v2.xml')), {
      directDebits: [{ endToEndId: 'MUELL/FINP/RA12345', amount: { amount: '200000', currency: 'SEK' }, invoiceIds: ['inv-se'] }],
    })
    expect(r.directDebitReturns.map((d) => [d.entryReference, d.endToEndId, d.invoiceIds])).toEqual([['AAAASESS-FP-ACCR001', 'MUELL/FINP/RA12345', ['inv-se']]])
  })
})
