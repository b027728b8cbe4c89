import type { BillableDay, ChargeGroup, ChargeLine } from '../billing'
import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'
import { allocateMinor } from '../money'
import type { LocalDate } from '../time'
import type { InvoiceChargeLine } from './charge-line'
import { asInputError } from '../input-error'

/**
 * The stable id of one day's charge: `<debtor>|<beneficiary>|<service>|<kind>|<date>`, so billing
 * a period again finds the same ids and never bills a day twice.
 *
 * Distinct charges get distinct ids, even when an id contains the separator `|`: then (only then)
 * every field is escaped (`\` as `\\`, `|` as `\|`), so `martin|anna` paying for `leo` and `martin`
 * paying for `anna|leo` no longer share an id. An id without `|` has 4 of them and is unchanged
 * from earlier versions (ids already stored stay valid, re-billing a period finds them); an escaped
 * one has more than 4, so the two forms never meet.
 *
 * @internal exported for its tests; the public way is {@link invoiceChargeLinesFromBilling}.
 * @example
 * chargeIdOf('mum', 'lea', 'canteen', 'service', '2026-09-07') //=> 'mum|lea|canteen|service|2026-09-07'
 * chargeIdOf('martin|anna', 'leo', 'canteen', 'service', '2026-09-07') //=> 'martin\\|anna|leo|canteen|service|2026-09-07'
 * chargeIdOf('martin', 'anna|leo', 'canteen', 'service', '2026-09-07') //=> 'martin|anna\\|leo|canteen|service|2026-09-07'
 */
export function chargeIdOf(debtorId: string, beneficiaryId: string, serviceId: string, kind: string, date: string): string {
  const plain = `${debtorId}|${beneficiaryId}|${serviceId}|${kind}|${date}`
  if (!debtorId.includes('|') && !beneficiaryId.includes('|') && !serviceId.includes('|') && !kind.includes('|') && !date.includes('|')) return plain
  return [debtorId, beneficiaryId, serviceId, kind, date].map(escapeField).join('|')
}

function escapeField(field: string): string {
  return field.replaceAll('\\', '\\\\').replaceAll('|', '\\|')
}

/**
 * The day a charge id of {@link chargeIdOf} bills, apart from its debtor: `{ debtorId, day }`, `day`
 * the beneficiary, service, kind and date joined by NUL (the same for every debtor of that day,
 * whichever form, plain or escaped, the id has); `undefined` for an id of another form (a host's
 * own ids: they have no day).
 *
 * @internal for {@link buildInvoiceDrafts}: a day billed to one debtor is not billed to another.
 * @example
 * chargeDayOf('mum|lea|canteen|service|2026-09-07') //=> { debtorId: 'mum', day: 'lea\u0000canteen\u0000service\u00002026-09-07' }
 * chargeDayOf('c1') //=> undefined
 */
export function chargeDayOf(chargeId: string): { debtorId: string; day: string } | undefined {
  let bars = 0
  let escaped = false
  for (let i = 0; i < chargeId.length; i++) {
    const ch = chargeId.charCodeAt(i)
    if (ch === 124) bars++
    else if (ch === 92) escaped = true
  }
  if (bars < 4) return undefined
  let fields: string[]
  if (bars === 4) fields = chargeId.split('|')
  else {
    if (!escaped) return undefined
    fields = []
    let field = ''
    for (let i = 0; i < chargeId.length; i++) {
      const ch = chargeId[i]!
      if (ch === '\\') {
        const next = chargeId[++i]
        if (next === undefined) return undefined
        field += next
      } else if (ch === '|') {
        fields.push(field)
        field = ''
      } else field += ch
    }
    fields.push(field)
    if (fields.length !== 5) return undefined
  }
  return { debtorId: fields[0]!, day: `${fields[1]}\u0000${fields[2]}\u0000${fields[3]}\u0000${fields[4]}` }
}

