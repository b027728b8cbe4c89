import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import {
  checkNewPassword, checkOptions, checkTokenRecord, isEcoleError, normalizeTokenInput, type CredentialSubject, type OneTimeTokenRecord, type PasswordPolicy,
  type OptionKinds, type PasswordRefusalCode, type TokenPurpose, type TokenRefusalCode,
} from '@ecole/core'
import type { AccessStore, DirectoryStore, IdSource } from '@ecole/core/ports'
import { hashPassword, verifyPassword, DEFAULT_SCRYPT_PARAMS, SCRYPT_KINDS, type ScryptParams } from './passwords'
import { asUseCaseError } from '../use-case-error'
import { mayUsePortal } from './portal-use'

const ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789' // Crockford-like base32: no I, L, O, U

/** Bits of randomness in a one-time token (at least 128 required; 160 used). */
export const TOKEN_BITS = 160

/**
 * A new random token: 32 characters of base32 (160 bits from node:crypto), upper case, without
 * the letters I, L, O and U that are mistaken for digits.
 *
 * @example
 * generateTokenSecret() //=> 'K7Q2M9XD...' (32 characters)
 */
export function generateTokenSecret(): string {
  const bytes = randomBytes(TOKEN_BITS / 8)
  let bits = 0
  let value = 0
  let out = ''
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  return out
}

/**
 * The stored form of a token: SHA-256 (hex) of the token as typed, spaces removed and upper-cased.
 * A fast hash is enough for 160 random bits; the token itself is never stored.
 *
 * @example
 * hashToken(' k7q2 m9xd ') === hashToken('K7Q2M9XD') //=> true
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(normalizeTokenInput(token).toUpperCase(), 'utf8').digest('hex')
}

/** Ports and facts {@link issueOneTimeToken} needs. */
export interface IssueTokenArgs {
  /** Access storage. */
  access: AccessStore
  /** Record ids. */
  ids: IdSource
  /** The site. */
  siteId: string
  /** Whose token. */
  subject: CredentialSubject
  /** First login or password reset. */
  purpose: TokenPurpose
  /** The current instant. */
  now: Date
  /** How long the token works; 48 hours by default. */
  ttlMs?: number
}

const ISSUE_KINDS: OptionKinds<IssueTokenArgs> = { access: 'object', ids: 'object', siteId: 'any', subject: 'any', purpose: 'any', now: 'any', ttlMs: 'number?' }

/**
 * A one-time token to redeem.
 *
 * @example
 * const args: RedeemTokenArgs = { access, siteId: 's1', token: ' K7Q2 M9XD… ', now: clock.now() }
 */
export interface RedeemTokenArgs {
  /** Access storage. */
  access: AccessStore
  /** The site. */
  siteId: string
  /** The token as typed (spaces and case ignored). */
  token: string
  /** The current instant (expiry is judged at it). */
  now: Date
}

const REDEEM_KINDS: OptionKinds<RedeemTokenArgs> = { access: 'object', siteId: 'any', token: 'any', now: 'any' }

/**
 * A new password set with a one-time token: the token, the password typed twice, and the rules.
 *
 * @example
 * const args: SetPasswordWithTokenArgs = { access, siteId: 's1', token, password: 'correct horse', confirmation: 'correct horse', now: clock.now() }
 */
export interface SetPasswordWithTokenArgs extends RedeemTokenArgs {
  /** The new password. */
  password: string
  /** The new password typed again. */
  confirmation: string
  /** The password rules (the library's defaults when absent). */
  policy?: PasswordPolicy
  /** scrypt cost parameters ({@link DEFAULT_SCRYPT_PARAMS} when absent). */
  scrypt?: ScryptParams
}

const SET_PASSWORD_KINDS: OptionKinds<SetPasswordWithTokenArgs> = { ...REDEEM_KINDS, password: 'any', confirmation: 'any', policy: 'object?', scrypt: 'object?' }

/**
 * A sign-in with a login and a password.
 *
 * @example
 * const args: PasswordSignInArgs = { access, siteId: 's1', login: 'marie@example.fr', password: 'correct horse' }
 */
