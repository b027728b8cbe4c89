import { describe, expect, it } from 'vitest'
import { isEcoleError, type LocalDate } from '@ecole/core'
import { invoice } from '../test-support/records'
import { debianXmllint, pesSchemaFiles } from '../test-support/pes-schemas'
import { validateXml } from '../xml/validate-xml'
import { buildPesAller, isValidSiret, type PesBordereauInput, type PesDebtorInput, type PesRegieInput } from '.'

const regie: PesRegieInput = {
  siret: '217 500 016 00019', postCode: '075000', collectivityCode: '001', budgetCode: '00', productCode: 'CANT', nature: '7067',
  issuer: { name: 'Ville de Paris - Régie de la restauration scolaire', software: '@ecole/france' }, titleObject: 'Restauration scolaire',
}
const bordereau: PesBordereauInput = { fileName: 'PES_2027_12.xml', year: 2027, number: 12, firstTitleNumber: 431, issueDate: '2027-02-01', period: '1' }
const debtors: Record<string, PesDebtorInput> = {
  'g-1': { civility: 'MME', lastName: 'Dupont', firstName: 'Marie', address: { line: '3 rue des Écoles', postalCode: '75005', city: 'Paris' } },
  'g-2': { lastName: 'Martin & Fils "Œ"', address: { line: '10 av. <Foch>', postalCode: '75016', city: 'Paris' } },
}
const inv = (n: number, debtorId = 'g-1', cents = 7055n) =>
  invoice({ id: `inv-${n}`, number: `F2027-${String(n).padStart(6, '0')}`, issueDate: '2027-01-31' as LocalDate, debtorId, lines: [{ serviceId: 'canteen', amountMinor: cents }] })

