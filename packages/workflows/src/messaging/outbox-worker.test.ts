import { EcoleError } from '@ecole/core'
import type { MailSendResult, Mailer, OutgoingMail } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { MAIL_TOPIC, mailPayload, queueMail } from './mail-outbox'
import { deliverOutbox, type MailDeliveryRecord } from './outbox-worker'

const FROM = '"École" <no-reply@ecole.example>'
const t0 = new Date('2026-10-05T08:00:00.000Z')

/** A mailer whose sends are recorded and answered by `answer` (a thrown value, or a promise the test settles). */
function mailer(answer: (m: OutgoingMail) => Promise<MailSendResult>): { m: Mailer; sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = []
  return {
    sent,
    m: {
      verify: async () => ({ ok: true }),
      send: async (_site, message) => {
        sent.push(message)
        return answer(message)
      },
    },
  }
}
const accept = async (m: OutgoingMail): Promise<MailSendResult> => ({ messageId: m.messageId!, accepted: [...m.to], refused: [], response: '250 queued as B1' })
const queue = (storage: ReturnType<typeof createMemoryStorage>, id: string) =>
  queueMail(storage.outbox!, 's1', { id, purpose: 't', mail: { from: FROM, to: [`${id}@example.fr`], subject: `Message ${id}`, text: 'x' } })

describe('the outbox worker and its claims', () => {
  it('a worker whose lease expired never overwrites the outcome of the worker that delivered the mail after it, and the mail is sent once', async () => {
    const storage = createMemoryStorage()
    await queue(storage, 'm1')
    let now = t0
    const clock = { now: () => now }
    let timeOut!: (e: unknown) => void
    const hanging = mailer(() => new Promise<MailSendResult>((_, reject) => (timeOut = reject)))
    const working = mailer(accept)
    const options = { messageIdDomain: 'ecole.example', leaseMs: 1000, random: () => 0.5 }
    // worker A claims the message and hangs in its SMTP exchange
    const a = deliverOutbox({ outbox: storage.outbox!, mailer: hanging.m, clock }, 's1', { ...options, maxMessages: 1 })
    await expect.poll(() => hanging.sent.length).toBe(1)
    // A's lease passes; worker B claims the message and delivers it
    now = new Date(t0.getTime() + 2000)
    expect(await deliverOutbox({ outbox: storage.outbox!, mailer: working.m, clock }, 's1', options)).toEqual({ claimed: 1, delivered: 1, retried: 0, dead: 0 })
    // A's exchange times out at last: its outcome is dropped
    timeOut(new EcoleError('MAIL_NOT_SENT', 'greeting never received', { details: { stage: 'connect', response: 'Greeting never received', permanent: false } }))
    expect(await a).toEqual({ claimed: 1, delivered: 0, retried: 0, dead: 0 })
    const stored = (await storage.outbox!.get('s1', 'm1'))!
    expect(stored.status).toBe('delivered')
    expect((stored.record as MailDeliveryRecord).recipients['m1@example.fr']).toMatchObject({ status: 'sent', queueId: 'B1' })
    expect(stored.lastError).toBeUndefined()
    // and nobody sends it again
    now = new Date(t0.getTime() + 3_600_000)
    expect(await deliverOutbox({ outbox: storage.outbox!, mailer: working.m, clock }, 's1', options)).toMatchObject({ claimed: 0 })
    expect(working.sent).toHaveLength(1)
  })

  it('a late dead-letter verdict of an expired claim does not bury a mail another worker delivered', async () => {
    const storage = createMemoryStorage()
    await queue(storage, 'm1')
    let now = t0
    const clock = { now: () => now }
    let refuse!: (e: unknown) => void
    const hanging = mailer(() => new Promise<MailSendResult>((_, reject) => (refuse = reject)))
    const options = { messageIdDomain: 'ecole.example', leaseMs: 1000 }
    const a = deliverOutbox({ outbox: storage.outbox!, mailer: hanging.m, clock }, 's1', { ...options, maxMessages: 1 })
    await expect.poll(() => hanging.sent.length).toBe(1)
    now = new Date(t0.getTime() + 2000)
    await deliverOutbox({ outbox: storage.outbox!, mailer: mailer(accept).m, clock }, 's1', options)
    refuse(new EcoleError('MAIL_NOT_SENT', '554 rejected', { details: { stage: 'send', code: 554, response: '554 5.7.1 rejected', permanent: true } }))
    expect(await a).toMatchObject({ dead: 0 })
    expect((await storage.outbox!.get('s1', 'm1'))?.status).toBe('delivered')
  })

  it('does not send a message whose lease passed while it waited its turn (a slow send before it, a rate limit): another worker sends it', async () => {
    const storage = createMemoryStorage()
    await queue(storage, 'first')
    await queue(storage, 'second')
    let now = t0
    const clock = { now: () => now }
    // the first send takes longer than the lease (the rate limiter made it wait)
    const slow = mailer(async (m) => {
      now = new Date(now.getTime() + 5000)
      return accept(m)
    })
    // one claim of both (maxMessages: 2), sent one after the other
    const report = await deliverOutbox({ outbox: storage.outbox!, mailer: slow.m, clock }, 's1', { messageIdDomain: 'ecole.example', leaseMs: 3000, concurrency: 1, maxMessages: 2 })
    expect(slow.sent.map((m) => m.to)).toEqual([['first@example.fr']])
    expect(report).toEqual({ claimed: 2, delivered: 1, retried: 0, dead: 0 })
    expect(await storage.outbox!.get('s1', 'second')).toMatchObject({ status: 'pending', attempts: 1 })
    const other = mailer(accept)
    expect(await deliverOutbox({ outbox: storage.outbox!, mailer: other.m, clock }, 's1', { messageIdDomain: 'ecole.example' })).toMatchObject({ delivered: 1 })
    expect(other.sent.map((m) => m.to)).toEqual([['second@example.fr']])
    expect(((await storage.outbox!.get('s1', 'second'))!.record as MailDeliveryRecord).unrecordedAttempts).toBe(1)
  })

  it('counts a 4xx reply to the message (451 after DATA) against maxAttempts, not the wait for an unreachable server', async () => {
    const storage = createMemoryStorage()
    await queue(storage, 'm1')
    let now = t0
    const clock = { now: () => now }
    const replying451 = mailer(async () => {
      throw new EcoleError('MAIL_NOT_SENT', 'send failed: 451', { details: { stage: 'send', code: 451, response: '451 4.3.0 Temporary local problem', permanent: false } })
    })
    for (let i = 0; i < 20 && (await storage.outbox!.get('s1', 'm1'))?.status === 'pending'; i++) {
      await deliverOutbox({ outbox: storage.outbox!, mailer: replying451.m, clock }, 's1', { messageIdDomain: 'ecole.example', maxAttempts: 8, random: () => 0.5 })
      now = (await storage.outbox!.get('s1', 'm1'))!.availableAt
    }
    const stored = (await storage.outbox!.get('s1', 'm1'))!
    expect(stored.status).toBe('dead')
    expect(replying451.sent).toHaveLength(8)
    expect(stored.lastError).toMatch(/^given up after 8 attempt\(s\)/)
  })

  it('waits for a server that does not answer up to giveUpAfterMs, however many attempts that takes', async () => {
    const storage = createMemoryStorage()
    await queue(storage, 'm1')
    let now = t0
    const clock = { now: () => now }
    const down = mailer(async () => {
      throw new EcoleError('MAIL_NOT_SENT', 'connect failed', { details: { stage: 'connect', response: 'ECONNREFUSED', permanent: false } })
    })
    for (let i = 0; i < 30 && (await storage.outbox!.get('s1', 'm1'))?.status === 'pending'; i++) {
      await deliverOutbox({ outbox: storage.outbox!, mailer: down.m, clock }, 's1', { messageIdDomain: 'ecole.example', maxAttempts: 3, giveUpAfterMs: 6 * 3_600_000, random: () => 0.5 })
      now = (await storage.outbox!.get('s1', 'm1'))!.availableAt
    }
    expect((await storage.outbox!.get('s1', 'm1'))?.status).toBe('dead')
    expect(down.sent.length).toBeGreaterThan(3)
  })
})

