import { fc, test } from '@fast-check/vitest'
import { ledgerAccountsArb, ledgerAmountArb, postedTransfersArb } from '@ecole/testing'
import { expect } from 'vitest'
import {
  accountTransfers,
  applyTransfers,
  balanceAt,
  createLedger,
  expirePendingTransfers,
  getAccountBalance,
  getTransferRecord,
  ledgerTotals,
  linkTransfers,
  listLedgerAccounts,
  openAccounts,
  postPendingTransfer,
  reverseTransfer,
  voidPendingTransfer,
  type LedgerAccount,
  type LedgerState,
  type LedgerTransfer,
  type TransferResult,
  type WalletAccount,
} from '../index'

// ---------------------------------------------------------------------------------------------
// A small, independent model of the ledger: a list of accepted transfers and the rules written
// plainly (balances are folds over that list, recomputed from scratch every time).
// ---------------------------------------------------------------------------------------------

const T0 = Date.UTC(2026, 2, 2, 7)
const BANK = 'system:bankClearing:o1'
const REVENUE = 'system:revenue:o1:canteen'

const POOL: WalletAccount[] = [
  { id: 'wallet:g1:o1:general', kind: 'wallet', guardianId: 'g1', billingOfficeId: 'o1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } },
  { id: 'wallet:g1:o1:trips', kind: 'wallet', guardianId: 'g1', billingOfficeId: 'o1', compartment: 'trips', currency: 'EUR', overdraft: { kind: 'limit', limit: 500n } },
  { id: 'wallet:g2:o1:general', kind: 'wallet', guardianId: 'g2', billingOfficeId: 'o1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } },
  { id: 'wallet:g2:o1:trips', kind: 'wallet', guardianId: 'g2', billingOfficeId: 'o1', compartment: 'trips', currency: 'EUR', overdraft: { kind: 'none' } },
]
const SYSTEM: LedgerAccount[] = [
  { id: BANK, kind: 'system', role: 'bankClearing', billingOfficeId: 'o1', currency: 'EUR', overdraft: { kind: 'unbounded' } },
  { id: REVENUE, kind: 'system', role: 'revenue', billingOfficeId: 'o1', serviceId: 'canteen', currency: 'EUR', overdraft: { kind: 'unbounded' } },
]

type Kind = 'single' | 'pending' | 'post' | 'void'
interface Accepted {
  t: LedgerTransfer
  kind: Kind
  status?: 'pending' | 'posted' | 'voided' | 'expired'
}
interface ModelBalance {
  dPosted: bigint
  cPosted: bigint
  dPending: bigint
  cPending: bigint
}

class Model {
  now = T0
  nextId = 0
  open = new Map<string, LedgerAccount>(SYSTEM.map((a) => [a.id, a]))
  accepted: Accepted[] = []
  failed = new Map<string, string>()
  /** Every transfer submitted, for replays. */
  submitted: LedgerTransfer[] = []

  id(prefix: string): string {
    return `${prefix}-${this.nextId++}`
  }
  find(id: string): Accepted | undefined {
    return this.accepted.find((a) => a.t.id === id)
  }
  kindOf(t: LedgerTransfer): Kind {
    return t.flags?.pending ? 'pending' : t.flags?.post ? 'post' : t.flags?.void ? 'void' : 'single'
  }
  balance(accountId: string): ModelBalance {
    const b: ModelBalance = { dPosted: 0n, cPosted: 0n, dPending: 0n, cPending: 0n }
    for (const a of this.accepted) {
      const posted = a.kind === 'single' || a.kind === 'post'
      const reserving = a.kind === 'pending' && a.status === 'pending'
      if (a.t.debitAccountId === accountId) {
        if (posted) b.dPosted += a.t.amount
        if (reserving) b.dPending += a.t.amount
      }
      if (a.t.creditAccountId === accountId) {
        if (posted) b.cPosted += a.t.amount
        if (reserving) b.cPending += a.t.amount
      }
    }
    return b
  }
  available(accountId: string): bigint {
    const b = this.balance(accountId)
    return b.cPosted - b.dPosted - b.dPending
  }
  expire(): void {
    for (const a of this.accepted) {
      if (a.kind === 'pending' && a.status === 'pending' && a.t.expiresAt !== undefined && a.t.expiresAt.getTime() <= this.now) a.status = 'expired'
    }
  }
  /** The refusal the rules call for, or undefined when the transfer is accepted. */
  judge(t: LedgerTransfer): string | undefined {
    const debit = this.open.get(t.debitAccountId)
    if (!debit || !this.open.get(t.creditAccountId)) return 'ACCOUNT_NOT_FOUND'
    const kind = this.kindOf(t)
    if (kind === 'post' || kind === 'void') {
      const p = this.find(t.pendingId!)!
      if (p.status === 'expired') return 'PENDING_EXPIRED'
      if (p.status !== 'pending') return 'PENDING_ALREADY_RESOLVED'
      return undefined
    }
    if (t.reversesId !== undefined) {
      const original = this.find(t.reversesId)!
      const reversed = this.accepted.filter((a) => a.t.reversesId === t.reversesId).reduce((s, a) => s + a.t.amount, 0n)
      if (t.amount > original.t.amount - reversed) return 'REVERSAL_EXCEEDS_ORIGINAL'
    }
    const policy = debit.overdraft
    if (policy.kind !== 'unbounded') {
      const floor = policy.kind === 'limit' ? -policy.limit : 0n
      if (this.available(debit.id) - t.amount < floor) return 'EXCEEDS_BALANCE'
    }
    return undefined
  }
  accept(t: LedgerTransfer): void {
    const kind = this.kindOf(t)
    this.accepted.push(kind === 'pending' ? { t, kind, status: 'pending' } : { t, kind })
    if (kind === 'post' || kind === 'void') this.find(t.pendingId!)!.status = kind === 'post' ? 'posted' : 'voided'
  }
  /** Expected results of a batch (single transfers or one linked chain). */
  submit(batch: LedgerTransfer[]): TransferResult[] {
    this.submitted.push(...batch)
    const chained = batch.length > 1
    const snapshot = { accepted: this.accepted.map((a) => ({ ...a })) }
    const results: TransferResult[] = []
    for (const t of batch) {
      const previous = this.find(t.id)
      if (previous) {
        results.push({ id: t.id, status: 'exists' })
        continue
      }
      if (this.failed.has(t.id)) {
        results.push({ id: t.id, status: 'failed', code: 'ID_ALREADY_FAILED' })
        if (chained) break
        continue
      }
      const refusal = this.judge(t)
      if (refusal === undefined) {
        this.accept(t)
        results.push({ id: t.id, status: 'created' })
      } else {
        this.failed.set(t.id, refusal)
        results.push({ id: t.id, status: 'failed', code: refusal as 'EXCEEDS_BALANCE' })
        if (chained) break
      }
    }
    if (chained && results.some((r) => r.status === 'failed')) {
      this.accepted = snapshot.accepted
      const failedAt = results.findIndex((r) => r.status === 'failed')
      return batch.map((t, i) => (i === failedAt ? results[i]! : { id: t.id, status: 'failed', code: 'LINKED_EVENT_FAILED' }))
    }
    return results
  }
}

interface Real {
  ledger: LedgerState
}

function statusCode(results: TransferResult[]): Array<{ id: string; status: string; code?: string }> {
  return results.map((r) => (r.status === 'failed' ? { id: r.id, status: r.status, code: r.code } : { id: r.id, status: r.status }))
}

/** Runs a batch on both sides, compares the outcomes, then checks every invariant. */
function submitBoth(m: Model, r: Real, batch: LedgerTransfer[]): TransferResult[] {
  const expected = m.submit(batch)
  const actual = applyTransfers(r.ledger, batch, new Date(m.now))
  expect(statusCode(actual)).toEqual(statusCode(expected))
  return actual
}

function checkInvariants(m: Model, r: Real): void {
  // total debits equal total credits, posted and pending
  for (const t of ledgerTotals(r.ledger)) {
    expect(t.debitsPosted).toBe(t.creditsPosted)
    expect(t.debitsPending).toBe(t.creditsPending)
  }
  const resolutions = new Map<string, number>()
  const seen = new Set<string>()
  for (const account of listLedgerAccounts(r.ledger)) {
    // every balance equals the fold of its transfers (the model's list, recomputed)
    const b = getAccountBalance(r.ledger, account.id)
    const mb = m.balance(account.id)
    expect([b.debitsPosted, b.creditsPosted, b.debitsPending, b.creditsPending]).toEqual([mb.dPosted, mb.cPosted, mb.dPending, mb.cPending])
    expect(b.available).toBe(mb.cPosted - mb.dPosted - mb.dPending)
    // and the ledger's own fold of the account's history up to now agrees
    expect(balanceAt(r.ledger, account.id, new Date(m.now))).toEqual(b)
    // no wallet goes below its overdraft policy
    if (account.overdraft.kind === 'none') expect(b.available >= 0n).toBe(true)
    if (account.overdraft.kind === 'limit') expect(b.available >= -account.overdraft.limit).toBe(true)
    for (const t of accountTransfers(r.ledger, account.id)) {
      if (seen.has(t.id)) continue
      seen.add(t.id)
      if (t.pendingId !== undefined) resolutions.set(t.pendingId, (resolutions.get(t.pendingId) ?? 0) + 1)
    }
  }
  // each pending transfer resolves at most once, and its state is the model's
  for (const count of resolutions.values()) expect(count).toBe(1)
  for (const a of m.accepted) {
    if (a.kind === 'pending') expect(getTransferRecord(r.ledger, a.t.id)?.pendingStatus).toBe(a.status)
  }
  expect(seen.size).toBe(m.accepted.length)
}

type Cmd = fc.Command<Model, Real>

function command(name: string, body: (m: Model, r: Real) => void, check: (m: Model) => boolean = () => true): Cmd {
  return {
    check,
    run(m, r) {
      m.now += 60_000
      m.expire()
      expirePendingTransfers(r.ledger, new Date(m.now))
      body(m, r)
      checkInvariants(m, r)
    },
    toString: () => name,
  }
}

const walletIndex = fc.nat({ max: POOL.length - 1 })
const amount = ledgerAmountArb(3_000n)

const commands = [
  walletIndex.map((w) =>
    command(`open(${POOL[w]!.id})`, (m, r) => {
      const wallet = POOL[w]!
      const [result] = openAccounts(r.ledger, [wallet])
      expect(result!.status).toBe(m.open.has(wallet.id) ? 'exists' : 'created')
      m.open.set(wallet.id, wallet)
    }),
  ),
  fc.tuple(walletIndex, amount).map(([w, a]) =>
    command(`topUp(${POOL[w]!.id}, ${a})`, (m, r) => {
      const t: LedgerTransfer = { id: m.id('top'), debitAccountId: BANK, creditAccountId: POOL[w]!.id, amount: a, code: 'topUp', timestamp: new Date(m.now) }
      submitBoth(m, r, [t])
    }),
  ),
  fc.tuple(walletIndex, amount, fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined })).map(([w, a, expiry]) =>
    command(`book(${POOL[w]!.id}, ${a}, expires in ${expiry ?? '-'} min)`, (m, r) => {
      const t: LedgerTransfer = {
        id: m.id('book'), debitAccountId: POOL[w]!.id, creditAccountId: REVENUE, amount: a, code: 'booking', flags: { pending: true },
        timestamp: new Date(m.now), links: { bookingId: `b${m.nextId}` },
      }
      if (expiry !== undefined) t.expiresAt = new Date(m.now + expiry * 60_000)
      submitBoth(m, r, [t])
    }),
  ),
  fc.tuple(fc.nat(), fc.boolean()).map(([k, partial]) =>
    command(`post(#${k}${partial ? ', partial' : ''})`, (m, r) => {
      const pendings = m.accepted.filter((a) => a.kind === 'pending')
      const p = pendings[k % pendings.length]!.t
      const t = postPendingTransfer(p, { id: m.id('post'), timestamp: new Date(m.now), amount: partial && p.amount > 1n ? p.amount / 2n : undefined })
      submitBoth(m, r, [t])
    }, (m) => m.accepted.some((a) => a.kind === 'pending')),
  ),
  fc.nat().map((k) =>
    command(`void(#${k})`, (m, r) => {
      const pendings = m.accepted.filter((a) => a.kind === 'pending')
      const p = pendings[k % pendings.length]!.t
      submitBoth(m, r, [voidPendingTransfer(p, { id: m.id('void'), timestamp: new Date(m.now) })])
    }, (m) => m.accepted.some((a) => a.kind === 'pending')),
  ),
  fc.tuple(fc.nat(), fc.option(amount, { nil: undefined })).map(([k, a]) =>
    command(`reverse(#${k}, ${a ?? 'all'})`, (m, r) => {
      const posted = m.accepted.filter((x) => x.kind === 'single' || x.kind === 'post')
      const original = posted[k % posted.length]!.t
      submitBoth(m, r, [reverseTransfer(original, { id: m.id('fix'), timestamp: new Date(m.now), amount: a })])
    }, (m) => m.accepted.some((x) => x.kind === 'single' || x.kind === 'post')),
  ),
  fc.tuple(fc.nat(), fc.boolean()).map(([k, sameTime]) =>
    command(`replay(#${k})`, (m, r) => {
      const original = m.submitted[k % m.submitted.length]!
      // a retry comes later: same id and fields, another timestamp (ignored by idempotency); a
      // transfer of a chain is retried on its own (flags.linked is ignored by idempotency too)
      const alone = original.flags?.linked ? { ...original, flags: { ...original.flags, linked: false } } : original
      const again = sameTime ? alone : { ...alone, timestamp: new Date(m.now) }
      const before = listLedgerAccounts(r.ledger).map((a) => getAccountBalance(r.ledger, a.id))
      const [result] = submitBoth(m, r, [again])
      const after = listLedgerAccounts(r.ledger).map((a) => getAccountBalance(r.ledger, a.id))
      // only a transfer rolled back with its chain (LINKED_EVENT_FAILED, never recorded) may apply on retry
      if (result!.status !== 'created') expect(after).toEqual(before)
      else expect(m.submitted.filter((t) => t.id === again.id).length).toBeGreaterThan(1)
    }, (m) => m.submitted.length > 0),
  ),
  fc.tuple(fc.constantFrom('g1', 'g2'), fc.boolean(), amount).map(([g, toTrips, a]) =>
    command(`compartment(${g}, ${toTrips ? 'general->trips' : 'trips->general'}, ${a})`, (m, r) => {
      const general = `wallet:${g}:o1:general`
      const trips = `wallet:${g}:o1:trips`
      const t: LedgerTransfer = {
        id: m.id('move'), debitAccountId: toTrips ? general : trips, creditAccountId: toTrips ? trips : general, amount: a,
        code: 'compartmentTransfer', timestamp: new Date(m.now),
      }
      submitBoth(m, r, [t])
    }),
  ),
  fc.tuple(walletIndex, walletIndex, amount, amount).map(([w1, w2, a1, a2]) =>
    command(`chain(topUp ${POOL[w1]!.id} ${a1}, debit ${POOL[w2]!.id} ${a2})`, (m, r) => {
      const batch = linkTransfers([
        { id: m.id('ctop'), debitAccountId: BANK, creditAccountId: POOL[w1]!.id, amount: a1, code: 'topUp', timestamp: new Date(m.now) },
        { id: m.id('cdeb'), debitAccountId: POOL[w2]!.id, creditAccountId: REVENUE, amount: a2, code: 'booking', timestamp: new Date(m.now) },
      ])
      submitBoth(m, r, batch)
    }),
  ),
  fc.tuple(fc.nat(), fc.boolean(), walletIndex, amount).map(([k, post, w, a]) =>
    command(`chain(${post ? 'post' : 'void'} #${k}, debit ${POOL[w]!.id} ${a})`, (m, r) => {
      const pendings = m.accepted.filter((x) => x.kind === 'pending')
      const p = pendings[k % pendings.length]!.t
      const resolve = post ? postPendingTransfer(p, { id: m.id('cpost'), timestamp: new Date(m.now) }) : voidPendingTransfer(p, { id: m.id('cvoid'), timestamp: new Date(m.now) })
      const fee: LedgerTransfer = { id: m.id('cfee'), debitAccountId: POOL[w]!.id, creditAccountId: REVENUE, amount: a, code: 'booking', timestamp: new Date(m.now) }
      submitBoth(m, r, linkTransfers([resolve, fee]))
    }, (m) => m.accepted.some((x) => x.kind === 'pending')),
  ),
]

