import { fc, test } from '@fast-check/vitest'
import { enrolmentRequestsArb } from '@ecole/testing'
import { toEpochDay } from '../time'
import { emptyDirectory, type DirectoryState } from './directory-state'
import { countPupils, enrol } from './enrolment-operations'
import { findEnrolmentOverlaps } from './enrolment'
import { ChildSchema } from './child'
import { SchoolClassSchema, SchoolSchema } from './school'

// Oracle: two enrolments overlap when some day (counted as an epoch-day integer) is in both;
// an open end is the end of the test window.
const END = toEpochDay('2030-12-31')
const span = (e: { from: string; to?: string | undefined }) => [toEpochDay(e.from as never), e.to === undefined ? END : toEpochDay(e.to as never)] as const
function oracleOverlaps(list: ReadonlyArray<{ id: string; beneficiaryId: string; from: string; to?: string | undefined }>): string[] {
  const pairs: string[] = []
  for (const a of list) {
    for (const b of list) {
      if (a.id >= b.id || a.beneficiaryId !== b.beneficiaryId) continue
      const [a0, a1] = span(a)
      const [b0, b1] = span(b)
      let shared = false
      for (let d = Math.max(a0, b0); d <= Math.min(a1, b1) && !shared; d++) shared = true
      if (shared) pairs.push([a.id, b.id].sort().join('+'))
    }
  }
  return pairs.sort()
}

test.prop([enrolmentRequestsArb()])('overlapping enrolments of one child are exactly the pairs sharing a day', (list) => {
  const found = findEnrolmentOverlaps(list).map((o) => [...o.enrolmentIds].sort().join('+')).sort()
  return JSON.stringify(found) === JSON.stringify(oracleOverlaps(list))
})

function school(): DirectoryState {
  const base = emptyDirectory('s1')
  const children = Object.fromEntries(
    ['c1', 'c2', 'c3', 'c4'].map((id) => [id, ChildSchema.parse({ id, siteId: 's1', firstName: id, lastName: 'X', birthDate: '2019-01-01', guardians: [{ guardianId: 'g', relationship: 'other' }] })]),
  )
  return {
    ...base,
    schools: { sc: SchoolSchema.parse({ id: 'sc', siteId: 's1', name: 'École' }) },
    classes: { cl: SchoolClassSchema.parse({ id: 'cl', siteId: 's1', schoolId: 'sc', name: 'CP' }) },
    children,
  }
}

test.prop([enrolmentRequestsArb(), fc.integer({ min: 1, max: 4 })])(
  'accepted enrolments never overlap and never exceed the licence on any day',
  (requests, maxPupils) => {
    let state = school()
    for (const r of requests) {
      const out = enrol(state, { id: r.id, beneficiaryId: r.beneficiaryId, schoolId: 'sc', classId: 'cl', from: r.from, to: r.to }, { maxPupils })
      if (out.ok) state = out.state
    }
    const accepted = Object.values(state.enrolments)
    if (findEnrolmentOverlaps(accepted).length > 0) return false
    // every start day is where the count can rise: check the licence there
    return accepted.every((e) => countPupils(state, { from: e.from, to: e.from }) <= maxPupils)
  },
)
