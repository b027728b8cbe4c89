import { randomUUID } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import { applyTransfers, createLedger, getAccountBalance, getTransferRecord, isEcoleError, openAccounts, type LedgerTransfer, type TransferResult } from '@ecole/core'
import fc from 'fast-check'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyField } from './driver'
import { createPostgresStorage, type PostgresStorage } from './postgres-storage'
import { LEDGER_TEST_ACCOUNTS, at, meal, topUp } from './test-support/ledger-accounts'

// Large batches of the top-level ledger port (more than 16 transfers) over the account totals the
// adapter last committed (migration 36): one statement locks the accounts in key order, checks
// that their totals are still those the engine decided over, writes the new ones and checks the
// failed ids; the transfers follow with COPY in the same transaction. Whenever anything of that
// does not hold (an id that exists, an id that failed, a reservation due, totals moved by another
// process), nothing is written and the batch is read and decided again under locks. Each case
// must answer exactly as the core engine does.

const ACCOUNTS = LEDGER_TEST_ACCOUNTS
const IDS = ACCOUNTS.map((a) => a.id)
/** `n` top-ups of 1.00 to w1 and w2 in turn, ids `${prefix}-0` on. */
const topUps = (prefix: string, n: number): LedgerTransfer[] => Array.from({ length: n }, (_, k) => topUp(`${prefix}-${k}`, k % 2 === 0 ? 'w1' : 'w2', 100n))

/** The engine's answers for `batches` applied in turn after `history`, and the posted and available balances it leaves. */
function engine(history: readonly LedgerTransfer[][], batches: readonly LedgerTransfer[][], now = at) {
  const ledger = createLedger()
  openAccounts(ledger, ACCOUNTS)
  for (const b of history) applyTransfers(ledger, b, at)
  const results = batches.map((b) => applyTransfers(ledger, b, now))
  applyTransfers(ledger, [], now)
  return { results, balances: IDS.map((id) => [id, getAccountBalance(ledger, id).posted, getAccountBalance(ledger, id).available]), ledger }
}

interface Opened {
  storage: PostgresStorage
  /** Statements sent that name a ledger function or COPY (PGlite: every one; the server: none). */
  sent?: string[]
  /** A second adapter instance on the same database (its own known totals). */
  another: () => Promise<PostgresStorage>
  /**
   * The server only: two connections of their own. `locker` holds locks in an open transaction;
   * `admin` watches and terminates the adapter's backends outside any transaction (inside one,
   * pg_stat_activity is a snapshot taken at its first read: a wait that starts later is never seen).
   */
  admin?: pg.Client
  locker?: pg.Client
  /** The server only: the application_name of the adapter's connections. */
  appName?: string
  close: () => Promise<void>
}

