import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { buildBelcotax28186 } from './belcotax-281-86'
import { fiche, input, zone, zones } from './test-support/fixtures'
import { hasXmllint, xmllintCli, xsdErrors } from './test-support/xsd'

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

function refusal(fn: () => unknown): { paths: string[]; codes: string[]; message: string } {
  try {
    fn()
  } catch (e) {
    if (isEcoleError(e, 'INVALID_INPUT')) return { paths: e.details.issues.map((i) => i.path), codes: e.details.issues.map((i) => i.code), message: e.message }
    throw e
  }
  throw new Error('expected an INVALID_INPUT refusal')
}

describe('buildBelcotax28186', () => {
  it('writes a file the official 2024 Belcotax XSD accepts (xmllint-wasm)', async () => {
    const { bytes, warnings } = buildBelcotax28186(input())
    expect(warnings).toEqual([])
    expect(await xsdErrors([bytes])).toEqual([])
  })

  it('writes a file Debian\'s xmllint --schema accepts too (second opinion)', () => {
    if (!hasXmllint()) {
      if (process.env['CI']) expect.fail('[ecole] xmllint (libxml2-utils) must be installed in CI')
      console.log('[ecole] xmllint is not installed: the second-opinion XSD check is skipped')
      return
    }
    const result = xmllintCli(buildBelcotax28186(input()).bytes)
    expect(result.output).toContain('validates')
    expect(result.status).toBe(0)
    // and it can fail: a fiche whose zones are out of the schema's order is refused
    const tampered = new TextEncoder().encode(new TextDecoder().decode(buildBelcotax28186(input()).bytes).replace(/(<f2008_typefiche>28186<\/f2008_typefiche>)(<f2009_volgnummer>1<\/f2009_volgnummer>)/, '$2$1'))
    const refused = xmllintCli(tampered)
    expect(refused.status).not.toBe(0)
    expect(refused.output).toContain('fails to validate')
  })

  it('is a check that can fail: xmllint-wasm refuses a file whose zones are out of order or unknown', async () => {
    const xml = new TextDecoder().decode(buildBelcotax28186(input()).bytes)
    const swapped = xml.replace(/(<f2008_typefiche>28186<\/f2008_typefiche>)(<f2009_volgnummer>1<\/f2009_volgnummer>)/, '$2$1')
    const unknown = xml.replace('<f2029_enkelopgave325>', '<f2030_unknown>1</f2030_unknown><f2029_enkelopgave325>')
    expect(swapped).not.toBe(xml)
    const errors = await xsdErrors([new TextEncoder().encode(swapped), new TextEncoder().encode(unknown)])
    expect(errors.some((e) => e.includes('file-0.xml') && e.includes('f2009_volgnummer'))).toBe(true)
    expect(errors.some((e) => e.includes('file-1.xml') && e.includes('f2030_unknown'))).toBe(true)
  })

  it('computes the control totals Belcotax checks, by hand for two fiches', () => {
    // fiche 1: 40 × 12.50 = 500.00 and 35 × 16.90 = 591.50, total 1091.50; fiche 2: 60 × 8.00 = 480.00
    const { bytes, totals } = buildBelcotax28186(input())
    const xml = text(bytes)
    expect(zones(xml, 'f86_2060_amount1')).toEqual(['50000', '48000'])
    expect(zones(xml, 'f86_2061_amount2')).toEqual(['59150'])
    expect(zones(xml, 'f86_2064_totalamount')).toEqual(['109150', '48000'])
    expect(zones(xml, 'f86_2059_totaalcontrole')).toEqual(['218300', '96000'])
    expect(zones(xml, 'f2009_volgnummer')).toEqual(['1', '2'])
    expect(zone(xml, 'r8010_aantalrecords')).toBe('4')
    expect(zone(xml, 'r8011_controletotaal')).toBe('3')
    expect(zone(xml, 'r8012_controletotaal')).toBe('314300')
    expect(zone(xml, 'r9010_aantallogbestanden')).toBe('3')
    expect(zone(xml, 'r9011_totaalaantalrecords')).toBe('6')
    expect(zone(xml, 'r9012_controletotaal')).toBe('3')
    expect(zone(xml, 'r9013_controletotaal')).toBe('314300')
    expect(totals).toEqual({ fiches: 2, amountMinor: 157150n, r8010: 4, r8011: 3, r8012: 314300n, r9010: 3, r9011: 6 })
  })

  it('writes days as DD-MM-YYYY, rates in cents, the numbers without separators, one fiche per child and debtor', () => {
    const xml = text(buildBelcotax28186(input()).bytes)
    expect(zone(xml, 'v0011_aanmaakdatum')).toBe('01-02-2027')
    expect(zones(xml, 'f86_2055_begindate1')).toEqual(['05-01-2026', '01-09-2026'])
    expect(zone(xml, 'f86_2144_enddate2')).toBe('30-06-2026')
    expect(zones(xml, 'f86_2111_dailytariff1')).toEqual(['1250', '800'])
    expect(zone(xml, 'f86_2115_dailytariff2')).toBe('1690')
    expect(zones(xml, 'f2011_nationaalnr')).toEqual(['85073003328', '90021412303'])
    expect(zone(xml, 'a1005_registratienummer')).toBe('0207373132')
    expect(zones(xml, 'f86_2163_childbirthdate')).toEqual(['03-11-2018', '20-05-2019'])
    expect(zone(xml, 'f2010_referentie')).toBe('K1-G1-2026')
    expect(zone(xml, 'v0010_bestandtype')).toBe('BELCOTAX')
    expect(zone(text(buildBelcotax28186(input({ test: true })).bytes), 'v0010_bestandtype')).toBe('BCTEST')
    expect(zone(xml, 'f2013_naam')).toBe('Dupont')
    expect(xml).toContain('<f86_2102_childaddress>Rue de l&apos;École 12</f86_2102_childaddress>')
  })

  it('writes four periods in their own zones and validates', async () => {
    const four = fiche({
      periods: [
        { from: '2026-01-05', to: '2026-01-30', days: 10, dailyRateMinor: 500n },
        { from: '2026-02-02', to: '2026-03-27', days: 20, dailyRateMinor: 600n },
        { from: '2026-07-01', to: '2026-07-31', days: 15, dailyRateMinor: 700n },
        { from: '2026-10-01', to: '2026-12-18', days: 30, dailyRateMinor: 800n },
      ],
    })
    const { bytes } = buildBelcotax28186(input({ fiches: [four] }))
    const xml = text(bytes)
    expect([zone(xml, 'f86_2157_begindate3'), zone(xml, 'f86_2162_enddate4')]).toEqual(['01-07-2026', '18-12-2026'])
    expect([zone(xml, 'f86_2062_amount3'), zone(xml, 'f86_2063_amount4'), zone(xml, 'f86_2064_totalamount')]).toEqual(['10500', '24000', '51500'])
    expect(await xsdErrors([bytes])).toEqual([])
  })

  it('refuses a fiche of more than 4 periods, naming the field, before any byte is written', () => {
    const p = { from: '2026-01-05', to: '2026-01-05', days: 1, dailyRateMinor: 100n }
    const r = refusal(() => buildBelcotax28186(input({ fiches: [fiche({ periods: [p, p, p, p, p] })] })))
    expect(r.paths).toEqual(['belcotax.fiches.0.periods'])
    expect(r.message).toContain('at most 4 periods')
  })

  it('refuses a name, reference or number holding a control character XML 1.0 cannot carry, naming the field, before any byte is written', () => {
    const f = fiche()
    const cases: Array<[ReturnType<typeof fiche>, string]> = [
      [{ ...f, debtor: { ...f.debtor, lastName: 'Du\u0001pont' } }, 'belcotax.fiches.0.debtor.lastName'],
      [{ ...f, reference: 'A\u0000B' }, 'belcotax.fiches.0.reference'],
      [{ ...f, child: { ...f.child, firstName: 'L\uFFFEa' } }, 'belcotax.fiches.0.child.firstName'],
      [{ ...f, debtor: { ...f.debtor, address: { ...f.debtor.address, street: 'Rue \uD800 12' } } }, 'belcotax.fiches.0.debtor.address.street'],
    ]
    for (const [bad, path] of cases) {
      const r = refusal(() => buildBelcotax28186(input({ fiches: [bad] })))
      expect([r.paths, r.message.includes('control character')]).toEqual([[path], true])
    }
    // a letter outside the basic plane is a character XML carries
    expect(() => buildBelcotax28186(input({ fiches: [{ ...f, child: { ...f.child, firstName: 'Léa 𝒜' } }] }))).not.toThrow()
  })

  it('refuses a fiche without the debtor\'s national number, naming it', () => {
    const f = fiche()
    const { nationalNumber: _, ...debtor } = f.debtor
    const r = refusal(() => buildBelcotax28186(input({ fiches: [{ ...f, debtor: debtor as typeof f.debtor }] })))
    expect(r.paths).toEqual(['belcotax.fiches.0.debtor.nationalNumber'])
  })

  it('refuses a daily rate over the year\'s ceiling, naming the period', () => {
    const r = refusal(() => buildBelcotax28186(input({ fiches: [fiche({ periods: [{ from: '2026-01-05', to: '2026-01-09', days: 5, dailyRateMinor: 1691n }] })] })))
    expect(r.paths).toEqual(['belcotax.fiches.0.periods.0.dailyRateMinor'])
    expect(r.codes).toEqual(['daily-ceiling'])
    expect(r.message).toContain('16.91 EUR is over the daily ceiling of 16.90 EUR')
  })

  it('cuts a first name longer than its 15-character zone, with a warning naming the field', () => {
    const f = fiche()
    const { bytes, warnings } = buildBelcotax28186(input({ fiches: [{ ...f, debtor: { ...f.debtor, firstName: 'Marie-Christine Anne' } }] }))
    expect(zone(text(bytes), 'f2114_voornamen')).toBe('Marie-Christine')
    expect(warnings).toEqual([{ code: 'TEXT_TRUNCATED', field: 'fiches.0.debtor.firstName', message: 'cut to 15 characters (f2114_voornamen): "Marie-Christine Anne"' }])
  })

  it('writes a corrective sending: v0025 = 1 with the corrected sending\'s reference, each fiche a modification (1) or cancellation (3)', async () => {
    const fiches = [{ ...fiche(), treatment: 'modification' as const }, { ...fiche({ reference: 'K3', childId: 'k3' }), treatment: 'cancellation' as const }]
    const { bytes } = buildBelcotax28186(input({ correction: { originalSendingReference: 'A12345' }, fiches }))
    const xml = text(bytes)
    expect([zone(xml, 'v0025_typeenvoi'), zone(xml, 'v0026_referte')]).toEqual(['1', 'A12345'])
    expect(zones(xml, 'f2028_typetraitement')).toEqual(['1', '3'])
    expect(await xsdErrors([bytes])).toEqual([])
  })
})
