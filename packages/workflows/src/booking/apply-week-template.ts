import { randomUUID } from 'node:crypto'
import {
  EcoleError, Money, WeekTemplateSchema, checkOptions, parseInput, planWeekTemplate, standardLedgerAccounts, systemAccountId, walletAccountId, addDays, compareDates,
  type LocalDate, type OptionKinds, type WeekTemplateInput, type WeekTemplateResult,
} from '@ecole/core'
import { auditInTransaction, type AuditOption } from '../billing/audit-with-change'
import { readAll } from '../billing/support'
import { checkReservationsCreated, checkSettings, dayReservationChain, loadBookingContext, releaseReservations, loadBookingFacts, type BookingDeps, type BookingSiteSettings } from './booking-service'
import { asUseCaseError } from '../use-case-error'

/**
 * A week template to apply from the back office (seed 001, « Réservations sur une période selon
 * une semaine type »).
 *
 * @example
 * const request: ApplyWeekTemplateRequest = { siteId: 'site-1', template: { beneficiaryId: 'c1', serviceId: 'lunch', weekdays: [1, 2, 4, 5],
 *   from: '2027-03-01', to: '2027-03-31', recurrence: { kind: 'everyWeek' }, mode: 'add' }, preview: true }
 */
export interface ApplyWeekTemplateRequest {
  /** The site. */
  siteId: string
  /** The template (checked with `WeekTemplateSchema`). */
  template: WeekTemplateInput
  /** Plan only: nothing is written (the per-date outcome the staff checks before applying). */
  preview?: boolean | undefined
}

const REQUEST_KINDS: OptionKinds<ApplyWeekTemplateRequest> = { siteId: 'any', template: 'any', preview: 'boolean?' }
const OPTION_KINDS: OptionKinds<AuditOption<WeekTemplateResult>> = { audit: 'any' }

const invalid = (field: string, rule: string) => new EcoleError('INVALID_INPUT', `[ecole] ${field}: ${rule}`, { details: { field, issues: [{ path: field, code: 'invalid_value', message: rule }] } })

/**
 * Plans a week template with `planWeekTemplate` of `@ecole/core` and, unless `preview`, applies it
 * in one storage transaction, as the back office: the template's days of the service are locked
 * first (as the portal's bookers lock them), then planned against what is stored now, then each
 * booked day is written.
 *
 * - **Prepaid services:** each booked day reserves its price in the payers' wallets (a pending
 *   ledger transfer from the wallet to the service's revenue account, as `changeBookings` does);
 *   the plan already refuses the days the wallets cannot pay, with the shortfall
 *   (`INSUFFICIENT_BALANCE`: price, available, shortfall), the days before them taking the
 *   balance first; a day the ledger still refuses (another service's booking took the money
 *   meanwhile) is reported refused the same way and nothing of that day is written.
 * - **Replace mode:** the unbilled bookings of the period the template drops are cancelled, and a
 *   prepaid one's reservation voided (the money back); billed bookings (a prepaid reservation
 *   posted, or a charge on an invoice or a draft) are never touched: the plan lists them in `billedKept`.
 *
 * Returns the per-date outcome (`days`, `cancellations`, `counts`) of what was done. `options.audit`
 * builds the audit entries from that outcome; they are written in the same transaction (not for a
 * preview, which writes nothing).
 *
 * @example
 * const result = await applyWeekTemplate({ storage, clock }, settings, { siteId: 'site-1', template: { beneficiaryId: 'c1', serviceId: 'lunch',
 *   weekdays: [1, 2, 4, 5], from: '2027-03-01', to: '2027-03-31', recurrence: { kind: 'everyWeek' }, mode: 'add' } })
 * result.days.filter((d) => d.status === 'refused').map((d) => d.reasons![0]!.code) // e.g. ['INSUFFICIENT_BALANCE', 'CLOSED']
 * @throws EcoleError `INVALID_INPUT` (a template failing `WeekTemplateSchema`, naming the field; a period over 366 days; an `options.audit` that is not a function); `PORT_MISSING`; `UNKNOWN_CHILD`, `UNKNOWN_SERVICE`;
 *   `BOOKING_RESERVATION_FAILED` when the ledger refuses a reservation for another reason than the balance (nothing is written).
 */
