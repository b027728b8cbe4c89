import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { FACTUR_X_PROFILES, facturXXml, type FacturXDocument, type FacturXOptionsInput, type FacturXProfile } from '../factur-x'
import { renderPdfBytes } from '../renderer'
import { xmllint, xsdProblems } from '../test-support/factur-x-schemas'
import { creditNoteRequest, fractionalInvoice, invoiceRequest, sampleInvoice } from '../test-support/fixtures'
import { pdfInfo, pdfText, qpdfCheck, withPdfFile } from '../test-support/tools'
import { prepareCreditNote } from './credit-note'
import { prepareInvoice } from './invoice'

const belgianSchool = (profile: FacturXProfile): FacturXOptionsInput => ({
  profile,
  seller: { country: 'BE', postcode: '1060', city: 'Saint-Gilles', legalId: { id: '0207373429', scheme: '0208' }, vatId: 'BE0207373429' },
  buyer: { country: 'BE', postcode: '1060', city: 'Saint-Gilles', reference: 'SERVICE-42' },
})
const frenchCommune: FacturXOptionsInput = {
  profile: 'EN16931',
  seller: { country: 'FR', legalId: { id: '21750001600019', scheme: '0009' } },
  buyer: { country: 'FR', legalId: { id: '13000548100010', scheme: '0009' }, reference: 'SERVICE-EXECUTANT-7' },
  vat: { category: 'O', exemptionCode: 'VATEX-EU-O', exemptionReason: 'Non assujetti : article 256 B du CGI' },
}

/** What a reader of the PDF finds: the attachments (pdfdetach), the structure (qpdf as QDF text), the fonts, the XMP. */
function readBack(bytes: Uint8Array): { files: string; xml: Buffer; qdf: string; fonts: string; xmp: string } {
  return withPdfFile(bytes, (path, dir) => {
    const files = execFileSync('pdfdetach', ['-list', path], { encoding: 'utf8' })
    execFileSync('pdfdetach', ['-save', '1', '-o', join(dir, 'extracted.xml'), path])
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', path, join(dir, 'qdf.pdf')])
    return {
      files,
      xml: readFileSync(join(dir, 'extracted.xml')),
      qdf: readFileSync(join(dir, 'qdf.pdf'), 'latin1'),
      fonts: execFileSync('pdffonts', [path], { encoding: 'utf8' }),
      xmp: pdfInfo(bytes, true).xmp ?? '',
    }
  })
}

