import { fc, test } from '@fast-check/vitest'
import { localDateArb, periodArb } from '@ecole/testing'
import { expect } from 'vitest'
import { periodCoversPlace, type Period } from './period'
import { addDays } from '../time'
import { definePeriod, periodsOf } from './period-record'

// a period of the testing kit as a form would send it: one scope per service and school, classes only with their school
const formOf = (p: Period) => {
  const seen = new Set<string>()
  const scopes = p.scopes
    .map((s) => (s.schoolId === undefined ? { serviceId: s.serviceId } : s))
    .filter((s) => {
      const key = `${s.serviceId}|${s.schoolId ?? ''}`
      return seen.has(key) ? false : (seen.add(key), true)
    })
  return { ...p, siteId: 'site-1', scopes }
}
const places = fc.record({ serviceId: fc.constantFrom('canteen', 'care', 'snack'), schoolId: fc.constantFrom('jaures', 'ferry'), classId: fc.constantFrom('cp', 'ce1', 'ce2') })

test.prop([periodArb()])('defining a stored period twice gives the same record (the canonical form is a fixed point)', (p) => {
  const once = definePeriod(formOf(p))
  expect(definePeriod(once)).toEqual(once)
})

test.prop([periodArb(), places])('a stored period covers exactly the places the period it was defined from covers', (p, place) => {
  const form = formOf(p)
  const [stored] = periodsOf([definePeriod(form)])
  expect(periodCoversPlace(stored!, place)).toBe(periodCoversPlace(form, place))
})

test.prop([fc.array(periodArb(), { maxLength: 8 }), localDateArb({ from: '2026-08-01', to: '2027-08-01' }), fc.integer({ min: 0, max: 60 })])(
  'reading a range keeps a period exactly when one of its days is in the range',
  (ps, from, length) => {
    const records = ps.map((p, i) => definePeriod({ ...formOf(p), id: `p${i}` }))
    const to = addDays(from, length)
    const kept = new Set(periodsOf(records, { from, to }).map((p) => p.id))
    for (const r of records) expect(kept.has(r.id)).toBe(!(r.to < from || r.from > to))
  },
)
