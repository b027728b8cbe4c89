import { describe, expect, it } from 'vitest'
import type { Invoice } from './invoice'
import { withInstalmentSchedule } from './instalments'
import { refusal } from '../test-support/refusal'

const draft = { status: 'draft', totalMinor: 10000n, dueDate: '2027-01-15', instalments: [] } as unknown as Invoice

describe('withInstalmentSchedule: a misspelt option is refused, never read as absent', () => {
  it('spaces the instalments everyMonths apart', () => {
    expect(withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15', everyMonths: 2 }).instalments.map((i) => i.dueDate)).toEqual(['2027-01-15', '2027-03-15', '2027-05-15'])
  })
  it('refuses a misspelt everyMonths, naming it and the right key, rather than scheduling monthly', () => {
    const r = refusal(() => withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15', everyMonth: 2 } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.everyMonth'] })
    expect(r.message).toContain('did you mean `everyMonths`?')
  })
  it('refuses everyMonths given as a string or below 1, naming it', () => {
    expect(refusal(() => withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15', everyMonths: '2' } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.everyMonths'] })
    expect(refusal(() => withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15', everyMonths: 0 })).paths).toEqual(['options.everyMonths'])
  })
  it('names a missing count, and a count outside 1 to 60', () => {
    expect(refusal(() => withInstalmentSchedule(draft, { firstDueDate: '2027-01-15' } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.count'] })
    expect(refusal(() => withInstalmentSchedule(draft, { count: 61, firstDueDate: '2027-01-15' })).paths).toEqual(['options.count'])
  })
  it('refuses a first due date that is not on the calendar, naming it', () => {
    expect(refusal(() => withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-02-31' }))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.firstDueDate'] })
  })
})
