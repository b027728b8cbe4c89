import type { LocalDate } from '../time'
import type { Child } from '../directory/child'
import type { DirectoryState } from '../directory/directory-state'
import { enrolmentOn, servicesOn } from '../directory/enrolment-operations'
import type { Guardian } from '../directory/guardian'
import { asInputError } from '../input-error'

/** A filter over the guardians or children lists (seed 001 "FILTRER SUR LES ADULTES / ENFANTS"). */
export interface RecipientFilter {
  /** Start from the guardians list or from the children list (then their guardians receive it). */
  source: 'guardians' | 'children'
  /** The day enrolments and service rights are looked at. */
  date: LocalDate
  /** Only children enrolled (on `date`) in these schools. */
  schoolIds?: readonly string[] | undefined
  /** Only children enrolled (on `date`) in these classes. */
  classIds?: readonly string[] | undefined
  /** Only children with rights (on `date`) to one of these services. */
  serviceIds?: readonly string[] | undefined
  /** Only these households. */
  householdIds?: readonly string[] | undefined
  /** Only these guardians (e.g. the debtors of unpaid invoices); with `source: 'children'`, only these of each child's guardians. */
  guardianIds?: readonly string[] | undefined
  /** Only people with these custom attribute values (on the source records). */
  attributes?: Readonly<Record<string, string>> | undefined
  /** Include archived people (excluded by default). */
  includeArchived?: boolean | undefined
}

/** One recipient: a guardian with an e-mail and the children the message is about. */
export interface Recipient {
  /** The guardian. */
  guardianId: string
  /** Where to send. */
  email: string
  /** The selected children linked to this guardian (empty for a guardian-only message). */
  childIds: string[]
}

/** The recipients of a filtered list, and the guardians who would receive it but have no e-mail. */
export interface RecipientSelection {
  /** Guardians to write to, by id. */
  recipients: Recipient[]
  /** Guardians selected who have no e-mail (to reach otherwise). */
  withoutEmail: string[]
}

function matchesAttributes(values: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>> | undefined): boolean {
  return wanted === undefined || Object.entries(wanted).every(([k, v]) => values[k] === v)
}

function childMatches(state: DirectoryState, child: Child, filter: RecipientFilter, withAttributes: boolean): boolean {
  if (!filter.includeArchived && child.archived !== null) return false
  if (withAttributes && !matchesAttributes(child.attributes, filter.attributes)) return false
  if (filter.schoolIds || filter.classIds) {
    const e = enrolmentOn(state, child.id, filter.date)
    if (!e) return false
    if (filter.schoolIds && !filter.schoolIds.includes(e.schoolId)) return false
    if (filter.classIds && !filter.classIds.includes(e.classId)) return false
  }
  if (filter.serviceIds) {
    const services = servicesOn(state, child.id, filter.date)
    if (!filter.serviceIds.some((s) => services.includes(s))) return false
  }
  return true
}

/**
 * The guardians a group message goes to (seed 001 "envoyer un message à plusieurs familles"):
 * from the guardians list (school, class and service filters then apply to their children), or
 * from the children list (each selected child's guardians receive one message naming the
 * children). Archived people are left out unless asked; guardians without e-mail are listed apart.
 *
 * @example
 * selectRecipients(state, { source: 'children', date: '2026-10-05', classIds: ['cpa'] })
 * //=> { recipients: [{ guardianId: 'marie', email: 'marie@example.fr', childIds: ['lea'] }], withoutEmail: ['paul'] }
 */
export function selectRecipients(state: DirectoryState, filter: RecipientFilter): RecipientSelection {
  try {
    const byGuardian = new Map<string, Set<string>>()
    const childFilters = filter.schoolIds !== undefined || filter.classIds !== undefined || filter.serviceIds !== undefined
    const guardianOk = (g: Guardian | undefined): g is Guardian =>
      g !== undefined && (filter.includeArchived || g.archived === null) && (filter.householdIds === undefined || filter.householdIds.includes(g.householdId)) &&
      (filter.guardianIds === undefined || filter.guardianIds.includes(g.id))
    if (filter.source === 'children') {
      for (const child of Object.values(state.children)) {
        if (!childMatches(state, child, filter, true)) continue
        for (const link of child.guardians) {
          const g = state.guardians[link.guardianId]
          if (!guardianOk(g)) continue
          const set = byGuardian.get(g.id) ?? new Set<string>()
          set.add(child.id)
          byGuardian.set(g.id, set)
        }
      }
    } else {
      for (const g of Object.values(state.guardians)) {
        if (!guardianOk(g) || !matchesAttributes(g.attributes, filter.attributes)) continue
        const children = Object.values(state.children).filter((c) => c.guardians.some((l) => l.guardianId === g.id) && childMatches(state, c, filter, false))
        if (childFilters && children.length === 0) continue
        byGuardian.set(g.id, new Set(childFilters ? children.map((c) => c.id) : []))
      }
    }
    const recipients: Recipient[] = []
    const withoutEmail: string[] = []
    for (const id of [...byGuardian.keys()].sort()) {
      const g = state.guardians[id]!
      if (g.email) recipients.push({ guardianId: id, email: g.email, childIds: [...byGuardian.get(id)!].sort() })
      else withoutEmail.push(id)
    }
    return { recipients, withoutEmail }
  } catch (error) {
    throw asInputError(error, 'selectRecipients', { state: [state, 'object', 'the directory state'], filter: [filter, 'object', 'a recipient filter'] })
  }
}

/**
 * The guardian, household and (when given) child variables of a recipient, for `mailMerge`.
 * Wallet and invoice values come from the ledger and invoicing: add them to the result.
 *
 * @example
 * directoryValues(state, 'marie', 'lea', '2026-10-05')['child.className'] //=> 'CP A'
 */
export function directoryValues(state: DirectoryState, guardianId: string, childId?: string, date?: LocalDate): Record<string, string | undefined> {
  try {
    const g = state.guardians[guardianId]
    const values: Record<string, string | undefined> = {}
    if (g) {
      values['guardian.firstName'] = g.firstName
      values['guardian.lastName'] = g.lastName
      values['guardian.fullName'] = `${g.firstName} ${g.lastName}`
      values['guardian.email'] = g.email
      const h = state.households[g.householdId]
      if (h) {
        values['household.name'] = h.name
        const a = h.address
        const lines = [a.line1, a.line2, [a.postcode, a.city].filter(Boolean).join(' ')].filter((l) => l !== undefined && l !== '')
        values['household.address'] = lines.length > 0 ? lines.join(', ') : undefined
      }
    }
    const c = childId === undefined ? undefined : state.children[childId]
    if (c) {
      values['child.firstName'] = c.firstName
      values['child.lastName'] = c.lastName
      values['child.fullName'] = `${c.firstName} ${c.lastName}`
      values['child.birthDate'] = c.birthDate
      const e = date === undefined ? undefined : enrolmentOn(state, c.id, date)
      values['child.className'] = e ? state.classes[e.classId]?.name : undefined
    }
    return values
  } catch (error) {
    throw asInputError(error, 'directoryValues', {
      state: [state, 'object', 'the directory state'],
      guardianId: [guardianId, 'string'],
      childId: [childId, 'string?'],
      date: [date, 'date?', 'the day'],
    })
  }
}
