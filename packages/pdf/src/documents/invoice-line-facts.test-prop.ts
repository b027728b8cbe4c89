import { fc, test } from '@fast-check/vitest'
import type { RoundingMode } from '@ecole/core'
import { expect } from 'vitest'
import { billedInvoices } from '../test-support/billed-invoices'
import { xsdProblems } from '../test-support/factur-x-schemas'
import { invoiceRequest } from '../test-support/fixtures'
import { prepareInvoice } from './invoice'

/** A decimal string as a scaled integer: '4.15' -> [415n, 2]. */
function scaled(text: string): [bigint, number] {
  const [whole, fraction = ''] = text.split('.')
  return [BigInt(`${whole}${fraction}`), fraction.length]
}

/** `x` (scaled by 10^scale) in cents, rounded half away from zero: how a reader rounds a line. */
function toCents(x: bigint, scale: number): bigint {
  if (scale <= 2) return x * 10n ** BigInt(2 - scale)
  const d = 10n ** BigInt(scale - 2)
  const neg = x < 0n
  const a = neg ? -x : x
  const r = a / d + (2n * (a % d) >= d ? 1n : 0n)
  return neg ? -r : r
}

const cents = (text: string) => {
  const [v, s] = scaled(text)
  return toCents(v, s)
}
const one = (item: string, name: string) => item.match(new RegExp(`<ram:${name}(?: [^>]*)?>([^<]*)</ram:${name}>`))?.[1]

const payersArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).map((ws) => ws.map((w, i) => [`g${i + 1}`, w] as const))
const priceArb = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 999999 }), fc.integer({ min: 0, max: 6 })).map(([whole, frac, decimals]) => (decimals === 0 ? `${whole}` : `${whole}.${String(frac).padStart(6, '0').slice(0, decimals)}`))

test.prop([priceArb, payersArb, fc.integer({ min: 1, max: 23 }), fc.constantFrom<RoundingMode>('halfUp', 'halfEven', 'up', 'down'), fc.constantFrom('EN16931' as const, 'BASIC' as const), fc.constantFrom('fr' as const, 'en' as const, 'it' as const, 'nl' as const)], { numRuns: 30 })(
  'for random lines (exact prices, shared payers, every rounding mode), each Factur-X line adds up as EN 16931 computes it: LineTotalAmount = round(BilledQuantity × ChargeAmount / BasisQuantity) − line allowances + line charges, the price has at most 4 decimals, and the XML is valid',
  (price, payers, n, mode, profile, language) => {
    const invoices = billedInvoices(price, payers, n, mode)
    for (const invoice of invoices.values()) {
      const names: Record<string, string> = { k1: 'Léa', [invoice.debtorId]: `Payeur ${invoice.debtorId}` }
      const xml = prepareInvoice({ ...invoiceRequest(invoice, { names, facturX: { profile, seller: { country: 'BE', vatId: 'BE0207373429' }, buyer: { country: 'BE' } } }), language }).facturX!.xml
      const items = xml.split('<ram:IncludedSupplyChainTradeLineItem>').slice(1).map((x) => x.split('</ram:IncludedSupplyChainTradeLineItem>')[0]!)
      expect(items.length).toBe(invoice.lines.length)
      items.forEach((item, i) => {
        const [q, qs] = scaled(one(item, 'BilledQuantity')!)
        const charge = one(item, 'ChargeAmount')!
        expect(charge.split('.')[1]?.length ?? 0).toBeLessThanOrEqual(4)
        const [p, ps] = scaled(charge)
        const [b, bs] = scaled(one(item, 'BasisQuantity') ?? '1')
        // q x p / b, exactly: b is a power of ten
        expect(b % 10n === 0n || b === 1n).toBe(true)
        const bDigits = b.toString().length - 1 - bs
        const net = toCents(q * p, qs + ps + bDigits)
        let adjustments = 0n
        for (const m of item.matchAll(/<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>(true|false)<\/udt:Indicator><\/ram:ChargeIndicator><ram:ActualAmount>([^<]*)<\/ram:ActualAmount>/g)) {
          adjustments += m[1] === 'true' ? cents(m[2]!) : -cents(m[2]!)
        }
        const lineTotal = cents(one(item, 'LineTotalAmount')!)
        expect(lineTotal).toBe(invoice.lines[i]!.amountMinor)
        expect(lineTotal).toBe(net + adjustments)
      })
      expect(xsdProblems(xml, profile)).toEqual([])
    }
  },
)
