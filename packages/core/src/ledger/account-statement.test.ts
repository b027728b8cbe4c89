import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { accountStatement } from './account-statement'
import { applyTransfers } from './apply-transfers'
import { createLedger, openAccounts } from './ledger-state'
import type { LedgerTransfer } from './transfer'

const W = 'wallet:g1:o1:general'
const BANK = 'system:bankClearing:o1'
const REV = 'system:revenue:o1:canteen'

function ledgerWith(transfers: LedgerTransfer[]) {
  const ledger = createLedger()
  openAccounts(ledger, [
    { id: BANK, kind: 'system', role: 'bankClearing', billingOfficeId: 'o1', currency: 'EUR', overdraft: { kind: 'unbounded' } },
    { id: REV, kind: 'system', role: 'revenue', billingOfficeId: 'o1', serviceId: 'canteen', currency: 'EUR', overdraft: { kind: 'unbounded' } },
    { id: W, kind: 'wallet', guardianId: 'g1', billingOfficeId: 'o1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } },
  ])
  for (const t of transfers) expect(applyTransfers(ledger, [t], t.timestamp)[0]!.status).toBe('created')
  return ledger
}

const top = (id: string, iso: string, amount: bigint): LedgerTransfer => ({ id, debitAccountId: BANK, creditAccountId: W, amount, code: 'topUp', timestamp: new Date(iso) })
const meal = (id: string, iso: string, amount: bigint): LedgerTransfer => ({ id, debitAccountId: W, creditAccountId: REV, amount, code: 'booking', timestamp: new Date(iso) })

describe('accountStatement', () => {
  it('opens with the balance before the first day, groups movements by month and closes with the running balance', () => {
    const ledger = ledgerWith([
      top('jan', '2026-01-15T10:00:00Z', 3000n),
      meal('feb-1', '2026-02-03T11:00:00Z', 415n),
      meal('feb-2', '2026-02-04T11:00:00Z', 415n),
      top('apr', '2026-04-01T10:00:00Z', 1000n),
    ])
    const s = accountStatement(ledger, W, { from: '2026-02-01', to: '2026-03-31', timeZone: 'Europe/Paris' })
    // 30.00 - 4.15 - 4.15 = 21.70; March has no movement; April is outside the range
    expect([s.opening, s.debits, s.credits, s.closing]).toEqual([3000n, 830n, 0n, 2170n])
    expect(s.months.map((m) => [m.month, m.opening, m.closing, m.lines.length])).toEqual([
      ['2026-02', 3000n, 2170n, 2],
      ['2026-03', 2170n, 2170n, 0],
    ])
    expect(s.months[0]!.lines.map((l) => l.balance)).toEqual([2585n, 2170n])
  })

  it('dates each movement in the site zone: 23:30 UTC on 31 March is 1 April in Paris', () => {
    const ledger = ledgerWith([top('late', '2026-03-31T23:30:00Z', 500n)])
    const paris = accountStatement(ledger, W, { from: '2026-03-01', to: '2026-04-30', timeZone: 'Europe/Paris' })
    expect(paris.months.map((m) => [m.month, m.credits])).toEqual([['2026-03', 0n], ['2026-04', 500n]])
    expect(paris.months[1]!.lines[0]!.date).toBe('2026-04-01')
    const utc = accountStatement(ledger, W, { from: '2026-03-01', to: '2026-04-30', timeZone: 'UTC' })
    expect(utc.months.map((m) => m.credits)).toEqual([500n, 0n])
  })

  it('refuses a range that ends before it starts, naming the field', () => {
    const ledger = ledgerWith([])
    try {
      accountStatement(ledger, W, { from: '2026-03-31', to: '2026-03-01', timeZone: 'Europe/Paris' })
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e) && e.code).toBe('INVALID_INPUT')
      expect((e as Error).message).toContain('statement.to: from must not be after to')
    }
  })
})
