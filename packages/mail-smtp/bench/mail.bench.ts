import { loadavg } from 'node:os'
import { mailMerge, MessageTemplateSchema, type MergeRecipient } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { deliverOutbox, htmlToText, outboxMessageId, outgoingMail, queueMails, mailPayload } from '@ecole/workflows'
import nodemailer from 'nodemailer'
import { afterAll, bench, describe } from 'vitest'
import { createSmtpMailer } from '../src/index'
import { startTestSmtpServer, type TestSmtpServer } from '../test/smtp-test-server'

// Issue 15: merge and queue 10,000 personalised messages in under 2 s; deliver them to a
// loopback SMTP server with a pool of 5 connections, beside nodemailer alone sending the same
// pre-built messages in the same run (target: the outbox at >= 0.8x nodemailer's throughput).
const N = 10_000
const FROM = '"École Jules Ferry" <no-reply@ecole.example>'
const template = MessageTemplateSchema.parse({
  subject: 'Facture {{invoice.number}} de {{guardian.fullName}}',
  body: '<p>Bonjour {{guardian.firstName}},</p><p>La facture {{invoice.number}} de {{invoice.total}} est disponible sur le portail ; échéance le {{invoice.dueDate}}.</p>',
})
const recipients: MergeRecipient[] = Array.from({ length: N }, (_, i) => ({
  recipientId: `g${i}`,
  values: {
    'guardian.firstName': `Marie${i}`, 'guardian.fullName': `Marie${i} Dupont`, 'invoice.number': `2026-${String(i).padStart(5, '0')}`,
    'invoice.total': '42,50 €', 'invoice.dueDate': 'lundi 4 janvier 2027',
  },
}))

async function mergeAndQueue(n: number, site: string, storage: StoragePorts = createMemoryStorage()) {
  const merged = mailMerge(template, recipients.slice(0, n), ['guardian', 'invoice'])
  if (!merged.ok) throw new Error('merge failed')
  await storage.transaction(site, (tx) =>
    queueMails(tx.outbox!, site, merged.messages.map((m) => ({
      id: `inv-${m.recipientId}`, purpose: 'invoiceAvailable', recipientId: m.recipientId,
      mail: { from: FROM, to: [`${m.recipientId}@example.fr`], subject: m.subject, html: m.body, text: htmlToText(m.body) },
    }))),
  )
  return storage
}

describe(`merge and queue ${N.toLocaleString('en')} personalised messages`, () => {
  bench('mailMerge + queueMails (memory outbox, one transaction)', async () => {
    const t0 = performance.now()
    await mergeAndQueue(N, 's1')
    const ms = performance.now() - t0
    console.log(`[bench] merge + queue ${N} messages: ${ms.toFixed(0)} ms (target < 2000 ms); load average ${loadavg()[0]!.toFixed(1)} on 2 cores`)
  }, { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 })
  const url = process.env['ECOLE_PG_URL']
  if (url) {
    let pg: StoragePorts | undefined
    afterAll(async () => {
      await pg?.close()
    })
    bench('mailMerge + queueMails (PostgreSQL server outbox, one statement)', async () => {
      pg ??= await createPostgresStorage({ connectionString: url })
      const t0 = performance.now()
      await mergeAndQueue(N, `bench-${process.pid}-${Date.now()}`, pg)
      console.log(`[bench] merge + queue ${N} messages on the PostgreSQL server: ${(performance.now() - t0).toFixed(0)} ms (target < 2000 ms); load average ${loadavg()[0]!.toFixed(1)} on 2 cores`)
    }, { iterations: 2, warmupIterations: 1, time: 0, warmupTime: 0 })
  }
  bench('baseline: mailMerge alone', () => {
    mailMerge(template, recipients, ['guardian', 'invoice'])
  }, { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 })
})

