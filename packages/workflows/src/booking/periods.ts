import {
  EcoleError, addDays, auditChanges, checkOptions, auditEntry, closureImpact, compareDates, definePeriod, generateSchoolPeriods,
  type AuditEntry, type AuditEntryInput, type LocalDate, type OptionKinds, type Period, type PeriodOrigin, type PeriodRecord, type PeriodRecordInput, type PeriodScope,
} from '@ecole/core'
import type { DirectoryRecords, StorageTransaction, StoredBooking } from '@ecole/core/ports'
import { releaseReservations, type BookingDeps } from './booking-service'
import { billedBookingIds } from './billed-bookings'
import { readAll } from '../billing/support'
import { asUseCaseError } from '../use-case-error'

/**
 * Who changes a period, as the audit trail records it: a back-office user, or the system (a
 * seed, an import).
 *
 * @example
 * const actor: PeriodActor = { kind: 'user', id: 'u-admin' }
 */
export interface PeriodActor {
  /** A staff user or the system. */
  kind: 'user' | 'system'
  /** The user's id (or the job's name). */
  id: string
}

/**
 * One booking a closure covers, placed in the child's school and class of that day.
 *
 * @example
 * const b: ClosedBooking = { bookingId: 'b1', beneficiaryId: 'lea', serviceId: 'canteen', date: '2027-03-12', schoolId: 'jaures', classId: 'cp-a', billed: false, prepaid: false }
 */
export interface ClosedBooking {
  /** The stored booking's id. */
  bookingId: string
  /** The child (or adult) booked. */
  beneficiaryId: string
  /** The service. */
  serviceId: string
  /** The day. */
  date: LocalDate
  /** The child's school that day (`''` when no enrolment places them: an adult's meal). */
  schoolId: string
  /** The child's class that day (`''` when no enrolment places them). */
  classId: string
  /**
   * Already billed: on an invoice or a draft (its charge `<debtor>|<beneficiary>|<service>|service|<date>`
   * stored), or, for a prepaid day, its wallet reservation already posted. Never deleted by a closure.
   */
  billed: boolean
  /** Paid from a wallet: a pending reservation that deleting the booking voids (the money back). */
  prepaid: boolean
}

/**
 * What saving closures does to the stored bookings: the unbilled ones it deletes (cancels, the
 * prepaid ones refunded), and the billed ones it leaves (settle them with a credit note or a
 * refund: a closure never deletes a billed booking). Both in (date, beneficiary, service) order.
 *
 * @example
 * const impact: PeriodImpact = { cancelled: [], billedInside: [] }
 */
export interface PeriodImpact {
  /** Unbilled bookings the closures cover: cancelled when the caller confirms them. */
  cancelled: ClosedBooking[]
  /** Billed bookings the closures cover: kept. */
  billedInside: ClosedBooking[]
}

/**
 * A period to create or edit (seed 001, « Comment ajouter une période ? »).
 *
 * @example
 * const request: SavePeriodRequest = { siteId: 'site-1', actor: { kind: 'user', id: 'u-admin' },
 *   period: { id: 'strike', kind: 'closure', label: 'Grève', from: '2027-03-12', to: '2027-03-12', scopes: [{ serviceId: 'canteen' }] },
 *   confirmedBookingIds: ['b1', 'b2'] }
 */
export interface SavePeriodRequest {
  /** The site. */
  siteId: string
  /** The period (checked with `definePeriod`; its `siteId`, if given, must be this site). */
  period: Omit<PeriodRecordInput, 'siteId'> & { siteId?: string | undefined }
  /** Who saves it (the audit entry's actor). */
  actor: PeriodActor
  /**
   * The ids of the bookings the caller showed as deleted (`impact.cancelled` of a preview) and the
   * user confirmed; absent means none was shown. Saving is refused (`PERIOD_IMPACT_CHANGED`, nothing
   * written) when the closure would delete other bookings than these.
   */
  confirmedBookingIds?: readonly string[] | undefined
  /** Compute the impact only: nothing is written, nothing is locked. */
  preview?: boolean | undefined
}

/**
 * What {@link savePeriod} did (or, with `preview`, would do).
 *
 * @example
 * const r: SavePeriodResult = await savePeriod(deps, request)
 * r.impact.cancelled.length //=> 2
 */
