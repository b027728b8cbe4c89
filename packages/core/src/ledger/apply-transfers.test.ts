import { describe, expect, it } from 'vitest'
import {
  applyTransfers,
  availableBalance,
  balanceAt,
  createLedger,
  expirePendingTransfers,
  getAccountBalance,
  getFailedTransfer,
  getTransferRecord,
  ledgerTotals,
  linkTransfers,
  openAccounts,
  postPendingTransfer,
  reverseTransfer,
  transferDifferences,
  voidPendingTransfer,
  type LedgerAccount,
  type LedgerState,
  type LedgerTransfer,
} from '../index'

const BANK = 'system:bankClearing:o1'
const REVENUE = 'system:revenue:o1:canteen'
const W1 = 'wallet:g1:o1:general'
const W1_TRIPS = 'wallet:g1:o1:trips'
const W2 = 'wallet:g2:o1:general'
const now = new Date('2026-03-02T08:00:00Z')
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000)

const wallet = (id: string, guardianId: string, compartment: string, overdraft: LedgerAccount['overdraft'] = { kind: 'none' }): LedgerAccount => ({
  id, kind: 'wallet', guardianId, billingOfficeId: 'o1', compartment, currency: 'EUR', overdraft,
})

function site(): LedgerState {
  const ledger = createLedger()
  openAccounts(ledger, [
    { id: BANK, kind: 'system', role: 'bankClearing', billingOfficeId: 'o1', currency: 'EUR', overdraft: { kind: 'unbounded' } },
    { id: REVENUE, kind: 'system', role: 'revenue', billingOfficeId: 'o1', serviceId: 'canteen', currency: 'EUR', overdraft: { kind: 'unbounded' } },
    wallet(W1, 'g1', 'general'),
    wallet(W1_TRIPS, 'g1', 'trips'),
    wallet(W2, 'g2', 'general', { kind: 'limit', limit: 1000n }),
    { id: 'system:bankClearing:chf', kind: 'system', role: 'bankClearing', billingOfficeId: 'chf', currency: 'CHF', overdraft: { kind: 'unbounded' } },
  ])
  return ledger
}

const tr = (id: string, debitAccountId: string, creditAccountId: string, amount: bigint, over: Partial<LedgerTransfer> = {}): LedgerTransfer => ({
  id, debitAccountId, creditAccountId, amount, code: 'topUp', timestamp: now, ...over,
})
const topUp = (id: string, to: string, amount: bigint) => tr(id, BANK, to, amount)
const meal = (id: string, from: string, amount: bigint, over: Partial<LedgerTransfer> = {}) => tr(id, from, REVENUE, amount, { code: 'booking', ...over })

