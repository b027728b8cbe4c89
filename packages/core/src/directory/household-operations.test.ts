import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { archiveChild, archiveGuardian, unarchiveChild, unarchiveGuardian } from './archive'
import { setAttributeValue, type CustomAttribute as Attribute } from './custom-attribute'
import { emptyDirectory, type DirectoryOutcome, type DirectoryState } from './directory-state'
import { removeGuardianInsurance, setGuardianInsurance, type Insurance } from './insurance'
import {
  addChild, addGuardian, createHousehold, householdMembers, householdsOfChild, linkChildToGuardian, moveGuardian, renameHousehold,
  unlinkChildFromGuardian, updateGuardianContact,
} from './household-operations'

function ok(r: DirectoryOutcome): DirectoryState {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.refusal)}`)
  return r.state
}

function dupontFamily(): DirectoryState {
  let s = ok(
    createHousehold(emptyDirectory('s1'), {
      household: { id: 'h1', name: 'Famille Dupont', address: { line1: '3 rue des Lilas', postcode: '75011', city: 'Paris' } },
      guardian: { id: 'marie', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' },
      child: { newChild: { id: 'lea', firstName: 'Léa', lastName: 'Dupont', birthDate: '2019-05-14' }, relationship: 'mother' },
      today: '2026-09-01',
    }),
  )
  s = ok(addGuardian(s, 'h1', { id: 'paul', firstName: 'Paul', lastName: 'Martin' }))
  s = ok(linkChildToGuardian(s, 'lea', 'paul', 'father'))
  s = ok(addChild(s, { id: 'tom', firstName: 'Tom', lastName: 'Martin', birthDate: '2021-02-03', guardians: [{ guardianId: 'paul', relationship: 'father' }] }, '2026-09-01'))
  return s
}

describe('creating households (seed 001 "Comment créer un foyer ?")', () => {
  it('creates a household with its first guardian and child', () => {
    const s = dupontFamily()
    const members = householdMembers(s, 'h1')
    expect(members.guardians.map((g) => g.id).sort()).toEqual(['marie', 'paul'])
    expect(members.children.map((c) => c.id).sort()).toEqual(['lea', 'tom'])
    expect(s.children.lea!.guardians).toEqual([{ guardianId: 'marie', relationship: 'mother' }, { guardianId: 'paul', relationship: 'father' }])
  })

  it('may add only an adult, with no child', () => {
    const r = createHousehold(emptyDirectory('s1'), { household: { id: 'h9', name: 'Accompagnateurs' }, guardian: { id: 'anne', firstName: 'Anne', lastName: 'Roy' }, today: '2026-09-01' })
    expect(r.ok && householdMembers(r.state, 'h9').children).toEqual([])
  })

  it('refuses a child born after today, naming the field', () => {
    try {
      createHousehold(emptyDirectory('s1'), {
        household: { id: 'h1', name: 'F' },
        guardian: { id: 'g', firstName: 'A', lastName: 'B' },
        child: { newChild: { id: 'c', firstName: 'C', lastName: 'B', birthDate: '2026-09-02' }, relationship: 'mother' },
        today: '2026-09-01',
      })
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e) && e.code).toBe('INVALID_INPUT')
      expect((e as Error).message).toContain('child.birthDate')
    }
  })

  it('never changes the state it was given', () => {
    const s = dupontFamily()
    const before = JSON.stringify(s)
    renameHousehold(s, 'h1', 'Famille Dupont-Martin')
    moveGuardian(s, 'paul', { newHousehold: { id: 'h2', name: 'Famille Martin' } })
    expect(JSON.stringify(s)).toBe(before)
  })

  it('renames a household and refuses an empty name', () => {
    const s = ok(renameHousehold(dupontFamily(), 'h1', 'Famille Dupont-Martin'))
    expect(s.households.h1!.name).toBe('Famille Dupont-Martin')
    expect(() => renameHousehold(s, 'h1', '  ')).toThrow(/name/)
  })

  it('refuses a duplicate id and an unknown household as errors, not outcomes', () => {
    const s = dupontFamily()
    expect(() => addGuardian(s, 'h1', { id: 'paul', firstName: 'P', lastName: 'M' })).toThrow(/already exists/)
    expect(() => addGuardian(s, 'nope', { id: 'x', firstName: 'P', lastName: 'M' })).toThrow(/household "nope"/)
  })
})

describe('moving a guardian (seed 001 "déplacer un responsable", "parents qui se séparent")', () => {
  it('moves the guardian to a new household and the children linked to them follow', () => {
    const r = moveGuardian(dupontFamily(), 'paul', { newHousehold: { id: 'h2', name: 'Famille Martin', address: { city: 'Lyon' } } })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.childIds).toEqual(['lea', 'tom'])
    expect(r.state.guardians.paul!.householdId).toBe('h2')
    expect(householdMembers(r.state, 'h2').children.map((c) => c.id).sort()).toEqual(['lea', 'tom'])
    // Léa keeps her mother's household too: separated parents, two households
    expect(householdsOfChild(r.state, 'lea')).toEqual(['h1', 'h2'])
    // Tom has only his father: he now lives in h2 only
    expect(householdsOfChild(r.state, 'tom')).toEqual(['h2'])
    expect(r.emptiedHouseholdId).toBeUndefined()
  })

  it('moves into an existing household and reports the household it emptied', () => {
    let s = dupontFamily()
    s = ok(createHousehold(s, { household: { id: 'h3', name: 'Grand-parents' }, guardian: { id: 'jean', firstName: 'Jean', lastName: 'Dupont' }, today: '2026-09-01' }))
    const r = moveGuardian(s, 'jean', { householdId: 'h1' })
    expect(r.ok && r.emptiedHouseholdId).toBe('h3')
    expect(moveGuardian(s, 'marie', { householdId: 'h1' })).toEqual({ ok: false, refusal: { code: 'SAME_HOUSEHOLD', guardianId: 'marie', householdId: 'h1' } })
  })

  it('creates the second household of separated parents around an existing child', () => {
    const s = dupontFamily()
    const r = createHousehold(s, {
      household: { id: 'h4', name: 'Famille Bernard' },
      guardian: { id: 'luc', firstName: 'Luc', lastName: 'Bernard' },
      child: { existingChildId: 'lea', relationship: 'tutor' },
      today: '2026-09-01',
    })
    expect(r.ok && householdsOfChild(r.state, 'lea')).toEqual(['h1', 'h4'])
  })

  it('keeps at least one guardian on a child', () => {
    const s = dupontFamily()
    expect(unlinkChildFromGuardian(s, 'tom', 'paul')).toEqual({ ok: false, refusal: { code: 'LAST_GUARDIAN', childId: 'tom', guardianId: 'paul' } })
    const r = unlinkChildFromGuardian(s, 'lea', 'paul')
    expect(r.ok && r.state.children.lea!.guardians.map((l) => l.guardianId)).toEqual(['marie'])
  })
})

describe('archiving (seed 001 "archiver un responsable / un enfant")', () => {
  it('refuses to archive a guardian with unpaid invoices, listing them', () => {
    const r = archiveGuardian(dupontFamily(), 'marie', { on: '2026-07-04', reason: 'déménagement', unpaidInvoiceIds: ['FAC-2026-000012'] })
    expect(r).toEqual({ ok: false, refusal: { code: 'GUARDIAN_HAS_UNPAID_INVOICES', guardianId: 'marie', invoiceIds: ['FAC-2026-000012'] } })
  })

  it('archives a guardian with the day and reason, then unarchives them', () => {
    const s = ok(archiveGuardian(dupontFamily(), 'marie', { on: '2026-07-04', reason: 'déménagement', unpaidInvoiceIds: [] }))
    expect(s.guardians.marie!.archived).toEqual({ on: '2026-07-04', reason: 'déménagement' })
    expect(archiveGuardian(s, 'marie', { on: '2026-07-05', unpaidInvoiceIds: [] })).toEqual({ ok: false, refusal: { code: 'ALREADY_ARCHIVED', id: 'marie' } })
    const back = ok(unarchiveGuardian(s, 'marie'))
    expect(back.guardians.marie!.archived).toBeNull()
    expect(unarchiveGuardian(back, 'marie')).toEqual({ ok: false, refusal: { code: 'NOT_ARCHIVED', id: 'marie' } })
  })

  it('archives and unarchives a child', () => {
    const s = ok(archiveChild(dupontFamily(), 'tom', { on: '2026-07-04' }))
    expect(s.children.tom!.archived?.on).toBe('2026-07-04')
    expect(ok(unarchiveChild(s, 'tom')).children.tom!.archived).toBeNull()
  })

  it('refuses to link a child to an archived guardian or to move one', () => {
    const s = ok(archiveGuardian(dupontFamily(), 'marie', { on: '2026-07-04', unpaidInvoiceIds: [] }))
    expect(moveGuardian(s, 'marie', { newHousehold: { id: 'h5', name: 'X' } })).toEqual({ ok: false, refusal: { code: 'GUARDIAN_ARCHIVED', guardianId: 'marie' } })
    expect(linkChildToGuardian(s, 'tom', 'marie', 'mother')).toEqual({ ok: false, refusal: { code: 'GUARDIAN_ARCHIVED', guardianId: 'marie' } })
  })

  it("keeps an archived guardian's file read-only (seed 001: « grisée, non modifiable »): contact, insurances and criteria refused until unarchived", () => {
    const maif: Insurance = { id: 'maif', siteId: 's1', label: 'MAIF', visible: true }
    const family: Attribute = { id: 'regime', siteId: 's1', label: 'Régime', appliesTo: 'guardian', allowedValues: ['général', 'agricole'] }
    const insured = ok(setGuardianInsurance(dupontFamily(), [maif], 'marie', { insuranceId: 'maif' }))
    const s = ok(archiveGuardian(insured, 'marie', { on: '2026-07-04', unpaidInvoiceIds: [] }))
    const refusal = { ok: false, refusal: { code: 'GUARDIAN_ARCHIVED', guardianId: 'marie' } }
    expect(updateGuardianContact(s, 'marie', { email: 'marie@example.fr' })).toEqual(refusal)
    expect(setGuardianInsurance(s, [maif], 'marie', { insuranceId: 'maif', policyNumber: 'P-2' })).toEqual(refusal)
    expect(removeGuardianInsurance(s, 'marie', 'maif')).toEqual(refusal)
    expect(setAttributeValue(s, family, { kind: 'guardian', id: 'marie' }, 'agricole')).toEqual(refusal)
    // unarchived, the file can be changed again
    const back = ok(unarchiveGuardian(s, 'marie'))
    expect(ok(updateGuardianContact(back, 'marie', { email: 'marie@example.fr' })).guardians.marie!.email).toBe('marie@example.fr')
  })
})
