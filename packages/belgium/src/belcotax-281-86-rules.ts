import { addMonths, compareDates, daysBetween, type FieldIssue, type LocalDate } from '@ecole/core'
import { enterpriseNumber, nationalNumber } from './identifiers'
import type { Belcotax28186, Belcotax28186Fiche } from './belcotax-281-86-input'

/**
 * One rule a 281.86 file must keep that its XML schema does not carry (the Belcotax XSD declares
 * every zone as a free string): what Belcotax-on-web's validator, or the model form's
 * instructions, check. `source` says where the rule comes from.
 *
 * @example
 * const rule: Belcotax28186Rule = BELCOTAX_28186_RULES[0]
 * rule.check(file) //=> [] when the file keeps it
 */
export interface Belcotax28186Rule {
  /** Stable id, used as the `code` of the issues it raises. */
  readonly id: string
  /** What it checks, in one sentence. */
  readonly rule: string
  /** Where the rule comes from. */
  readonly source: string
  /** The issues of a checked input, each naming its field. */
  readonly check: (file: Belcotax28186) => FieldIssue[]
}

const issue = (id: string, path: string, message: string): FieldIssue => ({ path: `belcotax.${path}`, message, code: id })

const AMOUNT_MAX = 99_999_999_999n // 11 digits, zones 2.60 to 2.64
const CONTROL_MAX = 9_999_999_999_999n // 13 digits, zone 2.59

/**
 * The rules of a 281.86 file beyond its schema, in the order they are checked. Each is a small
 * function of the parsed input; {@link buildBelcotax28186} runs them all and refuses the file with
 * every issue at once, before any byte is written.
 *
 * @example
 * BELCOTAX_28186_RULES.map((r) => r.id) //=> ['national-numbers', 'enterprise-numbers', ...]
 */
