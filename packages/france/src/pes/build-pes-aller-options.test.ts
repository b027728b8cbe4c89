import { describe, expect, it } from 'vitest'
import { EcoleError, isEcoleError, type LocalDate } from '@ecole/core'
import { invoice } from '../test-support/records'
import { buildPesAller, type PesBordereauInput, type PesDebtorInput, type PesRegieInput } from '.'

const regie: PesRegieInput = {
  siret: '217 500 016 00019', postCode: '075000', collectivityCode: '001', budgetCode: '00', productCode: 'CANT', nature: '7067',
  issuer: { name: 'Ville de Paris', software: '@ecole/france' }, titleObject: 'Restauration scolaire',
}
const bordereau: PesBordereauInput = { fileName: 'PES_2027_12.xml', year: 2027, number: 12, firstTitleNumber: 431, issueDate: '2027-02-01', period: '1' }
const debtors: Record<string, PesDebtorInput> = { 'g-1': { lastName: 'Dupont', address: { line: '3 rue des Écoles', postalCode: '75005', city: 'Paris' } } }
const titles = [{ invoice: invoice({ id: 'inv-1', number: 'F2027-000001', issueDate: '2027-01-31' as LocalDate, debtorId: 'g-1', lines: [{ serviceId: 'canteen', amountMinor: 7055n }] }) }]
const checkKeys = () => ({ cle1: '7', cle2: 'K' })
const build = (options: unknown) => buildPesAller(regie, bordereau, titles, debtors, options as never)
const refused = (path: string | RegExp) => expect.objectContaining({ code: 'INVALID_INPUT', message: typeof path === 'string' ? expect.stringContaining(path) : expect.stringMatching(path) })

describe('buildPesAller options', () => {
  it('writes the check keys its function computes', () => {
    expect(build({ checkKeys }).xml).toContain('<Cle1 V="7"/><Cle2 V="K"/>')
  })

  it('refuses a misspelt key naming the key it meant, instead of writing titles without their check keys', () => {
    expect(() => build({ checkKey: checkKeys })).toThrow(refused(/options\.checkKey: unknown key .*did you mean `checkKeys`/))
  })

  it('refuses a checkKeys that is not a function with INVALID_INPUT, not a TypeError', () => {
    expect(() => build({ checkKeys: 'mod11' })).toThrow(refused('options.checkKeys'))
  })

  it('wraps an error thrown by checkKeys in an EcoleError naming options.checkKeys and the title, with the error as its cause', () => {
    const boom = new Error('boom')
    let caught: unknown
    try {
      build({ checkKeys: () => { throw boom } })
    } catch (e) {
      caught = e
    }
    expect(isEcoleError(caught, 'INVALID_INPUT')).toBe(true)
    const e = caught as EcoleError<'INVALID_INPUT'>
    expect(e.message).toContain('options.checkKeys')
    expect(e.message).toContain('title 431 (invoice inv-1)')
    expect(e.message).toContain('boom')
    expect(e.cause).toBe(boom)
    expect(e.details.issues).toEqual([expect.objectContaining({ path: 'options.checkKeys' })])
  })

  it('passes on as it is an EcoleError thrown by checkKeys', () => {
    const own = new EcoleError('NOT_FOUND', 'annex not loaded')
    expect(() => build({ checkKeys: () => { throw own } })).toThrow(own)
  })

  it('refuses options that are not an object', () => {
    for (const options of ['mod11', 1, [], null, true]) expect(() => build(options)).toThrow(refused('options'))
  })
})
