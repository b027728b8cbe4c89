import {
  applyTransfers,
  createLedger,
  expirePendingTransfers,
  getAccountBalance,
  getFailedTransfer,
  getTransferRecord,
  isRecordedFailure,
  openAccounts,
  recordFailedTransfers,
  type LedgerAccount,
  type LedgerState,
  type LedgerTransfer,
  type TransferFailureCode,
  type TransferResult,
} from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ledgerFixture } from './ledger'
import { freshSiteId, need, type ConformanceContext } from './support'

/**
 * Sequences of the ledger model run per adapter: 1,000 by default (CI), or
 * `ECOLE_LEDGER_MODEL_RUNS` (e.g. 50000 for a nightly run). `ECOLE_LEDGER_MODEL_SEED` replays a
 * reported failure with fast-check's seed.
 */
function modelRuns(): number {
  const raw = typeof process === 'undefined' ? undefined : process.env['ECOLE_LEDGER_MODEL_RUNS']
  const n = raw === undefined || raw === '' ? 1000 : Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`[ecole] ECOLE_LEDGER_MODEL_RUNS must be a whole number >= 1, got ${JSON.stringify(raw)}`)
  return n
}

function modelSeed(): number | undefined {
  const raw = typeof process === 'undefined' ? undefined : process.env['ECOLE_LEDGER_MODEL_SEED']
  return raw === undefined || raw === '' ? undefined : Number(raw)
}

const { wallet, bank, revenue } = ledgerFixture()
/** A second wallet of the same guardian that may go 3.00 below zero. */
const capped: LedgerAccount = { ...wallet, id: 'wallet:g-1:o-1:trips', compartment: 'trips', overdraft: { kind: 'limit', limit: 300n } } as LedgerAccount
const ACCOUNTS = [wallet, capped, bank, revenue]
const WALLETS = [wallet.id, capped.id]
/** Transfer ids are drawn from a few keys, so that ids are often reused: replays, conflicts, failed ids. */
const KEYS = 8
/** The id of key `k` (`t0`, `t1`...): keys below {@link KEYS} for small batches, up to {@link BULK_KEYS} for bulk ones. */
const idOf = (k: number): string => `t${k}`
/**
 * Keys of the transfers of bulk batches (more than 16 transfers: the size where an adapter may take
 * another path, as the PostgreSQL one does): mostly new ids, sometimes one met before.
 */
const BULK_KEYS = 64

/** One transfer of a generated batch (accounts and ids by index). @internal */
export type ModelTransfer =
  | { kind: 'topUp'; key: number; wallet: number; amount: number; linked: boolean }
  | { kind: 'debit'; key: number; wallet: number; amount: number; linked: boolean }
  | { kind: 'reserve'; key: number; wallet: number; amount: number; expiresInMin: number | null; linked: boolean }
  | { kind: 'post' | 'void'; key: number; wallet: number; pendingKey: number; amount: number; linked: boolean }
  | { kind: 'reverse'; key: number; wallet: number; reversesKey: number; amount: number; linked: boolean }

/**
 * One step: a batch at top level, one or two batches in a transaction that commits or rolls back
 * (its recorded failures stay), a replay of an earlier step, time passing, or balances read at
 * `now` (which releases expired reservations). @internal
 */
export type LedgerModelCommand =
  | { kind: 'batches'; mode: 'top' | 'commit' | 'rollBack'; batches: ModelTransfer[][] }
  | { kind: 'replay'; step: number }
  | { kind: 'wait'; minutes: number }
  | { kind: 'balances' }

const key = fc.integer({ min: 0, max: KEYS - 1 })
const walletIndex = fc.integer({ min: 0, max: 1 })
const amount = fc.integer({ min: 1, max: 6 }).map((n) => n * 100)
/** A quarter of the transfers link to the next one (chains, some left open at the end of a batch). */
const linkedArb = fc.integer({ min: 0, max: 3 }).map((n) => n === 0)

