import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { pgliteDatabase } from './driver'

describe('PGlite statistics', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  async function lastAnalyse(): Promise<unknown> {
    const rows = await pglite.query<{ last_analyze: unknown }>("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'scratch'")
    return rows.rows[0]?.last_analyze ?? null
  }

  it('are gathered after commits once the interval has passed, as autovacuum would on a server', async () => {
    await pglite.exec('CREATE TABLE scratch (id int PRIMARY KEY)')
    const soon = pgliteDatabase(pglite, false, 0)
    await soon.transaction((c) => c.query('INSERT INTO scratch SELECT g FROM generate_series(1, 1000) g'))
    expect(await lastAnalyse()).not.toBeNull()
  })

  it('are not gathered again before the interval has passed', async () => {
    await pglite.exec('CREATE TABLE IF NOT EXISTS scratch2 (id int PRIMARY KEY)')
    const late = pgliteDatabase(pglite, false, 3_600_000)
    await late.transaction((c) => c.query('INSERT INTO scratch2 SELECT g FROM generate_series(1, 10) g'))
    const rows = await pglite.query<{ last_analyze: unknown }>("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'scratch2'")
    expect(rows.rows[0]?.last_analyze ?? null).toBeNull()
  })
})