describe('applyTransfers', () => {
  it('moves the amount from the debit account to the credit account, debits equal to credits', () => {
    const ledger = site()
    expect(applyTransfers(ledger, [topUp('t1', W1, 2000n), meal('m1', W1, 415n)], now)).toEqual([
      { id: 't1', status: 'created' },
      { id: 'm1', status: 'created' },
    ])
    expect(getAccountBalance(ledger, W1)).toEqual({
      accountId: W1, currency: 'EUR', debitsPosted: 415n, creditsPosted: 2000n, debitsPending: 0n, creditsPending: 0n, posted: 1585n, available: 1585n,
    })
    expect(getAccountBalance(ledger, BANK).posted).toBe(-2000n)
    expect(getAccountBalance(ledger, REVENUE).posted).toBe(415n)
    const [eur] = ledgerTotals(ledger).filter((t) => t.currency === 'EUR')
    expect(eur!.debitsPosted).toBe(2415n)
    expect(eur!.creditsPosted).toBe(2415n)
  })

  it('refuses a debit that would take a no-overdraft wallet below zero, and the id stays failed', () => {
    const ledger = site()
    applyTransfers(ledger, [topUp('t1', W1, 400n)], now)
    expect(applyTransfers(ledger, [meal('m1', W1, 415n)], now)).toEqual([{ id: 'm1', status: 'failed', code: 'EXCEEDS_BALANCE', fields: ['amount'] }])
    applyTransfers(ledger, [topUp('t2', W1, 100n)], now)
    // the wallet could now pay, but a failed id stays failed
    expect(applyTransfers(ledger, [meal('m1', W1, 415n)], now)).toEqual([{ id: 'm1', status: 'failed', code: 'ID_ALREADY_FAILED', fields: ['id'] }])
    expect(getFailedTransfer(ledger, 'm1')).toBe('EXCEEDS_BALANCE')
    expect(availableBalance(ledger, W1)).toBe(500n)
  })

  it('lets a wallet with a 10.00 EUR overdraft limit go down to -10.00 EUR and no further', () => {
    const ledger = site()
    expect(applyTransfers(ledger, [meal('m1', W2, 600n), meal('m2', W2, 400n), meal('m3', W2, 1n)], now).map((r) => r.status)).toEqual(['created', 'created', 'failed'])
    expect(availableBalance(ledger, W2)).toBe(-1000n)
  })

  it('answers exists for the same id and fields, even at a later timestamp, and changes nothing', () => {
    const ledger = site()
    const t = topUp('t1', W1, 2000n)
    applyTransfers(ledger, [t], now)
    expect(applyTransfers(ledger, [{ ...t, timestamp: at(5) }], at(5))).toEqual([{ id: 't1', status: 'exists' }])
    expect(availableBalance(ledger, W1)).toBe(2000n)
  })

  it('recognises every id of a large batch when it is replayed', () => {
    const ledger = site()
    const batch = Array.from({ length: 10_000 }, (_, i) => topUp(`bank-entry-${i}`, i % 2 ? W1 : W2, 1n))
    expect(applyTransfers(ledger, batch, now).every((r) => r.status === 'created')).toBe(true)
    expect(applyTransfers(ledger, batch.map((t) => ({ ...t })), now).every((r) => r.status === 'exists')).toBe(true)
    expect(availableBalance(ledger, W1) + availableBalance(ledger, W2)).toBe(10_000n)
  })

  it('refuses an id reused with other fields, naming them', () => {
    const ledger = site()
    applyTransfers(ledger, [topUp('t1', W1, 2000n)], now)
    expect(applyTransfers(ledger, [{ ...topUp('t1', W2, 2500n), links: { bankEntryRef: 'X' } }], now)).toEqual([
      { id: 't1', status: 'failed', code: 'EXISTS_WITH_DIFFERENT_FIELDS', fields: ['creditAccountId', 'amount', 'links.bankEntryRef'] },
    ])
    expect(transferDifferences(topUp('a', W1, 1n), { ...topUp('a', W1, 1n), flags: { pending: true }, memo: 'x' })).toEqual(['flags.pending', 'memo'])
  })

  it('applies a linked chain all or nothing; the failing transfer is recorded, the others may be retried', () => {
    const ledger = site()
    const chain = linkTransfers([topUp('c1', W1, 500n), meal('c2', W1, 300n), meal('c3', W1, 300n)])
    expect(applyTransfers(ledger, chain, now)).toEqual([
      { id: 'c1', status: 'failed', code: 'LINKED_EVENT_FAILED' },
      { id: 'c2', status: 'failed', code: 'LINKED_EVENT_FAILED' },
      { id: 'c3', status: 'failed', code: 'EXCEEDS_BALANCE', fields: ['amount'] },
    ])
    expect(getAccountBalance(ledger, W1).creditsPosted).toBe(0n)
    expect(getTransferRecord(ledger, 'c1')).toBeUndefined()
    expect(getFailedTransfer(ledger, 'c1')).toBeUndefined()
    expect(getFailedTransfer(ledger, 'c3')).toBe('EXCEEDS_BALANCE')
    expect(applyTransfers(ledger, [topUp('c1', W1, 500n)], now)).toEqual([{ id: 'c1', status: 'created' }])
  })

  it('refuses a batch whose last transfer is still linked (chain left open)', () => {
    const ledger = site()
    const open = [topUp('o1', W1, 1n, ), { ...topUp('o2', W1, 1n), flags: { linked: true } }]
    open[0] = { ...open[0]!, flags: { linked: true } }
    expect(applyTransfers(ledger, open, now)).toEqual([
      { id: 'o1', status: 'failed', code: 'LINKED_EVENT_FAILED' },
      { id: 'o2', status: 'failed', code: 'LINKED_EVENT_CHAIN_OPEN' },
    ])
    expect(availableBalance(ledger, W1)).toBe(0n)
  })

  it('names the missing account, refuses a transfer to itself, a zero amount and two currencies', () => {
    const ledger = site()
    expect(applyTransfers(ledger, [
      tr('a', 'nope', W1, 1n),
      tr('b', W1, W1, 1n),
      tr('c', BANK, W1, 0n),
      tr('d', 'system:bankClearing:chf', W1, 1n),
      tr('e', BANK, W1, 1n, { currency: 'CHF' }),
    ], now)).toEqual([
      { id: 'a', status: 'failed', code: 'ACCOUNT_NOT_FOUND', fields: ['debitAccountId'] },
      { id: 'b', status: 'failed', code: 'ACCOUNTS_MUST_BE_DIFFERENT', fields: ['debitAccountId', 'creditAccountId'] },
      { id: 'c', status: 'failed', code: 'AMOUNT_MUST_BE_POSITIVE', fields: ['amount'] },
      { id: 'd', status: 'failed', code: 'CURRENCY_MISMATCH', fields: ['currency'] },
      { id: 'e', status: 'failed', code: 'CURRENCY_MISMATCH', fields: ['currency'] },
    ])
  })

  it('refuses an amount past 2^51 minor units instead of losing a cent', () => {
    const ledger = site()
    expect(applyTransfers(ledger, [topUp('big', W1, 2n ** 53n + 1n)], now)).toEqual([{ id: 'big', status: 'failed', code: 'AMOUNT_OVERFLOWS', fields: ['amount'] }])
    expect(applyTransfers(ledger, [topUp('max', W1, 2n ** 51n), topUp('one-more', W1, 1n)], now).map((r) => r.status)).toEqual(['created', 'failed'])
    expect(availableBalance(ledger, W1)).toBe(2n ** 51n)
  })
})

