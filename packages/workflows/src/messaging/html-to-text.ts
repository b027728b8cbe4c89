import { EcoleError } from '@ecole/core'
import { HTML_ENTITIES } from './html-entities'

const ENTITIES = new Map(Object.entries(HTML_ENTITIES))

/** What HTML 5 reads for the numeric references 128–159 (the Windows-1252 characters). */
const WINDOWS_1252: Readonly<Record<number, number>> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021, 0x88: 0x02c6, 0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039,
  0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc, 0x99: 0x2122,
  0x9a: 0x0161, 0x9b: 0x203a, 0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
}

/** The character of a numeric reference; U+FFFD for one that names no character a text may hold. */
function codePointText(code: number): string {
  if (code >= 0x80 && code <= 0x9f && WINDOWS_1252[code] !== undefined) return String.fromCodePoint(WINDOWS_1252[code]!)
  const invalid =
    !Number.isFinite(code) || code === 0 || code > 0x10ffff ||
    (code >= 0xd800 && code <= 0xdfff) || // surrogates
    (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) || (code >= 0x7f && code <= 0x9f) || // controls
    (code >= 0xfdd0 && code <= 0xfdef) || (code & 0xfffe) === 0xfffe // noncharacters
  return invalid ? '\ufffd' : String.fromCodePoint(code)
}

const REFERENCE = /&(?:#([0-9]+);?|#[xX]([0-9a-fA-F]+);?|([A-Za-z][A-Za-z0-9]*);)/g

/**
 * Decodes the character references of a text or an attribute value (unknown names stay as written).
 * Internal to the messaging module (the sanitizer reads tags with it too).
 *
 * @example
 * decodeReferences('Cong&eacute;s &amp; &#8364;') //=> 'Congés & €'
 */
export function decodeReferences(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(REFERENCE, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return ENTITIES.get(name) ?? whole
    // a long run of digits is beyond U+10FFFF whatever it says
    const digits = (dec ?? hex!).replace(/^0+/, '')
    if (digits.length > 8) return '\ufffd'
    return codePointText(digits === '' ? 0 : parseInt(digits, dec !== undefined ? 10 : 16))
  })
}

/** HTML's white space: tab, line feed, form feed, carriage return, space. */
const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f'
/** Whether `c` is an ASCII letter (a tag name starts with one). @example isAlpha('p') //=> true */
export const isAlpha = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))

/** A start or end tag read by {@link readTag}. @example const tag: Tag = { name: 'a', attributes: new Map([['href', 'https://x.example']]), end: 24 } */
export interface Tag {
  name: string
  attributes: Map<string, string>
  /** Index just after the tag's `>`. */
  end: number
}

/**
 * Reads a tag whose name starts at `from` (just after `<` or `</`): its lower-case name and its
 * attributes, values double-quoted, single-quoted or unquoted (a quoted `>` does not end it).
 * `undefined` when the input ends inside the tag (HTML drops such a tag).
 *
 * @example
 * readTag('<a HREF="x">', 1) //=> { name: 'a', attributes: Map { 'href' => 'x' }, end: 12 }
 */
export function readTag(html: string, from: number): Tag | undefined {
  const n = html.length
  let i = from
  while (i < n && !isSpace(html[i]) && html[i] !== '/' && html[i] !== '>') i++
  const name = html.slice(from, i).toLowerCase()
  const attributes = new Map<string, string>()
  for (;;) {
    while (i < n && (isSpace(html[i]) || html[i] === '/')) i++
    if (i >= n) return undefined
    if (html[i] === '>') return { name, attributes, end: i + 1 }
    const start = i
    i++ // a first `=` belongs to the name
    while (i < n && !isSpace(html[i]) && html[i] !== '/' && html[i] !== '>' && html[i] !== '=') i++
    const attribute = html.slice(start, i).toLowerCase()
    while (i < n && isSpace(html[i])) i++
    let value = ''
    if (html[i] === '=') {
      i++
      while (i < n && isSpace(html[i])) i++
      const quote = html[i]
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1)
        if (close < 0) return undefined
        value = html.slice(i + 1, close)
        i = close + 1
      } else {
        const start = i
        while (i < n && !isSpace(html[i]) && html[i] !== '>') i++
        value = html.slice(start, i)
      }
    }
    if (!attributes.has(attribute)) attributes.set(attribute, decodeReferences(value))
  }
}