export interface PasswordSignInArgs {
  /** Access storage. */
  access: AccessStore
  /** The site. */
  siteId: string
  /** The login (an e-mail address; case and spaces around ignored). */
  login: string
  /** The password typed. */
  password: string
  /**
   * The scrypt cost parameters the site hashes passwords with: the same `scrypt` the host gives
   * `setPasswordWithToken`, `setUserPasswordWithToken` or `hashPassword` ({@link DEFAULT_SCRYPT_PARAMS}
   * when absent). A refusal with no stored hash to check (an unknown login, no password yet, a
   * corrupt hash) checks a dummy hash made with them, so that it costs what a wrong password costs.
   */
  scrypt?: ScryptParams | undefined
}

const SIGN_IN_KINDS: OptionKinds<PasswordSignInArgs> = { access: 'object', siteId: 'any', login: 'any', password: 'any', scrypt: 'object?' }

/**
 * A parent's sign-in to the portal: a {@link PasswordSignInArgs} and, to refuse a guardian who
 * must no longer use the portal (archived, or whose record is gone), the directory.
 *
 * @example
 * const args: PortalSignInArgs = { access: storage.access!, directory: storage.directory!, siteId: 's1', login: 'marie@example.fr', password: 'correct horse' }
 */
export interface PortalSignInArgs extends PasswordSignInArgs {
  /**
   * Directory storage: given it, a guardian whose record is archived or gone is refused like a
   * wrong password ({@link mayUsePortal}). Without it only the account and the password are
   * checked; hosts pass it (an archived guardian keeps a password when their access was left open).
   */
  directory?: DirectoryStore | undefined
}

const PORTAL_SIGN_IN_KINDS: OptionKinds<PortalSignInArgs> = { ...SIGN_IN_KINDS, directory: 'object?' }

/**
 * Issues a one-time token (seed 004 "jeton de connexion"): random, stored only as its hash,
 * expiring after `ttlMs`, and replacing any earlier token of the subject. Returns the token to
 * send by e-mail (it is nowhere else) and the stored record.
 *
 * @example
 * const { token } = await issueOneTimeToken({ access, ids, siteId: 's1', subject: { kind: 'guardian', id: 'marie' }, purpose: 'firstLogin', now: clock.now() })
 */
export async function issueOneTimeToken(args: IssueTokenArgs): Promise<{ token: string; record: OneTimeTokenRecord }> {
  try {
    checkOptions<IssueTokenArgs>('issueOneTimeToken', 'args', args, ISSUE_KINDS)
    const token = generateTokenSecret()
    const ttl = args.ttlMs ?? 48 * 3600 * 1000
    const record: OneTimeTokenRecord = {
      id: args.ids.next(),
      siteId: args.siteId,
      subject: args.subject,
      purpose: args.purpose,
      hash: hashToken(token),
      issuedAt: args.now.toISOString(),
      expiresAt: new Date(args.now.getTime() + ttl).toISOString(),
      usedAt: null,
    }
    await args.access.putOneTimeToken(args.siteId, record)
    return { token, record }
  } catch (error) {
    throw asUseCaseError(error, 'issueOneTimeToken', { args: [args, 'object', 'the token to issue ({ access, ids, siteId, subject, purpose, now })'] })
  }
}

/** What redeeming a token answers. */
export type RedeemResult = { ok: true; record: OneTimeTokenRecord } | { ok: false; code: TokenRefusalCode }

/**
 * Uses a one-time token: found by its hash, compared in constant time, refused when unknown,
 * already used, or expired; marked used atomically (of two concurrent uses, one wins).
 *
 * @example
 * await redeemOneTimeToken({ access, siteId: 's1', token: ' K7Q2 M9XD… ', now }) //=> { ok: true, record }
 * await redeemOneTimeToken({ access, siteId: 's1', token: sameToken, now }) //=> { ok: false, code: 'TOKEN_USED' }
 */
export async function redeemOneTimeToken(args: RedeemTokenArgs): Promise<RedeemResult> {
  try {
    checkOptions<RedeemTokenArgs>('redeemOneTimeToken', 'args', args, REDEEM_KINDS)
    const hash = hashToken(args.token)
    const record = await args.access.findOneTimeTokenByHash(args.siteId, hash)
    if (record !== undefined) {
      const a = Buffer.from(record.hash, 'hex')
      const b = Buffer.from(hash, 'hex')
      if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, code: 'TOKEN_UNKNOWN' }
    }
    const check = checkTokenRecord(record, args.now)
    if (!check.ok) return check
    const marked = await args.access.markOneTimeTokenUsed(args.siteId, check.record.id, args.now.toISOString())
    return marked ? { ok: true, record: { ...check.record, usedAt: args.now.toISOString() } } : { ok: false, code: 'TOKEN_USED' }
  } catch (error) {
    throw asUseCaseError(error, 'redeemOneTimeToken', { args: [args, 'object', 'the token to redeem ({ access, siteId, token, now })'] })
  }
}

