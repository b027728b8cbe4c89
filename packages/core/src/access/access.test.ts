import { describe, expect, it } from 'vitest'
import { SchoolSchema } from '../directory/school'
import { GuardianSchema } from '../directory/guardian'
import { actorOf, can } from './can'
import { checkNewPassword, checkTokenRecord, normalizeTokenInput, type OneTimeTokenRecord } from './one-time-token'
import { PERMISSIONS, PERMISSION_CATALOGUE, isPermission, permissionCategory } from './permission'
import { createPortalAccount, syncPortalAccount } from './portal-account'
import { RoleSchema, grantPermission, revokePermission, type Role } from './role'
import { createUser, grantInspectorAccess, updateUser, type UserContext } from './user-operations'
import { UserSchema } from './user'

const roles: Record<string, Role> = {
  admin: RoleSchema.parse({ id: 'admin', siteId: 's1', label: 'Administrateur', permissions: [...PERMISSIONS] }),
  cashier: RoleSchema.parse({ id: 'cashier', siteId: 's1', label: 'Régisseur', permissions: ['invoices.read', 'payments.write'] }),
  head: RoleSchema.parse({ id: 'head', siteId: 's1', label: "Chef d'établissement", permissions: ['inspector.grant', 'invoices.read', 'households.read'] }),
  inspector: RoleSchema.parse({ id: 'inspector', siteId: 's1', label: 'Inspecteur', permissions: ['households.read'] }),
}
const admin = actorOf(UserSchema.parse({ id: 'a', siteId: 's1', login: 'admin@ville.fr', firstName: 'A', lastName: 'Dmin', roleId: 'admin', profile: 'administrator', scope: { schoolIds: 'all', serviceIds: 'all' } }), roles.admin!)
const head = actorOf(UserSchema.parse({ id: 'h', siteId: 's1', login: 'ce@lycee.fr', firstName: 'C', lastName: 'E', roleId: 'head', profile: 'headTeacher', scope: { schoolIds: ['lp'], serviceIds: 'all' } }), roles.head!)

const complete = SchoolSchema.parse({ id: 'lp', siteId: 's1', name: 'Lycée pro Jean Moulin', email: 'ce.0751234j@ac-paris.fr', uai: '0751234J' })
const noUai = SchoolSchema.parse({ id: 'ec', siteId: 's1', name: 'École du Centre', email: 'ecole@ville.fr' })
const context: UserContext = { siteId: 's1', siteCountry: 'FR', schools: { lp: complete, ec: noUai }, roles, users: {} }
const newUser = { id: 'u2', login: 'Anne.Roy@Ville.fr', firstName: 'Anne', lastName: 'Roy', roleId: 'cashier', scope: { schoolIds: ['lp'], serviceIds: ['meal'] } }

describe('permissions, roles and can()', () => {
  it('lists every permission under one category', () => {
    const listed = Object.values(PERMISSION_CATALOGUE).flatMap((c) => Object.keys(c))
    expect(new Set(listed).size).toBe(PERMISSIONS.length)
    expect(permissionCategory('payments.write')).toBe('billing')
    expect(isPermission('invoices.delete')).toBe(false)
  })

  it('refuses a role with a permission outside the catalogue', () => {
    expect(RoleSchema.safeParse({ id: 'r', siteId: 's1', label: 'R', permissions: ['invoices.delete'] }).success).toBe(false)
  })

  it('grants and revokes a permission on a role', () => {
    const r = grantPermission(roles.cashier!, 'invoices.validate')
    expect(r.permissions).toContain('invoices.validate')
    expect(revokePermission(r, 'invoices.validate').permissions).toEqual(['invoices.read', 'payments.write'])
  })

  it('allows a user only on their structures and services', () => {
    const cashier = actorOf(UserSchema.parse({ ...newUser, siteId: 's1' }), roles.cashier!)
    expect(can(cashier, 'payments.write', { siteId: 's1', schoolId: 'lp', serviceId: 'meal' })).toBe(true)
    expect(can(cashier, 'payments.write', { siteId: 's1', schoolId: 'ec', serviceId: 'meal' })).toBe(false)
    expect(can(cashier, 'payments.write', { siteId: 's1', schoolId: 'lp', serviceId: 'care' })).toBe(false)
    // an action on the whole site needs a user tied to every school
    expect(can(cashier, 'payments.write', { siteId: 's1' })).toBe(false)
    expect(can(cashier, 'roles.write', { siteId: 's1', schoolId: 'lp', serviceId: 'meal' })).toBe(false)
    expect(can(admin, 'roles.write', { siteId: 's2' })).toBe(false)
  })

  it('refuses to build an actor with a role that is not the user’s', () => {
    expect(() => actorOf(UserSchema.parse({ ...newUser, siteId: 's1' }), roles.admin!)).toThrow(/ROLE_MISMATCH|not the role/)
  })
})

