import { amendSepaMandate, defineSepaMandate, isEcoleError, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate, type SepaMandate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { collectDirectDebits, createInvoiceBatch, recordDirectDebitReturn, validateDrafts, type BillingDeps } from './index'
import { onDay } from '../test-support/deps-on-day'

// before the first collection (made 2027-01-05 for 2027-01-12); returns are recorded on later days
const clock = { now: () => new Date('2027-01-05T09:00:00Z') }
const IBAN: Record<string, string> = { g1: 'FR7630006000011234567890189', g2: 'BE71096123456769', g3: 'DE89370400440532013000', g4: 'FR7630006000011234567890189' }
const NEW_IBAN = 'BE68539007547034'
const DEBTORS = ['g1', 'g2', 'g3', 'g4'] as const

let sites = 0
/** A site with one validated invoice of 42.50 for each of g1..g4 (batch b1, collected from 2027-01-10) and an active recurrent mandate each. */
async function seeded(storage: StoragePorts) {
  const siteId = `dd-refusals-${process.pid}-${Date.now()}-${++sites}`
  const d: BillingDeps = { storage, clock }
  const batch: InvoiceBatchInput = {
    id: 'b1', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'],
    dueDate: '2027-01-15', directDebitDate: '2027-01-10', portalDisplayDate: '2027-01-05', minimumAmount: '1.00',
  }
  const charges: InvoiceChargeLine[] = DEBTORS.map((g, k) => ({
    chargeId: `${g}|meal`, debtorId: g, beneficiaryId: `k${k}`, serviceId: 'meal', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 4250n, amountMinor: 4250n,
  }))
  await createInvoiceBatch(d, { batch, charges })
  await validateDrafts(d, { siteId, batchId: 'b1', issueDate: '2027-01-04' })
  for (const g of DEBTORS) {
    await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: `m-${g}`, siteId, debtorId: g, rum: `RUM-${g}`, signatureDate: '2026-09-01', debtorName: `Parent ${g}`, iban: IBAN[g]! }))
  }
  const mandate = async (g: string): Promise<SepaMandate> => (await storage.directory!.getDirectoryRecord(siteId, 'sepaMandate', `m-${g}`))!
  // January's collection, then the bank returns g1 MS02 (refused by the debtor), g2 MD06 (refund
  // asked by the debtor), g3 AC01 (wrong IBAN), g4 AM04 (insufficient funds)
  await collectDirectDebits(d, { siteId, collectionDate: '2027-01-12', endToEndPrefix: 'JAN-' })
  const feb = onDay(d, '2027-02-01')
  for (const [g, reasonCode] of [['g1', 'MS02'], ['g2', 'MD06'], ['g3', 'AC01'], ['g4', 'AM04']] as const) {
    await recordDirectDebitReturn(feb, { siteId, endToEndId: `JAN-b1:${g}`, reasonCode, date: '2027-01-20' })
  }
  return { d: feb, siteId, mandate }
}

const summary = (r: Awaited<ReturnType<typeof collectDirectDebits>>) => ({
  debited: r.instructions.map((i) => [i.invoiceId, i.amountMinor, i.iban]),
  excluded: r.excluded.map((e) => [e.invoiceId, e.reason, e.mandateId ?? null]),
})

function refusals(name: string, create: () => Promise<StoragePorts>) {
  describe(`direct debits returned with a code needing the office, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())

    it('does not debit again by itself an invoice whose debit was refused by the debtor (MS02), refunded at the debtor\'s request (MD06) or sent to a wrong IBAN (AC01); a return for lack of funds (AM04) is presented again', async () => {
      const { d, siteId } = await seeded(storage)
      const r = await collectDirectDebits(d, { siteId, collectionDate: '2027-02-10', endToEndPrefix: 'FEB-' })
      expect(summary(r)).toEqual({
        debited: [['b1:g4', 4250n, IBAN['g4']]],
        excluded: [['b1:g1', 'RETURNED_CONTACT_PAYER', null], ['b1:g2', 'RETURNED_CONTACT_PAYER', null], ['b1:g3', 'RETURNED_FIX_ACCOUNT', 'm-g3']],
      })
      // and nothing was recorded for the invoices left out
      const recorded = (await storage.payments!.listPayments(siteId, { method: 'directDebit', status: 'recorded' })).items.map((p) => p.id)
      expect(recorded).toEqual(['dd:FEB-b1:g4'])
    })

    it('presents again a contactPayer return once the office names the invoice in represent, and only that one', async () => {
      const { d, siteId } = await seeded(storage)
      const r = await collectDirectDebits(d, { siteId, collectionDate: '2027-02-10', endToEndPrefix: 'FEB-', represent: ['b1:g1'] })
      expect(summary(r).debited.map(([id]) => id)).toEqual(['b1:g1', 'b1:g4'])
      expect(summary(r).excluded.map(([id, reason]) => [id, reason])).toEqual([['b1:g2', 'RETURNED_CONTACT_PAYER'], ['b1:g3', 'RETURNED_FIX_ACCOUNT']])
    })

    it('presents again a wrong-IBAN return (AC01) once the mandate\'s IBAN is amended, to the new IBAN with the amendment reported; a second refusal holds it again', async () => {
      const { d, siteId, mandate } = await seeded(storage)
      // a change of the debtor's name only does not fix the account
      await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', amendSepaMandate(await mandate('g3'), { date: '2027-01-25', debtorName: 'Parent g3 bis' }))
      expect(summary(await collectDirectDebits(d, { siteId, batchId: 'b1', collectionDate: '2027-02-10', endToEndPrefix: 'F0-' })).excluded).toContainEqual(['b1:g3', 'RETURNED_FIX_ACCOUNT', 'm-g3'])
      await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', amendSepaMandate(await mandate('g3'), { date: '2027-01-25', iban: NEW_IBAN }))
      const r = await collectDirectDebits(d, { siteId, collectionDate: '2027-02-10', endToEndPrefix: 'FEB-' })
      const g3 = r.instructions.find((i) => i.invoiceId === 'b1:g3')
      expect([g3?.iban, g3?.amendment?.originalIban]).toEqual([NEW_IBAN, IBAN['g3']])
      // the new account refuses it too (MS02): the invoice waits for the office again
      await recordDirectDebitReturn(onDay(d, '2027-02-15'), { siteId, endToEndId: 'FEB-b1:g3', reasonCode: 'MS02', date: '2027-02-15' })
      const mar = await collectDirectDebits(onDay(d, '2027-03-01'), { siteId, collectionDate: '2027-03-10', endToEndPrefix: 'MAR-' })
      expect(summary(mar).excluded).toContainEqual(['b1:g3', 'RETURNED_CONTACT_PAYER', null])
    })

    it('refuses a represent entry that is not an invoice id, naming it, before anything is written', async () => {
      const { d, siteId } = await seeded(storage)
      let err: unknown
      try { await collectDirectDebits(d, { siteId, collectionDate: '2027-02-10', endToEndPrefix: 'FEB-', represent: ['b1:g1', 42 as unknown as string] }) } catch (e) { err = e }
      expect(isEcoleError(err, 'INVALID_INPUT') && err.message).toContain('input.represent.1')
      expect((await storage.payments!.listPayments(siteId, { method: 'directDebit', status: 'recorded' })).items).toEqual([])
    })
  })
}

refusals('storage-memory', async () => createMemoryStorage())
refusals('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) refusals('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url }))
else console.log('[ecole] ECOLE_PG_URL is not set: the direct-debit refusal holds on a PostgreSQL server are skipped')
