import { execFileSync } from 'node:child_process'
import { Money, buildInvoiceDrafts, defineInvoiceBatch, entityFiscalCode, epcQr, isEcoleError, nextInstalmentDue, ogm, pagoPa, type Invoice } from '@ecole/core'
import type { DocumentSink } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { createFormatter } from '../format'
import { createPdfRenderer, renderPdf, renderPdfBytes, type PdfRequest } from '../renderer'
import { belgianIssuer, fractionalInvoice, instalmentInvoice, invoiceRequest, longInvoice, makePng, sampleInvoice, validate } from '../test-support/fixtures'
import { xmllint } from '../test-support/factur-x-schemas'
import { pdfInfo, pdfText, qpdfCheck, withPdfFile, zbarDecode } from '../test-support/tools'
import { invoiceEpcPayload, prepareInvoice, type InvoiceRequestInput } from './invoice'

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
    expect(text).toMatch(/Réduction 10 % : Réduction fratrie\s+-18,28 €/)
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
    expect(text).toMatch(/Solde antérieur restant dû au 4 janvier 2027 \(non inclus dans le total\) : 12,45 €/)
    expect(text).not.toContain('181,96')
  })

  it('dates the earlier unpaid balance with the invoice’s issue date, not the day it is printed again: a copy printed weeks later is not read as today’s balance', async () => {
    expect(invoice.issueDate).toBe('2027-01-04')
    const later = plain(pdfText(await renderPdfBytes({ kind: 'invoice', data: { ...request, printedOn: '2027-03-01' } })))
    expect(later).toContain('Solde antérieur restant dû au 4 janvier 2027 (non inclus dans le total) : 12,45 €')
    expect(later).not.toContain('1 mars 2027')
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

/** The payment block of an invoice's text: from its heading to the end. */
const paymentBlock = (text: string, heading: string): string => {
  const at = text.indexOf(heading)
  expect(at, `the heading "${heading}"`).toBeGreaterThanOrEqual(0)
  return text.slice(at)
}

describe('an invoice paid in instalments asks for one instalment at a time', () => {
  const inv = instalmentInvoice(3)
  const [first, second] = inv.instalments
  const bytesP3 = renderPdfBytes({ kind: 'invoice', data: invoiceRequest(inv) })

  it('the schedule of this invoice has three instalments, the first smaller than the total', () => {
    expect(inv.instalments).toHaveLength(3)
    expect(first!.amountMinor).toBeLessThan(inv.totalMinor)
    expect(first!.dueDate).toBe('2027-01-15')
  })

  it('the payment block asks for the first instalment of a freshly issued invoice, its amount by its date, and says it is instalment 1 of 3', async () => {
    const payment = paymentBlock(plain(pdfText(await bytesP3)), 'Paiement par virement')
    expect(payment).toMatch(/Échéance\s+1 sur 3/)
    expect(payment).toMatch(new RegExp(`Montant de l'échéance\\s+${plain(fr.money(first!.amountMinor, 'EUR'))}`))
    expect(payment).toMatch(/Date d'échéance\s+15 janvier 2027/)
    expect(payment).toContain("Les échéances suivantes sont à payer aux dates de l'échéancier.")
    // never the whole total by the first due date
    expect(payment).not.toContain(plain(fr.money(inv.totalMinor, 'EUR')))
  })

  it('says which instalment in the four languages', async () => {
    const expected = { en: /Instalment\s+1 of 3/, it: /Rata\s+1 di 3/, nl: /Termijn\s+1 van 3/ } as const
    for (const language of ['en', 'it', 'nl'] as const) {
      expect(plain(pdfText(await renderPdfBytes({ kind: 'invoice', data: { ...invoiceRequest(inv), language } })))).toMatch(expected[language])
    }
  })

  it("its EPC QR code asks for the first instalment: zbarimg decodes the core's payload for that amount", async () => {
    const office = belgianIssuer().billingOffice
    const expected = epcQr.payload({ name: office.name, iban: office.iban!, bic: office.bic!, amount: Money.fromMinor(first!.amountMinor, 'EUR').amount, reference: inv.paymentReference! })
    expect(zbarDecode(await bytesP3)).toEqual([expected])
  })

  it("what it asks for is the core's next instalment due with nothing paid or credited", () => {
    const p = prepareInvoice(invoiceRequest(inv))
    const next = nextInstalmentDue(inv, { paidMinor: 0n, creditedMinor: 0n })!
    expect(p.due).toEqual({ amountMinor: next.amountMinor, dueDate: next.dueDate, instalment: { number: 1, count: 3 } })
    expect(next.dueDate).not.toBe(second!.dueDate)
  })

  it('invoiceEpcPayload asks for the first instalment of an invoice with a schedule, and for the amount it is given when given', () => {
    const office = belgianIssuer().billingOffice
    expect(invoiceEpcPayload(office, inv)!.split('\n')[7]).toBe(`EUR${Money.fromMinor(first!.amountMinor, 'EUR').amount}`)
    expect(invoiceEpcPayload(office, inv, second!.amountMinor)!.split('\n')[7]).toBe(`EUR${Money.fromMinor(second!.amountMinor, 'EUR').amount}`)
    const { instalments: _ignored, ...withoutSchedule } = inv
    expect(invoiceEpcPayload(office, withoutSchedule)!.split('\n')[7]).toBe(`EUR${Money.fromMinor(inv.totalMinor, 'EUR').amount}`)
  })

  it('printed again after the first instalment was paid, asks for the second (2 of 3) and its QR code for that amount; once all is paid or credited, asks for nothing', async () => {
    const settled = { paidMinor: first!.amountMinor, creditedMinor: 0n }
    const again = await renderPdfBytes({ kind: 'invoice', data: { ...invoiceRequest(inv), settled } })
    const payment = paymentBlock(plain(pdfText(again)), 'Paiement par virement')
    expect(payment).toMatch(/Échéance\s+2 sur 3/)
    expect(payment).toMatch(new RegExp(`Montant de l'échéance\\s+${plain(fr.money(second!.amountMinor, 'EUR'))}`))
    expect(payment).toMatch(/Date d'échéance\s+15 février 2027/)
    const office = belgianIssuer().billingOffice
    expect(zbarDecode(again)).toEqual([epcQr.payload({ name: office.name, iban: office.iban!, bic: office.bic!, amount: Money.fromMinor(second!.amountMinor, 'EUR').amount, reference: inv.paymentReference! })])
    expect(prepareInvoice({ ...invoiceRequest(inv), settled }).due).toEqual({ ...nextInstalmentDue(inv, settled)!, instalment: { number: 2, count: 3 } })
    const paid = prepareInvoice({ ...invoiceRequest(inv), settled: { paidMinor: inv.totalMinor - 100n, creditedMinor: 100n } })
    expect([paid.due, paid.qr]).toEqual([undefined, undefined])
  })

  it('refuses an invoice whose instalments do not add up to its total, naming invoice.invoice.instalments', () => {
    const broken = { ...inv, instalments: [first!, { ...second!, amountMinor: second!.amountMinor + 1n }, inv.instalments[2]!] }
    expect(() => prepareInvoice(invoiceRequest(broken))).toThrow(/invoice\.invoice\.instalments: must add up to totalMinor/)
  })
})

describe('an invoice printed again after payments and credit notes goes from its total to what is left to pay', () => {
  // the sample bills 169,51 €; 40,00 € were paid and a 10,00 € credit note issued since
  const settled = { paidMinor: 4000n, creditedMinor: 1000n }
  const left = invoice.totalMinor - settled.paidMinor - settled.creditedMinor
  const textP = renderPdfBytes({ kind: 'invoice', data: { ...request, settled } }).then((b) => plain(pdfText(b)))
  const money = (minor: bigint, language: 'fr' | 'en' | 'it' | 'nl' = 'fr') => plain(createFormatter(language).money(minor, 'EUR')).replace(/[.$^()]/g, (c) => `\\${c}`)

  it('prints, under the total, what was already paid, the credit notes and what is left to pay (total − paid − credited)', async () => {
    const text = await textP
    expect(text).toMatch(new RegExp(`Total à payer\\s+${money(invoice.totalMinor)}\\s+Déjà payé\\s+${money(-settled.paidMinor)}\\s+Avoirs\\s+${money(-settled.creditedMinor)}\\s+Reste à payer\\s+${money(left)}`))
    expect(text).toContain('-40,00 €')
    expect(text).toContain('-10,00 €')
    expect(text).toContain('119,51 €')
  })

  it('asks, in its payment block, for the amount its totals say is left to pay', async () => {
    expect(paymentBlock(await textP, 'Paiement par virement')).toMatch(new RegExp(`Montant\\s+${money(left)}`))
  })

  it('names the rows in English, Italian and Dutch', async () => {
    const names = { en: ['Already paid', 'Credit notes', 'Left to pay'], it: ['Già pagato', 'Note di credito', 'Resta da pagare'], nl: ['Reeds betaald', "Creditnota's", 'Nog te betalen'] } as const
    for (const language of ['en', 'it', 'nl'] as const) {
      const text = plain(pdfText(await renderPdfBytes({ kind: 'invoice', data: { ...request, language, settled } })))
      const [paid, credited, rest] = names[language]
      expect(text, language).toMatch(new RegExp(`${paid}\\s+${money(-settled.paidMinor, language)}\\s+${credited}\\s+${money(-settled.creditedMinor, language)}\\s+${rest}\\s+${money(left, language)}`))
    }
  })

  it('a credit note issued after the invoice was paid in full: prints the excess carried to the payer’s other invoices or account, nothing left to pay and no payment block', async () => {
    const carried = { paidMinor: invoice.totalMinor, creditedMinor: 1290n }
    const text = plain(pdfText(await renderPdfBytes({ kind: 'invoice', data: { ...request, settled: carried } })))
    expect(text).toMatch(new RegExp(`Déjà payé\\s+${money(-invoice.totalMinor)}\\s+Avoirs\\s+${money(-1290n)}\\s+Excédent reporté sur vos autres factures ou votre compte\\s+${money(1290n)}\\s+Reste à payer\\s+${money(0n)}`))
    expect(text).not.toContain('Paiement par virement')
  })

  it('with nothing paid or credited, prints what the freshly issued invoice prints: no paid, credited or left-to-pay row', async () => {
    const text = plain(pdfText(await renderPdfBytes({ kind: 'invoice', data: { ...request, settled: { paidMinor: 0n, creditedMinor: 0n } } })))
    expect(text).toBe(plain(pdfText(await bytesP)))
    expect(text).not.toMatch(/Déjà payé|Avoirs|Reste à payer/)
  })
})

describe('fractional quantities', () => {
  const summed = fractionalInvoice()
  // an invoice built elsewhere may carry the noise of a binary sum (0.1 + 0.2): the page never shows it
  const inv = { ...summed, lines: summed.lines.map((l) => (l.serviceId === 'care' ? { ...l, quantity: 0.1 + 0.2 } : l)) }

  it('the core sums the care hours 0.1 + 0.2 to 0.3 exactly; the invoice printed here carries the binary sum 0.30000000000000004 instead', () => {
    expect(summed.lines.find((l) => l.serviceId === 'care')!.quantity).toBe(0.3)
    expect(inv.lines.find((l) => l.serviceId === 'care')!.quantity).not.toBe(0.3)
  })

  it('prints 0,1 h + 0,2 h as 0,3 and 1,75 as 1,75 in French: the language’s decimal comma, only the decimals needed, no float noise', async () => {
    const text = plain(pdfText(await renderPdfBytes({ kind: 'invoice', data: invoiceRequest(inv) })))
    expect(text).toMatch(/Garderie du soir\s+01\/12\/2026 – 02\/12\/2026\s+0,3\s+2,50 €\s+0,75 €/)
    expect(text).toMatch(/Repas de midi\s+03\/12\/2026\s+1,75\s+2,50 €\s+4,38 €/)
    expect(text).not.toMatch(/0\.3|1\.75|0,3000/)
  })

  it('prints them with a decimal point in English', async () => {
    const text = plain(pdfText(await renderPdfBytes({ kind: 'invoice', data: { ...invoiceRequest(inv), language: 'en' } })))
    expect(text).toMatch(/Garderie du soir\s+01\/12\/2026 – 02\/12\/2026\s+0\.3\s+€2\.50/)
    expect(text).toMatch(/Repas de midi\s+03\/12\/2026\s+1\.75\s+€2\.50/)
  })
})

describe('the colon between a label and its value follows the language', () => {
  it('French puts a space before the colon (a no-break one): the reduction and the earlier unpaid balance', async () => {
    const text = plain(pdfText(await bytesP))
    expect(text).toContain('Réduction 10 % : Réduction fratrie')
    expect(text).toContain('Solde antérieur restant dû au 4 janvier 2027 (non inclus dans le total) : 12,45 €')
  })

  it('English, Italian and Dutch put none', async () => {
    const expected = {
      en: ['Reduction 10 %: Réduction fratrie', 'Earlier unpaid balance on 4 January 2027 (not included in the total): €12.45'],
      it: ['Riduzione 10 %: Réduction fratrie', 'Saldo precedente non pagato al 4 gennaio 2027 (non incluso nel totale): 12,45 €'],
      nl: ['Korting 10 %: Réduction fratrie', 'Vorig openstaand saldo op 4 januari 2027 (niet inbegrepen in het totaal): € 12,45'],
    } as const
    for (const language of ['en', 'it', 'nl'] as const) {
      const text = plain(pdfText(await renderPdfBytes({ kind: 'invoice', data: { ...request, language } })))
      for (const s of expected[language]) expect(text, language).toContain(s)
      expect(text, language).not.toMatch(/\S :/)
    }
  })
})

describe('an Italian invoice paid through pagoPA', () => {
  const [inv] = validate([{ ...invoice, status: 'draft', number: null, sequence: null, issueDate: null, paymentReference: null }], { scheme: 'pagoPa', siteCode: '42', segregationCode: '01' })
  const notice = inv!.paymentReference!
  const fiscalCode = '02438750586'
  const data: InvoiceRequestInput = { ...request, language: 'it', invoice: inv!, pagoPa: { noticeNumber: pagoPa.formatNotice(notice), creditorFiscalCode: fiscalCode } }
  const bytesP4 = renderPdfBytes({ kind: 'invoice', data })

  it('prints the pagoPA payment instead of the credit transfer: the notice number, the creditor and its fiscal code, the amount and due date, and no IBAN', async () => {
    const text = plain(pdfText(await bytesP4))
    expect(text).toContain('Pagamento tramite pagoPA')
    expect(text).not.toContain('Pagamento con bonifico')
    const payment = paymentBlock(text, 'Pagamento tramite pagoPA')
    expect(payment).toMatch(new RegExp(`Codice avviso pagoPA\\s+${pagoPa.formatNotice(notice)}`))
    expect(payment).toMatch(/Codice fiscale ente creditore\s+02438750586/)
    expect(payment).toMatch(/Ente creditore\s+Régie des repas et garderies/)
    expect(payment).toMatch(new RegExp(`Importo\\s+${plain(createFormatter('it').money(inv!.totalMinor, 'EUR'))}`))
    expect(payment).toMatch(/Data di scadenza\s+15 gennaio 2027/)
    expect(payment).not.toContain('IBAN')
  })

  it('its QR code is the pagoPA one: PAGOPA|002|notice (18 digits)|creditor fiscal code (11 digits)|amount in cents', async () => {
    expect(zbarDecode(await bytesP4)).toEqual([['PAGOPA', '002', notice, fiscalCode, String(inv!.totalMinor)].join('|')])
  })

  it('with a schedule, the pagoPA payment asks for the first instalment', async () => {
    const scheduled = instalmentInvoice(3, { scheme: 'pagoPa', siteCode: '42', segregationCode: '01' })
    const bytes = await renderPdfBytes({ kind: 'invoice', data: { ...invoiceRequest(scheduled), language: 'it', pagoPa: { noticeNumber: scheduled.paymentReference!, creditorFiscalCode: fiscalCode } } })
    expect(zbarDecode(bytes)).toEqual([['PAGOPA', '002', scheduled.paymentReference!, fiscalCode, String(scheduled.instalments[0]!.amountMinor)].join('|')])
    expect(plain(pdfText(bytes))).toMatch(/Rata\s+1 di 3/)
  })

  it('refuses a notice number that is not 18 digits or whose check digits are wrong, and a fiscal code that is not 11 digits, naming the field', () => {
    const wrongCheck = `${notice.slice(0, 16)}${String((Number(notice.slice(16)) + 1) % 93).padStart(2, '0')}`
    expect(() => prepareInvoice({ ...data, pagoPa: { noticeNumber: '30100000000000014', creditorFiscalCode: fiscalCode } })).toThrow(/invoice\.pagoPa\.noticeNumber: must be the 18-digit pagoPA notice number/)
    expect(() => prepareInvoice({ ...data, pagoPa: { noticeNumber: wrongCheck, creditorFiscalCode: fiscalCode } })).toThrow(/invoice\.pagoPa\.noticeNumber: must be a pagoPA notice number with valid check digits/)
    expect(() => prepareInvoice({ ...data, pagoPa: { noticeNumber: notice, creditorFiscalCode: '0243875058' } })).toThrow(/invoice\.pagoPa\.creditorFiscalCode: must be the 11-digit fiscal code/)
  })

  it('refuses a creditor fiscal code whose check digit is wrong, naming invoice.pagoPa.creditorFiscalCode and the expected digit, and prints nothing', async () => {
    // 02438750586 is Roma Capitale's. By hand on 0243875058: odd positions 0+4+8+5+5 = 22; even positions 2 3 7 0 8 doubled,
    // 9 taken off above 9: 4+6+5+0+7 = 22; (10 - 44 mod 10) mod 10 = 6. So 02438750587 must be refused: the QR code would name nobody.
    const refused = (() => {
      try {
        prepareInvoice({ ...data, pagoPa: { noticeNumber: notice, creditorFiscalCode: '02438750587' } })
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(isEcoleError(refused, 'INVALID_INPUT')).toBe(true)
    expect((refused as Error).message).toMatch(/invoice\.pagoPa\.creditorFiscalCode: has a wrong check digit: the 11th digit must be 6, not 7/)
    await expect(renderPdfBytes({ kind: 'invoice', data: { ...data, pagoPa: { noticeNumber: notice, creditorFiscalCode: '02438750587' } } })).rejects.toThrow(/creditorFiscalCode/)
    // the placeholder passes the arithmetic but is nobody's code
    expect(() => prepareInvoice({ ...data, pagoPa: { noticeNumber: notice, creditorFiscalCode: '00000000000' } })).toThrow(/invoice\.pagoPa\.creditorFiscalCode: must be a real fiscal code/)
  })

  it('checks the creditor fiscal code with the one check @ecole/core exports (the same @ecole/italy uses), accepting published codes with spaces around', () => {
    // 06363391001: the Agenzia delle Entrate's own partita IVA; 86334519757 and 02342520158: worked examples of two Italian how-to pages
    for (const code of ['06363391001', ' 86334519757 ', '02342520158']) {
      expect(entityFiscalCode.isValid(code)).toBe(true)
      expect(prepareInvoice({ ...data, pagoPa: { noticeNumber: notice, creditorFiscalCode: code } }).pagoPa?.creditorFiscalCode).toBe(code.trim())
    }
  })

  it('refuses a pagoPA notice on an invoice collected by SEPA direct debit, naming invoice.pagoPa', () => {
    expect(() => prepareInvoice({ ...data, invoice: { ...inv!, directDebitDate: '2027-01-10' }, mandate: { reference: 'RUM-1' } })).toThrow(/invoice\.pagoPa: an invoice collected by SEPA direct debit/)
  })
})

describe('texts the fonts cannot print, or that would break the XML, are refused before a single byte is written', () => {
  const renderer = createPdfRenderer()
  /** Renders through the port into a sink that records what it is given: the error, and proof that nothing reached the sink. */
  const attempt = async (data: InvoiceRequestInput) => {
    const written: string[] = []
    const error = await renderer.renderTo({ kind: 'invoice', data } as PdfRequest, { async write(info) { written.push(info.fileName) } }).then(() => undefined, (e: unknown) => e)
    return { error: error as (Error & { code?: string; details?: { issues?: Array<{ path: string }> } }) | undefined, written }
  }
  const fx = { seller: { country: 'BE', vatId: 'BE0207373429' }, buyer: { country: 'BE' } } as const

  it("refuses a child's name with control characters pasted into it (Léa\\u000bDupont\\u0002), naming invoice.names.k1 and the line, and writes nothing", async () => {
    const { error, written } = await attempt({ ...request, names: { ...request.names, k1: 'Léa\u000bDupont\u0002' }, facturX: fx })
    expect(isEcoleError(error, 'INVALID_INPUT')).toBe(true)
    expect(error!.message).toMatch(/invoice\.names\.k1: must not contain the control character U\+000B .*\(the name of invoice\.lines\.\d+\.beneficiaryId\)/)
    expect(error!.details!.issues![0]!.path).toBe('invoice.names.k1')
    expect(written).toEqual([])
  })

  it('refuses a control character in the payer’s name, an address line, a service’s label, the issuer’s name, an adjustment’s reason or a Factur-X city, naming each field', async () => {
    const cases: Array<[InvoiceRequestInput, RegExp]> = [
      [{ ...request, payer: { name: 'Marie\u0007 Dupont', address: [] } }, /invoice\.payer\.name: must not contain the control character U\+0007/],
      [{ ...request, payer: { name: 'Marie Dupont', address: ['Rue Haute 1', '1000\tBruxelles'] } }, /invoice\.payer\.address\.1: must not contain the control character U\+0009/],
      [{ ...request, services: { ...request.services, meal: 'Repas\u0085 de midi' } }, /invoice\.services\.meal: must not contain the control character U\+0085/],
      [{ ...request, issuer: { ...belgianIssuer(), name: 'École\u001b[31m' } }, /invoice\.issuer\.name: must not contain the control character U\+001B/],
      [{ ...request, invoice: { ...invoice, adjustments: invoice.adjustments.map((a, i) => (i === 0 ? { ...a, reason: 'Fratrie\u0000' } : a)) } }, /invoice\.invoice\.adjustments\.0\.reason: must not contain the control character U\+0000/],
      [{ ...request, facturX: { ...fx, buyer: { country: 'BE', city: 'Saint\u000bGilles' } } }, /invoice\.facturX\.buyer\.city: must not contain the control character U\+000B/],
      [{ ...request, payer: { name: 'Marie Dupont\ud83e', address: [] } }, /invoice\.payer\.name: must not contain a lone surrogate U\+D83E/],
      [{ ...request, names: { ...request.names, k2: 'Noé\uffff' } }, /invoice\.names\.k2: must not contain U\+FFFF, which is not a character/],
    ]
    for (const [data, message] of cases) {
      const { error, written } = await attempt(data)
      expect(isEcoleError(error, 'INVALID_INPUT'), String(message)).toBe(true)
      expect(error!.message).toMatch(message)
      expect(written).toEqual([])
    }
  })

  it('refuses a name in a script the embedded fonts cannot draw (王小明), naming the field and the first character, U+738B 王', async () => {
    const { error, written } = await attempt({ ...request, names: { ...request.names, k1: '王小明' } })
    expect(isEcoleError(error, 'INVALID_INPUT')).toBe(true)
    expect(error!.message).toMatch(/invoice\.names\.k1: cannot print U\+738B 王: the embedded fonts \(DejaVu Sans\) have no glyph for it/)
    expect(written).toEqual([])
  })

  it('refuses an emoji in a service’s label (Repas 🍽️), naming invoice.services.meal and U+1F37D', async () => {
    const { error } = await attempt({ ...request, services: { ...request.services, meal: 'Repas 🍽️' } })
    expect(error!.message).toMatch(/invoice\.services\.meal: cannot print U\+1F37D 🍽/)
  })

  it('refuses an Arabic or a Hebrew name, saying right-to-left scripts are not supported yet', async () => {
    const arabic = await attempt({ ...request, payer: { name: 'محمد بن علي', address: [] } })
    expect(arabic.error!.message).toMatch(/invoice\.payer\.name: cannot print U\+0645 م: right-to-left scripts \(Hebrew, Arabic\.\.\.\) and bidirectional controls are not supported yet/)
    const hebrew = await attempt({ ...request, names: { ...request.names, g2: 'דוד כהן' } })
    expect(hebrew.error!.message).toMatch(/invoice\.names\.g2: cannot print U\+05D3 ד: right-to-left/)
    expect([...arabic.written, ...hebrew.written]).toEqual([])
  })

  it('checks only the names the invoice prints: an unprintable name of another family in the same list does not stop it', () => {
    expect(prepareInvoice({ ...request, names: { ...request.names, other: '王小明\u0002' } }).lineNames.length).toBe(invoice.lines.length)
  })
})

describe('names in Latin with accents, Greek and Cyrillic', () => {
  const names = { ...request.names, g1: 'Ludovic Ørsted-Nuñez', k1: 'Γιώργος Παπαδόπουλος', k2: 'Анна Каренина-Шевченко' }
  const data: InvoiceRequestInput = {
    ...request, names, payer: { name: 'Ludovic Ørsted-Nuñez', address: ['Rue de l’Église 12 — boîte « 3 »', 'Łódź 90-001'] },
    services: { ...request.services, meal: 'Repas de midi / Μεσημεριανό', care: 'Garderie — Продлёнка' },
    invoice: { ...invoice, comment: 'Merci de signaler tout changement d’adresse.\r\nΕυχαριστούμε — Спасибо !' },
    facturX: { seller: { country: 'BE', vatId: 'BE0207373429', city: 'Saint-Gilles' }, buyer: { country: 'BE', city: 'Łódź' } },
  }
  const bytesP5 = renderPdfBytes({ kind: 'invoice', data })

  it('prints them as given (pdftotext reads them back), with the typographic punctuation and the euro sign, in a PDF qpdf finds sound', async () => {
    const bytes = await bytesP5
    expect(qpdfCheck(bytes)).toContain('No syntax or stream encoding errors')
    const text = plain(pdfText(bytes))
    // a child's name may wrap in its narrow column: each word is read back
    for (const s of ['Ludovic Ørsted-Nuñez', 'Γιώργος', 'Παπαδόπουλος', 'Анна', 'Каренина-Шевченко', 'Rue de l’Église 12 — boîte « 3 »', 'Łódź 90-001', 'Μεσημεριανό', 'Продлёнка', '169,51 €']) expect(text).toContain(s)
  })

  it('prints a comment typed in a form (lines broken by CR LF) on two lines, without a stray character', async () => {
    const lines = plain(pdfText(await bytesP5)).split('\n').map((l) => l.trim())
    expect(lines.some((l) => l.endsWith('Merci de signaler tout changement d’adresse.'))).toBe(true)
    expect(lines).toContain('Ευχαριστούμε — Спасибо !')
  })

  it('writes them in a Factur-X XML that xmllint accepts against the EN 16931 XSD', async () => {
    const xml = prepareInvoice(data).facturX!.xml
    expect(xml).toContain('Γιώργος Παπαδόπουλος')
    expect(xml).toContain('Анна Каренина-Шевченко')
    withPdfFile(new TextEncoder().encode(xml), (path) => expect(xmllint(path, 'EN16931')).toBe(''))
  })
})

describe('an invoice above what an EPC QR code can carry (EUR 999 999 999.99)', () => {
  const batch = defineInvoiceBatch({ id: 'b-huge', siteId: 'site-1', billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' })
  const of = (unitPriceMinor: bigint): Invoice => validate(buildInvoiceDrafts(batch, [{ chargeId: 'c1', debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date: '2026-12-07', quantity: 1, unitPriceMinor, amountMinor: unitPriceMinor }]).drafts)[0]!
  const huge = of(100_000_000_000n)

  it('prints without the EPC QR code, its payment details in words, instead of failing on a field the caller never gave', async () => {
    const p = prepareInvoice(invoiceRequest(huge))
    expect(p.qr).toBeUndefined()
    const bytes = await renderPdfBytes({ kind: 'invoice', data: invoiceRequest(huge) })
    expect(qpdfCheck(bytes)).toContain('No syntax or stream encoding errors')
    const text = plain(pdfText(bytes))
    expect(text).toMatch(/Montant\s+1 000 000 000,00 €/)
    expect(text).toContain('BE15 7326 6455 4630')
    expect(text).toContain(ogm.format(huge.paymentReference!))
    // zbarimg exits with status 4 when the page has no code at all
    expect(() => zbarDecode(bytes)).toThrow(expect.objectContaining({ status: 4 }))
  })

  it('keeps the EPC QR code up to EUR 999 999 999.99 exactly', () => {
    expect(prepareInvoice(invoiceRequest(of(99_999_999_999n))).qr!.split('\n')[7]).toBe('EUR999999999.99')
  })

  it('invoiceEpcPayload gives no payload for an amount above EUR 999 999 999.99, as for a zero amount', () => {
    const office = belgianIssuer().billingOffice
    expect(invoiceEpcPayload(office, huge)).toBeUndefined()
    expect(invoiceEpcPayload(office, invoice, 100_000_000_000n)).toBeUndefined()
    expect(invoiceEpcPayload(office, invoice, 0n)).toBeUndefined()
  })
})