describe('users (seed 001 "ajouter un utilisateur", seed 003)', () => {
  it('creates a user whose login is their e-mail', () => {
    const r = createUser(context, newUser, admin)
    expect(r.ok && r.user.login).toBe('anne.roy@ville.fr')
  })

  it('refuses users of a French establishment without name, e-mail and UAI', () => {
    expect(createUser(context, { ...newUser, scope: { schoolIds: ['ec'], serviceIds: 'all' } }, admin)).toEqual({
      ok: false,
      refusal: { code: 'ESTABLISHMENT_INCOMPLETE', schoolId: 'ec', missing: ['uai'] },
    })
    // outside France the establishment fields are not required
    expect(createUser({ ...context, siteCountry: 'BE' }, { ...newUser, scope: { schoolIds: ['ec'], serviceIds: 'all' } }, admin).ok).toBe(true)
  })

  it('refuses a second user with the same login', () => {
    const first = createUser(context, newUser, admin)
    if (!first.ok) throw new Error('first user refused')
    expect(createUser({ ...context, users: { u2: first.user } }, { ...newUser, id: 'u3', login: 'anne.roy@ville.fr' }, admin)).toEqual({
      ok: false,
      refusal: { code: 'LOGIN_TAKEN', login: 'anne.roy@ville.fr' },
    })
  })

  it('never lets a creator give more scope or permissions than they have', () => {
    const headAsCreator = { ...head, permissions: [...head.permissions, 'users.write' as const] }
    expect(createUser(context, { ...newUser, scope: { schoolIds: 'all', serviceIds: 'all' } }, headAsCreator)).toEqual({ ok: false, refusal: { code: 'SCOPE_EXCEEDED' } })
    expect(createUser(context, newUser, headAsCreator)).toEqual({ ok: false, refusal: { code: 'PERMISSIONS_EXCEEDED', permissions: ['payments.write'] } })
    expect(createUser(context, newUser, head)).toEqual({ ok: false, refusal: { code: 'NOT_PERMITTED', permission: 'users.write' } })
  })

  it('opens an inspector access only through a head-teacher profile', () => {
    const inspector = { id: 'ien', login: 'ien@ac-paris.fr', firstName: 'Paul', lastName: 'Blanc', roleId: 'inspector', scope: { schoolIds: ['lp'], serviceIds: 'all' as const } }
    expect(createUser(context, { ...inspector, profile: 'inspector' }, admin)).toEqual({ ok: false, refusal: { code: 'INSPECTOR_NEEDS_HEAD_TEACHER' } })
    expect(grantInspectorAccess(context, inspector, admin)).toEqual({ ok: false, refusal: { code: 'INSPECTOR_NEEDS_HEAD_TEACHER' } })
    const r = grantInspectorAccess(context, inspector, head)
    expect(r.ok && [r.user.profile, r.user.grantedBy]).toEqual(['inspector', 'h'])
    // and only on the head teacher's own establishments
    expect(grantInspectorAccess(context, { ...inspector, scope: { schoolIds: ['ec'], serviceIds: 'all' } }, head)).toEqual({ ok: false, refusal: { code: 'SCOPE_EXCEEDED' } })
  })
})

