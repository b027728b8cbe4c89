import { execFileSync } from 'node:child_process'
import { fc, test } from '@fast-check/vitest'
import { isEcoleError } from '@ecole/core'
import { expect } from 'vitest'
import { facturXXsd, xsdProblems } from '../test-support/factur-x-schemas'
import { belgianIssuer, invoiceRequest, sampleInvoice } from '../test-support/fixtures'
import { prepareInvoice, type InvoiceRequestInput } from './invoice'

const invoice = sampleInvoice()
const base = invoiceRequest(invoice, { facturX: { seller: { country: 'BE', vatId: 'BE0207373429', city: 'Saint-Gilles' }, buyer: { country: 'BE', city: 'Saint-Gilles' } } })
const kid = invoice.lines[0]!.beneficiaryId

/** Each text field a person types and the invoice prints or writes in its XML: where the text goes, and the path an error must name. */
const FIELDS: ReadonlyArray<readonly [path: string, put: (text: string) => InvoiceRequestInput]> = [
  ['invoice.payer.name', (t) => ({ ...base, payer: { name: t, address: [] } })],
  ['invoice.payer.address.0', (t) => ({ ...base, payer: { name: 'Marie Dupont', address: [t] } })],
  [`invoice.names.${kid}`, (t) => ({ ...base, names: { ...base.names, [kid]: t } })],
  ['invoice.services.meal', (t) => ({ ...base, services: { ...base.services, meal: t } })],
  ['invoice.issuer.billingOffice.name', (t) => ({ ...base, issuer: { ...belgianIssuer(), billingOffice: { ...belgianIssuer().billingOffice, name: t } } })],
  ['invoice.invoice.comment', (t) => ({ ...base, invoice: { ...invoice, comment: t } })],
  ['invoice.invoice.adjustments.0.reason', (t) => ({ ...base, invoice: { ...invoice, adjustments: invoice.adjustments.map((a, i) => (i === 0 ? { ...a, reason: t } : a)) } })],
  ['invoice.facturX.buyer.city', (t) => ({ ...base, facturX: { ...base.facturX!, buyer: { country: 'BE', city: t } } })],
]

/** Characters the documents print: Latin with accents, Greek, Cyrillic, punctuation, markup that XML escapes, line breaks. */
const printableUnit = fc.constantFrom(...'aZé ÆœŁ Ωλж Ђß€’–«»&<>"\'\n', 'e\u0301', '\r\n', '😀')
/** Characters of every kind: those, controls, lone surrogates, noncharacters, CJK, right-to-left, emoji, any code point. */
const anyUnit = fc.oneof(
  printableUnit,
  fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\ufffe', '\uffff', '\u202e', '\u200f', '王', 'מ', 'م', '🍽️', '\t'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
)
const textArb = fc.oneof(fc.string({ unit: printableUnit, maxLength: 16 }), fc.string({ unit: anyUnit, maxLength: 16 }))

test.prop([fc.integer({ min: 0, max: FIELDS.length - 1 }), textArb], { numRuns: 300 })(
  'any text typed into a printed field is either refused with INVALID_INPUT naming that field, or gives a Factur-X XML that libxml2 parses and finds valid against the EN 16931 XSD',
  (k, text) => {
    const [path, put] = FIELDS[k]!
    let xml: string
    try {
      xml = prepareInvoice(put(text)).facturX!.xml
    } catch (e) {
      expect(isEcoleError(e, 'INVALID_INPUT'), String(e)).toBe(true)
      const paths = ((e as { details: { issues?: Array<{ path: string }> } }).details.issues ?? []).map((i) => i.path)
      expect(paths, (e as Error).message).toContain(path)
      return
    }
    expect(xsdProblems(xml, 'EN16931')).toEqual([])
  },
)

test.prop([fc.integer({ min: 0, max: FIELDS.length - 1 }), textArb], { numRuns: 25 })(
  'and Debian’s xmllint agrees: the XML of any text accepted is well-formed and valid',
  (k, text) => {
    let xml: string
    try {
      xml = prepareInvoice(FIELDS[k]![1](text)).facturX!.xml
    } catch {
      return
    }
    expect(execFileSync('xmllint', ['--noout', '--schema', facturXXsd('EN16931'), '-'], { input: xml, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })).toBe('')
  },
)
