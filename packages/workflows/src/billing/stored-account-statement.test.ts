import { isEcoleError, systemAccountId, walletAccountId } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { readAccountStatement } from './index'

const siteId = 'site-1'
const wallet = walletAccountId('g-1', 'office-1')
const clearing = systemAccountId('bankClearing', 'office-1')

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string } | undefined> {
  try { await p } catch (e) { return isEcoleError(e) ? { code: e.code, message: e.message } : { code: String(e), message: '' } }
  return undefined
}

describe('readAccountStatement: a stored wallet month by month', () => {
  async function storage() {
    const s = createMemoryStorage()
    await s.ledger!.createAccounts(siteId, [
      { id: wallet, kind: 'wallet', guardianId: 'g-1', billingOfficeId: 'office-1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } },
      { id: clearing, kind: 'system', role: 'bankClearing', billingOfficeId: 'office-1', currency: 'EUR', overdraft: { kind: 'unbounded' } },
    ])
    // 20.00 on 31 January at 23:30 UTC, 1 February at 00:30 in Paris: a February movement in Paris, a January one in UTC
    await s.ledger!.createTransfers(siteId, [{ id: 'in-1', debitAccountId: clearing, creditAccountId: wallet, amount: 2000n, code: 'topUp', timestamp: new Date('2027-01-31T23:30:00Z') }], new Date('2027-02-01T00:00:00Z'))
    await s.ledger!.createTransfers(siteId, [{ id: 'in-2', debitAccountId: clearing, creditAccountId: wallet, amount: 500n, code: 'topUp', timestamp: new Date('2027-02-03T09:00:00Z') }], new Date('2027-02-03T09:00:00Z'))
    return s
  }

  it("reads each movement on its date in the site's zone (a late-evening UTC top-up is February's in Paris, January's in UTC), and carries the running balance on each line", async () => {
    const s = await storage()
    const feb = await readAccountStatement(s, siteId, wallet, { from: '2027-02-01', to: '2027-02-28', timeZone: 'Europe/Paris' })
    expect(feb.opening).toBe(0n)
    expect(feb.months.map((m) => [m.month, m.opening, m.credits, m.debits, m.closing])).toEqual([['2027-02', 0n, 2500n, 0n, 2500n]])
    expect(feb.months[0]!.lines.map((l) => [l.transferId, l.date, l.balance])).toEqual([['in-1', '2027-02-01', 2000n], ['in-2', '2027-02-03', 2500n]])
    const utc = await readAccountStatement(s, siteId, wallet, { from: '2027-02-01', to: '2027-02-28', timeZone: 'UTC' })
    expect(utc.opening).toBe(2000n)
    expect(utc.months[0]!.lines.map((l) => l.transferId)).toEqual(['in-2'])
  })

  it('refuses a range whose end is before its start naming the field, and an unknown account (ACCOUNT_NOT_FOUND)', async () => {
    const s = await storage()
    const bad = await codeOf(readAccountStatement(s, siteId, wallet, { from: '2027-02-28', to: '2027-02-01', timeZone: 'Europe/Paris' }))
    expect(bad?.code).toBe('INVALID_INPUT')
    expect(bad?.message).toContain('to')
    expect((await codeOf(readAccountStatement(s, siteId, 'wallet:nobody:office-1:general', { from: '2027-02-01', to: '2027-02-28', timeZone: 'UTC' })))?.code).toBe('ACCOUNT_NOT_FOUND')
    expect((await codeOf(readAccountStatement(s, 'other-site', wallet, { from: '2027-02-01', to: '2027-02-28', timeZone: 'UTC' })))?.code).toBe('ACCOUNT_NOT_FOUND')
  })
})
