/**
 * The mailer port: checks SMTP settings and sends mail (adapter: `@ecole/mail-smtp`).
 *
 * @module
 */
import type { SmtpSettings } from '../directory'
import type { MailCheckOutcome, MailCheckStage } from '../messaging/mail-texts'

/** A test message sent during a check of SMTP settings. */
export interface MailerTestMessage {
  /** Where to send it. */
  to: string
  /** Subject. */
  subject: string
  /** Plain-text body. */
  text: string
}

/**
 * The stage of an SMTP check, or of a send, that failed: the server's name did not resolve
 * (`dns`), nothing answered (`connect`), the TLS handshake or the required STARTTLS failed (`tls`),
 * the server refused the user name and password (`authenticate`), the sender (`sender`, `MAIL FROM`)
 * or the test recipient (`recipient`, `RCPT TO`) was refused, or the message itself was
 * refused or cut off (`send`).
 *
 * @example
 * const stage: MailerCheckStage = 'authenticate'
 */
export type MailerCheckStage = MailCheckStage

/**
 * What a check of SMTP settings found: success, or the stage that failed with the server's reply
 * (`code`, the SMTP reply code such as 535, when the server answered) and its text (`reason`).
 *
 * @example
 * const check: MailerCheck = { ok: false, stage: 'authenticate', code: 535, reason: '535 5.7.8 authentication failed' }
 */
export type MailerCheck = MailCheckOutcome

/**
 * A file attached to a message, as bytes (never a path or a URL: the mailer reads no file and
 * fetches nothing).
 *
 * @example
 * const a: MailAttachment = { filename: 'facture-2026-0042.pdf', contentType: 'application/pdf', content: pdfBytes }
 */
export interface MailAttachment {
  /** File name shown to the recipient. */
  filename: string
  /** Media type, e.g. `application/pdf`. */
  contentType: string
  /** The bytes. */
  content: Uint8Array
}

/** A message to send. */
export interface OutgoingMail {
  /** `From` header (see `mailFrom`). */
  from: string
  /** Recipients. */
  to: string[]
  /** Subject. */
  subject: string
  /** HTML body. */
  html?: string | undefined
  /** Plain-text body. */
  text?: string | undefined
  /**
   * The `Message-ID`, chosen by the caller (derived from the outbox id, so that a resend after a
   * crash carries the same id and the receiving side can tell it is the same message), in angle
   * brackets: `<mail-42.site-1@ecole.example>`. The mailer makes one when absent.
   */
  messageId?: string | undefined
  /** `Reply-To` address. */
  replyTo?: string | undefined
  /** `List-Unsubscribe` value of a group message, e.g. `<https://portal.example/unsubscribe/abc>`. */
  listUnsubscribe?: string | undefined
  /** Files attached, as bytes. */
  attachments?: readonly MailAttachment[] | undefined
}

/**
 * A recipient the server refused, with its reply: `permanent` for a 5xx reply (do not retry),
 * temporary for a 4xx reply (retry later).
 *
 * @example
 * const r: MailRecipientRefusal = { address: 'x@example.fr', code: 550, response: '550 5.1.1 no such user', permanent: true }
 */
export interface MailRecipientRefusal {
  /** The recipient's address. */
  address: string
  /** The SMTP reply code, when the server answered. */
  code?: number | undefined
  /** The server's reply. */
  response: string
  /** A 5xx reply: retrying will not help. */
  permanent: boolean
}

/**
 * What {@link Mailer.send} did: the message id, the recipients the server accepted (with its
 * reply, which usually names its queue id), and those it refused.
 *
 * @example
 * const r: MailSendResult = { messageId: '<m1.s1@ecole.example>', accepted: ['a@example.fr'], refused: [], response: '250 OK: queued as 7F3A' }
 */
export interface MailSendResult {
  /** The `Message-ID` the message went out with. */
  messageId: string
  /** Recipients the server accepted. */
  accepted: string[]
  /** Recipients the server refused (the message went to the others). */
  refused: MailRecipientRefusal[]
  /** The server's reply to the message (`250 ... queued as ...`), when it took it. */
  response?: string | undefined
}

/**
 * Options of {@link Mailer.send}.
 *
 * @example
 * const options: MailSendOptions = { signal: AbortSignal.timeout(60_000) } // not handed over after a minute
 */
export interface MailSendOptions {
  /**
   * Once aborted, the message is no longer handed to the server: a send still waiting (for its
   * turn in the rate limit, for a connection) gives up and throws `EcoleError` `ABORTED`, having
   * sent nothing. A send already handing the message over is not interrupted (a message cut in the
   * middle may still have been delivered).
   */
  signal?: AbortSignal | undefined
}

/**
 * Sends mail for a site.
 *
 * Contract:
 * - every method takes the `siteId` first;
 * - `verify` connects to the server, authenticates, and, when asked, sends the test message,
 *   stopping at the first failure; it answers with the stage that failed and the server's reason
 *   instead of throwing (a check that fails is an expected outcome);
 * - `verify` must not keep the settings: saving them is the caller's job, and only after `ok`;
 * - `send` uses the site's own SMTP settings when given, the platform's sender otherwise; it
 *   resolves with the recipients accepted and refused (all refused is a result, not an error), and
 *   throws `EcoleError` `MAIL_NOT_SENT` when the message could not be handed over at all (server
 *   down, authentication refused, connection dropped mid-message), with `details.stage`,
 *   `details.code`, `details.response` and `details.permanent`;
 * - no header may contain a line break: `send` throws `EcoleError` `INVALID_HEADER` naming the field;
 * - `send` given a `signal` that aborts before the message is handed to the server sends nothing and
 *   throws `EcoleError` `ABORTED` (never after it started handing the message over: `ABORTED`
 *   always means "not sent"); a mailer that never waits may check the signal once, before sending.
 *
 * @example
 * const check = await mailer.verify('site-1', settings, { testMessage: { to: 'me@example.it', subject: 'Test', text: 'ok' } })
 * if (!check.ok) console.log(check.stage, check.reason) //=> 'authenticate' '535 5.7.8 bad credentials'
 */
export interface Mailer {
  /**
   * Checks SMTP settings: connect, authenticate, and optionally send a test message.
   *
   * @example
   * await mailer.verify('site-1', settings) //=> { ok: true }
   */
  verify(siteId: string, settings: SmtpSettings, options?: { testMessage?: MailerTestMessage | undefined }): Promise<MailerCheck>
  /**
   * Sends a message, through the site's SMTP settings when given; not handed over once
   * `options.signal` has aborted (`ABORTED`, nothing sent).
   *
   * @example
   * await mailer.send('site-1', { from: '"École" <ecole@ville.fr>', to: ['marie@example.fr'], subject: 'Bonjour', text: '...' })
   * await mailer.send('site-1', message, undefined, { signal: leaseEnd }) // throws ABORTED (not sent) once leaseEnd aborted
   */
  send(siteId: string, message: OutgoingMail, settings?: SmtpSettings | undefined, options?: MailSendOptions): Promise<MailSendResult>
}
