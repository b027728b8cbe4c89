import { describeValue } from '../describe-value'
/**
 * SEPA creditor identifier (CI; ICS in France, "identifiant créancier SEPA"), any country, per the
 * EPC262-08 structure: country code (2) + check digits (2) + creditor business code (3, any
 * characters, ignored by the check) + national identifier (up to 28 letters or digits).
 * Import it as the `creditorId` namespace of `@ecole/core`.
 *
 * @module
 */
import { EcoleError } from '../errors'
import { mod97Alnum, mod97CheckAlnum } from './mod97'

const SHAPE = /^([A-Z]{2})(\d{2})([A-Z0-9]{3})([A-Z0-9]{1,28})$/

/** Arguments of {@link generate}. */
export interface CreditorIdArgs {
  /** ISO 3166 country code of the creditor's scheme, e.g. 'FR', 'BE', 'IT'. */
  country: string
  /** Creditor business code (3 letters or digits), 'ZZZ' when the creditor has none. */
  businessCode?: string
  /** National identifier (letters/digits, e.g. the French ICS number, a Belgian enterprise number). */
  nationalId: string
}

function compact(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase()
}

function checkOf(country: string, nationalId: string): string {
  return mod97CheckAlnum(`${nationalId}${country}`)
}

/**
 * Whether `input` is a SEPA creditor identifier with correct check digits (spaces and lower case
 * accepted). The check digits are ISO 7064 MOD 97-10 over national id + country code + '00',
 * letters as A=10..Z=35; the business code is not part of the check.
 *
 * @example
 * creditorId.isValid('FR72ZZZ123456') //=> true
 * creditorId.isValid('FR72ABC123456') //=> true (the business code is ignored)
 * creditorId.isValid('FR73ZZZ123456') //=> false
 */
export function isValid(input: string): boolean {
  if (typeof input !== 'string') return false
  const m = SHAPE.exec(compact(input))
  if (!m) return false
  const [, country, check, , nationalId] = m as unknown as [string, string, string, string, string]
  return mod97Alnum(`${nationalId}${country}${check}`) === 1 && Number(check) >= 2 && Number(check) <= 98
}

/**
 * The identifier without spaces, upper case.
 *
 * @example
 * creditorId.normalize('fr72 zzz 123456') //=> 'FR72ZZZ123456'
 * @throws EcoleError `INVALID_CREDITOR_ID` when the input is not a valid creditor identifier.
 */
export function normalize(input: string): string {
  if (!isValid(input)) {
    throw new EcoleError('INVALID_CREDITOR_ID', `not a valid SEPA creditor identifier (CC + 2 check digits + 3-char business code + national id, ISO 7064 mod 97-10): ${describeValue(input)}`, {
      details: { value: input },
    })
  }
  return compact(input)
}

/**
 * A creditor identifier built from its parts, with its check digits.
 *
 * @example
 * creditorId.generate({ country: 'FR', nationalId: '123456' }) //=> 'FR72ZZZ123456'
 * @throws EcoleError `INVALID_INPUT` naming `country`, `businessCode` or `nationalId`.
 */
export function generate(args: CreditorIdArgs): string {
  const country = typeof args?.country === 'string' ? compact(args.country) : ''
  const businessCode = compact(args?.businessCode ?? 'ZZZ')
  const nationalId = typeof args?.nationalId === 'string' ? compact(args.nationalId) : ''
  const fail = (field: string, rule: string, value: unknown): never => {
    throw new EcoleError('INVALID_INPUT', `creditorId ${field}: ${rule}, got ${describeValue(value)}`, { details: { field, value } })
  }
  if (!/^[A-Z]{2}$/.test(country)) fail('country', 'must be a two-letter country code', args?.country)
  if (!/^[A-Z0-9]{3}$/.test(businessCode)) fail('businessCode', 'must be three letters or digits', args?.businessCode)
  if (!/^[A-Z0-9]{1,28}$/.test(nationalId)) fail('nationalId', 'must be 1 to 28 letters or digits', args?.nationalId)
  return `${country}${checkOf(country, nationalId)}${businessCode}${nationalId}`
}
