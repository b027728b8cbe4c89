import type { LedgerAccount, LedgerTransfer, TransferResult } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

const now = new Date('2026-03-02T08:00:00.000Z')
const later = (ms: number) => new Date(now.getTime() + ms)

/** A wallet with no overdraft and the bank clearing account it is topped up from. @internal */
export function ledgerFixture(): { wallet: LedgerAccount; bank: LedgerAccount; revenue: LedgerAccount } {
  return {
    wallet: { id: 'wallet:g-1:o-1:general', kind: 'wallet', guardianId: 'g-1', billingOfficeId: 'o-1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } },
    bank: { id: 'system:bankClearing:o-1', kind: 'system', role: 'bankClearing', billingOfficeId: 'o-1', currency: 'EUR', overdraft: { kind: 'unbounded' } },
    revenue: { id: 'system:revenue:o-1:lunch', kind: 'system', role: 'revenue', billingOfficeId: 'o-1', serviceId: 'lunch', currency: 'EUR', overdraft: { kind: 'unbounded' } },
  }
}

/** A transfer of `amount` cents from `debit` to `credit`. @internal */
export function transfer(id: string, debit: string, credit: string, amount: bigint, over: Partial<LedgerTransfer> = {}): LedgerTransfer {
  return { id, debitAccountId: debit, creditAccountId: credit, amount, code: 'topUp', timestamp: now, ...over }
}

async function setUp(s: StoragePorts, topUp: bigint) {
  const site = freshSiteId()
  const ledger = need(s.ledger, 'ledger')
  const { wallet, bank, revenue } = ledgerFixture()
  await ledger.createAccounts(site, [wallet, bank, revenue])
  if (topUp > 0n) {
    const [r] = await ledger.createTransfers(site, [transfer('top-up', bank.id, wallet.id, topUp)], now)
    expect(r).toEqual({ id: 'top-up', status: 'created' })
  }
  return { site, ledger, wallet, bank, revenue }
}

const meal = (id: string, wallet: string, revenue: string, amount: bigint, over: Partial<LedgerTransfer> = {}) =>
  transfer(id, wallet, revenue, amount, { code: 'booking', ...over })

/** The ledger store: accounts, transfers, idempotency, failures, chains, two-phase, concurrency. @internal */
export function describeLedger(ctx: ConformanceContext): void {
  describe('ledger', () => {
    it('opens accounts idempotently and refuses an id reused with other fields', async () => {
      const s = ctx.storage()
      const ledger = need(s.ledger, 'ledger')
      const site = freshSiteId()
      const { wallet, bank } = ledgerFixture()
      expect(await ledger.createAccounts(site, [wallet, bank])).toEqual([
        { id: wallet.id, status: 'created' },
        { id: bank.id, status: 'created' },
      ])
      const changed = { ...wallet, guardianId: 'g-2' } as LedgerAccount
      expect(await ledger.createAccounts(site, [wallet, changed])).toEqual([
        { id: wallet.id, status: 'exists' },
        { id: wallet.id, status: 'failed', code: 'EXISTS_WITH_DIFFERENT_FIELDS', fields: ['guardianId'] },
      ])
      expect(await ledger.getAccount(site, wallet.id)).toEqual(wallet)
      expect((await ledger.listAccounts(site, { kind: 'wallet' })).items).toEqual([wallet])
      expect((await ledger.listAccounts(site)).items.map((a) => a.id)).toEqual([bank.id, wallet.id].sort())
    })

    it('lists the accounts of a guardian, of a billing office and of a compartment, each filter narrowing the list and all of them together', async () => {
      const ledger = need(ctx.storage().ledger, 'ledger')
      const site = freshSiteId()
      const { wallet, bank } = ledgerFixture()
      const school = { ...wallet, id: 'wallet:g-1:o-1:school', compartment: 'school' } as LedgerAccount
      const other = { ...wallet, id: 'wallet:g-2:o-1:general', guardianId: 'g-2' } as LedgerAccount
      const elsewhere = { ...wallet, id: 'wallet:g-1:o-2:general', billingOfficeId: 'o-2' } as LedgerAccount
      await ledger.createAccounts(site, [wallet, bank, school, other, elsewhere])
      const ids = async (filter: Parameters<typeof ledger.listAccounts>[1]) => (await ledger.listAccounts(site, filter)).items.map((a) => a.id)
      expect(await ids({ guardianId: 'g-1' })).toEqual([elsewhere.id, wallet.id, school.id].sort())
      expect(await ids({ billingOfficeId: 'o-2' })).toEqual([elsewhere.id])
      expect(await ids({ billingOfficeId: 'o-1' })).toEqual([bank.id, other.id, wallet.id, school.id].sort())
      expect(await ids({ compartment: 'school' })).toEqual([school.id])
      expect(await ids({ kind: 'wallet', guardianId: 'g-1', billingOfficeId: 'o-1', compartment: 'general' })).toEqual([wallet.id])
    })

    it('keeps a limit overdraft policy and a low-balance threshold exact (bigint)', async () => {
      const ledger = need(ctx.storage().ledger, 'ledger')
      const site = freshSiteId()
      const w = { ...ledgerFixture().wallet, overdraft: { kind: 'limit', limit: 9_007_199_254_740_993n }, lowBalanceThreshold: 500n } as LedgerAccount
      await ledger.createAccounts(site, [w])
      expect(await ledger.getAccount(site, w.id)).toEqual(w)
    })

    it('moves money and keeps debits equal to credits', async () => {
      const { site, ledger, wallet, bank, revenue } = await setUp(ctx.storage(), 2000n)
      expect(await ledger.createTransfers(site, [meal('m1', wallet.id, revenue.id, 415n)], now)).toEqual([{ id: 'm1', status: 'created' }])
      const [w, b, r] = await ledger.getBalances(site, [wallet.id, bank.id, revenue.id])
      expect(w).toMatchObject({ accountId: wallet.id, currency: 'EUR', creditsPosted: 2000n, debitsPosted: 415n, posted: 1585n, available: 1585n })
      expect(b).toMatchObject({ debitsPosted: 2000n, posted: -2000n })
      expect(r).toMatchObject({ creditsPosted: 415n, posted: 415n })
      expect(w!.posted + b!.posted + r!.posted).toBe(0n)
    })

    it('refuses a debit beyond a no-overdraft balance, and the id stays failed', async () => {
      const { site, ledger, wallet, revenue } = await setUp(ctx.storage(), 400n)
      const [r] = await ledger.createTransfers(site, [meal('m1', wallet.id, revenue.id, 415n)], now)
      expect(r).toMatchObject({ id: 'm1', status: 'failed', code: 'EXCEEDS_BALANCE' })
      expect(await ledger.getFailedTransfer(site, 'm1')).toBe('EXCEEDS_BALANCE')
      await ledger.createTransfers(site, [transfer('top-up-2', ledgerFixture().bank.id, wallet.id, 1000n)], now)
      const [again] = await ledger.createTransfers(site, [meal('m1', wallet.id, revenue.id, 415n)], now)
      expect(again).toMatchObject({ id: 'm1', status: 'failed', code: 'ID_ALREADY_FAILED' })
      expect(await ledger.getTransfer(site, 'm1')).toBeUndefined()
    })

    it('records a failed id outside a transaction that rolls back', async () => {
      const s = ctx.storage()
      const { site, ledger, wallet, revenue } = await setUp(s, 100n)
      await s
        .transaction(site, async (tx) => {
          const [r] = await need(tx.ledger, 'ledger').createTransfers(site, [meal('m1', wallet.id, revenue.id, 415n)], now)
          expect(r).toMatchObject({ status: 'failed', code: 'EXCEEDS_BALANCE' })
          throw new Error('the workflow gives up')
        })
        .catch(() => undefined)
      expect(await ledger.getFailedTransfer(site, 'm1')).toBe('EXCEEDS_BALANCE')
      const [again] = await ledger.createTransfers(site, [meal('m1', wallet.id, revenue.id, 50n)], now)
      expect(again).toMatchObject({ status: 'failed', code: 'ID_ALREADY_FAILED' })
    })

    it('replays an id with the same fields as exists, and names the fields that differ', async () => {
      const { site, ledger, wallet, revenue } = await setUp(ctx.storage(), 2000n)
      const m = meal('m1', wallet.id, revenue.id, 415n, { links: { bookingId: 'b-1' }, memo: 'Repas du 2026-03-02' })
      await ledger.createTransfers(site, [m], now)
      expect(await ledger.createTransfers(site, [{ ...m, timestamp: later(1000) }], later(1000))).toEqual([{ id: 'm1', status: 'exists' }])
      const [r] = await ledger.createTransfers(site, [{ ...m, amount: 500n, memo: 'x' }], now)
      expect(r).toMatchObject({ status: 'failed', code: 'EXISTS_WITH_DIFFERENT_FIELDS' })
      expect(r?.status === 'failed' && [...(r.fields ?? [])].sort()).toEqual(['amount', 'memo'])
      expect((await ledger.getBalances(site, [wallet.id]))[0]!.posted).toBe(1585n)
      expect((await ledger.getTransfer(site, 'm1'))?.transfer).toEqual(m)
    })

    it('applies a linked chain entirely or not at all, and does not record the rolled-back ids', async () => {
      const { site, ledger, wallet, bank, revenue } = await setUp(ctx.storage(), 500n)
      const chain = [meal('c1', wallet.id, revenue.id, 300n, { flags: { linked: true } }), meal('c2', wallet.id, revenue.id, 300n)]
      const results = await ledger.createTransfers(site, chain, now)
      expect(results).toEqual([
        { id: 'c1', status: 'failed', code: 'LINKED_EVENT_FAILED' },
        expect.objectContaining({ id: 'c2', status: 'failed', code: 'EXCEEDS_BALANCE' }),
      ] satisfies unknown[])
      expect(await ledger.getTransfer(site, 'c1')).toBeUndefined()
      expect(await ledger.getFailedTransfer(site, 'c1')).toBeUndefined()
      expect((await ledger.getBalances(site, [wallet.id]))[0]!.available).toBe(500n)
      await ledger.createTransfers(site, [transfer('t2', bank.id, wallet.id, 100n)], now)
      expect(await ledger.createTransfers(site, [meal('c1', wallet.id, revenue.id, 300n)], now)).toEqual([{ id: 'c1', status: 'created' }])
    })

    it('reserves a booking at once, then posts it once (a second post is refused)', async () => {
      const { site, ledger, wallet, revenue } = await setUp(ctx.storage(), 1000n)
      await ledger.createTransfers(site, [meal('p1', wallet.id, revenue.id, 415n, { flags: { pending: true } })], now)
      expect((await ledger.getBalances(site, [wallet.id]))[0]).toMatchObject({ posted: 1000n, available: 585n, debitsPending: 415n })
      const post = meal('post1', wallet.id, revenue.id, 415n, { flags: { post: true }, pendingId: 'p1' })
      expect(await ledger.createTransfers(site, [post], now)).toEqual([{ id: 'post1', status: 'created' }])
      const [again] = await ledger.createTransfers(site, [{ ...post, id: 'post2' }], now)
      expect(again).toMatchObject({ status: 'failed', code: 'PENDING_ALREADY_RESOLVED' })
      expect((await ledger.getBalances(site, [wallet.id]))[0]).toMatchObject({ posted: 585n, available: 585n, debitsPending: 0n })
      expect(await ledger.getTransfer(site, 'p1')).toMatchObject({ pendingStatus: 'posted', resolvedById: 'post1', reversedAmount: 0n })
    })

    it('releases a reservation that is voided, or that expired', async () => {
      const { site, ledger, wallet, revenue } = await setUp(ctx.storage(), 1000n)
      await ledger.createTransfers(
        site,
        [
          meal('p1', wallet.id, revenue.id, 300n, { flags: { pending: true } }),
          meal('p2', wallet.id, revenue.id, 200n, { flags: { pending: true }, expiresAt: later(60_000) }),
        ],
        now,
      )
      await ledger.createTransfers(site, [meal('v1', wallet.id, revenue.id, 300n, { flags: { void: true }, pendingId: 'p1', code: 'cancellation' })], now)
      expect((await ledger.getBalances(site, [wallet.id]))[0]!.available).toBe(800n)
      const [late] = await ledger.createTransfers(site, [meal('post2', wallet.id, revenue.id, 200n, { flags: { post: true }, pendingId: 'p2' })], later(60_000))
      expect(late).toMatchObject({ status: 'failed', code: 'PENDING_EXPIRED' })
      expect((await ledger.getBalances(site, [wallet.id], later(60_000)))[0]!.available).toBe(1000n)
      expect(await ledger.getTransfer(site, 'p2')).toMatchObject({ pendingStatus: 'expired' })
    })

    it('corrects a posted transfer with reversals, never beyond its amount', async () => {
      const { site, ledger, wallet, revenue } = await setUp(ctx.storage(), 1000n)
      await ledger.createTransfers(site, [meal('m1', wallet.id, revenue.id, 400n)], now)
      const rev = (id: string, amount: bigint) => transfer(id, revenue.id, wallet.id, amount, { code: 'correction', reversesId: 'm1' })
      expect(await ledger.createTransfers(site, [rev('r1', 300n)], now)).toEqual([{ id: 'r1', status: 'created' }])
      const [r2] = await ledger.createTransfers(site, [rev('r2', 101n)], now)
      expect(r2).toMatchObject({ status: 'failed', code: 'REVERSAL_EXCEEDS_ORIGINAL' })
      expect((await ledger.getTransfer(site, 'm1'))?.reversedAmount).toBe(300n)
      expect((await ledger.getBalances(site, [wallet.id]))[0]!.posted).toBe(900n)
    })

    it('persists no transfer of a transaction that throws', async () => {
      const s = ctx.storage()
      const { site, ledger, wallet, revenue } = await setUp(s, 1000n)
      await s
        .transaction(site, async (tx) => {
          await need(tx.ledger, 'ledger').createTransfers(site, [meal('m1', wallet.id, revenue.id, 400n)], now)
          throw new Error('rolled back')
        })
        .catch(() => undefined)
      expect(await ledger.getTransfer(site, 'm1')).toBeUndefined()
      expect((await ledger.getBalances(site, [wallet.id]))[0]!.posted).toBe(1000n)
    })

    it('lets exactly the affordable number of N concurrent debits succeed, never going negative', async () => {
      const s = ctx.storage()
      const n = ctx.concurrency
      const affordable = Math.floor(n / 2)
      const { site, ledger, wallet, revenue } = await setUp(s, BigInt(affordable) * 415n + 100n)
      const results: TransferResult[] = (
        await Promise.all(Array.from({ length: n }, (_, i) => ledger.createTransfers(site, [meal(`m${i}`, wallet.id, revenue.id, 415n)], now)))
      ).flat()
      expect(results.filter((r) => r.status === 'created')).toHaveLength(affordable)
      expect(results.filter((r) => r.status === 'failed' && r.code === 'EXCEEDS_BALANCE')).toHaveLength(n - affordable)
      const [w] = await ledger.getBalances(site, [wallet.id])
      expect(w!.available).toBe(100n)
    })

    it('lets exactly the affordable number of N concurrent debits in transactions succeed', async () => {
      const s = ctx.storage()
      const n = ctx.concurrency
      const { site, wallet, revenue } = await setUp(s, 3n * 415n)
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) => s.transaction(site, async (tx) => (await need(tx.ledger, 'ledger').createTransfers(site, [meal(`m${i}`, wallet.id, revenue.id, 415n)], now))[0]!)),
      )
      expect(results.filter((r) => r.status === 'created')).toHaveLength(3)
      expect((await need(s.ledger, 'ledger').getBalances(site, [wallet.id]))[0]!.available).toBe(0n)
    })

    it('creates one transfer for N concurrent submissions of one id', async () => {
      const s = ctx.storage()
      const { site, ledger, wallet, revenue } = await setUp(s, 5000n)
      const results = (
        await Promise.all(Array.from({ length: ctx.concurrency }, () => ledger.createTransfers(site, [meal('same', wallet.id, revenue.id, 415n)], now)))
      ).flat()
      expect(results.filter((r) => r.status === 'created')).toHaveLength(1)
      expect(results.filter((r) => r.status === 'exists')).toHaveLength(ctx.concurrency - 1)
      expect((await ledger.getBalances(site, [wallet.id]))[0]!.posted).toBe(5000n - 415n)
    })

    it('posts a pending transfer at most once when N posts race', async () => {
      const s = ctx.storage()
      const { site, ledger, wallet, revenue } = await setUp(s, 5000n)
      await ledger.createTransfers(site, [meal('p1', wallet.id, revenue.id, 415n, { flags: { pending: true } })], now)
      const results = (
        await Promise.all(
          Array.from({ length: ctx.concurrency }, (_, i) =>
            ledger.createTransfers(site, [meal(`post${i}`, wallet.id, revenue.id, 415n, { flags: { post: true }, pendingId: 'p1' })], now),
          ),
        )
      ).flat()
      expect(results.filter((r) => r.status === 'created')).toHaveLength(1)
      expect((await ledger.getBalances(site, [wallet.id]))[0]).toMatchObject({ posted: 5000n - 415n, debitsPending: 0n })
    })

    it('lists transfers by (timestamp, id), per account, a page at a time', async () => {
      const { site, ledger, wallet, bank, revenue } = await setUp(ctx.storage(), 0n)
      const ts = (ms: number) => ({ timestamp: later(ms) })
      await ledger.createTransfers(
        site,
        [
          transfer('t-b', bank.id, wallet.id, 100n, ts(2000)),
          transfer('t-a', bank.id, wallet.id, 100n, ts(2000)),
          transfer('t-c', bank.id, wallet.id, 100n, ts(1000)),
          transfer('t-d', bank.id, revenue.id, 100n, ts(0)),
        ],
        now,
      )
      const seen: string[] = []
      let page = await ledger.listTransfers(site, { accountId: wallet.id }, { limit: 2 })
      seen.push(...page.items.map((r) => r.transfer.id))
      while (page.next) {
        page = await ledger.listTransfers(site, { accountId: wallet.id }, { limit: 2, after: page.next })
        seen.push(...page.items.map((r) => r.transfer.id))
      }
      expect(seen).toEqual(['t-c', 't-a', 't-b'])
      const window = await ledger.listTransfers(site, { from: later(1000), to: later(2000) })
      expect(window.items.map((r) => r.transfer.id)).toEqual(['t-c'])
    })

    it("never shows a site another site's accounts or transfers", async () => {
      const { site, ledger, wallet } = await setUp(ctx.storage(), 1000n)
      const other = freshSiteId()
      expect(await ledger.getAccount(other, wallet.id)).toBeUndefined()
      expect(await ledger.getTransfer(other, 'top-up')).toBeUndefined()
      expect(await ledger.getBalances(other, [wallet.id])).toEqual([])
      expect((await ledger.listTransfers(other)).items).toEqual([])
      const [r] = await ledger.createTransfers(other, [transfer('top-up', 'system:bankClearing:o-1', wallet.id, 1n)], now)
      expect(r).toMatchObject({ status: 'failed', code: 'ACCOUNT_NOT_FOUND' })
      expect((await ledger.getBalances(site, [wallet.id]))[0]!.posted).toBe(1000n)
    })
  })
}
