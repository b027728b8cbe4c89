import { describeValue } from '../describe-value'
/**
 * Italian pagoPA notice numbers ("numero avviso", 18 digits) and the IUV inside them, per the
 * AgID "Specifiche attuative dei codici identificativi di versamento" §2.2 (Table 2, schemes
 * NAV.0 to NAV.3). Import it as the `pagoPa` namespace of `@ecole/core`.
 *
 * @module
 */
import { EcoleError } from '../errors'
import { modulo } from './mod97'

/**
 * Notice with aux digit 0 (one IUV generation point, partitioned archive):
 * `0` + application code (2) + IUV base (13) + check digits (2); IUV = base + check (15 digits).
 */
export interface PagoPaNoticeAux0 {
  /** The 18 digits. */
  notice: string
  /** Aux digit 0. */
  auxDigit: 0
  /** Application code: which part of the creditor's archive of pending payments. */
  applicationCode: string
  /** IUV base, 13 digits. */
  iuvBase: string
  /** Check digits: (aux, application code, IUV base) mod 93, on two digits. */
  checkDigits: string
  /** The IUV: base + check digits (15 digits). */
  iuv: string
}

/** Notice with aux digit 1 (legacy single generation point): `1` + IUV (17 digits), no check digits. */
export interface PagoPaNoticeAux1 {
  /** The 18 digits. */
  notice: string
  /** Aux digit 1. */
  auxDigit: 1
  /** IUV base, 17 digits (the whole IUV). */
  iuvBase: string
  /** The IUV (17 digits), identical to the base. */
  iuv: string
}

/**
 * Notice with aux digit 2 (one generation point, archive not partitioned):
 * `2` + IUV base (15) + check digits (2); IUV = base + check (17 digits).
 */
export interface PagoPaNoticeAux2 {
  /** The 18 digits. */
  notice: string
  /** Aux digit 2. */
  auxDigit: 2
  /** IUV base, 15 digits. */
  iuvBase: string
  /** Check digits: (aux, IUV base) mod 93, on two digits. */
  checkDigits: string
  /** The IUV: base + check digits (17 digits). */
  iuv: string
}

/**
 * Notice with aux digit 3 (several generation points, each with its segregation code):
 * `3` + segregation code (2) + IUV base (13) + check digits (2); IUV = the last 17 digits.
 */
export interface PagoPaNoticeAux3 {
  /** The 18 digits. */
  notice: string
  /** Aux digit 3. */
  auxDigit: 3
  /** Segregation code (00-49 for intermediaries, 96-99 for national centralised services). */
  segregationCode: string
  /** IUV base, 13 digits. */
  iuvBase: string
  /** Check digits: (aux, segregation code, IUV base) mod 93, on two digits. */
  checkDigits: string
  /** The IUV: segregation code + base + check digits (17 digits). */
  iuv: string
}

/** A pagoPA notice number taken apart, by its aux digit. */
export type PagoPaNotice = PagoPaNoticeAux0 | PagoPaNoticeAux1 | PagoPaNoticeAux2 | PagoPaNoticeAux3

/** Arguments of {@link generateNotice}. */
export interface PagoPaNoticeArgs {
  /** Two-digit segregation code given to the IUV generation point (e.g. '01'). */
  segregationCode: string
  /** IUV base: up to 13 digits, left-padded with zeros to 13 (e.g. a sequence number). */
  base: string
}

function check93(digits: string): string {
  return String(modulo(digits, 93)).padStart(2, '0')
}

function invalidInput(field: string, rule: string, value: unknown): never {
  throw new EcoleError('INVALID_INPUT', `pagoPa notice ${field}: ${rule}, got ${describeValue(value)}`, { details: { field, value } })
}

/**
 * A notice number with aux digit 3: `3` + segregation code + IUV base (13 digits) + check digits,
 * where the check digits are the remainder of (3, segregation code, base) read as one number,
 * divided by 93.
 *
 * @example
 * pagoPa.generateNotice({ segregationCode: '01', base: '0000000000001' }) //=> '301000000000000144'
 * pagoPa.generateNotice({ segregationCode: '01', base: '1' }) //=> '301000000000000144'
 * @throws EcoleError `INVALID_INPUT` naming `segregationCode` (not two digits) or `base` (not 1-13 digits).
 */
export function generateNotice(args: PagoPaNoticeArgs): string {
  const { segregationCode, base } = args ?? ({} as PagoPaNoticeArgs)
  if (typeof segregationCode !== 'string' || !/^\d{2}$/.test(segregationCode)) invalidInput('segregationCode', 'must be exactly two digits', segregationCode)
  if (typeof base !== 'string' || !/^\d{1,13}$/.test(base)) invalidInput('base', 'must be 1 to 13 digits (it is left-padded to 13)', base)
  const head = `3${segregationCode}${base.padStart(13, '0')}`
  return head + check93(head)
}

