import { deflateSync } from 'node:zlib'
import { EcoleError } from '@ecole/core'
import PDFDocument from 'pdfkit'
import { documentFonts } from './fonts'
import { label, type Language } from './language'

/**
 * A4 in PDF points.
 *
 * @example
 * A4.width //=> 595.28
 */
export const A4 = { width: 595.28, height: 841.89 } as const

/**
 * Where one table row was placed: the page (0-based) and its top and bottom on it.
 *
 * @example
 * renderPdf(request).rows.every((r: RowPlacement) => r.bottom <= A4.height - 70) //=> true
 */
export interface RowPlacement {
  /** The row's id (an invoice line id, a transfer id...). */
  id: string
  /** Page index, 0-based. */
  page: number
  /** Top of the row, points from the top of the page. */
  top: number
  /** Bottom of the row. */
  bottom: number
}

/**
 * How a piece of text is set.
 *
 * @example
 * layout.text('Total', { bold: true, size: 11, align: 'right' } satisfies TextStyle)
 */
export interface TextStyle {
  /** Font size in points (default 9). */
  size?: number
  /** Bold face. */
  bold?: boolean
  /** Alignment inside `width`. */
  align?: 'left' | 'right' | 'center'
  /** Left edge (default: the left margin). */
  x?: number
  /** Width to fit and wrap in (default: to the right margin). */
  width?: number
  /** Grey text. */
  muted?: boolean
}

/**
 * A table column: its header, width in points and alignment.
 *
 * @example
 * const amount: Column = { label: 'Montant', width: 70, align: 'right' }
 */
export interface Column {
  /** Header text. */
  label: string
  /** Width in points. */
  width: number
  /** Alignment of the column's cells (amounts are right-aligned). */
  align?: 'left' | 'right' | 'center'
}

/**
 * What a document's metadata says.
 *
 * @example
 * const meta: DocumentMeta = { title: 'Facture F1', author: 'Régie', lang: 'fr-FR', created: new Date('2027-01-04T12:00:00Z'), pdfA: true }
 */
export interface DocumentMeta {
  /** Title (also the footer's left text). */
  title: string
  /** Author: the billing office or the establishment. */
  author: string
  /** Subject. */
  subject?: string | undefined
  /** The language, written in the catalog (`fr-FR`, `nl-BE`...). */
  lang: string
  /** Creation date written in the metadata (from the document's own date, so output is reproducible). */
  created: Date
  /** PDF/A-3b (archival) for invoices and credit notes. */
  pdfA?: boolean | undefined
}

const LAYOUT_CACHE_DOCUMENTS = 200
const layoutCaches = new Map<string, { entries: Record<string, unknown>; documents: number }>()

/**
 * Lets the documents of a process share the word-shaping cache of each face: pdfkit shapes each
 * word once per document (OpenType layout), which dominates the cost of a long invoice. A word's
 * glyphs and advances depend only on the face, so the cache is shared, and started afresh every
 * 200 documents (memory stays bounded over a batch of any size).
 * Call it right after selecting the face (`doc.font(...)`).
 *
 * @example
 * doc.font('R')
 * shareLayoutCache(doc, 'R')
 * @throws EcoleError `INVALID_INPUT` when `doc` is not a pdfkit document with its face selected, or `face` is not a string.
 */
export function shareLayoutCache(doc: PDFKit.PDFDocument, face: string): void {
  const font = typeof doc === 'object' && doc !== null ? (doc as unknown as { _font?: { layoutCache?: Record<string, unknown> } })._font : undefined
  if (typeof font !== 'object' || font === null) throw EcoleError.invalidInput('doc', 'must be a pdfkit document with its face selected (doc.font(...))')
  if (typeof face !== 'string') throw EcoleError.invalidInput('face', `must be the name of the selected face (a string), got ${face === null ? 'null' : typeof face}`)
  let shared = layoutCaches.get(face)
  if (!shared || shared.documents >= LAYOUT_CACHE_DOCUMENTS) {
    shared = { entries: Object.create(null) as Record<string, unknown>, documents: 0 }
    layoutCaches.set(face, shared)
  }
  shared.documents++
  font.layoutCache = shared.entries
}

