export {
  acceptBookingConsent, changeBookings, guardianConsents, loadBookingContext, loadBookingFacts, siteConsents, withdrawBookingConsent,
  type BookingDeps, type BookingFacts, type BookingSiteSettings, type LoadBookingFactsOptions, type ChangeBookingsRequest, type ConsentAnswer, type DayOutcome, type GuardianConsent,
  type LoadBookingContextOptions, type PortalAudit, type PortalAuditOptions, type GuardianConsentsQuery,
} from './booking-service'
export { applyWeekTemplate, type ApplyWeekTemplateRequest } from './apply-week-template'
export {
  deletePeriod, savePeriod, saveSchoolCalendar,
  type ClosedBooking, type DeletePeriodRequest, type PeriodActor, type PeriodImpact, type SavePeriodRequest, type SavePeriodResult, type SaveSchoolCalendarRequest, type SaveSchoolCalendarResult,
} from './periods'
export {
  consentAcceptancesPage, consentShownVersion, deleteConsent, listConsents, saveConsent, storedBookingConsents,
  type ConsentChange, type ConsentDeps, type ConsentWriteOptions, type SaveConsentOptions, type SavedConsent,
} from './consents'
