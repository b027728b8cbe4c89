import { EcoleError, type LocalDate } from '@ecole/core'
import { assertConsentAcceptancePaging, type BookedDays, type BookingFilter, type BookingStore, type ConsentAcceptanceFilter, type Page, type PageRequest, type PutBookingResult, type StoredAttendance, type StoredBooking, type StoredConsentAcceptance } from '@ecole/core/ports'
import { BULK_PAGE_LIMIT, pageLimit, splitCursor, toPage, tupleKey, type PgAccess } from './access'
import type { SqlClient } from './driver'

interface BookingRow {
  id: string
  beneficiary_id: string
  service_id: string
  date: LocalDate
  status: StoredBooking['status']
  booked_at: Date
  cancelled_at: Date | null
  reservation_transfer_id: string | null
}

interface AttendanceRow {
  beneficiary_id: string
  service_id: string
  date: LocalDate
  status: StoredAttendance['status']
  recorded_at: Date
}

function toBooking(r: BookingRow): StoredBooking {
  const b: StoredBooking = {
    id: r.id,
    beneficiaryId: r.beneficiary_id,
    serviceId: r.service_id,
    date: r.date,
    status: r.status,
    bookedAt: r.booked_at,
  }
  if (r.cancelled_at !== null) b.cancelledAt = r.cancelled_at
  if (r.reservation_transfer_id !== null) b.reservationTransferId = r.reservation_transfer_id
  return b
}

function toAttendance(r: AttendanceRow): StoredAttendance {
  return { beneficiaryId: r.beneficiary_id, serviceId: r.service_id, date: r.date, status: r.status, recordedAt: r.recorded_at }
}

interface BookedDaysRow {
  beneficiary_id: string
  service_id: string
  /** The booked days as 'YYYY-MM-DD' strings end to end, ascending. */
  dates: string
  /** The attendance of the beneficiary and service in the days, ascending: 'YYYY-MM-DD' and p(resent), a(bsent) or e(xcused), end to end; null when none. */
  attendance: string | null
}

const ATTENDANCE_LETTER: Record<string, StoredAttendance['status']> = { p: 'present', a: 'absent', e: 'excused' }

/**
 * The page cap of {@link PgBookingStore.listBookedDays}: rows of a child and a service (a month of
 * them is about 20 days in two short strings), so a 50,000-child month comes in 3 pages.
 */
const BOOKED_DAYS_PAGE_LIMIT = 50_000

function toBookedDays(r: BookedDaysRow): BookedDays {
  const n = r.dates.length / 10
  const dates = new Array<LocalDate>(n)
  const attendance = new Array<StoredAttendance['status'] | undefined>(n)
  const att = r.attendance ?? ''
  let j = 0
  for (let i = 0; i < n; i++) {
    const date = r.dates.slice(i * 10, i * 10 + 10) as LocalDate
    dates[i] = date
    // both lists ascend: skip the attendance of days not booked
    while (j < att.length && att.slice(j, j + 10) < date) j += 11
    attendance[i] = j < att.length && att.slice(j, j + 10) === date ? ATTENDANCE_LETTER[att[j + 10] as string] : undefined
  }
  return { beneficiaryId: r.beneficiary_id, serviceId: r.service_id, dates, attendance }
}

const BOOKING_COLUMNS = 'id, beneficiary_id, service_id, date, status, booked_at, cancelled_at, reservation_transfer_id'

/** The PostgreSQL {@link BookingStore}; a partial unique index keeps one active booking per slot. @internal */
export class PgBookingStore implements BookingStore {
  constructor(private readonly access: PgAccess) {}

  putBooking(siteId: string, booking: StoredBooking): Promise<PutBookingResult> {
    return this.access(siteId, ({ client }) => this.putOne(client, siteId, booking))
  }

