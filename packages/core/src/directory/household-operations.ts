import { parseInput } from '../errors'
import type { LocalDate } from '../time'
import { asInputError } from '../input-error'
import { childSchemaAsOf, type Child, type ChildInput } from './child'
import { assertNew, getRecord, refuse, type DirectoryOutcome, type DirectoryState } from './directory-state'
import { GuardianSchema, type Guardian, type GuardianInput, type Relationship } from './guardian'
import { HouseholdSchema, type Household, type HouseholdInput } from './household'

/** A new child as the household or child form sends it (the site and the guardian links are added by the operation). */
export type NewChildInput = Omit<ChildInput, 'siteId' | 'guardians'>
/** A new guardian as the form sends it (the site and household are added by the operation). */
export type NewGuardianInput = Omit<GuardianInput, 'siteId' | 'householdId'>
/** A new household as the form sends it (the site is added by the operation). */
export type NewHouseholdInput = Omit<HouseholdInput, 'siteId'>

/** The child step of household creation: a new child, an existing one (separated parents), or none (an adult only). */
export type HouseholdChildStep =
  | { newChild: NewChildInput; relationship: Relationship }
  | { existingChildId: string; relationship: Relationship }

/** Arguments of {@link createHousehold}. */
export interface CreateHouseholdArgs {
  /** Name and postal address of the household. */
  household: NewHouseholdInput
  /** Its first guardian. */
  guardian: NewGuardianInput
  /** The child step; absent to add only an adult (a teacher or a helper). */
  child?: HouseholdChildStep | undefined
  /** The site's today (a new child's birth date must not be after it). */
  today: LocalDate
}

/**
 * Creates a household with its first guardian and, optionally, a child: a new one, or one already
 * registered (the second household of separated parents, whose child then belongs to both).
 *
 * @example
 * const r = createHousehold(emptyDirectory('s1'), {
 *   household: { id: 'h1', name: 'Famille Dupont' },
 *   guardian: { id: 'g1', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' },
 *   child: { newChild: { id: 'c1', firstName: 'Léa', lastName: 'Dupont', birthDate: '2019-05-14' }, relationship: 'mother' },
 *   today: '2026-09-01',
 * })
 * r.ok && householdMembers(r.state, 'h1').children.map((c) => c.id) //=> ['c1']
 * @throws EcoleError `INVALID_INPUT` naming the field, `DUPLICATE_ID`, or `NOT_FOUND` for an unknown existing child.
 */
export function createHousehold(state: DirectoryState, args: CreateHouseholdArgs): DirectoryOutcome<{ householdId: string; guardianId: string; childId?: string }> {
  try {
    const household = parseInput(HouseholdSchema, { ...args.household, siteId: state.siteId }, 'household')
    assertNew(state.households, household.id, 'household')
    const guardian = parseInput(GuardianSchema, { ...args.guardian, siteId: state.siteId, householdId: household.id }, 'guardian')
    assertNew(state.guardians, guardian.id, 'guardian')
    let next: DirectoryState = {
      ...state,
      households: { ...state.households, [household.id]: household },
      guardians: { ...state.guardians, [guardian.id]: guardian },
    }
    const step = args.child
    if (step === undefined) return { ok: true, state: next, householdId: household.id, guardianId: guardian.id }
    if ('newChild' in step) {
      const child = parseInput(
        childSchemaAsOf(args.today),
        { ...step.newChild, siteId: state.siteId, guardians: [{ guardianId: guardian.id, relationship: step.relationship }] },
        'child',
      )
      assertNew(state.children, child.id, 'child')
      next = { ...next, children: { ...next.children, [child.id]: child } }
      return { ok: true, state: next, householdId: household.id, guardianId: guardian.id, childId: child.id }
    }
    const child = getRecord(state.children, step.existingChildId, 'child')
    const linked: Child = { ...child, guardians: [...child.guardians, { guardianId: guardian.id, relationship: step.relationship }] }
    next = { ...next, children: { ...next.children, [child.id]: linked } }
    return { ok: true, state: next, householdId: household.id, guardianId: guardian.id, childId: child.id }
  } catch (error) {
    throw asInputError(error, 'createHousehold', {
      state: [state, 'object', 'the directory state'],
      args: [args, 'object', 'the new household ({ household, guardian, child?, today })'],
    })
  }
}

/**
 * Adds a guardian to an existing household.
 *
 * @example
 * addGuardian(state, 'h1', { id: 'g2', firstName: 'Paul', lastName: 'Dupont' })
 * @throws EcoleError `INVALID_INPUT`, `DUPLICATE_ID`, or `NOT_FOUND` for an unknown household.
 */
