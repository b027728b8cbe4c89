/**
 * A database of its own on the PostgreSQL server for a race test file: created empty, dropped
 * after the file's host has closed its pool.
 */
import pg from 'pg'

/** A created database: its connection string, and how to drop it. */
export interface ScratchDatabase {
  readonly url: string
  drop(): Promise<void>
}

/**
 * Creates database `name` on the server of `serverUrl` and returns its connection string.
 *
 * @example
 * const db = await scratchDatabase(process.env.ECOLE_PG_URL!, `web_race_${process.pid}_${Date.now()}`)
 * const storage = await createPostgresStorage({ connectionString: db.url })
 * // ... after the host is closed:
 * await db.drop()
 */
export async function scratchDatabase(serverUrl: string, name: string): Promise<ScratchDatabase> {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const u = new URL(serverUrl)
  u.pathname = `/${name}`
  return {
    url: u.toString(),
    async drop() {
      // without FORCE: terminating the pool's last connections while they close would surface as unhandled
      // 57P01 errors in the test run; wait for them to be gone instead (55006: the database is still in use)
      try {
        for (let attempt = 0; ; attempt++) {
          try {
            await admin.query(`DROP DATABASE IF EXISTS ${name}`)
            return
          } catch (error) {
            if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error
            await new Promise((ok) => setTimeout(ok, 100))
          }
        }
      } finally {
        await admin.end()
      }
    },
  }
}
