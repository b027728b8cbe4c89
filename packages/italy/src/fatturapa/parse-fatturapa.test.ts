import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { fixture, fixtureText, xsdErrors } from '../test-support/fixtures'
import { parseFatturaPA } from './parse-fatturapa'

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  try {
    await p
  } catch (e) {
    expect(isEcoleError(e)).toBe(true)
    return e as { code: string; message: string; details: Record<string, unknown> }
  }
  throw new Error('expected an EcoleError')
}

describe('parseFatturaPA on the official examples', () => {
  it('the examples kept as fixtures are valid against the FatturaPA 1.2.2 schema (xmllint-wasm)', async () => {
    for (const f of ['fatturapa/IT01234567890_FPR01.xml', 'fatturapa/IT01234567890_FPR02.xml', 'fatturapa/IT01234567890_FPR03.xml', 'oca/IT02780790107_11004.xml']) {
      expect(await xsdErrors(fixtureText(f)), f).toEqual([])
    }
  })

  it('reads FPR01: supplier, customer, one invoice with its line, VAT summary, total and payment terms', async () => {
    const file = await parseFatturaPA(fixture('fatturapa/IT01234567890_FPR01.xml'), { fileName: 'IT01234567890_FPR01.xml' })
    expect(file.format).toBe('FPR12')
    expect(file.fileName).toEqual({ country: 'IT', transmitterId: '01234567890', progressive: 'FPR01', signed: false })
    expect(file.supplier).toMatchObject({ vatNumber: 'IT01234567890', name: "SOCIETA' ALPHA SRL" })
    expect(file.customer).toMatchObject({ vatNumber: null, fiscalCode: '09876543210', name: 'DITTA BETA' })
    expect(file.envelope).toBeNull()
    expect(file.invoices).toHaveLength(1)
    const [inv] = file.invoices
    expect(inv).toMatchObject({ documentType: 'TD01', currency: 'EUR', date: '2014-12-18', number: '123', disagreements: [] })
    // 5 x 1.00 at 22 %: 5.00 + 1.10 = 6.10 (read by hand from the file)
    expect(inv!.lines).toEqual([{ number: 1, description: 'DESCRIZIONE DELLA FORNITURA', quantity: '5.00', unit: null, unitPrice: '1.00', total: '5.00', vatRate: '22.00', nature: null }])
    expect(inv!.vatSummary).toEqual([{ vatRate: '22.00', nature: null, taxable: { minor: 500n, currency: 'EUR' }, tax: { minor: 110n, currency: 'EUR' }, chargeability: 'I' }])
    // no ImportoTotaleDocumento in this file: the total is the VAT summary's
    expect(inv!.statedTotal).toBeNull()
    expect(inv!.total).toEqual({ minor: 610n, currency: 'EUR' })
    expect(inv!.reasons).toHaveLength(2)
    expect(inv!.paymentTerms).toEqual([{ condition: 'TP01', details: [{ method: 'MP01', dueDate: '2015-01-30', amount: { minor: 610n, currency: 'EUR' }, iban: null }] }])
  })

  it('reads every body of a file with several invoices (FPR03: two bodies)', async () => {
    const file = await parseFatturaPA(fixtureText('fatturapa/IT01234567890_FPR03.xml'))
    expect(file.invoices.map((i) => [i.number, i.date, i.total.minor])).toEqual([['123', '2014-12-18', 3295n], ['456', '2014-12-20', 244000n]])
  })

  it('says where the official FPR03 example disagrees with itself (lines 25.00, taxable 27.00) without refusing it', async () => {
    const file = await parseFatturaPA(fixtureText('fatturapa/IT01234567890_FPR03.xml'))
    expect(file.invoices[0]!.disagreements).toEqual([expect.stringContaining('27.00')])
    expect(file.invoices[1]!.disagreements).toEqual([])
  })

  it('decodes base64 attachments (the PNG of an FPA12 file)', async () => {
    const file = await parseFatturaPA(fixture('oca/IT02780790107_11004.xml'))
    expect(file.format).toBe('FPA12')
    const [att] = file.invoices[0]!.attachments
    expect(att!.name).toBe('test.png')
    expect([...att!.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  })

  it('reads a file without an XML declaration', async () => {
    const file = await parseFatturaPA(fixture('oca/IT05979361218_no_decl.xml'))
    expect(file.invoices.length).toBeGreaterThan(0)
  })
})

describe('parseFatturaPA encodings', () => {
  const xml = fixtureText('fatturapa/IT01234567890_FPR01.xml')

  it('reads UTF-8 with a byte-order mark like UTF-8 without', async () => {
    const plain = await parseFatturaPA(Buffer.from(xml, 'utf8'))
    const bom = await parseFatturaPA(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(xml, 'utf8')]))
    expect(bom.invoices).toEqual(plain.invoices)
  })

  it('decodes windows-1252 when the prolog declares it, the euro sign included', async () => {
    const text = xml.replace('encoding="UTF-8"', 'encoding="windows-1252"').replace('<Descrizione>DESCRIZIONE', '<Descrizione>PERCHÉ € DESCRIZIONE')
    const bytes = new Uint8Array([...text].map((c) => (c === '€' ? 0x80 : c.charCodeAt(0))))
    expect(bytes.includes(0x80)).toBe(true)
    const file = await parseFatturaPA(bytes)
    expect(file.invoices[0]!.lines[0]!.description).toBe('PERCHÉ € DESCRIZIONE DELLA FORNITURA')
  })
})

