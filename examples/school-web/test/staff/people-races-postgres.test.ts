import { ChildSchema } from '@ecole/core'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { peopleSite } from './people-support'
import { Client, host } from './support'

// Two secretaries racing through the people screens on a real PostgreSQL server (PGlite runs one
// transaction at a time, so only a server shows a race). Each test has a site of its own.
const url = process.env['ECOLE_PG_URL']

describe.skipIf(!url)('two secretaries enrolling at once on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  it("never goes beyond the site's licence limit: with room for one more pupil, two new pupils enrolled at the same moment give one enrolment and one refusal", async () => {
    for (let round = 0; round < 3; round++) {
      const siteId = `staff-people-races-${process.pid}-${Date.now()}-${round}`
      // Léo is the one pupil; the licence allows two
      await peopleSite(storage, siteId, { maxPupils: 2 })
      for (const id of ['k2', 'k3']) {
        await storage.directory!.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id, siteId, firstName: id, lastName: 'Roux', birthDate: '2020-01-01', guardians: [{ guardianId: 'g2', relationship: 'mother' }] }))
      }
      const { ctx, app } = await host(storage, siteId)
      const a = new Client(app, ctx)
      const b = new Client(app, ctx)
      await a.login('secretariat@jaures.example')
      await b.login('bo-admin@jaures.example')
      const [ra, rb] = await Promise.all([
        a.post('/staff/children/k2/enrol', { enrolmentId: 'e-k2', classId: 'ce1', from: '2026-09-01' }),
        b.post('/staff/children/k3/enrol', { enrolmentId: 'e-k3', classId: 'ce1', from: '2026-09-01' }),
      ])
      expect([ra.status, rb.status].sort()).toEqual([303, 400])
      const loser = ra.status === 400 ? ra : rb
      expect(loser.text).toContain('la licence du site est limitée à 2 élèves et le site en compte déjà 2')
      const enrolments = await storage.directory!.listDirectoryRecords(siteId, 'enrolment')
      expect(enrolments.items).toHaveLength(2)
    }
  }, 120_000)
})
