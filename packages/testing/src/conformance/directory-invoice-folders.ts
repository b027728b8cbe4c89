import { isEcoleError, type InvoiceFolder } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { draftInvoice } from './invoicing'
import { freshSiteId, need, type ConformanceContext } from './support'

/**
 * Invoice folders are a kind of the directory's record port (`invoiceFolder`); the invoicing
 * port files invoices only in a folder stored there. @internal
 */
export function describeDirectoryInvoiceFolders(ctx: ConformanceContext): void {
  describe('directory: invoice folders (kind invoiceFolder)', () => {
    it('stores folders (a rename is a put), lists them by id, and invoices are filed only in a stored folder of the same site', async () => {
      const s = ctx.storage()
      const directory = need(s.directory, 'directory')
      const invoicing = need(s.invoicing, 'invoicing')
      const site = freshSiteId()
      await invoicing.createDrafts(site, [draftInvoice(site, 'a', ['c1']), draftInvoice(site, 'b', ['c2']), draftInvoice(site, 'd', ['c3'])])
      const year: InvoiceFolder = { id: 'f-2026', name: '2026', parentId: null }
      const march: InvoiceFolder = { id: 'f-2026-03', name: 'mars', parentId: 'f-2026' }
      expect(await directory.putDirectoryRecord(site, 'invoiceFolder', year)).toBe('created')
      expect(await directory.putDirectoryRecord(site, 'invoiceFolder', march)).toBe('created')
      expect(await directory.putDirectoryRecord(site, 'invoiceFolder', { ...march, name: 'Mars 2026' })).toBe('updated')
      expect((await directory.listDirectoryRecords(site, 'invoiceFolder')).items).toEqual([year, { ...march, name: 'Mars 2026' }])
      await invoicing.fileInvoices(site, ['a', 'd'], 'f-2026')
      const ids = async (folderId: string) => (await invoicing.listInvoices(site, { folderId })).items.map((i) => i.id)
      expect(await ids('f-2026')).toEqual(['a', 'd'])
      const refusal = async (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (isEcoleError(e) ? e.code : e))
      expect(await refusal(invoicing.fileInvoices(site, ['b'], 'nope'))).toBe('NOT_FOUND')
      // another site's folder with the same id is not this site's
      const other = freshSiteId()
      await directory.putDirectoryRecord(other, 'invoiceFolder', { id: 'f-other', name: 'autre', parentId: null })
      expect(await refusal(invoicing.fileInvoices(site, ['b'], 'f-other'))).toBe('NOT_FOUND')
      expect(await ids('f-other')).toEqual([])
      await invoicing.fileInvoices(site, ['d'], null)
      expect(await ids('f-2026')).toEqual(['a'])
    })
  })
}
