/**
 * Portal reads from a streaming-replication replica never show a balance older than the last
 * write of the same session: two private PostgreSQL 15 servers on loopback (a primary, and a
 * replica made by pg_basebackup that applies the WAL 300 ms late), the read-your-writes router
 * between them.
 */
import { standardLedgerAccounts, systemAccountId, walletAccountId } from '@ecole/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createReadYourWritesRouter, type ReadYourWritesRouter } from '../src/read-your-writes'
import { createPrivateReplica, createPrivateServer, destroyPrivateServer, replicaUnavailable, type PrivateServer } from './private-server'

const unavailable = replicaUnavailable()
const SITE = 'replica-site'
const OFFICE = 'office'
const GUARDIANS = ['g1', 'g2', 'g3']
const APPLY_DELAY_MS = 300

if (unavailable) {
  if (process.env['CI']) {
    describe('read replicas', () => {
      it('run in CI, where the PostgreSQL 15 binaries are installed', () => {
        expect.fail(`[ecole] the replication test cannot start its servers in CI: ${unavailable}`)
      })
    })
  } else console.log(`[ecole] read-replica test skipped: ${unavailable}`)
} else {
  describe('read replicas: a session reads its own writes from a lagging replica', () => {
    let primary: PrivateServer | undefined
    let replica: PrivateServer | undefined
    let router: ReadYourWritesRouter
    let topUps = 0

    /** One session's write: a top-up of `cents` on the wallet of `guardian`, committed on the primary. */
    async function topUp(guardian: string, cents: bigint): Promise<void> {
      topUps++
      const now = new Date()
      const [r] = await router.primary.transaction(SITE, (tx) => tx.ledger!.createTransfers(SITE, [{
        id: `top-up-${topUps}`, debitAccountId: systemAccountId('cash', OFFICE), creditAccountId: walletAccountId(guardian, OFFICE),
        amount: cents, currency: 'EUR', code: 'topUp', timestamp: now,
      }], now))
      expect(r!.status).toBe('created')
    }
    const balance = async (storage: ReadYourWritesRouter['replica'], guardian: string) => (await storage.ledger!.getBalances(SITE, [walletAccountId(guardian, OFFICE)]))[0]!.posted

    beforeAll(async () => {
      primary = await createPrivateServer()
      replica = await createPrivateReplica(primary, { applyDelayMs: APPLY_DELAY_MS })
      router = await createReadYourWritesRouter({ primary: primary.url, replica: replica.url, maxWaitMs: 5000, poolSize: 4 })
      await router.primary.transaction(SITE, (tx) => tx.ledger!.createAccounts(SITE, standardLedgerAccounts({
        currency: 'EUR', billingOffices: [{ id: OFFICE, serviceIds: ['canteen'] }], guardians: GUARDIANS.map((g) => ({ guardianId: g, billingOfficeIds: [OFFICE] })),
      })))
    }, 180_000)

    afterAll(async () => {
      await router?.close()
      if (replica) destroyPrivateServer(replica)
      if (primary) destroyPrivateServer(primary)
    })

    it('the replica really lags: read at once after a write, it still shows the old balance (what the router prevents)', async () => {
      const { storage } = await router.reader(await router.markWrite())
      const before = await balance(storage, 'g1')
      await topUp('g1', 500n)
      expect(await balance(router.replica, 'g1')).toBe(before)
      expect(await balance(router.primary, 'g1')).toBe(before + 500n)
    })

    it('after each write of a session, its next read from the replica shows that write (never an older balance), for several sessions interleaved', async () => {
      const expected = new Map<string, bigint>()
      for (const g of GUARDIANS) expected.set(g, await balance(router.primary, g))
      const positions = new Map<string, string>()
      let fromReplica = 0
      for (let round = 0; round < 4; round++) {
        for (const g of GUARDIANS) {
          const cents = BigInt(100 * (round + 1))
          await topUp(g, cents)
          expected.set(g, expected.get(g)! + cents)
          positions.set(g, await router.markWrite())
          const read = await router.reader(positions.get(g))
          if (read.from === 'replica') fromReplica++
          expect(await balance(read.storage, g), `${g} after round ${round}`).toBe(expected.get(g))
        }
      }
      // the replica served the reads (it waited for its replay), the primary was not used as a crutch
      expect(fromReplica).toBe(4 * GUARDIANS.length)
    })

    it('when the replica does not catch up in time, the read goes to the primary and is still fresh', async () => {
      const quick = await createReadYourWritesRouter({ primary: primary!.url, replica: replica!.url, maxWaitMs: 20, poolSize: 2 })
      try {
        const before = await balance(quick.primary, 'g2')
        const now = new Date()
        await quick.primary.transaction(SITE, (tx) => tx.ledger!.createTransfers(SITE, [{
          id: 'top-up-quick', debitAccountId: systemAccountId('cash', OFFICE), creditAccountId: walletAccountId('g2', OFFICE), amount: 700n, currency: 'EUR', code: 'topUp', timestamp: now,
        }], now))
        const read = await quick.reader(await quick.markWrite())
        expect(read.from).toBe('primary')
        expect(await balance(read.storage, 'g2')).toBe(before + 700n)
      } finally {
        await quick.close()
      }
    })

    it('refuses a position that is not a WAL position', async () => {
      await expect(router.reader('yesterday')).rejects.toThrow(/\[ecole\] reader position: must be a WAL position/)
    })
  })
}
