import { fc, test } from '@fast-check/vitest'
import { CURRENCY_MINOR_UNITS, isEcoleError } from '@ecole/core'
import { describe, expect } from 'vitest'
import { fixture, fixtureText, xsdErrors } from '../test-support/fixtures'
import { lineTotalMinor, summaryOf, writeFatturaPA, type ModelBody, type ModelFile, type ModelLine } from '../test-support/write-fatturapa'
import { FATTURAPA_DOCUMENT_TYPES } from './document-types'
import { parseFatturaPA } from './parse-fatturapa'

const text = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 '&<>àèéìòù.,/-]{0,40}$/).map((s) => s.trimEnd()).filter((s) => s.length > 0)
const date = fc.date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
const line: fc.Arbitrary<ModelLine> = fc.record({
  description: text,
  quantity: fc.integer({ min: 1, max: 99_999 }).map((h) => `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`),
  unitPriceMinor: fc.bigInt({ min: 1n, max: 5_000_000n }),
  rate: fc.constantFrom('22.00' as const, '10.00' as const, '4.00' as const, '0.00' as const),
})
const body: fc.Arbitrary<ModelBody> = fc.record({
  type: fc.constantFrom(...Object.keys(FATTURAPA_DOCUMENT_TYPES).filter((t) => t !== 'TD29')),
  number: fc.stringMatching(/^[A-Z0-9][A-Z0-9/-]{0,9}$/),
  date,
  lines: fc.array(line, { minLength: 1, maxLength: 6 }),
  withTotal: fc.boolean(),
  payments: fc.array(fc.record({ method: fc.constantFrom('MP01', 'MP05', 'MP19'), due: date }), { maxLength: 3 }),
  attachment: fc.option(fc.uint8Array({ minLength: 1, maxLength: 64 }), { nil: undefined }),
})
const file: fc.Arbitrary<ModelFile> = fc.record({
  format: fc.constantFrom('FPA12' as const, 'FPR12' as const),
  supplierVat: fc.stringMatching(/^[0-9]{11}$/).map((s) => `IT${s}`),
  customerVat: fc.stringMatching(/^[0-9]{11}$/).map((s) => `IT${s}`),
  supplierName: text,
  progressive: fc.stringMatching(/^[A-Z0-9]{1,5}$/),
  bodies: fc.array(body, { minLength: 1, maxLength: 3 }),
})

