import type { LedgerTransfer } from './transfer'

/**
 * Copies of `transfers` chained with `flags.linked` (every one but the last), so that
 * `applyTransfers` applies them all or none.
 *
 * @example
 * linkTransfers([a, b, c]).map((t) => t.flags?.linked ?? false) //=> [true, true, false]
 */
export function linkTransfers(transfers: readonly LedgerTransfer[]): LedgerTransfer[] {
  return transfers.map((t, i) => ({ ...t, flags: { ...t.flags, linked: i < transfers.length - 1 } }))
}
