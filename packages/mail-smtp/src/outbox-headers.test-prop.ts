// The outbox (@ecole/workflows) refuses at queue time exactly what this mailer refuses in a header
// at send: both apply core's `headerValueProblem`, and these tests hold them to it end to end.
import { isEcoleError } from '@ecole/core'
import type { MailSendResult, Mailer, OutgoingMail } from '@ecole/core/ports'
import { assertHeadersSafe } from './headers'
import { createMemoryStorage } from '@ecole/storage-memory'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { mailPayload, outboxMessageId, outgoingMail, queueMail, type QueuedMail } from '@ecole/workflows'
import { deliverOutbox } from '@ecole/workflows'

const base = { id: 'm1', purpose: 'test', mail: { from: 'a@ecole.example', to: ['marie@example.fr'], subject: 'Facture', text: 'x' } }

/** Whether `run` throws an `INVALID_HEADER` (anything else it throws is thrown again). */
function refusesHeader(run: () => unknown): boolean {
  try {
    run()
    return false
  } catch (e) {
    if (isEcoleError(e, 'INVALID_HEADER')) return true
    throw e
  }
}

describe('the header characters the outbox refuses', () => {
  it('are exactly those the SMTP mailer refuses at send, for every character of the Basic Multilingual Plane', () => {
    const disagreements: string[] = []
    for (let code = 0; code <= 0xffff; code++) {
      const subject = `Facture ${String.fromCharCode(code)} 42`
      const atQueue = refusesHeader(() => mailPayload({ ...base, mail: { ...base.mail, subject } }))
      const atSend = refusesHeader(() => assertHeadersSafe({ ...base.mail, subject, messageId: '<m1.s1@ecole.example>' }))
      if (atQueue !== atSend) disagreements.push(`U+${code.toString(16).toUpperCase().padStart(4, '0')} (queue ${atQueue}, send ${atSend})`)
    }
    expect(disagreements).toEqual([])
  })
})

// header values of any UTF-16 code units (lone surrogates included), with a tab, accents, NEL and
// NBSP often, and now and then what a mail header must not hold (C0 controls, DEL, CR, LF, the
// Unicode line separators) or C1 controls: about a third of the mails are accepted
const headerChar = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 40 },
  { arbitrary: fc.constantFrom('\t', 'é', '€', '"', '<', '>', '@', ' ', '\u0085', '\u00a0'), weight: 20 },
  { arbitrary: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), weight: 2 },
  { arbitrary: fc.constantFrom('\u2028', '\u2029', '\r', '\n'), weight: 1 },
)
const headerValue = fc.string({ unit: headerChar, maxLength: 12 })
const headers = fc.record({
  subject: headerValue,
  fromName: headerValue,
  toLocal: fc.oneof({ arbitrary: fc.constant(''), weight: 3 }, { arbitrary: headerValue, weight: 1 }),
  replyTo: fc.option(headerValue, { nil: undefined }),
  listUnsubscribe: fc.option(headerValue, { nil: undefined }),
  filename: fc.option(headerValue, { nil: undefined }),
  contentType: headerValue,
})

/** A mailer that does what the SMTP mailer does first with a message (its header check), then accepts it. */
function checkingMailer(): Mailer {
  return {
    verify: async () => ({ ok: true }),
    send: async (_site, m: OutgoingMail): Promise<MailSendResult> => {
      assertHeadersSafe(m)
      return { messageId: m.messageId!, accepted: [...m.to], refused: [], response: '250 queued as Q1' }
    },
  }
}

test.prop([headers])('any header the outbox accepts, the mailer accepts at send: a queued mail never goes dead for a header reason', async (h) => {
  const storage = createMemoryStorage()
  try {
    const queued: QueuedMail = {
      id: 'm1',
      purpose: 'test',
      mail: {
        from: `"École ${h.fromName}" <no-reply@ecole.example>`,
        to: [`marie${h.toLocal}@example.fr`],
        subject: h.subject,
        text: 'x',
        replyTo: h.replyTo,
        listUnsubscribe: h.listUnsubscribe,
        attachments: h.filename === undefined ? undefined : [{ filename: h.filename, contentType: `application/pdf${h.contentType}`, content: new Uint8Array([1, 2]) }],
      },
    }
    const queuedOrRefused = await queueMail(storage.outbox!, 's1', queued).catch((e: unknown) => e)
    if (queuedOrRefused !== 'created') {
      // refused: as a header or as a malformed address, and nothing stored
      expect(isEcoleError(queuedOrRefused, 'INVALID_HEADER') || isEcoleError(queuedOrRefused, 'INVALID_INPUT')).toBe(true)
      expect((await storage.outbox!.list('s1', {})).items).toEqual([])
      return
    }
    const report = await deliverOutbox({ outbox: storage.outbox!, mailer: checkingMailer(), clock: { now: () => new Date('2027-02-01T10:00:00Z') } }, 's1', { messageIdDomain: 'ecole.example' })
    expect(report).toEqual({ claimed: 1, delivered: 1, retried: 0, dead: 0 })
  } finally {
    await storage.close()
  }
})

test.prop([headers])('a header the outbox refuses is one the mailer would refuse at send too (nothing refused that could have gone)', (h) => {
  const mail = { from: `"${h.fromName}" <no-reply@ecole.example>`, to: ['marie@example.fr'], subject: h.subject, replyTo: h.replyTo, listUnsubscribe: h.listUnsubscribe }
  const atQueue = refusesHeader(() => mailPayload({ ...base, mail: { ...mail, text: 'x' } }))
  const atSend = refusesHeader(() => assertHeadersSafe({ ...mail, messageId: outboxMessageId('s1', 'm1', 'ecole.example') }))
  expect(atQueue).toBe(atSend)
  if (!atQueue) expect(() => assertHeadersSafe(outgoingMail(mailPayload({ ...base, mail: { ...mail, text: 'x' } }), '<m1.s1@ecole.example>'))).not.toThrow()
})
