// The three storages the outbox tests run on: memory, embedded PostgreSQL (PGlite), and the
// PostgreSQL server of ECOLE_PG_URL (mandatory in CI).
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'

export interface StorageCase {
  name: string
  create: () => Promise<StoragePorts>
}

export function storageCases(): StorageCase[] {
  const cases: StorageCase[] = [
    { name: 'memory', create: async () => createMemoryStorage() },
    { name: 'PGlite', create: () => createPostgresStorage() },
  ]
  const url = process.env['ECOLE_PG_URL']
  if (url) cases.push({ name: 'PostgreSQL server', create: () => createPostgresStorage({ connectionString: url, poolSize: 6 }) })
  else if (process.env['CI']) throw new Error('[ecole] CI is set but ECOLE_PG_URL is not: the PostgreSQL server cases must run in CI')
  else console.log('[ecole] ECOLE_PG_URL is not set: the outbox cases on a PostgreSQL server are skipped')
  return cases
}

let counter = 0
export function freshSite(): string {
  return `mail-${process.pid}-${Date.now().toString(36)}-${++counter}`
}
