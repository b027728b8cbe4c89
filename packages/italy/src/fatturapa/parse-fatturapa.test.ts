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
