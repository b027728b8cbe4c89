import { randomUUID } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import { applyTransfers, createLedger, getAccountBalance, isEcoleError, openAccounts, type LedgerTransfer, type TransferResult } from '@ecole/core'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresStorage, type PostgresStorage } from './postgres-storage'
import { LEDGER_TEST_ACCOUNTS, at, meal, topUp } from './test-support/ledger-accounts'

// Group commit of the top-level ledger port: calls of one site made while a writer is busy (or
// in the same turn of the event loop) are decided together by the core engine, in arrival order,
// and written in one statement or one transaction. Each caller must still get the results it
// would have had alone in that order, and its own error.

const ACCOUNTS = LEDGER_TEST_ACCOUNTS
const later = new Date('2027-01-18T10:05:00Z')
const IDS = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7']

/** One caller's call: its batch and its own `now`. */
interface Call {
  batch: LedgerTransfer[]
  now: Date
}

const wallet = fc.constantFrom('w1', 'w2')
const amount = fc.integer({ min: 1, max: 6 }).map((n) => BigInt(n * 100))
const id = fc.constantFrom(...IDS)
const linked = fc.integer({ min: 0, max: 3 }).map((n) => (n === 0 ? { linked: true } : {}))
const transferArb: fc.Arbitrary<LedgerTransfer> = fc.oneof(
  fc.record({ id, w: wallet, amount, l: linked }).map(({ id, w, amount, l }) => ({ ...topUp(id, w, amount), flags: l })),
  fc.record({ id, w: wallet, amount, l: linked }).map(({ id, w, amount, l }) => ({ ...meal(id, w, amount), flags: l })),
  fc.record({ id, w: wallet, amount, l: linked }).map(({ id, w, amount, l }) => ({ ...meal(id, w, amount), flags: { ...l, pending: true } })),
  fc.record({ id, w: wallet, amount, p: id, post: fc.boolean() }).map(({ id, w, amount, p, post }) => ({ ...meal(id, w, amount), flags: post ? { post: true } : { void: true }, pendingId: p })),
)
/** Mostly single transfers (the case group commit is for), some small batches with chains. */
const callArb: fc.Arbitrary<Call> = fc.record({
  batch: fc.oneof({ weight: 3, arbitrary: transferArb.map((t) => [t]) }, { weight: 1, arbitrary: fc.array(transferArb, { minLength: 1, maxLength: 3 }) }),
  now: fc.constantFrom(at, later),
})

/** What the core engine answers for the calls applied one after the other, and the balances it leaves. */
function engineAnswers(history: readonly LedgerTransfer[], calls: readonly Call[]): { results: TransferResult[][]; balances: Array<[string, bigint, bigint]> } {
  const ledger = createLedger()
  openAccounts(ledger, ACCOUNTS)
  for (const t of history) applyTransfers(ledger, [t], at)
  const results = calls.map((c) => applyTransfers(ledger, c.batch, c.now))
  return { results, balances: ACCOUNTS.map((a) => [a.id, getAccountBalance(ledger, a.id).posted, getAccountBalance(ledger, a.id).available]) }
}

async function balancesOf(storage: PostgresStorage, site: string, now: Date): Promise<Array<[string, bigint, bigint]>> {
  const found = await storage.ledger!.getBalances(site, ACCOUNTS.map((a) => a.id), now)
  return found.map((b) => [b.accountId, b.posted, b.available])
}

/** The group-commit cases, on one storage; `statements` counts the ledger write statements sent (PGlite only). */
interface Opened {
  storage: PostgresStorage
  /** Ledger statements sent so far (PGlite only). */
  writes?: () => number
  /** A second adapter instance on the same database (its own known totals and queue). */
  another: () => Promise<PostgresStorage>
  close: () => Promise<void>
}

