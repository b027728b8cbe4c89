import { EcoleError, addDays, closureImpact, compareDates, periodCoversPlace, type LocalDate, type Period, type PeriodRecord, type PeriodScope } from '@ecole/core'
import type { DirectoryRecords, StorageTransaction, StoredBooking } from '@ecole/core/ports'
import { billedBookingIds } from './billed-bookings'
import { readAll } from '../billing/support'

/**
 * One booking on a day a period change closes (a closure's day, or a day an opening no longer
 * opens), placed in the child's school and class of that day.
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
   * stored), or, for a prepaid day, its wallet reservation already posted. Never deleted by a period change.
   */
  billed: boolean
  /** Paid from a wallet: a pending reservation that deleting the booking voids (the money back). */
  prepaid: boolean
}

/**
 * What saving or deleting periods does to the stored bookings on the days it closes (the days of
 * a closure; for a service that runs only during openings, the days an opening no longer covers):
 * the unbilled ones it deletes (cancels, the prepaid ones refunded), and the billed ones it leaves
 * (settle them with a credit note or a refund: a period change never deletes a billed booking).
 * Both in (date, beneficiary, service) order.
 *
 * @example
 * const impact: PeriodImpact = { cancelled: [], billedInside: [] }
 */
export interface PeriodImpact {
  /** Unbilled bookings on the days closed: cancelled when the caller confirms them. */
  cancelled: ClosedBooking[]
  /** Billed bookings on the days closed: kept. */
  billedInside: ClosedBooking[]
}

/**
 * One stored period as a change leaves it: `before` as stored (absent for a new one), `after` as
 * it will be stored (absent when deleted). @internal
 *
 * @example
 * const shrunk: PeriodChange = { id: 'spring', before: stored, after: { ...stored, to: '2027-04-13' } }
 */
export interface PeriodChange {
  /** The period's id. */
  id: string
  /** The period as stored now, if it is. */
  before?: PeriodRecord | undefined
  /** The period as the change stores it, unless the change deletes it. */
  after?: PeriodRecord | undefined
}

/**
 * What {@link periodChangeImpact} answers: the impact, the stored bookings it names (by id), and
 * each changed period as stored when the impact was read (under the locks). @internal
 *
 * @example
 * const { impact, bookings, stored } = await periodChangeImpact(tx, [{ id: 'strike', after: strike }], true)
 */
export interface PeriodChangeImpact {
  /** The bookings cancelled and the billed ones kept. */
  impact: PeriodImpact
  /** The stored bookings of the impact, by id. */
  bookings: Map<string, StoredBooking>
  /** Each changed period's stored record when the impact was read (`undefined`: none stored). */
  stored: Map<string, PeriodRecord | undefined>
}

/** The port, or `PORT_MISSING` naming it. @internal */
export const port = <T>(p: T | undefined, name: string): T => {
  if (p === undefined) throw new EcoleError('PORT_MISSING', `[ecole] periods: the storage adapter has no ${name} port, which saving a period needs`, { details: { port: name } })
  return p
}

/** `xs` in runs of at most `n`. @internal */
export const chunks = <T>(xs: readonly T[], n = 1000): T[][] => {
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

const isClosure = (p: Period | undefined): p is Period => p !== undefined && p.kind === 'closure' && p.scopes.length > 0
const isOpening = (p: Period | undefined): p is Period => p !== undefined && p.kind === 'opening' && p.scopes.length > 0

/** Whether the scopes `after` cover every place the scope `b` covers (classes come with their school). */
function scopeCovered(after: readonly PeriodScope[], b: PeriodScope): boolean {
  const same = after.filter((a) => a.serviceId === b.serviceId)
  if (same.some((a) => a.schoolId === undefined && a.classIds === undefined)) return true
  if (b.schoolId === undefined) return false
  const school = same.filter((a) => a.schoolId === b.schoolId)
  if (school.some((a) => a.classIds === undefined)) return true
  if (b.classIds === undefined) return false
  return b.classIds.every((c) => school.some((a) => a.classIds?.includes(c) === true))
}

/**
 * The days of `before` (an opening) that the change may close for one service: all of them,
 * unless `after` is an opening covering every place `before` covered for the service, then
 * those outside its dates.
 */
function daysLost(before: Period, after: Period | undefined, serviceId: string): LocalDate[] {
  const days = daysOf(before.from, before.to)
  const kept = isOpening(after) && before.scopes.filter((s) => s.serviceId === serviceId).every((s) => scopeCovered(after.scopes, s))
  return kept ? days.filter((d) => d < after.from || d > after.to) : days
}

/** Sorted days as runs of consecutive days, `[first, last]`. */
function runsOf(days: readonly LocalDate[]): Array<[LocalDate, LocalDate]> {
  const runs: Array<[LocalDate, LocalDate]> = []
  for (const d of days) {
    const last = runs[runs.length - 1]
    if (last !== undefined && addDays(last[1], 1) === d) last[1] = d
    else runs.push([d, d])
  }
  return runs
}

/** Adds days to a (service -> days) map. */
function add(to: Map<string, Set<LocalDate>>, serviceId: string, days: readonly LocalDate[]): void {
  const set = to.get(serviceId) ?? to.set(serviceId, new Set()).get(serviceId)!
  for (const d of days) set.add(d)
}

/**
 * Whether a service runs only during openings: its stored service record says so
 * (`openingsOnly`); a service with no stored record that an opening names is taken to (an
 * opening changes the days of no other service).
 */
async function openingsOnlyServices(tx: StorageTransaction, serviceIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(serviceIds)].sort()
  if (ids.length === 0) return new Set()
  const records = new Map<string, DirectoryRecords['service']>()
  for (const chunk of chunks(ids)) for (const [id, r] of await port(tx.directory, 'directory').getDirectoryRecords(tx.siteId, 'service', chunk)) records.set(id, r)
  return new Set(ids.filter((id) => { const r = records.get(id); return r === undefined || r.openingsOnly === true }))
}