const modelTransferArb: fc.Arbitrary<ModelTransfer> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('topUp' as const), key, wallet: walletIndex, amount, linked: linkedArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('debit' as const), key, wallet: walletIndex, amount, linked: linkedArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('reserve' as const), key, wallet: walletIndex, amount, expiresInMin: fc.option(fc.integer({ min: 1, max: 90 }), { nil: null }), linked: linkedArb,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('post' as const, 'void' as const), key, wallet: walletIndex, pendingKey: key, amount, linked: linkedArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), key, wallet: walletIndex, reversesKey: key, amount, linked: linkedArb }) },
)

const batchArb = fc.array(modelTransferArb, { minLength: 1, maxLength: 5 })

const bulkKey = fc.integer({ min: 0, max: BULK_KEYS - 1 })
/** Transfers of a bulk batch: top-ups, debits and reservations, some posts and voids, with chains. */
const bulkTransferArb: fc.Arbitrary<ModelTransfer> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('topUp' as const), key: bulkKey, wallet: walletIndex, amount, linked: linkedArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('debit' as const), key: bulkKey, wallet: walletIndex, amount, linked: linkedArb }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('reserve' as const), key: bulkKey, wallet: walletIndex, amount, expiresInMin: fc.option(fc.integer({ min: 1, max: 90 }), { nil: null }), linked: linkedArb,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('post' as const, 'void' as const), key: bulkKey, wallet: walletIndex, pendingKey: bulkKey, amount, linked: linkedArb }) },
)
/** A bulk batch: 17 to 24 transfers. */
const bulkArb = fc.array(bulkTransferArb, { minLength: 17, maxLength: 24 })
/**
 * A bulk batch of top-ups with ids not used by small batches, all different (a bank statement's
 * credits): every transfer is created unless a replay meets it, the case an adapter may write on a
 * faster path (the PostgreSQL one decides it over the totals it knows and loads it with COPY).
 */
const bulkTopUpsArb: fc.Arbitrary<ModelTransfer[]> = fc
  .uniqueArray(fc.record({ key: fc.integer({ min: KEYS, max: BULK_KEYS - 1 }), wallet: walletIndex, amount }), { minLength: 17, maxLength: 24, selector: (t) => t.key })
  .map((ts) => ts.map((t) => ({ kind: 'topUp' as const, ...t, linked: false })))

