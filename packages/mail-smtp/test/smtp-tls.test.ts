import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SmtpSettings } from '@ecole/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSmtpMailer, type SmtpMailer } from '../src/index'
import { startTestSmtpServer, type TestSmtpServer } from './smtp-test-server'

// A certificate for 127.0.0.1, made here with openssl (a test's own CA-less self-signed certificate).
const dir = mkdtempSync(join(tmpdir(), 'ecole-tls-'))
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' })
const key = readFileSync(join(dir, 'key.pem'), 'utf8')
const cert = readFileSync(join(dir, 'cert.pem'), 'utf8')

let implicit: TestSmtpServer
let starttls: TestSmtpServer
const mailers: SmtpMailer[] = []
const settings = (port: number, security: SmtpSettings['security']): SmtpSettings => ({ host: '127.0.0.1', port, security, username: 'u@scuola.it', password: 'p', fromAddress: 'u@scuola.it' })
const mailer = (trusted: boolean) => {
  const m = createSmtpMailer({ platform: { host: '127.0.0.1', port: implicit.port, security: 'ssl', fromAddress: 'no-reply@ecole.example' }, tls: trusted ? { ca: cert } : {}, timeouts: { connectMs: 3000, greetingMs: 3000, socketMs: 3000 } })
  mailers.push(m)
  return m
}

beforeAll(async () => {
  implicit = await startTestSmtpServer({}, 0, { key, cert, implicit: true })
  starttls = await startTestSmtpServer({}, 0, { key, cert, implicit: false })
})
afterAll(async () => {
  for (const m of mailers) await m.close()
  await implicit.stop()
  await starttls.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('TLS: certificates are checked', () => {
  it('connects with implicit TLS and with required STARTTLS to a server whose certificate is trusted, and sends', async () => {
    const m = mailer(true)
    expect(await m.verify('s1', settings(implicit.port, 'ssl'))).toEqual({ ok: true })
    expect(await m.verify('s1', settings(starttls.port, 'starttls'), { testMessage: { to: 'me@scuola.it', subject: 'TLS', text: 'ok' } })).toMatchObject({ ok: true })
    expect(starttls.received.at(-1)?.rcptTo).toEqual(['me@scuola.it'])
    const r = await m.send('s1', { from: 'no-reply@ecole.example', to: ['a@example.fr'], subject: 'x', text: 'y' })
    expect(r.accepted).toEqual(['a@example.fr'])
    expect(implicit.received).toHaveLength(1)
  })

  it('refuses a certificate it does not trust, at the tls step, for implicit TLS and for STARTTLS', async () => {
    const m = mailer(false)
    expect(await m.verify('s1', settings(implicit.port, 'ssl'))).toMatchObject({ ok: false, stage: 'tls' })
    expect(await m.verify('s1', settings(starttls.port, 'starttls'))).toMatchObject({ ok: false, stage: 'tls' })
  })
})
