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
    const astral = '𝒜'.repeat(70) // 70 characters, 140 UTF-16 units: not cut
    expect(sepaField(astral, 70, 'a', warnings)).toHaveLength(70)
    expect(warnings).toEqual([])
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
})
