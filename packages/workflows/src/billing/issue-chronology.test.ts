import { isEcoleError, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { heldOpenAfter, within } from '../test-support/held-open'
import { serverStorage } from '../test-support/server-storage'
import { createInvoiceBatch, issueInvoiceCreditNote, validateDrafts, type BillingDeps } from './index'

// CGI annexe II art. 242 nonies A (docs/invoicing.md, "Numbering"): one continuous, chronological
// series. validateDrafts numbered F2027-000002 issued 2027-01-03 after F2027-000001 issued 2027-01-10.

const clock = { now: () => new Date('2027-03-01T09:00:00Z') }
const batch = (siteId: string): InvoiceBatchInput => ({
  id: 'b', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05',
})
/** One meal of 10.00 in December for each of g1..g5: five drafts `b:g1`..`b:g5`. */
const charges: InvoiceChargeLine[] = [1, 2, 3, 4, 5].map((n) => ({
  chargeId: `g${n}|k|meal|2026-12-01`, debtorId: `g${n}`, beneficiaryId: `k-g${n}`, serviceId: 'meal', date: '2026-12-01', quantity: 1, unitPriceMinor: 1000n, amountMinor: 1000n,
}))

async function site(storage: StoragePorts, siteId: string): Promise<BillingDeps> {
  const deps: BillingDeps = { storage, clock }
  await createInvoiceBatch(deps, { batch: batch(siteId), charges })
  return deps
}

const validate = (deps: BillingDeps, siteId: string, invoiceId: string, issueDate: string) =>
  validateDrafts(deps, { siteId, invoiceIds: [invoiceId], issueDate: issueDate as LocalDate })

async function refusal(p: Promise<unknown>) {
  const e = await p.then(() => undefined, (error: unknown) => error)
  if (!isEcoleError(e)) throw new Error(`expected an EcoleError, got ${String(e)}`)
  return { code: e.code, message: e.message, details: e.details as Record<string, unknown> }
}

async function expectChronologicalInvoices(storage: StoragePorts, siteId: string): Promise<void> {
  const deps = await site(storage, siteId)
  expect((await validate(deps, siteId, 'b:g1', '2027-01-10')).map((i) => [i.number, i.issueDate])).toEqual([['F2027-000001', '2027-01-10']])
  const r = await refusal(validate(deps, siteId, 'b:g2', '2027-01-03'))
  expect(r.code).toBe('INVALID_INPUT')
  expect(r.message).toContain('issueDate: must be on or after 2027-01-10: invoice series regie/invoice/2027 (last number F2027-000001)')
  expect(r.details).toMatchObject({ issueDate: '2027-01-03', latestIssueDate: '2027-01-10', lastNumber: 'F2027-000001', lastSequence: 1, seriesKey: 'regie/invoice/2027', issues: [{ path: 'issueDate' }] })
  // nothing of it written: the draft is a draft, its number is still free
  expect((await storage.invoicing!.getInvoice(siteId, 'b:g2'))!.status).toBe('draft')
  expect(await storage.invoiceNumbers!.lastNumber(siteId, 'regie/invoice/2027')).toBe(1)
  // the same day, then a later one, follow
  expect((await validate(deps, siteId, 'b:g2', '2027-01-10')).map((i) => i.number)).toEqual(['F2027-000002'])
  expect((await validate(deps, siteId, 'b:g3', '2027-01-11')).map((i) => i.number)).toEqual(['F2027-000003'])
  expect((await refusal(validateDrafts(deps, { siteId, batchId: 'b', issueDate: '2027-01-10' }))).details).toMatchObject({ latestIssueDate: '2027-01-11', lastNumber: 'F2027-000003' })
  // another year is another series (yearly reset): its own dates
  expect((await validate(deps, siteId, 'b:g4', '2028-01-05')).map((i) => i.number)).toEqual(['F2028-000001'])
  expect((await validate(deps, siteId, 'b:g5', '2027-12-31')).map((i) => i.number)).toEqual(['F2027-000004'])
}

async function expectChronologicalCreditNotes(storage: StoragePorts, siteId: string): Promise<void> {
  const deps = await site(storage, siteId)
  await validateDrafts(deps, { siteId, batchId: 'b', issueDate: '2027-01-05' })
  const note = (id: string, invoiceId: string, issueDate: string) =>
    issueInvoiceCreditNote(deps, { siteId, invoiceId, issueDate: issueDate as LocalDate, creditNote: { id, reason: 'Repas non servi', scope: { kind: 'amount', amount: '1.00' } } })
  expect((await note('cn-1', 'b:g1', '2027-01-20')).number).toBe('AV2027-000001')
  const r = await refusal(note('cn-2', 'b:g2', '2027-01-19'))
  expect(r.code).toBe('INVALID_INPUT')
  expect(r.message).toContain('issueDate: must be on or after 2027-01-20: credit note series regie/creditNote/2027 (last number AV2027-000001)')
  expect(r.details).toMatchObject({ issueDate: '2027-01-19', latestIssueDate: '2027-01-20', lastNumber: 'AV2027-000001', seriesKey: 'regie/creditNote/2027' })
  expect(await storage.invoicing!.listCreditNotes(siteId, ['b:g2'])).toEqual([])
  expect((await note('cn-2', 'b:g2', '2027-01-20')).number).toBe('AV2027-000002')
  // a replay of an earlier note is still a replay, whatever the series' latest date
  expect((await note('cn-1', 'b:g1', '2027-01-20')).number).toBe('AV2027-000001')
}

describe('validateDrafts and issueInvoiceCreditNote: numbers follow their issue dates (memory)', () => {
  it('refuses an invoice dated before the latest invoice of its series, naming issueDate, both dates and the last number; nothing is written', async () => {
    await expectChronologicalInvoices(createMemoryStorage(), 's1')
  })
  it('refuses a credit note dated before the latest credit note of its series, the same way', async () => {
    await expectChronologicalCreditNotes(createMemoryStorage(), 's1')
  })
})

const url = process.env['ECOLE_PG_URL']
describe.skipIf(!url)('numbers follow their issue dates on a PostgreSQL server, whatever the concurrency', () => {
  const storage = serverStorage(url!, 8)
  let sites = 0
  const fresh = () => `issue-chronology-${process.pid}-${Date.now()}-${++sites}`

  it('refuses an invoice, and a credit note, dated before the latest of its series', async () => {
    await expectChronologicalInvoices(storage, fresh())
    await expectChronologicalCreditNotes(storage, fresh())
  })

  it('decides two validations of one series one after the other: the one dated 2027-01-03 waits for the one dated 2027-01-10 holding the counter, then is refused', async () => {
    const siteId = fresh()
    const deps = await site(storage, siteId)
    const held = heldOpenAfter(storage, 'invoiceNumbers', 'reserveNumbers')
    const later = validate({ storage: held.storage, clock }, siteId, 'b:g1', '2027-01-10')
    await within(held.written, 'the validation dated 2027-01-10 took its number')
    const earlier = validate(deps, siteId, 'b:g2', '2027-01-03').then(() => 'validated', (e: unknown) => e)
    await new Promise((r) => setTimeout(r, 300))
    held.release()
    expect((await later).map((i) => i.number)).toEqual(['F2027-000001'])
    // before the fix: F2027-000002 issued 2027-01-03 after F2027-000001 issued 2027-01-10
    expect(await earlier).toMatchObject({ code: 'INVALID_INPUT', details: { latestIssueDate: '2027-01-10', lastNumber: 'F2027-000001' } })
    expect((await storage.invoicing!.getInvoice(siteId, 'b:g2'))!.status).toBe('draft')
  })

  it('numbers both when the earlier-dated one holds the counter first: the later-dated one waits, then follows it', async () => {
    const siteId = fresh()
    const deps = await site(storage, siteId)
    const held = heldOpenAfter(storage, 'invoiceNumbers', 'reserveNumbers')
    const first = validate({ storage: held.storage, clock }, siteId, 'b:g1', '2027-01-03')
    await within(held.written, 'the validation dated 2027-01-03 took its number')
    const second = validate(deps, siteId, 'b:g2', '2027-01-10')
    await new Promise((r) => setTimeout(r, 300))
    held.release()
    expect([...(await first), ...(await second)].map((i) => [i.number, i.issueDate])).toEqual([['F2027-000001', '2027-01-03'], ['F2027-000002', '2027-01-10']])
  })

  it('keeps the numbers of ten validations racing with dates in any order chronological', async () => {
    const siteId = fresh()
    const deps = await site(storage, siteId)
    const dates = ['2027-01-09', '2027-01-02', '2027-01-07', '2027-01-04', '2027-01-10', '2027-01-01', '2027-01-08', '2027-01-03', '2027-01-06', '2027-01-05']
    await Promise.allSettled(dates.map((d, i) => validate(deps, siteId, `b:g${(i % 5) + 1}`, d)))
    const issued = (await storage.invoicing!.listInvoices(siteId, { status: 'validated' })).items.sort((a, b) => a.sequence! - b.sequence!)
    expect(issued.map((i) => i.sequence)).toEqual(issued.map((_, i) => i + 1))
    for (let i = 1; i < issued.length; i++) expect(issued[i]!.issueDate! >= issued[i - 1]!.issueDate!).toBe(true)
  })
})
