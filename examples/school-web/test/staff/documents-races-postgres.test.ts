import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, visibleText } from '../support'
import { pdfBytes, staffLogin, upload } from './docs-support'
import { host, PASSWORD, smallSite } from './support'

// Two staff users uploading at the same moment on a real PostgreSQL server (PGlite runs one
// transaction at a time, so only a server shows the race). Each round has a site of its own.
const url = process.env['ECOLE_PG_URL']

describe.skipIf(!url)("two uploads at once against the site's storage quota on a PostgreSQL server", () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  it('stores one and refuses the other when each fits in the quota but not both together, naming the quota, used and asked bytes', async () => {
    const a = pdfBytes('Document de la secretaire')
    const b = pdfBytes('Document de l administratrice')
    for (let round = 0; round < 3; round++) {
      const siteId = `staff-docs-races-${process.pid}-${Date.now()}-${round}`
      await smallSite(storage, siteId)
      const site = (await storage.directory!.getSite(siteId))!
      // room for the larger of the two, not for both
      await storage.directory!.putSite(siteId, { ...site, licence: { ...site.licence, maxStorageGb: (Math.max(a.length, b.length) + 10) / 1e9 } })
      const { app } = await host(storage, siteId)
      const sec = new Client(app)
      const admin = new Client(app)
      await staffLogin(sec, 'secretariat@jaures.example', PASSWORD)
      await staffLogin(admin, 'bo-admin@jaures.example', PASSWORD)
      await sec.get('/staff/documents/new')
      await admin.get('/staff/documents/new')
      const [ra, rb] = await Promise.all([
        upload(sec, '/staff/documents', { name: 'a.pdf', bytes: a }, { name: 'A', for: 'site', from: '2027-01-20' }),
        upload(admin, '/staff/documents', { name: 'b.pdf', bytes: b }, { name: 'B', for: 'site', from: '2027-01-20' }),
      ])
      expect([ra.status, rb.status].sort()).toEqual([303, 400])
      const loser = ra.status === 400 ? ra : rb
      expect(visibleText(loser.text)).toContain('Quota de stockage du site dépassé')
      const stored = (await storage.documents!.listDocuments(siteId)).items
      expect(stored).toHaveLength(1)
      expect(await storage.documents!.usedBytes(siteId)).toBe(stored[0]!.sizeBytes)
    }
  }, 120_000)
})
