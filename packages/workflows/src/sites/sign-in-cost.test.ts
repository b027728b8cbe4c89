import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { GuardianSchema, HouseholdSchema, UserSchema } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import type { ScryptParams } from './passwords'

// This project's test files share one module cache: the modules under test are loaded again
// after the mock below, so that they hash through it whichever file ran first.
let hashPassword: typeof import('./passwords').hashPassword
let verifyPortalPassword: typeof import('./tokens').verifyPortalPassword
let verifyUserPassword: typeof import('./tokens').verifyUserPassword
beforeAll(async () => {
  vi.resetModules()
  ;({ hashPassword } = await import('./passwords'))
  ;({ verifyPortalPassword, verifyUserPassword } = await import('./tokens'))
})

// Every scrypt run of this file, with the cost parameters it ran with (the work it did): the rule
// is stated on the parameters, not on a stopwatch.
const runs = vi.hoisted(() => [] as Array<{ N: number; r: number; p: number }>)
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>()
  const scrypt = (...args: unknown[]) => {
    const options = args[3] as { N: number; r: number; p: number }
    runs.push({ N: options.N, r: options.r, p: options.p })
    return (crypto.scrypt as (...a: unknown[]) => void)(...args)
  }
  return { ...crypto, default: { ...crypto, scrypt }, scrypt }
})

// A host that hashes with its own setting, neither the default (N = 2^15) nor the cheapest.
const SITE_SCRYPT: ScryptParams = { N: 2048, r: 4, p: 2 }
const at = '2027-01-20T09:00:00.000Z'

async function site() {
  const storage = createMemoryStorage()
  const access = storage.access!
  const user = (id: string, login: string) => UserSchema.parse({ id, siteId: 's1', login, firstName: 'Anne', lastName: 'Roy', roleId: 'cashier', scope: { schoolIds: 'all', serviceIds: 'all' } })
  await access.createUser('s1', user('anne', 'anne.roy@mairie.fr'))
  await access.putCredential('s1', { subject: { kind: 'user', id: 'anne' }, passwordHash: await hashPassword('right phrase here', SITE_SCRYPT), updatedAt: at })
  await access.createUser('s1', user('paul', 'paul.blanc@mairie.fr')) // no password yet
  await access.createUser('s1', user('zoe', 'zoe.petit@mairie.fr'))
  await access.putCredential('s1', { subject: { kind: 'user', id: 'zoe' }, passwordHash: 'scrypt$0$8$1$AAAA$BBBB', updatedAt: at }) // corrupt
  await storage.directory!.putDirectoryRecord('s1', 'household', HouseholdSchema.parse({ id: 'h1', siteId: 's1', name: 'Famille Dupont' }))
  await storage.directory!.putDirectoryRecord('s1', 'guardian', GuardianSchema.parse({ id: 'marie', siteId: 's1', householdId: 'h1', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' }))
  await access.putPortalAccount('s1', { siteId: 's1', guardianId: 'marie', login: 'marie@example.fr' } as Parameters<typeof access.putPortalAccount>[1])
  await access.putCredential('s1', { subject: { kind: 'guardian', id: 'marie' }, passwordHash: await hashPassword('right phrase here', SITE_SCRYPT), updatedAt: at })
  return access
}

/** The scrypt runs of one sign-in (after a first sign-in has made the site's dummy hash). */
async function scryptRunsOf(signIn: () => Promise<unknown>): Promise<Array<{ N: number; r: number; p: number }>> {
  await signIn()
  runs.length = 0
  await signIn()
  return [...runs]
}

describe('what a refused sign-in costs (D5: the timing never tells which logins exist)', () => {
  beforeEach(() => void (runs.length = 0))

  it("runs scrypt for an unknown login, a user without a password or with a corrupt hash once, with the site's parameters, as for a wrong password", async () => {
    const access = await site()
    const signIn = (login: string) => () => verifyUserPassword({ access, siteId: 's1', login, password: 'wrong phrase', scrypt: SITE_SCRYPT })
    const wrongPassword = await scryptRunsOf(signIn('anne.roy@mairie.fr'))
    expect(wrongPassword).toEqual([SITE_SCRYPT])
    for (const login of ['nobody@mairie.fr', 'paul.blanc@mairie.fr', 'zoe.petit@mairie.fr']) expect(await scryptRunsOf(signIn(login)), login).toEqual(wrongPassword)
  })

  it("runs scrypt for a parent's unknown login once, with the site's parameters, as for a wrong password", async () => {
    const access = await site()
    const signIn = (login: string) => () => verifyPortalPassword({ access, siteId: 's1', login, password: 'wrong phrase', scrypt: SITE_SCRYPT })
    const wrongPassword = await scryptRunsOf(signIn('marie@example.fr'))
    expect(wrongPassword).toEqual([SITE_SCRYPT])
    expect(await scryptRunsOf(signIn('nobody@example.fr'))).toEqual(wrongPassword)
  })

  it('still signs in with the right password and the site setting, and refuses a setting out of range whether the login exists or not', async () => {
    const access = await site()
    expect(await verifyUserPassword({ access, siteId: 's1', login: 'anne.roy@mairie.fr', password: 'right phrase here', scrypt: SITE_SCRYPT })).toEqual({ ok: true, userId: 'anne' })
    for (const login of ['anne.roy@mairie.fr', 'nobody@mairie.fr']) {
      const error = await verifyUserPassword({ access, siteId: 's1', login, password: 'x', scrypt: { N: 1000, r: 8, p: 1 } }).catch((e: unknown) => e)
      expect(error, login).toMatchObject({ code: 'INVALID_INPUT' })
    }
    const typo = await verifyUserPassword({ access, siteId: 's1', login: 'nobody@mairie.fr', password: 'x', scrypt: { N: 2048, r: 8, P: 1 } as unknown as ScryptParams }).catch((e: unknown) => e)
    expect(typo).toMatchObject({ code: 'INVALID_INPUT' })
  })

  it('checks the default setting (N = 2^15, r = 8, p = 1) for an unknown login when the host gives none', async () => {
    const access = await site()
    expect(await scryptRunsOf(() => verifyUserPassword({ access, siteId: 's1', login: 'nobody@mairie.fr', password: 'x' }))).toEqual([{ N: 32768, r: 8, p: 1 }])
  })
})
