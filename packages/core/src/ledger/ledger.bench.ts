import { bench, describe } from 'vitest'
import { applyTransfers } from './apply-transfers'
import { getAccountBalance } from './ledger-queries'
import { createLedger, openAccounts, type LedgerState } from './ledger-state'
import { standardLedgerAccounts } from './standard-accounts'
import type { LedgerTransfer } from './transfer'

// A site with 10,000 guardians (one wallet each) and one billing office; a workload of top-ups,
// bookings reserved then served, and direct debits, applied in batches of 8,190 (TigerBeetle's).
const GUARDIANS = 10_000
const BATCH = 8_190
const BANK = 'system:bankClearing:o1'
const REVENUE = 'system:revenue:o1:canteen'
const t0 = Date.UTC(2026, 2, 2, 8)

const accounts = standardLedgerAccounts({
  currency: 'EUR',
  billingOffices: [{ id: 'o1', serviceIds: ['canteen'] }],
  guardians: Array.from({ length: GUARDIANS }, (_, i) => ({ guardianId: `g${i}`, billingOfficeIds: ['o1'] })),
})

function freshLedger(): LedgerState {
  const ledger = createLedger()
  openAccounts(ledger, accounts)
  return ledger
}

function workload(count: number): LedgerTransfer[][] {
  const out: LedgerTransfer[] = []
  const stamp = new Date(t0)
  for (let i = 0; out.length < count; i++) {
    const wallet = `wallet:g${i % GUARDIANS}:o1:general`
    const round = Math.floor(i / GUARDIANS) % 4
    const id = `t${i}`
    if (round === 0) {
      out.push({ id, debitAccountId: BANK, creditAccountId: wallet, amount: 2000n, code: 'topUp', timestamp: stamp })
    } else if (round === 1) {
      out.push({ id, debitAccountId: wallet, creditAccountId: REVENUE, amount: 415n, code: 'booking', flags: { pending: true }, timestamp: stamp })
    } else if (round === 2) {
      out.push({ id, debitAccountId: wallet, creditAccountId: REVENUE, amount: 415n, code: 'booking', flags: { post: true }, pendingId: `t${i - GUARDIANS}`, timestamp: stamp })
    } else {
      out.push({ id, debitAccountId: wallet, creditAccountId: REVENUE, amount: 300n, code: 'booking', timestamp: stamp })
    }
  }
  const batches: LedgerTransfer[][] = []
  for (let i = 0; i < out.length; i += BATCH) batches.push(out.slice(i, i + BATCH))
  return batches
}

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc) {
    gc()
    gc()
  }
  // the transfer index lives in typed arrays, outside the JS heap: count array buffers too
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

/** Warms the JIT up on a throwaway ledger (unreachable once this returns), so that the figure is the steady state. */
function warmUp(): void {
  const warm = freshLedger()
  for (const batch of workload(200_000)) applyTransfers(warm, batch, new Date(t0))
}

function measureThroughput(): void {
  warmUp()
  const count = 1_000_000
  const ledger = freshLedger()
  const batches = workload(count)
  const now = new Date(t0)
  let refused = 0
  // no forced collection before timing: a collection shrinks the heap and the timed run would pay for regrowing it
  const cpu = process.cpuUsage()
  const start = performance.now()
  for (const batch of batches) {
    const results = applyTransfers(ledger, batch, now)
    for (const r of results) if (r.status !== 'created') refused++
  }
  const ms = performance.now() - start
  const used = process.cpuUsage(cpu)
  const cpuMs = (used.user + used.system) / 1000
  const wall = Math.round((count / ms) * 1000)
  const perCpu = Math.round((count / cpuMs) * 1000)
  console.log(
    `[ledger] ${count.toLocaleString('en')} transfers (top-ups, bookings reserved then served, direct debits; 10,000 wallets; batches of ${BATCH}): ` +
      `${perCpu.toLocaleString('en')} transfers per CPU-second on one core (target 1,000,000: ratio ${(perCpu / 1_000_000).toFixed(2)}x); ` +
      `wall clock ${ms.toFixed(0)} ms = ${wall.toLocaleString('en')}/s (lower when the machine is shared); ${refused} refused`,
  )
}

function measureMemory(): void {
  const count = 500_000
  const ledger = freshLedger()
  const beforeInput = heapUsed()
  const batches = workload(count)
  const afterInput = heapUsed()
  const now = new Date(t0)
  for (const batch of batches) applyTransfers(ledger, batch, now)
  const afterApply = heapUsed()
  // keep the ledger and the input alive until after the measurement (or the collector frees them)
  const kept = batches.length + Number(getAccountBalance(ledger, BANK).debitsPosted > 0n)
  const gcNote = (globalThis as { gc?: () => void }).gc ? 'measured after global.gc()' : 'no global.gc (NODE_OPTIONS=--expose-gc for exact figures): heap deltas, approximate'
  console.log(
    `[ledger] memory per transfer (${count.toLocaleString('en')} transfers, ${kept} batches): ${((afterApply - afterInput) / count).toFixed(0)} B kept by the ledger ` +
      `+ ${((afterInput - beforeInput) / count).toFixed(0)} B for the caller's transfer object (${gcNote})`,
  )
}

describe('wallet ledger, in memory', () => {
  measureThroughput()
  measureMemory()
  const batches = workload(100_000)
  const now = new Date(t0)
  bench(
    'openAccounts (10,002 accounts) + applyTransfers (100,000 transfers: top-ups, bookings reserved and served)',
    () => {
      const ledger = freshLedger()
      for (const batch of batches) applyTransfers(ledger, batch, now)
    },
    { iterations: 10, time: 2000 },
  )
})
