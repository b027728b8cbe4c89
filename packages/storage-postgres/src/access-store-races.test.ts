import { isEcoleError } from '@ecole/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresStorage, type PostgresStorage } from './index'

// Two transactions giving one guardian the same portal login at the same moment, on a real
// PostgreSQL server (PGlite runs one transaction at a time). A login is unique per site, and an
// owner has one login: when the owner's row is inserted concurrently, which unique index the
// second insert trips first depends on timing, and either way the claim is the same one.
const url = process.env['ECOLE_PG_URL']

describe.skipIf(!url)('a portal login claimed twice at once on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  it('lets both claims of the same login for the same guardian hold (one login row), and refuses another guardian the login (LOGIN_TAKEN)', async () => {
    for (let round = 0; round < 20; round++) {
      const siteId = `pg-login-race-${process.pid}-${Date.now()}-${round}`
      const account = { siteId, guardianId: 'g1', login: 'claire@example.fr' }
      const results = await Promise.all([0, 1].map(() => storage.transaction(siteId, (tx) => tx.access!.putPortalAccount(siteId, account)).then(() => 'ok', (e: unknown) => (isEcoleError(e) ? e.code : String(e)))))
      expect(results).toEqual(['ok', 'ok'])
      expect(await storage.access!.findPortalAccountByLogin(siteId, 'claire@example.fr')).toEqual(account)
      const other = await storage.access!.putPortalAccount(siteId, { siteId, guardianId: 'g2', login: 'claire@example.fr' }).then(() => 'ok', (e: unknown) => (isEcoleError(e) ? e.code : String(e)))
      expect(other).toBe('LOGIN_TAKEN')
    }
  }, 120_000)
})