/**
 * Turns billing's charge lines (`buildChargeLines`: one line per debtor x beneficiary x service x
 * kind x unit price, listing its days) into invoicing's per-day charge lines, each with a stable
 * charge id `<debtor>|<beneficiary>|<service>|<kind>|<date>`, so billing a period again finds the
 * same ids and never bills a day twice. Distinct charges always get distinct ids: when an id holds
 * a `|` itself, the fields are escaped (each `\` and `|` in them preceded by a `\`).
 *
 * Rule: each day's charge carries **that day's own quantity** (from `options.days`, the billable
 * days given to `buildChargeLines`) and its share of the rounded line, allocated by the days'
 * quantities with the largest remainder, so the days add up to the line exactly. With a unit price
 * in whole minor units a day's charge is its own price (2.00 EUR/hour x 4 h = 8.00), whichever
 * other days are in the run: billing a period again after a late day was recorded bills that day
 * at its own price. When a rule splits a line between payers, the payers' parts of each day add
 * up to the day and each payer's parts to that payer's share of the line. A line whose quantity
 * is its number of days, or that has one day, needs no `options.days` (every day is one unit, or the
 * day has them all), and neither does a line of `buildChargeLines`, which carries each day's units
 * (`dayQuantities`): `options.days` is for lines built or stored by hand without them. A unit price with more
 * digits than the currency is grouped under its rounded value, and carried exact (`unitPrice`,
 * `'3.333'`) so the invoice line prints 3 x 3.333 = 10.00, not 3 x 3.33 = 10.00. A payer who pays
 * only part of a line (weights 1:1, 1:2) gets charges that say so: `share` (weight out of the
 * rule's total) and `grossMinor`, the day's part of the whole rounded line before the split
 * (allocated over the days by their quantities, like the amounts), so the invoice line can print
 * 17 x 4.15 = 70.55, your share 1/2: 35.28.
 *
 * @param input - The charge groups (or lines) of `buildChargeLines`.
 * @param options - `days`: the billable days given to `buildChargeLines` (each day's quantity is read from them).
 * @example
 * const { groups } = buildChargeLines(prepareChargeConfig(config), days, { period })
 * const charges = invoiceChargeLinesFromBilling(groups)
 * buildInvoiceDrafts(batch, charges)
 * // care at 2.00 EUR/hour, 4 h on 7 Sept and 1 h on 8 Sept: 8.00 and 2.00 (not 5.00 each)
 * charges.map((c) => [c.date, c.quantity, c.amountMinor]) //=> [['2026-09-07', 4, 800n], ['2026-09-08', 1, 200n]]
 * // a rule of mum and dad, 1:1: each day's charge says who pays which share of what
 * invoiceChargeLinesFromBilling(splitGroups)[0] //=> { debtorId: 'dad', share: { weight: 1, totalWeight: 2 }, grossMinor: 415n, amountMinor: 207n, ... }
 * @throws EcoleError `INVALID_INPUT` naming `options.days` when a line bills more units than days,
 * carries no `dayQuantities` and `options.days` is not given, or does not hold the line's days with the line's units.
 */
