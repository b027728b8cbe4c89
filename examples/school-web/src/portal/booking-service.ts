/**
 * Booking and cancelling days from the portal, over the library: the booking context is prepared
 * from the stores (`prepareBookingContext`), each day is checked with `checkBooking` (the
 * library's refusal codes, cut-offs in the site's zone), a prepaid day reserves its price in the
 * payer's wallet at once with a pending ledger transfer (`bookingReservations`) and a cancellation
 * in time voids it (the refund), and the booking is written with `putBooking`.
 *
 * Capacity under concurrency: everything happens in one storage transaction that first takes a
 * row lock per (service, day) — the invoice-number counter row `booking-lock:<service>:<day>` —
 * so concurrent bookers of one day queue up and each counts the bookings committed before it.
 * Locks are taken in sorted order (no deadlock).
 */
import {
  Money, bookingReservations, checkBooking, prepareBookingContext, publicHolidayDates, schoolHolidays, systemAccountId, walletAccountId,
  type BillingRuleInput, type BookingContext, type BookingRefusal, type LocalDate,
} from '@ecole/core'
import type { StorageTransaction } from '@ecole/core/ports'
import { demoPeriods } from '@ecole/example-billing-run/demo-site'
import type { AppContext } from '../compose'
import { SITE, type ServiceBookingSettings } from '../site-settings'

/** The outcome of one day of a request. */
export type DayOutcome = { date: LocalDate; ok: true } | { date: LocalDate; ok: false; reasons: BookingRefusal[] }

const christmas = schoolHolidays('FR-C', '2026-2027').find((h) => h.name.includes('Noël'))!
const HOLIDAYS = publicHolidayDates({ country: 'FR' }, 2026, 2027)

async function readAll<T>(read: (after?: string) => Promise<{ items: T[]; next?: string | undefined }>): Promise<T[]> {
  const out: T[] = []
  let after: string | undefined
  do {
    const page = await read(after)
    out.push(...page.items)
    after = page.next
  } while (after)
  return out
}

/** What a booking context is made of that bookers do not race on: the directory and the billing rules. */
export interface BookingFacts {
  children: Array<{ id: string; archived: boolean; enrolments: Array<{ schoolId: string; classId: string; from: LocalDate; to?: LocalDate | undefined }>; subscriptions: Array<{ serviceId: string; from: LocalDate; to?: LocalDate | undefined }> }>
  rules: BillingRuleInput[]
}

/** Reads the directory and billing rules a booking context needs. */
export async function loadBookingFacts(tx: StorageTransaction): Promise<BookingFacts> {
  const siteId = tx.siteId
  const page = (after?: string) => ({ limit: 1000, ...(after ? { after } : {}) })
  const [children, enrolments, subscriptions, rules] = await Promise.all([
    readAll((a) => tx.directory!.listDirectoryRecords(siteId, 'child', page(a))),
    readAll((a) => tx.directory!.listDirectoryRecords(siteId, 'enrolment', page(a))),
    readAll((a) => tx.directory!.listDirectoryRecords(siteId, 'subscription', page(a))),
    readAll((a) => tx.billingRules!.listBillingRules(siteId, {}, page(a))),
  ])
  return {
    children: children.map((c) => ({
      id: c.id, archived: c.archived !== null,
      enrolments: enrolments.filter((e) => e.beneficiaryId === c.id).map((e) => ({ schoolId: e.schoolId, classId: e.classId, from: e.from, to: e.to })),
      subscriptions: subscriptions.filter((s) => s.beneficiaryId === c.id).map((s) => ({ serviceId: s.serviceId, from: s.from, to: s.to })),
    })),
    rules,
  }
}

/**
 * The booking context of the site for the days `from`..`to`, read through `tx`: the facts (read
 * here unless given), the bookings of those days and the wallets of the given guardians.
 */
export async function loadBookingContext(tx: StorageTransaction, args: { from: LocalDate; to: LocalDate; guardianIds: readonly string[]; now: Date; serviceId?: string; services?: readonly ServiceBookingSettings[] | undefined; facts?: BookingFacts }): Promise<BookingContext> {
  const services = args.services ?? SITE.services
  const siteId = tx.siteId
  const page = (after?: string) => ({ limit: 1000, ...(after ? { after } : {}) })
  const facts = args.facts ?? (await loadBookingFacts(tx))
  const bookings = await readAll((a) => tx.bookings!.listBookings(siteId, { from: args.from, to: args.to, ...(args.serviceId ? { serviceId: args.serviceId } : {}) }, page(a)))
  const walletIds = args.guardianIds.map((g) => walletAccountId(g, SITE.billingOfficeId))
  const wallets = walletIds.length ? await tx.ledger!.getBalances(siteId, walletIds, args.now).catch(() => []) : []
  return prepareBookingContext({
    timeZone: SITE.timeZone,
    services: services.map((s) => ({ ...s, weekdays: [...s.weekdays] })),
    offers: services.map((s) => ({ serviceId: s.id, schoolId: SITE.schoolId })),
    periods: demoPeriods(christmas),
    publicHolidays: HOLIDAYS,
    children: facts.children,
    billingRules: facts.rules,
    wallets: wallets.map((w, i) => ({ guardianId: args.guardianIds[i]!, available: { amount: minorToAmount(w.available), currency: 'EUR' } })),
    bookings: bookings.filter((b) => b.status === 'booked').map((b) => ({ childId: b.beneficiaryId, serviceId: b.serviceId, date: b.date })),
  })
}

