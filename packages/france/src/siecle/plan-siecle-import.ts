import {
  asInputError, EcoleError, GuardianSchema, addChild, addGuardian, createHousehold, createSchool, createSchoolClass, endEnrolment, enrol, enrolmentOn,
  ine as ineCode, linkChildToGuardian, EmailSchema, PhoneSchema, ChildSchema,
  type Child, type DirectoryOutcome, type DirectoryState, type Guardian, type LocalDate, type Relationship,
} from '@ecole/core'
import type { SieclePerson, SiecleExport } from './siecle-export'

/**
 * What an import does to one record: creates it, updates it, or leaves it alone; `skipped` for a
 * pupil that cannot be imported (see its `reason`).
 *
 * @example
 * const a: SiecleAction = 'unchanged'
 */
export type SiecleAction = 'create' | 'update' | 'unchanged' | 'skipped'

/**
 * One line of the pupil-data transfer log (seed 003, "Visualiser les transferts effectués"): a pupil
 * received from another establishment, or sent to one, on a date. Only pupils with an INE appear.
 *
 * @example
 * const e: PupilTransferLogEntry = { direction: 'received', childId: 'c1', ine: '070803070AJ', date: '2026-09-01', otherUai: '0750001A' }
 */
export interface PupilTransferLogEntry {
  /** Received from, or sent to, the other establishment. */
  direction: 'received' | 'sent'
  /** The child in the directory. */
  childId: string
  /** Its INE. */
  ine: string
  /** Day of arrival or departure. */
  date: LocalDate
  /** UAI of the establishment on the other side, when SIECLE names it. */
  otherUai: string | undefined
}

/**
 * The preview of a SIECLE import: what will be created, updated or left alone, the pupils listed
 * because they have no INE, what could not be read, and the transfer log (when the school's pupil
 * transfer is switched on with its CNIL declaration). {@link applySiecleImport} carries it out.
 *
 * @example
 * const plan = planSiecleImport(state, siecle, { schoolId: 'clg-jaures', today: '2026-09-01' })
 * plan.pupils.filter((p) => p.action === 'create').length
 */
export interface SiecleImportPlan {
  /** The site. */
  siteId: string
  /** The school the pupils go to. */
  schoolId: string
  /** Its UAI (from the export). */
  uai: string
  /** School year `YYYY-YYYY`. */
  schoolYear: string
  /** First day of the enrolments made. */
  from: LocalDate
  /** The school: created (with the export's UAI) or already there. */
  school: { action: 'create' | 'unchanged'; name: string }
  /** The classes (SIECLE divisions). */
  classes: Array<{ code: string; classId: string; levels: string[]; action: 'create' | 'unchanged' }>
  /** The households (one per address of the responsables' file). */
  households: Array<{ householdId: string; name: string; action: 'create' | 'unchanged'; address: { line1?: string | undefined; line2?: string | undefined; postcode?: string | undefined; city?: string | undefined } }>
  /** The guardians (legal responsibles of imported pupils). */
  guardians: Array<{ personId: string; guardianId: string; householdId: string; firstName: string; lastName: string; action: 'create' | 'update' | 'unchanged'; changes: string[]; contact: { email?: string | undefined; phone?: string | undefined; mobile?: string | undefined } }>
  /** The pupils. */
  pupils: Array<{
    siecleId: string; childId: string; firstName: string; lastName: string; ine: string | undefined; action: SiecleAction; changes: string[]
    reason?: 'LEFT' | 'UNREADABLE' | 'NO_GUARDIAN' | 'ID_TAKEN' | undefined
    birthDate?: LocalDate | undefined; classId?: string | undefined; level?: string | undefined
    guardians: Array<{ guardianId: string; relationship: Relationship }>
  }>
  /** Pupils without an INE: they cannot be transferred to or from another establishment. */
  withoutIne: Array<{ siecleId: string; childId: string; firstName: string; lastName: string }>
  /** What could not be read or used, by pupil or person and field. */
  problems: Array<{ ref: string; field: string; message: string }>
  /** Transfers received and sent, recorded only when the school's pupil transfer is on. */
  transferLog: PupilTransferLogEntry[]
}

/**
 * Options of {@link planSiecleImport}.
 *
 * @example
 * const o: SiecleImportOptions = { schoolId: 'clg-jaures', schoolName: 'Collège Jean Jaurès', today: '2026-09-01' }
 */
