import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { computeTaxCertificates, type LocalDate, type TaxCertificateInvoice } from '@ecole/core'
import { renderPdfBytes } from '@ecole/pdf'
import { describe, expect, it } from 'vitest'
import { buildBelcotax28186 } from './belcotax-281-86'
import { belcotaxFicheFromCertificate } from './from-tax-certificate'
import { fiche, input, zones } from './test-support/fixtures'

function pdfText(bytes: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'belcotax-pdf-'))
  try {
    const file = path.join(dir, 'c.pdf')
    fs.writeFileSync(file, bytes)
    return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const euros = (minor: bigint): string => `${minor / 100n},${String(minor % 100n).padStart(2, '0')} €`

describe('the family\'s PDF certificate (@ecole/pdf) and the fiche sent to Belcotax', () => {
  it('show the same periods, days and amounts, from one certificate of @ecole/core', async () => {
    // care in two quarters: 8 days at 12.00 in March, 5 days at 20.00 (capped at 16.90) in October
    const march = Array.from({ length: 8 }, (_, i) => `2026-03-${String(i + 2).padStart(2, '0')}` as LocalDate)
    const october = Array.from({ length: 5 }, (_, i) => `2026-10-${String(i + 5).padStart(2, '0')}` as LocalDate)
    const invoices: TaxCertificateInvoice[] = [
      { invoiceId: 'i1', debtorId: 'g1', currency: 'EUR', dueMinor: 9600n, payments: [{ date: '2026-04-10', amountMinor: 9600n }], lines: [{ beneficiaryId: 'k1', kind: 'care', dates: march, amountMinor: 9600n }] },
      { invoiceId: 'i2', debtorId: 'g1', currency: 'EUR', dueMinor: 10000n, payments: [{ date: '2026-11-10', amountMinor: 10000n }], lines: [{ beneficiaryId: 'k1', kind: 'care', dates: october, amountMinor: 10000n }] },
    ]
    const [certificate] = computeTaxCertificates(invoices, [{ beneficiaryId: 'k1', birthDate: '2018-11-03' }], { country: 'BE', year: 2026, dailyCeilingMinor: 1690n })
    const { fiche: f } = belcotaxFicheFromCertificate(certificate!, { reference: 'K1-G1-2026', debtor: fiche().debtor, child: fiche().child })
    const xml = new TextDecoder().decode(buildBelcotax28186(input({ fiches: [f] })).bytes)
    const pdf = pdfText(await renderPdfBytes({
      kind: 'taxCertificate',
      data: {
        language: 'fr', printedOn: '2027-01-15', certificate: certificate!, childName: 'Léa Dupont', dailyCeilingMinor: 1690n,
        issuer: { name: 'Commune de Saint-Gilles', identifiers: ['BCE 0207.373.132'], billingOffice: { name: 'Accueil extrascolaire', address: ['Rue de la Victoire 12', '1060 Saint-Gilles'] } },
        payer: { name: 'Marie Dupont', address: ['Rue de la Victoire 12', '1060 Saint-Gilles'], nationalNumber: '85.07.30-033.28' },
      },
    }))
    expect(zones(xml, 'f86_2110_numberofday1').concat(zones(xml, 'f86_2113_numberofday2'))).toEqual(['8', '5'])
    expect(zones(xml, 'f86_2060_amount1').concat(zones(xml, 'f86_2061_amount2'))).toEqual(['9600', '8450'])
    expect(pdf).toContain('modèle 281.86')
    for (const p of certificate!.periods) expect(pdf).toMatch(new RegExp(`${p.days}\\s+[0-9,]+ €\\s+${euros(p.amountMinor)}`))
    expect(pdf).toContain('85.07.30-033.28')
  })
})
