import { execFileSync } from 'node:child_process'
import { Money, epcQr, isEcoleError, ogm, pagoPa, type Invoice } from '@ecole/core'
import type { DocumentSink } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { createFormatter } from '../format'
import { createPdfRenderer, renderPdf, renderPdfBytes, type PdfRequest } from '../renderer'
import { belgianIssuer, invoiceRequest, longInvoice, makePng, sampleInvoice, validate } from '../test-support/fixtures'
import { pdfInfo, pdfText, qpdfCheck, withPdfFile, zbarDecode } from '../test-support/tools'
import type { InvoiceRequestInput } from './invoice'

const invoice = sampleInvoice()
const request = invoiceRequest(invoice)
const bytesP = renderPdfBytes({ kind: 'invoice', data: request })
const fr = createFormatter('fr')
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ')

function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn()
  } catch (e) {
    return e as Error & { code?: string }
  }
  throw new Error('expected an error')
}

describe('invoice PDF, read as a reader would', () => {
  it('passes qpdf --check', async () => {
    expect(qpdfCheck(await bytesP)).toContain('No syntax or stream encoding errors')
  })

  it('prints the number, the dates, the payer with her address and the joint debtor, accents intact', async () => {
    const text = plain(pdfText(await bytesP))
    expect(text).toContain('Facture F2027-000001')
    expect(text).toContain('4 janvier 2027')
    expect(text).toContain('15 janvier 2027')
    expect(text).toContain('Marie-Hélène Dupont-Lefèvre')
    expect(text).toContain('Rue de l’Église 12, boîte 3')
    expect(text).toMatch(/Tiers solidaire\s+Jérôme Dupont/)
    expect(text).toContain('École communale')
    expect(text).toContain('Îlot des')
  })

  it("prints each line's amount, the adjustments and the totals in the project's money format", async () => {
    const text = plain(pdfText(await bytesP))
    for (const line of invoice.lines) expect(text).toContain(plain(fr.money(line.amountMinor, 'EUR')))
    // 182.79 of services, 10 % sibling reduction (-18.28), 5.00 surcharge: 169.51 to pay
    expect(text).toMatch(/Total des prestations\s+182,79 €/)
    expect(text).toMatch(/Réduction 10 %: Réduction fratrie\s+-18,28 €/)
    expect(text).toMatch(/Total à payer\s+169,51 €/)
    expect(invoice.totalMinor).toBe(16951n)
  })

  it('right-aligns the amounts: every line amount ends at the same x as the others', async () => {
    const html = withPdfFile(await bytesP, (path) => execFileSync('pdftotext', ['-bbox', path, '-'], { encoding: 'utf8' }))
    const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({ xMax: Number(m[3]), y: Number(m[2]), text: m[4]! }))
    // the euro sign closes every amount in French; the amounts of the lines are the rightmost ones of their rows
    const euros = words.filter((w) => w.text === '€')
    const rightmost = Math.max(...euros.map((w) => w.xMax))
    const lineAmounts = invoice.lines.map((l) => plain(fr.money(l.amountMinor, 'EUR')))
    expect(lineAmounts.length).toBeGreaterThan(3)
    const atRight = euros.filter((w) => Math.abs(w.xMax - rightmost) < 0.5)
    // every line, the lines total, the adjustments and the total end at the right edge
    expect(atRight.length).toBeGreaterThanOrEqual(invoice.lines.length + invoice.adjustments.length + 2)
  })

  it('shows the earlier unpaid balance without adding it to the total', async () => {
    const text = plain(pdfText(await bytesP))
    expect(text).toMatch(/Solde antérieur restant dû \(non inclus dans le total\) : 12,45 €/)
    expect(text).not.toContain('181,96')
  })

  it('prints the structured communication in its printed form +++ddd/dddd/ddddd+++', async () => {
    const text = pdfText(await bytesP)
    expect(text).toContain(ogm.format(invoice.paymentReference!))
    expect(text).toMatch(/Communication structurée\s+\+\+\+042\/2000\/00\d{3}\+\+\+/)
  })

  it("carries an EPC QR code that zbarimg decodes, byte for byte, to the core's EPC payload", async () => {
    const office = belgianIssuer().billingOffice
    const expected = epcQr.payload({ name: office.name, iban: office.iban!, bic: office.bic!, amount: Money.fromMinor(invoice.totalMinor, 'EUR').amount, reference: invoice.paymentReference! })
    expect(expected).toContain('Régie')
    expect(zbarDecode(await bytesP)).toEqual([expected])
  })

  it('is PDF/A-3b with its title, author (the billing office) and language in the metadata', async () => {
    const bytes = await bytesP
    const info = pdfInfo(bytes, true)
    expect(info.Title).toBe('Facture F2027-000001')
    expect(info.Author).toBe('Régie des repas et garderies')
    expect(info.xmp).toContain('<pdfaid:part>3</pdfaid:part>')
    expect(info.xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>')
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/\/Lang \(fr-FR\)/)
    expect(Buffer.from(bytes).toString('latin1')).toContain('/OutputIntents')
  })

  it('embeds every font it uses (DejaVu Sans from npm, no system font)', async () => {
    const fonts = withPdfFile(await bytesP, (path) => execFileSync('pdffonts', [path], { encoding: 'utf8' }))
    const rows = fonts.split('\n').slice(2).filter((l) => l.trim() !== '')
    expect(rows.length).toBeGreaterThanOrEqual(2)
    for (const row of rows) {
      expect(row).toMatch(/DejaVuSans/)
      expect(row).toMatch(/ yes +yes +yes /)
    }
  })

  it('prints the same text in English, Italian and Dutch from the same data', async () => {
    const titles = { en: 'Invoice F2027-000001', it: 'Fattura F2027-000001', nl: 'Factuur F2027-000001' } as const
    const totals = { en: /Total due\s+€169\.51/, it: /Totale da pagare\s+169,51 €/, nl: /Te betalen\s+€ 169,51/ } as const
    for (const language of ['en', 'it', 'nl'] as const) {
      const text = plain(pdfText(await renderPdfBytes({ kind: 'invoice', data: { ...request, language } })))
      expect(text).toContain(titles[language])
      expect(text).toMatch(totals[language])
      expect(text).toContain('Marie-Hélène Dupont-Lefèvre')
    }
  })

  it('replaces payment details by the direct-debit notice (and no QR code) when the invoice is collected by SEPA', async () => {
    const dd: Invoice = { ...invoice, directDebitDate: '2027-01-10' }
    const bytes = await renderPdfBytes({ kind: 'invoice', data: { ...request, invoice: dd, mandate: { reference: 'RUM-2026-000042' } } })
    const text = plain(pdfText(bytes))
    expect(text).toContain('Cette facture sera prélevée sur votre compte le 10 janvier 2027')
    expect(text).toContain('RUM-2026-000042')
    expect(text).not.toContain('Paiement par virement')
    expect(() => zbarDecode(bytes)).toThrow()
  })

  it('prints an RF reference in groups of four', async () => {
    const [inv] = validate([{ ...invoice, status: 'draft', number: null, sequence: null, issueDate: null, paymentReference: null }], { scheme: 'rf', siteCode: '042' })
    const text = pdfText(await renderPdfBytes({ kind: 'invoice', data: { ...request, invoice: inv! } }))
    expect(text).toMatch(/Référence de paiement\s+RF\d\d 0422 0000 0000 01/)
  })

  it('prints a pagoPA notice number in its printed form, and puts it in the QR code as text (EPC structured references are OGM or RF only)', async () => {
    const [inv] = validate([{ ...invoice, status: 'draft', number: null, sequence: null, issueDate: null, paymentReference: null }], { scheme: 'pagoPa', siteCode: '42', segregationCode: '01' })
    const bytes = await renderPdfBytes({ kind: 'invoice', data: { ...request, language: 'it', invoice: inv! } })
    const printedNotice = pagoPa.formatNotice(inv!.paymentReference!)
    expect(pdfText(bytes)).toContain(printedNotice)
    expect(pdfText(bytes)).toMatch(/Codice avviso pagoPA\s+3\d{3} \d{4} \d{4} \d{4} \d{2}/)
    const office = belgianIssuer().billingOffice
    expect(zbarDecode(bytes)).toEqual([epcQr.payload({ name: office.name, iban: office.iban!, bic: office.bic!, amount: Money.fromMinor(inv!.totalMinor, 'EUR').amount, text: printedNotice })])
  })

  it('snapshot of the extracted text', async () => {
    expect(plain(pdfText(await bytesP))).toMatchSnapshot()
  })
})

