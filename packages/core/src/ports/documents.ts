/**
 * Document storage: portal documents' records and bytes, counted against the site's storage licence.
 *
 * @module
 */
import type { DocumentFilter, PortalDocument } from '../messaging'
import type { Page, PageRequest } from './storage'

/**
 * Document storage.
 *
 * Contract:
 * - every method takes the `siteId` first; nothing crosses sites;
 * - a document's record and bytes are written together; `record.sizeBytes` equals the bytes'
 *   length (otherwise `EcoleError` `SIZE_MISMATCH`);
 * - `usedBytes` is the sum of `sizeBytes` of the site's documents, as committed; check the
 *   quota with `checkStorageQuota` in the same transaction as the put, after
 *   `lockDocumentQuota`: two transactions that lock the same site's quota run one after the
 *   other (the second reads what the first committed), so two uploads that each fit but not
 *   together never both pass;
 * - listings are in id order and paginate stably; a filter (`DocumentFilter`) keeps the order,
 *   and an unknown filter key is refused (`INVALID_INPUT`).
 *
 * @example
 * await tx.documents!.lockDocumentQuota('site-1')
 * const used = await tx.documents!.usedBytes('site-1')
 * if (checkStorageQuota({ usedBytes: used, addedBytes: bytes.length, maxStorageGb: site.licence.maxStorageGb }).ok)
 *   await tx.documents!.putDocument('site-1', record, bytes)
 */
export interface DocumentStore {
  /**
   * Stores a document (record and bytes), replacing the one with its id.
   *
   * @example
   * await store.putDocument('site-1', record, bytes) //=> 'created'
   */
  putDocument(siteId: string, record: PortalDocument, bytes: Uint8Array): Promise<'created' | 'updated'>
  /**
   * A document's record.
   *
   * @example
   * await store.getDocument('site-1', 'd1')
   */
  getDocument(siteId: string, documentId: string): Promise<PortalDocument | undefined>
  /**
   * A document's bytes.
   *
   * @example
   * await store.readDocumentBytes('site-1', 'd1')
   */
  readDocumentBytes(siteId: string, documentId: string): Promise<Uint8Array | undefined>
  /**
   * Deletes a document; `false` when there was none.
   *
   * @example
   * await store.deleteDocument('site-1', 'd1') //=> true
   */
  deleteDocument(siteId: string, documentId: string): Promise<boolean>
  /**
   * Document records in id order, those passing `filter` only (all without it).
   *
   * @example
   * await store.listDocuments('site-1', { limit: 100 }, { addressedTo: { guardianIds: ['g1'], childIds: ['k1'] } })
   * @throws EcoleError `INVALID_INPUT` for an unknown filter key or a malformed filter.
   */
  listDocuments(siteId: string, page?: PageRequest, filter?: DocumentFilter): Promise<Page<PortalDocument>>
  /**
   * Serialises the site's uploads until the end of the transaction: call it first in the
   * transaction that checks the storage quota and puts a document. Outside a transaction it
   * serialises nothing (the call is its own transaction).
   *
   * @example
   * await storage.transaction('site-1', async (tx) => { await tx.documents!.lockDocumentQuota('site-1'); ... })
   */
  lockDocumentQuota(siteId: string): Promise<void>
  /**
   * Bytes used by the site's documents.
   *
   * @example
   * await store.usedBytes('site-1') //=> 81234
   */
  usedBytes(siteId: string): Promise<number>
}
