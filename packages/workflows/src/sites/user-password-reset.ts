/**
 * A staff user's forgotten password (seed 001, "Connexion": "J'ai perdu mon login et mon mot de
 * passe": the login is the user's e-mail; with it they ask for a new password and follow the
 * mailed procedure). The same one-time tokens as the parents' portal, for `{ kind: 'user' }`
 * subjects: a request issues a token and queues its mail in one transaction, and the token, shown
 * with the user's login, sets the new password and records it in the audit trail in another.
 *
 * @module
 */
import { auditEntry, EcoleError, type CredentialSubject, type OptionKinds, type PasswordPolicy, type PasswordRefusalCode, type TokenRefusalCode } from '@ecole/core'
import type { AccessStore, IdSource, OutboxStore, StoragePorts, StorageTransaction } from '@ecole/core/ports'
import { queuePortalTokenMail } from '../messaging/notifications'
import { checkTokenRequest, RESET_NOTIFY_KINDS, type PasswordResetRequest } from './portal-access'
import { hashToken, issueOneTimeToken, setPasswordWithToken } from './tokens'
import type { ScryptParams } from './passwords'
import { asUseCaseError } from '../use-case-error'

/**
 * What {@link requestUserPasswordReset} answers when the login is a user's: the token and the
 * outbox id of its mail, or, for a replay of the same `notify.requestId`, the mail queued the first
 * time (no new token, which would void the mailed one).
 *
 * @example
 * const r: UserPasswordResetResult = { userId: 'u1', replayed: true, mailId: 'token:userPasswordReset:req-42' }
 */
const RESET_KINDS: OptionKinds<PasswordResetRequest> = { siteId: 'any', login: 'any', now: 'any', ttlMs: 'number?', notify: 'object?' }

/**
 * A staff user's new password, set with the token they were mailed.
 *
 * @example
 * const args: SetUserPasswordArgs = { siteId: 's1', login: 'anne.roy@mairie.fr', token, password: 'a long new phrase', confirmation: 'a long new phrase', now: clock.now(), auditId: 'audit-1' }
 */
export interface SetUserPasswordArgs {
  /** The site. */
  siteId: string
  /** The user's login, shown with the token. */
  login: string
  /** The token as typed. */
  token: string
  /** The new password. */
  password: string
  /** The new password typed again. */
  confirmation: string
  /** The current instant. */
  now: Date
  /** The password rules (the library's defaults when absent). */
  policy?: PasswordPolicy | undefined
  /** scrypt cost parameters (the defaults when absent). */
  scrypt?: ScryptParams | undefined
  /** The id of the `password.changed` audit entry (none written when absent). */
  auditId?: string | undefined
}

const SET_KINDS: OptionKinds<SetUserPasswordArgs> = {
  siteId: 'any', login: 'any', token: 'any', password: 'any', confirmation: 'any', now: 'any', policy: 'object?', scrypt: 'object?', auditId: 'string?',
}

export type UserPasswordResetResult = { userId: string; token: string; mailId: string; replayed: false } | { userId: string; replayed: true; mailId: string }

function portsOf(tx: StorageTransaction, withOutbox: boolean): { access: AccessStore; outbox?: OutboxStore } {
  if (!tx.access) throw new EcoleError('PORT_MISSING', 'the storage adapter has no access port, which staff passwords need', { details: { port: 'access' } })
  if (withOutbox && !tx.outbox) throw new EcoleError('PORT_MISSING', 'notify needs the outbox port of the storage adapter', { details: { port: 'outbox', field: 'notify' } })
  return { access: tx.access, ...(tx.outbox ? { outbox: tx.outbox } : {}) }
}