export interface SavePeriodResult {
  /** `created`, `updated`, or `preview` (nothing written). */
  status: 'created' | 'updated' | 'preview'
  /** The period as stored (or as it would be). */
  period: PeriodRecord
  /** The bookings deleted (or that would be) and the billed ones kept. */
  impact: PeriodImpact
  /** What went back to wallets, in minor units (the prepaid reservations voided). */
  refundedMinor: bigint
}

const invalid = (field: string, rule: string) => EcoleError.invalidInput(field, rule)

const SAVE_PERIOD_KINDS: OptionKinds<SavePeriodRequest> = { siteId: 'any', period: 'any', actor: 'any', confirmedBookingIds: 'any', preview: 'boolean?' }
const DELETE_PERIOD_KINDS: OptionKinds<DeletePeriodRequest> = { siteId: 'any', periodId: 'any', actor: 'any' }
const SCHOOL_CALENDAR_KINDS: OptionKinds<SaveSchoolCalendarRequest> = {
  siteId: 'any', zone: 'any', schoolYear: 'any', scopes: 'array?', periodIds: 'any', actor: 'any', confirmedBookingIds: 'any', preview: 'boolean?',
}
const ACTOR_KINDS: OptionKinds<PeriodActor> = { kind: 'any', id: 'any' }

/** Checks a request key by key, and its actor's (`INVALID_INPUT` naming `request.<key>` and the nearest known key). */
function checkKeys<T extends object>(fn: string, request: unknown, kinds: OptionKinds<T>): void {
  if (typeof request !== 'object' || request === null) return
  checkOptions<T>(fn, 'request', request, kinds)
  const actor = (request as { actor?: unknown }).actor
  if (typeof actor === 'object' && actor !== null) checkOptions<PeriodActor>(fn, 'request.actor', actor, ACTOR_KINDS)
}

function checkDeps(deps: BookingDeps): void {
  if (typeof deps !== 'object' || deps === null || typeof deps.storage !== 'object' || deps.storage === null || typeof deps.clock?.now !== 'function') {
    throw invalid('deps', 'must be { storage, clock } (the storage adapter and a clock)')
  }
}

function checkCommon(request: { siteId?: unknown; actor?: unknown; confirmedBookingIds?: unknown } | null | undefined): { siteId: string; actor: PeriodActor; confirmed: Set<string> } {
  if (typeof request !== 'object' || request === null) throw invalid('request', 'must be an object')
  if (typeof request.siteId !== 'string' || request.siteId.trim() === '') throw invalid('siteId', 'must be a non-empty string')
  const a = request.actor as Partial<PeriodActor> | null | undefined
  if (typeof a !== 'object' || a === null || (a.kind !== 'user' && a.kind !== 'system') || typeof a.id !== 'string' || a.id.trim() === '') {
    throw invalid('actor', "must be { kind: 'user' | 'system', id } (who saves the period)")
  }
  const ids = request.confirmedBookingIds ?? []
  if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string')) throw invalid('confirmedBookingIds', 'must be an array of booking ids (those shown to the user)')
  return { siteId: request.siteId, actor: { kind: a.kind, id: a.id }, confirmed: new Set(ids as string[]) }
}

const port = <T>(p: T | undefined, name: string): T => {
  if (p === undefined) throw new EcoleError('PORT_MISSING', `[ecole] periods: the storage adapter has no ${name} port, which saving a period needs`, { details: { port: name } })
  return p
}


const chunks = <T>(xs: readonly T[], n = 1000): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n))
  return out
}

const daysOf = (from: LocalDate, to: LocalDate): LocalDate[] => {
  const out: LocalDate[] = []
  for (let d = from; compareDates(d, to) <= 0; d = addDays(d, 1)) out.push(d)
  return out
}

const byDay = (a: ClosedBooking, b: ClosedBooking) =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.beneficiaryId < b.beneficiaryId ? -1 : a.beneficiaryId > b.beneficiaryId ? 1 : a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : a.bookingId < b.bookingId ? -1 : 1

/**
 * The impact of closures on the stored bookings, read through `tx`: locks the days of each scoped
 * service first unless `lock` is false (so no booker adds a booking in them until the transaction
 * ends), then places each active booking in the child's school and class of that day and asks
 * which are billed.
 */
