import { fc, test } from '@fast-check/vitest'
import {
  accountStatement, addDays, applyTransfers, createLedger, openAccounts, systemAccountId, walletAccountId, type LedgerAccount, type LedgerTransfer, type LocalDate,
} from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { expect } from 'vitest'
import { readAccountStatement } from './index'

const siteId = 'site-1'
const wallet = walletAccountId('g-1', 'office-1')
const revenue = systemAccountId('revenue', 'office-1', 'cantine')
const clearing = systemAccountId('bankClearing', 'office-1')
const accounts: LedgerAccount[] = [
  { id: wallet, kind: 'wallet', guardianId: 'g-1', billingOfficeId: 'office-1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } },
  { id: revenue, kind: 'system', role: 'revenue', billingOfficeId: 'office-1', serviceId: 'cantine', currency: 'EUR', overdraft: { kind: 'unbounded' } },
  { id: clearing, kind: 'system', role: 'bankClearing', billingOfficeId: 'office-1', currency: 'EUR', overdraft: { kind: 'unbounded' } },
]
const START = Date.UTC(2026, 0, 1)
const HOUR = 3_600_000

/** One step of a family's wallet: money in, a booking reserved, a reservation posted (served) or voided (cancelled), a direct spend. */
const step = fc.record({
  kind: fc.constantFrom('topUp', 'book', 'post', 'void', 'spend'),
  amount: fc.integer({ min: 1, max: 5_000 }),
  hours: fc.integer({ min: 1, max: 96 }),
  pick: fc.nat(),
})

test.prop([fc.array(step, { maxLength: 40 }), fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 90 }), fc.constantFrom('Europe/Paris', 'Pacific/Apia', 'UTC')])(
  'the statement read from the store is the statement the core ledger computes over the same transfers (opening, months, lines, running balance, reservations)',
  async (steps, fromDay, length, zone) => {
    const storage = createMemoryStorage()
    await storage.ledger!.createAccounts(siteId, accounts)
    const ledger = createLedger()
    openAccounts(ledger, accounts)
    let at = START
    const open: string[] = []
    for (const [i, s] of steps.entries()) {
      at += s.hours * HOUR
      const timestamp = new Date(at)
      let t: LedgerTransfer
      if (s.kind === 'topUp') t = { id: `t${i}`, debitAccountId: clearing, creditAccountId: wallet, amount: BigInt(s.amount), code: 'topUp', timestamp }
      else if (s.kind === 'spend' ) t = { id: `t${i}`, debitAccountId: wallet, creditAccountId: revenue, amount: BigInt(s.amount), code: 'booking', timestamp }
      else if (s.kind === 'book') t = { id: `t${i}`, debitAccountId: wallet, creditAccountId: revenue, amount: BigInt(s.amount), code: 'booking', flags: { pending: true }, timestamp, links: { bookingId: `b${i}` } }
      else {
        const pendingId = open.splice(s.pick % Math.max(open.length, 1), 1)[0]
        if (pendingId === undefined) continue
        const pending = (await storage.ledger!.getTransfer(siteId, pendingId))!.transfer
        t = { id: `t${i}`, debitAccountId: wallet, creditAccountId: revenue, amount: pending.amount, code: 'booking', flags: s.kind === 'post' ? { post: true } : { void: true }, pendingId, timestamp }
      }
      const [stored] = await storage.ledger!.createTransfers(siteId, [t], timestamp)
      const [pure] = applyTransfers(ledger, [t], timestamp)
      expect(stored!.status).toBe(pure!.status)
      if (stored!.status === 'created' && t.flags?.pending === true) open.push(t.id)
    }
    const from = addDays('2026-01-01' as LocalDate, fromDay)
    const to = addDays(from, length)
    const read = await readAccountStatement(storage, siteId, wallet, { from, to, timeZone: zone })
    expect(read).toEqual(accountStatement(ledger, wallet, { from, to, timeZone: zone }))
    for (const m of read.months) expect(m.opening + m.credits - m.debits).toBe(m.closing)
  },
)
