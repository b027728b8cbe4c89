import { describe, expect, it } from 'vitest'
import { GuardianSchema, HouseholdSchema, isEcoleError } from '@ecole/core'
import { hashPassword } from './passwords'
import type { OutboxStore } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import type { MailPayload } from '../messaging/mail-outbox'
import { closePortalAccess, openPortalAccess, portalAccessStatus, resendPortalAccessToken, type TokenNotify } from './portal-access'
import { redeemOneTimeToken, setPasswordWithToken, verifyPortalPassword } from './tokens'

// The back office's view of a guardian's portal access (seed 001 "Portail parents"): opened,
// activated by the parent, a token sent again, access closed and opened again.
const now = new Date('2027-01-20T09:00:00Z')
const later = (ms: number) => new Date(now.getTime() + ms)
const notify: TokenNotify = { siteName: 'École', locale: 'fr', sender: { from: 'no-reply@ecole.example' }, portalUrl: 'https://portail.example' }
const FAST = { N: 1024, r: 8, p: 1 }

async function setup() {
  const storage = createMemoryStorage()
  await storage.directory!.putDirectoryRecord('s1', 'household', HouseholdSchema.parse({ id: 'h1', siteId: 's1', name: 'Famille Dupont' }))
  await storage.directory!.putDirectoryRecord('s1', 'guardian', GuardianSchema.parse({ id: 'marie', siteId: 's1', householdId: 'h1', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' }))
  await storage.directory!.putDirectoryRecord('s1', 'guardian', GuardianSchema.parse({ id: 'paul', siteId: 's1', householdId: 'h1', firstName: 'Paul', lastName: 'Dupont' }))
  let n = 0
  return { storage, ids: { next: () => `id${++n}` } }
}
const mails = async (storage: ReturnType<typeof createMemoryStorage>) => (await storage.outbox!.list('s1', {})).items.map((m) => ({ id: m.id, to: (m.payload as MailPayload).to }))

describe('portal access from the back office', () => {
  it('is none, then invited when opened, then active once the parent chose a password with the mailed token', async () => {
    const { storage, ids } = await setup()
    expect(await portalAccessStatus({ storage }, { siteId: 's1', guardianId: 'marie' })).toEqual({ state: 'none' })
    const opened = await openPortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, notify })
    if (!opened.ok) throw new Error('refused')
    expect(opened.account.openedAt).toBe(now.toISOString())
    expect(await portalAccessStatus({ storage }, { siteId: 's1', guardianId: 'marie' })).toMatchObject({ state: 'invited', account: { login: 'marie@example.fr' } })
    await setPasswordWithToken({ access: storage.access!, siteId: 's1', token: opened.token, password: 'correct horse', confirmation: 'correct horse', now, scrypt: FAST })
    expect(await portalAccessStatus({ storage }, { siteId: 's1', guardianId: 'marie' })).toMatchObject({ state: 'active', activatedAt: now.toISOString() })
  })

  it('sends a new token that replaces the first one, and refuses a guardian without access or without e-mail', async () => {
    const { storage, ids } = await setup()
    const opened = await openPortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, notify })
    if (!opened.ok) throw new Error('refused')
    const again = await resendPortalAccessToken({ storage, ids }, { siteId: 's1', guardianId: 'marie', now: later(1000), notify })
    if (!again.ok) throw new Error('refused')
    expect(await redeemOneTimeToken({ access: storage.access!, siteId: 's1', token: opened.token, now: later(2000) })).toEqual({ ok: false, code: 'TOKEN_UNKNOWN' })
    expect((await redeemOneTimeToken({ access: storage.access!, siteId: 's1', token: again.token, now: later(2000) })).ok).toBe(true)
    expect((await mails(storage)).map((m) => m.to)).toEqual([['marie@example.fr'], ['marie@example.fr']])
    expect(await resendPortalAccessToken({ storage, ids }, { siteId: 's1', guardianId: 'paul', now, notify })).toEqual({ ok: false, refusal: { code: 'NO_ACCOUNT', guardianId: 'paul' } })
    await storage.directory!.putDirectoryRecord('s1', 'guardian', GuardianSchema.parse({ id: 'marie', siteId: 's1', householdId: 'h1', firstName: 'Marie', lastName: 'Dupont' }))
    expect(await resendPortalAccessToken({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, notify })).toEqual({ ok: false, refusal: { code: 'EMAIL_REQUIRED', guardianId: 'marie' } })
    expect(await mails(storage)).toHaveLength(2)
  })

  it('closes access: the parent can no longer sign in, the mailed token is void, and opening again does not bring the old password back', async () => {
    const { storage, ids } = await setup()
    const opened = await openPortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, notify })
    if (!opened.ok) throw new Error('refused')
    await setPasswordWithToken({ access: storage.access!, siteId: 's1', token: opened.token, password: 'correct horse', confirmation: 'correct horse', now, scrypt: FAST })
    const again = await resendPortalAccessToken({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, notify })
    expect(await closePortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, scrypt: FAST })).toBe(true)
    expect(await closePortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, scrypt: FAST })).toBe(false)
    expect(await portalAccessStatus({ storage }, { siteId: 's1', guardianId: 'marie' })).toEqual({ state: 'none' })
    expect(await verifyPortalPassword({ access: storage.access!, siteId: 's1', login: 'marie@example.fr', password: 'correct horse' })).toEqual({ ok: false })
    if (again.ok) expect((await redeemOneTimeToken({ access: storage.access!, siteId: 's1', token: again.token, now })).ok).toBe(false)
    const reopened = await openPortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, notify })
    expect(reopened.ok).toBe(true)
    expect(await portalAccessStatus({ storage }, { siteId: 's1', guardianId: 'marie' })).toMatchObject({ state: 'invited' })
    expect(await verifyPortalPassword({ access: storage.access!, siteId: 's1', login: 'marie@example.fr', password: 'correct horse' })).toEqual({ ok: false })
  })

  it('refuses a password older than the opening of the access (one left from an earlier access), until the parent chooses one with the mailed token', async () => {
    const { storage, ids } = await setup()
    const opened = await openPortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, notify })
    if (!opened.ok) throw new Error('refused')
    // a password stored before this opening (an adapter or host that deleted the account and kept it)
    await storage.access!.putCredential('s1', { subject: { kind: 'guardian', id: 'marie' }, passwordHash: await hashPassword('old horse', FAST), updatedAt: later(-86_400_000).toISOString() })
    const signIn = (password: string) => verifyPortalPassword({ access: storage.access!, siteId: 's1', login: 'marie@example.fr', password, scrypt: FAST })
    expect(await signIn('old horse')).toEqual({ ok: false })
    expect(await portalAccessStatus({ storage }, { siteId: 's1', guardianId: 'marie' })).toMatchObject({ state: 'invited' })
    await setPasswordWithToken({ access: storage.access!, siteId: 's1', token: opened.token, password: 'correct horse', confirmation: 'correct horse', now: later(1000), scrypt: FAST })
    expect(await signIn('correct horse')).toEqual({ ok: true, guardianId: 'marie' })
    expect(await signIn('old horse')).toEqual({ ok: false })
  })

  it('opens again an access whose account was deleted through the port (its password with it), with a mail of its own each time', async () => {
    const { storage, ids } = await setup()
    const first = await openPortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, notify })
    expect(first).toMatchObject({ ok: true, mailId: 'token:firstLogin:marie:first' })
    for (const n of [2, 3]) {
      expect(await storage.access!.deletePortalAccount('s1', 'marie')).toBe(true)
      const again = await openPortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now: later(n * 1000), notify })
      expect(again).toMatchObject({ ok: true, mailId: `token:firstLogin:marie:opening-${n}` })
    }
    expect((await mails(storage)).map((m) => m.id)).toEqual(['token:firstLogin:marie:first', 'token:firstLogin:marie:opening-2', 'token:firstLogin:marie:opening-3'])
  })

  it('of two openings at once, the one that finds the other’s token mail queued rolls back: refused with ACCOUNT_EXISTS in its own transaction, PORTAL_ACCESS_OPENED_MEANWHILE in the caller’s', async () => {
    const { storage, ids } = await setup()
    // the other opening commits its mail just after this one read the outbox (both saw no account)
    const racing = (outbox: OutboxStore): OutboxStore => {
      let committed = false
      return new Proxy(outbox, {
        get(target, prop) {
          if (prop === 'get') {
            return async (siteId: string, id: string) => {
              const seen = await target.get(siteId, id)
              if (!committed) {
                committed = true
                await target.enqueue(siteId, { id: 'token:firstLogin:marie:first', topic: 'mail', payload: {} })
              }
              return seen
            }
          }
          const value: unknown = Reflect.get(target, prop, target)
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
    }
    const raced = { ...storage, transaction: ((siteId, fn) => storage.transaction(siteId, (tx) => fn({ ...tx, outbox: racing(tx.outbox!) }))) as typeof storage.transaction }
    expect(await openPortalAccess({ storage: raced, ids }, { siteId: 's1', guardianId: 'marie', now, notify })).toEqual({ ok: false, refusal: { code: 'ACCOUNT_EXISTS', guardianId: 'marie' } })
    expect(await storage.access!.getPortalAccount('s1', 'marie')).toBeUndefined()
    const other = await setup()
    const error = await other.storage.transaction('s1', (tx) => openPortalAccess({ directory: tx.directory!, access: tx.access!, outbox: racing(tx.outbox!), ids: other.ids }, { siteId: 's1', guardianId: 'marie', now, notify })).catch((e: unknown) => e)
    expect(isEcoleError(error, 'PORTAL_ACCESS_OPENED_MEANWHILE')).toBe(true)
  })

  it('opens a closed access again with a mail of its own, every time', async () => {
    const { storage, ids } = await setup()
    for (let i = 0; i < 3; i++) {
      const r = await openPortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, notify })
      expect(r.ok).toBe(true)
      await closePortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, scrypt: FAST })
    }
    expect(new Set((await mails(storage)).map((m) => m.id)).size).toBe(3)
  })
})
