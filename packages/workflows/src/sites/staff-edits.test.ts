import { describe, expect, it } from 'vitest'
import { isEcoleError, RoleSchema, UserSchema, type Role } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { deleteRoleEdit, deleteUserEdit, lockStaffRole, staffEditVersion, saveRoleEdit, saveUserEdit } from './staff-edits'
import type { PasswordResetNotify } from './portal-access'
import { verifyUserPassword } from './tokens'
import { requestUserPasswordReset, setUserPasswordWithToken } from './user-password-reset'

async function codeOf(p: Promise<unknown>): Promise<{ code: string; details?: unknown } | 'ok'> {
  return p.then(() => 'ok' as const, (e: unknown) => (isEcoleError(e) ? { code: e.code, details: e.details } : { code: String(e) }))
}

async function site() {
  const storage = createMemoryStorage()
  const cashier = RoleSchema.parse({ id: 'cashier', siteId: 's1', label: 'Régisseur', permissions: ['invoices.read', 'payments.write'] })
  await storage.directory!.putDirectoryRecord('s1', 'role', cashier)
  await storage.directory!.putDirectoryRecord('s1', 'role', RoleSchema.parse({ id: 'admin', siteId: 's1', label: 'Administrateur', permissions: ['users.write'] }))
  const anne = UserSchema.parse({ id: 'anne', siteId: 's1', login: 'anne.roy@mairie.fr', firstName: 'Anne', lastName: 'Roy', roleId: 'cashier', scope: { schoolIds: 'all', serviceIds: 'all' } })
  await storage.access!.createUser('s1', anne)
  return { storage, cashier, anne }
}

