import { fc, test } from '@fast-check/vitest'
import { ledgerAccountsArb, postedTransfersArb } from '@ecole/testing'
import { expect } from 'vitest'
import { addDays, zonedInstant, type LocalDate } from '../time'
import { accountStatement } from './account-statement'
import { applyTransfers } from './apply-transfers'
import { balanceAt } from './balance-at'
import { createLedger, openAccounts } from './ledger-state'

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
