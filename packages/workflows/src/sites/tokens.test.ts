import { describe, expect, it } from 'vitest'
import { GuardianSchema, type CredentialSubject } from '@ecole/core'
import type { DirectoryStore } from '@ecole/core/ports'
import { fakeAccessStore } from './fakes.test-support'
import { hashPassword, verifyPassword } from './passwords'
import { openPortalAccess, requestPasswordReset } from './portal-access'
import { generateTokenSecret, hashToken, issueOneTimeToken, redeemOneTimeToken, setPasswordWithToken, verifyPortalPassword } from './tokens'

function counterIds() {
  let n = 0
  return { next: () => `t${++n}` }
}

const marie: CredentialSubject = { kind: 'guardian', id: 'marie' }
const t0 = new Date('2026-09-01T08:00:00Z')
const later = (ms: number) => new Date(t0.getTime() + ms)

describe('one-time tokens (seed 004 "jeton de connexion")', () => {
  it('has at least 128 random bits, in 32 unambiguous characters', () => {
    const token = generateTokenSecret()
    expect(token).toMatch(/^[ABCDEFGHJKMNPQRSTVWXYZ0-9]{32}$/)
    // 32 characters of a 32-letter alphabet = 160 bits
    expect(32 * Math.log2(32)).toBeGreaterThanOrEqual(128)
  })

  it('stores only the hash of the token', async () => {
    const access = fakeAccessStore()
    const { token, record } = await issueOneTimeToken({ access: access.store, ids: counterIds(), siteId: 's1', subject: marie, purpose: 'firstLogin', now: t0 })
    expect(record.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify([...access.tokens.values()])).not.toContain(token)
  })

  it('accepts the token once, typed with spaces around and inside, and refuses it the second time', async () => {
    const access = fakeAccessStore()
    const { token } = await issueOneTimeToken({ access: access.store, ids: counterIds(), siteId: 's1', subject: marie, purpose: 'firstLogin', now: t0 })
    const typed = `  ${token.slice(0, 4)} ${token.slice(4).toLowerCase()} `
    const first = await redeemOneTimeToken({ access: access.store, siteId: 's1', token: typed, now: later(60_000) })
    expect(first.ok && first.record.subject).toEqual(marie)
    expect(await redeemOneTimeToken({ access: access.store, siteId: 's1', token, now: later(120_000) })).toEqual({ ok: false, code: 'TOKEN_USED' })
  })

  it('refuses an expired token', async () => {
    const access = fakeAccessStore()
    const { token } = await issueOneTimeToken({ access: access.store, ids: counterIds(), siteId: 's1', subject: marie, purpose: 'firstLogin', now: t0, ttlMs: 3600_000 })
    expect(await redeemOneTimeToken({ access: access.store, siteId: 's1', token, now: later(3600_000) })).toEqual({ ok: false, code: 'TOKEN_EXPIRED' })
  })

  it('replaces the old token with a new one (forgotten password)', async () => {
    const access = fakeAccessStore()
    const ids = counterIds()
    const old = await issueOneTimeToken({ access: access.store, ids, siteId: 's1', subject: marie, purpose: 'firstLogin', now: t0 })
    const fresh = await issueOneTimeToken({ access: access.store, ids, siteId: 's1', subject: marie, purpose: 'passwordReset', now: later(1000) })
    expect(await redeemOneTimeToken({ access: access.store, siteId: 's1', token: old.token, now: later(2000) })).toEqual({ ok: false, code: 'TOKEN_UNKNOWN' })
    expect((await redeemOneTimeToken({ access: access.store, siteId: 's1', token: fresh.token, now: later(2000) })).ok).toBe(true)
  })

  it('hashes the token as typed without spaces and case', () => {
    expect(hashToken(' ab12 CD34 ')).toBe(hashToken('AB12CD34'))
    expect(hashToken('AB12CD34')).not.toBe(hashToken('AB12CD35'))
  })

  it('lets only one of two simultaneous uses of a token win', async () => {
    const access = fakeAccessStore()
    const { token } = await issueOneTimeToken({ access: access.store, ids: counterIds(), siteId: 's1', subject: marie, purpose: 'firstLogin', now: t0 })
    const results = await Promise.all([1, 2].map(() => redeemOneTimeToken({ access: access.store, siteId: 's1', token, now: later(10) })))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
  })
})

