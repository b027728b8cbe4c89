/**
 * The mailer port: checks SMTP settings and sends mail (adapter: `@ecole/mail-smtp`).
 *
 * @module
 */
import type { SmtpSettings } from '../directory'

/** A test message sent during a check of SMTP settings. */
export interface MailerTestMessage {
  /** Where to send it. */
  to: string
  /** Subject. */
  subject: string
  /** Plain-text body. */
  text: string
}

/** The stage of an SMTP check that failed. */
export type MailerCheckStage = 'connect' | 'authenticate' | 'send'

/** What a check of SMTP settings found. */
export type MailerCheck = { ok: true; testMessageId?: string | undefined } | { ok: false; stage: MailerCheckStage; reason: string }

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
 * - `send` uses the site's own SMTP settings when given, the platform's sender otherwise.
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
   * Sends a message, through the site's SMTP settings when given.
   *
   * @example
   * await mailer.send('site-1', { from: '"École" <ecole@ville.fr>', to: ['marie@example.fr'], subject: 'Bonjour', text: '...' })
   */
  send(siteId: string, message: OutgoingMail, settings?: SmtpSettings | undefined): Promise<{ messageId: string }>
}