  private async putOne(client: SqlClient, siteId: string, booking: StoredBooking): Promise<PutBookingResult> {
    const holderOf = async (): Promise<string | undefined> => {
      const rows = await client.query<{ id: string }>(
        `SELECT id FROM ecole_bookings WHERE site_id = $1 AND beneficiary_id = $2 AND service_id = $3 AND date = $4::date AND status = 'booked' AND id <> $5`,
        [siteId, booking.beneficiaryId, booking.serviceId, booking.date, booking.id],
      )
      return rows[0]?.id
    }
    if (booking.status === 'booked') {
      const holder = await holderOf()
      if (holder !== undefined) return { status: 'conflict', existingId: holder }
    }
    const values = [
      siteId,
      booking.id,
      booking.beneficiaryId,
      booking.serviceId,
      booking.date,
      booking.status,
      booking.bookedAt,
      booking.cancelledAt ?? null,
      booking.reservationTransferId ?? null,
    ]
    const updated = await client.query(
      `UPDATE ecole_bookings SET beneficiary_id = $3, service_id = $4, date = $5::date, status = $6, booked_at = $7, cancelled_at = $8, reservation_transfer_id = $9
       WHERE site_id = $1 AND id = $2 RETURNING id`,
      values,
    )
    if (updated.length > 0) return { status: 'updated' }
    const inserted = await client.query(
      `INSERT INTO ecole_bookings (site_id, ${BOOKING_COLUMNS}) VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8, $9)
       ON CONFLICT DO NOTHING RETURNING id`,
      values,
    )
    if (inserted.length > 0) return { status: 'created' }
    // A concurrent transaction took the slot (or the id) between our check and our insert.
    const holder = await holderOf()
    if (holder !== undefined) return { status: 'conflict', existingId: holder }
    await client.query(
      `UPDATE ecole_bookings SET beneficiary_id = $3, service_id = $4, date = $5::date, status = $6, booked_at = $7, cancelled_at = $8, reservation_transfer_id = $9
       WHERE site_id = $1 AND id = $2`,
      values,
    )
    return { status: 'updated' }
  }

  putBookings(siteId: string, bookings: readonly StoredBooking[]): Promise<PutBookingResult[]> {
    return this.access(siteId, async ({ client }): Promise<PutBookingResult[]> => {
      assertBookingBatch(bookings)
      if (bookings.length === 0) return []
      // One statement: each booking is checked against the rows stored before it (the snapshot),
      // by index probes (correlated subqueries: no join order or hash of the site's bookings for
      // the planner to choose, whatever the table's statistics say), the free ones are updated (same id) or inserted (new id); an insert that meets a row a
      // concurrent writer committed meanwhile (same slot or id) is skipped by ON CONFLICT, and
      // settled below by the single-booking path, which sees that row. Rows are inserted in slot
      // order, so two writers of overlapping batches wait for each other in the same order.
      const rows = await client.query<{ holder: string | null; updated: boolean; inserted: boolean }>(
        `WITH input AS (
           SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
             WITH ORDINALITY AS t(id, beneficiary_id, service_id, date, status, booked_at, cancelled_at, reservation_transfer_id, ord)
         ), checked AS MATERIALIZED (
           SELECT i.*,
             CASE WHEN i.status = 'booked' THEN (
               SELECT b.id FROM ecole_bookings b
               WHERE b.site_id = $1 AND b.beneficiary_id = i.beneficiary_id AND b.service_id = i.service_id AND b.date = i.date::date
                 AND b.status = 'booked' AND b.id <> i.id LIMIT 1
             ) END AS holder,
             (SELECT true FROM ecole_bookings b WHERE b.site_id = $1 AND b.id = i.id) AS known
           FROM input i
         ), upd AS (
           UPDATE ecole_bookings b SET beneficiary_id = f.beneficiary_id, service_id = f.service_id, date = f.date::date, status = f.status,
             booked_at = f.booked_at::timestamptz, cancelled_at = f.cancelled_at::timestamptz, reservation_transfer_id = f.reservation_transfer_id
           FROM checked f
           WHERE b.site_id = $1 AND b.id = ANY (ARRAY(SELECT k.id FROM checked k WHERE k.holder IS NULL AND k.known))
             AND f.holder IS NULL AND f.known AND b.id = f.id
           RETURNING b.id
         ), ins AS (
           INSERT INTO ecole_bookings (site_id, ${BOOKING_COLUMNS})
           SELECT $1, f.id, f.beneficiary_id, f.service_id, f.date::date, f.status, f.booked_at::timestamptz, f.cancelled_at::timestamptz, f.reservation_transfer_id
           FROM checked f WHERE f.holder IS NULL AND f.known IS NULL
           ORDER BY f.beneficiary_id, f.service_id, f.date, f.id
           ON CONFLICT DO NOTHING RETURNING id
         )
         SELECT c.holder, (u.id IS NOT NULL) AS updated, (n.id IS NOT NULL) AS inserted
         FROM checked c LEFT JOIN upd u ON u.id = c.id LEFT JOIN ins n ON n.id = c.id
         ORDER BY c.ord`,
        [
          siteId,
          bookings.map((b) => b.id),
          bookings.map((b) => b.beneficiaryId),
          bookings.map((b) => b.serviceId),
          bookings.map((b) => b.date),
          bookings.map((b) => b.status),
          bookings.map((b) => b.bookedAt.toISOString()),
          bookings.map((b) => b.cancelledAt?.toISOString() ?? null),
          bookings.map((b) => b.reservationTransferId ?? null),
        ],
      )
      const results: PutBookingResult[] = []
      for (const [i, r] of rows.entries()) {
        if (r.holder !== null) results.push({ status: 'conflict', existingId: r.holder })
        else if (r.updated) results.push({ status: 'updated' })
        else if (r.inserted) results.push({ status: 'created' })
        // a concurrent writer took the slot or the id after the snapshot: settle it as one booking
        else results.push(await this.putOne(client, siteId, bookings[i]!))
      }
      return results
    })
  }