describe('editing a role or a user from the version the form read (two administrators at once)', () => {
  it('gives the same version to the same content, whatever the order of its keys, and another to other content', () => {
    const role: Role = RoleSchema.parse({ id: 'r', siteId: 's1', label: 'A', permissions: ['invoices.read'] })
    const shuffled = { permissions: ['invoices.read'], label: 'A', siteId: 's1', id: 'r' } as Role
    expect(staffEditVersion(shuffled)).toBe(staffEditVersion(role))
    expect(staffEditVersion({ ...role, label: 'B' })).not.toBe(staffEditVersion(role))
  })

  it('saves a role edited from its current version, with its audit written in the same transaction', async () => {
    const { storage, cashier } = await site()
    const befores: unknown[] = []
    const edited = { ...cashier, label: 'Régie', permissions: ['invoices.read' as const] }
    const r = await saveRoleEdit({ storage, siteId: 's1', role: edited, version: staffEditVersion(cashier), withChange: async (_tx, before) => void befores.push(before) })
    expect(r.before).toEqual(cashier)
    expect(befores).toEqual([cashier])
    expect(await storage.directory!.getDirectoryRecord('s1', 'role', 'cashier')).toEqual(edited)
  })

  it('refuses the second of two edits opened on the same version (RECORD_CHANGED naming the fields the first changed), leaving the first whole and its audit alone', async () => {
    const { storage, cashier } = await site()
    const opened = staffEditVersion(cashier)
    const audits: string[] = []
    const first = { ...cashier, permissions: ['invoices.read' as const] }
    await saveRoleEdit({ storage, siteId: 's1', role: first, version: opened, withChange: async () => void audits.push('first') })
    const second = { ...cashier, label: 'Caisse' }
    expect(await codeOf(saveRoleEdit({ storage, siteId: 's1', role: second, version: opened, withChange: async () => void audits.push('second') }))).toEqual({
      code: 'RECORD_CHANGED', details: { kind: 'role', id: 'cashier', fields: ['permissions'] },
    })
    expect(await storage.directory!.getDirectoryRecord('s1', 'role', 'cashier')).toEqual(first)
    expect(audits).toEqual(['first'])
    // read again, the second editor's change goes through
    await saveRoleEdit({ storage, siteId: 's1', role: { ...first, label: 'Caisse' }, version: staffEditVersion(first) })
    expect((await storage.directory!.getDirectoryRecord('s1', 'role', 'cashier'))?.label).toBe('Caisse')
  })

  it('refuses an edit of a role deleted since the form read it, without bringing it back', async () => {
    const { storage, cashier } = await site()
    await storage.directory!.deleteDirectoryRecord('s1', 'role', 'cashier')
    expect(await codeOf(saveRoleEdit({ storage, siteId: 's1', role: cashier, version: staffEditVersion(cashier) }))).toEqual({
      code: 'RECORD_CHANGED', details: { kind: 'role', id: 'cashier', fields: [], deleted: true },
    })
    expect(await storage.directory!.getDirectoryRecord('s1', 'role', 'cashier')).toBeUndefined()
  })

  it("refuses a user edit when the user changed meanwhile, naming the fields, and keeps the other administrator's user", async () => {
    const { storage, anne } = await site()
    const opened = staffEditVersion(anne)
    const promoted = { ...anne, roleId: 'admin', profile: 'administrator' as const }
    await saveUserEdit({ storage, siteId: 's1', user: promoted, version: opened })
    expect(await codeOf(saveUserEdit({ storage, siteId: 's1', user: { ...anne, lastName: 'Roy-Martin' }, version: opened }))).toEqual({
      code: 'RECORD_CHANGED', details: { kind: 'user', id: 'anne', fields: ['profile', 'roleId'] },
    })
    expect(await storage.access!.getUser('s1', 'anne')).toEqual(promoted)
  })

  it("refuses a version that is not one, or another record's, naming the field", async () => {
    const { storage, cashier, anne } = await site()
    expect(await codeOf(saveRoleEdit({ storage, siteId: 's1', role: cashier, version: 'not a version!' }))).toMatchObject({ code: 'INVALID_INPUT' })
    const other = RoleSchema.parse({ id: 'other', siteId: 's1', label: 'Autre' })
    expect(await codeOf(saveRoleEdit({ storage, siteId: 's1', role: cashier, version: staffEditVersion(other) }))).toMatchObject({ code: 'INVALID_INPUT' })
    expect(await codeOf(saveUserEdit({ storage, siteId: 's1', user: anne, version: staffEditVersion(cashier) }))).toMatchObject({ code: 'INVALID_INPUT' })
  })

  it('deletes a role no user holds from the version the confirmation read, with its audit in the same transaction', async () => {
    const { storage, cashier } = await site()
    const spare = RoleSchema.parse({ id: 'spare', siteId: 's1', label: 'Remplaçant', permissions: ['invoices.read'] })
    await storage.directory!.putDirectoryRecord('s1', 'role', spare)
    const befores: unknown[] = []
    expect(await deleteRoleEdit({ storage, siteId: 's1', roleId: 'spare', version: staffEditVersion(spare), withChange: async (_tx, before) => void befores.push(before) })).toEqual({ before: spare })
    expect([await storage.directory!.getDirectoryRecord('s1', 'role', 'spare'), befores]).toEqual([undefined, [spare]])
    // a role a user holds is not deleted, and the refusal names them
    expect(await codeOf(deleteRoleEdit({ storage, siteId: 's1', roleId: 'cashier', version: staffEditVersion(cashier) }))).toEqual({ code: 'ROLE_IN_USE', details: { roleId: 'cashier', userIds: ['anne'] } })
    expect(await storage.directory!.getDirectoryRecord('s1', 'role', 'cashier')).toEqual(cashier)
  })

  it('refuses to delete a role changed or deleted since the confirmation read it, and writes no audit', async () => {
    const { storage } = await site()
    const spare = RoleSchema.parse({ id: 'spare', siteId: 's1', label: 'Remplaçant', permissions: ['invoices.read'] })
    await storage.directory!.putDirectoryRecord('s1', 'role', spare)
    const read = staffEditVersion(spare)
    await saveRoleEdit({ storage, siteId: 's1', role: { ...spare, permissions: ['invoices.read', 'payments.write'] }, version: read })
    const audits: string[] = []
    expect(await codeOf(deleteRoleEdit({ storage, siteId: 's1', roleId: 'spare', version: read, withChange: async () => void audits.push('deleted') }))).toEqual({
      code: 'RECORD_CHANGED', details: { kind: 'role', id: 'spare', fields: ['permissions'] },
    })
    expect([(await storage.directory!.getDirectoryRecord('s1', 'role', 'spare'))?.permissions, audits]).toEqual([['invoices.read', 'payments.write'], []])
  })

  it('deletes a user from the version the confirmation read, and refuses when they changed meanwhile', async () => {
    const { storage, anne } = await site()
    const read = staffEditVersion(anne)
    const renamed = { ...anne, lastName: 'Roy-Martin' }
    await saveUserEdit({ storage, siteId: 's1', user: renamed, version: read })
    expect(await codeOf(deleteUserEdit({ storage, siteId: 's1', userId: 'anne', version: read }))).toEqual({ code: 'RECORD_CHANGED', details: { kind: 'user', id: 'anne', fields: ['lastName'] } })
    expect(await storage.access!.getUser('s1', 'anne')).toEqual(renamed)
    const befores: unknown[] = []
    await deleteUserEdit({ storage, siteId: 's1', userId: 'anne', version: staffEditVersion(renamed), withChange: async (_tx, before) => void befores.push(before) })
    expect([await storage.access!.getUser('s1', 'anne'), befores]).toEqual([undefined, [renamed]])
    // deleted twice: the second is told it is gone
    expect(await codeOf(deleteUserEdit({ storage, siteId: 's1', userId: 'anne', version: staffEditVersion(renamed) }))).toEqual({ code: 'RECORD_CHANGED', details: { kind: 'user', id: 'anne', fields: [], deleted: true } })
  })

  it('refuses to give a user a role deleted since the form listed it (RECORD_CHANGED naming the role), and keeps the user as they were', async () => {
    const { storage, anne } = await site()
    const spare = RoleSchema.parse({ id: 'spare', siteId: 's1', label: 'Remplaçant', permissions: ['invoices.read'] })
    await storage.directory!.putDirectoryRecord('s1', 'role', spare)
    await deleteRoleEdit({ storage, siteId: 's1', roleId: 'spare', version: staffEditVersion(spare) })
    expect(await codeOf(saveUserEdit({ storage, siteId: 's1', user: { ...anne, roleId: 'spare' }, version: staffEditVersion(anne) }))).toEqual({
      code: 'RECORD_CHANGED', details: { kind: 'role', id: 'spare', fields: [], deleted: true },
    })
    expect(await storage.access!.getUser('s1', 'anne')).toEqual(anne)
    // creating a user inside one's own transaction: the same check
    expect(await codeOf(storage.transaction('s1', (tx) => lockStaffRole(tx, 'spare')))).toMatchObject({ code: 'RECORD_CHANGED' })
    expect(await storage.transaction('s1', (tx) => lockStaffRole(tx, 'cashier'))).toMatchObject({ id: 'cashier' })
    expect(await codeOf(storage.transaction('s1', (tx) => lockStaffRole(tx, '' as string)))).toMatchObject({ code: 'INVALID_INPUT' })
  })
})