/** The characters every document's font subsets start with, in this order (Latin of fr, en, it, nl; the euro sign; the spaces amounts use). */
const COMMON_CHARACTERS = [
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)),
  ...'àâäçéèêëîïôöùûüÿœæìíòóúñÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŒÆÌÍÒÓÚÑ€’–—«»·°…\u00a0\u202f',
]
const subsetBytes = new Map<string, Uint8Array>()
const SUBSET_CACHE_LIMIT = 64

interface EmbeddedFontInternals {
  font: { glyphForCodePoint(cp: number): { id: number; advanceWidth: number } }
  scale: number
  widths: number[]
  unicode: number[][]
  subset: { glyphs: number[]; includeGlyph(id: number): number; encode(): Uint8Array }
  document: { ref(data?: object): StreamRef; compress: boolean }
  embed(): void
}

interface StreamRef {
  compress: boolean
  data: { Length?: number; Filter?: string }
  end(chunk?: Uint8Array | string): void
}

/** The compressed bytes of each encoded subset (the same bytes object for the same subset, see `subsetBytes`). */
const deflatedSubsets = new WeakMap<Uint8Array, Uint8Array>()

/** How many glyphs every subset of a face starts with (the common characters, same gids in every document). */
const commonGlyphs = new Map<string, number>()

/**
 * Embeds the font file of a subset already compressed: pdfkit compresses each document's font
 * file again, though most documents of a batch share its bytes (see `reuseSubsets`). The stream
 * is written as pdfkit writes it (`/Length`, then `/Filter /FlateDecode`, the same deflated bytes),
 * so the document's bytes do not change; only the compression is done once.
 */
function reuseCompressedFontFile(f: EmbeddedFontInternals): void {
  const embed = f.embed.bind(f)
  f.embed = () => {
    const document = f.document
    const ref = document.ref
    // the first object embed() creates is the font file, ended with the subset's bytes
    document.ref = (data?: object) => {
      document.ref = ref
      const fontFile = ref.call(document, data)
      if (!document.compress) return fontFile
      const end = fontFile.end.bind(fontFile)
      fontFile.end = (chunk?: Uint8Array | string) => {
        if (!(chunk instanceof Uint8Array) || !fontFile.compress) return end(chunk)
        let z = deflatedSubsets.get(chunk)
        if (z === undefined) {
          z = deflateSync(chunk)
          deflatedSubsets.set(chunk, z)
        }
        fontFile.compress = false
        fontFile.data.Length = 0
        fontFile.data.Filter = 'FlateDecode'
        return end(z)
      }
      return fontFile
    }
    try {
      embed()
    } finally {
      document.ref = ref
    }
  }
}

/**
 * Makes the embedded font subsets of documents alike, so their bytes can be reused: each subset
 * starts with the same common characters in the same order (a document only adds the rare ones
 * it uses after them), and the encoded subset of a given glyph list is kept and reused. Encoding
 * a subset was the largest fixed cost of a document; most documents of a batch now share it.
 */
function reuseSubsets(doc: PDFKit.PDFDocument, face: string): void {
  const f = (doc as unknown as { _font: EmbeddedFontInternals })._font
  for (const ch of COMMON_CHARACTERS) {
    const cp = ch.codePointAt(0)!
    const glyph = f.font.glyphForCodePoint(cp)
    const gid = f.subset.includeGlyph(glyph.id)
    f.widths[gid] ??= glyph.advanceWidth * f.scale
    f.unicode[gid] ??= [cp]
  }
  commonGlyphs.set(face, f.subset.glyphs.length)
  reuseCompressedFontFile(f)
  const subset = f.subset
  const encode = subset.encode.bind(subset)
  subset.encode = () => {
    const key = `${face}|${subset.glyphs.join(',')}`
    let bytes = subsetBytes.get(key)
    if (bytes === undefined) {
      bytes = encode()
      if (subsetBytes.size >= SUBSET_CACHE_LIMIT) subsetBytes.clear()
      subsetBytes.set(key, bytes)
    }
    return bytes
  }
}

/** pdfkit's way of writing a number in a content stream (`PDFObject.number`). */
const num = (n: number): number => Math.round(n * 1e6) / 1e6

