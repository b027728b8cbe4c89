/**
 * The back office's people use cases (issue 18): households, guardians and children, enrolments
 * and service rights, each through the library's pure directory operations applied by the
 * `changeDirectory` workflow (only the records concerned are read; the change and its audit
 * entries commit together); SEPA mandates through `defineSepaMandate` / `amendSepaMandate`.
 */
import {
  archiveChild, unarchiveChild, moveGuardian, setAdultBooking, addRule, removeGuardianInsurance, setAttributeValue, setGuardianInsurance, type MoveTarget,
  addChild, addGuardian, amendSepaMandate, EcoleError, iban as ibanCheck, createHousehold, defineSepaMandate, endEnrolment, enrol, moveChild, subscribeToService, updateGuardianContact,
  type Actor, type Child, type CustomAttribute, type DirectoryRefusal, type Guardian, type GuardianContactChanges, type GuardianInsurance, type Insurance, type LocalDate, type Relationship, type SepaMandate,
} from '@ecole/core'
import type { DirectoryRecordKind, StoragePorts } from '@ecole/core/ports'
import { changeDirectory, lockRecords, recordLockKey } from '@ecole/workflows'
import { page, readAll } from '../read-all'
import { auditDirectoryChanges, recordStaffChanges } from './staff-audit'

/**
 * Every record of a kind, read a page at a time to the end (a list or a choice that showed only
 * the first page would silently leave out a city's 101st billing office or 201st service).
 */
export function allRecords<K extends DirectoryRecordKind>(ports: Pick<StoragePorts, 'directory'>, siteId: string, kind: K) {
  return readAll((a) => ports.directory!.listDirectoryRecords(siteId, kind, page(a)))
}

/** The guardians living in a household (read by household: `searchDirectoryRecords`, indexed, never every guardian). */
export async function guardiansOf(ports: Pick<StoragePorts, 'directory'>, siteId: string, householdId: string): Promise<Guardian[]> {
  return readAll((a) => ports.directory!.searchDirectoryRecords(siteId, 'guardian', { householdId }, page(a)))
}

/** The children linked to any of the given guardians. */
export async function childrenOf(ports: Pick<StoragePorts, 'directory'>, siteId: string, guardianIds: readonly string[]): Promise<Child[]> {
  const ids = new Set(guardianIds)
  return (await allRecords(ports, siteId, 'child')).filter((c) => c.guardians.some((l) => ids.has(l.guardianId)))
}

/** "First Last" of a guardian or child. */
export function fullName(p: { firstName: string; lastName: string }): string {
  return `${p.firstName} ${p.lastName}`
}

/** What a people operation did: done (with the records written), refused by the library (nothing written). */
export type PeopleOutcome<T = object> = ({ ok: true } & T) | { ok: false; refusal: DirectoryRefusal }

const audit = auditDirectoryChanges

/** The household form (seed 001 "Comment créer un foyer ?": guardian, contact details, child or adult only, household name and address). */
export interface NewHouseholdForm {
  householdId: string
  name: string
  address: { line1?: string; postcode?: string; city?: string }
  guardian: { id: string; firstName: string; lastName: string; email?: string; phone?: string }
  child?: { newChild: { id: string; firstName: string; lastName: string; birthDate: string }; relationship: Relationship } | { existingChildId: string; relationship: Relationship } | undefined
}

/** Creates a household with its first guardian and, optionally, a new or an existing child (separated parents). */
export async function createHouseholdAs(storage: StoragePorts, actor: Actor, form: NewHouseholdForm, today: LocalDate, now: Date): Promise<PeopleOutcome<{ householdId: string }>> {
  const existing = form.child && 'existingChildId' in form.child ? [form.child.existingChildId] : []
  const r = await changeDirectory({ storage }, actor.siteId, { children: existing }, (state) =>
    createHousehold(state, {
      household: { id: form.householdId, name: form.name, address: form.address },
      guardian: form.guardian,
      child: form.child,
      today,
    }), { withChanges: audit(actor, now, 'household.created', form.householdId) })
  return r.ok ? { ok: true, householdId: r.householdId } : r
}

