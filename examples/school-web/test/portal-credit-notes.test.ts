/**
 * What a family reads of its invoices once payments and credit notes came: every figure named for
 * what it is (paid by the family, credit notes, left to pay), the figures adding up, the credit
 * notes listed and downloadable, and the invoice PDF going from its total to what it asks for.
 */
import { CREDIT_NOTE_EXCESS_METHOD, type Invoice, type LocalDate } from '@ecole/core'
import { issueInvoiceCreditNote, recordPayment } from '@ecole/workflows'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SITE } from '../src/site-settings'
import { Client, startTestHost, visibleText, type TestHost } from './support'

let host: TestHost
beforeAll(async () => {
  host = await startTestHost()
})
afterAll(async () => host?.close())

const PASSWORD = 'jaures-demo-2027'
const TODAY = SITE.demoNow.slice(0, 10) as LocalDate

async function loggedIn(guardianId: string): Promise<Client> {
  const c = new Client(host.app)
  expect((await c.login(`${guardianId}@familles.example`, PASSWORD)).status).toBe(303)
  return c
}

async function invoiceOf(batchId: string, guardianId: string): Promise<Invoice> {
  const invoice = await host.ctx.storage.invoicing!.getInvoice(SITE.id, `${batchId}:${guardianId}`)
  expect(invoice?.status).toBe('validated')
  return invoice!
}

