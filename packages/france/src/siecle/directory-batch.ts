import {
  addChild, addGuardian, createHousehold, endEnrolment, enrol, linkChildToGuardian, rangesOverlap,
  type Child, type ChildInput, type CreateHouseholdArgs, type DirectoryOutcome, type DirectoryState, type Enrolment, type EnrolmentInput,
  type Guardian, type Household, type LocalDate, type NewGuardianInput, type Relationship,
} from '@ecole/core'

type Table<T> = Record<string, T>

/** The records of a table named by `ids` (those that exist): the view a directory operation reads. */
function pick<T>(table: Table<T>, ids: readonly string[]): Table<T> {
  const out: Table<T> = {}
  for (const id of ids) {
    const r = table[id]
    if (r !== undefined) out[id] = r
  }
  return out
}

/**
 * Many directory operations of `@ecole/core` carried out one after another on a large directory
 * (an import of thousands of pupils), in time linear in their number.
 *
 * Each core operation returns a new state whose changed tables are copies, and `enrol` reads
 * every enrolment of the site (overlaps, the licence's pupils): called N times on the whole
 * directory, that is O(N²). Here each operation runs on a view holding only the records it
 * reads (the record itself, the guardians it links, the enrolments of the same person), with the
 * same checks and refusals, and what it writes is kept in tables owned by the batch. The pupils
 * counted against the licence (`countPupils` of core: children not archived with an enrolment
 * sharing a day with the period) are kept as a set, for enrolments that all open on the same day.
 * Internal to the SIECLE import.
 *
 * @example
 * const batch = new DirectoryBatch(state, '2026-09-01')
 * batch.addChild({ id: 'c1', firstName: 'Léa', lastName: 'Martin', birthDate: '2014-05-14', guardians: [{ guardianId: 'g1', relationship: 'mother' }] }, '2026-09-01')
 * batch.enrol({ id: 'e1', beneficiaryId: 'c1', schoolId: 'clg', classId: '6A', from: '2026-09-01' }, { maxPupils: 600 })
 * const next = batch.state()
 */
export class DirectoryBatch {
  private readonly households: Table<Household>
  private readonly guardians: Table<Guardian>
  private readonly children: Table<Child>
  private readonly enrolments: Table<Enrolment>
  /** Enrolment ids by the person enrolled. */
  private readonly enrolmentIdsOf = new Map<string, string[]>()
  /** The children counted against the licence over [from, open). */
  private readonly pupils = new Set<string>()

  constructor(
    private readonly base: DirectoryState,
    /** The day the batch's enrolments open (the licence is counted from it). */
    private readonly from: LocalDate,
  ) {
    this.households = { ...base.households }
    this.guardians = { ...base.guardians }
    this.children = { ...base.children }
    this.enrolments = { ...base.enrolments }
    for (const e of Object.values(base.enrolments)) this.index(e)
    for (const id of this.enrolmentIdsOf.keys()) this.recount(id)
  }

  /** The directory as it now is. */
  state(): DirectoryState {
    return { ...this.base, households: this.households, guardians: this.guardians, children: this.children, enrolments: this.enrolments }
  }

  private view(tables: Partial<Pick<DirectoryState, 'households' | 'guardians' | 'children' | 'enrolments'>>): DirectoryState {
    return { ...this.base, households: {}, guardians: {}, children: {}, enrolments: {}, ...tables }
  }

  private index(e: Enrolment): void {
    const ids = this.enrolmentIdsOf.get(e.beneficiaryId)
    if (ids === undefined) this.enrolmentIdsOf.set(e.beneficiaryId, [e.id])
    else if (!ids.includes(e.id)) ids.push(e.id)
  }

  /** Whether a child counts against the licence from `from`, as core's `countPupils` says. */
  private recount(beneficiaryId: string): void {
    const child = this.children[beneficiaryId]
    const counted = child !== undefined && child.archived === null
      && this.enrolmentsOf(beneficiaryId).some((e) => e.beneficiaryKind === 'child' && rangesOverlap(e, { from: this.from }))
    if (counted) this.pupils.add(beneficiaryId)
    else this.pupils.delete(beneficiaryId)
  }

  /** The enrolments of a person. */
  enrolmentsOf(beneficiaryId: string): Enrolment[] {
    return (this.enrolmentIdsOf.get(beneficiaryId) ?? []).map((id) => this.enrolments[id]!)
  }

  /** The enrolment of a person covering a day (core's `enrolmentOn`). */
  enrolmentOn(beneficiaryId: string, date: LocalDate): Enrolment | undefined {
    return this.enrolmentsOf(beneficiaryId).find((e) => rangesOverlap(e, { from: date, to: date }))
  }

