import { describe, expect, it } from 'vitest'
import { isEcoleError, type LocalDate } from '@ecole/core'
import { invoice } from '../test-support/records'
import { buildPesAller, type PesBordereauInput, type PesDebtorInput, type PesRegieInput } from '.'

const regie: PesRegieInput = {
  siret: '21750001600019', postCode: '075000', collectivityCode: '001', budgetCode: '00', productCode: 'CANT', nature: '7067',
  issuer: { name: 'Ville', software: '@ecole/france' }, titleObject: 'Restauration scolaire',
}
const bordereau: PesBordereauInput = { fileName: 'PES_2027_12.xml', year: 2027, number: 12, firstTitleNumber: 431, issueDate: '2027-02-01', period: '1' }
const debtors: Record<string, PesDebtorInput> = { 'g-1': { lastName: 'Dupont', address: { line: '3 rue des Écoles', postalCode: '75005', city: 'Paris' } } }
const inv = (id: string, number: string, billingOfficeId = 'regie') =>
  invoice({ id, number, billingOfficeId, issueDate: '2027-01-10' as LocalDate, lines: [{ serviceId: 'canteen', amountMinor: 4150n }] })

function thrown(f: () => unknown): { code: string; message: string; details: Record<string, unknown> } {
  try {
    f()
  } catch (e) {
    if (isEcoleError(e)) return { code: e.code, message: e.message, details: e.details }
    throw e
  }
  throw new Error('nothing was thrown')
}

describe('buildPesAller: a title\'s identifiers are never cut into ambiguity', () => {
  it('refuses an invoice number longer than the 15 characters of NumDette, naming the field, the limit and what to do, instead of cutting it', () => {
    const e = thrown(() => buildPesAller(regie, bordereau, [{ invoice: inv('a', 'F1') }, { invoice: inv('b', 'CANTINE-2026-0000002') }], debtors))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toContain('titles[1].invoice.number')
    expect(e.message).toContain('CANTINE-2026-0000002')
    expect(e.message).toContain('at most 15')
    expect(e.message).toMatch(/shorter prefix or fewer digits/)
    expect(e.details['issues']).toEqual([expect.objectContaining({ path: 'titles[1].invoice.number' })])
  })

  it('never gives two invoices the same NumDette: the probe\'s CANTINE-2026-0000001 and -0000002 are refused, not both written CANTINE-2026-00', () => {
    const e = thrown(() => buildPesAller(regie, bordereau, [{ invoice: inv('a', 'CANTINE-2026-0000001') }, { invoice: inv('b', 'CANTINE-2026-0000002') }], debtors))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toContain('titles[0].invoice.number')
  })

  it('refuses two titles of one file with the same NumDette, naming both invoices', () => {
    // two billing offices sharing one numbering put in one bordereau
    const e = thrown(() => buildPesAller(regie, bordereau, [{ invoice: inv('a', 'F2027-000001') }, { invoice: inv('x', 'F2027-000002') }, { invoice: inv('b', 'F2027-000001', 'other') }], debtors))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toContain('titles[2].invoice.number')
    expect(e.message).toContain('a (titles[0])')
    expect(e.message).toContain('b (titles[2])')
    expect(e.details['invoiceIds']).toEqual(['a', 'b'])
  })

  it('writes a number of exactly 15 characters whole, in NumDette and NumeroFacture, and computes the keys from it, without a warning', () => {
    const refs: string[] = []
    const file = buildPesAller(regie, bordereau, [{ invoice: inv('a', 'CANT-2026-00001') }, { invoice: inv('b', 'CANT-2026-00002') }], debtors, {
      checkKeys: (ref) => {
        refs.push(ref.debtNumber)
        return { cle1: '1', cle2: 'A' }
      },
    })
    expect(file.titles.map((t) => t.debtNumber)).toEqual(['CANT-2026-00001', 'CANT-2026-00002'])
    expect(refs).toEqual(['CANT-2026-00001', 'CANT-2026-00002'])
    expect(file.xml.match(/NumDette V="[^"]*"/g)).toEqual(['NumDette V="CANT-2026-00001"', 'NumDette V="CANT-2026-00002"'])
    expect(file.xml.match(/NumeroFacture V="[^"]*"/g)).toEqual(['NumeroFacture V="CANT-2026-00001"', 'NumeroFacture V="CANT-2026-00002"'])
    expect(file.warnings).toEqual([])
  })

  it('refuses two titles whose PDFs have the same id (IdUnique), naming both invoices', () => {
    const e = thrown(() => buildPesAller(regie, bordereau, [{ invoice: inv('a', 'F1'), pdf: { id: 'pdf-1', fileName: 'F1.pdf' } }, { invoice: inv('b', 'F2'), pdf: { id: 'pdf-1', fileName: 'F2.pdf' } }], debtors))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toContain('titles[1].pdf.id')
    expect(e.details['invoiceIds']).toEqual(['a', 'b'])
  })
})
