import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { createBillingOffice, createSchool, createSchoolClass, createService } from './directory-setup'
import { emptyDirectory, type DirectoryOutcome, type DirectoryState } from './directory-state'
import { createHousehold } from './household-operations'
import { enrol, subscribeToService } from './enrolment-operations'

function ok(r: DirectoryOutcome): DirectoryState {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.refusal)}`)
  return r.state
}

function errorOf(f: () => unknown): { code: string; message: string } {
  try {
    f()
  } catch (e) {
    if (isEcoleError(e)) return { code: e.code, message: e.message }
    throw e
  }
  throw new Error('expected an EcoleError')
}

function jauresSchool(): DirectoryState {
  let s = ok(createSchool(emptyDirectory('s1'), { id: 'jaures', name: 'École Jean Jaurès', uai: '0751234j' }))
  s = ok(createSchoolClass(s, { id: 'cp-a', schoolId: 'jaures', name: 'CP A', levels: ['CP'], schoolYear: '2026-2027' }))
  s = ok(createBillingOffice(s, { id: 'regie', name: 'Régie cantine', iban: 'BE15 7326 6455 4630', paymentReference: 'ogm' }))
  s = ok(createService(s, { id: 'meal', name: 'Repas', billing: 'invoiced', billingOfficeId: 'regie', offeredTo: [{ schoolId: 'jaures', classIds: ['cp-a'] }] }))
  return s
}

describe('setting up a directory: schools, classes, billing offices, services', () => {
  it('adds each record validated, with the site of the directory', () => {
    const s = jauresSchool()
    expect(s.schools.jaures).toMatchObject({ id: 'jaures', siteId: 's1', name: 'École Jean Jaurès', uai: '0751234J', kind: 'school' })
    expect(s.classes['cp-a']).toMatchObject({ siteId: 's1', schoolId: 'jaures', levels: ['CP'] })
    expect(s.billingOffices.regie).toMatchObject({ siteId: 's1', iban: 'BE15732664554630', currency: 'EUR', roundingMode: 'halfUp' })
    expect(s.services.meal).toMatchObject({ siteId: 's1', billingOfficeId: 'regie', weekdays: [1, 2, 3, 4, 5] })
  })

  it('lets the guide enrol a child and give it rights once the school, class and service exist', () => {
    let s = jauresSchool()
    s = ok(
      createHousehold(s, {
        household: { id: 'h1', name: 'Famille Dupont' },
        guardian: { id: 'marie', firstName: 'Marie', lastName: 'Dupont' },
        child: { newChild: { id: 'lea', firstName: 'Léa', lastName: 'Dupont', birthDate: '2019-05-14' }, relationship: 'mother' },
        today: '2026-09-01',
      }),
    )
    const enrolled = enrol(s, { id: 'e1', beneficiaryId: 'lea', schoolId: 'jaures', classId: 'cp-a', level: 'CP', from: '2026-09-01' }, { maxPupils: 300 })
    expect(enrolled.ok).toBe(true)
    expect(subscribeToService(ok(enrolled), { id: 'r1', beneficiaryId: 'lea', serviceId: 'meal', from: '2026-09-07' }).ok).toBe(true)
  })

  it('answers exists, and changes nothing, when the same record is created again', () => {
    const s = jauresSchool()
    const again = createSchool(s, { id: 'jaures', name: 'École Jean Jaurès', uai: '0751234J' })
    expect(again.ok && again.result).toBe('exists')
    expect(again.ok && again.state).toBe(s)
    const service = createService(s, { id: 'meal', name: 'Repas', billing: 'invoiced', billingOfficeId: 'regie', offeredTo: [{ schoolId: 'jaures', classIds: ['cp-a'] }] })
    expect(service.ok && service.result).toBe('exists')
    const office = createBillingOffice(s, { id: 'regie', name: 'Régie cantine', iban: 'BE15732664554630', paymentReference: 'ogm' })
    expect(office.ok && office.result).toBe('exists')
    const klass = createSchoolClass(s, { id: 'cp-a', schoolId: 'jaures', name: 'CP A', levels: ['CP'], schoolYear: '2026-2027' })
    expect(klass.ok && klass.result).toBe('exists')
  })

  it('refuses another record under an existing id with IDEMPOTENCY_CONFLICT', () => {
    const s = jauresSchool()
    expect(errorOf(() => createSchool(s, { id: 'jaures', name: 'Lycée Jean Jaurès' })).code).toBe('IDEMPOTENCY_CONFLICT')
    expect(errorOf(() => createSchoolClass(s, { id: 'cp-a', schoolId: 'jaures', name: 'CP B' })).code).toBe('IDEMPOTENCY_CONFLICT')
    expect(errorOf(() => createBillingOffice(s, { id: 'regie', name: 'Régie', paymentReference: 'rf' })).code).toBe('IDEMPOTENCY_CONFLICT')
    expect(errorOf(() => createService(s, { id: 'meal', name: 'Repas', billing: 'prepaid', billingOfficeId: 'regie' })).code).toBe('IDEMPOTENCY_CONFLICT')
  })

  it('refuses invalid input, naming the field and the rule', () => {
    const s = emptyDirectory('s1')
    const uai = errorOf(() => createSchool(s, { id: 'x', name: 'X', uai: '0751234A' }))
    expect(uai.code).toBe('INVALID_INPUT')
    expect(uai.message).toContain('school.uai')
    const pagoPa = errorOf(() => createBillingOffice(s, { id: 'b', name: 'Ufficio', paymentReference: 'pagoPa' }))
    expect(pagoPa.message).toContain('billingOffice.pagoPaSegregationCode')
    const year = errorOf(() => createSchoolClass(s, { id: 'c', schoolId: 'x', name: 'CP', schoolYear: '2026-2028' }))
    expect(year.message).toContain('class.schoolYear')
  })

  it('refuses a field it does not know (strict), instead of dropping it', () => {
    const e = errorOf(() => createSchool(emptyDirectory('s1'), { id: 'x', name: 'X', adress: { city: 'Paris' } } as never))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toContain('adress')
  })

  it('needs the school of a class, and the billing office, schools and classes of a service', () => {
    const s = jauresSchool()
    expect(errorOf(() => createSchoolClass(s, { id: 'ce1', schoolId: 'nowhere', name: 'CE1' }))).toMatchObject({ code: 'NOT_FOUND' })
    expect(errorOf(() => createService(s, { id: 'care', name: 'Garderie', billing: 'invoiced', billingOfficeId: 'none' })).message).toContain('billing office')
    expect(errorOf(() => createService(s, { id: 'care', name: 'Garderie', billing: 'invoiced', billingOfficeId: 'regie', offeredTo: [{ schoolId: 'nowhere' }] })).code).toBe('NOT_FOUND')
  })

  it('refuses a service offered to a class of another school', () => {
    let s = jauresSchool()
    s = ok(createSchool(s, { id: 'ferry', name: 'École Jules Ferry' }))
    const r = createService(s, { id: 'care', name: 'Garderie', billing: 'invoiced', billingOfficeId: 'regie', offeredTo: [{ schoolId: 'ferry', classIds: ['cp-a'] }] })
    expect(r).toEqual({ ok: false, refusal: { code: 'CLASS_NOT_IN_SCHOOL', classId: 'cp-a', schoolId: 'ferry' } })
  })

  it('never changes the state it was given', () => {
    const s = emptyDirectory('s1')
    const snapshot = structuredClone(s)
    createSchool(s, { id: 'jaures', name: 'École Jean Jaurès' })
    createBillingOffice(s, { id: 'regie', name: 'Régie', paymentReference: 'rf' })
    expect(s).toEqual(snapshot)
  })
})
