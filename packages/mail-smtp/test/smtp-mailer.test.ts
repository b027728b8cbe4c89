import { generateKeyPairSync } from 'node:crypto'
import { isEcoleError, type SmtpSettings } from '@ecole/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSmtpMailer, type SmtpMailer } from '../src/index'
import { startTestSmtpServer, type TestSmtpServer } from './smtp-test-server'

let server: TestSmtpServer
const mailers: SmtpMailer[] = []
const site = (port: number, over: Partial<SmtpSettings> = {}): SmtpSettings => ({
  host: '127.0.0.1', port, security: 'none', username: 'ecole@scuola.it', password: 's3cret', fromAddress: 'ecole@scuola.it', fromName: 'Scuola Garibaldi', ...over,
})
function mailer(extra: Partial<Parameters<typeof createSmtpMailer>[0]> = {}): SmtpMailer {
  const m = createSmtpMailer({ platform: { host: '127.0.0.1', port: server.port, security: 'none', fromAddress: 'no-reply@ecole.example' }, ...extra })
  mailers.push(m)
  return m
}

beforeAll(async () => {
  server = await startTestSmtpServer({ credentials: { user: 'ecole@scuola.it', pass: 's3cret' } })
})
afterAll(async () => {
  for (const m of mailers) await m.close()
  await server.stop()
})

