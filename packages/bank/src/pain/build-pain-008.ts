import { iban, parseInput } from '@ecole/core'
import * as z from 'zod'
import { minorToDecimal } from '../statement/amount'
import { DirectDebitBatchSchema, type DirectDebitBatch, type SepaPostalAddress, type ValidDirectDebitBatch } from './direct-debit-batch'
import { sepaField, type TextCut } from './sepa-fields'

/** The pain.008 versions {@link buildPain008} writes. */
export const Pain008VersionSchema = z.enum(['pain.008.001.08', 'pain.008.001.02'])

/** A pain.008 version. */
export type Pain008Version = z.output<typeof Pain008VersionSchema>

/** Options of {@link buildPain008}. */
export const Pain008OptionsSchema = z.strictObject({ version: Pain008VersionSchema.optional() }).strict()

/** Options of {@link buildPain008}, as callers pass them. */
export type Pain008Options = z.input<typeof Pain008OptionsSchema>

/**
 * A pain.008 file and what writing it changed: every text cut to its field's limit, and every
 * text with characters that have no SEPA equivalent (written as `.`, listed in `replaced`).
 *
 * @example
 * const { xml, warnings } = writePain008(batch)
 * warnings //=> [{ field: 'debits.0.debtor.name', limit: 70, given: '...', written: '...' }]
 */
export interface Pain008File {
  /** The document. */
  xml: string
  /** Every text cut to fit its field or with characters replaced, in document order. */
  warnings: TextCut[]
}

type Debit = ValidDirectDebitBatch['debits'][number]

const SEQUENCE_ORDER = { FRST: 0, RCUR: 1, OOFF: 2, FNAL: 3 } as const

/**
 * The limits of the EPC SEPA Core Direct Debit implementation guidelines (characters): names and
 * street 70, town 35, building number and post code 16, unstructured remittance 140.
 */
const LIMIT = { name: 70, street: 70, buildingNumber: 16, postCode: 16, town: 35, text: 140 } as const

const XML_SPECIAL = /[&<>"']/
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** Text as XML character data: `& < > " '` escaped (SEPA text only ever has the apostrophe). */
function escapeXml(text: string): string {
  return XML_SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] as string) : text
}

