import { parseCamt053, testCamt053 } from '@ecole/bank'
import {
  amendSepaMandate, defineSepaMandate, isEcoleError, markSepaCollectionSettled, markSepaMandateFinal, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate,
  type SepaMandate,
} from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { collectDirectDebits, createInvoiceBatch, directDebitBatchOf, importBankStatement, recordDirectDebitReturn, validateDrafts, type BillingDeps } from './index'
import { onDay } from '../test-support/deps-on-day'

// before the collections (2027-01-10 and later): a collection date before the site's today is refused
const clock = { now: () => new Date('2027-01-05T09:00:00Z') }
const creditor = { name: 'Mairie', iban: 'FR7630006000011234567890189', creditorId: 'FR72ZZZ123456', address: { town: 'Creteil', country: 'FR' } }
const IBAN = 'FR7630006000011234567890189'

/** Meals of 25.00 for g1 on the given December days. */
const meals = (days: number[]): InvoiceChargeLine[] => days.map((d) => {
  const date = `2026-12-${String(d).padStart(2, '0')}` as LocalDate
  return { chargeId: `g1|k1|meal|${date}`, debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n }
})

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try { await p } catch (e) { return isEcoleError(e) ? { code: e.code, message: e.message } : { code: 'not an EcoleError', message: String(e) } }
  return { code: 'OK', message: '' }
}

let sites = 0
/**
 * A site with two validated invoices of g1 (first half of December, 50.00, due 2027-01-15 and
 * collected from 2027-01-10; second half, 50.00, due 2027-01-20, collected from 2027-01-25 with
 * `late`, else from 2027-01-10), and g1's mandate as `shape` makes it.
 */
async function seeded(storage: StoragePorts, shape: (m: SepaMandate) => SepaMandate = (m) => m, opts: { late?: boolean; oneOff?: boolean } = {}) {
  const siteId = `dd-rules-${process.pid}-${Date.now()}-${++sites}`
  const d: BillingDeps = { storage, clock }
  const batch = (id: string, from: LocalDate, to: LocalDate, dueDate: LocalDate, directDebitDate: LocalDate): InvoiceBatchInput => ({
    id, siteId, billingOfficeId: 'regie', period: { from, to }, serviceIds: ['meal'], dueDate, directDebitDate, portalDisplayDate: '2027-01-05', minimumAmount: '1.00',
  })
  await createInvoiceBatch(d, { batch: batch('b-1', '2026-12-01', '2026-12-15', '2027-01-15', '2027-01-10'), charges: meals([1, 2]) })
  await createInvoiceBatch(d, { batch: batch('b-2', '2026-12-16', '2026-12-31', '2027-01-20', opts.late ? '2027-01-25' : '2027-01-10'), charges: meals([16, 17]) })
  await validateDrafts(d, { siteId, batchId: 'b-1', issueDate: '2027-01-04' })
  await validateDrafts(d, { siteId, batchId: 'b-2', issueDate: '2027-01-04' })
  const m = shape(defineSepaMandate({ id: 'm-g1', siteId, debtorId: 'g1', rum: 'RUM-g1', signatureDate: '2026-09-01', debtorName: 'Parent g1', iban: IBAN, recurrence: opts.oneOff ? 'oneOff' : 'recurrent' }))
  await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', m)
  const directDebits = async () => (await storage.payments!.listPayments(siteId, { payerId: 'g1', method: 'directDebit' })).items.map((p) => [p.id, p.status])
  const mandate = async () => (await storage.directory!.getDirectoryRecord(siteId, 'sepaMandate', 'm-g1'))!
  return { d, siteId, directDebits, mandate }
}

const final = (m: SepaMandate) => markSepaMandateFinal(markSepaCollectionSettled(m, '2026-11-10'))

