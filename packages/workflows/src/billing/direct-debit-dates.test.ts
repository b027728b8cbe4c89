import { defineSepaMandate, isEcoleError, SiteSchema, type InvoiceChargeLine, type LocalDate, type SepaMandate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { collectDirectDebits, createInvoiceBatch, recordDirectDebitReturn, validateDrafts, type BillingDeps } from './index'
import { onDay } from '../test-support/deps-on-day'

const creditor = { name: 'Mairie', iban: 'FR7630006000011234567890189', creditorId: 'FR72ZZZ123456', address: { town: 'Creteil', country: 'FR' } }
const IBAN = 'FR7630006000011234567890189'
/** The same IBAN with its last digit changed: the ISO 7064 check digits no longer match. */
const TYPO = 'FR7630006000011234567890188'

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  try { await p } catch (e) { return isEcoleError(e) ? { code: e.code, message: e.message, details: e.details } : { code: 'not an EcoleError', message: String(e), details: {} } }
  return { code: 'OK', message: '', details: {} }
}

let sites = 0
/**
 * A site (in `timeZone`, or without a site record) whose guardians g1, g2, g3 each owe one
 * validated invoice of 25.00 (December, due 2027-01-15, collected from 2027-01-10), each with a
 * mandate signed 2026-09-01 unless `mandates` changes it; the clock reads `now`.
 */
