import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { LANGUAGES, label } from '../language'
import { collect } from '../render-one'
import { renderPdf, renderPdfBytes, type PdfRequest } from '../renderer'
import * as fx from '../test-support/fixtures'
import { pdfInfo, pdfText, qpdfCheck } from '../test-support/tools'

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ')
const text = async (request: PdfRequest) => plain(pdfText(await renderPdfBytes(request)))

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn()
  } catch (e) {
    if (isEcoleError(e)) return { code: e.code, message: e.message }
    throw e
  }
  throw new Error('expected an EcoleError')
}

describe('every document in the four languages', () => {
  const requests = (language: (typeof LANGUAGES)[number]): Record<string, PdfRequest> => ({
    creditNote: { kind: 'creditNote', data: fx.creditNoteRequest(language) },
    reminder: { kind: 'reminder', data: fx.reminderRequest(language) },
    taxFr: { kind: 'taxCertificate', data: fx.taxCertificateRequest('FR', language) },
    taxBe: { kind: 'taxCertificate', data: fx.taxCertificateRequest('BE', language) },
    wallet: { kind: 'walletStatement', data: fx.walletStatementRequest(language) },
    deposit: { kind: 'depositSlip', data: fx.depositSlipRequest(language) },
    list: { kind: 'invoiceList', data: fx.invoiceListRequest(language) },
    info: { kind: 'infoSheet', data: fx.infoSheetRequest(language) },
  })
  for (const language of LANGUAGES) {
    it(`renders each kind in ${language}: a sound file whose text is in that language, names with accents intact`, async () => {
      for (const [name, request] of Object.entries(requests(language))) {
        const bytes = await renderPdfBytes(request)
        expect(qpdfCheck(bytes), name).toContain('No syntax or stream encoding errors')
        const t = plain(pdfText(bytes))
        expect(t, name).toContain(label(language, 'page', { n: 1, m: 1 }).replace(/1$/, ''))
        expect(t, name).toMatch(/Marie-Hélène Dupont-Lefèvre|Léa|Dupont-Lefèvre/)
        expect(pdfInfo(bytes).Title, name).not.toBe('')
      }
    })
  }
})

describe('credit note', () => {
  it('names the invoice it corrects, the reason and each credited line; the total credited is their sum', async () => {
    const r = fx.creditNoteRequest()
    const t = await text({ kind: 'creditNote', data: r })
    expect(t).toContain(`Avoir ${r.creditNote.number}`)
    expect(t).toContain(`Avoir sur la facture ${r.invoice.number} du 4 janvier 2027`)
    expect(t).toContain('Grève du 10 décembre : repas non servis')
    expect(t.match(/Repas de midi\s+4,15 €/g)).toHaveLength(2)
    expect(t).toMatch(/Montant crédité\s+8,30 €/)
  })
  it('is PDF/A-3b like the invoice', async () => {
    expect(pdfInfo(await renderPdfBytes({ kind: 'creditNote', data: fx.creditNoteRequest() }), true).xmp).toContain('<pdfaid:part>3</pdfaid:part>')
  })
  it('refuses a credit note of another invoice, naming creditNote.creditNote.invoiceId', () => {
    const r = fx.creditNoteRequest()
    expect(refusal(() => renderPdf({ kind: 'creditNote', data: { ...r, creditNote: { ...r.creditNote, invoiceId: 'other' } } })).message).toMatch(/creditNote\.creditNote\.invoiceId/)
  })
})

