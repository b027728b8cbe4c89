import { isEcoleError, type Invoice } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { facturXXml, type FacturXDocument, type FacturXOptionsInput, type FacturXProfile } from '../factur-x'
import { renderPdfBytes } from '../renderer'
import { xsdProblems } from '../test-support/factur-x-schemas'
import { billedInvoices } from '../test-support/billed-invoices'
import { invoiceRequest, sampleInvoice } from '../test-support/fixtures'
import { pdfText } from '../test-support/tools'
import { prepareInvoice } from './invoice'

const belgianSchool = (profile: FacturXProfile = 'EN16931'): FacturXOptionsInput => ({ profile, seller: { country: 'BE', vatId: 'BE0207373429' }, buyer: { country: 'BE' } })
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ')
const tag = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<ram:${name}(?: [^>]*)?>([^<]*)</ram:${name}>`, 'g'))].map((m) => m[1]!)
const names = { g1: 'Marie Dupont', mum: 'Marie Dupont', dad: 'Paul Martin', k1: 'Léa' }

describe('a line the payer pays part of, printed', () => {
  const invoices = billedInvoices('4.15', [['mum', 1], ['dad', 1]], 17)

  it('prints what the whole line costs and the payer’s share under the line: 17 × 4,15 € = 70,55 € · votre part 1/2 : 35,28 €', async () => {
    const text = plain(pdfText(await renderPdfBytes({ kind: 'invoice', data: invoiceRequest(invoices.get('mum')!, { names }) })))
    expect(text).toContain('17 × 4,15 € = 70,55 € · votre part 1/2 : 35,28 €')
    // the row itself bills what she pays
    expect(text).toMatch(/Léa\s+Repas de midi\s+01\/09\/2026 – 17\/09\/2026\s+17\s+4,15 €\s+35,28 €/)
    expect(text).toMatch(/Total à payer\s+35,28 €/)
    const dad = plain(pdfText(await renderPdfBytes({ kind: 'invoice', data: invoiceRequest(invoices.get('dad')!, { names }) })))
    expect(dad).toContain('17 × 4,15 € = 70,55 € · votre part 1/2 : 35,27 €')
  })

  it('says it in each language of the documents', async () => {
    const expected = { en: '17 × €4.15 = €70.55 · your share 1/2: €35.28', it: '17 × 4,15 € = 70,55 € · vostra quota 1/2: 35,28 €', nl: '17 × € 4,15 = € 70,55 · uw deel 1/2: € 35,28' } as const
    for (const language of ['en', 'it', 'nl'] as const) {
      const text = plain(pdfText(await renderPdfBytes({ kind: 'invoice', data: { ...invoiceRequest(invoices.get('mum')!, { names }), language } })))
      expect(text, language).toContain(expected[language])
    }
  })

  it('prints an exact price with its decimals: 3 × 3,333 € = 10,00 €, not 3 × 3,33 €', async () => {
    const inv = billedInvoices('3.333', [['g1', 1]], 3).get('g1')!
    const text = plain(pdfText(await renderPdfBytes({ kind: 'invoice', data: invoiceRequest(inv, { names }) })))
    expect(text).toMatch(/Léa\s+Repas de midi\s+01\/09\/2026 – 03\/09\/2026\s+3\s+3,333 €\s+10,00 €/)
    expect(text).not.toContain('3,33 €')
  })

  it('refuses a line whose share comes without what the whole line costs, or whose amount is more than it, naming the field', () => {
    const mum = invoices.get('mum')!
    const refused = (invoice: Invoice, field: RegExp) => {
      try {
        prepareInvoice(invoiceRequest(invoice, { names }))
      } catch (e) {
        expect(isEcoleError(e, 'INVALID_INPUT')).toBe(true)
        expect((e as Error).message).toMatch(field)
        return
      }
      expect.fail(`expected ${String(field)}`)
    }
    const { grossMinor: _g, ...noGross } = mum.lines[0]!
    refused({ ...mum, lines: [noGross] }, /invoice\.lines\.0\.grossMinor/)
    refused({ ...mum, lines: [{ ...mum.lines[0]!, grossMinor: 3000n }] }, /invoice\.lines\.0\.amountMinor/)
    refused({ ...mum, lines: [{ ...mum.lines[0]!, share: { weight: 2, totalWeight: 2 } }] }, /invoice\.lines\.0\.share\.weight/)
  })
})

describe('a line the payer pays part of, in Factur-X', () => {
  const invoices = billedInvoices('4.15', [['mum', 1], ['dad', 1]], 17)

  it('is written whole, 17 at 4.15, with a line allowance of what the other payer pays: LineTotalAmount 35.28 = 17 × 4.15 − 35.27', () => {
    for (const profile of ['EN16931', 'BASIC'] as const) {
      const xml = prepareInvoice(invoiceRequest(invoices.get('mum')!, { names, facturX: belgianSchool(profile) })).facturX!.xml
      expect(tag(xml, 'BilledQuantity')).toEqual(['17'])
      expect(tag(xml, 'ChargeAmount')).toEqual(['4.15'])
      expect(xml).toContain('<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>35.27</ram:ActualAmount><ram:Reason>Part à la charge d\'un autre débiteur</ram:Reason></ram:SpecifiedTradeAllowanceCharge>')
      expect(tag(xml, 'LineTotalAmount')).toEqual(['35.28', '35.28'])
      // the document's totals are those of the invoice: no header allowance, nothing more to pay
      expect(tag(xml, 'AllowanceTotalAmount')).toEqual(['0.00'])
      expect(tag(xml, 'DuePayableAmount')).toEqual(['35.28'])
      expect(xsdProblems(xml, profile)).toEqual([])
    }
  })

  it('gives the allowance’s reason in the document’s language', () => {
    const xml = prepareInvoice({ ...invoiceRequest(invoices.get('dad')!, { names, facturX: belgianSchool() }), language: 'nl' }).facturX!.xml
    expect(tag(xml, 'Reason')).toEqual(['Deel ten laste van een andere schuldenaar'])
    expect(tag(xml, 'ActualAmount')).toEqual(['35.28'])
    expect(tag(xml, 'LineTotalAmount')).toEqual(['35.27', '35.27'])
  })

  it('writes an exact price with its decimals (3 × 3.333 = 10.00), and a price of more than 4 decimals per 10^k units (4.21376 is 42.1376 per 10)', () => {
    const xml = prepareInvoice(invoiceRequest(billedInvoices('3.333', [['g1', 1]], 3).get('g1')!, { names, facturX: belgianSchool() })).facturX!.xml
    expect(tag(xml, 'ChargeAmount')).toEqual(['3.333'])
    expect(tag(xml, 'LineTotalAmount')).toEqual(['10.00', '10.00'])
    expect(xml).not.toContain('SpecifiedTradeAllowanceCharge')
    const fine = prepareInvoice(invoiceRequest(billedInvoices('4.21376', [['g1', 1]], 7).get('g1')!, { names, facturX: belgianSchool() })).facturX!.xml
    // 4.21376 per unit is 42.1376 per 10 units; 7 x 4.21376 = 29.49632
    expect(tag(fine, 'ChargeAmount')).toEqual(['42.1376'])
    expect(tag(fine, 'BasisQuantity')).toEqual(['10'])
    expect(tag(fine, 'LineTotalAmount')).toEqual(['29.50', '29.50'])
    expect(xsdProblems(fine, 'EN16931')).toEqual([])
  })

  it('says what an office that rounds down left out, as a line allowance "Arrondi": 3 × 3.333 = 10.00 − 0.01 = 9.99', () => {
    const inv = billedInvoices('3.333', [['g1', 1]], 3, 'down').get('g1')!
    expect(inv.totalMinor).toBe(999n)
    const xml = prepareInvoice(invoiceRequest(inv, { names, facturX: belgianSchool() })).facturX!.xml
    expect(tag(xml, 'Reason')).toEqual(['Arrondi'])
    expect(tag(xml, 'ActualAmount')).toEqual(['0.01'])
    expect(tag(xml, 'LineTotalAmount')).toEqual(['9.99', '9.99'])
    expect(xsdProblems(xml, 'EN16931')).toEqual([])
  })

  it('writes a line without these facts exactly as before: its price in cents, no line allowance, no base quantity', () => {
    const xml = prepareInvoice(invoiceRequest(sampleInvoice(), { facturX: belgianSchool() })).facturX!.xml
    const items = xml.split('<ram:IncludedSupplyChainTradeLineItem>').slice(1).map((x) => x.split('</ram:IncludedSupplyChainTradeLineItem>')[0]!)
    expect(items.length).toBe(sampleInvoice().lines.length)
    for (const item of items) {
      expect(item).not.toContain('SpecifiedTradeAllowanceCharge')
      expect(item).not.toContain('BasisQuantity')
    }
  })

  it('the writer called directly defaults the reasons to French and writes a negative shared line as a negative quantity with a line charge', () => {
    const doc: FacturXDocument = {
      kind: 'invoice', number: 'F1', issueDate: '2027-01-04', currency: 'EUR', seller: { name: 'Régie', address: [] }, buyer: { name: 'Payeur', address: [] },
      lines: [{ id: 'l1', name: 'Repas', quantity: 17, unitPriceMinor: -415n, amountMinor: -3528n, grossMinor: -7055n }], allowances: [], totalMinor: -3528n,
    }
    const fx = { profile: 'EN16931' as const, seller: { country: 'BE', vatId: 'BE0207373429' }, buyer: { country: 'BE' }, vat: { category: 'E' as const, exemptionCode: 'VATEX-EU-132-1I', exemptionReason: 'Exonéré' } }
    const xml = facturXXml(doc, fx)
    expect(tag(xml, 'BilledQuantity')).toEqual(['-17'])
    expect(tag(xml, 'ChargeAmount')).toEqual(['4.15'])
    expect(xml).toContain('<udt:Indicator>true</udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>35.27</ram:ActualAmount><ram:Reason>Part à la charge d\'un autre débiteur</ram:Reason>')
    expect(tag(xml, 'LineTotalAmount')).toEqual(['-35.28', '-35.28'])
  })
})
