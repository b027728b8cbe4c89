import { isEcoleError, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { heldOpenAfter, within } from '../test-support/held-open'
import { serverStorage } from '../test-support/server-storage'
import { createInvoiceBatch, fileMatchingInvoices, saveInvoiceFolder, validateDrafts, type BillingDeps } from './index'

const siteId = 'site-1'
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const meal = (payer: string): InvoiceChargeLine => ({ chargeId: `${payer}-1`, debtorId: payer, beneficiaryId: `k-${payer}`, serviceId: 'meal', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 500n, amountMinor: 500n })
const codeOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (isEcoleError(e) ? e.code : e))

async function site() {
  const d: BillingDeps = { storage: createMemoryStorage(), clock }
  await createInvoiceBatch(d, {
    batch: { id: 'dec', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' },
    charges: [meal('g1'), meal('g2'), meal('g3')],
  })
  return d
}

describe('invoice folders (seed 001, « dossiers de factures »)', () => {
  it('keeps a tree: a folder’s parent exists, a folder never sits inside itself, a name is required', async () => {
    const d = await site()
    expect(await saveInvoiceFolder(d, { siteId, folder: { id: 'y', name: '2027', parentId: null } })).toBe('created')
    expect(await saveInvoiceFolder(d, { siteId, folder: { id: 'm', name: 'Janvier', parentId: 'y' } })).toBe('created')
    expect(await codeOf(saveInvoiceFolder(d, { siteId, folder: { id: 'y', name: '2027', parentId: 'm' } }))).toBe('FOLDER_CYCLE')
    expect(await codeOf(saveInvoiceFolder(d, { siteId, folder: { id: 'x', name: 'X', parentId: 'nope' } }))).toBe('FOLDER_PARENT_NOT_FOUND')
    const blank = await saveInvoiceFolder(d, { siteId, folder: { id: 'z', name: ' ', parentId: null } }).catch((e: unknown) => e)
    expect(isEcoleError(blank, 'INVALID_INPUT') && blank.message).toContain('folder.name')
    expect((await d.storage.directory!.listDirectoryRecords(siteId, 'invoiceFolder')).items.map((f) => f.id)).toEqual(['m', 'y'])
  })

  it('files every invoice a filter selects, validated ones included, and says how many; an empty filter is refused', async () => {
    const d = await site()
    await saveInvoiceFolder(d, { siteId, folder: { id: 'y', name: '2027', parentId: null } })
    await validateDrafts(d, { siteId, invoiceIds: ['dec:g1', 'dec:g2'], issueDate: '2027-01-04' })
    expect(await fileMatchingInvoices(d, { siteId, filter: { batchId: 'dec', status: 'validated' }, folderId: 'y' })).toBe(2)
    expect((await d.storage.invoicing!.listInvoices(siteId, { folderId: 'y' })).items.map((i) => i.id)).toEqual(['dec:g1', 'dec:g2'])
    expect(await codeOf(fileMatchingInvoices(d, { siteId, filter: {}, folderId: 'y' }))).toBe('INVALID_INPUT')
    expect(await codeOf(fileMatchingInvoices(d, { siteId, filter: { batchId: 'dec' }, folderId: 'nope' }))).toBe('NOT_FOUND')
    expect((await d.storage.invoicing!.listInvoices(siteId, { folderId: 'y' })).items).toHaveLength(2)
  })

  it('writes the audit entries options.audit builds from the count with the filing; an audit that throws files nothing', async () => {
    const d = await site()
    await saveInvoiceFolder(d, { siteId, folder: { id: 'y', name: '2027', parentId: null } })
    const entry = (count: number) => [{ id: `filed-${count}`, siteId, at: clock.now().toISOString(), actor: { kind: 'user' as const, id: 'u-regie' }, action: 'invoices.filed', subject: { kind: 'invoiceFolder', id: 'y' }, after: { count } }]
    await expect(fileMatchingInvoices(d, { siteId, filter: { batchId: 'dec' }, folderId: 'y' }, { audit: () => { throw new Error('audit refused') } })).rejects.toThrow('audit refused')
    expect((await d.storage.invoicing!.listInvoices(siteId, { folderId: 'y' })).items).toEqual([])
    expect(await fileMatchingInvoices(d, { siteId, filter: { batchId: 'dec' }, folderId: 'y' }, { audit: (_tx, count) => entry(count) })).toBe(3)
    expect((await d.storage.audit!.listAuditEntries(siteId, {})).items.map((e) => [e.action, e.after])).toEqual([['invoices.filed', { count: 3 }]])
  })
})

const url = process.env['ECOLE_PG_URL']
describe.skipIf(!url)('two folder moves at once on a PostgreSQL server', () => {
  const storage = serverStorage(url!, 4)

  it('refuses (FOLDER_CYCLE) moving Y under X while X is being moved under Y: the second move waits for the first, then sees it', async () => {
    const onServer = `folders-race-${process.pid}-${Date.now()}`
    for (const id of ['x', 'y']) await saveInvoiceFolder({ storage, clock }, { siteId: onServer, folder: { id, name: id.toUpperCase(), parentId: null } })
    const held = heldOpenAfter(storage, 'directory', 'putDirectoryRecord')
    const first = saveInvoiceFolder({ storage: held.storage, clock }, { siteId: onServer, folder: { id: 'x', name: 'X', parentId: 'y' } })
    await within(held.written, 'the first move was written inside its transaction')
    const second = codeOf(saveInvoiceFolder({ storage, clock }, { siteId: onServer, folder: { id: 'y', name: 'Y', parentId: 'x' } }))
    await new Promise((r) => setTimeout(r, 300))
    held.release()
    expect(await first).toBe('updated')
    // before the fix, both passed the check on a tree without the other's move: X and Y each other's parent
    expect(await second).toBe('FOLDER_CYCLE')
    expect((await storage.directory!.getDirectoryRecord(onServer, 'invoiceFolder', 'y'))?.parentId).toBeNull()
  })
})
