import { fc, test } from '@fast-check/vitest'
import { isEcoleError } from '@ecole/core'
import { describe, expect } from 'vitest'
import { fixture, fixtureText, xsdErrors } from '../test-support/fixtures'
import { lineTotalMinor, summaryOf, writeFatturaPA, type ModelBody, type ModelFile, type ModelLine } from '../test-support/write-fatturapa'
import { FATTURAPA_DOCUMENT_TYPES } from './document-types'
import { parseFatturaPA } from './parse-fatturapa'

const text = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 '&<>àèéìòù.,/-]{0,40}$/).map((s) => s.trimEnd()).filter((s) => s.length > 0)
const date = fc.date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
const line: fc.Arbitrary<ModelLine> = fc.record({
  description: text,
  quantity: fc.integer({ min: 1, max: 99_999 }).map((h) => `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`),
  unitPriceMinor: fc.bigInt({ min: 1n, max: 5_000_000n }),
  rate: fc.constantFrom('22.00' as const, '10.00' as const, '4.00' as const, '0.00' as const),
})
const body: fc.Arbitrary<ModelBody> = fc.record({
  type: fc.constantFrom(...Object.keys(FATTURAPA_DOCUMENT_TYPES).filter((t) => t !== 'TD29')),
  number: fc.stringMatching(/^[A-Z0-9][A-Z0-9/-]{0,9}$/),
  date,
  lines: fc.array(line, { minLength: 1, maxLength: 6 }),
  withTotal: fc.boolean(),
  payments: fc.array(fc.record({ method: fc.constantFrom('MP01', 'MP05', 'MP19'), due: date }), { maxLength: 3 }),
  attachment: fc.option(fc.uint8Array({ minLength: 1, maxLength: 64 }), { nil: undefined }),
})
const file: fc.Arbitrary<ModelFile> = fc.record({
  format: fc.constantFrom('FPA12' as const, 'FPR12' as const),
  supplierVat: fc.stringMatching(/^[0-9]{11}$/).map((s) => `IT${s}`),
  customerVat: fc.stringMatching(/^[0-9]{11}$/).map((s) => `IT${s}`),
  supplierName: text,
  progressive: fc.stringMatching(/^[A-Z0-9]{1,5}$/),
  bodies: fc.array(body, { minLength: 1, maxLength: 3 }),
})

describe('parseFatturaPA properties', () => {
  test.prop([file], { numRuns: 60 })('a generated invoice file reads back as written: parties, every body, every line and amount', async (model) => {
    const parsed = await parseFatturaPA(writeFatturaPA(model))
    expect(parsed.format).toBe(model.format)
    expect(parsed.supplier.vatNumber).toBe(model.supplierVat)
    expect(parsed.supplier.name).toBe(model.supplierName)
    expect(parsed.customer.vatNumber).toBe(model.customerVat)
    expect(parsed.invoices).toHaveLength(model.bodies.length)
    parsed.invoices.forEach((inv, i) => {
      const b = model.bodies[i]!
      expect([inv.documentType, inv.number, inv.date]).toEqual([b.type, b.number, b.date])
      expect(inv.lines.map((l) => [l.description, l.quantity, l.vatRate])).toEqual(b.lines.map((l) => [l.description, l.quantity, l.rate]))
      expect(inv.lines.map((l) => l.total)).toEqual(b.lines.map((l) => { const m = lineTotalMinor(l); return `${m / 100n}.${String(m % 100n).padStart(2, '0')}` }))
      expect(inv.vatSummary.map((s) => [s.vatRate, s.taxable.minor, s.tax.minor])).toEqual(summaryOf(b).map((s) => [s.rate, s.taxable, s.tax]))
      expect(inv.statedTotal === null).toBe(!b.withTotal)
      expect(inv.attachments.map((a) => [...a.bytes])).toEqual(b.attachment ? [[...b.attachment]] : [])
      expect(inv.paymentTerms.flatMap((t) => t.details.map((d) => d.dueDate))).toEqual(b.payments.map((p) => p.due))
    })
  })

  test.prop([file], { numRuns: 60 })('the total of every invoice equals its VAT summary (taxable plus tax), and nothing disagrees', async (model) => {
    const parsed = await parseFatturaPA(writeFatturaPA(model))
    for (const inv of parsed.invoices) {
      const sum = inv.vatSummary.reduce((a, s) => a + s.taxable.minor + s.tax.minor, 0n)
      expect(inv.total.minor).toBe(sum)
      expect(inv.summaryTotal.minor).toBe(sum)
      expect(inv.disagreements).toEqual([])
      // instalments add up to the total
      for (const t of inv.paymentTerms) expect(t.details.reduce((a, d) => a + d.amount.minor, 0n)).toBe(inv.total.minor)
    }
  })

  test.prop([file], { numRuns: 8 })('the generated files are valid against the FatturaPA 1.2.2 schema (so the round trip tests real FatturaPA)', async (model) => {
    expect(await xsdErrors(writeFatturaPA(model))).toEqual([])
  })

  const official = fixtureText('fatturapa/IT01234567890_FPR03.xml')
  const mutation = fc.oneof(
    fc.tuple(fc.nat(official.length), fc.nat(official.length)).map(([a, b]) => official.slice(0, Math.min(a, b)) + official.slice(Math.max(a, b))),
    fc.tuple(fc.nat(official.length), fc.string({ maxLength: 20 })).map(([at, s]) => official.slice(0, at) + s + official.slice(at)),
    fc.uint8Array({ maxLength: 200 }),
    fc.string({ maxLength: 200 }),
  )
  test.prop([mutation], { numRuns: 300 })('on any input, mangled invoices and random bytes included, only an EcoleError escapes', async (input) => {
    try {
      const r = await parseFatturaPA(input)
      expect(r.invoices.length).toBeGreaterThan(0)
    } catch (e) {
      expect(isEcoleError(e), String(e)).toBe(true)
    }
  })

  const der = fixture('oca/IT01234567890_FPR03.xml.p7m')
  const damaged = fc.array(fc.tuple(fc.nat(der.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }).chain((flips) =>
    fc.nat(der.length).map((cut) => {
      const copy = new Uint8Array(der)
      for (const [at, b] of flips) copy[at] = b
      return flips.length % 2 === 0 ? copy.subarray(0, Math.max(1, cut)) : copy
    }))
  test.prop([damaged], { numRuns: 150 })('on a damaged signed envelope, only an EcoleError escapes; one that still opens says whether it is intact', async (bytes) => {
    try {
      const r = await parseFatturaPA(bytes)
      expect(typeof r.envelope?.intact).toBe('boolean')
    } catch (e) {
      expect(isEcoleError(e), String(e)).toBe(true)
    }
  })
})
