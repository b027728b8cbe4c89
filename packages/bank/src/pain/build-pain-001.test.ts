import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { xsdFileProblems } from '../test-support/shared-data'
import { thrown } from '../test-support/thrown'
import { buildPain001, refundTransfers, writePain001, type CreditTransferBatch } from './build-pain-001'

// An independent reader of the output (fast-xml-parser, not the package's own scanner).
const reader = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => name === 'CdtTrfTxInf' })
// The schemas: ISO 20022's pain.001.001.03 and the EPC's SCT rulebook variant of pain.001.001.09, kept as
// fixtures with their source (fixtures/iso20022/README.md).
const PAIN_001_XSD = {
  'pain.001.001.09': new URL('../../fixtures/iso20022/pain.001.001.09.EPC132-08_2023_V1.0_SCT_C2PSP.xsd', import.meta.url),
  'pain.001.001.03': new URL('../../fixtures/iso20022/pain.001.001.03.xsd', import.meta.url),
}
const schemaProblems = (xml: string, version: keyof typeof PAIN_001_XSD) => xsdFileProblems(xml, PAIN_001_XSD[version])

const balances = [
  { payerId: 'g1', balance: { amount: '12.40', currency: 'EUR' }, name: 'Léa Martin', iban: 'BE71 0961 2345 6769', bic: 'GKCCBEBB' },
  { payerId: 'g2', balance: { amount: '0.00', currency: 'EUR' }, name: 'Zoé Petit', iban: 'BE71096123456769' },
  { payerId: 'g3', balance: { amount: '-5.00', currency: 'EUR' }, name: 'Paul Durand', iban: 'BE71096123456769' },
  { payerId: 'g4', balance: { amount: '7.00', currency: 'EUR' }, name: 'Γιώργος Παπαδόπουλος', iban: 'FR7630006000011234567890189' },
  { payerId: 'g5', balance: { amount: '3.00', currency: 'EUR' }, name: 'Sans IBAN' },
  { payerId: 'g6', balance: { amount: '3.00', currency: 'CHF' }, name: 'Franc Suisse', iban: 'BE71096123456769' },
]
const batchOf = (transfers: CreditTransferBatch['transfers']): CreditTransferBatch => ({
  messageId: 'REFUND-2027-06', createdAt: '2027-06-30T09:00:00Z', executionDate: '2027-07-02',
  debtor: { name: 'Commune de Wavre', iban: 'BE68539007547034', bic: 'GEBABEBB', address: { street: "Place de l'Hôtel de Ville", buildingNumber: '1', postCode: '1300', town: 'Wavre', country: 'BE' } },
  transfers,
})

