import { GuardianSchema, HouseholdSchema, isEcoleError, updateGuardianContact, walletPaymentReference } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { changeDirectory } from '../directory/change-directory'
import { serverStorage } from '../test-support/server-storage'
import { setWalletNumbers, walletNumberOf, WALLET_NUMBER_SERIES } from './wallet-numbers'

async function addGuardians(storage: StoragePorts, siteId: string, ids: readonly string[]): Promise<void> {
  await storage.transaction(siteId, async (tx) => {
    await tx.directory!.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h', siteId, name: 'Famille Martin' }))
    for (const id of ids) await tx.directory!.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id, siteId, householdId: 'h', firstName: 'Camille', lastName: id }))
  })
}

const stored = async (storage: StoragePorts, siteId: string, id: string) => (await storage.directory!.getDirectoryRecord(siteId, 'guardian', id))?.walletNumber
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e)

describe('walletNumberOf: a guardian is given a wallet number once, and keeps it', () => {
  it('draws the next number of the site for a guardian without one, stores it on the guardian, and answers it again on every call', async () => {
    const storage = createMemoryStorage()
    await addGuardians(storage, 's1', ['anne', 'paul'])
    expect(await walletNumberOf({ storage }, { siteId: 's1', guardianId: 'anne' })).toBe(1)
    expect(await walletNumberOf({ storage }, { siteId: 's1', guardianId: 'paul' })).toBe(2)
    expect(await walletNumberOf({ storage }, { siteId: 's1', guardianId: 'anne' })).toBe(1)
    expect(await stored(storage, 's1', 'anne')).toBe(1)
    expect(await storage.invoiceNumbers!.lastNumber('s1', WALLET_NUMBER_SERIES)).toBe(2)
    // two guardians, two references: a top-up with Anne's reaches Anne's wallet only
    const space = { scheme: 'rf', siteCode: '094' } as const
    expect(walletPaymentReference(space, 1).electronic).not.toBe(walletPaymentReference(space, 2).electronic)
  })

  it('keeps the number through an edit of the guardian (the edit reads the stored guardian under its lock)', async () => {
    const storage = createMemoryStorage()
    await addGuardians(storage, 's1', ['anne'])
    await walletNumberOf({ storage }, { siteId: 's1', guardianId: 'anne' })
    const r = await changeDirectory({ storage }, 's1', { guardians: ['anne'] }, (state) => updateGuardianContact(state, 'anne', { email: 'anne@example.fr' }))
    expect(r.ok).toBe(true)
    expect(await storage.directory!.getDirectoryRecord('s1', 'guardian', 'anne')).toMatchObject({ email: 'anne@example.fr', walletNumber: 1 })
  })

  it('refuses an unknown guardian (NOT_FOUND) and bad input (INVALID_INPUT naming the field), drawing no number', async () => {
    const storage = createMemoryStorage()
    await addGuardians(storage, 's1', ['anne'])
    expect(isEcoleError(await failure(walletNumberOf({ storage }, { siteId: 's1', guardianId: 'nobody' })), 'NOT_FOUND')).toBe(true)
    const bad = await failure(walletNumberOf({ storage }, { siteId: 's1', guardianId: '' }))
    expect(isEcoleError(bad, 'INVALID_INPUT') && JSON.stringify(bad.details)).toContain('guardianId')
    expect(await storage.invoiceNumbers!.lastNumber('s1', WALLET_NUMBER_SERIES)).toBe(0)
  })

  it('gives each site its own series', async () => {
    const storage = createMemoryStorage()
    await addGuardians(storage, 's1', ['anne'])
    await addGuardians(storage, 's2', ['anne'])
    expect(await walletNumberOf({ storage }, { siteId: 's1', guardianId: 'anne' })).toBe(1)
    expect(await walletNumberOf({ storage }, { siteId: 's2', guardianId: 'anne' })).toBe(1)
  })
})

