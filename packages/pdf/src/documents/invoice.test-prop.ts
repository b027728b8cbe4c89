import { fc, test } from '@fast-check/vitest'
import { addInvoiceAdjustment, buildInvoiceDrafts, type Invoice } from '@ecole/core'
import { invoiceBatchArb, invoiceChargeLinesArb } from '@ecole/testing'
import { expect } from 'vitest'
import { A4 } from '../layout'
import { LANGUAGES, label, type Language } from '../language'
import { collect } from '../render-one'
import { renderPdf } from '../renderer'
import { belgianIssuer, NAMES, SERVICES, validate } from '../test-support/fixtures'
import { pdfText } from '../test-support/tools'

const MONEY = /-?€[\d,]+\.\d\d/g
const minor = (s: string): bigint => BigInt(s.replace(/[€,.]/g, ''))

const names: Record<string, string> = { ...NAMES, g4: 'Ludovic Ørsted-Nuñez', g5: 'Anne-Sophie Vander Elst-Dubois de Saint-Hubert' }

async function printed(invoice: Invoice, language: Language) {
  const drawn = renderPdf({
    kind: 'invoice',
    data: { language, amountLocale: 'en', printedOn: '2027-01-04', issuer: belgianIssuer(), invoice, payer: { name: names[invoice.debtorId]!, address: ['Rue Haute 1', '1000 Bruxelles'] }, names, services: SERVICES },
  })
  const text = pdfText(await collect(drawn.chunks)).replace(/[\u00a0\u202f]/g, ' ')
  const lines = text.split('\n')
  const tableRows = lines.filter((l) => (l.match(MONEY) ?? []).length >= 2).map((l) => minor(l.match(MONEY)!.at(-1)!))
  const adjustments = lines.filter((l) => l.includes(`${label(language, 'reduction')} `) && (l.match(MONEY) ?? []).length === 1).map((l) => minor(l.match(MONEY)![0]!))
  const totalLine = lines.find((l) => new RegExp(`${label(language, 'total')}\\s+-?€`).test(l))
  return { drawn, tableRows, adjustments, total: totalLine === undefined ? undefined : minor(totalLine.match(MONEY)!.at(-1)!) }
}

const invoicesArb = fc
  .tuple(invoiceBatchArb({ minimumMax: 0 }), invoiceChargeLinesArb({ maxLength: 160 }), fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }), fc.constantFrom(...LANGUAGES))
  .map(([batch, charges, percent, language]) => {
    const drafts = buildInvoiceDrafts({ ...batch, serviceIds: ['meal', 'care', 'study'] }, charges).drafts.slice(0, 2)
    const adjusted = drafts.map((d) => (percent === undefined || d.totalMinor === 0n ? d : addInvoiceAdjustment(d, { id: 'r1', kind: 'reduction', reason: 'Fratrie', percent: String(percent) })))
    return { invoices: adjusted.length > 0 ? validate(adjusted) : [], language }
  })

test.prop([invoicesArb], { numRuns: 20 })('the printed lines and adjustments add up to the printed total, which is the core total', async ({ invoices, language }) => {
  fc.pre(invoices.length > 0)
  for (const invoice of invoices) {
    const p = await printed(invoice, language)
    expect(p.total).toBe(invoice.totalMinor)
    expect(p.tableRows.reduce((a, b) => a + b, 0n) + p.adjustments.reduce((a, b) => a + b, 0n)).toBe(p.total)
  }
})

test.prop([invoicesArb], { numRuns: 20 })('every line appears once, with its amount on the same printed row as its service', async ({ invoices, language }) => {
  fc.pre(invoices.length > 0)
  for (const invoice of invoices) {
    const p = await printed(invoice, language)
    expect(p.tableRows).toHaveLength(invoice.lines.length)
    expect(p.tableRows).toEqual(invoice.lines.map((l) => l.amountMinor))
    for (const l of invoice.lines) expect(p.drawn.rows.filter((r) => r.id === l.id)).toHaveLength(1)
  }
})

test.prop([invoicesArb], { numRuns: 20 })('page breaks never split a line: each row lies inside the body of one page', async ({ invoices, language }) => {
  fc.pre(invoices.length > 0)
  for (const invoice of invoices) {
    const p = await printed(invoice, language)
    for (const r of p.drawn.rows) {
      expect(r.page).toBeLessThan(p.drawn.pages)
      expect(r.top).toBeGreaterThanOrEqual(42)
      expect(r.bottom).toBeLessThanOrEqual(A4.height - 42 - 28 + 1e-6)
    }
  }
})