  child(id: string): Child | undefined {
    return this.children[id]
  }

  household(id: string): Household | undefined {
    return this.households[id]
  }

  guardian(id: string): Guardian | undefined {
    return this.guardians[id]
  }

  /** Replaces a record already validated by its schema (a guardian's contact, a child's INE, an enrolment's class). */
  put(kind: 'guardian', record: Guardian): void
  put(kind: 'child', record: Child): void
  put(kind: 'enrolment', record: Enrolment): void
  put(kind: 'guardian' | 'child' | 'enrolment', record: Guardian | Child | Enrolment): void {
    if (kind === 'guardian') this.guardians[record.id] = record as Guardian
    else if (kind === 'child') this.children[record.id] = record as Child
    else {
      this.enrolments[record.id] = record as Enrolment
      this.index(record as Enrolment)
      this.recount((record as Enrolment).beneficiaryId)
    }
  }

  /** Core's `createHousehold` (without its child step). */
  createHousehold(args: Omit<CreateHouseholdArgs, 'child'>): DirectoryOutcome {
    const hid = args.household.id
    const gid = args.guardian.id
    const r = createHousehold(this.view({ households: pick(this.households, [hid]), guardians: pick(this.guardians, [gid]) }), args)
    if (!r.ok) return r
    this.households[hid] = r.state.households[hid]!
    this.guardians[gid] = r.state.guardians[gid]!
    return { ok: true, state: r.state }
  }

  /** Core's `addGuardian`. */
  addGuardian(householdId: string, input: NewGuardianInput): DirectoryOutcome {
    const r = addGuardian(this.view({ households: pick(this.households, [householdId]), guardians: pick(this.guardians, [input.id]) }), householdId, input)
    if (!r.ok) return r
    this.guardians[input.id] = r.state.guardians[input.id]!
    return { ok: true, state: r.state }
  }

  /** Core's `addChild`. */
  addChild(input: Omit<ChildInput, 'siteId'>, today: LocalDate): DirectoryOutcome {
    const linked = Array.isArray(input.guardians) ? input.guardians.map((g) => g.guardianId) : []
    const r = addChild(this.view({ children: pick(this.children, [input.id]), guardians: pick(this.guardians, linked) }), input, today)
    if (!r.ok) return r
    this.children[input.id] = r.state.children[input.id]!
    this.recount(input.id)
    return { ok: true, state: r.state }
  }

  /** Core's `linkChildToGuardian`. */
  linkChildToGuardian(childId: string, guardianId: string, relationship: Relationship): DirectoryOutcome {
    const r = linkChildToGuardian(this.view({ children: pick(this.children, [childId]), guardians: pick(this.guardians, [guardianId]) }), childId, guardianId, relationship)
    if (!r.ok) return r
    this.children[childId] = r.state.children[childId]!
    return r
  }

  /** Core's `endEnrolment`. */
  endEnrolment(enrolmentId: string, to: LocalDate): DirectoryOutcome {
    const r = endEnrolment(this.view({ enrolments: pick(this.enrolments, [enrolmentId]) }), enrolmentId, to)
    if (!r.ok) return r
    this.put('enrolment', r.state.enrolments[enrolmentId]!)
    return r
  }

  /**
   * Core's `enrol`, for an open enrolment from the batch's day: its checks on the person's own
   * enrolments, then the licence's (a new pupil is refused with `LICENCE_LIMIT` when `maxPupils`
   * children are already counted from that day).
   */
  enrol(input: Omit<EnrolmentInput, 'siteId'> & { from: LocalDate }, options: { maxPupils: number | null }): DirectoryOutcome {
    if (input.from !== this.from || input.to != null) throw new Error(`DirectoryBatch.enrol: only open enrolments from ${this.from}`)
    const own = [...(this.enrolmentIdsOf.get(input.beneficiaryId) ?? []), input.id]
    const view = this.view({ enrolments: pick(this.enrolments, own), children: pick(this.children, [input.beneficiaryId]), guardians: pick(this.guardians, [input.beneficiaryId]) })
    const r = enrol(view, input, { maxPupils: null })
    if (!r.ok) return r
    const made = r.state.enrolments[input.id]!
    if (made.beneficiaryKind === 'child' && options.maxPupils !== null && !this.pupils.has(made.beneficiaryId) && this.pupils.size >= options.maxPupils) {
      return { ok: false, refusal: { code: 'LICENCE_LIMIT', maxPupils: options.maxPupils, pupils: this.pupils.size } }
    }
    this.put('enrolment', made)
    return r
  }
}
