import { expect } from 'vitest'
import { test } from '@fast-check/vitest'
import { weekTemplateArb } from '@ecole/testing'
import * as rruleNamespace from 'rrule'
import { fromEpochDay, toEpochDay } from '../time'
import { weekTemplateDates } from './week-template'

// rrule as an independent oracle, expanded on UTC-floating dates (midnight UTC stands for the day)
const RRule = ((rruleNamespace as unknown as { RRule?: typeof rruleNamespace.RRule }).RRule ??
  (rruleNamespace as unknown as { default: { RRule: typeof rruleNamespace.RRule } }).default.RRule)

test.prop([weekTemplateArb({ beneficiaryId: 'c', serviceId: 's' }).filter((t) => t.recurrence.kind !== 'weekList')])(
  'weekly and every-other-week dates are the ones rrule expands',
  (t) => {
    const days = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU]
    const rule = new RRule({
      freq: RRule.WEEKLY, interval: t.recurrence.kind === 'everyOtherWeek' ? 2 : 1, wkst: RRule.MO,
      byweekday: t.weekdays.map((w) => days[w - 1]!), dtstart: new Date(toEpochDay(t.from) * 86_400_000), until: new Date(toEpochDay(t.to) * 86_400_000),
    })
    const expected = rule.all().map((d) => fromEpochDay(Math.floor(d.getTime() / 86_400_000)))
    expect(weekTemplateDates(t)).toEqual(expected)
  },
)

test.prop([weekTemplateArb({ beneficiaryId: 'c', serviceId: 's' })])('every date is inside the period, on a chosen weekday', (t) => {
  for (const d of weekTemplateDates(t)) {
    expect(d >= t.from && d <= t.to).toBe(true)
    expect(t.weekdays).toContain(((((toEpochDay(d) + 3) % 7) + 7) % 7) + 1)
  }
})

test.prop([weekTemplateArb({ beneficiaryId: 'c', serviceId: 's' }).filter((t) => t.recurrence.kind === 'everyOtherWeek')])(
  'every other week never books two consecutive weeks',
  (t) => {
    const mondays = [...new Set(weekTemplateDates(t).map((d) => toEpochDay(d) - ((((toEpochDay(d) + 3) % 7) + 7) % 7)))]
    for (let i = 1; i < mondays.length; i++) expect(mondays[i]! - mondays[i - 1]!).toBeGreaterThanOrEqual(14)
  },
)