describe('a long invoice over several pages', () => {
  const long = longInvoice(40)
  const drawn = renderPdf({ kind: 'invoice', data: invoiceRequest(long) })
  const bytesP2 = (async () => {
    const parts: Uint8Array[] = []
    for await (const c of drawn.chunks) parts.push(c)
    return Buffer.concat(parts)
  })()

  it('repeats the table header at the top of every page the table runs onto, and numbers pages "page n / m"', async () => {
    const bytes = await bytesP2
    expect(drawn.pages).toBeGreaterThanOrEqual(4)
    const tablePages = new Set(drawn.rows.filter((r) => !r.id.startsWith('adjustment') && r.id !== 'total' && r.id !== 'linesTotal').map((r) => r.page))
    for (let page = 1; page <= drawn.pages; page++) {
      const text = pdfText(bytes, { first: page, last: page })
      expect(text).toContain(`Page ${page} / ${drawn.pages}`)
      if (tablePages.has(page - 1)) expect(text).toMatch(/Bénéficiaire\s+Prestation\s+Période\s+Qté\s+Prix unit\.\s+Montant/)
    }
  })

  it('prints the total once, on the page of the last line or after it', async () => {
    const bytes = await bytesP2
    const text = pdfText(bytes)
    expect(text.match(/Total à payer/g)).toHaveLength(1)
    const lastLine = Math.max(...drawn.rows.filter((r) => long.lines.some((l) => l.id === r.id)).map((r) => r.page))
    expect(drawn.rows.find((r) => r.id === 'total')!.page).toBeGreaterThanOrEqual(lastLine)
  })

  it('never splits a line across pages: every row lies inside one page body', () => {
    for (const r of drawn.rows) {
      expect(r.top).toBeGreaterThanOrEqual(42)
      expect(r.bottom).toBeLessThanOrEqual(841.89 - 42 - 28 + 0.001)
    }
    expect(new Set(drawn.rows.map((r) => r.id)).size).toBe(drawn.rows.length)
    for (const l of long.lines) expect(drawn.rows.some((r) => r.id === l.id)).toBe(true)
  })
})

