/**
 * `@ecole/mail-smtp`: the `Mailer` port of `@ecole/core` over SMTP with nodemailer. Checks a
 * site's SMTP settings step by step before they are saved, sends through pooled connections with a
 * per-site rate limit, DKIM signing, attachments as bytes, and headers free of line breaks. The
 * outbox worker that calls it lives in `@ecole/workflows`.
 *
 * @packageDocumentation
 */
export { createSmtpMailer, isLoopbackHost, SmtpMailerOptionsSchema, type SmtpMailer, type SmtpMailerOptions } from './smtp-mailer'
export { classifySmtpError, type SmtpFailure } from './smtp-errors'
export { assertHeadersSafe } from './headers'
export { SlidingWindowLimiter, type RateLimit } from './rate-limit'