describe('createSmtpMailer: send', () => {
  it('delivers the HTML and text bodies, the chosen Message-ID, Reply-To, List-Unsubscribe and the attachments byte for byte', async () => {
    const pdf = new Uint8Array(4096).map((_, i) => (i * 7 + 3) % 256)
    const before = server.received.length
    const r = await mailer().send('s1', {
      from: '"École Jules Ferry" <no-reply@ecole.example>',
      to: ['marie@example.fr'],
      subject: 'Votre facture 2026-0042',
      html: '<p>Bonjour Marie</p>',
      text: 'Bonjour Marie',
      messageId: '<inv-42.s1@ecole.example>',
      replyTo: 'secretariat@ecole-ferry.fr',
      listUnsubscribe: '<https://portal.example/unsubscribe/abc>',
      attachments: [{ filename: 'facture-2026-0042.pdf', contentType: 'application/pdf', content: pdf }],
    })
    expect(r).toMatchObject({ messageId: '<inv-42.s1@ecole.example>', accepted: ['marie@example.fr'], refused: [] })
    expect(r.response).toMatch(/^250 .*queued as Q\d+/)
    expect(server.received.length).toBe(before + 1)
    const parsed = await server.parse(server.received.at(-1)!)
    expect(parsed.messageId).toBe('<inv-42.s1@ecole.example>')
    expect(parsed.subject).toBe('Votre facture 2026-0042')
    expect(parsed.html?.trim()).toBe('<p>Bonjour Marie</p>')
    expect(parsed.text?.trim()).toBe('Bonjour Marie')
    expect(parsed.replyTo?.[0]).toMatchObject({ address: 'secretariat@ecole-ferry.fr' })
    expect(parsed.headers.find((h) => h.key === 'list-unsubscribe')?.value).toBe('<https://portal.example/unsubscribe/abc>')
    expect(parsed.headers.find((h) => h.key === 'list-unsubscribe-post')?.value).toBe('List-Unsubscribe=One-Click')
    expect(parsed.attachments).toHaveLength(1)
    expect(parsed.attachments[0]).toMatchObject({ filename: 'facture-2026-0042.pdf', mimeType: 'application/pdf' })
    expect(new Uint8Array(parsed.attachments[0]!.content as ArrayBuffer)).toEqual(pdf)
  })

  it('signs with DKIM when configured (a DKIM-Signature naming the domain and selector)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
    await mailer({ dkim: { domainName: 'ecole.example', keySelector: 'mail2026', privateKey } }).send('s1', {
      from: 'no-reply@ecole.example', to: ['paul@example.fr'], subject: 'Signé', text: 'ok',
    })
    const parsed = await server.parse(server.received.at(-1)!)
    const sig = parsed.headers.find((h) => h.key === 'dkim-signature')?.value ?? ''
    expect(sig).toContain('d=ecole.example')
    expect(sig).toContain('s=mail2026')
  })

  it("sends through the site's own server and account when its settings are given", async () => {
    const r = await mailer().send('s1', { from: '"Scuola Garibaldi" <ecole@scuola.it>', to: ['a@example.it'], subject: 'x', text: 'y' }, site(server.port))
    expect(r.accepted).toEqual(['a@example.it'])
    expect(server.received.at(-1)!.mailFrom).toBe('ecole@scuola.it')
  })

  it('answers per recipient: one accepted, one refused for good (550), one refused for now (452)', async () => {
    server.behaviour.refuseRecipients = new Map([['gone@example.fr', 550], ['full@example.fr', 452]])
    try {
      const r = await mailer().send('s1', { from: 'no-reply@ecole.example', to: ['ok@example.fr', 'gone@example.fr', 'full@example.fr'], subject: 'x', text: 'y' })
      expect(r.accepted).toEqual(['ok@example.fr'])
      const byAddress = Object.fromEntries(r.refused.map((x) => [x.address, x]))
      expect(byAddress['gone@example.fr']).toMatchObject({ code: 550, permanent: true })
      expect(byAddress['gone@example.fr']!.response).toContain('No such user')
      expect(byAddress['full@example.fr']).toMatchObject({ code: 452, permanent: false })
      expect(server.received.at(-1)!.rcptTo).toEqual(['ok@example.fr'])
    } finally {
      server.behaviour.refuseRecipients = undefined
    }
  })

  it('answers all recipients refused as a result, not an error', async () => {
    server.behaviour.refuseRecipients = new Map([['gone@example.fr', 550]])
    try {
      const r = await mailer().send('s1', { from: 'no-reply@ecole.example', to: ['gone@example.fr'], subject: 'x', text: 'y', messageId: '<a.b@c.d>' })
      expect(r).toMatchObject({ accepted: [], refused: [{ address: 'gone@example.fr', code: 550, permanent: true }] })
    } finally {
      server.behaviour.refuseRecipients = undefined
    }
  })

  it.each([
    ['subject', { subject: 'Facture\r\nBcc: everyone@example.fr' }],
    ['from', { from: 'no-reply@ecole.example\nBcc: x@y.z' }],
    ['to.1', { to: ['a@example.fr', 'b@example.fr\r\nX-Evil: 1'] }],
    ['replyTo', { replyTo: 'a@b.c\rX: y' }],
    ['listUnsubscribe', { listUnsubscribe: '<https://x>\nX: y' }],
    ['attachments.0.filename', { attachments: [{ filename: 'a\r\n.pdf', contentType: 'application/pdf', content: new Uint8Array(1) }] }],
  ])('refuses a line break in %s (INVALID_HEADER, naming the field) and sends nothing', async (field, over) => {
    const before = server.received.length
    const error = await mailer()
      .send('s1', { from: 'no-reply@ecole.example', to: ['a@example.fr'], subject: 'ok', text: 'y', ...over })
      .catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('INVALID_HEADER')
    expect(isEcoleError(error) && error.details['field']).toBe(field)
    expect(server.received.length).toBe(before)
  })

  it('refuses to send in clear to a server that is not on this machine (INSECURE_SMTP)', async () => {
    const error = await mailer().send('s1', { from: 'a@b.fr', to: ['c@d.fr'], subject: 'x', text: 'y' }, site(25, { host: 'smtp.example.fr' })).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('INSECURE_SMTP')
  })

  it('throws MAIL_NOT_SENT with the stage when the server is down', async () => {
    const down = await startTestSmtpServer()
    const port = down.port
    await down.stop()
    const error = await mailer().send('s1', { from: 'a@b.fr', to: ['c@d.fr'], subject: 'x', text: 'y' }, site(port)).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('MAIL_NOT_SENT')
    expect(isEcoleError(error) && error.details).toMatchObject({ stage: 'connect', permanent: false })
  })

  it('calls a message without recipients ("No recipients defined", refused before any SMTP command) not sent for good (permanent)', async () => {
    const before = server.received.length
    const error = await mailer().send('s1', { from: 'a@b.fr', to: [], subject: 'x', text: 'y' }).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('MAIL_NOT_SENT')
    expect(isEcoleError(error) && error.details).toMatchObject({ stage: 'recipient', permanent: true })
    expect(server.received.length).toBe(before)
  })
})

