import { fc, test } from '@fast-check/vitest'
import { ledgerAccountsArb, postedTransfersArb } from '@ecole/testing'
import { expect, test as plainTest } from 'vitest'
import { addDays, zonedInstant, type LocalDate } from '../time'
import { accountStatement, statementFromTransfers } from './account-statement'
import { applyTransfers } from './apply-transfers'
import { balanceAt } from './balance-at'
import { accountTransfers } from './ledger-queries'
import { createLedger, openAccounts } from './ledger-state'
import type { LedgerTransfer } from './transfer'

const START = Date.UTC(2026, 0, 1)
const DAY = 86_400_000

const scenario = ledgerAccountsArb().chain((accounts) =>
  fc.record({
    accounts: fc.constant(accounts),
    transfers: postedTransfersArb(accounts.map((a) => a.id), { maxLength: 40 }),
    // spread the transfers over four months, at any time of day
    offsets: fc.array(fc.integer({ min: 0, max: 120 * DAY }), { minLength: 40, maxLength: 40 }),
    from: fc.integer({ min: 0, max: 100 }),
    length: fc.integer({ min: 0, max: 80 }),
    zone: fc.constantFrom('Europe/Paris', 'Pacific/Apia', 'America/Los_Angeles', 'UTC'),
  }),
)

test.prop([scenario])(
  'a statement adds up: each month opens at the previous close, opening + credits - debits = closing, and both ends match balanceAt',
  ({ accounts, transfers, offsets, from: fromDay, length, zone }) => {
    const ledger = createLedger()
    openAccounts(ledger, accounts)
    const spread = transfers.map((t, i) => ({ ...t, timestamp: new Date(START + offsets[i]!) }))
    applyTransfers(ledger, spread, new Date(START + 200 * DAY))
    const from = addDays('2026-01-01' as LocalDate, fromDay)
    const to = addDays(from, length)
    const startInstant = zonedInstant(from, '00:00', zone).getTime()
    const endInstant = zonedInstant(addDays(to, 1), '00:00', zone).getTime() - 1
    for (const account of accounts) {
      const s = accountStatement(ledger, account.id, { from, to, timeZone: zone })
      let previous = s.opening
      for (const m of s.months) {
        expect(m.opening).toBe(previous)
        expect(m.opening + m.credits - m.debits).toBe(m.closing)
        previous = m.closing
      }
      expect(previous).toBe(s.closing)
      expect(s.opening + s.credits - s.debits).toBe(s.closing)
      expect(s.opening).toBe(balanceAt(ledger, account.id, new Date(startInstant - 1)).posted)
      expect(s.closing).toBe(balanceAt(ledger, account.id, new Date(endInstant)).posted)
    }
  },
)

/** One step of a family's wallet: money in, a booking reserved (sometimes with an expiry), posted (served) or voided (cancelled), a direct spend. */
const walletStep = fc.record({
  kind: fc.constantFrom('topUp', 'book', 'post', 'void', 'spend'),
  amount: fc.integer({ min: 1, max: 5_000 }),
  hours: fc.integer({ min: 1, max: 96 }),
  expiresInHours: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
  pick: fc.nat(),
})

test.prop([
  fc.array(walletStep, { maxLength: 40 }), fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 90 }),
  fc.constantFrom('Europe/Paris', 'Pacific/Apia', 'America/Los_Angeles', 'UTC'), fc.boolean(),
])(
  'the statement folded from an account\'s transfers, in any order, is the statement of the ledger holding them (reservations posted, voided or expired included)',
  (steps, fromDay, length, zone, shuffled) => {
    const wallet = 'wallet:g-1:office-1:general'
    const revenue = 'system:revenue:office-1:cantine'
    const clearing = 'system:bankClearing:office-1'
    const ledger = createLedger()
    openAccounts(ledger, [
      { id: wallet, kind: 'wallet', guardianId: 'g-1', billingOfficeId: 'office-1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } },
      { id: revenue, kind: 'system', role: 'revenue', billingOfficeId: 'office-1', serviceId: 'cantine', currency: 'EUR', overdraft: { kind: 'unbounded' } },
      { id: clearing, kind: 'system', role: 'bankClearing', billingOfficeId: 'office-1', currency: 'EUR', overdraft: { kind: 'unbounded' } },
    ])
    let at = START
    const open: Array<{ id: string; amount: bigint }> = []
    for (const [i, s] of steps.entries()) {
      at += s.hours * 3_600_000
      const timestamp = new Date(at)
      const amount = BigInt(s.amount)
      let t: LedgerTransfer
      if (s.kind === 'topUp') t = { id: `t${i}`, debitAccountId: clearing, creditAccountId: wallet, amount, code: 'topUp', timestamp }
      else if (s.kind === 'spend') t = { id: `t${i}`, debitAccountId: wallet, creditAccountId: revenue, amount, code: 'booking', timestamp, memo: `spend ${i}` }
      else if (s.kind === 'book') {
        t = { id: `t${i}`, debitAccountId: wallet, creditAccountId: revenue, amount, code: 'booking', flags: { pending: true }, timestamp, links: { bookingId: `b${i}` } }
        if (s.expiresInHours !== undefined) t.expiresAt = new Date(at + s.expiresInHours * 3_600_000)
      } else {
        const pending = open.splice(s.pick % Math.max(open.length, 1), 1)[0]
        if (pending === undefined) continue
        t = { id: `t${i}`, debitAccountId: wallet, creditAccountId: revenue, amount: pending.amount, code: 'booking', flags: s.kind === 'post' ? { post: true } : { void: true }, pendingId: pending.id, timestamp }
      }
      const [result] = applyTransfers(ledger, [t], timestamp)
      if (result!.status === 'created' && t.flags?.pending === true) open.push({ id: t.id, amount })
    }
    const from = addDays('2026-01-01' as LocalDate, fromDay)
    const to = addDays(from, length)
    const options = { from, to, timeZone: zone }
    const history = [...accountTransfers(ledger, wallet)]
    if (shuffled) history.reverse()
    for (const id of [wallet, revenue]) {
      const transfers = id === wallet ? history : accountTransfers(ledger, id)
      expect(statementFromTransfers({ id, currency: 'EUR' }, transfers, options)).toEqual(accountStatement(ledger, id, options))
    }
  },
)

plainTest('a transfer list that is not one is refused naming the field, before any option is read', () => {
  expect(() => statementFromTransfers({ id: 'w', currency: 'EUR' }, [{ id: 't1' } as never], { from: '2026-03-01', to: '2026-03-31', timeZone: 'UTC' }))
    .toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('transfers.0') }))
  expect(() => statementFromTransfers({ id: '', currency: 'EUR' }, [], { from: '2026-03-01', to: '2026-03-31', timeZone: 'UTC' }))
    .toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('account.id') }))
})