describe('users are created once, changed by an audited update, and granted at or below the granter (issue 12, defect 7)', () => {
  const staffRole = RoleSchema.parse({ id: 'staffRole', siteId: 's1', label: 'Agent', permissions: ['users.write', 'invoices.read', 'payments.write'] })
  const ctx: UserContext = { ...context, roles: { ...roles, staffRole } }
  const adminUser = UserSchema.parse({ id: 'a', siteId: 's1', login: 'admin@ville.fr', firstName: 'A', lastName: 'Dmin', roleId: 'admin', profile: 'administrator', scope: { schoolIds: 'all', serviceIds: 'all' } })
  const staffUser = UserSchema.parse({ id: 'st', siteId: 's1', login: 'agent@ville.fr', firstName: 'S', lastName: 'Taff', roleId: 'staffRole', profile: 'staff', scope: { schoolIds: 'all', serviceIds: 'all' } })
  const staff = actorOf(staffUser, staffRole)
  const withUsers: UserContext = { ...ctx, users: { a: adminUser, st: staffUser } }

  it('refuses to create a user with an id already used, instead of replacing that user', () => {
    expect(createUser(withUsers, { ...newUser, id: 'a', login: 'me@ville.fr' }, staff)).toEqual({ ok: false, refusal: { code: 'USER_EXISTS', userId: 'a' } })
    expect(createUser(withUsers, { ...newUser, id: 'a', login: 'admin@ville.fr', roleId: 'admin', profile: 'administrator', scope: { schoolIds: 'all', serviceIds: 'all' } }, adminActor())).toEqual({
      ok: false, refusal: { code: 'USER_EXISTS', userId: 'a' },
    })
  })

  it('refuses a profile above the granter’s own: a staff member cannot create a head teacher or an administrator', () => {
    expect(createUser(withUsers, { ...newUser, profile: 'headTeacher' }, staff)).toEqual({ ok: false, refusal: { code: 'ROLE_ABOVE_GRANTER', profile: 'headTeacher', granterProfile: 'staff' } })
    expect(createUser(withUsers, { ...newUser, profile: 'administrator' }, staff)).toEqual({ ok: false, refusal: { code: 'ROLE_ABOVE_GRANTER', profile: 'administrator', granterProfile: 'staff' } })
    expect(createUser(withUsers, { ...newUser, profile: 'staff' }, staff).ok).toBe(true)
    expect(createUser(withUsers, { ...newUser, profile: 'headTeacher' }, adminActor()).ok).toBe(true)
  })

  it('refuses a role with permissions the granter does not have', () => {
    expect(createUser(withUsers, { ...newUser, roleId: 'admin' }, staff)).toMatchObject({ ok: false, refusal: { code: 'PERMISSIONS_EXCEEDED' } })
  })

  it('updates a user as a separate operation that returns its audit entry', () => {
    const anne = UserSchema.parse({ ...newUser, siteId: 's1' })
    const r = updateUser({ ...withUsers, users: { ...withUsers.users, u2: anne } }, 'u2', { lastName: 'Roy-Martin', messaging: ['email', 'sms'] }, adminActor())
    expect(r).toEqual({
      ok: true,
      user: { ...anne, lastName: 'Roy-Martin', messaging: ['email', 'sms'] },
      audit: { action: 'user.updated', siteId: 's1', userId: 'u2', byUserId: 'a', changes: [
        { field: 'lastName', from: 'Roy', to: 'Roy-Martin' },
        { field: 'messaging', from: ['email'], to: ['email', 'sms'] },
      ] },
    })
    expect(updateUser(withUsers, 'nobody', { lastName: 'X' }, adminActor())).toEqual({ ok: false, refusal: { code: 'USER_NOT_FOUND', userId: 'nobody' } })
  })

  it('never lets a staff member take over the administrator’s login, nor promote anyone above themselves', () => {
    expect(updateUser(withUsers, 'a', { login: 'agent-bis@ville.fr' }, staff)).toEqual({ ok: false, refusal: { code: 'ROLE_ABOVE_GRANTER', profile: 'administrator', granterProfile: 'staff' } })
    expect(updateUser(withUsers, 'st', { profile: 'headTeacher' }, staff)).toEqual({ ok: false, refusal: { code: 'ROLE_ABOVE_GRANTER', profile: 'headTeacher', granterProfile: 'staff' } })
    expect(updateUser(withUsers, 'st', { roleId: 'admin' }, staff)).toMatchObject({ ok: false, refusal: { code: 'PERMISSIONS_EXCEEDED' } })
    expect(updateUser(withUsers, 'st', { profile: 'inspector' }, adminActor())).toEqual({ ok: false, refusal: { code: 'INSPECTOR_NEEDS_HEAD_TEACHER' } })
  })

  function adminActor() {
    return actorOf(adminUser, roles.admin!)
  }
})

