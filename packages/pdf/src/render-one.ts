import { asInputError } from '@ecole/core'
import type { RenderedDocumentInfo } from '@ecole/core/ports'
import type { Layout, RowPlacement } from './layout'

/**
 * A document checked and ready to draw: what a sink is told, and how to draw it.
 *
 * @example
 * const prepared: PreparedDocument = preparePdf({ kind: 'invoice', data })
 */
export interface PreparedDocument {
  /** Kind, file name, title (the index is set by the batch). */
  info: Omit<RenderedDocumentInfo, 'index'>
  /** Draws the document; the layout is finished by the caller. */
  draw(): Layout
}

/**
 * A drawn document: its bytes as a stream, and where every table row went.
 *
 * @example
 * const drawn: DrawnDocument = drawDocument(preparePdf(request))
 * drawn.pages //=> 3
 */
export interface DrawnDocument {
  /** The bytes, produced as pdfkit writes them. */
  chunks: AsyncIterable<Uint8Array>
  /** Pages. */
  pages: number
  /** Placement of each table row and total. */
  rows: RowPlacement[]
}

/**
 * Draws a prepared document and returns its byte stream.
 *
 * @example
 * const { chunks, pages, rows } = drawDocument(preparePdf(request))
 */
export function drawDocument(prepared: PreparedDocument): DrawnDocument {
  try {
    const layout = prepared.draw()
    const pages = layout.doc.bufferedPageRange().count
    const doc = layout.finish()
    return { chunks: doc as unknown as AsyncIterable<Uint8Array>, pages, rows: layout.rows }
  } catch (error) {
    throw asInputError(error, 'drawDocument', { prepared: [prepared, 'object', 'a prepared document (from preparePdf)'] })
  }
}

/**
 * Reads a byte stream into one buffer.
 *
 * @example
 * const bytes = await collect(renderPdf(request).chunks)
 */
export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  try {
    const parts: Uint8Array[] = []
    let size = 0
    for await (const c of chunks) {
      parts.push(c)
      size += c.length
    }
    const out = new Uint8Array(size)
    let at = 0
    for (const p of parts) {
      out.set(p, at)
      at += p.length
    }
    return out
  } catch (error) {
    throw asInputError(error, 'collect', { chunks: [chunks, 'object', 'a byte stream (an async iterable of Uint8Array)'] })
  }
}