export function addGuardian(state: DirectoryState, householdId: string, input: NewGuardianInput): DirectoryOutcome<{ guardianId: string }> {
  try {
    getRecord(state.households, householdId, 'household')
    const guardian = parseInput(GuardianSchema, { ...input, siteId: state.siteId, householdId }, 'guardian')
    assertNew(state.guardians, guardian.id, 'guardian')
    return { ok: true, state: { ...state, guardians: { ...state.guardians, [guardian.id]: guardian } }, guardianId: guardian.id }
  } catch (error) {
    throw asInputError(error, 'addGuardian', {
      state: [state, 'object', 'the directory state'],
      householdId: [householdId, 'string'],
      input: [input, 'object', 'a new guardian'],
    })
  }
}

/**
 * Adds a new child linked to one or more existing guardians (seed 001: identify the child, then
 * find their guardian and give the relationship). Refused when a guardian is archived.
 *
 * @example
 * addChild(state, { id: 'c2', firstName: 'Tom', lastName: 'Dupont', birthDate: '2021-02-03', guardians: [{ guardianId: 'g1', relationship: 'mother' }] }, '2026-09-01')
 * @throws EcoleError `INVALID_INPUT` (birth date after `today`...), `DUPLICATE_ID`, `NOT_FOUND`.
 */
export function addChild(state: DirectoryState, input: Omit<ChildInput, 'siteId'>, today: LocalDate): DirectoryOutcome<{ childId: string }> {
  try {
    const child = parseInput(childSchemaAsOf(today), { ...input, siteId: state.siteId }, 'child')
    assertNew(state.children, child.id, 'child')
    for (const link of child.guardians) {
      const guardian = getRecord(state.guardians, link.guardianId, 'guardian')
      if (guardian.archived !== null) return refuse({ code: 'GUARDIAN_ARCHIVED', guardianId: guardian.id })
    }
    return { ok: true, state: { ...state, children: { ...state.children, [child.id]: child } }, childId: child.id }
  } catch (error) {
    throw asInputError(error, 'addChild', {
      state: [state, 'object', 'the directory state'],
      input: [input, 'object', 'a new child'],
      today: [today, 'date', "the site's today"],
    })
  }
}

/**
 * Links an existing child to another guardian with a relationship (separated parents: the child
 * then belongs to both households).
 *
 * @example
 * linkChildToGuardian(state, 'c1', 'g2', 'father')
 * @throws EcoleError `NOT_FOUND` for an unknown child or guardian, `INVALID_INPUT` when an argument is not of its type.
 */
export function linkChildToGuardian(state: DirectoryState, childId: string, guardianId: string, relationship: Relationship): DirectoryOutcome {
  try {
    const child = getRecord(state.children, childId, 'child')
    const guardian = getRecord(state.guardians, guardianId, 'guardian')
    if (guardian.archived !== null) return refuse({ code: 'GUARDIAN_ARCHIVED', guardianId })
    if (child.guardians.some((l) => l.guardianId === guardianId)) return refuse({ code: 'ALREADY_LINKED', childId, guardianId })
    const linked: Child = { ...child, guardians: [...child.guardians, { guardianId, relationship }] }
    return { ok: true, state: { ...state, children: { ...state.children, [childId]: linked } } }
  } catch (error) {
    throw asInputError(error, 'linkChildToGuardian', {
      state: [state, 'object', 'the directory state'],
      childId: [childId, 'string'],
      guardianId: [guardianId, 'string'],
      relationship: [relationship, 'string', 'a relationship'],
    })
  }
}

/**
 * Removes a child's link to a guardian; refused for the child's last guardian (a child always has one).
 *
 * @example
 * unlinkChildFromGuardian(state, 'c1', 'g2')
 * @throws EcoleError `NOT_FOUND` for an unknown child, `INVALID_INPUT` when an argument is not of its type.
 */
export function unlinkChildFromGuardian(state: DirectoryState, childId: string, guardianId: string): DirectoryOutcome {
  try {
    const child = getRecord(state.children, childId, 'child')
    if (!child.guardians.some((l) => l.guardianId === guardianId)) return { ok: true, state }
    if (child.guardians.length === 1) return refuse({ code: 'LAST_GUARDIAN', childId, guardianId })
    const unlinked: Child = { ...child, guardians: child.guardians.filter((l) => l.guardianId !== guardianId) }
    return { ok: true, state: { ...state, children: { ...state.children, [childId]: unlinked } } }
  } catch (error) {
    throw asInputError(error, 'unlinkChildFromGuardian', {
      state: [state, 'object', 'the directory state'],
      childId: [childId, 'string'],
      guardianId: [guardianId, 'string'],
    })
  }
}

/** Where {@link moveGuardian} moves a guardian: an existing household, or a new one created on the way. */
export type MoveTarget = { householdId: string } | { newHousehold: NewHouseholdInput }