describe('deleting a user (D4: nothing of theirs passes to a user given their id later)', () => {
  const now = new Date('2027-01-20T09:00:00Z')
  const FAST = { N: 1024, r: 8, p: 1 }
  const notify = (requestId: string): PasswordResetNotify => ({ siteName: 'École', locale: 'fr', sender: { from: 'no-reply@ecole.example' }, portalUrl: 'https://ecole.example/staff', requestId })
  const secretary = (login: string) => UserSchema.parse({ id: 'secretariat', siteId: 's1', login, firstName: 'Claire', lastName: 'Morel', roleId: 'cashier', scope: { schoolIds: 'all', serviceIds: 'all' } })

  it("makes a deleted user an unknown login, and gives a new user with the same id neither the deleted user's password nor their pending reset token", async () => {
    const { storage } = await site()
    let n = 0
    const ids = { next: () => `id${++n}` }
    const access = storage.access!
    const signIn = (login: string, password: string) => verifyUserPassword({ access, siteId: 's1', login, password, scrypt: FAST })
    await access.createUser('s1', secretary('claire@mairie.fr'))
    const first = await requestUserPasswordReset({ storage, ids }, { siteId: 's1', login: 'claire@mairie.fr', now, notify: notify('req-1') })
    if (!first || first.replayed) throw new Error('no token')
    const setClaire = { siteId: 's1', login: 'claire@mairie.fr', token: first.token, password: 'claire old phrase', confirmation: 'claire old phrase', now, scrypt: FAST }
    expect(await setUserPasswordWithToken({ storage }, setClaire)).toEqual({ ok: true, userId: 'secretariat' })
    const pending = await requestUserPasswordReset({ storage, ids }, { siteId: 's1', login: 'claire@mairie.fr', now, notify: notify('req-2') })
    if (!pending || pending.replayed) throw new Error('no token')

    const claire = (await access.getUser('s1', 'secretariat'))!
    await deleteUserEdit({ storage, siteId: 's1', userId: 'secretariat', version: staffEditVersion(claire) })
    expect(await signIn('claire@mairie.fr', 'claire old phrase')).toEqual({ ok: false })

    // the post goes to Bruno, under the same id
    expect(await access.createUser('s1', secretary('bruno@mairie.fr'))).toBe('created')
    expect(await signIn('bruno@mairie.fr', 'claire old phrase')).toEqual({ ok: false })
    const takeOver = { siteId: 's1', login: 'bruno@mairie.fr', token: pending.token, password: 'claire takes over', confirmation: 'claire takes over', now, scrypt: FAST }
    expect(await setUserPasswordWithToken({ storage }, takeOver)).toEqual({ ok: false, codes: ['TOKEN_UNKNOWN'] })
    expect(await signIn('bruno@mairie.fr', 'claire takes over')).toEqual({ ok: false })
    expect(await access.getCredential('s1', { kind: 'user', id: 'secretariat' })).toBeUndefined()
  })

  it('keeps the user, their password and their pending token when the audit written with the deletion fails', async () => {
    const { storage, anne } = await site()
    const subject = { kind: 'user', id: 'anne' } as const
    await storage.access!.putCredential('s1', { subject, passwordHash: 'scrypt$1024$8$1$AAAA$BBBB', updatedAt: now.toISOString() })
    await storage.access!.putOneTimeToken('s1', { id: 't1', siteId: 's1', subject, purpose: 'passwordReset', hash: 'ab', issuedAt: now.toISOString(), expiresAt: now.toISOString(), usedAt: null })
    const failing = async () => { throw new Error('audit store down') }
    expect(await codeOf(deleteUserEdit({ storage, siteId: 's1', userId: 'anne', version: staffEditVersion(anne), withChange: failing }))).toMatchObject({ code: expect.stringContaining('audit store down') })
    expect(await storage.access!.getUser('s1', 'anne')).toEqual(anne)
    expect((await storage.access!.getCredential('s1', subject))?.passwordHash).toBe('scrypt$1024$8$1$AAAA$BBBB')
    expect((await storage.access!.findOneTimeTokenByHash('s1', 'ab'))?.id).toBe('t1')
  })
})