export const BELCOTAX_28186_RULES: readonly Belcotax28186Rule[] = [
  {
    id: 'national-numbers',
    rule: 'The debtor\'s national register number (f2011) is required and has valid check digits; the child\'s (f86_2153), when given, too.',
    source: 'Belcotax-on-web brochure (zone 2.11 "numéro national", mandatory for a 281.86); check digits: 97 - (9 digits mod 97), with 2 prefixed for births from 2000 (Registre national); BowConvert86 validates the composition of the number.',
    check: (f) =>
      f.fiches.flatMap((fiche, i) => [
        ...(nationalNumber.isValid(fiche.debtor.nationalNumber) ? [] : [issue('national-numbers', `fiches.${i}.debtor.nationalNumber`, `${fiche.debtor.nationalNumber} is not a valid national register number (11 digits, mod-97 check)`)]),
        ...(fiche.child.nationalNumber === undefined || nationalNumber.isValid(fiche.child.nationalNumber)
          ? []
          : [issue('national-numbers', `fiches.${i}.child.nationalNumber`, `${fiche.child.nationalNumber} is not a valid national register number (11 digits, mod-97 check)`)]),
      ]),
  },
  {
    id: 'enterprise-numbers',
    rule: 'The sender\'s (v0024), issuer\'s (a1005, f2005) and certifier\'s (f86_2109) enterprise numbers are 10 digits starting with 0 or 1, with valid mod-97 check digits.',
    source: 'Crossroads Bank for Enterprises (BCE/KBO) numbering: the last two digits are 97 - (first eight mod 97); Belcotax-on-web identifies the sender and the debtor of the income by it.',
    check: (f) =>
      (['sender', 'issuer', 'certifier'] as const).flatMap((who) =>
        enterpriseNumber.isValid(f[who].enterpriseNumber) ? [] : [issue('enterprise-numbers', `${who}.enterpriseNumber`, `${f[who].enterpriseNumber} is not a valid enterprise number (10 digits, mod-97 check)`)]),
  },
  {
    id: 'creation-date',
    rule: 'The file is created after 1 January of the income year (v0011).',
    source: 'Belcotax XSD, documentation of v0011_aanmaakdatum: "date de création du fichier (> 1/1/<year>)".',
    check: (f) => (compareDates(f.createdOn, `${f.year}-01-01`) > 0 ? [] : [issue('creation-date', 'createdOn', `must be after ${f.year}-01-01`)]),
  },
  {
    id: 'care-took-place',
    rule: 'The file is not created before the last day of care it certifies: a period ends on or before the creation date (v0011).',
    source: 'CIR 92 art. 145/35 and the 281.86 model form: the certificate states care that took place and was paid (DOMAIN.md section 8).',
    check: (f) =>
      f.fiches.flatMap((fiche, i) =>
        fiche.periods.flatMap((p, j) =>
          compareDates(p.to, f.createdOn) > 0 ? [issue('care-took-place', `fiches.${i}.periods.${j}.to`, `ends ${p.to}, after the file's creation date ${f.createdOn}: only care that took place is certified`)] : [])),
  },
  {
    id: 'periods-in-year',
    rule: 'Each period starts no later than it ends, and both days are in the income year.',
    source: 'Model form 281.86 (periods of care of the income year); CIR 92 art. 145/35 (expenses paid for care during the taxable period).',
    check: (f) =>
      f.fiches.flatMap((fiche, i) =>
        fiche.periods.flatMap((p, j) => {
          const path = `fiches.${i}.periods.${j}`
          if (compareDates(p.from, p.to) > 0) return [issue('periods-in-year', `${path}.to`, `ends (${p.to}) before it starts (${p.from})`)]
          if (!p.from.startsWith(`${f.year}-`) || !p.to.startsWith(`${f.year}-`)) return [issue('periods-in-year', path, `${p.from}..${p.to} is not inside income year ${f.year}`)]
          return []
        })),
  },
  {
    id: 'periods-ordered',
    rule: 'The periods of a fiche are in date order and do not overlap.',
    source: 'Model form 281.86: up to four distinct periods of care (zones 2.55/2.56, 2.93/2.144, 2.157/2.158, 2.161/2.162).',
    check: (f) =>
      f.fiches.flatMap((fiche, i) =>
        fiche.periods.flatMap((p, j) => {
          const before = fiche.periods[j - 1]
          return before !== undefined && compareDates(before.to, p.from) >= 0
            ? [issue('periods-ordered', `fiches.${i}.periods.${j}.from`, `starts on ${p.from}, not after the previous period's end (${before.to})`)]
            : []
        })),
  },
  {
    id: 'days-fit-period',
    rule: 'A period has no more care days than calendar days.',
    source: 'Model form 281.86 (number of days of care within the period).',
    check: (f) =>
      f.fiches.flatMap((fiche, i) =>
        fiche.periods.flatMap((p, j) => {
          if (compareDates(p.from, p.to) > 0) return []
          const calendar = daysBetween(p.from, p.to) + 1
          return p.days > calendar ? [issue('days-fit-period', `fiches.${i}.periods.${j}.days`, `${p.days} care days do not fit in the ${calendar} days from ${p.from} to ${p.to}`)] : []
        })),
  },
  {
    id: 'daily-ceiling',
    rule: 'The daily rate of each period is at most the income year\'s daily ceiling.',
    source: 'CIR 92 art. 145/36 (expenses retained up to a maximum per day and per child, indexed yearly); model form 281.86: "tarif journalier" limited to the maximum.',
    check: (f) =>
      f.fiches.flatMap((fiche, i) =>
        fiche.periods.flatMap((p, j) =>
          p.dailyRateMinor > f.dailyCeilingMinor
            ? [issue('daily-ceiling', `fiches.${i}.periods.${j}.dailyRateMinor`, `${cents(p.dailyRateMinor)} EUR is over the daily ceiling of ${cents(f.dailyCeilingMinor)} EUR for ${f.year}`)]
            : [])),
  },
  {
    id: 'daily-ceiling-per-child',
    rule: 'The fiches of one child (whoever paid) whose periods have the same first and last day do not together certify more than the daily ceiling times the care days those periods can cover (for consecutive days, their days).',
    source: 'CIR 92 art. 145/36 (expenses retained up to a maximum "per day and per child", whoever paid them); DOMAIN.md section 8 ("daily ceiling per child"). The law does not say how two payers share the ceiling; computeTaxCertificates shares it in proportion to what each paid.',
    check: (f) => ceilingPerChildIssues(f),
  },
  {
    id: 'child-age',
    rule: 'Every period ends before the child\'s 14th birthday (21st with a severe disability) and starts after the birth.',
    source: 'CIR 92 art. 145/35 (children under 14, or under 21 with a severe disability, as amended from income year 2023).',
    check: (f) =>
      f.fiches.flatMap((fiche, i) => {
        const limit = fiche.child.severeDisability ? 21 : 14
        const birthday = addMonths(fiche.child.birthDate, limit * 12)
        return fiche.periods.flatMap((p, j) => {
          if (compareDates(p.to, birthday) >= 0) return [issue('child-age', `fiches.${i}.periods.${j}.to`, `${p.to} is on or after the day the child turns ${limit} (${birthday})`)]
          if (compareDates(p.from, fiche.child.birthDate) < 0) return [issue('child-age', `fiches.${i}.periods.${j}.from`, `${p.from} is before the child's birth (${fiche.child.birthDate})`)]
          return []
        })
      }),
  },
  {
    id: 'child-birth-date',
    rule: 'The child\'s birth date (f86_2163) is the one its national number encodes, when it encodes one.',
    source: 'Registre national: the first six digits are the birth date YYMMDD (bis numbers: month + 20 or + 40).',
    check: (f) =>
      f.fiches.flatMap((fiche, i) => {
        const nn = fiche.child.nationalNumber
        const encoded = nn === undefined ? undefined : nationalNumber.birthDate(nn)
        return encoded !== undefined && encoded !== fiche.child.birthDate
          ? [issue('child-birth-date', `fiches.${i}.child.birthDate`, `${fiche.child.birthDate} is not the birth date of national number ${nn} (${encoded})`)]
          : []
      }),
  },
  {
    id: 'one-fiche-per-child-and-debtor',
    rule: 'A file has one fiche per child and debtor, and each reference (f2010) once.',
    source: 'Model form 281.86: one certificate per child and per person who paid the care; Belcotax-on-web identifies a fiche by its reference within a sending.',
    check: (f) => {
      const pairs = new Map<string, number>()
      const refs = new Map<string, number>()
      return f.fiches.flatMap((fiche, i) => {
        const out: FieldIssue[] = []
        const pair = `${fiche.childId}\u0000${fiche.debtorId}`
        const seen = pairs.get(pair)
        if (seen !== undefined) out.push(issue('one-fiche-per-child-and-debtor', `fiches.${i}`, `child ${fiche.childId} and debtor ${fiche.debtorId} already have fiche ${seen}`))
        else pairs.set(pair, i)
        const ref = refs.get(fiche.reference)
        if (ref !== undefined) out.push(issue('one-fiche-per-child-and-debtor', `fiches.${i}.reference`, `reference ${fiche.reference} is already used by fiche ${ref}`))
        else refs.set(fiche.reference, i)
        return out
      })
    },
  },
  {
    id: 'treatment-matches-sending',
    rule: 'An ordinary sending carries original fiches only; a corrective sending (v0025 = 1, with v0026) carries modifications and cancellations only.',
    source: 'Belcotax XSD documentation of v0025_typeenvoi / v0026_referte ("référence de l\'envoi qu\'on modifie") and f2028_typetraitement (0, 1, 2 or 3).',
    check: (f) =>
      f.fiches.flatMap((fiche, i) => {
        const corrective = f.correction !== undefined
        if (corrective && fiche.treatment === 'original') return [issue('treatment-matches-sending', `fiches.${i}.treatment`, 'a corrective sending carries modifications or cancellations, not an original fiche')]
        if (!corrective && fiche.treatment !== 'original') return [issue('treatment-matches-sending', `fiches.${i}.treatment`, `a ${fiche.treatment} needs a corrective sending (correction.originalSendingReference)`)]
        return []
      }),
  },
  {
    id: 'amount-lengths',
    rule: 'Each period amount and the fiche total fit their 11-digit zones (in cents), the control total its 13 digits.',
    source: 'Belcotax XSD, lengths of f86_2060..f86_2064 (11) and f86_2059_totaalcontrole (13), amounts in euro cents.',
    check: (f) =>
      f.fiches.flatMap((fiche, i) => {
        const amounts = fiche.periods.map((p) => p.dailyRateMinor * BigInt(p.days))
        const total = amounts.reduce((s, a) => s + a, 0n)
        if (amounts.some((a) => a > AMOUNT_MAX) || total > AMOUNT_MAX || total * 2n > CONTROL_MAX) {
          return [issue('amount-lengths', `fiches.${i}.periods`, `the amounts (total ${cents(total)} EUR) do not fit the fiche's zones`)]
        }
        return []
      }),
  },
]