/** The (service -> days) a set of changes may close: each closure's days, and the days each opening loses for its services that run only during openings. */
async function daysClosing(tx: StorageTransaction, changes: readonly PeriodChange[]): Promise<{ closing: Map<string, Set<LocalDate>>; openingsOnly: Set<string> }> {
  const openingsOnly = await openingsOnlyServices(tx, changes.flatMap((c) => (isOpening(c.before) ? c.before.scopes.map((s) => s.serviceId) : [])))
  const closing = new Map<string, Set<LocalDate>>()
  for (const c of changes) {
    if (isClosure(c.after)) for (const s of c.after.scopes) add(closing, s.serviceId, daysOf(c.after.from, c.after.to))
    if (isOpening(c.before)) for (const serviceId of new Set(c.before.scopes.map((s) => s.serviceId))) if (openingsOnly.has(serviceId)) add(closing, serviceId, daysLost(c.before, c.after, serviceId))
  }
  return { closing, openingsOnly }
}

/** Locks the days not locked yet, one call per service in service order, each in day order (as bookers lock them: no deadlock with a booker). */
async function lockDays(tx: StorageTransaction, wanted: Map<string, Set<LocalDate>>, locked: Map<string, Set<LocalDate>>): Promise<boolean> {
  let more = false
  for (const [serviceId, set] of [...wanted].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const held = locked.get(serviceId)
    const days = [...set].filter((d) => held?.has(d) !== true).sort()
    if (days.length === 0) continue
    await port(tx.bookings, 'bookings').lockServiceDays(tx.siteId, serviceId, days)
    add(locked, serviceId, days)
    more = true
  }
  return more
}

/**
 * The impact of period changes on the stored bookings, read through `tx`: the bookings on the days
 * the changes close for a service. A closure closes its days for the places it scopes. An opening
 * shrunk, moved, narrowed, turned into a closure or deleted closes, for a service that runs only
 * during openings (see below), the days and places it covered that no opening covers after the
 * change (the site's other stored openings are read). A service runs only during openings when
 * its stored service record says so (`openingsOnly`), or when it has no stored record (an opening
 * names it, and an opening changes the days of no other service).
 *
 * Unless `lock` is false, the days that may close are locked first (so no booker adds a booking in
 * them until the transaction ends), then each changed period is read again; if a concurrent change
 * of it was committed meanwhile, the days that version may close are locked too and it is used
 * (`stored` answers each as read). Then each active booking of those days is placed in the child's
 * school and class of that day, kept when the change does not close its day there, and split into
 * cancelled and billed (`billedBookingIds`). @internal
 *
 * @example
 * const { impact } = await periodChangeImpact(tx, [{ id: 'spring', before: stored, after: { ...stored, to: '2027-04-13' } }], false)
 * impact.cancelled.map((b) => b.date) //=> ['2027-04-14', '2027-04-15', '2027-04-16']
 */