const tag = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<ram:${name}(?: [^>]*)?>([^<]*)</ram:${name}>`, 'g'))].map((m) => m[1]!)
const minor = (s: string) => BigInt(s.replace('.', ''))

describe('Factur-X invoice: a PDF/A-3b whose embedded factur-x.xml is the invoice in CII', () => {
  for (const profile of FACTUR_X_PROFILES) {
    it(`${profile}: the PDF holds exactly one file, factur-x.xml, byte for byte the XML prepared from the invoice, declared in the XMP with its profile`, async () => {
      const data = invoiceRequest(undefined, { facturX: belgianSchool(profile) })
      const prepared = prepareInvoice(data)
      const bytes = await renderPdfBytes({ kind: 'invoice', data })
      expect(qpdfCheck(bytes)).toContain('No syntax or stream encoding errors')
      const back = readBack(bytes)
      expect(back.files.trim().split('\n')).toEqual(['1 embedded files', '1: factur-x.xml'])
      expect(back.xml.equals(Buffer.from(prepared.facturX!.xml, 'utf8'))).toBe(true)
      // the relationship the Factur-X specification gives: the XML is the invoice in another form, or only data (MINIMUM)
      expect(back.qdf).toContain(`/AFRelationship /${profile === 'MINIMUM' ? 'Data' : 'Alternative'}`)
      expect(back.qdf).toMatch(/\/AF \[\s*\d+ 0 R\s*\]/)
      expect(back.qdf).toContain('/Subtype /text#2fxml')
      expect(back.qdf).toMatch(/\/Params <<[^>]*\/ModDate \(D:20270104120000Z\)/)
      // PDF/A-3b: identification, an sRGB output intent, every font embedded
      expect(back.xmp).toMatch(/<pdfaid:part>3<\/pdfaid:part>\s*<pdfaid:conformance>B<\/pdfaid:conformance>/)
      expect(back.qdf).toMatch(/\/OutputIntents \[/)
      expect(back.qdf).toContain('/S /GTS_PDFA1')
      expect(back.qdf).toContain('/OutputConditionIdentifier (sRGB IEC61966-2.1)')
      const fontRows = back.fonts.trim().split('\n').slice(2)
      expect(fontRows.length).toBeGreaterThan(0)
      for (const row of fontRows) expect(row).toMatch(/Identity-H\s+yes\s+yes\s+yes/)
      // the Factur-X XMP properties and the PDF/A extension schema that describes them
      expect(back.xmp).toContain('<fx:DocumentType>INVOICE</fx:DocumentType>')
      expect(back.xmp).toContain('<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>')
      expect(back.xmp).toContain('<fx:Version>1.0</fx:Version>')
      expect(back.xmp).toContain(`<fx:ConformanceLevel>${profile === 'EN16931' ? 'EN 16931' : profile}</fx:ConformanceLevel>`)
      expect(back.xmp).toContain('<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>')
    })

    it(`${profile}: the extracted XML of the invoice and of the credit note is valid against the official Factur-X ${profile} XSD (libxml2 in process, and Debian's xmllint)`, async () => {
      for (const request of [
        { kind: 'invoice' as const, data: invoiceRequest(undefined, { facturX: belgianSchool(profile) }) },
        { kind: 'creditNote' as const, data: { ...creditNoteRequest(), facturX: belgianSchool(profile) } },
      ]) {
        const bytes = await renderPdfBytes(request)
        const xml = readBack(bytes).xml.toString('utf8')
        expect(xsdProblems(xml, profile)).toEqual([])
        withPdfFile(Buffer.from(xml), (path) => expect(() => xmllint(path, profile)).not.toThrow())
      }
    })
  }

  it('the XSD check can fail: an XML whose elements are out of order is refused by both validators', () => {
    const xml = prepareInvoice(invoiceRequest(undefined, { facturX: belgianSchool('EN16931') })).facturX!.xml
    const broken = xml.replace(/(<ram:InvoiceCurrencyCode>EUR<\/ram:InvoiceCurrencyCode>)(<ram:PaymentReference>[^<]*<\/ram:PaymentReference>)?/, '$2$1').replace('<ram:PaymentReference>', '<ram:Unknown/><ram:PaymentReference>')
    expect(xsdProblems(broken, 'EN16931').length).toBeGreaterThan(0)
    withPdfFile(Buffer.from(broken), (path) => expect(() => xmllint(path, 'EN16931')).toThrow())
  })

  it('the XML says what the printed invoice says: seller = billing office, buyer = payer, every line, the reductions and surcharges, totals that add up (EN 16931 BR-CO-10, BR-CO-13, BR-CO-15), 0 VAT exempt with its reason code', () => {
    const invoice = sampleInvoice()
    const xml = prepareInvoice(invoiceRequest(invoice, { facturX: belgianSchool('EN16931') })).facturX!.xml
    expect(xml).toContain('<ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID>')
    expect(tag(xml, 'ID')).toContain('F2027-000001')
    expect(tag(xml, 'TypeCode')[0]).toBe('380')
    expect(tag(xml, 'Name')).toEqual(expect.arrayContaining(['Régie des repas et garderies', 'Marie-Hélène Dupont-Lefèvre']))
    const lineTotals = tag(xml, 'LineTotalAmount').map(minor)
    // one LineTotalAmount per line, then the document's
    expect(lineTotals.length).toBe(invoice.lines.length + 1)
    expect(lineTotals.slice(0, -1)).toEqual(invoice.lines.map((l) => l.amountMinor))
    expect(lineTotals.at(-1)).toBe(lineTotals.slice(0, -1).reduce((a, b) => a + b, 0n))
    const [allowances] = tag(xml, 'AllowanceTotalAmount').map(minor)
    const [charges] = tag(xml, 'ChargeTotalAmount').map(minor)
    expect(allowances).toBe(1828n)
    expect(charges).toBe(500n)
    const [basis] = tag(xml, 'TaxBasisTotalAmount').map(minor)
    expect(basis).toBe(lineTotals.at(-1)! - allowances! + charges!)
    expect(tag(xml, 'GrandTotalAmount').map(minor)).toEqual([invoice.totalMinor])
    expect(tag(xml, 'DuePayableAmount').map(minor)).toEqual([16951n])
    expect(tag(xml, 'TaxTotalAmount')).toEqual(['0.00'])
    expect(tag(xml, 'CategoryCode').every((c) => c === 'E')).toBe(true)
    expect(tag(xml, 'ExemptionReasonCode')).toEqual(['VATEX-EU-132-1I'])
    expect(tag(xml, 'RateApplicablePercent').every((r) => r === '0')).toBe(true)
    // payment: credit transfer (58) to the office's IBAN, the structured communication in its electronic form
    expect(tag(xml, 'PaymentReference')).toEqual([invoice.paymentReference!.replace(/\D/g, '')])
    expect(xml).toContain('<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode><ram:PayeePartyCreditorFinancialAccount><ram:IBANID>BE15732664554630</ram:IBANID>')
    expect(tag(xml, 'BICID')).toEqual(['GKCCBEBB'])
    expect(xml).toContain('<ram:DueDateDateTime><udt:DateTimeString format="102">20270115</udt:DateTimeString></ram:DueDateDateTime>')
  })

  it('an invoice collected by direct debit says so: payment means 59, the creditor identifier and the mandate', () => {
    const invoice = { ...sampleInvoice(), directDebitDate: '2027-01-20' as const }
    const xml = prepareInvoice(invoiceRequest(invoice, { facturX: belgianSchool('BASIC'), mandate: { reference: 'MANDAT-0042' } })).facturX!.xml
    expect(tag(xml, 'CreditorReferenceID')).toEqual(['BE69ZZZ050D000000008'])
    expect(xml).toContain('<ram:TypeCode>59</ram:TypeCode>')
    expect(tag(xml, 'DirectDebitMandateID')).toEqual(['MANDAT-0042'])
    expect(tag(xml, 'IBANID')).toEqual([])
  })

  it('a credit note is a document of type 381 naming the invoice it corrects, its lines adding up to the amount credited', () => {
    const request = { ...creditNoteRequest(), facturX: belgianSchool('EN16931') }
    const xml = prepareCreditNote(request).facturX!.xml
    expect(tag(xml, 'TypeCode')[0]).toBe('381')
    expect(xml).toMatch(/<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>F2027-000001<\/ram:IssuerAssignedID>/)
    expect(tag(xml, 'DuePayableAmount').map(minor)).toEqual([830n])
    expect(tag(xml, 'LineTotalAmount').map(minor)).toEqual([415n, 415n, 830n])
  })

  it('a commune not subject to VAT writes category O with VATEX-EU-O and no rate, and its buyer reference (a public body’s service code)', () => {
    const xml = prepareInvoice(invoiceRequest(undefined, { facturX: frenchCommune })).facturX!.xml
    expect(tag(xml, 'CategoryCode').every((c) => c === 'O')).toBe(true)
    expect(tag(xml, 'ExemptionReasonCode')).toEqual(['VATEX-EU-O'])
    expect(tag(xml, 'RateApplicablePercent')).toEqual([])
    expect(tag(xml, 'BuyerReference')).toEqual(['SERVICE-EXECUTANT-7'])
    expect(xml).toContain('<ram:ID schemeID="0009">21750001600019</ram:ID>')
  })

  it('the commune’s invoice (category O, French identifiers) is valid against the EN 16931 and BASIC XSDs', () => {
    for (const profile of ['EN16931', 'BASIC'] as const) {
      const xml = prepareInvoice(invoiceRequest(undefined, { facturX: { ...frenchCommune, profile } })).facturX!.xml
      expect(xsdProblems(xml, profile)).toEqual([])
    }
  })

  it('special characters of names are escaped: the XML stays well-formed', () => {
    const data = invoiceRequest(undefined, { facturX: belgianSchool('EN16931'), payer: { name: 'Dupont & Fils <SPRL> "Les Écoles"', address: [] } })
    const xml = prepareInvoice(data).facturX!.xml
    expect(xml).toContain('<ram:Name>Dupont &amp; Fils &lt;SPRL&gt; &quot;Les Écoles&quot;</ram:Name>')
  })

  it('the writer itself refuses a character XML 1.0 refuses (a control character, a lone surrogate), naming the field, when called directly with unchecked data', () => {
    const fx = prepareInvoice(invoiceRequest(undefined, { facturX: belgianSchool('EN16931') }))
    const doc: FacturXDocument = {
      kind: 'invoice', number: 'F1', issueDate: '2027-01-04', currency: 'EUR',
      seller: { name: 'Régie', address: [] }, buyer: { name: 'Léa\u000bDupont\u0002', address: [] },
      lines: [{ id: 'l1', name: 'Repas', quantity: 1, unitPriceMinor: 415n, amountMinor: 415n }], allowances: [], totalMinor: 415n,
    }
    const options = fx.request.facturX!
    const refused = (d: FacturXDocument, path: RegExp) => {
      try {
        facturXXml(d, options as never)
      } catch (e) {
        expect(isEcoleError(e, 'INVALID_INPUT')).toBe(true)
        expect((e as Error).message).toMatch(path)
        return
      }
      expect.fail(`expected ${String(path)}`)
    }
    refused(doc, /facturXXml\.doc\.buyer\.name: must not contain U\+000B, which XML 1\.0 refuses/)
    refused({ ...doc, buyer: { name: 'Léa', address: [] }, lines: [{ ...doc.lines[0]!, name: 'Repas \ud83c' }] }, /facturXXml\.doc\.lines\.0\.name: must not contain U\+D83C/)
    refused({ ...doc, buyer: { name: 'Léa', address: ['Rue\u0000 Haute'] } }, /facturXXml\.doc\.buyer\.address\.0: must not contain U\+0000/)
  })

  it('a line id cut to 100 characters for SellerAssignedID is never cut inside a character', () => {
    const data = invoiceRequest(undefined, { facturX: belgianSchool('EN16931') })
    const inv = data.invoice as ReturnType<typeof sampleInvoice>
    const id = `${'x'.repeat(99)}😀tail`
    const xml = prepareInvoice({ ...data, invoice: { ...inv, lines: inv.lines.map((l, i) => (i === 0 ? { ...l, id } : l)), adjustments: inv.adjustments.map((a) => (a.lineId === inv.lines[0]!.id ? { ...a, lineId: id } : a)) } }).facturX!.xml
    expect(xml).toContain(`<ram:SellerAssignedID>${'x'.repeat(99)}😀</ram:SellerAssignedID>`)
    expect(xsdProblems(xml, 'EN16931')).toEqual([])
  })

  it('the printed invoice keeps everything it says without Factur-X, in the same order, and adds its VAT block', async () => {
    const plain = await renderPdfBytes({ kind: 'invoice', data: invoiceRequest() })
    const fx = await renderPdfBytes({ kind: 'invoice', data: invoiceRequest(undefined, { facturX: belgianSchool('EN16931') }) })
    const lines = (b: Uint8Array) => withPdfFile(b, (p) => execFileSync('pdftotext', [p, '-'], { encoding: 'utf8' })).split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^Page \d+ \/ \d+$/.test(l))
    const withFx = lines(fx)
    let at = 0
    for (const line of lines(plain)) {
      const found = withFx.indexOf(line, at)
      expect(found, line).toBeGreaterThanOrEqual(at)
      at = found + 1
    }
    expect(withFx).toContain('TVA')
  })

  it('writes a fractional quantity as the decimal it means: 0.1 + 0.2 hours is BilledQuantity 0.3, never 0.30000000000000004', () => {
    // the core sums it exactly; an invoice built elsewhere may carry the binary sum
    const summed = fractionalInvoice()
    const noisy = { ...summed, lines: summed.lines.map((l) => (l.serviceId === 'care' ? { ...l, quantity: 0.1 + 0.2 } : l)) }
    const xml = prepareInvoice(invoiceRequest(noisy, { facturX: belgianSchool('EN16931') })).facturX!.xml
    expect(tag(xml, 'BilledQuantity')).toEqual(['0.3', '1.75'])
    expect(xsdProblems(xml, 'EN16931')).toEqual([])
  })
})