const NOT_ASCII = /[^\u0000-\u007f]/
/** A name as people type it, for comparing: composed (NFC), spaces collapsed, lower case. */
const nameKey = (text: string): string => (NOT_ASCII.test(text) ? text.normalize('NFC') : text).trim().replace(/\s+/g, ' ').toLowerCase()

/**
 * Which child each fiche is for, as far as the fiche data tells: the child's national number
 * when the fiche gives one; otherwise the child's last name, first name and birth date, joined
 * to the national number of the fiches with that name and birth date when they all give the
 * same one (a guardian who typed it and one who did not). Two fiches with different national
 * numbers are two children, whatever their names.
 */
function childKeys(fiches: readonly Belcotax28186Fiche[]): string[] {
  const named = fiches.map((fiche) => `${nameKey(fiche.child.lastName)}\u0000${nameKey(fiche.child.firstName)}\u0000${fiche.child.birthDate}`)
  const numbers = fiches.map((fiche) => {
    const nn = fiche.child.nationalNumber
    return nn === undefined ? undefined : (nationalNumber.normalize(nn) ?? nn.trim())
  })
  const numbersByName = new Map<string, Set<string>>()
  numbers.forEach((nn, i) => {
    if (nn === undefined) return
    const set = numbersByName.get(named[i]!)
    if (set) set.add(nn)
    else numbersByName.set(named[i]!, new Set([nn]))
  })
  return fiches.map((_, i) => {
    const nn = numbers[i] ?? (numbersByName.get(named[i]!)?.size === 1 ? [...numbersByName.get(named[i]!)!][0] : undefined)
    return nn === undefined ? `name:${named[i]}` : `nn:${nn}`
  })
}

