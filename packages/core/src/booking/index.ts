export { AttendanceRequestSchema, checkAttendance, type AttendanceCheck, type AttendanceRequest, type AttendanceStatus } from './attendance'
export {
  BookingContextInputSchema, BookingServiceSchema, isBookingContext, prepareBookingContext, type BookingContext, type BookingContextInput, type BookingServiceInput,
} from './booking-context'
export { BookingActorSchema, BookingRequestSchema, checkBooking, type BookingActor, type BookingRequest } from './check-booking'
export { CutoffRuleSchema, cutoffDay, cutoffInstant, type CutoffDayCounters, type CutoffRule } from './cutoff'
export { BOOKING_REFUSAL_CODES, type BookingAction, type BookingCheck, type BookingRefusal, type BookingRefusalCode, type RefusalDeadline } from './refusal'
export { BOOKING_MESSAGE_LOCALES, bookingRefusalMessage, type BookingMessageLocale } from './refusal-messages'
export {
  WeekTemplateSchema, planWeekTemplate, planWeekTemplates, weekTemplateDates, weekTemplateRRule,
  type WeekRecurrence, type WeekTemplate, type WeekTemplateCancellation, type WeekTemplateDay, type WeekTemplateOptions, type WeekTemplateResult,
} from './week-template'
export { bookingReservations, type BookingReservation } from './reservations'
export type { BookingActorInput, BookingRequestInput } from './check-booking'
export type { WeekTemplateInput } from './week-template'
export type { CutoffRuleInput } from './cutoff'
export type { AttendanceRequestInput } from './attendance'
