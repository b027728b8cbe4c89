// Stage 4 of a charge-line run: group lines. Each accumulated line is computed exactly (unit
// price x quantity), rounded once with the office's rounding mode, split between the rule's
// payers by weight (largest remainder), and filed under its debtor x billing office x period:
// one group is what one invoice holds. Internal.
import { EcoleError } from '../errors'
import { Money, allocateMinor } from '../money'
import type { DateRange, LocalDate } from '../time'
import type { BillableDay, ChargeGroup, ChargeLine } from './charge-lines'
import { KIND_INDEX, compareStrings, type LineAcc } from './charge-run'

function isSorted(dates: readonly string[]): boolean {
  for (let i = 1; i < dates.length; i++) if ((dates[i - 1] as string) > (dates[i] as string)) return false
  return true
}

/** The lines of a run, priced and split, in groups sorted by debtor, office, period. */
export function groupLines(lines: Map<string, Map<number, LineAcc>>, periods: readonly DateRange[], periodBound: number, days: readonly BillableDay[], nextDay: Int32Array): ChargeGroup[] {
  const groups = new Map<number, ChargeGroup>()
  const debtorIndex = new Map<string, number>()
  const officeIndex = new Map<string, number>()
  const amounts = new Map<number, { exact: Money; rounded: bigint }>()
  for (const byKey of lines.values()) {
    for (const head of byKey.values()) {
     for (let acc: LineAcc | undefined = head; acc !== undefined; acc = acc.next) {
      const { rule, service, price } = acc
      // price keys are per tariff period and office: (price, quantity) fixes the amounts
      const amountKey = acc.quantity < 1_048_576 ? price.id * 1_048_576 + acc.quantity : -1
      let amount = amountKey >= 0 ? amounts.get(amountKey) : undefined
      if (amount === undefined) {
        if (price.unitPriceMinor !== undefined) {
          const rounded = price.unitPriceMinor * BigInt(acc.quantity)
          amount = { exact: Money.fromMinor(rounded, service.currency), rounded }
        } else {
          const exact = price.unitPrice.times(acc.quantity)
          amount = { exact, rounded: exact.round(service.rounding).toMinor() }
        }
        if (amountKey >= 0) amounts.set(amountKey, amount)
      }
      const exact = amount.exact
      const rounded = amount.rounded
      const shares = rule.weights.length === 1 ? undefined : allocateMinor(rounded, rule.weights)
      let dates: LocalDate[] = new Array<LocalDate>(acc.count)
      // each day's units, kept only when they are not all 1 (the line then has more units than days)
      let dayQuantities: number[] | undefined = acc.quantity === acc.count ? undefined : new Array<number>(acc.count)
      for (let j = 0, at = acc.firstDay; j < acc.count; j++, at = nextDay[at] as number) {
        const day = days[at] as BillableDay
        dates[j] = day.date
        if (dayQuantities !== undefined) dayQuantities[j] = day.quantity ?? 1
      }
      if (dates.length > 1 && !isSorted(dates)) {
        if (dayQuantities === undefined) dates.sort(compareStrings)
        else {
          const order = dates.map((_, j) => j).sort((a, b) => compareStrings(dates[a] as string, dates[b] as string))
          const q = dayQuantities
          dates = order.map((j) => dates[j] as LocalDate)
          dayQuantities = order.map((j) => q[j] as number)
        }
      }
      let office = officeIndex.get(service.officeId)
      if (office === undefined) officeIndex.set(service.officeId, (office = officeIndex.size))
      const period = periods[acc.periodIndex] as DateRange
      const debtors = rule.resolution.debtors
      for (let k = 0; k < debtors.length; k++) {
        const debtor = debtors[k] as { guardianId: string; weight: number }
        if (debtor.weight === 0) continue
        const line: ChargeLine = {
          ruleId: rule.resolution.ruleId,
          debtorId: debtor.guardianId,
          weight: debtor.weight,
          totalWeight: rule.totalWeight,
          jointDebtorIds: rule.resolution.jointDebtorIds,
          beneficiaryId: acc.beneficiaryId,
          serviceId: service.id,
          billingOfficeId: service.officeId,
          period,
          kind: price.kind,
          dates,
          quantity: acc.quantity,
          ...(dayQuantities === undefined ? {} : { dayQuantities }),
          currency: service.currency,
          unitPrice: price.unitPrice,
          exact,
          roundedAmountMinor: rounded,
          amountMinor: shares === undefined ? rounded : (shares[k] as bigint),
          tariffFrom: price.tariffFrom,
          basis: price.basis,
          adjustment: price.adjustment,
          standingAdjustment: price.standingAdjustment,
          explanation: price.explanation,
        }
        let debtorI = debtorIndex.get(debtor.guardianId)
        if (debtorI === undefined) debtorIndex.set(debtor.guardianId, (debtorI = debtorIndex.size))
        const gKey = (debtorI * periodBound + acc.periodIndex) * 1024 + office
        if (office >= 1024) throw new EcoleError('TOO_MANY_OFFICES', 'a charge-line run handles at most 1024 billing offices')
        let g = groups.get(gKey)
        if (g === undefined) {
          g = { debtorId: debtor.guardianId, billingOfficeId: service.officeId, period, currency: service.currency, jointDebtorIds: [], lines: [], totalMinor: 0n }
          groups.set(gKey, g)
        }
        g.lines.push(line)
        g.totalMinor += line.amountMinor
      }
     }
    }
  }
  const out = [...groups.values()]
  for (const g of out) {
    const joint = new Set<string>()
    for (const l of g.lines) for (const j of l.jointDebtorIds) joint.add(j)
    g.jointDebtorIds = [...joint].sort(compareStrings)
    g.lines.sort(
      (a, b) =>
        compareStrings(a.beneficiaryId, b.beneficiaryId) ||
        compareStrings(a.serviceId, b.serviceId) ||
        KIND_INDEX[a.kind] - KIND_INDEX[b.kind] ||
        compareStrings(a.dates[0] as string, b.dates[0] as string) ||
        compareStrings(a.ruleId, b.ruleId) ||
        (a.unitPrice === b.unitPrice ? 0 : a.unitPrice.compare(b.unitPrice)),
    )
  }
  out.sort((a, b) => compareStrings(a.debtorId, b.debtorId) || compareStrings(a.billingOfficeId, b.billingOfficeId) || compareStrings(a.period.from, b.period.from))
  return out
}
