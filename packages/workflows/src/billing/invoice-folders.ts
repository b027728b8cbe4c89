import { EcoleError, assertInvoiceFolderTree, parseInput, type InvoiceFolder } from '@ecole/core'
import { auditInTransaction, type AuditOption } from './audit-with-change'
import type { InvoiceFilter } from '@ecole/core/ports'
import * as z from 'zod'
import { need, readAll, type BillingDeps } from './support'
import { lockDirectoryKeys } from '../directory/record-versions'
import { asUseCaseError } from '../use-case-error'

const FolderSchema = z.strictObject({
  id: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  parentId: z.string().trim().min(1).max(100).nullable(),
})

/**
 * Creates or renames an invoice folder, or moves it in the tree (seed 001, « dossiers de
 * factures »): the name is required, the parent must exist and the folder may not sit inside
 * itself. Stored as the directory's `invoiceFolder` record, in one transaction with the check.
 *
 * @example
 * await saveInvoiceFolder(deps, { siteId: 's1', folder: { id: 'f-2027', name: '2027', parentId: null } }) //=> 'created'
 * await saveInvoiceFolder(deps, { siteId: 's1', folder: { id: 'f-2027-01', name: 'Janvier', parentId: 'f-2027' } })
 * @throws EcoleError `INVALID_INPUT` (naming `folder.name`...), `FOLDER_PARENT_NOT_FOUND`, `FOLDER_CYCLE`.
 */
export async function saveInvoiceFolder(deps: BillingDeps, args: { siteId: string; folder: InvoiceFolder }): Promise<'created' | 'updated'> {
  try {
    const folder = parseInput(FolderSchema, args.folder, 'folder')
    return await deps.storage.transaction(args.siteId, async (tx) => {
      const { directory } = need(tx, 'directory')
      // the tree is checked under one lock for all its writers: two moves at once (X under Y, Y under X)
      // each passed the check on a tree without the other's move, and made a cycle
      await lockDirectoryKeys(tx, args.siteId, ['invoiceFolders'])
      const folders = await readAll((p) => directory.listDirectoryRecords(args.siteId, 'invoiceFolder', p))
      assertInvoiceFolderTree(folders.filter((f) => f.id !== folder.id), folder)
      return directory.putDirectoryRecord(args.siteId, 'invoiceFolder', folder)
    })
  } catch (error) {
    throw asUseCaseError(error, 'saveInvoiceFolder', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], args: [args, 'object', 'the folder to save ({ siteId, folder })'] })
  }
}

/**
 * Files every invoice that a filter selects into a folder (or, with `null`, takes them out of
 * any): the back office's « classer la sélection » after a confirmation that says how many. The
 * invoices are read and filed in one transaction; filing never changes an invoice (validated ones
 * included). Answers how many were filed. `options.audit` builds the audit entries from that count;
 * they are written in the same transaction.
 *
 * @example
 * await fileMatchingInvoices(deps, { siteId: 's1', filter: { batchId: 'dec', status: 'validated' }, folderId: 'f-2027-01' }) //=> 2
 * @throws EcoleError `NOT_FOUND` for an unknown folder, `INVALID_INPUT` for an empty filter (it would file every invoice of the site) or an `options.audit` that is not a function.
 */
export async function fileMatchingInvoices(deps: BillingDeps, args: { siteId: string; filter: InvoiceFilter; folderId: string | null }, options: AuditOption<number> = {}): Promise<number> {
  try {
    if (Object.values(args.filter).every((v) => v === undefined || v === '')) {
      throw new EcoleError('INVALID_INPUT', 'filter: must select something (a batch, a payer, a status, a billing office or a folder), not every invoice of the site', {
        details: { issues: [{ path: 'filter', code: 'custom', message: 'must select something' }] },
      })
    }
    return await deps.storage.transaction(args.siteId, async (tx) => {
      const { invoicing } = need(tx, 'invoicing')
      const ids = (await readAll((p) => invoicing.listInvoices(args.siteId, args.filter, p))).map((i) => i.id)
      for (let i = 0; i < ids.length; i += 1000) await invoicing.fileInvoices(args.siteId, ids.slice(i, i + 1000), args.folderId)
      await auditInTransaction(tx, args.siteId, options?.audit, ids.length)
      return ids.length
    })
  } catch (error) {
    throw asUseCaseError(error, 'fileMatchingInvoices', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], args: [args, 'object', 'the invoices to file ({ siteId, filter, folderId })'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}