function digitsOf(input: string): string | undefined {
  if (typeof input !== 'string') return undefined
  const s = input.replace(/[\s.-]+/g, '')
  return /^\d{18}$/.test(s) ? s : undefined
}

/**
 * A valid notice taken apart, or undefined: 18 digits (spaces, dots and dashes ignored), aux digit
 * 0 to 3, check digits right where the scheme has them (aux 1 has none).
 */
function parse(input: string): PagoPaNotice | undefined {
  const n = digitsOf(input)
  if (n === undefined) return undefined
  switch (n[0]) {
    case '0': {
      const checkDigits = n.slice(16)
      if (check93(n.slice(0, 16)) !== checkDigits) return undefined
      return { notice: n, auxDigit: 0, applicationCode: n.slice(1, 3), iuvBase: n.slice(3, 16), checkDigits, iuv: n.slice(3) }
    }
    case '1':
      return { notice: n, auxDigit: 1, iuvBase: n.slice(1), iuv: n.slice(1) }
    case '2': {
      const checkDigits = n.slice(16)
      if (check93(n.slice(0, 16)) !== checkDigits) return undefined
      return { notice: n, auxDigit: 2, iuvBase: n.slice(1, 16), checkDigits, iuv: n.slice(1) }
    }
    case '3': {
      const checkDigits = n.slice(16)
      if (check93(n.slice(0, 16)) !== checkDigits) return undefined
      return { notice: n, auxDigit: 3, segregationCode: n.slice(1, 3), iuvBase: n.slice(3, 16), checkDigits, iuv: n.slice(1) }
    }
    default:
      return undefined
  }
}

/**
 * Whether `input` is a valid pagoPA notice number: 18 digits (spaces ignored, as printed on the
 * notice), aux digit 0, 1, 2 or 3, and for 0, 2 and 3 the mod-93 check digits right.
 *
 * @example
 * pagoPa.isValidNotice('301000000000000144') //=> true
 * pagoPa.isValidNotice('3010 0000 0000 0001 44') //=> true
 * pagoPa.isValidNotice('301000000000000145') //=> false
 * pagoPa.isValidNotice('401000000000000144') //=> false (no aux digit 4)
 */
export function isValidNotice(input: string): boolean {
  return parse(input) !== undefined
}

/**
 * A notice number taken apart by its aux digit: application code (0) or segregation code (3),
 * IUV base, check digits and the IUV that payment reports (flussi di rendicontazione) and bank
 * remittance information carry.
 *
 * @example
 * pagoPa.parseNotice('301000000000000144')
 * //=> { notice: '301000000000000144', auxDigit: 3, segregationCode: '01', iuvBase: '0000000000001', checkDigits: '44', iuv: '01000000000000144' }
 * @throws EcoleError `INVALID_PAGOPA_NOTICE` when the input is not a valid notice number.
 */
export function parseNotice(input: string): PagoPaNotice {
  const p = parse(input)
  if (p === undefined) {
    throw new EcoleError('INVALID_PAGOPA_NOTICE', `not a valid pagoPA notice number (18 digits, aux digit 0-3, mod-93 check digits): ${describeValue(input)}`, {
      details: { value: input },
    })
  }
  return p
}

/**
 * The IUV (identificativo univoco di versamento) inside a valid notice number: 15 digits for aux
 * digit 0, 17 for the others.
 *
 * @example
 * pagoPa.iuvOf('301000000000000144') //=> '01000000000000144'
 * @throws EcoleError `INVALID_PAGOPA_NOTICE` when the input is not a valid notice number.
 */
export function iuvOf(input: string): string {
  return parseNotice(input).iuv
}

/**
 * The 18 digits of a valid notice number, without the spaces it is printed with.
 *
 * @example
 * pagoPa.normalizeNotice('3010 0000 0000 0001 44') //=> '301000000000000144'
 * @throws EcoleError `INVALID_PAGOPA_NOTICE` when the input is not a valid notice number.
 */
export function normalizeNotice(input: string): string {
  return parseNotice(input).notice
}

/**
 * A valid notice number as printed on a paper notice: groups of four digits.
 *
 * @example
 * pagoPa.formatNotice('301000000000000144') //=> '3010 0000 0000 0001 44'
 * @throws EcoleError `INVALID_PAGOPA_NOTICE` when the input is not a valid notice number.
 */
export function formatNotice(input: string): string {
  return normalizeNotice(input).replace(/(\d{4})(?=\d)/g, '$1 ')
}
