/**
 * The city: a French municipality (school zone C) of `children` children, generated
 * deterministically from a seed. Everything the month needs is here: schools and classes,
 * households (separated parents billed on alternate ISO weeks or on a list of weeks, joint
 * debtors, family quotients), the services and their tariffs (canteen by quotient brackets,
 * after-school care degressive by sibling rank, the Wednesday leisure centre, a prepaid snack),
 * prepaid wallets, direct-debit mandates, mail consents, and the closures of the national
 * calendar plus a few local ones.
 */
import {
  addDays, isoWeek, publicHolidayDates, schoolHolidays, weekday, type BillingRuleInput, type ChargeConfigInput, type LocalDate, type Period,
} from '@ecole/core'

export const SITE_ID = 'ville'
export const OFFICE = 'regie-ville'
export const SITE_NAME = 'Ville de Créteil'
export const CITY_IBAN = 'FR7630004000031234567890143'
export const CREDITOR_ID = 'FR72ZZZ123456'
export const DEBTOR_IBAN = 'FR7630006000011234567890189'

/** The services of the city (ids, labels, weekdays, how they are paid). */
export const SERVICES = {
  canteen: { id: 'cantine', label: 'Restauration scolaire', weekdays: [1, 2, 4, 5] },
  care: { id: 'garderie', label: 'Accueil du soir', weekdays: [1, 2, 4, 5] },
  centre: { id: 'mercredi', label: 'Accueil de loisirs du mercredi', weekdays: [3] },
  snack: { id: 'gouter', label: 'Goûter (prépayé)', weekdays: [1, 2, 4, 5] },
} as const
export const INVOICED_SERVICE_IDS = [SERVICES.canteen.id, SERVICES.care.id, SERVICES.centre.id] as const
export const SNACK_PRICE_MINOR = 80n

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same city on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface CityChild {
  id: string
  householdIndex: number
  schoolId: string
  classId: string
  birthDate: LocalDate
  /** Canteen weekdays of the child's week template (1 = Monday). */
  canteenDays: number[]
}

export interface CityHousehold {
  index: number
  guardianId: string
  guardianName: string
  children: CityChild[]
  quotient: number | null
  /** Separated parents: the second parent and how weeks are split. */
  separated?: { guardianId: string; guardianName: string; criterion: 'isoParity' | 'weekList' }
  jointDebtor?: { guardianId: string; guardianName: string }
  afterSchoolCare: boolean
  wednesdayCentre: boolean
  prepaidWallet: boolean
  directDebit: boolean
  /** Consent to receive mail (a guardian who refused gets the invoice on the portal only). */
  mailConsent: boolean
}

export interface City {
  seed: number
  month: { from: LocalDate; to: LocalDate; label: string }
  schools: Array<{ id: string; name: string; classIds: string[] }>
  households: CityHousehold[]
  children: CityChild[]
  periods: Period[]
  publicHolidays: LocalDate[]
  /** Every guardian's display name (payers, second parents, joint debtors). */
  names: Map<string, string>
}

const SURNAMES = [
  'Martin', 'Bernard', 'Moreau', 'Petit', 'Durand', 'Leroy', 'Roux', 'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller',
  'Lefèvre', 'Faure', 'André', 'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia', 'Perrin', 'Robin', 'Clément',
  'Diallo', 'Nguyen', 'Benali', 'Haddad', 'Traoré', 'Kaya', 'Silva', 'Rossi',
]
const CLASS_LEVELS = ['cp', 'ce1', 'ce2', 'cm1', 'cm2']
const CHILDREN_PER_SCHOOL = 250
const CHILDREN_PER_CLASS = 25

function pad(n: number, w: number): string { return String(n).padStart(w, '0') }

/** The first and last day of `month` ('YYYY-MM'). */
export function monthRange(month: string): { from: LocalDate; to: LocalDate } {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`--month must be YYYY-MM, got ${month}`)
  const [y, m] = month.split('-').map(Number) as [number, number]
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { from: `${month}-01` as LocalDate, to: `${month}-${pad(last, 2)}` as LocalDate }
}

/** The school year ('2026-2027') a date belongs to (September to August). */
function schoolYearOf(date: LocalDate): `${number}-${number}` {
  const y = Number(date.slice(0, 4))
  return Number(date.slice(5, 7)) >= 9 ? `${y}-${y + 1}` as const : `${y - 1}-${y}` as const
}

