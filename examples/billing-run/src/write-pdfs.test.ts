import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMemoryStorage } from '@ecole/storage-memory'
import { afterAll, describe, expect, it } from 'vitest'
import { demoFamilies } from './demo-site'
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
