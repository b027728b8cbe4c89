import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { GuardianSchema, HouseholdSchema, SiteSchema } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { fakeMailer } from './fakes.test-support'
import { addPortalDocument } from './documents'
import { openPortalAccess, requestPasswordReset } from './portal-access'
import { createSecretBox } from './secret-box'
import { readSite, saveSmtpSettings } from './smtp-settings'
import { redeemOneTimeToken, setPasswordWithToken, verifyPortalPassword } from './tokens'

// The same workflows over the reference storage adapter (its DirectoryStore and AccessStore).
describe('site workflows on @ecole/storage-memory', () => {
  const now = new Date('2026-09-01T08:00:00Z')
  const input = { host: 'smtp.example.it', port: 587, username: 'scuola@example.it', password: 'Pa55-w0rd!', security: 'starttls' as const }

  async function setup() {
    const storage = createMemoryStorage()
    await storage.directory!.putSite('s1', { ...SiteSchema.parse({ id: 's1', name: 'Plesso Garibaldi', country: 'IT' }), smtp: null })
    await storage.directory!.putDirectoryRecord('s1', 'household', HouseholdSchema.parse({ id: 'h1', siteId: 's1', name: 'Famille Dupont' }))
    await storage.directory!.putDirectoryRecord('s1', 'guardian', GuardianSchema.parse({ id: 'marie', siteId: 's1', householdId: 'h1', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' }))
    await storage.directory!.putDirectoryRecord('s1', 'guardian', GuardianSchema.parse({ id: 'paul', siteId: 's1', householdId: 'h1', firstName: 'Paul', lastName: 'Dupont' }))
    let n = 0
    return { storage, ids: { next: () => `id${++n}` }, secrets: createSecretBox({ keys: { k1: randomBytes(32) }, currentKeyId: 'k1' }) }
  }

  it('stores SMTP settings only after a good check, sealed, and reads them without the password', async () => {
    const { storage, secrets } = await setup()
    const failed = await saveSmtpSettings({ directory: storage.directory!, mailer: fakeMailer({ failAt: 'authenticate' }).mailer, secrets }, { siteId: 's1', input })
    expect(failed.ok).toBe(false)
    expect((await storage.directory!.getSite('s1'))!.smtp).toBeNull()
    const saved = await saveSmtpSettings({ directory: storage.directory!, mailer: fakeMailer().mailer, secrets }, { siteId: 's1', input })
    expect(saved.ok).toBe(true)
    const stored = (await storage.directory!.getSite('s1'))!.smtp!
    expect(JSON.stringify(stored)).not.toContain('Pa55-w0rd!')
    expect(secrets.open(stored.password)).toBe('Pa55-w0rd!')
    expect(JSON.stringify(await readSite({ directory: storage.directory! }, 's1'))).not.toContain(stored.password.ciphertext)
  })

  it('opens a portal login from the e-mail, refuses a guardian without one, and sets the password once', async () => {
    const { storage, ids } = await setup()
    const ports = { directory: storage.directory!, access: storage.access!, ids }
    expect(await openPortalAccess(ports, { siteId: 's1', guardianId: 'paul', now })).toEqual({ ok: false, refusal: { code: 'EMAIL_REQUIRED', guardianId: 'paul' } })
    const opened = await openPortalAccess(ports, { siteId: 's1', guardianId: 'marie', now })
    if (!opened.ok) throw new Error('refused')
    const set = await setPasswordWithToken({ access: storage.access!, siteId: 's1', token: opened.token, password: 'correct horse', confirmation: 'correct horse', now })
    expect(set.ok).toBe(true)
    expect(await redeemOneTimeToken({ access: storage.access!, siteId: 's1', token: opened.token, now })).toEqual({ ok: false, code: 'TOKEN_USED' })
    expect(await verifyPortalPassword({ access: storage.access!, siteId: 's1', login: 'marie@example.fr', password: 'correct horse' })).toEqual({ ok: true, guardianId: 'marie' })
    // a reset token replaces any earlier one and expires
    const reset = await requestPasswordReset(ports, { siteId: 's1', login: 'marie@example.fr', now, ttlMs: 1000 })
    expect(await redeemOneTimeToken({ access: storage.access!, siteId: 's1', token: reset!.token, now: new Date(now.getTime() + 1000) })).toEqual({ ok: false, code: 'TOKEN_EXPIRED' })
  })

  it('counts documents against the storage licence and stores nothing beyond it', async () => {
    const storage = createMemoryStorage()
    // a licence of 0.00001 GB: 10 000 bytes
    await storage.directory!.putSite('s1', { ...SiteSchema.parse({ id: 's1', name: 'Plesso', country: 'IT', licence: { maxStorageGb: '0.00001' } }), smtp: null })
    const doc = (id: string) => ({ id, name: id, key: `s1/${id}`, mediaType: 'application/pdf', audience: { kind: 'site' as const }, available: { from: '2026-09-01' } })
    const big = new Uint8Array(6_000)
    expect((await addPortalDocument(storage, { siteId: 's1', input: doc('a'), bytes: big })).ok).toBe(true)
    expect(await addPortalDocument(storage, { siteId: 's1', input: doc('b'), bytes: big })).toEqual({
      ok: false,
      refusal: { code: 'STORAGE_QUOTA_EXCEEDED', usedBytes: 6_000, addedBytes: 6_000, limitBytes: 10_000 },
    })
    expect(await storage.documents!.getDocument('s1', 'b')).toBeUndefined()
    // replacing a document gives its old size back first
    expect((await addPortalDocument(storage, { siteId: 's1', input: doc('a'), bytes: new Uint8Array(9_000) })).ok).toBe(true)
    expect(await storage.documents!.usedBytes('s1')).toBe(9_000)
  })
})
