import { describe, expect, it } from 'vitest'
import {
  checkPupilTransfer, diplomaLabel, isFrenchCountry, missingEstablishmentFields, planPupilTransfer, removeSchoolImage, resetDiplomaLabels,
  setDiplomaLabels, setPupilTransfer, setSchoolImage,
} from './establishment'
import { SchoolSchema } from './school'

const lycee = SchoolSchema.parse({ id: 'lp', siteId: 's1', name: 'Lycée pro Jean Moulin', email: 'ce.0751234j@ac-paris.fr', uai: '0751234J' })

describe('French establishment (seed 003)', () => {
  it('needs name, e-mail and UAI before users are created', () => {
    expect(missingEstablishmentFields(lycee)).toEqual([])
    expect(missingEstablishmentFields(SchoolSchema.parse({ id: 'x', siteId: 's1', name: 'X' }))).toEqual(['email', 'uai'])
  })

  it('applies to France and its overseas departments only', () => {
    expect(['FR', 'gp', 'RE', 'YT'].every(isFrenchCountry)).toBe(true)
    expect(['BE', 'IT', 'MC'].some(isFrenchCountry)).toBe(false)
  })

  it('refuses to switch transfer on without the CNIL declaration number', () => {
    expect(setPupilTransfer(lycee, { enabled: true, cnilDeclaration: ' ' })).toEqual({ ok: false, refusal: { code: 'CNIL_DECLARATION_MISSING', schoolId: 'lp' } })
    const r = setPupilTransfer(lycee, { enabled: true, cnilDeclaration: '1234567' })
    expect(r.ok && [r.school.cnilDeclaration, r.school.pupilTransferEnabled]).toEqual(['1234567', true])
  })

  it('transfers nothing without a CNIL number, and never a pupil without INE, whom it lists', () => {
    const pupils = [
      { id: 'lea', firstName: 'Léa', lastName: 'Dupont', ine: '123456789AB' },
      { id: 'tom', firstName: 'Tom', lastName: 'Martin', ine: undefined },
    ]
    expect(planPupilTransfer(lycee, pupils)).toEqual({ ok: false, refusal: { code: 'CNIL_DECLARATION_MISSING', schoolId: 'lp' } })
    expect(checkPupilTransfer(lycee, pupils[0]!)).toEqual({ ok: false, refusal: { code: 'CNIL_DECLARATION_MISSING', schoolId: 'lp' } })
    const withCnil = { ...lycee, cnilDeclaration: '1234567' }
    expect(planPupilTransfer(withCnil, pupils)).toEqual({ ok: false, refusal: { code: 'TRANSFER_DISABLED', schoolId: 'lp' } })
    const on = { ...withCnil, pupilTransferEnabled: true }
    expect(planPupilTransfer(on, pupils)).toEqual({ ok: true, transferable: ['lea'], withoutIne: [{ childId: 'tom', firstName: 'Tom', lastName: 'Martin' }] })
    expect(checkPupilTransfer(on, pupils[1]!)).toEqual({ ok: false, refusal: { code: 'PUPIL_WITHOUT_INE', childId: 'tom' } })
    expect(checkPupilTransfer(on, pupils[0]!)).toEqual({ ok: true })
  })

  it('overrides labels per diploma and resets them', () => {
    let s = setDiplomaLabels(lycee, 'cap-cuisine', { activity: 'Situation professionnelle', context: 'Contexte' })
    s = setDiplomaLabels(s, 'bac-melec', { activity: 'Tâche' })
    expect(diplomaLabel(s, 'cap-cuisine', 'activity', 'Activité')).toBe('Situation professionnelle')
    expect(diplomaLabel(s, 'cap-cuisine', 'other', 'Autre')).toBe('Autre')
    s = resetDiplomaLabels(s, 'cap-cuisine', ['activity'])
    expect(s.labelOverrides['cap-cuisine']).toEqual({ context: 'Contexte' })
    s = resetDiplomaLabels(s, 'cap-cuisine')
    expect(s.labelOverrides).toEqual({ 'bac-melec': { activity: 'Tâche' } })
    expect(() => setDiplomaLabels(s, 'bac-melec', { activity: ' ' })).toThrow(/labelOverrides\.bac-melec\.activity/)
  })

  it('accepts a logo or stamp only of an allowed type and size, and deletes it', () => {
    const png = { key: 'lp/logo.png', mediaType: 'image/png', sizeBytes: 200_000 }
    const r = setSchoolImage(lycee, 'logo', png)
    expect(r.ok && r.school.logo).toEqual(png)
    expect(setSchoolImage(lycee, 'stamp', { key: 'k', mediaType: 'image/svg+xml', sizeBytes: 600 * 1024 })).toEqual({
      ok: false,
      refusal: {
        code: 'IMAGE_REFUSED',
        use: 'stamp',
        reasons: [
          { code: 'IMAGE_TYPE_NOT_ALLOWED', mediaType: 'image/svg+xml', allowed: ['image/png', 'image/jpeg'] },
          { code: 'IMAGE_TOO_LARGE', sizeBytes: 614400, maxBytes: 524288 },
        ],
      },
    })
    expect(r.ok && removeSchoolImage(r.school, 'logo').logo).toBeNull()
  })
})
