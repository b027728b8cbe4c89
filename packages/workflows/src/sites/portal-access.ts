import { createHash } from 'node:crypto'
import { EcoleError, checkOptions, createPortalAccount, isEcoleError, portalLogin, type MailLocale, type OptionKinds, type PortalAccount, type PortalAccountRefusal } from '@ecole/core'
import type { AccessStore, DirectoryStore, IdSource, OutboxStore, StoragePorts } from '@ecole/core/ports'
import { queuePortalTokenMail } from '../messaging/notifications'
import { generateTokenSecret, issueOneTimeToken } from './tokens'
import { hashPassword, SCRYPT_KINDS, type ScryptParams } from './passwords'
import { asUseCaseError } from '../use-case-error'
import { mayUsePortal } from './portal-use'

/** The ports the portal-access workflows use. */
export interface PortalAccessPorts {
  /** Directory storage (guardians). */
  directory: DirectoryStore
  /** Access storage (accounts, tokens). */
  access: AccessStore
  /** Record ids. */
  ids: IdSource
  /** The outbox, where `notify` writes the token's mail (the same transaction as `access`). */
  outbox?: OutboxStore | undefined
}

/**
 * The portal-access workflows over a storage adapter: each call runs in its own transaction of
 * the site, so the token and its mail (with `notify`) commit or roll back together.
 *
 * @example
 * const ports: PortalAccessStorage = { storage: createMemoryStorage(), ids: { next: () => crypto.randomUUID() } }
 */
export interface PortalAccessStorage {
  /** The storage adapter (its `directory`, `access` and `outbox` ports). */
  storage: StoragePorts
  /** Record ids. */
  ids: IdSource
}

/**
 * The `notify` option of {@link openPortalAccess} and {@link requestPasswordReset}: with it the
 * token's mail ({@link queuePortalTokenMail}: the login and the token, nothing else secret) is
 * written to the outbox in the transaction that issues the token.
 *
 * @example
 * const notify: TokenNotify = { siteName: 'École Jules Ferry', locale: 'fr', sender: { from: '"École Jules Ferry" <no-reply@ecole.example>' }, portalUrl: 'https://portail.example' }
 */
export interface TokenNotify {
  /** The site's name, in the subject. */
  siteName: string
  /** The language of the mail. */
  locale: MailLocale
  /** `From` and `Reply-To` (see `mailSender`). */
  sender: { from: string; replyTo?: string | undefined }
  /** The portal's address, linked from the mail. */
  portalUrl: string
}

/**
 * The `notify` of {@link requestPasswordReset}: a `requestId` (the idempotency key of the
 * request, e.g. the HTTP request's) makes a replay of the same request answer `replayed` without
 * issuing a new token (which would void the mailed one) or queueing a second mail.
 *
 * @example
 * const notify: PasswordResetNotify = { siteName: 'École', locale: 'fr', sender: { from: 'no-reply@ecole.example' }, portalUrl: 'https://portail.example', requestId: 'req-42' }
 */
export interface PasswordResetNotify extends TokenNotify {
  /** The request's idempotency key (the outbox id is `token:passwordReset:<requestId>`); the token's record id otherwise. */
  requestId?: string | undefined
}

/**
 * The ports {@link requestPasswordReset} takes when it runs in the caller's transaction: access
 * storage and ids, the outbox for `notify`, and the directory, with which a guardian who may not
 * use the portal (archived) is sent nothing. Given `{ storage, ids }` the directory is always read.
 *
 * @example
 * const ports: PasswordResetPorts = { access: tx.access!, directory: tx.directory!, outbox: tx.outbox!, ids }
 */
export type PasswordResetPorts = Pick<PortalAccessPorts, 'access' | 'ids' | 'outbox'> & { directory?: DirectoryStore | undefined }

/**
 * What {@link requestPasswordReset} answers with `notify`: the token and the outbox id of its mail,
 * or, for a replay of the same `requestId`, the mail queued the first time (no new token).
 *
 * @example
 * const r: PasswordResetResult = { guardianId: 'marie', replayed: true, mailId: 'token:passwordReset:req-42' }
 */
