import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { isEcoleError } from '../errors'
import { createSchool, createSchoolClass } from './directory-setup'
import { emptyDirectory, type DirectoryOutcome, type DirectoryState } from './directory-state'

function ok(r: DirectoryOutcome): DirectoryState {
  if (!r.ok) throw new Error(JSON.stringify(r.refusal))
  return r.state
}

const nameArb = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0)
// schools s0..s3, created in any order, some of them more than once, with one of two names each
const createsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean()), { minLength: 1, maxLength: 12 })

test.prop([createsArb, nameArb, nameArb])(
  'creating schools in any order, any number of times, keeps the first record of each id and answers created exactly once per id',
  (creates, nameA, nameB) => {
    let state = emptyDirectory('s1')
    const first = new Map<string, string>()
    let created = 0
    for (const [n, useB] of creates) {
      const id = `s${n}`
      const name = useB ? nameB : nameA
      try {
        const r = createSchool(state, { id, name })
        if (!r.ok) throw new Error('refused')
        if (r.result === 'created') {
          created++
          first.set(id, name.trim())
        } else expect(r.state).toBe(state)
        state = r.state
      } catch (e) {
        // another name under an existing id: a conflict, never a silent replacement
        expect(isEcoleError(e) && e.code).toBe('IDEMPOTENCY_CONFLICT')
        expect(first.get(id)).not.toBe(name.trim())
      }
    }
    expect(created).toBe(first.size)
    for (const [id, name] of first) expect(state.schools[id]?.name).toBe(name)
  },
)

test.prop([fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 8 })])('a class is created only in a school of the directory', (schoolNumbers) => {
  let state = ok(createSchool(emptyDirectory('s1'), { id: 's0', name: 'École 0' }))
  schoolNumbers.forEach((n, i) => {
    const attempt = () => createSchoolClass(state, { id: `c${i}`, schoolId: `s${n}`, name: `Classe ${i}` })
    if (n === 0) state = ok(attempt())
    else expect(() => attempt()).toThrow(/school "s\d" is not in this directory/)
  })
  for (const klass of Object.values(state.classes)) expect(state.schools[klass.schoolId]).toBeDefined()
})
