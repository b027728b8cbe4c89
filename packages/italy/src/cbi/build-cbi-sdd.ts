import { writePain008, type DirectDebitBatch, type TextCut } from '@ecole/bank'
import { EcoleError, parseInput } from '@ecole/core'
import * as z from 'zod'

/** The namespace of the CBI SEPA direct-debit request in force since March 2024. */
export const CBI_SDD_REQUEST_NAMESPACE = 'urn:CBI:xsd:CBISDDReqLogMsg.00.01.01'

/** Options of {@link buildCbiSdd}. */
export const CbiSddOptionsSchema = z.strictObject({
  /** The creditor's CBI code (CUC, codice unico CBI, 8 characters), given by its bank: `GrpHdr/InitgPty/Id/OrgId/Othr/Id` with issuer `CBI`. */
  cuc: z.string().regex(/^[A-Z0-9]{8}$/, 'must be the 8-character CBI code (CUC) the bank gave'),
  /** The ABI code of the creditor's bank (5 digits); taken from the creditor's Italian IBAN when absent. */
  creditorAbi: z.string().regex(/^\d{5}$/, 'must be the 5-digit ABI code').optional(),
})
/** Options of {@link buildCbiSdd}. */
export type CbiSddOptions = z.input<typeof CbiSddOptionsSchema>

/** A CBI direct-debit request and what was cut to fit the SEPA limits. */
export interface CbiSddFile {
  /** The XML document. */
  xml: string
  /** Texts cut to their field's limit (as `writePain008` reports them). */
  warnings: TextCut[]
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * Writes a direct-debit batch (the same {@link DirectDebitBatch} `@ecole/bank` writes as pain.008) as
 * an Italian CBI request, `CBISDDReqLogMsg.00.01.01` (in force since March 2024; banks refuse the
 * older 00.01.00). The message is the pain.008.001.08 group header and payment blocks under the CBI
 * root element, with the CBI rules: the initiating party identified by the creditor's CUC (issuer
 * `CBI`), the creditor's bank by its ABI code (`ClrSysMmbId/MmbId`) rather than a BIC.
 *
 * @example
 * const { xml } = buildCbiSdd(batch, { cuc: '1234567A' })
 * xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><CBISDDReqLogMsg xmlns="urn:CBI:xsd:CBISDDReqLogMsg.00.01.01">') //=> true
 * @throws EcoleError `INVALID_INPUT` naming the field (the batch as `buildPain008` checks it; the CUC; an ABI that cannot be
 * taken from a creditor IBAN that is not Italian).
 */
export function buildCbiSdd(batch: DirectDebitBatch, options: CbiSddOptions): CbiSddFile {
  const o = parseInput(CbiSddOptionsSchema, options, 'buildCbiSdd options')
  const { xml, warnings } = writePain008(batch, { version: 'pain.008.001.08' })
  const iban = String(batch.creditor.iban).replace(/\s+/g, '').toUpperCase()
  const abi = o.creditorAbi ?? (iban.startsWith('IT') || iban.startsWith('SM') ? iban.slice(5, 10) : undefined)
  if (abi === undefined) {
    throw new EcoleError('INVALID_INPUT', 'buildCbiSdd options.creditorAbi: is required when the creditor IBAN is not Italian (the ABI is read from an Italian IBAN)', { details: { field: 'creditorAbi' } })
  }
  const head = '<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"><CstmrDrctDbtInitn>'
  const tail = '</CstmrDrctDbtInitn></Document>'
  if (!xml.startsWith(head) || !xml.endsWith(tail)) throw new Error('unexpected pain.008 shape')
  let body = xml.slice(head.length, xml.length - tail.length)
  body = body.replace(/(<InitgPty><Nm>[^<]*<\/Nm>)(<\/InitgPty>)/, `$1<Id><OrgId><Othr><Id>${escapeXml(o.cuc)}</Id><Issr>CBI</Issr></Othr></OrgId></Id>$2`)
  body = body.replace(/<CdtrAgt><FinInstnId>.*?<\/FinInstnId><\/CdtrAgt>/g, `<CdtrAgt><FinInstnId><ClrSysMmbId><MmbId>${abi}</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt>`)
  return { xml: `<?xml version="1.0" encoding="UTF-8"?><CBISDDReqLogMsg xmlns="${CBI_SDD_REQUEST_NAMESPACE}">${body}</CBISDDReqLogMsg>`, warnings }
}
