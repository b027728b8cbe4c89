import {
  EcoleError, auditChanges, checkOptions, auditEntry, definePeriod, generateSchoolPeriods,
  type AuditEntry, type AuditEntryInput, type OptionKinds, type PeriodOrigin, type PeriodRecord, type PeriodRecordInput, type PeriodScope,
} from '@ecole/core'
import type { StorageTransaction, StoredBooking } from '@ecole/core/ports'
import { releaseReservations, type BookingDeps } from './booking-service'
import { chunks, periodChangeImpact, port, type PeriodImpact } from './period-impact'
import { asUseCaseError } from '../use-case-error'

export type { ClosedBooking, PeriodImpact } from './period-impact'

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
   * written) when the change would delete other bookings than these.
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
const DELETE_PERIOD_KINDS: OptionKinds<DeletePeriodRequest> = { siteId: 'any', periodId: 'any', actor: 'any', confirmedBookingIds: 'any', preview: 'boolean?' }
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


/** Refuses when the bookings to delete are not those confirmed. */
function checkConfirmed(impact: PeriodImpact, confirmed: Set<string>, what: string): void {
  const actual = new Set(impact.cancelled.map((b) => b.bookingId))
  const added = [...actual].filter((id) => !confirmed.has(id)).sort()
  const removed = [...confirmed].filter((id) => !actual.has(id)).sort()
  if (added.length === 0 && removed.length === 0) return
  throw new EcoleError(
    'PERIOD_IMPACT_CHANGED',
    `[ecole] ${what}: the change would delete ${actual.size} booking(s), not the ${confirmed.size} confirmed (${added.length} new, ${removed.length} no longer there): show the impact again and confirm`,
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

/** The ledger memo of a change's refunds: `closure <id>` when it saves a closure, `opening <id>` when an opening loses days. */
const memoOf = (id: string, after: PeriodRecord | undefined) => `${after?.kind === 'closure' ? 'closure' : 'opening'} ${id}`

/**
 * Creates or edits a period of a site (seed 001, « Comment ajouter une période ? »), in one
 * storage transaction with what it does to the bookings.
 *
 * Seed 001 warns that « si des réservations existent déjà lors de la création de la période, elles
 * seront supprimées en cas de validation ». So the bookings on the days the change closes are
 * deleted: the days of a closure, for the places it scopes; and, for a service that runs only
 * during openings (`openingsOnly`), the days an opening no longer covers once shrunk, moved,
 * narrowed to fewer services, schools or classes, or turned into a closure (unless another stored
 * opening still covers them). A service runs only during openings when its stored service record
 * (directory kind `service`) says so, or, having no stored record, when an opening names it: a
 * host that keeps its services in its own settings should store them, or link openings only to the
 * services that run during openings.
 *
 * Those days are locked first (as the portal's bookers lock them: a concurrent booking waits, or
 * came first and is seen), the stored period is read again under the locks, then the active
 * bookings on those days (in the child's school and class of that day) are read; the unbilled
 * ones are cancelled, a prepaid one's pending wallet reservation voided (the money back in the
 * wallet), and the period stored, with an audit entry (`period.created` / `period.edited`, the
 * changed fields and the cancelled booking ids), all or nothing. Billed bookings (on an invoice or
 * a draft, or a prepaid day already posted) are never deleted: they are answered in
 * `impact.billedInside` for a credit note or a refund.
 *
 * The caller confirms with what it showed: run it with `preview: true`, show `impact.cancelled`,
 * then save with `confirmedBookingIds` set to those ids. If the change would now delete other
 * bookings (one was booked or cancelled meanwhile), nothing is written and `PERIOD_IMPACT_CHANGED`
 * says which (`details.added`, `details.removed`). Widening a closure deletes the bookings of the
 * new days the same way; creating or widening an opening deletes nothing.
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
      const read = await directory.getDirectoryRecord(siteId, 'period', period.id)
      // the days the change closes are locked, then the period is read again (another user may have changed it meanwhile)
      const { impact, bookings, stored } = await periodChangeImpact(tx, [{ id: period.id, before: read, after: period }], request.preview !== true)
      if (request.preview === true) return { status: 'preview', period, impact, refundedMinor: 0n }
      const before = stored.get(period.id)
      checkConfirmed(impact, confirmed, `savePeriod ${period.id}`)
      const now = deps.clock.now()
      const refundedMinor = await cancelBookings(tx, impact, bookings, now, memoOf(period.id, period))
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
 * const request: DeletePeriodRequest = { siteId: 'site-1', periodId: 'spring', actor: { kind: 'user', id: 'u-admin' }, confirmedBookingIds: ['b1', 'b2'] }
 */
export interface DeletePeriodRequest {
  /** The site. */
  siteId: string
  /** The stored period's id. */
  periodId: string
  /** Who deletes it (the audit entry's actor). */
  actor: PeriodActor
  /**
   * The ids of the bookings the caller showed as deleted (`impact.cancelled` of a preview) and the
   * user confirmed; absent means none was shown. Deleting is refused (`PERIOD_IMPACT_CHANGED`,
   * nothing written) when it would delete other bookings than these (see {@link deletePeriod}).
   */
  confirmedBookingIds?: readonly string[] | undefined
  /** Compute the impact only: nothing is written, nothing is locked (`deleted` is false). */
  preview?: boolean | undefined
}

/**
 * Deletes a stored period, with its audit entry (`period.deleted`, the period as it was and the
 * cancelled booking ids), in one storage transaction with what it does to the bookings.
 *
 * Deleting a closure opens its days again: nothing is deleted, and the bookings it deleted are not
 * restored (families book those days again). Deleting an opening closes its days for the services
 * that run only during openings (unless another stored opening covers them), so the bookings on
 * them are deleted exactly as {@link savePeriod} deletes those a closure covers: the days locked,
 * the unbilled bookings cancelled and their prepaid reservations voided (the money back in the
 * wallet), the billed ones kept (`impact.billedInside`). Preview with `preview: true`, show
 * `impact.cancelled`, then delete with `confirmedBookingIds` set to those ids; if the deletion
 * would now delete other bookings, nothing is written and `PERIOD_IMPACT_CHANGED` says which.
 *
 * @example
 * const shown = await deletePeriod(deps, { siteId: 'site-1', periodId: 'spring', actor, preview: true })
 * await deletePeriod(deps, { siteId: 'site-1', periodId: 'spring', actor, confirmedBookingIds: shown.impact.cancelled.map((b) => b.bookingId) })
 * //=> { deleted: true, period: {...}, impact: { cancelled: [...], billedInside: [] }, refundedMinor: 2400n }
 * @throws EcoleError `INVALID_INPUT` (site, actor, period id, confirmed ids); `PERIOD_IMPACT_CHANGED`
 *   (nothing written); `BOOKING_REFUND_FAILED`; `PORT_MISSING`.
 */
export async function deletePeriod(
  deps: BookingDeps, request: DeletePeriodRequest,
): Promise<{ deleted: boolean; period?: PeriodRecord | undefined; impact: PeriodImpact; refundedMinor: bigint }> {
  try {
    checkDeps(deps)
    checkKeys<DeletePeriodRequest>('deletePeriod', request, DELETE_PERIOD_KINDS)
    const { siteId, actor, confirmed } = checkCommon(request)
    if (typeof request.periodId !== 'string' || request.periodId.trim() === '') throw invalid('periodId', 'must be a non-empty string')
    const none = { impact: { cancelled: [], billedInside: [] }, refundedMinor: 0n }
    return await deps.storage.transaction(siteId, async (tx) => {
      const directory = port(tx.directory, 'directory')
      const read = await directory.getDirectoryRecord(siteId, 'period', request.periodId)
      if (read === undefined) return { deleted: false, ...none }
      // the days the deletion closes are locked, then the period is read again (another user may have changed it meanwhile)
      const { impact, bookings, stored } = await periodChangeImpact(tx, [{ id: read.id, before: read }], request.preview !== true)
      if (request.preview === true) return { deleted: false, period: read, impact, refundedMinor: 0n }
      const period = stored.get(read.id)
      if (period === undefined) return { deleted: false, ...none }
      checkConfirmed(impact, confirmed, `deletePeriod ${period.id}`)
      const now = deps.clock.now()
      const refundedMinor = await cancelBookings(tx, impact, bookings, now, memoOf(period.id, undefined))
      await directory.deleteDirectoryRecord(siteId, 'period', period.id)
      await audit(tx, entries([{
        siteId, at: now.toISOString(), actor, action: 'period.deleted', subject: { kind: 'period', id: period.id }, before: plain(period),
        ...(impact.cancelled.length ? { after: { cancelledBookingIds: impact.cancelled.map((b) => b.bookingId) } } : {}),
      }], now))
      return { deleted: true, period, impact, refundedMinor }
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
      const { impact, bookings } = await periodChangeImpact(tx, fresh.map((p) => ({ id: p.id, after: p })), request.preview !== true)
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
