import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { belcotaxItemKey, buildBelcotax28186 } from './belcotax-281-86'
import { belcotaxInputArb } from './test-support/arbitraries'
import { zone, zones } from './test-support/fixtures'
import { xsdErrors } from './test-support/xsd'

const xmlOf = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)
const sum = (xs: readonly string[]): bigint => xs.reduce((s, x) => s + BigInt(x), 0n)

describe('buildBelcotax28186, properties', () => {
  test.prop([belcotaxInputArb()], { numRuns: 150 })('each amount is days × daily rate, each fiche\'s control total its amounts plus its total, and the trailers the sums of the fiches', (input) => {
    const { bytes, totals } = buildBelcotax28186(input)
    const xml = xmlOf(bytes)
    const fiches = xml.split('<Fiche28186>').slice(1)
    expect(fiches).toHaveLength(input.fiches.length)
    fiches.forEach((f, i) => {
      const periods = input.fiches[i]!.periods
      const amounts = ['f86_2060_amount1', 'f86_2061_amount2', 'f86_2062_amount3', 'f86_2063_amount4'].flatMap((t) => zones(f, t))
      expect(amounts.map(BigInt)).toEqual(periods.map((p) => p.dailyRateMinor * BigInt(p.days)))
      const total = BigInt(zone(f, 'f86_2064_totalamount')!)
      expect(total).toBe(sum(amounts))
      expect(BigInt(zone(f, 'f86_2059_totaalcontrole')!)).toBe(sum(amounts) + total)
      expect(zone(f, 'f2009_volgnummer')).toBe(String(i + 1))
    })
    const n = input.fiches.length
    expect(BigInt(zone(xml, 'r8012_controletotaal')!)).toBe(sum(zones(xml, 'f86_2059_totaalcontrole')))
    expect(Number(zone(xml, 'r8011_controletotaal'))).toBe(zones(xml, 'f2009_volgnummer').reduce((s, v) => s + Number(v), 0))
    expect(zone(xml, 'r9013_controletotaal')).toBe(zone(xml, 'r8012_controletotaal'))
    expect(zone(xml, 'r9012_controletotaal')).toBe(zone(xml, 'r8011_controletotaal'))
    expect([Number(zone(xml, 'r8010_aantalrecords')), Number(zone(xml, 'r9011_totaalaantalrecords'))]).toEqual([n + 2, n + 4])
    expect(totals.amountMinor).toBe(sum(zones(xml, 'f86_2064_totalamount')))
  })

  test.prop([belcotaxInputArb()], { numRuns: 60 })('the file is well-formed UTF-8 whatever the names: every text comes back as written, or cut with a warning', (input) => {
    const { bytes, warnings } = buildBelcotax28186(input)
    const xml = xmlOf(bytes)
    expect(Buffer.from(new TextEncoder().encode(xml)).equals(Buffer.from(bytes))).toBe(true)
    expect(xml).not.toMatch(/<[^/?a-zA-Z]/) // no stray '<' from a name
    const cut = new Set(warnings.filter((w) => w.code === 'TEXT_TRUNCATED').map((w) => w.field))
    input.fiches.forEach((f, i) => {
      if (!cut.has(`fiches.${i}.debtor.lastName`)) expect(xml).toContain(`<f2013_naam>${f.debtor.lastName.trim().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')}</f2013_naam>`)
      else expect([...f.debtor.lastName.trim()].length).toBeGreaterThan(41)
    })
  })

  it('random certificate sets give files the official XSD accepts (30 files, one xmllint-wasm run)', async () => {
    const inputs = fc.sample(belcotaxInputArb(6), { numRuns: 30, seed: 281_86 })
    const files = inputs.map((i) => buildBelcotax28186(i).bytes)
    expect(await xsdErrors(files)).toEqual([])
  })

  // ids over a small alphabet rich in the separator and the escape character, so collisions are likely if any exist
  const id = fc.string({ unit: fc.constantFrom('a', 'b', '|', '\\'), maxLength: 5 })
  /** Two (child, debtor) pairs: random, or the same text `child|debtor` cut at another `|` (what collided). */
  const pairs = fc.oneof(
    fc.tuple(fc.tuple(id, id), fc.tuple(id, id)),
    fc.tuple(id, id, fc.nat()).map(([c, d, k]): [[string, string], [string, string]] => {
      const text = `${c}|${d}`
      const cuts = [...text].flatMap((ch, i) => (ch === '|' ? [i] : []))
      const at = cuts[k % cuts.length]!
      return [[c, d], [text.slice(0, at), text.slice(at + 1)]]
    }),
  )
  test.prop([pairs], { numRuns: 1000 })('two fiches of one year have the same export key only when they have the same child and the same debtor', ([[c1, d1], [c2, d2]]) => {
    expect(belcotaxItemKey(2026, c1, d1) === belcotaxItemKey(2026, c2, d2)).toBe(c1 === c2 && d1 === d2)
  })
})
