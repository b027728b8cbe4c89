import { EcoleError, LocalDateSchema, parseInput } from '@ecole/core'
import * as z from 'zod'
import { decimalToMinor, minorToDecimal } from '../statement/amount'
import { BIC, EUR_AMOUNT, IBAN, SEPA_ID, SepaPostalAddressSchema, TEXT, type SepaPostalAddress } from './direct-debit-batch'
import { sepaField, type TextCut } from './sepa-fields'

/** The pain.001 versions {@link buildPain001} writes. */
export const Pain001VersionSchema = z.enum(['pain.001.001.09', 'pain.001.001.03'])

/** A pain.001 version. */
export type Pain001Version = z.output<typeof Pain001VersionSchema>

/** Options of {@link buildPain001}. */
export const Pain001OptionsSchema = z.strictObject({ version: Pain001VersionSchema.optional() }).strict()

/** Options of {@link buildPain001}, as callers pass them. */
export type Pain001Options = z.input<typeof Pain001OptionsSchema>

/**
 * One SEPA credit transfer: end-to-end id (unique, SEPA characters), amount in euros, the
 * creditor (name, IBAN, optional BIC and address) and free-text remittance.
 *
 * @example
 * CreditTransferSchema.parse({ endToEndId: 'REFUND-G1', amount: { amount: '12.40', currency: 'EUR' },
 *   creditor: { name: 'Léa Martin', iban: 'BE71096123456769' }, remittance: 'Remboursement solde cantine' }).amount //=> 1240n
 */
export const CreditTransferSchema = z
  .strictObject({
    endToEndId: SEPA_ID,
    instructionId: SEPA_ID.optional(),
    amount: EUR_AMOUNT,
    creditor: z.strictObject({ name: TEXT(70), iban: IBAN, bic: BIC.optional(), address: SepaPostalAddressSchema.optional() }).strict(),
    remittance: TEXT(140).optional(),
  })
  .strict()

/**
 * A SEPA credit-transfer batch (refunds): who pays (debtor with IBAN and structured address), the
 * execution date, and the transfers. Validated once by {@link buildPain001}.
 *
 * @example
 * const check = CreditTransferBatchSchema.safeParse(formData)
 */
export const CreditTransferBatchSchema = z
  .strictObject({
    /** `GrpHdr/MsgId`: unique per file. */
    messageId: SEPA_ID,
    /** Creation instant written in `CreDtTm` (ISO 8601 with Z or an offset): pass `now`, the builder reads no clock. */
    createdAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with Z or an offset' }),
    /** The date the bank is asked to execute the transfers. */
    executionDate: LocalDateSchema,
    debtor: z.strictObject({ name: TEXT(70), iban: IBAN, bic: BIC.optional(), address: SepaPostalAddressSchema }).strict(),
    /** Ask the bank to book the batch as one entry (`BtchBookg`); the bank's default when absent. */
    batchBooking: z.boolean().optional(),
    transfers: z.array(CreditTransferSchema).min(1, 'a batch needs at least one transfer'),
  })
  .strict()
  .superRefine((b, ctx) => {
    const seen = new Map<string, number>()
    b.transfers.forEach((t, i) => {
      const first = seen.get(t.endToEndId)
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['transfers', i, 'endToEndId'], message: `duplicates transfers.${first}.endToEndId: end-to-end ids must be unique` })
      else seen.set(t.endToEndId, i)
    })
  })

/** A credit-transfer batch as callers pass it (plain JSON). */
export type CreditTransferBatch = z.input<typeof CreditTransferBatchSchema>
/** One transfer as callers pass it. */
export type CreditTransfer = z.input<typeof CreditTransferSchema>

const XML_SPECIAL = /[&<>"']/
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }
const escapeXml = (text: string) => (XML_SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] as string) : text)
/** `<name>text</name>`, the text always escaped. */
const el = (name: string, text: string) => `<${name}>${escapeXml(text)}</${name}>`

function addressXml(a: SepaPostalAddress | undefined, path: string, w: TextCut[]): string {
  if (a === undefined) return ''
  let x = '<PstlAdr>'
  if (a.street !== undefined) x += el('StrtNm', sepaField(a.street, 70, `${path}.street`, w))
  if (a.buildingNumber !== undefined) x += el('BldgNb', sepaField(a.buildingNumber, 16, `${path}.buildingNumber`, w))
  if (a.postCode !== undefined) x += el('PstCd', sepaField(a.postCode, 16, `${path}.postCode`, w))
  return `${x}${el('TwnNm', sepaField(a.town, 35, `${path}.town`, w))}${el('Ctry', a.country)}</PstlAdr>`
}

