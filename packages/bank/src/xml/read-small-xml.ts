import { EcoleError } from '@ecole/core'
import { XMLValidator } from 'fast-xml-parser'
import { scanXml, type XmlElement } from './xml-scanner'

/**
 * Reads a small XML document (a pain.002 report): fast-xml-parser checks that it is well formed
 * (its validator names the line and column of the first problem), then the package's scanner reads
 * it into {@link XmlElement}s by local name, keeping each element's position so that a missing or
 * invalid field is reported with its line. DTDs are refused (no entity tricks).
 *
 * @throws EcoleError `MALFORMED_XML` naming the line and column of the first problem.
 */
export function readSmallXml(xml: string, subject: string): XmlElement {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new EcoleError('MALFORMED_XML', `${subject}: DTDs and entity declarations are not accepted in bank files`, { details: { problem: 'DTD' } })
  }
  let valid: ReturnType<typeof XMLValidator.validate>
  try {
    valid = XMLValidator.validate(xml)
  } catch (e) {
    throw new EcoleError('MALFORMED_XML', `${subject}: could not read the document: ${String(e)}`, { cause: e })
  }
  if (valid !== true) {
    const { line, col, msg } = valid.err
    throw new EcoleError('MALFORMED_XML', `${subject}: malformed XML at line ${line}, column ${col}: ${msg}`, {
      details: { line, column: col, problem: msg },
    })
  }
  return scanXml(xml, { subject })
}
