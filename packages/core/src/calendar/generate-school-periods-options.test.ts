import { describe, expect, it } from 'vitest'
import { generateSchoolPeriods } from './generate-school-periods'

const refused = (path: string | RegExp) => expect.objectContaining({ code: 'INVALID_INPUT', message: typeof path === 'string' ? expect.stringContaining(path) : expect.stringMatching(path) })

describe('generateSchoolPeriods options', () => {
  it('uses the holidays given instead of the shipped table', () => {
    const holidays = [{ calendar: 'FR-A', schoolYear: '2026-2027', name: 'Vacances locales', nameEn: 'Local holidays', from: '2026-11-02', to: '2026-11-06' }]
    expect(generateSchoolPeriods('A', '2026-2027', { holidays } as never).map((p) => p.from)).toEqual(['2026-11-02'])
  })

  it("refuses a misspelt key naming the key it meant, instead of using the shipped calendar", () => {
    expect(() => generateSchoolPeriods('A', '2026-2027', { holidas: [] } as never)).toThrow(refused(/options\.holidas: unknown key .*did you mean `holidays`/))
  })

  it('refuses holidays or scopes that are not arrays of objects with INVALID_INPUT, not a TypeError', () => {
    expect(() => generateSchoolPeriods('A', '2026-2027', { holidays: 'FR-A' } as never)).toThrow(refused('options.holidays'))
    expect(() => generateSchoolPeriods('A', '2026-2027', { holidays: [null] } as never)).toThrow(refused('options.holidays.0'))
    expect(() => generateSchoolPeriods('A', '2026-2027', { scopes: { serviceIds: ['meal'] } } as never)).toThrow(refused('options.scopes'))
    expect(() => generateSchoolPeriods('A', '2026-2027', { scopes: ['meal'] } as never)).toThrow(refused('options.scopes.0'))
  })

  it('refuses options that are not an object', () => {
    for (const options of ['A', 1, [], null]) expect(() => generateSchoolPeriods('A', '2026-2027', options as never)).toThrow(refused('options'))
  })
})