/** The TJ operator of a string per face, when every glyph of it is a common one (same gids in every document). */
const tjCaches = new Map<string, Map<string, string>>()
const TJ_CACHE_LIMIT = 50_000

interface FragmentInternals {
  _font: {
    id: string
    ascender: number
    ref(): unknown
    encode(text: string): [string[], Array<{ xAdvance: number; advanceWidth: number; xOffset: number; yOffset: number }>]
  }
  _fontSize: number
  page: { height: number; fonts: Record<string, unknown> }
  addContent(data: string | Uint8Array): unknown
  _fragment?: (t: string, x: number, y: number, o: object) => void
}

/** Widths of strings per face at size 1 (a string's width scales with the size); shared by all documents. */
const widthCaches = new Map<string, Map<string, number>>()
const WIDTH_CACHE_LIMIT = 100_000

const MARGIN = 42
const FOOTER = 28
const PAD = 3
const GREY = '#5a5a5a'
const RULE = '#b8b8b8'
const HEADER_FILL = '#ececec'

/**
 * A page writer on pdfkit: a cursor that moves down the page, text wrapped by the writer itself
 * (so it knows each block's height before it draws), a new page when a block would not fit,
 * tables whose header repeats on each new page and whose rows never split across pages, and a
 * "page n / m" footer written on every page at the end.
 *
 * @example
 * const layout = new Layout(meta, 'fr')
 * layout.text('Facture F2027-000001', { size: 16, bold: true })
 * const doc = layout.finish() // a pdfkit document, ended; read it as a stream
 */
export class Layout {
  /** The pdfkit document. */
  readonly doc: PDFKit.PDFDocument
  /** Left edge of the text area. */
  readonly left = MARGIN
  /** Right edge of the text area. */
  readonly right = A4.width - MARGIN
  /** Width of the text area. */
  readonly width = A4.width - 2 * MARGIN
  /** Lowest point a block may reach. */
  readonly bottom = A4.height - MARGIN - FOOTER
  /** Top of the text area. */
  readonly top = MARGIN
  /** The cursor: where the next block starts. */
  y = MARGIN
  /** Current page, 0-based. */
  page = 0
  /** Where every table row went (for checks: no row is split, every row is printed). */
  readonly rows: RowPlacement[] = []
  private readonly pageHooks: Array<() => void> = []
  private current: { bold: boolean; size: number } = { bold: false, size: 0 }

