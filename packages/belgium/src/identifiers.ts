import type { LocalDate } from '@ecole/core'

const digitsOnly = (input: string): string => input.replace(/[\s.\-/]/g, '')

/**
 * The Belgian national register number (numéro de registre national, rijksregisternummer, NISS/INSZ),
 * also in its "bis" form (month + 20 or + 40) given by the Crossroads Bank for Social Security.
 * Eleven digits: the birth date `YYMMDD`, a 3-digit serial, 2 check digits equal to
 * `97 - (first nine digits mod 97)`; for people born in 2000 or later, the nine digits are
 * prefixed with `2` before the modulo. Separators (spaces, dots, dashes) are tolerated.
 *
 * @example
 * nationalNumber.isValid('85.07.30-033.28') //=> true
 * nationalNumber.birthDate('85073003328') //=> '1985-07-30'
 */
export const nationalNumber = {
  /**
   * Whether `input` is a well-formed national register (or bis) number with correct check digits
   * and a birth date the register could write (month 00-12, + 20 or + 40 for bis; day 00-31, a day of
   * that month when both are known).
   *
   * @example
   * nationalNumber.isValid('85073003329') //=> false
   */
  isValid(input: string): boolean {
    return century(input) !== undefined
  },
  /**
   * The eleven digits, separators removed, or `undefined` when invalid.
   *
   * @example
   * nationalNumber.normalize('85.07.30-033.28') //=> '85073003328'
   */
  normalize(input: string): string | undefined {
    return century(input) === undefined ? undefined : digitsOnly(input)
  },
  /**
   * The birth date the number encodes, or `undefined` for an invalid number or a bis number whose
   * birth date is not known (month or day 00).
   *
   * @example
   * nationalNumber.birthDate('17073003384') //=> '2017-07-30'
   */
  birthDate(input: string): LocalDate | undefined {
    const c = century(input)
    if (c === undefined) return undefined
    const d = digitsOnly(input)
    let month = Number(d.slice(2, 4))
    if (month > 40) month -= 40
    else if (month > 20) month -= 20
    const day = Number(d.slice(4, 6))
    if (month < 1 || month > 12 || day < 1) return undefined
    const date = `${c}${d.slice(0, 2)}-${String(month).padStart(2, '0')}-${d.slice(4, 6)}`
    const check = new Date(`${date}T00:00:00Z`)
    return Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== date ? undefined : (date as LocalDate)
  },
}

/**
 * '19' or '20' as the check digits say, or undefined when they fit neither or when the first six
 * digits are not a birth date as the register writes it: a month 01-12 (bis numbers: + 20 or
 * + 40), or 00 when the month is unknown; a day 01-31, or 00 when unknown; a known month and day
 * a day of that month (29 February only in a leap year).
 */
function century(input: string): '19' | '20' | undefined {
  if (typeof input !== 'string') return undefined
  const d = digitsOnly(input)
  if (!/^\d{11}$/.test(d)) return undefined
  const body = BigInt(d.slice(0, 9))
  const check = BigInt(d.slice(9))
  const c = 97n - (body % 97n) === check ? '19' : 97n - ((2_000_000_000n + body) % 97n) === check ? '20' : undefined
  if (c === undefined) return undefined
  const rawMonth = Number(d.slice(2, 4))
  const month = rawMonth >= 40 ? rawMonth - 40 : rawMonth >= 20 ? rawMonth - 20 : rawMonth
  const day = Number(d.slice(4, 6))
  if (month > 12 || day > 31) return undefined
  if (month >= 1 && day >= 1 && day > daysIn(Number(`${c}${d.slice(0, 2)}`), month)) return undefined
  return c
}

/** The days of `month` (1-12) of `year`. */
function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/**
 * The Belgian enterprise number (numéro d'entreprise BCE, ondernemingsnummer KBO): ten digits
 * starting with 0 or 1, the last two equal to `97 - (first eight mod 97)`. Separators and a
 * leading `BE` are tolerated.
 *
 * @example
 * enterpriseNumber.isValid('0403.170.701') //=> true
 * enterpriseNumber.normalize('BE 0403 170 701') //=> '0403170701'
 */
export const enterpriseNumber = {
  /**
   * Whether `input` is a well-formed enterprise number with correct check digits.
   *
   * @example
   * enterpriseNumber.isValid('0403170702') //=> false
   */
  isValid(input: string): boolean {
    return enterpriseNumber.normalize(input) !== undefined
  },
  /**
   * The ten digits, or `undefined` when invalid.
   *
   * @example
   * enterpriseNumber.normalize('403.170.701') //=> '0403170701'
   */
  normalize(input: string): string | undefined {
    if (typeof input !== 'string') return undefined
    let d = digitsOnly(input.trim().replace(/^BE/i, ''))
    if (/^\d{9}$/.test(d)) d = `0${d}`
    if (!/^[01]\d{9}$/.test(d)) return undefined
    return 97 - (Number(d.slice(0, 8)) % 97) === Number(d.slice(8)) ? d : undefined
  },
}
