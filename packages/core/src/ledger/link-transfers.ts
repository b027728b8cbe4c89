import type { LedgerTransfer } from './transfer'
import { asInputError } from '../input-error'

/**
 * Copies of `transfers` chained with `flags.linked` (every one but the last), so that
 * `applyTransfers` applies them all or none.
 *
 * @example
 * linkTransfers([a, b, c]).map((t) => t.flags?.linked ?? false) //=> [true, true, false]
 */
export function linkTransfers(transfers: readonly LedgerTransfer[]): LedgerTransfer[] {
  try {
    return transfers.map((t, i) => ({ ...t, flags: { ...t.flags, linked: i < transfers.length - 1 } }))
  } catch (error) {
    throw asInputError(error, 'linkTransfers', { transfers: [transfers, 'array', 'the ledger transfers'] })
  }
}