export type PasswordResetResult = { guardianId: string; token: string; mailId: string; replayed: false } | { guardianId: string; replayed: true; mailId: string }

/**
 * A guardian whose portal access {@link openPortalAccess} opens, or {@link resendPortalAccessToken} mails again.
 *
 * @example
 * const args: OpenPortalAccessArgs = { siteId: 's1', guardianId: 'marie', now: clock.now(), notify: { siteName: 'Ville de Lyon', locale: 'fr', sender: { from: 'noreply@lyon.fr' }, portalUrl: 'https://portail.lyon.fr' } }
 */
export interface OpenPortalAccessArgs {
  /** The site. */
  siteId: string
  /** The guardian. */
  guardianId: string
  /** The current instant. */
  now: Date
  /** How long the token works; 48 hours by default. */
  ttlMs?: number
  /** Queue the token's mail to the guardian (none when absent). */
  notify?: TokenNotify | undefined
}

/**
 * A password reset asked from the portal's sign-in page, by login.
 *
 * @example
 * const args: PasswordResetRequest = { siteId: 's1', login: 'marie@example.fr', now: clock.now() }
 */
export interface PasswordResetRequest {
  /** The site. */
  siteId: string
  /** The login typed (an e-mail address). */
  login: string
  /** The current instant. */
  now: Date
  /** How long the token works; 48 hours by default. */
  ttlMs?: number | undefined
  /** Queue the token's mail (none when absent). */
  notify?: PasswordResetNotify | undefined
}

/**
 * A guardian whose portal access is read or closed.
 *
 * @example
 * const args: PortalAccessArgs = { siteId: 's1', guardianId: 'marie' }
 */
export interface PortalAccessArgs {
  /** The site. */
  siteId: string
  /** The guardian. */
  guardianId: string
}

/**
 * A guardian whose portal access {@link closePortalAccess} closes.
 *
 * @example
 * const args: ClosePortalAccessArgs = { siteId: 's1', guardianId: 'marie', now: clock.now() }
 */
export interface ClosePortalAccessArgs extends PortalAccessArgs {
  /** The current instant. */
  now: Date
  /** scrypt cost parameters of the password nobody knows (the defaults when absent). */
  scrypt?: ScryptParams | undefined
}

const OPEN_KINDS: OptionKinds<OpenPortalAccessArgs> = { siteId: 'any', guardianId: 'any', now: 'any', ttlMs: 'number?', notify: 'object?' }
const RESET_KINDS: OptionKinds<PasswordResetRequest> = { siteId: 'any', login: 'any', now: 'any', ttlMs: 'number?', notify: 'object?' }
const ACCESS_KINDS: OptionKinds<PortalAccessArgs> = { siteId: 'any', guardianId: 'any' }
const CLOSE_KINDS: OptionKinds<ClosePortalAccessArgs> = { ...ACCESS_KINDS, now: 'any', scrypt: 'object?' }
const NOTIFY_KINDS: OptionKinds<TokenNotify> = { siteName: 'any', locale: 'any', sender: 'object', portalUrl: 'any' }
/** @internal The keys of a reset request's `notify`. */
export const RESET_NOTIFY_KINDS: OptionKinds<PasswordResetNotify> = { ...NOTIFY_KINDS, requestId: 'string?' }
const SENDER_KINDS: OptionKinds<TokenNotify['sender']> = { from: 'any', replyTo: 'string?' }

/**
 * @internal Checks a request's keys, and those of its `notify` and `notify.sender` (`INVALID_INPUT`
 * naming `args.<key>` and the nearest known key).
 */
