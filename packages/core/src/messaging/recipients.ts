import type { LocalDate } from '../time'
import type { Child } from '../directory/child'
import type { DirectoryState } from '../directory/directory-state'
import { enrolmentOn, servicesOn } from '../directory/enrolment-operations'
import type { Guardian } from '../directory/guardian'
import { asInputError } from '../input-error'
import { assertLocale, formatMailDate, formatMailList, type MailLocale } from './mail-texts'

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

/** The value of a child variable over several children: said once when they all share it, else each child's in turn. */
function sharedOrEach(values: ReadonlyArray<string | undefined>, locale: MailLocale): string | undefined {
  if (values.some((v) => v === undefined || v === '')) return undefined
  return values.every((v) => v === values[0]) ? values[0] : formatMailList(values as string[], locale)
}

/**
 * The guardian, household and (when given) child variables of a recipient, for `mailMerge`.
 * Wallet and invoice values come from the ledger and invoicing: add them to the result.
 *
 * A message may be about several children of the recipient (a group message to a class where a
 * parent has two children): give all their ids and each child variable names every one, in the
 * order of their first names, joined in the reader's language — `child.firstName` "Léa et Noé"
 * (`en` "Léa and Noé", `it` "Léa e Noé", `nl` "Léa en Noé"), `child.fullName` "Léa Dupont et Noé
 * Dupont"; `child.lastName`, `child.birthDate` and `child.className` are written once when the
 * children share them ("CP A"), else each child's in the same order ("CP A et CE1"). With one
 * child the variables are that child's. A birth date is written in the reader's language, without
 * the weekday ("14 mars 2020", `formatMailDate`); `locale` is French unless given. A value that
 * is missing for any of the children (no class on `date`) is missing.
 *
 * @example
 * directoryValues(state, 'marie', 'lea', '2026-10-05')['child.className'] //=> 'CP A'
 * directoryValues(state, 'marie', ['lea', 'noe'], '2026-10-05', 'en')['child.firstName'] //=> 'Léa and Noé'
 * directoryValues(state, 'marie', 'lea', '2026-10-05', 'it')['child.birthDate'] //=> '14 marzo 2020'
 */
export function directoryValues(
  state: DirectoryState,
  guardianId: string,
  childIds?: string | readonly string[],
  date?: LocalDate,
  locale: MailLocale = 'fr',
): Record<string, string | undefined> {
  try {
    assertLocale(locale)
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
    const ids = childIds === undefined ? [] : typeof childIds === 'string' ? [childIds] : [...new Set(childIds)]
    const order = new Intl.Collator(locale)
    const children = ids
      .flatMap((id) => (Object.hasOwn(state.children, id) && state.children[id] ? [state.children[id]] : []))
      .sort((x, y) => order.compare(x.firstName, y.firstName) || order.compare(x.lastName, y.lastName) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    if (children.length > 0) {
      values['child.firstName'] = formatMailList(children.map((c) => c.firstName), locale)
      values['child.lastName'] = sharedOrEach(children.map((c) => c.lastName), locale)
      values['child.fullName'] = formatMailList(children.map((c) => `${c.firstName} ${c.lastName}`), locale)
      values['child.birthDate'] = sharedOrEach(children.map((c) => formatMailDate(c.birthDate, locale, { weekday: false })), locale)
      values['child.className'] = sharedOrEach(
        children.map((c) => {
          const e = date === undefined ? undefined : enrolmentOn(state, c.id, date)
          return e ? state.classes[e.classId]?.name : undefined
        }),
        locale,
      )
    }
    return values
  } catch (error) {
    throw asInputError(error, 'directoryValues', {
      state: [state, 'object', 'the directory state'],
      guardianId: [guardianId, 'string'],
      childIds: [childIds, 'any', 'a child id or a list of child ids'],
      date: [date, 'date?', 'the day'],
      locale: [locale, 'string', 'a mail language (fr, en, it, nl)'],
    })
  }
}