  constructor(
    readonly meta: DocumentMeta,
    readonly language: Language,
  ) {
    const fonts = documentFonts()
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN },
      bufferPages: true,
      autoFirstPage: true,
      compress: true,
      font: false,
      lang: meta.lang,
      displayTitle: true,
      ...(meta.pdfA ? { subset: 'PDF/A-3b', pdfVersion: '1.7', tagged: false } : { pdfVersion: '1.7' }),
      info: {
        Title: meta.title,
        Author: meta.author,
        Subject: meta.subject ?? meta.title,
        Creator: '@ecole/pdf',
        Producer: '@ecole/pdf (pdfkit)',
        CreationDate: meta.created,
        ModDate: meta.created,
      },
    } as unknown as PDFKit.PDFDocumentOptions)
    this.doc.registerFont('R', fonts.regular as never)
    this.doc.registerFont('B', fonts.bold as never)
    this.doc.font('B')
    shareLayoutCache(this.doc, 'B')
    reuseSubsets(this.doc, 'B')
    this.doc.font('R')
    shareLayoutCache(this.doc, 'R')
    reuseSubsets(this.doc, 'R')
    this.current = { bold: false, size: 0 }
    this.setFont(false, 9)
  }

  /** Selects a face and size (cached: pdfkit is only told when they change). */
  setFont(bold: boolean, size: number): void {
    if (this.current.bold !== bold) this.doc.font(bold ? 'B' : 'R')
    if (this.current.size !== size) this.doc.fontSize(size)
    this.current = { bold, size }
  }

  /** Height of one line at `size`. */
  lineHeight(size = 9): number {
    return size * 1.25
  }

  /** Width of `text` in the current face and size. */
  measure(text: string): number {
    const faceKey = this.current.bold ? 'B' : 'R'
    let widths = widthCaches.get(faceKey)
    if (!widths || widths.size > WIDTH_CACHE_LIMIT) {
      widths = new Map()
      widthCaches.set(faceKey, widths)
    }
    let w = widths.get(text)
    if (w === undefined) {
      w = this.doc.widthOfString(text) / this.current.size
      widths.set(text, w)
    }
    return w * this.current.size
  }

  /** Splits text into lines no wider than `width` (current face and size), at its line breaks (LF or CR LF) and between words; a word too long is cut. */
  wrap(text: string, width: number): string[] {
    const out: string[] = []
    for (const paragraph of text.split(/\r?\n/)) {
      if (this.measure(paragraph) <= width) {
        out.push(paragraph)
        continue
      }
      let line = ''
      for (const word of paragraph.split(' ')) {
        const candidate = line === '' ? word : `${line} ${word}`
        if (this.measure(candidate) <= width) {
          line = candidate
          continue
        }
        if (line !== '') out.push(line)
        line = ''
        let rest = word
        while (this.measure(rest) > width && rest.length > 1) {
          let cut = rest.length - 1
          while (cut > 1 && this.measure(rest.slice(0, cut)) > width) cut--
          out.push(rest.slice(0, cut))
          rest = rest.slice(cut)
        }
        line = rest
      }
      out.push(line)
    }
    return out
  }

  /**
   * Draws one line of text at (x, y) inside `width`, aligned, never wrapping or adding a page.
   * The width is known (cached) already, so the text goes straight to pdfkit's fragment writer,
   * which would otherwise measure it twice more.
   */
  drawLine(text: string, x: number, y: number, width: number, align: 'left' | 'right' | 'center' = 'left'): void {
    if (text === '') return
    const w = this.measure(text)
    const at = align === 'left' ? x : align === 'right' ? x + width - w : x + (width - w) / 2
    const doc = this.doc as unknown as FragmentInternals
    const tj = text.includes('\n') ? undefined : this.textOperator(doc, text)
    if (tj !== undefined) {
      // exactly what pdfkit's fragment writer writes for a plain line (save, flip, BT, Tm, Tf, TJ, ET, restore), in one piece
      const font = doc._font
      if (doc.page.fonts[font.id] == null) doc.page.fonts[font.id] = font.ref()
      const h = doc.page.height
      const dy = (font.ascender / 1000) * doc._fontSize
      // as bytes (ASCII only): pdfkit would convert the string one character at a time
      doc.addContent(Buffer.from(`q\n1 0 0 -1 0 ${num(h)} cm\nBT\n1 0 0 1 ${num(at)} ${num(h - y - dy)} Tm\n/${font.id} ${num(doc._fontSize)} Tf\n${tj}\nET\nQ\n`, 'latin1'))
    } else if (typeof doc._fragment === 'function') doc._fragment(text, at, y, { textWidth: w, wordCount: 1 })
    else this.doc.text(text, at, y, { lineBreak: false })
  }

  /**
   * The TJ operator that shows `text` in the current face, as pdfkit writes it (glyph ids in hex,
   * kerning as offsets), or `undefined` when a glyph is moved off the line (pdfkit writes it then).
   * Shaping a string and writing its glyphs was the largest cost of a line; a string whose glyphs
   * are all common ones (the same ids in every document) is shaped once per process.
   */
  private textOperator(doc: FragmentInternals, text: string): string | undefined {
    const face = this.current.bold ? 'B' : 'R'
    let cache = tjCaches.get(face)
    if (!cache || cache.size > TJ_CACHE_LIMIT) {
      cache = new Map()
      tjCaches.set(face, cache)
    }
    const hit = cache.get(text)
    if (hit !== undefined) return hit
    if (typeof doc._font?.encode !== 'function') return undefined
    const [encoded, positions] = doc._font.encode(text)
    const commands: string[] = []
    let last = 0
    const segment = (cur: number) => {
      if (last < cur) commands.push(`<${encoded.slice(last, cur).join('')}> ${num(-(positions[cur - 1]!.xAdvance - positions[cur - 1]!.advanceWidth))}`)
      last = cur
    }
    let common = true
    const limit = commonGlyphs.get(face) ?? 0
    for (let i = 0; i < positions.length; i++) {
      const pos = positions[i]!
      if (pos.xOffset || pos.yOffset) return undefined
      if (pos.xAdvance - pos.advanceWidth !== 0) segment(i + 1)
      if (parseInt(encoded[i]!, 16) >= limit) common = false
    }
    segment(positions.length)
    const tj = `[${commands.join(' ')}] TJ`
    if (common) cache.set(text, tj)
    return tj
  }

  /** Starts a new page, runs the page hooks (a table's header) and moves the cursor to the top. */
  newPage(): void {
    this.doc.addPage()
    this.page++
    this.y = this.top
    this.setFont(this.current.bold, this.current.size)
    for (const hook of this.pageHooks) hook()
  }

  /** Makes room for a block of `height`: a new page when it would pass the bottom. */
  ensure(height: number): void {
    if (this.y + height > this.bottom && this.y > this.top + 0.5) this.newPage()
  }

  /** Moves the cursor down. */
  gap(points: number): void {
    this.y += points
  }

  /** Writes a block of text at the cursor (wrapped, kept on one page) and moves below it. */
  text(text: string, style: TextStyle = {}): void {
    const size = style.size ?? 9
    this.setFont(style.bold ?? false, size)
    const x = style.x ?? this.left
    const width = style.width ?? this.right - x
    const lines = this.wrap(text, width)
    const lh = this.lineHeight(size)
    this.ensure(lines.length * lh)
    if (style.muted) this.doc.fillColor(GREY)
    for (const line of lines) {
      this.drawLine(line, x, this.y, width, style.align)
      this.y += lh
    }
    if (style.muted) this.doc.fillColor('black')
  }

  /** Writes label/value pairs as two columns (a block kept on one page). */
  fields(pairs: ReadonlyArray<readonly [string, string]>, options: { x?: number; labelWidth?: number; width?: number } = {}): void {
    const x = options.x ?? this.left
    const lw = options.labelWidth ?? 130
    const width = options.width ?? this.right - x
    this.setFont(false, 9)
    const lh = this.lineHeight(9)
    const blocks = pairs.map(([k, v]) => ({ k, lines: this.wrap(v, width - lw) }))
    for (const b of blocks) {
      this.ensure(b.lines.length * lh)
      this.doc.fillColor(GREY)
      this.drawLine(b.k, x, this.y, lw - 6)
      this.doc.fillColor('black')
      for (const line of b.lines) {
        this.drawLine(line, x + lw, this.y, width - lw)
        this.y += lh
      }
    }
  }

  /** A horizontal rule across the text area at the cursor. */
  rule(): void {
    this.doc.moveTo(this.left, this.y).lineTo(this.right, this.y).lineWidth(0.5).strokeColor(RULE).stroke()
    this.gap(4)
  }

  /** A section heading, kept with at least `keep` points of what follows. */
  heading(text: string, keep = 40): void {
    this.ensure(this.lineHeight(11) + keep)
    this.gap(4)
    this.text(text, { size: 11, bold: true })
    this.gap(2)
  }

  /**
   * Runs `hook` at the top of every page started from now on (before the header of a table
   * started later), until the returned function is called: how a section repeats its heading,
   * "(continued)", on the pages it runs onto.
   *
   * @example
   * const stop = layout.onNewPage(() => layout.heading('Compartment: Canteen (continued)', 0))
   * // ... the section's table and totals ...
   * stop()
   */
  onNewPage(hook: () => void): () => void {
    this.pageHooks.push(hook)
    return () => {
      const i = this.pageHooks.indexOf(hook)
      if (i >= 0) this.pageHooks.splice(i, 1)
    }
  }

  /** Starts a table: its header is drawn now and again at the top of each new page until `end`. */
  table(columns: readonly Column[]): Table {
    return new Table(this, columns, this.pageHooks)
  }

  /**
   * Writes the footer of every page (the title on the left, "page n / m" on the right) and ends
   * the document; its bytes are then read from `doc` as a stream.
   */
  finish(): PDFKit.PDFDocument {
    const range = this.doc.bufferedPageRange()
    const total = range.count
    for (let i = 0; i < total; i++) {
      this.doc.switchToPage(range.start + i)
      const margins = this.doc.page.margins
      const saved = margins.bottom
      margins.bottom = 0
      this.doc.font('R').fontSize(7.5)
      this.current = { bold: false, size: 7.5 }
      this.doc.fillColor(GREY)
      const y = A4.height - MARGIN - 10
      this.doc.moveTo(this.left, y - 4).lineTo(this.right, y - 4).lineWidth(0.5).strokeColor(RULE).stroke()
      this.drawLine(this.meta.title, this.left, y, this.width * 0.7)
      this.drawLine(label(this.language, 'page', { n: i + 1, m: total }), this.left, y, this.width, 'right')
      this.doc.fillColor('black')
      margins.bottom = saved
    }
    this.doc.flushPages()
    this.doc.end()
    return this.doc
  }
}

