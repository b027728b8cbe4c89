/**
 * Escapes text for an XML attribute value (the PES carries every value in a `V` attribute), and
 * removes the characters XML 1.0 cannot carry (control characters other than tab, LF, CR).
 *
 * @example
 * xmlAttr('Dupont & fils "SARL"') //=> 'Dupont &amp; fils &quot;SARL&quot;'
 */
export function xmlAttr(text: string): string {
  if (!NEEDS_WORK.test(text)) return text
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"\t\n\r]/g, (c) => ESCAPES[c]!)
}

// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[\u0000-\u001f&<>"\ufffe\uffff]/
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' }
