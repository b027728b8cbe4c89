import { parseCamt053, testCamt053 as camt053 } from '@ecole/bank'
import { ogm, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { createInvoiceBatch, importBankStatement, validateDrafts, type BillingDeps } from './index'

const siteId = 'site-1'
const batch: InvoiceBatchInput = {
  id: 'b-2026-12', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'],
  dueDate: '2027-01-15', directDebitDate: null, portalDisplayDate: '2027-01-05', minimumAmount: '1.00',
}
const charges: InvoiceChargeLine[] = ['g1', 'g2'].flatMap((p) =>
  [1, 2, 3, 4].map((d) => ({ chargeId: `${p}|meal|${d}`, debtorId: p, beneficiaryId: `k-${p}`, serviceId: 'meal', date: `2026-12-0${d}` as LocalDate, quantity: 1, unitPriceMinor: 665n, amountMinor: 665n })),
)

/** One digit of the base changed: never a valid OGM (97 is prime), one slip from the invoice's own. */
function mistyped(reference: string): string {
  const d = ogm.normalize(reference)
  return `${d.slice(0, 4)}${(Number(d[4]) + 1) % 10}${d.slice(5)}`
}

describe('statement import: the suggestions of an entry kept for review are stored with it', () => {
  it('keeps a mistyped structured reference for review with the corrected reference and its score, and a name-and-amount lead with its score; nothing is posted', async () => {
    const deps: BillingDeps = { storage: createMemoryStorage(), clock: { now: () => new Date('2027-01-20T09:00:00Z') } }
    await createInvoiceBatch(deps, { batch, charges })
    const invoices = await validateDrafts(deps, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04', paymentReferences: { scheme: 'ogm', siteCode: '042' } })
    const g1 = invoices.find((i) => i.debtorId === 'g1')!
    const g2 = invoices.find((i) => i.debtorId === 'g2')!
    const xml = camt053('BE68539007547034', [
      { ref: 'T1', cents: 2660n, credit: true, date: '2027-01-12', structured: { reference: mistyped(g1.paymentReference!), issuer: 'BBA' }, debtorName: 'Someone Else' },
      { ref: 'T2', cents: 2660n, credit: true, date: '2027-01-13', text: 'cantine décembre', debtorName: 'Jérôme  DUPONT' },
    ])
    const report = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: parseCamt053(xml), payerNames: { g2: ['Jerome Dupont'] } })
    expect(report.payments).toEqual([])
    const stored = (await deps.storage.bankImports!.listBankEntries(siteId, { outcome: 'review' })).items
    expect(stored.map((e) => e.outcome)).toEqual([
      {
        kind: 'review', reason: 'AMBIGUOUS', candidates: [`invoice:${g1.id}`], rule: 'REFERENCE_TYPO',
        suggestions: [{ kind: 'invoice', id: g1.id, score: 0.9, correctedReference: ogm.format(g1.paymentReference!), amountMinor: 2660n }],
      },
      {
        kind: 'review', reason: 'AMBIGUOUS', candidates: [`invoice:${g2.id}`], rule: 'NAME_AND_AMOUNT',
        suggestions: [{ kind: 'invoice', id: g2.id, score: 1, amountMinor: 2660n }],
      },
    ])
    // the report says the same as what is stored
    expect(report.imported.map((l) => l.outcome)).toEqual(stored.map((e) => e.outcome))
  })

  it('without the payers’ names, an entry with no usable reference stays unmatched (no suggestion is invented)', async () => {
    const deps: BillingDeps = { storage: createMemoryStorage(), clock: { now: () => new Date('2027-01-20T09:00:00Z') } }
    await createInvoiceBatch(deps, { batch, charges })
    await validateDrafts(deps, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04', paymentReferences: { scheme: 'ogm', siteCode: '042' } })
    const xml = camt053('BE68539007547034', [{ ref: 'T2', cents: 2660n, credit: true, date: '2027-01-13', text: 'cantine', debtorName: 'Jerome Dupont' }])
    const report = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: parseCamt053(xml) })
    expect(report.imported.map((l) => l.outcome)).toEqual([{ kind: 'review', reason: 'UNMATCHED', candidates: [] }])
  })
})
