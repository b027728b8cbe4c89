import { parseCamt053, testCamt053 } from '@ecole/bank'
import { defineSepaMandate, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { heldOpenAfter, within } from '../test-support/held-open'
import { serverStorage } from '../test-support/server-storage'
import { collectDirectDebits, createInvoiceBatch, importBankStatement, recordDirectDebitReturn, validateDrafts, type BillingDeps } from './index'

// A direct-debit return suspends a mandate while a bank import settles a collection of the same
// mandate, on a real PostgreSQL server (PGlite runs one transaction at a time).
const url = process.env['ECOLE_PG_URL']
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const meals: InvoiceChargeLine[] = [1, 2, 3, 4].map((d) => {
  const date = `2026-12-0${d}` as LocalDate
  return { chargeId: `g1|k1|meal|${date}`, debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n }
})

describe.skipIf(!url)('a SEPA mandate written by a return and a bank import at once, on a PostgreSQL server', () => {
  const storage = serverStorage(url!, 8)

  it('keeps the mandate suspended by an MD01 return that committed while the import settling its collection waited: the settlement is applied to the suspended mandate', async () => {
    const siteId = `mandate-race-${process.pid}-${Date.now()}`
    const deps: BillingDeps = { storage, clock }
    await createInvoiceBatch(deps, { batch: { id: 'b', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', directDebitDate: '2027-01-10', portalDisplayDate: '2027-01-05' }, charges: meals })
    await validateDrafts(deps, { siteId, batchId: 'b', issueDate: '2027-01-04' })
    await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: 'm-g1', siteId, debtorId: 'g1', rum: 'RUM-g1', signatureDate: '2026-09-01', debtorName: 'Parent g1', iban: 'FR7630006000011234567890189' }))
    const [debit] = (await collectDirectDebits(deps, { siteId, batchId: 'b', collectionDate: '2027-01-10', endToEndPrefix: 'DD2701-' })).instructions
    const statements = parseCamt053(testCamt053('FR7630006000011234567890189', [{ ref: 'S1', cents: 10_000n, credit: true, date: '2027-01-12', endToEndId: debit!.endToEndId }]))

    // the return suspends the mandate and holds its transaction open; the import starts meanwhile
    const held = heldOpenAfter(storage, 'directory', 'putDirectoryRecord')
    const returning = recordDirectDebitReturn({ storage: held.storage, clock }, { siteId, endToEndId: debit!.endToEndId, reasonCode: 'MD01', date: '2027-01-14' })
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
})
