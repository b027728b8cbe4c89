import { parseCamt053, testCamt053 } from '@ecole/bank'
import { defineSepaMandate, isEcoleError, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { onDay } from '../test-support/deps-on-day'
import { heldOpenAfter, within } from '../test-support/held-open'
import { serverStorage } from '../test-support/server-storage'
import { collectDirectDebits, createInvoiceBatch, importBankStatement, recordDirectDebitReturn, validateDrafts, type BillingDeps } from './index'

// Writers of a SEPA mandate, and of a collection file, at the same moment on a real PostgreSQL
// server (PGlite runs one transaction at a time).
const url = process.env['ECOLE_PG_URL']
// before the collections (2027-01-10 and later): a collection date before the site's today is refused
const clock = { now: () => new Date('2027-01-05T09:00:00Z') }
const mealsOf = (g: string): InvoiceChargeLine[] => [1, 2, 3, 4].map((d) => {
  const date = `2026-12-0${d}` as LocalDate
  return { chargeId: `${g}|k|meal|${date}`, debtorId: g, beneficiaryId: `k-${g}`, serviceId: 'meal', date, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n }
})
const IBAN = 'FR7630006000011234567890189'
let sites = 0

/** A site with one validated batch per payer (`b-<payer>`, 100.00 each to collect) and each payer's mandate. */
async function collectable(storage: BillingDeps['storage'], payers: readonly string[]) {
  const siteId = `mandate-race-${process.pid}-${Date.now()}-${++sites}`
  const deps: BillingDeps = { storage, clock }
  for (const g of payers) {
    await createInvoiceBatch(deps, { batch: { id: `b-${g}`, siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', directDebitDate: '2027-01-10', portalDisplayDate: '2027-01-05' }, charges: mealsOf(g) })
    await validateDrafts(deps, { siteId, batchId: `b-${g}`, issueDate: '2027-01-04' })
    await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: `m-${g}`, siteId, debtorId: g, rum: `RUM-${g}`, signatureDate: '2026-09-01', debtorName: `Parent ${g}`, iban: IBAN }))
  }
  return { siteId, deps }
}

describe.skipIf(!url)('writers of a SEPA mandate or of a collection file at the same moment, on a PostgreSQL server', () => {
  const storage = serverStorage(url!, 8)

  it('keeps the mandate suspended by an MD01 return that committed while the import settling its collection waited: the settlement is applied to the suspended mandate', async () => {
    const { siteId, deps } = await collectable(storage, ['g1'])
    const [debit] = (await collectDirectDebits(deps, { siteId, batchId: 'b-g1', collectionDate: '2027-01-10', endToEndPrefix: 'DD2701-' })).instructions
    const statements = parseCamt053(testCamt053(IBAN, [{ ref: 'S1', cents: 10_000n, credit: true, date: '2027-01-12', endToEndId: debit!.endToEndId }]))

    // the return suspends the mandate and holds its transaction open; the import starts meanwhile
    const held = heldOpenAfter(storage, 'directory', 'putDirectoryRecord')
    const returning = recordDirectDebitReturn(onDay({ storage: held.storage, clock }, '2027-01-14'), { siteId, endToEndId: debit!.endToEndId, reasonCode: 'MD01', date: '2027-01-14' })
    await within(held.written, 'the return suspended the mandate inside its transaction')
    const importing = importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })
    await new Promise((r) => setTimeout(r, 300))
    held.release()
    expect((await returning).suspendMandate).toBe(true)
    await importing
    // before the fix, the import wrote back the mandate it had read before the return committed: active again, debited next month
    const mandate = (await storage.directory!.getDirectoryRecord(siteId, 'sepaMandate', 'm-g1'))!
    expect([mandate.status, mandate.nextSequence]).toEqual(['suspended', 'RCUR'])
  })
  it('refuses (ID_CONFLICT) a second collection file given the message id of one being stored, instead of replacing it: its debits are not recorded either', async () => {
    const { siteId, deps } = await collectable(storage, ['g1', 'g2'])
    const file = { messageId: 'PRLV-2027-01', billingOfficeId: 'regie', creditor: { name: 'Régie', iban: IBAN, creditorId: 'FR72ZZZ123456', address: { town: 'Créteil', country: 'FR' } } }
    const collect = (d: BillingDeps, batchId: string) => collectDirectDebits(d, { siteId, batchId, collectionDate: '2027-01-10', endToEndPrefix: `DD-${batchId}-`, file })
    const held = heldOpenAfter(storage, 'directory', 'putDirectoryRecord')
    const firstCollection = collect({ storage: held.storage, clock }, 'b-g1')
    await within(held.written, 'the first collection stored its file inside its transaction')
    const secondCollection = collect(deps, 'b-g2').then((r) => r, (e: unknown) => e)
    await new Promise((r) => setTimeout(r, 300))
    held.release()
    expect((await firstCollection).instructions.map((i) => i.debtorId)).toEqual(['g1'])
    // before the fix, both found no file and the second replaced the first's pain.008: g1's debit was recorded but never sent
    expect(isEcoleError(await secondCollection, 'ID_CONFLICT')).toBe(true)
    const stored = await storage.directory!.getDirectoryRecord(siteId, 'collectionFile', 'PRLV-2027-01')
    expect([stored?.batchId, stored?.count]).toEqual(['b-g1', 1])
    expect((await storage.payments!.listPayments(siteId, { method: 'directDebit' })).items.map((p) => p.payerId)).toEqual(['g1'])
  })
})
