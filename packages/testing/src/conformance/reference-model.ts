import type { LedgerTransfer } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ledgerFixture } from './ledger'
import { freshSiteId, need, type ConformanceContext } from './support'

/** One step of the comparison with the reference adapter. @internal */
export type ReferenceCommand =
  | { kind: 'topUp'; amount: number }
  | { kind: 'debit'; key: number; amount: number }
  | { kind: 'drain'; key: number; extra: number }
  | { kind: 'reserve'; key: number; amount: number; expiresInMin: number | null }
  | { kind: 'post'; key: number; pendingKey: number; amount: number }
  | { kind: 'void'; key: number; pendingKey: number; amount: number }
  | { kind: 'reverse'; key: number; debitKey: number; amount: number }
  | { kind: 'chain'; key: number; amounts: [number, number] }
  | { kind: 'wait'; minutes: number }
  | { kind: 'number'; series: 'a' | 'b'; count: number; rollBack: boolean }
  | { kind: 'book'; key: number; child: number; day: number; cancel: boolean }

const key = fc.integer({ min: 0, max: 4 })
// Amounts in whole hundreds so that a debit often equals the balance exactly (the boundary).
const amount = fc.integer({ min: 1, max: 6 }).map((n) => n * 100)

/** The commands, as fast-check generates them. @internal */
export const referenceCommandArb: fc.Arbitrary<ReferenceCommand> = fc.oneof(
  fc.record({ kind: fc.constant('topUp' as const), amount: fc.integer({ min: 1, max: 10 }).map((n) => n * 100) }),
  fc.record({ kind: fc.constant('debit' as const), key, amount }),
  // a debit of exactly the available balance (or one cent more): the boundary of the no-overdraft rule
  fc.record({ kind: fc.constant('drain' as const), key, extra: fc.constantFrom(0, 1) }),
  fc.record({ kind: fc.constant('reserve' as const), key, amount, expiresInMin: fc.option(fc.integer({ min: 1, max: 90 }), { nil: null }) }),
  fc.record({ kind: fc.constant('post' as const), key, pendingKey: key, amount }),
  fc.record({ kind: fc.constant('void' as const), key, pendingKey: key, amount }),
  fc.record({ kind: fc.constant('reverse' as const), key, debitKey: key, amount }),
  fc.record({ kind: fc.constant('chain' as const), key, amounts: fc.tuple(amount, amount) }),
  fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant('number' as const), series: fc.constantFrom('a' as const, 'b' as const), count: fc.integer({ min: 1, max: 3 }), rollBack: fc.boolean() }),
  fc.record({ kind: fc.constant('book' as const), key, child: fc.integer({ min: 0, max: 1 }), day: fc.integer({ min: 0, max: 1 }), cancel: fc.boolean() }),
)

const start = new Date('2026-03-02T08:00:00.000Z')

