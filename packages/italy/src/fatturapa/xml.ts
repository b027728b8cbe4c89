import { EcoleError } from '@ecole/core'
import { XMLParser, XMLValidator } from 'fast-xml-parser'

/** Elements that may repeat in a FatturaPA file or an SDI receipt (read as arrays even when single). */
const REPEATED = new Set([
  'FatturaElettronicaBody', 'DettaglioLinee', 'DatiRiepilogo', 'DatiPagamento', 'DettaglioPagamento', 'Allegati', 'Causale',
  'DatiOrdineAcquisto', 'DatiContratto', 'DatiConvenzione', 'DatiRicezione', 'DatiFattureCollegate', 'DatiDDT', 'RiferimentoNumeroLinea',
  'ScontoMaggiorazione', 'AltriDatiGestionali', 'CodiceArticolo', 'DatiRitenuta', 'DatiCassaPrevidenziale', 'DatiSAL', 'Errore',
])

const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false,
  trimValues: true, processEntities: true, ignoreDeclaration: true, ignorePiTags: true,
  isArray: (name) => REPEATED.has(name),
  // the callbacks are given the path matcher, not a path string built for every element (a fifth of the parse)
  jPath: false,
})

/**
 * What the parser leaves alone: comments, CDATA sections (their text is literal), processing
 * instructions, the document type; and the character references (`&#200;`, `&#xC0;`) it does not
 * decode (fast-xml-parser decodes them only with its HTML entities, which XML does not define).
 */
const REFERENCE = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE(?:[^[>]|\[[^\]]*\])*>|&#(?:x([0-9A-Fa-f]+)|([0-9]+));|&#[^;<&]{0,12};?/g
/** The markup significant characters, written back as the entities the parser decodes after. */
const MARKUP_CHARACTER: Record<string, string> = { '<': '&lt;', '&': '&amp;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }
/** An opening or closing tag, to say where a reference is. */
const TAG = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE(?:[^[>]|\[[^\]]*\])*>|<\/([^\s>]+)\s*>|<([^\s/>!?]+)(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(\/?)>/g

/** A character XML 1.0 allows in a document (its `Char` production). */
function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
}

/** The path of the element (prefixes removed) that holds `offset`, `document` outside the root. */
function elementPathAt(xml: string, offset: number): string {
  const stack: string[] = []
  for (const m of xml.matchAll(TAG)) {
    if (m.index >= offset) break
    if (m[1] !== undefined) stack.pop()
    else if (m[2] !== undefined && m[3] !== '/') stack.push(m[2].slice(m[2].indexOf(':') + 1))
  }
  return stack.length ? stack.join('/') : 'document'
}

/**
 * Decodes the character references of a document (`&#200;` and `&#xC8;` are both È) everywhere
 * but in comments, CDATA sections, processing instructions and the document type. A reference to
 * `<`, `&`, `>`, `"` or `'` becomes the predefined entity, which the parser then decodes, so a
 * decoded character is never taken for markup. @internal
 *
 * @example
 * decodeCharacterReferences('<a>CAFF&#200; &#xC0;</a>', 'FatturaPA') //=> '<a>CAFFÈ À</a>'
 * @throws EcoleError `FATTURAPA_MALFORMED` naming the element that holds a reference to a character XML
 * does not allow (`&#0;`, a surrogate, beyond U+10FFFF) or a reference that is not written `&#digits;` or `&#xhex;`.
 */
export function decodeCharacterReferences(xml: string, subject: string): string {
  if (!xml.includes('&#')) return xml
  return xml.replace(REFERENCE, (token: string, hex: string | undefined, dec: string | undefined, offset: number) => {
    if (token.charCodeAt(0) === 0x3c) return token
    const digits = (hex ?? dec)?.replace(/^0+(?=.)/, '')
    const cp = digits === undefined || digits.length > 7 ? Number.NaN : Number.parseInt(digits, hex !== undefined ? 16 : 10)
    if (!isXmlChar(cp)) {
      const field = elementPathAt(xml, offset)
      const before = xml.slice(0, offset)
      const line = before.split('\n').length
      const column = offset - before.lastIndexOf('\n')
      const problem = digits === undefined ? 'is not a character reference (&#digits; or &#xhex;)' : 'refers to a character XML does not allow'
      throw new EcoleError('FATTURAPA_MALFORMED', `${subject}: ${field}: ${token} at line ${line}, column ${column} ${problem}`, { details: { field, value: token, line, column } })
    }
    const char = String.fromCodePoint(cp)
    return MARKUP_CHARACTER[char] ?? char
  })
}

/** An XML element as read: text, attributes (`@name`) and child elements. @internal */
export type XmlNode = { [name: string]: unknown }

/**
 * Parses well-formed XML into plain objects, namespace prefixes removed, character references
 * (`&#200;`, `&#xC8;`) decoded as XML decodes them. @internal
 *
 * @example
 * readXml('<a><b>1</b></a>', 'FatturaPA') //=> { a: { b: '1' } }
 * @throws EcoleError `FATTURAPA_MALFORMED` when the text is not well-formed XML, or refers to a character XML does not allow.
 */
export function readXml(xml: string, subject: string): XmlNode {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    const { line, col, msg } = valid.err
    throw new EcoleError('FATTURAPA_MALFORMED', `${subject}: not well-formed XML at line ${line}, column ${col}: ${msg}`, { details: { field: 'document', line, column: col, problem: msg } })
  }
  const decoded = decodeCharacterReferences(xml, subject)
  try {
    return parser.parse(decoded) as XmlNode
  } catch (e) {
    throw new EcoleError('FATTURAPA_MALFORMED', `${subject}: not readable XML (${e instanceof Error ? e.message : String(e)})`, { details: { field: 'document' }, cause: e })
  }
}

