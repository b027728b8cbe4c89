import type { InvoiceChargeLine, LocalDate } from '@ecole/core'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { createInvoiceBatch, issueInvoiceCreditNote, validateDrafts } from '@ecole/workflows'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runDemo } from './run-demo'

let storage: PostgresStorage
beforeAll(async () => { storage = await createPostgresStorage({ pglite: {} }) }, 120_000)
afterAll(async () => { await storage.close() })

it('runs the same demo on embedded PostgreSQL (PGlite), the default storage', async () => {
  const r = await runDemo({ storage, log: () => {} })
  const all = [...r.decemberInvoices, ...r.januaryInvoices]
  expect(all.map((i) => i.sequence)).toEqual(all.map((_, i) => i + 1))
  expect(r.rebilledDrafts).toBe(0)
  expect(r.reimport.imported).toEqual([])
  expect(r.returnedPaymentStatus).toBe('refused')
  expect(r.week53Payers.find((w) => w.week === '2026-W53')?.payer).toBe('Paul Moreau')
}, 120_000)

it('keeps the series gapless on PostgreSQL when two validations of the same drafts race, and numbers credit notes apart', async () => {
  const siteId = 'race-site'
  const deps = { storage, clock: { now: () => new Date('2027-01-04T08:00:00Z') } }
  const charges: InvoiceChargeLine[] = Array.from({ length: 6 }, (_, p) => ({
    chargeId: `c${p}`, debtorId: `g${p}`, beneficiaryId: `k${p}`, serviceId: 'meal', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 600n, amountMinor: 600n,
  }))
  await createInvoiceBatch(deps, { batch: { id: 'b', siteId, billingOfficeId: 'r', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' }, charges })
  const ids = charges.map((c) => `b:${c.debtorId}`)
  const results = await Promise.allSettled([
    validateDrafts(deps, { siteId, invoiceIds: ids.slice(0, 4), issueDate: '2027-01-04' }),
    validateDrafts(deps, { siteId, invoiceIds: ids.slice(2), issueDate: '2027-01-04' }),
  ])
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
  const rest = await validateDrafts(deps, { siteId, batchId: 'b', issueDate: '2027-01-04' })
  const numbered = [...results.flatMap((r) => (r.status === 'fulfilled' ? r.value : [])), ...rest]
  expect(numbered.map((i) => i.sequence).sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6])
  const cn = await issueInvoiceCreditNote(deps, { siteId, invoiceId: ids[0]!, issueDate: '2027-01-20', creditNote: { id: 'cn1', reason: 'Grève', scope: { kind: 'whole' } } })
  expect([cn.number, cn.amountMinor]).toEqual(['AV2027-000001', 600n])
  await expect(issueInvoiceCreditNote(deps, { siteId, invoiceId: ids[0]!, issueDate: '2027-01-20', creditNote: { id: 'cn2', reason: 'x', scope: { kind: 'amount', amount: '0.01' } } })).rejects.toThrow(/exceeds|nothing left/)
}, 120_000)
