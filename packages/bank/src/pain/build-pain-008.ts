import { parseInput, toSepaText } from '@ecole/core'
import { createCB } from 'xmlbuilder2'
import type { XMLBuilderCB } from 'xmlbuilder2/lib/interfaces'
import { z } from 'zod'
import { minorToDecimal } from '../statement/amount'
import { DirectDebitBatchSchema, type DirectDebitBatch, type SepaPostalAddress, type ValidDirectDebitBatch } from './direct-debit-batch'

/** The pain.008 versions {@link buildPain008} writes. */
export const Pain008VersionSchema = z.enum(['pain.008.001.08', 'pain.008.001.02'])

/** A pain.008 version. */
export type Pain008Version = z.output<typeof Pain008VersionSchema>

/** Options of {@link buildPain008}. */
export const Pain008OptionsSchema = z.object({ version: Pain008VersionSchema.optional() }).strict()

/** Options of {@link buildPain008}, as callers pass them. */
export type Pain008Options = z.input<typeof Pain008OptionsSchema>

type Debit = ValidDirectDebitBatch['debits'][number]

const SEQUENCE_ORDER = { FRST: 0, RCUR: 1, OOFF: 2, FNAL: 3 } as const

function name70(s: string): string {
  return toSepaText(s, { maxLength: 70 })
}

function address(x: XMLBuilderCB, a: SepaPostalAddress | undefined): void {
  if (a === undefined) return
  x.ele('PstlAdr')
  if (a.street !== undefined) x.ele('StrtNm').txt(toSepaText(a.street, { maxLength: 70 })).up()
  if (a.buildingNumber !== undefined) x.ele('BldgNb').txt(toSepaText(a.buildingNumber, { maxLength: 16 })).up()
  if (a.postCode !== undefined) x.ele('PstCd').txt(toSepaText(a.postCode, { maxLength: 16 })).up()
  x.ele('TwnNm').txt(toSepaText(a.town, { maxLength: 35 })).up()
  x.ele('Ctry').txt(a.country).up()
  x.up()
}

function agent(x: XMLBuilderCB, role: 'CdtrAgt' | 'DbtrAgt', bic: string | undefined, bicTag: 'BIC' | 'BICFI'): void {
  x.ele(role).ele('FinInstnId')
  if (bic !== undefined) x.ele(bicTag).txt(bic).up()
  else x.ele('Othr').ele('Id').txt('NOTPROVIDED').up().up()
  x.up().up()
}

/**
 * Writes a SEPA direct-debit initiation (pain.008, `.001.08` by default, `.001.02` on request)
 * with xmlbuilder2, never by string concatenation.
 *
 * The batch is validated once ({@link DirectDebitBatchSchema}: IBANs, BICs, creditor
 * identifier, mandate references, end-to-end ids unique and in the SEPA set, amounts in euros).
 * Debits are grouped in one payment block (`PmtInf`) per sequence type (FRST/RCUR/OOFF/FNAL) and
 * collection date, blocks ordered by date; the group header and every block carry `NbOfTxs` and
 * `CtrlSum`. Addresses are structured (town and country at least, as required from
 * 15 November 2026). An OGM is written as a structured creditor reference with issuer `BBA`, an
 * RF with issuer `ISO`; names, addresses and free text are transliterated to the SEPA set
 * (`toSepaText`). The output validates against the official ISO 20022 schema of its version.
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
 * @throws EcoleError `INVALID_INPUT` naming every field that is wrong (`debits.3.debtor.iban: must be a valid IBAN`).
 */
