import { describe, expect, it } from 'vitest'
import {
  addGuardian, createHousehold, enrol, updateGuardianContact, GuardianSchema, HouseholdSchema, isEcoleError, SchoolClassSchema, SchoolSchema, SiteSchema, ChildSchema, EnrolmentSchema,
} from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import type { StoragePorts } from '@ecole/core/ports'
import { changeDirectory } from './change-directory'
import { checkRecordVersion, compareRecordVersions, expectRecordVersions, lockDirectoryKeys, recordVersion } from './record-versions'

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

describe('recordVersion: the version of a record is a fingerprint of the record as stored', () => {
  it('is the same for equal records whatever their key order or an undefined member, and differs when any field differs', () => {
    const marie = { id: 'marie', firstName: 'Marie', contact: { email: 'm@example.fr', phone: '01' } }
    expect(recordVersion({ contact: { phone: '01', email: 'm@example.fr' }, firstName: 'Marie', id: 'marie', mobile: undefined })).toBe(recordVersion(marie))
    expect(recordVersion({ ...marie, firstName: 'Maria' })).not.toBe(recordVersion(marie))
    expect(recordVersion({ ...marie, contact: { ...marie.contact, phone: '02' } })).not.toBe(recordVersion(marie))
    expect(recordVersion(marie)).toMatch(/^v1-[0-9a-f]{16}$/)
  })
})

describe('changeDirectory: a version check (the second of two staff editing one record is told, nothing is overwritten)', () => {
  const edit = (storage: StoragePorts, email: string, version: string, seen: string[] = []) =>
    changeDirectory({ storage }, 's1', { guardians: ['marie'] }, (state) => updateGuardianContact(state, 'marie', { email }), {
      expected: [{ kind: 'guardian', id: 'marie', version }],
      withChanges: async (_tx, changes) => { seen.push(...changes.map((c) => `${c.kind}:${c.id}`)) },
    })

  it('writes the change when the record is still the version the form was opened with', async () => {
    const storage = await site()
    const opened = recordVersion(await storage.directory!.getDirectoryRecord('s1', 'guardian', 'marie'))
    const r = await edit(storage, 'marie@example.fr', opened)
    expect(r.ok && r.changes.map((c) => c.id)).toEqual(['marie'])
    expect((await storage.directory!.getDirectoryRecord('s1', 'guardian', 'marie'))?.email).toBe('marie@example.fr')
  })

  it('refuses the second of two saves made from forms opened on the same version with RECORD_CHANGED naming the record, keeping the first save whole and writing no audit entry', async () => {
    const storage = await site()
    const opened = recordVersion(await storage.directory!.getDirectoryRecord('s1', 'guardian', 'marie'))
    await edit(storage, 'first@example.fr', opened)
    const afterFirst = await storage.directory!.getDirectoryRecord('s1', 'guardian', 'marie')
    const seen: string[] = []
    const error = await edit(storage, 'second@example.fr', opened, seen).catch((e: unknown) => e)
    expect(isEcoleError(error, 'RECORD_CHANGED')).toBe(true)
    expect(isEcoleError(error) && error.details).toEqual({ records: [{ kind: 'guardian', id: 'marie', expected: opened, actual: recordVersion(afterFirst), deleted: false }] })
    expect(await storage.directory!.getDirectoryRecord('s1', 'guardian', 'marie')).toEqual(afterFirst)
    expect(seen).toEqual([])
  })

  it('reports a record deleted since the form was opened as deleted, and writes nothing', async () => {
    const storage = await site()
    const error = await changeDirectory({ storage }, 's1', { households: ['h1'] }, (state) => addGuardian(state, 'h1', { id: 'paul', firstName: 'Paul', lastName: 'Dupont' }), {
      expected: [{ kind: 'guardian', id: 'ghost', version: 'v1-0000000000000000' }],
    }).catch((e: unknown) => e)
    expect(isEcoleError(error, 'RECORD_CHANGED') && error.details).toEqual({ records: [{ kind: 'guardian', id: 'ghost', expected: 'v1-0000000000000000', deleted: true }] })
    expect(await storage.directory!.getDirectoryRecord('s1', 'guardian', 'paul')).toBeUndefined()
  })

  it('checks the site\'s own settings by kind "site" (expectRecordVersions, for writers outside changeDirectory)', async () => {
    const storage = await site()
    await storage.directory!.putSite('s1', { ...SiteSchema.parse({ id: 's1', name: 'Site', country: 'FR' }), smtp: null })
    const opened = recordVersion(await storage.directory!.getSite('s1'))
    await storage.transaction('s1', (tx) => expectRecordVersions(tx, 's1', [{ kind: 'site', id: 's1', version: opened }]))
    const error = await storage.transaction('s1', (tx) => expectRecordVersions(tx, 's1', [{ kind: 'site', id: 's1', version: recordVersion({ other: true }) }])).catch((e: unknown) => e)
    expect(isEcoleError(error, 'RECORD_CHANGED')).toBe(true)
  })
})

