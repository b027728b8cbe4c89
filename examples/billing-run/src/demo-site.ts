/**
 * The demo site: École Jean-Jaurès, Créteil (French school zone C), two classes, 40 children in
 * 32 families. Everything is derived from the family index, so every run is the same.
 */
import type { BillingRuleInput, LocalDate, Period, ServicePricingInput } from '@ecole/core'

export const SITE_ID = 'demo-creteil'
export const OFFICE = 'regie-periscolaire'
export const SCHOOL = 'ecole-jaures'
export const SCHOOL_IBAN = 'FR7630004000031234567890143'
export const CREDITOR_ID = 'FR72ZZZ123456'

export const SERVICES = {
  canteen: { id: 'cantine', label: 'Cantine', weekdays: [1, 2, 4, 5] },
  care: { id: 'garderie', label: 'Garderie du soir', weekdays: [1, 2, 4, 5] },
  centre: { id: 'centre-loisirs', label: 'Centre de loisirs (vacances)', weekdays: [1, 2, 3, 4, 5] },
  snack: { id: 'gouter', label: 'Goûter (prépayé)', weekdays: [1, 2, 4, 5] },
} as const

const SURNAMES = [
  'Martin', 'Bernard', 'Moreau', 'Petit', 'Durand', 'Leroy', 'Roux', 'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller',
  'Lefèvre', 'Faure', 'André', 'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia', 'Perrin', 'Robin', 'Clément',
]
const FIRST = ['Léa', 'Hugo', 'Chloé', 'Louis', 'Emma', 'Jules', 'Inès', 'Gabriel', 'Jade', 'Arthur', 'Manon', 'Adam', 'Louise', 'Raphaël', 'Alice', 'Nathan', 'Lina', 'Tom', 'Rose', 'Noah']

export interface DemoChild { id: string; name: string; classId: 'cp' | 'ce1'; birthDate: LocalDate; familyIndex: number }
export interface DemoFamily {
  index: number
  surname: string
  guardianId: string
  guardianName: string
  children: DemoChild[]
  /** Family quotient, or null when unknown (the tariff's no-QF price applies). */
  quotient: number | null
  /** Separated parents billed on alternate ISO weeks: the second guardian. */
  separatedFrom?: { guardianId: string; guardianName: string }
  /** Jointly liable third party printed on the invoices. */
  jointDebtor?: { guardianId: string; guardianName: string }
  afterSchoolCare: boolean
  holidayCentre: boolean
  prepaidWallet: boolean
  directDebit: boolean
}

function pad(n: number): string { return String(n).padStart(2, '0') }

/** The 32 families: 1-8 have two children, 9-32 one (40 children). */
export function demoFamilies(): DemoFamily[] {
  const families: DemoFamily[] = []
  let child = 0
  for (let i = 1; i <= 32; i++) {
    const surname = SURNAMES[i - 1]!
    const kids: DemoChild[] = []
    for (let k = 0; k < (i <= 8 ? 2 : 1); k++) {
      child++
      const classId = child % 2 === 0 ? 'ce1' : 'cp'
      kids.push({ id: `enfant-${pad(child)}`, name: `${FIRST[child % FIRST.length]} ${surname}`, classId, birthDate: `${classId === 'cp' ? 2020 : 2019}-${pad((child % 12) + 1)}-${pad((child % 27) + 1)}` as LocalDate, familyIndex: i })
    }
    families.push({
      index: i, surname, guardianId: `resp-${pad(i)}`, guardianName: `${i === 3 ? 'Claire' : 'M./Mme'} ${surname}`, children: kids,
      quotient: i === 12 ? null : i === 7 ? 0 : (i * 137) % 1600,
      ...(i === 3 ? { separatedFrom: { guardianId: 'resp-03b', guardianName: 'Paul Moreau' } } : {}),
      ...(i === 5 ? { jointDebtor: { guardianId: 'resp-05j', guardianName: 'Henri Durand (grand-père)' } } : {}),
      afterSchoolCare: i % 3 === 0,
      holidayCentre: i % 4 === 1 || i === 3,
      prepaidWallet: i >= 20 && i <= 27,
      directDebit: i % 2 === 0,
    })
  }
  return families
}

