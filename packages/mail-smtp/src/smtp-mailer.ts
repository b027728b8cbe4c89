import { createHash } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { EcoleError, SMTP_SECURITY, type SmtpSettings } from '@ecole/core'
import type { MailRecipientRefusal, MailSendOptions, MailSendResult, Mailer, MailerCheck, MailerTestMessage, OutgoingMail } from '@ecole/core/ports'
import nodemailer from 'nodemailer'
import * as z from 'zod'
import { assertHeadersSafe } from './headers'
import { SlidingWindowLimiter } from './rate-limit'
import { classifySmtpError } from './smtp-errors'

/** Host names that stay on this machine: the only ones `security: 'none'` may be used with. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3})$/i

/**
 * Whether a host is this machine (`localhost`, `127.x.x.x`): the only servers a mailer talks to
 * without TLS.
 *
 * @example
 * isLoopbackHost('127.0.0.1') //=> true
 * isLoopbackHost('smtp.example.fr') //=> false
 */
export function isLoopbackHost(host: string): boolean {
  if (typeof host !== 'string') return false
  return LOOPBACK.test(host)
}

const ServerSchema = z.strictObject({
  host: z.string().min(1, 'is required'),
  port: z.number().int().min(1).max(65535),
  security: z.enum(SMTP_SECURITY),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
})

/**
 * Schema of {@link SmtpMailerOptions}: the platform's own server and sender (used for every site
 * without an SMTP account of its own), DKIM, the pool, the per-site rate limit, timeouts, TLS.
 *
 * @example
 * SmtpMailerOptionsSchema.parse({ platform: { host: 'smtp.ecole.example', port: 587, security: 'starttls', username: 'u', password: 'p', fromAddress: 'no-reply@ecole.example' } })
 */
export const SmtpMailerOptionsSchema = z.strictObject({
  /** The platform's server and sender address (seed 000: the no-reply default). */
  platform: ServerSchema.extend({
    /** The platform's sender address (`no-reply@...`). */
    fromAddress: z.email('must be an e-mail address'),
    /** The platform's sender name, used when a message names none. */
    fromName: z.string().min(1).optional(),
  }),
  /** DKIM signing of every message sent through the platform's server (the private key in PEM). */
  dkim: z.strictObject({ domainName: z.string().min(1), keySelector: z.string().min(1), privateKey: z.string().min(1) }).optional(),
  /** Connection pool per server: `maxConnections` (5 when absent). */
  pool: z.strictObject({ maxConnections: z.number().int().min(1).max(50).default(5) }).default({ maxConnections: 5 }),
  /** At most `messages` sends per `perMs` milliseconds and per site (bulk sends are spread). */
  rateLimit: z.strictObject({ messages: z.number().int().min(1), perMs: z.number().positive() }).optional(),
  /** Timeouts in milliseconds: connection, greeting, socket inactivity (10 s, 10 s, 60 s when absent). */
  timeouts: z
    .strictObject({ connectMs: z.number().positive().default(10_000), greetingMs: z.number().positive().default(10_000), socketMs: z.number().positive().default(60_000) })
    .default({ connectMs: 10_000, greetingMs: 10_000, socketMs: 60_000 }),
  /** TLS: certificates are checked unless `rejectUnauthorized: false` (a test server); `ca` adds a trusted root (PEM). */
  tls: z.strictObject({ rejectUnauthorized: z.boolean().default(true), ca: z.string().optional() }).default({ rejectUnauthorized: true }),
})
/**
 * Options of {@link createSmtpMailer}, as given.
 *
 * @example
 * const o: SmtpMailerOptions = { platform: { host: '127.0.0.1', port: 2525, security: 'none', fromAddress: 'no-reply@ecole.example' } }
 */
export type SmtpMailerOptions = z.input<typeof SmtpMailerOptionsSchema>
type Options = z.output<typeof SmtpMailerOptionsSchema>
type Server = z.output<typeof ServerSchema>

/**
 * The SMTP {@link Mailer}: `verify` and `send`, plus `close` to end the pooled connections.
 *
 * @example
 * const mailer: SmtpMailer = createSmtpMailer({ platform: { host: 'smtp.ecole.example', port: 465, security: 'ssl', username: 'u', password: 'p', fromAddress: 'no-reply@ecole.example' } })
 * await mailer.close()
 */
export interface SmtpMailer extends Mailer {
  /**
   * The platform's sender address (the `From` of sites without an SMTP account).
   *
   * @example
   * mailer.platformAddress //=> 'no-reply@ecole.example'
   */
  readonly platformAddress: string
  /**
   * Closes every pooled connection (call it when the host stops).
   *
   * @example
   * await mailer.close()
   */
  close(): Promise<void>
}

type Transporter = ReturnType<typeof nodemailer.createTransport>

function siteServer(settings: SmtpSettings): Server {
  return { host: settings.host, port: settings.port, security: settings.security, username: settings.username, password: settings.password }
}