describe('setWalletNumbers: numbers kept from a previous system', () => {
  it('stores the numbers given and moves the series past the highest, so later guardians are drawn numbers above it', async () => {
    const storage = createMemoryStorage()
    await addGuardians(storage, 's1', ['anne', 'paul', 'zoe'])
    await setWalletNumbers({ storage }, { siteId: 's1', numbers: [{ guardianId: 'anne', walletNumber: 21 }, { guardianId: 'paul', walletNumber: 7 }] })
    expect([await stored(storage, 's1', 'anne'), await stored(storage, 's1', 'paul')]).toEqual([21, 7])
    expect(await walletNumberOf({ storage }, { siteId: 's1', guardianId: 'zoe' })).toBe(22)
    // giving a guardian the number they hold changes nothing
    await setWalletNumbers({ storage }, { siteId: 's1', numbers: [{ guardianId: 'anne', walletNumber: 21 }] })
    expect(await stored(storage, 's1', 'anne')).toBe(21)
  })

  it('refuses a number another guardian holds, and another number for a guardian who has one (WALLET_NUMBER_TAKEN), storing none of the set', async () => {
    const storage = createMemoryStorage()
    await addGuardians(storage, 's1', ['anne', 'paul', 'zoe'])
    expect(await walletNumberOf({ storage }, { siteId: 's1', guardianId: 'anne' })).toBe(1)
    const taken = await failure(setWalletNumbers({ storage }, { siteId: 's1', numbers: [{ guardianId: 'zoe', walletNumber: 30 }, { guardianId: 'paul', walletNumber: 1 }] }))
    expect(isEcoleError(taken, 'WALLET_NUMBER_TAKEN') && taken.details).toEqual({ guardianId: 'paul', walletNumber: 1, heldBy: 'anne' })
    const changed = await failure(setWalletNumbers({ storage }, { siteId: 's1', numbers: [{ guardianId: 'anne', walletNumber: 40 }] }))
    expect(isEcoleError(changed, 'WALLET_NUMBER_TAKEN') && changed.message).toContain('holds wallet number 1')
    expect([await stored(storage, 's1', 'anne'), await stored(storage, 's1', 'paul'), await stored(storage, 's1', 'zoe')]).toEqual([1, undefined, undefined])
    expect(await walletNumberOf({ storage }, { siteId: 's1', guardianId: 'zoe' })).toBe(2)
  })

  it('refuses a number or a guardian given twice, a number that is not a whole number of at least 1, and an unknown guardian, storing nothing', async () => {
    const storage = createMemoryStorage()
    await addGuardians(storage, 's1', ['anne', 'paul'])
    const cases: Array<[Array<{ guardianId: string; walletNumber: number }>, string, string]> = [
      [[{ guardianId: 'anne', walletNumber: 5 }, { guardianId: 'paul', walletNumber: 5 }], 'INVALID_INPUT', 'numbers[1].walletNumber'],
      [[{ guardianId: 'anne', walletNumber: 5 }, { guardianId: 'anne', walletNumber: 6 }], 'INVALID_INPUT', 'numbers[1].guardianId'],
      [[{ guardianId: 'anne', walletNumber: 2.5 }], 'INVALID_INPUT', 'walletNumber'],
      [[{ guardianId: 'anne', walletNumber: 0 }], 'INVALID_INPUT', 'walletNumber'],
      [[{ guardianId: 'anne', walletNumber: 5 }, { guardianId: 'nobody', walletNumber: 6 }], 'NOT_FOUND', 'nobody'],
    ]
    for (const [numbers, code, named] of cases) {
      const e = await failure(setWalletNumbers({ storage }, { siteId: 's1', numbers }))
      expect(isEcoleError(e) && e.code).toBe(code)
      expect(JSON.stringify({ message: (e as Error).message, details: (e as { details?: unknown }).details })).toContain(named)
    }
    expect([await stored(storage, 's1', 'anne'), await stored(storage, 's1', 'paul')]).toEqual([undefined, undefined])
  })
})