describe('reminder letter', () => {
  it('prints the level, its wording, each invoice with its days past due and amount, and the total due', async () => {
    const t = await text({ kind: 'reminder', data: fx.reminderRequest() })
    expect(t).toContain('Rappel n° 2')
    expect(t).toContain('Malgré notre précédent rappel')
    expect(t).toMatch(/F2026-000412\s+08\/02\/2027\s+12\s+43,80 €/)
    expect(t).toMatch(/F2027-000001\s+15\/01\/2027\s+36\s+\+\+\+042\/2000\/00\d{3}\+\+\+\s+169,51 €/)
    expect(t).toMatch(/Total restant dû\s+213,31 €/)
  })
  it("uses the reminder template's own wording when given", async () => {
    const t = await text({ kind: 'reminder', data: { ...fx.reminderRequest(), wording: 'Troisième et dernier avis avant transmission au Trésor public.' } })
    expect(t).toContain('Troisième et dernier avis avant transmission au Trésor public.')
    expect(t).not.toContain('Malgré notre précédent rappel')
  })
  it('refuses reminders of two debtors in one letter, naming reminder.reminders', () => {
    const r = fx.reminderRequest()
    expect(refusal(() => renderPdf({ kind: 'reminder', data: { ...r, reminders: [r.reminders[0]!, { ...r.reminders[1]!, debtorId: 'g9' }] } })).message).toMatch(/reminder\.reminders/)
  })
  it('refuses a reminder, a credit note or a tax certificate still naming its debtor payerId (before 0.1.0), naming debtorId', () => {
    const renamed = <T extends { debtorId: string }>(x: T) => { const { debtorId, ...rest } = x; return { ...rest, payerId: debtorId } as unknown as T }
    const r = fx.reminderRequest()
    expect(refusal(() => renderPdf({ kind: 'reminder', data: { ...r, reminders: r.reminders.map(renamed) } })).message).toMatch(/reminder\.reminders\.0\.debtorId/)
    const c = fx.creditNoteRequest()
    expect(refusal(() => renderPdf({ kind: 'creditNote', data: { ...c, creditNote: renamed(c.creditNote) } })).message).toMatch(/creditNote\.creditNote\.debtorId/)
    const t = fx.taxCertificateRequest('FR')
    expect(refusal(() => renderPdf({ kind: 'taxCertificate', data: { ...t, certificate: renamed(t.certificate) } })).message).toMatch(/taxCertificate\.certificate\.debtorId/)
  })
})