async function impactOf(tx: StorageTransaction, periods: readonly Period[], lock: boolean): Promise<{ impact: PeriodImpact; bookings: Map<string, StoredBooking> }> {
  const siteId = tx.siteId
  const closures = periods.filter((p) => p.kind === 'closure' && p.scopes.length > 0)
  if (closures.length === 0) return { impact: { cancelled: [], billedInside: [] }, bookings: new Map() }
  const bookingsPort = port(tx.bookings, 'bookings')
  if (lock) {
    // every (service, day) the closures touch, locked in one call per service (in day order: no deadlock with a booker)
    const days = new Map<string, Set<LocalDate>>()
    for (const p of closures) for (const s of p.scopes) for (const d of daysOf(p.from, p.to)) (days.get(s.serviceId) ?? days.set(s.serviceId, new Set()).get(s.serviceId)!).add(d)
    for (const [serviceId, set] of [...days].sort((a, b) => (a[0] < b[0] ? -1 : 1))) await bookingsPort.lockServiceDays(siteId, serviceId, [...set].sort())
  }
  const stored = new Map<string, StoredBooking>()
  for (const p of closures) {
    for (const serviceId of new Set(p.scopes.map((s) => s.serviceId))) {
      const found = await readAll((page) => bookingsPort.listBookings(siteId, { from: p.from, to: p.to, serviceId }, page), 1000)
      for (const b of found) if (b.status === 'booked') stored.set(b.id, b)
    }
  }
  const beneficiaryIds = [...new Set([...stored.values()].map((b) => b.beneficiaryId))].sort()
  const directory = port(tx.directory, 'directory')
  // one query at a time: a transaction's connection runs its queries in order
  const enrolments: Array<DirectoryRecords['enrolment']> = []
  for (const ids of chunks(beneficiaryIds)) enrolments.push(...(await directory.listDirectoryRecordsOf(siteId, 'enrolment', ids)))
  const enrolmentsOf = new Map<string, typeof enrolments>()
  for (const e of enrolments) (enrolmentsOf.get(e.beneficiaryId) ?? enrolmentsOf.set(e.beneficiaryId, []).get(e.beneficiaryId)!).push(e)
  const placed = [...stored.values()].map((b) => {
    const e = enrolmentsOf.get(b.beneficiaryId)?.find((x) => x.from <= b.date && (x.to === undefined || x.to === null || b.date <= x.to))
    return { bookingId: b.id, beneficiaryId: b.beneficiaryId, serviceId: b.serviceId, date: b.date, schoolId: e?.schoolId ?? '', classId: e?.classId ?? '', billed: false, prepaid: b.reservationTransferId !== undefined }
  })
  const covered = new Map<string, ClosedBooking>()
  for (const p of closures) for (const b of closureImpact(p, placed).cancelled) covered.set(b.bookingId, b)
  const candidates = [...covered.values()]
  // billed: a prepaid day whose reservation was posted, or a day on an invoice or a draft (the rule booking cancellations follow too)
  const billed = await billedBookingIds(tx, candidates.map((b) => stored.get(b.bookingId)!))
  for (const b of candidates) if (billed.has(b.bookingId)) b.billed = true
  return {
    impact: { cancelled: candidates.filter((b) => !b.billed).sort(byDay), billedInside: candidates.filter((b) => b.billed).sort(byDay) },
    bookings: stored,
  }
}

/** Refuses when the bookings to delete are not those confirmed. */
function checkConfirmed(impact: PeriodImpact, confirmed: Set<string>, what: string): void {
  const actual = new Set(impact.cancelled.map((b) => b.bookingId))
  const added = [...actual].filter((id) => !confirmed.has(id)).sort()
  const removed = [...confirmed].filter((id) => !actual.has(id)).sort()
  if (added.length === 0 && removed.length === 0) return
  throw new EcoleError(
    'PERIOD_IMPACT_CHANGED',
    `[ecole] ${what}: the closure would delete ${actual.size} booking(s), not the ${confirmed.size} confirmed (${added.length} new, ${removed.length} no longer there): show the impact again and confirm`,
    { details: { expected: confirmed.size, actual: actual.size, added, removed } },
  )
}

/** Cancels the bookings of an impact, voiding the pending reservations of the prepaid ones; answers the minor units refunded. */
async function cancelBookings(tx: StorageTransaction, impact: PeriodImpact, stored: Map<string, StoredBooking>, now: Date, what: string): Promise<bigint> {
  const siteId = tx.siteId
  let refunded = 0n
  const cancelled: StoredBooking[] = []
  for (const c of impact.cancelled) {
    const b = stored.get(c.bookingId)!
    // every payer's reservation of the day is given back (a day several payers share is a chain)
    if (b.reservationTransferId !== undefined && tx.ledger) {
      const released = await releaseReservations(tx.ledger, siteId, [{ bookingId: b.id, reservationTransferId: b.reservationTransferId }], now, what, what)
      refunded += released.get(b.id) ?? 0n
    }
    cancelled.push({ ...b, status: 'cancelled', cancelledAt: now })
  }
  for (const chunk of chunks(cancelled)) await port(tx.bookings, 'bookings').putBookings(siteId, chunk)
  return refunded
}