describe('createSmtpMailer: verify names the step that failed, with the reply code and text', () => {
  it('answers ok for good settings, and sends the test message when asked', async () => {
    const m = mailer()
    expect(await m.verify('s1', site(server.port))).toEqual({ ok: true })
    const r = await m.verify('s1', site(server.port), { testMessage: { to: 'me@scuola.it', subject: 'Test', text: 'ok' } })
    expect(r.ok).toBe(true)
    const last = server.received.at(-1)!
    expect(last.rcptTo).toEqual(['me@scuola.it'])
    expect((await server.parse(last)).from).toMatchObject({ name: 'Scuola Garibaldi', address: 'ecole@scuola.it' })
  })

  it('authentication: 535 and the server text', async () => {
    const r = await mailer().verify('s1', site(server.port, { password: 'wrong' }))
    expect(r).toMatchObject({ ok: false, stage: 'authenticate', code: 535 })
    expect(!r.ok && r.reason).toContain('Authentication credentials invalid')
  })

  it('connect: nothing listens on the port', async () => {
    const down = await startTestSmtpServer()
    const port = down.port
    await down.stop()
    expect(await mailer().verify('s1', site(port))).toMatchObject({ ok: false, stage: 'connect' })
  })

  it('dns: the host name does not resolve', async () => {
    const r = await mailer().verify('s1', site(587, { host: 'smtp.nowhere.invalid', security: 'starttls' }))
    expect(r).toMatchObject({ ok: false, stage: 'dns' })
    expect(!r.ok && r.reason).toContain('smtp.nowhere.invalid')
  })

  it('tls: implicit TLS against a server that speaks plain SMTP, and STARTTLS required but not offered', async () => {
    expect(await mailer({ timeouts: { connectMs: 3000, greetingMs: 3000, socketMs: 3000 } }).verify('s1', site(server.port, { security: 'ssl' }))).toMatchObject({ ok: false, stage: 'tls' })
    expect(await mailer().verify('s1', site(server.port, { security: 'starttls' }))).toMatchObject({ ok: false, stage: 'tls' })
  })

  it('tls: security "none" is refused for a server that is not on this machine, before connecting', async () => {
    const r = await mailer().verify('s1', site(25, { host: 'smtp.example.fr' }))
    expect(r).toMatchObject({ ok: false, stage: 'tls' })
  })

  it('sender refused: 550 on MAIL FROM during the test send', async () => {
    server.behaviour.refuseSender = 550
    try {
      const r = await mailer().verify('s1', site(server.port), { testMessage: { to: 'me@scuola.it', subject: 'Test', text: 'ok' } })
      expect(r).toMatchObject({ ok: false, stage: 'sender', code: 550 })
      expect(!r.ok && r.reason).toContain('Sender address rejected')
    } finally {
      server.behaviour.refuseSender = undefined
    }
  })

  it('recipient refused: 550 on RCPT TO during the test send', async () => {
    server.behaviour.refuseRecipients = new Map([['nobody@scuola.it', 550]])
    try {
      const r = await mailer().verify('s1', site(server.port), { testMessage: { to: 'nobody@scuola.it', subject: 'Test', text: 'ok' } })
      expect(r).toMatchObject({ ok: false, stage: 'recipient', code: 550 })
    } finally {
      server.behaviour.refuseRecipients = undefined
    }
  })
})
