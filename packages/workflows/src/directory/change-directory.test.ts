import { describe, expect, it } from 'vitest'
import {
  addGuardian, createHousehold, enrol, GuardianSchema, HouseholdSchema, isEcoleError, SchoolClassSchema, SchoolSchema, ChildSchema, EnrolmentSchema,
} from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { changeDirectory } from './change-directory'

async function site() {
  const storage = createMemoryStorage()
  const d = storage.directory!
  await d.putDirectoryRecord('s1', 'household', HouseholdSchema.parse({ id: 'h1', siteId: 's1', name: 'Famille Dupont' }))
  await d.putDirectoryRecord('s1', 'guardian', GuardianSchema.parse({ id: 'marie', siteId: 's1', householdId: 'h1', firstName: 'Marie', lastName: 'Dupont' }))
  await d.putDirectoryRecord('s1', 'school', SchoolSchema.parse({ id: 'sc', siteId: 's1', name: 'École' }))
  await d.putDirectoryRecord('s1', 'schoolClass', SchoolClassSchema.parse({ id: 'cp', siteId: 's1', schoolId: 'sc', name: 'CP' }))
  for (const id of ['lea', 'tom']) {
    await d.putDirectoryRecord('s1', 'child', ChildSchema.parse({ id, siteId: 's1', firstName: id, lastName: 'Dupont', birthDate: '2019-05-14', guardians: [{ guardianId: 'marie', relationship: 'mother' }] }))
  }
  await d.putDirectoryRecord('s1', 'enrolment', EnrolmentSchema.parse({ id: 'e-lea', siteId: 's1', beneficiaryId: 'lea', schoolId: 'sc', classId: 'cp', from: '2026-09-01' }))
  return storage
}

describe('changeDirectory: a pure directory operation applied to the records it reads, written in one transaction', () => {
  it('writes the records the operation creates and reports them, leaving the others untouched', async () => {
    const storage = await site()
    const r = await changeDirectory({ storage }, 's1', { households: ['h1'] }, (state) => addGuardian(state, 'h1', { id: 'paul', firstName: 'Paul', lastName: 'Dupont' }))
    expect(r.ok && r.changes.map((c) => [c.kind, c.id, c.result])).toEqual([['guardian', 'paul', 'created']])
    expect((await storage.directory!.getDirectoryRecord('s1', 'guardian', 'paul'))?.householdId).toBe('h1')
  })

  it('writes nothing when the operation refuses, and returns the refusal (the licence limit counts the children and enrolments read with "all")', async () => {
    const storage = await site()
    const r = await changeDirectory({ storage }, 's1', { schools: ['sc'], classes: ['cp'], children: 'all', enrolments: 'all' }, (state) =>
      enrol(state, { id: 'e-tom', beneficiaryId: 'tom', schoolId: 'sc', classId: 'cp', from: '2026-09-01' }, { maxPupils: 1 }))
    expect(r).toEqual({ ok: false, refusal: { code: 'LICENCE_LIMIT', maxPupils: 1, pupils: 1 } })
    expect(await storage.directory!.getDirectoryRecord('s1', 'enrolment', 'e-tom')).toBeUndefined()
  })

  it('rolls back and rethrows an EcoleError of bad input, naming the field, with nothing stored', async () => {
    const storage = await site()
    const error = await changeDirectory({ storage }, 's1', {}, (state) =>
      createHousehold(state, { household: { id: 'h2', name: ' ' }, guardian: { id: 'g2', firstName: 'A', lastName: 'B' }, today: '2026-09-01' })).catch((e: unknown) => e)
    expect(isEcoleError(error, 'INVALID_INPUT') && error.message).toMatch(/household\.name/)
    expect(await storage.directory!.getDirectoryRecord('s1', 'household', 'h2')).toBeUndefined()
  })

  it('refuses to create a record over one that exists but was not read, with DUPLICATE_ID and nothing written', async () => {
    const storage = await site()
    const error = await changeDirectory({ storage }, 's1', {}, (state) =>
      createHousehold(state, { household: { id: 'h9', name: 'Autre' }, guardian: { id: 'marie', firstName: 'Marie', lastName: 'Autre' }, today: '2026-09-01' })).catch((e: unknown) => e)
    expect(isEcoleError(error, 'DUPLICATE_ID')).toBe(true)
    expect((await storage.directory!.getDirectoryRecord('s1', 'guardian', 'marie'))?.householdId).toBe('h1')
    expect(await storage.directory!.getDirectoryRecord('s1', 'household', 'h9')).toBeUndefined()
  })
})

describe('changeDirectory: what is written with the change', () => {
  it('writes the audit entries of the change in the same transaction, and neither when that write fails', async () => {
    const storage = await site()
    const seen: string[] = []
    await changeDirectory({ storage }, 's1', { households: ['h1'] }, (state) => addGuardian(state, 'h1', { id: 'paul', firstName: 'Paul', lastName: 'Dupont' }), {
      withChanges: async (_tx, changes) => { seen.push(...changes.map((c) => `${c.kind}:${c.id}`)) },
    })
    expect(seen).toEqual(['guardian:paul'])
    const failed = await changeDirectory({ storage }, 's1', { households: ['h1'] }, (state) => addGuardian(state, 'h1', { id: 'zoe', firstName: 'Zoé', lastName: 'Dupont' }), {
      withChanges: async () => { throw new Error('the audit store is down') },
    }).catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(Error)
    expect(await storage.directory!.getDirectoryRecord('s1', 'guardian', 'zoe')).toBeUndefined()
  })
})

describe('changeDirectory: serialising on lock keys', () => {
  it('takes one counter row per lock key before reading (so concurrent operations on a key queue up), and none without keys', async () => {
    const storage = await site()
    await changeDirectory({ storage }, 's1', { households: ['h1'] }, (state) => addGuardian(state, 'h1', { id: 'paul', firstName: 'Paul', lastName: 'Dupont' }), { locks: ['enrolments', 'enrolments'] })
    expect(await storage.invoiceNumbers!.lastNumber('s1', 'directory-lock:enrolments')).toBe(1)
    await changeDirectory({ storage }, 's1', { households: ['h1'] }, (state) => addGuardian(state, 'h1', { id: 'zoe', firstName: 'Zoé', lastName: 'Dupont' }))
    expect(await storage.invoiceNumbers!.lastNumber('s1', 'directory-lock:enrolments')).toBe(1)
  })
})
