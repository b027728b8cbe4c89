import { randomBytes } from 'node:crypto'
import { SiteSchema, mailerCheckText } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createSecretBox, deliverOutbox, queueMail, saveSmtpSettings, smtpSettingsForSending, type MailDeliveryRecord } from '@ecole/workflows'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSmtpMailer, type SmtpMailer } from '../src/index'
import { startTestSmtpServer, type TestSmtpServer } from './smtp-test-server'

let server: TestSmtpServer
let mailer: SmtpMailer
beforeAll(async () => {
  server = await startTestSmtpServer({ credentials: { user: 'scuola@example.it', pass: 'Pa55-w0rd!' } })
  mailer = createSmtpMailer({ platform: { host: '127.0.0.1', port: server.port, security: 'none', fromAddress: 'no-reply@ecole.example' } })
})
afterAll(async () => {
  await mailer.close()
  await server.stop()
})

describe("a site's own SMTP account, with the real mailer (seed 000: saved only when the test works)", () => {
  it('saves nothing when the server refuses the password, says why in the four languages, and saves the sealed password once it works', async () => {
    const storage = createMemoryStorage()
    await storage.directory!.putSite('s1', { ...SiteSchema.parse({ id: 's1', name: 'Plesso Garibaldi', country: 'IT' }), smtp: null })
    const secrets = createSecretBox({ keys: { k1: randomBytes(32) }, currentKeyId: 'k1' })
    const ports = { directory: storage.directory!, mailer, secrets }
    const input = { host: '127.0.0.1', port: server.port, username: 'scuola@example.it', security: 'none' as const, fromName: 'Plesso Garibaldi' }

    const refused = await saveSmtpSettings(ports, { siteId: 's1', input: { ...input, password: 'wrong' }, testMessageTo: 'segreteria@example.it' })
    expect(refused).toMatchObject({ ok: false, stage: 'authenticate', code: 535 })
    expect((await storage.directory!.getSite('s1'))!.smtp).toBeNull()
    if (!refused.ok) {
      const check = { ok: false as const, stage: refused.stage, reason: refused.reason, code: refused.code }
      expect(mailerCheckText(check, 'it')).toMatch(/^Il server ha rifiutato il nome utente o la password\. Risposta del server: 535/)
      expect(mailerCheckText(check, 'fr')).toMatch(/^Le serveur a refusé l'identifiant ou le mot de passe\. Réponse du serveur : 535/)
    }

    const before = server.received.length
    const saved = await saveSmtpSettings(ports, { siteId: 's1', input: { ...input, password: 'Pa55-w0rd!' }, testMessageTo: 'segreteria@example.it' })
    expect(saved.ok).toBe(true)
    expect(server.received.length).toBe(before + 1) // the test message
    const stored = (await storage.directory!.getSite('s1'))!.smtp!
    expect(JSON.stringify(stored)).not.toContain('Pa55-w0rd!')

    // and the site's mail now goes through its own account, the password opened only for the mailer
    await queueMail(storage.outbox!, 's1', { id: 'm1', purpose: 'test', mail: { from: '"Plesso Garibaldi" <scuola@example.it>', to: ['famiglia@example.it'], subject: 'Avviso', text: 'ok' } })
    const report = await deliverOutbox({ outbox: storage.outbox!, mailer, clock: { now: () => new Date() }, smtpSettings: (s) => smtpSettingsForSending({ directory: storage.directory!, secrets }, s) }, 's1', { messageIdDomain: 'ecole.example' })
    expect(report.delivered).toBe(1)
    expect(server.received.at(-1)!.mailFrom).toBe('scuola@example.it')
    expect(((await storage.outbox!.get('s1', 'm1'))!.record as MailDeliveryRecord).recipients['famiglia@example.it']?.status).toBe('sent')
  })
})
