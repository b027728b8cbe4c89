import { EcoleError } from '@ecole/core'
import * as z from 'zod'
import { canDraw } from './fonts'

/**
 * How a text field is used: `line` (a name, a label, an address line, a number, printed on one
 * line: no control character at all), `multiline` (free text such as an invoice's comment or a
 * reason: line breaks allowed, as LF or CR LF, and nothing else of the control characters), or
 * `identifier` (an id written in the Factur-X XML but never printed: no control character, no
 * lone surrogate or noncharacter, any script).
 *
 * @example
 * const shape: TextShape = 'multiline'
 */
export type TextShape = 'line' | 'multiline' | 'identifier'

/** `U+738B 王`, or `U+000B` alone for a character that shows nothing. */
function named(cp: number): string {
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`
  const invisible = cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) || (cp >= 0x2060 && cp <= 0x206f) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff || (cp >= 0x0300 && cp <= 0x036f) || isNoncharacter(cp)
  return invisible ? code : `${code} ${String.fromCodePoint(cp)}`
}

/** The right-to-left blocks: Hebrew to Arabic Extended-A, their presentation forms, and the right-to-left blocks of the supplementary planes. */
function isRightToLeft(cp: number): boolean {
  return (
    (cp >= 0x0590 && cp <= 0x08ff) || // Hebrew, Arabic, Syriac, Arabic Supplement, Thaana, NKo, Samaritan, Mandaic, Syriac Supplement, Arabic Extended-B and -A
    (cp >= 0xfb1d && cp <= 0xfdff) || // Hebrew and Arabic presentation forms-A
    (cp >= 0xfe70 && cp <= 0xfefe) || // Arabic presentation forms-B
    (cp >= 0x10800 && cp <= 0x10fff) || // Cypriot to Old Uyghur, Hanifi Rohingya, Yezidi, Arabic Extended-C...
    (cp >= 0x1e800 && cp <= 0x1efff) // Mende Kikakui, Adlam, Arabic mathematical symbols
  )
}

/** The explicit bidirectional controls: LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI. */
function isBidiControl(cp: number): boolean {
  return cp === 0x200e || cp === 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)
}

/** A Unicode noncharacter: U+FDD0..U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE...). */
function isNoncharacter(cp: number): boolean {
  return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe
}

/**
 * Why `text` cannot be printed on a document (and written in its Factur-X XML), or `undefined`
 * when it can. The rules, checked character by character (the first offending one is named):
 *
 * - no control character (C0 U+0000..U+001F, DEL, C1 U+0080..U+009F): a tab, a vertical tab or a
 *   stray U+0002 pasted from another program would print as an empty box and break the XML;
 *   a `multiline` text may break lines (LF, or CR LF as a form's textarea sends them);
 * - no lone surrogate (half of a character cut off) and no noncharacter (U+FFFE, U+FFFF...):
 *   XML 1.0 refuses them;
 * - no right-to-left text (Hebrew, Arabic and the other right-to-left scripts, and the
 *   bidirectional controls): the documents do not shape or reorder it yet;
 * - every character is drawn by the embedded fonts (see `canDraw`): Latin with its accents,
 *   Greek, Cyrillic, typographic punctuation, the euro sign... — not Chinese, Japanese, Korean,
 *   Indic scripts, or most emoji, which would print as empty boxes.
 *
 * An `identifier` (never printed) is held to the first two rules only.
 *
 * @example
 * printableProblem('Zoë Brontë') //=> undefined
 * printableProblem('Léa\u000bDupont') //=> 'must not contain the control character U+000B (pasted from another program?)'
 * printableProblem('王小明') //=> 'cannot print U+738B 王: the embedded fonts (DejaVu Sans) have no glyph for it; ...'
 */
export function printableProblem(text: string, shape: TextShape = 'line'): string | undefined {
  if (typeof text !== 'string') return `must be text (a string), got ${text === null ? 'null' : typeof text}`
  if (shape !== 'line' && shape !== 'multiline' && shape !== 'identifier') shape = 'line'
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0x20 && c < 0x7f) continue
    let cp = c
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = c <= 0xdbff ? text.charCodeAt(i + 1) : NaN
      if (!(d >= 0xdc00 && d <= 0xdfff)) return `must not contain a lone surrogate ${named(c)} (half of a character, cut off): XML 1.0 refuses it`
      cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000
      i++
    }
    if (shape === 'multiline' && (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) === 0x0a))) continue
    if (cp === 0x0a || cp === 0x0d) return shape === 'line' ? `must be on one line (a line break ${named(cp)} was found)` : `must break lines with LF or CR LF, not a lone CR ${named(cp)}`
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return `must not contain the control character ${named(cp)} (pasted from another program?)`
    if (isNoncharacter(cp)) return `must not contain ${named(cp)}, which is not a character: XML 1.0 refuses it`
    if (shape === 'identifier') continue
    if (isBidiControl(cp) || isRightToLeft(cp)) return `cannot print ${named(cp)}: right-to-left scripts (Hebrew, Arabic...) and bidirectional controls are not supported yet`
    if (!canDraw(cp)) return `cannot print ${named(cp)}: the embedded fonts (DejaVu Sans) have no glyph for it; documents print Latin, Greek and Cyrillic text`
  }
  return undefined
}

/**
 * Throws `INVALID_INPUT` naming `field` when `text` cannot be printed ({@link printableProblem});
 * returns `text` otherwise.
 *
 * @throws EcoleError `INVALID_INPUT` with the field path and the first character that cannot be printed.
 * @example
 * checkPrintable('Léa Dupont', 'invoice.names.k1') //=> 'Léa Dupont'
 * checkPrintable('王小明', 'invoice.names.k1') // throws '[ecole] invoice.names.k1: cannot print U+738B 王: ...'
 */
export function checkPrintable(text: string, field: string, shape: TextShape = 'line'): string {
  const problem = printableProblem(text, shape)
  if (problem !== undefined) throw EcoleError.invalidInput(field, problem)
  return text
}

/**
 * Adds the rules of {@link printableProblem} to a string schema: a value that cannot be printed
 * is refused with the path of its field (`invoice.payer.address.0: cannot print U+738B 王...`).
 *
 * @example
 * const NameSchema = printable(z.string().trim().min(1))
 * const CommentSchema = printable(z.string(), 'multiline')
 */
export function printable<S extends z.ZodType<string | null | undefined>>(schema: S, shape: TextShape = 'line'): S {
  return schema.superRefine((value, ctx) => {
    if (typeof value !== 'string') return
    const problem = printableProblem(value, shape)
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem })
  }) as unknown as S
}

/** A character XML 1.0 refuses (outside `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]), lone surrogates included. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

/**
 * The first character of `text` that XML 1.0 refuses (a C0 control other than tab, LF and CR, a
 * lone surrogate, U+FFFE or U+FFFF), named `U+000B`, or `undefined` when the text can be written
 * in an XML document as is. The last line of defence of the Factur-X writer, behind the field
 * checks of {@link printableProblem}.
 *
 * @example
 * notXmlCharacter('Léa Dupont') //=> undefined
 * notXmlCharacter('Léa\u000bDupont') //=> 'U+000B'
 */
export function notXmlCharacter(text: string): string | undefined {
  const m = NOT_XML_CHAR.exec(text)
  return m === null ? undefined : named(m[0].codePointAt(0)!)
}