describe('the lock and version checks refuse what they are given wrong, an empty list too', () => {
  it('refuses wiring that is not the storage\'s ports even when there is nothing to lock or compare', async () => {
    for (const call of [() => lockDirectoryKeys(null as never, 's1', []), () => expectRecordVersions(null as never, 's1', []), () => compareRecordVersions(null as never, 's1', [])]) {
      const error = await call().catch((e: unknown) => e)
      expect(isEcoleError(error, 'INVALID_INPUT') && error.details.issues[0]!.path).toBe('ports')
    }
  })

  it('refuses a storage without the port it needs before it is given anything to lock (PORT_MISSING)', async () => {
    const error = await lockDirectoryKeys({} as never, 's1', []).catch((e: unknown) => e)
    expect(isEcoleError(error, 'PORT_MISSING') && error.details.port).toBe('invoiceNumbers')
    const compared = await compareRecordVersions({} as never, 's1', []).catch((e: unknown) => e)
    expect(isEcoleError(compared, 'PORT_MISSING') && compared.details.port).toBe('directory')
  })

  it('refuses a string where the list of keys goes (it would lock one key per character)', async () => {
    const storage = await site()
    const error = await lockDirectoryKeys(storage, 's1', 'record:guardian:marie' as never).catch((e: unknown) => e)
    expect(isEcoleError(error, 'INVALID_INPUT') && error.details.issues[0]!.path).toBe('keys')
    expect(await storage.invoiceNumbers!.lastNumber('s1', 'directory-lock:r')).toBe(0)
  })

  it('names the entry of the list that is not a version read', async () => {
    const storage = await site()
    const error = await storage.transaction('s1', (tx) => expectRecordVersions(tx, 's1', [{ kind: 'guardian', id: 'marie', version: recordVersion({}) }, { kind: 'guardian', id: 'marie' } as never])).catch((e: unknown) => e)
    expect(isEcoleError(error, 'INVALID_INPUT') && error.details.issues[0]!.path).toBe('expected[1]')
  })
})

describe('changeDirectory: every record changed is locked before it is written (no last write wins, with or without a version)', () => {
  it('takes the lock of each record it updates (record:<kind>:<id>), none for a record it creates', async () => {
    const storage = await site()
    await changeDirectory({ storage }, 's1', { guardians: ['marie'] }, (state) => updateGuardianContact(state, 'marie', { phone: '01 02 03 04 05' }))
    expect(await storage.invoiceNumbers!.lastNumber('s1', 'directory-lock:record:guardian:marie')).toBe(1)
    await changeDirectory({ storage }, 's1', { households: ['h1'] }, (state) => addGuardian(state, 'h1', { id: 'paul', firstName: 'Paul', lastName: 'Dupont' }))
    expect(await storage.invoiceNumbers!.lastNumber('s1', 'directory-lock:record:guardian:paul')).toBe(0)
  })

  it('reads a record again when another writer changed it between its read and its lock, and applies the operation to what that writer stored', async () => {
    const storage = await site()
    // another staff user's save lands while this operation waits for the record's lock
    const racing: StoragePorts = {
      ...storage,
      transaction: (siteId, fn, opts) => storage.transaction(siteId, (tx) => fn({
        ...tx,
        invoiceNumbers: {
          ...tx.invoiceNumbers!,
          nextNumbers: async (site, series, count) => {
            if (series === 'directory-lock:record:guardian:marie') {
              const g = (await tx.directory!.getDirectoryRecord(site, 'guardian', 'marie'))!
              await tx.directory!.putDirectoryRecord(site, 'guardian', { ...g, email: 'other@example.fr' })
            }
            return tx.invoiceNumbers!.nextNumbers(site, series, count)
          },
        },
      }), opts),
    }
    const r = await changeDirectory({ storage: racing }, 's1', { guardians: ['marie'] }, (state) => updateGuardianContact(state, 'marie', { phone: '01 02 03 04 05' }))
    expect(r.ok).toBe(true)
    const stored = await storage.directory!.getDirectoryRecord('s1', 'guardian', 'marie')
    expect([stored?.email, stored?.phone]).toEqual(['other@example.fr', '01 02 03 04 05'])
  })
})

describe('checkRecordVersion: one record read and written back outside changeDirectory', () => {
  it('only locks the record without a version, and with one refuses a record changed since with RECORD_CHANGED', async () => {
    const storage = await site()
    const opened = recordVersion(await storage.directory!.getDirectoryRecord('s1', 'household', 'h1'))
    await storage.transaction('s1', (tx) => checkRecordVersion(tx, 's1', { kind: 'household', id: 'h1' }, undefined))
    expect(await storage.invoiceNumbers!.lastNumber('s1', 'directory-lock:record:household:h1')).toBe(1)
    await storage.transaction('s1', (tx) => checkRecordVersion(tx, 's1', { kind: 'household', id: 'h1' }, opened))
    await storage.directory!.putDirectoryRecord('s1', 'household', HouseholdSchema.parse({ id: 'h1', siteId: 's1', name: 'Famille Dupont-Roux' }))
    const error = await storage.transaction('s1', (tx) => checkRecordVersion(tx, 's1', { kind: 'household', id: 'h1' }, opened)).catch((e: unknown) => e)
    expect(isEcoleError(error, 'RECORD_CHANGED')).toBe(true)
  })
})