describe('Factur-X: bad options are refused before a byte is written, naming the field', () => {
  const code = (fn: () => unknown): { code: string; message: string } => {
    try {
      fn()
    } catch (e) {
      if (isEcoleError(e)) return { code: e.code, message: e.message }
      throw e
    }
    throw new Error('expected an EcoleError')
  }

  it('an exempt invoice (category E) without the seller’s VAT number or tax registration is refused (BR-E-2)', () => {
    const e = code(() => prepareInvoice(invoiceRequest(undefined, { facturX: { seller: { country: 'BE' }, buyer: { country: 'BE' } } })))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toMatch(/^\[ecole\] invoice\.facturX\.seller\.vatId: .*BR-E-2/)
  })

  it('an invoice not subject to VAT (category O) with a seller VAT number is refused (BR-O-2)', () => {
    const e = code(() => prepareInvoice(invoiceRequest(undefined, { facturX: { ...frenchCommune, seller: { country: 'FR', vatId: 'FR12345678901' } } })))
    expect(e.message).toMatch(/invoice\.facturX\.seller\.vatId: .*BR-O-2/)
  })

  it('a country that is not an ISO code, and a category O with an exemption code of category E, are refused', () => {
    expect(code(() => prepareInvoice(invoiceRequest(undefined, { facturX: { seller: { country: 'Belgique', vatId: 'BE0207373429' }, buyer: { country: 'BE' } } }))).message).toMatch(/invoice\.facturX\.seller\.country/)
    expect(code(() => prepareInvoice(invoiceRequest(undefined, { facturX: { ...frenchCommune, vat: { category: 'O', exemptionCode: 'VATEX-EU-132-1I', exemptionReason: 'x' } } }))).message).toMatch(/invoice\.facturX\.vat\.exemptionCode/)
  })

  it('a direct-debit invoice whose office has no creditor identifier is refused', () => {
    const request = invoiceRequest({ ...sampleInvoice(), directDebitDate: '2027-01-20' }, { facturX: belgianSchool('EN16931'), mandate: { reference: 'M1' } })
    const office = { ...request.issuer.billingOffice }
    delete office.creditorId
    expect(code(() => prepareInvoice({ ...request, issuer: { ...request.issuer, billingOffice: office } })).message).toMatch(/invoice\.issuer\.billingOffice\.creditorId/)
  })

  it('totals that do not add up are refused by the writer (BR-CO-13)', () => {
    const e = code(() =>
      facturXXml(
        { kind: 'invoice', number: 'F1', issueDate: '2027-01-04', currency: 'EUR', seller: { name: 'Régie', address: [] }, buyer: { name: 'Payeur', address: [] }, lines: [{ id: 'l1', name: 'Repas', quantity: 1, unitPriceMinor: 415n, amountMinor: 415n }], allowances: [], totalMinor: 400n },
        { profile: 'BASIC', seller: { country: 'BE', vatId: 'BE0207373429' }, buyer: { country: 'BE' }, vat: { category: 'E', exemptionCode: 'VATEX-EU-132-1I', exemptionReason: 'Exonéré' } },
      ),
    )
    expect(e.message).toMatch(/facturX\.totalMinor: .*BR-CO-13/)
  })
})

