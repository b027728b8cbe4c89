import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMemoryStorage } from '@ecole/storage-memory'
import { afterAll, describe, expect, it } from 'vitest'
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
  })
})