/** Adds a guardian to a household. */
export async function addGuardianAs(storage: StoragePorts, actor: Actor, householdId: string, guardian: { id: string; firstName: string; lastName: string; email?: string; phone?: string }, now: Date): Promise<PeopleOutcome> {
  return changeDirectory({ storage }, actor.siteId, { households: [householdId] }, (state) => addGuardian(state, householdId, guardian), { withChanges: audit(actor, now, 'guardian.added', householdId) })
}

/** Adds a new child linked to a guardian of the household. */
export async function addChildAs(storage: StoragePorts, actor: Actor, householdId: string, child: { id: string; firstName: string; lastName: string; birthDate: string; guardianId: string; relationship: Relationship }, today: LocalDate, now: Date): Promise<PeopleOutcome> {
  return changeDirectory({ storage }, actor.siteId, { guardians: [child.guardianId] }, (state) =>
    addChild(state, { id: child.id, firstName: child.firstName, lastName: child.lastName, birthDate: child.birthDate, guardians: [{ guardianId: child.guardianId, relationship: child.relationship }] }, today),
  { withChanges: audit(actor, now, 'child.added', householdId) })
}

/**
 * Changes a guardian's name and contact details; `version` is the guardian's version the form was
 * opened with (`RECORD_CHANGED`, nothing written, when someone changed the guardian since).
 */
export async function editGuardianAs(storage: StoragePorts, actor: Actor, guardianId: string, changes: GuardianContactChanges, now: Date, version?: string): Promise<PeopleOutcome> {
  const guardian = await storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', guardianId)
  return changeDirectory({ storage }, actor.siteId, { guardians: [guardianId] }, (state) => updateGuardianContact(state, guardianId, changes), {
    withChanges: audit(actor, now, 'guardian.edited', guardian?.householdId),
    ...(version ? { expected: [{ kind: 'guardian' as const, id: guardianId, version }] } : {}),
  })
}

/** Moves a child to a guardian of another household (the old household's links removed, or kept for separated parents). */
export async function moveChildAs(storage: StoragePorts, actor: Actor, args: { childId: string; fromHouseholdId: string; guardianId: string; relationship: Relationship; keepOldLinks: boolean }, now: Date): Promise<PeopleOutcome> {
  return changeDirectory({ storage }, actor.siteId, async (tx) => {
    const child = await tx.directory!.getDirectoryRecord(actor.siteId, 'child', args.childId)
    return { children: [args.childId], households: [args.fromHouseholdId], guardians: [args.guardianId, ...(child?.guardians.map((l) => l.guardianId) ?? [])] }
  }, (state) => moveChild(state, args.childId, { fromHouseholdId: args.fromHouseholdId, to: { guardianId: args.guardianId, relationship: args.relationship }, keepOldLinks: args.keepOldLinks }),
  { withChanges: audit(actor, now, 'child.moved', args.fromHouseholdId) })
}

/** Enrols a child in a school and class from a date, the site's licence limit (seed 000: maximum pupils) enforced. */
export async function enrolAs(storage: StoragePorts, actor: Actor, input: { id: string; childId: string; schoolId: string; classId: string; level?: string | undefined; from: string; to?: string | undefined }, now: Date): Promise<PeopleOutcome> {
  const site = await storage.directory!.getSite(actor.siteId)
  const maxPupils = site?.licence.maxPupils ?? null
  return changeDirectory({ storage }, actor.siteId, { schools: [input.schoolId], classes: [input.classId], children: 'all', enrolments: 'all' }, (state) =>
    enrol(state, { id: input.id, beneficiaryId: input.childId, schoolId: input.schoolId, classId: input.classId, level: input.level, from: input.from, to: input.to }, { maxPupils }),
  // every enrolment takes the one lock: the licence limit counts the pupils of the whole site
  { withChanges: audit(actor, now, 'enrolment.created', undefined), locks: ['enrolments'] })
}