/** Elements whose content a reader never sees: skipped up to their end tag. */
const HIDDEN = new Set(['script', 'style', 'title', 'template', 'iframe', 'noembed', 'noframes'])
/** Elements that stand on their own lines, a blank line before and after. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4',
  'h5', 'h6', 'header', 'hgroup', 'hr', 'main', 'nav', 'p', 'pre', 'section', 'summary', 'table', 'div',
])
/** Elements that start a line of their own. */
const LINES = new Set(['dt', 'dd', 'caption', 'legend', 'tr'])

/** Builds the text: collapsed white space, line breaks asked for by elements, and links. */
class TextWriter {
  /** The text so far, in pieces (appending to one long string would make every look at its end cost its length). */
  private readonly out: string[] = []
  /** Line breaks owed before the next text (1: a new line, 2: a blank line). */
  private pending = 0
  private inHead = false
  private pre = 0
  private readonly lists: Array<{ ordered: boolean; count: number }> = []
  private readonly cells: number[] = []
  private link: { href: string; start: number } | undefined

  text(raw: string): void {
    if (this.inHead) return
    let s = decodeReferences(raw)
    s = this.pre > 0 ? s.replace(/\r\n?/g, '\n') : s.replace(/[\t\n\f\r ]+/g, ' ')
    if (this.pre === 0 && s.startsWith(' ')) {
      const last = this.last()
      if (this.pending > 0 || last === '' || last === ' ' || last === '\n') s = s.slice(1)
    }
    if (s === '') return
    this.flush()
    this.out.push(s)
  }

  /** The last character written ('' when nothing is). */
  private last(): string {
    for (let i = this.out.length - 1; i >= 0; i--) if (this.out[i] !== '') return this.out[i]!.slice(-1)
    return ''
  }

  /** Writes what the markup itself adds (a list marker, a cell separator); `atLineStart` when a line starts there. */
  private mark(s: string, atLineStart: string = s): void {
    this.flush()
    this.trimSpaces()
    const last = this.last()
    this.out.push(last === '' || last === '\n' ? atLineStart : s)
  }

  /** Removes the spaces at the end of the text (a line never ends with one). */
  private trimSpaces(): void {
    while (this.out.length > 0) {
      const piece = this.out[this.out.length - 1]!
      const trimmed = piece.replace(/[ \t]+$/, '')
      if (trimmed !== '') {
        this.out[this.out.length - 1] = trimmed
        return
      }
      this.out.pop()
    }
  }

  /** How many line breaks (at most `max`) end the text. */
  private trailingBreaks(max: number): number {
    let have = 0
    for (let i = this.out.length - 1; i >= 0 && have < max; i--) {
      const piece = this.out[i]!
      for (let j = piece.length - 1; j >= 0 && have < max; j--) {
        if (piece[j] !== '\n') return have
        have++
      }
    }
    return have
  }

  private flush(): void {
    if (this.pending > 0 && this.out.length > 0) {
      this.trimSpaces()
      const have = this.trailingBreaks(this.pending)
      if (this.out.length > 0 && this.pending > have) this.out.push('\n'.repeat(this.pending - have))
    }
    this.pending = 0
  }

  private lineBreak(): void {
    this.flush()
    this.trimSpaces()
    this.out.push('\n')
  }

  private need(breaks: number): void {
    this.pending = Math.max(this.pending, breaks)
  }