describe('portal accounts (seed 001 "créer / modifier / supprimer un login")', () => {
  const marie = GuardianSchema.parse({ id: 'marie', siteId: 's1', householdId: 'h1', firstName: 'Marie', lastName: 'Dupont', email: 'Marie@Example.fr' })

  it('needs an e-mail to create a login', () => {
    expect(createPortalAccount({ ...marie, email: undefined }, [])).toEqual({ ok: false, refusal: { code: 'EMAIL_REQUIRED', guardianId: 'marie' } })
  })

  it('creates the login from the e-mail, once, and never twice for one address', () => {
    const r = createPortalAccount(marie, [])
    expect(r).toEqual({ ok: true, account: { siteId: 's1', guardianId: 'marie', login: 'marie@example.fr' }, changed: true })
    if (!r.ok) return
    expect(createPortalAccount(marie, [r.account])).toEqual({ ok: false, refusal: { code: 'ACCOUNT_EXISTS', guardianId: 'marie' } })
    const paul = { ...marie, id: 'paul' }
    expect(createPortalAccount(paul, [r.account])).toEqual({ ok: false, refusal: { code: 'LOGIN_TAKEN', login: 'marie@example.fr', guardianId: 'marie' } })
  })

  it('follows a change of e-mail', () => {
    const r = createPortalAccount(marie, [])
    if (!r.ok) throw new Error('refused')
    expect(syncPortalAccount(r.account, { ...marie, email: 'marie.d@example.fr' }, [r.account])).toEqual({
      ok: true,
      account: { siteId: 's1', guardianId: 'marie', login: 'marie.d@example.fr' },
      changed: true,
    })
    expect(syncPortalAccount(r.account, marie, [r.account]).ok && syncPortalAccount(r.account, marie, [r.account])).toMatchObject({ changed: false })
    expect(syncPortalAccount(r.account, { ...marie, email: undefined }, [r.account]).ok).toBe(false)
  })
})

describe('one-time tokens and passwords (seed 004)', () => {
  const record: OneTimeTokenRecord = {
    id: 't1', siteId: 's1', subject: { kind: 'guardian', id: 'marie' }, purpose: 'firstLogin', hash: 'ab',
    issuedAt: '2026-09-01T08:00:00.000Z', expiresAt: '2026-09-02T08:00:00.000Z', usedAt: null,
  }

  it('ignores the spaces typed around and inside a token', () => {
    expect(normalizeTokenInput(' \tAB12 CD34\n')).toBe('AB12CD34')
  })

  it('refuses a token used once already, an expired one, and an unknown one', () => {
    expect(checkTokenRecord(record, new Date('2026-09-01T09:00:00Z')).ok).toBe(true)
    expect(checkTokenRecord({ ...record, usedAt: '2026-09-01T08:30:00.000Z' }, new Date('2026-09-01T09:00:00Z'))).toEqual({ ok: false, code: 'TOKEN_USED' })
    expect(checkTokenRecord(record, new Date('2026-09-02T08:00:00Z'))).toEqual({ ok: false, code: 'TOKEN_EXPIRED' })
    expect(checkTokenRecord(undefined, new Date('2026-09-01T09:00:00Z'))).toEqual({ ok: false, code: 'TOKEN_UNKNOWN' })
  })

  it('needs the new password typed twice the same, long enough', () => {
    expect(checkNewPassword('correct horse', 'correct horse')).toEqual([])
    expect(checkNewPassword('short', 'shorT')).toEqual(['PASSWORDS_DIFFER', 'PASSWORD_TOO_SHORT'])
    // ten characters, counted as characters not bytes
    expect(checkNewPassword('éééééééééé', 'éééééééééé')).toEqual([])
  })
})
