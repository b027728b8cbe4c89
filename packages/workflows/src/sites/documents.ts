import { EcoleError, PortalDocumentSchema, checkStorageQuota, parseInput, type PortalDocument, type PortalDocumentInput } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'

/** What {@link addPortalDocument} answers: the stored record, or the storage licence refusal. */
export type AddDocumentResult =
  | { ok: true; document: PortalDocument }
  | { ok: false; refusal: { code: 'STORAGE_QUOTA_EXCEEDED'; usedBytes: number; addedBytes: number; limitBytes: number } }

/**
 * Adds (or replaces) a portal document (seed 001 "ajouter un document"): for a guardian, a child,
 * the whole site or groups, with its availability dates. In one transaction, the bytes are counted
 * against the site's storage licence (`licence.maxStorageGb`; a replaced document's old size is
 * given back first) and refused with `STORAGE_QUOTA_EXCEEDED` beyond it; otherwise record and
 * bytes are stored together.
 *
 * @example
 * await addPortalDocument(storage, { siteId: 's1', input: { id: 'menu-oct', name: 'Menus d’octobre', key: 's1/menu-oct.pdf', mediaType: 'application/pdf', audience: { kind: 'site' }, available: { from: '2026-10-01', to: '2026-10-31' } }, bytes })
 * @throws EcoleError `INVALID_INPUT` naming the field, `NOT_FOUND` for an unknown site, `MISSING_PORT` without directory or document storage.
 */
export async function addPortalDocument(
  storage: StoragePorts,
  args: { siteId: string; input: Omit<PortalDocumentInput, 'siteId' | 'sizeBytes'>; bytes: Uint8Array },
): Promise<AddDocumentResult> {
  const record = parseInput(PortalDocumentSchema, { ...args.input, siteId: args.siteId, sizeBytes: args.bytes.length }, 'document')
  return storage.transaction(args.siteId, async (tx) => {
    if (!tx.directory || !tx.documents) throw new EcoleError('MISSING_PORT', 'addPortalDocument needs the directory and documents storage ports')
    const site = await tx.directory.getSite(args.siteId)
    if (!site) throw new EcoleError('NOT_FOUND', `site ${JSON.stringify(args.siteId)} does not exist`, { details: { siteId: args.siteId } })
    const previous = await tx.documents.getDocument(args.siteId, record.id)
    const usedBytes = (await tx.documents.usedBytes(args.siteId)) - (previous?.sizeBytes ?? 0)
    const quota = checkStorageQuota({ usedBytes, addedBytes: record.sizeBytes, maxStorageGb: site.licence.maxStorageGb })
    if (!quota.ok) return { ok: false, refusal: quota.refusal }
    await tx.documents.putDocument(args.siteId, record, args.bytes)
    return { ok: true, document: record }
  })
}