describe('delivery to a loopback SMTP server, pool of 5', () => {
  const D = 1_000
  let started: Promise<TestSmtpServer> | undefined
  const smtp = () => (started ??= startTestSmtpServer())
  afterAll(async () => {
    await (await smtp()).stop()
  })
  const pairs: Array<{ outbox: number; alone: number; outboxCpu: number; aloneCpu: number }> = []
  type Run = { wall: number; cpu: number }
  let round = 0

  async function outboxRun(): Promise<Run> {
    const server = await smtp()
    const site = `s${++round}`
    const storage = await mergeAndQueue(D, site)
    const mailer = createSmtpMailer({ platform: { host: '127.0.0.1', port: server.port, security: 'none', fromAddress: 'no-reply@ecole.example' }, pool: { maxConnections: 5 } })
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    const r = await deliverOutbox({ outbox: storage.outbox!, mailer, clock: { now: () => new Date() } }, site, { messageIdDomain: 'ecole.example', batchSize: 200, concurrency: 20 })
    const ms = performance.now() - t0
    const c = process.cpuUsage(c0)
    await mailer.close()
    if (r.delivered !== D) throw new Error(`delivered ${r.delivered}`)
    return { wall: D / (ms / 1000), cpu: D / ((c.user + c.system) / 1e6) }
  }

  async function aloneRun(): Promise<Run> {
    const server = await smtp()
    const site = `b${++round}`
    const merged = mailMerge(template, recipients.slice(0, D), ['guardian', 'invoice'])
    if (!merged.ok) throw new Error('merge failed')
    const messages = merged.messages.map((m) =>
      outgoingMail(mailPayload({ id: m.recipientId, purpose: 'x', mail: { from: FROM, to: [`${m.recipientId}@example.fr`], subject: m.subject, html: m.body, text: htmlToText(m.body) } }), outboxMessageId(site, m.recipientId, 'ecole.example')),
    )
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 5, maxMessages: Infinity })
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    await Promise.all(messages.map((m) => transport.sendMail({ from: m.from, to: m.to, subject: m.subject, html: m.html, text: m.text, messageId: m.messageId })))
    const ms = performance.now() - t0
    const c = process.cpuUsage(c0)
    transport.close()
    return { wall: D / (ms / 1000), cpu: D / ((c.user + c.system) / 1e6) }
  }

  // each iteration runs both, back to back and in alternating order, so that the load of the shared
  // machine weighs on both alike; the ratio is the median of the per-pair ratios
  bench(`outbox worker (claim, send, record) and nodemailer alone, ${D} messages each, paired`, async () => {
    const first = pairs.length % 2 === 0
    const a = first ? await outboxRun() : await aloneRun()
    const b = first ? await aloneRun() : await outboxRun()
    const [o, n] = first ? [a, b] : [b, a]
    pairs.push({ outbox: o.wall, alone: n.wall, outboxCpu: o.cpu, aloneCpu: n.cpu })
    if (pairs.length === 6) {
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!
      const measured = pairs.slice(1)
      console.log(
        `[bench] delivery, pool of 5: outbox ${median(measured.map((p) => p.outbox)).toFixed(0)} msg/s, nodemailer alone ${median(measured.map((p) => p.alone)).toFixed(0)} msg/s, ` +
          `ratio ${median(measured.map((p) => p.outbox / p.alone)).toFixed(2)}x (median of ${measured.length} pairs; per pair ${measured.map((p) => (p.outbox / p.alone).toFixed(2)).join(', ')}; target >= 0.8x); per CPU second (client and server in this process, less sensitive to the load): ` +
          `outbox ${median(measured.map((p) => p.outboxCpu)).toFixed(0)}, alone ${median(measured.map((p) => p.aloneCpu)).toFixed(0)}, ratio ${median(measured.map((p) => p.outboxCpu / p.aloneCpu)).toFixed(2)}x; ` +
          `load average ${loadavg()[0]!.toFixed(1)} on 2 cores`,
      )
    }
  }, { iterations: 5, warmupIterations: 1, time: 0, warmupTime: 0 })
})
