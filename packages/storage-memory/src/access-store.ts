import { EcoleError, type CredentialSubject, type OneTimeTokenRecord, type PortalAccount, type User } from '@ecole/core'
import type { AccessStore, Page, PageRequest, StoredCredential } from '@ecole/core/ports'
import { paginate, tupleKey, type Access } from './access'
import { assertRecordSite } from './directory-store'
import { copy, type TxView } from './site-state'

const TOKENS = 'oneTimeTokens'
const CREDENTIALS = 'credentials'
const PORTAL = 'portalAccounts'
const USERS = 'users'

const subjectKey = (s: CredentialSubject) => tupleKey(s.kind, s.id)

/** A login as users' logins are stored (`UserSchema`: trimmed, lower-cased). */
function userLoginKey(login: string): string {
  if (typeof login !== 'string') throw EcoleError.invalidInput('login', 'must be a string')
  return login.trim().toLowerCase()
}

function loginTaken(login: string): EcoleError {
  return new EcoleError('LOGIN_TAKEN', `the login ${login} is already used on this site`, { details: { login } })
}

/** The in-memory {@link AccessStore}. @internal */
export class MemoryAccessStore implements AccessStore {
  constructor(private readonly access: Access) {}

  putOneTimeToken(siteId: string, record: OneTimeTokenRecord): Promise<void> {
    return this.access(siteId, (v) => {
      assertRecordSite(siteId, record)
      const tokens = v.write<OneTimeTokenRecord>(TOKENS)
      for (const [id, t] of [...tokens]) if (subjectKey(t.subject) === subjectKey(record.subject)) tokens.delete(id)
      tokens.set(record.id, copy(record))
    })
  }

  findOneTimeTokenByHash(siteId: string, hash: string): Promise<OneTimeTokenRecord | undefined> {
    return this.access(siteId, (v) => copy([...v.read<OneTimeTokenRecord>(TOKENS).values()].find((t) => t.hash === hash)))
  }

  markOneTimeTokenUsed(siteId: string, tokenId: string, usedAt: string): Promise<boolean> {
    return this.access(siteId, (v) => {
      const t = v.read<OneTimeTokenRecord>(TOKENS).get(tokenId)
      if (!t || t.usedAt !== null) return false
      v.write<OneTimeTokenRecord>(TOKENS).set(tokenId, { ...copy(t), usedAt })
      return true
    })
  }

  getCredential(siteId: string, subject: CredentialSubject): Promise<StoredCredential | undefined> {
    return this.access(siteId, (v) => copy(v.read<StoredCredential>(CREDENTIALS).get(subjectKey(subject))))
  }

  putCredential(siteId: string, credential: StoredCredential): Promise<void> {
    return this.access(siteId, (v) => {
      v.write<StoredCredential>(CREDENTIALS).set(subjectKey(credential.subject), copy(credential))
    })
  }

  getPortalAccount(siteId: string, guardianId: string): Promise<PortalAccount | undefined> {
    return this.access(siteId, (v) => copy(v.read<PortalAccount>(PORTAL).get(guardianId)))
  }

  findPortalAccountByLogin(siteId: string, login: string): Promise<PortalAccount | undefined> {
    return this.access(siteId, (v) => copy([...v.read<PortalAccount>(PORTAL).values()].find((a) => a.login === login)))
  }

  putPortalAccount(siteId: string, account: PortalAccount): Promise<void> {
    return this.access(siteId, (v) => {
      assertRecordSite(siteId, account)
      for (const a of v.read<PortalAccount>(PORTAL).values()) if (a.login === account.login && a.guardianId !== account.guardianId) throw loginTaken(account.login)
      v.write<PortalAccount>(PORTAL).set(account.guardianId, copy(account))
    })
  }

  deletePortalAccount(siteId: string, guardianId: string): Promise<boolean> {
    return this.access(siteId, (v) => {
      forgetSecrets(v, { kind: 'guardian', id: guardianId }) // a closed access keeps no password and no token
      return v.read(PORTAL).has(guardianId) ? v.write(PORTAL).delete(guardianId) : false
    })
  }

  getUser(siteId: string, userId: string): Promise<User | undefined> {
    return this.access(siteId, (v) => copy(v.read<User>(USERS).get(userId)))
  }

  findUserByLogin(siteId: string, login: string): Promise<User | undefined> {
    const wanted = userLoginKey(login)
    return this.access(siteId, (v) => copy([...v.read<User>(USERS).values()].find((u) => u.login === wanted)))
  }

  createUser(siteId: string, user: User): Promise<'created' | 'exists'> {
    return this.access(siteId, (v) => {
      assertRecordSite(siteId, user)
      const existing = v.read<User>(USERS).get(user.id)
      if (existing) {
        if (sameContent(existing, user)) return 'exists' as const
        throw userExists(user.id)
      }
      for (const u of v.read<User>(USERS).values()) if (u.login === user.login) throw loginTaken(user.login)
      v.write<User>(USERS).set(user.id, copy(user))
      forgetSecrets(v, { kind: 'user', id: user.id }) // a new user has no password and no token until their own token is used
      return 'created' as const
    })
  }

  putUser(siteId: string, user: User): Promise<void> {
    return this.access(siteId, (v) => {
      assertRecordSite(siteId, user)
      for (const u of v.read<User>(USERS).values()) if (u.login === user.login && u.id !== user.id) throw loginTaken(user.login)
      v.write<User>(USERS).set(user.id, copy(user))
    })
  }

  deleteUser(siteId: string, userId: string): Promise<boolean> {
    return this.access(siteId, (v) => {
      forgetSecrets(v, { kind: 'user', id: userId })
      return v.read(USERS).has(userId) ? v.write(USERS).delete(userId) : false
    })
  }

  listUsers(siteId: string, page?: PageRequest): Promise<Page<User>> {
    return this.access(siteId, (v) => {
      const result = paginate([...v.read<User>(USERS).entries()], page)
      return { ...result, items: result.items.map(copy) }
    })
  }
}

/** Deletes a subject's password hash and every one-time token of theirs, in the transaction `v`. */
function forgetSecrets(v: TxView, subject: CredentialSubject): void {
  const key = subjectKey(subject)
  if (v.read(CREDENTIALS).has(key)) v.write(CREDENTIALS).delete(key)
  for (const [id, t] of [...v.read<OneTimeTokenRecord>(TOKENS)]) if (subjectKey(t.subject) === key) v.write(TOKENS).delete(id)
}

function userExists(userId: string): EcoleError {
  return new EcoleError('USER_EXISTS', `a user with id ${userId} already exists: creating never replaces a user (update it instead)`, { details: { userId } })
}

/** Whether two stored records hold the same content, whatever the order of their keys. */
function sameContent(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
}
