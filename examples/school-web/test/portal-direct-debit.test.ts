/**
 * An invoice collected by direct debit, on the portal and in its PDF (DOMAIN.md §7): while the
 * debit is to come, neither offers a transfer; once the bank returns it, both ask for what is due
 * by transfer, with the invoice's reference. The demo's resp-06 signed a mandate: December 2026
 * was debited on 12 January 2027 (PRLV2701-), January 2027 is to be debited on 10 February (the
 * demo's today is 8 February).
 */
import { Money } from '@ecole/core'
import { recordDirectDebitReturn } from '@ecole/workflows'
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

const guardianId = 'resp-06'
const december = 'factures-2026-12:resp-06'
const january = 'factures-2027-01:resp-06'

function family(): Client {
  const session = host.ctx.sessions.login(undefined, SITE.id, { kind: 'guardian', id: guardianId })
  const c = new Client(host.app)
  c.cookies.set('ecole_session', session.id)
  c.csrf = session.csrf
  return c
}

/** The invoice PDF the portal downloads, as text with runs of spaces made one. */
async function pdfText(c: Client, invoiceId: string): Promise<string> {
  const r = await c.get(`/invoices/${encodeURIComponent(invoiceId)}/pdf`)
  expect(r.status).toBe(200)
  const dir = mkdtempSync(join(tmpdir(), 'ecole-dd-'))
  writeFileSync(join(dir, 'invoice.pdf'), new Uint8Array(await r.res.arrayBuffer()))
  return execFileSync('pdftotext', ['-layout', join(dir, 'invoice.pdf'), '-'], { encoding: 'utf8' }).replace(/[\s\u00a0\u202f]+/g, ' ')
}

/** The row of an invoice in the portal's list, as HTML. */
function rowOf(html: string, invoiceId: string): string {
  const m = new RegExp(`<tr data-invoice="${invoiceId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}">[\\s\\S]*?</tr>`).exec(html)
  expect(m, `no row for ${invoiceId}`).not.toBeNull()
  return m![0]
}

const euros = (minor: bigint) => `${Money.fromMinor(minor, 'EUR').amount.replace('.', ',')} €`

describe('an invoice collected by direct debit: the portal and its PDF give the same instruction', () => {
  it('offers no transfer for an invoice to be debited: no "Pay" and no box in the list, the debit date instead; its payment page says it will be debited; its PDF says so too', async () => {
    const invoice = (await host.ctx.storage.invoicing!.getInvoice(SITE.id, january))!
    expect(invoice.directDebitDate).toBe('2027-02-10')
    expect((await host.ctx.storage.directory!.listSepaMandatesOf(SITE.id, [guardianId])).map((m) => m.status)).toEqual(['active'])
    const c = family()
    const row = rowOf((await c.get('/invoices')).text, january)
    expect(row).not.toContain(`/invoices/${encodeURIComponent(january)}/pay`)
    expect(row).not.toContain('type="checkbox"')
    expect(visibleText(row)).toContain('Prélevée le 10/02/2027')
    const pay = await c.get(`/invoices/${encodeURIComponent(january)}/pay`)
    const payText = visibleText(pay.text)
    expect(payText).toContain('sera prélevée sur votre compte le')
    expect(payText).toContain('Ne la payez pas par virement')
    expect(payText).not.toContain(SITE.iban)
    expect(payText).not.toContain(invoice.paymentReference!)
    const details = visibleText((await c.get(`/invoices/${encodeURIComponent(january)}`)).text)
    expect(details).toContain('Ne la payez pas par virement')
    // one transfer for several invoices cannot include it either
    expect((await c.get(`/invoices/pay-several?invoice=${encodeURIComponent(january)}&invoice=${encodeURIComponent(december)}`)).status).toBe(404)
    const pdf = await pdfText(c, january)
    expect(pdf).toContain('sera prélevée sur votre compte le 10 février 2027')
    expect(pdf).not.toContain('Paiement par virement')
  })

  it('asks for the outstanding amount by transfer, with the invoice\'s reference, on the portal and in the PDF once the bank has returned the debit (AM04)', async () => {
    const invoice = (await host.ctx.storage.invoicing!.getInvoice(SITE.id, december))!
    const c = family()
    // debited on 12 January: settled on the portal, the PDF still names the debit
    expect(rowOf((await c.get('/invoices')).text, december)).not.toContain('/pay')
    expect(await pdfText(c, december)).toContain('sera prélevée')
    const returned = await recordDirectDebitReturn({ storage: host.ctx.storage, clock: host.clock }, { siteId: SITE.id, endToEndId: `PRLV2701-${december}`, reasonCode: 'AM04', date: '2027-02-05' })
    expect(returned.invoicesDueAgain.map((x) => x.invoiceId)).toEqual([december])
    // the mandate stays active (AM04: retry), yet the invoice is now due by another means
    expect((await host.ctx.storage.directory!.listSepaMandatesOf(SITE.id, [guardianId])).map((m) => m.status)).toEqual(['active'])
    const pdf = await pdfText(c, december)
    expect(pdf).not.toContain('prélevée')
    expect(pdf).not.toContain('Ne la payez pas par virement')
    expect(pdf).toContain('Paiement par virement')
    expect(pdf.replace(/ /g, '')).toContain(invoice.paymentReference!)
    expect(pdf).toContain(`Montant ${euros(invoice.totalMinor)}`)
    expect(pdf.replace(/ /g, '')).toContain(SITE.iban)
    const row = rowOf((await c.get('/invoices')).text, december)
    expect(row).toContain(`/invoices/${encodeURIComponent(december)}/pay`)
    const pay = visibleText((await c.get(`/invoices/${encodeURIComponent(december)}/pay`)).text)
    expect(pay).toContain(invoice.paymentReference!)
    expect(pay).toContain(euros(invoice.totalMinor))
    expect(pay).toContain('rejeté par la banque le vendredi 5 février 2027')
  })
})
