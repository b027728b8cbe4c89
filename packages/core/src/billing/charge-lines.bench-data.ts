import type { LocalDate } from '../time'
import { addDays, weekday } from '../time'
import type { ChargeConfigInput } from './charge-config'
import type { BillableDay } from './charge-lines'

/**
 * @internal The benchmark's data set (not exported from the package): `children` children in
 * households of 1 to 3 (deterministic, no randomness), three invoiced services (canteen priced by
 * QF brackets, after-school care degressive by sibling rank, study at a fixed price with a
 * surcharge for unbooked attendance), one billing rule per household (one in ten households has
 * separated parents on alternate ISO weeks), and `schoolDays` weekdays from 2026-09-01.
 */
export function chargeBenchData(children = 50_000, schoolDays = 20): { config: ChargeConfigInput; days: BillableDay[]; dates: LocalDate[] } {
  const eur = (amount: string) => ({ amount, currency: 'EUR' })
  const dates: LocalDate[] = []
  for (let d: LocalDate = '2026-09-01'; dates.length < schoolDays; d = addDays(d, 1)) if (weekday(d) <= 5) dates.push(d)
  const beneficiaries: { id: string; birthDate: string }[] = []
  const rules: unknown[] = []
  const quotients: unknown[] = []
  const services = ['canteen', 'care', 'study']
  let household = 0
  for (let c = 0; c < children; household++) {
    const size = Math.min(1 + (household % 3), children - c)
    const kids: string[] = []
    for (let k = 0; k < size; k++, c++) {
      const id = `child-${c}`
      kids.push(id)
      beneficiaries.push({ id, birthDate: `${2014 + k}-0${1 + (c % 9)}-1${c % 10}` })

    }
    const covers = kids.flatMap((b) => services.map((s) => ({ beneficiaryId: b, serviceId: s })))
    const mum = `g-${household}-a`
    const dad = `g-${household}-b`
    if (household % 10 === 9) {
      rules.push({ id: `rule-${household}-even`, payers: [{ guardianId: mum, weight: 1 }], covers, from: '2026-09-01', criterion: { kind: 'isoParity', parity: 'even', week53: 'odd' } })
      rules.push({ id: `rule-${household}-odd`, payers: [{ guardianId: dad, weight: 1 }], covers, from: '2026-09-01', criterion: { kind: 'isoParity', parity: 'odd', week53: 'odd' } })
    } else if (household % 10 === 4) {
      rules.push({ id: `rule-${household}`, payers: [{ guardianId: mum, weight: 1 }, { guardianId: dad, weight: 2 }], covers, from: '2026-09-01', criterion: { kind: 'always' }, jointDebtorIds: [`g-${household}-c`] })
    } else {
      rules.push({ id: `rule-${household}`, payers: [{ guardianId: mum, weight: 1 }], covers, from: '2026-09-01', criterion: { kind: 'always' } })
    }
    if (household % 7 !== 0) quotients.push({ guardianId: mum, quotient: String((household * 37) % 2500), from: '2026-01-01' })
  }
  const config = {
    rules,
    services: services.map((id) => ({ id, billing: 'invoiced', billingOfficeId: 'office' })),
    billingOffices: [{ id: 'office', currency: 'EUR', roundingMode: 'halfUp' }],
    pricing: [
      {
        serviceId: 'canteen',
        mode: { kind: 'booked' },
        tariffs: [
          {
            from: '2026-09-01',
            tariff: {
              kind: 'quotientBrackets',
              noQuotientPrice: eur('5.20'),
              brackets: [
                { min: 0, max: 500, price: eur('1.00') },
                { min: 500, max: 1000, price: eur('2.40') },
                { min: 1000, max: 1600, price: eur('3.60') },
                { min: 1600, price: eur('4.90') },
              ],
            },
          },
        ],
      },
      { serviceId: 'care', mode: { kind: 'attended' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'siblingRank', ranking: 'chargedThatDay', prices: [eur('2.10'), eur('1.80'), eur('1.50')] } }] },
      {
        serviceId: 'study',
        mode: { kind: 'bookedWithSurcharge', unbookedAttendance: { effect: 'surcharge', kind: 'percentage', percent: '25' } },
        tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: eur('1.75') } }],
      },
    ],
    beneficiaries,
    quotients,

  }
  const days: BillableDay[] = new Array(children * services.length * dates.length)
  let n = 0
  for (let c = 0; c < children; c++) {
    const id = (beneficiaries[c] as { id: string }).id
    for (const serviceId of services) {
      for (let d = 0; d < dates.length; d++) {
        const r = (c * 31 + d * 7 + serviceId.length) % 20
        days[n++] = { beneficiaryId: id, serviceId, date: dates[d] as LocalDate, booked: r !== 0, attended: r > 1, justifiedAbsence: r === 1 }
      }
    }
  }
  return { config: config as ChargeConfigInput, days, dates }
}
