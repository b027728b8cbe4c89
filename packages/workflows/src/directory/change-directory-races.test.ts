import { auditEntry, GuardianSchema, HouseholdSchema, isEcoleError, updateGuardianContact } from '@ecole/core'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changeDirectory } from './change-directory'
import { recordVersion } from './record-versions'

// Two staff users open the same guardian's form, then both save at the same moment, on a real
// PostgreSQL server (PGlite runs one transaction at a time, so only a server shows a race).
const url = process.env['ECOLE_PG_URL']

describe.skipIf(!url)('two staff saving the same guardian at once, on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  it('lets exactly one save win: the other is told RECORD_CHANGED, the stored guardian is the winner\'s whole, with one audit entry', async () => {
    const winners = new Set<string>()
    for (let round = 0; round < 10; round++) {
      const siteId = `versions-race-${process.pid}-${Date.now()}-${round}`
      await storage.transaction(siteId, async (tx) => {
        await tx.directory!.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h1', siteId, name: 'Famille Dupont' }))
        await tx.directory!.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'marie', siteId, householdId: 'h1', firstName: 'Marie', lastName: 'Dupont' }))
      })
      // both forms are opened on the same version
      const opened = recordVersion(await storage.directory!.getDirectoryRecord(siteId, 'guardian', 'marie'))
      const save = (who: string, changes: { email: string; phone: string }) =>
        changeDirectory({ storage }, siteId, { guardians: ['marie'] }, (state) => updateGuardianContact(state, 'marie', changes), {
          expected: [{ kind: 'guardian', id: 'marie', version: opened }],
          withChanges: async (tx, written) => {
            await tx.audit!.recordAuditEntries(siteId, written.map((c) => auditEntry({
              id: `${who}-${c.id}`, siteId, at: '2027-01-04T08:00:00.000Z', actor: { kind: 'user', id: who }, action: 'guardian.edited', subject: { kind: c.kind, id: c.id }, after: { email: changes.email },
            })))
          },
        })
      const saves = { anne: { email: 'anne@example.fr', phone: '01 11 11 11 11' }, bruno: { email: 'bruno@example.fr', phone: '02 22 22 22 22' } }
      const outcomes = await Promise.allSettled([save('anne', saves.anne), save('bruno', saves.bruno)])
      const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i === 0 ? 'anne' : 'bruno'] : []))
      const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []))
      expect(won.length).toBe(1)
      expect(lost.length).toBe(1)
      expect(isEcoleError(lost[0], 'RECORD_CHANGED')).toBe(true)
      const winner = won[0] as 'anne' | 'bruno'
      const stored = await storage.directory!.getDirectoryRecord(siteId, 'guardian', 'marie')
      expect({ email: stored?.email, phone: stored?.phone }).toEqual(saves[winner])
      const audit = await storage.audit!.listAuditEntries(siteId, { subjectKind: 'guardian', subjectId: 'marie' })
      expect(audit.items.map((e) => e.actor.id)).toEqual([winner])
      winners.add(winner)
    }
    console.info(`two saves of one guardian, 10 rounds: winners seen ${[...winners].join(', ')}`)
  }, 120_000)

  it('without a version, two writers of one guardian run one after the other: each change is kept (no lost update)', async () => {
    for (let round = 0; round < 10; round++) {
      const siteId = `versions-race-nolock-${process.pid}-${Date.now()}-${round}`
      await storage.transaction(siteId, async (tx) => {
        await tx.directory!.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h1', siteId, name: 'Famille Dupont' }))
        await tx.directory!.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'marie', siteId, householdId: 'h1', firstName: 'Marie', lastName: 'Dupont' }))
      })
      await Promise.all([
        changeDirectory({ storage }, siteId, { guardians: ['marie'] }, (state) => updateGuardianContact(state, 'marie', { email: 'anne@example.fr' })),
        changeDirectory({ storage }, siteId, { guardians: ['marie'] }, (state) => updateGuardianContact(state, 'marie', { phone: '02 22 22 22 22' })),
      ])
      const stored = await storage.directory!.getDirectoryRecord(siteId, 'guardian', 'marie')
      expect({ email: stored?.email, phone: stored?.phone }).toEqual({ email: 'anne@example.fr', phone: '02 22 22 22 22' })
    }
  }, 120_000)
})
