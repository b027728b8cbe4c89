/**
 * Shape checks of French school identifiers used by the directory schemas until the full
 * validators of `references/` (`uai.isValid`, `ine.isValid`) are available.
 *
 * @module
 */

const UAI_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ'

/** @internal UAI: 7 digits + check letter `UAI_LETTERS[int(digits) % 23]` (DOMAIN.md 9b). */
export function isUaiShape(value: string): boolean {
  const v = value.trim().toUpperCase()
  if (!/^\d{7}[A-Z]$/.test(v)) return false
  return UAI_LETTERS[Number(v.slice(0, 7)) % 23] === v[7]
}

const INE_FORMATS = [/^\d{9}[A-HJK]{2}$/, /^\d{10}[A-HJ-NPR-Z]$/, /^[0-9A-Z]{10}\d$/, /^\d{4}A\d{5}[A-HJ-NPR-Z]$/]

/** @internal INE: one of the published formats (DOMAIN.md 9b). */
export function isIneShape(value: string): boolean {
  const v = value.trim().toUpperCase()
  return INE_FORMATS.some((re) => re.test(v))
}
