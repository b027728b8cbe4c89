/**
 * The PDF renderer port: turns a document request (an invoice, a reminder, a tax certificate...)
 * into PDF bytes, one document or a whole run (adapter: `@ecole/pdf`).
 *
 * @module
 */

/** What a sink is told about a document before its bytes arrive. */
export interface RenderedDocumentInfo {
  /** The kind of document (`invoice`, `creditNote`, `reminder`, `taxCertificate`...). */
  kind: string
  /** A file name that is safe on every file system, e.g. `invoice-F2027-000012.pdf`. */
  fileName: string
  /** The document's title (also in its metadata). */
  title: string
  /** Position in its batch (0-based); 0 for a single document. */
  index: number
  /** Media type: always `application/pdf`. */
  mediaType: 'application/pdf'
}

/**
 * Where rendered documents go: a folder, an object store, a mail attachment, the family's file.
 * The renderer calls `write` once per document with its bytes as they are produced and waits for
 * the returned promise before it renders the next one (so a slow sink slows the run down instead
 * of filling memory).
 *
 * @example
 * const sink: DocumentSink = {
 *   async write(info, chunks) { for await (const c of chunks) out.push(c) },
 * }
 */
export interface DocumentSink {
  /**
   * Consumes one document's bytes, in order.
   *
   * @example
   * await sink.write({ kind: 'invoice', fileName: 'invoice-F1.pdf', title: 'Facture F1', index: 0, mediaType: 'application/pdf' }, chunks)
   */
  write(info: RenderedDocumentInfo, chunks: AsyncIterable<Uint8Array>): Promise<void>
}

/** Progress of a batch: documents written so far out of the total (when the total is known). */
export interface RenderProgress {
  /** Documents written to the sink. */
  done: number
  /** Documents in the run, or `undefined` when the requests come from an open-ended stream. */
  total: number | undefined
  /** The document just written. */
  last: RenderedDocumentInfo
}

/** What a batch wrote. */
export interface RenderBatchResult {
  /** Documents written. */
  count: number
  /** Bytes written, all documents together. */
  bytes: number
}

/**
 * Renders printable documents.
 *
 * Contract:
 * - a request is validated completely before any byte reaches the sink: bad input (an unknown
 *   language, a logo that is not an image, data that breaks its schema) throws `EcoleError`
 *   naming the field, and the sink's `write` is never called for that document;
 * - `renderBatch` renders one document at a time, in the order of the requests, waits for the
 *   sink before the next, and reports progress after each; memory does not grow with the batch;
 * - the same request gives the same text on every machine (embedded fonts, no host zone).
 *
 * @typeParam R - the adapter's request type (for `@ecole/pdf`, its `PdfRequest` union).
 * @example
 * await renderer.renderBatch(requests, folderSink('/tmp/invoices'), { onProgress: (p) => console.log(`${p.done}/${p.total}`) })
 */
export interface PdfRenderer<R> {
  /**
   * Renders one document into memory.
   *
   * @example
   * const bytes = await renderer.render({ kind: 'invoice', ... })
   */
  render(request: R): Promise<Uint8Array>
  /**
   * Renders one document to a sink; answers what the sink was told.
   *
   * @example
   * await renderer.renderTo(request, sink)
   */
  renderTo(request: R, sink: DocumentSink): Promise<RenderedDocumentInfo>
  /**
   * Renders many documents, one at a time, to a sink, with progress.
   *
   * @example
   * await renderer.renderBatch(requests, sink, { total: requests.length, onProgress })
   */
  renderBatch(
    requests: Iterable<R> | AsyncIterable<R>,
    sink: DocumentSink,
    options?: { total?: number | undefined; onProgress?: ((progress: RenderProgress) => void) | undefined; signal?: AbortSignal | undefined },
  ): Promise<RenderBatchResult>
}
