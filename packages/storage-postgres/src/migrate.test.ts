import { isEcoleError } from '@ecole/core'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pgliteDatabase, type Database } from './driver'
import { migrationChecksum, runMigrations } from './migrate'
import { MIGRATIONS } from './migrations/index'

// One embedded database for the file (PGlite takes seconds to start); each test uses its own schema.
let pglite: PGlite
let db: Database
let schemaCounter = 0

beforeAll(async () => {
  pglite = await PGlite.create()
  db = pgliteDatabase(pglite, false)
})
afterAll(async () => {
  await pglite.close()
})

async function freshSchema(): Promise<string> {
  schemaCounter += 1
  const schema = `migrate_test_${schemaCounter}`
  await pglite.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`)
  return schema
}

/** A migration a later release adds (numbered after whatever ships now). */
const NEXT = { version: Math.max(...MIGRATIONS.map((m) => m.version)) + 1, name: 'next', sql: 'CREATE TABLE ecole_migrate_test_next (id text PRIMARY KEY)' }

describe('runMigrations', () => {
  it('applies every migration once and records each with its checksum', async () => {
    await freshSchema()
    const first = await runMigrations(db)
    expect(first).toEqual({ applied: MIGRATIONS.map((m) => m.version), alreadyApplied: [] })
    const rows = await pglite.query<{ version: number; checksum: string }>('SELECT version, checksum FROM ecole_schema_migrations ORDER BY version')
    expect(rows.rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, checksum: migrationChecksum(m) })))
  })

  it('is safe to run twice: the second run applies nothing', async () => {
    await freshSchema()
    await runMigrations(db)
    expect(await runMigrations(db)).toEqual({ applied: [], alreadyApplied: MIGRATIONS.map((m) => m.version) })
  })

  it('is safe to run concurrently: the advisory lock makes one run apply and the others find it done', async () => {
    await freshSchema()
    const reports = await Promise.all([runMigrations(db), runMigrations(db), runMigrations(db)])
    expect(reports.map((r) => r.applied.length).sort()).toEqual([0, 0, MIGRATIONS.length])
  })

  it('applies only the migrations added since the last run (forward only)', async () => {
    await freshSchema()
    await runMigrations(db)
    const report = await runMigrations(db, [...MIGRATIONS, NEXT])
    expect(report).toEqual({ applied: [NEXT.version], alreadyApplied: MIGRATIONS.map((m) => m.version) })
  })

  it('refuses a shipped migration whose content changed after it was applied', async () => {
    await freshSchema()
    await runMigrations(db)
    const edited = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m))
    const error = await runMigrations(db, edited).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('MIGRATION_CHECKSUM_MISMATCH')
  })

  it('refuses to run against a database migrated by a newer release', async () => {
    await freshSchema()
    await runMigrations(db, [...MIGRATIONS, NEXT])
    const error = await runMigrations(db).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('MIGRATION_UNKNOWN_VERSION')
  })

  it('numbers its migrations in ascending order from the baseline, 1 (gaps allowed after a squash)', () => {
    const versions = MIGRATIONS.map((m) => m.version)
    expect(versions[0]).toBe(1)
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b))
  })
})