  start(tag: Tag): void {
    const name = tag.name
    if (name === 'head') this.inHead = true
    else if (name === 'body') this.inHead = false
    if (this.inHead) return
    if (name === 'br') this.lineBreak()
    else if (name === 'a') this.openLink(tag)
    else if (name === 'ul' || name === 'ol' || name === 'menu') {
      this.need(this.lists.length > 0 ? 1 : 2)
      this.lists.push({ ordered: name === 'ol', count: 0 })
    } else if (name === 'li') {
      this.need(1)
      const list = this.lists.at(-1)
      const indent = '  '.repeat(Math.max(0, this.lists.length - 1))
      this.mark(list?.ordered ? `${indent}${++list.count}. ` : `${indent}- `)
    } else if (name === 'td' || name === 'th') {
      const cells = this.cells.length - 1
      if (cells >= 0) {
        if (this.cells[cells]! > 0) this.mark(' | ', '| ')
        this.cells[cells]!++
      }
    } else if (name === 'table') {
      this.need(2)
      this.cells.push(0)
    } else if (name === 'tr') {
      this.need(1)
      if (this.cells.length > 0) this.cells[this.cells.length - 1] = 0
    } else if (BLOCKS.has(name)) {
      this.need(2)
      if (name === 'pre') this.pre++
    } else if (LINES.has(name)) this.need(1)
  }

  end(name: string): void {
    if (name === 'head') this.inHead = false
    if (this.inHead) return
    if (name === 'br') this.lineBreak()
    else if (name === 'a') this.closeLink()
    else if (name === 'ul' || name === 'ol' || name === 'menu') {
      this.lists.pop()
      this.need(this.lists.length > 0 ? 1 : 2)
    } else if (name === 'li') this.need(1)
    else if (name === 'table') {
      this.cells.pop()
      this.need(2)
    } else if (BLOCKS.has(name)) {
      this.need(2)
      if (name === 'pre' && this.pre > 0) this.pre--
    } else if (LINES.has(name)) this.need(1)
  }

