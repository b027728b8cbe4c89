import { isEcoleError, type Child, type Guardian, type OneTimeTokenRecord, type PortalAccount, type PortalDocument, type Site, type User } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

// The stores keep records whole and opaque: these fixtures carry the fields the contract relies on.
const site = (id: string, over: Record<string, unknown> = {}) => ({ id, name: 'Commune de Vaulx', country: 'FR', timeZone: 'Europe/Paris', smtp: null, ...over }) as unknown as Site
const guardian = (siteId: string, id: string, over: Record<string, unknown> = {}) => ({ id, siteId, firstName: 'Marie', lastName: 'Dupont', ...over }) as unknown as Guardian
const child = (siteId: string, id: string) => ({ id, siteId, firstName: 'Léa', lastName: 'Dupont', birthDate: '2019-05-14', guardians: [] }) as unknown as Child
const user = (siteId: string, id: string, login: string) => ({ id, siteId, login, firstName: 'Ana', lastName: 'Rossi', roleId: 'cashier', profile: 'staff', scope: { schoolIds: 'all', serviceIds: 'all' }, messaging: ['email'] }) as unknown as User
const token = (siteId: string, id: string, hash: string, subjectId = 'marie'): OneTimeTokenRecord => ({
  id, siteId, subject: { kind: 'guardian', id: subjectId }, purpose: 'login', hash, issuedAt: '2026-09-01T08:00:00.000Z', expiresAt: '2026-09-01T09:00:00.000Z', usedAt: null,
}) as unknown as OneTimeTokenRecord
const doc = (siteId: string, id: string, size: number) => ({ id, siteId, name: 'Menus', key: `${siteId}/${id}.pdf`, mediaType: 'application/pdf', sizeBytes: size, audience: { kind: 'site' }, available: { from: '2026-09-01', to: '2026-09-30' } }) as unknown as PortalDocument

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  )
  return isEcoleError(e) ? e.code : e === undefined ? undefined : String(e)
}

/** Directory: site settings, records by kind, isolation, the whole directory. @internal */
export function describeDirectory(ctx: ConformanceContext): void {
  describe('directory', () => {
    it('keeps the SMTP settings of a site put again without them, and replaces them on demand', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const id = freshSiteId()
      expect(await codeOf(store.putSmtpSettings(id, null))).toBe('NOT_FOUND')
      expect(await store.putSite(id, site(id))).toBe('created')
      const sealed = { host: 'smtp.example.fr', port: 465, username: 'ecole@example.fr', security: 'ssl', password: { sealed: 'v1:abc' } } as unknown as NonNullable<Site['smtp']>
      await store.putSmtpSettings(id, sealed)
      expect(await store.putSite(id, site(id, { name: 'Ville de Vaulx', smtp: undefined }))).toBe('updated')
      expect(await store.getSite(id)).toEqual(site(id, { name: 'Ville de Vaulx', smtp: sealed }))
      expect(await codeOf(store.putSite(id, site('another-site')))).toBe('SITE_MISMATCH')
    })

    it('stores records by kind and id, refuses one of another site, and lists them in id order', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      expect(await store.putDirectoryRecord(s, 'guardian', guardian(s, 'paul'))).toBe('created')
      expect(await store.putDirectoryRecord(s, 'guardian', guardian(s, 'marie'))).toBe('created')
      expect(await store.putDirectoryRecord(s, 'guardian', guardian(s, 'paul', { lastName: 'Martin' }))).toBe('updated')
      await store.putDirectoryRecord(s, 'child', child(s, 'lea'))
      expect(await codeOf(store.putDirectoryRecord(s, 'guardian', guardian('elsewhere', 'x')))).toBe('SITE_MISMATCH')
      expect(await store.getDirectoryRecord(s, 'guardian', 'paul')).toEqual(guardian(s, 'paul', { lastName: 'Martin' }))
      expect(await store.getDirectoryRecord(s, 'child', 'paul')).toBeUndefined()
      expect((await store.listDirectoryRecords(s, 'guardian', { limit: 1 })).items.map((g) => g.id)).toEqual(['marie'])
      const state = await store.loadDirectory(s)
      expect(Object.keys(state.guardians).sort()).toEqual(['marie', 'paul'])
      expect(Object.keys(state.children)).toEqual(['lea'])
      expect(await store.deleteDirectoryRecord(s, 'guardian', 'marie')).toBe(true)
      expect(await store.deleteDirectoryRecord(s, 'guardian', 'marie')).toBe(false)
      expect((await store.loadDirectory(freshSiteId())).guardians).toEqual({})
    })
  })
}