/** Generates the city of `children` children for `month`, the same for the same seed. */
export function generateCity(options: { children: number; month: string; seed?: number }): City {
  const seed = options.seed ?? 20270101
  const random = prng(seed)
  const range = monthRange(options.month)
  const schoolCount = Math.max(1, Math.ceil(options.children / CHILDREN_PER_SCHOOL))
  const schools: City['schools'] = []
  for (let s = 0; s < schoolCount; s++) {
    const classIds = Array.from({ length: CHILDREN_PER_SCHOOL / CHILDREN_PER_CLASS }, (_, k) => `e${pad(s, 3)}-${CLASS_LEVELS[k % 5]}${k >= 5 ? 'b' : 'a'}`)
    schools.push({ id: `ecole-${pad(s, 3)}`, name: `École ${SURNAMES[s % SURNAMES.length]} ${s + 1}`, classIds })
  }
  const households: CityHousehold[] = []
  const children: CityChild[] = []
  const names = new Map<string, string>()
  for (let h = 0; children.length < options.children; h++) {
    const r = random()
    const size = Math.min(r < 0.5 ? 1 : r < 0.85 ? 2 : 3, options.children - children.length)
    const surname = SURNAMES[Math.floor(random() * SURNAMES.length)]!
    const school = schools[Math.floor(children.length / CHILDREN_PER_SCHOOL)]!
    const kids: CityChild[] = []
    for (let k = 0; k < size; k++) {
      const c = children.length
      const classIndex = Math.floor((c % CHILDREN_PER_SCHOOL) / CHILDREN_PER_CLASS)
      const days = random()
      const child: CityChild = {
        id: `enf-${pad(c, 6)}`, householdIndex: h, schoolId: school.id, classId: school.classIds[classIndex]!,
        birthDate: `${2016 + (classIndex % 5)}-${pad(1 + Math.floor(random() * 12), 2)}-${pad(1 + Math.floor(random() * 28), 2)}` as LocalDate,
        canteenDays: days < 0.6 ? [1, 2, 4, 5] : days < 0.85 ? [1, 2, 4] : [2, 5],
      }
      kids.push(child)
      children.push(child)
    }
    const guardianId = `resp-${pad(h, 6)}`
    const household: CityHousehold = {
      index: h, guardianId, guardianName: `M./Mme ${surname}`, children: kids,
      quotient: random() < 0.12 ? null : Math.floor(random() * 2200),
      afterSchoolCare: random() < 0.35, wednesdayCentre: random() < 0.2, prepaidWallet: random() < 0.15,
      directDebit: random() < 0.45, mailConsent: random() < 0.92,
    }
    const sep = random()
    if (sep < 0.12) household.separated = { guardianId: `${guardianId}-b`, guardianName: `${['Paul', 'Karim', 'Luc', 'Marc'][h % 4]} ${surname}`, criterion: sep < 0.06 ? 'isoParity' : 'weekList' }
    else if (sep < 0.16) household.jointDebtor = { guardianId: `${guardianId}-j`, guardianName: `${['Henri', 'Odile', 'Yves'][h % 3]} ${surname} (tiers solidaire)` }
    names.set(guardianId, household.guardianName)
    if (household.separated) names.set(household.separated.guardianId, household.separated.guardianName)
    if (household.jointDebtor) names.set(household.jointDebtor.guardianId, household.jointDebtor.guardianName)
    households.push(household)
  }
  // closures: the national calendar (public holidays, zone C school holidays) and a few local ones
  const year = Number(range.from.slice(0, 4))
  const publicHolidays = publicHolidayDates({ country: 'FR' }, year - 1, year + 1)
  const holidays = schoolHolidays('FR-C', schoolYearOf(range.from))
  const periods: Period[] = []
  for (const [i, h] of holidays.entries()) {
    periods.push({ id: `vacances-${i}`, kind: 'closure', label: h.name, from: h.from, to: h.to, scopes: [SERVICES.canteen, SERVICES.care, SERVICES.snack, SERVICES.centre].map((s) => ({ serviceId: s.id })) })
  }
  // a strike day in one school in ten (the canteen closes), the second Thursday of the month
  let thursday = range.from
  while (weekday(thursday) !== 4) thursday = addDays(thursday, 1)
  thursday = addDays(thursday, 7)
  for (const s of schools.filter((_, i) => i % 10 === 3)) {
    periods.push({ id: `greve-${s.id}`, kind: 'closure', label: 'Grève', from: thursday, to: thursday, scopes: [{ serviceId: SERVICES.canteen.id, schoolId: s.id }] })
  }
  return { seed, month: { ...range, label: options.month }, schools, households, children, periods, publicHolidays, names }
}

/** The ISO weeks of the month a second parent of a week-list household has (every other week, starting with the second). */
function weekListOf(month: { from: LocalDate; to: LocalDate }): Array<{ year: number; week: number }> {
  const weeks: Array<{ year: number; week: number }> = []
  for (let d = month.from; d <= month.to; d = addDays(d, 7)) weeks.push(isoWeek(d))
  weeks.push(isoWeek(month.to))
  const unique = [...new Map(weeks.map((w) => [`${w.year}-${w.week}`, w])).values()]
  return unique.filter((_, i) => i % 2 === 1)
}