describe('passwords (seed 004: first login, password typed twice)', () => {
  it('sets the password with the token, hashed with scrypt, and logs in with it', async () => {
    const access = fakeAccessStore()
    await access.store.putPortalAccount('s1', { siteId: 's1', guardianId: 'marie', login: 'marie@example.fr' })
    const { token } = await issueOneTimeToken({ access: access.store, ids: counterIds(), siteId: 's1', subject: marie, purpose: 'firstLogin', now: t0 })
    const r = await setPasswordWithToken({ access: access.store, siteId: 's1', token, password: 'correct horse', confirmation: 'correct horse', now: later(5) })
    expect(r).toEqual({ ok: true, subject: marie })
    const stored = access.credentials.get('guardian:marie')!.passwordHash
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(stored).not.toContain('correct horse')
    expect(await verifyPortalPassword({ access: access.store, siteId: 's1', login: ' Marie@Example.fr', password: 'correct horse' })).toEqual({ ok: true, guardianId: 'marie' })
    expect(await verifyPortalPassword({ access: access.store, siteId: 's1', login: 'marie@example.fr', password: 'correct horsE' })).toEqual({ ok: false })
    expect(await verifyPortalPassword({ access: access.store, siteId: 's1', login: 'nobody@example.fr', password: 'correct horse' })).toEqual({ ok: false })
  })

  it("refuses a parent whose stored hash is corrupt, as a wrong password, instead of failing the login page", async () => {
    const access = fakeAccessStore()
    await access.store.putPortalAccount('s1', { siteId: 's1', guardianId: 'marie', login: 'marie@example.fr' })
    await access.store.putCredential('s1', { subject: marie, passwordHash: 'scrypt$3$8$1$AAAA$BBBB', updatedAt: t0.toISOString() })
    expect(await verifyPortalPassword({ access: access.store, siteId: 's1', login: 'marie@example.fr', password: 'correct horse' })).toEqual({ ok: false })
  })

  it('refuses two different passwords without using up the token', async () => {
    const access = fakeAccessStore()
    const { token } = await issueOneTimeToken({ access: access.store, ids: counterIds(), siteId: 's1', subject: marie, purpose: 'firstLogin', now: t0 })
    expect(await setPasswordWithToken({ access: access.store, siteId: 's1', token, password: 'correct horse', confirmation: 'correct house', now: later(5) })).toEqual({
      ok: false,
      codes: ['PASSWORDS_DIFFER'],
    })
    expect((await setPasswordWithToken({ access: access.store, siteId: 's1', token, password: 'correct horse', confirmation: 'correct horse', now: later(6) })).ok).toBe(true)
    expect(await setPasswordWithToken({ access: access.store, siteId: 's1', token, password: 'correct horse', confirmation: 'correct horse', now: later(7) })).toEqual({
      ok: false,
      codes: ['TOKEN_USED'],
    })
  })

  it('hashes the same password differently each time (random salt) and verifies both', async () => {
    const params = { N: 1024, r: 8, p: 1 }
    const a = await hashPassword('mot de passe', params)
    const b = await hashPassword('mot de passe', params)
    expect(a).not.toBe(b)
    expect(await verifyPassword('mot de passe', a)).toBe(true)
    expect(await verifyPassword('mot de passe', b)).toBe(true)
    // NFC and NFD spellings of "é" are the same password
    expect(await verifyPassword('caf\u0065\u0301', await hashPassword('caf\u00e9', params))).toBe(true)
  })
})

describe('portal access (seed 001 "créer un login", seed 004 "mot de passe oublié")', () => {
  function fakeDirectory(guardians: Record<string, ReturnType<typeof GuardianSchema.parse>>): DirectoryStore {
    const unused = () => Promise.reject(new Error('not used in this test'))
    return {
      getSite: unused, putSite: unused, putSmtpSettings: unused, putDirectoryRecord: unused, deleteDirectoryRecord: unused, listDirectoryRecords: unused, loadDirectory: unused, getDirectoryRecords: unused,
      searchDirectoryRecords: unused, listSepaMandatesOf: unused, listBillingRulesOf: unused, listDirectoryRecordsOf: unused,
      getDirectoryRecord: (async (_siteId: string, kind: string, id: string) => (kind === 'guardian' ? guardians[id] : undefined)) as DirectoryStore['getDirectoryRecord'],
    }
  }
  const g = (id: string, email?: string) => GuardianSchema.parse({ id, siteId: 's1', householdId: 'h1', firstName: id, lastName: 'X', email })

  it('needs an e-mail to create a login', async () => {
    const access = fakeAccessStore()
    const ports = { directory: fakeDirectory({ paul: g('paul') }), access: access.store, ids: counterIds() }
    expect(await openPortalAccess(ports, { siteId: 's1', guardianId: 'paul', now: t0 })).toEqual({ ok: false, refusal: { code: 'EMAIL_REQUIRED', guardianId: 'paul' } })
    expect(access.accounts.size).toBe(0)
    expect(access.tokens.size).toBe(0)
  })

  it('creates the login from the e-mail and a first-login token that sets the password', async () => {
    const access = fakeAccessStore()
    const ports = { directory: fakeDirectory({ marie: g('marie', 'Marie@Example.fr'), twin: g('twin', 'marie@example.fr') }), access: access.store, ids: counterIds() }
    const r = await openPortalAccess(ports, { siteId: 's1', guardianId: 'marie', now: t0 })
    expect(r.ok && r.account).toEqual({ siteId: 's1', guardianId: 'marie', login: 'marie@example.fr', openedAt: t0.toISOString() })
    if (!r.ok) return
    expect((await setPasswordWithToken({ access: access.store, siteId: 's1', token: r.token, password: 'correct horse', confirmation: 'correct horse', now: later(1) })).ok).toBe(true)
    // another guardian with the same address cannot take the login
    expect(await openPortalAccess(ports, { siteId: 's1', guardianId: 'twin', now: t0 })).toEqual({ ok: false, refusal: { code: 'LOGIN_TAKEN', login: 'marie@example.fr', guardianId: 'marie' } })
    // forgotten password: a new token, the old one no longer works
    const reset = await requestPasswordReset(ports, { siteId: 's1', login: 'MARIE@example.fr', now: later(2) })
    expect(reset?.guardianId).toBe('marie')
    expect(await requestPasswordReset(ports, { siteId: 's1', login: 'nobody@example.fr', now: later(2) })).toBeUndefined()
  })
})
