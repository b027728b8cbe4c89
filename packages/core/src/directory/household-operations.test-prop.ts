import { fc, test } from '@fast-check/vitest'
import { emptyDirectory, type DirectoryOutcome, type DirectoryState } from './directory-state'
import { addGuardian, createHousehold, householdMembers, householdsOfChild, linkChildToGuardian, moveGuardian } from './household-operations'

function ok(r: DirectoryOutcome): DirectoryState {
  if (!r.ok) throw new Error(JSON.stringify(r.refusal))
  return r.state
}

// A small town: households h0..h2 with two guardians each and one child linked to both parents,
// plus extra links drawn at random.
const townArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 5 })), { maxLength: 6 })

function town(extraLinks: Array<[number, number]>): DirectoryState {
  let s = emptyDirectory('s1')
  for (let h = 0; h < 3; h++) {
    s = ok(createHousehold(s, {
      household: { id: `h${h}`, name: `Famille ${h}` },
      guardian: { id: `g${2 * h}`, firstName: 'A', lastName: `${h}` },
      child: { newChild: { id: `c${h}`, firstName: 'C', lastName: `${h}`, birthDate: '2019-01-01' }, relationship: 'mother' },
      today: '2026-09-01',
    }))
    s = ok(addGuardian(s, `h${h}`, { id: `g${2 * h + 1}`, firstName: 'B', lastName: `${h}` }))
    s = ok(linkChildToGuardian(s, `c${h}`, `g${2 * h + 1}`, 'father'))
  }
  for (const [c, g] of extraLinks) {
    const r = linkChildToGuardian(s, `c${c}`, `g${g}`, 'tutor')
    if (r.ok) s = r.state
  }
  return s
}

test.prop([townArb, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })])(
  'moving a guardian takes every child linked to them into the target household, and no child loses a guardian',
  (links, g, target) => {
    const before = town(links)
    const guardianId = `g${g}`
    const to = target === 3 ? { newHousehold: { id: 'hNew', name: 'Nouveau foyer' } } : { householdId: `h${target}` }
    const r = moveGuardian(before, guardianId, to)
    if (!r.ok) return r.refusal.code === 'SAME_HOUSEHOLD' && before.guardians[guardianId]!.householdId === `h${target}`
    const targetId = target === 3 ? 'hNew' : `h${target}`
    const members = householdMembers(r.state, targetId).children.map((c) => c.id)
    const linked = Object.values(before.children).filter((c) => c.guardians.some((l) => l.guardianId === guardianId)).map((c) => c.id)
    return (
      linked.every((id) => members.includes(id) && householdsOfChild(r.state, id).includes(targetId)) &&
      JSON.stringify(r.state.children) === JSON.stringify(before.children) &&
      r.childIds.join() === [...linked].sort().join()
    )
  },
)
