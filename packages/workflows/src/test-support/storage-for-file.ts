import type { StoragePorts } from '@ecole/core/ports'
import { afterAll, beforeAll } from 'vitest'

/**
 * One storage for the tests of a `describe`: opened before them (PGlite takes seconds to start,
 * more than a test's time on a busy machine) and closed after them. Call it inside the `describe`.
 *
 * @example
 * describe('on PGlite', () => {
 *   const open = storageForFile(() => createPostgresStorage())
 *   it('...', async () => { const storage = await open() })
 * })
 */
export function storageForFile(create: () => Promise<StoragePorts>): () => Promise<StoragePorts> {
  let opened: Promise<StoragePorts> | undefined
  const open = () => (opened ??= create())
  beforeAll(async () => { await open() }, 120_000)
  afterAll(async () => { if (opened) await (await opened).close() })
  return open
}
