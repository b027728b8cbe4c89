import { describe, expect, it } from 'vitest'
import { GuardianSchema, HouseholdSchema, UserSchema } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import type { MailPayload } from '../messaging/mail-outbox'
import { openPortalAccess, type PasswordResetNotify } from './portal-access'
import { verifyPortalPassword, verifyUserPassword } from './tokens'
import { requestUserPasswordReset, setUserPasswordWithToken } from './user-password-reset'

// Seed 001, "Connexion": "J'ai perdu mon login et mon mot de passe" — the login is the e-mail;
// with it the staff member asks for a new password and follows the mailed procedure.
const now = new Date('2027-01-20T09:00:00Z')
const FAST = { N: 1024, r: 8, p: 1 }
const notify = (requestId: string): PasswordResetNotify => ({ siteName: 'École', locale: 'fr', sender: { from: 'no-reply@ecole.example' }, portalUrl: 'https://ecole.example/staff', requestId })

async function setup() {
  const storage = createMemoryStorage()
  const user = (id: string, login: string) => UserSchema.parse({ id, siteId: 's1', login, firstName: 'Anne', lastName: 'Roy', roleId: 'cashier', scope: { schoolIds: 'all', serviceIds: 'all' } })
  await storage.access!.createUser('s1', user('anne', 'anne.roy@mairie.fr'))
  await storage.access!.createUser('s1', user('paul', 'paul.blanc@mairie.fr'))
  await storage.directory!.putDirectoryRecord('s1', 'household', HouseholdSchema.parse({ id: 'h1', siteId: 's1', name: 'Famille Dupont' }))
  await storage.directory!.putDirectoryRecord('s1', 'guardian', GuardianSchema.parse({ id: 'marie', siteId: 's1', householdId: 'h1', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' }))
  let n = 0
  return { storage, ids: { next: () => `id${++n}` } }
}
const mails = async (storage: ReturnType<typeof createMemoryStorage>) => (await storage.outbox!.list('s1', {})).items.map((m) => ({ id: m.id, payload: m.payload as MailPayload }))
const set = (storage: ReturnType<typeof createMemoryStorage>, login: string, token: string, password = 'a long new phrase', confirmation = password, auditId?: string) =>
  setUserPasswordWithToken({ storage }, { siteId: 's1', login, token, password, confirmation, now, scrypt: FAST, policy: { minLength: 12 }, ...(auditId ? { auditId } : {}) })

describe('a staff user who lost their password', () => {
  it('asks with their e-mail in any case, is mailed a reset code, sets a new password with it and signs in; the change is audited, never the password', async () => {
    const { storage, ids } = await setup()
    const r = await requestUserPasswordReset({ storage, ids }, { siteId: 's1', login: ' Anne.Roy@Mairie.FR ', now, notify: notify('req-1') })
    if (!r || r.replayed) throw new Error('no token')
    expect(r).toMatchObject({ userId: 'anne', mailId: 'token:userPasswordReset:req-1' })
    const [mail] = await mails(storage)
    expect(mail!.payload.to).toEqual(['anne.roy@mairie.fr'])
    expect(mail!.payload.subject).toBe('École : nouveau mot de passe')
    expect(mail!.payload.text).toContain(r.token)
    expect(await set(storage, 'anne.roy@mairie.fr', r.token, 'a long new phrase', 'a long new phrase', 'audit-1')).toEqual({ ok: true, userId: 'anne' })
    expect(await verifyUserPassword({ access: storage.access!, siteId: 's1', login: 'anne.roy@mairie.fr', password: 'a long new phrase' })).toEqual({ ok: true, userId: 'anne' })
    const audit = await storage.audit!.listAuditEntries('s1', {})
    expect(audit.items.map((e) => [e.action, e.actor, e.subject])).toEqual([['password.changed', { kind: 'user', id: 'anne' }, { kind: 'user', id: 'anne' }]])
    expect(JSON.stringify(audit.items)).not.toContain('a long new phrase')
    // the code works once
    expect(await set(storage, 'anne.roy@mairie.fr', r.token)).toEqual({ ok: false, codes: ['TOKEN_USED'] })
  })

  it('is answered the same for an unknown login: nothing issued, nothing mailed', async () => {
    const { storage, ids } = await setup()
    expect(await requestUserPasswordReset({ storage, ids }, { siteId: 's1', login: 'nobody@mairie.fr', now, notify: notify('req-2') })).toBeUndefined()
    // a parent's login is not a staff login
    expect(await requestUserPasswordReset({ storage, ids }, { siteId: 's1', login: 'marie@example.fr', now, notify: notify('req-3') })).toBeUndefined()
    expect(await mails(storage)).toEqual([])
  })

  it('queues one mail and issues one code for a replayed request, so the mailed code stays the valid one', async () => {
    const { storage, ids } = await setup()
    const first = await requestUserPasswordReset({ storage, ids }, { siteId: 's1', login: 'anne.roy@mairie.fr', now, notify: notify('req-4') })
    const again = await requestUserPasswordReset({ storage, ids }, { siteId: 's1', login: 'anne.roy@mairie.fr', now, notify: notify('req-4') })
    expect(again).toEqual({ userId: 'anne', replayed: true, mailId: 'token:userPasswordReset:req-4' })
    expect(await mails(storage)).toHaveLength(1)
    if (!first || first.replayed) throw new Error('no token')
    expect((await set(storage, 'anne.roy@mairie.fr', first.token)).ok).toBe(true)
  })

  it('refuses a code shown with another login (WRONG_USER) and leaves it usable by its owner; a parent’s code never sets a staff password', async () => {
    const { storage, ids } = await setup()
    const anne = await requestUserPasswordReset({ storage, ids }, { siteId: 's1', login: 'anne.roy@mairie.fr', now })
    if (!anne || anne.replayed) throw new Error('no token')
    expect(await set(storage, 'paul.blanc@mairie.fr', anne.token)).toEqual({ ok: false, codes: ['WRONG_USER'] })
    expect(await set(storage, 'nobody@mairie.fr', anne.token)).toEqual({ ok: false, codes: ['WRONG_USER'] })
    const opened = await openPortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now })
    if (!opened.ok) throw new Error('refused')
    expect(await set(storage, 'anne.roy@mairie.fr', opened.token)).toEqual({ ok: false, codes: ['WRONG_USER'] })
    expect((await setUserPasswordWithToken({ storage }, { siteId: 's1', login: 'anne.roy@mairie.fr', token: anne.token, password: 'a long new phrase', confirmation: 'a long new phrase', now, scrypt: FAST })).ok).toBe(true)
    // the parent's code still works on the portal's side
    expect(await verifyPortalPassword({ access: storage.access!, siteId: 's1', login: 'marie@example.fr', password: 'a long new phrase' })).toEqual({ ok: false })
  })

  it('checks the new password before using the code: a typo keeps the code; an expired code is refused', async () => {
    const { storage, ids } = await setup()
    const r = await requestUserPasswordReset({ storage, ids }, { siteId: 's1', login: 'anne.roy@mairie.fr', now, ttlMs: 60_000 })
    if (!r || r.replayed) throw new Error('no token')
    expect(await set(storage, 'anne.roy@mairie.fr', r.token, 'a long new phrase', 'a long new phrasE')).toEqual({ ok: false, codes: ['PASSWORDS_DIFFER'] })
    expect(await set(storage, 'anne.roy@mairie.fr', r.token, 'short', 'short')).toEqual({ ok: false, codes: ['PASSWORD_TOO_SHORT'] })
    const late = await setUserPasswordWithToken({ storage }, { siteId: 's1', login: 'anne.roy@mairie.fr', token: r.token, password: 'a long new phrase', confirmation: 'a long new phrase', now: new Date(now.getTime() + 60_000), scrypt: FAST })
    expect(late).toEqual({ ok: false, codes: ['TOKEN_EXPIRED'] })
    expect(await verifyUserPassword({ access: storage.access!, siteId: 's1', login: 'anne.roy@mairie.fr', password: 'a long new phrase' })).toEqual({ ok: false })
  })
})
