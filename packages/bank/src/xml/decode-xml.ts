import { EcoleError } from '@ecole/core'
import { decodeWindows1252 } from './windows-1252'

/** Declared encodings (lower case) and how to decode them. */
const ENCODINGS: Record<string, string> = {
  'utf-8': 'utf8', utf8: 'utf8',
  'iso-8859-1': 'latin1', 'iso8859-1': 'latin1', 'latin1': 'latin1', 'latin-1': 'latin1', 'us-ascii': 'latin1', ascii: 'latin1',
  'iso-8859-15': 'iso-8859-15', 'latin-9': 'iso-8859-15', 'windows-1252': 'win1252', cp1252: 'win1252',
  'utf-16': 'utf16', 'utf-16le': 'utf-16le', 'utf-16be': 'utf-16be',
}

function refuse(subject: string, what: string): EcoleError {
  return new EcoleError('MALFORMED_XML', `${subject}: malformed XML at line 1, column 1: ${what}`, { details: { line: 1, column: 1, problem: what } })
}

/** The `encoding` pseudo-attribute of an XML declaration at the start of `head`, lower-cased. */
function declaredEncoding(head: string): string | undefined {
  const m = /^<\?xml\s[^?]*?encoding\s*=\s*(?:"([A-Za-z][\w.\-]*)"|'([A-Za-z][\w.\-]*)')/.exec(head)
  return (m?.[1] ?? m?.[2])?.toLowerCase()
}

/**
 * The text of an XML document given as a string or as bytes. Bytes are decoded as XML says:
 * a byte-order mark first (UTF-8, UTF-16 LE or BE), else the encoding declared in the prolog
 * (`<?xml version="1.0" encoding="ISO-8859-1"?>`: UTF-8, ISO-8859-1/15, Windows-1252, UTF-16),
 * else UTF-8. Bytes that are not valid in that encoding, an encoding the library does not know and
 * UTF-16 declared without a byte-order mark are refused. A string is taken as already decoded.
 *
 * @example
 * decodeXml(new Uint8Array([0x3c, 0x61, 0x2f, 0x3e]), 'camt.053') //=> '<a/>'
 * @throws EcoleError `MALFORMED_XML` (undecodable bytes, unknown encoding) or `INVALID_INPUT`
 * (neither a string nor bytes).
 */
export function decodeXml(input: string | Uint8Array, subject: string): string {
  if (typeof subject !== 'string') throw new EcoleError('INVALID_INPUT', `decodeXml: subject must be a string naming the document (e.g. 'camt.053'), got ${subject === null ? 'null' : typeof subject}`, { details: { field: 'subject' } })
  if (typeof input === 'string') return input
  if (!(input instanceof Uint8Array)) {
    const got = input === null ? 'null' : typeof input
    throw new EcoleError('INVALID_INPUT', `${subject}: the document must be a string or bytes (Uint8Array), got ${got}`, { details: { field: 'document' } })
  }
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  if (buf[0] === 0xfe && buf[1] === 0xff) return strict(buf.subarray(2), 'utf-16be', subject)
  if (buf[0] === 0xff && buf[1] === 0xfe) return strict(buf.subarray(2), 'utf-16le', subject)
  const body = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf
  if (body[0] === 0x00 || body[1] === 0x00) throw refuse(subject, 'UTF-16 without a byte-order mark is not accepted')
  const declared = declaredEncoding(body.subarray(0, 200).toString('latin1'))
  const enc = declared === undefined ? 'utf8' : ENCODINGS[declared]
  if (enc === undefined) throw refuse(subject, `unknown encoding ${JSON.stringify(declared)} declared in the XML prolog`)
  if (enc === 'utf16' || enc === 'utf-16le' || enc === 'utf-16be') throw refuse(subject, `${declared} is declared but the document has no UTF-16 byte-order mark`)
  if (body !== buf && enc !== 'utf8') throw refuse(subject, `a UTF-8 byte-order mark but ${declared} declared`)
  return strict(body, enc, subject)
}

function strict(bytes: Buffer, enc: string, subject: string): string {
  if (enc === 'latin1') return bytes.toString('latin1')
  if (enc === 'utf8' || enc === 'utf-16le' || enc === 'utf-16be') {
    try {
      return new TextDecoder(enc === 'utf8' ? 'utf-8' : enc, { fatal: true }).decode(bytes)
    } catch {
      throw refuse(subject, `the bytes are not valid ${enc === 'utf8' ? 'UTF-8' : enc.toUpperCase()}`)
    }
  }
  // every byte is a character in both (iconv-lite, 490 KB in a bundle, stays with CODA's CP850)
  return enc === 'win1252' ? decodeWindows1252(bytes) : new TextDecoder('iso-8859-15').decode(bytes)
}
