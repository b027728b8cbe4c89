import { EcoleError, type BillingRule, type LocalDate } from '@ecole/core'
import type { StorageTransaction } from '@ecole/core/ports'

/** A stored booking as {@link billedBookingIds} reads it (a `StoredBooking` is one). */
export interface BookingToCheck {
  /** The booking's id. */
  id: string
  /** The child. */
  beneficiaryId: string
  /** The service. */
  serviceId: string
  /** The day. */
  date: LocalDate
  /** The first reservation of a prepaid day's chain, when it holds one. */
  reservationTransferId?: string | undefined
}

const chunks = <T>(xs: readonly T[], n = 1000): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n))
  return out
}

/**
 * The ids of those bookings that are already billed, read through `tx`: a prepaid day whose
 * reservation is no longer pending (posted when the day was served: the money is taken), or a day
 * whose charge is on an invoice or a draft (`<payer>|<beneficiary>|<service>|service|<date>`, for
 * any payer of the rules covering the child's service). A billed booking is never cancelled nor
 * removed (by a closure, a week template in replace mode or a family's cancellation): it is
 * corrected with a credit note or a refund. Without a `ledger` (or `invoicing`) port, that half of
 * the rule is not read. @internal
 *
 * @example
 * const billed = await billedBookingIds(tx, [{ id: 'b1', beneficiaryId: 'lea', serviceId: 'lunch', date: '2027-02-18' }])
 * billed.has('b1') //=> true when 18 February is on Léa's invoice
 */
export async function billedBookingIds(tx: StorageTransaction, bookings: readonly BookingToCheck[]): Promise<Set<string>> {
  const billed = new Set<string>()
  if (bookings.length === 0) return billed
  const siteId = tx.siteId
  // a prepaid day whose reservation is no longer pending (posted: the money taken)...
  if (tx.ledger) {
    for (const b of bookings) {
      if (b.reservationTransferId === undefined) continue
      const t = await tx.ledger.getTransfer(siteId, b.reservationTransferId)
      if (t !== undefined && t.pendingStatus !== 'pending') billed.add(b.id)
    }
  }
  // ...or a day on an invoice or a draft: its charge id, for any payer of the rules covering the child's service
  if (tx.invoicing) {
    const directory = tx.directory
    if (directory === undefined) throw new EcoleError('PORT_MISSING', '[ecole] the storage adapter has no directory port, which booking needs', { details: { port: 'directory' } })
    const rules = new Map<string, BillingRule>() // a rule covering children of two chunks comes twice: once here
    for (const ids of chunks([...new Set(bookings.map((b) => b.beneficiaryId))].sort())) for (const r of await directory.listBillingRulesOf(siteId, ids)) rules.set(r.id, r)
    const payersOf = new Map<string, Set<string>>() // '<beneficiary>|<service>' -> the payers of the rules covering it
    for (const r of rules.values()) {
      for (const c of r.covers) {
        const key = `${c.beneficiaryId}|${c.serviceId}`
        const set = payersOf.get(key) ?? new Set<string>()
        for (const p of r.payers) set.add(p.guardianId)
        payersOf.set(key, set)
      }
    }
    const charge = new Map<string, string[]>() // charge id -> the bookings it bills
    for (const b of bookings) {
      for (const g of payersOf.get(`${b.beneficiaryId}|${b.serviceId}`) ?? []) {
        const id = `${g}|${b.beneficiaryId}|${b.serviceId}|service|${b.date}`
        charge.set(id, [...(charge.get(id) ?? []), b.id])
      }
    }
    for (const ids of chunks([...charge.keys()])) for (const id of await tx.invoicing.billedChargeIds(siteId, ids)) for (const b of charge.get(id) ?? []) billed.add(b)
  }
  return billed
}