/**
 * Moves a guardian to another household (an existing one, or a new one: parents who separate).
 * The children linked to the guardian follow: they now belong to the new household too (and stay
 * in the old one while another of their guardians lives there). Reports the children that
 * followed and the old household when it is left with no guardian.
 *
 * @example
 * const r = moveGuardian(state, 'g2', { newHousehold: { id: 'h2', name: 'Famille Martin', address: { city: 'Lyon' } } })
 * r.ok && r.childIds //=> ['c1']
 * r.ok && householdsOfChild(r.state, 'c1') //=> ['h1', 'h2']
 * @throws EcoleError `NOT_FOUND` for an unknown guardian or household, `INVALID_INPUT` for a bad new household.
 */
export function moveGuardian(
  state: DirectoryState,
  guardianId: string,
  target: MoveTarget,
): DirectoryOutcome<{ householdId: string; childIds: string[]; emptiedHouseholdId?: string }> {
  try {
    const guardian = getRecord(state.guardians, guardianId, 'guardian')
    if (guardian.archived !== null) return refuse({ code: 'GUARDIAN_ARCHIVED', guardianId })
    let households = state.households
    let householdId: string
    if ('householdId' in target) {
      getRecord(state.households, target.householdId, 'household')
      if (target.householdId === guardian.householdId) return refuse({ code: 'SAME_HOUSEHOLD', guardianId, householdId: target.householdId })
      householdId = target.householdId
    } else {
      const created = parseInput(HouseholdSchema, { ...target.newHousehold, siteId: state.siteId }, 'newHousehold')
      assertNew(state.households, created.id, 'household')
      households = { ...households, [created.id]: created }
      householdId = created.id
    }
    const moved: Guardian = { ...guardian, householdId }
    const guardians = { ...state.guardians, [guardianId]: moved }
    const next: DirectoryState = { ...state, households, guardians }
    const childIds = Object.values(state.children)
      .filter((c) => c.guardians.some((l) => l.guardianId === guardianId))
      .map((c) => c.id)
      .sort()
    const oldStillHasGuardian = Object.values(guardians).some((g) => g.householdId === guardian.householdId)
    return oldStillHasGuardian
      ? { ok: true, state: next, householdId, childIds }
      : { ok: true, state: next, householdId, childIds, emptiedHouseholdId: guardian.householdId }
  } catch (error) {
    throw asInputError(error, 'moveGuardian', {
      state: [state, 'object', 'the directory state'],
      guardianId: [guardianId, 'string'],
      target: [target, 'object', 'the target ({ householdId } or { newHousehold })'],
    })
  }
}

/**
 * Renames a household.
 *
 * @example
 * renameHousehold(state, 'h1', 'Famille Dupont-Martin')
 * @throws EcoleError `NOT_FOUND`, or `INVALID_INPUT` for an empty name.
 */
export function renameHousehold(state: DirectoryState, householdId: string, name: string): DirectoryOutcome {
  try {
    const household = getRecord(state.households, householdId, 'household')
    const renamed: Household = parseInput(HouseholdSchema, { ...household, name }, 'household')
    return { ok: true, state: { ...state, households: { ...state.households, [householdId]: renamed } } }
  } catch (error) {
    throw asInputError(error, 'renameHousehold', {
      state: [state, 'object', 'the directory state'],
      householdId: [householdId, 'string'],
      name: [name, 'string'],
    })
  }
}

/**
 * The contact details of a guardian a back office edits (seed 001: the guardian's file).
 *
 * @example
 * const changes: GuardianContactChanges = { email: 'marie@example.fr', mobile: '' }
 */
export type GuardianContactChanges = Partial<Pick<NewGuardianInput, 'firstName' | 'lastName' | 'email' | 'phone' | 'mobile'>>

/**
 * Changes a guardian's name and contact details (fields left out keep their value; an empty
 * e-mail or phone removes it), validated with {@link GuardianSchema}. Refused with
 * `GUARDIAN_ARCHIVED` for an archived guardian (their file is read-only until unarchived).
 *
 * @example
 * updateGuardianContact(state, 'g1', { email: 'marie.dupont@example.fr', mobile: '06 12 34 56 78' })
 * @throws EcoleError `NOT_FOUND`, or `INVALID_INPUT` naming the field (`guardian.email`...).
 */
