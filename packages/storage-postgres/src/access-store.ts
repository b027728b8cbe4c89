import { EcoleError, isEcoleError, type CredentialSubject, type OneTimeTokenRecord, type PortalAccount, type User } from '@ecole/core'
import type { AccessStore, Page, PageRequest, StoredCredential } from '@ecole/core/ports'
import type { PgAccess } from './access'
import type { SqlClient } from './driver'
import { decodeDocument, encodeDocument, withSavepoint } from './documents'
import { assertRecordSite, deleteRecord, getRecord, listRecords, putRecord } from './records'

const subjectId = (s: CredentialSubject) => `${s.kind}:${s.id}`

/** Claims `login` for `ownerId` in a namespace (releasing the owner's previous login), or throws `LOGIN_TAKEN`. */
async function claimLogin(c: SqlClient, siteId: string, namespace: 'portal' | 'user', login: string, ownerId: string): Promise<void> {
  try {
    await withSavepoint(c, async () => {
      await c.query('DELETE FROM ecole_logins WHERE site_id = $1 AND namespace = $2 AND owner_id = $3 AND login <> $4', [siteId, namespace, ownerId, login])
      const rows = await c.query<{ owner_id: string }>(
        `INSERT INTO ecole_logins (site_id, namespace, login, owner_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_id, namespace, login) DO UPDATE SET owner_id = ecole_logins.owner_id RETURNING owner_id`,
        [siteId, namespace, login, ownerId],
      )
      if (rows[0]?.owner_id !== ownerId) throw new EcoleError('LOGIN_TAKEN', `the login ${login} is already used on this site`, { details: { login } })
    })
  } catch (error) {
    if (isEcoleError(error) && error.code === 'STORAGE_CONSTRAINT') {
      // a concurrent transaction gave this owner a login first (one login per owner): if it is this
      // very login, the claim holds (both wanted the same thing); otherwise the login is taken
      const [mine] = await c.query<{ login: string }>('SELECT login FROM ecole_logins WHERE site_id = $1 AND namespace = $2 AND owner_id = $3', [siteId, namespace, ownerId])
      if (mine?.login === login) return
      throw new EcoleError('LOGIN_TAKEN', `the login ${login} is already used on this site`, { details: { login }, cause: error })
    }
    throw error
  }
}

/** Deletes a subject's password hash and every one-time token of theirs, in the caller's transaction. */
async function forgetSecrets(c: SqlClient, siteId: string, subject: CredentialSubject): Promise<void> {
  await deleteRecord(c, siteId, 'credential', subjectId(subject))
  await c.query('DELETE FROM ecole_one_time_tokens WHERE site_id = $1 AND subject_kind = $2 AND subject_id = $3', [siteId, subject.kind, subject.id])
}

/**
 * A user by login: the login's row by the primary key of `ecole_logins` (site, namespace, login),
 * the key that keeps logins unique, then the user's record by its own key; no scan. @internal
 */
export const FIND_USER_BY_LOGIN_SQL = `SELECT r.body FROM ecole_logins l
  JOIN ecole_records r ON r.site_id = l.site_id AND r.kind = 'user' AND r.id = l.owner_id
  WHERE l.site_id = $1 AND l.namespace = 'user' AND l.login = $2`

/** The PostgreSQL {@link AccessStore}. @internal */
export class PgAccessStore implements AccessStore {
  constructor(private readonly access: PgAccess) {}

  putOneTimeToken(siteId: string, record: OneTimeTokenRecord): Promise<void> {
    return this.access(siteId, async ({ client: c }) => {
      assertRecordSite(siteId, record)
      await c.query('DELETE FROM ecole_one_time_tokens WHERE site_id = $1 AND ((subject_kind = $2 AND subject_id = $3) OR id = $4)', [siteId, record.subject.kind, record.subject.id, record.id])
      await c.query(
        'INSERT INTO ecole_one_time_tokens (site_id, id, subject_kind, subject_id, hash, used_at, body) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)',
        [siteId, record.id, record.subject.kind, record.subject.id, record.hash, record.usedAt, encodeDocument(record)],
      )
    })
  }