describe('refunds by SEPA credit transfer (pain.001)', () => {
  it('refunds every positive balance in euros to the family IBAN, and says why the others are not refunded', () => {
    const { transfers, excluded } = refundTransfers(balances, { endToEndPrefix: 'RB2706-', remittance: 'Remboursement du solde cantine' })
    expect(transfers.map((t) => [t.endToEndId, t.amount.amount, t.creditor.name])).toEqual([['RB2706-g1', '12.40', 'Léa Martin'], ['RB2706-g4', '7.00', 'Γιώργος Παπαδόπουλος']])
    expect(excluded).toEqual([{ payerId: 'g2', reason: 'NOTHING_OWED' }, { payerId: 'g3', reason: 'NOTHING_OWED' }, { payerId: 'g5', reason: 'NO_IBAN' }, { payerId: 'g6', reason: 'NOT_EUR' }])
    expect(thrown(() => refundTransfers([{ ...balances[0]!, balance: { amount: '1,00', currency: 'EUR' } }], { endToEndPrefix: 'R-' })).code).toBe('INVALID_INPUT')
  })

  it('writes a pain.001.001.09 whose counts and control sums add up, names transliterated, the debtor address structured', () => {
    const { transfers } = refundTransfers(balances, { endToEndPrefix: 'RB2706-', remittance: 'Remboursement du solde cantine' })
    const { xml, warnings } = writePain001(batchOf(transfers))
    const doc = reader.parse(xml).Document
    expect(doc['@xmlns']).toBe('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09')
    const { GrpHdr, PmtInf } = doc.CstmrCdtTrfInitn
    expect([GrpHdr.NbOfTxs, GrpHdr.CtrlSum, PmtInf.NbOfTxs, PmtInf.CtrlSum, PmtInf.PmtMtd, PmtInf.ReqdExctnDt.Dt]).toEqual(['2', '19.40', '2', '19.40', 'TRF', '2027-07-02'])
    expect(PmtInf.Dbtr.PstlAdr).toEqual({ StrtNm: "Place de l'Hotel de Ville", BldgNb: '1', PstCd: '1300', TwnNm: 'Wavre', Ctry: 'BE' })
    expect(PmtInf.CdtTrfTxInf.map((t: Record<string, any>) => [t.PmtId.EndToEndId, t.Amt.InstdAmt['#text'], t.Cdtr.Nm, t.CdtrAcct.Id.IBAN, t.CdtrAgt?.FinInstnId.BICFI, t.RmtInf.Ustrd])).toEqual([
      ['RB2706-g1', '12.40', 'Lea Martin', 'BE71096123456769', 'GKCCBEBB', 'Remboursement du solde cantine'],
      ['RB2706-g4', '7.00', 'Giorgos Papadopoulos', 'FR7630006000011234567890189', undefined, 'Remboursement du solde cantine'],
    ])
    expect(warnings).toEqual([])
    expect(schemaProblems(xml, 'pain.001.001.09')).toEqual([])
  })

  it('writes a pain.001.001.03 on request (BIC, a plain execution date), with the same figures', () => {
    const { transfers } = refundTransfers(balances, { endToEndPrefix: 'RB2706-' })
    const xml = buildPain001(batchOf(transfers), { version: 'pain.001.001.03' })
    const { PmtInf } = reader.parse(xml).Document.CstmrCdtTrfInitn
    expect([PmtInf.ReqdExctnDt, PmtInf.DbtrAgt.FinInstnId.BIC, PmtInf.CdtTrfTxInf[0].CdtrAgt.FinInstnId.BIC, PmtInf.CdtTrfTxInf[0].RmtInf]).toEqual(['2027-07-02', 'GEBABEBB', 'GKCCBEBB', undefined])
    expect(schemaProblems(xml, 'pain.001.001.03')).toEqual([])
  })

  it('is checked by schemas that do refuse a wrong file: a payment method other than TRF, or an amount of zero under the EPC rulebook (0.01 at least)', () => {
    const { transfers } = refundTransfers(balances, { endToEndPrefix: 'RB2706-' })
    const xml09 = buildPain001(batchOf(transfers))
    expect(schemaProblems(xml09.replace('<PmtMtd>TRF</PmtMtd>', '<PmtMtd>CHK</PmtMtd>'), 'pain.001.001.09')).not.toEqual([])
    expect(xml09).toContain('<InstdAmt Ccy="EUR">12.40</InstdAmt>')
    expect(schemaProblems(xml09.replace('<InstdAmt Ccy="EUR">12.40</InstdAmt>', '<InstdAmt Ccy="EUR">0.00</InstdAmt>'), 'pain.001.001.09')).not.toEqual([])
    const xml03 = buildPain001(batchOf(transfers), { version: 'pain.001.001.03' })
    expect(schemaProblems(xml03.replace('<PmtMtd>TRF</PmtMtd>', '<PmtMtd>XXX</PmtMtd>'), 'pain.001.001.03')).not.toEqual([])
  })

  it('refuses a batch with a wrong IBAN, duplicated end-to-end ids or an amount that is not euros, naming each field', () => {
    const { transfers } = refundTransfers(balances, { endToEndPrefix: 'RB2706-' })
    const bad = batchOf([{ ...transfers[0]!, creditor: { ...transfers[0]!.creditor, iban: 'BE71096123456760' } }, { ...transfers[1]!, endToEndId: transfers[0]!.endToEndId }])
    const e = thrown(() => buildPain001(bad))
    expect(e.message).toContain('batch.transfers.0.creditor.iban: must be a valid IBAN')
    expect(e.message).toContain('batch.transfers.1.endToEndId: duplicates transfers.0.endToEndId')
    expect(thrown(() => buildPain001(batchOf([{ ...transfers[1]!, amount: { amount: '1.00', currency: 'CHF' as 'EUR' } }]))).message).toContain('batch.transfers.0.amount')
  })
})