/**
 * A table being written: rows go below the header; a row that does not fit starts a new page.
 *
 * @example
 * const t = layout.table([{ label: 'Service', width: 300 }, { label: 'Montant', width: 100, align: 'right' }])
 * t.row(['Repas de midi', '66,40 €'], { id: 'line-1' })
 * t.end()
 */
export class Table {
  private readonly hook: () => void
  private readonly xs: number[]

  constructor(
    private readonly layout: Layout,
    private readonly columns: readonly Column[],
    private readonly hooks: Array<() => void>,
  ) {
    const xs: number[] = []
    let x = layout.left
    for (const c of columns) {
      xs.push(x)
      x += c.width
    }
    this.xs = xs
    this.hook = () => this.drawHeader()
    layout.ensure(2 * layout.lineHeight(8.5) + 2 * PAD + 4)
    this.drawHeader()
    hooks.push(this.hook)
  }

  private drawHeader(): void {
    const l = this.layout
    const h = l.lineHeight(8.5) + 2 * PAD
    l.doc.rect(l.left, l.y, l.width, h).fill(HEADER_FILL)
    l.doc.fillColor('black')
    l.setFont(true, 8.5)
    this.columns.forEach((c, i) => l.drawLine(c.label, this.xs[i]! + PAD, l.y + PAD, c.width - 2 * PAD, c.align))
    l.y += h
  }

