// The outbox worker and the SMTP mailer of @ecole/mail-smtp against an SMTP server on loopback
// (smtp-server, in-process): what the mailbox really receives.
import { isEcoleError } from '@ecole/core'
import { createSmtpMailer, type SmtpMailer } from './smtp-mailer'
import { createMemoryStorage } from '@ecole/storage-memory'
import { SMTPServer } from 'smtp-server'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MAIL_TOPIC, mailPayload, queueMail, type QueuedMail } from '@ecole/workflows'
import { deliverOutbox, type MailDeliveryRecord, type OutboxWorkerPorts } from '@ecole/workflows'

/** What the server received: each message's envelope recipients and raw text. */
const received: Array<{ rcptTo: string[]; raw: string }> = []
let server: SMTPServer
let mailer: SmtpMailer
let storage: ReturnType<typeof createMemoryStorage>
let now: Date
let ports: OutboxWorkerPorts
const options = { messageIdDomain: 'ecole.example', random: () => 0.5 }
const site = 's1'

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push({ rcptTo: session.envelope.rcptTo.map((a) => a.address), raw: Buffer.concat(chunks).toString('utf8') })
        cb(null, `Ok: queued as Q${received.length}`)
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  mailer = createSmtpMailer({ platform: { host: '127.0.0.1', port, security: 'none', fromAddress: 'no-reply@ecole.example' }, timeouts: { connectMs: 2000, greetingMs: 2000, socketMs: 5000 } })
})
afterAll(async () => {
  await mailer.close()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})
afterEach(async () => {
  received.length = 0
  await storage.close()
})

function fresh(): void {
  storage = createMemoryStorage()
  now = new Date('2027-02-01T10:00:00.000Z')
  ports = { outbox: storage.outbox!, mailer, clock: { now: () => now } }
}

/** Three passes of the worker an hour apart (the retry of a deferred recipient is due within one). */
async function threePasses(): Promise<Array<Awaited<ReturnType<typeof deliverOutbox>>>> {
  const reports = []
  for (let pass = 0; pass < 3; pass++) {
    reports.push(await deliverOutbox(ports, site, options))
    now = new Date(now.getTime() + 3_600_000)
  }
  return reports
}

const mail = (over: Partial<QueuedMail['mail']> = {}): QueuedMail => ({ id: 'dup', purpose: 'test', mail: { from: '"École" <no-reply@ecole.example>', to: ['marie@example.fr'], subject: 'Facture', text: 'x', ...over } })

describe('one mailbox named under two spellings', () => {
  it('gets exactly one message when the mail is queued to both spellings', async () => {
    fresh()
    await storage.transaction(site, (tx) => queueMail(tx.outbox!, site, mail({ to: ['Marie.Dupont@Example.fr', 'marie.dupont@example.fr'] })))
    const reports = await threePasses()
    expect(reports[0]).toEqual({ claimed: 1, delivered: 1, retried: 0, dead: 0 })
    expect(received.map((r) => r.rcptTo.map((a) => a.toLowerCase()))).toEqual([['marie.dupont@example.fr']])
    const stored = (await storage.outbox!.get(site, 'dup'))!
    expect(stored.status).toBe('delivered')
    expect(Object.keys((stored.record as MailDeliveryRecord).recipients)).toEqual(['Marie.Dupont@Example.fr'])
  })

  it('gets exactly one message when a mail stored before recipients were kept once names it twice: a recipient accepted under another spelling is never retried', async () => {
    fresh()
    // the payload as the outbox held it before: both spellings
    const payload = { ...mailPayload(mail()), to: ['Marie.Dupont@Example.fr', 'marie.dupont@example.fr', 'paul@example.fr'] }
    await storage.outbox!.enqueue(site, { id: 'dup', topic: MAIL_TOPIC, payload })
    const reports = await threePasses()
    expect(reports[0]).toEqual({ claimed: 1, delivered: 1, retried: 0, dead: 0 })
    expect(received).toHaveLength(1)
    expect(received[0]!.rcptTo.map((a) => a.toLowerCase()).sort()).toEqual(['marie.dupont@example.fr', 'paul@example.fr'])
    expect((await storage.outbox!.get(site, 'dup'))?.status).toBe('delivered')
  })
})

describe('header values checked at queue time', () => {
  it('refuses a subject with a vertical tab before anything is stored, where the mailer would have made it a dead letter', async () => {
    fresh()
    const error = await storage.transaction(site, (tx) => queueMail(tx.outbox!, site, mail({ subject: 'Facture de L\u000béa' }))).catch((e: unknown) => e)
    expect(isEcoleError(error, 'INVALID_HEADER') && error.details['field']).toBe('queued.mail.subject')
    expect((await storage.outbox!.list(site, {})).items).toEqual([])
  })

  it('delivers a subject with a tab, accents and an emoji that the outbox accepted', async () => {
    fresh()
    await storage.transaction(site, (tx) => queueMail(tx.outbox!, site, mail({ subject: 'Facture\tde Léa — 12 € ✏️' })))
    expect(await deliverOutbox(ports, site, options)).toEqual({ claimed: 1, delivered: 1, retried: 0, dead: 0 })
    expect(received).toHaveLength(1)
  })
})