export function buildPain008(batch: DirectDebitBatch, options: Pain008Options = {}): string {
  const { version = 'pain.008.001.08' } = parseInput(Pain008OptionsSchema, options, 'buildPain008 options')
  const b = parseInput(DirectDebitBatchSchema, batch, 'batch')
  const v08 = version === 'pain.008.001.08'
  const bicTag = v08 ? 'BICFI' : 'BIC'

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
  const creditorName = name70(b.creditor.name)

  const chunks: string[] = []
  const x = createCB({ data: (chunk: string) => chunks.push(chunk), prettyPrint: false })
  x.dec({ version: '1.0', encoding: 'UTF-8' })
  x.ele(`urn:iso:std:iso:20022:tech:xsd:${version}`, 'Document').ele('CstmrDrctDbtInitn')
  x.ele('GrpHdr')
  x.ele('MsgId').txt(b.messageId).up()
  x.ele('CreDtTm').txt(b.createdAt).up()
  x.ele('NbOfTxs').txt(String(b.debits.length)).up()
  x.ele('CtrlSum').txt(minorToDecimal(total, 'EUR')).up()
  x.ele('InitgPty').ele('Nm').txt(creditorName).up().up()
  x.up()
  ordered.forEach((debits, i) => {
    const first = debits[0] as Debit
    const sum = debits.reduce((acc, d) => acc + d.amount, 0n)
    x.ele('PmtInf')
    x.ele('PmtInfId').txt(`${b.messageId.slice(0, 29)}-${i + 1}`).up()
    x.ele('PmtMtd').txt('DD').up()
    if (b.batchBooking !== undefined) x.ele('BtchBookg').txt(String(b.batchBooking)).up()
    x.ele('NbOfTxs').txt(String(debits.length)).up()
    x.ele('CtrlSum').txt(minorToDecimal(sum, 'EUR')).up()
    x.ele('PmtTpInf')
    x.ele('SvcLvl').ele('Cd').txt('SEPA').up().up()
    x.ele('LclInstrm').ele('Cd').txt(b.localInstrument).up().up()
    x.ele('SeqTp').txt(first.sequenceType).up()
    x.up()
    x.ele('ReqdColltnDt').txt(first.collectionDate).up()
    x.ele('Cdtr').ele('Nm').txt(creditorName).up()
    address(x, b.creditor.address)
    x.up()
    x.ele('CdtrAcct').ele('Id').ele('IBAN').txt(b.creditor.iban).up().up().up()
    agent(x, 'CdtrAgt', b.creditor.bic, bicTag)
    x.ele('ChrgBr').txt('SLEV').up()
    x.ele('CdtrSchmeId').ele('Id').ele('PrvtId').ele('Othr')
    x.ele('Id').txt(b.creditor.creditorId).up()
    x.ele('SchmeNm').ele('Prtry').txt('SEPA').up().up()
    x.up().up().up().up()
    for (const d of debits) {
      x.ele('DrctDbtTxInf')
      x.ele('PmtId')
      if (d.instructionId !== undefined) x.ele('InstrId').txt(d.instructionId).up()
      x.ele('EndToEndId').txt(d.endToEndId).up()
      x.up()
      x.ele('InstdAmt', { Ccy: 'EUR' }).txt(minorToDecimal(d.amount, 'EUR')).up()
      x.ele('DrctDbtTx').ele('MndtRltdInf')
      x.ele('MndtId').txt(d.mandate.id).up()
      x.ele('DtOfSgntr').txt(d.mandate.signatureDate).up()
      x.up().up()
      agent(x, 'DbtrAgt', d.debtor.bic, bicTag)
      x.ele('Dbtr').ele('Nm').txt(name70(d.debtor.name)).up()
      address(x, d.debtor.address)
      x.up()
      x.ele('DbtrAcct').ele('Id').ele('IBAN').txt(d.debtor.iban).up().up().up()
      const rmt = d.remittance
      if (rmt !== undefined) {
        x.ele('RmtInf')
        switch (rmt.kind) {
          case 'text':
            x.ele('Ustrd').txt(toSepaText(rmt.text, { maxLength: 140 })).up()
            break
          case 'ogm':
          case 'rf':
            x.ele('Strd').ele('CdtrRefInf').ele('Tp')
            x.ele('CdOrPrtry').ele('Cd').txt('SCOR').up().up()
            x.ele('Issr').txt(rmt.kind === 'ogm' ? 'BBA' : 'ISO').up()
            x.up()
            x.ele('Ref').txt(rmt.reference).up()
            x.up().up()
            break
          default: {
            const never: never = rmt
            throw new Error(`unknown remittance ${String(never)}`)
          }
        }
        x.up()
      }
      x.up()
    }
    x.up()
  })
  x.up().up()
  x.end()
  return chunks.join('')
}
