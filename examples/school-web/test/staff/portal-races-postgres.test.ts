import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { setPasswordWithToken, type MailPayload } from '@ecole/workflows'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLAIRE, messageSite, tokenOf } from './msg-support'
import { Client, host, NOW } from './support'

// Two staff users opening the same parent's portal access at the same moment, on a real
// PostgreSQL server (PGlite runs one transaction at a time, so only a server shows the race).
const url = process.env['ECOLE_PG_URL']

describe.skipIf(!url)('two staff users opening one guardian’s portal access at once on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  it('mails one token, the one that works; the other user is told the access is already open', async () => {
    for (let round = 0; round < 4; round++) {
      const siteId = `staff-portal-races-${process.pid}-${Date.now()}-${round}`
      await messageSite(storage, siteId)
      const { ctx, app } = await host(storage, siteId)
      const a = new Client(app, ctx)
      const b = new Client(app, ctx)
      await a.login('secretariat@jaures.example')
      await b.login('bo-admin@jaures.example')
      const [ra, rb] = await Promise.all([a.post('/staff/portal-access/g1/open', {}), b.post('/staff/portal-access/g1/open', {})])
      expect([ra.status, rb.status].sort()).toEqual([303, 409])
      expect((ra.status === 409 ? ra : rb).text).toContain('Claire Martin a déjà un accès au portail')
      const mails = (await storage.outbox!.list(siteId, {}, { limit: 100 })).items.filter((m) => (m.payload as MailPayload).purpose === 'firstLogin')
      expect(mails).toHaveLength(1)
      const payload = mails[0]!.payload as MailPayload
      expect(payload.to).toEqual([CLAIRE])
      const set = await setPasswordWithToken({ access: storage.access!, siteId, token: tokenOf(payload.text ?? ''), password: 'un mot de passe', confirmation: 'un mot de passe', now: NOW, scrypt: { N: 1024, r: 8, p: 1 } })
      expect(set.ok).toBe(true)
      // one audit entry, the winner's
      expect((await storage.audit!.listAuditEntries(siteId, {})).items.filter((e) => e.action === 'portalAccount.opened')).toHaveLength(1)
    }
  }, 120_000)
})
