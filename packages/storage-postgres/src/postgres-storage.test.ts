import { createMemoryStorage } from '@ecole/storage-memory'
import { runStorageConformance } from '@ecole/testing'
import { describe, expect, it } from 'vitest'
import { PGlite } from '@electric-sql/pglite'
import { classifyStatements } from './citus/single-site'
import { recordingPglite, type RecordedStatement } from './citus/sql-recorder'
import { createPostgresStorage } from './postgres-storage'

// Embedded PostgreSQL (PGlite) always: one instance for the whole file (it takes seconds to start).
// Every statement it receives is recorded, for the single-site check below (Citus readiness).
const recorded: RecordedStatement[] = []
let pglite: PGlite | undefined
let afterMigrations = 0
runStorageConformance({
  name: 'storage-postgres on PGlite',
  create: async () => {
    pglite = await PGlite.create()
    const storage = await createPostgresStorage({ pglite: recordingPglite(pglite, recorded) })
    afterMigrations = recorded.length
    return storage
  },
  reset: async (storage) => {
    await storage.close()
    await pglite?.close()
  },
  reference: async () => createMemoryStorage(),
})

describe('every statement of the conformance run on PGlite is single-site (Citus readiness)', () => {
  it('names one site_id, bound to one site, or is a listed exception (migrations are run apart, on the coordinator)', () => {
    // the migrations ran when the storage was created: DDL run once on the coordinator, not site work
    const verdicts = classifyStatements(recorded.slice(afterMigrations))
    const count = (k: string) => verdicts.filter((v) => v.verdict === k).reduce((n, v) => n + v.count, 0)
    console.log(`[ecole] single-site check: ${verdicts.length} distinct statements, ${count('site')} executions on one site, ${count('exception')} listed exceptions (transaction control, ANALYZE)`)
    expect(verdicts.length, 'statements recorded').toBeGreaterThan(50)
    expect(verdicts.filter((v) => v.verdict === 'violation').map((v) => `${v.why}: ${v.sql.slice(0, 300)}`)).toEqual([])
  })

  it('saw the ledger\'s large-batch path run (the conformance model\'s bulk top-ups over known totals: the locking check, then COPY)', () => {
    expect(recorded.filter((s) => /ecole_ledger_lock_known\(/.test(s.sql)).length, 'ecole_ledger_lock_known calls').toBeGreaterThan(0)
    expect(recorded.filter((s) => /^COPY ecole_ledger_transfers /.test(s.sql)).length, 'COPY of transfers').toBeGreaterThan(0)
  })
})

// A real PostgreSQL server when ECOLE_PG_URL is set (CI sets it: there the server run is mandatory).
const url = process.env['ECOLE_PG_URL']

/**
 * Terminates the backends of application `$1` that are idle in a transaction. The call stays in the
 * select list: in the WHERE clause, PostgreSQL orders it before the application's name (EXPLAIN:
 * `state ~~ ... AND pg_terminate_backend(pid) AND application_name = ...`), so it terminated every
 * backend idle in a transaction, other test files' included (a billing race test failed in CI so).
 */
const TERMINATE_IDLE_IN_TRANSACTION =
  "SELECT pid, pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1 AND state LIKE 'idle in transaction%'"

if (url) {
  describe('the fault hook of the server conformance run', () => {
    it('terminates only the named application\'s backends idle in a transaction, never another one\'s', async () => {
      const pg = (await import('pg')).default
      const connect = async (name: string) => {
        const c = new pg.Client({ connectionString: url, application_name: name })
        c.on('error', () => undefined)
        await c.connect()
        await c.query('BEGIN')
        return c
      }
      const target = await connect(`ecole-hook-target-${process.pid}`)
      const bystander = await connect(`ecole-hook-bystander-${process.pid}`)
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      try {
        const r = await admin.query<{ pid: number }>(TERMINATE_IDLE_IN_TRANSACTION, [`ecole-hook-target-${process.pid}`])
        expect(r.rows).toHaveLength(1)
        expect(await target.query('SELECT 1').then(() => 'alive', () => 'terminated')).toBe('terminated')
        expect(await bystander.query('SELECT 1').then(() => 'alive', () => 'terminated')).toBe('alive')
      } finally {
        await bystander.query('ROLLBACK').catch(() => undefined)
        await Promise.all([target.end().catch(() => undefined), bystander.end(), admin.end()])
      }
    })
  })

  // The adapter's connections carry an application_name, so that the fault hook finds them.
  const appName = `ecole-conformance-${process.pid}`
  let admin: import('pg').Client | undefined
  runStorageConformance({
    name: 'storage-postgres on a PostgreSQL server',
    create: () => createPostgresStorage({ connectionString: `${url}${url.includes('?') ? '&' : '?'}application_name=${appName}` }),
    reset: async (storage) => {
      await storage.close()
      await admin?.end()
    },
    reference: async () => createMemoryStorage(),
    faults: {
      // Terminates, from a second connection, the adapter's backends that hold an open transaction.
      async dropConnection() {
        if (!admin) {
          const pg = (await import('pg')).default
          admin = new pg.Client({ connectionString: url })
          await admin.connect()
        }
        const r = await admin.query<{ pid: number }>(TERMINATE_IDLE_IN_TRANSACTION, [appName])
        expect(r.rows.length, 'dropConnection found the open transaction').toBeGreaterThan(0)
        for (let i = 0; i < 500; i++) {
          const left = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1::int[])', [r.rows.map((row) => row.pid)])
          if (left.rowCount === 0) return
          await new Promise((resolve) => setTimeout(resolve, 10))
        }
      },
    },
  })
  describe('migrate() on a PostgreSQL server', () => {
    it('is safe to run from several connections at once (advisory lock): one applies, the others find it done', async () => {
      const schema = `ecole_migrate_${process.pid}_${Date.now()}`
      const admin = await createPostgresStorage({ connectionString: url, migrate: false })
      const withSchema = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
      const pg = (await import('pg')).default
      const pool = new pg.Pool({ connectionString: url })
      await pool.query(`CREATE SCHEMA ${schema}`)
      try {
        const storages = await Promise.all([1, 2, 3, 4].map(() => createPostgresStorage({ connectionString: withSchema, migrate: false })))
        const reports = await Promise.all(storages.map((s) => s.migrate()))
        const counts = reports.map((r) => r.applied.length).sort()
        expect(counts.slice(0, 3)).toEqual([0, 0, 0])
        expect(counts[3]).toBeGreaterThan(0)
        await Promise.all(storages.map((s) => s.close()))
      } finally {
        await pool.query(`DROP SCHEMA ${schema} CASCADE`)
        await pool.end()
        await admin.close()
      }
    })
  })
} else if (process.env['CI']) {
  describe('storage-postgres on a PostgreSQL server', () => {
    it('runs in CI, where ECOLE_PG_URL must name a server', () => {
      expect.fail('[ecole] CI is set but ECOLE_PG_URL is not: the PostgreSQL server suite must run in CI (e.g. postgresql://postgres@127.0.0.1:5432/ecole_test)')
    })
  })
} else {
  console.log('[ecole] ECOLE_PG_URL is not set: the PostgreSQL server suite is skipped (set it to postgresql://user@host:5432/db to run it)')
}