export function checkTokenRequest<T extends object>(fn: string, args: unknown, kinds: OptionKinds<T>, notifyKinds: OptionKinds<TokenNotify> | OptionKinds<PasswordResetNotify> = NOTIFY_KINDS): void {
  const a = checkOptions<T>(fn, 'args', args, kinds) as { notify?: unknown; scrypt?: unknown }
  if (typeof a.notify === 'object' && a.notify !== null) {
    const notify = checkOptions<TokenNotify>(fn, 'args.notify', a.notify, notifyKinds)
    if (typeof notify.sender === 'object' && notify.sender !== null) checkOptions(fn, 'args.notify.sender', notify.sender, SENDER_KINDS)
  }
  if (typeof a.scrypt === 'object' && a.scrypt !== null) checkOptions<ScryptParams>(fn, 'args.scrypt', a.scrypt, SCRYPT_KINDS)
}

function inTransaction<T>(ports: PortalAccessPorts | PortalAccessStorage | Pick<PortalAccessPorts, 'access' | 'ids' | 'outbox'> | Pick<PortalAccessPorts, 'access'>, siteId: string, fn: (p: PortalAccessPorts) => Promise<T>): Promise<T> {
  if ('storage' in ports) {
    const { storage, ids } = ports
    return storage.transaction(siteId, (tx) => {
      if (!tx.directory || !tx.access) throw new EcoleError('PORT_MISSING', 'the storage adapter has no directory or access port, which portal access needs', { details: { port: tx.directory ? 'access' : 'directory' } })
      return fn({ directory: tx.directory, access: tx.access, outbox: tx.outbox, ids })
    })
  }
  return fn(ports as PortalAccessPorts)
}

function outboxOf(p: { outbox?: OutboxStore | undefined }): OutboxStore {
  if (!p.outbox) throw new EcoleError('PORT_MISSING', 'notify needs the outbox port (pass { storage, ids }, or the outbox of the transaction that issues the token)', { details: { port: 'outbox', field: 'notify' } })
  return p.outbox
}

/** What {@link openPortalAccess} answers: the account and the first-login token to e-mail (and, with `notify`, the outbox id of that mail), or why not. */
export type OpenPortalAccessResult = { ok: true; account: PortalAccount; token: string; mailId?: string } | { ok: false; refusal: PortalAccountRefusal }

/**
 * Gives a guardian access to the parent portal (seed 001 "créer un login"): the login is made from
 * their e-mail (refused without one, `EMAIL_REQUIRED`), and a first-login token is issued for the
 * e-mail that tells them (seed 004).
 *
 * Given `{ storage, ids }` it runs in its own transaction; given ports, in the caller's. With
 * `notify`, the first-login mail is queued in that same transaction (outbox id
 * `token:firstLogin:<guardian id>:<opening>`, one per opening of the access, `<opening>` naming the
 * password left by the last closing, or `first`, `opening-2`... when there is none): a failure or rollback
 * queues nothing, and a replay (refused with `ACCOUNT_EXISTS`) queues nothing new. Of two
 * transactions opening the same access at once, one mails its token and the other is refused with
 * `ACCOUNT_EXISTS` (in the caller's transaction it throws `PORTAL_ACCESS_OPENED_MEANWHILE`: roll back).
 *
 * @example
 * const r = await openPortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now: clock.now(),
 *   notify: { siteName: 'École Jules Ferry', locale: 'fr', sender: { from: '"École Jules Ferry" <no-reply@ecole.example>' }, portalUrl: 'https://portail.example' } })
 * if (r.ok) r.mailId //=> 'token:firstLogin:marie:first'
 * @throws EcoleError `NOT_FOUND` for an unknown guardian, `PORT_MISSING` (the outbox, with `notify`), `INVALID_HEADER`, `PORTAL_ACCESS_OPENED_MEANWHILE` (given ports); `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function openPortalAccess(
  ports: PortalAccessPorts | PortalAccessStorage,
  args: OpenPortalAccessArgs,
): Promise<OpenPortalAccessResult> {
  try {
    checkTokenRequest<OpenPortalAccessArgs>('openPortalAccess', args, OPEN_KINDS)
    try {
      return await inTransaction(ports, args.siteId, (p) => openIn(p, args))
    } catch (error) {
      // in its own transaction (rolled back by the throw), the loser of a race is told the access exists
      if ('storage' in ports && isEcoleError(error, 'PORTAL_ACCESS_OPENED_MEANWHILE')) return { ok: false, refusal: { code: 'ACCOUNT_EXISTS', guardianId: args.guardianId } }
      throw error
    }
  } catch (error) {
    throw asUseCaseError(error, 'openPortalAccess', { ports: [ports, 'object', 'the host’s wiring ({ storage, ids } or the ports)'], args: [args, 'object', 'the guardian ({ siteId, guardianId, now })'] })
  }
}

/**
 * The outbox id of an opening's first-login mail: the same for every transaction opening the
 * access from the same state, so of two at once the second to queue finds the first's mail. Named
 * by the password the guardian had before (every closing leaves a new one), or, with none, by the
 * first of `first`, `opening-2`, `opening-3`... not in the outbox yet: an account deleted with its
 * password (`AccessStore.deletePortalAccount` called directly) can be opened again.
 */
