export { MAIL_TOPIC, mailPayload, outboxMessageId, outgoingMail, queueMail, type MailPayload, type QueuedMail } from './mail-outbox'
export {
  deliverOutbox, startOutboxWorker, type DeliveryReport, type MailDeliveryRecord, type OutboxWorker, type OutboxWorkerOptions, type OutboxWorkerPorts,
  type RecipientDelivery,
} from './outbox-worker'
export { discardDeadLetter, listDeadLetters, retryDeadLetter, type DeadLetter } from './dead-letters'