function describeLargeBatches(name: string, open: () => Promise<Opened>): void {
  describe(`large ledger batches over known totals on ${name}`, () => {
    let opened: Opened
    let storage: PostgresStorage
    beforeAll(async () => {
      opened = await open()
      storage = opened.storage
    }, 60_000)
    afterAll(async () => {
      await opened.close()
    })
    const newSite = async (s = storage) => {
      const site = `large-${randomUUID().slice(0, 8)}`
      await s.ledger!.createAccounts(site, ACCOUNTS)
      return site
    }
    const balances = async (site: string, s = storage) => (await s.ledger!.getBalances(site, IDS, at)).map((b) => [b.accountId, b.posted, b.available])
    /**
     * A site whose accounts' totals the adapter knows: a first large batch naming all four accounts,
     * read and decided under locks, told it. w1 then holds 10.00, w2 9.00.
     */
    const warmSite = async () => {
      const site = await newSite()
      const warm = [...topUps('warm', 20), meal('warm-meal', 'w2', 100n)]
      expect(await storage.ledger!.createTransfers(site, warm, at)).toEqual(warm.map((t) => ({ id: t.id, status: 'created' })))
      return { site, history: [warm] }
    }

    it('writes a batch over known totals with two statements, a check that locks and COPY, reading nothing first', async () => {
      const { site, history } = await warmSite()
      const batch = [...topUps('known', 30), meal('known-meal', 'w1', 500n)]
      const before = opened.sent?.length ?? 0
      expect(await storage.ledger!.createTransfers(site, batch, at)).toEqual(engine(history, [batch]).results[0])
      if (opened.sent !== undefined) {
        const ledgerStatements = opened.sent.slice(before).filter((q) => /ecole_ledger|COPY/.test(q))
        expect(ledgerStatements).toEqual([expect.stringMatching(/ecole_ledger_lock_known\(/), expect.stringMatching(/^COPY ecole_ledger_transfers /)])
      }
      expect(await balances(site)).toEqual(engine(history, [batch]).balances)
      expect(await storage.ledger!.getTransfer(site, 'known-meal')).toEqual(getTransferRecord(engine(history, [batch]).ledger, 'known-meal'))
    })

    it('answers exists for ids given again (COPY meets the primary key; the batch is read and decided again) and writes nothing twice', async () => {
      const { site, history } = await warmSite()
      const first = topUps('again', 20)
      const second = [...first.slice(0, 10), ...topUps('fresh', 10)]
      const expected = engine(history, [first, second])
      expect(await storage.ledger!.createTransfers(site, first, at)).toEqual(expected.results[0])
      expect(await storage.ledger!.createTransfers(site, second, at)).toEqual(expected.results[1])
      expect(expected.results[1]!.filter((r) => r.status === 'exists')).toHaveLength(10)
      expect(await balances(site)).toEqual(expected.balances)
    })

    it('answers ID_ALREADY_FAILED for an id that failed before, and LINKED_EVENT_FAILED for the rest of its chain, as the engine does', async () => {
      const { site, history } = await warmSite()
      // 10.00 on w1 after the warm-up: a debit of 50.00 fails and its id is recorded as failed
      const failing = [meal('too-much', 'w1', 5000n)]
      const retried = [...topUps('retry', 18), { ...topUp('chain-head', 'w2', 100n), flags: { linked: true } }, { ...meal('too-much', 'w1', 100n) }]
      const expected = engine(history, [failing, retried])
      expect(await storage.ledger!.createTransfers(site, failing, at)).toEqual(expected.results[0])
      expect(await storage.ledger!.createTransfers(site, retried, at)).toEqual(expected.results[1])
      expect(expected.results[1]!.slice(-2)).toMatchObject([{ status: 'failed', code: 'LINKED_EVENT_FAILED' }, { status: 'failed', code: 'ID_ALREADY_FAILED' }])
      expect(await balances(site)).toEqual(expected.balances)
      expect(await storage.ledger!.getTransfer(site, 'chain-head')).toBeUndefined()
    })

    it('refuses the debits past a wallet\'s balance inside the batch, in order (nothing overdrawn), and records their ids as failed', async () => {
      const { site, history } = await warmSite()
      // w1 holds 10.00: a top-up after the debits does not pay for them
      const batch = [...Array.from({ length: 16 }, (_, k) => meal(`m-${k}`, 'w1', 100n)), topUp('late-top-up', 'w1', 10_000n)]
      const expected = engine(history, [batch])
      const results = await storage.ledger!.createTransfers(site, batch, at)
      expect(results).toEqual(expected.results[0])
      expect(results.filter((r) => r.status === 'failed')).toHaveLength(6)
      expect(await balances(site)).toEqual(expected.balances)
      expect(await storage.ledger!.getFailedTransfer(site, 'm-15')).toBe('EXCEEDS_BALANCE')
    })

    it('releases a reservation that is due before deciding, as every batch does', async () => {
      const { site, history } = await warmSite()
      const hold: LedgerTransfer[] = [{ ...meal('hold', 'w1', 900n), flags: { pending: true }, expiresAt: new Date('2027-01-18T10:30:00Z') }]
      const later = new Date('2027-01-18T11:00:00Z')
      // 17 debits of 0.05 fit in the 1.00 left available beside the reservation: decided over the known
      // totals, the batch is all created, so the locking statement is reached and must see the reservation due
      const batch = Array.from({ length: 17 }, (_, k) => ({ ...meal(`after-${k}`, 'w1', 5n), timestamp: later }))
      const expected = engine([...history, hold], [batch], later)
      expect(await storage.ledger!.createTransfers(site, hold, at)).toEqual([{ id: 'hold', status: 'created' }])
      expect(await storage.ledger!.createTransfers(site, batch, later)).toEqual(expected.results[0])
      expect((await storage.ledger!.getTransfer(site, 'hold'))?.pendingStatus).toBe('expired')
      expect(await balances(site)).toEqual(expected.balances)
    })

    it('decides again when another adapter instance moved the accounts since, and moves each account exactly once', async () => {
      const { site, history } = await warmSite()
      const other = await opened.another()
      try {
        const theirs = [meal('theirs', 'w1', 700n)]
        expect(await other.ledger!.createTransfers(site, theirs, at)).toEqual([{ id: 'theirs', status: 'created' }])
        // this instance still believes w1 holds 10.00: 5 debits of 1.00 would fit, 3 do
        const batch = [...Array.from({ length: 5 }, (_, k) => meal(`mine-${k}`, 'w1', 100n)), ...topUps('mine-top', 12).map((t) => ({ ...t, creditAccountId: 'w2' }))]
        const expected = engine([...history, theirs], [batch])
        expect(await storage.ledger!.createTransfers(site, batch, at)).toEqual(expected.results[0])
        expect(await balances(site)).toEqual(expected.balances)
      } finally {
        await other.close()
      }
    })

    it('stores memos, flags and links with tabs, newlines, backslashes, quotes and accents exactly (COPY\'s escapes)', async () => {
      const { site } = await warmSite()
      const odd = ['tab\there', 'line\nbreak\r\nand CR', 'back\\slash \\N \\t', '"quoted" \'single\'', 'é ü 漢字 🙂', '\\', '']
      const batch: LedgerTransfer[] = odd.map((memo, k) => ({ ...topUp(`odd-${k}`, 'w2', 1n), memo, links: { invoiceId: memo, paymentId: `p\t${k}` } }))
      batch.push(...topUps('pad', 12))
      batch.push({ ...meal('odd-pending', 'w2', 1n), flags: { pending: true }, expiresAt: new Date('2027-02-01T00:00:00.123Z'), memo: 'x\ty' })
      expect((await storage.ledger!.createTransfers(site, batch, at)).every((r) => r.status === 'created')).toBe(true)
      for (const t of batch) expect((await storage.ledger!.getTransfer(site, t.id))?.transfer, t.id).toEqual(t)
    })

    it('answers a run of large batches (chains, reservations, posts, voids, ids met before) as the engine does, batch after batch', async () => {
      const keys = fc.integer({ min: 0, max: 39 })
      const wallet = fc.constantFrom('w1', 'w2')
      const amount = fc.integer({ min: 1, max: 6 }).map((n) => BigInt(n * 100))
      const linked = fc.integer({ min: 0, max: 4 }).map((n) => (n === 0 ? { linked: true } : {}))
      const transfer: fc.Arbitrary<LedgerTransfer> = fc.oneof(
        { weight: 4, arbitrary: fc.record({ k: keys, w: wallet, a: amount, l: linked }).map(({ k, w, a, l }) => ({ ...topUp(`x${k}`, w, a), flags: l })) },
        { weight: 4, arbitrary: fc.record({ k: keys, w: wallet, a: amount, l: linked }).map(({ k, w, a, l }) => ({ ...meal(`x${k}`, w, a), flags: l })) },
        { weight: 2, arbitrary: fc.record({ k: keys, w: wallet, a: amount }).map(({ k, w, a }) => ({ ...meal(`x${k}`, w, a), flags: { pending: true } })) },
        { weight: 1, arbitrary: fc.record({ k: keys, w: wallet, a: amount, p: keys, post: fc.boolean() }).map(({ k, w, a, p, post }) => ({ ...meal(`x${k}`, w, a), flags: post ? { post: true } : { void: true }, pendingId: `x${p}` })) },
      )
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(transfer, { minLength: 17, maxLength: 30 }), { minLength: 1, maxLength: 4 }), async (batches) => {
          const { site, history } = await warmSite()
          const expected = engine(history, batches)
          for (const [i, b] of batches.entries()) expect(await storage.ledger!.createTransfers(site, b, at), `batch ${i}`).toEqual(expected.results[i])
          expect(await balances(site)).toEqual(expected.balances)
        }),
        { numRuns: Number(process.env['ECOLE_LARGE_BATCH_RUNS'] ?? 30) },
      )
    }, 240_000)

    it('inside a transaction, loads the created transfers of a large batch with COPY; a rollback keeps none of them, only the failed ids', async () => {
      const site = await newSite()
      const funded = [topUp('tx-fund', 'w1', 1000n)]
      await storage.ledger!.createTransfers(site, funded, at)
      // 20 top-ups of w2, then two debits of w1 (10.00): the second is refused and its id recorded
      const batch = [...topUps('tx', 20).map((t) => ({ ...t, creditAccountId: 'w2' })), meal('tx-meal', 'w1', 600n), meal('tx-too-much', 'w1', 600n)]
      const expected = engine([funded], [batch])
      const before = opened.sent?.length ?? 0
      const ROLL_BACK = 'roll back'
      const rolledBack = await storage
        .transaction(site, async (tx) => {
          expect(await tx.ledger!.createTransfers(site, batch, at)).toEqual(expected.results[0])
          throw new Error(ROLL_BACK)
        })
        .catch((e: unknown) => (e as Error).message)
      expect(rolledBack).toBe(ROLL_BACK)
      if (opened.sent !== undefined) expect(opened.sent.slice(before).filter((q) => /^COPY ecole_ledger_transfers /.test(q))).toHaveLength(1)
      expect(await storage.ledger!.getTransfer(site, 'tx-0')).toBeUndefined()
      expect(await balances(site)).toEqual(engine([funded], []).balances)
      expect(await storage.ledger!.getFailedTransfer(site, 'tx-too-much')).toBe('EXCEEDS_BALANCE')
      // committed this time: everything the engine created is stored
      const again = [...topUps('tx2', 20).map((t) => ({ ...t, creditAccountId: 'w2' })), meal('tx2-meal', 'w1', 600n)]
      const committed = engine([funded], [again])
      await storage.transaction(site, async (tx) => {
        expect(await tx.ledger!.createTransfers(site, again, at)).toEqual(committed.results[0])
      })
      expect(await balances(site)).toEqual(committed.balances)
      expect(await storage.ledger!.getTransfer(site, 'tx2-19')).toEqual(getTransferRecord(committed.ledger, 'tx2-19'))
    })

    it('never overdraws a wallet when two adapter instances send large batches of debits of it at once', async () => {
      const site = await newSite()
      const other = await opened.another()
      try {
        // 30.00 on w1; both instances learn the totals with a large batch of their own
        const fund = [topUp('fund', 'w1', 3000n), ...topUps('fund-pad', 16).map((t) => ({ ...t, creditAccountId: 'w2' }))]
        await storage.ledger!.createTransfers(site, fund, at)
        await other.ledger!.createTransfers(site, topUps('learn', 17).map((t) => ({ ...t, creditAccountId: 'w2' })), at)
        const batchOf = (n: number) => [...Array.from({ length: 10 }, (_, k) => meal(`d-${n}-${k}`, 'w1', 100n)), ...topUps(`p-${n}`, 8).map((t) => ({ ...t, creditAccountId: 'w2' }))]
        const calls = Array.from({ length: 8 }, (_, n) => (n % 2 === 0 ? storage : other).ledger!.createTransfers(site, batchOf(n), at))
        const results: TransferResult[] = (await Promise.all(calls)).flat()
        // 80 debits of 1.00 against 30.00: exactly 30 pass, whatever the interleaving
        const debits = results.filter((r) => r.id.startsWith('d-'))
        expect(debits.filter((r) => r.status === 'created')).toHaveLength(30)
        expect(debits.filter((r) => r.status === 'failed').every((r) => r.status === 'failed' && r.code === 'EXCEEDS_BALANCE')).toBe(true)
        const [w1] = await storage.ledger!.getBalances(site, ['w1'])
        expect(w1!.posted).toBe(0n)
        const listed = await storage.ledger!.listTransfers(site, { accountId: 'w1' }, { limit: 1000 })
        expect(listed.items.reduce((sum, r) => sum + (r.transfer.creditAccountId === 'w1' ? r.transfer.amount : -r.transfer.amount), 0n)).toBe(0n)
      } finally {
        await other.close()
      }
    }, 60_000)

    if (isServer(name)) {
      it('fails with STORAGE_UNAVAILABLE, writes nothing and forgets the totals when the connection drops while the batch waits for its locks; the next batch works', async () => {
        const { site, history } = await warmSite()
        const [admin, locker] = [opened.admin!, opened.locker!]
        await locker.query('BEGIN')
        // hold w2's row: the batch's locking statement waits for it
        await locker.query('SELECT 1 FROM ecole_ledger_accounts WHERE site_id = $1 AND id = $2 FOR UPDATE', [site, 'w2'])
        const batch = topUps('cut', 20)
        const call = storage.ledger!.createTransfers(site, batch, at).then(
          () => 'written',
          (e: unknown) => e,
        )
        let terminated = 0
        for (let i = 0; i < 500 && terminated === 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 10))
          const r = await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock' AND query LIKE '%ecole_ledger_lock_known%'",
            [opened.appName],
          )
          terminated = r.rowCount ?? 0
        }
        await locker.query('ROLLBACK')
        expect(terminated, 'the batch was caught waiting for its lock').toBe(1)
        const error = await call
        expect(isEcoleError(error) && [error.code, error.details['outcome']]).toEqual(['STORAGE_UNAVAILABLE', 'rolledBack'])
        expect(await storage.ledger!.getTransfer(site, 'cut-0')).toBeUndefined()
        expect(await balances(site)).toEqual(engine(history, []).balances)
        const next = topUps('after-cut', 20)
        expect(await storage.ledger!.createTransfers(site, next, at)).toEqual(engine(history, [next]).results[0])
        expect(await balances(site)).toEqual(engine(history, [next]).balances)
      }, 60_000)
    }
  })
}

