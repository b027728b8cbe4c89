import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { SiteSchema, isEcoleError, type Site } from '@ecole/core'
import { fakeMailer, fakeSiteDirectory } from './fakes.test-support'
import { createSecretBox } from './secret-box'
import { readSite, removeSmtpSettings, saveSiteSettings, saveSmtpSettings, smtpSettingsForSending } from './smtp-settings'

const plesso: Site = { ...SiteSchema.parse({ id: 's1', name: 'Plesso Garibaldi', country: 'IT' }), smtp: null }
const input = { host: 'smtp.example.it', port: '465', username: 'scuola@example.it', password: 'Pa55-w0rd!', security: 'ssl' as const, fromName: 'Scuola Garibaldi' }
const box = () => createSecretBox({ keys: { k1: randomBytes(32) }, currentKeyId: 'k1' })

describe('SMTP settings of a site (seed 000 "Configuration SMTP")', () => {
  it('saves the settings only after a good check, with the password sealed', async () => {
    const dir = fakeSiteDirectory([plesso])
    const mail = fakeMailer()
    const secrets = box()
    const r = await saveSmtpSettings({ directory: dir.directory, mailer: mail.mailer, secrets }, { siteId: 's1', input })
    expect(r).toEqual({
      ok: true,
      smtp: { host: 'smtp.example.it', port: 465, username: 'scuola@example.it', security: 'ssl', fromAddress: undefined, fromName: 'Scuola Garibaldi', passwordSet: true },
    })
    expect(mail.checks).toHaveLength(1)
    const stored = dir.sites.get('s1')!.smtp!
    expect(stored.password.algorithm).toBe('aes-256-gcm')
    expect(JSON.stringify(stored)).not.toContain('Pa55-w0rd!')
    expect(secrets.open(stored.password)).toBe('Pa55-w0rd!')
  })

  it('saves nothing when authentication fails, and says why', async () => {
    const dir = fakeSiteDirectory([plesso])
    const mail = fakeMailer({ failAt: 'authenticate' })
    const r = await saveSmtpSettings({ directory: dir.directory, mailer: mail.mailer, secrets: box() }, { siteId: 's1', input })
    expect(r).toEqual({ ok: false, stage: 'authenticate', reason: '535 5.7.8 authentication failed' })
    expect(dir.writes).toEqual([])
    expect(dir.sites.get('s1')!.smtp).toBeNull()
  })

  it('saves nothing when the server cannot be reached', async () => {
    const dir = fakeSiteDirectory([plesso])
    const r = await saveSmtpSettings({ directory: dir.directory, mailer: fakeMailer({ failAt: 'connect' }).mailer, secrets: box() }, { siteId: 's1', input })
    expect(r.ok === false && r.stage).toBe('connect')
    expect(dir.writes).toEqual([])
  })

  it('sends a test message when asked, and saves nothing when it bounces', async () => {
    const dir = fakeSiteDirectory([plesso])
    const mail = fakeMailer({ failAt: 'send' })
    const r = await saveSmtpSettings({ directory: dir.directory, mailer: mail.mailer, secrets: box() }, { siteId: 's1', input, testMessageTo: 'preside@example.it' })
    expect(r.ok === false && r.stage).toBe('send')
    expect(mail.checks[0]!.testMessage?.to).toBe('preside@example.it')
    expect(dir.writes).toEqual([])
    // without a test message the same server passes (the failure was the test message)
    expect((await saveSmtpSettings({ directory: dir.directory, mailer: mail.mailer, secrets: box() }, { siteId: 's1', input })).ok).toBe(true)
  })

  it('keeps the previous settings when a new check fails', async () => {
    const dir = fakeSiteDirectory([plesso])
    const secrets = box()
    await saveSmtpSettings({ directory: dir.directory, mailer: fakeMailer().mailer, secrets }, { siteId: 's1', input })
    const before = structuredClone(dir.sites.get('s1')!.smtp)
    await saveSmtpSettings({ directory: dir.directory, mailer: fakeMailer({ failAt: 'authenticate' }).mailer, secrets }, { siteId: 's1', input: { ...input, password: 'wrong' } })
    expect(dir.sites.get('s1')!.smtp).toEqual(before)
  })

  it('refuses invalid settings before contacting the server, naming the field', async () => {
    const dir = fakeSiteDirectory([plesso])
    const mail = fakeMailer()
    await expect(saveSmtpSettings({ directory: dir.directory, mailer: mail.mailer, secrets: box() }, { siteId: 's1', input: { ...input, port: '99999' } })).rejects.toThrow(/smtp\.port/)
    expect(mail.checks).toEqual([])
  })

  it('never returns the password in a read, but opens it for sending', async () => {
    const dir = fakeSiteDirectory([plesso])
    const secrets = box()
    await saveSmtpSettings({ directory: dir.directory, mailer: fakeMailer().mailer, secrets }, { siteId: 's1', input })
    const view = await readSite({ directory: dir.directory }, 's1')
    expect(JSON.stringify(view)).not.toContain('Pa55-w0rd!')
    expect(JSON.stringify(view)).not.toContain(dir.sites.get('s1')!.smtp!.password.ciphertext)
    expect(view.smtp?.passwordSet).toBe(true)
    expect((await smtpSettingsForSending({ directory: dir.directory, secrets }, 's1'))?.password).toBe('Pa55-w0rd!')
    await removeSmtpSettings({ directory: dir.directory }, 's1')
    expect(await smtpSettingsForSending({ directory: dir.directory, secrets }, 's1')).toBeUndefined()
  })

  it('never puts back the SMTP settings it would have read before: an SMTP account saved while the site form is being saved is kept', async () => {
    const dir = fakeSiteDirectory([plesso])
    const ports = { directory: dir.directory, mailer: fakeMailer().mailer, secrets: box() }
    // the SMTP account is saved (and committed) right after the site form's save reads the site
    let meanwhile: Promise<unknown> | undefined
    const directory = { ...dir.directory, getSite: async (siteId: string) => {
      const site = await dir.directory.getSite(siteId)
      meanwhile ??= saveSmtpSettings(ports, { siteId: 's1', input })
      await meanwhile
      return site
    } }
    await saveSiteSettings({ directory }, 's1', { name: 'Plesso Garibaldi', country: 'IT' })
    await meanwhile
    expect(dir.sites.get('s1')!.smtp?.host).toBe('smtp.example.it')
  })

  it('keeps the SMTP settings when the site form is saved', async () => {
    const dir = fakeSiteDirectory([plesso])
    await saveSmtpSettings({ directory: dir.directory, mailer: fakeMailer().mailer, secrets: box() }, { siteId: 's1', input })
    const view = await saveSiteSettings({ directory: dir.directory }, 's1', { name: 'Plesso Garibaldi', country: 'IT', licence: { maxPupils: '300' } })
    expect(view.licence.maxPupils).toBe(300)
    expect(view.timeZone).toBe('Europe/Rome')
    expect(dir.sites.get('s1')!.smtp?.host).toBe('smtp.example.it')
  })

  it('refuses an unknown site', async () => {
    const dir = fakeSiteDirectory([])
    await expect(saveSmtpSettings({ directory: dir.directory, mailer: fakeMailer().mailer, secrets: box() }, { siteId: 'nope', input })).rejects.toSatisfy(
      (e: unknown) => isEcoleError(e) && e.code === 'NOT_FOUND',
    )
  })
})