/** Ends an enrolment on a day (inclusive). */
export async function endEnrolmentAs(storage: StoragePorts, actor: Actor, enrolmentId: string, to: string, now: Date): Promise<PeopleOutcome> {
  return changeDirectory({ storage }, actor.siteId, { enrolments: [enrolmentId] }, (state) => endEnrolment(state, enrolmentId, to as LocalDate), { withChanges: audit(actor, now, 'enrolment.ended', undefined), locks: ['enrolments'] })
}

/** Opens a child's rights to a service from a date (seed 001 "ouvrir les droits à une prestation"). */
export async function subscribeAs(storage: StoragePorts, actor: Actor, input: { id: string; childId: string; serviceId: string; from: string; to?: string | undefined }, now: Date): Promise<PeopleOutcome> {
  return changeDirectory({ storage }, actor.siteId, async (tx) => {
    const existing = (await readAll((a) => tx.directory!.listDirectoryRecords(actor.siteId, 'subscription', page(a)))).filter((s) => s.beneficiaryId === input.childId)
    return { children: [input.childId], services: [input.serviceId], subscriptions: existing.map((s) => s.id) }
  }, (state) => subscribeToService(state, { id: input.id, beneficiaryId: input.childId, serviceId: input.serviceId, from: input.from, to: input.to }),
  // the child's lock, taken before its subscriptions are read: two openings of the same rights at
  // once run one after the other (the second sees the first: SUBSCRIPTION_OVERLAP), and an
  // archiving of the child (which writes the child, so takes the same lock) is seen too
  { withChanges: audit(actor, now, 'subscription.created', undefined), locks: [recordLockKey({ kind: 'child', id: input.childId })] })
}

/** The SEPA mandate form: debtor data for direct-debit billing. */
export interface MandateForm {
  rum: string
  iban: string
  bic?: string | undefined
  debtorName: string
  signatureDate: string
}

/**
 * Records a guardian's SEPA mandate (debtor data for billing): a new one through
 * `defineSepaMandate`, or a change of RUM / IBAN / debtor name on the existing one through
 * `amendSepaMandate` (the next collection reports it to the bank).
 */
export async function saveMandateAs(storage: StoragePorts, actor: Actor, guardian: Guardian, form: MandateForm, today: LocalDate, now: Date): Promise<SepaMandate> {
  return storage.transaction(actor.siteId, async (tx) => {
    // the guardian's mandates locked, then read again: a direct-debit return that suspended one, or
    // a bank import that settled one, committed meanwhile is amended as it now is, not written over
    const listed = await tx.directory!.listSepaMandatesOf(actor.siteId, [guardian.id])
    await lockRecords(tx, actor.siteId, [...new Set([...listed.map((m) => m.id), `mandate-${guardian.id}`])].map((id) => ({ kind: 'sepaMandate', id })))
    const current = (await tx.directory!.listSepaMandatesOf(actor.siteId, [guardian.id])).find((m) => m.status !== 'closed')
    const iban = form.iban.replace(/\s+/g, '').toUpperCase()
    // the mandate schema checks the shape of an IBAN; its check digits are checked here, before anything is stored
    if (/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban) && !ibanCheck.isValid(iban)) throw EcoleError.invalidInput('mandate.iban', 'must be a valid IBAN: its check digits do not match')
    const mandate = current
      ? amendSepaMandate(current, { date: today, rum: form.rum, iban, debtorName: form.debtorName })
      : defineSepaMandate({ id: `mandate-${guardian.id}`, siteId: actor.siteId, debtorId: guardian.id, rum: form.rum, iban, bic: form.bic ? form.bic.toUpperCase() : null, debtorName: form.debtorName, signatureDate: form.signatureDate })
    await tx.directory!.putDirectoryRecord(actor.siteId, 'sepaMandate', mandate)
    await recordStaffChanges(tx, actor, now, [{
      action: current ? 'mandate.amended' : 'mandate.created', subject: { kind: 'guardian', id: guardian.id }, householdId: guardian.householdId,
      ...(current ? { before: { rum: current.rum, iban: current.iban, debtorName: current.debtorName } } : {}),
      after: { rum: mandate.rum, iban: mandate.iban, debtorName: mandate.debtorName },
    }])
    return mandate
  })
}

