export {
  acceptBookingConsent, changeBookings, guardianConsents, loadBookingContext, loadBookingFacts, siteConsents, withdrawBookingConsent,
  type BookingDeps, type BookingFacts, type BookingSiteSettings, type LoadBookingFactsOptions, type ChangeBookingsRequest, type ConsentAnswer, type DayOutcome, type GuardianConsent,
  type LoadBookingContextOptions, type PortalAudit,
} from './booking-service'
export { applyWeekTemplate, type ApplyWeekTemplateRequest } from './apply-week-template'