describe('secret box (AES-256-GCM with the host key)', () => {
  it('seals each secret with a fresh nonce and opens it again', () => {
    const b = box()
    const a1 = b.seal('s3cret')
    const a2 = b.seal('s3cret')
    expect(a1.iv).not.toBe(a2.iv)
    expect(a1.ciphertext).not.toBe(a2.ciphertext)
    expect(b.open(a1)).toBe('s3cret')
    expect(Buffer.from(a1.iv, 'base64')).toHaveLength(12)
    expect(Buffer.from(a1.tag, 'base64')).toHaveLength(16)
  })

  it('refuses a tampered secret and a secret of another key', () => {
    const b = box()
    const sealed = b.seal('s3cret')
    const bytes = Buffer.from(sealed.ciphertext, 'base64')
    bytes[0] = bytes[0]! ^ 1
    expect(() => b.open({ ...sealed, ciphertext: bytes.toString('base64') })).toThrow(/SECRET_UNREADABLE|authentication/)
    expect(() => box().open(sealed)).toThrow(/authentication/)
    expect(() => b.open({ ...sealed, keyId: 'k2' })).toThrow(/no key "k2"/)
  })

  it('refuses a secret whose authentication tag was cut short (a 4-byte tag is forged in 2^32 tries)', () => {
    const b = box()
    const sealed = b.seal('s3cret')
    const short = Buffer.from(sealed.tag, 'base64').subarray(0, 4).toString('base64')
    expect(() => b.open({ ...sealed, tag: short })).toThrow(/SECRET_UNREADABLE|authentication/)
  })

  it('opens old secrets after a key rotation', () => {
    const k1 = randomBytes(32)
    const old = createSecretBox({ keys: { k1 }, currentKeyId: 'k1' }).seal('s3cret')
    const rotated = createSecretBox({ keys: { k1, k2: randomBytes(32).toString('base64') }, currentKeyId: 'k2' })
    expect(rotated.open(old)).toBe('s3cret')
    expect(rotated.seal('x').keyId).toBe('k2')
  })

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createSecretBox({ keys: { k1: randomBytes(16) }, currentKeyId: 'k1' })).toThrow(/32 bytes/)
  })
})
