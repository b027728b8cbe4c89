import { describe, expect, it } from 'vitest'
import { emptyDirectory, type DirectoryOutcome, type DirectoryState } from '../directory/directory-state'
import { enrol } from '../directory/enrolment-operations'
import { addChild, createHousehold } from '../directory/household-operations'
import { SchoolClassSchema, SchoolSchema } from '../directory/school'
import { directoryValues, selectRecipients } from './recipients'

function ok(r: DirectoryOutcome): DirectoryState {
  if (!r.ok) throw new Error(JSON.stringify(r.refusal))
  return r.state
}

// Marie has Noé (id c1) and Léa (id c2), twins in CP A, and Zoé (c3, another father's name) in CE1.
let s: DirectoryState = {
  ...emptyDirectory('s1'),
  schools: { sc1: SchoolSchema.parse({ id: 'sc1', siteId: 's1', name: 'École' }) },
  classes: {
    cpa: SchoolClassSchema.parse({ id: 'cpa', siteId: 's1', schoolId: 'sc1', name: 'CP A' }),
    ce1: SchoolClassSchema.parse({ id: 'ce1', siteId: 's1', schoolId: 'sc1', name: 'CE1' }),
  },
}
s = ok(createHousehold(s, {
  household: { id: 'h1', name: 'Famille Dupont' },
  guardian: { id: 'marie', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' },
  child: { newChild: { id: 'c1', firstName: 'Noé', lastName: 'Dupont', birthDate: '2020-03-14' }, relationship: 'mother' },
  today: '2026-09-01',
}))
s = ok(addChild(s, { id: 'c2', firstName: 'Léa', lastName: 'Dupont', birthDate: '2020-03-14', guardians: [{ guardianId: 'marie', relationship: 'mother' }] }, '2026-09-01'))
s = ok(addChild(s, { id: 'c3', firstName: 'Zoé', lastName: 'Martin', birthDate: '2018-07-01', guardians: [{ guardianId: 'marie', relationship: 'mother' }] }, '2026-09-01'))
s = ok(enrol(s, { id: 'e1', beneficiaryId: 'c1', schoolId: 'sc1', classId: 'cpa', from: '2026-09-01' }, { maxPupils: null }))
s = ok(enrol(s, { id: 'e2', beneficiaryId: 'c2', schoolId: 'sc1', classId: 'cpa', from: '2026-09-01' }, { maxPupils: null }))
s = ok(enrol(s, { id: 'e3', beneficiaryId: 'c3', schoolId: 'sc1', classId: 'ce1', from: '2026-09-01' }, { maxPupils: null }))

const day = '2026-10-05' as const

describe('directoryValues of a message about several children', () => {
  it('names every child of a class selection, in the order of their first names, joined with the language’s "and"', () => {
    const [marie] = selectRecipients(s, { source: 'children', date: day, classIds: ['cpa'] }).recipients
    expect(marie!.childIds).toEqual(['c1', 'c2'])
    expect(directoryValues(s, 'marie', marie!.childIds, day, 'fr')['child.firstName']).toBe('Léa et Noé')
    expect(directoryValues(s, 'marie', marie!.childIds, day, 'en')['child.firstName']).toBe('Léa and Noé')
    expect(directoryValues(s, 'marie', marie!.childIds, day, 'it')['child.firstName']).toBe('Léa e Noé')
    expect(directoryValues(s, 'marie', marie!.childIds, day, 'nl')['child.firstName']).toBe('Léa en Noé')
  })

  it('writes three names with commas and the "and" before the last', () => {
    expect(directoryValues(s, 'marie', ['c3', 'c1', 'c2'], day, 'fr')['child.firstName']).toBe('Léa, Noé et Zoé')
    expect(directoryValues(s, 'marie', ['c3', 'c1', 'c2'], day, 'en')['child.fullName']).toBe('Léa Dupont, Noé Dupont and Zoé Martin')
  })

  it('says a last name, birth date or class the children share once, else each child’s in the order of their names', () => {
    const twins = directoryValues(s, 'marie', ['c1', 'c2'], day, 'fr')
    expect([twins['child.fullName'], twins['child.lastName'], twins['child.birthDate'], twins['child.className']]).toEqual(['Léa Dupont et Noé Dupont', 'Dupont', '14 mars 2020', 'CP A'])
    const all = directoryValues(s, 'marie', ['c3', 'c2'], day, 'fr')
    expect([all['child.firstName'], all['child.lastName'], all['child.birthDate'], all['child.className']]).toEqual(['Léa et Zoé', 'Dupont et Martin', '14 mars 2020 et 1 juillet 2018', 'CP A et CE1'])
  })

  it('leaves a value missing when it is missing for one of the children (no class that day)', () => {
    expect(directoryValues(s, 'marie', ['c1', 'c2'], '2026-08-01', 'fr')['child.className']).toBeUndefined()
  })

  it('gives a single child’s own values, whether its id is given alone or in a list', () => {
    expect(directoryValues(s, 'marie', 'c3', day, 'fr')).toEqual(directoryValues(s, 'marie', ['c3'], day, 'fr'))
    expect(directoryValues(s, 'marie', 'c3', day, 'fr')).toMatchObject({ 'child.firstName': 'Zoé', 'child.lastName': 'Martin', 'child.fullName': 'Zoé Martin', 'child.className': 'CE1' })
  })
})

describe('directoryValues: birth dates', () => {
  it('writes a birth date in words in the reader’s language, without the weekday, on any host zone', () => {
    expect(directoryValues(s, 'marie', 'c3', day, 'fr')['child.birthDate']).toBe('1 juillet 2018')
    expect(directoryValues(s, 'marie', 'c3', day, 'en')['child.birthDate']).toBe('1 July 2018')
    expect(directoryValues(s, 'marie', 'c3', day, 'it')['child.birthDate']).toBe('1 luglio 2018')
    expect(directoryValues(s, 'marie', 'c3', day, 'nl')['child.birthDate']).toBe('1 juli 2018')
  })

  it('writes French when no language is given', () => {
    expect(directoryValues(s, 'marie', 'c1', day)['child.birthDate']).toBe('14 mars 2020')
  })

  it('refuses a language the mails are not written in, naming it', () => {
    expect(() => directoryValues(s, 'marie', 'c1', day, 'de' as never)).toThrow(/locale/)
  })
})
