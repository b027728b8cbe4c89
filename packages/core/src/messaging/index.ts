export {
  ConsentSchema, ConsentScopeSchema, acceptConsent, consentAcceptances, consentApplies, consentsForBooking, missingConsents,
  type BookingConsentInput, type Consent, type ConsentAcceptance, type ConsentAcceptanceLine, type ConsentInput, type ConsentQuery,
  type ConsentScope,
} from './consent'
export {
  BYTES_PER_GB, DOCUMENT_AUDIENCE_KINDS, DOCUMENT_FILTER_KEYS, DocumentAudienceSchema, PortalDocumentSchema, checkDocumentFilter, checkStorageQuota,
  documentsForGuardian, isDocumentAvailable, matchesDocumentFilter, sniffDocumentType, storageUsed,
  type DocumentAudience, type DocumentFilter, type DocumentViewer, type PortalDocument, type PortalDocumentInput, type SniffedMediaType, type StorageQuotaCheck,
} from './document'
export {
  MessageTemplateSchema, TEMPLATE_VARIABLES, checkTemplate, escapeHtml, mailMerge, parseTemplate, type MailMergeResult,
  type MergeRecipient, type MergedMessage, type MessageTemplate, type MessageTemplateInput, type TemplateContext, type TemplatePart,
  type TemplateProblem,
} from './template'
export { directoryValues, selectRecipients, type Recipient, type RecipientFilter, type RecipientSelection } from './recipients'
export {
  MailAccountSchema, authoriseOnMailAccount, canSendFrom, mailFrom, revokeFromMailAccount, type MailAccount, type MailAccountInput,
} from './mail-account'
export { PortalTextsSchema, type PortalTexts, type PortalTextsInput } from './portal-texts'
export { MAIL_LOCALES, formatMailDate, mailerCheckText, type MailCheckOutcome, type MailCheckStage, type MailLocale } from './mail-texts'
export { HEADER_CONTROL_CHARACTERS, HEADER_LINE_BREAKS, assertHeaderValue, hasHeaderLineBreak, headerText, headerValueProblem } from './header-text'
export {
  CONSENT_ID_MAX, CONSENT_LANGUAGES, CONSENT_TEXT_MAX, bookingConsentOf, consentOfVersionId, consentText, consentVersionId, defineConsent, reviseConsent,
  type ConsentLanguage, type ConsentRecord, type ConsentRecordInput,
} from './consent-records'