/** Access: tokens by hash (one per subject, used once), logins unique per site. @internal */
export function describeAccess(ctx: ConformanceContext): void {
  describe('access', () => {
    it('keeps one token per subject and marks it used exactly once under concurrency', async () => {
      const store = need(ctx.storage().access, 'access')
      const s = freshSiteId()
      await store.putOneTimeToken(s, token(s, 't1', 'hash-1'))
      await store.putOneTimeToken(s, token(s, 't2', 'hash-2'))
      expect(await store.findOneTimeTokenByHash(s, 'hash-1')).toBeUndefined()
      expect(await store.findOneTimeTokenByHash(s, 'hash-2')).toEqual(token(s, 't2', 'hash-2'))
      const marks = await Promise.all(Array.from({ length: ctx.concurrency }, () => store.markOneTimeTokenUsed(s, 't2', '2026-09-01T08:05:00.000Z')))
      expect(marks.filter(Boolean)).toHaveLength(1)
      expect((await store.findOneTimeTokenByHash(s, 'hash-2'))?.usedAt).toBe('2026-09-01T08:05:00.000Z')
      expect(await store.findOneTimeTokenByHash(freshSiteId(), 'hash-2')).toBeUndefined()
    })

    it('keeps portal and user logins unique per site', async () => {
      const store = need(ctx.storage().access, 'access')
      const s = freshSiteId()
      const account = (guardianId: string, login: string) => ({ siteId: s, guardianId, login }) as PortalAccount
      await store.putPortalAccount(s, account('marie', 'marie@example.fr'))
      expect(await codeOf(store.putPortalAccount(s, account('paul', 'marie@example.fr')))).toBe('LOGIN_TAKEN')
      await store.putPortalAccount(s, account('marie', 'm.dupont@example.fr'))
      await store.putPortalAccount(s, account('paul', 'marie@example.fr'))
      expect((await store.findPortalAccountByLogin(s, 'marie@example.fr'))?.guardianId).toBe('paul')
      expect(await store.deletePortalAccount(s, 'paul')).toBe(true)
      expect(await store.findPortalAccountByLogin(s, 'marie@example.fr')).toBeUndefined()
      await store.putUser(s, user(s, 'u1', 'ana@example.it'))
      expect(await codeOf(store.putUser(s, user(s, 'u2', 'ana@example.it')))).toBe('LOGIN_TAKEN')
      const other = freshSiteId()
      await store.putUser(other, user(other, 'u2', 'ana@example.it'))
      expect((await store.listUsers(s)).items.map((u) => u.id)).toEqual(['u1'])
      expect(await store.deleteUser(s, 'u1')).toBe(true)
      await store.putUser(s, user(s, 'u3', 'ana@example.it'))
      expect(await store.getUser(s, 'u3')).toEqual(user(s, 'u3', 'ana@example.it'))
    })

    it('stores credentials per site', async () => {
      const store = need(ctx.storage().access, 'access')
      const s = freshSiteId()
      const subject = { kind: 'guardian' as const, id: 'marie' }
      await store.putCredential(s, { subject, passwordHash: 'scrypt$16384$8$1$salt$hash', updatedAt: '2026-09-01T08:00:00.000Z' })
      expect((await store.getCredential(s, subject))?.passwordHash).toBe('scrypt$16384$8$1$salt$hash')
      expect(await store.getCredential(s, { kind: 'user', id: 'marie' })).toBeUndefined()
      expect(await store.getCredential(freshSiteId(), subject)).toBeUndefined()
    })
  })
}

/** Documents: record and bytes together, size checked, usage counted. @internal */
export function describeDocuments(ctx: ConformanceContext): void {
  describe('documents', () => {
    it('stores a record with its bytes, refuses a wrong size, and counts the bytes used', async () => {
      const store = need(ctx.storage().documents, 'documents')
      const s = freshSiteId()
      const bytes = new Uint8Array([37, 80, 68, 70, 0, 255])
      expect(await store.putDocument(s, doc(s, 'd1', 6), bytes)).toBe('created')
      expect(await codeOf(store.putDocument(s, doc(s, 'd2', 5), bytes))).toBe('SIZE_MISMATCH')
      expect(await store.putDocument(s, doc(s, 'd1', 2), new Uint8Array([1, 2]))).toBe('updated')
      await store.putDocument(s, doc(s, 'd0', 3), new Uint8Array([7, 8, 9]))
      expect(await store.readDocumentBytes(s, 'd1')).toEqual(new Uint8Array([1, 2]))
      expect(await store.getDocument(s, 'd1')).toEqual(doc(s, 'd1', 2))
      expect(await store.usedBytes(s)).toBe(5)
      expect((await store.listDocuments(s)).items.map((d) => d.id)).toEqual(['d0', 'd1'])
      expect(await store.deleteDocument(s, 'd0')).toBe(true)
      expect(await store.usedBytes(s)).toBe(2)
      expect(await store.usedBytes(freshSiteId())).toBe(0)
      expect(await store.readDocumentBytes(freshSiteId(), 'd1')).toBeUndefined()
    })
  })
}
