import { asInputError, EcoleError } from '@ecole/core'
import type { MailAttachment, OutboxEnqueueResult, OutboxStore, OutgoingMail } from '@ecole/core/ports'
import { asUseCaseError } from '../use-case-error'

/**
 * The outbox topic of an e-mail.
 *
 * @example
 * await storage.outbox!.list('s1', {}) // messages with topic MAIL_TOPIC ('mail') are the worker's to send
 */
export const MAIL_TOPIC = 'mail'

/**
 * An e-mail as the outbox stores it (plain JSON: attachments in base64). What caused it is named
 * by `purpose` (`invoiceAvailable`, `portalToken`, `groupMessage`...).
 *
 * @example
 * const p: MailPayload = { purpose: 'groupMessage', from: '"École" <no-reply@ecole.example>', to: ['marie@example.fr'], subject: 'Sortie', html: '<p>...</p>', text: '...' }
 */
export interface MailPayload {
  /** Why the message exists. */
  purpose: string
  /** The person it is for (a guardian id...), when there is one. */
  recipientId?: string | undefined
  /** `From` header. */
  from: string
  /** Recipients. */
  to: string[]
  /** Subject. */
  subject: string
  /** HTML body. */
  html?: string | undefined
  /** Plain-text body. */
  text?: string | undefined
  /** `Reply-To` address. */
  replyTo?: string | undefined
  /** `List-Unsubscribe` of a group message. */
  listUnsubscribe?: string | undefined
  /** Attachments, the bytes in base64. */
  attachments?: Array<{ filename: string; contentType: string; contentBase64: string }> | undefined
}

/**
 * A mail to queue: the message (attachments as bytes), why it exists, and when it may go.
 *
 * @example
 * const m: QueuedMail = { id: 'invoice-42', purpose: 'invoiceAvailable', mail: { from, to: ['marie@example.fr'], subject: 'Facture', text: '...' } }
 */
export interface QueuedMail {
  /** Outbox id, unique per site (it also makes the `Message-ID`). */
  id: string
  /** Why the message exists. */
  purpose: string
  /** The person it is for. */
  recipientId?: string | undefined
  /** The message (its `messageId` is ignored: the worker derives it from the outbox id). */
  mail: Omit<OutgoingMail, 'messageId'>
  /** Not to be sent before this instant (a document's display date). */
  availableAt?: Date | undefined
}

const LINE_BREAK = /[\r\n\u2028\u2029]/

function refuseLineBreak(field: string, value: string | undefined): void {
  if (value !== undefined && LINE_BREAK.test(value)) {
    throw new EcoleError('INVALID_HEADER', `mail ${field} must not contain a line break (CR or LF)`, { details: { field, rule: 'no CR/LF in a header' } })
  }
}

/**
 * The payload stored for a mail. Header inputs with a line break are refused here already, so a
 * bad message never reaches the outbox.
 *
 * @example
 * mailPayload({ id: 'm1', purpose: 'test', mail: { from: 'a@x.fr', to: ['b@x.fr'], subject: 'Hi', text: 'Hello' } }).to //=> ['b@x.fr']
 * @throws EcoleError `INVALID_HEADER` naming the field, `INVALID_INPUT` without recipients.
 */
export function mailPayload(queued: QueuedMail): MailPayload {
  try {
    const m = queued.mail
    if (m.to.length === 0) throw new EcoleError('INVALID_INPUT', 'mail to: must name at least one recipient', { details: { field: 'to' } })
    refuseLineBreak('from', m.from)
    m.to.forEach((t, i) => refuseLineBreak(`to.${i}`, t))
    refuseLineBreak('subject', m.subject)
    refuseLineBreak('replyTo', m.replyTo)
    refuseLineBreak('listUnsubscribe', m.listUnsubscribe)
    m.attachments?.forEach((a, i) => {
      refuseLineBreak(`attachments.${i}.filename`, a.filename)
      refuseLineBreak(`attachments.${i}.contentType`, a.contentType)
    })
    const p: MailPayload = { purpose: queued.purpose, from: m.from, to: [...m.to], subject: m.subject }
    if (queued.recipientId !== undefined) p.recipientId = queued.recipientId
    if (m.html !== undefined) p.html = m.html
    if (m.text !== undefined) p.text = m.text
    if (m.replyTo !== undefined) p.replyTo = m.replyTo
    if (m.listUnsubscribe !== undefined) p.listUnsubscribe = m.listUnsubscribe
    if (m.attachments && m.attachments.length > 0) {
      p.attachments = m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, contentBase64: Buffer.from(a.content).toString('base64') }))
    }
    return p
  } catch (error) {
    throw asInputError(error, 'mailPayload', { queued: [queued, 'object', 'a queued mail'] })
  }
}

