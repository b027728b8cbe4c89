import { EcoleError } from '../errors'
import { describeValue, expectString } from '../describe-value'
import { checkOptions, type OptionKinds } from '../check-options'
/** Why a one-time token is issued: a first login, or a forgotten password (seed 004). */
export type TokenPurpose = 'firstLogin' | 'passwordReset'

/** Who a token (and a password) belongs to: a guardian's portal account or a back-office user. */
export interface CredentialSubject {
  /** Portal guardian or back-office user. */
  kind: 'guardian' | 'user'
  /** The guardian or user id. */
  id: string
}

/**
 * A one-time token as stored: never the token itself, only its hash. At most one live token per
 * subject: a new token replaces the old one.
 */
export interface OneTimeTokenRecord {
  /** Record id. */
  id: string
  /** The site. */
  siteId: string
  /** Whose token it is. */
  subject: CredentialSubject
  /** First login or password reset. */
  purpose: TokenPurpose
  /** SHA-256 of the token, hex (the token has at least 128 random bits, so a fast hash is enough). */
  hash: string
  /** When it was issued (ISO instant). */
  issuedAt: string
  /** When it stops working (ISO instant, exclusive). */
  expiresAt: string
  /** When it was used (ISO instant); `null` while unused. */
  usedAt: string | null
}

/** Why a token is refused. */
export type TokenRefusalCode = 'TOKEN_UNKNOWN' | 'TOKEN_USED' | 'TOKEN_EXPIRED'

/**
 * A token as typed: every space (and tab or line break) removed, since tokens are copied from
 * e-mails with spaces around or inside them.
 *
 * @example
 * normalizeTokenInput('  K7Q2 M9XD ') //=> 'K7Q2M9XD'
 */
export function normalizeTokenInput(input: string): string {
  expectString(input, 'token')
  return input.replace(/\s+/g, '')
}

/**
 * Whether a stored token can be used at `now`: it must exist, be unused (single use) and not
 * expired (`now` before `expiresAt`).
 *
 * @example
 * checkTokenRecord(record, new Date('2026-09-02T08:00:00Z')) //=> { ok: false, code: 'TOKEN_EXPIRED' }
 */
export function checkTokenRecord(record: OneTimeTokenRecord | undefined, now: Date): { ok: true; record: OneTimeTokenRecord } | { ok: false; code: TokenRefusalCode } {
  if (record === undefined || record === null) return { ok: false, code: 'TOKEN_UNKNOWN' }
  if (typeof record !== 'object' || typeof record.expiresAt !== 'string') throw EcoleError.invalidInput('record', 'must be a stored one-time token record')
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new EcoleError('INVALID_INSTANT', 'now must be a valid Date', { details: { field: 'now' } })
  if (record.usedAt !== null) return { ok: false, code: 'TOKEN_USED' }
  if (now.getTime() >= Date.parse(record.expiresAt)) return { ok: false, code: 'TOKEN_EXPIRED' }
  return { ok: true, record }
}

/** Why a new password is refused. */
export type PasswordRefusalCode = 'PASSWORDS_DIFFER' | 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG'

/** Rules of {@link checkNewPassword}. */
export interface PasswordPolicy {
  /** Fewest characters (Unicode code points); 10 when absent. */
  minLength?: number
  /** Most characters; 256 when absent. */
  maxLength?: number
}

const PASSWORD_POLICY_KINDS: OptionKinds<PasswordPolicy> = { minLength: 'integer?', maxLength: 'integer?' }

/**
 * Checks a new password typed twice (seed 004: "en l'introduisant à deux reprises"); returns every
 * reason it is refused (empty when accepted). Lengths count Unicode characters, not bytes.
 *
 * @example
 * checkNewPassword('correct horse', 'correct horse') //=> []
 * checkNewPassword('short', 'shorT') //=> ['PASSWORDS_DIFFER', 'PASSWORD_TOO_SHORT']
 * @throws EcoleError `INVALID_INPUT` when a password is not a string, or when `policy` is not an
 *   object, has a misspelt key (`minlength`) or a length that is not a whole number from 0
 *   (`'20'`): a policy is never read as the defaults it meant to tighten.
 */
export function checkNewPassword(password: string, confirmation: string, policy: PasswordPolicy = {}): PasswordRefusalCode[] {
  expectString(password, 'password')
  expectString(confirmation, 'confirmation')
  const checked = checkOptions<PasswordPolicy>('checkNewPassword', 'policy', policy, PASSWORD_POLICY_KINDS)
  for (const key of ['minLength', 'maxLength'] as const) {
    const n = checked[key]
    if (n !== undefined && n < 0) throw EcoleError.invalidInput(`policy.${key}`, `must be a whole number from 0, got ${describeValue(n)}`, { function: 'checkNewPassword' })
  }
  const min = checked.minLength ?? 10
  const max = checked.maxLength ?? 256
  const length = [...password].length
  const codes: PasswordRefusalCode[] = []
  if (password !== confirmation) codes.push('PASSWORDS_DIFFER')
  if (length < min) codes.push('PASSWORD_TOO_SHORT')
  if (length > max) codes.push('PASSWORD_TOO_LONG')
  return codes
}