async function openingMailId(outbox: OutboxStore, siteId: string, guardianId: string, passwordHashBefore: string | undefined): Promise<string> {
  const base = `token:firstLogin:${guardianId}:`
  if (passwordHashBefore !== undefined) return base + createHash('sha256').update(passwordHashBefore).digest('hex').slice(0, 16)
  for (let n = 1; ; n++) {
    const id = base + (n === 1 ? 'first' : `opening-${n}`)
    if ((await outbox.get(siteId, id)) === undefined) return id
  }
}

async function openIn(ports: PortalAccessPorts, args: { siteId: string; guardianId: string; now: Date; ttlMs?: number; notify?: TokenNotify | undefined }): Promise<OpenPortalAccessResult> {
  const outbox = args.notify ? outboxOf(ports) : undefined
  const guardian = await ports.directory.getDirectoryRecord(args.siteId, 'guardian', args.guardianId)
  if (!guardian) throw new EcoleError('NOT_FOUND', `guardian ${JSON.stringify(args.guardianId)} does not exist`, { details: { guardianId: args.guardianId } })
  // which opening this is, read before the account: the password the guardian had before (every
  // closing leaves a new one), or none; an opening that commits after these reads names its mail
  // the same (see openingMailId), one that committed before them is seen below as an account
  const before = await ports.access.getCredential(args.siteId, { kind: 'guardian', id: guardian.id })
  const mailId = outbox ? await openingMailId(outbox, args.siteId, guardian.id, before?.passwordHash) : undefined
  const existing: PortalAccount[] = []
  const own = await ports.access.getPortalAccount(args.siteId, guardian.id)
  if (own) existing.push(own)
  if (guardian.email) {
    const other = await ports.access.findPortalAccountByLogin(args.siteId, portalLogin(guardian.email))
    if (other && other.guardianId !== guardian.id) existing.push(other)
  }
  const created = createPortalAccount(guardian, existing)
  if (!created.ok) return created
  const account: PortalAccount = { ...created.account, openedAt: args.now.toISOString() }
  await ports.access.putPortalAccount(args.siteId, account)
  const { token, record } = await issueOneTimeToken({
    access: ports.access, ids: ports.ids, siteId: args.siteId, subject: { kind: 'guardian', id: guardian.id }, purpose: 'firstLogin', now: args.now,
    ...(args.ttlMs === undefined ? {} : { ttlMs: args.ttlMs }),
  })
  if (!outbox || !args.notify || mailId === undefined) return { ok: true, account, token }
  // One mail per opening: its id names the guardian and the opening (the credential it follows), so
  // of two transactions opening the same access at once (both saw no account), the second to queue
  // finds the first's mail and rolls back, leaving the first's token, the one mailed, valid.
  const meanwhile = () => new EcoleError('PORTAL_ACCESS_OPENED_MEANWHILE', `the portal access of guardian ${JSON.stringify(guardian.id)} was opened by another transaction meanwhile`, { details: { guardianId: guardian.id, mailId } })
  try {
    // the other opening's mail has another token: the outbox answers IDEMPOTENCY_CONFLICT (or `exists`)
    if ((await queuePortalTokenMail(outbox, { siteId: args.siteId, id: mailId, purpose: 'firstLogin', ...args.notify, to: guardian.email!, login: account.login, token })) === 'exists') throw meanwhile()
  } catch (error) {
    if (isEcoleError(error, 'IDEMPOTENCY_CONFLICT')) throw meanwhile()
    throw error
  }
  return { ok: true, account, token, mailId }
}