describe('parseFatturaPA properties', () => {
  test.prop([file], { numRuns: 60 })('a generated invoice file reads back as written: parties, every body, every line and amount', async (model) => {
    const parsed = await parseFatturaPA(writeFatturaPA(model))
    expect(parsed.format).toBe(model.format)
    expect(parsed.supplier.vatNumber).toBe(model.supplierVat)
    expect(parsed.supplier.name).toBe(model.supplierName)
    expect(parsed.customer.vatNumber).toBe(model.customerVat)
    expect(parsed.invoices).toHaveLength(model.bodies.length)
    parsed.invoices.forEach((inv, i) => {
      const b = model.bodies[i]!
      expect([inv.documentType, inv.number, inv.date]).toEqual([b.type, b.number, b.date])
      expect(inv.lines.map((l) => [l.description, l.quantity, l.vatRate])).toEqual(b.lines.map((l) => [l.description, l.quantity, l.rate]))
      expect(inv.lines.map((l) => l.total)).toEqual(b.lines.map((l) => { const m = lineTotalMinor(l); return `${m / 100n}.${String(m % 100n).padStart(2, '0')}` }))
      expect(inv.vatSummary.map((s) => [s.vatRate, s.taxable.minor, s.tax.minor])).toEqual(summaryOf(b).map((s) => [s.rate, s.taxable, s.tax]))
      expect(inv.statedTotal === null).toBe(!b.withTotal)
      expect(inv.attachments.map((a) => [...a.bytes])).toEqual(b.attachment ? [[...b.attachment]] : [])
      expect(inv.paymentTerms.flatMap((t) => t.details.map((d) => d.dueDate))).toEqual(b.payments.map((p) => p.due))
    })
  })

  test.prop([file], { numRuns: 60 })('the total of every invoice equals its VAT summary (taxable plus tax), and nothing disagrees', async (model) => {
    const parsed = await parseFatturaPA(writeFatturaPA(model))
    for (const inv of parsed.invoices) {
      const sum = inv.vatSummary.reduce((a, s) => a + s.taxable.minor + s.tax.minor, 0n)
      expect(inv.total.minor).toBe(sum)
      expect(inv.summaryTotal.minor).toBe(sum)
      expect(inv.disagreements).toEqual([])
      // instalments add up to the total
      for (const t of inv.paymentTerms) expect(t.details.reduce((a, d) => a + d.amount.minor, 0n)).toBe(inv.total.minor)
    }
  })

  test.prop([file], { numRuns: 8 })('the generated files are valid against the FatturaPA 1.2.2 schema (so the round trip tests real FatturaPA)', async (model) => {
    expect(await xsdErrors(writeFatturaPA(model))).toEqual([])
  })

  const official = fixtureText('fatturapa/IT01234567890_FPR03.xml')
  const mutation = fc.oneof(
    fc.tuple(fc.nat(official.length), fc.nat(official.length)).map(([a, b]) => official.slice(0, Math.min(a, b)) + official.slice(Math.max(a, b))),
    fc.tuple(fc.nat(official.length), fc.string({ maxLength: 20 })).map(([at, s]) => official.slice(0, at) + s + official.slice(at)),
    fc.uint8Array({ maxLength: 200 }),
    fc.string({ maxLength: 200 }),
  )
  test.prop([mutation], { numRuns: 300 })('on any input, mangled invoices and random bytes included, only an EcoleError escapes', async (input) => {
    try {
      const r = await parseFatturaPA(input)
      expect(r.invoices.length).toBeGreaterThan(0)
    } catch (e) {
      expect(isEcoleError(e), String(e)).toBe(true)
    }
  })

  const der = fixture('oca/IT01234567890_FPR03.xml.p7m')
  const damaged = fc.array(fc.tuple(fc.nat(der.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }).chain((flips) =>
    fc.nat(der.length).map((cut) => {
      const copy = new Uint8Array(der)
      for (const [at, b] of flips) copy[at] = b
      return flips.length % 2 === 0 ? copy.subarray(0, Math.max(1, cut)) : copy
    }))
  test.prop([damaged], { numRuns: 150 })('on a damaged signed envelope, only an EcoleError escapes; one that still opens says whether it is intact', async (bytes) => {
    try {
      const r = await parseFatturaPA(bytes)
      expect(typeof r.envelope?.intact).toBe('boolean')
    } catch (e) {
      expect(isEcoleError(e), String(e)).toBe(true)
    }
  })
})

describe('parseFatturaPA properties of the XML and of the specification', () => {
  const fpr01 = fixtureText('fatturapa/IT01234567890_FPR01.xml')
  /** FPR01 with its line and VAT summary replaced. */
  const withGoods = (goods: string, general = ''): string =>
    fpr01.replace(/<DettaglioLinee>[\s\S]*<\/DatiRiepilogo>/, goods).replace('<Numero>123</Numero>', `<Numero>123</Numero>${general}`)

  /** A character of the Latin alphabets FatturaPA texts use, written plainly, as a decimal or as a hexadecimal reference. */
  const written = fc.tuple(fc.integer({ min: 0x20, max: 0xff }), fc.constantFrom('plain', 'decimal', 'hex', 'HEX'), fc.nat(2)).map(([cp, how, zeros]) => {
    const char = String.fromCodePoint(cp)
    const pad = '0'.repeat(zeros)
    const text = how === 'decimal' ? `&#${pad}${cp};` : how === 'hex' ? `&#x${pad}${cp.toString(16)};` : how === 'HEX' ? `&#x${pad}${cp.toString(16).toUpperCase()};`
      : (({ '<': '&lt;', '&': '&amp;', '>': '&gt;' } as Record<string, string>)[char] ?? char)
    return { char, text }
  })
  const description = fc.array(written, { minLength: 1, maxLength: 30 }).filter((cs) => cs[0]!.char.trim() !== '' && cs.at(-1)!.char.trim() !== '')

  test.prop([description], { numRuns: 200 })('a text written with character references, decimal or hexadecimal in any mix, reads back as the text itself', async (chars) => {
    const file = await parseFatturaPA(fpr01.replace('DESCRIZIONE DELLA FORNITURA', () => chars.map((c) => c.text).join('')))
    expect(file.invoices[0]!.lines[0]!.description).toBe(chars.map((c) => c.char).join(''))
  })

  /** FPR01 in `currency`, with whole amounts, its payment written `paid`. */
  const inCurrency = (currency: string, paid: string): string =>
    withGoods('<DettaglioLinee><NumeroLinea>1</NumeroLinea><Descrizione>PASTI</Descrizione><PrezzoUnitario>1000.00</PrezzoUnitario><PrezzoTotale>1000.00</PrezzoTotale><AliquotaIVA>10.00</AliquotaIVA></DettaglioLinee>' +
      '<DatiRiepilogo><AliquotaIVA>10.00</AliquotaIVA><ImponibileImporto>1000.00</ImponibileImporto><Imposta>100.00</Imposta></DatiRiepilogo>')
      .replace('<Divisa>EUR</Divisa>', `<Divisa>${currency}</Divisa>`).replace('<ImportoPagamento>6.10</ImportoPagamento>', `<ImportoPagamento>${paid}</ImportoPagamento>`)

  test.prop([fc.constantFrom(...Object.keys(CURRENCY_MINOR_UNITS)), fc.bigInt({ min: 0n, max: 99_999_999_999_99n })], { numRuns: 200 })(
    'an amount reads back exactly in the minor units of its currency, or is refused, naming it, when it has a fraction the currency cannot hold',
    async (currency, hundredths) => {
      const digits = CURRENCY_MINOR_UNITS[currency]!
      const text = inCurrency(currency, `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`)
      const per = digits >= 2 ? 1n : 10n ** BigInt(2 - digits)
      if (hundredths % per !== 0n) {
        await expect(parseFatturaPA(text)).rejects.toMatchObject({ code: 'FATTURAPA_MALFORMED', details: { field: expect.stringMatching(/ImportoPagamento$/) } })
        return
      }
      const paid = (await parseFatturaPA(text)).invoices[0]!.paymentTerms[0]!.details[0]!.amount
      // the amount in minor units, written back with the currency's decimals, is the amount the file wrote
      expect(paid.currency).toBe(currency)
      expect(paid.minor * 10n ** BigInt(Math.max(0, 2 - digits))).toBe(hundredths * 10n ** BigInt(Math.max(0, digits - 2)))
    })

  const nanoText = (nano: bigint): string => {
    const abs = nano < 0n ? -nano : nano
    return `${nano < 0n ? '-' : ''}${abs / 100_000_000n}.${String(abs % 100_000_000n).padStart(8, '0')}`
  }
  const centsText = (cents: bigint): string => nanoText(cents * 1_000_000n).slice(0, -6)
  /** The parts of a rate's taxable amount: lines (up to 8 decimals), accessory expenses, a pension-fund contribution (cents). */
  const parts = fc.record({
    lines: fc.array(fc.bigInt({ min: 1n, max: 10_000_000_000_000n }), { minLength: 1, maxLength: 4 }),
    expenses: fc.option(fc.bigInt({ min: 1n, max: 100_000n }), { nil: undefined }),
    expensesAsLine: fc.boolean(),
    fund: fc.option(fc.bigInt({ min: 1n, max: 100_000n }), { nil: undefined }),
    offsetCents: fc.integer({ min: -300, max: 300 }),
  })
  type Parts = { lines: bigint[]; expenses: bigint | undefined; expensesAsLine: boolean; fund: bigint | undefined; offsetCents: number }
  const taxableFile = (p: Parts, withRounding: boolean): { xml: string; lineCount: number; rounding: bigint } => {
    const lineNanos = [...p.lines, ...(p.expenses !== undefined && p.expensesAsLine ? [p.expenses * 1_000_000n] : [])]
    const sum = lineNanos.reduce((a, b) => a + b, 0n) + (p.expenses !== undefined && !p.expensesAsLine ? p.expenses * 1_000_000n : 0n) + (p.fund ?? 0n) * 1_000_000n
    const taxableCents = sum / 1_000_000n + BigInt(p.offsetCents)
    const rounding = taxableCents * 1_000_000n - sum
    const lines = lineNanos.map((n, i) => `<DettaglioLinee><NumeroLinea>${i + 1}</NumeroLinea>${p.expensesAsLine && p.expenses !== undefined && i === lineNanos.length - 1 ? '<TipoCessionePrestazione>AC</TipoCessionePrestazione>' : ''}<Descrizione>RIGA</Descrizione><PrezzoUnitario>${nanoText(n)}</PrezzoUnitario><PrezzoTotale>${nanoText(n)}</PrezzoTotale><AliquotaIVA>22.00</AliquotaIVA></DettaglioLinee>`).join('')
    const summary = `<DatiRiepilogo><AliquotaIVA>22.00</AliquotaIVA>${p.expenses !== undefined ? `<SpeseAccessorie>${centsText(p.expenses)}</SpeseAccessorie>` : ''}${withRounding ? `<Arrotondamento>${nanoText(rounding)}</Arrotondamento>` : ''}<ImponibileImporto>${centsText(taxableCents)}</ImponibileImporto><Imposta>0.00</Imposta></DatiRiepilogo>`
    const fund = p.fund !== undefined ? `<DatiCassaPrevidenziale><TipoCassa>TC22</TipoCassa><AlCassa>4.00</AlCassa><ImportoContributoCassa>${centsText(p.fund)}</ImportoContributoCassa><AliquotaIVA>22.00</AliquotaIVA></DatiCassaPrevidenziale>` : ''
    return { xml: withGoods(lines + summary, fund), lineCount: lineNanos.length, rounding }
  }

  test.prop([parts], { numRuns: 150 })('a taxable amount that is the lines plus the accessory expenses, the pension-fund contribution and the rounding disagrees with nothing', async (p) => {
    const { xml } = taxableFile(p, true)
    expect((await parseFatturaPA(xml)).invoices[0]!.disagreements).toEqual([])
  })

  test.prop([parts], { numRuns: 150 })('without the rounding, the lines disagree with the taxable amount exactly when they are more than a cent per line away', async (p) => {
    const { xml, lineCount, rounding } = taxableFile(p, false)
    const away = (rounding < 0n ? -rounding : rounding) > BigInt(lineCount) * 1_000_000n
    expect((await parseFatturaPA(xml)).invoices[0]!.disagreements).toEqual(away ? [expect.stringContaining('the lines at 22.00%')] : [])
  })

  test.prop([parts, description], { numRuns: 4 })('the files these properties read are valid against the FatturaPA 1.2.2 schema (xmllint)', async (p, chars) => {
    expect(await xsdErrors(taxableFile(p, true).xml)).toEqual([])
    expect(await xsdErrors(fpr01.replace('DESCRIZIONE DELLA FORNITURA', () => chars.map((c) => c.text).join('')))).toEqual([])
  })

  test.prop([fc.integer({ min: 1, max: 9999 }), fc.nat(3), fc.boolean()], { numRuns: 100 })('NumeroLinea reads as the number its digits say, with leading zeros or a plus sign', async (n, zeros, plus) => {
    const file = await parseFatturaPA(fpr01.replace('<NumeroLinea>1</NumeroLinea>', `<NumeroLinea>${plus ? '+' : ''}${'0'.repeat(zeros)}${n}</NumeroLinea>`))
    expect(file.invoices[0]!.lines[0]!.number).toBe(n)
  })

  /** What a number parser would take for a number: hexadecimal, binary, octal, exponents, decimals, signs, out of range. */
  const numberish = fc.tuple(fc.constantFrom('', '+', '-'), fc.constantFrom('', '0x', '0X', '0b', '0o'), fc.integer({ min: 0, max: 99_999 }), fc.constantFrom('', 'e0', 'E1', '.0', '.5', 'n'))
    .map(([sign, base, n, tail]) => `${sign}${base}${n}${tail}`)
  const anyText = fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim() !== '' && !/[<&]|]]>/.test(s))
  test.prop([fc.oneof(numberish, anyText)], { numRuns: 150 })('any NumeroLinea that is not a whole number from 1 to 9999 in digits is refused, naming it', async (v) => {
    const digits = /^\s*\+?(\d+)\s*$/.exec(v)?.[1]
    fc.pre(digits === undefined || Number(digits) < 1 || Number(digits) > 9999)
    await expect(parseFatturaPA(fpr01.replace('<NumeroLinea>1</NumeroLinea>', () => `<NumeroLinea>${v}</NumeroLinea>`)))
      .rejects.toMatchObject({ code: 'FATTURAPA_MALFORMED', details: { field: 'FatturaElettronica/FatturaElettronicaBody[1]/DatiBeniServizi/DettaglioLinee[1]/NumeroLinea' } })
  })

  const zone = fc.oneof(fc.constant(''), fc.constant('Z'), fc.constant('+14:00'), fc.constant('-14:00'),
    fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 59 })).map(([s, h, m]) => `${s}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`))
  test.prop([date, zone], { numRuns: 100 })('a date with any time zone xs:date allows reads as the calendar day written', async (day, z) => {
    const file = await parseFatturaPA(fpr01.replace('<Data>2014-12-18</Data>', `<Data>${day}${z}</Data>`))
    expect(file.invoices[0]!.date).toBe(day)
  })
})