/** The billing rules: one per household, two for separated parents (alternate ISO weeks or a list of weeks). */
export function cityBillingRules(city: City): BillingRuleInput[] {
  const rules: BillingRuleInput[] = []
  const otherWeeks = weekListOf(city.month)
  const allWeeks = new Set(otherWeeks.map((w) => `${w.year}-${w.week}`))
  const firstWeeks: Array<{ year: number; week: number }> = []
  for (let d = addDays(city.month.from, -7); d <= addDays(city.month.to, 7); d = addDays(d, 1)) {
    const w = isoWeek(d)
    if (!allWeeks.has(`${w.year}-${w.week}`) && !firstWeeks.some((x) => x.year === w.year && x.week === w.week)) firstWeeks.push(w)
  }
  for (const h of city.households) {
    const covers = h.children.flatMap((c) => Object.values(SERVICES).map((s) => ({ beneficiaryId: c.id, serviceId: s.id })))
    const from = '2026-09-01'
    if (h.separated?.criterion === 'isoParity') {
      rules.push({ id: `regle-${h.index}-a`, payers: [{ guardianId: h.guardianId, weight: 1 }], covers, from, criterion: { kind: 'isoParity', parity: 'even', week53: 'odd' } })
      rules.push({ id: `regle-${h.index}-b`, payers: [{ guardianId: h.separated.guardianId, weight: 1 }], covers, from, criterion: { kind: 'isoParity', parity: 'odd', week53: 'odd' } })
    } else if (h.separated) {
      rules.push({ id: `regle-${h.index}-a`, payers: [{ guardianId: h.guardianId, weight: 1 }], covers, from, criterion: { kind: 'weekList', weeks: firstWeeks } })
      rules.push({ id: `regle-${h.index}-b`, payers: [{ guardianId: h.separated.guardianId, weight: 1 }], covers, from, criterion: { kind: 'weekList', weeks: otherWeeks } })
    } else {
      rules.push({ id: `regle-${h.index}`, payers: [{ guardianId: h.guardianId, weight: 1 }], covers, from, criterion: { kind: 'always' }, ...(h.jointDebtor ? { jointDebtorIds: [h.jointDebtor.guardianId] } : {}) })
    }
  }
  return rules
}

const eur = (amount: string) => ({ amount, currency: 'EUR' })

/** The pricing of the month's charge lines (quotient brackets, sibling ranks, fixed prices). */
export function cityChargeConfig(city: City, rules: BillingRuleInput[]): ChargeConfigInput {
  return {
    rules,
    services: Object.values(SERVICES).map((s) => ({ id: s.id, billing: s.id === SERVICES.snack.id ? 'prepaid' : 'invoiced', billingOfficeId: OFFICE })),
    billingOffices: [{ id: OFFICE, currency: 'EUR', roundingMode: 'halfUp' }],
    pricing: [
      {
        serviceId: SERVICES.canteen.id, mode: { kind: 'booked' },
        tariffs: [{ from: '2026-09-01', tariff: { kind: 'quotientBrackets', noQuotientPrice: eur('4.60'), brackets: [{ min: 0, max: 700, price: eur('1.00') }, { min: 700, max: 1200, price: eur('3.20') }, { min: 1200, price: eur('4.15') }] } }],
      },
      { serviceId: SERVICES.care.id, mode: { kind: 'attended' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'siblingRank', ranking: 'chargedThatDay', prices: [eur('2.50'), eur('2.10'), eur('1.80')] } }] },
      { serviceId: SERVICES.centre.id, mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: eur('12.00') } }] },
      { serviceId: SERVICES.snack.id, mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: eur('0.80') } }] },
    ],
    beneficiaries: city.children.map((c) => ({ id: c.id, birthDate: c.birthDate })),
    quotients: city.households.filter((h) => h.quotient !== null).flatMap((h) => [h.guardianId, ...(h.separated ? [h.separated.guardianId] : [])].map((g) => ({ guardianId: g, quotient: h.quotient!, from: '2026-01-01' }))),
    subscriptions: city.children.flatMap((c) => Object.values(SERVICES).map((s) => ({ beneficiaryId: c.id, serviceId: s.id, from: '2026-09-01' }))),
  }
}

/** The services a child subscribes to. */
export function subscriptionsOf(h: CityHousehold): string[] {
  return [SERVICES.canteen.id, ...(h.afterSchoolCare ? [SERVICES.care.id] : []), ...(h.wednesdayCentre ? [SERVICES.centre.id] : []), ...(h.prepaidWallet ? [SERVICES.snack.id] : [])]
}

/** Wallet top-up of a household (cents): 20 or 40 euros. */
export function topUpMinor(h: CityHousehold): bigint {
  return h.index % 2 === 0 ? 4000n : 2000n
}
