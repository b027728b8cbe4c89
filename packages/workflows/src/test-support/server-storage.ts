import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { afterAll, beforeAll } from 'vitest'

/**
 * A storage on the PostgreSQL server at `url`, opened before the enclosing describe's tests and
 * closed after them (the object returned stands for it inside the tests).
 */
export function serverStorage(url: string, poolSize: number): PostgresStorage {
  let storage: PostgresStorage | undefined
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url, poolSize })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })
  return new Proxy({} as PostgresStorage, {
    get(_target, key) {
      if (!storage) throw new Error('the server storage is opened before the tests, and used inside them')
      const value = Reflect.get(storage, key) as unknown
      return typeof value === 'function' ? value.bind(storage) : value
    },
  })
}
