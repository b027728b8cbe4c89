import * as z from 'zod'
import { LocalDateSchema, fromEpochDay, toEpochDay, zonedInstant, type LocalDate } from '../time'
import { bookingStateOf, closureAt, enrolmentOn, type BookingContext } from './booking-context'
import { deadline, instantMs, isBooked, lookup } from './check-booking'
import type { BookingRefusal } from './refusal'
import { asInputError } from '../input-error'

/** What the roll call records: present, absent, or absent with an accepted excuse (not billed). */
export type AttendanceStatus = 'present' | 'absent' | 'excused'

/** A request to record attendance. */
export interface AttendanceRequest {
  /** The child. */
  beneficiaryId: string
  /** The service. */
  serviceId: string
  /** The day. */
  date: LocalDate
  /** What to record. */
  status: AttendanceStatus
  /** When it is recorded. */
  at: Date | string
}

const AttendanceRequestSchemaBase = z.strictObject({
  beneficiaryId: z.string().min(1),
  serviceId: z.string().min(1),
  date: LocalDateSchema,
  status: z.enum(['present', 'absent', 'excused']),
  at: z.union([z.date(), z.string().datetime({ offset: true })]),
})
/** A AttendanceRequest as a form or an API sends it (the input of {@link AttendanceRequestSchema}). */
export type AttendanceRequestInput = z.input<typeof AttendanceRequestSchemaBase>
/** Schema of an {@link AttendanceRequest}. */
export const AttendanceRequestSchema: z.ZodType<AttendanceRequest, AttendanceRequestInput> = AttendanceRequestSchemaBase as unknown as z.ZodType<AttendanceRequest, AttendanceRequestInput>

/**
 * The outcome of {@link checkAttendance}: allowed (with `withoutBooking` when a child is present
 * with no booking, for the surcharge rule), or refused with its reasons.
 */
export type AttendanceCheck = { ok: true; withoutBooking: boolean } | { ok: false; reasons: BookingRefusal[] }

/**
 * May this attendance be recorded now? Not before the service has started (`NOT_STARTED`: the
 * service's start time on that day, in the site's zone), and not on a day the service is closed
 * (`CLOSED`). A child present without a booking is allowed and flagged `withoutBooking`, so the
 * "attendance without booking" surcharge can apply.
 *
 * @example
 * checkAttendance(ctx, { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-03-09', status: 'present', at: '2026-03-09T10:00:00Z' })
 * //=> { ok: false, reasons: [{ code: 'NOT_STARTED', instant: '2026-03-09T10:30:00.000Z', local: '2026-03-09T11:30', timeZone: 'Europe/Paris' }] }
 * @throws EcoleError `UNKNOWN_CHILD`, `UNKNOWN_SERVICE`, `INVALID_INSTANT`, `INVALID_INPUT`.
 */
export function checkAttendance(prepared: BookingContext, request: AttendanceRequest): AttendanceCheck {
  try {
    const context = bookingStateOf(prepared)
    const [child, svc] = lookup(context, request.beneficiaryId, request.serviceId)
    const day = toEpochDay(request.date)
    const atMs = instantMs(request.at)
    const reasons: BookingRefusal[] = []
    const e = enrolmentOn(child, day)
    const closure = closureAt(context, svc.id, e?.schoolId ?? '', e?.classId ?? '', day)
    if (closure !== undefined) reasons.push({ code: 'CLOSED', date: fromEpochDay(day), closure })
    const start = zonedInstant(request.date, svc.startsAt, context.timeZone)
    if (atMs < start.getTime()) reasons.push({ code: 'NOT_STARTED', ...deadline(start.getTime(), context.timeZone) })
    if (reasons.length > 0) return { ok: false, reasons }
    return { ok: true, withoutBooking: request.status === 'present' && !isBooked(child, svc.id, day, undefined) }
  } catch (error) {
    throw asInputError(error, 'checkAttendance', { prepared: [prepared, 'object', 'a prepared booking context'], request: [request, 'object', 'an attendance request'] })
  }
}
