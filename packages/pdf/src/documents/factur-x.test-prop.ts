import { fc, test } from '@fast-check/vitest'
import { addInvoiceAdjustment, buildInvoiceDrafts } from '@ecole/core'
import { invoiceBatchArb, invoiceChargeLinesArb } from '@ecole/testing'
import { expect } from 'vitest'
import { FACTUR_X_PROFILES } from '../factur-x'
import { xsdProblems } from '../test-support/factur-x-schemas'
import { belgianIssuer, NAMES, SERVICES, validate } from '../test-support/fixtures'
import { prepareInvoice } from './invoice'

const tag = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<ram:${name}(?: [^>]*)?>([^<]*)</ram:${name}>`, 'g'))].map((m) => BigInt(m[1]!.replace('.', '')))

const invoicesArb = fc
  .tuple(invoiceBatchArb({ minimumMax: 0 }), invoiceChargeLinesArb({ maxLength: 60 }), fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }), fc.option(fc.integer({ min: 1, max: 900 }), { nil: undefined }), fc.constantFrom(...FACTUR_X_PROFILES))
  .map(([batch, charges, percent, surcharge, profile]) => {
    const drafts = buildInvoiceDrafts({ ...batch, serviceIds: ['meal', 'care', 'study'] }, charges).drafts.slice(0, 2).map((d) => {
      let x = d
      if (percent !== undefined && x.totalMinor > 0n) x = addInvoiceAdjustment(x, { id: 'r1', kind: 'reduction', reason: 'Fratrie', percent: String(percent) })
      if (surcharge !== undefined) x = addInvoiceAdjustment(x, { id: 's1', kind: 'surcharge', reason: 'Retard & pénalité <18 h>', amount: (surcharge / 100).toFixed(2), lineId: null })
      return x
    })
    return { invoices: drafts.length > 0 ? validate(drafts) : [], profile }
  })

test.prop([invoicesArb], { numRuns: 25 })('for random invoices, the Factur-X XML adds up as EN 16931 says (lines, reductions, surcharges, basis = grand total = due = the core total) and is valid against its profile’s XSD', ({ invoices, profile }) => {
  fc.pre(invoices.length > 0)
  for (const invoice of invoices) {
    const names = { ...NAMES }
    for (const l of invoice.lines) names[l.beneficiaryId] ??= `Enfant ${l.beneficiaryId}`
    names[invoice.debtorId] ??= `Payeur ${invoice.debtorId}`
    const xml = prepareInvoice({
      language: 'fr', printedOn: '2027-01-04', issuer: belgianIssuer(), invoice, payer: { name: names[invoice.debtorId]!, address: ['Rue Haute 1'] }, names, services: SERVICES,
      facturX: { profile, seller: { country: 'BE', vatId: 'BE0207373429' }, buyer: { country: 'BE' } },
    }).facturX!.xml
    expect(tag(xml, 'GrandTotalAmount')).toEqual([invoice.totalMinor])
    expect(tag(xml, 'DuePayableAmount')).toEqual([invoice.totalMinor])
    expect(tag(xml, 'TaxBasisTotalAmount')).toEqual([invoice.totalMinor])
    if (profile !== 'MINIMUM') {
      const lineTotals = tag(xml, 'LineTotalAmount')
      expect(lineTotals.length).toBe(invoice.lines.length + 1)
      const sum = lineTotals.slice(0, -1).reduce((a, b) => a + b, 0n)
      expect(lineTotals.at(-1)).toBe(sum)
      expect(sum - tag(xml, 'AllowanceTotalAmount')[0]! + tag(xml, 'ChargeTotalAmount')[0]!).toBe(invoice.totalMinor)
    }
    expect(xsdProblems(xml, profile)).toEqual([])
  }
})
