import { RoleSchema, SchoolSchema, UserSchema } from '@ecole/core'
import { hashPassword } from '@ecole/workflows'
import { describe, expect, it } from 'vitest'
import { SITE } from '../../src/site-settings'
import { peopleSite } from './people-support'
import { Client, FAST_SCRYPT, host, NOW, PASSWORD, pgliteForFile } from './support'

// Roles and users of the back office (seed 001, « Rôles - permissions » and « Utilisateurs »)
// through HTTP: permissions ticked by category, users tied to structures, services and messaging
// types, and the rule that no one grants beyond what they hold themselves (permissions, scope,
// profile), each refusal said in French with nothing stored.
const db = pgliteForFile()
let site = 0

const ADMIN = 'bo-admin@jaures.example'
const SECRETARY = 'secretariat@jaures.example'
const CHIEF = 'chef@jaures.example'
const SCHOOL = SITE.schoolId

/**
 * A site with the demo staff, plus a service chief who manages roles and users but holds few
 * permissions and is tied to one school and the after-school care only.
 */
async function fresh(opts: { establishmentComplete?: boolean } = {}) {
  const siteId = `staff-users-${++site}`
  await peopleSite(db.storage, siteId)
  const access = db.storage.access!
  await db.storage.directory!.putDirectoryRecord(siteId, 'role', RoleSchema.parse({ id: 'chef', siteId, label: 'Chef de service', permissions: ['roles.write', 'users.write', 'households.read', 'attendance.write'] }))
  await db.storage.directory!.putDirectoryRecord(siteId, 'role', RoleSchema.parse({ id: 'pointage', siteId, label: 'Pointage', permissions: ['attendance.write'] }))
  await access.createUser(siteId, UserSchema.parse({ id: 'u-chef', siteId, login: CHIEF, firstName: 'Chloé', lastName: 'Chef', roleId: 'chef', profile: 'staff', scope: { schoolIds: [SCHOOL], serviceIds: ['garderie'] } }))
  await access.putCredential(siteId, { subject: { kind: 'user', id: 'u-chef' }, passwordHash: await hashPassword(PASSWORD, FAST_SCRYPT), updatedAt: NOW.toISOString() })
  if (opts.establishmentComplete ?? true) {
    await db.storage.directory!.putDirectoryRecord(siteId, 'school', SchoolSchema.parse({ id: SCHOOL, siteId, name: 'École Jean-Jaurès', email: 'ce.0751234j@ac-creteil.fr', uai: '0751234J' }))
  }
  const { ctx, app } = await host(db.storage, siteId)
  const as = async (login: string, password = PASSWORD) => {
    const client = new Client(app, ctx)
    await client.login(login, password)
    return client
  }
  const users = async () => (await access.listUsers(siteId, { limit: 100 })).items
  return { ctx, siteId, as, access, users }
}

/** The version an edit form was opened with (its hidden field), to post back with the form. */
async function versionOf(client: Client, path: string): Promise<string> {
  return (await client.get(path)).text.match(/name="version" value="([^"]+)"/)![1]!
}

const NEW_USER = {
  firstName: 'Nadia', lastName: 'Nouvelle', login: 'Nadia.Nouvelle@jaures.example', password: 'une-phrase-assez-longue', confirmation: 'une-phrase-assez-longue',
  roleId: 'pointage', profile: 'staff', schools: SCHOOL, services: 'garderie', messaging: ['email', 'portal'],
}