export interface SiecleImportOptions {
  /** The school (établissement) the export is of: created when absent. */
  schoolId: string
  /** Its name, when it is created. */
  schoolName?: string | undefined
  /** The site's today. */
  today: LocalDate
  /** First day of the enrolments made (default: today). */
  from?: LocalDate | undefined
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase().replace(/\s+/g, ' ').trim()

function relationshipOf(label: string | undefined): Relationship {
  const l = label === undefined ? '' : fold(label)
  if (l === 'MERE') return 'mother'
  if (l === 'PERE') return 'father'
  if (l.startsWith('TUTEUR')) return 'tutor'
  return 'other'
}

const previousDay = (d: LocalDate): LocalDate => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10) as LocalDate

function cleanContact(p: SieclePerson, problems: SiecleImportPlan['problems']): { email?: string; phone?: string; mobile?: string } {
  const out: { email?: string; phone?: string; mobile?: string } = {}
  const keep = (field: 'email' | 'phone' | 'mobile', value: string | undefined, ok: boolean, source: string) => {
    if (value === undefined) return
    if (ok) out[field] = value
    else problems.push({ ref: `person ${p.personId}`, field: source, message: `${JSON.stringify(value)} is not a valid ${field}: left out` })
  }
  keep('email', p.email, p.email !== undefined && EmailSchema.safeParse(p.email).success, 'MEL')
  keep('phone', p.phone, p.phone !== undefined && PhoneSchema.safeParse(p.phone).success, 'TEL_PERSONNEL')
  keep('mobile', p.mobile, p.mobile !== undefined && PhoneSchema.safeParse(p.mobile).success, 'TEL_PORTABLE')
  return out
}

/**
 * Previews the import of a SIECLE export into a site's directory: which school, classes,
 * households, guardians, children and enrolments will be created, updated or left alone.
 *
 * Rules:
 * - the export must be of the school's establishment (its UAJ equals the school's UAI);
 * - a pupil is the directory's child with the same INE, else with the same last name, first name
 *   and birth date (accents and case ignored), else a new child `siecle-<UAI>-<ELEVE_ID>`;
 * - a pupil who left (DATE_SORTIE on or before today) is not enrolled; one without a readable birth
 *   date or name, or without a legal guardian in the responsables' file, is skipped with a reason;
 * - an existing child gets its INE when it had none, and changes class by ending its current
 *   enrolment the day before `from` (update); anything else about it is left alone;
 * - a legal guardian (RESP_LEGAL 1 or 2) is the guardian `siecle-<UAI>-p<PERSONNE_ID>`, or the one
 *   with the same e-mail; a new one lives in the household of its address (one per ADRESSE_ID); an
 *   existing one gets its e-mail and phones updated; contacts that are not valid are left out;
 * - relationships come from the nomenclature's labels (MERE, PERE, TUTEUR...), `other` otherwise;
 * - pupils without INE are listed: they cannot be transferred; when the school's pupil transfer is
 *   on (CNIL declaration), arrivals from another establishment and departures with an INE are
 *   logged with their dates.
 *
 * @example
 * const plan = planSiecleImport(emptyDirectory('s1'), parseSiecleExport({ eleves, responsables, nomenclature }),
 *   { schoolId: 'clg-jaures', schoolName: 'Collège Jean Jaurès', today: '2026-09-01' })
 * plan.withoutIne // the pupils listed as "sans INE"
 * @throws EcoleError `INVALID_INPUT` when the export is of another establishment (`siecle.uai`).
 */
