import { decodeXml } from '@ecole/bank'
import { EcoleError, isEcoleError, isLocalDate, minorUnits, type LocalDate } from '@ecole/core'
import type { PurchaseAmount, PurchaseLine, PurchaseParty, PurchasePaymentTerms, PurchaseVatSummary } from '@ecole/core/ports'
import * as z from 'zod'
import { decimal, toMinor, toNano, type AmountCurrency } from './amounts'
import { FATTURAPA_DOCUMENT_TYPES, isFatturaPADocumentType, type FatturaPADocumentType } from './document-types'
import { envelopeBytes, openEnvelopeDer, openSignedEnvelope, type SignedEnvelope } from './envelope'
import { parseFatturaPAFileName, type FatturaPAFileName } from './file-name'
import { Node, readXml } from './xml'

/** The FatturaPA 1.2 namespace (schema 1.2, 1.2.1, 1.2.2). */
export const FATTURAPA_NAMESPACE = 'http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2'

/** Options of {@link parseFatturaPA}. */
export const FatturaPAOptionsSchema = z.strictObject({
  /** The file's name as received (`IT01234567890_FPR01.xml.p7m`): checked against the naming rule when given. */
  fileName: z.string().optional(),
})
/** Options of {@link parseFatturaPA}. */
export type FatturaPAOptions = z.input<typeof FatturaPAOptionsSchema>

/** A party of a FatturaPA file: the supplier (CedentePrestatore) or the customer (CessionarioCommittente). */
export interface FatturaPAParty extends PurchaseParty {
  /** The VAT number split as the file gives it (IdFiscaleIVA), when it has one. */
  vatId: { country: string; code: string } | null
}

/** An attachment of an invoice body (Allegati), decoded from base64. */
export interface FatturaPAAttachment {
  /** NomeAttachment. */
  name: string
  /** FormatoAttachment (PDF, TXT...), when given. */
  format: string | null
  /** AlgoritmoCompressione (ZIP, RAR), when given. */
  compression: string | null
  /** DescrizioneAttachment, when given. */
  description: string | null
  /** The decoded bytes. */
  bytes: Uint8Array
}

/** One invoice of a file (a FatturaElettronicaBody). */
export interface FatturaPAInvoice {
  /** TipoDocumento, TD01..TD29. */
  documentType: FatturaPADocumentType
  /** Divisa (ISO 4217): every amount of the invoice is in its minor units (cents for EUR, yen for JPY). */
  currency: string
  /** Data: the calendar day written (a time zone after it, allowed by `xs:date`, is left aside). */
  date: LocalDate
  /** Numero. */
  number: string
  /** ImportoTotaleDocumento, when the file states it. */
  statedTotal: PurchaseAmount | null
  /** Rounding declared on the document (Arrotondamento), when given. */
  rounding: PurchaseAmount | null
  /** The sum of the VAT summary (taxable + tax, plus the declared rounding). */
  summaryTotal: PurchaseAmount
  /** The document total: the stated one, else the VAT summary's. */
  total: PurchaseAmount
  /** Causale lines. */
  reasons: string[]
  /** DettaglioLinee. */
  lines: PurchaseLine[]
  /** DatiRiepilogo. */
  vatSummary: PurchaseVatSummary[]
  /** DatiPagamento. */
  paymentTerms: PurchasePaymentTerms[]
  /** Allegati. */
  attachments: FatturaPAAttachment[]
  /**
   * Figures of the body that disagree (each a sentence): the stated total against the VAT summary,
   * the lines of a rate against its taxable amount (beyond one cent, or one minor unit, per line).
   * A rate's taxable amount is its lines' PrezzoTotale plus, as the specification builds
   * ImponibileImporto, the pension-fund contributions at that rate (ImportoContributoCassa), the
   * summary's Arrotondamento and its SpeseAccessorie (unless lines of type `AC` already carry
   * them). Informative: the exchange system accepted the file.
   */
  disagreements: string[]
}

/** A FatturaPA file read. */
export interface FatturaPAFile {
  /** FPA12 (to a public administration) or FPR12 (to a private party). */
  format: 'FPA12' | 'FPR12'
  /** DatiTrasmissione. */
  transmission: {
    /** IdTrasmittente, country and code joined (`IT01234567890`). */
    transmitterId: string
    /** ProgressivoInvio. */
    progressive: string
    /** CodiceDestinatario (6 characters for a PA office, 7 for a private recipient). */
    recipientCode: string
    /** PECDestinatario, when given. */
    recipientPec: string | null
  }
  /** CedentePrestatore. */
  supplier: FatturaPAParty
  /** CessionarioCommittente. */
  customer: FatturaPAParty
  /** The invoices (one per body, several per file allowed). */
  invoices: FatturaPAInvoice[]
  /** The signed envelope, for a `.p7m` file; `null` for plain XML. */
  envelope: Omit<SignedEnvelope, 'content'> | null
  /** What the file name says, when a name was given. */
  fileName: FatturaPAFileName | null
  /** The XML text (decoded from its declared encoding). */
  xml: string
}