describe('the wallet numbers of a site, whatever the order of assignments and imports (property)', () => {
  const guardians = ['g0', 'g1', 'g2', 'g3', 'g4', 'g5']
  const command = fc.oneof(
    fc.record({ kind: fc.constant('draw' as const), guardian: fc.constantFrom(...guardians) }),
    fc.record({ kind: fc.constant('set' as const), numbers: fc.uniqueArray(fc.record({ guardianId: fc.constantFrom(...guardians), walletNumber: fc.integer({ min: 1, max: 12 }) }), { selector: (n) => n.guardianId, maxLength: 3 }) }),
  )
  test.prop([fc.array(command, { maxLength: 12 })], { numRuns: 200 })('no two guardians ever share a number, and a guardian never loses or changes theirs', async (commands) => {
    const storage = createMemoryStorage()
    await addGuardians(storage, 's1', guardians)
    const held = new Map<string, number>()
    for (const c of commands) {
      if (c.kind === 'draw') {
        const n = await walletNumberOf({ storage }, { siteId: 's1', guardianId: c.guardian })
        expect(held.get(c.guardian) ?? n).toBe(n)
      } else {
        await setWalletNumbers({ storage }, { siteId: 's1', numbers: c.numbers }).catch((e: unknown) => {
          if (!isEcoleError(e, 'WALLET_NUMBER_TAKEN') && !isEcoleError(e, 'INVALID_INPUT')) throw e
        })
      }
      for (const g of guardians) {
        const n = await stored(storage, 's1', g)
        if (held.has(g)) expect(n).toBe(held.get(g))
        if (n !== undefined) held.set(g, n)
      }
      const numbers = [...held.values()]
      expect(new Set(numbers).size).toBe(numbers.length)
    }
  })
})

// On a real server concurrent transactions interleave (PGlite runs one at a time).
const url = process.env['ECOLE_PG_URL']
describe.skipIf(!url)('wallet numbers under concurrent writers, on a PostgreSQL server', () => {
  const storage = serverStorage(url!, 8)
  let sites = 0
  const site = () => `wallet-numbers-${process.pid}-${Date.now()}-${++sites}`

  it('ten first calls at once for one guardian answer one number, the one stored, and draw it once', async () => {
    for (let round = 0; round < 3; round++) {
      const siteId = site()
      await addGuardians(storage, siteId, ['anne'])
      const numbers = await Promise.all(Array.from({ length: 10 }, () => walletNumberOf({ storage }, { siteId, guardianId: 'anne' })))
      expect(new Set(numbers)).toEqual(new Set([1]))
      expect(await stored(storage, siteId, 'anne')).toBe(1)
      expect(await storage.invoiceNumbers!.lastNumber(siteId, WALLET_NUMBER_SERIES)).toBe(1)
    }
  })

  it('twenty guardians drawn at once while numbers of a previous system are set, and their edits, leave every guardian one distinct number', async () => {
    const siteId = site()
    const ids = Array.from({ length: 20 }, (_, i) => `g${i}`)
    await addGuardians(storage, siteId, [...ids, 'old1', 'old2'])
    const answers = await Promise.all([
      ...ids.map((guardianId) => walletNumberOf({ storage }, { siteId, guardianId })),
      setWalletNumbers({ storage }, { siteId, numbers: [{ guardianId: 'old1', walletNumber: 3 }, { guardianId: 'old2', walletNumber: 50 }] }).then(() => 0, (e: unknown) => e),
      ...ids.slice(0, 5).map((guardianId) => changeDirectory({ storage }, siteId, { guardians: [guardianId] }, (state) => updateGuardianContact(state, guardianId, { email: `${guardianId}@example.fr` })).then(() => 0)),
    ])
    const all = await storage.directory!.getDirectoryRecords(siteId, 'guardian', [...ids, 'old1', 'old2'])
    const held = [...all.values()].flatMap((g) => (g.walletNumber === undefined ? [] : [g.walletNumber]))
    expect(new Set(held).size).toBe(held.length)
    // each drawn answer is the number stored, and the edits kept it
    ids.forEach((id, i) => expect(all.get(id)?.walletNumber).toBe(answers[i]))
    expect(ids.slice(0, 5).map((id) => all.get(id)?.email)).toEqual(ids.slice(0, 5).map((id) => `${id}@example.fr`))
    // the import either took 3 (drawn after it: above 50) or was refused because a guardian drew 3 first
    const imported = answers[20]
    if (imported === 0) expect([all.get('old1')?.walletNumber, all.get('old2')?.walletNumber]).toEqual([3, 50])
    else expect(isEcoleError(imported, 'WALLET_NUMBER_TAKEN')).toBe(true)
  })
})
