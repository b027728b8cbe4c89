import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createHousehold, createSchool, createSchoolClass, emptyDirectory, enrol, enrolmentOn, type DirectoryState } from '@ecole/core'
import { applySiecleImport, parseSiecleExport, planSiecleImport } from '.'

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-fixtures/siecle')
const files = {
  eleves: fs.readFileSync(path.join(dir, 'ElevesSansAdresses.xml')),
  responsables: fs.readFileSync(path.join(dir, 'ResponsablesAvecAdresses.xml')),
  nomenclature: fs.readFileSync(path.join(dir, 'Nomenclature.xml')),
}
const siecle = parseSiecleExport(files)
const options = { schoolId: 'clg-jaures', schoolName: 'Collège Jean Jaurès', today: '2026-09-01' as const }

function ok<T extends { ok: boolean }>(o: T): Extract<T, { ok: true }> {
  if (!o.ok) throw new Error(JSON.stringify(o))
  return o as Extract<T, { ok: true }>
}

describe('parseSiecleExport', () => {
  it('reads the establishment, the school year and the pupils of an ISO-8859-15 export', () => {
    expect(siecle.uai).toBe('0751234J')
    expect(siecle.schoolYear).toBe('2026-2027')
    expect(siecle.exportedOn).toBe('2026-08-28')
    const lea = siecle.pupils.find((p) => p.siecleId === '1001')!
    expect(lea).toMatchObject({ ine: '070803070AJ', firstName: 'Léa', lastName: 'DUPONT', birthDate: '2014-05-14', classCode: '6A', previousUai: '0750001U' })
    expect(siecle.pupils.find((p) => p.siecleId === '1003')?.lastName).toBe('MARTIN-ŒUVRARD')
  })

  it('keeps a pupil whose birth date is not a real day, with a problem, instead of failing the file', () => {
    expect(siecle.pupils.find((p) => p.siecleId === '1005')?.problems).toEqual([{ field: 'DATE_NAISS', message: expect.stringContaining('31/02/2014') }])
  })

  it('refuses a file that is not the pupils\' export, naming it', () => {
    expect(() => parseSiecleExport({ eleves: files.responsables })).toThrow(/siecle\.eleves.*BEE_RESPONSABLES/)
    expect(() => parseSiecleExport({ eleves: '<BEE_ELEVES><PARAMETRES><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE></PARAMETRES></BEE_ELEVES>' })).toThrow(/UAJ/)
  })
})