/** An `xs:date`: the calendar day, then an optional time zone (`Z`, `+01:00`, at most 14 hours away). */
const XS_DATE = /^(\d{4}-\d{2}-\d{2})(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?$/

/**
 * A date of the file (`xs:date`): the calendar day as written, with or without a time zone
 * (`2027-01-15+01:00` is 15 January 2027, the day the supplier wrote, whatever the zone).
 */
function localDate(node: Node, name: string): LocalDate {
  const v = node.needText(name)
  const day = XS_DATE.exec(v)?.[1]
  if (day === undefined || !isLocalDate(day)) {
    throw new EcoleError('FATTURAPA_MALFORMED', `${node.field(name)}: ${JSON.stringify(v)} must be a date YYYY-MM-DD, with or without a time zone (Z, +01:00)`, { details: { field: node.field(name), value: v } })
  }
  return day
}

function optionalDate(node: Node, name: string): LocalDate | null {
  return node.text(name) === null ? null : localDate(node, name)
}

function party(node: Node): FatturaPAParty {
  const data = node.need('DatiAnagrafici')
  const id = data.child('IdFiscaleIVA')
  const vatId = id ? { country: id.needText('IdPaese'), code: id.needText('IdCodice') } : null
  const registry = data.need('Anagrafica')
  const company = registry.text('Denominazione')
  const name = company ?? [registry.text('Titolo'), registry.text('Nome'), registry.text('Cognome')].filter((x) => x).join(' ')
  if (name === '') throw new EcoleError('FATTURAPA_MALFORMED', `${registry.path}: Denominazione, or Nome and Cognome, is required`, { details: { field: registry.path } })
  return { vatId, vatNumber: vatId ? `${vatId.country}${vatId.code}` : null, fiscalCode: data.text('CodiceFiscale'), name }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

function attachment(node: Node): FatturaPAAttachment {
  const raw = node.needText('Attachment').replace(/\s+/g, '')
  if (raw.length % 4 !== 0 || !BASE64.test(raw)) {
    throw new EcoleError('FATTURAPA_MALFORMED', `${node.field('Attachment')}: is not base64`, { details: { field: node.field('Attachment') } })
  }
  return {
    name: node.needText('NomeAttachment'), format: node.text('FormatoAttachment'), compression: node.text('AlgoritmoCompressione'),
    description: node.text('DescrizioneAttachment'), bytes: new Uint8Array(Buffer.from(raw, 'base64')),
  }
}

function formatMinor(minor: bigint, digits: number): string {
  const sign = minor < 0n ? '-' : ''
  const abs = minor < 0n ? -minor : minor
  if (digits === 0) return `${sign}${abs}`
  const unit = 10n ** BigInt(digits)
  return `${sign}${abs / unit}.${String(abs % unit).padStart(digits, '0')}`
}

/** The currency of a body (Divisa) with its minor units, from `@ecole/core`'s table of ISO 4217 codes. */
function currencyOf(general: Node): AmountCurrency {
  const code = general.needText('Divisa')
  const field = general.field('Divisa')
  if (!/^[A-Z]{3}$/.test(code)) throw new EcoleError('FATTURAPA_MALFORMED', `${field}: ${JSON.stringify(code)} must be an ISO 4217 code`, { details: { field, value: code } })
  try {
    return { code, digits: minorUnits(code) }
  } catch (e) {
    if (!isEcoleError(e, 'UNKNOWN_CURRENCY')) throw e
    throw new EcoleError('FATTURAPA_MALFORMED', `${field}: ${JSON.stringify(code)} is not an ISO 4217 currency @ecole knows the minor units of`, { details: { field, value: code, rule: 'UNKNOWN_CURRENCY' }, cause: e })
  }
}

/** NumeroLinea (`xs:integer` from 1 to 9999): digits, leading zeros and a `+` allowed as the schema allows them; no exponent, no hexadecimal. */
function lineNumber(line: Node): number {
  const v = line.needText('NumeroLinea')
  const digits = /^\+?(\d+)$/.exec(v)?.[1]?.replace(/^0+(?=\d)/, '')
  const n = digits !== undefined && digits.length <= 4 ? Number(digits) : Number.NaN
  if (!(n >= 1 && n <= 9999)) {
    throw new EcoleError('FATTURAPA_MALFORMED', `${line.field('NumeroLinea')}: ${JSON.stringify(v)} must be a whole number from 1 to 9999 written in digits`, { details: { field: line.field('NumeroLinea'), value: v } })
  }
  return n
}

/** A decimal of the file in units of 10^-8, or 0 when the element is absent. */
function optionalNano(node: Node, name: string): bigint {
  const v = node.text(name)
  return v === null ? 0n : toNano(decimal(v, node.field(name)))
}

function body(node: Node): FatturaPAInvoice {
  const general = node.need('DatiGenerali').need('DatiGeneraliDocumento')
  const type = general.needText('TipoDocumento')
  if (!isFatturaPADocumentType(type)) {
    throw new EcoleError('FATTURAPA_MALFORMED', `${general.field('TipoDocumento')}: ${JSON.stringify(type)} is not a FatturaPA document type (${Object.keys(FATTURAPA_DOCUMENT_TYPES).join(', ')})`, {
      details: { field: general.field('TipoDocumento'), value: type, rule: 'UNKNOWN_DOCUMENT_TYPE' },
    })
  }
  const money = currencyOf(general)
  const currency = money.code
  const amount = (n: Node, name: string): PurchaseAmount => ({ minor: toMinor(n.needText(name), n.field(name), money), currency })
  const optionalAmount = (n: Node, name: string): PurchaseAmount | null => (n.text(name) === null ? null : amount(n, name))
  const goods = node.need('DatiBeniServizi')
  const lineNodes = goods.all('DettaglioLinee')
  const lines: PurchaseLine[] = lineNodes.map((l) => ({
    number: lineNumber(l),
    description: l.needText('Descrizione'),
    quantity: l.text('Quantita') === null ? null : decimal(l.needText('Quantita'), l.field('Quantita')),
    unit: l.text('UnitaMisura'),
    unitPrice: decimal(l.needText('PrezzoUnitario'), l.field('PrezzoUnitario')),
    total: decimal(l.needText('PrezzoTotale'), l.field('PrezzoTotale')),
    vatRate: decimal(l.needText('AliquotaIVA'), l.field('AliquotaIVA')),
    nature: l.text('Natura'),
  }))
  const summaryNodes = goods.all('DatiRiepilogo')
  const vatSummary: PurchaseVatSummary[] = summaryNodes.map((s) => ({
    vatRate: decimal(s.needText('AliquotaIVA'), s.field('AliquotaIVA')),
    nature: s.text('Natura'),
    taxable: amount(s, 'ImponibileImporto'),
    tax: amount(s, 'Imposta'),
    chargeability: s.text('EsigibilitaIVA'),
  }))
  if (vatSummary.length === 0) throw new EcoleError('FATTURAPA_MALFORMED', `${goods.path}/DatiRiepilogo: is required`, { details: { field: `${goods.path}/DatiRiepilogo` } })
  const paymentTerms: PurchasePaymentTerms[] = node.all('DatiPagamento').map((p) => ({
    condition: p.needText('CondizioniPagamento'),
    details: p.all('DettaglioPagamento').map((d) => ({
      method: d.needText('ModalitaPagamento'), dueDate: optionalDate(d, 'DataScadenzaPagamento'), amount: amount(d, 'ImportoPagamento'), iban: d.text('IBAN'),
    })),
  }))
  const statedTotal = optionalAmount(general, 'ImportoTotaleDocumento')
  const rounding = optionalAmount(general, 'Arrotondamento')
  let sum = rounding?.minor ?? 0n
  for (const s of vatSummary) sum += s.taxable.minor + s.tax.minor
  const summaryTotal = { minor: sum, currency }
  const disagreements: string[] = []
  if (statedTotal && statedTotal.minor !== sum) {
    disagreements.push(`ImportoTotaleDocumento ${formatMinor(statedTotal.minor, money.digits)} differs from the VAT summary's taxable plus tax ${formatMinor(sum, money.digits)}`)
  }
  // one minor unit (a cent for EUR) in units of 10^-8
  const unitNano = 10n ** BigInt(8 - money.digits)
  const funds = general.all('DatiCassaPrevidenziale')
  vatSummary.forEach((s, k) => {
    const rate = toNano(s.vatRate)
    const nature = s.nature ?? null
    const of = lines.flatMap((l, i) => (toNano(l.vatRate) === rate && (l.nature ?? null) === nature ? [i] : []))
    if (of.length === 0) return
    // ImponibileImporto is the lines' PrezzoTotale at the rate, plus the pension-fund contributions at
    // the rate (ImportoContributoCassa), plus the summary's Arrotondamento, plus its SpeseAccessorie
    // unless the lines already carry those accessory expenses (TipoCessionePrestazione AC)
    const row = summaryNodes[k]!
    let extra = optionalNano(row, 'Arrotondamento')
    for (const f of funds) {
      if (toNano(decimal(f.needText('AliquotaIVA'), f.field('AliquotaIVA'))) === rate && (f.text('Natura') ?? null) === nature) extra += optionalNano(f, 'ImportoContributoCassa')
    }
    if (!of.some((i) => lineNodes[i]!.text('TipoCessionePrestazione') === 'AC')) extra += optionalNano(row, 'SpeseAccessorie')
    const nano = of.reduce((acc, i) => acc + toNano(lines[i]!.total), extra)
    const diff = nano - s.taxable.minor * unitNano
    if ((diff < 0n ? -diff : diff) > BigInt(of.length) * unitNano) {
      const unit = money.digits === 2 ? 'a cent' : `one minor unit of ${currency}`
      const beside = extra !== 0n ? ' (with the accessory expenses, pension-fund contributions and rounding at that rate)' : ''
      disagreements.push(`the lines at ${s.vatRate}%${s.nature ? ` (${s.nature})` : ''}${beside} add up to more than ${unit} per line away from the taxable amount ${formatMinor(s.taxable.minor, money.digits)}`)
    }
  })
  return {
    documentType: type, currency, date: localDate(general, 'Data'), number: general.needText('Numero'), statedTotal, rounding, summaryTotal,
    total: statedTotal ?? summaryTotal, reasons: general.texts('Causale'), lines, vatSummary, paymentTerms,
    attachments: node.all('Allegati').map(attachment), disagreements,
  }
}

/**
 * Reads the XML text of a FatturaPA file (no envelope). @internal
 *
 * @example
 * readFatturaPAXml(xml).invoices[0]!.number //=> '123'
 */
export function readFatturaPAXml(xml: string): Omit<FatturaPAFile, 'envelope' | 'fileName'> {
  const doc = readXml(xml, 'FatturaPA')
  const rootValue = doc['FatturaElettronica']
  if (typeof rootValue !== 'object' || rootValue === null || Array.isArray(rootValue)) {
    const found = Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('#'))
    throw new EcoleError('FATTURAPA_MALFORMED', `FatturaPA: the root element must be FatturaElettronica, found ${found.length ? found.join(', ') : 'none'}`, { details: { field: 'FatturaElettronica', found } })
  }
  if (!new RegExp(`xmlns(:[\\w.-]+)?\\s*=\\s*["']${FATTURAPA_NAMESPACE.replace(/\./g, '\\.')}["']`).test(xml)) {
    throw new EcoleError('FATTURAPA_MALFORMED', `FatturaElettronica: must be in the namespace ${FATTURAPA_NAMESPACE}`, { details: { field: 'FatturaElettronica' } })
  }
  const root = new Node(rootValue as Record<string, unknown>, 'FatturaElettronica')
  const format = root.attr('versione')
  if (format !== 'FPA12' && format !== 'FPR12') {
    throw new EcoleError('FATTURAPA_MALFORMED', `FatturaElettronica/@versione: ${JSON.stringify(format ?? null)} must be FPA12 or FPR12`, { details: { field: 'FatturaElettronica/@versione', value: format ?? null } })
  }
  const header = root.need('FatturaElettronicaHeader')
  const transmission = header.need('DatiTrasmissione')
  const transmitter = transmission.need('IdTrasmittente')
  const bodies = root.all('FatturaElettronicaBody')
  if (bodies.length === 0) throw new EcoleError('FATTURAPA_MALFORMED', 'FatturaElettronica/FatturaElettronicaBody: at least one is required', { details: { field: 'FatturaElettronica/FatturaElettronicaBody' } })
  return {
    format,
    transmission: {
      transmitterId: `${transmitter.needText('IdPaese')}${transmitter.needText('IdCodice')}`, progressive: transmission.needText('ProgressivoInvio'),
      recipientCode: transmission.needText('CodiceDestinatario'), recipientPec: transmission.text('PECDestinatario'),
    },
    supplier: party(header.need('CedentePrestatore')),
    customer: party(header.need('CessionarioCommittente')),
    invoices: bodies.map(body),
    xml,
  }
}

/**
 * Reads a FatturaPA file as the exchange system (SDI) delivers it: plain XML (FPR12 or FPA12,
 * schema 1.2.x; UTF-8 with or without a byte-order mark, or the encoding its prolog declares such
 * as windows-1252) or a signed `.p7m` envelope (CAdES, DER or base64 with or without line breaks),
 * with any number of invoice bodies and their base64 attachments.
 *
 * For an envelope, `envelope` names the signer (from the certificate) and says whether the content
 * still matches its signature (`intact`); the certificate chain is not validated. When
 * `options.fileName` is given it must follow the naming rule `IT<id>_<progressive>.xml[.p7m]`.
 * The text is read as XML defines it: character references (`&#200;`, `&#xC8;`) are decoded.
 * Amounts, written with two decimals, are exact minor units of the body's currency (`Divisa`, an
 * ISO 4217 code `@ecole/core` knows): `1100.00` JPY is 1100 yen; an amount with a fraction the
 * currency cannot hold is refused. Quantities, prices and rates keep the file's decimals as
 * strings. Dates may carry a time zone (`xs:date`); the day written is kept. `NumeroLinea` is a
 * whole number from 1 to 9999 written in digits. A document type outside TD01..TD29 is refused.
 *
 * @example
 * const file = await parseFatturaPA(bytes, { fileName: 'IT01234567890_FPR01.xml' })
 * file.invoices[0]!.documentType //=> 'TD01'
 * file.customer.vatNumber //=> 'IT09876543210'
 * file.supplier.name //=> 'CAFFÈ SRL' (written CAFF&#200; SRL)
 * @throws EcoleError `FATTURAPA_MALFORMED` (not FatturaPA, a field missing or garbled, an unknown document type,
 * an unknown currency with `details.rule` `UNKNOWN_CURRENCY`, a reference to a character XML does not allow),
 * `FATTURAPA_ENVELOPE_CORRUPT` (an unreadable `.p7m`), `FATTURAPA_FILE_NAME`, `MALFORMED_XML` (undecodable bytes),
 * `INVALID_INPUT` (neither a string nor bytes, unknown option).
 */
export async function parseFatturaPA(input: string | Uint8Array, options: FatturaPAOptions = {}): Promise<FatturaPAFile> {
  const parsedOptions = FatturaPAOptionsSchema.safeParse(options)
  if (!parsedOptions.success) throw EcoleError.fromZod('INVALID_INPUT', parsedOptions.error, 'options')
  const fileName = parsedOptions.data.fileName === undefined ? null : parseFatturaPAFileName(parsedOptions.data.fileName)
  let envelope: SignedEnvelope | null = null
  let xmlInput: string | Uint8Array = input
  if (input instanceof Uint8Array && !looksLikeXml(input)) {
    const found = envelopeBytes(input)
    if (found === undefined && fileName?.signed !== true) {
      throw new EcoleError('FATTURAPA_MALFORMED', 'FatturaPA: the bytes are neither XML nor a signed .p7m envelope', { details: { field: 'document' } })
    }
    envelope = found ? await openEnvelopeDer(found.der, found.encoding) : await openSignedEnvelope(input)
    xmlInput = envelope.content
  } else if (fileName?.signed === true) {
    throw new EcoleError('FATTURAPA_ENVELOPE_CORRUPT', `p7m: ${parsedOptions.data.fileName} is named .p7m but holds plain XML, not a signed envelope`, { details: { field: 'p7m' } })
  }
  let xml: string
  try {
    xml = decodeXml(xmlInput, 'FatturaPA')
  } catch (e) {
    if (e instanceof Error && (e as { code?: string }).code === 'INVALID_INPUT') throw e
    throw new EcoleError('FATTURAPA_MALFORMED', e instanceof Error ? e.message.replace(/^\[ecole\] /, '') : String(e), { details: { field: 'document' }, cause: e })
  }
  const read = readFatturaPAXml(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml)
  const { content: _content, ...envelopeInfo } = envelope ?? { content: undefined }
  return { ...read, envelope: envelope ? (envelopeInfo as Omit<SignedEnvelope, 'content'>) : null, fileName }
}

function looksLikeXml(bytes: Uint8Array): boolean {
  let i = 0
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return true
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++
  return bytes[i] === 0x3c
}
