// An encoder of personal fiscal codes for the tests, written apart from the module under test: the
// check letter by the inverse tables many published checkers use, and whether a date exists by
// asking the JavaScript Date (proleptic Gregorian) calendar, not by a table of month lengths.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
/** Letters ordered by their value in an odd position (1st, 3rd... 15th): B is worth 0, A 1, K 2... */
const BY_ODD_VALUE = 'BAKPLCQDREVOSFTGUHMINJWZYX'
/** The omocodia letters, for 0 to 9. */
export const OMOCODIA_LETTERS = 'LMNPQRSTUV'
/** The month letters, January to December. */
export const MONTH_LETTERS = 'ABCDEHLMPRST'
/** The 0-based numeric positions of a personal code: year (2), day (2), place (3). */
export const NUMERIC_POSITIONS = [6, 7, 9, 10, 12, 13, 14]

/**
 * The check letter of the first 15 characters: digits read as A-J, each character in an odd
 * position worth its place in BAKPLCQDREVOSFTGUHMINJWZYX, each in an even position its place in
 * the alphabet; the letter of the sum modulo 26.
 */
export function referenceCheckLetter(first15: string): string {
  let sum = 0
  for (let i = 0; i < 15; i++) {
    const c = /\d/.test(first15[i]!) ? ALPHABET[Number(first15[i])]! : first15[i]!
    sum += i % 2 === 0 ? BY_ODD_VALUE.indexOf(c) : ALPHABET.indexOf(c)
  }
  return ALPHABET[sum % 26]!
}

/** The parts of a person's code, as a registry office would hold them. */
export interface PersonParts {
  /** Surname and name letters (6). */
  names: string
  /** The last two digits of the year of birth, 0-99. */
  yy: number
  /** The month of birth, 1-12. */
  month: number
  /** The two digits of the day field as written before omocodia: the day, plus 40 for a woman. */
  dayField: number
  /** The place of birth: a letter and 3 digits. */
  place: string
  /** Which numeric positions (year, day, place; 7 flags) are written as omocodia letters. */
  omocodia?: readonly boolean[]
}

/** A 16-character code for those parts, check letter computed on the characters as written. */
export function encodePersonalFiscalCode(p: PersonParts): string {
  const plain = `${p.names}${String(p.yy).padStart(2, '0')}${MONTH_LETTERS[p.month - 1]}${String(p.dayField).padStart(2, '0')}${p.place}`
  const chars = [...plain]
  NUMERIC_POSITIONS.forEach((at, i) => {
    if (p.omocodia?.[i]) chars[at] = OMOCODIA_LETTERS[Number(chars[at])]!
  })
  const first15 = chars.join('')
  return first15 + referenceCheckLetter(first15)
}

/** Whether day `day` of month `month` (1-12) exists in the Gregorian year `year`, as Date sees it. */
export function dateExists(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day))
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day
}

/**
 * Whether a day field (the day, plus 40 for a woman) names a real date in some century for a year
 * ending in `yy`: the four centuries 1600-1999 span the Gregorian calendar's 400-year cycle.
 */
export function someCenturyHasDate(yy: number, month: number, dayField: number): boolean {
  const day = dayField > 40 ? dayField - 40 : dayField
  if (dayField === 0 || (dayField > 31 && dayField < 41) || dayField > 71) return false
  return [1600, 1700, 1800, 1900].some((century) => dateExists(century + yy, month, day))
}
