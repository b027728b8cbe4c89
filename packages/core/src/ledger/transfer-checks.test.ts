import { describe, expect, it } from 'vitest'
import type { LedgerAccount } from './account'
import { transferCheckFailure } from './transfer-checks'

const now = new Date('2027-01-10T08:00:00Z')
const general: LedgerAccount = { id: 'w-g1', kind: 'wallet', guardianId: 'g1', billingOfficeId: 'regie', compartment: 'Compartiment général', currency: 'EUR', overdraft: { kind: 'none' } }
const snack: LedgerAccount = { ...general, id: 'w-g1-snack', compartment: 'Goûter' }
const other: LedgerAccount = { ...general, id: 'w-g2', guardianId: 'g2' }
const bank: LedgerAccount = { id: 'bank', kind: 'system', role: 'bankClearing', billingOfficeId: 'regie', currency: 'EUR', overdraft: { kind: 'unbounded' } }
const base = { id: 't1', debitAccountId: 'bank', creditAccountId: 'w-g1', amount: 1000n, code: 'topUp' as const, timestamp: now }

describe('transferCheckFailure (the checks every ledger shares)', () => {
  it('passes a plain top-up from the bank to a wallet', () => {
    expect(transferCheckFailure(base, bank, general)).toBeNull()
  })
  it('refuses a zero amount, naming the amount', () => {
    expect(transferCheckFailure({ ...base, amount: 0n }, bank, general)).toEqual({ code: 'AMOUNT_MUST_BE_POSITIVE', fields: ['amount'] })
  })
  it('names each missing account', () => {
    expect(transferCheckFailure(base, undefined, undefined)).toEqual({ code: 'ACCOUNT_NOT_FOUND', fields: ['debitAccountId', 'creditAccountId'] })
  })
  it('refuses a post without the pending transfer it posts', () => {
    expect(transferCheckFailure({ ...base, flags: { post: true } }, bank, general)).toEqual({ code: 'PENDING_ID_REQUIRED', fields: ['pendingId'] })
  })
  it('allows a compartment transfer only between wallets of one guardian and office', () => {
    expect(transferCheckFailure({ ...base, debitAccountId: 'w-g1', creditAccountId: 'w-g1-snack', code: 'compartmentTransfer' }, general, snack)).toBeNull()
    expect(transferCheckFailure({ ...base, debitAccountId: 'w-g1', creditAccountId: 'w-g2', code: 'compartmentTransfer' }, general, other)?.code).toBe('COMPARTMENT_TRANSFER_MISMATCH')
  })
})