describe('parseFatturaPA refuses what is not FatturaPA, naming the field', () => {
  const xml = fixtureText('fatturapa/IT01234567890_FPR01.xml')

  it('refuses an unknown document type (TD07 belongs to the simplified format; TD99 does not exist)', async () => {
    for (const t of ['TD07', 'TD99']) {
      const e = await failure(parseFatturaPA(xml.replace('<TipoDocumento>TD01</TipoDocumento>', `<TipoDocumento>${t}</TipoDocumento>`)))
      expect(e.code).toBe('FATTURAPA_MALFORMED')
      expect(e.message).toContain('TipoDocumento')
      expect(e.details['rule']).toBe('UNKNOWN_DOCUMENT_TYPE')
    }
  })

  it('accepts TD29 (notice of an invoice not issued, specification 1.9)', async () => {
    const file = await parseFatturaPA(xml.replace('<TipoDocumento>TD01</TipoDocumento>', '<TipoDocumento>TD29</TipoDocumento>'))
    expect(file.invoices[0]!.documentType).toBe('TD29')
  })

  it('refuses another XML document, another namespace, another versione', async () => {
    expect((await failure(parseFatturaPA('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"/>'))).message).toContain('FatturaElettronica')
    expect((await failure(parseFatturaPA(xml.replace('docs/xsd/fatture/v1.2', 'docs/xsd/fatture/v1.1')))).message).toContain('namespace')
    expect((await failure(parseFatturaPA(xml.replace('versione="FPR12"', 'versione="FPR11"')))).message).toContain('@versione')
  })

  it('refuses XML that is not well-formed, a missing number, a garbled amount, a date that does not exist', async () => {
    expect((await failure(parseFatturaPA(xml.slice(0, 900)))).code).toBe('FATTURAPA_MALFORMED')
    expect((await failure(parseFatturaPA(xml.replace('<Numero>123</Numero>', '')))).message).toContain('DatiGeneraliDocumento/Numero: is required')
    expect((await failure(parseFatturaPA(xml.replace('<ImportoPagamento>6.10', '<ImportoPagamento>6,10')))).message).toContain('DettaglioPagamento[1]/ImportoPagamento')
    expect((await failure(parseFatturaPA(xml.replace('<Data>2014-12-18</Data>', '<Data>2014-02-30</Data>')))).message).toContain('Data')
  })

  it('refuses bytes that are neither XML nor an envelope, and input that is neither a string nor bytes', async () => {
    expect((await failure(parseFatturaPA(new Uint8Array([0x25, 0x50, 0x44, 0x46])))).code).toBe('FATTURAPA_MALFORMED')
    expect((await failure(parseFatturaPA(42 as unknown as string))).code).toBe('INVALID_INPUT')
  })

  it('checks the file name: IT<id>_<progressive>.xml[.p7m], progressive of at most five characters', async () => {
    for (const name of ['fattura.xml', 'IT01234567890_FPR001.xml', 'IT01234567890-FPR01.xml', 'it01234567890_FPR01.xml']) {
      expect((await failure(parseFatturaPA(xml, { fileName: name }))).code).toBe('FATTURAPA_FILE_NAME')
    }
    expect((await failure(parseFatturaPA(xml, { fileName: 'IT01234567890_FPR01.xml.p7m' }))).code).toBe('FATTURAPA_ENVELOPE_CORRUPT')
  })
})

