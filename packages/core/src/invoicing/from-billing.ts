import type { ChargeGroup, ChargeLine } from '../billing'
import { allocateMinor } from '../money'
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
 * Turns billing's charge lines (`buildChargeLines`: one line per debtor x beneficiary x service x
 * kind x unit price, listing its days) into invoicing's per-day charge lines, each with a stable
 * charge id `<debtor>|<beneficiary>|<service>|<kind>|<date>`, so billing a period again finds the
 * same ids and never bills a day twice. Distinct charges always get distinct ids: when an id holds
 * a `|` itself, the fields are escaped (each `\` and `|` in them preceded by a `\`).
 *
 * Rule: the debtor's rounded share (`amountMinor`) is spread over the days by the largest
 * remainder (equal parts), and so are its units, so the days add up to the line exactly and an
 * invoice line built from them equals the sum of rounded billing lines. A unit price with more
 * digits than the currency is grouped under its rounded value.
 *
 * @example
 * const { groups } = buildChargeLines(prepareChargeConfig(config), days, { period })
 * const charges = invoiceChargeLinesFromBilling(groups)
 * buildInvoiceDrafts(batch, charges)
 */
export function invoiceChargeLinesFromBilling(input: Iterable<ChargeGroup | ChargeLine>): InvoiceChargeLine[] {
  try {
    const out: InvoiceChargeLine[] = []
    const add = (l: ChargeLine) => {
      const n = l.dates.length
      if (n === 0) return
      const parts = n === 1 ? [l.amountMinor] : allocateMinor(l.amountMinor, new Array<number>(n).fill(1))
      const price = l.unitPrice.isRounded() ? l.unitPrice.toMinor() : l.unitPrice.round().toMinor()
      // the line's units spread over its days, adding up to the line (integers by largest remainder)
      const quantities = Number.isInteger(l.quantity) ? allocateMinor(BigInt(l.quantity), new Array<number>(n).fill(1)).map(Number) : new Array<number>(n).fill(l.quantity / n)
      for (let i = 0; i < n; i++) {
        const date = l.dates[i]!
        out.push({
          chargeId: chargeIdOf(l.debtorId, l.beneficiaryId, l.serviceId, l.kind, date), debtorId: l.debtorId, jointDebtorIds: l.jointDebtorIds,
          beneficiaryId: l.beneficiaryId, serviceId: l.serviceId, date, quantity: quantities[i]!, unitPriceMinor: price, amountMinor: parts[i]!,
        })
      }
    }
    for (const item of input) {
      if ('lines' in item) for (const l of item.lines) add(l)
      else add(item)
    }
    return out
  } catch (error) {
    throw asInputError(error, 'invoiceChargeLinesFromBilling', { input: [input, 'any', 'the charge groups or lines (an iterable)'] })
  }
}