  getBooking(siteId: string, id: string): Promise<StoredBooking | undefined> {
    return this.access(siteId, async ({ client }) => {
      const rows = await client.query<BookingRow>(`SELECT ${BOOKING_COLUMNS} FROM ecole_bookings WHERE site_id = $1 AND id = $2`, [siteId, id])
      return rows[0] ? toBooking(rows[0]) : undefined
    })
  }

  listBookings(siteId: string, filter: BookingFilter, page?: PageRequest): Promise<Page<StoredBooking>> {
    return this.access(siteId, async ({ client }) => {
      const limit = pageLimit(page, BULK_PAGE_LIMIT)
      const after = page?.after === undefined ? [null, null, null, null] : splitCursor(page.after, 4)
      const rows = await client.query<BookingRow>(
        `SELECT ${BOOKING_COLUMNS} FROM ecole_bookings
         WHERE site_id = $1 AND date BETWEEN $2::date AND $3::date
           AND ($4::text IS NULL OR beneficiary_id = $4::text)
           AND ($5::text IS NULL OR service_id = $5::text)
           AND ($6::date IS NULL OR (date, beneficiary_id, service_id, id) > ($6::date, $7::text, $8::text, $9::text))
         ORDER BY date, beneficiary_id, service_id, id
         LIMIT $10`,
        [siteId, filter.from, filter.to, filter.beneficiaryId ?? null, filter.serviceId ?? null, ...after, limit + 1],
      )
      return toPage(rows, limit, toBooking, (r) => tupleKey(r.date, r.beneficiary_id, r.service_id, r.id))
    })
  }

  putAttendance(siteId: string, a: StoredAttendance): Promise<void> {
    return this.access(siteId, async ({ client }) => {
      await client.query(
        `INSERT INTO ecole_attendance (site_id, date, beneficiary_id, service_id, status, recorded_at) VALUES ($1, $2::date, $3, $4, $5, $6)
         ON CONFLICT (site_id, date, beneficiary_id, service_id) DO UPDATE SET status = EXCLUDED.status, recorded_at = EXCLUDED.recorded_at`,
        [siteId, a.date, a.beneficiaryId, a.serviceId, a.status, a.recordedAt],
      )
    })
  }

  putAttendances(siteId: string, attendance: readonly StoredAttendance[]): Promise<void> {
    // the later record of a (beneficiary, service, day) given twice wins, as with putAttendance in turn
    const last = new Map<string, StoredAttendance>()
    for (const a of attendance) last.set(tupleKey(a.date, a.beneficiaryId, a.serviceId), a)
    const rows = [...last.values()]
    return this.access(siteId, async ({ client }) => {
      if (rows.length === 0) return
      await client.query(
        `INSERT INTO ecole_attendance (site_id, date, beneficiary_id, service_id, status, recorded_at)
         SELECT $1, v.date::date, v.beneficiary_id, v.service_id, v.status, v.recorded_at::timestamptz
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS v(date, beneficiary_id, service_id, status, recorded_at)
         ON CONFLICT (site_id, date, beneficiary_id, service_id) DO UPDATE SET status = EXCLUDED.status, recorded_at = EXCLUDED.recorded_at`,
        [siteId, rows.map((a) => a.date), rows.map((a) => a.beneficiaryId), rows.map((a) => a.serviceId), rows.map((a) => a.status), rows.map((a) => a.recordedAt.toISOString())],
      )
    })
  }