describe('pending transfers (bookings)', () => {
  it('reserves at once, posts at most once, and posting less releases the rest', () => {
    const ledger = site()
    applyTransfers(ledger, [topUp('t1', W1, 1000n)], now)
    const booking = meal('b1', W1, 415n, { flags: { pending: true } })
    applyTransfers(ledger, [booking], now)
    expect(getAccountBalance(ledger, W1)).toMatchObject({ posted: 1000n, debitsPending: 415n, available: 585n })
    expect(getAccountBalance(ledger, REVENUE)).toMatchObject({ creditsPending: 415n, posted: 0n })
    const served = postPendingTransfer(booking, { id: 'p1', timestamp: at(60), amount: 400n })
    expect(applyTransfers(ledger, [served], at(60))).toEqual([{ id: 'p1', status: 'created' }])
    expect(getAccountBalance(ledger, W1)).toMatchObject({ posted: 600n, debitsPending: 0n, available: 600n })
    expect(applyTransfers(ledger, [postPendingTransfer(booking, { id: 'p2', timestamp: at(61) })], at(61))).toEqual([
      { id: 'p2', status: 'failed', code: 'PENDING_ALREADY_RESOLVED', fields: ['pendingId'] },
    ])
    expect(applyTransfers(ledger, [voidPendingTransfer(booking, { id: 'v1', timestamp: at(62) })], at(62))[0]).toMatchObject({ code: 'PENDING_ALREADY_RESOLVED' })
    expect(getTransferRecord(ledger, 'b1')).toMatchObject({ pendingStatus: 'posted', resolvedById: 'p1' })
  })

  it('refuses a booking the available balance cannot cover, counting earlier reservations', () => {
    const ledger = site()
    applyTransfers(ledger, [topUp('t1', W1, 800n), meal('b1', W1, 415n, { flags: { pending: true } })], now)
    expect(applyTransfers(ledger, [meal('b2', W1, 415n, { flags: { pending: true } })], now)[0]).toMatchObject({ code: 'EXCEEDS_BALANCE' })
  })

  it('releases a booking at its expiry: it can no longer be posted, and balances at earlier instants still show it', () => {
    const ledger = site()
    applyTransfers(ledger, [topUp('t1', W1, 1000n), meal('b1', W1, 415n, { flags: { pending: true }, expiresAt: at(30) })], now)
    expect(expirePendingTransfers(ledger, at(29))).toEqual([])
    expect(availableBalance(ledger, W1)).toBe(585n)
    const late = postPendingTransfer(meal('b1', W1, 415n), { id: 'p1', timestamp: at(30) })
    expect(applyTransfers(ledger, [late], at(30))).toEqual([{ id: 'p1', status: 'failed', code: 'PENDING_EXPIRED', fields: ['pendingId'] }])
    expect(availableBalance(ledger, W1)).toBe(1000n)
    expect(getTransferRecord(ledger, 'b1')?.pendingStatus).toBe('expired')
    expect(balanceAt(ledger, W1, at(10)).available).toBe(585n)
    expect(balanceAt(ledger, W1, at(30)).available).toBe(1000n)
  })

  it('refuses an expiry on a posted transfer, or one already past', () => {
    const ledger = site()
    applyTransfers(ledger, [topUp('t1', W1, 1000n)], now)
    expect(applyTransfers(ledger, [
      meal('x1', W1, 1n, { expiresAt: at(5) }),
      meal('x2', W1, 1n, { flags: { pending: true }, expiresAt: now }),
      meal('x3', W1, 1n, { flags: { pending: true, post: true } }),
      meal('x4', W1, 1n, { flags: { post: true } }),
      meal('x5', W1, 1n, { pendingId: 't1' }),
      meal('x6', W1, 1n, { flags: { void: true }, pendingId: 'nope' }),
      meal('x7', W1, 1n, { flags: { void: true }, pendingId: 't1' }),
    ], now).map((r) => (r.status === 'failed' ? r.code : r.status))).toEqual([
      'EXPIRY_NOT_ALLOWED', 'EXPIRY_NOT_IN_FUTURE', 'FLAGS_ARE_MUTUALLY_EXCLUSIVE', 'PENDING_ID_REQUIRED', 'PENDING_ID_NOT_ALLOWED',
      'PENDING_TRANSFER_NOT_FOUND', 'PENDING_TRANSFER_NOT_PENDING',
    ])
  })

  it('refuses a void for another amount or account than the reservation, naming the fields', () => {
    const ledger = site()
    const booking = meal('b1', W1, 415n, { flags: { pending: true } })
    applyTransfers(ledger, [topUp('t1', W1, 1000n), booking], now)
    const wrong = { ...voidPendingTransfer(booking, { id: 'v1', timestamp: now }), amount: 400n, creditAccountId: BANK }
    expect(applyTransfers(ledger, [wrong], now)).toEqual([{ id: 'v1', status: 'failed', code: 'PENDING_TRANSFER_MISMATCH', fields: ['creditAccountId', 'amount'] }])
  })
})

