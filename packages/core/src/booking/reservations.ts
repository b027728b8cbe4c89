import { resolvePrepared } from '../billing'
import type { MinorAmount } from '../money'
import { toEpochDay, type LocalDate } from '../time'
import { shares } from './check-booking'
import { lookup } from './check-booking'
import { bookingStateOf, type BookingContext, type BookingContextState } from './booking-context'
import { asInputError } from '../input-error'

/** One amount to reserve in a payer's wallet for a prepaid booking (a pending ledger transfer). */
export interface BookingReservation {
  /** The payer whose wallet is debited. */
  guardianId: string
  /** The payer's share of the price, in minor units of the office's currency. */
  amount: MinorAmount
}

/**
 * The amounts a prepaid-basket booking reserves at once, one per payer of the billing rule
 * covering the day (the price split by the rule's integer weights, largest remainder): record
 * each as a pending ledger transfer when the booking is written, post it when the day is served
 * (`postPendingTransfer`), void it when the booking is cancelled before the cancellation cut-off
 * (`voidPendingTransfer`). A payer whose share is zero (weighted 0) reserves nothing and is left
 * out. Empty for an invoiced service, or a day no rule covers (which `checkBooking` refuses).
 *
 * @example
 * bookingReservations(ctx, { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-03-09' })
 * //=> [{ guardianId: 'mum', amount: { minor: 208n, currency: 'EUR' } }, { guardianId: 'dad', amount: { minor: 207n, currency: 'EUR' } }]
 * @throws EcoleError `UNKNOWN_CHILD`, `UNKNOWN_SERVICE`, `INVALID_INPUT`.
 */
export function bookingReservations(prepared: BookingContext, booking: { beneficiaryId: string; serviceId: string; date: LocalDate }): BookingReservation[] {
  try {
    const context = bookingStateOf(prepared)
    const [child, svc] = lookup(context, booking.beneficiaryId, booking.serviceId)
    if (!svc.prepaid) return []
    const res = resolvePrepared(context.rules, child.id, svc.id, toEpochDay(booking.date))
    if (res.status !== 'billed') return []
    const parts = shares(svc.priceMinor, res.debtors)
    // a payer weighted 0 has a zero share: nothing to reserve (the ledger refuses a 0.00 transfer)
    return res.debtors.flatMap((d, i) => ((parts[i] as number) === 0 ? [] : [{ guardianId: d.guardianId, amount: { minor: BigInt(parts[i] as number), currency: context.currency } }]))
  } catch (error) {
    throw asInputError(error, 'bookingReservations', { prepared: [prepared, 'object', 'a prepared booking context'], booking: [booking, 'object', 'the booking'] })
  }
}
