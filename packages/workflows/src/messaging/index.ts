export { MAIL_TOPIC, mailPayload, outboxMessageId, outgoingMail, queueMail, queueMails, type MailPayload, type QueuedMail } from './mail-outbox'
export {
  deliverOutbox, startOutboxWorker, type DeliverOutboxOptions, type DeliveryReport, type MailDeliveryRecord, type OutboxWorker, type OutboxWorkerOptions, type OutboxWorkerPorts,
  type StartOutboxWorkerOptions,
  type RecipientDelivery,
} from './outbox-worker'
export { discardDeadLetter, listDeadLetters, retryDeadLetter, type DeadLetter } from './dead-letters'
export { htmlToText } from './html-to-text'
export { SANITIZED_HTML_TAGS, sanitizeHtml } from './sanitize-html'
export { mailSender, type MailFrom } from './sender'
export {
  assertTemplate, previewGroupMessage, queueFamilyMessage, queueGroupMessage, type GroupMessagePreview, type GroupMessageResult, type PreviewGroupMessageArgs, type QueueFamilyMessageArgs,
  type QueueGroupMessageArgs,
} from './group-message'
export {
  queueDocumentNotices, queueLowBalanceAlerts, queueMailFromAccount, queuePortalTokenMail, testMailAccount, type DocumentNotice, type DocumentNotify, type NoticeAttachmentContext, type LowBalanceAlertsArgs,
  type MailFromAccountArgs, type NoticeDocumentKind, type PortalTokenMailArgs, type QueueDocumentNoticesArgs, type TestMailAccountArgs,
} from './notifications'
export { mailAccountsOf, removeMailAccount, saveMailAccount, type MailAccountRef, type MailAccountsOfArgs, type SaveMailAccountArgs, type SaveMailAccountResult } from './mail-accounts'