/** The current (not closed) mandate of a guardian, if any. */
export async function mandateOf(storage: StoragePorts, siteId: string, guardianId: string): Promise<SepaMandate | undefined> {
  return (await storage.directory!.listSepaMandatesOf(siteId, [guardianId])).find((m) => m.status !== 'closed')
}

/**
 * Moves a guardian to another household, or to a new one (seed 001 "déplacer un responsable";
 * parents who separate): the children linked to the guardian follow (`moveGuardian`). Reads the
 * guardian, both households, the old household's guardians (to tell when it is left empty) and
 * the guardian's children; audited as `guardian.moved`.
 */
export async function moveGuardianAs(storage: StoragePorts, actor: Actor, args: { guardianId: string; target: MoveTarget }, now: Date): Promise<PeopleOutcome<{ householdId: string; childIds: string[] }>> {
  let fromHouseholdId: string | undefined
  const r = await changeDirectory({ storage }, actor.siteId, async (tx) => {
    const guardian = await tx.directory!.getDirectoryRecord(actor.siteId, 'guardian', args.guardianId)
    fromHouseholdId = guardian?.householdId
    const housemates = guardian ? await guardiansOf(tx, actor.siteId, guardian.householdId) : []
    const children = await childrenOf(tx, actor.siteId, [args.guardianId])
    return {
      guardians: [args.guardianId, ...housemates.map((g) => g.id)],
      households: [...(guardian ? [guardian.householdId] : []), ...('householdId' in args.target ? [args.target.householdId] : [])],
      children: children.map((ch) => ch.id),
    }
  }, (state) => moveGuardian(state, args.guardianId, args.target), { withChanges: (tx, changes) => audit(actor, now, 'guardian.moved', fromHouseholdId)(tx, changes) })
  return r.ok ? { ok: true, householdId: r.householdId, childIds: r.childIds } : r
}

/** Archives (with the day and a reason) or unarchives a child (seed 001), audited; an archived child can no longer be booked. */
export async function setChildArchivedAs(storage: StoragePorts, actor: Actor, args: { childId: string; archive: boolean; on: LocalDate; reason?: string | undefined }, now: Date): Promise<PeopleOutcome> {
  return changeDirectory({ storage }, actor.siteId, { children: [args.childId] }, (state) =>
    args.archive ? archiveChild(state, args.childId, { on: args.on, reason: args.reason }) : unarchiveChild(state, args.childId),
  { withChanges: audit(actor, now, args.archive ? 'child.archived' : 'child.unarchived', undefined) })
}

/**
 * Enrols an adult for their own meals (seed 001 "inscrire un adulte à un repas"): their own
 * bookings switched on (`setAdultBooking`), an enrolment in an adult class (`enrol`, kind adult),
 * the rights to the service (`subscribeToService`), and a billing rule on themself (`addRule`: the
 * adult pays their own meals), all in one transaction, audited `adult.enrolled`.
 */
