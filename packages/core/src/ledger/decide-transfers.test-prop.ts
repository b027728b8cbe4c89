import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LedgerAccount } from './account'
import { applyTransfers } from './apply-transfers'
import { decideTransferBatches, decideTransfers, type LedgerWorkingInput } from './decide-transfers'
import { getAccountBalance, getFailedTransfer, getTransferRecord } from './ledger-queries'
import { createLedger, openAccounts, type LedgerState } from './ledger-state'
import type { LedgerTransfer } from './transfer'
import type { LedgerTransferRecord } from './transfer-record'

const now = new Date('2026-03-02T08:00:00Z')
const wallet: LedgerAccount = { id: 'w', kind: 'wallet', guardianId: 'g', billingOfficeId: 'o', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } }
const capped: LedgerAccount = { ...wallet, id: 'c', compartment: 'trips', overdraft: { kind: 'limit', limit: 300n } }
const bank: LedgerAccount = { id: 'b', kind: 'system', role: 'bankClearing', billingOfficeId: 'o', currency: 'EUR', overdraft: { kind: 'unbounded' } }
const revenue: LedgerAccount = { id: 'r', kind: 'system', role: 'revenue', billingOfficeId: 'o', serviceId: 's', currency: 'EUR', overdraft: { kind: 'unbounded' } }
const ACCOUNTS = [wallet, capped, bank, revenue]
const IDS = ['t0', 't1', 't2', 't3', 't4', 't5']

function ledgerWith(accounts: readonly LedgerAccount[]): LedgerState {
  const ledger = createLedger()
  openAccounts(ledger, accounts)
  return ledger
}

/** What a storage adapter would read for a batch, taken from an in-memory ledger. */
function inputFrom(ledger: LedgerState, ids: readonly string[]): LedgerWorkingInput {
  return {
    accounts: ACCOUNTS.map((account) => {
      const b = getAccountBalance(ledger, account.id)
      return { account, debitsPosted: b.debitsPosted, creditsPosted: b.creditsPosted, debitsPending: b.debitsPending, creditsPending: b.creditsPending }
    }),
    transfers: ids.flatMap((id) => {
      const r = getTransferRecord(ledger, id)
      return r === undefined ? [] : [r]
    }),
    failed: ids.flatMap((id) => {
      const code = getFailedTransfer(ledger, id)
      return code === undefined ? [] : [[id, code] as const]
    }),
  }
}

const walletId = fc.constantFrom('w', 'c')
const amount = fc.integer({ min: 1, max: 6 }).map((n) => BigInt(n * 100))
const id = fc.constantFrom(...IDS)
const linked = fc.integer({ min: 0, max: 3 }).map((n) => (n === 0 ? { linked: true } : {}))

const transferArb: fc.Arbitrary<LedgerTransfer> = fc.oneof(
  fc.record({ id, w: walletId, amount, l: linked }).map(({ id, w, amount, l }) => ({ id, debitAccountId: 'b', creditAccountId: w, amount, code: 'topUp' as const, timestamp: now, flags: l })),
  fc.record({ id, w: walletId, amount, l: linked }).map(({ id, w, amount, l }) => ({ id, debitAccountId: w, creditAccountId: 'r', amount, code: 'booking' as const, timestamp: now, flags: l })),
  fc.record({ id, w: walletId, amount, l: linked }).map(({ id, w, amount, l }) => ({ id, debitAccountId: w, creditAccountId: 'r', amount, code: 'booking' as const, timestamp: now, flags: { ...l, pending: true } })),
  fc.record({ id, w: walletId, amount, l: linked, p: id, post: fc.boolean() }).map(({ id, w, amount, l, p, post }) => ({
    id, debitAccountId: w, creditAccountId: 'r', amount, code: 'booking' as const, timestamp: now, flags: post ? { ...l, post: true } : { ...l, void: true }, pendingId: p,
  })),
  fc.record({ id, w: walletId, amount, r: id }).map(({ id, w, amount, r }) => ({ id, debitAccountId: 'r', creditAccountId: w, amount, code: 'correction' as const, timestamp: now, reversesId: r })),
)

