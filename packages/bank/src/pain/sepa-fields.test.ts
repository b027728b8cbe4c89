import { describe, expect, it } from 'vitest'
import { sampleBatch } from '../test-support/batches'
import { hasSharedData, xsdProblems } from '../test-support/shared-data'
import { writePain008 } from './build-pain-008'
import { sepaField, transliterate, type TextCut } from './sepa-fields'

describe('names in pain.008', () => {
  it('transliterates Greek by ELOT 743 (digraphs included) and Cyrillic by ISO 9, instead of dots', () => {
    expect(transliterate('Γιώργος Παπαδόπουλος')).toBe('Giorgos Papadopoulos')
    expect(transliterate('Ευάγγελος Μπακογιάννης')).toBe('Evangelos Bakogiannis')
    expect(transliterate('ΑΥΤΟΚΙΝΗΤΟ ΝΤΟΥΛΑΠΑ Θεοδώρα Χατζή')).toBe('AFTOKINITO DOULAPA Theodora Chatzi')
    expect(transliterate('Мария Иванова, Щукин, Юлия')).toBe('Mariâ Ivanova, Ŝukin, Ûliâ')
    expect(sepaField('Мария Щукина-Ξανθοπούλου', 70, 'name', [])).toBe('Maria Sukina-Xanthopoulou')
    expect(sepaField('Ольга Ковальчук', 70, 'name', [])).toBe('Olga Kovalcuk')
  })

  it('cuts every field to its limit counted in characters, not UTF-16 units, and reports each cut', () => {
    const warnings: TextCut[] = []
    // 70 characters, 140 UTF-16 units: not cut (but replaced, see below). An emoji has no SEPA
    // spelling; a styled letter such as 𝒜 has one (A) since toSepaText decomposes compatibility forms.
    const astral = '😀'.repeat(70)
    expect(sepaField(astral, 70, 'a', warnings)).toHaveLength(70)
    expect(warnings).toEqual([{ field: 'a', limit: 70, given: astral, written: '.'.repeat(70), replaced: ['😀'] }])
    warnings.length = 0
    expect(sepaField('𝒜'.repeat(70), 70, 'a', warnings)).toBe('A'.repeat(70))
    warnings.length = 0
    const long = `${'Marie-Hélène '.repeat(6)}Dupré`
    expect(sepaField(long, 70, 'debits.0.debtor.name', warnings)).toHaveLength(70)
    expect(warnings).toEqual([{ field: 'debits.0.debtor.name', limit: 70, given: long, written: 'Marie-Helene Marie-Helene Marie-Helene Marie-Helene Marie-Helene Marie' }])
  })

  it('writes names of any length (no refusal from 141 characters): cut, listed in warnings, and the file stays schema-valid', () => {
    const b = sampleBatch()
    b.debits[0]!.debtor.name = 'Ζ'.repeat(200)
    b.debits[1]!.debtor.name = 'Παπαδόπουλος Γεώργιος'
    b.creditor.address!.town = 'Saint-Rémy-en-Bouzemont-Saint-Genest-et-Isson'
    const { xml, warnings } = writePain008(b)
    expect(warnings.map((w) => [w.field, w.limit, w.written.length])).toEqual([['creditor.address.town', 35, 35], ['debits.0.debtor.name', 70, 70]])
    expect(xml).toContain('<Nm>Papadopoulos Georgios</Nm>')
    expect(xml).not.toContain('<Nm>.')
    if (hasSharedData) expect(xsdProblems(xml, 'pain.008.001.08')).toEqual([])
  })

  it('reports a name whose characters have no SEPA equivalent, listing them, so that a debtor whose name was erased is seen', () => {
    const b = sampleBatch()
    b.debits[0]!.debtor.name = '😀😀'
    b.debits[1]!.debtor.name = '王小明'
    b.debits[2]!.debtor.name = 'محمد'
    b.creditor.address!.town = '🏫'
    const { xml, warnings } = writePain008(b)
    expect([...warnings].sort((x, y) => (x.field < y.field ? -1 : 1))).toEqual([
      { field: 'creditor.address.town', limit: 35, given: '🏫', written: '.', replaced: ['🏫'] },
      { field: 'debits.0.debtor.name', limit: 70, given: '😀😀', written: '..', replaced: ['😀'] },
      { field: 'debits.1.debtor.name', limit: 70, given: '王小明', written: '...', replaced: ['王', '小', '明'] },
      { field: 'debits.2.debtor.name', limit: 70, given: 'محمد', written: '....', replaced: ['م', 'ح', 'د'] },
    ])
    expect(xml).toContain('<Nm>..</Nm>')
    if (hasSharedData) expect(xsdProblems(xml, 'pain.008.001.08')).toEqual([])
  })

  it('reports a character replaced inside a name that keeps its letters, and stays silent on accents, Greek, Cyrillic and mapped symbols', () => {
    const warnings: TextCut[] = []
    expect(sepaField('Zoë Müller 😀', 70, 'name', warnings)).toBe('Zoe Muller .')
    expect(warnings).toEqual([{ field: 'name', limit: 70, given: 'Zoë Müller 😀', written: 'Zoe Muller .', replaced: ['😀'] }])
    const none: TextCut[] = []
    for (const name of ['Hélène Dupré', 'Γιώργος Παπαδόπουλος', 'Мария Иванова', 'Ville & École <Saint-Gilles> "x"', 'Ana  Bel', 'A.B. Dupont']) sepaField(name, 70, 'name', none)
    expect(none).toEqual([])
  })

  it('reports a text both cut and with replaced characters in one warning', () => {
    const warnings: TextCut[] = []
    const given = `${'😀'.repeat(3)}${'x'.repeat(80)}`
    expect(sepaField(given, 70, 'name', warnings)).toHaveLength(70)
    expect(warnings).toEqual([{ field: 'name', limit: 70, given, written: `...${'x'.repeat(67)}`, replaced: ['😀'] }])
  })
})