describe('roles and permissions (seed 001: ajouter, modifier, supprimer une permission)', () => {
  it('shows the permissions by category, creates a role with two of them, then removes one, each change audited', async () => {
    const { ctx, siteId, as, access } = await fresh()
    const admin = await as(ADMIN)
    const form = (await admin.get('/staff/admin/roles/new')).text
    expect(form).toContain('<legend>Réservations et présences</legend>')
    expect(form).toMatch(/value="attendance.write"[^>]*\/> Pointer les présences <code>attendance.write<\/code>/)
    const r = await admin.post('/staff/admin/roles', { label: 'Cuisine', description: 'Voit les réservations, pointe', permissions: ['bookings.read', 'attendance.write'] })
    expect(r.status).toBe(303)
    const id = r.location!.match(/\/staff\/admin\/roles\/([^?]+)\?done=saved/)![1]!
    expect((await db.storage.directory!.getDirectoryRecord(siteId, 'role', id))?.permissions).toEqual(['bookings.read', 'attendance.write'])
    const list = (await admin.get('/staff/admin/roles')).text
    expect(list).toMatch(new RegExp(`<a href="/staff/admin/roles/${id}">Cuisine</a></td><td>Voit les réservations, pointe</td><td>2</td><td>0</td>`))
    expect((await admin.post(`/staff/admin/roles/${id}`, { label: 'Cuisine', permissions: ['attendance.write'], version: await versionOf(admin, `/staff/admin/roles/${id}`) })).location).toBe(`/staff/admin/roles/${id}?done=saved`)
    expect((await db.storage.directory!.getDirectoryRecord(siteId, 'role', id))?.permissions).toEqual(['attendance.write'])
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, {})
    const edited = trail.items.find((e) => e.action === 'role.edited')
    expect(edited?.before).toMatchObject({ permissions: ['bookings.read', 'attendance.write'] })
    expect(edited?.after).toMatchObject({ permissions: ['attendance.write'] })
    expect(trail.items.some((e) => e.action === 'role.created' && e.subject.id === id)).toBe(true)
  })

  it('refuses a role manager a permission they do not hold themselves, and taking roles.write from their own role; nothing stored', async () => {
    const { siteId, as, access } = await fresh()
    const chief = await as(CHIEF)
    const form = (await chief.get('/staff/admin/roles/pointage')).text
    expect(form).toMatch(/value="invoices.validate"[^>]*disabled=""/)
    const r = await chief.post('/staff/admin/roles/pointage', { label: 'Pointage', permissions: ['attendance.write', 'invoices.validate'] })
    expect(r.status).toBe(400)
    expect(r.text).toContain('Refusé : vous ne pouvez pas donner une permission que vous n&#39;avez pas (invoices.validate). Rien n&#39;a été enregistré.')
    expect((await db.storage.directory!.getDirectoryRecord(siteId, 'role', 'pointage'))?.permissions).toEqual(['attendance.write'])
    const own = await chief.post('/staff/admin/roles/chef', { label: 'Chef de service', permissions: ['users.write', 'households.read', 'attendance.write'] })
    expect(own.status).toBe(400)
    expect(own.text).toContain('c&#39;est votre propre rôle')
    expect((await db.storage.directory!.getDirectoryRecord(siteId, 'role', 'chef'))?.permissions).toContain('roles.write')
  })

  it('refuses deleting a role still given to users, naming them, and deletes an unused one after a confirmation', async () => {
    const { siteId, as, access } = await fresh()
    const admin = await as(ADMIN)
    const inUse = await admin.get('/staff/admin/roles/chef/delete')
    expect(inUse.status).toBe(400)
    expect(inUse.text).toContain('Refusé : le rôle « Chef de service » est encore donné à : Chloé Chef.')
    expect(await db.storage.directory!.getDirectoryRecord(siteId, 'role', 'chef')).toBeDefined()
    const confirm = await admin.get('/staff/admin/roles/pointage/delete')
    expect(confirm.text).toContain('Le rôle « Pointage » et ses 1 permission(s) seront supprimés.')
    expect(await db.storage.directory!.getDirectoryRecord(siteId, 'role', 'pointage')).toBeDefined()
    // a confirmation without the role as it was shown deletes nothing
    expect((await admin.post('/staff/admin/roles/pointage/delete', {})).status).toBe(400)
    expect(await db.storage.directory!.getDirectoryRecord(siteId, 'role', 'pointage')).toBeDefined()
    expect((await admin.post('/staff/admin/roles/pointage/delete', { version: await versionOf(admin, '/staff/admin/roles/pointage/delete') })).location).toBe('/staff/admin/roles?done=deleted')
    expect(await db.storage.directory!.getDirectoryRecord(siteId, 'role', 'pointage')).toBeUndefined()
    // deleted with its audit entry
    const trail = await db.storage.audit!.listAuditEntries(siteId, {})
    expect(trail.items.filter((e) => e.action === 'role.deleted').map((e) => e.subject)).toEqual([{ kind: 'role', id: 'pointage' }])
  })

  it('refuses a role deletion confirmed after someone changed the role (409, nothing deleted), and a user given a role deleted since the form was opened', async () => {
    const { siteId, as } = await fresh()
    const admin = await as(ADMIN)
    const shown = await versionOf(admin, '/staff/admin/roles/pointage/delete')
    const role = (await db.storage.directory!.getDirectoryRecord(siteId, 'role', 'pointage'))!
    await db.storage.directory!.putDirectoryRecord(siteId, 'role', { ...role, label: 'Pointage et cantine' })
    const late = await admin.post('/staff/admin/roles/pointage/delete', { version: shown })
    expect(late.status).toBe(409)
    expect(late.text).toContain('Pointage et cantine — Refusé : quelqu&#39;un d&#39;autre a modifié cette fiche depuis que la suppression vous a été demandée (Nom du rôle). Rien n&#39;a été supprimé')
    expect((await db.storage.directory!.getDirectoryRecord(siteId, 'role', 'pointage'))?.label).toBe('Pointage et cantine')
    // the user form listed « Pointage »; the role is deleted before the save
    const form = await versionOf(admin, '/staff/admin/users/u-bo-animateur')
    await db.storage.directory!.deleteDirectoryRecord(siteId, 'role', 'pointage')
    const given = await admin.post('/staff/admin/users/u-bo-animateur', { version: form, firstName: 'Antoine', lastName: 'Animateur', login: 'animateur@jaures.example', roleId: 'pointage', profile: 'staff', schools: SCHOOL, services: 'garderie', messaging: 'email' })
    expect(given.status).not.toBe(303)
    expect((await db.storage.access!.getUser(siteId, 'u-bo-animateur'))?.roleId).toBe('animateur')
  })
})