function rules(name: string, create: () => Promise<StoragePorts>) {
  describe(`direct-debit collection rules, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())

    for (const [kind, shape, oneOff, seq] of [['one-off', (m: SepaMandate) => m, true, 'OOFF'], ['final', final, false, 'FNAL']] as const) {
      it(`debits a ${kind} mandate once in a run: one ${seq} instruction, the other invoice left out as MANDATE_ONE_OFF_USED`, async () => {
        const { d, siteId, directDebits } = await seeded(storage, shape, { oneOff })
        const r = await collectDirectDebits(d, { siteId, collectionDate: '2027-01-10', endToEndPrefix: 'C1-', file: { messageId: 'MSG-C1', billingOfficeId: 'regie', creditor } })
        expect(r.instructions.map((i) => [i.invoiceId, i.sequence])).toEqual([['b-1:g1', seq]])
        expect(r.excluded.map((e) => [e.invoiceId, e.reason])).toEqual([['b-2:g1', 'MANDATE_ONE_OFF_USED']])
        expect(r.file!.xml.match(/<MndtId>RUM-g1<\/MndtId>/g)).toHaveLength(1)
        expect(await directDebits()).toEqual([['dd:C1-b-1:g1', 'recorded']])
      })
      it(`does not debit a ${kind} mandate again while its collection is neither settled nor returned, and does once it is returned`, async () => {
        const { d, siteId, directDebits } = await seeded(storage, shape, { oneOff, late: true })
        await collectDirectDebits(d, { siteId, batchId: 'b-1', collectionDate: '2027-01-10', endToEndPrefix: 'C1-' })
        const second = await collectDirectDebits(d, { siteId, batchId: 'b-2', collectionDate: '2027-01-25', endToEndPrefix: 'C2-' })
        expect([second.instructions, second.excluded.map((e) => e.reason)]).toEqual([[], ['MANDATE_ONE_OFF_USED']])
        await recordDirectDebitReturn(onDay(d, '2027-01-14'), { siteId, endToEndId: 'C1-b-1:g1', reasonCode: 'AM04', date: '2027-01-14' })
        const third = await collectDirectDebits(d, { siteId, batchId: 'b-2', collectionDate: '2027-01-25', endToEndPrefix: 'C3-' })
        expect(third.instructions.map((i) => [i.invoiceId, i.sequence])).toEqual([['b-2:g1', seq]])
        expect(await directDebits()).toEqual([['dd:C1-b-1:g1', 'refused'], ['dd:C3-b-2:g1', 'recorded']])
      })
    }

    it('debits a one-off mandate once when two collections of different batches run at the same moment', async () => {
      for (let round = 0; round < 3; round++) {
        const { d, siteId, directDebits } = await seeded(storage, undefined, { oneOff: true })
        const results = await Promise.all([
          collectDirectDebits(d, { siteId, batchId: 'b-1', collectionDate: '2027-01-10', endToEndPrefix: 'A-' }),
          collectDirectDebits(d, { siteId, batchId: 'b-2', collectionDate: '2027-01-10', endToEndPrefix: 'B-' }),
        ])
        expect(results.map((r) => r.instructions.length).sort()).toEqual([0, 1])
        expect(await directDebits()).toHaveLength(1)
      }
    })

    it('reports a mandate amendment to the bank in the pain.008 (SMNDA for an account moved from a French to a German bank), and marks reported only the amendment the settled collection carried', async () => {
      const amended = (m: SepaMandate) => amendSepaMandate(markSepaCollectionSettled(m, '2026-11-10'), { date: '2026-12-01', rum: 'RUM-g1-NEW', iban: 'DE89370400440532013000' })
      const { d, siteId, mandate } = await seeded(storage, amended)
      const r = await collectDirectDebits(d, { siteId, batchId: 'b-1', collectionDate: '2027-01-10', endToEndPrefix: 'C1-', file: { messageId: 'MSG-A', billingOfficeId: 'regie', creditor } })
      const tx = r.file!.xml.match(/<MndtRltdInf>.*?<\/MndtRltdInf>/)![0]
      expect(tx).toBe('<MndtRltdInf><MndtId>RUM-g1-NEW</MndtId><DtOfSgntr>2026-09-01</DtOfSgntr><AmdmntInd>true</AmdmntInd><AmdmntInfDtls><OrgnlMndtId>RUM-g1</OrgnlMndtId>'
        + '<OrgnlDbtrAcct><Id><Othr><Id>SMNDA</Id></Othr></Id></OrgnlDbtrAcct></AmdmntInfDtls></MndtRltdInf>')
      // the account changes again after the file was sent: the settlement of the file does not report it
      await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', amendSepaMandate(await mandate(), { date: '2027-01-12', iban: 'BE71096123456769' }))
      const camt = testCamt053(IBAN, [{ ref: 'S1', cents: 5000n, credit: true, date: '2027-01-10', endToEndId: 'C1-b-1:g1' }])
      await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements: parseCamt053(camt) })
      expect((await mandate()).amendments.map((a) => [a.originalIban, a.reported])).toEqual([[IBAN, true], ['DE89370400440532013000', false]])
      // and the next collection carries it
      const next = await collectDirectDebits(d, { siteId, batchId: 'b-2', collectionDate: '2027-01-10', endToEndPrefix: 'C2-' })
      expect(next.instructions.map((i) => i.amendment && [i.amendment.originalRum, i.amendment.originalIban])).toEqual([[null, 'DE89370400440532013000']])
    })

    it('does not mark an amendment reported when the statement settles an older collection that did not carry it', async () => {
      const { d, siteId, mandate } = await seeded(storage, (m) => markSepaCollectionSettled(m, '2026-11-10'), { late: true })
      await collectDirectDebits(d, { siteId, batchId: 'b-1', collectionDate: '2027-01-10', endToEndPrefix: 'C1-' })
      // the account changes after the first file was sent; the second collection carries the change
      await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', amendSepaMandate(await mandate(), { date: '2027-01-12', iban: 'DE89370400440532013000' }))
      const second = await collectDirectDebits(d, { siteId, batchId: 'b-2', collectionDate: '2027-01-25', endToEndPrefix: 'C2-' })
      expect(second.instructions.map((i) => i.amendment?.originalIban)).toEqual([IBAN])
      // the bank settles the first collection: the amendment is still only in flight with the second
      const camt = testCamt053(IBAN, [{ ref: 'S1', cents: 5000n, credit: true, date: '2027-01-10', endToEndId: 'C1-b-1:g1' }])
      await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements: parseCamt053(camt) })
      expect((await mandate()).amendments.map((a) => a.reported)).toEqual([false])
      // the second is returned: the next collection carries the amendment again
      await recordDirectDebitReturn(onDay(d, '2027-01-27'), { siteId, endToEndId: 'C2-b-2:g1', reasonCode: 'AM04', date: '2027-01-27' })
      const third = await collectDirectDebits(d, { siteId, batchId: 'b-2', collectionDate: '2027-01-30', endToEndPrefix: 'C3-' })
      expect(third.instructions.map((i) => i.amendment?.originalIban)).toEqual([IBAN])
    })

    it('refuses to collect again with an end-to-end prefix whose debit was returned, naming endToEndPrefix, and writes nothing', async () => {
      const { d, siteId, directDebits } = await seeded(storage)
      await collectDirectDebits(d, { siteId, batchId: 'b-1', collectionDate: '2027-01-10', endToEndPrefix: 'DD2701-', file: { messageId: 'MSG-1', billingOfficeId: 'regie', creditor } })
      await recordDirectDebitReturn(onDay(d, '2027-01-09'), { siteId, endToEndId: 'DD2701-b-1:g1', reasonCode: 'AM04', date: '2027-01-09' })
      const again = await codeOf(collectDirectDebits(d, { siteId, batchId: 'b-1', collectionDate: '2027-01-10', endToEndPrefix: 'DD2701-', file: { messageId: 'MSG-2', billingOfficeId: 'regie', creditor } }))
      expect(again.code).toBe('IDEMPOTENCY_CONFLICT')
      expect(again.message).toMatch(/endToEndPrefix/)
      expect(await storage.directory!.getDirectoryRecord(siteId, 'collectionFile', 'MSG-2')).toBeUndefined()
      expect(await directDebits()).toEqual([['dd:DD2701-b-1:g1', 'refused']])
      // a new prefix collects it again, every instruction with its payment
      const retry = await collectDirectDebits(d, { siteId, batchId: 'b-1', collectionDate: '2027-01-10', endToEndPrefix: 'DD2701R-', file: { messageId: 'MSG-3', billingOfficeId: 'regie', creditor } })
      expect(retry.payments.map((p) => [p.id, p.status])).toEqual([['dd:DD2701R-b-1:g1', 'recorded']])
      expect(retry.instructions.map((i) => `dd:${i.endToEndId}`)).toEqual(retry.payments.map((p) => p.id))
    })

    it('refuses an end-to-end prefix that is not SEPA text before anything is written, naming endToEndPrefix', async () => {
      const { d, siteId, directDebits } = await seeded(storage)
      for (const endToEndPrefix of ['Prélèvement-', 'DD//', '/DD-']) {
        const r = await codeOf(collectDirectDebits(d, { siteId, batchId: 'b-1', collectionDate: '2027-01-10', endToEndPrefix }))
        expect([r.code, r.message]).toEqual(['INVALID_INPUT', expect.stringMatching(/endToEndPrefix/)])
      }
      expect(await directDebits()).toEqual([])
    })

    it('refuses a collection date that is not a calendar day, naming collectionDate, even with nothing due', async () => {
      const { d, siteId } = await seeded(storage)
      for (const batchId of ['b-1', 'no-such-batch']) {
        const r = await codeOf(collectDirectDebits(d, { siteId, batchId, collectionDate: '2027-13-45' as LocalDate, endToEndPrefix: 'DD-' }))
        expect([r.code, r.message]).toEqual(['INVALID_INPUT', expect.stringMatching(/collectionDate/)])
      }
    })

    it('refuses a misspelt key of the collection input, naming the nearest known one', async () => {
      const { d, siteId } = await seeded(storage)
      const r = await codeOf(collectDirectDebits(d, { siteId, batchId: 'b-1', collectionDate: '2027-01-10', endToEndPrefx: 'DD-' } as never))
      expect([r.code, r.message]).toEqual(['INVALID_INPUT', expect.stringMatching(/did you mean `endToEndPrefix`/)])
    })

    it('refuses a return naming neither the payment nor the end-to-end id', async () => {
      const { d, siteId } = await seeded(storage)
      const r = await codeOf(recordDirectDebitReturn(onDay(d, '2027-01-14'), { siteId, reasonCode: 'AM04', date: '2027-01-14' } as never))
      expect([r.code, r.message]).toEqual(['INVALID_INPUT', expect.stringMatching(/paymentId or its endToEndId/)])
    })
  })
}

describe('directDebitBatchOf checks its options', () => {
  const opts = { messageId: 'M-1', createdAt: '2027-01-05T09:00:00Z', collectionDate: '2027-01-10' as LocalDate, creditor }
  it('refuses a misspelt key instead of dropping it', () => {
    expect(() => directDebitBatchOf([], { ...opts, messageId: undefined, messageID: 'M-1' } as never)).toThrow(/did you mean `messageId`/)
  })
  it('refuses a message id that is not a string', () => {
    expect(() => directDebitBatchOf([], { ...opts, messageId: 2 } as never)).toThrow(/options\.messageId/)
  })
})

rules('storage-memory', async () => createMemoryStorage())
rules('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) rules('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url }))
else console.log('[ecole] ECOLE_PG_URL is not set: the direct-debit rules on a PostgreSQL server are skipped')
