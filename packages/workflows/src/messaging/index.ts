export { MAIL_TOPIC, mailPayload, outboxMessageId, outgoingMail, queueMail, queueMails, type MailPayload, type QueuedMail } from './mail-outbox'
export {
  deliverOutbox, startOutboxWorker, type DeliveryReport, type MailDeliveryRecord, type OutboxWorker, type OutboxWorkerOptions, type OutboxWorkerPorts,
  type RecipientDelivery,
} from './outbox-worker'
export { discardDeadLetter, listDeadLetters, retryDeadLetter, type DeadLetter } from './dead-letters'
export { htmlToText, mailSender } from './sender'
export { assertTemplate, previewGroupMessage, queueFamilyMessage, queueGroupMessage, type GroupMessagePreview, type GroupMessageResult } from './group-message'
export {
  queueDocumentNotices, queueLowBalanceAlerts, queueMailFromAccount, queuePortalTokenMail, testMailAccount, type DocumentNotice, type DocumentNotify, type NoticeDocumentKind,
} from './notifications'
export { mailAccountsOf, removeMailAccount, saveMailAccount, type SaveMailAccountResult } from './mail-accounts'