/** What setting a password with a token answers. */
export type SetPasswordResult = { ok: true; subject: CredentialSubject } | { ok: false; codes: Array<PasswordRefusalCode | TokenRefusalCode> }

/**
 * First login or password reset (seed 004): the token, then the new password typed twice. The
 * password rules are checked before the token is used (a typo does not burn the token); the token
 * is then redeemed and the password stored hashed with scrypt.
 *
 * @example
 * await setPasswordWithToken({ access, siteId: 's1', token, password: 'correct horse', confirmation: 'correct horse', now })
 * //=> { ok: true, subject: { kind: 'guardian', id: 'marie' } }
 */
export async function setPasswordWithToken(args: SetPasswordWithTokenArgs): Promise<SetPasswordResult> {
  try {
    checkOptions<SetPasswordWithTokenArgs>('setPasswordWithToken', 'args', args, SET_PASSWORD_KINDS)
    if (typeof args.scrypt === 'object' && args.scrypt !== null) checkOptions<ScryptParams>('setPasswordWithToken', 'args.scrypt', args.scrypt, SCRYPT_KINDS)
    const codes = checkNewPassword(args.password, args.confirmation, args.policy)
    if (codes.length > 0) return { ok: false, codes }
    const redeemed = await redeemOneTimeToken({ access: args.access, siteId: args.siteId, token: args.token, now: args.now })
    if (!redeemed.ok) return { ok: false, codes: [redeemed.code] }
    const passwordHash = await hashPassword(args.password, args.scrypt ?? DEFAULT_SCRYPT_PARAMS)
    await args.access.putCredential(args.siteId, { subject: redeemed.record.subject, passwordHash, updatedAt: args.now.toISOString() })
    return { ok: true, subject: redeemed.record.subject }
  } catch (error) {
    throw asUseCaseError(error, 'setPasswordWithToken', { args: [args, 'object', 'the new password ({ access, siteId, token, password, confirmation, now })'] })
  }
}

/** Dummy hashes by scrypt parameters (one per setting a host uses; made once, on first use). */
const dummyHashes = new Map<string, Promise<string>>()

/**
 * The sign-in's scrypt setting, checked, and a dummy hash made with it: checking that hash costs
 * what checking a stored hash of this site costs. Awaited on every path before the login is looked
 * up, so a refused setting (`INVALID_INPUT`) and the one-time cost of making the dummy do not depend
 * on whether the login exists.
 */
function dummyHashFor(fn: string, scrypt: ScryptParams | undefined): Promise<string> {
  if (typeof scrypt === 'object' && scrypt !== null) checkOptions<ScryptParams>(fn, 'args.scrypt', scrypt, SCRYPT_KINDS)
  const params = scrypt ?? DEFAULT_SCRYPT_PARAMS
  const key = JSON.stringify([params.N, params.r, params.p])
  let dummy = dummyHashes.get(key)
  if (dummy === undefined) {
    dummy = hashPassword('not a password of anyone', params) // INVALID_INPUT for parameters out of range
    dummyHashes.set(key, dummy)
    dummy.catch(() => dummyHashes.delete(key))
  }
  return dummy
}

/**
 * Whether `password` matches `stored`, spending the time of one scrypt check whatever happens: with
 * no stored hash (an unknown login, a subject without a password) the site's dummy hash is checked
 * instead (made with the site's scrypt setting, see {@link dummyHashFor}), and a corrupt stored hash
 * (`INVALID_PASSWORD_HASH`) is a refusal after the dummy check, not a crash, so a caller learns
 * nothing from the answer's timing or its shape.
 */
async function checkOrSpend(password: string, stored: string | undefined, dummy: string): Promise<boolean> {
  if (stored !== undefined) {
    try {
      return await verifyPassword(password, stored)
    } catch (error) {
      if (!isEcoleError(error, 'INVALID_PASSWORD_HASH')) throw error
    }
  }
  await verifyPassword(password, dummy)
  return false
}