/**
 * "Mot de passe oublié" for a staff user: finds the user by login ({@link AccessStore.findUserByLogin}:
 * their e-mail, any case), issues a password-reset token (replacing any earlier token of theirs) and, with `notify`, queues its mail to the login in the same
 * transaction (`queuePortalTokenMail`, purpose `passwordReset`, `notify.portalUrl` being the back
 * office's address). `undefined` when no user has that login: tell the person the same thing
 * either way, so logins cannot be probed. A replay of the same `notify.requestId` answers
 * `replayed` and neither issues a token nor queues a second mail.
 *
 * @example
 * const r = await requestUserPasswordReset({ storage, ids }, { siteId: 's1', login: 'anne.roy@mairie.fr', now: clock.now(),
 *   notify: { siteName: 'École Jules Ferry', locale: 'fr', sender: { from: 'no-reply@ecole.example' }, portalUrl: 'https://ecole.example/staff', requestId: 'req-42' } })
 * r?.mailId //=> 'token:userPasswordReset:req-42'
 * @throws EcoleError `PORT_MISSING` (the access port, or the outbox with `notify`), `INVALID_HEADER` (a sender or site name with a line break); `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function requestUserPasswordReset(
  deps: { storage: StoragePorts; ids: IdSource },
  args: PasswordResetRequest,
): Promise<UserPasswordResetResult | undefined> {
  try {
    checkTokenRequest<PasswordResetRequest>('requestUserPasswordReset', args, RESET_KINDS, RESET_NOTIFY_KINDS)
    return await deps.storage.transaction(args.siteId, async (tx) => {
      const { access, outbox } = portsOf(tx, args.notify !== undefined)
      const user = typeof args.login === 'string' ? await access.findUserByLogin(args.siteId, args.login) : undefined
      if (!user) return undefined
      const requestId = args.notify?.requestId
      if (outbox && requestId !== undefined) {
        const mailId = `token:userPasswordReset:${requestId}`
        if (await outbox.get(args.siteId, mailId)) return { userId: user.id, replayed: true, mailId }
      }
      const { token, record } = await issueOneTimeToken({
        access, ids: deps.ids, siteId: args.siteId, subject: { kind: 'user', id: user.id }, purpose: 'passwordReset', now: args.now,
        ...(args.ttlMs === undefined ? {} : { ttlMs: args.ttlMs }),
      })
      const mailId = `token:userPasswordReset:${requestId ?? record.id}`
      if (outbox && args.notify) {
        const { requestId: _r, ...notify } = args.notify
        await queuePortalTokenMail(outbox, { siteId: args.siteId, id: mailId, purpose: 'passwordReset', ...notify, to: user.login, login: user.login, token, audience: 'backOffice' })
      }
      return { userId: user.id, token, mailId, replayed: false }
    })
  } catch (error) {
    throw asUseCaseError(error, 'requestUserPasswordReset', { deps: [deps, 'object', 'the host’s wiring ({ storage, ids })'], args: [args, 'object', 'the request ({ siteId, login, now })'] })
  }
}

/**
 * What {@link setUserPasswordWithToken} answers: the user whose password is set, or why not
 * (`WRONG_USER`: the token is not this login's, and was left unused).
 *
 * @example
 * const r: SetUserPasswordResult = { ok: false, codes: ['TOKEN_EXPIRED'] }
 */
export type SetUserPasswordResult = { ok: true; userId: string } | { ok: false; codes: Array<PasswordRefusalCode | TokenRefusalCode | 'WRONG_USER'> }

/**
 * Sets a staff user's new password with the token they were mailed, shown with their login: the
 * password rules first (a typo does not use the token up), then the token must be a user token of
 * that very login (another person's token is refused as `WRONG_USER` and stays usable by them);
 * it is used, the password stored hashed, and a `password.changed` audit entry (never the
 * password) written, all in one transaction. Unknown login and unknown token answer alike.
 *
 * @example
 * const r = await setUserPasswordWithToken({ storage }, { siteId: 's1', login: 'anne.roy@mairie.fr', token, password: 'a long new phrase', confirmation: 'a long new phrase', now: clock.now(), auditId: 'audit-1' })
 * r //=> { ok: true, userId: 'u1' }
 * @throws EcoleError `PORT_MISSING` (the access port; the audit port when `auditId` is given); `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function setUserPasswordWithToken(
  deps: { storage: StoragePorts },
  args: SetUserPasswordArgs,
): Promise<SetUserPasswordResult> {
  try {
    checkTokenRequest<SetUserPasswordArgs>('setUserPasswordWithToken', args, SET_KINDS)
    return await deps.storage.transaction(args.siteId, async (tx) => {
      const { access } = portsOf(tx, false)
      if (args.auditId !== undefined && !tx.audit) throw new EcoleError('PORT_MISSING', 'auditId needs the audit port of the storage adapter', { details: { port: 'audit', field: 'auditId' } })
      const user = typeof args.login === 'string' ? await access.findUserByLogin(args.siteId, args.login) : undefined
      const token = typeof args.token === 'string' ? args.token : ''
      const record = token.trim() ? await access.findOneTimeTokenByHash(args.siteId, hashToken(token)) : undefined
      if (record && (!user || !sameUser(record.subject, user.id))) return { ok: false, codes: ['WRONG_USER'] }
      const result = await setPasswordWithToken({
        access, siteId: args.siteId, token, password: args.password, confirmation: args.confirmation, now: args.now,
        ...(args.policy ? { policy: args.policy } : {}), ...(args.scrypt ? { scrypt: args.scrypt } : {}),
      })
      if (!result.ok) return result
      if (!user) return { ok: false, codes: ['TOKEN_UNKNOWN'] } // unreachable: a redeemed token was this user's
      if (args.auditId !== undefined) {
        await tx.audit!.recordAuditEntries(args.siteId, [auditEntry({
          id: args.auditId, siteId: args.siteId, at: args.now.toISOString(), actor: { kind: 'user', id: user.id }, action: 'password.changed', subject: { kind: 'user', id: user.id },
        })])
      }
      return { ok: true, userId: user.id }
    })
  } catch (error) {
    throw asUseCaseError(error, 'setUserPasswordWithToken', { deps: [deps, 'object', 'the host’s wiring ({ storage })'], args: [args, 'object', 'the new password ({ siteId, login, token, password, confirmation, now })'] })
  }
}

function sameUser(subject: CredentialSubject, userId: string): boolean {
  return subject.kind === 'user' && subject.id === userId
}