/** Applies one command to an adapter and returns what a caller would observe. */
async function apply(s: StoragePorts, site: string, c: ReferenceCommand, step: number, now: Date): Promise<unknown> {
  const { wallet, bank, revenue } = ledgerFixture()
  const t = (id: string, debit: string, credit: string, amt: number, over: Partial<LedgerTransfer> = {}): LedgerTransfer => ({
    id, debitAccountId: debit, creditAccountId: credit, amount: BigInt(amt), code: 'booking', timestamp: now, ...over,
  })
  const ledger = s.ledger
  switch (c.kind) {
    case 'topUp':
      return ledger?.createTransfers(site, [t(`top-${step}`, bank.id, wallet.id, c.amount, { code: 'topUp' })], now)
    case 'debit':
      return ledger?.createTransfers(site, [t(`debit-${c.key}`, wallet.id, revenue.id, c.amount)], now)
    case 'drain':
      throw new Error('drain is turned into a debit before it is applied')
    case 'reserve':
      return ledger?.createTransfers(
        site,
        [t(`pending-${c.key}`, wallet.id, revenue.id, c.amount, { flags: { pending: true }, ...(c.expiresInMin === null ? {} : { expiresAt: new Date(now.getTime() + c.expiresInMin * 60_000) }) })],
        now,
      )
    case 'post':
    case 'void':
      return ledger?.createTransfers(site, [t(`${c.kind}-${c.key}`, wallet.id, revenue.id, c.amount, { flags: { [c.kind]: true }, pendingId: `pending-${c.pendingKey}` })], now)
    case 'reverse':
      return ledger?.createTransfers(site, [t(`reverse-${c.key}`, revenue.id, wallet.id, c.amount, { code: 'correction', reversesId: `debit-${c.debitKey}` })], now)
    case 'chain':
      return ledger?.createTransfers(
        site,
        [t(`chain-${c.key}-a`, wallet.id, revenue.id, c.amounts[0], { flags: { linked: true } }), t(`chain-${c.key}-b`, wallet.id, revenue.id, c.amounts[1])],
        now,
      )
    case 'wait':
      return ledger?.getBalances(site, [wallet.id], now)
    case 'number':
      if (!s.invoiceNumbers) return undefined
      return s
        .transaction(site, async (tx) => {
          const first = await need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, c.series, c.count)
          if (c.rollBack) throw new Error('rolled back')
          return first
        })
        .catch((e: unknown) => (e instanceof Error ? e.message : e))
    case 'book': {
      if (!s.bookings) return undefined
      const date = c.day === 0 ? '2026-03-02' : '2026-03-03'
      return s.bookings.putBooking(site, {
        id: `b-${c.key}`, beneficiaryId: `c-${c.child}`, serviceId: 'lunch', date, status: c.cancel ? 'cancelled' : 'booked', bookedAt: start,
        ...(c.cancel ? { cancelledAt: now } : {}),
      })
    }
    default: {
      const never: never = c
      return never
    }
  }
}

/** Everything observable at the end of a run. */
async function observe(s: StoragePorts, site: string, now: Date): Promise<unknown> {
  const { wallet, bank, revenue } = ledgerFixture()
  return {
    balances: await s.ledger?.getBalances(site, [wallet.id, bank.id, revenue.id], now),
    transfers: (await s.ledger?.listTransfers(site, {}, { limit: 1000 }))?.items,
    numbers: [await s.invoiceNumbers?.lastNumber(site, 'a'), await s.invoiceNumbers?.lastNumber(site, 'b')],
    bookings: (await s.bookings?.listBookings(site, { from: '2026-03-01', to: '2026-03-31' }))?.items,
  }
}

/**
 * The model-based comparison with a reference adapter (the in-memory one): the same random
 * command sequences give the same results, step by step, and the same final state. @internal
 */
export function describeReferenceModel(ctx: ConformanceContext, reference: () => StoragePorts | Promise<StoragePorts>): void {
  describe('model-based, against the reference adapter', () => {
    it('gives the results and final state of the reference adapter on random command sequences', async () => {
      const s = ctx.storage()
      const ref = await reference()
      const { wallet, bank, revenue } = ledgerFixture()
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(referenceCommandArb, { minLength: 1, maxLength: 30 }), async (commands) => {
            const site = freshSiteId('reference')
            if (s.ledger) await s.ledger.createAccounts(site, [wallet, bank, revenue])
            if (ref.ledger) await ref.ledger.createAccounts(site, [wallet, bank, revenue])
            let now = start
            let step = 0
            for (const c of commands) {
              step++
              if (c.kind === 'wait') now = new Date(now.getTime() + c.minutes * 60_000)
              let command: ReferenceCommand = c
              if (c.kind === 'drain') {
                const [balance] = (await ref.ledger?.getBalances(site, [wallet.id])) ?? []
                const available = Number(balance?.available ?? 0n)
                command = { kind: 'debit', key: c.key, amount: Math.max(1, available + c.extra) }
              }
              const expected = await apply(ref, site, command, step, now)
              const actual = await apply(s, site, command, step, now)
              expect(actual, `step ${step}: ${JSON.stringify(command)}`).toEqual(expected)
            }
            expect(await observe(s, site, now)).toEqual(await observe(ref, site, now))
          }),
          { numRuns: ctx.numRuns },
        )
      } finally {
        await ref.close()
      }
    })
  })
}