export function planSiecleImport(state: DirectoryState, siecle: SiecleExport, options: SiecleImportOptions): SiecleImportPlan {
  try {
    const { schoolId, today } = options
    const from = options.from ?? today
    const school = state.schools[schoolId]
    if (school?.uai && school.uai !== siecle.uai) {
      throw new EcoleError('INVALID_INPUT', `siecle.uai: the export is of establishment ${siecle.uai}, school ${schoolId} is ${school.uai}`, { details: { field: 'siecle.uai' } })
    }
    const prefix = `siecle-${siecle.uai}`
    const problems: SiecleImportPlan['problems'] = []
    const plan: SiecleImportPlan = {
      siteId: state.siteId, schoolId, uai: siecle.uai, schoolYear: siecle.schoolYear, from,
      school: { action: school ? 'unchanged' : 'create', name: school?.name ?? options.schoolName ?? `Établissement ${siecle.uai}` },
      classes: [], households: [], guardians: [], pupils: [], withoutIne: [], problems, transferLog: [],
    }
    const transferOn = Boolean(school?.pupilTransferEnabled && school.cnilDeclaration)

    // indexes of the directory
    const childByIne = new Map<string, Child>()
    const childByIdentity = new Map<string, Child>()
    for (const c of Object.values(state.children)) {
      if (c.ine) childByIne.set(c.ine, c)
      childByIdentity.set(`${fold(c.lastName)}|${fold(c.firstName)}|${c.birthDate}`, c)
    }
    const guardianByEmail = new Map<string, Guardian>()
    for (const g of Object.values(state.guardians)) if (g.email) guardianByEmail.set(g.email.toLowerCase(), g)
    const persons = new Map(siecle.persons.map((p) => [p.personId, p]))
    const addresses = new Map(siecle.addresses.map((a) => [a.addressId, a]))
    const legalOf = new Map<string, Array<{ personId: string; relationshipCode: string | undefined }>>()
    for (const r of siecle.responsibilities) {
      if (r.legal !== 1 && r.legal !== 2) continue
      if (!persons.has(r.personId)) {
        problems.push({ ref: `pupil ${r.siecleId}`, field: 'PERSONNE_ID', message: `responsible ${r.personId} is not in the PERSONNES list` })
        continue
      }
      const l = legalOf.get(r.siecleId) ?? []
      l.push({ personId: r.personId, relationshipCode: r.relationshipCode })
      legalOf.set(r.siecleId, l)
    }

    const classes = new Map<string, SiecleImportPlan['classes'][number]>()
    const guardians = new Map<string, SiecleImportPlan['guardians'][number]>()
    const households = new Map<string, SiecleImportPlan['households'][number]>()
    const guardianFor = (personId: string): SiecleImportPlan['guardians'][number] => {
      const known = guardians.get(personId)
      if (known) return known
      const p = persons.get(personId)!
      const contact = cleanContact(p, problems)
      const existing = state.guardians[`${prefix}-p${personId}`] ?? (contact.email ? guardianByEmail.get(contact.email.toLowerCase()) : undefined)
      let entry: SiecleImportPlan['guardians'][number]
      if (existing) {
        const same = (f: 'email' | 'phone' | 'mobile') => (f === 'email' ? contact.email?.toLowerCase() === existing.email?.toLowerCase() : contact[f] === existing[f])
        const changes = (['email', 'phone', 'mobile'] as const).filter((f) => contact[f] !== undefined && !same(f))
        entry = { personId, guardianId: existing.id, householdId: existing.householdId, firstName: existing.firstName, lastName: existing.lastName, action: changes.length ? 'update' : 'unchanged', changes, contact }
      } else {
        const address = p.addressId ? addresses.get(p.addressId) : undefined
        const householdId = address ? `${prefix}-a${address.addressId}` : `${prefix}-p${personId}-home`
        if (!households.has(householdId)) {
          households.set(householdId, {
            householdId, name: `Famille ${p.lastName}`, action: state.households[householdId] ? 'unchanged' : 'create',
            address: address ? { line1: address.line1, line2: address.line2, postcode: address.postcode, city: address.city } : {},
          })
        }
        entry = { personId, guardianId: `${prefix}-p${personId}`, householdId, firstName: p.firstName, lastName: p.lastName, action: 'create', changes: [], contact }
      }
      guardians.set(personId, entry)
      return entry
    }

    for (const p of siecle.pupils) {
      const ref = `pupil ${p.siecleId}`
      for (const pr of p.problems) problems.push({ ref, field: pr.field, message: pr.message })
      const ine = p.ine !== undefined && ineCode.isValid(p.ine) ? p.ine : undefined
      if (p.ine !== undefined && ine === undefined) problems.push({ ref, field: 'ID_NATIONAL', message: `${p.ine} is not a valid INE: the pupil is treated as without INE` })
      const existing = (ine ? childByIne.get(ine) : undefined) ?? (p.birthDate ? childByIdentity.get(`${fold(p.lastName)}|${fold(p.firstName)}|${p.birthDate}`) : undefined)
      const childId = existing?.id ?? `${prefix}-${p.siecleId}`
      const base = { siecleId: p.siecleId, childId, firstName: p.firstName, lastName: p.lastName, ine, changes: [] as string[], guardians: [] as Array<{ guardianId: string; relationship: Relationship }> }
      if (!ine) plan.withoutIne.push({ siecleId: p.siecleId, childId, firstName: p.firstName, lastName: p.lastName })
      if (p.leftOn !== undefined && p.leftOn <= today) {
        plan.pupils.push({ ...base, action: 'skipped', reason: 'LEFT' })
        if (transferOn && ine) plan.transferLog.push({ direction: 'sent', childId, ine, date: p.leftOn, otherUai: undefined })
        continue
      }
      if (!existing && (p.problems.length > 0 || !p.birthDate)) {
        plan.pupils.push({ ...base, action: 'skipped', reason: 'UNREADABLE' })
        continue
      }
      if (!existing && state.children[childId]) {
        problems.push({ ref, field: 'ELEVE_ID', message: `child id ${childId} is taken by another child` })
        plan.pupils.push({ ...base, action: 'skipped', reason: 'ID_TAKEN' })
        continue
      }
      const legal = legalOf.get(p.siecleId) ?? []
      if (!existing && legal.length === 0) {
        problems.push({ ref, field: 'RESPONSABLES', message: 'no legal guardian in the responsables file: the child cannot be created' })
        plan.pupils.push({ ...base, action: 'skipped', reason: 'NO_GUARDIAN' })
        continue
      }
      for (const l of legal) {
        const g = guardianFor(l.personId)
        base.guardians.push({ guardianId: g.guardianId, relationship: relationshipOf(l.relationshipCode ? siecle.relationshipLabels[l.relationshipCode] : undefined) })
      }
      let classId: string | undefined
      const level = p.mef ? (siecle.mefLabels[p.mef] ?? p.mef) : undefined
      if (p.classCode) {
        classId = `${schoolId}:${siecle.schoolYear}:${p.classCode}`
        const k = classes.get(p.classCode) ?? { code: p.classCode, classId, levels: [], action: state.classes[classId] ? ('unchanged' as const) : ('create' as const) }
        if (level && !k.levels.includes(level)) k.levels.push(level)
        classes.set(p.classCode, k)
      } else {
        problems.push({ ref, field: 'STRUCTURES', message: 'no division (class): the pupil is not enrolled' })
      }
      if (existing) {
        const changes: string[] = []
        if (!existing.ine && ine) changes.push('ine')
        const current = enrolmentOn(state, existing.id, from)
        if (classId && current?.classId !== classId) changes.push('class')
        for (const g of base.guardians) if (!existing.guardians.some((x) => x.guardianId === g.guardianId)) changes.push(`guardian ${g.guardianId}`)
        plan.pupils.push({ ...base, changes, action: changes.length ? 'update' : 'unchanged', birthDate: existing.birthDate, classId, level })
      } else {
        plan.pupils.push({ ...base, action: 'create', birthDate: p.birthDate, classId, level })
        if (transferOn && ine && p.previousUai && p.previousUai !== siecle.uai) {
          plan.transferLog.push({ direction: 'received', childId, ine, date: p.enteredOn ?? from, otherUai: p.previousUai })
        }
      }
    }
    plan.classes = [...classes.values()]
    plan.guardians = [...guardians.values()]
    plan.households = [...households.values()]
    return plan
  } catch (error) {
    throw asInputError(error, 'planSiecleImport', { state: [state, 'object', 'the directory state'], siecle: [siecle, 'object', 'a SIECLE export (from parseSiecleExport)'], options: [options, 'object', 'the import options ({ schoolId, today })'] })
  }
}

