import type { Pool } from 'pg'
import { describe, expect, it } from 'vitest'
import { isPlainRead, pgDatabase } from './driver'

/** A pool of one fake connection that records the statements it is sent. */
function recordingPool(): { pool: Pool; sent: string[] } {
  const sent: string[] = []
  const client = {
    query: async (q: string | { text: string }) => {
      sent.push((typeof q === 'string' ? q : q.text).split(' ')[0]!)
      return { rows: [] }
    },
    release: () => undefined,
    on: () => client,
  }
  const pool = { connect: async () => client, on: () => pool, off: () => pool } as unknown as Pool
  return { pool, sent }
}

const types = { getTypeParser: () => (v: string) => v }

describe('a transaction that says it only reads, on a PostgreSQL server (TransactionOptions.readOnly)', () => {
  it('sends neither BEGIN nor COMMIT when the callback only reads', async () => {
    const { pool, sent } = recordingPool()
    const db = pgDatabase(pool, types, false)
    await db.transaction(async (c) => {
      await c.query('SELECT 1')
      await c.query('WITH x AS (SELECT 1) SELECT * FROM x')
    }, { readsFirst: true })
    expect(sent).toEqual(['SELECT', 'WITH'])
  })

  it('opens the transaction before the first statement that is not a plain read, and commits it', async () => {
    const { pool, sent } = recordingPool()
    const db = pgDatabase(pool, types, false)
    await db.transaction(async (c) => {
      await c.query('SELECT 1')
      await c.query('INSERT INTO t VALUES (1)')
      await c.query('SELECT 2')
      await c.query('INSERT INTO t VALUES (2)')
    }, { readsFirst: true })
    expect(sent).toEqual(['SELECT', 'BEGIN', 'INSERT', 'SELECT', 'INSERT', 'COMMIT'])
  })

  it('rolls the writes back when the callback throws after writing', async () => {
    const { pool, sent } = recordingPool()
    const db = pgDatabase(pool, types, false)
    const failed = db.transaction(async (c) => {
      await c.query('SELECT 1')
      await c.query('UPDATE t SET x = 1')
      throw new Error('the callback failed')
    }, { readsFirst: true })
    await expect(failed).rejects.toThrow('the callback failed')
    expect(sent).toEqual(['SELECT', 'BEGIN', 'UPDATE', 'ROLLBACK'])
  })

  it('opens the transaction before a read that locks rows, and before a script', async () => {
    for (const statement of ['SELECT id FROM t WHERE id = $1 FOR UPDATE', 'SELECT pg_advisory_xact_lock(1)', 'SELECT nextval($1)']) {
      const { pool, sent } = recordingPool()
      await pgDatabase(pool, types, false).transaction((c) => c.query(statement), { readsFirst: true })
      expect(sent).toEqual(['BEGIN', 'SELECT', 'COMMIT'])
    }
    const { pool, sent } = recordingPool()
    await pgDatabase(pool, types, false).transaction((c) => c.exec('SELECT 1; SELECT 2'), { readsFirst: true })
    expect(sent).toEqual(['BEGIN', 'SELECT', 'COMMIT'])
  })

  it('opens every other transaction at once, as before', async () => {
    const { pool, sent } = recordingPool()
    await pgDatabase(pool, types, false).transaction((c) => c.query('SELECT 1'))
    expect(sent).toEqual(['BEGIN', 'SELECT', 'COMMIT'])
  })

  it('tells plain reads from statements that need a transaction', () => {
    expect(isPlainRead("SELECT body FROM ecole_invoices WHERE site_id = $1 AND status = 'validated' ORDER BY id")).toBe(true)
    expect(isPlainRead('  select id, locked, updated_at from ecole_deposits')).toBe(true)
    for (const sql of [
      'SELECT id FROM t FOR NO KEY UPDATE', 'SELECT id FROM t FOR KEY SHARE', 'SELECT id FROM t FOR SHARE', 'WITH d AS (DELETE FROM t RETURNING id) SELECT * FROM d',
      'INSERT INTO t VALUES (1)', 'UPDATE t SET x = 1', 'SELECT set_config($1, $2, true)', 'SELECT setval($1, 3)', 'LOCK TABLE t', 'BEGIN',
    ]) expect(isPlainRead(sql), sql).toBe(false)
  })
})