  listAttendance(siteId: string, filter: BookingFilter, page?: PageRequest): Promise<Page<StoredAttendance>> {
    return this.access(siteId, async ({ client }) => {
      const limit = pageLimit(page, BULK_PAGE_LIMIT)
      const after = page?.after === undefined ? [null, null, null] : splitCursor(page.after, 3)
      const rows = await client.query<AttendanceRow>(
        `SELECT beneficiary_id, service_id, date, status, recorded_at FROM ecole_attendance
         WHERE site_id = $1 AND date BETWEEN $2::date AND $3::date
           AND ($4::text IS NULL OR beneficiary_id = $4::text)
           AND ($5::text IS NULL OR service_id = $5::text)
           AND ($6::date IS NULL OR (date, beneficiary_id, service_id) > ($6::date, $7::text, $8::text))
         ORDER BY date, beneficiary_id, service_id
         LIMIT $9`,
        [siteId, filter.from, filter.to, filter.beneficiaryId ?? null, filter.serviceId ?? null, ...after, limit + 1],
      )
      return toPage(rows, limit, toAttendance, (r) => tupleKey(r.date, r.beneficiary_id, r.service_id))
    })
  }

  // one row per (beneficiary, service): the days as one string, the attendance of the page's
  // beneficiaries as another ('YYYY-MM-DD' and a letter a record), merged here by date (far
  // cheaper than a million rows, or than pg's array parser). The bookings are read in the order
  // of the one-active-booking index (site, beneficiary, service, date) WHERE booked; the
  // attendance is aggregated apart over the page's beneficiaries and merge-joined: a lookup per
  // booked day (the planner's choice for a plain join) took 2.7 times as long on a month.
  listBookedDays(siteId: string, filter: BookingFilter, page?: PageRequest): Promise<Page<BookedDays>> {
    return this.access(siteId, async ({ client }) => {
      const limit = pageLimit(page, BOOKED_DAYS_PAGE_LIMIT)
      const after = page?.after === undefined ? [null, null] : splitCursor(page.after, 2)
      const rows = await client.query<BookedDaysRow>(
        `WITH page AS MATERIALIZED (
           SELECT beneficiary_id, service_id, string_agg(to_char(date, 'YYYY-MM-DD'), '' ORDER BY date) AS dates
             FROM ecole_bookings
            WHERE site_id = $1 AND status = 'booked' AND date BETWEEN $2::date AND $3::date
              AND ($4::text IS NULL OR beneficiary_id = $4::text)
              AND ($5::text IS NULL OR service_id = $5::text)
              AND ($6::text IS NULL OR (beneficiary_id, service_id) > ($6::text, $7::text))
            GROUP BY beneficiary_id, service_id
            ORDER BY beneficiary_id, service_id
            LIMIT $8)
         SELECT p.beneficiary_id, p.service_id, p.dates, att.attendance
           FROM page p
           LEFT JOIN (
             SELECT beneficiary_id, service_id, string_agg(to_char(date, 'YYYY-MM-DD') || left(status, 1), '' ORDER BY date) AS attendance
               FROM ecole_attendance
              WHERE site_id = $1 AND date BETWEEN $2::date AND $3::date
                AND beneficiary_id BETWEEN (SELECT min(beneficiary_id) FROM page) AND (SELECT max(beneficiary_id) FROM page)
                AND ($5::text IS NULL OR service_id = $5::text)
              GROUP BY beneficiary_id, service_id) att
             ON att.beneficiary_id = p.beneficiary_id AND att.service_id = p.service_id
          ORDER BY p.beneficiary_id, p.service_id`,
        [siteId, filter.from, filter.to, filter.beneficiaryId ?? null, filter.serviceId ?? null, ...after, limit + 1],
      )
      return toPage(rows, limit, toBookedDays, (r) => tupleKey(r.beneficiary_id, r.service_id))
    })
  }

