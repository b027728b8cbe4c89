import {
  asInputError, EcoleError, GuardianSchema, createSchool, createSchoolClass,
  ine as ineCode, EmailSchema, PhoneSchema, ChildSchema,
  EnrolmentSchema, type Child, type DirectoryOutcome, type DirectoryState, type Enrolment, type Guardian, type LocalDate, type Relationship,
} from '@ecole/core'
import { DirectoryBatch } from './directory-batch'
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
    /**
     * Why a pupil is skipped: it left, cannot be read, has no legal guardian, its child id is
     * another child's, it is in the export twice (same ELEVE_ID, or another pupil's INE or child:
     * see the problems), or several children of the directory have its name and birth date.
     */
    reason?: 'LEFT' | 'UNREADABLE' | 'NO_GUARDIAN' | 'ID_TAKEN' | 'DUPLICATE' | 'AMBIGUOUS' | undefined
    birthDate?: LocalDate | undefined; classId?: string | undefined; level?: string | undefined
    /** DATE_SORTIE of a pupil who left: its enrolments in the school end that day (change `left`). */
    leftOn?: LocalDate | undefined
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

/** Who a child is, when it has no INE to tell: last name, first name (accents and case aside), birth date. */
const identityOf = (c: { lastName: string; firstName: string; birthDate: LocalDate }): string => `${fold(c.lastName)}|${fold(c.firstName)}|${c.birthDate}`

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
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
 *   and birth date (accents and case ignored), else a new child `siecle-<UAI>-<ELEVE_ID>`; never by
 *   name a child carrying another INE, or the INE or ELEVE_ID of another pupil of the export
 *   (homonyms, twins); when several children have the name and birth date (the one an earlier
 *   import made of the pupil's ELEVE_ID aside), or several pupils have those of one child, the
 *   pupils are skipped (`AMBIGUOUS`) with a problem;
 * - a record given twice in the export is reported and the rest imported: the second pupil with an
 *   ELEVE_ID or an INE already seen is skipped (`DUPLICATE`); a RESPONSABLE_ELEVE row given twice
 *   counts once;
 * - a pupil who left (DATE_SORTIE on or before today) is not enrolled: its enrolments in the school
 *   that run past that day end on it (update `left`, the day is its last); one without a readable
 *   birth date or name, or without a legal guardian in the responsables' file, is skipped with a reason;
 * - an existing child gets its INE when it had none, and changes class by ending its current
 *   enrolment the day before `from` (update), or, when that enrolment starts on `from` itself (an
 *   earlier import of the same day), by moving it to the new class; anything else about it is left alone;
 * - a legal guardian (RESP_LEGAL 1 or 2) is the guardian `siecle-<UAI>-p<PERSONNE_ID>`, or the one
 *   with the same e-mail and the same name (a family's shared e-mail names no one: another name is a
 *   new guardian, with a problem); a new one lives in the household of its address (one per
 *   ADRESSE_ID); an existing one gets its e-mail and phones updated; contacts that are not valid are left out;
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
    const childrenByIdentity = new Map<string, Child[]>()
    for (const c of Object.values(state.children)) {
      if (c.ine) childByIne.set(c.ine, c)
      pushTo(childrenByIdentity, identityOf(c), c)
    }
    const enrolmentsOf = new Map<string, Enrolment[]>()
    for (const e of Object.values(state.enrolments)) pushTo(enrolmentsOf, e.beneficiaryId, e)
    const enrolmentOnFrom = (childId: string): Enrolment | undefined => enrolmentsOf.get(childId)?.find((e) => e.from <= from && (e.to === undefined || from <= e.to))
    const guardiansByEmail = new Map<string, Guardian[]>()
    for (const g of Object.values(state.guardians)) if (g.email) pushTo(guardiansByEmail, g.email.toLowerCase(), g)
    const persons = new Map(siecle.persons.map((p) => [p.personId, p]))
    const addresses = new Map(siecle.addresses.map((a) => [a.addressId, a]))
    // the valid INEs of the export: a child of the directory carrying one of them is that pupil's, never another's by name
    const exportInes = new Set(siecle.pupils.flatMap((p) => (p.ine !== undefined && ineCode.isValid(p.ine) ? [p.ine] : [])))
    // likewise a child an earlier import made of an ELEVE_ID of the export is that pupil's
    const exportChildIds = new Set(siecle.pupils.map((p) => `${prefix}-${p.siecleId}`))
    const legalOf = new Map<string, Array<{ personId: string; relationshipCode: string | undefined }>>()
    for (const r of siecle.responsibilities) {
      if (r.legal !== 1 && r.legal !== 2) continue
      if (!persons.has(r.personId)) {
        problems.push({ ref: `pupil ${r.siecleId}`, field: 'PERSONNE_ID', message: `responsible ${r.personId} is not in the PERSONNES list` })
        continue
      }
      const l = legalOf.get(r.siecleId) ?? []
      if (l.some((x) => x.personId === r.personId)) {
        problems.push({ ref: `pupil ${r.siecleId}`, field: 'RESPONSABLE_ELEVE', message: `person ${r.personId} is given twice as a legal responsible of the pupil: counted once` })
        continue
      }
      l.push({ personId: r.personId, relationshipCode: r.relationshipCode })
      legalOf.set(r.siecleId, l)
    }

    const classes = new Map<string, SiecleImportPlan['classes'][number]>()
    const guardians = new Map<string, SiecleImportPlan['guardians'][number]>()
    const households = new Map<string, SiecleImportPlan['households'][number]>()
    // the person an existing guardian was matched to (by e-mail and name), so that a second one is not merged into it too
    const personOfGuardian = new Map<string, string>()
    const guardianFor = (personId: string): SiecleImportPlan['guardians'][number] => {
      const known = guardians.get(personId)
      if (known) return known
      const p = persons.get(personId)!
      const ref = `person ${personId}`
      const contact = cleanContact(p, problems)
      let existing: Guardian | undefined = state.guardians[`${prefix}-p${personId}`]
      if (!existing && contact.email) {
        // an e-mail is often a family's: it names the guardian only with the same name
        const sharing = guardiansByEmail.get(contact.email.toLowerCase()) ?? []
        existing = sharing.find((g) => fold(g.lastName) === fold(p.lastName) && fold(g.firstName) === fold(p.firstName))
        if (!existing && sharing.length > 0) {
          problems.push({ ref, field: 'MEL', message: `${contact.email} is also the e-mail of ${sharing.map((g) => `guardian ${g.id} (${g.firstName} ${g.lastName})`).join(', ')}, of another name: ${p.firstName} ${p.lastName} is a new guardian` })
        }
      }
      let entry: SiecleImportPlan['guardians'][number]
      const other = existing ? personOfGuardian.get(existing.id) : undefined
      if (existing && other !== undefined) {
        // two persons of the export with the same name and e-mail: one guardian, changed once
        problems.push({ ref, field: 'PERSONNE_ID', message: `person ${personId} has the name and e-mail of person ${other}: both are guardian ${existing.id}` })
        entry = { personId, guardianId: existing.id, householdId: existing.householdId, firstName: existing.firstName, lastName: existing.lastName, action: 'unchanged', changes: [], contact }
      } else if (existing) {
        personOfGuardian.set(existing.id, personId)
        const current = existing
        const same = (f: 'email' | 'phone' | 'mobile') => (f === 'email' ? contact.email?.toLowerCase() === current.email?.toLowerCase() : contact[f] === current[f])
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

    // the child of each pupil: by INE; else by name and birth date, never one carrying another pupil's or
    // another INE (homonyms, twins), nor one an earlier import made of another pupil's ELEVE_ID
    const matches = new Map<SiecleExport['pupils'][number], { child: Child | undefined; byName: boolean; candidates: Child[] }>()
    const wantedByName = new Map<string, string[]>()
    for (const p of siecle.pupils) {
      const ine = p.ine !== undefined && ineCode.isValid(p.ine) ? p.ine : undefined
      const byIne = ine ? childByIne.get(ine) : undefined
      if (byIne || !p.birthDate) {
        matches.set(p, { child: byIne, byName: false, candidates: [] })
        continue
      }
      const own = `${prefix}-${p.siecleId}`
      const candidates = (childrenByIdentity.get(identityOf({ lastName: p.lastName, firstName: p.firstName, birthDate: p.birthDate })) ?? [])
        .filter((c) => (!c.ine || (ine === undefined && !exportInes.has(c.ine))) && (c.id === own || !exportChildIds.has(c.id)))
      const child = candidates.find((c) => c.id === own) ?? (candidates.length === 1 ? candidates[0] : undefined)
      matches.set(p, { child, byName: child !== undefined && child.id !== own, candidates })
      // two pupils of the export with the name and birth date of one child: which one it is cannot be told
      if (child && child.id !== own) {
        const wanting = wantedByName.get(child.id) ?? []
        if (!wanting.includes(p.siecleId)) wanting.push(p.siecleId)
        wantedByName.set(child.id, wanting)
      }
    }
    const pupilOfEleveId = new Set<string>()
    const pupilOfIne = new Map<string, string>()
    const pupilOfChild = new Map<string, string>()
    for (const p of siecle.pupils) {
      const ref = `pupil ${p.siecleId}`
      for (const pr of p.problems) problems.push({ ref, field: pr.field, message: pr.message })
      const ine = p.ine !== undefined && ineCode.isValid(p.ine) ? p.ine : undefined
      if (p.ine !== undefined && ine === undefined) problems.push({ ref, field: 'ID_NATIONAL', message: `${p.ine} is not a valid INE: the pupil is treated as without INE` })
      const skip = (childId: string, reason: NonNullable<SiecleImportPlan['pupils'][number]['reason']>, field: string, message: string): void => {
        problems.push({ ref, field, message })
        plan.pupils.push({ siecleId: p.siecleId, childId, firstName: p.firstName, lastName: p.lastName, ine, action: 'skipped', reason, changes: [], guardians: [] })
      }
      if (pupilOfEleveId.has(p.siecleId)) {
        skip(`${prefix}-${p.siecleId}`, 'DUPLICATE', 'ELEVE_ID', `ELEVE_ID ${p.siecleId} is given twice in the export: the second is skipped`)
        continue
      }
      pupilOfEleveId.add(p.siecleId)
      const sameIne = ine ? pupilOfIne.get(ine) : undefined
      if (ine && sameIne !== undefined) {
        skip(`${prefix}-${p.siecleId}`, 'DUPLICATE', 'ID_NATIONAL', `INE ${ine} is also pupil ${sameIne}'s: the same pupil twice? This one is skipped`)
        continue
      }
      if (ine) pupilOfIne.set(ine, p.siecleId)
      const m = matches.get(p)!
      let existing = m.child
      if (!existing && m.candidates.length > 1) {
        skip(`${prefix}-${p.siecleId}`, 'AMBIGUOUS', 'ID_NATIONAL', `children ${m.candidates.map((c) => c.id).join(', ')} of the directory all have this name and birth date: which one is the pupil cannot be told without an INE`)
        continue
      }
      const rivals = existing && m.byName ? (wantedByName.get(existing.id) ?? []).filter((id) => id !== p.siecleId) : []
      if (existing && rivals.length > 0) {
        skip(`${prefix}-${p.siecleId}`, 'AMBIGUOUS', 'ID_NATIONAL', `pupil${rivals.length > 1 ? 's' : ''} ${rivals.join(', ')} of the export also ha${rivals.length > 1 ? 've' : 's'} the name and birth date of child ${existing.id}: which one it is cannot be told without an INE`)
        continue
      }
      const childId = existing?.id ?? `${prefix}-${p.siecleId}`
      const sameChild = pupilOfChild.get(childId)
      if (sameChild !== undefined) {
        skip(childId, 'DUPLICATE', 'ELEVE_ID', `pupil ${sameChild} is already child ${childId}: the same pupil twice? This one is skipped`)
        continue
      }
      pupilOfChild.set(childId, p.siecleId)
      const base = { siecleId: p.siecleId, childId, firstName: p.firstName, lastName: p.lastName, ine, changes: [] as string[], guardians: [] as Array<{ guardianId: string; relationship: Relationship }> }
      if (!ine) plan.withoutIne.push({ siecleId: p.siecleId, childId, firstName: p.firstName, lastName: p.lastName })
      if (p.leftOn !== undefined && p.leftOn <= today) {
        const leftOn = p.leftOn
        // its enrolments in the school that run past the day it left end that day (it is not booked nor billed after)
        const mine = existing ? (enrolmentsOf.get(existing.id) ?? []).filter((e) => e.schoolId === schoolId && (e.to === undefined || e.to > leftOn)) : []
        for (const e of mine.filter((e) => e.from > leftOn)) {
          problems.push({ ref, field: 'DATE_SORTIE', message: `the pupil left on ${leftOn} but enrolment ${e.id} starts on ${e.from}, after it: left for a person to decide` })
        }
        if (mine.some((e) => e.from <= leftOn)) plan.pupils.push({ ...base, action: 'update', changes: ['left'], leftOn })
        else plan.pupils.push({ ...base, action: 'skipped', reason: 'LEFT', leftOn })
        if (transferOn && ine) plan.transferLog.push({ direction: 'sent', childId, ine, date: leftOn, otherUai: undefined })
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
        if (base.guardians.some((x) => x.guardianId === g.guardianId)) continue // two persons of one guardian: linked once
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
        const current = enrolmentOnFrom(existing.id)
        if (classId && current?.classId !== classId) {
          // an enrolment that starts that very day in another school is not this import's to replace
          if (current && current.from === from && current.schoolId !== schoolId) {
            problems.push({ ref, field: 'STRUCTURES', message: `enrolment ${current.id} in school ${current.schoolId} starts on ${from} too: the pupil is not moved to ${p.classCode}, left for a person to decide` })
          } else changes.push('class')
        }
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
 * that directory says `unchanged` everywhere). Each operation runs on the records it reads, so the
 * time grows linearly with the pupils (a few hundred milliseconds per thousand), with the same
 * checks and refusals, the licence's maximum pupils included.
 *
 * @example
 * const next = applySiecleImport(state, plan, { maxPupils: site.licence.maxPupils })
 * @throws EcoleError `INVALID_INPUT` when a directory operation refuses (details.refusal: a licence limit, an
 * archived child...), with nothing applied, or when `options.maxPupils` is not a whole number from 0 or null.
 */
export function applySiecleImport(state: DirectoryState, plan: SiecleImportPlan, options: { maxPupils: number | null }): DirectoryState {
  try {
    const maxPupils: unknown = options?.maxPupils
    if (maxPupils !== null && !(Number.isSafeInteger(maxPupils) && (maxPupils as number) >= 0)) {
      throw new EcoleError('INVALID_INPUT', `applySiecleImport: options.maxPupils: must be a whole number from 0, or null for no limit`, { details: { field: 'options.maxPupils' } })
    }
    let s = state
    if (plan.school.action === 'create') s = must(createSchool(s, { id: plan.schoolId, name: plan.school.name, uai: plan.uai }), 'school').state
    for (const k of plan.classes) {
      if (k.action === 'create') s = must(createSchoolClass(s, { id: k.classId, schoolId: plan.schoolId, name: k.code, levels: k.levels, schoolYear: plan.schoolYear }), `class ${k.code}`).state
    }
    // thousands of pupils: each operation on the records it reads, not on the whole directory
    const batch = new DirectoryBatch(s, plan.from)
    const households = new Map(plan.households.map((h) => [h.householdId, h]))
    for (const g of plan.guardians) {
      const contact = { ...(g.contact.email ? { email: g.contact.email } : {}), ...(g.contact.phone ? { phone: g.contact.phone } : {}), ...(g.contact.mobile ? { mobile: g.contact.mobile } : {}) }
      if (g.action === 'create') {
        const guardian = { id: g.guardianId, firstName: g.firstName, lastName: g.lastName, ...contact }
        if (batch.household(g.householdId)) must(batch.addGuardian(g.householdId, guardian), `guardian ${g.guardianId}`)
        else {
          const h = households.get(g.householdId)!
          const address = Object.fromEntries(Object.entries(h.address).filter(([, v]) => v !== undefined))
          must(batch.createHousehold({ household: { id: h.householdId, name: h.name, address }, guardian, today: plan.from }), `household ${h.householdId}`)
        }
      } else if (g.action === 'update') {
        const current = batch.guardian(g.guardianId)!
        const changed = Object.fromEntries(g.changes.map((f) => [f, g.contact[f as 'email' | 'phone' | 'mobile']]))
        batch.put('guardian', GuardianSchema.parse({ ...current, ...changed }))
      }
    }
    for (const p of plan.pupils) {
      if (p.action === 'skipped' || p.action === 'unchanged') continue
      // a guardian named twice (a plan made by hand, or an older one) is linked once
      const links = p.guardians.filter((g, i) => p.guardians.findIndex((x) => x.guardianId === g.guardianId) === i)
      if (p.action === 'create') {
        must(batch.addChild({ id: p.childId, firstName: p.firstName, lastName: p.lastName, birthDate: p.birthDate!, ...(p.ine ? { ine: p.ine } : {}), guardians: links }, plan.from), `child ${p.childId}`)
      } else {
        const child = batch.child(p.childId)!
        if (p.changes.includes('ine') && p.ine) batch.put('child', ChildSchema.parse({ ...child, ine: p.ine }))
        for (const g of links) {
          if (!batch.child(child.id)!.guardians.some((x) => x.guardianId === g.guardianId)) must(batch.linkChildToGuardian(child.id, g.guardianId, g.relationship), `link ${child.id}`)
        }
      }
      if (p.changes.includes('left') && p.leftOn !== undefined) {
        const leftOn = p.leftOn
        for (const e of batch.enrolmentsOf(p.childId)) {
          if (e.schoolId !== plan.schoolId || e.from > leftOn || (e.to !== undefined && e.to <= leftOn)) continue
          must(batch.endEnrolment(e.id, leftOn), `enrolment ${e.id}`)
        }
      }
      if (p.classId && (p.action === 'create' || p.changes.includes('class'))) {
        const current = batch.enrolmentOn(p.childId, plan.from)
        if (current && current.from === plan.from) {
          // the enrolment made that very day (an earlier import of the day, before SIECLE's division was corrected): it changes class
          if (current.schoolId !== plan.schoolId) throw new EcoleError('INVALID_INPUT', `siecle import: enrolment ${current.id} of ${p.childId} starts on ${plan.from} in another school`, { details: { field: `enrolment ${current.id}` } })
          batch.put('enrolment', EnrolmentSchema.parse({ ...current, classId: p.classId, level: p.level, schoolYear: plan.schoolYear }))
          continue
        }
        if (current) must(batch.endEnrolment(current.id, previousDay(plan.from)), `enrolment ${current.id}`)
        must(batch.enrol({ id: `${p.childId}:${plan.schoolYear}:${plan.from}`, beneficiaryId: p.childId, schoolId: plan.schoolId, classId: p.classId, level: p.level, schoolYear: plan.schoolYear, from: plan.from }, { maxPupils: maxPupils as number | null }), `enrolment of ${p.childId}`)
      }
    }
    return batch.state()
  } catch (error) {
    throw asInputError(error, 'applySiecleImport', { state: [state, 'object', 'the directory state'], plan: [plan, 'object', 'an import plan (from planSiecleImport)'], options: [options, 'object', 'the options ({ maxPupils })'] })
  }
}
