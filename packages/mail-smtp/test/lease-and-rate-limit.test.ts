// The outbox worker's lease holds inside the SMTP mailer: a send that waits for the site's rate
// limit past the lease of its claim is not made (another worker has claimed the message by then and
// sends it), against a real SMTP server on loopback.
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { deliverOutbox, outboxMessageId, queueMail, type MailDeliveryRecord } from '@ecole/workflows'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSmtpMailer, type SmtpMailer } from '../src/index'
import { startTestSmtpServer, type TestSmtpServer } from './smtp-test-server'
import { freshSite } from './storages'

const FROM = '"École Jules Ferry" <no-reply@ecole.example>'
const DOMAIN = 'ecole.example'
const clock = { now: () => new Date() }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the outbox worker and the rate limit of its mailer', () => {
  let storage: StoragePorts
  let server: TestSmtpServer
  let limited: SmtpMailer
  let other: SmtpMailer

  beforeAll(async () => {
    storage = createMemoryStorage()
    server = await startTestSmtpServer()
    const platform = { host: '127.0.0.1', port: server.port, security: 'none' as const, fromAddress: 'no-reply@ecole.example' }
    // worker A's mailer: one send per 1.5 s and per site; worker B runs elsewhere, with its own mailer
    limited = createSmtpMailer({ platform, rateLimit: { messages: 1, perMs: 1500 } })
    other = createSmtpMailer({ platform })
  })
  afterAll(async () => {
    await limited.close()
    await other.close()
    await server.stop()
    await storage.close()
  })

  it('sends nothing once the lease has passed while the mailer waited for the rate limit: the worker that claimed the message next sends it, once', async () => {
    const site = freshSite()
    await storage.transaction(site, (tx) => queueMail(tx.outbox!, site, { id: 'b', purpose: 'test', mail: { from: FROM, to: ['b@example.fr'], subject: 'Message b', text: 'Body b' } }))
    // the site's only slot of the next 1.5 s goes to another mail
    await limited.send(site, { from: FROM, to: ['first@example.fr'], subject: 'First', text: 'x' })
    // worker A claims b for 400 ms, finds its lease fine, and its mailer makes it wait ~1.5 s
    const a = deliverOutbox({ outbox: storage.outbox!, mailer: limited, clock }, site, { messageIdDomain: DOMAIN, leaseMs: 400 })
    await sleep(700)
    // A's lease has passed: worker B claims b and sends it
    const b = await deliverOutbox({ outbox: storage.outbox!, mailer: other, clock }, site, { messageIdDomain: DOMAIN, leaseMs: 60_000 })
    expect(b).toEqual({ claimed: 1, delivered: 1, retried: 0, dead: 0 })
    expect(await a).toEqual({ claimed: 1, delivered: 0, retried: 0, dead: 0 }) // nothing sent: its claim ended stale
    await sleep(1200) // past the slot A waited for: a send A had made by then would have arrived
    const id = outboxMessageId(site, 'b', DOMAIN)
    expect(server.received.filter((r) => r.raw.toString('utf8').includes(`Message-ID: ${id}`))).toHaveLength(1)
    const stored = await storage.outbox!.get(site, 'b')
    expect(stored).toMatchObject({ status: 'delivered', attempts: 2 })
    const record = stored?.record as MailDeliveryRecord
    expect(record.recipients['b@example.fr']).toMatchObject({ status: 'sent' })
    expect(record.lastFailure).toBeUndefined() // not counted as a failed attempt
  })
})
