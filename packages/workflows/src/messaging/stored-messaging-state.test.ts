import { isEcoleError, UserSchema, type SmtpSettings } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { fakeMailer } from '../sites/fakes.test-support'
import { mailAccountsOf, removeMailAccount, saveMailAccount } from './mail-accounts'
import { queueLowBalanceAlerts } from './notifications'

const FROM = '"École" <no-reply@ecole.example>'
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const common = {
  siteId: 's1', policy: { threshold: 500n, rearmAt: 1000n }, currency: 'EUR', locale: 'fr' as const, sender: { from: FROM },
  holderOf: (accountId: string) => ({ guardianId: `g-${accountId}`, name: 'Anna', email: `${accountId}@example.fr` }),
}

async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p
  } catch (e) {
    if (isEcoleError(e)) return { code: e.code, message: e.message }
    throw e
  }
  throw new Error('expected an EcoleError')
}

describe('low-balance alerts with their state kept by the storage', () => {
  it('alerts once when the wallet crosses below the threshold, not on every debit, and again only after it went back to rearmAt', async () => {
    const storage = createMemoryStorage()
    const run = (id: string, available: bigint) => queueLowBalanceAlerts({ storage, clock }, { ...common, id, balances: [{ accountId: 'w1', available }] })
    const steps = [await run('a1', 300n), await run('a2', 200n), await run('a3', 100n), await run('a4', 700n), await run('a5', 400n), await run('a6', 1000n), await run('a7', 450n)]
    // 300: crossed (alert); 200, 100: still low (no alert); 700: between threshold and rearmAt (still alerted, nothing);
    // 400: no alert (never went back to rearmAt); 1000: re-armed; 450: crossed again (alert)
    expect(steps.map((s) => s.queued)).toEqual([['a1:w1'], [], [], [], [], [], ['a7:w1']])
    expect(steps.map((s) => s.rearmed)).toEqual([[], [], [], [], [], ['w1'], []])
    expect(steps.map((s) => s.state.alerted)).toEqual([['w1'], ['w1'], ['w1'], ['w1'], ['w1'], [], ['w1']])
    expect(await storage.messaging!.listLowBalanceAlerted('s1')).toEqual([{ accountId: 'w1', available: 450n, threshold: 500n, alertedAt: clock.now() }])
    expect((await storage.outbox!.list('s1', {})).items.map((m) => m.id)).toEqual(['a1:w1', 'a7:w1'])
  })

  it('of ten evaluations of the same debit running at once, exactly one queues the alert', async () => {
    const storage = createMemoryStorage()
    const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => queueLowBalanceAlerts({ storage, clock }, { ...common, id: `r${i}`, balances: [{ accountId: 'w1', available: 120n }] })))
    expect(runs.flatMap((r) => r.queued)).toHaveLength(1)
    expect((await storage.outbox!.list('s1', {})).items).toHaveLength(1)
  })

  it('a bad policy is refused before anything is stored or queued', async () => {
    const storage = createMemoryStorage()
    const e = await errorOf(queueLowBalanceAlerts({ storage, clock }, { ...common, id: 'x', policy: { threshold: 500n, rearmAt: 100n }, balances: [{ accountId: 'w1', available: 10n }] }))
    expect(e.code).toBe('INVALID_INPUT')
    expect(await storage.messaging!.listLowBalanceAlerted('s1')).toEqual([])
    expect((await storage.outbox!.list('s1', {})).items).toEqual([])
  })

  it('keeping the state in the storage needs the messaging port (PORT_MISSING otherwise); a caller-kept state still works there', async () => {
    const storage = createMemoryStorage({ without: ['messaging'] })
    expect((await errorOf(queueLowBalanceAlerts({ storage, clock }, { ...common, id: 'x', balances: [{ accountId: 'w1', available: 10n }] }))).code).toBe('PORT_MISSING')
    const r = await queueLowBalanceAlerts({ storage, clock }, { ...common, id: 'y', previous: { alerted: [] }, balances: [{ accountId: 'w1', available: 10n }] })
    expect(r.queued).toEqual(['y:w1'])
  })
})

