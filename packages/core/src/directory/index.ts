export {
  ArchiveMarkSchema, CountryCodeSchema, EmailSchema, PhoneSchema, PostalAddressSchema, RecordIdSchema, isPhoneNumber,
  optionalLimit, optionalString, optionalText, requiredString, type ArchiveMark, type PostalAddress, type PostalAddressInput,
} from './fields'
export { IMAGE_LIMITS, ImageRefSchema, checkImage, type ImageLimit, type ImageRef, type ImageRefusal, type ImageUse } from './image'
export {
  SMTP_SECURITY, SealedSecretSchema, SiteSchema, SmtpSettingsInputSchema, StoredSmtpSettingsSchema, siteView,
  type SealedSecret, type Site, type SiteInput, type SiteSettings, type SiteView, type SmtpSecurity, type SmtpSettings,
  type SmtpSettingsInput, type SmtpSettingsView, type StoredSmtpSettings,
} from './site'
export {
  LabelOverridesSchema, SchoolClassSchema, SchoolSchema, type LabelOverrides, type School, type SchoolClass, type SchoolClassInput, type SchoolInput,
} from './school'
export { HouseholdSchema, type Household, type HouseholdInput } from './household'
export {
  AttributeValuesSchema, GuardianInsuranceSchema, GuardianSchema, RELATIONSHIPS, type AttributeValues, type Guardian,
  type GuardianInput, type GuardianInsurance, type Relationship,
} from './guardian'
export { ChildSchema, GuardianLinkSchema, childSchemaAsOf, type Child, type ChildInput, type GuardianLink } from './child'
export { EnrolmentListSchema, EnrolmentSchema, findEnrolmentOverlaps, type Enrolment, type EnrolmentInput, type EnrolmentOverlap } from './enrolment'
export { SERVICE_BILLING, ServiceSchema, type Service, type ServiceBilling, type ServiceInput } from './service'
export { ServiceSubscriptionSchema, type ServiceSubscription, type ServiceSubscriptionInput } from './service-subscription'
export {
  BillingOfficeSchema, InvoiceNumberingSchema, PAYMENT_REFERENCE_SCHEMES, type BillingOffice, type BillingOfficeInput,
  type InvoiceNumbering, type PaymentReferenceScheme,
} from './billing-office'
