import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import {
  addChild, addGuardian, createHousehold, createSchool, createSchoolClass, emptyDirectory, endEnrolment, enrol, isEcoleError, linkChildToGuardian,
  type DirectoryOutcome, type DirectoryState, type LocalDate,
} from '@ecole/core'
import { DirectoryBatch } from './directory-batch'

const FROM = '2026-09-01' as LocalDate
const DAYS = ['2026-06-01', '2026-08-31', '2026-09-01', '2026-10-15'] as LocalDate[]
const CHILDREN = ['c0', 'c1', 'c2', 'c3', 'c4']

function ok(o: DirectoryOutcome): DirectoryState {
  if (!o.ok) throw new Error(JSON.stringify(o.refusal))
  return o.state
}

/** A directory with a school, two classes, a household, and enrolments of the first children over the given days. */
function directoryWith(before: Array<{ child: number; from: number; to: number | undefined }>): DirectoryState {
  let s = ok(createSchool(emptyDirectory('s1'), { id: 'sc', name: 'Collège' }))
  s = ok(createSchoolClass(s, { id: 'k1', schoolId: 'sc', name: '6A' }))
  s = ok(createSchoolClass(s, { id: 'k2', schoolId: 'sc', name: '6B' }))
  s = ok(createHousehold(s, { household: { id: 'h1', name: 'Famille' }, guardian: { id: 'g1', firstName: 'Anne', lastName: 'Durand' }, today: FROM }))
  for (const id of CHILDREN.slice(0, 3)) s = ok(addChild(s, { id, firstName: id, lastName: 'Durand', birthDate: '2014-01-01', guardians: [{ guardianId: 'g1', relationship: 'mother' }] }, FROM))
  before.forEach((b, i) => {
    const from = DAYS[b.from]!
    const to = b.to === undefined ? undefined : DAYS[Math.max(b.from, b.to)]
    const r = enrol(s, { id: `old${i}`, beneficiaryId: CHILDREN[b.child]!, schoolId: 'sc', classId: 'k1', from, ...(to ? { to } : {}) }, { maxPupils: null })
    if (r.ok) s = r.state
  })
  return s
}

const commandArb = fc.oneof(
  fc.record({ kind: fc.constant('addChild' as const), child: fc.integer({ min: 0, max: 4 }), guardian: fc.constantFrom('g1', 'g2') }),
  fc.record({ kind: fc.constant('addGuardian' as const) }),
  fc.record({ kind: fc.constant('link' as const), child: fc.integer({ min: 0, max: 4 }), guardian: fc.constantFrom('g1', 'g2') }),
  fc.record({ kind: fc.constant('enrol' as const), child: fc.integer({ min: 0, max: 4 }), klass: fc.constantFrom('k1', 'k2'), n: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('end' as const), enrolment: fc.integer({ min: 0, max: 8 }), day: fc.integer({ min: 0, max: 3 }) }),
)
const beforeArb = fc.array(fc.record({ child: fc.integer({ min: 0, max: 2 }), from: fc.integer({ min: 0, max: 3 }), to: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }) }), { maxLength: 4 })

/** What an operation gave: its refusal code, the code of the error it threw, or ok. */
function outcomeOf(run: () => DirectoryOutcome): string {
  try {
    const r = run()
    return r.ok ? 'ok' : `refused ${JSON.stringify(r.refusal)}`
  } catch (error) {
    return `threw ${isEcoleError(error) ? error.code : String(error)}`
  }
}

test.prop([beforeArb, fc.array(commandArb, { maxLength: 25 }), fc.option(fc.integer({ min: 0, max: 4 }), { nil: null })], { numRuns: 400 })(
  'the batch gives the same directory, the same refusals (licence limit included) and the same errors as the directory operations one by one',
  (before, commands, maxPupils) => {
    let s = directoryWith(before)
    const batch = new DirectoryBatch(s, FROM)
    for (const c of commands) {
      const enrolmentIds = Object.keys(s.enrolments).sort()
      const [core, batched] = ((): [() => DirectoryOutcome, () => DirectoryOutcome] => {
        switch (c.kind) {
          case 'addChild': {
            const input = { id: CHILDREN[c.child]!, firstName: 'X', lastName: 'Durand', birthDate: '2015-01-01' as LocalDate, guardians: [{ guardianId: c.guardian, relationship: 'mother' as const }] }
            return [() => addChild(s, input, FROM), () => batch.addChild(input, FROM)]
          }
          case 'addGuardian': {
            const input = { id: 'g2', firstName: 'Paul', lastName: 'Durand' }
            return [() => addGuardian(s, 'h1', input), () => batch.addGuardian('h1', input)]
          }
          case 'link':
            return [() => linkChildToGuardian(s, CHILDREN[c.child]!, c.guardian, 'father'), () => batch.linkChildToGuardian(CHILDREN[c.child]!, c.guardian, 'father')]
          case 'enrol': {
            const input = { id: `new${c.n}`, beneficiaryId: CHILDREN[c.child]!, schoolId: 'sc', classId: c.klass, from: FROM }
            return [() => enrol(s, input, { maxPupils }), () => batch.enrol(input, { maxPupils })]
          }
          case 'end': {
            const id = enrolmentIds[c.enrolment % Math.max(1, enrolmentIds.length)] ?? 'none'
            return [() => endEnrolment(s, id, DAYS[c.day]!), () => batch.endEnrolment(id, DAYS[c.day]!)]
          }
        }
      })()
      let next: DirectoryState | undefined
      const expected = outcomeOf(() => {
        const r = core()
        if (r.ok) next = r.state
        return r
      })
      expect(outcomeOf(batched)).toBe(expected)
      if (next) s = next
      expect(batch.state()).toEqual(s)
    }
  },
)
