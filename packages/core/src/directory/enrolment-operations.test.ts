import { describe, expect, it } from 'vitest'
import { archiveChild } from './archive'
import { checkAttributeValues, setAttributeValue, type CustomAttribute } from './custom-attribute'
import { emptyDirectory, type DirectoryOutcome, type DirectoryState } from './directory-state'
import { countPupils, endEnrolment, enrol, enrolmentOn, servicesOn, setAdultBooking, subscribeToService } from './enrolment-operations'
import { createHousehold, addChild } from './household-operations'
import { removeGuardianInsurance, setGuardianInsurance, type Insurance } from './insurance'
import { SchoolClassSchema, SchoolSchema } from './school'
import { ServiceSchema } from './service'

function ok(r: DirectoryOutcome): DirectoryState {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.refusal)}`)
  return r.state
}

function site(): DirectoryState {
  let s: DirectoryState = {
    ...emptyDirectory('s1'),
    schools: {
      sc1: SchoolSchema.parse({ id: 'sc1', siteId: 's1', name: 'École Jules Ferry' }),
      staff: SchoolSchema.parse({ id: 'staff', siteId: 's1', name: 'Adultes', kind: 'adults' }),
    },
    classes: {
      cpa: SchoolClassSchema.parse({ id: 'cpa', siteId: 's1', schoolId: 'sc1', name: 'CP A', levels: ['CP'] }),
      ce1: SchoolClassSchema.parse({ id: 'ce1', siteId: 's1', schoolId: 'sc1', name: 'CE1', levels: ['CE1'] }),
      adults: SchoolClassSchema.parse({ id: 'adults', siteId: 's1', schoolId: 'staff', name: 'Adulte' }),
    },
    services: {
      meal: ServiceSchema.parse({ id: 'meal', siteId: 's1', name: 'Repas', billing: 'invoiced', billingOfficeId: 'bo1', offeredTo: [{ schoolId: 'sc1' }] }),
      adultMeal: ServiceSchema.parse({ id: 'adultMeal', siteId: 's1', name: 'Repas adulte', billing: 'invoiced', billingOfficeId: 'bo1', offeredTo: [{ schoolId: 'staff' }] }),
    },
  }
  s = ok(
    createHousehold(s, {
      household: { id: 'h1', name: 'Famille Dupont' },
      guardian: { id: 'marie', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' },
      child: { newChild: { id: 'lea', firstName: 'Léa', lastName: 'Dupont', birthDate: '2019-05-14' }, relationship: 'mother' },
      today: '2026-09-01',
    }),
  )
  s = ok(addChild(s, { id: 'tom', firstName: 'Tom', lastName: 'Dupont', birthDate: '2020-01-03', guardians: [{ guardianId: 'marie', relationship: 'mother' }] }, '2026-09-01'))
  s = ok(addChild(s, { id: 'zoe', firstName: 'Zoé', lastName: 'Dupont', birthDate: '2020-01-03', guardians: [{ guardianId: 'marie', relationship: 'mother' }] }, '2026-09-01'))
  return s
}

describe('enrolment (seed 001 "inscrire un nouvel enfant dans sa classe")', () => {
  it('enrols a child in a school, class and level from a date', () => {
    const s = ok(enrol(site(), { id: 'e1', beneficiaryId: 'lea', schoolId: 'sc1', classId: 'cpa', level: 'CP', schoolYear: '2026-2027', from: '2026-09-01' }, { maxPupils: null }))
    expect(enrolmentOn(s, 'lea', '2026-10-05')?.classId).toBe('cpa')
    expect(enrolmentOn(s, 'lea', '2026-08-31')).toBeUndefined()
  })

  it('refuses a new pupil beyond the licence limit with LICENCE_LIMIT', () => {
    let s = ok(enrol(site(), { id: 'e1', beneficiaryId: 'lea', schoolId: 'sc1', classId: 'cpa', from: '2026-09-01', to: '2027-07-03' }, { maxPupils: 2 }))
    s = ok(enrol(s, { id: 'e2', beneficiaryId: 'tom', schoolId: 'sc1', classId: 'cpa', from: '2026-09-01', to: '2027-07-03' }, { maxPupils: 2 }))
    expect(enrol(s, { id: 'e3', beneficiaryId: 'zoe', schoolId: 'sc1', classId: 'cpa', from: '2026-09-01' }, { maxPupils: 2 })).toEqual({
      ok: false,
      refusal: { code: 'LICENCE_LIMIT', maxPupils: 2, pupils: 2 },
    })
    // a pupil already counted moving up a class next year does not need a new place
    s = ok(enrol(s, { id: 'e4', beneficiaryId: 'lea', schoolId: 'sc1', classId: 'ce1', from: '2027-07-04' }, { maxPupils: 2 }))
    expect(countPupils(s, { from: '2027-09-01', to: '2027-09-01' })).toBe(1)
    // the place of an archived child is free again
    s = ok(archiveChild(s, 'tom', { on: '2026-12-20' }))
    expect(enrol(s, { id: 'e5', beneficiaryId: 'zoe', schoolId: 'sc1', classId: 'cpa', from: '2026-09-01' }, { maxPupils: 2 }).ok).toBe(true)
  })

  it('refuses two enrolments of one child on the same day, and accepts the next one after ending the first', () => {
    const s = ok(enrol(site(), { id: 'e1', beneficiaryId: 'lea', schoolId: 'sc1', classId: 'cpa', from: '2026-09-01' }, { maxPupils: null }))
    expect(enrol(s, { id: 'e2', beneficiaryId: 'lea', schoolId: 'sc1', classId: 'ce1', from: '2027-09-01' }, { maxPupils: null })).toEqual({
      ok: false,
      refusal: { code: 'ENROLMENT_OVERLAP', beneficiaryId: 'lea', enrolmentIds: ['e1'] },
    })
    const ended = ok(endEnrolment(s, 'e1', '2027-07-03'))
    expect(enrol(ended, { id: 'e2', beneficiaryId: 'lea', schoolId: 'sc1', classId: 'ce1', from: '2027-09-01' }, { maxPupils: null }).ok).toBe(true)
  })

  it('refuses a class of another school, and an archived child', () => {
    expect(enrol(site(), { id: 'e1', beneficiaryId: 'lea', schoolId: 'sc1', classId: 'adults', from: '2026-09-01' }, { maxPupils: null })).toEqual({
      ok: false,
      refusal: { code: 'CLASS_NOT_IN_SCHOOL', classId: 'adults', schoolId: 'sc1' },
    })
    const s = ok(archiveChild(site(), 'lea', { on: '2026-08-01' }))
    expect(enrol(s, { id: 'e1', beneficiaryId: 'lea', schoolId: 'sc1', classId: 'cpa', from: '2026-09-01' }, { maxPupils: null })).toEqual({
      ok: false,
      refusal: { code: 'CHILD_ARCHIVED', childId: 'lea' },
    })
  })
})

describe('service rights (seed 001 "ouvrir les droits à une prestation")', () => {
  it('opens rights to a service from a date', () => {
    const s = ok(subscribeToService(site(), { id: 'r1', beneficiaryId: 'lea', serviceId: 'meal', from: '2026-09-07' }))
    expect(servicesOn(s, 'lea', '2026-09-07')).toEqual(['meal'])
    expect(servicesOn(s, 'lea', '2026-09-06')).toEqual([])
  })

  it('refuses overlapping rights to the same service', () => {
    const s = ok(subscribeToService(site(), { id: 'r1', beneficiaryId: 'lea', serviceId: 'meal', from: '2026-09-07', to: '2026-12-18' }))
    expect(subscribeToService(s, { id: 'r2', beneficiaryId: 'lea', serviceId: 'meal', from: '2026-12-18' })).toEqual({
      ok: false,
      refusal: { code: 'SUBSCRIPTION_OVERLAP', beneficiaryId: 'lea', serviceId: 'meal', subscriptionIds: ['r1'] },
    })
    expect(subscribeToService(s, { id: 'r2', beneficiaryId: 'lea', serviceId: 'meal', from: '2026-12-19' }).ok).toBe(true)
  })
})

describe('adults booking meals (seed 001 "inscrire un adulte à un repas")', () => {
  it('needs bookings switched on before an adult is enrolled or given rights', () => {
    const s = site()
    const enrolAdult = { id: 'ea', beneficiaryId: 'marie', beneficiaryKind: 'adult' as const, schoolId: 'staff', classId: 'adults', from: '2026-09-01' }
    expect(enrol(s, enrolAdult, { maxPupils: null })).toEqual({ ok: false, refusal: { code: 'ADULT_BOOKING_DISABLED', guardianId: 'marie' } })
    expect(subscribeToService(s, { id: 'ra', beneficiaryId: 'marie', serviceId: 'adultMeal', from: '2026-09-01' }).ok).toBe(false)
    let on = ok(setAdultBooking(s, 'marie', true))
    on = ok(enrol(on, enrolAdult, { maxPupils: 1 }))
    on = ok(subscribeToService(on, { id: 'ra', beneficiaryId: 'marie', serviceId: 'adultMeal', from: '2026-09-01' }))
    expect(servicesOn(on, 'marie', '2026-09-01')).toEqual(['adultMeal'])
    // adults are not pupils: they do not count against the licence
    expect(countPupils(on, { from: '2026-09-01' })).toBe(0)
  })
})

describe('custom attributes and insurances (seed 001 "Paramétrage")', () => {
  const diet: CustomAttribute = { id: 'diet', siteId: 's1', label: 'Régime', appliesTo: 'child', allowedValues: ['standard', 'sans porc', 'végétarien'] }

  it('accepts only the allowed values of an attribute', () => {
    const s = ok(setAttributeValue(site(), diet, { kind: 'child', id: 'lea' }, 'végétarien'))
    expect(s.children.lea!.attributes).toEqual({ diet: 'végétarien' })
    expect(setAttributeValue(s, diet, { kind: 'child', id: 'lea' }, 'vegan')).toEqual({
      ok: false,
      refusal: { code: 'ATTRIBUTE_VALUE_NOT_ALLOWED', attributeId: 'diet', value: 'vegan', allowed: ['standard', 'sans porc', 'végétarien'] },
    })
    expect(setAttributeValue(s, diet, { kind: 'guardian', id: 'marie' }, 'standard').ok).toBe(false)
    expect(ok(setAttributeValue(s, diet, { kind: 'child', id: 'lea' }, null)).children.lea!.attributes).toEqual({})
  })

  it('reports stored values that no longer fit', () => {
    expect(checkAttributeValues({ diet: 'vegan', shoe: '32' }, 'child', [diet])).toEqual([
      { attributeId: 'diet', value: 'vegan', code: 'ATTRIBUTE_VALUE_NOT_ALLOWED' },
      { attributeId: 'shoe', value: '32', code: 'UNKNOWN_ATTRIBUTE' },
    ])
  })

  it('offers only visible insurances to a guardian', () => {
    const list: Insurance[] = [
      { id: 'maif', siteId: 's1', label: 'MAIF', visible: true },
      { id: 'old', siteId: 's1', label: 'Ancienne', visible: false },
    ]
    const s = ok(setGuardianInsurance(site(), list, 'marie', { insuranceId: 'maif', policyNumber: 'P-1', validUntil: '2027-08-31' }))
    expect(s.guardians.marie!.insurances).toEqual([{ insuranceId: 'maif', policyNumber: 'P-1', validUntil: '2027-08-31' }])
    expect(setGuardianInsurance(s, list, 'marie', { insuranceId: 'old' })).toEqual({ ok: false, refusal: { code: 'INSURANCE_HIDDEN', insuranceId: 'old' } })
    expect(ok(removeGuardianInsurance(s, 'marie', 'maif')).guardians.marie!.insurances).toEqual([])
  })
})

describe('enrol options', () => {
  const input = { id: 'e1', beneficiaryId: 'lea', schoolId: 'sc1', classId: 'cpa', from: '2026-09-01' }

  it('refuses a licence limit of 0 pupils with LICENCE_LIMIT', () => {
    expect(enrol(site(), input, { maxPupils: 0 })).toEqual({ ok: false, refusal: { code: 'LICENCE_LIMIT', maxPupils: 0, pupils: 0 } })
  })

  it('refuses a misspelt key with INVALID_INPUT naming it and the known key, instead of enrolling without a limit', () => {
    expect(() => enrol(site(), input, { maxPupil: 0 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/options\.maxPupil: unknown key .*did you mean `maxPupils`/) }))
  })

  it('refuses a limit that is not a whole number or null (a string, a fraction, a missing key)', () => {
    for (const maxPupils of ['0', '300', 2.5, -1, undefined]) {
      expect(() => enrol(site(), input, { maxPupils } as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('options.maxPupils') }))
    }
  })

  it('refuses options that are not an object', () => {
    for (const options of ['0', 300, [], null]) {
      expect(() => enrol(site(), input, options as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('options') }))
    }
  })
})