/** A reader of one element with the path of its fields for the error messages. @internal */
export class Node {
  constructor(readonly node: XmlNode, readonly path: string) {}

  private missing(name: string): EcoleError {
    return new EcoleError('FATTURAPA_MALFORMED', `${this.path}/${name}: is required`, { details: { field: `${this.path}/${name}` } })
  }

  /** The child element, or undefined. */
  child(name: string): Node | undefined {
    const v = this.node[name]
    if (v === undefined || v === '') return undefined
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new EcoleError('FATTURAPA_MALFORMED', `${this.path}/${name}: must be an element with children`, { details: { field: `${this.path}/${name}` } })
    }
    return new Node(v as XmlNode, `${this.path}/${name}`)
  }

  /** The required child element. */
  need(name: string): Node {
    const c = this.child(name)
    if (!c) throw this.missing(name)
    return c
  }

  /** Every child element of a repeated name. */
  all(name: string): Node[] {
    const v = this.node[name]
    if (v === undefined) return []
    const list = Array.isArray(v) ? v : [v]
    return list.map((x, i) => {
      if (typeof x !== 'object' || x === null) {
        throw new EcoleError('FATTURAPA_MALFORMED', `${this.path}/${name}[${i + 1}]: must be an element with children`, { details: { field: `${this.path}/${name}` } })
      }
      return new Node(x as XmlNode, `${this.path}/${name}[${i + 1}]`)
    })
  }

  /** The text of a child element, or null. */
  text(name: string): string | null {
    const v = this.node[name]
    if (v === undefined) return null
    if (typeof v === 'string') return v
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as XmlNode)['#text'] === 'string') return (v as XmlNode)['#text'] as string
    throw new EcoleError('FATTURAPA_MALFORMED', `${this.path}/${name}: must be text`, { details: { field: `${this.path}/${name}` } })
  }

  /** The texts of a repeated child element. */
  texts(name: string): string[] {
    const v = this.node[name]
    if (v === undefined) return []
    return (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x : ''))
  }

  /** The required text of a child element. */
  needText(name: string): string {
    const t = this.text(name)
    if (t === null || t === '') throw this.missing(name)
    return t
  }

  /** An attribute. */
  attr(name: string): string | undefined {
    const v = this.node[`@${name}`]
    return typeof v === 'string' ? v : undefined
  }

  /** The field path of a child, for messages. */
  field(name: string): string {
    return `${this.path}/${name}`
  }
}