describe('corrections', () => {
  it('reverses a posted transfer with a new transfer, never more than its amount in total', () => {
    const ledger = site()
    const t = topUp('t1', W1, 2000n)
    applyTransfers(ledger, [t], now)
    const part = reverseTransfer(t, { id: 'fix1', timestamp: at(1), amount: 500n, memo: 'typo' })
    expect(part).toMatchObject({ debitAccountId: W1, creditAccountId: BANK, code: 'correction', reversesId: 't1' })
    expect(applyTransfers(ledger, [part], at(1))).toEqual([{ id: 'fix1', status: 'created' }])
    expect(applyTransfers(ledger, [reverseTransfer(t, { id: 'fix2', timestamp: at(2) })], at(2))[0]).toMatchObject({ code: 'REVERSAL_EXCEEDS_ORIGINAL' })
    expect(applyTransfers(ledger, [reverseTransfer(t, { id: 'fix3', timestamp: at(3), amount: 1500n })], at(3))[0]).toEqual({ id: 'fix3', status: 'created' })
    expect(availableBalance(ledger, W1)).toBe(0n)
    expect(getTransferRecord(ledger, 't1')).toMatchObject({ reversedAmount: 2000n, transfer: t })
  })

  it('refuses a reversal whose accounts are not those of the original swapped, or of a reservation', () => {
    const ledger = site()
    const booking = meal('b1', W1, 100n, { flags: { pending: true } })
    applyTransfers(ledger, [topUp('t1', W1, 2000n), booking], now)
    expect(applyTransfers(ledger, [
      tr('r1', W2, BANK, 1n, { code: 'correction', reversesId: 't1' }),
      tr('r2', REVENUE, W1, 1n, { code: 'correction', reversesId: 'b1' }),
      tr('r3', W1, BANK, 1n, { code: 'correction', reversesId: 'nope' }),
    ], now).map((r) => (r.status === 'failed' ? [r.code, r.fields] : r.status))).toEqual([
      ['REVERSAL_MISMATCH', ['debitAccountId']],
      ['REVERSAL_NOT_ALLOWED', ['reversesId']],
      ['REVERSED_TRANSFER_NOT_FOUND', ['reversesId']],
    ])
  })
})

describe('compartment transfers', () => {
  it('moves money between two compartments of one guardian, and refuses it between two guardians', () => {
    const ledger = site()
    applyTransfers(ledger, [topUp('t1', W1, 1000n)], now)
    expect(applyTransfers(ledger, [
      tr('m1', W1, W1_TRIPS, 300n, { code: 'compartmentTransfer' }),
      tr('m2', W1, W2, 300n, { code: 'compartmentTransfer' }),
    ], now).map((r) => r.status === 'failed' ? r.code : r.status)).toEqual(['created', 'COMPARTMENT_TRANSFER_MISMATCH'])
    expect([availableBalance(ledger, W1), availableBalance(ledger, W1_TRIPS)]).toEqual([700n, 300n])
  })
})
