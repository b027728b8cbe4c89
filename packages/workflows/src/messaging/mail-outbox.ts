import * as z from 'zod'
import { asInputError, checkOptions, EcoleError, EmailSchema, HEADER_LINE_BREAKS, headerValueProblem, type OptionKinds } from '@ecole/core'
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

const QUEUED_KINDS: OptionKinds<QueuedMail> = { id: 'any', purpose: 'any', recipientId: 'string?', mail: 'object', availableAt: 'instant?' }
/** The message's keys (`messageId` allowed, and ignored, as the type says). */
const MAIL_KINDS: OptionKinds<OutgoingMail> = {
  from: 'any', to: 'any', subject: 'any', html: 'string?', text: 'string?', messageId: 'any', replyTo: 'string?', listUnsubscribe: 'string?', attachments: 'array?',
}

/** Checks a queued mail's keys and its message's (`INVALID_INPUT` naming `<param>.<key>` and the nearest known key). */
function checkQueued(fn: string, param: string, queued: unknown): void {
  const q = checkOptions<QueuedMail>(fn, param, queued, QUEUED_KINDS)
  checkOptions<OutgoingMail>(fn, `${param}.mail`, q.mail, MAIL_KINDS)
}

/** `INVALID_HEADER` naming the field's path (`queued.mail.subject`) in the message, `details.field` and `details.issues`. */
function headerError(path: string, message: string, rule: string): EcoleError<'INVALID_HEADER'> {
  return new EcoleError('INVALID_HEADER', `${path}: ${message}`, { details: { field: path, rule, issues: [{ path, code: 'custom', message }] } })
}

/**
 * Refuses a header value the mailer would refuse at send, by the same rule (core's
 * `headerValueProblem`): a line break (CR, LF, U+0085, U+2028, U+2029) or another control
 * character (U+0000-U+001F but the tab, U+007F).
 */
function refuseUnsafeHeader(path: string, value: string | undefined): void {
  if (value === undefined) return
  const problem = headerValueProblem(value)
  if (problem !== undefined) throw headerError(path, problem, HEADER_LINE_BREAKS.test(value) ? 'no line break in a header' : 'no control characters in a header')
}

/**
 * The recipients once each, compared ignoring case (`Marie.Dupont@Example.fr` and
 * `marie.dupont@example.fr` are one mailbox), in their order, each with its first spelling
 * (the outbox worker sends by the same rule).
 *
 * @internal
 */
export function distinctRecipients(to: readonly string[]): string[] {
  const seen = new Set<string>()
  return to.filter((address) => {
    const key = address.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * The payload stored for a mail. A header input the mailer would refuse at send — a line break
 * (CR, LF, U+0085, U+2028, U+2029) or another control character (U+0000-U+001F but the tab, U+007F) in
 * the sender, a recipient, the subject, the reply-to, `List-Unsubscribe` or an attachment's name or
 * type — is refused here already, so a mail the outbox holds is never dead for a header reason;
 * so is a malformed mail: an empty or missing id, purpose, sender or subject, no recipients, or a
 * recipient that is not one e-mail address (core's `EmailSchema`: `'a@x.fr, b@y.fr'` in one entry
 * is refused, surrounding spaces are trimmed). A recipient named twice, also in another case
 * (`Marie.Dupont@Example.fr` and `marie.dupont@example.fr`), is kept once, with its first spelling:
 * mailboxes do not tell the case of an address apart in practice (the local part's case is
 * ignored too), and the SMTP library sends one `RCPT TO` for both.
 *
 * @example
 * mailPayload({ id: 'm1', purpose: 'test', mail: { from: 'a@x.fr', to: ['b@x.fr', 'B@X.fr'], subject: 'Hi', text: 'Hello' } }).to //=> ['b@x.fr']
 * @throws EcoleError `INVALID_HEADER` naming the field's path (`mail.subject`) in `details.field` and `details.issues`; `INVALID_INPUT` naming the field (`mail.to.0`) for a malformed mail.
 */
export function mailPayload(queued: QueuedMail): MailPayload {
  return payloadOf(queued)
}

/** The shape of a queued mail: checked before anything is stored, so the worker never retries a mail that cannot go. */
const QueuedMailShape = z.object({
  id: z.string().min(1, 'must be a non-empty outbox id'),
  purpose: z.string().min(1, 'must say why the mail exists'),
  recipientId: z.string().optional(),
  mail: z.object({
    from: z.string().min(1, 'must be the sender'),
    to: z.array(z.string()).min(1, 'must name at least one recipient'),
    subject: z.string(),
    html: z.string().optional(),
    text: z.string().optional(),
    replyTo: z.string().optional(),
    listUnsubscribe: z.string().optional(),
    attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), content: z.custom<Uint8Array>((v) => ArrayBuffer.isView(v), 'must be the bytes') })).optional(),
  }),
  availableAt: z.date().optional(),
})