export async function enrolAdultAs(
  storage: StoragePorts, actor: Actor,
  input: { guardianId: string; schoolId: string; classId: string; serviceId: string; from: string; enrolmentId: string; subscriptionId: string; ruleId: string },
  now: Date,
): Promise<PeopleOutcome> {
  return changeDirectory({ storage }, actor.siteId, async (tx) => {
    const own = (await readAll((a) => tx.directory!.listDirectoryRecords(actor.siteId, 'subscription', page(a)))).filter((x) => x.beneficiaryId === input.guardianId)
    return { guardians: [input.guardianId], schools: [input.schoolId], classes: [input.classId], services: [input.serviceId], enrolments: 'all', subscriptions: own.map((x) => x.id) }
  }, (state) => {
    const enabled = setAdultBooking(state, input.guardianId, true)
    if (!enabled.ok) return enabled
    const enrolled = enrol(enabled.state, { id: input.enrolmentId, beneficiaryId: input.guardianId, beneficiaryKind: 'adult', schoolId: input.schoolId, classId: input.classId, from: input.from }, { maxPupils: null })
    if (!enrolled.ok) return enrolled
    return subscribeToService(enrolled.state, { id: input.subscriptionId, beneficiaryId: input.guardianId, serviceId: input.serviceId, from: input.from })
  }, {
    locks: ['enrolments'],
    withChanges: async (tx, changes) => {
      // the rule on themself, in the same transaction as the directory change
      const { rules } = addRule([], { id: input.ruleId, from: input.from, criterion: { kind: 'always' }, payers: [{ guardianId: input.guardianId, weight: 1 }], covers: [{ beneficiaryId: input.guardianId, serviceId: input.serviceId }] })
      await tx.directory!.putDirectoryRecord(actor.siteId, 'billingRule', rules[0]!)
      await audit(actor, now, 'adult.enrolled', undefined)(tx, changes)
    },
  })
}

/** What the insurance form of a guardian's file sends: an insurance of the site's list, a policy number, a last day covered. */
export interface GuardianInsuranceForm {
  insuranceId: string
  policyNumber?: string | undefined
  validUntil?: string | undefined
}

/**
 * Adds (or replaces) an insurance on a guardian's file (seed 001: the site's visible insurances are
 * offered "au moment de l'ajouter sur la fiche d'un responsable"), audited `guardian.insuranceSet`.
 * The insurance's lock is taken before it is read, the lock its deletion and its hiding take too
 * ({@link insuranceHolders}): an insurance deleted or hidden meanwhile is refused (`NOT_FOUND`,
 * `INSURANCE_HIDDEN`), never stored on a file while the list no longer has it.
 */
export async function setGuardianInsuranceAs(storage: StoragePorts, actor: Actor, guardianId: string, form: GuardianInsuranceForm, now: Date): Promise<PeopleOutcome<{ insurance: GuardianInsurance }>> {
  // an insurance that is not on the list is refused before any lock: a lock is a row of the
  // counter port, and a made-up id must not leave one behind
  if (!(await storage.directory!.getDirectoryRecord(actor.siteId, 'insurance', form.insuranceId))) {
    throw new EcoleError('NOT_FOUND', `insurance ${JSON.stringify(form.insuranceId)} is not in this directory`, { details: { what: 'insurance', id: form.insuranceId } })
  }
  let offered: Insurance | undefined
  const r = await changeDirectory({ storage }, actor.siteId, async (tx) => {
    offered = await tx.directory!.getDirectoryRecord(actor.siteId, 'insurance', form.insuranceId)
    return { guardians: [guardianId] }
  }, (state) => setGuardianInsurance(state, offered ? [offered] : [], guardianId, { insuranceId: form.insuranceId, policyNumber: form.policyNumber, validUntil: form.validUntil }),
  { withChanges: audit(actor, now, 'guardian.insuranceSet', undefined), locks: [recordLockKey({ kind: 'insurance', id: form.insuranceId })] })
  if (!r.ok) return r
  const insurance = r.state.guardians[guardianId]!.insurances.find((i) => i.insuranceId === form.insuranceId)!
  return { ok: true, insurance }
}

/** Removes an insurance from a guardian's file, audited `guardian.insuranceRemoved`; `removed` is false (nothing written) when the file did not have it. */
export async function removeGuardianInsuranceAs(storage: StoragePorts, actor: Actor, guardianId: string, insuranceId: string, now: Date): Promise<PeopleOutcome<{ removed: boolean }>> {
  const r = await changeDirectory({ storage }, actor.siteId, { guardians: [guardianId] }, (state) => removeGuardianInsurance(state, guardianId, insuranceId),
    { withChanges: audit(actor, now, 'guardian.insuranceRemoved', undefined) })
  return r.ok ? { ok: true, removed: r.changes.length > 0 } : r
}