/**
 * "Forgotten password" (seed 004): issues a new token for the portal account with this login,
 * replacing any earlier token. `undefined` when no account has that login, or when its guardian
 * may not use the portal ({@link mayUsePortal}: archived, or their record gone; nothing is issued
 * or mailed): tell the person the same thing either way, so logins cannot be probed.
 *
 * Given `{ storage, ids }` it runs in its own transaction; given ports, in the caller's. With
 * `notify`, the reset mail is queued in that same transaction (to the login, which is the
 * guardian's e-mail): a failure or rollback queues nothing; with `notify.requestId`, a replay of the
 * same request answers `replayed` and neither issues a token nor queues a mail.
 *
 * @example
 * const r = await requestPasswordReset(ports, { siteId: 's1', login: 'marie@example.fr', now })
 * const mailed = await requestPasswordReset({ storage, ids }, { siteId: 's1', login: 'marie@example.fr', now,
 *   notify: { siteName: 'École', locale: 'fr', sender: { from: 'no-reply@ecole.example' }, portalUrl: 'https://portail.example', requestId: 'req-42' } })
 * @throws EcoleError `PORT_MISSING` (the outbox, with `notify`), `INVALID_HEADER`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function requestPasswordReset(
  ports: PasswordResetPorts | PortalAccessStorage,
  args: { siteId: string; login: string; now: Date; ttlMs?: number; notify?: undefined },
): Promise<{ guardianId: string; token: string } | undefined>
export async function requestPasswordReset(
  ports: PasswordResetPorts | PortalAccessStorage,
  args: { siteId: string; login: string; now: Date; ttlMs?: number; notify: PasswordResetNotify },
): Promise<PasswordResetResult | undefined>
export async function requestPasswordReset(
  ports: PasswordResetPorts | PortalAccessStorage,
  args: PasswordResetRequest,
): Promise<{ guardianId: string; token: string } | PasswordResetResult | undefined> {
  try {
    checkTokenRequest<PasswordResetRequest>('requestPasswordReset', args, RESET_KINDS, RESET_NOTIFY_KINDS)
    return await inTransaction(ports, args.siteId, async (p) => {
      const outbox = args.notify ? outboxOf(p) : undefined
      const account = await p.access.findPortalAccountByLogin(args.siteId, portalLogin(args.login))
      if (!account) return undefined
      // an archived guardian (access left open) is told what an unknown login is told, and sent nothing
      const directory = (p as Partial<PortalAccessPorts>).directory
      if (directory && !(await mayUsePortal({ access: p.access, directory, siteId: args.siteId, guardianId: account.guardianId }))) return undefined
      const requestId = args.notify?.requestId
      if (outbox && requestId !== undefined) {
        const mailId = `token:passwordReset:${requestId}`
        if (await outbox.get(args.siteId, mailId)) return { guardianId: account.guardianId, replayed: true, mailId }
      }
      const { token, record } = await issueOneTimeToken({
        access: p.access, ids: p.ids, siteId: args.siteId, subject: { kind: 'guardian', id: account.guardianId }, purpose: 'passwordReset', now: args.now,
        ...(args.ttlMs === undefined ? {} : { ttlMs: args.ttlMs }),
      })
      if (!outbox || !args.notify) return { guardianId: account.guardianId, token }
      const { requestId: _r, ...notify } = args.notify
      const mailId = `token:passwordReset:${requestId ?? record.id}`
      await queuePortalTokenMail(outbox, { siteId: args.siteId, id: mailId, purpose: 'passwordReset', ...notify, to: account.login, login: account.login, token })
      return { guardianId: account.guardianId, token, mailId, replayed: false }
    })
  } catch (error) {
    throw asUseCaseError(error, 'requestPasswordReset', { ports: [ports, 'object', 'the host’s wiring ({ storage, ids } or the ports)'], args: [args, 'object', 'the request ({ siteId, login, now })'] })
  }
}

/**
 * Where a guardian's portal access stands (seed 001 "Portail parents", the staff's view):
 * `none` (no login), `invited` (a login, no password chosen with the mailed token yet) or
 * `active` (the guardian chose a password after access was opened; `activatedAt` says when).
 *
 * @example
 * const s: PortalAccessState = { state: 'active', account: { siteId: 's1', guardianId: 'marie', login: 'marie@example.fr' }, activatedAt: '2027-01-20T09:05:00.000Z' }
 */