/**
 * Writes a SEPA credit-transfer initiation (pain.001, `.001.09` by default, `.001.03` on
 * request) with its warnings: one payment block (`PmtInf`) with `NbOfTxs` and `CtrlSum` in the
 * group header and the block, the debtor's structured address, each transfer with its creditor
 * and free-text remittance. Names, addresses and remittance are transliterated (Greek, Cyrillic,
 * then the SEPA set) and cut to the EPC limits, every cut listed in `warnings`. Every element with
 * text is written escaped.
 *
 * @example
 * const { xml, warnings } = writePain001({ messageId: 'REFUND-2027-06', createdAt: '2027-06-30T09:00:00Z', executionDate: '2027-07-02',
 *   debtor: { name: 'Commune de Wavre', iban: 'BE68539007547034', address: { town: 'Wavre', country: 'BE' } },
 *   transfers: [{ endToEndId: 'REFUND-G1', amount: { amount: '12.40', currency: 'EUR' }, creditor: { name: 'Léa Martin', iban: 'BE71096123456769' } }] })
 * @throws EcoleError `INVALID_INPUT` naming every field that is wrong (`batch.transfers.2.creditor.iban: must be a valid IBAN`).
 */
export function writePain001(batch: CreditTransferBatch, options: Pain001Options = {}): { xml: string; warnings: TextCut[] } {
  const { version = 'pain.001.001.09' } = parseInput(Pain001OptionsSchema, options, 'buildPain001 options')
  const b = parseInput(CreditTransferBatchSchema, batch, 'batch')
  const v09 = version === 'pain.001.001.09'
  const bicTag = v09 ? 'BICFI' : 'BIC'
  const w: TextCut[] = []
  const total = b.transfers.reduce((acc, t) => acc + t.amount, 0n)
  const debtorName = sepaField(b.debtor.name, 70, 'debtor.name', w)
  let xml = `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:${version}"><CstmrCdtTrfInitn>`
  const count = String(b.transfers.length)
  const sum = minorToDecimal(total, 'EUR')
  xml += `<GrpHdr>${el('MsgId', b.messageId)}${el('CreDtTm', b.createdAt)}${el('NbOfTxs', count)}${el('CtrlSum', sum)}<InitgPty>${el('Nm', debtorName)}</InitgPty></GrpHdr>`
  xml += `<PmtInf>${el('PmtInfId', `${b.messageId.slice(0, 31)}-1`)}<PmtMtd>TRF</PmtMtd>`
  if (b.batchBooking !== undefined) xml += el('BtchBookg', String(b.batchBooking))
  xml += `${el('NbOfTxs', count)}${el('CtrlSum', sum)}<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>`
  xml += v09 ? `<ReqdExctnDt>${el('Dt', b.executionDate)}</ReqdExctnDt>` : el('ReqdExctnDt', b.executionDate)
  xml += `<Dbtr>${el('Nm', debtorName)}${addressXml(b.debtor.address, 'debtor.address', w)}</Dbtr><DbtrAcct><Id>${el('IBAN', b.debtor.iban)}</Id></DbtrAcct>`
  xml += `<DbtrAgt><FinInstnId>${b.debtor.bic !== undefined ? el(bicTag, b.debtor.bic) : '<Othr><Id>NOTPROVIDED</Id></Othr>'}</FinInstnId></DbtrAgt><ChrgBr>SLEV</ChrgBr>`
  b.transfers.forEach((t, i) => {
    const path = `transfers.${i}`
    xml += `<CdtTrfTxInf><PmtId>${t.instructionId !== undefined ? el('InstrId', t.instructionId) : ''}${el('EndToEndId', t.endToEndId)}</PmtId>`
    xml += `<Amt><InstdAmt Ccy="EUR">${minorToDecimal(t.amount, 'EUR')}</InstdAmt></Amt>`
    if (t.creditor.bic !== undefined) xml += `<CdtrAgt><FinInstnId>${el(bicTag, t.creditor.bic)}</FinInstnId></CdtrAgt>`
    xml += `<Cdtr>${el('Nm', sepaField(t.creditor.name, 70, `${path}.creditor.name`, w, false))}${addressXml(t.creditor.address, `${path}.creditor.address`, w)}</Cdtr>`
    xml += `<CdtrAcct><Id>${el('IBAN', t.creditor.iban)}</Id></CdtrAcct>`
    if (t.remittance !== undefined) xml += `<RmtInf>${el('Ustrd', sepaField(t.remittance, 140, `${path}.remittance`, w))}</RmtInf>`
    xml += '</CdtTrfTxInf>'
  })
  xml += '</PmtInf></CstmrCdtTrfInitn></Document>'
  return { xml, warnings: w }
}

