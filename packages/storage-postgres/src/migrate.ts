import { createHash } from 'node:crypto'
import { EcoleError } from '@ecole/core'
import type { Database } from './driver'
import { MIGRATIONS, type Migration, type RecordedMigration } from './migrations/index'

/** The advisory lock key every `migrate()` takes ('ecole' in ASCII), so concurrent runs queue up. @internal */
export const MIGRATION_LOCK_KEY = 111_101_99_111_108_101n

/**
 * What `migrate()` did: the migration versions it applied and those it found already applied.
 *
 * @example
 * const report: MigrationReport = await storage.migrate() //=> { applied: [], alreadyApplied: [1, 2, 3, 4, 5, 6] }
 */
export interface MigrationReport {
  /** Versions applied by this run, in order. */
  applied: number[]
  /** Versions that were already applied before it. */
  alreadyApplied: number[]
}

/** The sha256 of a migration's SQL, as recorded. @internal */
export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex')
}

/**
 * Applies the migrations not yet applied, in one transaction holding an advisory lock (two runs at
 * once queue up; the second finds everything applied), recording each with its checksum in
 * `ecole_schema_migrations`. Forward only: a recorded migration whose checksum differs from the
 * shipped one is refused with `MIGRATION_CHECKSUM_MISMATCH`; a recorded version this code does
 * not know (a newer release ran) is refused with `MIGRATION_UNKNOWN_VERSION`. Versions ascend and
 * may have gaps. A database that recorded exactly the migrations a squashing one `replaces` (the
 * baseline replaces 0001-0011) is recognised: those rows become the squashing migration's row, and
 * nothing runs; a database that recorded only part of a squashed chain is refused
 * (`MIGRATION_CHECKSUM_MISMATCH`: upgrade it with the release that shipped the whole chain first).
 *
 * @internal
 */
export async function runMigrations(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationReport> {
  return db.transaction(async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY])
    await c.exec(`CREATE TABLE IF NOT EXISTS ecole_schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      checksum   text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`)
    const rows = await c.query<{ version: number; checksum: string }>('SELECT version, checksum FROM ecole_schema_migrations ORDER BY version')
    const recorded = new Map(rows.map((r) => [Number(r.version), r.checksum]))
    const ordered = [...migrations].sort((a, b) => a.version - b.version)
    for (const migration of ordered) {
      if (migration.replaces === undefined || recorded.get(migration.version) === migrationChecksum(migration)) continue
      if (await recogniseSquashed(c, migration, migration.replaces, recorded)) recorded.set(migration.version, migrationChecksum(migration))
    }
    const known = new Set(migrations.map((m) => m.version))
    for (const version of recorded.keys()) {
      if (!known.has(version)) {
        throw new EcoleError('MIGRATION_UNKNOWN_VERSION', `the database has migration ${version}, which this version of @ecole/storage-postgres does not know (downgrades are not supported)`, {
          details: { version },
        })
      }
    }
    const report: MigrationReport = { applied: [], alreadyApplied: [] }
    for (const migration of ordered) {
      const checksum = migrationChecksum(migration)
      const previous = recorded.get(migration.version)
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new EcoleError('MIGRATION_CHECKSUM_MISMATCH', `migration ${migration.version} (${migration.name}) was applied with another content: migrations are forward only, never edited`, {
            details: { version: migration.version, recorded: previous, shipped: checksum },
          })
        }
        report.alreadyApplied.push(migration.version)
        continue
      }
      await c.exec(migration.sql)
      await c.query('INSERT INTO ecole_schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, checksum])
      report.applied.push(migration.version)
    }
    return report
  })
}

/**
 * Whether the recorded migrations are exactly the squashed chain `replaces` (versions and
 * checksums): then they are replaced, in the same transaction, by the row of `migration`. A partial
 * chain (an older release stopped part-way) is refused; no row of the chain: false.
 */
async function recogniseSquashed(c: Parameters<Parameters<Database['transaction']>[0]>[0], migration: Migration, replaces: readonly RecordedMigration[], recorded: Map<number, string>): Promise<boolean> {
  const matching = replaces.filter((m) => recorded.get(m.version) === m.checksum)
  if (matching.length === 0) return false
  if (matching.length !== replaces.length) {
    const versions = matching.map((m) => m.version)
    throw new EcoleError('MIGRATION_CHECKSUM_MISMATCH', `the database recorded migrations ${versions.join(', ')} of the chain squashed into migration ${migration.version} (${migration.name}), not all of it: migrate it with the release that shipped migrations ${replaces.map((m) => m.version).join(', ')} first`, {
      details: { version: migration.version, recorded: versions.join(','), shipped: replaces.map((m) => m.version).join(',') },
    })
  }
  await c.query('DELETE FROM ecole_schema_migrations WHERE version = ANY($1::int[])', [replaces.map((m) => m.version)])
  await c.query('INSERT INTO ecole_schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, migrationChecksum(migration)])
  for (const m of replaces) recorded.delete(m.version)
  return true
}
