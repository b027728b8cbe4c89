// Internal helpers of the references module (not exported from the package): ISO 7064 MOD 97-10
// arithmetic over digit strings and alphanumeric strings, one character at a time so that no
// intermediate value leaves the small-integer range (and no string is built).

/**
 * Remainder of a string of decimal digits of any length divided by a small `divisor`
 * (at most 10^6). pagoPA uses 93, the others 97.
 */
export function modulo(digits: string, divisor: number): number {
  let r = 0
  for (let i = 0; i < digits.length; i++) r = (r * 10 + (digits.charCodeAt(i) - 48)) % divisor
  return r
}

/** Remainder modulo 97 of a string of decimal digits of any length. */
export function mod97(digits: string): number {
  return modulo(digits, 97)
}

/**
 * Remainder modulo 97 of an upper-case alphanumeric string read with ISO 7064 letter values
 * (A=10 .. Z=35, each letter standing for its two digits): `mod97Alnum('RF00')` is `271500 mod 97`.
 */
export function mod97Alnum(text: string): number {
  let r = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    r = c >= 65 ? (r * 100 + (c - 55)) % 97 : (r * 10 + (c - 48)) % 97
  }
  return r
}

/** The two ISO 7064 MOD 97-10 check digits (02..98) of `payload`, an upper-case alphanumeric string to which '00' is appended. */
export function mod97CheckAlnum(payload: string): string {
  return String(98 - ((mod97Alnum(payload) * 100) % 97)).padStart(2, '0')
}
