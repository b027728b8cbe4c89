import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ledgerFixture, transfer } from './ledger'
import { freshSiteId, need, type ConformanceContext } from './support'

/** One step of the model-based test. @internal */
export type ModelCommand =
  | { kind: 'topUp'; amount: number }
  | { kind: 'debit'; key: number; amount: number }
  | { kind: 'number'; series: 'a' | 'b'; count: number }
  | { kind: 'rolledBackNumber'; series: 'a' | 'b'; count: number }

/** The commands, as fast-check generates them. @internal */
export const modelCommandArb: fc.Arbitrary<ModelCommand> = fc.oneof(
  fc.record({ kind: fc.constant('topUp' as const), amount: fc.integer({ min: 1, max: 10 }).map((n) => n * 100) }),
  // whole hundreds: a debit often equals the balance exactly (the boundary)
  fc.record({ kind: fc.constant('debit' as const), key: fc.integer({ min: 0, max: 5 }), amount: fc.integer({ min: 1, max: 8 }).map((n) => n * 100) }),
  fc.record({ kind: fc.constant('number' as const), series: fc.constantFrom('a' as const, 'b' as const), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('rolledBackNumber' as const), series: fc.constantFrom('a' as const, 'b' as const), count: fc.integer({ min: 1, max: 3 }) }),
)

/**
 * The independent model the adapter is checked against: a wallet balance, the debits applied and
 * failed by id, and counters. Written from the contract, not from any adapter.
 *
 * @internal
 */
class Model {
  balance = 0
  applied = new Map<string, number>()
  failed = new Set<string>()
  counters = new Map<string, number>()
}

/** The model-based test: random command sequences give the model's results on the adapter. @internal */
export function describeModel(ctx: ConformanceContext): void {
  describe('model-based', () => {
    it('behaves like the reference model on random sequences of ledger and numbering commands', async () => {
      const s = ctx.storage()
      const ledger = ctx.has('ledger') ? need(s.ledger, 'ledger') : undefined
      const counters = ctx.has('invoiceNumbers') ? need(s.invoiceNumbers, 'invoiceNumbers') : undefined
      const { wallet, bank, revenue } = ledgerFixture()
      const now = new Date('2026-03-02T08:00:00.000Z')
      await fc.assert(
        fc.asyncProperty(fc.array(modelCommandArb, { minLength: 1, maxLength: 25 }), async (commands) => {
          const site = freshSiteId('model')
          const model = new Model()
          if (ledger) await ledger.createAccounts(site, [wallet, bank, revenue])
          let step = 0
          for (const c of commands) {
            step++
            if (c.kind === 'topUp' && ledger) {
              const [r] = await ledger.createTransfers(site, [transfer(`top-${step}`, bank.id, wallet.id, BigInt(c.amount))], now)
              model.balance += c.amount
              expect(r?.status).toBe('created')
            } else if (c.kind === 'debit' && ledger) {
              const id = `debit-${c.key}`
              const [r] = await ledger.createTransfers(site, [transfer(id, wallet.id, revenue.id, BigInt(c.amount), { code: 'booking' })], now)
              const before = model.applied.get(id)
              if (before !== undefined) {
                expect(r).toMatchObject(before === c.amount ? { status: 'exists' } : { status: 'failed', code: 'EXISTS_WITH_DIFFERENT_FIELDS' })
              } else if (model.failed.has(id)) {
                expect(r).toMatchObject({ status: 'failed', code: 'ID_ALREADY_FAILED' })
              } else if (model.balance >= c.amount) {
                model.balance -= c.amount
                model.applied.set(id, c.amount)
                expect(r).toMatchObject({ status: 'created' })
              } else {
                model.failed.add(id)
                expect(r).toMatchObject({ status: 'failed', code: 'EXCEEDS_BALANCE' })
              }
            } else if (c.kind === 'number' && counters) {
              const first = await s.transaction(site, (tx) => need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, c.series, c.count))
              const last = model.counters.get(c.series) ?? 0
              model.counters.set(c.series, last + c.count)
              expect(first).toBe(last + 1)
            } else if (c.kind === 'rolledBackNumber' && counters) {
              await s
                .transaction(site, async (tx) => {
                  await need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, c.series, c.count)
                  throw new Error('rolled back')
                })
                .catch(() => undefined)
            }
          }
          if (ledger) {
            const [w] = await ledger.getBalances(site, [wallet.id])
            expect(w?.available).toBe(BigInt(model.balance))
            for (const id of model.failed) expect(await ledger.getFailedTransfer(site, id)).toBe('EXCEEDS_BALANCE')
          }
          if (counters) {
            for (const series of ['a', 'b']) expect(await counters.lastNumber(site, series)).toBe(model.counters.get(series) ?? 0)
          }
        }),
        { numRuns: ctx.numRuns },
      )
    })
  })
}
