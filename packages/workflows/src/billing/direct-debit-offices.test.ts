import { BillingOfficeSchema, defineSepaMandate, isEcoleError, type LocalDate, type SepaMandate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { collectDirectDebits, createInvoiceBatch, validateDrafts, type BillingDeps } from './index'

// before the collections (2027-01-10): a collection date before the site's today is refused
const clock = { now: () => new Date('2027-01-05T09:00:00Z') }
const address = { town: 'Creteil', country: 'FR' }
const cantine = { name: 'Regie cantine', iban: 'FR7630006000011234567890189', creditorId: 'FR72ZZZ123456', address }
const creche = { name: 'Regie creche', iban: 'BE68539007547034', creditorId: 'BE69ZZZ050D000000008', address }
const DEBTOR_IBAN = 'BE71096123456769'

async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string; paths: string[] }> {
  try { await p } catch (e) {
    if (!isEcoleError(e)) return { code: 'not an EcoleError', message: String(e), paths: [] }
    const issues = (e.details as { issues?: Array<{ path: string }> }).issues ?? []
    return { code: e.code, message: e.message, paths: issues.map((i) => i.path) }
  }
  return { code: 'OK', message: '', paths: [] }
}

let sites = 0
/**
 * A site whose guardian g1 owes the cantine régie 42.50 (batch b-cantine) and, unless `offices` is
 * `['creche']` or `['cantine']`, the crèche régie 120.00 (batch b-creche), both collected from 2027-01-10,
 * with the mandates given (put as stored, so one without its office is a mandate stored before it was recorded).
 */
async function seeded(storage: StoragePorts, mandates: Array<Partial<SepaMandate> & { id: string }>, offices: ReadonlyArray<'cantine' | 'creche'> = ['cantine', 'creche']) {
  const siteId = `dd-offices-${process.pid}-${Date.now()}-${++sites}`
  const d: BillingDeps = { storage, clock }
  for (const office of offices) {
    const amount = office === 'cantine' ? 4250n : 12000n
    await createInvoiceBatch(d, {
      batch: { id: `b-${office}`, siteId, billingOfficeId: office, period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: [office], dueDate: '2027-01-15', directDebitDate: '2027-01-10', portalDisplayDate: '2027-01-05' },
      charges: [{ chargeId: `g1|${office}`, debtorId: 'g1', beneficiaryId: 'k1', serviceId: office, date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: amount, amountMinor: amount }],
    })
    await validateDrafts(d, { siteId, batchId: `b-${office}`, issueDate: '2027-01-04' })
  }
  for (const { id, billingOfficeId, ...rest } of mandates) {
    const m = defineSepaMandate({ id, siteId, debtorId: 'g1', rum: `RUM-${id}`, signatureDate: '2026-09-01', debtorName: 'Parent g1', iban: DEBTOR_IBAN })
    // a mandate stored before the office was recorded has no billingOfficeId key at all
    await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', { ...m, ...(billingOfficeId !== undefined ? { billingOfficeId } : {}), ...rest })
  }
  const directDebits = async () => (await storage.payments!.listPayments(siteId, { method: 'directDebit' })).items.map((p) => [p.id, p.billingOfficeId, p.amountMinor])
  return { d, siteId, directDebits }
}

const fileOf = (billingOfficeId: string, messageId: string, creditor = billingOfficeId === 'creche' ? creche : cantine) => ({ messageId, billingOfficeId, creditor })

