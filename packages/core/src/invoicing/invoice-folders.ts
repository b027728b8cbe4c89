import { EcoleError } from '../errors'
import { asInputError } from '../input-error'

/**
 * A folder of invoices (dossier de factures); folders form a tree through `parentId`.
 *
 * @example
 * const f: InvoiceFolder = { id: 'f-2027', name: '2027', parentId: null }
 */
export interface InvoiceFolder {
  /** Folder id. */
  id: string
  /** Label. */
  name: string
  /** The folder it sits in, or null at the root. */
  parentId: string | null
}

/**
 * Checks that adding or moving `folder` keeps a tree: its parent exists and it is not its own ancestor.
 *
 * @example
 * assertInvoiceFolderTree([{ id: 'a', name: 'A', parentId: null }], { id: 'b', name: 'B', parentId: 'a' }) // passes
 * @throws EcoleError `FOLDER_PARENT_NOT_FOUND`, `FOLDER_CYCLE`, `INVALID_INPUT`.
 */
export function assertInvoiceFolderTree(folders: readonly InvoiceFolder[], folder: InvoiceFolder): void {
  try {
    const byId = new Map(folders.map((f) => [f.id, f]))
    byId.set(folder.id, folder)
    let cur = folder.parentId
    const seen = new Set([folder.id])
    while (cur !== null) {
      if (seen.has(cur)) throw new EcoleError('FOLDER_CYCLE', `folder ${folder.id} cannot sit inside itself`, { details: { folderId: folder.id } })
      seen.add(cur)
      const parent = byId.get(cur)
      if (!parent) throw new EcoleError('FOLDER_PARENT_NOT_FOUND', `folder ${cur} does not exist`, { details: { folderId: cur } })
      cur = parent.parentId
    }
  } catch (error) {
    throw asInputError(error, 'assertInvoiceFolderTree', { folders: [folders, 'array', 'the invoice folders'], folder: [folder, 'object', 'an invoice folder'] })
  }
}

/**
 * The path of names from the root to a folder, e.g. `['2027', 'January']`.
 *
 * @example
 * invoiceFolderPath([{ id: 'y', name: '2027', parentId: null }, { id: 'm', name: 'January', parentId: 'y' }], 'm') //=> ['2027', 'January']
 * @throws EcoleError `FOLDER_PARENT_NOT_FOUND`, `INVALID_INPUT`.
 */
export function invoiceFolderPath(folders: readonly InvoiceFolder[], folderId: string): string[] {
  try {
    const byId = new Map(folders.map((f) => [f.id, f]))
    const path: string[] = []
    let cur: string | null = folderId
    while (cur !== null && path.length <= folders.length) {
      const f = byId.get(cur)
      if (!f) throw new EcoleError('FOLDER_PARENT_NOT_FOUND', `folder ${cur} does not exist`, { details: { folderId: cur } })
      path.unshift(f.name)
      cur = f.parentId
    }
    return path
  } catch (error) {
    throw asInputError(error, 'invoiceFolderPath', { folders: [folders, 'array', 'the invoice folders'], folderId: [folderId, 'string'] })
  }
}