export function updateGuardianContact(state: DirectoryState, guardianId: string, changes: GuardianContactChanges): DirectoryOutcome<{ guardian: Guardian }> {
  try {
    const guardian = getRecord(state.guardians, guardianId, 'guardian')
    // an archived guardian's file is read-only (seed 001: « grisée, non modifiable »): unarchive first
    if (guardian.archived !== null) return refuse({ code: 'GUARDIAN_ARCHIVED', guardianId })
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined))
    const updated: Guardian = parseInput(GuardianSchema, { ...guardian, ...defined }, 'guardian')
    return { ok: true, state: { ...state, guardians: { ...state.guardians, [guardianId]: updated } }, guardian: updated }
  } catch (error) {
    throw asInputError(error, 'updateGuardianContact', {
      state: [state, 'object', 'the directory state'],
      guardianId: [guardianId, 'string'],
      changes: [changes, 'object', 'the contact changes'],
    })
  }
}

/**
 * Moves a child to another household: the child is linked to `to.guardianId` (a guardian of the
 * other household) with a relationship, and its links to the guardians living in
 * `fromHouseholdId` are removed (seed 001: a child changes family). With `keepOldLinks` the old
 * links stay (separated parents: the child then belongs to both households). Refused with
 * `SAME_HOUSEHOLD` when the guardian lives in `fromHouseholdId`, `ALREADY_LINKED` when the child is
 * already theirs, `GUARDIAN_ARCHIVED` for an archived guardian.
 *
 * @example
 * const r = moveChild(state, 'lea', { fromHouseholdId: 'h1', to: { guardianId: 'paul', relationship: 'father' } })
 * r.ok && householdsOfChild(r.state, 'lea') //=> ['h2']
 * @throws EcoleError `NOT_FOUND` for an unknown child, guardian or household, `INVALID_INPUT` when an argument is not of its type.
 */
export function moveChild(
  state: DirectoryState,
  childId: string,
  args: { fromHouseholdId: string; to: { guardianId: string; relationship: Relationship }; keepOldLinks?: boolean | undefined },
): DirectoryOutcome<{ child: Child; unlinkedGuardianIds: string[] }> {
  try {
    const child = getRecord(state.children, childId, 'child')
    getRecord(state.households, args.fromHouseholdId, 'household')
    const target = getRecord(state.guardians, args.to.guardianId, 'guardian')
    if (target.householdId === args.fromHouseholdId) return refuse({ code: 'SAME_HOUSEHOLD', guardianId: target.id, householdId: args.fromHouseholdId })
    if (target.archived !== null) return refuse({ code: 'GUARDIAN_ARCHIVED', guardianId: target.id })
    if (child.guardians.some((l) => l.guardianId === target.id)) return refuse({ code: 'ALREADY_LINKED', childId, guardianId: target.id })
    const unlinked = args.keepOldLinks
      ? []
      : child.guardians.filter((l) => state.guardians[l.guardianId]?.householdId === args.fromHouseholdId).map((l) => l.guardianId)
    const moved: Child = {
      ...child,
      guardians: [...child.guardians.filter((l) => !unlinked.includes(l.guardianId)), { guardianId: target.id, relationship: args.to.relationship }],
    }
    return { ok: true, state: { ...state, children: { ...state.children, [childId]: moved } }, child: moved, unlinkedGuardianIds: unlinked }
  } catch (error) {
    throw asInputError(error, 'moveChild', {
      state: [state, 'object', 'the directory state'],
      childId: [childId, 'string'],
      args: [args, 'object', 'the move ({ fromHouseholdId, to, keepOldLinks? })'],
    })
  }
}

/**
 * The guardians living in a household and the children linked to any of them.
 *
 * @example
 * householdMembers(state, 'h1') //=> { guardians: [Marie], children: [Léa] }
 */
export function householdMembers(state: DirectoryState, householdId: string): { guardians: Guardian[]; children: Child[] } {
  try {
    const guardians = Object.values(state.guardians).filter((g) => g.householdId === householdId)
    const ids = new Set(guardians.map((g) => g.id))
    const children = Object.values(state.children).filter((c) => c.guardians.some((l) => ids.has(l.guardianId)))
    return { guardians, children }
  } catch (error) {
    throw asInputError(error, 'householdMembers', { state: [state, 'object', 'the directory state'], householdId: [householdId, 'string'] })
  }
}

/**
 * The households a child belongs to: those of its guardians, sorted (two for separated parents).
 *
 * @example
 * householdsOfChild(state, 'c1') //=> ['h1', 'h2']
 */
export function householdsOfChild(state: DirectoryState, childId: string): string[] {
  try {
    const child = getRecord(state.children, childId, 'child')
    const ids = new Set<string>()
    for (const link of child.guardians) {
      const g = state.guardians[link.guardianId]
      if (g) ids.add(g.householdId)
    }
    return [...ids].sort()
  } catch (error) {
    throw asInputError(error, 'householdsOfChild', { state: [state, 'object', 'the directory state'], childId: [childId, 'string'] })
  }
}