const plain = (p: PeriodRecord | undefined): Record<string, unknown> => (p === undefined ? {} : (JSON.parse(JSON.stringify(p)) as Record<string, unknown>))

/** A short digest of an entry's content: two different changes of a period in the same millisecond get two ids, a replay the same one. */
function digest(value: unknown): string {
  const text = JSON.stringify(value)
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return (h >>> 0).toString(36)
}

/** Validates audit entries, each id `period:<id>:<ms>:<digest of the content>`. */
function entries(items: Array<Omit<AuditEntryInput, 'id'> & { subject: { kind: string; id: string } }>, at: Date): AuditEntry[] {
  return items.map((e) => auditEntry({ ...e, id: `period:${e.subject.id}:${at.getTime()}:${digest(e)}` }))
}

async function audit(tx: StorageTransaction, entries: AuditEntry[]): Promise<void> {
  if (tx.audit && entries.length > 0) await tx.audit.recordAuditEntries(tx.siteId, entries)
}

/**
 * Creates or edits a period of a site (seed 001, « Comment ajouter une période ? »), in one
 * storage transaction with what it does to the bookings.
 *
 * Seed 001 warns that « si des réservations existent déjà lors de la création de la période, elles
 * seront supprimées en cas de validation ». So, for a closure: the days of each scoped service are
 * locked first (as the portal's bookers lock them: a concurrent booking waits, or came first and
 * is seen), then the active bookings the closure covers (in the child's school and class of that
 * day) are read; the unbilled ones are cancelled, a prepaid one's pending wallet reservation
 * voided (the money back in the wallet), and the period stored, with an audit entry
 * (`period.created` / `period.edited`, the changed fields and the cancelled booking ids), all or
 * nothing. Billed bookings (on an invoice or a draft, or a prepaid day already posted) are never
 * deleted: they are answered in `impact.billedInside` for a credit note or a refund.
 *
 * The caller confirms with what it showed: run it with `preview: true`, show `impact.cancelled`,
 * then save with `confirmedBookingIds` set to those ids. If the closure would now delete other
 * bookings (one was booked or cancelled meanwhile), nothing is written and `PERIOD_IMPACT_CHANGED`
 * says which (`details.added`, `details.removed`). Widening a closure deletes the bookings of the
 * new days the same way; an opening deletes nothing.
 *
 * @example
 * const shown = await savePeriod(deps, { siteId: 'site-1', actor, period, preview: true })
 * // ...the user reads shown.impact.cancelled and confirms:
 * await savePeriod(deps, { siteId: 'site-1', actor, period, confirmedBookingIds: shown.impact.cancelled.map((b) => b.bookingId) })
 * @throws EcoleError `INVALID_INPUT` (the period, naming the field; the site, actor or confirmed ids);
 *   `PERIOD_IMPACT_CHANGED` (nothing written); `BOOKING_REFUND_FAILED`; `PORT_MISSING`.
 */
export async function savePeriod(deps: BookingDeps, request: SavePeriodRequest): Promise<SavePeriodResult> {
  try {
    checkDeps(deps)
    checkKeys<SavePeriodRequest>('savePeriod', request, SAVE_PERIOD_KINDS)
    const { siteId, actor, confirmed } = checkCommon(request)
    if (typeof request.period !== 'object' || request.period === null) throw invalid('period', 'must be an object')
    if (request.period.siteId !== undefined && request.period.siteId !== siteId) throw invalid('period.siteId', `must be the site saved to (${siteId})`)
    const period = definePeriod({ ...request.period, siteId })
    return await deps.storage.transaction(siteId, async (tx) => {
      const directory = port(tx.directory, 'directory')
      const before = await directory.getDirectoryRecord(siteId, 'period', period.id)
      const { impact, bookings } = await impactOf(tx, [period], request.preview !== true)
      if (request.preview === true) return { status: 'preview', period, impact, refundedMinor: 0n }
      checkConfirmed(impact, confirmed, `savePeriod ${period.id}`)
      const now = deps.clock.now()
      const refundedMinor = await cancelBookings(tx, impact, bookings, now, `closure ${period.id}`)
      const status = await directory.putDirectoryRecord(siteId, 'period', period)
      const diff = auditChanges(plain(before), plain(period))
      await audit(tx, entries([{
        siteId, at: now.toISOString(), actor, action: before ? 'period.edited' : 'period.created', subject: { kind: 'period', id: period.id },
        ...(before ? { before: diff.before } : {}), after: { ...diff.after, ...(impact.cancelled.length ? { cancelledBookingIds: impact.cancelled.map((b) => b.bookingId) } : {}) },
      }], now))
      return { status, period, impact, refundedMinor }
    })
  } catch (error) {
    throw asUseCaseError(error, 'savePeriod', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], request: [request, 'object', 'the period to save ({ siteId, period, actor })'] })
  }
}