/**
 * The guardians whose file has an insurance. The insurance's deletion reads them inside its
 * transaction, after taking the insurance's lock (`checkRecordVersion`): a guardian given the
 * insurance by {@link setGuardianInsuranceAs} at the same moment is either seen there or refused
 * here, so an insurance still on a file is never deleted.
 */
export async function insuranceHolders(tx: Pick<StoragePorts, 'directory'>, siteId: string, insuranceId: string): Promise<Guardian[]> {
  return (await allRecords(tx, siteId, 'guardian')).filter((g) => g.insurances.some((i) => i.insuranceId === insuranceId))
}

/**
 * Sets a child's or a guardian's criteria (seed 001: the site's criteria, "s'il s'applique aux
 * enfants ou responsables ainsi que les valeurs possibles"): `values` maps a criterion's id to one
 * of its allowed values, or `null` to clear it; a criterion not named is left as stored, and one
 * named with the value already stored is not written (a value the criterion no longer offers stays
 * until changed). Each criterion named is locked before it is read, the lock its edit and its
 * deletion take: a value taken off the criterion's list meanwhile is refused
 * (`ATTRIBUTE_VALUE_NOT_ALLOWED`), a criterion deleted meanwhile is `NOT_FOUND`; nothing is written
 * then. Audited `person.criteriaSet`.
 */
export async function setCriteriaAs(storage: StoragePorts, actor: Actor, person: { kind: 'child' | 'guardian'; id: string }, values: Readonly<Record<string, string | null>>, now: Date): Promise<PeopleOutcome> {
  // only criteria that exist are locked (a lock is a row of the counter port: a made-up id must not
  // leave one behind); clearing the value of a criterion deleted since needs no check, one set to a
  // value is refused (`NOT_FOUND`)
  const existing = new Set((await allRecords(storage, actor.siteId, 'customAttribute')).map((a) => a.id))
  const ids: string[] = []
  for (const id of Object.keys(values).sort()) {
    if (existing.has(id)) ids.push(id)
    else if (values[id] !== null) throw new EcoleError('NOT_FOUND', `customAttribute ${JSON.stringify(id)} is not in this directory`, { details: { what: 'customAttribute', id } })
  }
  const attributes = new Map<string, CustomAttribute>()
  return changeDirectory({ storage }, actor.siteId, async (tx) => {
    attributes.clear()
    for (const id of ids) {
      const attribute = await tx.directory!.getDirectoryRecord(actor.siteId, 'customAttribute', id)
      if (attribute) attributes.set(id, attribute)
    }
    return person.kind === 'child' ? { children: [person.id] } : { guardians: [person.id] }
  }, (state) => {
    let current = state
    const stored = person.kind === 'child' ? state.children[person.id]?.attributes : state.guardians[person.id]?.attributes
    if (!stored) throw new EcoleError('NOT_FOUND', `${person.kind} ${JSON.stringify(person.id)} is not in this directory`, { details: { what: person.kind, id: person.id } })
    for (const id of ids) {
      const value = values[id] ?? null
      if ((stored[id] ?? null) === value) continue
      const attribute = attributes.get(id)
      if (!attribute) throw new EcoleError('NOT_FOUND', `customAttribute ${JSON.stringify(id)} is not in this directory`, { details: { what: 'customAttribute', id } })
      const r = setAttributeValue(current, attribute, person, value)
      if (!r.ok) return r
      current = r.state
    }
    return { ok: true, state: current }
  }, { withChanges: audit(actor, now, 'person.criteriaSet', undefined), locks: ids.map((id) => recordLockKey({ kind: 'customAttribute', id })) })
}