/**
 * The most distinct care days the given periods (all from `from` to `to`, of one child) can cover
 * together: a fiche gives its care days only as a count, so which of them coincide is unknown.
 * Every period holds its first and last day, so they cover at most those two days plus each
 * period's other days, and never more than the calendar days from `from` to `to`. When the
 * periods cover every calendar day (consecutive days), that is exactly their number of days.
 */
function mostDaysCovered(from: LocalDate, to: LocalDate, days: readonly number[]): number {
  if (from === to) return 1
  const calendar = daysBetween(from, to) + 1
  const spread = 2 + days.reduce((sum, d) => sum + Math.max(0, d - 2), 0)
  return Math.min(calendar, spread)
}

/**
 * The rule `daily-ceiling-per-child`: the periods of one child with the same first and last day,
 * on two or more fiches that are not cancellations, must together certify at most the daily
 * ceiling times the most care days they can cover together ({@link mostDaysCovered}): for periods
 * of consecutive days (the same 2 to 3 March on two guardians' fiches), the ceiling times those
 * days. A fiche gives its care days only as a count within a period, so the rule refuses only a
 * file that certainly certifies more than the ceiling for some day, never one whose fiches may
 * cover different days (3 days each from 2 to 6 March may be 4 distinct days); periods with other
 * first or last days are not compared. One issue per child and period over the ceiling, on the
 * last of its fiches, naming every fiche of it.
 */
function ceilingPerChildIssues(f: Belcotax28186): FieldIssue[] {
  const children = childKeys(f.fiches)
  // by period bounds, then by child (two levels: the child keys are reused, never concatenated)
  const byBounds = new Map<string, Map<string, Array<{ i: number; j: number; days: number; amount: bigint }>>>()
  f.fiches.forEach((fiche, i) => {
    if (fiche.treatment === 'cancellation') return
    fiche.periods.forEach((p, j) => {
      if (compareDates(p.from, p.to) > 0) return // refused by periods-in-year
      const bounds = `${p.from}/${p.to}`
      let byChild = byBounds.get(bounds)
      if (!byChild) byBounds.set(bounds, (byChild = new Map()))
      const entry = { i, j, days: p.days, amount: p.dailyRateMinor * BigInt(p.days) }
      const group = byChild.get(children[i]!)
      if (group) group.push(entry)
      else byChild.set(children[i]!, [entry])
    })
  })
  const groups = [...byBounds.values()].flatMap((byChild) => [...byChild.values()])
  const out: FieldIssue[] = []
  for (const group of groups) {
    if (group.length < 2 || group.every((g) => g.i === group[0]!.i)) continue
    const first = group[0]!
    const { from, to } = f.fiches[first.i]!.periods[first.j]!
    const days = mostDaysCovered(from, to, group.map((g) => g.days))
    const total = group.reduce((sum, g) => sum + g.amount, 0n)
    const allowed = f.dailyCeilingMinor * BigInt(days)
    if (total <= allowed) continue
    const last = group[group.length - 1]!
    const child = f.fiches[first.i]!.child
    const named = group.map((g) => `fiche ${g.i} (reference ${f.fiches[g.i]!.reference}, debtor ${f.fiches[g.i]!.debtorId}, ${cents(g.amount)} EUR for ${g.days} days)`).join(' and ')
    out.push(issue(
      'daily-ceiling-per-child',
      `fiches.${last.i}.periods.${last.j}`,
      `${named} together certify ${cents(total)} EUR for child ${child.firstName} ${child.lastName} (born ${child.birthDate}) from ${from} to ${to}, ` +
        `over the ${cents(allowed)} EUR the daily ceiling allows (${days} care days at most × ${cents(f.dailyCeilingMinor)} EUR per day and child, whoever paid): share the ceiling between the payers`,
    ))
  }
  return out
}

/** 1690n -> '16.90'. */
export function cents(minor: bigint): string {
  const sign = minor < 0n ? '-' : ''
  const abs = minor < 0n ? -minor : minor
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}