/** `<name>text</name>`, the text always escaped: every element with text is written by this. */
function el(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`
}

function addressXml(a: SepaPostalAddress | undefined, path: string | (() => string), w: TextCut[]): string {
  const at = (f: string) => () => `${typeof path === 'string' ? path : path()}.${f}`
  if (a === undefined) return ''
  let x = '<PstlAdr>'
  if (a.street !== undefined) x += el('StrtNm', sepaField(a.street, LIMIT.street, at('street'), w))
  if (a.buildingNumber !== undefined) x += el('BldgNb', sepaField(a.buildingNumber, LIMIT.buildingNumber, at('buildingNumber'), w))
  if (a.postCode !== undefined) x += el('PstCd', sepaField(a.postCode, LIMIT.postCode, at('postCode'), w))
  return `${x}${el('TwnNm', sepaField(a.town, LIMIT.town, at('town'), w))}${el('Ctry', a.country)}</PstlAdr>`
}

function agentXml(tag: 'CdtrAgt' | 'DbtrAgt', bic: string | undefined, bicTag: 'BIC' | 'BICFI'): string {
  return `<${tag}><FinInstnId>${bic !== undefined ? el(bicTag, bic) : '<Othr><Id>NOTPROVIDED</Id></Othr>'}</FinInstnId></${tag}>`
}

/**
 * Whether a debtor's new account is at another bank than the former one: as the amendment says
 * (`debtorBankChanged`), else unless both IBANs carry the same national bank identifier (a bank
 * identifier unknown for the country counts as a change: `SMNDA` is right for any new account,
 * the former IBAN only within one bank).
 */
function debtorBankChanged(a: NonNullable<Debit['mandate']['amendment']>, currentIban: string): boolean {
  if (a.debtorBankChanged !== undefined) return a.debtorBankChanged
  if (a.originalDebtorIban === undefined) return false
  const before = iban.bankIdentifier(a.originalDebtorIban)
  return before === undefined || before !== iban.bankIdentifier(currentIban)
}

/**
 * A mandate amendment (`AmdmntInd` true, then `AmdmntInfDtls` with the original mandate id and/or
 * the original debtor account), or nothing: the same elements in pain.008.001.02 and .08.
 *
 * The original debtor account follows the EPC SEPA Core Direct Debit customer-to-bank
 * implementation guidelines since version 9.0 (20 November 2016): a new account at the same bank
 * is named by its former IBAN (`OrgnlDbtrAcct/Id/IBAN`); a new account at another bank by the
 * code `SMNDA` in `OrgnlDbtrAcct/Id/Othr/Id` ("Same Mandate with a New Debtor Account", EPC
 * explanatory note on 'COR1' and 'SMNDA'; German DK schema DFÜ Anlage 3 v3.0, which implements
 * the EPC SDD Core IG 9.0). Before 2016 the code went in `OrgnlDbtrAgt/FinInstnId/Othr/Id` with
 * sequence type FRST; since the Core rulebook 9.0 FRST is optional, so any sequence type is kept.
 */
function amendmentXml(a: Debit['mandate']['amendment'], currentIban: string): string {
  if (a === undefined) return ''
  const rum = a.originalMandateId !== undefined ? el('OrgnlMndtId', a.originalMandateId) : ''
  const accountId = debtorBankChanged(a, currentIban)
    ? '<Othr><Id>SMNDA</Id></Othr>'
    : a.originalDebtorIban !== undefined ? el('IBAN', a.originalDebtorIban) : ''
  const account = accountId !== '' ? `<OrgnlDbtrAcct><Id>${accountId}</Id></OrgnlDbtrAcct>` : ''
  return `${el('AmdmntInd', 'true')}<AmdmntInfDtls>${rum}${account}</AmdmntInfDtls>`
}

function remittanceXml(rmt: Debit['remittance'], path: () => string, w: TextCut[]): string {
  if (rmt === undefined) return ''
  switch (rmt.kind) {
    case 'text':
      return `<RmtInf>${el('Ustrd', sepaField(rmt.text, LIMIT.text, () => `${path()}.text`, w))}</RmtInf>`
    case 'ogm':
    case 'rf':
      return `<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry>${el('Issr', rmt.kind === 'ogm' ? 'BBA' : 'ISO')}</Tp>${el('Ref', rmt.reference)}</CdtrRefInf></Strd></RmtInf>`
    default: {
      const never: never = rmt
      throw new Error(`unknown remittance ${String(never)}`)
    }
  }
}

/**
 * Writes a SEPA direct-debit initiation (pain.008, `.001.08` by default, `.001.02` on request)
 * and returns the document alone (see {@link writePain008} for the warnings too). Every element
 * with text is written by one helper that escapes it (fast-xml-parser's builder and xmlbuilder2
 * were measured too slow for 50,000 debits, see docs/performance.md).
 *
 * The batch is validated once ({@link DirectDebitBatchSchema}: IBANs, BICs, creditor
 * identifier, mandate references, end-to-end ids unique and in the SEPA set, amounts in euros).
 * Debits are grouped in one payment block (`PmtInf`) per sequence type (FRST/RCUR/OOFF/FNAL) and
 * collection date, blocks ordered by date; the group header and every block carry `NbOfTxs` and
 * `CtrlSum`. Addresses are structured (town and country at least, as required from
 * 15 November 2026). An OGM is written as a structured creditor reference with issuer `BBA`, an
 * RF with issuer `ISO`; a debit whose mandate was amended (`mandate.amendment`) carries `AmdmntInd`
 * true with `AmdmntInfDtls` (`OrgnlMndtId`, the former mandate reference; `OrgnlDbtrAcct`, the former
 * debtor IBAN when the new account is at the same bank, the code `SMNDA` in `Othr/Id` when it is at
 * another bank, as the EPC SDD Core implementation guidelines require since 20 November 2016; the
 * bank is compared by the IBANs' national bank identifiers unless `debtorBankChanged` says), so the
 * debtor's bank recognises the mandate; names, addresses and free text are transliterated to the SEPA set (Greek
 * by ELOT 743, Cyrillic by ISO 9, then `toSepaText`) and cut to the EPC limits (names 70
 * characters, town 35, free text 140), every cut reported by {@link writePain008}. The output
 * validates against the official ISO 20022 schema of its version.
 *
 * @example
 * const xml = buildPain008({
 *   messageId: 'ECOLE-2026-11-001', createdAt: '2026-11-20T09:30:00Z',
 *   creditor: { name: 'Commune de Wavre', iban: 'BE68539007547034', creditorId: 'BE69ZZZ050D000000008',
 *     address: { town: 'Wavre', country: 'BE' } },
 *   debits: [{ endToEndId: 'INV-2026-0042', amount: { amount: '42.50', currency: 'EUR' }, collectionDate: '2026-12-05',
 *     sequenceType: 'RCUR', mandate: { id: 'RUM-0042', signatureDate: '2025-09-01' },
 *     debtor: { name: 'Hélène Dupré', iban: 'BE71096123456769' }, remittance: { kind: 'ogm', reference: '+++123/4567/89002+++' } }],
 * })
 * // '<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08">...'
 * // a debtor now at BE71096123456769 whose mandate was collected from a French account: another bank
 * // mandate: { id: 'RUM-0042', signatureDate: '2025-09-01', amendment: { originalDebtorIban: 'FR1420041010050500013M02606' } }
 * // '...<AmdmntInd>true</AmdmntInd><AmdmntInfDtls><OrgnlDbtrAcct><Id><Othr><Id>SMNDA</Id></Othr></Id></OrgnlDbtrAcct></AmdmntInfDtls>...'
 * A debit collected before the file's creation day (the date of `createdAt`), or with a mandate
 * signed after its collection date (an unauthorised debit, refundable for 13 months), is refused:
 *
 * buildPain008({ ...batch, createdAt: '2027-01-05T09:00:00Z', debits: [{ ...debit, collectionDate: '2027-01-04' }] })
 * // throws INVALID_INPUT 'batch.debits.0.collectionDate: is 2027-01-04, before the file's creation day 2027-01-05 (createdAt 2027-01-05T09:00:00Z): ...'
 * buildPain008({ ...batch, debits: [{ ...debit, collectionDate: '2027-01-10', mandate: { id: 'RUM-1', signatureDate: '2027-03-01' } }] })
 * // throws INVALID_INPUT 'batch.debits.0.mandate.signatureDate: is 2027-03-01, after the collection date 2027-01-10: ...'
 * @throws EcoleError `INVALID_INPUT` naming every field that is wrong (`debits.3.debtor.iban: must be a valid IBAN`,
 * `debits.0.collectionDate` before the creation day, `debits.0.mandate.signatureDate` after the collection date).
 */
export function buildPain008(batch: DirectDebitBatch, options: Pain008Options = {}): string {
  return writePain008(batch, options).xml
}

/**
 * Writes a pain.008 as {@link buildPain008} does and says what it changed: every name, address
 * part or free text longer than its field's limit, once transliterated, is cut and listed in
 * `warnings` (field path, limit, the text given, the text written). Limits count characters, not
 * UTF-16 units. A text with characters that have no SEPA equivalent (emoji, CJK, Arabic...),
 * written as `.`, is listed too, with those characters in `replaced`: a debtor named `😀😀` is
 * written `..`, and the warning says so.
 *
 * @example
 * const { xml, warnings } = writePain008(batch)
 * for (const w of warnings) console.log(`${w.field}: cut to ${w.limit} characters: ${w.written}`)
 * @throws EcoleError `INVALID_INPUT` naming every field that is wrong, as {@link buildPain008}.
 */
export function writePain008(batch: DirectDebitBatch, options: Pain008Options = {}): Pain008File {
  const { version = 'pain.008.001.08' } = parseInput(Pain008OptionsSchema, options, 'buildPain008 options')
  const b = parseInput(DirectDebitBatchSchema, batch, 'batch')
  const bicTag = version === 'pain.008.001.08' ? 'BICFI' : 'BIC'
  const warnings: TextCut[] = []
  const index = new Map<Debit, number>()
  b.debits.forEach((d, i) => index.set(d, i))

  // payment blocks: one per (collection date, sequence type)
  const blocks = new Map<string, Debit[]>()
  for (const d of b.debits) {
    const key = `${d.collectionDate}|${d.sequenceType}`
    let list = blocks.get(key)
    if (list === undefined) blocks.set(key, (list = []))
    list.push(d)
  }
  const ordered = [...blocks.values()].sort((a, c) => {
    const x = a[0] as Debit
    const y = c[0] as Debit
    return x.collectionDate < y.collectionDate ? -1 : x.collectionDate > y.collectionDate ? 1 : SEQUENCE_ORDER[x.sequenceType] - SEQUENCE_ORDER[y.sequenceType]
  })
  const total = b.debits.reduce((acc, d) => acc + d.amount, 0n)
  const creditorName = sepaField(b.creditor.name, LIMIT.name, 'creditor.name', warnings)
  const creditorXml = `<Cdtr>${el('Nm', creditorName)}${addressXml(b.creditor.address, 'creditor.address', warnings)}</Cdtr>`
  const creditorAccount = `<CdtrAcct><Id>${el('IBAN', b.creditor.iban)}</Id></CdtrAcct>${agentXml('CdtrAgt', b.creditor.bic, bicTag)}<ChrgBr>SLEV</ChrgBr>`
  const scheme = `<CdtrSchmeId><Id><PrvtId><Othr>${el('Id', b.creditor.creditorId)}<SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></CdtrSchmeId>`

  let xml = `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:${version}"><CstmrDrctDbtInitn>`
  xml += `<GrpHdr>${el('MsgId', b.messageId)}${el('CreDtTm', b.createdAt)}${el('NbOfTxs', String(b.debits.length))}${el('CtrlSum', minorToDecimal(total, 'EUR'))}`
  xml += `<InitgPty>${el('Nm', creditorName)}</InitgPty></GrpHdr>`
  ordered.forEach((debits, i) => {
    const first = debits[0] as Debit
    xml += `<PmtInf>${el('PmtInfId', `${b.messageId.slice(0, 29)}-${i + 1}`)}<PmtMtd>DD</PmtMtd>`
    if (b.batchBooking !== undefined) xml += el('BtchBookg', String(b.batchBooking))
    xml += el('NbOfTxs', String(debits.length)) + el('CtrlSum', minorToDecimal(debits.reduce((acc, d) => acc + d.amount, 0n), 'EUR'))
    xml += `<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl><LclInstrm>${el('Cd', b.localInstrument)}</LclInstrm>${el('SeqTp', first.sequenceType)}</PmtTpInf>`
    xml += el('ReqdColltnDt', first.collectionDate) + creditorXml + creditorAccount + scheme
    for (const d of debits) {
      const path = () => `debits.${index.get(d) as number}`
      xml += `<DrctDbtTxInf><PmtId>${d.instructionId !== undefined ? el('InstrId', d.instructionId) : ''}${el('EndToEndId', d.endToEndId)}</PmtId>`
      xml += `<InstdAmt Ccy="EUR">${minorToDecimal(d.amount, 'EUR')}</InstdAmt>`
      xml += `<DrctDbtTx><MndtRltdInf>${el('MndtId', d.mandate.id)}${el('DtOfSgntr', d.mandate.signatureDate)}${amendmentXml(d.mandate.amendment, d.debtor.iban)}</MndtRltdInf></DrctDbtTx>`
      xml += agentXml('DbtrAgt', d.debtor.bic, bicTag)
      // names are mostly unique: not worth a cache entry each
      xml += `<Dbtr>${el('Nm', sepaField(d.debtor.name, LIMIT.name, () => `${path()}.debtor.name`, warnings, false))}${addressXml(d.debtor.address, () => `${path()}.debtor.address`, warnings)}</Dbtr>`
      xml += `<DbtrAcct><Id>${el('IBAN', d.debtor.iban)}</Id></DbtrAcct>${remittanceXml(d.remittance, () => `${path()}.remittance`, warnings)}</DrctDbtTxInf>`
    }
    xml += '</PmtInf>'
  })
  xml += '</CstmrDrctDbtInitn></Document>'
  return { xml, warnings }
}
