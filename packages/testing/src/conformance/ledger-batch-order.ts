import type { LedgerTransfer } from '@ecole/core'
import type { LedgerStore } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { ledgerFixture, transfer } from './ledger'
import { freshSiteId, need, type ConformanceContext } from './support'

const now = new Date('2026-03-02T08:00:00.000Z')

async function setUp(ledger: LedgerStore): Promise<{ site: string; wallet: string; bank: string; revenue: string }> {
  const site = freshSiteId('order')
  const { wallet, bank, revenue } = ledgerFixture()
  await ledger.createAccounts(site, [wallet, bank, revenue])
  return { site, wallet: wallet.id, bank: bank.id, revenue: revenue.id }
}

const meal = (id: string, wallet: string, revenue: string, amount: bigint, over: Partial<LedgerTransfer> = {}) => transfer(id, wallet, revenue, amount, { code: 'booking', ...over })
const linked = { flags: { linked: true } }

/**
 * A batch is judged transfer by transfer, in its order (never by its net effect), and a failure
 * recorded inside a transaction that rolled back is answered as the engine answers it afterwards,
 * in chains too. @internal
 */
export function describeLedgerBatchOrder(ctx: ConformanceContext): void {
  describe('ledger: order inside a batch, and failures of rolled-back transactions', () => {
    it('refuses a debit from an empty wallet even when a top-up of the same amount follows it in the batch', async () => {
      const ledger = need(ctx.storage().ledger, 'ledger')
      const { site, wallet, bank, revenue } = await setUp(ledger)
      // both accounts used once before (an adapter may remember them), the wallet empty again
      await ledger.createTransfers(site, [transfer('warm-up', bank, wallet, 100n), meal('warm-down', wallet, revenue, 100n)], now)
      await ledger.createTransfers(site, [transfer('warm-up-2', bank, wallet, 100n), meal('warm-down-2', wallet, revenue, 100n)], now)
      expect(await ledger.createTransfers(site, [meal('debit', wallet, revenue, 500n), transfer('top-up', bank, wallet, 500n)], now)).toEqual([
        { id: 'debit', status: 'failed', code: 'EXCEEDS_BALANCE', fields: ['amount'] },
        { id: 'top-up', status: 'created' },
      ])
      expect((await ledger.getBalances(site, [wallet]))[0]).toMatchObject({ posted: 500n, available: 500n })
      expect(await ledger.getFailedTransfer(site, 'debit')).toBe('EXCEEDS_BALANCE')
    })

    it('accepts the same two transfers the other way round (top-up first)', async () => {
      const ledger = need(ctx.storage().ledger, 'ledger')
      const { site, wallet, bank, revenue } = await setUp(ledger)
      expect(await ledger.createTransfers(site, [transfer('top-up', bank, wallet, 500n), meal('debit', wallet, revenue, 500n)], now)).toEqual([
        { id: 'top-up', status: 'created' },
        { id: 'debit', status: 'created' },
      ])
      expect((await ledger.getBalances(site, [wallet]))[0]).toMatchObject({ posted: 0n })
    })

    it('refuses a reservation beyond the balance even when a later transfer of the batch would cover it', async () => {
      const ledger = need(ctx.storage().ledger, 'ledger')
      const { site, wallet, bank, revenue } = await setUp(ledger)
      const results = await ledger.createTransfers(
        site,
        [transfer('top-up-1', bank, wallet, 300n), meal('hold', wallet, revenue, 400n, { flags: { pending: true } }), transfer('top-up-2', bank, wallet, 300n), meal('hold-2', wallet, revenue, 400n, { flags: { pending: true } })],
        now,
      )
      expect(results.map((r) => (r.status === 'failed' ? r.code : r.status))).toEqual(['created', 'EXCEEDS_BALANCE', 'created', 'created'])
      expect((await ledger.getBalances(site, [wallet]))[0]).toMatchObject({ posted: 600n, available: 200n })
    })

    it('posts a reservation made earlier in the same batch, and refuses a post before the reservation it names', async () => {
      const ledger = need(ctx.storage().ledger, 'ledger')
      const { site, wallet, bank, revenue } = await setUp(ledger)
      const results = await ledger.createTransfers(
        site,
        [
          meal('early-post', wallet, revenue, 100n, { flags: { post: true }, pendingId: 'hold' }),
          transfer('top-up', bank, wallet, 500n),
          meal('hold', wallet, revenue, 400n, { flags: { pending: true } }),
          meal('post', wallet, revenue, 300n, { flags: { post: true }, pendingId: 'hold' }),
        ],
        now,
      )
      expect(results.map((r) => (r.status === 'failed' ? r.code : r.status))).toEqual(['PENDING_TRANSFER_NOT_FOUND', 'created', 'created', 'created'])
      expect((await ledger.getBalances(site, [wallet]))[0]).toMatchObject({ posted: 200n, available: 200n, debitsPending: 0n })
      expect(await ledger.getTransfer(site, 'hold')).toMatchObject({ pendingStatus: 'posted', resolvedById: 'post' })
    })

    it('judges a chain in order: its debit before its top-up fails the chain, and nothing of it stays', async () => {
      const ledger = need(ctx.storage().ledger, 'ledger')
      const { site, wallet, bank, revenue } = await setUp(ledger)
      expect(await ledger.createTransfers(site, [meal('c-debit', wallet, revenue, 500n, linked), transfer('c-top-up', bank, wallet, 500n)], now)).toEqual([
        { id: 'c-debit', status: 'failed', code: 'EXCEEDS_BALANCE', fields: ['amount'] },
        { id: 'c-top-up', status: 'failed', code: 'LINKED_EVENT_FAILED' },
      ])
      expect((await ledger.getBalances(site, [wallet]))[0]).toMatchObject({ posted: 0n })
      expect(await ledger.getTransfer(site, 'c-top-up')).toBeUndefined()
      expect(await ledger.getFailedTransfer(site, 'c-debit')).toBe('EXCEEDS_BALANCE')
      expect(await ledger.getFailedTransfer(site, 'c-top-up')).toBeUndefined()
    })

    it('a replay inside a batch answers exists against the transfer created earlier in the same batch', async () => {
      const ledger = need(ctx.storage().ledger, 'ledger')
      const { site, wallet, bank } = await setUp(ledger)
      expect(await ledger.createTransfers(site, [transfer('t', bank, wallet, 500n), transfer('t', bank, wallet, 500n), transfer('t', bank, wallet, 600n)], now)).toEqual([
        { id: 't', status: 'created' },
        { id: 't', status: 'exists' },
        { id: 't', status: 'failed', code: 'EXISTS_WITH_DIFFERENT_FIELDS', fields: ['amount'] },
      ])
      expect((await ledger.getBalances(site, [wallet]))[0]).toMatchObject({ posted: 500n })
    })

    describe('after a failure inside a transaction that rolled back', () => {
      /** Refuses `id` (EXCEEDS_BALANCE) inside a transaction that then rolls back. */
      async function failInRolledBack(site: string, id: string, wallet: string, revenue: string): Promise<void> {
        const s = ctx.storage()
        const outcome = await s
          .transaction(site, async (tx) => {
            const [r] = await need(tx.ledger, 'ledger').createTransfers(site, [meal(id, wallet, revenue, 10_000n)], now)
            expect(r).toMatchObject({ id, status: 'failed', code: 'EXCEEDS_BALANCE' })
            throw new Error('rolled back')
          })
          .catch((e: unknown) => (e instanceof Error ? e.message : String(e)))
        expect(outcome).toBe('rolled back')
        expect(await need(s.ledger, 'ledger').getFailedTransfer(site, id)).toBe('EXCEEDS_BALANCE')
      }

      it('an earlier member of a chain that fails on its own reports its own code, the reused id LINKED_EVENT_FAILED', async () => {
        const ledger = need(ctx.storage().ledger, 'ledger')
        const { site, wallet, bank, revenue } = await setUp(ledger)
        await failInRolledBack(site, 'x', wallet, revenue)
        await ledger.createTransfers(site, [transfer('top-up', bank, wallet, 100n)], now)
        expect(await ledger.createTransfers(site, [meal('first', wallet, revenue, 900n, linked), meal('x', wallet, revenue, 50n)], now)).toEqual([
          { id: 'first', status: 'failed', code: 'EXCEEDS_BALANCE', fields: ['amount'] },
          { id: 'x', status: 'failed', code: 'LINKED_EVENT_FAILED' },
        ])
        // `first` failed on its own: it stays failed, it cannot be created later
        expect(await ledger.getFailedTransfer(site, 'first')).toBe('EXCEEDS_BALANCE')
        await ledger.createTransfers(site, [transfer('top-up-2', bank, wallet, 1000n)], now)
        expect(await ledger.createTransfers(site, [meal('first', wallet, revenue, 900n)], now)).toEqual([{ id: 'first', status: 'failed', code: 'ID_ALREADY_FAILED', fields: ['id'] }])
      })

      it('the reused id reports ID_ALREADY_FAILED in a chain, and the other members LINKED_EVENT_FAILED', async () => {
        const ledger = need(ctx.storage().ledger, 'ledger')
        const { site, wallet, bank, revenue } = await setUp(ledger)
        await failInRolledBack(site, 'x', wallet, revenue)
        await ledger.createTransfers(site, [transfer('top-up', bank, wallet, 1000n)], now)
        expect(await ledger.createTransfers(site, [meal('a', wallet, revenue, 100n, linked), meal('x', wallet, revenue, 50n, linked), meal('b', wallet, revenue, 100n)], now)).toEqual([
          { id: 'a', status: 'failed', code: 'LINKED_EVENT_FAILED' },
          { id: 'x', status: 'failed', code: 'ID_ALREADY_FAILED', fields: ['id'] },
          { id: 'b', status: 'failed', code: 'LINKED_EVENT_FAILED' },
        ])
        expect((await ledger.getBalances(site, [wallet]))[0]).toMatchObject({ posted: 1000n })
        // the others were not judged on their own: they may be created later
        expect(await ledger.createTransfers(site, [meal('a', wallet, revenue, 100n)], now)).toEqual([{ id: 'a', status: 'created' }])
      })

      it('an open chain holding the reused id reports LINKED_EVENT_CHAIN_OPEN for its last member', async () => {
        const ledger = need(ctx.storage().ledger, 'ledger')
        const { site, wallet, bank, revenue } = await setUp(ledger)
        await failInRolledBack(site, 'x', wallet, revenue)
        await ledger.createTransfers(site, [transfer('top-up', bank, wallet, 1000n)], now)
        expect(await ledger.createTransfers(site, [meal('a', wallet, revenue, 100n, linked), meal('x', wallet, revenue, 50n, linked)], now)).toEqual([
          { id: 'a', status: 'failed', code: 'LINKED_EVENT_FAILED' },
          { id: 'x', status: 'failed', code: 'LINKED_EVENT_CHAIN_OPEN' },
        ])
      })

      it('the reused id alone reports ID_ALREADY_FAILED and the transfers after it are judged on their own', async () => {
        const ledger = need(ctx.storage().ledger, 'ledger')
        const { site, wallet, bank, revenue } = await setUp(ledger)
        await failInRolledBack(site, 'x', wallet, revenue)
        expect(await ledger.createTransfers(site, [meal('x', wallet, revenue, 1n), transfer('top-up', bank, wallet, 100n), meal('y', wallet, revenue, 100n)], now)).toEqual([
          { id: 'x', status: 'failed', code: 'ID_ALREADY_FAILED', fields: ['id'] },
          { id: 'top-up', status: 'created' },
          { id: 'y', status: 'created' },
        ])
      })
    })
  })
}