/** The text pdftotext reads from a PDF the portal sends, spaces folded. */
async function pdfOf(c: Client, path: string): Promise<string> {
  const r = await c.get(path)
  expect(r.status).toBe(200)
  expect(r.headers.get('Content-Type')).toBe('application/pdf')
  const dir = mkdtempSync(join(tmpdir(), 'ecole-credit-'))
  writeFileSync(join(dir, 'doc.pdf'), new Uint8Array(await r.res.arrayBuffer()))
  return execFileSync('pdftotext', ['-layout', join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' }).replace(/[\s\u00a0\u202f]+/g, ' ')
}

/** What a person reads of a page, the no-break spaces of amounts and French colons as spaces. */
const readable = (html: string) => visibleText(html).replace(/[\u00a0\u202f]/g, ' ')
const deps = () => ({ storage: host.ctx.storage, clock: host.clock })
const euros = (minor: bigint) => `${minor < 0n ? '-' : ''}${(minor < 0n ? -minor : minor) / 100n},${String((minor < 0n ? -minor : minor) % 100n).padStart(2, '0')} €`
/** The settlement cells of an invoice's row in the list, as the page writes them (minor units). */
function rowFigures(html: string, invoiceId: string): Record<'total' | 'paid' | 'credited' | 'outstanding', bigint> {
  const row = new RegExp(`<tr data-invoice="${invoiceId.replace(/[.:]/g, (x) => `\\${x}`)}">([\\s\\S]*?)</tr>`).exec(html)
  expect(row, invoiceId).not.toBeNull()
  const cell = (name: string) => BigInt(new RegExp(`data-${name}="(-?\\d+)"`).exec(row![1]!)![1]!)
  return { total: cell('total'), paid: cell('paid'), credited: cell('credited'), outstanding: cell('outstanding') }
}

describe('an invoice partly paid and partly credited, as the family reads it', () => {
  // Marc Blanc (resp-21), January: a 40,00 € cheque, then a 10,00 € credit note (a meal not served)
  let january: Invoice
  let noteNumber: string
  beforeAll(async () => {
    january = await invoiceOf('factures-2027-01', 'resp-21')
    await recordPayment(deps(), { id: 'cn-test-cheque', siteId: SITE.id, billingOfficeId: january.billingOfficeId, payerId: 'resp-21', method: 'cheque', product: null, date: TODAY, amount: '40.00', currency: 'EUR', invoiceId: january.id })
    const note = await issueInvoiceCreditNote(deps(), { siteId: SITE.id, invoiceId: january.id, issueDate: TODAY, numbering: { creditNotePrefix: 'AV{YYYY}-' }, creditNote: { id: 'cn-test-meal', reason: 'Repas non servi', scope: { kind: 'amount', amount: '10.00' } } })
    noteNumber = note.number
  })

  it('the invoices list gives the total, what was paid, the credit notes and what is left to pay: paid + credited = total − left to pay', async () => {
    const page = await (await loggedIn('resp-21')).get('/invoices')
    const row = rowFigures(page.text, january.id)
    expect(row).toEqual({ total: january.totalMinor, paid: 4000n, credited: 1000n, outstanding: january.totalMinor - 5000n })
    expect(row.paid + row.credited).toBe(row.total - row.outstanding)
    const text = readable(page.text)
    expect(text).toMatch(/Total Payé Avoirs Reste à payer/)
    // the old column read "40,00 € / 98,90 €", the paid amount over the total, as if 58,90 € were still due
    expect(text).not.toContain(`40,00 € / ${euros(january.totalMinor)}`)
  })

  it('the invoice page names each figure (paid by you, the credit note with its number, date and reason, left to pay) and links to the credit note’s PDF', async () => {
    const page = await (await loggedIn('resp-21')).get(`/invoices/${encodeURIComponent(january.id)}`)
    const text = readable(page.text)
    expect(text).toContain(`Total de la facture ${euros(january.totalMinor)}`)
    expect(text).toContain('Payé par vous -40,00 €')
    expect(text).toContain(`Avoir ${noteNumber} du 08/02/2027 : Repas non servi`)
    expect(text).toContain('-10,00 €')
    expect(text).toContain(`Reste à payer ${euros(january.totalMinor - 5000n)}`)
    expect(page.text).toContain(`href="/invoices/${encodeURIComponent(january.id)}/credit-notes/cn-test-meal/pdf"`)
  })

  it('the family downloads the credit note as a PDF naming the invoice it corrects, its reason and the amount credited', async () => {
    const text = await pdfOf(await loggedIn('resp-21'), `/invoices/${encodeURIComponent(january.id)}/credit-notes/cn-test-meal/pdf`)
    expect(text).toContain(`Avoir ${noteNumber}`)
    expect(text).toContain(`Avoir sur la facture ${january.number}`)
    expect(text).toContain('Repas non servi')
    expect(text).toContain('Montant crédité 10,00 €')
  })

  it('another family gets no page for it, whatever the URL', async () => {
    const other = await loggedIn('resp-01')
    expect((await other.get(`/invoices/${encodeURIComponent(january.id)}/credit-notes/cn-test-meal/pdf`)).status).toBe(404)
    const own = await invoiceOf('factures-2026-12', 'resp-01')
    expect((await other.get(`/invoices/${encodeURIComponent(own.id)}/credit-notes/cn-test-meal/pdf`)).status).toBe(404)
  })

  it('the invoice PDF goes from its total to what it asks for: already paid, credit notes, left to pay, then the same amount in the payment block', async () => {
    const text = await pdfOf(await loggedIn('resp-21'), `/invoices/${encodeURIComponent(january.id)}/pdf`)
    const left = euros(january.totalMinor - 5000n)
    expect(text).toContain(`Total à payer ${euros(january.totalMinor)} Déjà payé -40,00 € Avoirs -10,00 € Reste à payer ${left}`)
    expect(text).toMatch(new RegExp(`Paiement par virement Montant ${left}`))
  })
})

describe('a credit note on a paid invoice, its excess carried to the next invoice', () => {
  // Jeanne (resp-01) paid December in full; a 12,90 € credit note on it is carried by the library to January
  let december: Invoice
  let january: Invoice
  let noteNumber: string
  beforeAll(async () => {
    december = await invoiceOf('factures-2026-12', 'resp-01')
    january = await invoiceOf('factures-2027-01', 'resp-01')
    const note = await issueInvoiceCreditNote(deps(), { siteId: SITE.id, invoiceId: december.id, issueDate: TODAY, numbering: { creditNotePrefix: 'AV{YYYY}-' }, creditNote: { id: 'cn-test-tariff', reason: 'Erreur de tarif', scope: { kind: 'amount', amount: '12.90' } } })
    noteNumber = note.number
  })

  it('the library records the carried excess as a payment of method creditNote allocated to January: money the family never paid', async () => {
    const carried = (await host.ctx.storage.payments!.listPayments(SITE.id, { payerId: 'resp-01', method: CREDIT_NOTE_EXCESS_METHOD })).items
    expect(carried.map((p) => [p.id, p.invoiceId, p.allocations])).toEqual([['credit-note:cn-test-tariff', december.id, [{ invoiceId: january.id, amountMinor: 1290n }]]])
  })

  it('the list reads January as credited 12,90 € and paid 0,00 € by the family, and December as paid, credited and its excess carried to January; on both the figures add up', async () => {
    const page = await (await loggedIn('resp-01')).get('/invoices')
    const jan = rowFigures(page.text, january.id)
    expect(jan).toEqual({ total: january.totalMinor, paid: 0n, credited: 1290n, outstanding: january.totalMinor - 1290n })
    expect(jan.paid + jan.credited).toBe(jan.total - jan.outstanding)
    const dec = rowFigures(page.text, december.id)
    expect(dec).toEqual({ total: december.totalMinor, paid: december.totalMinor, credited: 1290n, outstanding: 0n })
    // what a note freed on a paid invoice left it: paid + credited − carried away = total − left to pay
    expect(page.text).toContain('data-carried-out="1290"')
    expect(dec.paid + dec.credited - 1290n).toBe(dec.total - dec.outstanding)
    expect(readable(page.text)).toContain(`Excédent reporté sur la facture ${january.number} : 12,90 €`)
    // the old column read "12,90 € / 32,00 €": a payment the family never made
    expect(readable(page.text)).not.toContain(`12,90 € / ${euros(january.totalMinor)}`)
  })

  it('the January page names the credit note and the December invoice it comes from, with the note’s PDF, and says nothing was paid', async () => {
    const page = await (await loggedIn('resp-01')).get(`/invoices/${encodeURIComponent(january.id)}`)
    const text = readable(page.text)
    expect(text).toContain('Payé par vous 0,00 €')
    expect(text).toContain(`Avoir ${noteNumber} du 08/02/2027 : excédent de la facture ${december.number}, déjà payée, reporté sur celle-ci`)
    expect(text).toContain(`Reste à payer ${euros(january.totalMinor - 1290n)}`)
    expect(page.text).toContain(`href="/invoices/${encodeURIComponent(december.id)}/credit-notes/cn-test-tariff/pdf"`)
    expect((await (await loggedIn('resp-01')).get(`/invoices/${encodeURIComponent(december.id)}/credit-notes/cn-test-tariff/pdf`)).status).toBe(200)
  })

  it('the December page says where the excess went', async () => {
    const text = readable((await (await loggedIn('resp-01')).get(`/invoices/${encodeURIComponent(december.id)}`)).text)
    expect(text).toContain(`Payé par vous -${euros(december.totalMinor)}`)
    expect(text).toContain(`Avoir ${noteNumber} du 08/02/2027 : Erreur de tarif`)
    expect(text).toContain(`Excédent reporté sur la facture ${january.number} 12,90 €`)
    expect(text).toContain('Reste à payer 0,00 €')
  })

  it('the January PDF prints the carried credit as a credit note, not as a payment', async () => {
    const text = await pdfOf(await loggedIn('resp-01'), `/invoices/${encodeURIComponent(january.id)}/pdf`)
    expect(text).toContain(`Total à payer ${euros(january.totalMinor)} Avoirs -12,90 € Reste à payer ${euros(january.totalMinor - 1290n)}`)
    expect(text).not.toContain('Déjà payé')
  })

  it('the December PDF goes from its total to nothing left: paid, credited, excess carried', async () => {
    const text = await pdfOf(await loggedIn('resp-01'), `/invoices/${encodeURIComponent(december.id)}/pdf`)
    expect(text).toContain(`Total à payer ${euros(december.totalMinor)} Déjà payé -${euros(december.totalMinor)} Avoirs -12,90 € Excédent reporté sur vos autres factures ou votre compte 12,90 € Reste à payer 0,00 €`)
    expect(text).not.toContain('Paiement par virement')
  })
})

describe('a joint debtor reading the payer’s invoice', () => {
  it('reads what the payer paid as "Payé", not "Payé par vous"', async () => {
    const invoice = await invoiceOf('factures-2027-01', 'resp-05')
    expect(invoice.jointDebtorIds).toContain('resp-05j')
    const text = readable((await (await loggedIn('resp-05j')).get(`/invoices/${encodeURIComponent(invoice.id)}`)).text)
    expect(text).toContain('Payé 0,00 €')
    expect(text).not.toContain('Payé par vous')
    // the payer (no password in the demo: a session opened for her)
    const session = host.ctx.sessions.login(undefined, SITE.id, { kind: 'guardian', id: 'resp-05' })
    const payer = new Client(host.app)
    payer.cookies.set('ecole_session', session.id)
    expect(readable((await payer.get(`/invoices/${encodeURIComponent(invoice.id)}`)).text)).toContain('Payé par vous 0,00 €')
  })
})

describe('the earlier unpaid balance on a reprinted invoice', () => {
  it('is dated the invoice’s issue date: once the earlier invoice is paid, the January PDF still says what was owed on 1 February, not that it is owed now', async () => {
    const december = await invoiceOf('factures-2026-12', 'resp-21')
    const january = await invoiceOf('factures-2027-01', 'resp-21')
    expect(january.previousBalanceMinor).toBe(december.totalMinor)
    expect(january.issueDate).toBe('2027-02-01')
    await recordPayment(deps(), { id: 'cn-test-december', siteId: SITE.id, billingOfficeId: december.billingOfficeId, payerId: 'resp-21', method: 'cheque', product: null, date: TODAY, amount: `${december.totalMinor / 100n}.${String(december.totalMinor % 100n).padStart(2, '0')}`, currency: 'EUR', invoiceId: december.id })
    const c = await loggedIn('resp-21')
    expect(rowFigures((await c.get('/invoices')).text, december.id).outstanding).toBe(0n)
    const text = await pdfOf(c, `/invoices/${encodeURIComponent(january.id)}/pdf`)
    expect(text).toContain(`Solde antérieur restant dû au 1 février 2027 (non inclus dans le total) : ${euros(december.totalMinor)}`)
  })
})
