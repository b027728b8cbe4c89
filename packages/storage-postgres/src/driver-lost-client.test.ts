import { isEcoleError } from '@ecole/core'
import type { Pool, PoolClient } from 'pg'
import { describe, expect, it } from 'vitest'
import { pgDatabase } from './driver'

// Issue 12 (a lost connection): the server ends a connection (pg_terminate_backend, a restart) and
// the statement running on it fails with 57P01 before the client's own 'error' event arrives, if
// it ever does. The client must not go back to the pool as healthy: the next call would be lent a
// dead connection ("Connection terminated unexpectedly"). The connection-loss tests on the real
// server caught this only as a race (2 CI runs out of 3); here the order of events is scripted.

/** A pg error as the server sends it when it terminates a backend. */
function terminated(): Error {
  return Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' })
}

/** A pool lending one scripted client, recording what each release was given. */
function scriptedPool(answer: (sql: string) => Promise<unknown>) {
  const released: Array<Error | boolean | undefined> = []
  const sent: string[] = []
  const client = {
    on: () => client,
    query: async (q: string | { text: string }) => {
      const sql = typeof q === 'string' ? q : q.text
      sent.push(sql)
      return answer(sql)
    },
    release: (error?: Error | boolean) => {
      released.push(error)
    },
  }
  const pool = { connect: async () => client, on: () => pool, off: () => pool, end: async () => undefined }
  return { pool: pool as unknown as Pool, client: client as unknown as PoolClient, released, sent }
}

const rows = { rows: [] as unknown[] }
const noTypes = { getTypeParser: () => (v: string) => v }

describe('a client whose statement failed because the server ended its connection (57P01)', () => {
  it('fails the call with STORAGE_UNAVAILABLE and hands the client back to the pool with an error, so the pool destroys it (autocommit)', async () => {
    const { pool, released } = scriptedPool(async () => {
      throw terminated()
    })
    const db = pgDatabase(pool, noTypes, false)
    const error = await db.autocommit((c) => c.query('SELECT 1')).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('STORAGE_UNAVAILABLE')
    expect(released).toHaveLength(1)
    expect(released[0]).toBeInstanceOf(Error)
  })

  it('in a transaction: sends no ROLLBACK on the dead connection, says the work was rolled back, and releases the client with an error', async () => {
    const { pool, released, sent } = scriptedPool(async (sql) => {
      if (sql === 'BEGIN') return rows
      throw terminated()
    })
    const db = pgDatabase(pool, noTypes, false)
    const error = await db.transaction((c) => c.query('UPDATE t SET x = 1')).catch((e: unknown) => e)
    expect(isEcoleError(error) && [error.code, error.details['outcome']]).toEqual(['STORAGE_UNAVAILABLE', 'rolledBack'])
    expect(sent).toEqual(['BEGIN', 'UPDATE t SET x = 1'])
    expect(released).toHaveLength(1)
    expect(released[0]).toBeInstanceOf(Error)
  })

  it('releases a client whose statement failed for a reason of its own (a constraint) as healthy, to be lent again', async () => {
    const { pool, released } = scriptedPool(async () => {
      throw Object.assign(new Error('duplicate key value violates unique constraint "t_pkey"'), { code: '23505', constraint: 't_pkey' })
    })
    const db = pgDatabase(pool, noTypes, false)
    const error = await db.autocommit((c) => c.query('INSERT INTO t VALUES (1)')).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('STORAGE_CONSTRAINT')
    expect(released).toEqual([undefined])
  })
})

interface CopySubmittable {
  submit(connection: unknown): void
  handleCopyInResponse(connection: unknown): void
  handleCommandComplete(): void
  handleReadyForQuery(): void
  handleError(error: Error): void
}

/**
 * A database over a pool lending one scripted client: plain statements answer at once; a COPY
 * submittable is sent, given the server's request for rows, then `finish`ed (answered or failed).
 * Records the statement and rows the submittable sent, how often it ended the copy, and each release.
 */
function copyingDatabase(finish: (copy: CopySubmittable) => void) {
  const seen = { sql: [] as string[], chunks: [] as string[], ended: 0 }
  const released: Array<Error | undefined> = []
  const connection = {
    query: (sql: string) => seen.sql.push(sql),
    sendCopyFromChunk: (chunk: Buffer) => seen.chunks.push(chunk.toString('utf8')),
    endCopyFrom: () => seen.ended++,
  }
  const client = {
    on: () => client,
    release: (error?: Error) => released.push(error),
    query: (q: CopySubmittable | string) => {
      if (typeof q === 'string') return Promise.resolve(rows)
      q.submit(connection)
      q.handleCopyInResponse(connection)
      finish(q)
      return q
    },
  }
  const pool = { connect: async () => client, on: () => pool, off: () => pool, end: async () => undefined }
  return { db: pgDatabase(pool as unknown as Pool, noTypes, false), seen, released }
}

describe('COPY ... FROM STDIN on the pg driver (copyFrom)', () => {
  it('sends the statement, then the rows in one chunk when the server asks for them, ends the copy, and settles on the server\'s answer', async () => {
    const { db, seen, released } = copyingDatabase((q) => {
      q.handleCommandComplete()
      q.handleReadyForQuery()
    })
    await db.transaction((c) => c.copyFrom('t', ['site_id', 'id'], 's1\ta\ns1\tb\n'))
    expect(seen).toEqual({ sql: ['COPY t (site_id, id) FROM STDIN'], chunks: ['s1\ta\ns1\tb\n'], ended: 1 })
    expect(released).toEqual([undefined])
  })

  it('fails with STORAGE_CONSTRAINT naming the constraint when the server refuses a row, and with STORAGE_UNAVAILABLE (client destroyed) when the connection ends mid-copy', async () => {
    const failing = (error: Error) => copyingDatabase((q) => q.handleError(error))
    const duplicate = failing(Object.assign(new Error('duplicate key value violates unique constraint "t_pkey"'), { code: '23505', constraint: 't_pkey' }))
    const refused = await duplicate.db.transaction((c) => c.copyFrom('t', ['id'], 'a\n')).catch((e: unknown) => e)
    expect(isEcoleError(refused) && [refused.code, refused.details['constraint']]).toEqual(['STORAGE_CONSTRAINT', 't_pkey'])
    expect(duplicate.released).toEqual([undefined])
    const cut = failing(terminated())
    const lost = await cut.db.transaction((c) => c.copyFrom('t', ['id'], 'a\n')).catch((e: unknown) => e)
    expect(isEcoleError(lost) && [lost.code, lost.details['outcome']]).toEqual(['STORAGE_UNAVAILABLE', 'rolledBack'])
    expect(cut.released[0]).toBeInstanceOf(Error)
  })
})
