import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { EcoleError, type DocumentAudience, type LocalDate } from '@ecole/core'
import type { DocumentSink, RenderedDocumentInfo } from '@ecole/core/ports'
import type { StoragePorts } from '@ecole/core/ports'
import { addPortalDocument, type AddDocumentResult } from '@ecole/workflows'
import { collect } from './render-one'

/**
 * A sink that writes each document to a file of `folder` named by its `fileName` (the folder is
 * created when missing), streaming: a document's bytes go to disk as pdfkit produces them.
 *
 * @example
 * await createPdfRenderer().renderBatch(requests, folderSink('out/invoices'))
 */
export function folderSink(folder: string): DocumentSink & { written: string[] } {
  let ready: Promise<unknown> | undefined
  const written: string[] = []
  return {
    written,
    async write(info, chunks) {
      ready ??= mkdir(folder, { recursive: true })
      await ready
      const path = join(folder, info.fileName)
      await pipeline(Readable.from(chunks), createWriteStream(path))
      written.push(path)
    },
  }
}

/**
 * A sink that keeps every document in memory (for tests and small runs: a mail attachment).
 *
 * @example
 * const sink = memorySink()
 * await renderer.renderTo(request, sink)
 * sink.documents[0].bytes.length //=> 41234
 */
export function memorySink(): DocumentSink & { documents: Array<{ info: RenderedDocumentInfo; bytes: Uint8Array }> } {
  const documents: Array<{ info: RenderedDocumentInfo; bytes: Uint8Array }> = []
  return {
    documents,
    async write(info, chunks) {
      documents.push({ info, bytes: await collect(chunks) })
    },
  }
}

/**
 * Options of {@link familyDocumentSink}.
 *
 * @example
 * const options: FamilyDocumentOptions = { siteId: 's1', audienceOf: () => ({ kind: 'guardian', guardianId: 'g1' }), available: { from: '2027-01-26', to: '2027-03-31' } }
 */
export interface FamilyDocumentOptions {
  /** The site. */
  siteId: string
  /** Who sees each document on the portal (the payer, a child...). */
  audienceOf: (info: RenderedDocumentInfo) => DocumentAudience
  /** The days each document is shown on the portal (inclusive; open-ended without `to`). */
  available: { from: LocalDate; to?: LocalDate | undefined }
  /** The stored document's id (default: the file name without `.pdf`). */
  idOf?: ((info: RenderedDocumentInfo) => string) | undefined
  /** Where the bytes are stored (default: `<siteId>/documents/<fileName>`). */
  keyOf?: ((info: RenderedDocumentInfo) => string) | undefined
}

/**
 * A sink that stores each document as a document of the family ("Enregistrer dans les fiches",
 * seed 001): a portal document for its audience, shown from `available.from` to `available.to`,
 * counted against the site's storage licence (through `addPortalDocument` of
 * `@ecole/workflows`). A document the licence refuses stops the run with `STORAGE_QUOTA_EXCEEDED`.
 *
 * @example
 * const sink = familyDocumentSink(storage, { siteId: 's1', audienceOf: () => ({ kind: 'guardian', guardianId: 'g1' }), available: { from: '2027-01-26', to: '2027-03-31' } })
 * await renderer.renderBatch(reminders, sink)
 * @throws EcoleError `STORAGE_QUOTA_EXCEEDED` from `write` when the site's licence is full; `INVALID_INPUT` for a bad window.
 */
export function familyDocumentSink(storage: StoragePorts, options: FamilyDocumentOptions): DocumentSink & { stored: AddDocumentResult[] } {
  const stored: AddDocumentResult[] = []
  return {
    stored,
    async write(info, chunks) {
      const bytes = await collect(chunks)
      const id = options.idOf?.(info) ?? info.fileName.replace(/\.pdf$/, '')
      const result = await addPortalDocument(storage, {
        siteId: options.siteId,
        input: {
          id, name: info.title, key: options.keyOf?.(info) ?? `${options.siteId}/documents/${info.fileName}`, mediaType: info.mediaType,
          audience: options.audienceOf(info), available: options.available,
        },
        bytes,
      })
      stored.push(result)
      if (!result.ok) throw new EcoleError('STORAGE_QUOTA_EXCEEDED', `the site's storage licence has no room for ${info.fileName} (${bytes.length} bytes)`, { details: { ...result.refusal } })
    },
  }
}
