import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { FIND_USER_BY_LOGIN_SQL } from './access-store'
import { createPostgresStorage } from './postgres-storage'

// Issue 18: a staff user signs in by login; the store reads the login's row by the key that keeps
// logins unique, then the user by their record's key, never by listing the site's users.
describe('a staff user found by login on a site of many users', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it("reads the login through ecole_logins' primary key and the user through ecole_records' key, with no sequential scan", async () => {
    const storage = await createPostgresStorage({ pglite })
    // 5,000 users of the site and 5,000 portal logins, analysed
    await pglite.query(`INSERT INTO ecole_records (site_id, kind, id, body)
      SELECT 's1', 'user', 'u-' || i, jsonb_build_object('id', 'u-' || i, 'siteId', 's1', 'login', 'user' || i || '@mairie.fr', 'firstName', 'U', 'lastName', 'N' || i,
        'roleId', 'cashier', 'profile', 'staff', 'scope', jsonb_build_object('schoolIds', 'all', 'serviceIds', 'all'), 'messaging', jsonb_build_array('email'))
      FROM generate_series(1, 5000) AS i`)
    await pglite.query(`INSERT INTO ecole_logins (site_id, namespace, login, owner_id)
      SELECT 's1', ns, CASE ns WHEN 'user' THEN 'user' ELSE 'parent' END || i || '@mairie.fr', 'u-' || i FROM generate_series(1, 5000) AS i, unnest(ARRAY['user', 'portal']) AS ns`)
    await pglite.query('ANALYZE ecole_records')
    await pglite.query('ANALYZE ecole_logins')
    const plan = (await pglite.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${FIND_USER_BY_LOGIN_SQL}`, ['s1', 'user4242@mairie.fr'])).rows.map((r) => r['QUERY PLAN']).join('\n')
    expect(plan).toContain('ecole_logins_pkey')
    expect(plan).toContain('ecole_records_pkey')
    expect(plan).not.toMatch(/Seq Scan/)
    expect((await storage.access!.findUserByLogin('s1', ' User4242@Mairie.fr'))?.id).toBe('u-4242')
    expect(await storage.access!.findUserByLogin('s1', 'parent4242@mairie.fr')).toBeUndefined()
    await storage.close()
  }, 120_000)
})