  private openLink(tag: Tag): void {
    this.closeLink()
    const href = (tag.attributes.get('href') ?? '').replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '')
    // only the addresses a reader can follow from a text: never javascript: or a relative path
    if (!/^(?:https?:|mailto:)/i.test(href)) return
    // as a browser does, characters an address cannot hold are percent-encoded (so `<` and `>` never end it early)
    this.link = { href: href.replace(/[\u0000-\u0020<>"\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`), start: this.out.length }
  }

  private closeLink(): void {
    const link = this.link
    if (!link) return
    this.link = undefined
    const label = this.out.slice(link.start).join('').trim()
    if (label === '') this.text(link.href)
    else if (label !== link.href) {
      this.trimSpaces()
      this.out.push(` <${link.href}>`)
    }
  }

  finish(): string {
    this.closeLink()
    return this.out.join('').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim()
  }
}

/** Where a comment that starts at `from` (just after `<!--`) ends. @example commentEnd('<!-- x -->y', 4) //=> 10 */
export function commentEnd(html: string, from: number): number {
  if (html.startsWith('>', from)) return from + 1
  if (html.startsWith('->', from)) return from + 2
  const ends = [html.indexOf('-->', from), html.indexOf('--!>', from)].filter((i) => i >= 0)
  if (ends.length === 0) return html.length
  const at = Math.min(...ends)
  return at + (html.startsWith('-->', at) ? 3 : 4)
}

/** Where the content of a hidden element that starts at `from` ends, with its end tag. @example hiddenEnd('<script>x</script>y', 8, 'script') //=> 18 */
export function hiddenEnd(html: string, from: number, name: string): number {
  const close = new RegExp(`</${name}(?=[\\t\\n\\f\\r />])`, 'gi')
  close.lastIndex = from
  const found = close.exec(html)
  if (!found) return html.length
  return readTag(html, found.index + 2)?.end ?? html.length
}

/**
 * The plain-text part of an HTML body (the two alternatives of one message come from one
 * template), read as a browser shows it:
 *
 * - what a reader never sees is left out: the `<head>` (its title, styles), `<style>`,
 *   `<script>`, `<title>`, `<template>` and comments;
 * - character references are decoded: the named ones (all of HTML 4, Latin-1 and the
 *   typographic marks included, the Latin Extended-A letters, HTML 5's punctuation) with their semicolon, and numeric ones in decimal
 *   or hexadecimal (128–159 read as Windows-1252, as browsers do; a reference to no character,
 *   such as `&#0;`, a surrogate or one beyond U+10FFFF, becomes U+FFFD); an unknown name stays as written;
 * - white space collapses as in HTML (except inside `<pre>`); paragraphs, headings and other
 *   blocks are separated by a blank line, `<br>` breaks the line, list items are one per line
 *   (`- ` or `1. `), table rows one per line with their cells separated by ` | `;
 * - the address of each link (`http`, `https`, `mailto`; `href` quoted with `"` or `'`, or not
 *   quoted) is kept after its text, so a reader of the text part can still follow it; a link
 *   whose text is its address is written once.
 *
 * @example
 * htmlToText('<p>Bonjour &lt;Zoé&gt;,</p><p>À bientôt</p>') //=> 'Bonjour <Zoé>,\n\nÀ bientôt'
 * htmlToText("<p><a href='https://portail.example'>Consulter le portail</a></p>") //=> 'Consulter le portail <https://portail.example>'
 * htmlToText('<p>Cong&eacute;s d&rsquo;hiver : 20&nbsp;&euro;</p>') //=> 'Congés d’hiver : 20\u00a0€'
 * htmlToText('<table><tr><td>Total</td><td>12 €</td></tr></table>') //=> 'Total | 12 €'
 * @throws EcoleError `INVALID_INPUT` when `html` is not a string.
 */
export function htmlToText(html: string): string {
  if (typeof html !== 'string') throw EcoleError.invalidInput('html', 'must be a string of HTML')
  const w = new TextWriter()
  walkHtml(html, { text: (raw) => w.text(raw), literal: (raw) => w.text(raw), start: (tag) => w.start(tag), end: (name) => w.end(name), hides: (name) => HIDDEN.has(name) })
  return w.finish()
}

/**
 * What {@link walkHtml} tells as it reads: runs of text, a `<` or `</` that starts no tag
 * (`literal`), start and end tags, and which elements are skipped with what they hold (`hides`).
 */
export interface HtmlVisitor {
  /** A run of text between tags, character references undecoded. */
  text(raw: string): void
  /** A `<` or `</` that starts no tag, as written. */
  literal(raw: string): void
  /** A start tag (its attributes read), unless {@link HtmlVisitor.hides} names it. */
  start(tag: Tag): void
  /** An end tag, by name. */
  end(name: string): void
  /** Whether an element is skipped with all it holds (`script`, `style`...). */
  hides(name: string): boolean
}

/**
 * Reads HTML once, as a browser tokenizes it, and tells the visitor what it finds: comments,
 * doctypes and processing instructions are skipped; a tag cut by the end of the input ends the
 * reading; an element the visitor hides is skipped up to its end tag. The one reading
 * {@link htmlToText} and `sanitizeHtml` share.
 *
 * @example
 * const names: string[] = []
 * walkHtml('<p>a<script>x</script></p>', { text() {}, literal() {}, start: (t) => names.push(t.name), end() {}, hides: (n) => n === 'script' })
 * names //=> ['p']
 */
export function walkHtml(html: string, v: HtmlVisitor): void {
  const n = html.length
  let i = 0
  while (i < n) {
    const lt = html.indexOf('<', i)
    if (lt < 0) {
      v.text(html.slice(i))
      break
    }
    if (lt > i) v.text(html.slice(i, lt))
    i = lt
    const next = html[i + 1]
    if (html.startsWith('<!--', i)) {
      i = commentEnd(html, i + 4)
    } else if (next === '!' || next === '?') {
      // a doctype, a CDATA section or a processing instruction: nothing to read
      const gt = html.indexOf('>', i + 2)
      i = gt < 0 ? n : gt + 1
    } else if (next === '/') {
      const after = html[i + 2]
      if (isAlpha(after)) {
        const tag = readTag(html, i + 2)
        if (!tag) break // the input ends inside the tag
        v.end(tag.name)
        i = tag.end
      } else if (after === undefined) {
        v.literal('</')
        i = n
      } else {
        const gt = html.indexOf('>', i + 2)
        i = gt < 0 ? n : gt + 1
      }
    } else if (isAlpha(next)) {
      const tag = readTag(html, i + 1)
      if (!tag) break // the input ends inside the tag
      i = tag.end
      if (v.hides(tag.name)) i = hiddenEnd(html, i, tag.name)
      else v.start(tag)
    } else {
      // a `<` that starts no tag is text
      v.literal('<')
      i++
    }
  }
}
