import { describe, expect, it } from 'vitest'
import { isEcoleError, type LocalDate } from '@ecole/core'
import { invoice } from '../test-support/records'
import { buildPesAller, type PesBordereauInput, type PesDebtorInput, type PesRegieInput, type PesTitleInput } from '.'

const regie: PesRegieInput = {
  siret: '21750001600019', postCode: '075000', collectivityCode: '001', budgetCode: '00', productCode: 'CANT', nature: '7067',
  issuer: { name: 'Ville', software: '@ecole/france' }, titleObject: 'Restauration scolaire',
}
const bordereau: PesBordereauInput = { fileName: 'PES_2027_12.xml', year: 2027, number: 12, firstTitleNumber: 431, issueDate: '2027-02-01', period: '1' }
const debtor: PesDebtorInput = { lastName: 'Dupont', address: { line: '3 rue des Écoles', postalCode: '75005', city: 'Paris' } }
const inv = invoice({ id: 'inv-1', number: 'F2027-000001', issueDate: '2027-01-31' as LocalDate, lines: [{ serviceId: 'canteen', amountMinor: 415n }] })

/** The INVALID_INPUT buildPesAller throws, its message naming `field`; nothing else escapes. */
function expectRefused(run: () => unknown, ...fields: string[]): void {
  try {
    run()
  } catch (e) {
    expect(isEcoleError(e, 'INVALID_INPUT'), String(e)).toBe(true)
    for (const field of fields) expect((e as Error).message).toContain(`${field}:`)
    return
  }
  expect.fail('buildPesAller wrote a file')
}

describe('buildPesAller: a value read back from JSON is refused naming its field, never a TypeError', () => {
  it('refuses an invoice total given as a string or a number, naming titles[0].invoice.totalMinor', () => {
    expectRefused(() => buildPesAller(regie, bordereau, [{ invoice: { ...inv, totalMinor: '415' as never } }], { 'g-1': debtor }), 'titles[0].invoice.totalMinor')
    expectRefused(() => buildPesAller(regie, bordereau, [{ invoice: { ...inv, totalMinor: 415 as never } }], { 'g-1': debtor }), 'titles[0].invoice.totalMinor')
  })

  it('refuses a pdf of null, naming titles[0].pdf, and PDF bytes that are not bytes', () => {
    expectRefused(() => buildPesAller(regie, bordereau, [{ invoice: inv, pdf: null as never }], { 'g-1': debtor }), 'titles[0].pdf')
    const pdf = { id: 'inv-1', fileName: 'F.pdf', bytes: 'JVBERi0=' as never } satisfies PesTitleInput['pdf']
    expectRefused(() => buildPesAller(regie, bordereau, [{ invoice: inv, pdf }], { 'g-1': debtor }), 'titles[0].pdf.bytes')
  })
})

describe('buildPesAller: a text that would be written empty is refused, checked after the characters XML cannot carry are left out', () => {
  it('refuses a surname and a city made only of control characters, naming debtors.<id>.lastName and debtors.<id>.address.city', () => {
    expectRefused(
      () => buildPesAller(regie, bordereau, [{ invoice: inv }], { 'g-1': { lastName: '\u0002', address: { line: '3 rue X', postalCode: '75005', city: '\u001f ' } } }),
      'debtors.g-1.lastName',
      'debtors.g-1.address.city',
    )
  })

  it("refuses a régie's title object of control characters, naming regie.titleObject", () => {
    expectRefused(() => buildPesAller({ ...regie, titleObject: '\u0001\u0002' }, bordereau, [{ invoice: inv }], { 'g-1': debtor }), 'regie.titleObject')
  })

  it('writes a name with a control character inside without it, and the same bytes as before for a name without one', () => {
    const plain = buildPesAller(regie, bordereau, [{ invoice: inv }], { 'g-1': debtor })
    const dirty = buildPesAller(regie, bordereau, [{ invoice: inv }], { 'g-1': { ...debtor, lastName: 'Du\u0000pont' } })
    expect(dirty.xml).toBe(plain.xml)
    expect(plain.xml).toContain('<Nom V="Dupont"/>')
  })
})