test.prop([fc.commands(commands, { maxCommands: 80, size: 'large' })], { numRuns: 150 })(
  'the ledger behaves like its model: debits equal credits, balances fold their transfers, no wallet overdraws, pendings resolve once, replays change nothing',
  (cmds) => {
    const ledger = createLedger()
    // three wallets open from the start; the fourth (g2's trips compartment) only once a command opens it
    const initial = POOL.slice(0, 3)
    openAccounts(ledger, [...SYSTEM, ...initial])
    const model = new Model()
    for (const w of initial) model.open.set(w.id, w)
    fc.modelRun(() => ({ model, real: { ledger } }), cmds)
  },
  60_000, // the model recomputes every balance from scratch after each command: slow on a busy machine
)

test.prop([ledgerAccountsArb().chain((accounts) => fc.tuple(fc.constant(accounts), postedTransfersArb(accounts.map((a) => a.id))))])(
  'credits to a wallet commute: top-ups applied in any order give the same balances',
  ([accounts, transfers]) => {
    const wallets = accounts.filter((a) => a.kind === 'wallet')
    const topUps = transfers.map((t, i) => ({ ...t, debitAccountId: accounts[0]!.id, creditAccountId: wallets[i % wallets.length]!.id, code: 'topUp' as const }))
    const forward = createLedger()
    const backward = createLedger()
    openAccounts(forward, accounts)
    openAccounts(backward, accounts)
    const now = new Date('2026-03-03T00:00:00Z')
    applyTransfers(forward, topUps, now)
    applyTransfers(backward, [...topUps].reverse(), now)
    for (const a of accounts) expect(getAccountBalance(forward, a.id)).toEqual(getAccountBalance(backward, a.id))
  },
)

test.prop([ledgerAccountsArb().chain((accounts) => fc.tuple(fc.constant(accounts), postedTransfersArb(accounts.map((a) => a.id))))])(
  'replaying a whole batch changes nothing and answers exists or ID_ALREADY_FAILED for each transfer',
  ([accounts, transfers]) => {
    const ledger = createLedger()
    openAccounts(ledger, accounts)
    const now = new Date('2026-03-03T00:00:00Z')
    const first = applyTransfers(ledger, transfers, now)
    const before = accounts.map((a) => getAccountBalance(ledger, a.id))
    const second = applyTransfers(ledger, transfers.map((t) => ({ ...t })), now)
    expect(accounts.map((a) => getAccountBalance(ledger, a.id))).toEqual(before)
    second.forEach((r, i) => {
      const firstOutcome = first[i]!
      if (firstOutcome.status === 'created') expect(r).toEqual({ id: firstOutcome.id, status: 'exists' })
      else expect(r).toMatchObject({ status: 'failed', code: 'ID_ALREADY_FAILED' })
    })
  },
)
