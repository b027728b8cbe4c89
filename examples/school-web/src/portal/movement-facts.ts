/**
 * What the portal knows of its wallet's movements, read from the stores: the account on the other
 * side of each (the cash desk, the bank, a service's revenue), the booking a reservation is for
 * (through the transfer's `links.bookingId`, or the booking that records the reservation as its
 * `reservationTransferId`), the payment behind a top-up, the invoice a payment settles. The
 * ledger's memo is never read: it is a note for the back office, not a text for families.
 */
import { addMonths, type LedgerTransfer, type LocalDate } from '@ecole/core'
import type { StoredBooking } from '@ecole/core/ports'
import type { AppContext } from '../compose'
import { page, readAll } from '../read-all'
import { childrenOf } from './family'
import type { MovementFacts } from './movement-text'

/**
 * The first transfer of a day's reservation chain, the one a booking records (`…:0`): a day paid
 * by several payers reserves `…:0`, `…:1`... (`dayReservationChain` of `@ecole/workflows`).
 */
function chainHead(transferId: string): string {
  return /:\d+$/.test(transferId) ? transferId.replace(/:\d+$/, ':0') : transferId
}

/**
 * The facts of the movements `ids` of the wallet `walletId` (a statement's lines and
 * reservations), given every transfer of the wallet (posts and voids carry the id of the
 * reservation they resolve). Bookings are looked for among the guardian's children's bookings of
 * the days `window.from`..`window.to` when the transfer does not name its booking.
 *
 * @example
 * const facts = await movementFacts(ctx, 'resp-21', walletId, transfers, ['payment:recharge-21'], { from: '2026-02-01', to: '2028-02-29' })
 * facts.get('payment:recharge-21') //=> { code: 'topUp', counterRole: 'cash', payment: { method: 'cash', product: 'goûter' } }
 */
export async function movementFacts(
  ctx: AppContext, guardianId: string, walletId: string, transfers: readonly LedgerTransfer[], ids: readonly string[], window: { from: LocalDate; to: LocalDate },
): Promise<Map<string, MovementFacts>> {
  const siteId = ctx.config.siteId
  const storage = ctx.storage
  const byId = new Map(transfers.map((tr) => [tr.id, tr]))
  // a post or a void is described as the reservation it resolves
  const originOf = (tr: LedgerTransfer) => (tr.pendingId !== undefined ? byId.get(tr.pendingId) ?? tr : tr)
  const wanted = ids.flatMap((id) => {
    const tr = byId.get(id)
    return tr ? [{ id, tr, origin: originOf(tr) }] : []
  })

  // the accounts on the other side (a handful: the desk, the bank, the services' revenue)
  const counterIds = [...new Set(wanted.map(({ tr }) => (tr.debitAccountId === walletId ? tr.creditAccountId : tr.debitAccountId)))]
  const counters = new Map((await Promise.all(counterIds.map((id) => storage.ledger!.getAccount(siteId, id)))).flatMap((a) => (a ? [[a.id, a] as const] : [])))

  // bookings: by the transfer's link, else by the reservation they record
  const aboutBooking = wanted.filter(({ tr }) => tr.code === 'booking' || tr.code === 'cancellation')
  const bookings = new Map<string, StoredBooking>()
  for (const { id, tr, origin } of aboutBooking) {
    const bookingId = origin.links?.bookingId ?? tr.links?.bookingId
    const b = bookingId !== undefined && storage.bookings ? await storage.bookings.getBooking(siteId, bookingId) : undefined
    if (b) bookings.set(id, b)
  }
  const children = await childrenOf(ctx, guardianId)
  const unresolved = aboutBooking.filter(({ id }) => !bookings.has(id))
  if (unresolved.length > 0 && storage.bookings) {
    const byReservation = new Map<string, StoredBooking>()
    for (const child of children) {
      const listed = await readAll((a) => storage.bookings!.listBookings(siteId, { from: window.from, to: window.to, beneficiaryId: child.id }, page(a)))
      for (const b of listed) if (b.reservationTransferId !== undefined) byReservation.set(b.reservationTransferId, b)
    }
    for (const { id, origin } of unresolved) {
      const b = byReservation.get(chainHead(origin.id))
      if (b) bookings.set(id, b)
    }
  }

  // names: the site's services, the family's children (another beneficiary read by id: a child or an adult's own meal)
  const services = new Map((await readAll((a) => storage.directory!.listDirectoryRecords(siteId, 'service', page(a)))).map((s) => [s.id, s.name]))
  const names = new Map(children.map((ch) => [ch.id, `${ch.firstName} ${ch.lastName}`]))
  for (const b of bookings.values()) {
    if (names.has(b.beneficiaryId)) continue
    const person = (await storage.directory!.getDirectoryRecord(siteId, 'child', b.beneficiaryId)) ?? (await storage.directory!.getDirectoryRecord(siteId, 'guardian', b.beneficiaryId))
    if (person) names.set(b.beneficiaryId, `${person.firstName} ${person.lastName}`)
  }

  const out = new Map<string, MovementFacts>()
  for (const { id, tr, origin } of wanted) {
    const counter = counters.get(tr.debitAccountId === walletId ? tr.creditAccountId : tr.debitAccountId)
    const facts: MovementFacts = { code: tr.code }
    if (counter?.kind === 'system') facts.counterRole = counter.role
    const booking = bookings.get(id)
    const serviceId = booking?.serviceId ?? (counter?.kind === 'system' ? counter.serviceId : undefined)
    if ((tr.code === 'booking' || tr.code === 'cancellation') && serviceId !== undefined) {
      facts.booking = { service: services.get(serviceId) ?? serviceId, ...(booking ? { beneficiary: names.get(booking.beneficiaryId), date: booking.date } : {}) }
    }
    const paymentId = tr.links?.paymentId ?? origin.links?.paymentId
    if (paymentId !== undefined && storage.payments) {
      const p = await storage.payments.getPayment(siteId, paymentId)
      if (p) facts.payment = { method: p.method, ...(p.product ? { product: p.product } : {}) }
    }
    const invoiceId = tr.links?.invoiceId ?? origin.links?.invoiceId
    if (invoiceId !== undefined && storage.invoicing) {
      const number = (await storage.invoicing.getInvoice(siteId, invoiceId))?.number
      if (number) facts.invoiceNumber = number
    }
    out.set(id, facts)
  }
  return out
}

/**
 * The days whose bookings may be the subject of a statement's movements, from its first and last
 * day: a year before and after (a booking is reserved ahead of its day, or recorded after it).
 *
 * @example
 * bookingWindow('2027-02-01', '2027-02-16') //=> { from: '2026-02-01', to: '2028-02-16' }
 */
export function bookingWindow(from: LocalDate, to: LocalDate): { from: LocalDate; to: LocalDate } {
  return { from: addMonths(from, -12), to: addMonths(to, 12) }
}
