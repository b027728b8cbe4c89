import { describe, expect, it } from 'vitest'
import { payment } from '../test-support/records'
import { decodeLatin9, readFec } from '../test-support/fec-reader'
import { encodeLatin9 } from '../text/latin9'
import { buildFec, type FecSettingsInput } from '.'

const settings: FecSettingsInput = {
  siren: '123456789',
  period: { from: '2026-01-01', to: '2026-12-31' },
  validatedOn: '2027-01-15',
  billingOffices: [{ id: 'regie', name: 'Régie cantine', journalPrefix: 'C' }],
}

describe('buildFec in ISO 8859-15: no character that has a Latin-9 form becomes ?', () => {
  it("writes the library's own labels with a plain apostrophe: Excédent d'avoir, Reprise de l'excédent d'avoir, without a CHARACTERS_REPLACED warning", () => {
    const carried = payment({ id: 'px', date: '2026-03-01', method: 'creditNote', amountMinor: 300n, refusedOn: '2026-03-05' })
    const fec = buildFec(settings, { payments: [carried], debtors: { 'g-1': { name: 'DUPONT Marie' } } })
    const labels = [...new Set(readFec(decodeLatin9(fec.bytes)).map((r) => r['EcritureLib']))]
    expect(labels).toEqual(["Excédent d'avoir porté au porte-monnaie", "Reprise de l'excédent d'avoir px"])
    expect(fec.warnings).toEqual([])
    // written so, not mapped on the way: the same labels in UTF-8
    const utf8 = buildFec({ ...settings, encoding: 'utf-8' }, { payments: [carried], debtors: { 'g-1': { name: 'DUPONT Marie' } } })
    expect(new TextDecoder().decode(utf8.bytes)).not.toMatch(/[\u2018\u2019]/)
  })

  it('composes a name typed with decomposed accents (e + U+0301, as macOS sends it): Amélie, not Ame?lie', () => {
    const fec = buildFec(settings, { payments: [payment({ id: 'p1', date: '2026-03-01', method: 'cash', amountMinor: 300n })], debtors: { 'g-1': { name: 'Ame\u0301lie NGUYE\u0302N' } } })
    const rows = readFec(decodeLatin9(fec.bytes))
    expect(rows.map((r) => r['CompAuxLib'])).toContain('Amélie NGUYÊN')
    expect(fec.warnings).toEqual([])
  })

  it("maps the typographic apostrophe, quotes, dashes and ellipsis a host's text carries to their plain Latin-9 forms", () => {
    const fec = buildFec(settings, { payments: [payment({ id: 'p1', date: '2026-03-01', method: 'cash', amountMinor: 300n })], debtors: { 'g-1': { name: 'L’Hôte “Zoé” – d‘Arc — Sœur…' } } })
    expect(readFec(decodeLatin9(fec.bytes)).map((r) => r['CompAuxLib'])).toContain('L\'Hôte "Zoé" - d\'Arc - Sœur...')
    expect(fec.warnings).toEqual([])
  })

  it('still writes ? with a warning for a character Latin-9 cannot carry at all', () => {
    const fec = buildFec(settings, { payments: [payment({ id: 'p1', date: '2026-03-01', method: 'cash', amountMinor: 300n })], debtors: { 'g-1': { name: '王 Wang' } } })
    expect(readFec(decodeLatin9(fec.bytes)).map((r) => r['CompAuxLib'])).toContain('? Wang')
    expect(fec.warnings.map((w) => w.code)).toEqual(['CHARACTERS_REPLACED'])
  })
})

describe('encodeLatin9', () => {
  it('composes to NFC before encoding: a decomposed é is the one byte 0xE9', () => {
    expect([...encodeLatin9('e\u0301').bytes]).toEqual([0xe9])
    expect(encodeLatin9('e\u0301').unmappable).toBe(0)
  })

  it('writes ’ ‘ as \', “ ” as ", – — as -, … as ... and a narrow no-break space as a no-break space; other characters outside Latin-9 as ?', () => {
    const r = encodeLatin9('’‘“”–—…\u202f€😀')
    expect(Buffer.from(r.bytes).toString('latin1')).toBe('\'\'""--...\u00a0\u00a4?')
    expect(r.unmappable).toBe(1)
  })
})