/**
 * A parent's portal login with login (e-mail) and password. A password stored before the access
 * was opened (`credential.updatedAt` before `account.openedAt`: one of an earlier, closed access)
 * is refused, as `portalAccessStatus` calls such an access `invited`. Answers the same way, and takes about
 * as long, whether the login is unknown, the guardian has no password yet, the stored hash is
 * corrupt or the password wrong — provided `scrypt` is the setting the site hashes passwords with
 * (the host passes the same value it gives `setPasswordWithToken`). Given `directory`, a guardian
 * who is archived (or whose record is gone) is refused the same way, after the same scrypt check:
 * archiving a family that left the school ends their sign-ins even when their access was left open.
 *
 * @example
 * await verifyPortalPassword({ access, siteId: 's1', login: 'Marie@Example.fr', password: 'correct horse' }) //=> { ok: true, guardianId: 'marie' }
 * await verifyPortalPassword({ access, siteId: 's1', login: 'marie@example.fr', password: 'correct horse', scrypt: { N: 131072, r: 8, p: 1 } }) //=> { ok: true, guardianId: 'marie' }
 * // Marie archived: refused like a wrong password
 * await verifyPortalPassword({ access, directory, siteId: 's1', login: 'marie@example.fr', password: 'correct horse' }) //=> { ok: false }
 */
export async function verifyPortalPassword(args: PortalSignInArgs): Promise<{ ok: true; guardianId: string } | { ok: false }> {
  try {
    checkOptions<PortalSignInArgs>('verifyPortalPassword', 'args', args, PORTAL_SIGN_IN_KINDS)
    const dummy = await dummyHashFor('verifyPortalPassword', args.scrypt)
    const account = await args.access.findPortalAccountByLogin(args.siteId, args.login.trim().toLowerCase())
    const credential = account && (await args.access.getCredential(args.siteId, { kind: 'guardian', id: account.guardianId }))
    if (!(await checkOrSpend(args.password, credential?.passwordHash, dummy)) || !account) return { ok: false }
    // a password older than the access's opening belongs to an earlier access (closed, or deleted
    // with its password kept): not this one's until the parent chooses one with the mailed token
    if (account.openedAt !== undefined && credential && credential.updatedAt < account.openedAt) return { ok: false }
    if (args.directory && !(await mayUsePortal({ access: args.access, directory: args.directory, siteId: args.siteId, guardianId: account.guardianId }))) return { ok: false }
    return { ok: true, guardianId: account.guardianId }
  } catch (error) {
    throw asUseCaseError(error, 'verifyPortalPassword', { args: [args, 'object', 'the sign-in ({ access, siteId, login, password })'] })
  }
}

/**
 * A staff user's sign-in with their login (e-mail, any case, spaces around ignored) and password,
 * the user found by `AccessStore.findUserByLogin` and their credential (`{ kind: 'user' }`).
 * Answers `{ ok: false }`, taking about as long as a right password (one scrypt check), whether
 * the login is unknown, the user has no password, the stored hash is corrupt, or the password is
 * wrong. For that, `scrypt` must be the setting the site hashes passwords with (the host passes
 * the same value it gives `setUserPasswordWithToken`): a refusal with no hash to check runs scrypt
 * on a dummy hash made with it. The user model has no locked or disabled state: a user who must no
 * longer sign in is deleted (`AccessStore.deleteUser`, which takes their password and tokens
 * along), and is then an unknown login.
 *
 * @example
 * await verifyUserPassword({ access, siteId: 's1', login: ' Anne.Roy@Mairie.fr', password: 'correct horse' }) //=> { ok: true, userId: 'u1' }
 * await verifyUserPassword({ access, siteId: 's1', login: 'nobody@mairie.fr', password: 'correct horse' }) //=> { ok: false }
 */
export async function verifyUserPassword(args: PasswordSignInArgs): Promise<{ ok: true; userId: string } | { ok: false }> {
  try {
    checkOptions<PasswordSignInArgs>('verifyUserPassword', 'args', args, SIGN_IN_KINDS)
    const dummy = await dummyHashFor('verifyUserPassword', args.scrypt)
    const user = typeof args.login === 'string' ? await args.access.findUserByLogin(args.siteId, args.login) : undefined
    const credential = user && (await args.access.getCredential(args.siteId, { kind: 'user', id: user.id }))
    return (await checkOrSpend(args.password, credential?.passwordHash, dummy)) && user ? { ok: true, userId: user.id } : { ok: false }
  } catch (error) {
    throw asUseCaseError(error, 'verifyUserPassword', { args: [args, 'object', 'the sign-in ({ access, siteId, login, password })'] })
  }
}