  findOneTimeTokenByHash(siteId: string, hash: string): Promise<OneTimeTokenRecord | undefined> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ body: unknown; used_at: string | null }>('SELECT body, used_at FROM ecole_one_time_tokens WHERE site_id = $1 AND hash = $2 LIMIT 1', [siteId, hash])
      return row ? { ...decodeDocument<OneTimeTokenRecord>(row.body), usedAt: row.used_at } : undefined
    })
  }

  markOneTimeTokenUsed(siteId: string, tokenId: string, usedAt: string): Promise<boolean> {
    return this.access(siteId, async ({ client: c }) => {
      const rows = await c.query('UPDATE ecole_one_time_tokens SET used_at = $3 WHERE site_id = $1 AND id = $2 AND used_at IS NULL RETURNING id', [siteId, tokenId, usedAt])
      return rows.length > 0
    })
  }

  getCredential(siteId: string, subject: CredentialSubject): Promise<StoredCredential | undefined> {
    return this.access(siteId, ({ client }) => getRecord<StoredCredential>(client, siteId, 'credential', subjectId(subject)))
  }

  putCredential(siteId: string, credential: StoredCredential): Promise<void> {
    return this.access(siteId, async ({ client }) => {
      await putRecord(client, siteId, 'credential', subjectId(credential.subject), credential)
    })
  }

  getPortalAccount(siteId: string, guardianId: string): Promise<PortalAccount | undefined> {
    return this.access(siteId, ({ client }) => getRecord<PortalAccount>(client, siteId, 'portalAccount', guardianId))
  }

  findPortalAccountByLogin(siteId: string, login: string): Promise<PortalAccount | undefined> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ owner_id: string }>("SELECT owner_id FROM ecole_logins WHERE site_id = $1 AND namespace = 'portal' AND login = $2", [siteId, login])
      return row ? getRecord<PortalAccount>(c, siteId, 'portalAccount', row.owner_id) : undefined
    })
  }

  putPortalAccount(siteId: string, account: PortalAccount): Promise<void> {
    return this.access(siteId, async ({ client: c }) => {
      assertRecordSite(siteId, account)
      await claimLogin(c, siteId, 'portal', account.login, account.guardianId)
      await putRecord(c, siteId, 'portalAccount', account.guardianId, account)
    })
  }

  deletePortalAccount(siteId: string, guardianId: string): Promise<boolean> {
    return this.access(siteId, async ({ client: c }) => {
      await c.query("DELETE FROM ecole_logins WHERE site_id = $1 AND namespace = 'portal' AND owner_id = $2", [siteId, guardianId])
      await forgetSecrets(c, siteId, { kind: 'guardian', id: guardianId }) // a closed access keeps no password and no token
      return deleteRecord(c, siteId, 'portalAccount', guardianId)
    })
  }

  getUser(siteId: string, userId: string): Promise<User | undefined> {
    return this.access(siteId, ({ client }) => getRecord<User>(client, siteId, 'user', userId))
  }

  findUserByLogin(siteId: string, login: string): Promise<User | undefined> {
    if (typeof login !== 'string') return Promise.reject(EcoleError.invalidInput('login', 'must be a string'))
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ body: unknown }>(FIND_USER_BY_LOGIN_SQL, [siteId, login.trim().toLowerCase()])
      return row ? decodeDocument<User>(row.body) : undefined
    })
  }

  createUser(siteId: string, user: User): Promise<'created' | 'exists'> {
    return this.access(siteId, async ({ client: c }) => {
      assertRecordSite(siteId, user)
      return withSavepoint(c, async () => {
        // insert first: of two concurrent creations of one id, the unique key lets exactly one in
        const inserted = await c.query(
          'INSERT INTO ecole_records (site_id, kind, id, body) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (site_id, kind, id) DO NOTHING RETURNING id',
          [siteId, 'user', user.id, encodeDocument(user)],
        )
        if (inserted.length === 0) {
          const [row] = await c.query<{ same: boolean }>('SELECT body = $4::jsonb AS same FROM ecole_records WHERE site_id = $1 AND kind = $2 AND id = $3', [siteId, 'user', user.id, encodeDocument(user)])
          if (row?.same) return 'exists' as const
          throw new EcoleError('USER_EXISTS', `a user with id ${user.id} already exists: creating never replaces a user (update it instead)`, { details: { userId: user.id } })
        }
        await claimLogin(c, siteId, 'user', user.login, user.id)
        await forgetSecrets(c, siteId, { kind: 'user', id: user.id }) // a new user has no password and no token until their own token is used
        return 'created' as const
      })
    })
  }

  putUser(siteId: string, user: User): Promise<void> {
    return this.access(siteId, async ({ client: c }) => {
      assertRecordSite(siteId, user)
      await claimLogin(c, siteId, 'user', user.login, user.id)
      await putRecord(c, siteId, 'user', user.id, user)
    })
  }

  deleteUser(siteId: string, userId: string): Promise<boolean> {
    return this.access(siteId, async ({ client: c }) => {
      await c.query("DELETE FROM ecole_logins WHERE site_id = $1 AND namespace = 'user' AND owner_id = $2", [siteId, userId])
      await forgetSecrets(c, siteId, { kind: 'user', id: userId })
      return deleteRecord(c, siteId, 'user', userId)
    })
  }

  listUsers(siteId: string, page?: PageRequest): Promise<Page<User>> {
    return this.access(siteId, ({ client }) => listRecords<User>(client, siteId, 'user', page))
  }
}
