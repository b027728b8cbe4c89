import { fc, test } from '@fast-check/vitest'
import { emptyDirectory, type DirectoryOutcome, type DirectoryState } from './directory-state'
import { addGuardian, createHousehold, householdsOfChild, linkChildToGuardian, moveChild } from './household-operations'

function ok(r: DirectoryOutcome): DirectoryState {
  if (!r.ok) throw new Error(JSON.stringify(r.refusal))
  return r.state
}

// Three households h0..h2, two guardians each (g0..g5), child c0 linked to its parents in h0 and,
// at random, to other guardians too (separated parents, tutors).
function town(extra: number[]): DirectoryState {
  let s = emptyDirectory('s1')
  for (let h = 0; h < 3; h++) {
    s = ok(createHousehold(s, { household: { id: `h${h}`, name: `Famille ${h}` }, guardian: { id: `g${2 * h}`, firstName: 'A', lastName: `${h}` }, today: '2026-09-01' }))
    s = ok(addGuardian(s, `h${h}`, { id: `g${2 * h + 1}`, firstName: 'B', lastName: `${h}` }))
  }
  s = { ...s, children: { c0: { id: 'c0', siteId: 's1', firstName: 'C', lastName: '0', birthDate: '2019-01-01', guardians: [{ guardianId: 'g0', relationship: 'mother' }], attributes: {}, archived: null } } }
  for (const g of extra) {
    const r = linkChildToGuardian(s, 'c0', `g${g}`, 'tutor')
    if (r.ok) s = r.state
  }
  return s
}

test.prop([fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 5 }), fc.boolean()])(
  'a moved child belongs to the target household, leaves the old one unless kept, always keeps a guardian, and the state given is unchanged',
  (extra, from, to, keep) => {
    const before = town(extra)
    const snapshot = JSON.stringify(before)
    const fromId = `h${from}`
    const target = `g${to}`
    const r = moveChild(before, 'c0', { fromHouseholdId: fromId, to: { guardianId: target, relationship: 'father' }, keepOldLinks: keep })
    if (JSON.stringify(before) !== snapshot) return false
    const targetHousehold = before.guardians[target]!.householdId
    if (!r.ok) {
      const linked = before.children.c0!.guardians.some((l) => l.guardianId === target)
      return (r.refusal.code === 'SAME_HOUSEHOLD' && targetHousehold === fromId) || (r.refusal.code === 'ALREADY_LINKED' && linked)
    }
    const households = householdsOfChild(r.state, 'c0')
    const othersBefore = householdsOfChild(before, 'c0').filter((h) => h !== fromId)
    return (
      r.child.guardians.length >= 1 &&
      households.includes(targetHousehold) &&
      (keep ? householdsOfChild(before, 'c0').every((h) => households.includes(h)) : !households.includes(fromId)) &&
      othersBefore.every((h) => households.includes(h))
    )
  },
)
