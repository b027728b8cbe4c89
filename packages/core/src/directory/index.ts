export {
  ArchiveMarkSchema, CountryCodeSchema, EmailSchema, PhoneSchema, PostalAddressSchema, RecordIdSchema, isPhoneNumber,
  optionalLimit, optionalString, optionalText, requiredString, type ArchiveMark, type PostalAddress, type PostalAddressInput,
} from './fields'
export { NAME_FORBIDDEN_CHARACTERS, personName } from './person-name'
export { IMAGE_LIMITS, ImageRefSchema, checkImage, type ImageLimit, type ImageRef, type ImageRefusal, type ImageUse } from './image'
export {
  PORTAL_LANGUAGES, PORTAL_TEXT_KEYS, SMTP_SECURITY, SealedSecretSchema, SiteSchema, SmtpSettingsInputSchema, StoredSmtpSettingsSchema, portalText, siteView,
  type PortalLanguage, type PortalTextKey, type SealedSecret, type Site, type SiteInput, type SiteSettings, type SiteToStore, type SiteView, type SmtpSecurity, type SmtpSettings,
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
export { BillingOfficeSchema, PAYMENT_REFERENCE_SCHEMES, type BillingOffice, type BillingOfficeInput } from './billing-office'
export {
  emptyDirectory, type DirectoryOutcome, type DirectoryRefusal, type DirectoryRefusalCode, type DirectoryState,
} from './directory-state'
export {
  addChild, addGuardian, createHousehold, householdMembers, householdsOfChild, linkChildToGuardian, moveChild, moveGuardian, renameHousehold,
  unlinkChildFromGuardian, updateGuardianContact, type CreateHouseholdArgs, type GuardianContactChanges, type HouseholdChildStep, type MoveTarget, type NewChildInput,
  type NewGuardianInput, type NewHouseholdInput,
} from './household-operations'
export { archiveChild, archiveGuardian, unarchiveChild, unarchiveGuardian, type ArchiveGuardianArgs } from './archive'
export {
  countPupils, endEnrolment, enrol, enrolmentOn, servicesOn, setAdultBooking, subscribeToService, type EnrolOptions,
} from './enrolment-operations'
export {
  CustomAttributeSchema, checkAttributeValues, setAttributeValue, type AttributeValueProblem, type CustomAttribute,
  type CustomAttributeInput,
} from './custom-attribute'
export { PupilTransferSchema, pupilTransfer, pupilTransferId, type PupilTransfer, type PupilTransferInput } from './pupil-transfer'
export { InsuranceSchema, removeGuardianInsurance, setGuardianInsurance, type Insurance, type InsuranceInput } from './insurance'
export {
  FRENCH_COUNTRIES, checkPupilTransfer, diplomaLabel, isFrenchCountry, missingEstablishmentFields, planPupilTransfer,
  removeSchoolImage, resetDiplomaLabels, setDiplomaLabels, setPupilTransfer, setSchoolImage, type EstablishmentField,
  type EstablishmentOutcome, type EstablishmentRefusal, type PupilTransferPlan, type PupilWithoutIne,
} from './establishment'
export {
  createBillingOffice, createSchool, createSchoolClass, createService, type CreateResult, type NewBillingOfficeInput, type NewSchoolClassInput,
  type NewSchoolInput, type NewServiceInput,
} from './directory-setup'
export { bookingServicesOf, directoryForBooking, type BookingBeneficiaryInput, type DirectoryBookingInput } from './booking-input'
export {
  DIRECTORY_SEARCH_KINDS, DirectorySearchSchema, MAX_NAME_SEARCH_WORDS, NAME_FOLDS, NAME_WORD_SEPARATORS, foldName, matchesDirectorySearch, nameWords,
  prepareDirectorySearch, searchedName, type DirectorySearch, type DirectorySearchKind, type DirectorySearchRecords, type PreparedDirectorySearch,
} from './name-search'