/** The commands, as fast-check generates them. @internal */
export const ledgerModelCommandArb: fc.Arbitrary<LedgerModelCommand> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('batches' as const), mode: fc.constant('top' as const), batches: fc.tuple(batchArb) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('batches' as const), mode: fc.constantFrom('commit' as const, 'rollBack' as const), batches: fc.array(batchArb, { minLength: 1, maxLength: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('batches' as const), mode: fc.constantFrom('top' as const, 'top' as const, 'commit' as const, 'rollBack' as const), batches: fc.tuple(bulkArb) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('batches' as const), mode: fc.constant('top' as const), batches: fc.tuple(bulkTopUpsArb) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replay' as const), step: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('balances' as const) }) },
)

/** The transfer a generated one stands for, at `now`. */
function toTransfer(m: ModelTransfer, now: Date): LedgerTransfer {
  const w = WALLETS[m.wallet]!
  const base = { id: idOf(m.key), amount: BigInt(m.amount), timestamp: now }
  const flags = m.linked ? { linked: true } : undefined
  switch (m.kind) {
    case 'topUp':
      return { ...base, debitAccountId: bank.id, creditAccountId: w, code: 'topUp', ...(flags ? { flags } : {}) }
    case 'debit':
      return { ...base, debitAccountId: w, creditAccountId: revenue.id, code: 'booking', ...(flags ? { flags } : {}) }
    case 'reserve':
      return {
        ...base, debitAccountId: w, creditAccountId: revenue.id, code: 'booking', flags: { pending: true, ...flags },
        ...(m.expiresInMin === null ? {} : { expiresAt: new Date(now.getTime() + m.expiresInMin * 60_000) }),
      }
    case 'post':
    case 'void':
      return { ...base, debitAccountId: w, creditAccountId: revenue.id, code: 'booking', flags: { [m.kind]: true, ...flags }, pendingId: idOf(m.pendingKey) }
    case 'reverse':
      return { ...base, debitAccountId: revenue.id, creditAccountId: w, code: 'correction', reversesId: idOf(m.reversesKey), ...(flags ? { flags } : {}) }
    default: {
      const never: never = m
      return never
    }
  }
}

type ModelOp = { kind: 'batch'; batch: LedgerTransfer[]; now: Date } | { kind: 'expire'; now: Date } | { kind: 'fail'; failures: Array<[string, TransferFailureCode]> }

/**
 * The model: the pure engine of `@ecole/core` over the committed history. A transaction that
 * rolls back is applied, then forgotten (the state is rebuilt from the committed history), but the
 * failures it recorded are kept, as the port's contract says.
 */
class EngineModel {
  private readonly log: ModelOp[] = []
  state: LedgerState = EngineModel.fresh()

  private static fresh(): LedgerState {
    const state = createLedger()
    openAccounts(state, ACCOUNTS)
    return state
  }

  private apply(op: ModelOp): TransferResult[] {
    if (op.kind === 'batch') return applyTransfers(this.state, op.batch, op.now)
    if (op.kind === 'expire') expirePendingTransfers(this.state, op.now)
    else recordFailedTransfers(this.state, op.failures)
    return []
  }

  run(batches: LedgerTransfer[][], now: Date, rollBack: boolean): TransferResult[][] {
    const ops: ModelOp[] = batches.map((batch) => ({ kind: 'batch', batch, now }))
    const results = ops.map((op) => this.apply(op))
    if (!rollBack) {
      this.log.push(...ops)
      return results
    }
    const failures: Array<[string, TransferFailureCode]> = []
    for (const r of results.flat()) if (r.status === 'failed' && isRecordedFailure(r.code)) failures.push([r.id, r.code])
    if (failures.length > 0) this.log.push({ kind: 'fail', failures })
    this.state = EngineModel.fresh()
    for (const op of this.log) this.apply(op)
    return results
  }

  expire(now: Date): void {
    const op: ModelOp = { kind: 'expire', now }
    this.log.push(op)
    this.apply(op)
  }
}

const ROLLED_BACK = '[ecole] model: rolled back'

/** Runs a step's batches on the adapter as the command says; the results of each batch. */
async function runOnAdapter(s: StoragePorts, site: string, batches: LedgerTransfer[][], now: Date, mode: 'top' | 'commit' | 'rollBack'): Promise<TransferResult[][]> {
  const results: TransferResult[][] = []
  if (mode === 'top') {
    // one after the other: the model applies them in this order
    for (const b of batches) results.push(await need(s.ledger, 'ledger').createTransfers(site, b, now))
    return results
  }
  const outcome = await s
    .transaction(site, async (tx) => {
      for (const b of batches) results.push(await need(tx.ledger, 'ledger').createTransfers(site, b, now))
      if (mode === 'rollBack') throw new Error(ROLLED_BACK)
    })
    .then(
      () => 'committed',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    )
  expect(outcome).toBe(mode === 'rollBack' ? ROLLED_BACK : 'committed')
  return results
}

const start = new Date('2026-03-02T08:00:00.000Z')

/**
 * The ledger model: every adapter against the engine of `@ecole/core` on random command sequences
 * mixing orders inside a batch, linked chains, pending/post/void with expiries, corrections,
 * transactions that commit or roll back (with failures inside), replays and ids reused with other
 * content. Each step's results and the final balances, transfer records and failed ids must be
 * the engine's. @internal
 */
export function describeLedgerEngineModel(ctx: ConformanceContext): void {
  describe('ledger model: the adapter against the core engine', () => {
    // In chunks of at most CHUNK sequences, each its own test: vitest's worker fails the run when a
    // single test keeps it busy for more than 60 s (its RPC timeout), which 1,000 sequences on PGlite
    // can on a loaded machine.
    const total = modelRuns()
    const seed = modelSeed()
    for (let first = 0; first < total; first += CHUNK) {
      const runs = Math.min(CHUNK, total - first)
      it(`gives the engine's results and final state on random sequences ${first + 1} to ${first + runs} of ${total} (ECOLE_LEDGER_MODEL_RUNS)`, () =>
        checkSequences(ctx, runs, seed === undefined ? undefined : seed + first), 600_000)
    }
  })
}

/** Sequences per test of the model (see describeLedgerEngineModel). */
const CHUNK = 100

async function checkSequences(ctx: ConformanceContext, runs: number, seed: number | undefined): Promise<void> {
  const s = ctx.storage()
  const ledger = need(s.ledger, 'ledger')
  let sequences = 0
  await fc.assert(
    fc.asyncProperty(fc.array(ledgerModelCommandArb, { minLength: 1, maxLength: 6 }), async (commands) => {
      sequences++
      // Let the event loop turn: an embedded database (PGlite) answers through promises alone, and a
      // run that never reaches the poll phase leaves vitest's worker RPC unanswered until it times out.
      await new Promise((resolve) => setTimeout(resolve, 0))
      const site = freshSiteId('engine-model')
      await ledger.createAccounts(site, ACCOUNTS)
      const model = new EngineModel()
      const history: Array<{ batches: LedgerTransfer[][]; mode: 'top' | 'commit' | 'rollBack' }> = []
      const used = new Set<string>()
      let now = start
      let step = 0
      for (const c of commands) {
        step++
        if (c.kind === 'wait') {
          now = new Date(now.getTime() + c.minutes * 60_000)
          continue
        }
        if (c.kind === 'balances') {
          model.expire(now)
          const actual = await ledger.getBalances(site, ACCOUNTS.map((a) => a.id), now)
          expect(actual, `step ${step}: balances at ${now.toISOString()}`).toEqual(ACCOUNTS.map((a) => getAccountBalance(model.state, a.id)))
          continue
        }
        let batches: LedgerTransfer[][]
        let mode: 'top' | 'commit' | 'rollBack'
        if (c.kind === 'replay') {
          if (history.length === 0) continue
          // the same transfers again, later (a retry): same content, another timestamp
          const earlier = history[c.step % history.length]!
          batches = earlier.batches.map((b) => b.map((t) => ({ ...t, timestamp: now })))
          mode = earlier.mode === 'rollBack' ? 'top' : earlier.mode
        } else {
          batches = c.batches.map((b) => b.map((m) => toTransfer(m, now)))
          mode = c.mode
        }
        history.push({ batches, mode })
        for (const b of batches) for (const t of b) used.add(t.id)
        const expected = model.run(batches, now, mode === 'rollBack')
        const actual = await runOnAdapter(s, site, batches, now, mode)
        expect(actual, `step ${step} (${mode}): ${JSON.stringify(batches, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`).toEqual(expected)
      }
      expect(await ledger.getBalances(site, ACCOUNTS.map((a) => a.id)), 'final balances').toEqual(ACCOUNTS.map((a) => getAccountBalance(model.state, a.id)))
      const listed = (await ledger.listTransfers(site, {}, { limit: 1000 })).items
      const records = new Map(listed.map((r) => [r.transfer.id, r]))
      for (const id of used) expect(records.get(id), `final record of ${id}`).toEqual(getTransferRecord(model.state, id))
      // an id never submitted, or created, is not failed in the model: only the others need a query
      for (const id of used) {
        if (records.has(id)) expect(getFailedTransfer(model.state, id), `final failure of ${id}`).toBeUndefined()
        else expect(await ledger.getFailedTransfer(site, id), `final failure of ${id}`).toBe(getFailedTransfer(model.state, id))
      }
    }),
    { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
  )
  expect(sequences).toBeGreaterThanOrEqual(runs)
}
