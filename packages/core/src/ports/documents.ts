/**
 * Document storage: portal documents' records and bytes, counted against the site's storage licence.
 *
 * @module
 */
import type { PortalDocument } from '../messaging'
import type { Page, PageRequest } from './storage'

/**
 * Document storage.
 *
 * Contract:
 * - every method takes the `siteId` first; nothing crosses sites;
 * - a document's record and bytes are written together; `record.sizeBytes` equals the bytes'
 *   length (otherwise `EcoleError` `SIZE_MISMATCH`);
 * - `usedBytes` is the sum of `sizeBytes` of the site's documents, as committed; check the
 *   quota with `checkStorageQuota` in the same transaction as the put;
 * - listings are in id order and paginate stably.
 *
 * @example
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
   * Document records in id order.
   *
   * @example
   * await store.listDocuments('site-1', { limit: 100 })
   */
  listDocuments(siteId: string, page?: PageRequest): Promise<Page<PortalDocument>>
  /**
   * Bytes used by the site's documents.
   *
   * @example
   * await store.usedBytes('site-1') //=> 81234
   */
  usedBytes(siteId: string): Promise<number>
}