describe('mail accounts (seed 002): establishment accounts with their authorised staff, personal accounts', () => {
  const secretariat = { kind: 'establishment' as const, id: 'secretariat', siteId: 's1', name: 'Secrétariat', address: 'secretariat@lycee.fr', senderName: 'Secrétariat du lycée', authorisedUserIds: ['u2', 'u1'] }
  const personal = { kind: 'personal' as const, id: 'perso-u1', siteId: 's1', name: 'Élise Martin', address: 'e.martin@lycee.fr', senderName: 'Élise Martin', ownerUserId: 'u1' }

  async function withStaff() {
    const storage = createMemoryStorage()
    for (const id of ['u1', 'u2', 'u3']) {
      await storage.access!.createUser('s1', UserSchema.parse({ id, siteId: 's1', login: `${id}@lycee.fr`, firstName: 'P', lastName: id, roleId: 'staff', profile: 'staff', scope: { schoolIds: 'all', serviceIds: 'all' } }))
    }
    return storage
  }

  it('stores both kinds; a staff member sees the accounts they may send from', async () => {
    const storage = await withStaff()
    expect(await saveMailAccount({ storage }, { siteId: 's1', account: secretariat })).toMatchObject({ ok: true, saved: 'created', account: { authorisedUserIds: ['u1', 'u2'] } })
    expect(await saveMailAccount({ storage }, { siteId: 's1', account: personal })).toMatchObject({ ok: true, saved: 'created' })
    expect((await mailAccountsOf({ storage }, { siteId: 's1', userId: 'u1' })).map((a) => a.id)).toEqual(['perso-u1', 'secretariat'])
    expect((await mailAccountsOf({ storage }, { siteId: 's1', userId: 'u2' })).map((a) => a.id)).toEqual(['secretariat'])
    expect(await mailAccountsOf({ storage }, { siteId: 's1', userId: 'u3' })).toEqual([])
    // revoking u2 is saving the account without them
    expect(await saveMailAccount({ storage }, { siteId: 's1', account: { ...secretariat, authorisedUserIds: ['u1'] } })).toMatchObject({ ok: true, saved: 'updated' })
    expect(await mailAccountsOf({ storage }, { siteId: 's1', userId: 'u2' })).toEqual([])
    expect(await removeMailAccount({ storage }, { siteId: 's1', id: 'perso-u1' })).toBe(true)
    expect((await mailAccountsOf({ storage }, { siteId: 's1', userId: 'u1' })).map((a) => a.id)).toEqual(['secretariat'])
  })

  it('refuses, naming the field and storing nothing: a bad address, another site, a second personal account, an address already used, a staff member who is not a user of the site', async () => {
    const storage = await withStaff()
    await saveMailAccount({ storage }, { siteId: 's1', account: personal })
    const cases: Array<[unknown, RegExp]> = [
      [{ ...secretariat, address: 'not an address' }, /^\[ecole\] .*mailAccount\.address: must be an e-mail address/],
      [{ ...secretariat, siteId: 's2' }, /mailAccount\.siteId/],
      [{ ...personal, id: 'perso-u1-bis', address: 'elise@lycee.fr' }, /mailAccount\.ownerUserId: .*one per staff member/],
      [{ ...secretariat, address: 'E.Martin@lycee.fr' }, /mailAccount\.address: is already the address of mail account perso-u1/],
      [{ ...secretariat, authorisedUserIds: ['u1', 'ghost'] }, /mailAccount\.authorisedUserIds\.0: names no user of site s1 \(ghost\)/],
    ]
    for (const [account, message] of cases) {
      const e = await errorOf(saveMailAccount({ storage }, { siteId: 's1', account: account as never }))
      expect(e.code).toBe('INVALID_INPUT')
      expect(e.message).toMatch(message)
    }
    expect((await storage.directory!.listDirectoryRecords('s1', 'mailAccount')).items.map((a) => a.id)).toEqual(['perso-u1'])
  })

  it('runs the account’s test send first when asked ("Tester l’envoi"): a failed test stores nothing and names the step', async () => {
    const storage = await withStaff()
    const settings: SmtpSettings = { host: 'smtp.lycee.fr', port: 587, security: 'starttls', username: 'pronote', password: 's3cret', fromAddress: 'pronote@lycee.fr', fromName: 'Lycée' } as SmtpSettings
    const failing = fakeMailer({ failAt: 'send', reason: '550 5.7.1 sender not allowed' })
    expect(await saveMailAccount({ storage, mailer: failing.mailer }, { siteId: 's1', account: secretariat, test: { settings, to: 'me@lycee.fr' } })).toEqual({ ok: false, stage: 'send', reason: '550 5.7.1 sender not allowed' })
    expect((await storage.directory!.listDirectoryRecords('s1', 'mailAccount')).items).toEqual([])
    const working = fakeMailer()
    expect(await saveMailAccount({ storage, mailer: working.mailer }, { siteId: 's1', account: secretariat, test: { settings, to: 'me@lycee.fr' } })).toMatchObject({ ok: true })
    expect(working.checks[0]!.settings.fromAddress).toBe('secretariat@lycee.fr')
    expect(working.checks[0]!.testMessage?.to).toBe('me@lycee.fr')
  })
})