function minorToAmount(minor: bigint): string {
  const sign = minor < 0n ? '-' : ''
  const m = minor < 0n ? -minor : minor
  return `${sign}${m / 100n}.${String(m % 100n).padStart(2, '0')}`
}

const bookingId = (childId: string, serviceId: string, date: string) => `portal:${childId}:${serviceId}:${date}`

/**
 * Books (or cancels) days of one service for one child, as a guardian, at `now`. Each day is
 * decided on its own: some may be refused while the others go through.
 */
export async function changeBookings(ctx: AppContext, args: { guardianId: string; childId: string; serviceId: string; dates: readonly LocalDate[]; action: 'book' | 'cancel' }): Promise<DayOutcome[]> {
  const siteId = ctx.config.siteId
  const dates = [...new Set(args.dates)].sort()
  if (dates.length === 0) return []
  return ctx.storage.transaction(siteId, async (tx) => {
    const now = ctx.clock.now()
    // the directory and the rules first (nobody races on them), outside the locks
    const facts = await loadBookingFacts(tx)
    // one row lock per (service, day), in order: concurrent bookers of a day queue up here, then
    // read the bookings and the wallet as the bookers before them left them
    for (const d of dates) await tx.invoiceNumbers!.nextNumbers(siteId, `booking-lock:${args.serviceId}:${d}`, 1)
    const context = await loadBookingContext(tx, { from: dates[0]!, to: dates[dates.length - 1]!, guardianIds: [args.guardianId], now, serviceId: args.serviceId, services: ctx.config.bookingServices, facts })
    const out: DayOutcome[] = []
    for (const date of dates) {
      const request = { childId: args.childId, serviceId: args.serviceId, date, at: now, actor: { kind: 'guardian' as const, guardianId: args.guardianId }, action: args.action }
      const check = checkBooking(context, request)
      if (!check.ok) {
        out.push({ date, ok: false, reasons: check.reasons })
        continue
      }
      const id = bookingId(args.childId, args.serviceId, date)
      if (args.action === 'book') {
        const reservations = bookingReservations(context, request)
        const transferId = `${id}:${now.getTime()}`
        if (reservations.length > 0) {
          const transfers = reservations.map((r, i) => ({
            id: `${transferId}:${i}`, debitAccountId: walletAccountId(r.guardianId, SITE.billingOfficeId), creditAccountId: systemAccountId('revenue', SITE.billingOfficeId, args.serviceId),
            amount: Money.of(r.amount.amount, 'EUR').toMinor(), currency: 'EUR' as const, code: 'booking' as const, flags: { pending: true }, timestamp: now, memo: `${args.serviceId} ${date}`,
          }))
          const results = await tx.ledger!.createTransfers(siteId, transfers, now)
          const failed = results.find((r) => r.status === 'failed')
          if (failed) {
            // the wallet cannot pay: nothing of this day is written (the transfers of the batch fail together or not at all)
            const price = reservations[0]!.amount
            const available = (await tx.ledger!.getBalances(siteId, [walletAccountId(args.guardianId, SITE.billingOfficeId)], now))[0]?.available ?? 0n
            const priceMinor = Money.of(price.amount, 'EUR').toMinor()
            out.push({ date, ok: false, reasons: [{ code: 'INSUFFICIENT_BALANCE', guardianId: args.guardianId, price, available: { amount: minorToAmount(available), currency: 'EUR' }, shortfall: { amount: minorToAmount(priceMinor - available), currency: 'EUR' } }] })
            continue
          }
        }
        const put = await tx.bookings!.putBooking(siteId, { id, beneficiaryId: args.childId, serviceId: args.serviceId, date, status: 'booked', bookedAt: now, ...(reservations.length ? { reservationTransferId: `${transferId}:0` } : {}) })
        if (put.status === 'conflict') out.push({ date, ok: false, reasons: [{ code: 'ALREADY_BOOKED', date }] })
        else out.push({ date, ok: true })
      } else {
        const existing = (await tx.bookings!.listBookings(siteId, { from: date, to: date, beneficiaryId: args.childId, serviceId: args.serviceId })).items.find((b) => b.status === 'booked')
        if (!existing) {
          out.push({ date, ok: true })
          continue
        }
        if (existing.reservationTransferId) {
          const pending = await tx.ledger!.getTransfer(siteId, existing.reservationTransferId)
          if (pending && pending.pendingStatus === 'pending') {
            const p = pending.transfer
            const voids = [{ id: `${p.id}:void`, debitAccountId: p.debitAccountId, creditAccountId: p.creditAccountId, amount: p.amount, code: 'cancellation' as const, flags: { void: true }, pendingId: p.id, timestamp: now }]
            const results = await tx.ledger!.createTransfers(siteId, voids, now)
            const failed = results.find((r) => r.status === 'failed')
            if (failed) throw new Error(`the refund of ${existing.id} failed: ${failed.status === 'failed' ? failed.code : ''}`)
          }
        }
        await tx.bookings!.putBooking(siteId, { ...existing, status: 'cancelled', cancelledAt: now })
        out.push({ date, ok: true })
      }
    }
    return out
  })
}
