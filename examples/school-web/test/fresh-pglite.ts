/**
 * A fresh embedded database for a test file, without paying for a new cluster each time: every
 * test file of a run starts from one migrated, empty PGlite data directory, dumped once per schema
 * into the system's temporary folder, instead of running initdb and the migrations again. On the
 * reference machine a new PGlite costs about 4 s that way and about 1.3 s from the dump; the host's
 * 66 test files each start at least one.
 *
 * The dump is named by a hash of the storage adapter's migrations and of PGlite's version, so a
 * changed migration makes a new one; the storage still checks every migration's checksum when it
 * opens it. Test code only: the host itself opens PGlite as the library does.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'

const MIGRATIONS = fileURLToPath(new URL('../../../packages/storage-postgres/src/migrations/', import.meta.url))
const PGLITE_PACKAGE = fileURLToPath(new URL('../../../node_modules/@electric-sql/pglite/package.json', import.meta.url))

/** Where the dump of the current schema lives. */
function templatePath(): string {
  const hash = createHash('sha256')
  for (const name of readdirSync(MIGRATIONS).filter((n) => n.endsWith('.ts') || n.endsWith('.sql')).sort()) {
    hash.update(name).update(readFileSync(join(MIGRATIONS, name)))
  }
  hash.update(readFileSync(PGLITE_PACKAGE))
  return join(tmpdir(), `ecole-pglite-template-${hash.digest('hex').slice(0, 16)}.tar`)
}

let template: Promise<Blob> | undefined

/** The dump: read from the temporary folder, or made (and written there) by the first file that needs it. */
function templateBlob(): Promise<Blob> {
  template ??= (async () => {
    const path = templatePath()
    if (existsSync(path)) return new Blob([new Uint8Array(readFileSync(path))])
    const pglite = new PGlite()
    const storage = await createPostgresStorage({ pglite })
    await storage.close()
    const dump = await pglite.dumpDataDir('none')
    await pglite.close()
    // written aside then renamed: a file running beside this one reads a whole dump or none
    const partial = `${path}.${process.pid}.partial`
    writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()))
    renameSync(partial, path)
    return dump
  })()
  return template
}

/**
 * A new storage over its own in-memory PGlite, migrated and empty; `close()` closes both.
 *
 * @example
 * const storage = await freshPgliteStorage()
 * await storage.close()
 */
export async function freshPgliteStorage(): Promise<PostgresStorage> {
  const pglite = new PGlite({ loadDataDir: await templateBlob() })
  const storage = await createPostgresStorage({ pglite })
  return {
    ...storage,
    close: async () => {
      await storage.close()
      await pglite.close()
    },
  }
}