/**
 * A stored period to delete, and who deletes it.
 *
 * @example
 * const request: DeletePeriodRequest = { siteId: 'site-1', periodId: 'strike', actor: { kind: 'user', id: 'u-admin' } }
 */
export interface DeletePeriodRequest {
  /** The site. */
  siteId: string
  /** The stored period's id. */
  periodId: string
  /** Who deletes it (the audit entry's actor). */
  actor: PeriodActor
}

/**
 * Deletes a stored period, with its audit entry (`period.deleted`, the period as it was). The
 * bookings a closure deleted are not restored: families book those days again.
 *
 * @example
 * await deletePeriod(deps, { siteId: 'site-1', periodId: 'strike', actor: { kind: 'user', id: 'u-admin' } }) //=> { deleted: true, period: {...} }
 * @throws EcoleError `INVALID_INPUT` (site, actor, period id); `PORT_MISSING`.
 */
export async function deletePeriod(deps: BookingDeps, request: DeletePeriodRequest): Promise<{ deleted: boolean; period?: PeriodRecord | undefined }> {
  try {
    checkDeps(deps)
    checkKeys<DeletePeriodRequest>('deletePeriod', request, DELETE_PERIOD_KINDS)
    const { siteId, actor } = checkCommon(request)
    if (typeof request.periodId !== 'string' || request.periodId.trim() === '') throw invalid('periodId', 'must be a non-empty string')
    return await deps.storage.transaction(siteId, async (tx) => {
      const directory = port(tx.directory, 'directory')
      const period = await directory.getDirectoryRecord(siteId, 'period', request.periodId)
      if (period === undefined) return { deleted: false }
      await directory.deleteDirectoryRecord(siteId, 'period', period.id)
      const now = deps.clock.now()
      await audit(tx, entries([{ siteId, at: now.toISOString(), actor, action: 'period.deleted', subject: { kind: 'period', id: period.id }, before: plain(period) }], now))
      return { deleted: true, period }
    })
  } catch (error) {
    throw asUseCaseError(error, 'deletePeriod', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], request: [request, 'object', 'the period to delete ({ siteId, periodId, actor })'] })
  }
}

/**
 * The national calendar of a zone to save (seed 001, « Comment créer toutes les périodes scolaires
 * de l'année correspondant au calendrier de l'éducation nationale ? »).
 *
 * @example
 * const request: SaveSchoolCalendarRequest = { siteId: 'site-1', actor, zone: 'FR-C', schoolYear: '2026-2027', scopes: [{ serviceId: 'canteen' }] }
 */
export interface SaveSchoolCalendarRequest {
  /** The site. */
  siteId: string
  /** The zone, as `generateSchoolPeriods` takes it (`FR-C`, `BE-FR`...). */
  zone: string
  /** The school year, `YYYY-YYYY`. */
  schoolYear: string
  /** The services (x schools x classes) the periods close; none = "périodes sans prestations", linked later with {@link savePeriod}. */
  scopes?: PeriodScope[] | undefined
  /** Only these of the generated periods (their ids); all when absent. */
  periodIds?: readonly string[] | undefined
  /** Who saves them. */
  actor: PeriodActor
  /** The bookings shown as deleted and confirmed (see {@link SavePeriodRequest.confirmedBookingIds}). */
  confirmedBookingIds?: readonly string[] | undefined
  /** Compute only: nothing written. */
  preview?: boolean | undefined
}

/**
 * What {@link saveSchoolCalendar} did.
 *
 * @example
 * const r: SaveSchoolCalendarResult = await saveSchoolCalendar(deps, request)
 * r.created //=> ['FR-C-2026-10-17', ...]
 */