export function invoiceChargeLinesFromBilling(
  input: Iterable<ChargeGroup | ChargeLine>,
  options: { days?: Iterable<Pick<BillableDay, 'beneficiaryId' | 'serviceId' | 'date' | 'quantity'>> | undefined } = {},
): InvoiceChargeLine[] {
  try {
    const lines: ChargeLine[] = []
    for (const item of input) {
      if ('lines' in item) for (const l of item.lines) lines.push(l)
      else lines.push(item)
    }
    const quantityOf = dayQuantities(options)
    // the lines of one billing line split between payers share its `dates` (and its rounded amount)
    const splits = new Map<readonly LocalDate[], ChargeLine[]>()
    for (const l of lines) {
      const same = splits.get(l.dates)
      if (same === undefined) splits.set(l.dates, [l])
      else same.push(l)
    }
    const parts = new Map<ChargeLine, bigint[]>()
    const out: InvoiceChargeLine[] = []
    for (const l of lines) {
      const n = l.dates.length
      if (n === 0) continue
      const quantities = lineQuantities(l, quantityOf)
      let mine = parts.get(l)
      if (mine === undefined) {
        splitDays(splits.get(l.dates)!, quantities, parts)
        mine = parts.get(l)!
      }
      const rounded = l.unitPrice.isRounded()
      const price = rounded ? l.unitPrice.toMinor() : l.unitPrice.round().toMinor()
      // the facts the invoice line prints: the exact price, and the share of a line split between payers
      const exactPrice = rounded ? undefined : l.unitPrice.amount
      const shared = l.totalWeight > l.weight && l.weight > 0 && l.roundedAmountMinor !== undefined
      const gross = shared ? (n === 1 ? [l.roundedAmountMinor] : allocateMinor(l.roundedAmountMinor, quantities)) : undefined
      const share = shared ? { weight: l.weight, totalWeight: l.totalWeight } : undefined
      for (let i = 0; i < n; i++) {
        const date = l.dates[i]!
        const charge: InvoiceChargeLine = {
          chargeId: chargeIdOf(l.debtorId, l.beneficiaryId, l.serviceId, l.kind, date), debtorId: l.debtorId, jointDebtorIds: l.jointDebtorIds,
          beneficiaryId: l.beneficiaryId, serviceId: l.serviceId, date, quantity: quantities[i]!, unitPriceMinor: price, amountMinor: mine[i]!,
        }
        if (share !== undefined) {
          charge.share = share
          charge.grossMinor = gross![i]!
        }
        if (exactPrice !== undefined) charge.unitPrice = exactPrice
        out.push(charge)
      }
    }
    return out
  } catch (error) {
    throw asInputError(error, 'invoiceChargeLinesFromBilling', {
      input: [input, 'any', 'the charge groups or lines (an iterable)'], options: [options, 'object?', 'the options ({ days })'],
    })
  }
}

type QuantityOf = ((beneficiaryId: string, serviceId: string, date: LocalDate) => number | undefined) | undefined

