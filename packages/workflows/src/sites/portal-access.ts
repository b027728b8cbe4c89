import { EcoleError, createPortalAccount, portalLogin, type PortalAccount, type PortalAccountRefusal } from '@ecole/core'
import type { AccessStore, DirectoryStore, IdSource } from '@ecole/core/ports'
import { issueOneTimeToken } from './tokens'

/** The ports the portal-access workflows use. */
export interface PortalAccessPorts {
  /** Directory storage (guardians). */
  directory: DirectoryStore
  /** Access storage (accounts, tokens). */
  access: AccessStore
  /** Record ids. */
  ids: IdSource
}

/** What {@link openPortalAccess} answers: the account and the first-login token to e-mail, or why not. */
export type OpenPortalAccessResult = { ok: true; account: PortalAccount; token: string } | { ok: false; refusal: PortalAccountRefusal }

/**
 * Gives a guardian access to the parent portal (seed 001 "créer un login"): the login is made from
 * their e-mail (refused without one, `EMAIL_REQUIRED`), and a first-login token is issued for the
 * e-mail that tells them (seed 004).
 *
 * @example
 * const r = await openPortalAccess(ports, { siteId: 's1', guardianId: 'marie', now: clock.now() })
 * if (r.ok) await outbox.enqueue('s1', { id: `welcome-${r.account.guardianId}`, topic: 'mail.portalWelcome', payload: { to: r.account.login, token: r.token } })
 * @throws EcoleError `NOT_FOUND` for an unknown guardian.
 */
export async function openPortalAccess(
  ports: PortalAccessPorts,
  args: { siteId: string; guardianId: string; now: Date; ttlMs?: number },
): Promise<OpenPortalAccessResult> {
  const guardian = await ports.directory.getDirectoryRecord(args.siteId, 'guardian', args.guardianId)
  if (!guardian) throw new EcoleError('NOT_FOUND', `guardian ${JSON.stringify(args.guardianId)} does not exist`, { details: { guardianId: args.guardianId } })
  const existing: PortalAccount[] = []
  const own = await ports.access.getPortalAccount(args.siteId, guardian.id)
  if (own) existing.push(own)
  if (guardian.email) {
    const other = await ports.access.findPortalAccountByLogin(args.siteId, portalLogin(guardian.email))
    if (other && other.guardianId !== guardian.id) existing.push(other)
  }
  const created = createPortalAccount(guardian, existing)
  if (!created.ok) return created
  await ports.access.putPortalAccount(args.siteId, created.account)
  const { token } = await issueOneTimeToken({
    access: ports.access, ids: ports.ids, siteId: args.siteId, subject: { kind: 'guardian', id: guardian.id }, purpose: 'firstLogin', now: args.now,
    ...(args.ttlMs === undefined ? {} : { ttlMs: args.ttlMs }),
  })
  return { ok: true, account: created.account, token }
}

/**
 * "Forgotten password" (seed 004): issues a new token for the portal account with this login,
 * replacing any earlier token. `undefined` when no account has that login (tell the person the
 * same thing either way, so logins cannot be probed).
 *
 * @example
 * const r = await requestPasswordReset(ports, { siteId: 's1', login: 'marie@example.fr', now })
 */
export async function requestPasswordReset(
  ports: Pick<PortalAccessPorts, 'access' | 'ids'>,
  args: { siteId: string; login: string; now: Date; ttlMs?: number },
): Promise<{ guardianId: string; token: string } | undefined> {
  const account = await ports.access.findPortalAccountByLogin(args.siteId, portalLogin(args.login))
  if (!account) return undefined
  const { token } = await issueOneTimeToken({
    access: ports.access, ids: ports.ids, siteId: args.siteId, subject: { kind: 'guardian', id: account.guardianId }, purpose: 'passwordReset', now: args.now,
    ...(args.ttlMs === undefined ? {} : { ttlMs: args.ttlMs }),
  })
  return { guardianId: account.guardianId, token }
}
