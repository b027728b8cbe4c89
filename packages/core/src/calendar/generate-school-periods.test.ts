import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { generateSchoolPeriods } from './generate-school-periods'

describe('generateSchoolPeriods', () => {
  it('creates the six closure periods of zone B for 2025-2026', () => {
    // arrêté of the 2025-2026 calendar, zone B (inclusive days without class)
    expect(generateSchoolPeriods('B', '2025-2026').map((p) => [p.from, p.to])).toEqual([
      ['2025-10-19', '2025-11-02'],
      ['2025-12-21', '2026-01-04'],
      ['2026-02-15', '2026-03-01'],
      ['2026-04-12', '2026-04-26'],
      ['2026-05-14', '2026-05-17'],
      ['2026-07-05', '2026-08-31'],
    ])
  })

  it('labels periods in the calendar language with the school year, and colours them', () => {
    const [autumn] = generateSchoolPeriods('C', '2026-2027')
    expect(autumn).toMatchObject({ kind: 'closure', label: 'Vacances de la Toussaint 2026-2027', id: 'FR-C-2026-10-18' })
    expect(autumn?.colour).toMatch(/^#[0-9a-f]{6}$/)
  })

  it('creates periods without services until the site links them', () => {
    expect(generateSchoolPeriods('A', '2026-2027').every((p) => p.scopes.length === 0)).toBe(true)
    const linked = generateSchoolPeriods('A', '2026-2027', { scopes: [{ serviceId: 'canteen' }] })
    expect(linked.every((p) => p.scopes[0]?.serviceId === 'canteen')).toBe(true)
  })

  it('gives the same ids when generated twice', () => {
    expect(generateSchoolPeriods('BE-FR', '2025-2026').map((p) => p.id)).toEqual(generateSchoolPeriods('BE-FR', '2025-2026').map((p) => p.id))
  })

  it('works for a Belgian community and an Italian region', () => {
    expect(generateSchoolPeriods('BE-NL', '2026-2027').some((p) => p.from === '2026-11-02' && p.to === '2026-11-08')).toBe(true)
    expect(generateSchoolPeriods('IT-LO', '2024-2025').some((p) => p.label.startsWith('festività natalizie'))).toBe(true)
  })

  it('uses holidays the site supplies for a year the package does not ship', () => {
    const periods = generateSchoolPeriods('A', '2027-2028', {
      holidays: [{ calendar: 'FR-A', schoolYear: '2027-2028', from: '2027-10-17', to: '2027-10-31', name: 'Vacances de la Toussaint', nameEn: 'All Saints Holidays', origin: 'source' }],
    })
    expect(periods.map((p) => [p.from, p.to])).toEqual([['2027-10-17', '2027-10-31']])
  })

  it('says which year is missing and how to add it', () => {
    try {
      generateSchoolPeriods('A', '2031-2032')
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e) && e.code).toBe('SCHOOL_YEAR_UNAVAILABLE')
      expect((e as Error).message).toMatch(/FR-A.*2031-2032.*parseFrenchSchoolCalendar/)
    }
  })

  it('refuses a malformed school year, naming the field', () => {
    expect(() => generateSchoolPeriods('A', '2026-2028')).toThrow(/schoolYear/)
  })
})