function describeGroupCommit(name: string, open: () => Promise<Opened>): void {
  describe(`group commit of concurrent ledger calls on ${name}`, () => {
    let opened: Opened
    let storage: PostgresStorage
    beforeAll(async () => {
      opened = await open()
      storage = opened.storage
    }, 60_000)
    afterAll(async () => {
      await opened.close()
    })
    const newSite = async () => {
      const site = `group-${randomUUID().slice(0, 8)}`
      await storage.ledger!.createAccounts(site, ACCOUNTS)
      return site
    }

    it('writes calls made together in one statement, and each caller gets its own outcome (a refusal is that caller\'s result only)', async () => {
      const site = await newSite()
      // the accounts' totals become known to the adapter (its one-statement path)
      await storage.ledger!.createTransfers(site, [topUp('warm-up', 'w1', 500n)], at)
      const before = opened.writes?.()
      const calls: Call[] = [
        { batch: [meal('m1', 'w1', 300n)], now: at },
        { batch: [meal('m2', 'w1', 300n)], now: at }, // 200 left: refused
        { batch: [topUp('t1', 'w2', 100n)], now: at },
        { batch: [meal('m3', 'w1', 200n)], now: at },
        { batch: [meal('m1', 'w1', 300n)], now: at }, // the first call given again
      ]
      const results = await Promise.all(calls.map((c) => storage.ledger!.createTransfers(site, c.batch, c.now)))
      expect(results).toEqual([
        [{ id: 'm1', status: 'created' }],
        [{ id: 'm2', status: 'failed', code: 'EXCEEDS_BALANCE', fields: ['amount'] }],
        [{ id: 't1', status: 'created' }],
        [{ id: 'm3', status: 'created' }],
        [{ id: 'm1', status: 'exists' }],
      ])
      expect(results).toEqual(engineAnswers([topUp('warm-up', 'w1', 500n)], calls).results)
      if (opened.writes !== undefined) expect(opened.writes() - before!, 'ledger statements for 5 callers').toBeLessThanOrEqual(2)
      expect(await storage.ledger!.getFailedTransfer(site, 'm2')).toBe('EXCEEDS_BALANCE')
      expect(await balancesOf(storage, site, at)).toEqual(engineAnswers([topUp('warm-up', 'w1', 500n)], calls).balances)
    })

    it('fails only the call whose own transfer the database refuses (a memo with a NUL character), and writes the others', async () => {
      const site = await newSite()
      await storage.ledger!.createTransfers(site, [topUp('warm-up', 'w1', 500n)], at)
      const outcomes = await Promise.allSettled([
        storage.ledger!.createTransfers(site, [meal('a', 'w1', 100n)], at),
        storage.ledger!.createTransfers(site, [{ ...meal('bad', 'w1', 100n), memo: 'nul \u0000 here' }], at),
        storage.ledger!.createTransfers(site, [meal('c', 'w1', 100n)], at),
      ])
      expect(outcomes[0]).toEqual({ status: 'fulfilled', value: [{ id: 'a', status: 'created' }] })
      expect(outcomes[1]!.status).toBe('rejected')
      expect(isEcoleError((outcomes[1] as PromiseRejectedResult).reason)).toBe(true)
      expect(outcomes[2]).toEqual({ status: 'fulfilled', value: [{ id: 'c', status: 'created' }] })
      expect(await storage.ledger!.getTransfer(site, 'bad')).toBeUndefined()
      const [w1] = await balancesOf(storage, site, at).then((b) => b.filter(([id]) => id === 'w1'))
      expect(w1).toEqual(['w1', 300n, 300n])
    })

    it('answers concurrent calls as the engine answers them applied one after the other in arrival order, each with its own now (chains, reservations, posts, voids, replays)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(transferArb, { maxLength: 4 }), fc.array(callArb, { minLength: 2, maxLength: 8 }), fc.boolean(), async (history, calls, warm) => {
          const site = await newSite()
          // half the runs start with the accounts' totals known to the adapter, half without
          if (warm) await storage.ledger!.createTransfers(site, [topUp('warm', 'w1', 1n), topUp('warm-2', 'w2', 1n)], at)
          const fullHistory = warm ? [topUp('warm', 'w1', 1n), topUp('warm-2', 'w2', 1n), ...history] : history
          for (const t of history) await storage.ledger!.createTransfers(site, [t], at)
          const results = await Promise.all(calls.map((c) => storage.ledger!.createTransfers(site, c.batch, c.now)))
          const expected = engineAnswers(fullHistory, calls)
          expect(results).toEqual(expected.results)
          expect(await balancesOf(storage, site, later)).toEqual(ACCOUNTS.map((a) => engineBalanceLater(fullHistory, calls, a.id)))
        }),
        { numRuns: Number(process.env['ECOLE_GROUP_COMMIT_RUNS'] ?? 25) },
      )
    }, 120_000)

    it('never overdraws a wallet when two adapter instances (two processes\' worth of known totals) send concurrent debits of it', async () => {
      const site = await newSite()
      const other = await opened.another()
      try {
        await storage.ledger!.createTransfers(site, [topUp('fund', 'w1', 1000n)], at)
        // both instances learn the totals
        await storage.ledger!.createTransfers(site, [meal('learn-1', 'w1', 1n)], at)
        await other.ledger!.createTransfers(site, [meal('learn-2', 'w1', 1n)], at)
        const debits = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? storage : other).ledger!.createTransfers(site, [meal(`d-${i}`, 'w1', 100n)], at))
        const results = (await Promise.all(debits)).flat()
        // 998 left: nine debits of 100, not one more
        expect(results.filter((r) => r.status === 'created')).toHaveLength(9)
        expect(results.filter((r) => r.status === 'failed').every((r) => r.status === 'failed' && r.code === 'EXCEEDS_BALANCE')).toBe(true)
        const [b] = await storage.ledger!.getBalances(site, ['w1'])
        expect(b!.posted).toBe(98n)
      } finally {
        await other.close()
      }
    }, 60_000)
  })
}

/** The available balance the engine leaves for `id` once `later` has come (expiries released). */
function engineBalanceLater(history: readonly LedgerTransfer[], calls: readonly Call[], id: string): [string, bigint, bigint] {
  const ledger = createLedger()
  openAccounts(ledger, ACCOUNTS)
  for (const t of history) applyTransfers(ledger, [t], at)
  for (const c of calls) applyTransfers(ledger, c.batch, c.now)
  applyTransfers(ledger, [], later)
  const b = getAccountBalance(ledger, id)
  return [id, b.posted, b.available]
}

describeGroupCommit('PGlite', async () => {
  const pglite = await PGlite.create()
  let count = 0
  const query = pglite.query.bind(pglite)
  pglite.query = ((sql: string, ...rest: unknown[]) => {
    if (/ecole_ledger_(write|read)/.test(sql)) count++
    return (query as (...a: unknown[]) => unknown)(sql, ...rest)
  }) as typeof pglite.query
  const storage = await createPostgresStorage({ pglite })
  return {
    storage,
    writes: () => count,
    another: () => createPostgresStorage({ pglite, migrate: false }),
    close: async () => {
      await storage.close()
      await pglite.close()
    },
  }
})

const url = process.env['ECOLE_PG_URL']
if (url) {
  describeGroupCommit('a PostgreSQL server', async () => {
    const storage = await createPostgresStorage({ connectionString: url, poolSize: 4 })
    return { storage, another: () => createPostgresStorage({ connectionString: url, poolSize: 4, migrate: false }), close: () => storage.close() }
  })
}