export interface SaveSchoolCalendarResult {
  /** The ids of the periods stored now. */
  created: string[]
  /** The ids already stored (left as they are: their services, label and colour may have been edited since). */
  existing: string[]
  /** The periods generated (the new ones with the scopes given). */
  periods: PeriodRecord[]
  /** The bookings the new closures delete, and the billed ones they keep. */
  impact: PeriodImpact
  /** What went back to wallets, in minor units. */
  refundedMinor: bigint
}

/**
 * Generates the closures of a zone's school year (`generateSchoolPeriods`) and stores them as the
 * site's periods, linked to the services and classes given, each with its origin (zone, school
 * year), in one transaction. Idempotent: the ids are the calendar's (`FR-C-2026-10-17`), and a
 * period already stored is left as it is (answered in `existing`), so running it twice stores
 * nothing the second time. The new closures delete the bookings they cover as {@link savePeriod}
 * does: preview, show, confirm with `confirmedBookingIds`.
 *
 * @example
 * const preview = await saveSchoolCalendar(deps, { siteId: 'site-1', actor, zone: 'FR-C', schoolYear: '2026-2027', scopes: [{ serviceId: 'canteen' }], preview: true })
 * await saveSchoolCalendar(deps, { siteId: 'site-1', actor, zone: 'FR-C', schoolYear: '2026-2027', scopes: [{ serviceId: 'canteen' }],
 *   confirmedBookingIds: preview.impact.cancelled.map((b) => b.bookingId) })
 * @throws EcoleError `INVALID_INPUT`; `SCHOOL_YEAR_UNAVAILABLE` (no data for that zone and year); `PERIOD_IMPACT_CHANGED`; `BOOKING_REFUND_FAILED`; `PORT_MISSING`.
 */
export async function saveSchoolCalendar(deps: BookingDeps, request: SaveSchoolCalendarRequest): Promise<SaveSchoolCalendarResult> {
  try {
    checkDeps(deps)
    checkKeys<SaveSchoolCalendarRequest>('saveSchoolCalendar', request, SCHOOL_CALENDAR_KINDS)
    const { siteId, actor, confirmed } = checkCommon(request)
    if (typeof request.zone !== 'string') throw invalid('zone', 'must be a calendar zone (FR-A, FR-B, FR-C, BE-FR...)')
    const ids = request.periodIds
    if (ids !== undefined && (!Array.isArray(ids) || ids.length > 100 || ids.some((x) => typeof x !== 'string' || x === ''))) throw invalid('periodIds', 'must be an array of at most 100 period ids')
    const wanted = ids === undefined ? undefined : new Set(ids)
    const origin: PeriodOrigin = { zone: request.zone, schoolYear: String(request.schoolYear) }
    const generated = generateSchoolPeriods(request.zone, request.schoolYear, { scopes: request.scopes ?? [] })
    const periods = generated.filter((p) => wanted === undefined || wanted.has(p.id)).map((p) => definePeriod({ ...p, siteId, generatedFrom: origin }))
    return await deps.storage.transaction(siteId, async (tx) => {
      const directory = port(tx.directory, 'directory')
      const stored = await directory.getDirectoryRecords(siteId, 'period', periods.map((p) => p.id))
      const fresh = periods.filter((p) => !stored.has(p.id))
      const existing = periods.filter((p) => stored.has(p.id)).map((p) => p.id)
      const { impact, bookings } = await impactOf(tx, fresh, request.preview !== true)
      if (request.preview === true) return { created: [], existing, periods, impact, refundedMinor: 0n }
      checkConfirmed(impact, confirmed, `saveSchoolCalendar ${origin.zone} ${origin.schoolYear}`)
      const now = deps.clock.now()
      const refundedMinor = await cancelBookings(tx, impact, bookings, now, `school calendar ${origin.zone} ${origin.schoolYear}`)
      for (const p of fresh) await directory.putDirectoryRecord(siteId, 'period', p)
      await audit(tx, entries(fresh.map((p) => ({
        siteId, at: now.toISOString(), actor, action: 'period.created', subject: { kind: 'period', id: p.id },
        after: { ...plain(p), ...(impact.cancelled.length ? { cancelledBookingIds: impact.cancelled.filter((b) => b.date >= p.from && b.date <= p.to).map((b) => b.bookingId) } : {}) },
      })), now))
      return { created: fresh.map((p) => p.id), existing, periods, impact, refundedMinor }
    })
  } catch (error) {
    throw asUseCaseError(error, 'saveSchoolCalendar', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], request: [request, 'object', 'the school calendar to save ({ siteId, zone, schoolYear, actor })'] })
  }
}