/**
 * Writes a SEPA credit-transfer initiation (pain.001) and returns the document alone; see
 * {@link writePain001}.
 *
 * @example
 * const xml = buildPain001(batch, { version: 'pain.001.001.03' })
 * @throws EcoleError `INVALID_INPUT` naming every field that is wrong.
 */
export function buildPain001(batch: CreditTransferBatch, options: Pain001Options = {}): string {
  return writePain001(batch, options).xml
}

/** A payer's balance as the ledger gives it, with where to refund it. */
export interface RefundableBalance {
  /** The payer (family) the balance belongs to. */
  payerId: string
  /** The balance held for them: what they paid and were not charged (positive = owed to them). */
  balance: { amount: string; currency: string }
  /** The account holder's name. */
  name: string
  /** Where to refund; absent when the family gave none. */
  iban?: string | undefined
  /** Their bank's BIC, when known. */
  bic?: string | undefined
}

const RefundInputSchema = z.strictObject({
  balances: z.array(
    z.strictObject({
      payerId: z.string().min(1),
      balance: z.strictObject({ amount: z.string(), currency: z.string() }),
      name: z.string(),
      iban: z.string().optional(),
      bic: z.string().optional(),
    }),
  ),
  options: z.strictObject({ endToEndPrefix: z.string(), remittance: z.string().optional() }),
})

/** Why a balance was not refunded. */
export interface RefundExclusion {
  /** The payer. */
  payerId: string
  /** `NOTHING_OWED` (zero or negative balance), `NO_IBAN`, `NOT_EUR`. */
  reason: 'NOTHING_OWED' | 'NO_IBAN' | 'NOT_EUR'
}

/**
 * The credit transfers that refund families who leave with money on their wallet, from the
 * balances the ledger gives: one transfer per positive balance in euros, to the family's IBAN,
 * end-to-end id `${endToEndPrefix}${payerId}`; the others are listed in `excluded` with why.
 * Feed `transfers` to {@link buildPain001}.
 *
 * @example
 * const { transfers, excluded } = refundTransfers([{ payerId: 'g1', balance: { amount: '12.40', currency: 'EUR' }, name: 'Léa Martin', iban: 'BE71096123456769' }],
 *   { endToEndPrefix: 'RB2706-', remittance: 'Remboursement du solde cantine' })
 * transfers[0].amount //=> { amount: '12.40', currency: 'EUR' }
 * @throws EcoleError `INVALID_INPUT` for a balance that is not a decimal amount of its currency.
 */
export function refundTransfers(balances: readonly RefundableBalance[], options: { endToEndPrefix: string; remittance?: string }): { transfers: CreditTransfer[]; excluded: RefundExclusion[] } {
  parseInput(RefundInputSchema, { balances, options }, 'refundTransfers')
  const transfers: CreditTransfer[] = []
  const excluded: RefundExclusion[] = []
  for (const b of balances) {
    if (b.balance.currency !== 'EUR') {
      excluded.push({ payerId: b.payerId, reason: 'NOT_EUR' })
      continue
    }
    const text = b.balance.amount.trim()
    const minor = decimalToMinor(text.replace(/^-/, ''), 'EUR')
    if (typeof minor === 'string') {
      throw new EcoleError('INVALID_INPUT', `balances: the balance of ${b.payerId}: ${minor}`, { details: { field: 'balance.amount', payerId: b.payerId } })
    }
    if (text.startsWith('-') || minor === 0n) {
      excluded.push({ payerId: b.payerId, reason: 'NOTHING_OWED' })
      continue
    }
    if (b.iban === undefined || b.iban.trim() === '') {
      excluded.push({ payerId: b.payerId, reason: 'NO_IBAN' })
      continue
    }
    const t: CreditTransfer = {
      endToEndId: `${options.endToEndPrefix}${b.payerId}`,
      amount: { amount: minorToDecimal(minor, 'EUR'), currency: 'EUR' },
      creditor: { name: b.name, iban: b.iban, ...(b.bic !== undefined ? { bic: b.bic } : {}) },
    }
    if (options.remittance !== undefined) t.remittance = options.remittance
    transfers.push(t)
  }
  return { transfers, excluded }
}
