import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { isEcoleError } from '@ecole/core'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pgliteDatabase, type Database } from '../driver'
import { migrationChecksum, runMigrations } from '../migrate'
import { MIGRATIONS, SQUASHED_CHAIN } from './index'
import { schemaCatalogue } from './test-support/catalogue'
import { LEGACY } from './test-support/legacy/index'

// Issue 13: migrations 0001-0011 squashed into one baseline. One embedded database for the file;
// each test works in its own schema.
let pglite: PGlite
let db: Database
let counter = 0
/** The baseline alone (the migrations after it, 0012 on, are not part of what it squashed). */
const BASELINE = MIGRATIONS.slice(0, 1)

beforeAll(async () => {
  pglite = await PGlite.create()
  db = pgliteDatabase(pglite, false)
})
afterAll(async () => {
  await pglite.close()
})

async function freshSchema(): Promise<void> {
  counter += 1
  await pglite.exec(`CREATE SCHEMA baseline_test_${counter}; SET search_path TO baseline_test_${counter}`)
}

const catalogue = () => schemaCatalogue(async (sql) => (await pglite.query<Record<string, unknown>>(sql)).rows)

/** What the old runner did: each migration of the chain run and recorded with its checksum. */
async function migrateWithOldChain(upTo = LEGACY.length): Promise<void> {
  await pglite.exec(`CREATE TABLE ecole_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
  for (const m of LEGACY.slice(0, upTo)) {
    await pglite.exec(m.sql)
    await pglite.query('INSERT INTO ecole_schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, createHash('sha256').update(m.sql).digest('hex')])
  }
}

describe('the baseline migration', () => {
  it('builds the same schema as the chain 0001-0011 it squashed (tables, columns, constraints, indexes, functions, triggers)', async () => {
    await freshSchema()
    await migrateWithOldChain()
    const old = await catalogue()
    await freshSchema()
    await runMigrations(db, BASELINE)
    const baseline = await catalogue()
    expect(baseline).toBe(old)
    expect(baseline).toContain('CREATE TABLE ecole_ledger_transfers')
    expect(baseline).toContain('ecole_ledger_write_known')
  })

  it('gives the catalogue committed in schema.sql (regenerate it with npm run schema:snapshot)', async () => {
    await freshSchema()
    await runMigrations(db)
    expect(await catalogue()).toBe(readFileSync(new URL('./schema.sql', import.meta.url), 'utf8'))
  })

  it('recognises a database migrated by the old chain: nothing runs, its eleven records become the baseline\'s, its data stays', async () => {
    await freshSchema()
    await migrateWithOldChain()
    await pglite.query(`INSERT INTO ecole_records (site_id, kind, id, body) VALUES ('s1', 'school', 'sch1', '{"name":"Jules Ferry"}')`)
    const before = await catalogue()
    const report = await runMigrations(db, BASELINE)
    expect(report).toEqual({ applied: [], alreadyApplied: [1] })
    const rows = await pglite.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM ecole_schema_migrations ORDER BY version')
    expect(rows.rows).toEqual([{ version: 1, name: 'baseline', checksum: migrationChecksum(MIGRATIONS[0]!) }])
    expect(await catalogue()).toBe(before)
    const kept = await pglite.query<{ id: string }>(`SELECT id FROM ecole_records WHERE site_id = 's1'`)
    expect(kept.rows).toEqual([{ id: 'sch1' }])
    expect(await runMigrations(db, BASELINE)).toEqual({ applied: [], alreadyApplied: [1] })
  })

  it('refuses a database that ran only part of the old chain, and changes none of its records', async () => {
    await freshSchema()
    await migrateWithOldChain(5)
    const error = await runMigrations(db, BASELINE).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('MIGRATION_CHECKSUM_MISMATCH')
    expect(String((error as Error).message)).toContain('1, 2, 3, 4, 5')
    const rows = await pglite.query<{ version: number }>('SELECT version FROM ecole_schema_migrations ORDER BY version')
    expect(rows.rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5])
  })

  it('knows the old chain by the checksums its files had', () => {
    expect(SQUASHED_CHAIN).toEqual(LEGACY.map((m) => ({ version: m.version, name: m.name, checksum: createHash('sha256').update(m.sql).digest('hex') })))
  })

  it('lets later migrations apply after it whatever their number (gaps allowed: 0012 and on)', async () => {
    await freshSchema()
    await runMigrations(db, BASELINE)
    const later = [...BASELINE, { version: 14, name: 'later', sql: 'CREATE TABLE ecole_later (id text PRIMARY KEY)' }, { version: 12, name: 'next', sql: 'CREATE TABLE ecole_next (id text PRIMARY KEY)' }]
    expect(await runMigrations(db, later)).toEqual({ applied: [12, 14], alreadyApplied: [1] })
    await migrateLater()
    async function migrateLater(): Promise<void> {
      const rows = await pglite.query<{ version: number }>('SELECT version FROM ecole_schema_migrations ORDER BY version')
      expect(rows.rows.map((r) => r.version)).toEqual([1, 12, 14])
    }
  })

  it('recognises the old chain on a database that also ran later migrations after it', async () => {
    await freshSchema()
    await migrateWithOldChain()
    const later = [...BASELINE, { version: 12, name: 'next', sql: 'CREATE TABLE ecole_next (id text PRIMARY KEY)' }]
    expect(await runMigrations(db, later)).toEqual({ applied: [12], alreadyApplied: [1] })
  })
})
