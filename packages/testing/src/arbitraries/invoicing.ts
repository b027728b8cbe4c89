import fc from 'fast-check'
import { addDays, defineInvoiceBatch, type InvoiceBatch, type InvoiceChargeLine, type LocalDate, type OpenInvoice } from '@ecole/core'
import { checkInteger, inputCheckedArb } from '../input-errors'

/**
 * A December 2026 invoice batch of billing office `regie` for the services `meal` and `care`,
 * with an arbitrary minimum amount (0 to 10.00 EUR).
 *
 * @example
 * fc.sample(invoiceBatchArb(), 1)[0]!.serviceIds //=> ['meal', 'care']
 */
export function invoiceBatchArb(options: { minimumMax?: number } = {}): fc.Arbitrary<InvoiceBatch> {
  return inputCheckedArb('invoiceBatchArb', { options: [options, 'object?', 'the options ({ minimumMax? })'] }, () => {
    checkInteger('invoiceBatchArb', 'options.minimumMax', options.minimumMax ?? 1000, 0)
    return fc.integer({ min: 0, max: options.minimumMax ?? 1000 }).map((min) =>
      defineInvoiceBatch({
        id: 'batch-2026-12', siteId: 'site-1', billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal', 'care'],
        dueDate: '2027-01-15', portalDisplayDate: '2027-01-05', minimumAmount: `${Math.floor(min / 100)}.${String(min % 100).padStart(2, '0')}`,
      }),
    )
  })
}

/**
 * Lists of charge lines with unique charge ids for a handful of payers and children, dated
 * from late November to early January (some fall outside a December batch), with meal and care
 * prices (some prepaid, some of a service no batch invoices).
 *
 * @example
 * fc.sample(invoiceChargeLinesArb(), 1)[0]!.every((c) => c.amountMinor === c.unitPriceMinor * BigInt(c.quantity)) //=> true
 */
export function invoiceChargeLinesArb(options: { maxLength?: number } = {}): fc.Arbitrary<InvoiceChargeLine[]> {
  return inputCheckedArb('invoiceChargeLinesArb', { options: [options, 'object?', 'the options ({ maxLength? })'] }, () => {
    const line = fc.record({
      payer: fc.integer({ min: 1, max: 5 }),
      child: fc.integer({ min: 1, max: 4 }),
      service: fc.constantFrom('meal', 'care', 'study'),
      day: fc.integer({ min: -5, max: 40 }),
      price: fc.constantFrom(100n, 250n, 415n, 333n, 1000n),
      quantity: fc.integer({ min: 1, max: 3 }),
      prepaid: fc.boolean(),
      joint: fc.option(fc.integer({ min: 6, max: 7 }), { nil: undefined }),
    })
    return fc.array(line, { maxLength: options.maxLength ?? 60 }).map((ls) =>
      ls.map((l, i): InvoiceChargeLine => ({
        chargeId: `c${i}`, debtorId: `g${l.payer}`, beneficiaryId: `k${l.child}`, serviceId: l.service, date: addDays('2026-12-01' as LocalDate, l.day),
        quantity: l.quantity, unitPriceMinor: l.price, amountMinor: l.price * BigInt(l.quantity), prepaid: l.prepaid && l.service === 'meal' && l.child === 4,
        jointDebtorIds: l.joint === undefined ? undefined : [`g${l.joint}`],
      })),
    )
  })
}

/**
 * Open invoices (1 to 8) with distinct ids, due dates in 2026-2027 and positive amounts due.
 *
 * @example
 * fc.sample(openInvoicesArb(), 1)[0]!.every((o) => o.outstandingMinor > 0n) //=> true
 */
export function openInvoicesArb(): fc.Arbitrary<OpenInvoice[]> {
  return fc
    .array(fc.record({ days: fc.integer({ min: 0, max: 500 }), due: fc.bigInt({ min: 1n, max: 50_000n }) }), { minLength: 1, maxLength: 8 })
    .map((xs) => xs.map((x, i) => ({ invoiceId: `i${i}`, dueDate: addDays('2026-01-01' as LocalDate, x.days), outstandingMinor: x.due, sequence: i + 1 })))
}
