import { SchoolSchema, UserSchema } from '@ecole/core'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { hashPassword } from '@ecole/workflows'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SITE } from '../../src/site-settings'
import { peopleSite } from './people-support'
import { Client, FAST_SCRYPT, host, NOW, PASSWORD } from './support'

// Two administrators racing through the users screen on a real PostgreSQL server (PGlite runs one
// transaction at a time, so only a server shows a race). Each round has a site of its own.
const url = process.env['ECOLE_PG_URL']

describe.skipIf(!url)('two administrators creating users at once on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  it('never gives one login to two users: two creations of the same login at the same moment give one user and one refusal naming the login', async () => {
    for (let round = 0; round < 3; round++) {
      const siteId = `staff-users-races-${process.pid}-${Date.now()}-${round}`
      await peopleSite(storage, siteId)
      await storage.directory!.putDirectoryRecord(siteId, 'school', SchoolSchema.parse({ id: SITE.schoolId, siteId, name: 'École Jean-Jaurès', email: 'ce.0751234j@ac-creteil.fr', uai: '0751234J' }))
      await storage.access!.createUser(siteId, UserSchema.parse({ id: 'u-admin-2', siteId, login: 'admin2@jaures.example', firstName: 'Albert', lastName: 'Admin', roleId: 'admin', profile: 'administrator', scope: { schoolIds: 'all', serviceIds: 'all' } }))
      await storage.access!.putCredential(siteId, { subject: { kind: 'user', id: 'u-admin-2' }, passwordHash: await hashPassword(PASSWORD, FAST_SCRYPT), updatedAt: NOW.toISOString() })
      const { ctx, app } = await host(storage, siteId)
      const a = new Client(app, ctx)
      const b = new Client(app, ctx)
      await a.login('bo-admin@jaures.example')
      await b.login('admin2@jaures.example')
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