  /**
   * Writes one row; cells wrap inside their column; the row is moved whole to a new page when it
   * does not fit (never split), and its placement is recorded under `id`. `keepWith` is the
   * height of what must stay on the row's page after it (the totals after a last row): the row
   * moves to a new page when the two would not fit together.
   */
  row(cells: readonly string[], options: { id?: string; bold?: boolean; rule?: boolean; keepWith?: number } = {}): void {
    const l = this.layout
    l.setFont(options.bold ?? false, 8.5)
    const lh = l.lineHeight(8.5)
    const wrapped = this.columns.map((c, i) => {
      const text = cells[i] ?? ''
      return !text.includes('\n') && l.measure(text) <= c.width - 2 * PAD ? [text] : l.wrap(text, c.width - 2 * PAD)
    })
    let lines = 1
    for (const w of wrapped) if (w.length > lines) lines = w.length
    const h = lines * lh + 2 * PAD
    l.ensure(h + (options.keepWith ?? 0))
    l.setFont(options.bold ?? false, 8.5)
    const top = l.y
    wrapped.forEach((w, i) => {
      const c = this.columns[i]!
      w.forEach((text, j) => l.drawLine(text, this.xs[i]! + PAD, top + PAD + j * lh, c.width - 2 * PAD, c.align))
    })
    l.y += h
    if (options.rule !== false) {
      l.doc.moveTo(l.left, l.y).lineTo(l.right, l.y).lineWidth(0.3).strokeColor(RULE).stroke()
    }
    if (options.id !== undefined) l.rows.push({ id: options.id, page: l.page, top, bottom: top + h })
  }

  /** Ends the table: its header no longer repeats. */
  end(): void {
    const i = this.hooks.indexOf(this.hook)
    if (i >= 0) this.hooks.splice(i, 1)
    this.layout.gap(6)
  }
}
