import { GuardianSchema } from '@ecole/core'
import type { DirectoryStore, StoragePorts } from '@ecole/core/ports'
import type { PostgresStorage } from '@ecole/storage-postgres'
import { freshPgliteStorage } from '../fresh-pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { guardianNames } from '../../src/staff/staff-money'

// The back office's lists (drafts of a batch, reminders, certificates, bank) name their payers
// through guardianNames: a page reads all its payers' names in one directory read (issue 18).
let storage: PostgresStorage
const siteId = 'payer-names'
beforeAll(async () => {
  storage = await freshPgliteStorage()
  await storage.transaction(siteId, async (tx) => {
    for (let n = 0; n < 40; n++) {
      await tx.directory!.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: `g${n}`, siteId, householdId: `h${n}`, firstName: 'Claire', lastName: `Martin ${n}`, attributes: {} }))
    }
  })
}, 120_000)
afterAll(async () => {
  await storage?.close()
})

/** The storage with its directory's reads counted (one entry per call, with the number of ids asked). */
function counted(): { ports: StoragePorts; reads: string[] } {
  const reads: string[] = []
  const directory = storage.directory!
  const spy: DirectoryStore = Object.assign(Object.create(directory) as DirectoryStore, {
    getDirectoryRecord: ((s, kind, id) => (reads.push('one'), directory.getDirectoryRecord(s, kind, id))) as DirectoryStore['getDirectoryRecord'],
    getDirectoryRecords: ((s, kind, ids) => (reads.push(`many:${ids.length}`), directory.getDirectoryRecords(s, kind, ids))) as DirectoryStore['getDirectoryRecords'],
  })
  return { ports: Object.assign(Object.create(storage) as StoragePorts, { directory: spy }), reads }
}

describe('payers named on a staff list', () => {
  it('reads the names of a page of 33 payers (some twice, one unknown) in one directory read, and shows an unknown payer by id', async () => {
    const { ports, reads } = counted()
    const ids = [...Array.from({ length: 32 }, (_, n) => `g${n}`), 'g3', 'g7', 'gone']
    const names = await guardianNames(ports, siteId, ids)
    expect(reads).toEqual(['many:33'])
    expect(names.size).toBe(33)
    expect(names.get('g7')).toBe('Claire Martin 7')
    expect(names.get('gone')).toBe('gone')
  })

  it('splits a list of more than 1,000 payers into reads of at most 1,000', async () => {
    const { ports, reads } = counted()
    const names = await guardianNames(ports, siteId, Array.from({ length: 2001 }, (_, n) => `g${n}`))
    expect(reads).toEqual(['many:1000', 'many:1000', 'many:1'])
    expect(names.get('g39')).toBe('Claire Martin 39')
    expect(names.get('g2000')).toBe('g2000')
  })

  it('reads nothing for an empty list', async () => {
    const { ports, reads } = counted()
    expect((await guardianNames(ports, siteId, [])).size).toBe(0)
    expect(reads).toEqual([])
  })
})
