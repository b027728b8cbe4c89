import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as fontkit from 'fontkit'

/**
 * The faces a document uses.
 *
 * @example
 * const { regular, bold }: DocumentFonts = documentFonts()
 */
export interface DocumentFonts {
  /** Body text. */
  regular: fontkit.Font
  /** Headings, totals. */
  bold: fontkit.Font
}

let cache: DocumentFonts | undefined

function here(): string {
  // CJS build: __filename; ESM build and tests: import.meta.url
  return typeof __filename === 'string' ? __filename : import.meta.url
}

type GlyphInternals = { _decode(): unknown; __ecoleMemo?: true }

/**
 * Each embedding of a subset decodes the outline of every glyph it includes (to find composite
 * glyphs), and that decode was most of the cost of embedding the fonts in every document. A
 * glyph's outline never changes, so it is decoded once per process.
 */
function memoizeGlyphOutlines(font: fontkit.Font): void {
  const f = font as unknown as { getGlyph(id: number, codePoints?: number[]): GlyphInternals }
  const getGlyph = f.getGlyph.bind(f)
  f.getGlyph = (id, codePoints) => {
    const glyph = getGlyph(id, codePoints)
    if (!glyph.__ecoleMemo) {
      const decode = glyph._decode.bind(glyph)
      let decoded: { value: unknown } | undefined
      glyph._decode = () => (decoded ??= { value: decode() }).value
      glyph.__ecoleMemo = true
    }
    return glyph
  }
}

function load(file: string): fontkit.Font {
  const path = createRequire(here()).resolve(`dejavu-fonts-ttf/ttf/${file}`)
  const font = fontkit.create(readFileSync(path))
  if (!('layout' in font)) throw new Error(`[ecole] ${file} is a font collection, expected one font`)
  // Create every character's glyph now, with its code point. fontkit caches glyph objects per
  // font, and this font is shared by all documents: a glyph first created by the subsetter (as a
  // component of a composite glyph: the I of Î) would otherwise be cached without its code point,
  // and later documents would write no text mapping for it (pdftotext would lose the letter).
  memoizeGlyphOutlines(font as fontkit.Font)
  for (const cp of font.characterSet) if (cp < 0x3000) font.glyphForCodePoint(cp)
  return font as fontkit.Font
}

/**
 * The fonts embedded in every document: DejaVu Sans and DejaVu Sans Bold from the
 * `dejavu-fonts-ttf` package (full Latin with accents, the euro sign, no-break spaces), parsed once
 * per process and shared by every document (each document embeds the subset it uses; every
 * character's glyph is created up front with its code point, so copied text is right in every
 * document of a batch, not only the first). No
 * system font is ever read, so a document's text is the same on every machine.
 *
 * @example
 * documentFonts().regular.hasGlyphForCodePoint(0x20ac) //=> true (the euro sign)
 */
export function documentFonts(): DocumentFonts {
  cache ??= { regular: load('DejaVuSans.ttf'), bold: load('DejaVuSans-Bold.ttf') }
  return cache
}

let drawable: Uint32Array | undefined

/**
 * Whether the embedded fonts draw `codePoint`: it is in the character map (cmap) of both DejaVu
 * Sans and DejaVu Sans Bold (a name may be printed in either). Read from a bitset of the code
 * points both faces map, built once per process from the fonts' cmaps, so a check costs one array
 * read. Whether a script is *supported* is more than this (right-to-left scripts are mapped but
 * printed unshaped and in the wrong order): `printableProblem` in `printable.ts` says that.
 *
 * @example
 * canDraw(0x00e9) //=> true  (é)
 * canDraw(0x0416) //=> true  (Ж)
 * canDraw(0x738b) //=> false (王)
 */
export function canDraw(codePoint: number): boolean {
  if (drawable === undefined) {
    const { regular, bold } = documentFonts()
    const both = new Set(bold.characterSet)
    const bits = new Uint32Array(0x110000 >>> 5)
    for (const cp of regular.characterSet) if (both.has(cp) && cp >= 0 && cp < 0x110000) bits[cp >>> 5]! |= 1 << (cp & 31)
    drawable = bits
  }
  return codePoint >= 0 && codePoint < 0x110000 && (drawable[codePoint >>> 5]! & (1 << (codePoint & 31))) !== 0
}