const isServer = (name: string): boolean => name.startsWith('a PostgreSQL server')

describe('copyField (a value in COPY\'s text format)', () => {
  it('writes null and undefined as \\N, and escapes backslash, tab, newline and carriage return only', () => {
    expect(copyField(null)).toBe('\\N')
    expect(copyField(undefined)).toBe('\\N')
    expect(copyField('plain é 🙂 "quoted"')).toBe('plain é 🙂 "quoted"')
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e')
    expect(copyField('\\N')).toBe('\\\\N')
  })
})

describeLargeBatches('PGlite', async () => {
  const pglite = await PGlite.create()
  const sent: string[] = []
  const query = pglite.query.bind(pglite)
  pglite.query = ((sql: string, ...rest: unknown[]) => {
    sent.push(sql)
    return (query as (...a: unknown[]) => unknown)(sql, ...rest)
  }) as typeof pglite.query
  // statements inside a transaction go through the transaction's own query
  const transaction = pglite.transaction.bind(pglite)
  pglite.transaction = ((fn: (tx: Parameters<Parameters<PGlite['transaction']>[0]>[0]) => Promise<unknown>) =>
    transaction((tx) => {
      const txQuery = tx.query.bind(tx)
      tx.query = ((sql: string, ...rest: unknown[]) => {
        sent.push(sql)
        return (txQuery as (...a: unknown[]) => unknown)(sql, ...rest)
      }) as typeof tx.query
      return fn(tx)
    })) as typeof pglite.transaction
  const storage = await createPostgresStorage({ pglite })
  return {
    storage,
    sent,
    another: () => createPostgresStorage({ pglite, migrate: false }),
    close: async () => {
      await storage.close()
      await pglite.close()
    },
  }
})

const url = process.env['ECOLE_PG_URL']
if (url) {
  describeLargeBatches('a PostgreSQL server', async () => {
    const appName = `ecole-large-batches-${process.pid}`
    const storage = await createPostgresStorage({ connectionString: `${url}${url.includes('?') ? '&' : '?'}application_name=${appName}`, poolSize: 4 })
    const { default: pgModule } = await import('pg')
    const admin = new pgModule.Client({ connectionString: url })
    const locker = new pgModule.Client({ connectionString: url })
    await admin.connect()
    await locker.connect()
    return {
      storage,
      admin,
      locker,
      appName,
      another: () => createPostgresStorage({ connectionString: url, poolSize: 4, migrate: false }),
      close: async () => {
        await storage.close()
        await admin.end()
        await locker.end()
      },
    }
  })
}