describe('decideTransfers', () => {
  it('judges a batch in order: a debit from an empty wallet is refused even when a top-up of the same amount follows', () => {
    const ledger = ledgerWith(ACCOUNTS)
    const debit: LedgerTransfer = { id: 'debit', debitAccountId: 'w', creditAccountId: 'r', amount: 500n, code: 'booking', timestamp: now }
    const topUp: LedgerTransfer = { id: 'top-up', debitAccountId: 'b', creditAccountId: 'w', amount: 500n, code: 'topUp', timestamp: now }
    const { results, changes } = decideTransfers(inputFrom(ledger, []), [debit, topUp], now)
    expect(results).toEqual([
      { id: 'debit', status: 'failed', code: 'EXCEEDS_BALANCE', fields: ['amount'] },
      { id: 'top-up', status: 'created' },
    ])
    expect(changes.created.map((r) => r.transfer.id)).toEqual(['top-up'])
    expect(changes.failures).toEqual([{ id: 'debit', code: 'EXCEEDS_BALANCE' }])
    expect(changes.accounts.map((a) => [a.account.id, a.creditsPosted, a.debitsPosted])).toEqual([
      ['w', 500n, 0n],
      ['b', 0n, 500n],
    ])
    expect(changes.changed).toEqual([])
  })

  it('gives the results of applyTransfers, and a change set that brings what was read to the state applyTransfers leaves', () => {
    fc.assert(
      fc.property(fc.array(transferArb, { maxLength: 6 }), fc.array(transferArb, { minLength: 1, maxLength: 6 }), (history, batch) => {
        const ledger = ledgerWith(ACCOUNTS)
        applyTransfers(ledger, history, now)
        const input = inputFrom(ledger, IDS)
        const { results, changes } = decideTransfers(input, batch, now)
        expect(results).toEqual(applyTransfers(ledger, batch, now))
        // the read state with the change set applied is the ledger's new state
        const totals = new Map([...input.accounts].map((a) => [a.account.id, a]))
        for (const a of changes.accounts) totals.set(a.account.id, a)
        for (const account of ACCOUNTS) {
          const b = getAccountBalance(ledger, account.id)
          expect(totals.get(account.id)).toMatchObject({ debitsPosted: b.debitsPosted, creditsPosted: b.creditsPosted, debitsPending: b.debitsPending, creditsPending: b.creditsPending })
        }
        const records = new Map<string, LedgerTransferRecord>([...input.transfers].map((r) => [r.transfer.id, r]))
        for (const r of [...changes.changed, ...changes.created]) records.set(r.transfer.id, r)
        const failed = new Map([...input.failed])
        for (const f of changes.failures) failed.set(f.id, f.code)
        for (const i of IDS) {
          expect(records.get(i)).toEqual(getTransferRecord(ledger, i))
          expect(failed.get(i)).toBe(getFailedTransfer(ledger, i))
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('decideTransferBatches (concurrent callers written together)', () => {
  it('gives each batch the results applyTransfers gives it when the batches are applied one after the other, each with its own now, and one change set for them all', () => {
    const later = new Date(now.getTime() + 60_000)
    const batchArb = fc.record({ batch: fc.array(transferArb, { minLength: 1, maxLength: 4 }), now: fc.constantFrom(now, later) })
    fc.assert(
      fc.property(fc.array(transferArb, { maxLength: 6 }), fc.array(batchArb, { minLength: 1, maxLength: 5 }), (history, batches) => {
        const ledger = ledgerWith(ACCOUNTS)
        applyTransfers(ledger, history, now)
        const input = inputFrom(ledger, IDS)
        const { results, changes } = decideTransferBatches(input, batches)
        expect(results).toEqual(batches.map((b) => applyTransfers(ledger, b.batch, b.now)))
        const totals = new Map([...input.accounts].map((a) => [a.account.id, a]))
        for (const a of changes.accounts) totals.set(a.account.id, a)
        for (const account of ACCOUNTS) {
          const b = getAccountBalance(ledger, account.id)
          expect(totals.get(account.id)).toMatchObject({ debitsPosted: b.debitsPosted, creditsPosted: b.creditsPosted, debitsPending: b.debitsPending, creditsPending: b.creditsPending })
        }
        const failed = new Map([...input.failed])
        for (const f of changes.failures) failed.set(f.id, f.code)
        for (const i of IDS) expect(failed.get(i)).toBe(getFailedTransfer(ledger, i))
      }),
      { numRuns: 300 },
    )
  })

  it('keeps a chain left open at the end of one batch out of the next batch (LINKED_EVENT_CHAIN_OPEN for it alone)', () => {
    const ledger = ledgerWith(ACCOUNTS)
    const open: LedgerTransfer = { id: 'open', debitAccountId: 'b', creditAccountId: 'w', amount: 100n, code: 'topUp', timestamp: now, flags: { linked: true } }
    const next: LedgerTransfer = { id: 'next', debitAccountId: 'b', creditAccountId: 'w', amount: 100n, code: 'topUp', timestamp: now }
    const { results } = decideTransferBatches(inputFrom(ledger, []), [{ batch: [open], now }, { batch: [next], now }])
    expect(results).toEqual([[{ id: 'open', status: 'failed', code: 'LINKED_EVENT_CHAIN_OPEN' }], [{ id: 'next', status: 'created' }]])
  })
})