describe('the outbox worker and the spellings of an address', () => {
  const legacy = (to: string[]) => ({ ...mailPayload({ id: 'm1', purpose: 't', mail: { from: FROM, to: ['x@example.fr'], subject: 'Facture', text: 'x' } }), to })

  it('sends one message to a mailbox a stored mail names twice in another case, and counts it delivered', async () => {
    const storage = createMemoryStorage()
    await storage.outbox!.enqueue('s1', { id: 'm1', topic: MAIL_TOPIC, payload: legacy(['Marie.Dupont@Example.fr', 'marie.dupont@example.fr']) })
    // the server answers with the address as it went on the wire, its domain lower-cased
    const m = mailer(async (msg) => ({ messageId: msg.messageId!, accepted: msg.to.map((a) => a.replace(/@.*/, (d) => d.toLowerCase())), refused: [], response: '250 queued as B1' }))
    expect(await deliverOutbox({ outbox: storage.outbox!, mailer: m.m, clock: { now: () => t0 } }, 's1', { messageIdDomain: 'ecole.example' })).toEqual({ claimed: 1, delivered: 1, retried: 0, dead: 0 })
    expect(m.sent.map((x) => x.to)).toEqual([['Marie.Dupont@Example.fr']])
  })

  it('never retries a recipient the record shows accepted under another spelling', async () => {
    const storage = createMemoryStorage()
    await storage.outbox!.enqueue('s1', { id: 'm1', topic: MAIL_TOPIC, payload: legacy(['Marie.Dupont@Example.fr', 'marie.dupont@example.fr']) })
    // the record an earlier worker left: the mailbox reached under one spelling, the other "not answered"
    const [claimed] = await storage.outbox!.claim('s1', { now: t0, limit: 1, leaseMs: 60_000 })
    const record: MailDeliveryRecord = {
      messageId: '<m1.s1@ecole.example>', firstAttemptAt: t0.toISOString(), lastClaim: 1, attempts: 1, unrecordedAttempts: 0,
      recipients: {
        'marie.dupont@example.fr': { status: 'sent', at: t0.toISOString(), response: '250 queued as B1', queueId: 'B1' },
        'Marie.Dupont@Example.fr': { status: 'deferred', at: t0.toISOString(), response: 'no answer for this recipient' },
      },
    }
    await storage.outbox!.markFailed('s1', 'm1', { error: 'retry', retryAt: t0, record }, claimed)
    const m = mailer(accept)
    expect(await deliverOutbox({ outbox: storage.outbox!, mailer: m.m, clock: { now: () => new Date(t0.getTime() + 3_600_000) } }, 's1', { messageIdDomain: 'ecole.example' })).toEqual({ claimed: 1, delivered: 1, retried: 0, dead: 0 })
    expect(m.sent).toEqual([])
    expect((await storage.outbox!.get('s1', 'm1'))?.status).toBe('delivered')
  })
})