function must<E extends object>(outcome: DirectoryOutcome<E>, what: string): DirectoryOutcome<E> & { ok: true } {
  if (!outcome.ok) throw new EcoleError('INVALID_INPUT', `siecle import: ${what} was refused (${outcome.refusal.code})`, { details: { field: what, refusal: outcome.refusal } })
  return outcome
}

/**
 * Carries out a {@link SiecleImportPlan} through the directory operations (`createSchool`,
 * `createSchoolClass`, `createHousehold`, `addGuardian`, `addChild`, `linkChildToGuardian`,
 * `endEnrolment`, `enrol`) and returns the new directory. Skipped pupils change nothing. Applying
 * the same plan to the directory it produced changes nothing more than the first time (the plan of
 * that directory says `unchanged` everywhere).
 *
 * @example
 * const next = applySiecleImport(state, plan, { maxPupils: site.licence.maxPupils })
 * @throws EcoleError `INVALID_INPUT` when a directory operation refuses (details.refusal: a licence limit, an
 * archived child...), with nothing applied.
 */
export function applySiecleImport(state: DirectoryState, plan: SiecleImportPlan, options: { maxPupils: number | null }): DirectoryState {
  try {
    let s = state
    if (plan.school.action === 'create') s = must(createSchool(s, { id: plan.schoolId, name: plan.school.name, uai: plan.uai }), 'school').state
    for (const k of plan.classes) {
      if (k.action === 'create') s = must(createSchoolClass(s, { id: k.classId, schoolId: plan.schoolId, name: k.code, levels: k.levels, schoolYear: plan.schoolYear }), `class ${k.code}`).state
    }
    const households = new Map(plan.households.map((h) => [h.householdId, h]))
    for (const g of plan.guardians) {
      const contact = { ...(g.contact.email ? { email: g.contact.email } : {}), ...(g.contact.phone ? { phone: g.contact.phone } : {}), ...(g.contact.mobile ? { mobile: g.contact.mobile } : {}) }
      if (g.action === 'create') {
        const guardian = { id: g.guardianId, firstName: g.firstName, lastName: g.lastName, ...contact }
        if (s.households[g.householdId]) s = must(addGuardian(s, g.householdId, guardian), `guardian ${g.guardianId}`).state
        else {
          const h = households.get(g.householdId)!
          const address = Object.fromEntries(Object.entries(h.address).filter(([, v]) => v !== undefined))
          s = must(createHousehold(s, { household: { id: h.householdId, name: h.name, address }, guardian, today: plan.from }), `household ${h.householdId}`).state
        }
      } else if (g.action === 'update') {
        const current = s.guardians[g.guardianId]!
        const changed = Object.fromEntries(g.changes.map((f) => [f, g.contact[f as 'email' | 'phone' | 'mobile']]))
        const updated = GuardianSchema.parse({ ...current, ...changed })
        s = { ...s, guardians: { ...s.guardians, [g.guardianId]: updated } }
      }
    }
    for (const p of plan.pupils) {
      if (p.action === 'skipped' || p.action === 'unchanged') continue
      if (p.action === 'create') {
        s = must(addChild(s, { id: p.childId, firstName: p.firstName, lastName: p.lastName, birthDate: p.birthDate!, ...(p.ine ? { ine: p.ine } : {}), guardians: p.guardians }, plan.from), `child ${p.childId}`).state
      } else {
        const child = s.children[p.childId]!
        if (p.changes.includes('ine') && p.ine) s = { ...s, children: { ...s.children, [child.id]: ChildSchema.parse({ ...child, ine: p.ine }) } }
        for (const g of p.guardians) {
          if (!s.children[child.id]!.guardians.some((x) => x.guardianId === g.guardianId)) s = must(linkChildToGuardian(s, child.id, g.guardianId, g.relationship), `link ${child.id}`).state
        }
      }
      if (p.classId && (p.action === 'create' || p.changes.includes('class'))) {
        const current = enrolmentOn(s, p.childId, plan.from)
        if (current && current.from < plan.from) s = must(endEnrolment(s, current.id, previousDay(plan.from)), `enrolment ${current.id}`).state
        else if (current) continue // an enrolment starting that very day in another class: left for a person to decide
        s = must(enrol(s, { id: `${p.childId}:${plan.schoolYear}:${plan.from}`, beneficiaryId: p.childId, schoolId: plan.schoolId, classId: p.classId, level: p.level, schoolYear: plan.schoolYear, from: plan.from }, { maxPupils: options.maxPupils }), `enrolment of ${p.childId}`).state
      }
    }
    return s
  } catch (error) {
    throw asInputError(error, 'applySiecleImport', { state: [state, 'object', 'the directory state'], plan: [plan, 'object', 'an import plan (from planSiecleImport)'], options: [options, 'object', 'the options ({ maxPupils })'] })
  }
}
