import { GuardianSchema, HouseholdSchema, MessageTemplateSchema, isEcoleError } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import {
  deliverOutbox, listDeadLetters, outboxMessageId, queueGroupMessage, queueMail, retryDeadLetter, discardDeadLetter, type MailDeliveryRecord, type OutboxWorkerOptions, type OutboxWorkerPorts,
} from '@ecole/workflows'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSmtpMailer, type SmtpMailer } from '../src/index'
import { startTestSmtpServer, type TestSmtpServer } from './smtp-test-server'
import { freshSite, storageCases } from './storages'

const FROM = '"École Jules Ferry" <no-reply@ecole.example>'
const options: OutboxWorkerOptions = { messageIdDomain: 'ecole.example', backoff: { baseMs: 60_000, maxMs: 3_600_000, jitter: 0.2 }, random: () => 0.5 }

describe.each(storageCases())('the outbox worker on $name, against an SMTP server on loopback', ({ create }) => {
  let storage: StoragePorts
  let server: TestSmtpServer
  let mailer: SmtpMailer
  let now = new Date('2026-10-05T08:00:00.000Z')
  const clock = { now: () => now }
  const later = (ms: number) => {
    now = new Date(now.getTime() + ms)
  }
  let ports: OutboxWorkerPorts

  beforeAll(async () => {
    storage = await create()
    server = await startTestSmtpServer()
    mailer = createSmtpMailer({ platform: { host: '127.0.0.1', port: server.port, security: 'none', fromAddress: 'no-reply@ecole.example' }, timeouts: { connectMs: 2000, greetingMs: 2000, socketMs: 5000 } })
    ports = { outbox: storage.outbox!, mailer, clock }
  })
  afterAll(async () => {
    await mailer.close()
    await server.stop()
    await storage.close()
  })

  const queue = (site: string, id: string, to: string[], extra: { subject?: string } = {}) =>
    storage.transaction(site, (tx) => queueMail(tx.outbox!, site, { id, purpose: 'test', mail: { from: FROM, to, subject: extra.subject ?? `Message ${id}`, text: `Body ${id}`, html: `<p>Body ${id}</p>` } }))
  const record = async (site: string, id: string) => (await storage.outbox!.get(site, id))?.record as MailDeliveryRecord
  const receivedFor = (site: string, id: string) => server.received.filter((r) => r.raw.toString('utf8').includes(`Message-ID: ${outboxMessageId(site, id, 'ecole.example')}`))

  it('loses nothing while the server is down, and sends each message once when it is back', async () => {
    const site = freshSite()
    for (const id of ['a', 'b', 'c']) await queue(site, id, [`${id}@example.fr`])
    await server.stop()
    try {
      expect(await deliverOutbox(ports, site, options)).toEqual({ claimed: 3, delivered: 0, retried: 3, dead: 0 })
      const r = await record(site, 'a')
      expect(r.lastFailure?.stage).toBe('connect')
      expect(r.recipients['a@example.fr']?.status).toBe('deferred')
      expect((await storage.outbox!.get(site, 'a'))?.status).toBe('pending')
      later(30_000)
      expect((await deliverOutbox(ports, site, options)).claimed).toBe(0) // backoff: not due yet
    } finally {
      await server.start()
    }
    later(60_000)
    expect(await deliverOutbox(ports, site, options)).toEqual({ claimed: 3, delivered: 3, retried: 0, dead: 0 })
    for (const id of ['a', 'b', 'c']) {
      expect(receivedFor(site, id)).toHaveLength(1)
      const r = await record(site, id)
      expect(r.recipients[`${id}@example.fr`]).toMatchObject({ status: 'sent' })
      expect(r.recipients[`${id}@example.fr`]?.status === 'sent' && r.recipients[`${id}@example.fr`]).toMatchObject({ queueId: expect.stringMatching(/^Q\d+$/) })
      expect(r.attempts).toBe(2)
    }
    expect(await deliverOutbox(ports, site, options)).toEqual({ claimed: 0, delivered: 0, retried: 0, dead: 0 })
  })

  it('keeps a message pending when authentication is refused, with the reply, and sends it once the account is fixed', async () => {
    const site = freshSite()
    server.behaviour.credentials = { user: 'ecole@scuola.it', pass: 'right' }
    let password = 'wrong'
    const withSite: OutboxWorkerPorts = {
      ...ports,
      smtpSettings: async () => ({ host: '127.0.0.1', port: server.port, security: 'none', username: 'ecole@scuola.it', password, fromAddress: 'ecole@scuola.it' }),
    }
    try {
      await queue(site, 'm', ['famille@example.it'])
      expect(await deliverOutbox(withSite, site, options)).toMatchObject({ retried: 1 })
      const stored = await storage.outbox!.get(site, 'm')
      expect(stored?.status).toBe('pending')
      expect((stored?.record as MailDeliveryRecord).lastFailure).toMatchObject({ stage: 'authenticate', code: 535 })
      expect(stored?.lastError).toContain('Authentication credentials invalid')
      password = 'right'
      later(3_600_000)
      expect(await deliverOutbox(withSite, site, options)).toMatchObject({ delivered: 1 })
      expect(receivedFor(site, 'm')).toHaveLength(1)
    } finally {
      server.behaviour.credentials = undefined
    }
  })

  it('sends to two of three recipients when the third is refused for good (550): a dead letter naming it, retried or discarded by a person', async () => {
    const site = freshSite()
    server.behaviour.refuseRecipients = new Map([['gone@example.fr', 550]])
    try {
      await queue(site, 'group', ['one@example.fr', 'gone@example.fr', 'two@example.fr'])
      await queue(site, 'other', ['gone@example.fr'])
      expect(await deliverOutbox(ports, site, options)).toMatchObject({ delivered: 0, dead: 2 })
      const r = await record(site, 'group')
      expect(r.recipients['one@example.fr']?.status).toBe('sent')
      expect(r.recipients['two@example.fr']?.status).toBe('sent')
      expect(r.recipients['gone@example.fr']).toMatchObject({ status: 'refused', code: 550 })
      const first = receivedFor(site, 'group')
      expect(first.map((x) => x.rcptTo)).toEqual([['one@example.fr', 'two@example.fr']])
      const dead = await listDeadLetters(storage.outbox!, site)
      expect(dead.items.map((d) => d.id)).toEqual(['group', 'other'])
      expect(dead.items[0]).toMatchObject({ purpose: 'test', subject: 'Message group', refused: [{ address: 'gone@example.fr', code: 550 }] })
      expect(dead.items[0]!.reason).toContain('1 of 3 recipient(s) refused')
      expect(dead.items[0]!.reason).toContain('No such user')
    } finally {
      server.behaviour.refuseRecipients = undefined
    }
    // the address was fixed on the receiving side: a person retries one and discards the other
    await retryDeadLetter(storage.outbox!, site, 'group', now)
    await discardDeadLetter(storage.outbox!, site, 'other')
    expect(await deliverOutbox(ports, site, options)).toMatchObject({ claimed: 1, delivered: 1 })
    const all = receivedFor(site, 'group')
    expect(all.map((x) => x.rcptTo)).toEqual([['one@example.fr', 'two@example.fr'], ['gone@example.fr']])
    expect((await storage.outbox!.get(site, 'other'))?.status).toBe('discarded')
    expect((await listDeadLetters(storage.outbox!, site)).items).toEqual([])
  })

  it('retries only the recipient refused for now (452), with backoff, and records all three sent once', async () => {
    const site = freshSite()
    server.behaviour.refuseRecipients = new Map([['full@example.fr', 452]])
    try {
      await queue(site, 'm', ['one@example.fr', 'full@example.fr', 'two@example.fr'])
      expect(await deliverOutbox(ports, site, options)).toMatchObject({ retried: 1 })
      const r = await record(site, 'm')
      expect(r.recipients['full@example.fr']).toMatchObject({ status: 'deferred', code: 452 })
      const stored = await storage.outbox!.get(site, 'm')
      // first retry after baseMs (60 s) with the jitter factor at its middle
      expect(stored!.availableAt.getTime() - now.getTime()).toBe(60_000)
    } finally {
      server.behaviour.refuseRecipients = undefined
    }
    later(60_000)
    expect(await deliverOutbox(ports, site, options)).toMatchObject({ delivered: 1 })
    expect(receivedFor(site, 'm').map((x) => x.rcptTo)).toEqual([['one@example.fr', 'two@example.fr'], ['full@example.fr']])
    const r = await record(site, 'm')
    expect(Object.values(r.recipients).map((x) => x.status)).toEqual(['sent', 'sent', 'sent'])
  })

  it('gives up a recipient still refused for now after maxAttempts, as a dead letter', async () => {
    const site = freshSite()
    server.behaviour.refuseRecipients = new Map([['full@example.fr', 452]])
    try {
      await queue(site, 'm', ['full@example.fr'])
      const o = { ...options, maxAttempts: 3 }
      expect(await deliverOutbox(ports, site, o)).toMatchObject({ retried: 1 })
      later(3_600_000)
      expect(await deliverOutbox(ports, site, o)).toMatchObject({ retried: 1 })
      later(3_600_000)
      expect(await deliverOutbox(ports, site, o)).toMatchObject({ dead: 1 })
      expect((await storage.outbox!.get(site, 'm'))?.lastError).toMatch(/^given up after 3 attempt\(s\)/)
    } finally {
      server.behaviour.refuseRecipients = undefined
    }
  })

  it('gives up a message the server answers 451 at the end of DATA every time after maxAttempts (8), not after days of waiting as for a server down', async () => {
    const site = freshSite()
    server.behaviour.dataReply = { code: 451, text: '4.3.0 Temporary local problem, try later' }
    server.behaviour.dataRefused = 0
    try {
      await queue(site, 'm', ['b@example.fr'])
      for (let i = 0; i < 20 && (await storage.outbox!.get(site, 'm'))?.status === 'pending'; i++) {
        await deliverOutbox(ports, site, options)
        now = new Date(Math.max(now.getTime(), (await storage.outbox!.get(site, 'm'))!.availableAt.getTime()))
      }
      const stored = (await storage.outbox!.get(site, 'm'))!
      expect(stored.status).toBe('dead')
      expect(stored.lastError).toMatch(/^given up after 8 attempt\(s\)/)
      expect(server.behaviour.dataRefused).toBe(8)
      expect((await record(site, 'm')).recipients['b@example.fr']).toMatchObject({ status: 'deferred', code: 451 })
    } finally {
      server.behaviour.dataReply = undefined
    }
  })

  it('retries a message whose connection dropped in the middle of DATA, and records one delivery', async () => {
    const site = freshSite()
    server.behaviour.dropMidData = 1
    await queue(site, 'm', ['a@example.fr'])
    expect(await deliverOutbox(ports, site, options)).toMatchObject({ retried: 1 })
    expect(receivedFor(site, 'm')).toHaveLength(0)
    expect((await record(site, 'm')).lastFailure?.stage).toBeDefined()
    later(60_000)
    expect(await deliverOutbox(ports, site, options)).toMatchObject({ delivered: 1 })
    expect(receivedFor(site, 'm')).toHaveLength(1)
    const r = await record(site, 'm')
    expect(Object.keys(r.recipients)).toEqual(['a@example.fr'])
    expect(r).toMatchObject({ attempts: 2, unrecordedAttempts: 0 })
  })

  it('delivers a group message whose variables hold HTML and script: escaped in the HTML part, never an unresolved variable', async () => {
    const site = freshSite()
    await storage.directory!.putDirectoryRecord(site, 'household', HouseholdSchema.parse({ id: 'h1', siteId: site, name: '<b>Famille</b> Dupont' }))
    await storage.directory!.putDirectoryRecord(site, 'guardian', GuardianSchema.parse({ id: 'zoe', siteId: site, householdId: 'h1', firstName: '<script>alert("x")</script>', lastName: "O'Brien & fils", email: 'zoe@example.fr' }))
    const template = MessageTemplateSchema.parse({ subject: 'Bonjour {{guardian.lastName}}', body: '<p>Bonjour {{guardian.fullName}},</p><p>{{household.name}}</p>' })
    await queueGroupMessage({ storage }, { siteId: site, id: 'sortie', filter: { source: 'guardians', date: '2026-10-05' }, template, sender: { from: FROM }, listUnsubscribe: (g) => `<https://portal.example/u/${g}>` })
    expect(await deliverOutbox(ports, site, options)).toMatchObject({ delivered: 1 })
    const [received] = receivedFor(site, 'sortie:zoe')
    const parsed = await server.parse(received!)
    expect(parsed.subject).toBe("Bonjour O'Brien & fils")
    expect(parsed.html).toContain('Bonjour &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; fils,')
    expect(parsed.html).toContain('&lt;b&gt;Famille&lt;/b&gt; Dupont')
    expect(parsed.html).not.toMatch(/<script|<b>/)
    expect(parsed.text).toContain('Bonjour <script>alert("x")</script> O\'Brien & fils,')
    expect(`${parsed.html}${parsed.text}${parsed.subject}`).not.toContain('{{')
    expect(parsed.headers.find((h) => h.key === 'list-unsubscribe')?.value).toBe('<https://portal.example/u/zoe>')
  })

  it('three workers racing on one site send each message exactly once (claims never overlap)', async () => {
    const site = freshSite()
    const n = 150
    await storage.transaction(site, async (tx) => {
      for (let i = 0; i < n; i++) await queueMail(tx.outbox!, site, { id: `race-${i}`, purpose: 'test', mail: { from: FROM, to: [`r${i}@example.fr`], subject: `Race ${i}`, text: 'x' } })
    })
    const before = server.received.length
    const reports = await Promise.all([1, 2, 3].map(() => deliverOutbox(ports, site, { ...options, batchSize: 7, concurrency: 3 })))
    expect(reports.reduce((sum, r) => sum + r.delivered, 0)).toBe(n)
    expect(reports.reduce((sum, r) => sum + r.claimed, 0)).toBe(n)
    const recipients = server.received.slice(before).flatMap((r) => r.rcptTo)
    expect(recipients).toHaveLength(n)
    expect(new Set(recipients).size).toBe(n)
  })

  it('refuses a line break in any header input when queueing, and stores nothing', async () => {
    const site = freshSite()
    for (const mail of [
      { from: FROM, to: ['a@example.fr'], subject: 'Facture\r\nBcc: all@example.fr', text: 'x' },
      { from: `${FROM}\n`, to: ['a@example.fr'], subject: 'ok', text: 'x' },
      { from: FROM, to: ['a@example.fr\r\nBcc: b@example.fr'], subject: 'ok', text: 'x' },
      { from: FROM, to: ['a@example.fr'], subject: 'ok', text: 'x', replyTo: 'r@example.fr\nX: 1' },
    ]) {
      const error = await storage.transaction(site, (tx) => queueMail(tx.outbox!, site, { id: 'bad', purpose: 'test', mail })).catch((e: unknown) => e)
      expect(isEcoleError(error) && error.code).toBe('INVALID_HEADER')
    }
    expect((await storage.outbox!.list(site, {})).items).toEqual([])
  })

  it('delivers 10,000 queued messages with a per-site rate limit: all delivered, the limit respected', async () => {
    const site = freshSite()
    const n = 10_000
    const limit = { messages: 300, perMs: 1_000 }
    const limited = createSmtpMailer({ platform: { host: '127.0.0.1', port: server.port, security: 'none', fromAddress: 'no-reply@ecole.example' }, rateLimit: limit })
    try {
      for (let start = 0; start < n; start += 1000) {
        await storage.transaction(site, async (tx) => {
          for (let i = start; i < start + 1000; i++) await queueMail(tx.outbox!, site, { id: `bulk-${i}`, purpose: 'groupMessage', mail: { from: FROM, to: [`g${i}@example.fr`], subject: `Sortie ${i}`, text: 'x' } })
        })
      }
      const before = server.received.length
      const t0 = performance.now()
      const report = await deliverOutbox({ ...ports, mailer: limited }, site, { ...options, batchSize: 200, concurrency: 10 })
      const elapsed = performance.now() - t0
      expect(report).toEqual({ claimed: n, delivered: n, retried: 0, dead: 0 })
      const arrivals = server.received.slice(before).map((r) => r.at).sort((a, b) => a - b)
      expect(arrivals).toHaveLength(n)
      // never more than the limit (plus the messages in flight on the pool) in any window of perMs
      let worst = 0
      for (let i = 0, j = 0; i < arrivals.length; i++) {
        while (arrivals[i]! - arrivals[j]! >= limit.perMs) j++
        worst = Math.max(worst, i - j + 1)
      }
      expect(worst).toBeLessThanOrEqual(limit.messages + 10)
      expect(elapsed).toBeGreaterThanOrEqual(((n / limit.messages) - 1) * limit.perMs)
      console.log(`[ecole] 10,000 messages at ${limit.messages}/s: ${(elapsed / 1000).toFixed(2)} s, at most ${worst} in any second`)
    } finally {
      await limited.close()
    }
  }, 300_000) // at least 33 s by the rate limit; PGlite takes 70 to 135 s on a quiet 2-core machine, over 180 s under load
})
