import { RoleSchema, SchoolSchema, UserSchema } from '@ecole/core'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { hashPassword } from '@ecole/workflows'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SITE } from '../../src/site-settings'
import { peopleSite } from './people-support'
import { Client, FAST_SCRYPT, host, NOW, PASSWORD } from './support'

// Two administrators racing through the users screen on a real PostgreSQL server (PGlite runs one
// transaction at a time, so only a server shows a race). Each round has a site of its own.
const url = process.env['ECOLE_PG_URL']

describe.skipIf(!url)('two administrators creating users, or editing one role or one user, at once on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  /** A round's site with a second administrator, and both signed in. */
  async function twoAdmins(siteId: string) {
    await peopleSite(storage, siteId)
    await storage.directory!.putDirectoryRecord(siteId, 'school', SchoolSchema.parse({ id: SITE.schoolId, siteId, name: 'École Jean-Jaurès', email: 'ce.0751234j@ac-creteil.fr', uai: '0751234J' }))
    await storage.access!.createUser(siteId, UserSchema.parse({ id: 'u-admin-2', siteId, login: 'admin2@jaures.example', firstName: 'Albert', lastName: 'Admin', roleId: 'admin', profile: 'administrator', scope: { schoolIds: 'all', serviceIds: 'all' } }))
    await storage.access!.putCredential(siteId, { subject: { kind: 'user', id: 'u-admin-2' }, passwordHash: await hashPassword(PASSWORD, FAST_SCRYPT), updatedAt: NOW.toISOString() })
    const { ctx, app } = await host(storage, siteId)
    const a = new Client(app, ctx)
    const b = new Client(app, ctx)
    await a.login('bo-admin@jaures.example')
    await b.login('admin2@jaures.example')
    return { a, b, ctx, app }
  }
  const versionIn = (html: string) => html.match(/name="version" value="([^"]+)"/)![1]!

  it("lets one of two administrators saving the same role at the same moment win: the other is told, the role is the winner's whole, one audit entry", async () => {
    for (let round = 0; round < 6; round++) {
      const siteId = `staff-roles-races-${process.pid}-${Date.now()}-${round}`
      const { a, b } = await twoAdmins(siteId)
      await storage.directory!.putDirectoryRecord(siteId, 'role', RoleSchema.parse({ id: 'pointage', siteId, label: 'Pointage', permissions: ['attendance.write'] }))
      const [va, vb] = [versionIn((await a.get('/staff/admin/roles/pointage')).text), versionIn((await b.get('/staff/admin/roles/pointage')).text)]
      const forms = {
        a: { label: 'Pointage et réservations', description: 'Cantine', permissions: ['attendance.write', 'bookings.read'], version: va },
        b: { label: 'Pointage du soir', description: 'Garderie', permissions: ['households.read'], version: vb },
      }
      const [ra, rb] = await Promise.all([a.post('/staff/admin/roles/pointage', forms.a), b.post('/staff/admin/roles/pointage', forms.b)])
      expect([ra.status, rb.status].sort()).toEqual([303, 400])
      const [winner, loser] = ra.status === 303 ? [forms.a, rb] : [forms.b, ra]
      expect(loser.text).toContain('a modifié cette fiche depuis que vous')
      const { version: _, ...whole } = winner
      expect(await storage.directory!.getDirectoryRecord(siteId, 'role', 'pointage')).toEqual(RoleSchema.parse({ id: 'pointage', siteId, ...whole }))
      const edits = (await storage.audit!.listAuditEntries(siteId, {})).items.filter((e) => e.action === 'role.edited')
      expect(edits).toHaveLength(1)
      expect(edits[0]?.after).toMatchObject({ label: winner.label })
    }
  }, 120_000)

  it("lets one of two administrators saving the same user at the same moment win: the other is told, the user is the winner's, one audit entry", async () => {
    for (let round = 0; round < 3; round++) {
      const siteId = `staff-user-edit-races-${process.pid}-${Date.now()}-${round}`
      const { a, b } = await twoAdmins(siteId)
      const path = '/staff/admin/users/u-bo-animateur'
      const [va, vb] = [versionIn((await a.get(path)).text), versionIn((await b.get(path)).text)]
      const form = (lastName: string, roleId: string, version: string) => ({ firstName: 'Antoine', lastName, login: 'animateur@jaures.example', roleId, profile: 'staff', allSchools: 'on', allServices: 'on', messaging: 'email', version })
      const [ra, rb] = await Promise.all([a.post(path, form('Animateur-A', 'secretariat', va)), b.post(path, form('Animateur-B', 'regisseur', vb))])
      expect([ra.status, rb.status].sort()).toEqual([303, 400])
      const [winner, loser] = ra.status === 303 ? [{ lastName: 'Animateur-A', roleId: 'secretariat' }, rb] : [{ lastName: 'Animateur-B', roleId: 'regisseur' }, ra]
      expect(loser.text).toContain('a modifié cette fiche depuis que vous')
      expect(await storage.access!.getUser(siteId, 'u-bo-animateur')).toMatchObject(winner)
      const edits = (await storage.audit!.listAuditEntries(siteId, {})).items.filter((e) => e.action === 'user.edited')
      expect(edits).toHaveLength(1)
    }
  }, 120_000)

  it('never gives one login to two users: two creations of the same login at the same moment give one user and one refusal naming the login', async () => {
    for (let round = 0; round < 3; round++) {
      const siteId = `staff-users-races-${process.pid}-${Date.now()}-${round}`
      const { a, b, ctx, app } = await twoAdmins(siteId)
      const form = (firstName: string) => ({
        firstName, lastName: 'Nouvelle', login: 'nadia@jaures.example', password: 'une-phrase-assez-longue', confirmation: 'une-phrase-assez-longue',
        roleId: 'animateur', profile: 'staff', allSchools: 'on', allServices: 'on', messaging: 'email',
      })
      const [ra, rb] = await Promise.all([a.post('/staff/admin/users', form('Nadia')), b.post('/staff/admin/users', form('Nadine'))])
      expect([ra.status, rb.status].sort()).toEqual([303, 400])
      const loser = ra.status === 400 ? ra : rb
      expect(loser.text).toContain('Refusé : l&#39;identifiant nadia@jaures.example est déjà utilisé.')
      const users = (await storage.access!.listUsers(siteId, { limit: 100 })).items.filter((u) => u.login === 'nadia@jaures.example')
      expect(users).toHaveLength(1)
      // the winner's password works; the loser left no user, no credential, no audit entry
      const trail = await storage.audit!.listAuditEntries(siteId, {})
      expect(trail.items.filter((e) => e.action === 'user.created').map((e) => e.subject.id)).toEqual([users[0]!.id])
      const nadia = new Client(app, ctx)
      await nadia.login('nadia@jaures.example', 'une-phrase-assez-longue')
      expect((await nadia.get('/staff')).status).toBe(200)
    }
  }, 120_000)
})
