/**
 * The control characters a FEC never carries: C0 (but the tab, LF and CR, which are separators and
 * handled as such), DEL and C1 (but U+0085, a line break). Each is written as a space.
 *
 * @example
 * 'DUPONT\u000bMarie'.replace(FEC_CONTROL_CHARACTERS, ' ') //=> 'DUPONT Marie'
 */
// eslint-disable-next-line no-control-regex
export const FEC_CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g

// eslint-disable-next-line no-control-regex
const BLANK = /^[\s\u0000-\u001f\u007f-\u009f]*$/

/**
 * Whether a text would be written empty in a FEC: nothing but spaces, line breaks and control
 * characters (each of which the file writes as a space). A mandatory field (PieceRef, EcritureLib,
 * CompAuxNum and CompAuxLib together) must not be.
 *
 * @example
 * isBlankFecText(' \u0000 ') //=> true
 * isBlankFecText('F1') //=> false
 */
export function isBlankFecText(text: unknown): boolean {
  return typeof text !== 'string' || BLANK.test(text)
}