/** The billing rules: one per family; family 3's parents alternate on ISO week parity (week 53 to the odd-week parent). */
export function demoBillingRules(families: readonly DemoFamily[]): BillingRuleInput[] {
  const rules: BillingRuleInput[] = []
  for (const f of families) {
    const covers = f.children.flatMap((c) => Object.values(SERVICES).map((s) => ({ beneficiaryId: c.id, serviceId: s.id })))
    if (f.separatedFrom) {
      rules.push({ id: `regle-${f.index}-mere`, payers: [{ guardianId: f.guardianId, weight: 1 }], covers, from: '2026-09-01', criterion: { kind: 'isoParity', parity: 'even', week53: 'odd' } })
      rules.push({ id: `regle-${f.index}-pere`, payers: [{ guardianId: f.separatedFrom.guardianId, weight: 1 }], covers, from: '2026-09-01', criterion: { kind: 'isoParity', parity: 'odd', week53: 'odd' } })
    } else {
      rules.push({
        id: `regle-${f.index}`, payers: [{ guardianId: f.guardianId, weight: 1 }], covers, from: '2026-09-01', criterion: { kind: 'always' },
        ...(f.jointDebtor ? { jointDebtorIds: [f.jointDebtor.guardianId] } : {}),
      })
    }
  }
  return rules
}

/** Canteen and after-school care close for the Christmas holidays; the holiday centre opens then. */
export function demoPeriods(christmas: { from: LocalDate; to: LocalDate }): Period[] {
  return [
    { id: 'noel-fermeture', kind: 'closure', label: 'Vacances de Noël', from: christmas.from, to: christmas.to, scopes: [{ serviceId: SERVICES.canteen.id }, { serviceId: SERVICES.care.id }, { serviceId: SERVICES.snack.id }] },
    { id: 'noel-centre', kind: 'opening', label: 'Centre de loisirs de Noël', from: christmas.from, to: christmas.to, scopes: [{ serviceId: SERVICES.centre.id }] },
  ]
}

/** Every guardian's display name. */
export function guardianNames(families: readonly DemoFamily[]): Map<string, string> {
  const names = new Map<string, string>()
  for (const f of families) {
    names.set(f.guardianId, f.guardianName)
    if (f.separatedFrom) names.set(f.separatedFrom.guardianId, f.separatedFrom.guardianName)
    if (f.jointDebtor) names.set(f.jointDebtor.guardianId, f.jointDebtor.guardianName)
  }
  return names
}

/**
 * How the demo's services are priced: the canteen by family quotient (1,00 EUR under QF 700,
 * 3,20 EUR under 1200, 4,15 EUR above, 4,60 EUR without a QF), the after-school care on attended
 * days at 2,50 EUR, the holiday centre at 12,00 EUR a day, the prepaid snack at 0,80 EUR.
 */
export function demoPricing(): ServicePricingInput[] {
  const eur = (amount: string) => ({ amount, currency: 'EUR' })
  return [
    { serviceId: SERVICES.canteen.id, mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'quotientBrackets', noQuotientPrice: eur('4.60'), brackets: [{ min: 0, max: 700, price: eur('1.00') }, { min: 700, max: 1200, price: eur('3.20') }, { min: 1200, price: eur('4.15') }] } }] },
    { serviceId: SERVICES.care.id, mode: { kind: 'attended' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: eur('2.50') } }] },
    { serviceId: SERVICES.centre.id, mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: eur('12.00') } }] },
    { serviceId: SERVICES.snack.id, mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: eur('0.80') } }] },
  ]
}

/** The family quotients of the demo's payers (both separated parents share their family's QF), valid from 2026-01-01. */
export function demoQuotients(families: readonly DemoFamily[]): Array<{ guardianId: string; quotient: number; from: LocalDate }> {
  return families
    .filter((f) => f.quotient !== null)
    .flatMap((f) => [f.guardianId, ...(f.separatedFrom ? [f.separatedFrom.guardianId] : [])].map((g) => ({ guardianId: g, quotient: f.quotient!, from: '2026-01-01' as LocalDate })))
}