export async function periodChangeImpact(tx: StorageTransaction, changes: readonly PeriodChange[], lock: boolean): Promise<PeriodChangeImpact> {
  const siteId = tx.siteId
  const directory = port(tx.directory, 'directory')
  let current: PeriodChange[] = [...changes]
  let { closing, openingsOnly } = await daysClosing(tx, current)
  const stored = new Map<string, PeriodRecord | undefined>(changes.map((c) => [c.id, c.before]))
  if (lock) {
    const locked = new Map<string, Set<LocalDate>>()
    await lockDays(tx, closing, locked)
    // the periods as stored now that their days are locked: one changed by another user since it was read closes its own days
    for (;;) {
      const fresh = new Map<string, PeriodRecord>()
      for (const chunk of chunks(changes.map((c) => c.id))) for (const [id, r] of await directory.getDirectoryRecords(siteId, 'period', chunk)) fresh.set(id, r)
      const same = current.every((c) => JSON.stringify(c.before) === JSON.stringify(fresh.get(c.id)))
      current = current.map((c) => ({ ...c, before: fresh.get(c.id) }))
      for (const c of current) stored.set(c.id, c.before)
      if (same) break
      ;({ closing, openingsOnly } = await daysClosing(tx, current))
      if (!(await lockDays(tx, closing, locked))) break
    }
  }
  const empty = { impact: { cancelled: [], billedInside: [] }, bookings: new Map<string, StoredBooking>(), stored }
  if (closing.size === 0) return empty
  const bookingsPort = port(tx.bookings, 'bookings')
  const found = new Map<string, StoredBooking>()
  for (const [serviceId, set] of [...closing].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    // one read per run of consecutive days (a school year's closures are not read as the whole year)
    for (const [from, to] of runsOf([...set].sort())) {
      const rows = await readAll((page) => bookingsPort.listBookings(siteId, { from, to, serviceId }, page), 1000)
      for (const b of rows) if (b.status === 'booked') found.set(b.id, b)
    }
  }
  if (found.size === 0) return empty
  // the openings after the change: the site's other stored openings (read under the locks) and the changed ones as saved
  const losing = current.filter((c) => isOpening(c.before))
  const changedIds = new Set(changes.map((c) => c.id))
  const openingsAfter: Period[] = []
  if (losing.length > 0) {
    for (const p of await readAll((page) => directory.listDirectoryRecords(siteId, 'period', page), 1000)) if (isOpening(p) && !changedIds.has(p.id)) openingsAfter.push(p)
    for (const c of current) if (isOpening(c.after)) openingsAfter.push(c.after)
  }
  const beneficiaryIds = [...new Set([...found.values()].map((b) => b.beneficiaryId))].sort()
  // one query at a time: a transaction's connection runs its queries in order
  const enrolments: Array<DirectoryRecords['enrolment']> = []
  for (const ids of chunks(beneficiaryIds)) enrolments.push(...(await directory.listDirectoryRecordsOf(siteId, 'enrolment', ids)))
  const enrolmentsOf = new Map<string, typeof enrolments>()
  for (const e of enrolments) (enrolmentsOf.get(e.beneficiaryId) ?? enrolmentsOf.set(e.beneficiaryId, []).get(e.beneficiaryId)!).push(e)
  const placed = [...found.values()].map((b): ClosedBooking => {
    const e = enrolmentsOf.get(b.beneficiaryId)?.find((x) => x.from <= b.date && (x.to === undefined || x.to === null || b.date <= x.to))
    return { bookingId: b.id, beneficiaryId: b.beneficiaryId, serviceId: b.serviceId, date: b.date, schoolId: e?.schoolId ?? '', classId: e?.classId ?? '', billed: false, prepaid: b.reservationTransferId !== undefined }
  })
  const covered = new Map<string, ClosedBooking>()
  for (const c of current) if (isClosure(c.after)) for (const b of closureImpact(c.after, placed).cancelled) covered.set(b.bookingId, b)
  // a day an opening covered and no opening covers any more, for a service that runs only during openings
  const inside = (p: Period, b: ClosedBooking) => p.from <= b.date && b.date <= p.to && periodCoversPlace(p, b)
  for (const b of placed) {
    if (covered.has(b.bookingId) || !openingsOnly.has(b.serviceId)) continue
    if (losing.some((c) => inside(c.before!, b)) && !openingsAfter.some((p) => inside(p, b))) covered.set(b.bookingId, b)
  }
  const candidates = [...covered.values()]
  // billed: a prepaid day whose reservation was posted, or a day on an invoice or a draft (the rule booking cancellations follow too)
  const billed = await billedBookingIds(tx, candidates.map((b) => found.get(b.bookingId)!))
  for (const b of candidates) if (billed.has(b.bookingId)) b.billed = true
  return {
    impact: { cancelled: candidates.filter((b) => !b.billed).sort(byDay), billedInside: candidates.filter((b) => b.billed).sort(byDay) },
    bookings: found,
    stored,
  }
}
