import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { isEcoleError, type LocalDate } from '@ecole/core'
import { invoice } from '../test-support/records'
import { pesSchemaFiles } from '../test-support/pes-schemas'
import { validateXml } from '../xml/validate-xml'
import { buildPesAller, type PesDebtReference, type PesRegieInput } from '.'

const regie: PesRegieInput = {
  siret: '21750001600019', postCode: '075000', collectivityCode: '001', budgetCode: '00', productCode: 'CANT', nature: '7067',
  issuer: { name: 'Ville', software: '@ecole/france' }, titleObject: 'Restauration scolaire',
}
const debtors = {
  'g-1': { lastName: 'Dupont', firstName: 'Zoë', address: { line: '3 rue des Écoles', postalCode: '75005', city: 'Paris' } },
  'g-2': { lastName: "N'Diaye & Cie", address: { line: '1 place <Verte>', postalCode: '13001', city: 'Marseille' } },
}
// a key function of the reference alone (a stand-in for the annex's computation): what matters here is
// that the file carries, for each title, the value computed from that title's own reference
const keysOf = (ref: PesDebtReference) => {
  const s = JSON.stringify(ref)
  let h = 0
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) % 1_000_003
  return { cle1: String(h % 10), cle2: 'ABCDEFGHJKLMNPQRSTUVWXY'[h % 23]! }
}

const invoicesArb = fc
  .array(fc.record({ cents: fc.bigInt({ min: 1n, max: 10_000_000n }), payer: fc.constantFrom('g-1', 'g-2') }), { minLength: 1, maxLength: 30 })
  .map((specs) => specs.map((s, i) => invoice({ id: `inv-${i}`, number: `F2027-${String(i + 1).padStart(6, '0')}`, issueDate: '2027-01-31' as LocalDate, debtorId: s.payer, lines: [{ serviceId: 'canteen', amountMinor: s.cents }] })))

const bordereauArb = fc.record({ number: fc.integer({ min: 1, max: 9_999_999 }), firstTitleNumber: fc.integer({ min: 1, max: 1_000_000 }), period: fc.constantFrom('1', '2', 'A') })

function pieces(xml: string): Array<{ idPce: number; cle1: string; cle2: string; amount: string }> {
  return [...xml.matchAll(/<IdPce V="(\d+)"\/>.*?<Cle1 V="(.)"\/><Cle2 V="(.)"\/>.*?<MtHT V="([\d.]+)"\/>/g)].map((m) => ({ idPce: Number(m[1]), cle1: m[2]!, cle2: m[3]!, amount: m[4]! }))
}

test.prop([invoicesArb, bordereauArb])('each title carries the keys of its own reference, the same as the titles list returns for printing on the invoice', (invoices, b) => {
  const file = buildPesAller(regie, { fileName: 'f.xml', year: 2027, issueDate: '2027-02-01', ...b }, invoices.map((invoice) => ({ invoice })), debtors, { checkKeys: keysOf })
  const written = pieces(file.xml)
  expect(written).toHaveLength(invoices.length)
  written.forEach((p, i) => {
    const t = file.titles[i]!
    expect(p.idPce).toBe(b.firstTitleNumber + i)
    expect(t.keys).toEqual({ cle1: p.cle1, cle2: p.cle2 })
    expect(t.keys).toEqual(keysOf({ collectivityCode: '001', year: 2027, bordereauNumber: b.number, titleNumber: t.titleNumber, period: b.period, debtNumber: t.debtNumber }))
  })
})

test.prop([invoicesArb, bordereauArb, fc.integer({ min: 1, max: 29 })])('a title exported alone or within a larger bordereau, under the same numbers, gets the same keys', (invoices, b, cut) => {
  const all = buildPesAller(regie, { fileName: 'f.xml', year: 2027, issueDate: '2027-02-01', ...b }, invoices.map((invoice) => ({ invoice })), debtors, { checkKeys: keysOf })
  const k = Math.min(cut, invoices.length - 1)
  const tail = buildPesAller(regie, { fileName: 'f.xml', year: 2027, issueDate: '2027-02-01', ...b, firstTitleNumber: b.firstTitleNumber + k }, invoices.slice(k).map((invoice) => ({ invoice })), debtors, { checkKeys: keysOf })
  expect(tail.titles.map((t) => t.keys)).toEqual(all.titles.slice(k).map((t) => t.keys))
})

test.prop([invoicesArb, bordereauArb], { numRuns: 5 })('any set of validated invoices exports to a file the schema accepts, whose total is the sum of its titles', async (invoices, b) => {
  const file = buildPesAller(regie, { fileName: 'f.xml', year: 2027, issueDate: '2027-02-01', ...b }, invoices.map((invoice) => ({ invoice })), debtors, { checkKeys: keysOf })
  const sum = pieces(file.xml).reduce((s, p) => s + BigInt(p.amount.replace('.', '')), 0n)
  expect(sum).toBe(invoices.reduce((s, i) => s + i.totalMinor, 0n))
  expect(file.xml).toContain(`<NbrPce V="${invoices.length}"/>`)
  const r = await validateXml(file.xml, pesSchemaFiles())
  expect(r.errors).toEqual([])
  expect(r.valid).toBe(true)
})

// invoice numbers as a billing office's numbering writes them (letters, digits, - / _), up to 20 characters,
// many sharing a long prefix: the case where cutting to 15 characters would merge them
const numbersArb = fc.uniqueArray(
  fc.tuple(fc.constantFrom('', 'F', 'CANT-', 'CANTINE-2026-', 'CANTINE-2026-000'), fc.stringMatching(/^[A-Za-z0-9/_-]{1,8}$/)).map(([prefix, tail]) => prefix + tail),
  { minLength: 1, maxLength: 20 },
)

test.prop([numbersArb])('NumDette values of one file are pairwise distinct (each the invoice number, whole) for any set of distinct invoice numbers; a number that does not fit is refused, never cut', (numbers) => {
  const invoices = numbers.map((number, i) => invoice({ id: `inv-${i}`, number, issueDate: '2027-01-31' as LocalDate, lines: [{ serviceId: 'canteen', amountMinor: 100n }] }))
  let file
  try {
    file = buildPesAller(regie, { fileName: 'f.xml', year: 2027, number: 1, firstTitleNumber: 1, issueDate: '2027-02-01', period: '1' }, invoices.map((invoice) => ({ invoice })), debtors, { checkKeys: keysOf })
  } catch (e) {
    expect(isEcoleError(e, 'INVALID_INPUT')).toBe(true)
    const first = numbers.findIndex((n) => [...n].length > 15)
    expect(first).toBeGreaterThanOrEqual(0)
    expect((e as Error).message).toContain(`titles[${first}].invoice.number`)
    return
  }
  expect(numbers.every((n) => [...n].length <= 15)).toBe(true)
  const written = [...file.xml.matchAll(/<NumDette V="([^"]*)"\/>/g)].map((m) => m[1])
  expect(written).toEqual(numbers.map((n) => n.replace(/&/g, '&amp;')))
  expect(new Set(written).size).toBe(numbers.length)
  expect(file.titles.map((t) => t.debtNumber)).toEqual(numbers)
  expect(file.warnings.filter((w) => w.code === 'TEXT_TRUNCATED')).toEqual([])
})