export async function applyWeekTemplate(deps: BookingDeps, settings: BookingSiteSettings, request: ApplyWeekTemplateRequest, options: AuditOption<WeekTemplateResult> = {}): Promise<WeekTemplateResult> {
  try {
    if (typeof deps !== 'object' || deps === null || typeof deps.storage !== 'object' || deps.storage === null || typeof deps.clock?.now !== 'function') {
      throw invalid('deps', 'must be { storage, clock } (the storage adapter and a clock)')
    }
    if (typeof settings !== 'object' || settings === null || typeof settings.billingOfficeId !== 'string') throw invalid('settings', 'must be the site\'s booking settings (an object)')
    checkSettings('applyWeekTemplate', settings)
    if (typeof request === 'object' && request !== null) checkOptions<ApplyWeekTemplateRequest>('applyWeekTemplate', 'request', request, REQUEST_KINDS)
    if (typeof request !== 'object' || request === null || typeof request.siteId !== 'string' || request.siteId === '') throw invalid('siteId', 'must be a non-empty string')
    if (typeof options === 'object' && options !== null) checkOptions<AuditOption<WeekTemplateResult>>('applyWeekTemplate', 'options', options, OPTION_KINDS)
    const template = parseInput(WeekTemplateSchema, request.template, 'template')
    const days: LocalDate[] = []
    for (let d = template.from; compareDates(d, template.to) <= 0; d = addDays(d, 1)) {
      days.push(d)
      if (days.length > 366) throw invalid('to', 'a week template covers at most 366 days at once')
    }
    const { siteId } = request
    const { beneficiaryId, serviceId } = template
    const office = settings.billingOfficeId
    const currency = settings.currency ?? 'EUR'
    return await deps.storage.transaction(siteId, async (tx) => {
      const bookings = tx.bookings
      if (bookings === undefined) throw new EcoleError('PORT_MISSING', '[ecole] applyWeekTemplate: the storage adapter has no bookings port, which booking needs', { details: { port: 'bookings' } })
      const now = deps.clock.now()
      // the child's directory records and the rules covering it (one indexed read), not the whole site's
      const facts = await loadBookingFacts(tx, { beneficiaryIds: [beneficiaryId] })
      // the payers of the child's service: their wallets pay the prepaid days
      const payers = [...new Set(facts.rules.filter((r) => r.covers.some((c) => c.beneficiaryId === beneficiaryId && c.serviceId === serviceId)).flatMap((r) => r.payers.map((p) => p.guardianId)))]
      if (!request.preview) await bookings.lockServiceDays(siteId, serviceId, days)
      const context = await loadBookingContext(tx, settings, { from: template.from, to: template.to, guardianIds: payers, now, serviceId, facts })
      const plan = planWeekTemplate(context, template, { at: now, actor: { kind: 'backOffice' } })
      if (request.preview) return plan
      const booked = plan.days.filter((d) => d.status === 'booked')
      const planned = booked.map((day) => {
        const id = `backOffice:${beneficiaryId}:${serviceId}:${day.date}:${now.getTime()}`
        const reservationId = `${id}:${randomUUID()}` // unique even when a day is applied again within the millisecond (see newReservationId)
        const reservations = day.reservations ?? []
        // a day paid by several payers is one chain: reserved entirely or not at all
        const transfers = dayReservationChain(reservationId, reservations, { office, serviceId, currency, date: day.date, now, links: { bookingId: id } })
        return { day, id, reservationId, reservations, transfers }
      })
      const transfers = planned.flatMap((p) => p.transfers)
      // every day's reservations in one ledger call, in date order: a day the wallets cannot pay is
      // refused and the later days are decided with what the earlier ones left
      const failedIds = new Map<string, string>()
      if (transfers.length > 0) {
        const ledger = tx.ledger
        if (ledger === undefined) throw new EcoleError('PORT_MISSING', '[ecole] applyWeekTemplate: the storage adapter has no ledger port, which prepaid booking needs', { details: { port: 'ledger' } })
        // the service's revenue account and the payers' wallets (opening an existing account changes nothing)
        await ledger.createAccounts(siteId, standardLedgerAccounts({ currency, billingOffices: [{ id: office, serviceIds: [serviceId] }], guardians: payers.map((g) => ({ guardianId: g, billingOfficeIds: [office] })) }))
        const results = await ledger.createTransfers(siteId, transfers, now)
        checkReservationsCreated('applyWeekTemplate', transfers, results)
        results.forEach((r, i) => {
          if (r.status === 'failed') failedIds.set(transfers[i]!.id, r.code)
        })
      }
      const refused = planned.filter((p) => p.transfers.some((t) => failedIds.has(t.id)))
      if (refused.length > 0) {
        // a chain fails as a whole: its other members say LINKED_EVENT_FAILED, the one at fault why
        const causes = refused.map((p) => {
          const i = p.transfers.findIndex((t) => failedIds.get(t.id) !== 'LINKED_EVENT_FAILED')
          return { p, reservation: p.reservations[i]!, code: failedIds.get(p.transfers[i]!.id)! }
        })
        const other = causes.find((x) => x.code !== 'EXCEEDS_BALANCE')
        if (other !== undefined) {
          throw new EcoleError('BOOKING_RESERVATION_FAILED', `[ecole] applyWeekTemplate: the reservation of ${other.p.day.date} was refused by the ledger (${other.code})`, { details: { date: other.p.day.date, code: other.code } })
        }
        // what each payer's wallet has left once the days it could pay are reserved: every payer of a
        // refused day whose share does not fit is named, not only the one the chain stopped at
        const payers = [...new Set(causes.flatMap((x) => x.p.reservations.map((r) => r.guardianId)))]
        const balances = await tx.ledger!.getBalances(siteId, payers.map((g) => walletAccountId(g, office)), now)
        const availableOf = new Map(payers.map((g) => [g, balances.find((b) => b.accountId === walletAccountId(g, office))?.available ?? 0n]))
        for (const { p, reservation } of causes) {
          const shortOnes = p.reservations.filter((r) => r.amount.minor > (availableOf.get(r.guardianId) ?? 0n))
          p.day.status = 'refused'
          p.day.reasons = (shortOnes.length > 0 ? shortOnes : [reservation]).map((r) => {
            const available = availableOf.get(r.guardianId) ?? 0n
            const shortfall = r.amount.minor - available
            return { code: 'INSUFFICIENT_BALANCE' as const, guardianId: r.guardianId, price: Money.fromMinor(r.amount.minor, currency).toJSON(), available: Money.fromMinor(available, currency).toJSON(), shortfall: Money.fromMinor(shortfall > 0n ? shortfall : 0n, currency).toJSON() }
          })
          delete p.day.reservations
          plan.counts.booked--
          plan.counts.refused++
          plan.complete = false
        }
      }
      const refusedDays = new Set(refused)
      const written = planned.filter((p) => !refusedDays.has(p))
      if (written.length > 0) {
        const puts = await bookings.putBookings(siteId, written.map((p) => ({ id: p.id, beneficiaryId, serviceId, date: p.day.date, status: 'booked' as const, bookedAt: now, ...(p.transfers.length ? { reservationTransferId: `${p.reservationId}:0` } : {}) })))
        puts.forEach((put, i) => {
          if (put.status === 'conflict') throw new EcoleError('BOOKING_SLOT_TAKEN', `[ecole] applyWeekTemplate: ${beneficiaryId} is already booked on ${written[i]!.day.date} for ${serviceId} (${put.existingId}) although the plan found the day free`, { details: { date: written[i]!.day.date, existingId: put.existingId } })
        })
      }
      const cancelled = new Set(plan.cancellations.filter((x) => x.status === 'cancelled').map((x) => x.date))
      if (cancelled.size > 0) {
        // every booking of the child's service in the period, cancelled ones included, a page at a time
        const existing = await readAll((page) => bookings.listBookings(siteId, { from: template.from, to: template.to, beneficiaryId, serviceId }, page), 1000)
        for (const b of existing) {
          if (b.status !== 'booked' || !cancelled.has(b.date)) continue
          // every payer's reservation of the day is given back (a day several payers share is a chain)
          if (b.reservationTransferId && tx.ledger) await releaseReservations(tx.ledger, siteId, [{ bookingId: b.id, reservationTransferId: b.reservationTransferId }], now, 'applyWeekTemplate')
          await bookings.putBooking(siteId, { ...b, status: 'cancelled', cancelledAt: now })
        }
      }
      await auditInTransaction(tx, siteId, options?.audit, plan)
      return plan
    })
  } catch (error) {
    throw asUseCaseError(error, 'applyWeekTemplate', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], settings: [settings, 'object', 'the site’s booking settings'], request: [request, 'object', 'the week template to apply ({ siteId, template })'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}
