import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { emptyDirectory, type DirectoryOutcome, type DirectoryState } from './directory-state'
import { addGuardian, createHousehold, householdsOfChild, linkChildToGuardian, moveChild, updateGuardianContact } from './household-operations'
import { archiveGuardian } from './archive'

function ok<E extends object>(r: DirectoryOutcome<E>): DirectoryState {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.refusal)}`)
  return r.state
}

/** Marie and Paul in h1 with Léa; Jean alone in h2. */
function families(): DirectoryState {
  let s = ok(createHousehold(emptyDirectory('s1'), {
    household: { id: 'h1', name: 'Famille Dupont' }, guardian: { id: 'marie', firstName: 'Marie', lastName: 'Dupont' },
    child: { newChild: { id: 'lea', firstName: 'Léa', lastName: 'Dupont', birthDate: '2019-05-14' }, relationship: 'mother' }, today: '2026-09-01',
  }))
  s = ok(addGuardian(s, 'h1', { id: 'paul', firstName: 'Paul', lastName: 'Dupont' }))
  s = ok(linkChildToGuardian(s, 'lea', 'paul', 'father'))
  s = ok(createHousehold(s, { household: { id: 'h2', name: 'Famille Roux' }, guardian: { id: 'jean', firstName: 'Jean', lastName: 'Roux' }, today: '2026-09-01' }))
  return s
}

describe('moving a child to another household', () => {
  it('links the child to the guardian of the other household and removes its links to every guardian of the old one', () => {
    const r = moveChild(families(), 'lea', { fromHouseholdId: 'h1', to: { guardianId: 'jean', relationship: 'tutor' } })
    expect(r.ok && [r.unlinkedGuardianIds, r.child.guardians]).toEqual([['marie', 'paul'], [{ guardianId: 'jean', relationship: 'tutor' }]])
    expect(r.ok && householdsOfChild(r.state, 'lea')).toEqual(['h2'])
  })

  it('keeps the old links when asked (separated parents): the child then belongs to both households', () => {
    const r = moveChild(families(), 'lea', { fromHouseholdId: 'h1', to: { guardianId: 'jean', relationship: 'father' }, keepOldLinks: true })
    expect(r.ok && householdsOfChild(r.state, 'lea')).toEqual(['h1', 'h2'])
  })

  it('refuses a guardian of the same household, one already linked, and an archived one, changing nothing', () => {
    const s = families()
    expect(moveChild(s, 'lea', { fromHouseholdId: 'h1', to: { guardianId: 'paul', relationship: 'father' } })).toEqual({ ok: false, refusal: { code: 'SAME_HOUSEHOLD', guardianId: 'paul', householdId: 'h1' } })
    const linked = ok(linkChildToGuardian(s, 'lea', 'jean', 'other'))
    expect(moveChild(linked, 'lea', { fromHouseholdId: 'h1', to: { guardianId: 'jean', relationship: 'father' } })).toEqual({ ok: false, refusal: { code: 'ALREADY_LINKED', childId: 'lea', guardianId: 'jean' } })
    const archived = ok(archiveGuardian(s, 'jean', { on: '2026-10-01', unpaidInvoiceIds: [] }))
    expect(moveChild(archived, 'lea', { fromHouseholdId: 'h1', to: { guardianId: 'jean', relationship: 'father' } })).toEqual({ ok: false, refusal: { code: 'GUARDIAN_ARCHIVED', guardianId: 'jean' } })
  })

  it('throws NOT_FOUND for an unknown child, guardian or household', () => {
    const s = families()
    for (const call of [
      () => moveChild(s, 'nobody', { fromHouseholdId: 'h1', to: { guardianId: 'jean', relationship: 'father' } }),
      () => moveChild(s, 'lea', { fromHouseholdId: 'h9', to: { guardianId: 'jean', relationship: 'father' } }),
      () => moveChild(s, 'lea', { fromHouseholdId: 'h1', to: { guardianId: 'nobody', relationship: 'father' } }),
    ]) expect(() => call()).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })
})

describe("editing a guardian's contact details", () => {
  it('changes the fields given, keeps the others, and removes an e-mail left empty', () => {
    const s = ok(updateGuardianContact(families(), 'marie', { email: 'marie@example.fr', mobile: '06 12 34 56 78' }))
    expect(s.guardians.marie).toMatchObject({ firstName: 'Marie', email: 'marie@example.fr', mobile: '06 12 34 56 78' })
    const cleared = ok(updateGuardianContact(s, 'marie', { email: '' }))
    expect(cleared.guardians.marie!.email).toBeUndefined()
  })

  it('refuses a bad e-mail with INVALID_INPUT naming guardian.email', () => {
    try {
      updateGuardianContact(families(), 'marie', { email: 'not-an-address' })
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e, 'INVALID_INPUT') && e.message).toMatch(/guardian\.email/)
    }
  })
})