describe('bad input is refused before a single byte is written', () => {
  const renderer = createPdfRenderer()
  const spySink = () => {
    const calls: string[] = []
    const sink: DocumentSink = {
      async write(info) {
        calls.push(info.fileName)
      },
    }
    return { sink, calls }
  }
  const refuse = async (data: InvoiceRequestInput, field: RegExp) => {
    const { sink, calls } = spySink()
    const error = await renderer.renderTo({ kind: 'invoice', data } as PdfRequest, sink).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(isEcoleError(error)).toBe(true)
    expect((error as { code: string }).code).toBe('INVALID_INPUT')
    expect((error as Error).message).toMatch(field)
    expect(calls).toEqual([])
  }

  it('refuses an unknown language, naming invoice.language', async () => {
    await refuse({ ...request, language: 'de' as never }, /invoice\.language/)
  })
  it('refuses a logo that is not an image, naming invoice.issuer.logo', async () => {
    await refuse({ ...request, issuer: { ...belgianIssuer(), logo: { bytes: new TextEncoder().encode('<svg onload="alert(1)"/>') } } }, /invoice\.issuer\.logo: must be a PNG or JPEG/)
  })
  it('refuses a logo larger than 1 MiB, naming invoice.issuer.logo', async () => {
    const big = new Uint8Array(1024 * 1024 + 1)
    big.set(makePng(4, 4))
    await refuse({ ...request, issuer: { ...belgianIssuer(), logo: { bytes: big } } }, /invoice\.issuer\.logo: the image has 1048577 bytes/)
  })
  it('refuses a stamp larger than 512 KiB, naming invoice.issuer.stamp', async () => {
    const big = new Uint8Array(512 * 1024 + 1)
    big.set(makePng(4, 4))
    await refuse({ ...request, issuer: { ...belgianIssuer(), stamp: { bytes: big } } }, /invoice\.issuer\.stamp/)
  })
  it('refuses an invoice whose total is not lines + adjustments, naming invoice.invoice.totalMinor', async () => {
    await refuse({ ...request, invoice: { ...invoice, totalMinor: invoice.totalMinor + 1n } }, /invoice\.invoice\.totalMinor/)
  })
  it('refuses a draft (no number yet), naming invoice.invoice.number', async () => {
    await refuse({ ...request, invoice: { ...invoice, status: 'draft', number: null } }, /invoice\.invoice\.number/)
  })
  it('refuses an amount given as a float, naming the field', async () => {
    await refuse({ ...request, invoice: { ...invoice, totalMinor: 169.51 as never } }, /invoice\.invoice\.totalMinor/)
  })
  it('refuses a line whose child has no name, naming the line', async () => {
    const names = { ...request.names }
    delete names.k2
    await refuse({ ...request, names }, /invoice\.lines\.\d+\.beneficiaryId/)
  })
  it('refuses a direct-debit invoice without its mandate, naming invoice.mandate', async () => {
    await refuse({ ...request, invoice: { ...invoice, directDebitDate: '2027-01-10' } }, /invoice\.mandate/)
  })
  it('refuses an unknown kind of document', () => {
    const e = thrown(() => renderPdf({ kind: 'letter', data: request } as never))
    expect(e.message).toMatch(/pdfRequest\.kind/)
  })
})