function insecureRefusal(server: Server): string | undefined {
  return server.security === 'none' && !isLoopbackHost(server.host)
    ? `security "none" sends the password and the messages in clear: it is allowed only for a server on this machine, not ${server.host}`
    : undefined
}

function siteFrom(settings: SmtpSettings): string {
  const address = settings.fromAddress ?? (settings.username.includes('@') ? settings.username : undefined)
  if (!address) return settings.username
  const name = (settings.fromName ?? '').replace(/[\r\n]+/g, ' ').replace(/(["\\])/g, '\\$1')
  return name ? `"${name}" <${address}>` : address
}

/**
 * A {@link Mailer} over SMTP with nodemailer (9.1.1 or later): one pool of connections per server
 * (the platform's, and each site's own), certificates checked, `security: 'none'` refused except
 * on loopback, STARTTLS required when asked, files and URLs never read (attachments are bytes:
 * `disableFileAccess` and `disableUrlAccess` are set on the transport and on every message), no
 * automatic resend by the pool (the outbox decides), DKIM signing when configured, and a
 * per-site rate limit.
 *
 * `verify` answers the first step that failed (`dns`, `connect`, `tls`, `authenticate`, `sender`,
 * `recipient`, `send`) with the server's reply code and text; `send` answers, per recipient,
 * accepted or refused (permanently for 5xx, temporarily for 4xx), and throws `MAIL_NOT_SENT` when
 * nothing could be handed over. A `send` given a `signal` stops waiting for its turn in the rate
 * limit once the signal aborts, and never hands over a message whose signal has aborted by then:
 * it throws `ABORTED` having sent nothing (the outbox worker's signal is its lease).
 *
 * @example
 * const mailer = createSmtpMailer({ platform: { host: 'smtp.ecole.example', port: 587, security: 'starttls', username: 'u', password: 'p', fromAddress: 'no-reply@ecole.example' }, rateLimit: { messages: 600, perMs: 60_000 } })
 * const r = await mailer.send('site-1', { from: '"École Jules Ferry" <no-reply@ecole.example>', to: ['marie@example.fr'], subject: 'Facture', text: '...', messageId: '<inv-42.site-1@ecole.example>' })
 * r.accepted //=> ['marie@example.fr']
 * await mailer.send('site-1', message, undefined, { signal: AbortSignal.timeout(30_000) }) // ABORTED (nothing sent) if the rate limit holds it 30 s
 * @throws EcoleError `INVALID_INPUT` for options that do not match {@link SmtpMailerOptionsSchema}.
 */
export function createSmtpMailer(options: SmtpMailerOptions): SmtpMailer {
  const parsed = SmtpMailerOptionsSchema.safeParse(options)
  if (!parsed.success) throw EcoleError.fromZod('INVALID_INPUT', parsed.error, 'smtpMailer')
  const o: Options = parsed.data
  const platformRefusal = insecureRefusal(o.platform)
  if (platformRefusal) throw new EcoleError('INSECURE_SMTP', `platform: ${platformRefusal}`, { details: { field: 'platform.security' } })
  const limiter = o.rateLimit ? new SlidingWindowLimiter(o.rateLimit) : undefined
  const pools = new Map<string, Transporter>()

  const transportOptions = (server: Server, pooled: boolean, dkim: boolean) => ({
    host: server.host,
    port: server.port,
    secure: server.security === 'ssl',
    requireTLS: server.security === 'starttls',
    ignoreTLS: server.security === 'none',
    ...(server.username && server.password ? { auth: { user: server.username, pass: server.password } } : {}),
    connectionTimeout: o.timeouts.connectMs,
    greetingTimeout: o.timeouts.greetingMs,
    socketTimeout: o.timeouts.socketMs,
    tls: { rejectUnauthorized: o.tls.rejectUnauthorized, ...(isIP(server.host) ? {} : { servername: server.host }), ...(o.tls.ca ? { ca: o.tls.ca } : {}) },
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(dkim && o.dkim ? { dkim: o.dkim } : {}),
    ...(pooled ? { pool: true as const, maxConnections: o.pool.maxConnections, maxMessages: Infinity, maxRequeues: 0 } : {}),
  })

  const transportFor = (settings: SmtpSettings | undefined): Transporter => {
    const server = settings ? siteServer(settings) : o.platform
    const key = settings ? createHash('sha256').update(JSON.stringify(server)).digest('hex') : 'platform'
    let t = pools.get(key)
    if (!t) {
      t = nodemailer.createTransport(transportOptions(server, true, !settings) as Parameters<typeof nodemailer.createTransport>[0])
      pools.set(key, t)
    }
    return t
  }

  const refusals = (rejected: readonly unknown[] | undefined, errors: readonly unknown[] | undefined): MailRecipientRefusal[] => {
    const byAddress = new Map<string, MailRecipientRefusal>()
    for (const e of errors ?? []) {
      const err = e as { recipient?: string; responseCode?: number; response?: string; message?: string }
      if (!err.recipient) continue
      const code = typeof err.responseCode === 'number' ? err.responseCode : undefined
      byAddress.set(err.recipient, { address: err.recipient, code, response: (err.response ?? err.message ?? '').trim(), permanent: code !== undefined && code >= 500 })
    }
    for (const r of rejected ?? []) {
      const address = String(r)
      if (!byAddress.has(address)) byAddress.set(address, { address, response: 'refused', permanent: false })
    }
    return [...byAddress.values()]
  }

  return {
    platformAddress: o.platform.fromAddress,

    async verify(_siteId: string, settings: SmtpSettings, verifyOptions?: { testMessage?: MailerTestMessage | undefined }): Promise<MailerCheck> {
      const server = siteServer(settings)
      const refusal = insecureRefusal(server)
      if (refusal) return { ok: false, stage: 'tls', reason: refusal }
      try {
        await lookup(server.host)
      } catch (e) {
        const err = e as { code?: string; message?: string }
        return { ok: false, stage: 'dns', reason: `${err.code ?? 'ENOTFOUND'}: ${server.host} does not resolve` }
      }
      const transport = nodemailer.createTransport(transportOptions(server, false, false) as Parameters<typeof nodemailer.createTransport>[0])
      try {
        try {
          await transport.verify()
        } catch (e) {
          const f = classifySmtpError(e)
          return { ok: false, stage: f.stage, code: f.code, reason: f.reason }
        }
        const test = verifyOptions?.testMessage
        if (!test) return { ok: true }
        assertHeadersSafe({ from: siteFrom(settings), to: [test.to], subject: test.subject })
        try {
          const info = await transport.sendMail({ from: siteFrom(settings), to: test.to, subject: test.subject, text: test.text, disableFileAccess: true, disableUrlAccess: true })
          const refused = refusals(info.rejected as unknown[], (info as { rejectedErrors?: unknown[] }).rejectedErrors)
          if (refused.length > 0) return { ok: false, stage: 'recipient', code: refused[0]!.code, reason: refused[0]!.response }
          return { ok: true, testMessageId: info.messageId }
        } catch (e) {
          const f = classifySmtpError(e)
          return { ok: false, stage: f.stage, code: f.code, reason: f.reason }
        }
      } finally {
        transport.close()
      }
    },

    async send(siteId: string, message: OutgoingMail, settings?: SmtpSettings | undefined, sendOptions?: MailSendOptions): Promise<MailSendResult> {
      assertHeadersSafe(message)
      if (settings) {
        const refusal = insecureRefusal(siteServer(settings))
        if (refusal) throw new EcoleError('INSECURE_SMTP', `site ${siteId}: ${refusal}`, { details: { siteId, field: 'smtp.security' } })
      }
      const transport = transportFor(settings)
      const signal = sendOptions?.signal
      if (limiter) await limiter.acquire(siteId, signal)
      // the last moment the message can still be withheld: past it, nodemailer hands it over
      if (signal?.aborted) {
        throw new EcoleError('ABORTED', `message ${message.messageId ?? ''} not sent: aborted before it was handed to the server`, { details: { siteId }, cause: signal.reason })
      }
      const headers: Record<string, string> = {}
      if (message.listUnsubscribe) {
        headers['List-Unsubscribe'] = message.listUnsubscribe
        if (/<https:/i.test(message.listUnsubscribe)) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
      }
      try {
        const info = await transport.sendMail({
          from: message.from,
          to: [...message.to],
          subject: message.subject,
          ...(message.text === undefined ? {} : { text: message.text }),
          ...(message.html === undefined ? {} : { html: message.html }),
          ...(message.messageId === undefined ? {} : { messageId: message.messageId }),
          ...(message.replyTo === undefined ? {} : { replyTo: message.replyTo }),
          headers,
          attachments: (message.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content) })),
          disableFileAccess: true,
          disableUrlAccess: true,
        })
        return {
          messageId: info.messageId,
          accepted: (info.accepted as unknown[]).map(String),
          refused: refusals(info.rejected as unknown[], (info as { rejectedErrors?: unknown[] }).rejectedErrors),
          response: info.response,
        }
      } catch (e) {
        const err = e as { code?: string; command?: string; rejectedErrors?: unknown[]; rejected?: unknown[] }
        if (err.code === 'EENVELOPE' && err.command === 'RCPT TO' && err.rejectedErrors) {
          return { messageId: message.messageId ?? '', accepted: [], refused: refusals(err.rejected, err.rejectedErrors) }
        }
        const f = classifySmtpError(e)
        throw new EcoleError('MAIL_NOT_SENT', `message ${message.messageId ?? ''} to ${message.to.length} recipient(s) not sent: ${f.stage} failed: ${f.reason}`, {
          details: { siteId, stage: f.stage, code: f.code, response: f.reason, permanent: f.permanent },
          cause: e,
        })
      }
    },

    async close(): Promise<void> {
      for (const t of pools.values()) t.close()
      pools.clear()
    },
  }
}
