import { loadavg } from 'node:os'
import { mailMerge, MessageTemplateSchema, type MergeRecipient } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { deliverOutbox, outboxMessageId, outgoingMail, queueMail, mailPayload } from '@ecole/workflows'
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
const plain = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()

async function mergeAndQueue(n: number, site: string) {
  const storage = createMemoryStorage()
  const merged = mailMerge(template, recipients.slice(0, n), ['guardian', 'invoice'])
  if (!merged.ok) throw new Error('merge failed')
  await storage.transaction(site, async (tx) => {
    for (const m of merged.messages) {
      await queueMail(tx.outbox!, site, { id: `inv-${m.recipientId}`, purpose: 'invoiceAvailable', recipientId: m.recipientId, mail: { from: FROM, to: [`${m.recipientId}@example.fr`], subject: m.subject, html: m.body, text: plain(m.body) } })
    }
  })
  return storage
}

describe(`merge and queue ${N.toLocaleString('en')} personalised messages`, () => {
  bench('mailMerge + queueMail (memory outbox, one transaction)', async () => {
    const t0 = performance.now()
    await mergeAndQueue(N, 's1')
    const ms = performance.now() - t0
    console.log(`[bench] merge + queue ${N} messages: ${ms.toFixed(0)} ms (target < 2000 ms); load average ${loadavg()[0]!.toFixed(1)} on 2 cores`)
  }, { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 })
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
  const outboxRuns: number[] = []
  const aloneRuns: number[] = []
  let round = 0

  bench(`outbox worker: ${D} queued messages, claimed, sent and recorded`, async () => {
    const server = await smtp()
    const site = `s${++round}`
    const storage = await mergeAndQueue(D, site)
    const mailer = createSmtpMailer({ platform: { host: '127.0.0.1', port: server.port, security: 'none', fromAddress: 'no-reply@ecole.example' }, pool: { maxConnections: 5 } })
    const t0 = performance.now()
    const r = await deliverOutbox({ outbox: storage.outbox!, mailer, clock: { now: () => new Date() } }, site, { messageIdDomain: 'ecole.example', batchSize: 100, concurrency: 10 })
    const ms = performance.now() - t0
    await mailer.close()
    if (r.delivered !== D) throw new Error(`delivered ${r.delivered}`)
    outboxRuns.push(D / (ms / 1000))
  }, { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 })

  bench(`baseline: nodemailer alone, the same ${D} pre-built messages`, async () => {
    const server = await smtp()
    const site = `b${++round}`
    const merged = mailMerge(template, recipients.slice(0, D), ['guardian', 'invoice'])
    if (!merged.ok) throw new Error('merge failed')
    const messages = merged.messages.map((m) =>
      outgoingMail(mailPayload({ id: m.recipientId, purpose: 'x', mail: { from: FROM, to: [`${m.recipientId}@example.fr`], subject: m.subject, html: m.body, text: plain(m.body) } }), outboxMessageId(site, m.recipientId, 'ecole.example')),
    )
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 5, maxMessages: Infinity })
    const t0 = performance.now()
    await Promise.all(messages.map((m) => transport.sendMail({ from: m.from, to: m.to, subject: m.subject, html: m.html, text: m.text, messageId: m.messageId })))
    const ms = performance.now() - t0
    transport.close()
    aloneRuns.push(D / (ms / 1000))
    if (aloneRuns.length === 4 && outboxRuns.length === 4) {
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
      const o = median(outboxRuns.slice(1))
      const a = median(aloneRuns.slice(1))
      console.log(`[bench] delivery, pool of 5: outbox ${o.toFixed(0)} msg/s, nodemailer alone ${a.toFixed(0)} msg/s, ratio ${(o / a).toFixed(2)}x (target >= 0.8x); load average ${loadavg()[0]!.toFixed(1)} on 2 cores`)
    }
  }, { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 })
})