async function seeded(storage: StoragePorts, now: string, opts: { timeZone?: string; mandates?: (g: string, m: SepaMandate) => SepaMandate } = {}) {
  const siteId = `dd-dates-${process.pid}-${Date.now()}-${++sites}`
  const at = new Date(now)
  const d: BillingDeps = { storage, clock: { now: () => at } }
  if (opts.timeZone) await storage.directory!.putSite(siteId, { ...SiteSchema.parse({ id: siteId, name: 'École', country: 'FR', timeZone: opts.timeZone }), smtp: null })
  const charges: InvoiceChargeLine[] = ['g1', 'g2', 'g3'].map((g) => ({ chargeId: `${g}|k-${g}|meal|2026-12-01`, debtorId: g, beneficiaryId: `k-${g}`, serviceId: 'meal', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n }))
  await createInvoiceBatch(d, {
    batch: { id: 'b-1', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', directDebitDate: '2027-01-10', portalDisplayDate: '2027-01-05', minimumAmount: '1.00' },
    charges,
  })
  await validateDrafts(d, { siteId, batchId: 'b-1', issueDate: '2027-01-04' })
  for (const g of ['g1', 'g2', 'g3']) {
    const m = defineSepaMandate({ id: `m-${g}`, siteId, debtorId: g, rum: `RUM-${g}`, signatureDate: '2026-09-01', debtorName: `Parent ${g}`, iban: IBAN })
    await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', opts.mandates ? opts.mandates(g, m) : m)
  }
  const payments = async () => (await storage.payments!.listPayments(siteId, { method: 'directDebit' })).items
  return { d, siteId, payments }
}

const collect = (d: BillingDeps, siteId: string, collectionDate: LocalDate, prefix = 'C1-') =>
  collectDirectDebits(d, { siteId, collectionDate, endToEndPrefix: prefix, file: { messageId: `MSG-${prefix}`, billingOfficeId: 'regie', creditor } })

function dates(name: string, create: () => Promise<StoragePorts>) {
  describe(`direct-debit dates and stored mandates, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())

    describe('a collection date before the site\'s today is refused', () => {
      it('refuses 2027-01-10 on 2027-01-20 at a Paris site, naming collectionDate and both dates, and writes nothing', async () => {
        const { d, siteId, payments } = await seeded(storage, '2027-01-20T09:00:00Z', { timeZone: 'Europe/Paris' })
        const r = await codeOf(collect(d, siteId, '2027-01-10'))
        expect(r.code).toBe('INVALID_INPUT')
        expect(r.message).toContain('collectionDate')
        expect(r.message).toContain('2027-01-10')
        expect(r.message).toContain('2027-01-20')
        expect(await payments()).toEqual([])
        expect(await storage.directory!.getDirectoryRecord(siteId, 'collectionFile', 'MSG-C1-')).toBeUndefined()
      })
      it('takes today in the site\'s zone: 23:30 UTC on 2027-01-09 is already 2027-01-10 in Paris, so 2027-01-09 is refused there', async () => {
        const { d, siteId } = await seeded(storage, '2027-01-09T23:30:00Z', { timeZone: 'Europe/Paris' })
        expect((await codeOf(collect(d, siteId, '2027-01-09'))).code).toBe('INVALID_INPUT')
      })
      it('accepts today in a zone behind UTC, and the file\'s creation time is written in that zone so the bank reads the same day', async () => {
        // 04:00 UTC on 2027-01-11 is 20:00 on 2027-01-10 in Los Angeles: collecting on 2027-01-10 is collecting today there
        const { d, siteId, payments } = await seeded(storage, '2027-01-11T04:00:00Z', { timeZone: 'America/Los_Angeles' })
        const r = await collect(d, siteId, '2027-01-10')
        expect(r.instructions).toHaveLength(3)
        expect(r.file!.xml).toContain('<CreDtTm>2027-01-10T20:00:00-08:00</CreDtTm>')
        expect((await payments()).map((p) => p.recordedOn)).toEqual(['2027-01-10', '2027-01-10', '2027-01-10'])
      })
      it('without a site record refuses only a date past everywhere on Earth (today in UTC-12)', async () => {
        const { d, siteId } = await seeded(storage, '2027-01-11T09:00:00Z')
        // 2027-01-11T09:00Z is 2027-01-10 21:00 at UTC-12: 2027-01-10 is still today somewhere
        expect((await codeOf(collect(d, siteId, '2027-01-09'))).code).toBe('INVALID_INPUT')
        expect((await collect(d, siteId, '2027-01-10')).instructions).toHaveLength(3)
      })
      it('accepts the site\'s today itself, the file created at the clock\'s instant in the site\'s zone', async () => {
        const { d, siteId, payments } = await seeded(storage, '2027-01-10T08:00:00Z', { timeZone: 'Europe/Paris' })
        const r = await collect(d, siteId, '2027-01-10')
        expect(r.file!.xml).toContain('<CreDtTm>2027-01-10T09:00:00+01:00</CreDtTm>')
        expect(r.file!.createdAt).toBe('2027-01-10T08:00:00.000Z')
        expect((await payments()).map((p) => p.recordedOn)).toEqual(['2027-01-10', '2027-01-10', '2027-01-10'])
      })
    })

    describe('a mandate signed after the collection date is not used', () => {
      it('leaves g3\'s invoice out as MANDATE_NOT_YET_SIGNED, naming the mandate, and collects the others', async () => {
        const { d, siteId } = await seeded(storage, '2027-01-05T09:00:00Z', { timeZone: 'Europe/Paris', mandates: (g, m) => (g === 'g3' ? { ...m, signatureDate: '2027-03-01' } : m) })
        const r = await collect(d, siteId, '2027-01-10')
        expect(r.instructions.map((i) => i.debtorId)).toEqual(['g1', 'g2'])
        expect(r.excluded).toEqual([{ invoiceId: 'b-1:g3', debtorId: 'g3', reason: 'MANDATE_NOT_YET_SIGNED', mandateId: 'm-g3' }])
        expect(r.file!.xml).not.toContain('RUM-g3')
      })
    })

    describe('a mandate stored with a wrong IBAN does not block the others', () => {
      it('leaves g2\'s invoice out as MANDATE_IBAN_INVALID, naming the mandate, and collects and files g1 and g3', async () => {
        // stored before IBANs were checked: defineSepaMandate now refuses it
        const { d, siteId, payments } = await seeded(storage, '2027-01-05T09:00:00Z', { timeZone: 'Europe/Paris', mandates: (g, m) => (g === 'g2' ? { ...m, iban: TYPO } : m) })
        const r = await collect(d, siteId, '2027-01-10')
        expect(r.instructions.map((i) => i.debtorId)).toEqual(['g1', 'g3'])
        expect(r.excluded).toEqual([{ invoiceId: 'b-1:g2', debtorId: 'g2', reason: 'MANDATE_IBAN_INVALID', mandateId: 'm-g2' }])
        expect(r.file!.count).toBe(2)
        expect(r.file!.xml).not.toContain(TYPO)
        expect((await payments()).map((p) => p.payerId).sort()).toEqual(['g1', 'g3'])
      })
    })

    describe('a collection date that is not a TARGET business day', () => {
      it('collects on Christmas Day, dating the payments that day, and warns that the bank settles on the 27th', async () => {
        const { d, siteId, payments } = await seeded(storage, '2027-12-20T09:00:00Z', { timeZone: 'Europe/Paris' })
        const r = await collect(d, siteId, '2027-12-25')
        expect(r.instructions).toHaveLength(3)
        expect(r.warnings).toEqual([{ code: 'COLLECTION_NOT_A_TARGET_DAY', collectionDate: '2027-12-25', settlesOn: '2027-12-27' }])
        expect((await payments()).map((p) => p.date)).toEqual(['2027-12-25', '2027-12-25', '2027-12-25'])
      })
      it('says nothing on a TARGET day, nor when nothing was collected', async () => {
        const { d, siteId } = await seeded(storage, '2027-01-05T09:00:00Z', { timeZone: 'Europe/Paris' })
        expect((await collect(d, siteId, '2027-01-11')).warnings).toBeUndefined()
        expect((await collect(d, siteId, '2027-01-16')).warnings).toBeUndefined() // a Saturday, but all three are collected already
      })
    })

    describe('a return cannot be dated before the collection was made', () => {
      it('records the day the collection was made on each payment, and refuses a return dated before it, naming date and both dates', async () => {
        const { d, siteId, payments } = await seeded(storage, '2027-01-05T09:00:00Z', { timeZone: 'Europe/Paris' })
        const { instructions } = await collect(d, siteId, '2027-01-10')
        expect((await payments()).map((p) => [p.date, p.recordedOn])).toEqual([['2027-01-10', '2027-01-05'], ['2027-01-10', '2027-01-05'], ['2027-01-10', '2027-01-05']])
        const r = await codeOf(recordDirectDebitReturn(d, { siteId, endToEndId: instructions[0]!.endToEndId, reasonCode: 'MD06', date: '2026-12-01' }))
        expect(r.code).toBe('INVALID_INPUT')
        expect(r.message).toMatch(/\bdate: 2026-12-01 is before 2027-01-05/)
        expect((await payments()).map((p) => p.status)).toEqual(['recorded', 'recorded', 'recorded'])
      })
      it('accepts a pain.002 reject dated after the collection was made and before the collection date: rejected before settlement', async () => {
        const { d, siteId, payments } = await seeded(storage, '2027-01-05T09:00:00Z', { timeZone: 'Europe/Paris' })
        const { instructions } = await collect(d, siteId, '2027-01-10')
        const out = await recordDirectDebitReturn(onDay(d, '2027-01-07'), { siteId, endToEndId: instructions[0]!.endToEndId, reasonCode: 'AC04', date: '2027-01-07' })
        expect([out.alreadyApplied, out.payment.refusal?.date]).toEqual([false, '2027-01-07'])
        expect((await payments()).filter((p) => p.status === 'refused').map((p) => p.payerId)).toEqual(['g1'])
      })
      it("refuses a return dated after the site's today (a year typed 2072 for 2027), naming input.date and both days, and changes nothing", async () => {
        const { d, siteId, payments } = await seeded(storage, '2027-01-05T09:00:00Z', { timeZone: 'Europe/Paris' })
        const { instructions } = await collect(d, siteId, '2027-01-10')
        // 23:30 UTC on the 14th is already the 15th in Paris: the 15th is today there, the 16th is not
        const late = { ...d, clock: { now: () => new Date('2027-01-14T23:30:00Z') } }
        const r = await codeOf(recordDirectDebitReturn(late, { siteId, endToEndId: instructions[0]!.endToEndId, reasonCode: 'AM04', date: '2027-01-16' }))
        expect(r.code).toBe('INVALID_INPUT')
        expect(r.message).toMatch(/\binput\.date: is 2027-01-16, after today 2027-01-15 at the site \(Europe\/Paris\)/)
        expect((await payments()).map((p) => p.status)).toEqual(['recorded', 'recorded', 'recorded'])
        const typo = await codeOf(recordDirectDebitReturn(late, { siteId, endToEndId: instructions[0]!.endToEndId, reasonCode: 'AM04', date: '2072-01-14' }))
        expect(typo.message).toMatch(/\binput\.date: is 2072-01-14, after today 2027-01-15/)
        const out = await recordDirectDebitReturn(late, { siteId, endToEndId: instructions[0]!.endToEndId, reasonCode: 'AM04', date: '2027-01-15' })
        expect([out.alreadyApplied, out.payment.refusal?.date]).toEqual([false, '2027-01-15'])
      })
      it('answers a return recorded again with the same reason and day as already applied, and with another reason or day as IDEMPOTENCY_CONFLICT, the first return standing', async () => {
        const { d, siteId, payments } = await seeded(storage, '2027-01-05T09:00:00Z', { timeZone: 'Europe/Paris' })
        const { instructions } = await collect(d, siteId, '2027-01-10')
        const on14 = onDay(d, '2027-01-14')
        const ret = { siteId, endToEndId: instructions[0]!.endToEndId, reasonCode: 'AM04', date: '2027-01-14' as LocalDate }
        expect((await recordDirectDebitReturn(on14, ret)).alreadyApplied).toBe(false)
        expect((await recordDirectDebitReturn(on14, { ...ret, reasonCode: ' am04 ' })).alreadyApplied).toBe(true)
        const reason = await codeOf(recordDirectDebitReturn(on14, { ...ret, reasonCode: 'MD01' }))
        expect([reason.code, reason.details['fields']]).toEqual(['IDEMPOTENCY_CONFLICT', ['reasonCode']])
        const both = await codeOf(recordDirectDebitReturn(on14, { ...ret, reasonCode: 'MD01', date: '2027-01-13' }))
        expect(both.details['fields']).toEqual(['reasonCode', 'date'])
        expect((await payments()).filter((p) => p.status === 'refused').map((p) => p.refusal)).toEqual([{ reasonCode: 'AM04', date: '2027-01-14', action: 'retry' }])
      })
      it('refuses a blank reason code, naming reasonCode, and refuses nothing', async () => {
        const { d, siteId, payments } = await seeded(storage, '2027-01-05T09:00:00Z', { timeZone: 'Europe/Paris' })
        const { instructions } = await collect(d, siteId, '2027-01-10')
        const r = await codeOf(recordDirectDebitReturn(onDay(d, '2027-01-14'), { siteId, endToEndId: instructions[0]!.endToEndId, reasonCode: '   ', date: '2027-01-14' }))
        expect([r.code, r.message]).toEqual(['INVALID_INPUT', expect.stringMatching(/\breasonCode: must name the bank's reason/)])
        expect((await payments()).map((p) => p.status)).toEqual(['recorded', 'recorded', 'recorded'])
      })
      it('judges a site without a zone on record in UTC+14: a return dated on the next UTC day is accepted there, the day after refused', async () => {
        const { d, siteId } = await seeded(storage, '2027-01-05T09:00:00Z')
        const { instructions } = await collect(d, siteId, '2027-01-10')
        const at = { ...d, clock: { now: () => new Date('2027-01-14T12:00:00Z') } } // 02:00 on the 15th in UTC+14
        const r = await codeOf(recordDirectDebitReturn(at, { siteId, endToEndId: instructions[0]!.endToEndId, reasonCode: 'AM04', date: '2027-01-16' }))
        expect(r.message).toMatch(/after today 2027-01-15 at the site \(in UTC\+14: the site has no time zone on record\)/)
        const out = await recordDirectDebitReturn(at, { siteId, endToEndId: instructions[0]!.endToEndId, reasonCode: 'AM04', date: '2027-01-15' })
        expect(out.alreadyApplied).toBe(false)
      })
    })
  })
}

dates('storage-memory', async () => createMemoryStorage())
dates('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) dates('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url }))
else console.log('[ecole] ECOLE_PG_URL is not set: the direct-debit dates on a PostgreSQL server are skipped')
