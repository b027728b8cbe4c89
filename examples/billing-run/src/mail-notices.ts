/**
 * The demo's invoice notifications: each validated invoice is announced to its payer (and joint
 * debtor) through the outbox, written by `validateDrafts` in the transaction that validates the
 * invoices (its `notify` option), and the outbox worker delivers them to an SMTP server started
 * here, in-process, on loopback (smtp-server), whose received messages are parsed back
 * (postal-mime) and printed.
 */
import type { StoragePorts } from '@ecole/core/ports'
import { createSmtpMailer } from '@ecole/mail-smtp'
import { deliverOutbox, mailSender, type DeliveryReport, type DocumentNotify } from '@ecole/workflows'
import PostalMime from 'postal-mime'
import { SMTPServer } from 'smtp-server'
import { table } from './print'

/** What the demo's SMTP server received. */
export interface DeliveredMail {
  to: string
  subject: string
  messageId: string
  date: string
}

/** The platform's sender address of the examples' mails. */
export const PLATFORM_ADDRESS = 'no-reply@ecole.example'

/** An SMTP server on loopback, in-process: what it received, and how to stop it. */
export interface LoopbackSmtp {
  port: number
  /** The raw messages received (none kept with `keep: false`: only {@link LoopbackSmtp.count} grows). */
  received: Buffer[]
  /** How many messages it accepted. */
  count: () => number
  close: () => Promise<void>
}

/**
 * Starts an SMTP server (smtp-server) on 127.0.0.1 and a free port, without TLS or
 * authentication, that accepts every message; `keep: false` counts messages without keeping
 * them (the city run sends tens of thousands).
 */
export async function startLoopbackSmtp(options: { keep?: boolean } = {}): Promise<LoopbackSmtp> {
  const received: Buffer[] = []
  let count = 0
  const server = new SMTPServer({
    secure: false, authOptional: true, disabledCommands: ['STARTTLS'], logger: false, size: 10 * 1024 * 1024,
    onData(stream, _session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => { if (options.keep !== false) chunks.push(c) })
      stream.on('end', () => {
        count++
        if (options.keep !== false) received.push(Buffer.concat(chunks))
        cb(null, `Ok: queued as D${count}`)
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { port, received, count: () => count, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/**
 * The `notify` option the demo gives `validateDrafts`: "your invoice is available" in French,
 * from the platform's sender with the site's name, to `<guardian id>@familles.example`.
 */
export function invoiceNotify(args: { siteName: string; names: ReadonlyMap<string, string> }): DocumentNotify {
  return {
    timeZone: 'Europe/Paris', locale: 'fr', portalUrl: 'https://portail.ecole.example',
    sender: mailSender({ name: args.siteName, smtp: null }, PLATFORM_ADDRESS),
    recipient: (guardianId) => ({ name: args.names.get(guardianId) ?? guardianId, email: `${guardianId}@familles.example` }),
  }
}

/**
 * Runs the outbox worker against an SMTP server on loopback, as of `now` (after the invoices'
 * display date), and prints what the server received.
 */
export async function deliverInvoiceNotices(args: {
  storage: StoragePorts
  siteId: string
  now: Date
  log: (text: string) => void
}): Promise<{ report: DeliveryReport; delivered: DeliveredMail[] }> {
  const smtp = await startLoopbackSmtp()
  const raw = smtp.received
  const mailer = createSmtpMailer({ platform: { host: '127.0.0.1', port: smtp.port, security: 'none', fromAddress: PLATFORM_ADDRESS } })
  try {
    const report = await deliverOutbox({ outbox: args.storage.outbox!, mailer, clock: { now: () => args.now } }, args.siteId, { messageIdDomain: 'ecole.example' })
    const delivered: DeliveredMail[] = []
    for (const r of raw) {
      const m = await PostalMime.parse(r)
      delivered.push({ to: m.to?.[0]?.address ?? '', subject: m.subject ?? '', messageId: m.messageId ?? '', date: /depuis le ([^.]+)\./.exec(m.text ?? '')?.[1] ?? '' })
    }
    args.log(table(['to', 'subject', 'available from', 'Message-ID'], delivered.map((d) => [d.to, d.subject, d.date, d.messageId]), ['l', 'l', 'l', 'l']))
    args.log(`   outbox: ${report.claimed} claimed, ${report.delivered} delivered, ${report.retried} to retry, ${report.dead} dead; the SMTP server received ${raw.length}`)
    return { report, delivered }
  } finally {
    await mailer.close()
    await smtp.close()
  }
}
