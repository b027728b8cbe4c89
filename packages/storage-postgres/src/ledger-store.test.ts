import { PGlite } from '@electric-sql/pglite'
import type { LedgerAccount, LedgerTransfer } from '@ecole/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresStorage, type PostgresStorage } from './postgres-storage'

// The ledger's SQL functions (migration 9) seen directly: what the optimistic write checks before
// writing, and how the batch read finds rows. The port's behaviour is the conformance suite's.

const SITE = 'site-optimistic'
const at = new Date('2027-01-18T10:00:00Z')
const accounts: LedgerAccount[] = [
  { id: 'bank', kind: 'system', role: 'bankClearing', billingOfficeId: 'o1', currency: 'EUR', overdraft: { kind: 'unbounded' } },
  { id: 'wallet', kind: 'wallet', guardianId: 'g1', billingOfficeId: 'o1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } },
]
const topUp = (id: string, amount: bigint): LedgerTransfer => ({ id, debitAccountId: 'bank', creditAccountId: 'wallet', amount, currency: 'EUR', code: 'topUp', timestamp: at })

interface Totals {
  id: string
  dp: string
  cp: string
  dpe: string
  cpe: string
}

describe('the ledger write of the optimistic path (ecole_ledger_write with what was read)', () => {
  const pglite = new PGlite()
  let storage: PostgresStorage

  beforeAll(async () => {
    storage = await createPostgresStorage({ pglite })
    await storage.ledger!.createAccounts(SITE, accounts)
    await storage.ledger!.createTransfers(SITE, [topUp('t1', 1000n)], at)
  })
  afterAll(async () => {
    await storage.close()
    await pglite.close()
  })

  async function totals(): Promise<Totals[]> {
    const { rows } = await pglite.query<Totals>(
      `SELECT id, debits_posted::text AS dp, credits_posted::text AS cp, debits_pending::text AS dpe, credits_pending::text AS cpe
       FROM ecole_ledger_accounts WHERE site_id = $1 ORDER BY id`,
      [SITE],
    )
    return rows
  }

  async function write(expected: unknown, transfers: unknown[], accountTotals: Totals[], failed: unknown[] = []): Promise<boolean> {
    const { rows } = await pglite.query<{ ok: boolean }>('SELECT ecole_ledger_write($1, $2::json, $3::json, $4::json, $5::json, $6::json) AS ok', [
      SITE,
      expected === null ? null : JSON.stringify(expected),
      JSON.stringify(transfers),
      '[]',
      JSON.stringify(accountTotals),
      JSON.stringify(failed),
    ])
    return rows[0]!.ok
  }

  const newTransfer = (id: string) => ({ id, d: 'bank', c: 'wallet', a: '5', cur: 'EUR', code: 'topUp', ts: at.toISOString(), ra: '0' })
  const plusFive = (read: Totals[]): Totals[] =>
    read.map((t) => (t.id === 'bank' ? { ...t, dp: String(BigInt(t.dp) + 5n) } : { ...t, cp: String(BigInt(t.cp) + 5n) }))
  const transferCount = async () => (await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM ecole_ledger_transfers WHERE site_id = $1', [SITE])).rows[0]!.n

  it('writes when the account totals read are still the stored ones', async () => {
    const read = await totals()
    expect(await write({ accounts: read, transfers: [] }, [newTransfer('opt-1')], plusFive(read))).toBe(true)
    expect((await storage.ledger!.getTransfer(SITE, 'opt-1'))?.transfer.amount).toBe(5n)
    expect(await totals()).toEqual(plusFive(read))
  })

  it('writes nothing and answers false when an account changed since the read', async () => {
    const stale = await totals()
    await storage.ledger!.createTransfers(SITE, [topUp('meanwhile', 7n)], at)
    const before = await totals()
    const count = await transferCount()
    expect(await write({ accounts: stale, transfers: [] }, [newTransfer('opt-stale')], plusFive(stale))).toBe(false)
    expect(await storage.ledger!.getTransfer(SITE, 'opt-stale')).toBeUndefined()
    expect(await totals()).toEqual(before)
    expect(await transferCount()).toBe(count)
  })

  it('writes nothing when a transfer read has changed state since (reversed meanwhile)', async () => {
    const read = await totals()
    const { rows } = await pglite.query<{ ra: string }>('SELECT reversed_amount::text AS ra FROM ecole_ledger_transfers WHERE site_id = $1 AND id = $2', [SITE, 't1'])
    const seen = { id: 't1', ps: null, rb: null, ra: rows[0]!.ra }
    expect(await write({ accounts: [], transfers: [{ ...seen, ra: '1' }] }, [newTransfer('opt-transfer-changed')], plusFive(read))).toBe(false)
    expect(await storage.ledger!.getTransfer(SITE, 'opt-transfer-changed')).toBeUndefined()
    expect(await totals()).toEqual(read)
  })

  it('writes nothing when an id it would create has failed meanwhile', async () => {
    await pglite.query("INSERT INTO ecole_ledger_failed (site_id, id, code) VALUES ($1, 'opt-failed', 'EXCEEDS_CREDITS')", [SITE])
    const read = await totals()
    expect(await write({ accounts: read, transfers: [] }, [newTransfer('opt-failed')], plusFive(read))).toBe(false)
    expect(await storage.ledger!.getTransfer(SITE, 'opt-failed')).toBeUndefined()
  })

  it('does not record a failure again for an id that failed before (the first code stays)', async () => {
    const read = await totals()
    expect(await write({ accounts: read, transfers: [] }, [], [], [{ id: 'opt-failed', code: 'LINKED_EVENT_FAILED' }])).toBe(false)
    expect(await storage.ledger!.getFailedTransfer(SITE, 'opt-failed')).toBe('EXCEEDS_CREDITS')
  })

  it('does not record as failed an id created meanwhile', async () => {
    const read = await totals()
    expect(await write({ accounts: read, transfers: [] }, [], [], [{ id: 't1', code: 'EXCEEDS_CREDITS' }])).toBe(false)
    expect(await storage.ledger!.getFailedTransfer(SITE, 't1')).toBeUndefined()
  })

  it('checks nothing when the caller holds the locks (no expected state)', async () => {
    const read = await totals()
    expect(await write(null, [newTransfer('locked-1')], plusFive(read))).toBe(true)
    expect((await storage.ledger!.getTransfer(SITE, 'locked-1'))?.transfer.id).toBe('locked-1')
  })
})

describe('the lean write of a batch decided over known totals (ecole_ledger_create_known, migration 20)', () => {
  const KNOWN_SITE = 'site-create-known'
  const pglite = new PGlite()
  let storage: PostgresStorage

  beforeAll(async () => {
    storage = await createPostgresStorage({ pglite })
    await storage.ledger!.createAccounts(KNOWN_SITE, accounts)
    await storage.ledger!.createTransfers(KNOWN_SITE, [topUp('k1', 1000n)], at)
  })
  afterAll(async () => {
    await storage.close()
    await pglite.close()
  })

  /** The four totals of bank then wallet (the key order), as the function takes them. */
  async function flatTotals(): Promise<string[]> {
    const { rows } = await pglite.query<Totals>(
      `SELECT id, debits_posted::text AS dp, credits_posted::text AS cp, debits_pending::text AS dpe, credits_pending::text AS cpe
       FROM ecole_ledger_accounts WHERE site_id = $1 ORDER BY id`,
      [KNOWN_SITE],
    )
    return rows.flatMap((r) => [r.dp, r.cp, r.dpe, r.cpe])
  }
  const plusFive = (t: readonly string[]): string[] => t.map((v, i) => (i === 0 || i === 5 ? String(BigInt(v) + 5n) : v))
  const transferJson = (id: string) => JSON.stringify([{ id, d: 'bank', c: 'wallet', a: '5', cur: 'EUR', code: 'topUp', ts: at.toISOString(), ra: '0' }])
  const createKnown = async (id: string, expected: readonly string[], totals: readonly string[], now = at): Promise<boolean> => {
    const { rows } = await pglite.query<{ ok: boolean }>(
      'SELECT ecole_ledger_create_known($1, $2::timestamptz, $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::json) AS ok',
      [KNOWN_SITE, now.toISOString(), ['bank', 'wallet'], expected, totals, [id], transferJson(id)],
    )
    return rows[0]!.ok
  }
  const transferCount = async () => (await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM ecole_ledger_transfers WHERE site_id = $1', [KNOWN_SITE])).rows[0]!.n
  const sqlState = (error: unknown) => (error as { code?: string }).code

  it('writes the totals the engine computed and the transfer when every account still has the totals decided over', async () => {
    const read = await flatTotals()
    expect(await createKnown('known-1', read, plusFive(read))).toBe(true)
    expect(await flatTotals()).toEqual(plusFive(read))
    expect((await storage.ledger!.getTransfer(KNOWN_SITE, 'known-1'))?.transfer.amount).toBe(5n)
  })

  it('raises a serialization failure and writes nothing, not even the account it had already updated, when a later account changed', async () => {
    const read = await flatTotals()
    // the wallet (second in key order) as if another process had moved it: the bank (first) matches
    const stale = read.map((v, i) => (i === 5 ? String(BigInt(v) - 1n) : v))
    const count = await transferCount()
    const error = await createKnown('known-stale', stale, plusFive(stale)).catch((e: unknown) => e)
    expect(sqlState(error)).toBe('40001')
    expect(await flatTotals()).toEqual(read)
    expect(await transferCount()).toBe(count)
  })

  it('raises a serialization failure and writes nothing when an id of the batch failed before', async () => {
    await pglite.query("INSERT INTO ecole_ledger_failed (site_id, id, code) VALUES ($1, 'known-failed', 'EXCEEDS_BALANCE')", [KNOWN_SITE])
    const read = await flatTotals()
    const error = await createKnown('known-failed', read, plusFive(read)).catch((e: unknown) => e)
    expect(sqlState(error)).toBe('40001')
    expect(await flatTotals()).toEqual(read)
    expect(await storage.ledger!.getTransfer(KNOWN_SITE, 'known-failed')).toBeUndefined()
  })

  it('refuses an id that exists (primary key) and writes nothing', async () => {
    const read = await flatTotals()
    const error = await createKnown('known-1', read, plusFive(read)).catch((e: unknown) => e)
    expect(sqlState(error)).toBe('23505')
    expect(await flatTotals()).toEqual(read)
  })

  it('answers false and writes nothing when a reservation of the site is due for release (the engine decided over none)', async () => {
    const hold: LedgerTransfer = { ...topUp('known-hold', 5n), flags: { pending: true }, expiresAt: new Date('2027-01-18T11:00:00Z') }
    expect(await storage.ledger!.createTransfers(KNOWN_SITE, [hold], at)).toEqual([{ id: 'known-hold', status: 'created' }])
    const read = await flatTotals()
    const count = await transferCount()
    expect(await createKnown('known-late', read, plusFive(read), new Date('2027-01-18T12:00:00Z'))).toBe(false)
    expect(await flatTotals()).toEqual(read)
    expect(await transferCount()).toBe(count)
  })

  it('through the port: totals another adapter instance changed make the call read and decide again, and it moves each account exactly once', async () => {
    const other = await createPostgresStorage({ pglite })
    try {
      await other.ledger!.createAccounts(KNOWN_SITE, [{ id: 'wallet-2', kind: 'wallet', guardianId: 'g1', billingOfficeId: 'o1', compartment: 'trips', currency: 'EUR', overdraft: { kind: 'none' } }])
      const balances = async () => Object.fromEntries((await storage.ledger!.getBalances(KNOWN_SITE, ['bank', 'wallet'])).map((b) => [b.accountId, b.posted]))
      // this instance now knows both totals
      expect(await storage.ledger!.createTransfers(KNOWN_SITE, [topUp('port-1', 10n)], at)).toEqual([{ id: 'port-1', status: 'created' }])
      const before = await balances()
      // the other instance moves the wallet only (the second account in key order)
      const move: LedgerTransfer = { id: 'port-other', debitAccountId: 'wallet', creditAccountId: 'wallet-2', amount: 3n, currency: 'EUR', code: 'compartmentTransfer', timestamp: at }
      expect(await other.ledger!.createTransfers(KNOWN_SITE, [move], at)).toEqual([{ id: 'port-other', status: 'created' }])
      expect(await storage.ledger!.createTransfers(KNOWN_SITE, [topUp('port-2', 10n)], at)).toEqual([{ id: 'port-2', status: 'created' }])
      expect(await balances()).toEqual({ bank: before['bank']! - 10n, wallet: before['wallet']! - 3n + 10n })
    } finally {
      await other.close()
    }
  })
})

describe('the top-level createTransfers (optimistic first, locking when its write is refused)', () => {
  const pglite = new PGlite()
  let storage: PostgresStorage

  beforeAll(async () => {
    storage = await createPostgresStorage({ pglite })
    await storage.ledger!.createAccounts(SITE, accounts)
  })
  afterAll(async () => {
    await storage.close()
    await pglite.close()
  })

  it('answers exists for an id given again with the same fields, without a second transfer', async () => {
    expect(await storage.ledger!.createTransfers(SITE, [topUp('again', 40n)], at)).toEqual([{ id: 'again', status: 'created' }])
    expect(await storage.ledger!.createTransfers(SITE, [topUp('again', 40n)], at)).toEqual([{ id: 'again', status: 'exists' }])
    const [balance] = await storage.ledger!.getBalances(SITE, ['wallet'])
    expect(balance!.posted).toBe(40n)
  })

  it('answers a linked chain given again after its first transfer failed with ID_ALREADY_FAILED, then LINKED_EVENT_FAILED', async () => {
    // the counterexample the conformance model found (seed 1232907372) when the batch's own ids were not read
    const site = 'site-chain'
    await storage.ledger!.createAccounts(site, accounts)
    await storage.ledger!.createTransfers(site, [topUp('chain-topup', 100n)], at)
    const chain = (a: bigint, b: bigint): LedgerTransfer[] => [
      { id: 'chain-a', debitAccountId: 'wallet', creditAccountId: 'bank', amount: a, currency: 'EUR', code: 'booking', timestamp: at, flags: { linked: true } },
      { id: 'chain-b', debitAccountId: 'wallet', creditAccountId: 'bank', amount: b, currency: 'EUR', code: 'booking', timestamp: at },
    ]
    expect(await storage.ledger!.createTransfers(site, chain(200n, 10n), at)).toMatchObject([
      { id: 'chain-a', status: 'failed', code: 'EXCEEDS_BALANCE' },
      { id: 'chain-b', status: 'failed', code: 'LINKED_EVENT_FAILED' },
    ])
    expect(await storage.ledger!.createTransfers(site, chain(100n, 10n), at)).toMatchObject([
      { id: 'chain-a', status: 'failed', code: 'ID_ALREADY_FAILED' },
      { id: 'chain-b', status: 'failed', code: 'LINKED_EVENT_FAILED' },
    ])
    expect(await storage.ledger!.getFailedTransfer(site, 'chain-b')).toBeUndefined()
  })

  it('answers ID_ALREADY_FAILED for a failed id given again, even when it would now succeed', async () => {
    const debit: LedgerTransfer = { id: 'too-much', debitAccountId: 'wallet', creditAccountId: 'bank', amount: 100n, currency: 'EUR', code: 'booking', timestamp: at }
    const [first] = await storage.ledger!.createTransfers(SITE, [debit], at)
    expect(first).toMatchObject({ id: 'too-much', status: 'failed' })
    await storage.ledger!.createTransfers(SITE, [topUp('more', 500n)], at)
    const [second] = await storage.ledger!.createTransfers(SITE, [debit], at)
    expect(second).toMatchObject({ id: 'too-much', status: 'failed', code: 'ID_ALREADY_FAILED' })
    expect(await storage.ledger!.getTransfer(SITE, 'too-much')).toBeUndefined()
  })
})

describe('small batches of the top-level port (read, decide with the core engine, write if unchanged)', () => {
  const pglite = new PGlite()
  let storage: PostgresStorage
  const debit = (id: string, amount: bigint): LedgerTransfer => ({ id, debitAccountId: 'wallet', creditAccountId: 'bank', amount, currency: 'EUR', code: 'booking', timestamp: at })
  const balance = async () => (await storage.ledger!.getBalances(SITE, ['wallet']))[0]!

  beforeAll(async () => {
    storage = await createPostgresStorage({ pglite })
    await storage.ledger!.createAccounts(SITE, [
      ...accounts,
      { id: 'capped', kind: 'wallet', guardianId: 'g2', billingOfficeId: 'o1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'limit', limit: 50n } },
    ])
    // the first call reads the accounts (and the adapter remembers their definitions)
    await storage.ledger!.createTransfers(SITE, [topUp('first', 100n)], at)
  })
  afterAll(async () => {
    await storage.close()
    await pglite.close()
  })

  it('takes one statement (a conditional write) once it knows the accounts\' totals, and no SQL of its own rules', async () => {
    const seen: string[] = []
    const query = pglite.query.bind(pglite)
    pglite.query = ((sql: string, ...rest: unknown[]) => {
      seen.push(sql)
      return (query as (...a: unknown[]) => unknown)(sql, ...rest)
    }) as typeof pglite.query
    try {
      expect(await storage.ledger!.createTransfers(SITE, [topUp('two-statements', 1n)], at)).toEqual([{ id: 'two-statements', status: 'created' }])
    } finally {
      pglite.query = query
    }
    expect(seen.filter((q) => /ecole_ledger/.test(q))).toEqual([expect.stringMatching(/ecole_ledger_create_known\(/)])
  })

  it('judges a batch in order: a debit from an empty wallet is refused even when a top-up follows it', async () => {
    await storage.ledger!.createAccounts(SITE, [{ id: 'empty', kind: 'wallet', guardianId: 'g3', billingOfficeId: 'o1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } }])
    // the adapter has read (and may remember) both accounts; the wallet is empty again
    await storage.ledger!.createTransfers(SITE, [{ ...topUp('order-warm-up', 1n), creditAccountId: 'empty' }, { ...debit('order-warm-down', 1n), debitAccountId: 'empty' }], at)
    const results = await storage.ledger!.createTransfers(SITE, [{ ...debit('order-debit', 500n), debitAccountId: 'empty' }, { ...topUp('order-top-up', 500n), creditAccountId: 'empty' }], at)
    expect(results).toEqual([
      { id: 'order-debit', status: 'failed', code: 'EXCEEDS_BALANCE', fields: ['amount'] },
      { id: 'order-top-up', status: 'created' },
    ])
    expect((await storage.ledger!.getBalances(SITE, ['empty']))[0]).toMatchObject({ posted: 500n, available: 500n })
  })

  it('creates them and moves both totals by the amounts', async () => {
    expect(await storage.ledger!.createTransfers(SITE, [topUp('p1', 30n), topUp('p2', 20n)], at)).toEqual([
      { id: 'p1', status: 'created' },
      { id: 'p2', status: 'created' },
    ])
    expect((await balance()).posted).toBe(151n)
    expect(await storage.ledger!.getTransfer(SITE, 'p2')).toEqual({ transfer: topUp('p2', 20n), reversedAmount: 0n })
  })

  it('refuses a debit beyond the balance as the rules do (EXCEEDS_BALANCE, id recorded as failed), changing nothing', async () => {
    const [result] = await storage.ledger!.createTransfers(SITE, [debit('d-too-much', 10_000n)], at)
    expect(result).toMatchObject({ id: 'd-too-much', status: 'failed', code: 'EXCEEDS_BALANCE' })
    expect(await storage.ledger!.getFailedTransfer(SITE, 'd-too-much')).toBe('EXCEEDS_BALANCE')
    expect((await balance()).posted).toBe(151n)
  })

  it('lets a limit account go down to its limit and not one cent further', async () => {
    const capped = (id: string, amount: bigint): LedgerTransfer => ({ ...debit(id, amount), debitAccountId: 'capped' })
    await storage.ledger!.createTransfers(SITE, [{ ...topUp('c0', 1n), creditAccountId: 'capped' }], at)
    expect(await storage.ledger!.createTransfers(SITE, [capped('c1', 51n)], at)).toEqual([{ id: 'c1', status: 'created' }])
    expect(await storage.ledger!.createTransfers(SITE, [capped('c2', 1n)], at)).toMatchObject([{ id: 'c2', status: 'failed', code: 'EXCEEDS_BALANCE' }])
  })

  it('answers exists for an id given again, and ID_ALREADY_FAILED for a failed one', async () => {
    expect(await storage.ledger!.createTransfers(SITE, [topUp('p1', 30n)], at)).toEqual([{ id: 'p1', status: 'exists' }])
    expect(await storage.ledger!.createTransfers(SITE, [debit('d-too-much', 1n)], at)).toMatchObject([{ status: 'failed', code: 'ID_ALREADY_FAILED' }])
    expect((await balance()).posted).toBe(151n)
  })

  it('refuses a total past the ledger bound (2^51) with AMOUNT_OVERFLOWS', async () => {
    const max = 2n ** 51n
    // the bank account has posted 653 in debits so far (the wallets' top-ups): this brings them to the bound exactly
    expect(await storage.ledger!.createTransfers(SITE, [topUp('huge', max - 653n)], at)).toEqual([{ id: 'huge', status: 'created' }])
    expect(await storage.ledger!.createTransfers(SITE, [topUp('one-more', 1n)], at)).toMatchObject([{ id: 'one-more', status: 'failed', code: 'AMOUNT_OVERFLOWS' }])
    expect((await balance()).posted).toBe(max - 502n)
  })

  it('releases the site\'s expired reservations first, as every batch does', async () => {
    const hold: LedgerTransfer = { ...topUp('hold', 5n), flags: { pending: true }, expiresAt: new Date('2027-01-18T11:00:00Z') }
    expect(await storage.ledger!.createTransfers(SITE, [hold], at)).toEqual([{ id: 'hold', status: 'created' }])
    const later = new Date('2027-01-18T12:00:00Z')
    expect(await storage.ledger!.createTransfers(SITE, [{ ...debit('after-expiry', 1n), timestamp: later }], later)).toEqual([{ id: 'after-expiry', status: 'created' }])
    expect((await storage.ledger!.getTransfer(SITE, 'hold'))?.pendingStatus).toBe('expired')
  })
})

describe('the ledger batch read (ecole_ledger_read_batch)', () => {
  const pglite = new PGlite()
  let storage: PostgresStorage

  beforeAll(async () => {
    storage = await createPostgresStorage({ pglite })
    await storage.ledger!.createAccounts(SITE, accounts)
    await storage.ledger!.createTransfers(SITE, Array.from({ length: 30 }, (_, k) => topUp(`h${k}`, 10n)), at)
  })
  afterAll(async () => {
    await storage.close()
    await pglite.close()
  })

  it('returns the accounts (locked or not), the named transfers and the failed ids', async () => {
    await storage.ledger!.createTransfers(SITE, [{ ...topUp('too-much', 1n), debitAccountId: 'wallet', creditAccountId: 'bank', amount: 1_000_000n, code: 'booking' }], at)
    for (const lock of [true, false]) {
      const { rows } = await pglite.query<{ row_kind: string; id: string }>('SELECT row_kind, id FROM ecole_ledger_read_batch($1, $2::text[], $3::text[], $4::timestamptz, $5)', [
        SITE,
        ['wallet', 'bank'],
        ['h7', 'absent', 'too-much'],
        at,
        lock,
      ])
      expect(rows.map((r) => `${r.row_kind}:${r.id}`).sort()).toEqual(['account:bank', 'account:wallet', 'failed:too-much', 'transfer:h7'])
    }
  })
})
