import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Invoice, LocalDate } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { afterAll, describe, expect, it } from 'vitest'
import { demoFamilies, OFFICE, SERVICES, SITE_ID } from './demo-site'
import { runDemo } from './run-demo'
import { writeDemoPdfs } from './write-pdfs'

const dir = mkdtempSync(join(tmpdir(), 'ecole-demo-pdf-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the demo writes its documents as PDF files', () => {
  it('writes every invoice, a credit note, one reminder letter per payer reminded, the tax certificates, an info sheet and a wallet statement', async () => {
    const storage = createMemoryStorage()
    const result = await runDemo({ storage, log: () => undefined })
    const invoices = [...result.decemberInvoices, ...result.januaryInvoices]
    const count = await writeDemoPdfs({ storage, invoices, reminders: result.reminders, walletGuardianIds: result.walletBalances.map((w) => w.guardianId) }, dir)
    await storage.close()
    const files = readdirSync(dir)
    expect(files).toHaveLength(count)
    const of = (prefix: string) => files.filter((f) => f.startsWith(prefix))
    expect(of('invoice-')).toHaveLength(invoices.length)
    expect(of('credit-note-')).toHaveLength(1)
    expect(of('reminder-')).toHaveLength(new Set(result.reminders.map((r) => r.debtorId)).size)
    expect(of('tax-certificate-').length).toBeGreaterThan(0)
    expect(of('info-sheet-')).toHaveLength(1)
    expect(of('wallet-statement-')).toHaveLength(1)
    const text = execFileSync('pdftotext', ['-layout', join(dir, of('invoice-')[0]!), '-'], { encoding: 'utf8' })
    expect(text).toContain(invoices[0]!.number!)

    // a family without a mandate is told to pay by transfer, never that a debit will come; a family
    // with one is given its own mandate reference
    const textOf = (file: string) => execFileSync('pdftotext', ['-layout', join(dir, file), '-'], { encoding: 'utf8' })
    const debited = result.decemberInvoices.filter((i) => i.directDebitDate !== null)
    const mandated = new Set(demoFamilies().filter((f) => f.directDebit).map((f) => f.guardianId))
    const withMandate = debited.find((i) => mandated.has(i.debtorId))!
    const withoutMandate = debited.find((i) => !mandated.has(i.debtorId))!
    const transfer = textOf(`invoice-${withoutMandate.number}.pdf`)
    expect(transfer).toContain('Paiement par virement')
    expect(transfer).not.toMatch(/prélevée|Mandat SEPA/)
    expect(textOf(`invoice-${withMandate.number}.pdf`)).toMatch(/Mandat SEPA RUM-JAURES-\d{4}, créancier/)

    // the Belgian certificate counts care net of its own adjustments only: the 10 % reduction on a
    // canteen line lowers no care day (8 days at 12,00 = 96,00)
    const be = of('tax-certificate-BE-2026-')
    expect(be.length).toBeGreaterThan(0)
    for (const file of be.filter((f) => f.includes('enfant-01') || f.includes('enfant-02'))) expect(textOf(file)).toMatch(/Total\s+96,00/)
    // and every document names the school with a valid UAI
    expect(text).toContain('UAI 0941234F')
  })
})

describe("the demo's credit note gives back one meal as its payer paid it", () => {
  it('on a line the payer pays half of (17 meals at 4,15 €, her share 35,28 €), it credits her half of a meal, 2,07 €, never the 4,15 € the whole meal cost', async () => {
    const family = demoFamilies()[0]!
    const child = family.children[0]!
    const meals = Array.from({ length: 17 }, (_, i) => `2026-12-${String(i + 1).padStart(2, '0')}` as LocalDate)
    const invoice: Invoice = {
      id: 'dec:mum', siteId: SITE_ID, billingOfficeId: OFFICE, batchId: 'dec', debtorId: family.guardianId, jointDebtorIds: [], status: 'validated', number: 'FAC-2026-00001', sequence: 1,
      issueDate: '2027-01-04', periodFrom: '2026-12-01', periodTo: '2026-12-31', dueDate: '2027-01-15', directDebitDate: null, portalDisplayDate: '2027-01-05', comment: null, currency: 'EUR',
      lines: [{
        id: 'dec:mum:1', beneficiaryId: child.id, serviceId: SERVICES.canteen.id, unitPriceMinor: 415n, quantity: 17, amountMinor: 3528n, share: { weight: 1, totalWeight: 2 }, grossMinor: 7055n,
        chargeIds: meals.map((d) => `mum|${child.id}|cantine|service|${d}`), dates: meals, from: meals[0]!, to: meals[16]!,
      }],
      adjustments: [], linesTotalMinor: 3528n, adjustmentsTotalMinor: 0n, totalMinor: 3528n, previousBalanceMinor: 0n, instalments: [], paymentReference: null,
    }
    const folder = mkdtempSync(join(tmpdir(), 'ecole-demo-credit-'))
    try {
      const storage = createMemoryStorage()
      await writeDemoPdfs({ storage, invoices: [invoice], reminders: [], walletGuardianIds: [] }, folder)
      await storage.close()
      const file = readdirSync(folder).find((f) => f.startsWith('credit-note-'))!
      const text = execFileSync('pdftotext', ['-layout', join(folder, file), '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ')
      expect(text).toMatch(/2,07 €/)
      expect(text).not.toMatch(/4,15 €/)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