/** Each billable day's quantity by beneficiary, service and date (billing refuses a day given twice). */
function dayQuantities(options: { days?: Iterable<Pick<BillableDay, 'beneficiaryId' | 'serviceId' | 'date' | 'quantity'>> | undefined }): QuantityOf {
  if (typeof options !== 'object' || options === null) throw EcoleError.invalidInput('options', `must be an object ({ days }), got ${describeValue(options)}`, { function: 'invoiceChargeLinesFromBilling' })
  const unknown = Object.keys(options).filter((k) => k !== 'days')
  if (unknown.length > 0) throw EcoleError.invalidInput(`options.${unknown[0]}`, 'unknown key: the options are { days }', { function: 'invoiceChargeLinesFromBilling' })
  if (options.days === undefined) return undefined
  if (typeof (options.days as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw EcoleError.invalidInput('options.days', `must be the billable days given to buildChargeLines (an array), got ${describeValue(options.days)}`, { function: 'invoiceChargeLinesFromBilling' })
  }
  const byKey = new Map<string, number>()
  for (const d of options.days) byKey.set(`${d.beneficiaryId}\u0000${d.serviceId}\u0000${d.date}`, d.quantity ?? 1)
  return (beneficiaryId, serviceId, date) => byKey.get(`${beneficiaryId}\u0000${serviceId}\u0000${date}`)
}

/** The units of each day of a line: its days' own quantities (every day one unit when the line has as many units as days). */
function lineQuantities(l: ChargeLine, quantityOf: QuantityOf): number[] {
  const n = l.dates.length
  if (quantityOf === undefined) {
    if (n === 1) return [l.quantity]
    if (l.quantity === n) return new Array<number>(n).fill(1)
    // billing's own record of each day's units (a line of buildChargeLines carries it)
    const own = l.dayQuantities
    if (own !== undefined && own.length === n && own.every((q) => Number.isSafeInteger(q) && q >= 1) && own.reduce((s, q) => s + q, 0) === l.quantity) return [...own]
    throw EcoleError.invalidInput('options.days', `a line of ${l.beneficiaryId}'s ${l.serviceId} bills ${l.quantity} units over ${n} days: pass the billable days given to buildChargeLines ({ days }) so each day carries its own quantity`, {
      function: 'invoiceChargeLinesFromBilling', beneficiaryId: l.beneficiaryId, serviceId: l.serviceId, quantity: l.quantity, dates: l.dates.length,
    })
  }
  const out = new Array<number>(n)
  let sum = 0
  for (let i = 0; i < n; i++) {
    const q = quantityOf(l.beneficiaryId, l.serviceId, l.dates[i]!)
    if (q === undefined || !Number.isSafeInteger(q) || q < 1) {
      throw EcoleError.invalidInput('options.days', `holds no day of ${q === undefined ? '' : 'a positive whole '}quantity for ${l.beneficiaryId}'s ${l.serviceId} on ${l.dates[i]}: pass the billable days given to buildChargeLines`, {
        function: 'invoiceChargeLinesFromBilling', beneficiaryId: l.beneficiaryId, serviceId: l.serviceId, date: l.dates[i],
      })
    }
    out[i] = q
    sum += q
  }
  if (sum !== l.quantity) {
    throw EcoleError.invalidInput('options.days', `give ${sum} units for ${l.beneficiaryId}'s ${l.serviceId} on ${l.dates[0]}..${l.dates[n - 1]}, the line bills ${l.quantity}: pass the billable days given to buildChargeLines`, {
      function: 'invoiceChargeLinesFromBilling', beneficiaryId: l.beneficiaryId, serviceId: l.serviceId, quantity: l.quantity, days: sum,
    })
  }
  return out
}

/**
 * The per-day parts of the payers' lines of one billing line (`lines`, sharing its days). The
 * rounded line is allocated over the days by their quantities (largest remainder); when the lines
 * are the whole split (their shares add up to the rounded line), each day is then shared between
 * the payers in proportion to what each still has to receive, so every day's parts add up to the
 * day and every payer's parts to the payer's share. Otherwise (a line given alone) each line's
 * share is allocated over the days by their quantities.
 */
function splitDays(lines: readonly ChargeLine[], quantities: readonly number[], parts: Map<ChargeLine, bigint[]>): void {
  const n = quantities.length
  const first = lines[0]!
  let sum = 0n
  let whole = lines.length > 1 && first.roundedAmountMinor !== undefined && first.roundedAmountMinor >= 0n
  for (const l of lines) {
    sum += l.amountMinor
    if (l.amountMinor < 0n || l.roundedAmountMinor !== first.roundedAmountMinor || l.dates.length !== n || l.quantity !== first.quantity) whole = false
  }
  if (!whole || sum !== first.roundedAmountMinor) {
    for (const l of lines) parts.set(l, n === 1 ? [l.amountMinor] : allocateMinor(l.amountMinor, quantities))
    return
  }
  const dayTotals = n === 1 ? [sum] : allocateMinor(sum, quantities)
  const rest = lines.map((l) => l.amountMinor)
  const cells = lines.map(() => new Array<bigint>(n))
  for (let i = 0; i < n; i++) {
    const last = i === n - 1
    const restSum = rest.reduce((s, r) => s + r, 0n)
    const day = last || restSum === 0n ? rest.slice() : allocateMinor(dayTotals[i]!, rest)
    for (let k = 0; k < lines.length; k++) {
      cells[k]![i] = day[k]!
      rest[k]! -= day[k]!
    }
  }
  lines.forEach((l, k) => parts.set(l, cells[k]!))
}