export type PortalAccessState =
  | { state: 'none' }
  | { state: 'invited'; account: PortalAccount }
  | { state: 'active'; account: PortalAccount; activatedAt: string }

/**
 * A guardian's portal access as the back office shows it: whether a login exists and whether the
 * guardian activated it (chose a password with the token mailed when access was opened).
 *
 * @example
 * const s = await portalAccessStatus({ storage }, { siteId: 's1', guardianId: 'marie' })
 * s.state //=> 'invited'
 * @throws EcoleError `PORT_MISSING`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function portalAccessStatus(ports: { storage: StoragePorts }, args: PortalAccessArgs): Promise<PortalAccessState> {
  try {
    checkOptions<PortalAccessArgs>('portalAccessStatus', 'args', args, ACCESS_KINDS)
    const access = ports.storage.access
    if (!access) throw new EcoleError('PORT_MISSING', 'the storage adapter has no access port, which portal access needs', { details: { port: 'access' } })
    const account = await access.getPortalAccount(args.siteId, args.guardianId)
    if (!account) return { state: 'none' }
    const credential = await access.getCredential(args.siteId, { kind: 'guardian', id: args.guardianId })
    if (!credential || (account.openedAt !== undefined && credential.updatedAt < account.openedAt)) return { state: 'invited', account }
    return { state: 'active', account, activatedAt: credential.updatedAt }
  } catch (error) {
    throw asUseCaseError(error, 'portalAccessStatus', { ports: [ports, 'object', 'the host’s wiring ({ storage })'], args: [args, 'object', 'the guardian ({ siteId, guardianId })'] })
  }
}

/** What {@link resendPortalAccessToken} answers: the new token and the outbox id of its mail, or why not. */
export type ResendPortalTokenResult = { ok: true; token: string; mailId: string } | { ok: false; refusal: { code: 'NO_ACCOUNT' | 'EMAIL_REQUIRED' | 'GUARDIAN_ARCHIVED'; guardianId: string } }