/** One address per entry (a comma inside an entry would add a recipient): core's e-mail rule. */
const RecipientsSchema = z.array(EmailSchema)

/**
 * {@link mailPayload}, naming the fields under `subject` (`queued.mail.to.0`): the shape first,
 * then the characters the mailer refuses in a header (`INVALID_HEADER`), then one e-mail address
 * per recipient (`INVALID_INPUT`); the recipients are then kept once each, ignoring case.
 */
function payloadOf(queued: QueuedMail, subject?: string): MailPayload {
  try {
    const shape = QueuedMailShape.safeParse(queued)
    if (!shape.success) throw EcoleError.fromZod('INVALID_INPUT', shape.error, subject)
    const m = queued.mail
    const at = (field: string) => (subject ? `${subject}.mail.${field}` : `mail.${field}`)
    refuseUnsafeHeader(at('from'), m.from)
    m.to.forEach((t, i) => refuseUnsafeHeader(at(`to.${i}`), t))
    refuseUnsafeHeader(at('subject'), m.subject)
    refuseUnsafeHeader(at('replyTo'), m.replyTo)
    refuseUnsafeHeader(at('listUnsubscribe'), m.listUnsubscribe)
    m.attachments?.forEach((a, i) => {
      refuseUnsafeHeader(at(`attachments.${i}.filename`), a.filename)
      refuseUnsafeHeader(at(`attachments.${i}.contentType`), a.contentType)
    })
    const to = RecipientsSchema.safeParse(m.to)
    if (!to.success) throw EcoleError.fromZod('INVALID_INPUT', to.error, at('to'))
    const p: MailPayload = { purpose: queued.purpose, from: m.from, to: distinctRecipients(to.data), subject: m.subject }
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
 * Everything the mailer would refuse in a header is refused here, before anything is stored, and
 * a recipient named twice (in any case) is stored once: see {@link mailPayload}.
 *
 * @example
 * await storage.transaction('s1', async (tx) => {
 *   // ...validate the invoice...
 *   await queueMail(tx.outbox!, 's1', { id: 'invoice-42', purpose: 'invoiceAvailable', mail: { from, to: ['marie@example.fr'], subject: 'Facture 42', text: '...' } })
 * })
 * @throws EcoleError `INVALID_HEADER` (a line break or a control character in a header input, `details.field` naming it: `queued.mail.subject`), `INVALID_INPUT`, `IDEMPOTENCY_CONFLICT` (same id, another mail).
 */
export async function queueMail(outbox: OutboxStore, siteId: string, queued: QueuedMail): Promise<OutboxEnqueueResult> {
  try {
    checkQueued('queueMail', 'queued', queued)
    return await outbox.enqueue(siteId, { id: queued.id, topic: MAIL_TOPIC, payload: payloadOf(queued, 'queued'), availableAt: queued.availableAt })
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
    if (Array.isArray(queued)) queued.forEach((q, i) => checkQueued('queueMails', `queued.${i}`, q))
    return await outbox.enqueueMany(
      siteId,
      queued.map((q, i) => ({ id: q.id, topic: MAIL_TOPIC, payload: payloadOf(q, `queued.${i}`), availableAt: q.availableAt })),
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