describe('buildPesAller', () => {
  it('writes a bordereau of individual titles that the structure schema accepts, with xmllint-wasm and with Debian xmllint', async () => {
    const file = buildPesAller(regie, bordereau, [{ invoice: inv(1), pdf: { id: 'inv-1', fileName: 'F2027-000001.pdf', bytes: new Uint8Array([37, 80, 68, 70]) } }, { invoice: inv(2, 'g-2', 4150n) }], debtors, {
      checkKeys: () => ({ cle1: '7', cle2: 'K' }),
    })
    const wasm = await validateXml(file.xml, pesSchemaFiles())
    expect(wasm.errors).toEqual([])
    expect(wasm.valid).toBe(true)
    const debian = debianXmllint(file.xml)
    expect(debian.output).toContain('validates')
    expect(debian.status).toBe(0)
  })

  it('numbers the titles from the first number, and the bordereau total is the sum of the titles', () => {
    const file = buildPesAller(regie, bordereau, [{ invoice: inv(1) }, { invoice: inv(2, 'g-2', 4150n) }], debtors)
    expect(file.titles.map((t) => t.titleNumber)).toEqual([431, 432])
    expect(file.totalMinor).toBe(11205n)
    expect(file.xml).toContain('<MtBordHt V="112.05"/>')
    expect(file.xml).toContain('<NbrPce V="2"/>')
    expect(file.xml).toContain('<IdColl V="21750001600019"/>')
  })

  it('carries the invoice PDF as a reference in the title, and its bytes in PES_PJ when given', () => {
    const file = buildPesAller(regie, bordereau, [{ invoice: inv(1), pdf: { id: 'inv-1', fileName: 'F2027-000001.pdf', bytes: new Uint8Array([37, 80, 68, 70]) } }], debtors)
    expect(file.xml).toMatch(/<PJRef><Support V="01"\/><IdUnique V="inv-1"\/><NomPJ V="F2027-000001.pdf"\/><\/PJRef>/)
    expect(file.xml).toContain('<Fichier MIMEType="application/pdf">JVBERg==</Fichier>')
  })

  it('escapes the debtor\'s text (ampersand, quotes, angle brackets)', () => {
    const file = buildPesAller(regie, bordereau, [{ invoice: inv(2, 'g-2') }], debtors)
    expect(file.xml).toContain('<Nom V="Martin &amp; Fils &quot;Œ&quot;"/>')
    expect(file.xml).toContain('<Adr2 V="10 av. &lt;Foch&gt;"/>')
  })

  it('never writes a print code (Edition) for a family, even with the PDF attached: the code reserved for public debtors cannot reach one', () => {
    const file = buildPesAller(regie, bordereau, [{ invoice: inv(1), pdf: { id: 'inv-1', fileName: 'a.pdf', bytes: new Uint8Array([1]) } }, { invoice: inv(2, 'g-2') }], debtors)
    expect(file.xml).not.toContain('<Edition')
    // a family is a private person: CatTiers 01, NatJur 01
    expect(file.xml.match(/<CatTiers V="01"\/><NatJur V="01"\/>/g)).toHaveLength(2)
  })

  it('leaves the check keys out, with a warning, when no key function is given (the annex could not be consulted)', () => {
    const file = buildPesAller(regie, bordereau, [{ invoice: inv(1) }], debtors)
    expect(file.xml).not.toContain('<Cle1')
    expect(file.warnings.map((w) => w.code)).toEqual(['PES_KEYS_NOT_COMPUTED'])
  })

  it('refuses a régie without its identifiers, naming each field, before writing anything', () => {
    const { siret: _s, postCode: _p, ...without } = regie
    try {
      buildPesAller(without as PesRegieInput, bordereau, [{ invoice: inv(1) }], debtors)
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e, 'INVALID_INPUT')).toBe(true)
      const paths = (e as { details: { issues: Array<{ path: string }> } }).details.issues.map((i) => i.path)
      expect(paths).toEqual(expect.arrayContaining(['regie.siret', 'regie.postCode']))
    }
    expect(() => buildPesAller({ ...regie, siret: '21750001600018' }, bordereau, [{ invoice: inv(1) }], debtors)).toThrow(/regie\.siret/)
  })

  it('refuses a debtor without a full postal address or a name, naming the field', () => {
    const noCity = { ...debtors, 'g-1': { lastName: 'Dupont', address: { line: '3 rue des Écoles', postalCode: '75005', city: '' } } }
    expect(() => buildPesAller(regie, bordereau, [{ invoice: inv(1) }], noCity)).toThrow(/debtors\.g-1\.address\.city/)
    const noName = { ...debtors, 'g-1': { lastName: ' ', address: { line: 'x', postalCode: '75005', city: 'Paris' } } }
    expect(() => buildPesAller(regie, bordereau, [{ invoice: inv(1) }], noName)).toThrow(/debtors\.g-1\.lastName/)
    expect(() => buildPesAller(regie, bordereau, [{ invoice: inv(1, 'g-9') }], debtors)).toThrow(/debtors\.g-9/)
  })

  it('refuses a draft, an invoice given twice, a zero invoice and a key function that returns a malformed key', () => {
    const draft = invoice({ id: 'd', number: 'x', issueDate: '2027-01-31' as LocalDate, lines: [{ serviceId: 'canteen', amountMinor: 100n }], status: 'draft' })
    expect(() => buildPesAller(regie, bordereau, [{ invoice: draft }], debtors)).toThrow(/titles\[0\]\.invoice\.status/)
    expect(() => buildPesAller(regie, bordereau, [{ invoice: inv(1) }, { invoice: inv(1) }], debtors)).toThrow(/titles\[1\]\.invoice\.id/)
    expect(() => buildPesAller(regie, bordereau, [{ invoice: inv(3, 'g-1', 0n) }], debtors)).toThrow(/totalMinor/)
    expect(() => buildPesAller(regie, bordereau, [{ invoice: inv(1) }], debtors, { checkKeys: () => ({ cle1: '10', cle2: 'k' }) })).toThrow(/options\.checkKeys/)
  })

  it('cuts a name longer than the 38 characters the protocol allows, with a warning', () => {
    const long = { ...debtors, 'g-1': { lastName: 'X'.repeat(45), address: { line: '3 rue', postalCode: '75005', city: 'Paris' } } }
    const file = buildPesAller(regie, bordereau, [{ invoice: inv(1) }], long)
    expect(file.xml).toContain(`<Nom V="${'X'.repeat(38)}"/>`)
    expect(file.warnings.some((w) => w.code === 'TEXT_TRUNCATED')).toBe(true)
  })

  it('composes a name typed with decomposed accents (NFC, as macOS sends it) before cutting it to the protocol\'s 38 characters', () => {
    const nfd = 'Ame\u0301lie'
    const named = { ...debtors, 'g-1': { lastName: `${nfd} ${'X'.repeat(31)}`, firstName: nfd, address: { line: '3 rue', postalCode: '75005', city: 'Paris' } } }
    const file = buildPesAller(regie, bordereau, [{ invoice: inv(1) }], named)
    // 'Amélie ' + 31 X is 38 characters composed, 39 decomposed: written whole, no warning
    expect(file.xml).toContain(`<Nom V="Amélie ${'X'.repeat(31)}"/>`)
    expect(file.xml).toContain('<Prenom V="Amélie"/>')
    expect(file.xml).not.toContain('\u0301')
    expect(file.warnings.some((w) => w.code === 'TEXT_TRUNCATED')).toBe(false)
  })

  it('checks a SIRET by its Luhn key', () => {
    expect(isValidSiret('21750001600019')).toBe(true)
    expect(isValidSiret('21750001600018')).toBe(false)
    expect(isValidSiret('2175000160001')).toBe(false)
  })
})

describe('validateXml (validation errors are failures, never success)', () => {
  it('reports a document that breaks the schema as invalid, with the validator\'s message', async () => {
    const file = buildPesAller(regie, bordereau, [{ invoice: inv(1) }], debtors)
    const broken = file.xml.replace('<CatTiers V="01"/><NatJur V="01"/>', '<NatJur V="01"/><CatTiers V="01"/>')
    const r = await validateXml(broken, pesSchemaFiles())
    expect(r.valid).toBe(false)
    expect(r.errors.join('\n')).toMatch(/NatJur/)
    expect(debianXmllint(broken).status).not.toBe(0)
  })

  it('reports a schema that cannot be loaded (a missing import) as a failure, not as success', async () => {
    const { main } = pesSchemaFiles()
    const file = buildPesAller(regie, bordereau, [{ invoice: inv(1) }], debtors)
    const r = await validateXml(file.xml, { main, others: [] })
    expect(r.valid).toBe(false)
    expect(r.errors.length).toBeGreaterThan(0)
  })

  it('reports a document that is not XML as a failure', async () => {
    const r = await validateXml('<n:PES_Aller', pesSchemaFiles())
    expect(r.valid).toBe(false)
  })
})