describe('parseFatturaPA reads what the schema allows as XML and the specification define it', () => {
  const xml = fixtureText('fatturapa/IT01234567890_FPR01.xml')
  /** FPR01 with its one line and VAT summary replaced (lines at 22 %). */
  const withGoods = (goods: string, general = ''): string =>
    xml.replace(/<DettaglioLinee>[\s\S]*<\/DatiRiepilogo>/, goods).replace('<Numero>123</Numero>', `<Numero>123</Numero>${general}`)
  const line = (total: string, extra = ''): string =>
    `<DettaglioLinee><NumeroLinea>1</NumeroLinea>${extra}<Descrizione>PASTI</Descrizione><PrezzoUnitario>${total}</PrezzoUnitario><PrezzoTotale>${total}</PrezzoTotale><AliquotaIVA>22.00</AliquotaIVA></DettaglioLinee>`
  const summary = (taxable: string, tax: string, extra = ''): string =>
    `<DatiRiepilogo><AliquotaIVA>22.00</AliquotaIVA>${extra}<ImponibileImporto>${taxable}</ImponibileImporto><Imposta>${tax}</Imposta><EsigibilitaIVA>I</EsigibilitaIVA></DatiRiepilogo>`

  it('decodes character references, decimal and hexadecimal: CAFF&#200; &#xC0; SRL is CAFFÈ À SRL, the invoice number FT&#47;27 is FT/27', async () => {
    const text = xml.replace("SOCIETA' ALPHA SRL", 'CAFF&#200; &#xC0; SRL').replace('DESCRIZIONE DELLA FORNITURA', 'ATTIVIT&#192; MENSA &#x26; PASTI &#60;1&#62;').replace('<Numero>123</Numero>', '<Numero>FT&#47;2&#x37;</Numero>')
    expect(await xsdErrors(text)).toEqual([])
    const file = await parseFatturaPA(text)
    expect(file.supplier.name).toBe('CAFFÈ À SRL')
    // a reference to & or < is a character of the text, never markup
    expect(file.invoices[0]!.lines[0]!.description).toBe('ATTIVITÀ MENSA & PASTI <1>')
    expect(file.invoices[0]!.number).toBe('FT/27')
    // outside the schema's Latin alphabet for Numero, but decoded all the same
    expect((await parseFatturaPA(xml.replace('<Numero>123</Numero>', '<Numero>FT&#224;</Numero>'))).invoices[0]!.number).toBe('FTà')
  })

  it('keeps a reference written inside a CDATA section as it is written (CDATA is literal text)', async () => {
    const file = await parseFatturaPA(xml.replace('DESCRIZIONE DELLA FORNITURA', 'PASTI<![CDATA[&#200;]]>&#200;'))
    expect(file.invoices[0]!.lines[0]!.description).toBe('PASTI&#200;È')
  })

  it('refuses a reference to a character XML does not allow (NUL, a lone surrogate, beyond U+10FFFF), naming the element', async () => {
    for (const ref of ['&#0;', '&#xD800;', '&#x110000;', '&#;']) {
      const e = await failure(parseFatturaPA(xml.replace('DESCRIZIONE DELLA FORNITURA', `PASTI ${ref}`)))
      expect(e.code, ref).toBe('FATTURAPA_MALFORMED')
      expect(e.details['field'], ref).toBe('FatturaElettronica/FatturaElettronicaBody/DatiBeniServizi/DettaglioLinee/Descrizione')
      expect(e.message, ref).toContain(ref)
    }
  })

  it('reads amounts in the minor units of the body\'s currency: 1100.00 JPY is 1100 yen, 12.50 TND is 12500 millimes', async () => {
    const jpy = withGoods(line('1000.00') + summary('1000.00', '100.00')).replace('<Divisa>EUR</Divisa>', '<Divisa>JPY</Divisa>').replace('<ImportoPagamento>6.10</ImportoPagamento>', '<ImportoPagamento>1100.00</ImportoPagamento>')
    expect(await xsdErrors(jpy)).toEqual([])
    const [inv] = (await parseFatturaPA(jpy)).invoices
    expect(inv!.paymentTerms[0]!.details[0]!.amount).toEqual({ minor: 1100n, currency: 'JPY' })
    expect(inv!.vatSummary[0]!.tax).toEqual({ minor: 100n, currency: 'JPY' })
    expect(inv!.total).toEqual({ minor: 1100n, currency: 'JPY' })
    expect(inv!.disagreements).toEqual([])
    const tnd = await parseFatturaPA(xml.replace('<Divisa>EUR</Divisa>', '<Divisa>TND</Divisa>').replace('<ImportoPagamento>6.10</ImportoPagamento>', '<ImportoPagamento>12.50</ImportoPagamento>'))
    expect(tnd.invoices[0]!.paymentTerms[0]!.details[0]!.amount).toEqual({ minor: 12500n, currency: 'TND' })
    // 5.00 + 1.10 EUR: cents
    expect((await parseFatturaPA(xml)).invoices[0]!.total).toEqual({ minor: 610n, currency: 'EUR' })
  })

  it('refuses an amount with a fraction its currency cannot hold (0.50 yen), naming the field, and an unknown currency, naming Divisa', async () => {
    const half = await failure(parseFatturaPA(xml.replace('<Divisa>EUR</Divisa>', '<Divisa>JPY</Divisa>')))
    // Imposta 1.10 has ten hundredths of a yen
    expect(half.code).toBe('FATTURAPA_MALFORMED')
    expect(half.details['field']).toBe('FatturaElettronica/FatturaElettronicaBody[1]/DatiBeniServizi/DatiRiepilogo[1]/Imposta')
    expect(half.message).toContain('JPY')
    const unknown = await failure(parseFatturaPA(xml.replace('<Divisa>EUR</Divisa>', '<Divisa>XYZ</Divisa>')))
    expect(unknown.code).toBe('FATTURAPA_MALFORMED')
    expect(unknown.details['field']).toBe('FatturaElettronica/FatturaElettronicaBody[1]/DatiGenerali/DatiGeneraliDocumento/Divisa')
    expect(unknown.details['rule']).toBe('UNKNOWN_CURRENCY')
  })

  it('reads a date written with a time zone (xs:date) as the calendar day written', async () => {
    for (const [written, day] of [['2014-12-18+01:00', '2014-12-18'], ['2014-12-18Z', '2014-12-18'], ['2014-12-31-05:00', '2014-12-31'], ['2015-01-01+14:00', '2015-01-01']]) {
      const text = xml.replace('<Data>2014-12-18</Data>', `<Data>${written}</Data>`).replace('<DataScadenzaPagamento>2015-01-30</DataScadenzaPagamento>', `<DataScadenzaPagamento>${written}</DataScadenzaPagamento>`)
      expect(await xsdErrors(text), written).toEqual([])
      const [inv] = (await parseFatturaPA(text)).invoices
      expect([inv!.date, inv!.paymentTerms[0]!.details[0]!.dueDate], written).toEqual([day, day])
    }
  })

  it('refuses a date whose time zone xs:date does not allow (more than 14 hours, no colon), naming Data', async () => {
    for (const written of ['2014-12-18+15:00', '2014-12-18+0100', '2014-12-18T00:00:00']) {
      const e = await failure(parseFatturaPA(xml.replace('<Data>2014-12-18</Data>', `<Data>${written}</Data>`)))
      expect(e.details['field'], written).toBe('FatturaElettronica/FatturaElettronicaBody[1]/DatiGenerali/DatiGeneraliDocumento/Data')
    }
  })

  it('adds the VAT summary\'s SpeseAccessorie and Arrotondamento to the lines before comparing them with ImponibileImporto', async () => {
    // 1000.00 of lines + 5.00 accessory expenses + 0.01 rounding = 1005.01
    const text = withGoods(line('1000.00') + summary('1005.01', '221.10', '<SpeseAccessorie>5.00</SpeseAccessorie><Arrotondamento>0.01</Arrotondamento>'))
    expect(await xsdErrors(text)).toEqual([])
    expect((await parseFatturaPA(text)).invoices[0]!.disagreements).toEqual([])
  })

  it('does not count accessory expenses twice when a line carries them (TipoCessionePrestazione AC)', async () => {
    const text = withGoods(line('1000.00') + line('5.00', '<TipoCessionePrestazione>AC</TipoCessionePrestazione>').replace('<NumeroLinea>1', '<NumeroLinea>2') +
      summary('1005.00', '221.10', '<SpeseAccessorie>5.00</SpeseAccessorie>'))
    expect(await xsdErrors(text)).toEqual([])
    expect((await parseFatturaPA(text)).invoices[0]!.disagreements).toEqual([])
  })

  it('adds the pension-fund contribution at the rate (DatiCassaPrevidenziale) to the lines', async () => {
    const fund = '<DatiCassaPrevidenziale><TipoCassa>TC22</TipoCassa><AlCassa>4.00</AlCassa><ImportoContributoCassa>40.00</ImportoContributoCassa><ImponibileCassa>1000.00</ImponibileCassa><AliquotaIVA>22.00</AliquotaIVA></DatiCassaPrevidenziale>'
    const text = withGoods(line('1000.00') + summary('1040.00', '228.80'), fund)
    expect(await xsdErrors(text)).toEqual([])
    expect((await parseFatturaPA(text)).invoices[0]!.disagreements).toEqual([])
  })

  it('still reports lines that do not add up to the taxable amount with the expenses and rounding', async () => {
    const file = await parseFatturaPA(withGoods(line('1000.00') + summary('1010.01', '222.20', '<SpeseAccessorie>5.00</SpeseAccessorie><Arrotondamento>0.01</Arrotondamento>')))
    expect(file.invoices[0]!.disagreements).toEqual([expect.stringContaining('1010.01')])
  })

  it('reads NumeroLinea as the schema\'s integer from 1 to 9999: digits, with leading zeros or a plus sign', async () => {
    for (const [written, n] of [['+1', 1], ['007', 7], ['9999', 9999]] as const) {
      const text = xml.replace('<NumeroLinea>1</NumeroLinea>', `<NumeroLinea>${written}</NumeroLinea>`)
      expect(await xsdErrors(text), written).toEqual([])
      expect((await parseFatturaPA(text)).invoices[0]!.lines[0]!.number, written).toBe(n)
    }
  })

  it('refuses a NumeroLinea written as an exponent, in hexadecimal, with decimals, or out of 1..9999, naming it', async () => {
    for (const written of ['1e0', '0x10', '1.0', '0', '10000', '-1', 'Infinity']) {
      const e = await failure(parseFatturaPA(xml.replace('<NumeroLinea>1</NumeroLinea>', `<NumeroLinea>${written}</NumeroLinea>`)))
      expect(e.code, written).toBe('FATTURAPA_MALFORMED')
      expect(e.details['field'], written).toBe('FatturaElettronica/FatturaElettronicaBody[1]/DatiBeniServizi/DettaglioLinee[1]/NumeroLinea')
    }
  })
})
