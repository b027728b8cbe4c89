/**
 * `@ecole/storage-postgres`: the PostgreSQL storage adapter, over a `pg` Pool or an embedded PGlite
 * (the zero-setup default), with versioned migrations.
 *
 * @packageDocumentation
 */
export { createPostgresStorage, type PostgresStorage, type PostgresStorageOptions } from './postgres-storage'
export type { MigrationReport } from './migrate'
export type { RetryEvent, RetryOptions } from './retry'
export { createReadYourWritesRouter, type ReadYourWritesOptions, type ReadYourWritesRouter, type RoutedReader, type WalPosition } from './read-your-writes'