/**
 * Sends a guardian a new first-login token (seed 001: "renvoyer le jeton" when the first mail was
 * lost or the token expired): the earlier token stops working, and the mail is queued in the same
 * transaction. Refused without portal access (`NO_ACCOUNT`: open it first), when the guardian
 * has no e-mail any more (`EMAIL_REQUIRED`), or when they are archived (`GUARDIAN_ARCHIVED`: an
 * access left open when they were archived gets no token; close it). A guardian who already chose a password keeps it until
 * they use the new token.
 *
 * @example
 * const r = await resendPortalAccessToken({ storage, ids }, { siteId: 's1', guardianId: 'marie', now: clock.now(),
 *   notify: { siteName: 'École Jules Ferry', locale: 'fr', sender: { from: 'no-reply@ecole.example' }, portalUrl: 'https://portail.example' } })
 * if (r.ok) r.mailId //=> 'token:firstLogin:<token record id>'
 * @throws EcoleError `NOT_FOUND` for an unknown guardian, `PORT_MISSING`, `INVALID_HEADER`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function resendPortalAccessToken(
  ports: PortalAccessStorage,
  args: OpenPortalAccessArgs & { notify: TokenNotify },
): Promise<ResendPortalTokenResult> {
  try {
    checkTokenRequest<OpenPortalAccessArgs>('resendPortalAccessToken', args, OPEN_KINDS)
    return await inTransaction(ports, args.siteId, async (p) => {
      const outbox = outboxOf(p)
      const guardian = await p.directory.getDirectoryRecord(args.siteId, 'guardian', args.guardianId)
      if (!guardian) throw new EcoleError('NOT_FOUND', `guardian ${JSON.stringify(args.guardianId)} does not exist`, { details: { guardianId: args.guardianId } })
      const account = await p.access.getPortalAccount(args.siteId, guardian.id)
      if (!account) return { ok: false, refusal: { code: 'NO_ACCOUNT', guardianId: guardian.id } }
      if (guardian.archived !== null) return { ok: false, refusal: { code: 'GUARDIAN_ARCHIVED', guardianId: guardian.id } }
      if (!guardian.email) return { ok: false, refusal: { code: 'EMAIL_REQUIRED', guardianId: guardian.id } }
      const { token, record } = await issueOneTimeToken({
        access: p.access, ids: p.ids, siteId: args.siteId, subject: { kind: 'guardian', id: guardian.id }, purpose: 'firstLogin', now: args.now,
        ...(args.ttlMs === undefined ? {} : { ttlMs: args.ttlMs }),
      })
      const mailId = `token:firstLogin:${record.id}`
      await queuePortalTokenMail(outbox, { siteId: args.siteId, id: mailId, purpose: 'firstLogin', ...args.notify, to: guardian.email, login: account.login, token })
      return { ok: true, token, mailId }
    })
  } catch (error) {
    throw asUseCaseError(error, 'resendPortalAccessToken', { ports: [ports, 'object', 'the host’s wiring ({ storage, ids })'], args: [args, 'object', 'the guardian ({ siteId, guardianId, now, notify })'] })
  }
}

/**
 * Closes a guardian's portal access (seed 001: "désactiver l'accès"): the login is removed (they
 * can no longer sign in, and the address is free again), the password they had (if any) is
 * deleted with it and no token of theirs works any more (`AccessStore.deletePortalAccount`), so
 * opening access again does not bring either back. An unknown password, dated just before `now`,
 * is left in its place: it tells the next opening apart from the earlier ones (each mails its own
 * token) and nobody can sign in with it. `false` when there was no access to close.
 *
 * Given `{ storage, ids }` it runs in its own transaction; given ports, in the caller's: a host
 * that archives a guardian (a family that left the school) closes their access in the transaction
 * that archives them, so both happen or neither. The host also ends the guardian's open sessions
 * (or checks {@link mayUsePortal} on every request).
 *
 * @example
 * await closePortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now: clock.now() }) //=> true
 * // in the transaction that archives Marie
 * await storage.transaction('s1', (tx) => closePortalAccess({ access: tx.access! }, { siteId: 's1', guardianId: 'marie', now: clock.now() }))
 * @throws EcoleError `PORT_MISSING`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function closePortalAccess(ports: PortalAccessStorage | Pick<PortalAccessPorts, 'access'>, args: ClosePortalAccessArgs): Promise<boolean> {
  try {
    checkTokenRequest<ClosePortalAccessArgs>('closePortalAccess', args, CLOSE_KINDS)
    return await inTransaction(ports, args.siteId, async (p) => {
      const account = await p.access.getPortalAccount(args.siteId, args.guardianId)
      if (!account) return false
      // the account, the guardian's password and every token of theirs go together (the port's contract)
      await p.access.deletePortalAccount(args.siteId, args.guardianId)
      const subject = { kind: 'guardian' as const, id: args.guardianId }
      // a password nobody knows (a new salt each time: the next opening is told apart from the earlier ones),
      // dated just before the closing: an access opened again, even at the same instant, is not activated by it
      const updatedAt = new Date(args.now.getTime() - 1).toISOString()
      await p.access.putCredential(args.siteId, { subject, passwordHash: await hashPassword(generateTokenSecret(), args.scrypt), updatedAt })
      return true
    })
  } catch (error) {
    throw asUseCaseError(error, 'closePortalAccess', { ports: [ports, 'object', 'the host’s wiring ({ storage, ids } or the ports)'], args: [args, 'object', 'the guardian ({ siteId, guardianId, now })'] })
  }
}