function offices(name: string, create: () => Promise<StoragePorts>) {
  describe(`direct debits of two billing offices on one site, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())
    const both = [{ id: 'cantine-1', billingOfficeId: 'cantine' }, { id: 'creche-1', billingOfficeId: 'creche' }]

    it("collects only its own office's invoices in a file of every invoice due: the crèche's 120.00 is not paid into the cantine's account", async () => {
      const { d, siteId, directDebits } = await seeded(storage, both)
      const r = await collectDirectDebits(d, { siteId, collectionDate: '2027-01-10', endToEndPrefix: 'CANT-', file: fileOf('cantine', 'CANT-2701') })
      expect(r.instructions.map((i) => [i.invoiceId, i.amountMinor, i.rum])).toEqual([['b-cantine:g1', 4250n, 'RUM-cantine-1']])
      expect(r.file!.amount).toEqual({ minor: 4250n, currency: 'EUR' })
      expect(r.file!.xml).not.toContain('b-creche')
      expect(await directDebits()).toEqual([['dd:CANT-b-cantine:g1', 'cantine', 4250n]])
      // the crèche then collects its own invoice, with its own mandate, under its own creditor id
      const c = await collectDirectDebits(d, { siteId, collectionDate: '2027-01-10', endToEndPrefix: 'CR-', file: fileOf('creche', 'CR-2701') })
      expect(c.instructions.map((i) => [i.invoiceId, i.amountMinor, i.rum])).toEqual([['b-creche:g1', 12000n, 'RUM-creche-1']])
      expect(c.file!.xml).toContain('<MndtId>RUM-creche-1</MndtId>')
    })

    it("refuses a batch of another office filed under this office's creditor, naming file.billingOfficeId, and writes nothing", async () => {
      const { d, siteId, directDebits } = await seeded(storage, both)
      const e = await errorOf(collectDirectDebits(d, { siteId, batchId: 'b-creche', collectionDate: '2027-01-10', endToEndPrefix: 'X-', file: fileOf('cantine', 'X-2701') }))
      expect([e.code, e.paths]).toEqual(['INVALID_INPUT', ['file.billingOfficeId']])
      expect(e.message).toMatch(/b-creche.*"creche"/)
      expect(await directDebits()).toEqual([])
      expect(await storage.directory!.getDirectoryRecord(siteId, 'collectionFile', 'X-2701')).toBeUndefined()
    })

    it("does not present a mandate signed with the cantine's creditor id in the crèche's file: MANDATE_OF_ANOTHER_OFFICE, naming it", async () => {
      const { d, siteId, directDebits } = await seeded(storage, [{ id: 'cantine-1', billingOfficeId: 'cantine' }], ['creche'])
      const r = await collectDirectDebits(d, { siteId, batchId: 'b-creche', collectionDate: '2027-01-10', endToEndPrefix: 'CR-', file: fileOf('creche', 'CR-2701') })
      expect(r.instructions).toEqual([])
      expect(r.excluded).toEqual([{ invoiceId: 'b-creche:g1', debtorId: 'g1', reason: 'MANDATE_OF_ANOTHER_OFFICE', mandateId: 'cantine-1' }])
      expect(r.file).toBeUndefined()
      expect(await directDebits()).toEqual([])
    })

    it('uses a mandate stored without its billing office on a site with a single office, as before', async () => {
      const { d, siteId, directDebits } = await seeded(storage, [{ id: 'old-1' }], ['cantine'])
      const r = await collectDirectDebits(d, { siteId, collectionDate: '2027-01-10', endToEndPrefix: 'CANT-', file: fileOf('cantine', 'CANT-2701') })
      expect(r.instructions.map((i) => [i.invoiceId, i.rum])).toEqual([['b-cantine:g1', 'RUM-old-1']])
      expect(await directDebits()).toEqual([['dd:CANT-b-cantine:g1', 'cantine', 4250n]])
    })

    it('refuses a mandate stored without its billing office on a site with two offices: MANDATE_OFFICE_UNKNOWN, naming it', async () => {
      const { d, siteId, directDebits } = await seeded(storage, [{ id: 'old-1' }])
      const r = await collectDirectDebits(d, { siteId, batchId: 'b-creche', collectionDate: '2027-01-10', endToEndPrefix: 'CR-', file: fileOf('creche', 'CR-2701') })
      expect(r.instructions).toEqual([])
      expect(r.excluded).toEqual([{ invoiceId: 'b-creche:g1', debtorId: 'g1', reason: 'MANDATE_OFFICE_UNKNOWN', mandateId: 'old-1' }])
      expect(await directDebits()).toEqual([])
    })

    it("refuses a mandate stored without its billing office when the site records two offices, though only one has invoices: MANDATE_OFFICE_UNKNOWN", async () => {
      const { d, siteId, directDebits } = await seeded(storage, [{ id: 'old-1' }], ['cantine'])
      for (const [id, name] of [['cantine', 'Regie cantine'], ['creche', 'Regie creche']]) {
        await storage.directory!.putDirectoryRecord(siteId, 'billingOffice', BillingOfficeSchema.parse({ id, siteId, name, paymentReference: 'rf' }))
      }
      const r = await collectDirectDebits(d, { siteId, collectionDate: '2027-01-10', endToEndPrefix: 'CANT-', file: fileOf('cantine', 'CANT-2701') })
      expect(r.excluded).toEqual([{ invoiceId: 'b-cantine:g1', debtorId: 'g1', reason: 'MANDATE_OFFICE_UNKNOWN', mandateId: 'old-1' }])
      expect(await directDebits()).toEqual([])
    })

    const cases = [
      ['a creditor id with a wrong check', { ...cantine, creditorId: 'FR73ZZZ123456' }, 'CANT-E1', 'file.creditor.creditorId'],
      ['a creditor IBAN with wrong check digits', { ...cantine, iban: 'FR7630006000011234567890188' }, 'CANT-E2', 'file.creditor.iban'],
      ['a creditor BIC that is not one', { ...cantine, bic: 'NOTABIC' }, 'CANT-E3', 'file.creditor.bic'],
      ['a creditor address without a town', { ...cantine, address: { country: 'FR' } }, 'CANT-E4', 'file.creditor.address.town'],
      ['a message id with an underscore', cantine, 'CANT_E5', 'file.messageId'],
      ['a message id starting with a slash', cantine, '/CANT-E6', 'file.messageId'],
    ] as const
    for (const [what, creditor, messageId, field] of cases) {
      it(`names ${field} in a collection file's error for ${what}, never the batch's field, and writes nothing`, async () => {
        const { d, siteId, directDebits } = await seeded(storage, [{ id: 'cantine-1', billingOfficeId: 'cantine' }], ['cantine'])
        const e = await errorOf(collectDirectDebits(d, { siteId, collectionDate: '2027-01-10', endToEndPrefix: 'E-', file: { messageId, billingOfficeId: 'cantine', creditor: creditor as typeof cantine } }))
        expect([e.code, e.paths]).toEqual(['INVALID_INPUT', [field]])
        expect(e.message).toContain(field)
        expect(e.message).not.toMatch(/\bbatch\./)
        expect(await directDebits()).toEqual([])
      })
    }
  })
}

offices('storage-memory', async () => createMemoryStorage())
offices('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) offices('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url }))
else console.log('[ecole] ECOLE_PG_URL is not set: the direct debits of two billing offices on a PostgreSQL server are skipped')
