import { EcoleError, checkDocumentFilter, matchesDocumentFilter, type DocumentFilter, type PortalDocument } from '@ecole/core'
import type { DocumentStore, Page, PageRequest } from '@ecole/core/ports'
import { paginate, type Access } from './access'
import { assertRecordSite } from './directory-store'
import { copy } from './site-state'

const DOCUMENTS = 'documents'

interface StoredDocument {
  record: PortalDocument
  bytes: Uint8Array
}

/** The in-memory {@link DocumentStore}. @internal */
export class MemoryDocumentStore implements DocumentStore {
  constructor(private readonly access: Access) {}

  putDocument(siteId: string, record: PortalDocument, bytes: Uint8Array): Promise<'created' | 'updated'> {
    return this.access(siteId, (v) => {
      assertRecordSite(siteId, record)
      if (record.sizeBytes !== bytes.length) {
        throw new EcoleError('SIZE_MISMATCH', `document ${record.id}: sizeBytes is ${record.sizeBytes} but ${bytes.length} bytes were given`, {
          details: { documentId: record.id, sizeBytes: record.sizeBytes, length: bytes.length },
        })
      }
      const existed = v.read(DOCUMENTS).has(record.id)
      v.write<StoredDocument>(DOCUMENTS).set(record.id, { record: copy(record), bytes: new Uint8Array(bytes) })
      return existed ? 'updated' : 'created'
    })
  }

  getDocument(siteId: string, documentId: string): Promise<PortalDocument | undefined> {
    return this.access(siteId, (v) => copy(v.read<StoredDocument>(DOCUMENTS).get(documentId)?.record))
  }

  readDocumentBytes(siteId: string, documentId: string): Promise<Uint8Array | undefined> {
    return this.access(siteId, (v) => {
      const d = v.read<StoredDocument>(DOCUMENTS).get(documentId)
      return d ? new Uint8Array(d.bytes) : undefined
    })
  }

  deleteDocument(siteId: string, documentId: string): Promise<boolean> {
    return this.access(siteId, (v) => (v.read(DOCUMENTS).has(documentId) ? v.write(DOCUMENTS).delete(documentId) : false))
  }

  listDocuments(siteId: string, page?: PageRequest, filter?: DocumentFilter): Promise<Page<PortalDocument>> {
    return this.access(siteId, (v) => {
      checkDocumentFilter(filter)
      const kept = [...v.read<StoredDocument>(DOCUMENTS).entries()].filter(([, d]) => matchesDocumentFilter(d.record, filter))
      const result = paginate(kept.map(([id, d]) => [id, d.record] as [string, PortalDocument]), page)
      return { ...result, items: result.items.map(copy) }
    })
  }

  /** Nothing to do: the memory adapter runs one transaction of a site at a time. */
  lockDocumentQuota(siteId: string): Promise<void> {
    return this.access(siteId, () => undefined)
  }

  usedBytes(siteId: string): Promise<number> {
    return this.access(siteId, (v) => [...v.read<StoredDocument>(DOCUMENTS).values()].reduce((sum, d) => sum + d.record.sizeBytes, 0))
  }
}
