import { describe, expect, it } from 'vitest'
import { buildBelcotax28186 } from './belcotax-281-86'
import { fiche, input, zone } from './test-support/fixtures'
import { xsdErrors } from './test-support/xsd'

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)
const withFirstName = (firstName: string) => {
  const f = fiche()
  return input({ fiches: [{ ...f, debtor: { ...f.debtor, firstName } }] })
}
const COMBINING = /^\p{M}/u

describe('Belcotax 281.86 text zones in decomposed Unicode (NFD, as macOS types it)', () => {
  it('writes a 15-letter first name typed in NFD whole in its 15-character zone, composed (NFC), without a warning', async () => {
    for (const name of ['Anne-Mariée Zoë', 'Andrée-Hélöïse']) {
      const { bytes, warnings } = buildBelcotax28186(withFirstName(name.normalize('NFD')))
      expect(zone(text(bytes), 'f2114_voornamen')).toBe(name.normalize('NFC'))
      expect(warnings).toEqual([])
      expect(await xsdErrors([bytes])).toEqual([])
    }
  })

  it('cuts a first name too long for its zone after whole letters, counted once composed', () => {
    const given = 'Jean-François Xavier'.normalize('NFD')
    const { bytes, warnings } = buildBelcotax28186(withFirstName(given))
    expect(zone(text(bytes), 'f2114_voornamen')).toBe('Jean-François X')
    expect(warnings.map((w) => [w.code, w.field])).toEqual([['TEXT_TRUNCATED', 'fiches.0.debtor.firstName']])
  })

  it('never separates a letter from its accent at the cut, even one with no composed form', () => {
    // x + U+0301 has no composed form: the 15th character is x, the 16th its accent
    const given = 'Anne-Marie Zoyx\u0301'
    const { bytes, warnings } = buildBelcotax28186(withFirstName(given))
    const written = zone(text(bytes), 'f2114_voornamen')!
    expect(written).toBe('Anne-Marie Zoy')
    expect(COMBINING.test(given.normalize('NFC').slice(written.length))).toBe(false)
    expect(warnings.map((w) => w.code)).toEqual(['TEXT_TRUNCATED'])
  })

  it("splits the issuer's NFD name over its two zones between whole letters, and writes a 59-letter name whole", () => {
    const name = 'Administration communale de Saint-Josse-ten-Noode éèàçë'
    const nfc = `${name}${'é'.repeat(59 - [...name].length)}`
    expect([...nfc]).toHaveLength(59)
    const { bytes, warnings } = buildBelcotax28186(input({ issuer: { ...input().issuer, name: nfc.normalize('NFD') } }))
    const xml = text(bytes)
    expect(`${zone(xml, 'a1011_naamnl1')}${zone(xml, 'a1012_naamnl2')}`).toBe(nfc)
    expect(warnings).toEqual([])
  })
})