describe('users (seed 001: un utilisateur est lié à une structure, ses prestations et les types de messages)', () => {
  it('refuses a user while the French establishment lacks its e-mail and UAI, saying what to complete', async () => {
    const { as, users } = await fresh({ establishmentComplete: false })
    const admin = await as(ADMIN)
    const before = (await users()).length
    const r = await admin.post('/staff/admin/users', NEW_USER)
    expect(r.status).toBe(400)
    expect(r.text).toContain('Refusé : l&#39;établissement École Jean-Jaurès n&#39;est pas complet (Adresse électronique, Code UAI (RNE))')
    expect((await users()).length).toBe(before)
  })

  it('creates a user tied to a school, a service and two messaging types, who can then sign in; listed by name, audited', async () => {
    const { ctx, siteId, as, users } = await fresh()
    const admin = await as(ADMIN)
    const r = await admin.post('/staff/admin/users', NEW_USER)
    expect(r.status).toBe(303)
    const created = (await users()).find((u) => u.login === 'nadia.nouvelle@jaures.example')
    expect(created).toMatchObject({ firstName: 'Nadia', roleId: 'pointage', profile: 'staff', scope: { schoolIds: [SCHOOL], serviceIds: ['garderie'] }, messaging: ['email', 'portal'] })
    const list = (await admin.get('/staff/admin/users')).text
    expect(list).toContain('>Nadia Nouvelle</a></td><td>nadia.nouvelle@jaures.example</td><td>Pointage</td><td>Personnel</td><td>École Jean-Jaurès</td><td>Garderie du soir</td><td>E-mail, Messages du portail</td>')
    const nadia = await as('nadia.nouvelle@jaures.example', 'une-phrase-assez-longue')
    expect((await nadia.get('/staff')).text).toContain('href="/staff/attendance"')
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, {})
    expect(trail.items.find((e) => e.action === 'user.created')?.subject).toEqual({ kind: 'user', id: created!.id })
  })

  it('shows a bad login and a short password beside their fields in French, and stores nothing', async () => {
    const { as, users } = await fresh()
    const admin = await as(ADMIN)
    const before = (await users()).length
    const bad = await admin.post('/staff/admin/users', { ...NEW_USER, login: 'nadia' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('<strong id="f-login-error" class="field-error">Identifiant (adresse e-mail) : adresse e-mail attendue, par ex. nom@exemple.fr</strong>')
    const short = await admin.post('/staff/admin/users', { ...NEW_USER, password: 'court', confirmation: 'court' })
    expect(short.status).toBe(400)
    expect(short.text).toContain('id="f-password-error"')
    expect(short.text).toContain('Le mot de passe doit compter au moins 10 caractères.')
    expect((await users()).length).toBe(before)
  })

  it('lets no one grant beyond their own scope, permissions or profile (scopeWithin), nor change a user above them', async () => {
    const { as, users, siteId, access } = await fresh()
    const chief = await as(CHIEF)
    const before = (await users()).length
    const wide = await chief.post('/staff/admin/users', { ...NEW_USER, schools: [], allSchools: 'on' })
    expect(wide.status).toBe(400)
    expect(wide.text).toContain('Refusé : vous ne pouvez pas donner des structures ou des prestations hors de votre propre périmètre.')
    const canteen = await chief.post('/staff/admin/users', { ...NEW_USER, services: 'cantine' })
    expect(canteen.text).toContain('hors de votre propre périmètre')
    const admin = await chief.post('/staff/admin/users', { ...NEW_USER, roleId: 'admin' })
    expect(admin.text).toMatch(/Refusé : ce rôle donne des permissions que vous n&#39;avez pas \(households.write, /)
    const above = await chief.post('/staff/admin/users', { ...NEW_USER, profile: 'headTeacher' })
    expect(above.text).toContain('Refusé : le profil « Directeur d&#39;école » est au-dessus du vôtre (Personnel).')
    expect((await users()).length).toBe(before)
    const within = await chief.post('/staff/admin/users', NEW_USER)
    expect(within.status).toBe(303)
    expect((await users()).length).toBe(before + 1)
    const edit = await chief.post('/staff/admin/users/u-bo-admin', { firstName: 'Piratée', lastName: 'Admin', login: ADMIN, roleId: 'admin', profile: 'administrator', allSchools: 'on', allServices: 'on', messaging: 'email' })
    expect(edit.text).toContain('Refusé')
    expect((await access.getUser(siteId, 'u-bo-admin'))?.firstName).toBe('Alice')
  })

  it('changes a user’s services (audited before and after), deletes a user after a confirmation, and never oneself', async () => {
    const { ctx, siteId, as, access } = await fresh()
    const admin = await as(ADMIN)
    const r = await admin.post('/staff/admin/users/u-bo-animateur', { version: await versionOf(admin, '/staff/admin/users/u-bo-animateur'), firstName: 'Antoine', lastName: 'Animateur', login: 'animateur@jaures.example', roleId: 'animateur', profile: 'staff', schools: SCHOOL, services: ['garderie', 'cantine'], messaging: 'email' })
    expect(r.location).toBe('/staff/admin/users/u-bo-animateur?done=saved')
    expect((await access.getUser(siteId, 'u-bo-animateur'))?.scope.serviceIds).toEqual(['cantine', 'garderie'])
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, {})
    const entry = trail.items.find((e) => e.action === 'user.edited')
    expect(entry?.before).toEqual({ scope: { schoolIds: [SCHOOL], serviceIds: ['garderie'] } })
    expect(entry?.after).toEqual({ scope: { schoolIds: [SCHOOL], serviceIds: ['cantine', 'garderie'] } })
    const animateur = await as('animateur@jaures.example')
    const confirm = await admin.get('/staff/admin/users/u-bo-animateur/delete')
    expect(confirm.text).toContain('Antoine Animateur (animateur@jaures.example) ne pourra plus se connecter au back office.')
    expect((await admin.post('/staff/admin/users/u-bo-animateur/delete', { version: await versionOf(admin, '/staff/admin/users/u-bo-animateur/delete') })).location).toBe('/staff/admin/users?done=deleted')
    expect((await ctx.storage.audit!.listAuditEntries(siteId, {})).items.filter((e) => e.action === 'user.deleted').map((e) => e.subject)).toEqual([{ kind: 'user', id: 'u-bo-animateur' }])
    expect(await access.getUser(siteId, 'u-bo-animateur')).toBeUndefined()
    // the deleted user's open session stops at once (the actor is read on each request)
    expect((await animateur.get('/staff/attendance')).status).not.toBe(200)
    const self = await admin.post('/staff/admin/users/u-bo-admin/delete', {})
    expect(self.status).toBe(400)
    expect(self.text).toContain('Refusé : vous ne pouvez pas supprimer votre propre compte.')
    expect(await access.getUser(siteId, 'u-bo-admin')).toBeDefined()
  })

  it('refuses the secretary the roles and users screens, naming roles.write and users.write', async () => {
    const { as } = await fresh()
    const secretary = await as(SECRETARY)
    const roles = await secretary.get('/staff/admin/roles')
    expect(roles.status).toBe(403)
    expect(roles.text).toContain('« roles.write »')
    const users = await secretary.post('/staff/admin/users', NEW_USER)
    expect(users.status).toBe(403)
    expect(users.text).toContain('« users.write »')
    const home = (await secretary.get('/staff')).text
    expect(home).not.toContain('href="/staff/admin/roles"')
    expect(home).not.toContain('href="/staff/admin/users"')
  })
})

describe('two administrators editing one role or one user at once (the form carries the version it was opened with)', () => {
  it("refuses the second save of a role both opened, saying what the first changed and keeping what was typed; the role stays the first's whole, audited once, until the second saves again", async () => {
    const { ctx, siteId, as } = await fresh()
    const admin = await as(ADMIN)
    const chief = await as(CHIEF)
    const adminOpened = await versionOf(admin, '/staff/admin/roles/pointage')
    const chiefOpened = await versionOf(chief, '/staff/admin/roles/pointage')
    expect((await admin.post('/staff/admin/roles/pointage', { label: 'Pointage', permissions: ['attendance.write', 'households.read'], version: adminOpened })).location).toBe('/staff/admin/roles/pointage?done=saved')
    const late = await chief.post('/staff/admin/roles/pointage', { label: 'Pointage du soir', description: 'Garderie', permissions: ['attendance.write'], version: chiefOpened })
    expect(late.status).toBe(400)
    expect(late.text).toContain('a modifié cette fiche depuis que vous')
    expect(late.text).toContain('(Permissions). Rien n')
    expect(late.text).toContain('value="Pointage du soir"')
    const stored = await db.storage.directory!.getDirectoryRecord(siteId, 'role', 'pointage')
    expect(stored).toMatchObject({ label: 'Pointage', permissions: ['attendance.write', 'households.read'] })
    expect(stored?.description).toBeUndefined()
    const edits = async () => (await ctx.storage.audit!.listAuditEntries(siteId, {})).items.filter((e) => e.action === 'role.edited')
    expect(await edits()).toHaveLength(1)
    // the form shown again carries the role's current version: saving it again is a knowing choice
    const again = late.text.match(/name="version" value="([^"]+)"/)![1]!
    expect(again).not.toBe(chiefOpened)
    expect((await chief.post('/staff/admin/roles/pointage', { label: 'Pointage du soir', description: 'Garderie', permissions: ['attendance.write'], version: again })).location).toBe('/staff/admin/roles/pointage?done=saved')
    expect(await db.storage.directory!.getDirectoryRecord(siteId, 'role', 'pointage')).toMatchObject({ label: 'Pointage du soir', description: 'Garderie', permissions: ['attendance.write'] })
    expect(await edits()).toHaveLength(2)
  })

  it('refuses, in English, the save of a user changed since the form was opened, naming the fields; a user deleted meanwhile is not brought back', async () => {
    const { siteId, as, access } = await fresh()
    const admin = await as(ADMIN)
    const other = await as(ADMIN)
    await other.post('/lang', { lang: 'en' })
    const path = '/staff/admin/users/u-bo-animateur'
    const opened = await versionOf(other, path)
    const form = { firstName: 'Antoine', lastName: 'Animateur', login: 'animateur@jaures.example', profile: 'staff', schools: SCHOOL, services: 'garderie', messaging: 'email' }
    expect((await admin.post(path, { ...form, roleId: 'pointage', version: await versionOf(admin, path) })).status).toBe(303)
    const late = await other.post(path, { ...form, lastName: 'Animateur-Roux', roleId: 'animateur', version: opened })
    expect(late.status).toBe(400)
    expect(late.text).toContain('someone else changed this record since you opened it (Role)')
    expect(late.text).toContain('value="Animateur-Roux"')
    expect(await access.getUser(siteId, 'u-bo-animateur')).toMatchObject({ lastName: 'Animateur', roleId: 'pointage' })
    await access.deleteUser(siteId, 'u-bo-animateur')
    const gone = await other.post(path, { ...form, roleId: 'pointage', version: late.text.match(/name="version" value="([^"]+)"/)![1]! })
    expect(gone.status).toBe(404)
    expect(await access.getUser(siteId, 'u-bo-animateur')).toBeUndefined()
  })
})
