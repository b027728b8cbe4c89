import { describe, expect, it } from 'vitest'
import { applyTransfers } from './apply-transfers'
import { createLedger, openAccounts } from './ledger-state'
import { LedgerAccountSchema } from './account'
import { standardLedgerAccounts } from './standard-accounts'
import { listWalletBalances } from './wallet-balances'

describe('standardLedgerAccounts', () => {
  it('opens the system accounts of each office and a wallet per guardian x office x compartment, general first', () => {
    const accounts = standardLedgerAccounts({
      currency: 'EUR',
      billingOffices: [{ id: 'o1', serviceIds: ['canteen', 'daycare'] }, { id: 'o2' }],
      guardians: [{ guardianId: 'g1', billingOfficeIds: ['o1', 'o2'] }],
      compartments: ['trips'],
    })
    expect(accounts.map((a) => a.id)).toEqual([
      'system:bankClearing:o1', 'system:cash:o1', 'system:refunds:o1', 'system:directDebitClearing:o1', 'system:writeOff:o1',
      'system:revenue:o1:canteen', 'system:revenue:o1:daycare',
      'system:bankClearing:o2', 'system:cash:o2', 'system:refunds:o2', 'system:directDebitClearing:o2', 'system:writeOff:o2',
      'wallet:g1:o1:general', 'wallet:g1:o1:trips', 'wallet:g1:o2:general', 'wallet:g1:o2:trips',
    ])
    expect(accounts.filter((a) => a.kind === 'system').every((a) => a.overdraft.kind === 'unbounded')).toBe(true)
    expect(accounts.filter((a) => a.kind === 'wallet').every((a) => a.overdraft.kind === 'none')).toBe(true)
  })

  it('refuses a guardian billed by an office not listed, naming the field', () => {
    expect(() => standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: 'o1' }], guardians: [{ guardianId: 'g1', billingOfficeIds: ['o9'] }] })).toThrow(
      /standardAccounts\.guardians\.0\.billingOfficeIds\.0/,
    )
  })
})

describe('listWalletBalances', () => {
  it('lists debtor and creditor wallets filtered by billing office and compartment', () => {
    const ledger = createLedger()
    openAccounts(ledger, standardLedgerAccounts({
      currency: 'EUR', billingOffices: [{ id: 'o1', serviceIds: ['canteen'] }, { id: 'o2' }],
      guardians: [{ guardianId: 'a', billingOfficeIds: ['o1', 'o2'] }, { guardianId: 'b', billingOfficeIds: ['o1'] }, { guardianId: 'c', billingOfficeIds: ['o1'] }],
      compartments: ['trips'], walletOverdraft: { kind: 'limit', limit: '2000' },
    }))
    const now = new Date('2026-03-02T08:00:00Z')
    applyTransfers(ledger, [
      { id: '1', debitAccountId: 'system:bankClearing:o1', creditAccountId: 'wallet:a:o1:general', amount: 1000n, code: 'topUp', timestamp: now },
      { id: '2', debitAccountId: 'wallet:b:o1:general', creditAccountId: 'system:revenue:o1:canteen', amount: 415n, code: 'booking', timestamp: now },
      { id: '3', debitAccountId: 'wallet:c:o1:general', creditAccountId: 'system:revenue:o1:canteen', amount: 300n, code: 'booking', flags: { pending: true }, timestamp: now },
      { id: '4', debitAccountId: 'system:bankClearing:o2', creditAccountId: 'wallet:a:o2:general', amount: 1n, code: 'topUp', timestamp: now },
    ], now)
    const ids = (f: Parameters<typeof listWalletBalances>[1]) => listWalletBalances(ledger, f).map((w) => w.account.id)
    expect(ids({ position: 'creditor', billingOfficeId: 'o1' })).toEqual(['wallet:a:o1:general'])
    expect(ids({ position: 'debtor', billingOfficeId: 'o1', compartment: 'general' })).toEqual(['wallet:b:o1:general', 'wallet:c:o1:general'])
    // on posted balances, the booking still pending does not make c a debtor
    expect(ids({ position: 'debtor', basis: 'posted' })).toEqual(['wallet:b:o1:general'])
    expect(ids({ position: 'zero', compartment: 'trips', billingOfficeId: 'o1' })).toEqual(['wallet:a:o1:trips', 'wallet:b:o1:trips', 'wallet:c:o1:trips'])
    expect(listWalletBalances(ledger, { guardianId: 'b', compartment: 'general' })[0]!.balance.available).toBe(-415n)
  })
})

describe('LedgerAccountSchema', () => {
  it('opens a wallet sent as JSON, in the general compartment with no overdraft unless told', () => {
    const ledger = createLedger()
    const wallet = LedgerAccountSchema.parse({ id: 'w1', kind: 'wallet', guardianId: 'g1', billingOfficeId: 'o1', currency: 'EUR', lowBalanceThreshold: '500' })
    expect(openAccounts(ledger, [wallet])).toEqual([{ id: 'w1', status: 'created' }])
    expect(wallet).toEqual({ id: 'w1', kind: 'wallet', guardianId: 'g1', billingOfficeId: 'o1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' }, lowBalanceThreshold: 500n })
    expect(LedgerAccountSchema.safeParse({ id: 'w2', kind: 'wallet', guardianId: 'g1', billingOfficeId: 'o1', currency: 'EUR', overdraft: { kind: 'limit', limit: '-5' } }).success).toBe(false)
  })
})