describe('tax certificates', () => {
  it('France: care paid without the meals, the amount that counts under the 3,500 EUR ceiling and the 50 % credit', async () => {
    const { fr } = fx.taxCertificates()
    const t = await text({ kind: 'taxCertificate', data: fx.taxCertificateRequest('FR') })
    expect(t).toContain('Attestation de frais de garde des enfants de moins de 6 ans')
    expect(t).toContain('Article 200 quater B')
    expect(t).toMatch(/Sommes versées pour la garde \(hors frais de repas\)\s+95,00 €/)
    expect(t).toMatch(/Frais de repas exclus\s+8,30 €/)
    expect(t).toMatch(/Montant retenu \(plafond de 3 500,00 €\)\s+95,00 €/)
    expect(t).toMatch(/Crédit d'impôt correspondant \(50 %\)\s+47,50 €/)
    expect(fr.creditMinor).toBe(4750n)
  })
  it('Belgium 281.86: the four sections, one row per period with days, daily rate and amount, under the daily ceiling', async () => {
    const { be } = fx.taxCertificates()
    const t = await text({ kind: 'taxCertificate', data: fx.taxCertificateRequest('BE') })
    expect(t).toContain('modèle 281.86')
    for (const s of ["I. Milieu d'accueil", 'II. Débiteur des frais', 'III. Enfant (moins de 14 ans)', 'IV. Périodes de garde']) expect(t).toContain(s)
    expect(be.periods.length).toBeGreaterThan(1)
    for (const p of be.periods) expect(t).toMatch(new RegExp(`${p.days}\\s+16,20 €\\s+${(Number(p.amountMinor) / 100).toFixed(2).replace('.', ',')} €`))
    expect(t).toMatch(/Plafond journalier : 16,20 €/)
    expect(t).toContain('85.07.30-033.61')
  })
  it('refuses a Belgian certificate without its daily ceiling, naming taxCertificate.dailyCeilingMinor', () => {
    const r = fx.taxCertificateRequest('BE')
    delete (r as { dailyCeilingMinor?: bigint }).dailyCeilingMinor
    expect(refusal(() => renderPdf({ kind: 'taxCertificate', data: r })).message).toMatch(/taxCertificate\.dailyCeilingMinor/)
  })
})

describe('wallet statement', () => {
  it('prints each compartment: opening balance, each movement with its running balance, and closing = opening + credits - debits', async () => {
    const r = fx.walletStatementRequest()
    const t = await text({ kind: 'walletStatement', data: r })
    expect(t).toContain('Compartiment : Compartiment général')
    expect(t).toContain('Compartiment : Voyages scolaires')
    expect(t).toMatch(/Solde au début\s+10,45 €/)
    expect(t).toMatch(/02\/01\/2027\s+Virement \+\+\+090\/9337\/55493\+\+\+\s+60,00 €\s+70,45 €/)
    const general = r.compartments[0]!.statement
    expect(general.opening + general.credits - general.debits).toBe(general.closing)
    expect(t).toMatch(/Solde à la fin\s+2,45 €/)
  })
  it('refuses a statement whose closing balance does not add up, naming the field', () => {
    const r = fx.walletStatementRequest()
    const s = r.compartments[0]!.statement
    expect(refusal(() => renderPdf({ kind: 'walletStatement', data: { ...r, compartments: [{ name: 'x', statement: { ...s, closing: s.closing + 1n } }] } })).message).toMatch(/walletStatement\.compartments\.0\.statement\.closing/)
  })
})

describe('deposit slip', () => {
  it('lists the cheques with drawer, number and bank; count, split by product and total', async () => {
    const r = fx.depositSlipRequest()
    const t = await text({ kind: 'depositSlip', data: r })
    expect(t).toContain('Bordereau de remise de chèques')
    expect(t).toMatch(/1\s+Marie-Hélène Dupont-Lefèvre\s+8812340\s+BNP Paribas Fortis\s+25,00 €/)
    expect(t).toMatch(/Nombre\s+6/)
    expect(t).toMatch(/Total\s+259,65 €/)
    expect(t).toMatch(/Répartition par produit – Cantine\s+/)
  })
  it('refuses items that do not add up to the deposit, naming depositSlip.items', () => {
    const r = fx.depositSlipRequest()
    expect(refusal(() => renderPdf({ kind: 'depositSlip', data: { ...r, items: r.items.map((x, i) => (i === 0 ? { ...x, amountMinor: x.amountMinor + 1n } : x)) } })).message).toMatch(/depositSlip\.items/)
  })
})

describe('list of the invoices of a folder', () => {
  it('prints every invoice over pages with the header repeated, and the totals on the last page', async () => {
    const r = fx.invoiceListRequest('fr', 80)
    const drawn = renderPdf({ kind: 'invoiceList', data: r })
    expect(drawn.pages).toBeGreaterThan(1)
    const bytes = await collect(drawn.chunks)
    for (let page = 1; page <= drawn.pages; page++) expect(pdfText(bytes, { first: page, last: page })).toMatch(/Numéro\s+Redevable/)
    const last = plain(pdfText(bytes, { first: drawn.pages, last: drawn.pages }))
    const total = r.invoices.reduce((s, x) => s + x.totalMinor, 0n)
    expect(last).toMatch(/Nombre\s+80/)
    expect(last).toContain(`${(Number(total) / 100).toFixed(2).replace('.', ',').replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} €`)
    expect(drawn.rows.filter((x) => x.id.startsWith('inv-'))).toHaveLength(80)
  })
})

describe('information sheet', () => {
  it('prints the chosen sections only, in the order chosen', async () => {
    const t = await text({ kind: 'infoSheet', data: { ...fx.infoSheetRequest(), sections: ['health', 'identity'] } })
    expect(t.indexOf('Santé et autorisations')).toBeLessThan(t.indexOf('Identité'))
    expect(t).not.toContain('Responsables et foyers')
    expect(t).toMatch(/Allergies\s+Arachides, fruits à coque/)
    expect(t).toMatch(/Droit à l’image \(photos de classe\)\s+Oui/)
  })
  it("refuses a child's section on an adult's sheet, naming infoSheet.sections.0", () => {
    expect(refusal(() => renderPdf({ kind: 'infoSheet', data: { ...fx.infoSheetRequest(), person: 'adult', sections: ['health'] } })).message).toMatch(/infoSheet\.sections\.0/)
  })
  it('prints an adult household section', async () => {
    const t = await text({ kind: 'infoSheet', data: { ...fx.infoSheetRequest(), person: 'adult', sections: ['identity', 'household'], household: { address: ['Rue de l’Église 12', '1060 Saint-Gilles'], members: ['Léa Dupont-Lefèvre', 'Noé Dupont-Lefèvre'] } } })
    expect(t).toMatch(/Adresse\s+Rue de l’Église 12, 1060 Saint-Gilles/)
    expect(t).toContain('Noé Dupont-Lefèvre')
  })
})

describe('snapshots of the extracted text', () => {
  it('matches for each kind in French', async () => {
    const out: Record<string, string> = {}
    out.reminder = await text({ kind: 'reminder', data: fx.reminderRequest() })
    out.taxFr = await text({ kind: 'taxCertificate', data: fx.taxCertificateRequest('FR') })
    out.taxBe = await text({ kind: 'taxCertificate', data: fx.taxCertificateRequest('BE') })
    out.wallet = await text({ kind: 'walletStatement', data: fx.walletStatementRequest() })
    out.deposit = await text({ kind: 'depositSlip', data: fx.depositSlipRequest() })
    out.info = await text({ kind: 'infoSheet', data: fx.infoSheetRequest() })
    out.creditNote = await text({ kind: 'creditNote', data: fx.creditNoteRequest() })
    expect(out).toMatchSnapshot()
  })
})

describe('wallet statement over several pages', () => {
  const totals = /:(debits|credits|closing|reserved|available)$/

  it("keeps a compartment's totals on the page of its last movement, and every page a compartment is on shows its name", async () => {
    let runsOver = 0
    for (const language of LANGUAGES) {
      for (const days of [20, 24, 28]) {
        const r = fx.walletStatementRequest(language, days)
        const drawn = renderPdf({ kind: 'walletStatement', data: r })
        const bytes = await collect(drawn.chunks)
        if (drawn.pages > 1) runsOver++
        for (const c of r.compartments) {
          const rows = drawn.rows.filter((x) => x.id.startsWith(`${c.name}:`))
          const movements = rows.filter((x) => !totals.test(x.id))
          const closing = rows.find((x) => x.id === `${c.name}:closing`)!
          expect(movements.length, c.name).toBeGreaterThan(0)
          expect(closing.page, `${language} ${days} days, ${c.name}: closing balance on the page of the last movement`).toBe(movements.at(-1)!.page)
          for (const page of new Set(rows.map((x) => x.page))) expect(plain(pdfText(bytes, { first: page + 1, last: page + 1 })), `${language} ${days} days, page ${page + 1}`).toContain(c.name)
        }
      }
    }
    // the rule was put to the test: some of these statements do run onto a second page
    expect(runsOver).toBeGreaterThan(0)
  })

  it('repeats the compartment\'s heading, "(continued)", and the table header at the top of each page its movements run onto', async () => {
    const expected = { fr: 'Compartiment : Compartiment général (suite)', en: 'Compartment: Compartiment général (continued)', it: 'Scomparto: Compartiment général (segue)', nl: 'Compartiment: Compartiment général (vervolg)' } as const
    for (const language of ['fr', 'en'] as const) {
      const r = fx.longWalletStatementRequest(language)
      const drawn = renderPdf({ kind: 'walletStatement', data: r })
      const bytes = await collect(drawn.chunks)
      const pages = new Set(drawn.rows.filter((x) => x.id.startsWith('Compartiment général:')).map((x) => x.page))
      expect(pages.size).toBeGreaterThan(2)
      for (const page of pages) {
        if (page === 0) continue
        const lines = plain(pdfText(bytes, { first: page + 1, last: page + 1 })).split('\n').filter((l) => l.trim() !== '')
        expect(lines[0]!.trim(), `page ${page + 1}`).toBe(expected[language])
        expect(lines[1], `page ${page + 1}`).toMatch(new RegExp(`${label(language, 'date')}\\s+${label(language, 'description')}`))
      }
    }
  })
})

describe('the colon between a label and its value follows the language', () => {
  it('wallet statement: "Compartiment : …" in French, "Compartment: …", "Scomparto: …", "Compartiment: …" elsewhere', async () => {
    const expected = { fr: 'Compartiment : Voyages scolaires', en: 'Compartment: Voyages scolaires', it: 'Scomparto: Voyages scolaires', nl: 'Compartiment: Voyages scolaires' } as const
    for (const language of LANGUAGES) {
      const t = await text({ kind: 'walletStatement', data: fx.walletStatementRequest(language, 10) })
      expect(t, language).toContain(expected[language])
      if (language !== 'fr') expect(t, language).not.toMatch(/\S :/)
    }
  })

  it('information sheet: the joint debtor of a billing rule', async () => {
    expect(await text({ kind: 'infoSheet', data: fx.infoSheetRequest('fr') })).toContain('Tiers solidaire : Jérôme Dupont')
    expect(await text({ kind: 'infoSheet', data: fx.infoSheetRequest('en') })).toContain('Jointly liable: Jérôme Dupont')
  })
})
