import { EcoleError } from '@ecole/core'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { XmlElement } from './xml-scanner'

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: '#comment',
})

type FxpNode = Record<string, unknown>

/** Converts fast-xml-parser's ordered output into {@link XmlElement}s (offsets are not known: -1). */
function convert(node: FxpNode): XmlElement | string | undefined {
  let name: string | undefined
  for (const key of Object.keys(node)) if (key !== ':@') name = key
  if (name === undefined || name === '#comment') return undefined
  if (name === '#text') return String(node['#text'] ?? '')
  const el: XmlElement = { name, attrs: undefined, children: [], text: '', offset: -1 }
  const attrs = node[':@'] as Record<string, string> | undefined
  if (attrs !== undefined) {
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'xmlns' || k.startsWith('xmlns:')) continue
      el.attrs ??= {}
      el.attrs[k.slice(k.indexOf(':') + 1)] = String(v)
    }
  }
  for (const child of (node[name] as FxpNode[] | undefined) ?? []) {
    const c = convert(child)
    if (c === undefined) continue
    if (typeof c === 'string') el.text += c
    else el.children.push(c)
  }
  return el
}

/**
 * Reads a small XML document (a pain.002 report) with fast-xml-parser into {@link XmlElement}s by
 * local name, after fast-xml-parser's well-formedness check. DTDs are refused (no entity tricks).
 *
 * @throws EcoleError `MALFORMED_XML` naming the line and column of the first problem.
 */
export function readSmallXml(xml: string, subject: string): XmlElement {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new EcoleError('MALFORMED_XML', `${subject}: DTDs and entity declarations are not accepted in bank files`, { details: { problem: 'DTD' } })
  }
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    const { line, col, msg } = valid.err
    throw new EcoleError('MALFORMED_XML', `${subject}: malformed XML at line ${line}, column ${col}: ${msg}`, {
      details: { line, column: col, problem: msg },
    })
  }
  let roots: XmlElement[]
  try {
    roots = (parser.parse(xml) as FxpNode[]).map(convert).filter((x): x is XmlElement => typeof x === 'object')
  } catch (e) {
    throw new EcoleError('MALFORMED_XML', `${subject}: could not read the document: ${String(e)}`, { cause: e })
  }
  const root = roots[0]
  if (root === undefined || roots.length > 1) {
    throw new EcoleError('MALFORMED_XML', `${subject}: the document must have exactly one root element`, { details: { problem: 'root' } })
  }
  return root
}
