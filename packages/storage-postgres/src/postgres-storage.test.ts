import { runStorageConformance } from '@ecole/testing'
import { describe, expect, it } from 'vitest'
import { createPostgresStorage } from './postgres-storage'

// Embedded PostgreSQL (PGlite) always: one instance for the whole file (it takes seconds to start).
runStorageConformance({ name: 'storage-postgres on PGlite', create: () => createPostgresStorage() })

// A real PostgreSQL server when ECOLE_PG_URL is set (CI sets it: there the server run is mandatory).
const url = process.env['ECOLE_PG_URL']
if (url) {
  runStorageConformance({ name: 'storage-postgres on a PostgreSQL server', create: () => createPostgresStorage({ connectionString: url }) })
} else if (process.env['CI']) {
  describe('storage-postgres on a PostgreSQL server', () => {
    it('runs in CI, where ECOLE_PG_URL must name a server', () => {
      expect.fail('[ecole] CI is set but ECOLE_PG_URL is not: the PostgreSQL server suite must run in CI (e.g. postgresql://postgres@127.0.0.1:5432/ecole_test)')
    })
  })
} else {
  console.log('[ecole] ECOLE_PG_URL is not set: the PostgreSQL server suite is skipped (set it to postgresql://user@host:5432/db to run it)')
}
