/**
 * Remainder modulo 97 of a string of decimal digits of any length (ISO 7064 MOD 97-10 arithmetic),
 * computed in chunks of nine digits so that no intermediate value leaves the safe integer range.
 *
 * Internal helper of the references module (not exported from the package).
 */
export function mod97(digits: string): number {
  return modulo(digits, 97)
}

/**
 * Remainder of a string of decimal digits of any length modulo a small `divisor` (at most 10^6),
 * in chunks of nine digits. Internal helper (pagoPA uses 93).
 */
export function modulo(digits: string, divisor: number): number {
  let remainder = 0
  for (let i = 0; i < digits.length; i += 9) {
    const chunk = digits.slice(i, i + 9)
    remainder = (remainder * 10 ** chunk.length + Number(chunk)) % divisor
  }
  return remainder
}

/**
 * Replaces every letter of an upper-case alphanumeric string by its ISO 7064 value (A=10 .. Z=35),
 * keeping digits as they are: 'RF00' -> '271500'.
 *
 * Internal helper of the references module (not exported from the package).
 */
export function lettersToDigits(text: string): string {
  let out = ''
  for (const ch of text) {
    const code = ch.charCodeAt(0)
    out += code >= 65 && code <= 90 ? String(code - 55) : ch
  }
  return out
}

/** The two ISO 7064 MOD 97-10 check digits (02..98) for `payload` (already rearranged, ending with '00' as digits). */
export function mod97Check(digitsEndingWith00: string): string {
  return String(98 - mod97(digitsEndingWith00)).padStart(2, '0')
}