/**
 * The message a stored payload describes, attachments back to bytes.
 *
 * @example
 * outgoingMail(payload, '<m1.s1@ecole.example>').messageId //=> '<m1.s1@ecole.example>'
 */
export function outgoingMail(payload: MailPayload, messageId: string, to?: readonly string[]): OutgoingMail {
  try {
    const attachments: MailAttachment[] | undefined = payload.attachments?.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: new Uint8Array(Buffer.from(a.contentBase64, 'base64')),
    }))
    return {
      from: payload.from,
      to: [...(to ?? payload.to)],
      subject: payload.subject,
      html: payload.html,
      text: payload.text,
      replyTo: payload.replyTo,
      listUnsubscribe: payload.listUnsubscribe,
      attachments,
      messageId,
    }
  } catch (error) {
    throw asInputError(error, 'outgoingMail', { payload: [payload, 'object', 'a mail payload'], messageId: [messageId, 'string'], to: [to, 'array?', 'the recipients'] })
  }
}

/**
 * Writes a mail to the outbox; call it on the transaction of the change that causes the mail
 * (`tx.outbox`), so the mail exists if and only if the change commits. Idempotent by id.
 *
 * @example
 * await storage.transaction('s1', async (tx) => {
 *   // ...validate the invoice...
 *   await queueMail(tx.outbox!, 's1', { id: 'invoice-42', purpose: 'invoiceAvailable', mail: { from, to: ['marie@example.fr'], subject: 'Facture 42', text: '...' } })
 * })
 * @throws EcoleError `INVALID_HEADER`, `INVALID_INPUT`, `IDEMPOTENCY_CONFLICT` (same id, another mail).
 */
export async function queueMail(outbox: OutboxStore, siteId: string, queued: QueuedMail): Promise<OutboxEnqueueResult> {
  try {
    return await outbox.enqueue(siteId, { id: queued.id, topic: MAIL_TOPIC, payload: mailPayload(queued), availableAt: queued.availableAt })
  } catch (error) {
    throw asUseCaseError(error, 'queueMail', { outbox: [outbox, 'object', 'the outbox port'], siteId: [siteId, 'string'], queued: [queued, 'object', 'a queued mail'] })
  }
}

/**
 * Writes many mails to the outbox at once (a group message, the notices of a batch of invoices):
 * one statement on PostgreSQL instead of one per mail, all or none. Call it on the transaction of
 * the change that causes them.
 *
 * @example
 * await storage.transaction('s1', (tx) => queueMails(tx.outbox!, 's1', mails)) //=> ['created', 'created', ...]
 * @throws EcoleError `INVALID_HEADER`, `INVALID_INPUT`, `IDEMPOTENCY_CONFLICT` (nothing stored then).
 */
export async function queueMails(outbox: OutboxStore, siteId: string, queued: readonly QueuedMail[]): Promise<OutboxEnqueueResult[]> {
  try {
    return await outbox.enqueueMany(
      siteId,
      queued.map((q) => ({ id: q.id, topic: MAIL_TOPIC, payload: mailPayload(q), availableAt: q.availableAt })),
    )
  } catch (error) {
    throw asUseCaseError(error, 'queueMails', { outbox: [outbox, 'object', 'the outbox port'], siteId: [siteId, 'string'], queued: [queued, 'array', 'the queued mails'] })
  }
}

/**
 * The `Message-ID` of an outbox mail: made of the site and the outbox id only, so a resend after a
 * crash carries the same one and the receiving side sees one message. Characters outside
 * `[A-Za-z0-9_-]` become `=XX` (their UTF-8 bytes; a lone surrogate `=UXXXX`), so distinct ids
 * stay distinct.
 *
 * @example
 * outboxMessageId('site-1', 'invoice/42', 'ecole.example') //=> '<invoice=2F42.site-1@ecole.example>'
 */
export function outboxMessageId(siteId: string, outboxId: string, domain: string): string {
  try {
    const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0')
    // per code point: its UTF-8 bytes as =XX, a lone surrogate (not valid UTF-8) as =UXXXX
    const safe = (s: string) =>
      s.replace(/[^A-Za-z0-9_-]/gu, (c) => {
        const cp = c.codePointAt(0)!
        return cp >= 0xd800 && cp <= 0xdfff ? `=U${hex(cp, 4)}` : [...Buffer.from(c, 'utf8')].map((b) => `=${hex(b, 2)}`).join('')
      })
    return `<${safe(outboxId)}.${safe(siteId)}@${domain}>`
  } catch (error) {
    throw asInputError(error, 'outboxMessageId', { siteId: [siteId, 'string'], outboxId: [outboxId, 'string'], domain: [domain, 'string'] })
  }
}