describe('planSiecleImport and applySiecleImport', () => {
  it('previews, on an empty directory, the school, classes, households, guardians and pupils to create, and the pupils left alone', () => {
    const plan = planSiecleImport(emptyDirectory('s1'), siecle, options)
    expect(plan.school.action).toBe('create')
    expect(plan.classes.map((k) => [k.code, k.levels, k.action])).toEqual([['6A', ['6e'], 'create'], ['4B', ['4e'], 'create']])
    expect(plan.pupils.map((p) => [p.siecleId, p.action, p.reason])).toEqual([
      ['1001', 'create', undefined], ['1002', 'create', undefined], ['1003', 'create', undefined], ['1004', 'skipped', 'LEFT'], ['1005', 'skipped', 'UNREADABLE'],
    ])
    expect(plan.households.map((h) => h.householdId)).toEqual(['siecle-0751234J-a9001', 'siecle-0751234J-a9002'])
    // only legal guardians (RESP_LEGAL 1 or 2) become guardians
    expect(plan.guardians.map((g) => g.personId)).toEqual(['5001', '5002', '5003'])
  })

  it('lists the pupils without INE: they cannot be transferred', () => {
    const plan = planSiecleImport(emptyDirectory('s1'), siecle, options)
    expect(plan.withoutIne.map((p) => `${p.firstName} ${p.lastName}`)).toEqual(['Zoë MARTIN-ŒUVRARD', 'Inès PETIT'])
  })

  it('leaves out a contact that is not valid, and says so', () => {
    const plan = planSiecleImport(emptyDirectory('s1'), siecle, options)
    expect(plan.guardians.find((g) => g.personId === '5002')?.contact).toEqual({ phone: '01 23 45 67 89' })
    expect(plan.problems).toContainEqual({ ref: 'person 5002', field: 'MEL', message: expect.stringContaining('pas-une-adresse') })
  })

  it('applies the plan through the directory operations: children with their guardians and relationships, enrolled in their class', () => {
    const plan = planSiecleImport(emptyDirectory('s1'), siecle, options)
    const s = applySiecleImport(emptyDirectory('s1'), plan, { maxPupils: null })
    const lea = s.children['siecle-0751234J-1001']!
    expect(lea.ine).toBe('070803070AJ')
    expect(lea.guardians).toEqual([{ guardianId: 'siecle-0751234J-p5001', relationship: 'mother' }, { guardianId: 'siecle-0751234J-p5002', relationship: 'father' }])
    expect(s.guardians['siecle-0751234J-p5001']).toMatchObject({ email: 'marie.dupont@example.fr', householdId: 'siecle-0751234J-a9001' })
    expect(s.households['siecle-0751234J-a9001']?.address).toMatchObject({ line1: '3 RUE DES ÉCOLES', line2: 'BAT B', postcode: '75005', city: 'PARIS' })
    expect(enrolmentOn(s, lea.id, '2026-09-01')).toMatchObject({ classId: 'clg-jaures:2026-2027:6A', level: '6e', schoolYear: '2026-2027' })
    expect(s.schools['clg-jaures']?.uai).toBe('0751234J')
    expect(Object.keys(s.children)).toHaveLength(3)
  })

  it('leaves everything alone when the same export is imported again', () => {
    const first = applySiecleImport(emptyDirectory('s1'), planSiecleImport(emptyDirectory('s1'), siecle, options), { maxPupils: null })
    const again = planSiecleImport(first, siecle, options)
    expect(again.school.action).toBe('unchanged')
    expect(again.classes.every((k) => k.action === 'unchanged')).toBe(true)
    expect(again.guardians.every((g) => g.action === 'unchanged')).toBe(true)
    expect(again.pupils.filter((p) => p.action !== 'skipped').every((p) => p.action === 'unchanged')).toBe(true)
    expect(applySiecleImport(first, again, { maxPupils: null })).toEqual(first)
  })

  it('matches a child already in the directory by name and birth date, gives it its INE and moves it to its new class', () => {
    let s: DirectoryState = emptyDirectory('s1')
    s = ok(createSchool(s, { id: 'clg-jaures', name: 'Collège Jean Jaurès', uai: '0751234J' })).state
    s = ok(createSchoolClass(s, { id: 'old-5B', schoolId: 'clg-jaures', name: '5B', schoolYear: '2025-2026' })).state
    s = ok(createHousehold(s, {
      household: { id: 'h1', name: 'Famille Dupont' }, guardian: { id: 'g-marie', firstName: 'Marie', lastName: 'Dupont', email: 'Marie.Dupont@example.fr' },
      child: { newChild: { id: 'tom', firstName: 'Tom', lastName: 'Dupont', birthDate: '2012-02-03' }, relationship: 'mother' }, today: '2025-09-01',
    })).state
    s = ok(enrol(s, { id: 'e-tom', beneficiaryId: 'tom', schoolId: 'clg-jaures', classId: 'old-5B', from: '2025-09-01' }, { maxPupils: null })).state
    const plan = planSiecleImport(s, siecle, options)
    const tom = plan.pupils.find((p) => p.siecleId === '1002')!
    expect(tom).toMatchObject({ childId: 'tom', action: 'update', changes: ['ine', 'class'] })
    // Marie is found by her e-mail, whatever its case
    expect(plan.guardians.find((g) => g.personId === '5001')).toMatchObject({ guardianId: 'g-marie', action: 'update', changes: ['mobile'] })
    const next = applySiecleImport(s, plan, { maxPupils: null })
    expect(next.children['tom']?.ine).toBe('123456789AB')
    expect(next.enrolments['e-tom']?.to).toBe('2026-08-31')
    expect(enrolmentOn(next, 'tom', '2026-09-01')?.classId).toBe('clg-jaures:2026-2027:4B')
    expect(next.guardians['g-marie']?.mobile).toBe('06 12 34 56 78')
  })

  it('refuses an export of another establishment', () => {
    let s: DirectoryState = emptyDirectory('s1')
    s = ok(createSchool(s, { id: 'clg-jaures', name: 'Collège', uai: '0341234G' })).state
    expect(() => planSiecleImport(s, siecle, options)).toThrow(/siecle\.uai/)
  })

  it('records the transfer log (arrivals from another establishment, departures) only when pupil transfer is on with the CNIL declaration', () => {
    let s: DirectoryState = emptyDirectory('s1')
    s = ok(createSchool(s, { id: 'clg-jaures', name: 'Collège', uai: '0751234J' })).state
    expect(planSiecleImport(s, siecle, options).transferLog).toEqual([])
    s = ok(createSchool(emptyDirectory('s1'), { id: 'clg-jaures', name: 'Collège', uai: '0751234J', cnilDeclaration: '1234567', pupilTransferEnabled: true })).state
    expect(planSiecleImport(s, siecle, options).transferLog).toEqual([
      { direction: 'received', childId: 'siecle-0751234J-1001', ine: '070803070AJ', date: '2026-09-01', otherUai: '0750001U' },
      { direction: 'sent', childId: 'siecle-0751234J-1004', ine: '1234567890A', date: '2026-07-04', otherUai: undefined },
    ])
  })
})