describe('the printed page says what the Factur-X XML declares about VAT', () => {
  const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ')
  const printed = async (data: Parameters<typeof prepareInvoice>[0]) => plain(pdfText(await renderPdfBytes({ kind: 'invoice', data })))

  it("prints the seller's VAT number, the category exempt at 0 % on the whole total with no VAT, and the exemption reason with its VATEX code", async () => {
    const invoice = sampleInvoice()
    const data = invoiceRequest(invoice, { facturX: belgianSchool('EN16931') })
    const xml = prepareInvoice(data).facturX!.xml
    const text = await printed(data)
    // what the XML says
    expect(xml).toContain('<ram:ID schemeID="VA">BE0207373429</ram:ID>')
    expect(tag(xml, 'ExemptionReasonCode')).toEqual(['VATEX-EU-132-1I'])
    // is on the page
    expect(text).toMatch(/N° de TVA\s+BE0207373429/)
    expect(text).toMatch(/Exonéré de TVA\s+base 169,51 €, taux 0 %, TVA 0,00 €/)
    expect(text).toMatch(/Motif d'exonération\s+Article 132, paragraphe 1, point i\), de la directive 2006\/112\/CE/)
    expect(text).toContain('(VATEX-EU-132-1I)')
  })

  it("prints the default exemption reason in the document's language", async () => {
    const expected = {
      en: [/VAT number\s+BE0207373429/, /Exempt from VAT\s+taxable amount €169\.51, rate 0%, VAT €0\.00/, /Exemption reason\s+Article 132\(1\)\(i\) of Directive 2006\/112\/EC/],
      it: [/Partita IVA\s+BE0207373429/, /Esente IVA\s+imponibile 169,51 €, aliquota 0%, IVA 0,00 €/, /Motivo di esenzione\s+Articolo 132, paragrafo 1, lettera i\), della direttiva 2006\/112\/CE/],
      nl: [/Btw-nummer\s+BE0207373429/, /Vrijgesteld van btw\s+maatstaf € 169,51, tarief 0%, btw € 0,00/, /Reden van vrijstelling\s+Artikel 132, lid 1, onder i\), van Richtlijn 2006\/112\/EG/],
    } as const
    for (const language of ['en', 'it', 'nl'] as const) {
      const text = await printed({ ...invoiceRequest(undefined, { facturX: belgianSchool('EN16931') }), language })
      for (const re of expected[language]) expect(text, language).toMatch(re)
      expect(text, language).not.toContain('Exonération de TVA')
    }
  })

  it("prints an exemption reason of the caller's own as given, with its code", async () => {
    const vat = { category: 'E' as const, exemptionCode: 'VATEX-EU-132-1H', exemptionReason: 'TVA non applicable, art. 261-4-4° du CGI' }
    const text = await printed(invoiceRequest(undefined, { facturX: { ...belgianSchool('BASIC'), vat } }))
    expect(text).toMatch(/Motif d'exonération\s+TVA non applicable, art\. 261-4-4° du CGI \(VATEX-EU-132-1H\)/)
  })

  it('prints a commune not subject to VAT (category O) as such, with its reason and no rate', async () => {
    const text = await printed(invoiceRequest(undefined, { facturX: frenchCommune }))
    expect(text).toMatch(/Hors du champ de la TVA\s+base 169,51 €, TVA 0,00 €/)
    expect(text).toMatch(/Motif\s+Non assujetti : article 256 B du CGI \(VATEX-EU-O\)/)
    expect(text).not.toContain('N° de TVA')
  })

  it("prints the VAT block on a Factur-X credit note too, on the amount credited", async () => {
    const text = plain(pdfText(await renderPdfBytes({ kind: 'creditNote', data: { ...creditNoteRequest(), facturX: belgianSchool('EN16931') } })))
    expect(text).toMatch(/N° de TVA\s+BE0207373429/)
    expect(text).toMatch(/Exonéré de TVA\s+base 8,30 €, taux 0 %, TVA 0,00 €/)
    expect(text).toContain('(VATEX-EU-132-1I)')
  })
})
