import { describe, expect, it } from 'vitest'
import { GuardianSchema, HouseholdSchema, archiveGuardian, emptyDirectory, unarchiveGuardian, type Guardian } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { closePortalAccess, openPortalAccess, portalAccessStatus, requestPasswordReset, resendPortalAccessToken, type TokenNotify } from './portal-access'
import { mayUsePortal } from './portal-use'
import { redeemOneTimeToken, setPasswordWithToken, verifyPortalPassword } from './tokens'

// A family that left the school (seed 001 "archiver un responsable") loses portal access: archiving
// closes it in the same transaction, and a guardian archived while their access stayed open (by
// another program) is refused all the same. Unarchiving does not open it again.
const now = new Date('2027-01-20T09:00:00Z')
const later = (ms: number) => new Date(now.getTime() + ms)
const notify: TokenNotify = { siteName: 'École', locale: 'fr', sender: { from: 'no-reply@ecole.example' }, portalUrl: 'https://portail.example' }
const FAST = { N: 1024, r: 8, p: 1 }
const PASSWORD = 'correct horse'

async function setup() {
  const storage = createMemoryStorage()
  await storage.directory!.putDirectoryRecord('s1', 'household', HouseholdSchema.parse({ id: 'h1', siteId: 's1', name: 'Famille Dupont' }))
  await storage.directory!.putDirectoryRecord('s1', 'guardian', GuardianSchema.parse({ id: 'marie', siteId: 's1', householdId: 'h1', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' }))
  let n = 0
  const ids = { next: () => `id${++n}` }
  // Marie's access opened and activated: she signs in with her password
  const opened = await openPortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, notify })
  if (!opened.ok) throw new Error('refused')
  await setPasswordWithToken({ access: storage.access!, siteId: 's1', token: opened.token, password: PASSWORD, confirmation: PASSWORD, now, scrypt: FAST })
  return { storage, ids }
}

/** The guardian archived (or unarchived) in the directory only, as a program that leaves portal access alone does. */
async function setArchived(storage: StoragePorts, archive: boolean): Promise<Guardian> {
  const marie = (await storage.directory!.getDirectoryRecord('s1', 'guardian', 'marie'))!
  const state = { ...emptyDirectory('s1'), guardians: { marie } }
  const outcome = archive ? archiveGuardian(state, 'marie', { on: '2027-01-20', reason: 'moved', unpaidInvoiceIds: [] }) : unarchiveGuardian(state, 'marie')
  if (!outcome.ok) throw new Error(outcome.refusal.code)
  await storage.directory!.putDirectoryRecord('s1', 'guardian', outcome.state.guardians['marie']!)
  return outcome.state.guardians['marie']!
}

const signIn = (storage: StoragePorts) => verifyPortalPassword({ access: storage.access!, directory: storage.directory!, siteId: 's1', login: 'marie@example.fr', password: PASSWORD, scrypt: FAST })
const mayUse = (storage: StoragePorts) => mayUsePortal({ access: storage.access!, directory: storage.directory!, siteId: 's1', guardianId: 'marie' })
const resetMails = async (storage: StoragePorts) => (await storage.outbox!.list('s1', {})).items.filter((m) => m.id.startsWith('token:passwordReset:'))

describe('archiving a guardian with the closing of their access, in one transaction', () => {
  it('closes the access with the archiving: no sign-in, no session, no reset mail, and the token mailed before fails', async () => {
    const { storage, ids } = await setup()
    expect(await signIn(storage)).toEqual({ ok: true, guardianId: 'marie' })
    expect(await mayUse(storage)).toBe(true)
    const resent = await resendPortalAccessToken({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, notify })
    if (!resent.ok) throw new Error('refused')
    await storage.transaction('s1', async (tx) => {
      await setArchived({ ...storage, directory: tx.directory! }, true)
      expect(await closePortalAccess({ access: tx.access! }, { siteId: 's1', guardianId: 'marie', now, scrypt: FAST })).toBe(true)
    })
    expect(await mayUse(storage)).toBe(false) // the check a host makes on every request of a session
    expect(await signIn(storage)).toEqual({ ok: false })
    expect(await requestPasswordReset({ storage, ids }, { siteId: 's1', login: 'marie@example.fr', now, notify: { ...notify, requestId: 'req-1' } })).toBeUndefined()
    expect(await resetMails(storage)).toEqual([])
    expect(await redeemOneTimeToken({ access: storage.access!, siteId: 's1', token: resent.token, now: later(1000) })).toEqual({ ok: false, code: 'TOKEN_UNKNOWN' })
  })

  it('leaves the guardian archived with access open when the archiving transaction rolls back', async () => {
    const { storage } = await setup()
    const boom = new Error('boom')
    await expect(storage.transaction('s1', async (tx) => {
      await setArchived({ ...storage, directory: tx.directory! }, true)
      await closePortalAccess({ access: tx.access! }, { siteId: 's1', guardianId: 'marie', now, scrypt: FAST })
      throw boom
    })).rejects.toBe(boom)
    expect(await mayUse(storage)).toBe(true)
    expect(await signIn(storage)).toEqual({ ok: true, guardianId: 'marie' })
  })

  it('keeps the access closed when the guardian is unarchived, until the staff open it again (with a new token, not the old password)', async () => {
    const { storage, ids } = await setup()
    await storage.transaction('s1', async (tx) => {
      await setArchived({ ...storage, directory: tx.directory! }, true)
      await closePortalAccess({ access: tx.access! }, { siteId: 's1', guardianId: 'marie', now, scrypt: FAST })
    })
    expect(await openPortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, notify })).toEqual({ ok: false, refusal: { code: 'GUARDIAN_ARCHIVED', guardianId: 'marie' } })
    await setArchived(storage, false)
    expect(await mayUse(storage)).toBe(false)
    expect(await signIn(storage)).toEqual({ ok: false })
    expect(await portalAccessStatus({ storage }, { siteId: 's1', guardianId: 'marie' })).toEqual({ state: 'none' })
    const reopened = await openPortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now: later(1000), notify })
    if (!reopened.ok) throw new Error('refused')
    expect(await signIn(storage)).toEqual({ ok: false })
    expect(await portalAccessStatus({ storage }, { siteId: 's1', guardianId: 'marie' })).toMatchObject({ state: 'invited' })
    expect((await setPasswordWithToken({ access: storage.access!, siteId: 's1', token: reopened.token, password: PASSWORD, confirmation: PASSWORD, now: later(2000), scrypt: FAST })).ok).toBe(true)
    expect(await signIn(storage)).toEqual({ ok: true, guardianId: 'marie' })
  })
})

