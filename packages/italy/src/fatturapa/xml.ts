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

/** An XML element as read: text, attributes (`@name`) and child elements. @internal */
export type XmlNode = { [name: string]: unknown }

/**
 * Parses well-formed XML into plain objects, namespace prefixes removed. @internal
 *
 * @example
 * readXml('<a><b>1</b></a>', 'FatturaPA') //=> { a: { b: '1' } }
 * @throws EcoleError `FATTURAPA_MALFORMED` when the text is not well-formed XML.
 */
export function readXml(xml: string, subject: string): XmlNode {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    const { line, col, msg } = valid.err
    throw new EcoleError('FATTURAPA_MALFORMED', `${subject}: not well-formed XML at line ${line}, column ${col}: ${msg}`, { details: { field: 'document', line, column: col, problem: msg } })
  }
  try {
    return parser.parse(xml) as XmlNode
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
