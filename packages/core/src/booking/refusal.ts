import type { UnbilledReason } from '../billing'
import type { ClosureCause } from '../calendar'
import type { MoneyInput } from '../money'
import type { LocalDate, TimeZone } from '../time'

/**
 * The stable codes of a refused booking (DOMAIN section 4, the seed's troubleshooting list made
 * into codes), plus `NOT_STARTED` for attendance recorded too early.
 */
export type BookingRefusalCode =
  | 'CHILD_ARCHIVED'
  | 'NOT_ENROLLED'
  | 'SERVICE_NOT_OFFERED'
  | 'NOT_SUBSCRIBED'
  | 'CLOSED'
  | 'NO_BILLING_RULE'
  | 'NOT_PAYER'
  | 'CONSENT_MISSING'
  | 'CUTOFF_PASSED'
  | 'INSUFFICIENT_BALANCE'
  | 'DEBT_LIMIT'
  | 'FULL'
  | 'ALREADY_BOOKED'
  | 'ALREADY_BILLED'
  | 'NOT_BOOKED'
  | 'NOT_STARTED'

/** Every {@link BookingRefusalCode}, in the order `checkBooking` reports them. */
export const BOOKING_REFUSAL_CODES = [
  'CHILD_ARCHIVED', 'NOT_ENROLLED', 'SERVICE_NOT_OFFERED', 'NOT_SUBSCRIBED', 'CLOSED', 'NO_BILLING_RULE', 'NOT_PAYER',
  'CONSENT_MISSING', 'CUTOFF_PASSED', 'INSUFFICIENT_BALANCE', 'DEBT_LIMIT', 'FULL', 'ALREADY_BOOKED', 'ALREADY_BILLED', 'NOT_BOOKED', 'NOT_STARTED',
] as const satisfies readonly BookingRefusalCode[]

/** A deadline, as a UI shows it: the instant (UTC ISO) and the site's wall-clock time and zone. */
export interface RefusalDeadline {
  /** The instant, ISO 8601 in UTC, e.g. `2026-03-06T09:00:00.000Z`. */
  instant: string
  /** The same instant on the site's clocks, `YYYY-MM-DDTHH:MM`, e.g. `2026-03-06T10:00`. */
  local: string
  /** The site's IANA time zone. */
  timeZone: TimeZone
}

/**
 * One reason a booking (or a cancellation, or an attendance) is refused: a stable `code` and the
 * parameters a UI needs to explain it.
 */
export type BookingRefusal =
  | { code: 'CHILD_ARCHIVED'; childId: string }
  | { code: 'NOT_ENROLLED'; childId: string; date: LocalDate }
  | { code: 'SERVICE_NOT_OFFERED'; serviceId: string; schoolId: string; classId: string }
  | { code: 'NOT_SUBSCRIBED'; childId: string; serviceId: string; date: LocalDate }
  | { code: 'CLOSED'; date: LocalDate; closure: ClosureCause }
  | { code: 'NO_BILLING_RULE'; reason: UnbilledReason; ruleIds: string[] }
  | { code: 'NOT_PAYER'; guardianId: string; payerIds: string[]; jointDebtorInPrepaid: boolean }
  | { code: 'CONSENT_MISSING'; consentId: string; label: string }
  | ({ code: 'CUTOFF_PASSED'; action: BookingAction } & RefusalDeadline)
  | { code: 'INSUFFICIENT_BALANCE'; guardianId: string; price: MoneyInput; available: MoneyInput; shortfall: MoneyInput }
  | { code: 'DEBT_LIMIT'; guardianId: string; debt: MoneyInput; limit: MoneyInput }
  | { code: 'FULL'; capacity: number; booked: number }
  | { code: 'ALREADY_BOOKED'; date: LocalDate }
  | { code: 'ALREADY_BILLED'; date: LocalDate }
  /** A cancellation of a day the child is not booked on: there is nothing to cancel. */
  | { code: 'NOT_BOOKED'; date: LocalDate }
  | ({ code: 'NOT_STARTED' } & RefusalDeadline)

/** Booking a day, or cancelling a booking. */
export type BookingAction = 'book' | 'cancel'

/** The outcome of `checkBooking`: allowed, or refused with every reason that applies. */
export type BookingCheck = { ok: true } | { ok: false; reasons: BookingRefusal[] }