describe('a guardian archived while their access stayed open (archived by another program)', () => {
  it('is refused the sign-in like a wrong password, their session check fails, and a reset request issues and mails nothing', async () => {
    const { storage, ids } = await setup()
    const earlier = await requestPasswordReset({ storage, ids }, { siteId: 's1', login: 'marie@example.fr', now })
    await setArchived(storage, true)
    expect(await storage.access!.getPortalAccount('s1', 'marie')).toBeDefined()
    expect(await mayUse(storage)).toBe(false)
    expect(await signIn(storage)).toEqual({ ok: false })
    // the same sign-in without the directory checks only the account and the password
    expect(await verifyPortalPassword({ access: storage.access!, siteId: 's1', login: 'marie@example.fr', password: PASSWORD, scrypt: FAST })).toEqual({ ok: true, guardianId: 'marie' })
    expect(await requestPasswordReset({ storage, ids }, { siteId: 's1', login: 'marie@example.fr', now, notify: { ...notify, requestId: 'req-2' } })).toBeUndefined()
    expect(await resetMails(storage)).toEqual([])
    // in the caller's transaction, given the directory, the same
    expect(await storage.transaction('s1', (tx) => requestPasswordReset({ access: tx.access!, directory: tx.directory!, outbox: tx.outbox!, ids }, { siteId: 's1', login: 'marie@example.fr', now, notify: { ...notify, requestId: 'req-3' } }))).toBeUndefined()
    expect(await resetMails(storage)).toEqual([])
    // the token issued before the archiving was not replaced by a new one
    expect((await redeemOneTimeToken({ access: storage.access!, siteId: 's1', token: earlier!.token, now })).ok).toBe(true)
  })

  it('gets no new token from the staff (GUARDIAN_ARCHIVED), and closing the access ends it', async () => {
    const { storage, ids } = await setup()
    await setArchived(storage, true)
    expect(await resendPortalAccessToken({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, notify })).toEqual({ ok: false, refusal: { code: 'GUARDIAN_ARCHIVED', guardianId: 'marie' } })
    expect((await storage.outbox!.list('s1', {})).items.map((m) => m.id)).toEqual(['token:firstLogin:marie:first'])
    expect(await closePortalAccess({ storage, ids }, { siteId: 's1', guardianId: 'marie', now, scrypt: FAST })).toBe(true)
    expect(await verifyPortalPassword({ access: storage.access!, siteId: 's1', login: 'marie@example.fr', password: PASSWORD, scrypt: FAST })).toEqual({ ok: false })
  })

  it('is refused when their record is gone, and an unknown guardian id is refused without an account', async () => {
    const { storage } = await setup()
    await storage.directory!.deleteDirectoryRecord('s1', 'guardian', 'marie')
    expect(await mayUse(storage)).toBe(false)
    expect(await signIn(storage)).toEqual({ ok: false })
    expect(await mayUsePortal({ access: storage.access!, directory: storage.directory!, siteId: 's1', guardianId: 'nobody' })).toBe(false)
  })
})