  // a row lock per (site, service, day) in ecole_booking_day_locks, held until the transaction
  // ends: the missing rows are inserted (a concurrent inserter of the same row waits for the
  // first), then all are locked in day order (no deadlock between bookers of overlapping days)
  lockServiceDays(siteId: string, serviceId: string, dates: readonly LocalDate[]): Promise<void> {
    const days = [...new Set(dates)].sort()
    if (days.length === 0) return Promise.resolve()
    return this.access(siteId, async ({ client }) => {
      await client.query(
        `INSERT INTO ecole_booking_day_locks (site_id, service_id, date) SELECT $1, $2, d FROM unnest($3::date[]) AS d ORDER BY d
         ON CONFLICT (site_id, service_id, date) DO NOTHING`,
        [siteId, serviceId, days],
      )
      await client.query(
        `SELECT date FROM ecole_booking_day_locks WHERE site_id = $1 AND service_id = $2 AND date = ANY($3::date[]) ORDER BY date FOR UPDATE`,
        [siteId, serviceId, days],
      )
    })
  }

  acceptConsent(siteId: string, a: StoredConsentAcceptance): Promise<'created' | 'already-accepted'> {
    return this.access(siteId, async ({ client }) => {
      const rows = await client.query<{ consent_id: string }>(
        `INSERT INTO ecole_consent_acceptances (site_id, consent_id, guardian_id, accepted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_id, consent_id, guardian_id) DO NOTHING RETURNING consent_id`,
        [siteId, a.consentId, a.guardianId, a.acceptedAt],
      )
      return rows.length > 0 ? ('created' as const) : ('already-accepted' as const)
    })
  }

  withdrawConsent(siteId: string, consentId: string, guardianId: string): Promise<boolean> {
    return this.access(siteId, async ({ client }) => {
      const rows = await client.query<{ consent_id: string }>(
        `DELETE FROM ecole_consent_acceptances WHERE site_id = $1 AND consent_id = $2 AND guardian_id = $3 RETURNING consent_id`,
        [siteId, consentId, guardianId],
      )
      return rows.length > 0
    })
  }

  listConsentAcceptances(siteId: string, filter: ConsentAcceptanceFilter = {}): Promise<StoredConsentAcceptance[]> {
    return this.access(siteId, async ({ client }) => {
      assertConsentAcceptancePaging(filter)
      // with consentId, the primary key (site_id, consent_id, guardian_id) serves the page in order
      const rows = await client.query<{ consent_id: string; guardian_id: string; accepted_at: Date }>(
        `SELECT consent_id, guardian_id, accepted_at FROM ecole_consent_acceptances
         WHERE site_id = $1 AND ($2::text IS NULL OR guardian_id = $2::text) AND ($3::text IS NULL OR consent_id = $3::text)
           AND ($4::text IS NULL OR guardian_id > $4::text)
         ORDER BY consent_id, guardian_id
         LIMIT $5::int`,
        [siteId, filter.guardianId ?? null, filter.consentId ?? null, filter.afterGuardianId ?? null, filter.limit ?? null],
      )
      return rows.map((r) => ({ consentId: r.consent_id, guardianId: r.guardian_id, acceptedAt: r.accepted_at }))
    })
  }
}

/**
 * Refuses a batch of bookings that holds an id or a (beneficiary, service, day) slot twice
 * (INVALID_INPUT, before anything is written). @internal
 */
export function assertBookingBatch(bookings: readonly StoredBooking[]): void {
  const ids = new Set<string>()
  const slots = new Set<string>()
  for (const [i, b] of bookings.entries()) {
    const slot = tupleKey(b.beneficiaryId, b.serviceId, b.date)
    const field = ids.has(b.id) ? 'id' : slots.has(slot) ? 'slot' : undefined
    if (field !== undefined) {
      const what = field === 'id' ? `id ${b.id}` : `beneficiary ${b.beneficiaryId}, service ${b.serviceId} and day ${b.date}`
      throw new EcoleError('INVALID_INPUT', `bookings[${i}]: a batch may hold each booking id and each beneficiary, service and day only once; ${what} comes twice (split the batch)`, {
        details: { issues: [{ path: `bookings.${i}.${field === 'id' ? 'id' : 'date'}`, code: 'duplicate', message: `${what} comes twice in the batch` }] },
      })
    }
    ids.add(b.id)
    slots.add(slot)
  }
}
