import { describe, expect, it } from 'vitest'
import { hasSharedData, sharedText } from '../test-support/shared-data'
import { parseCamt053 } from './parse-camt-053'
import { parseCamt054 } from './parse-camt-054'
import { thrown } from '../test-support/thrown'

const bal = (code: string, amount: string, cd: string, ccy = 'EUR') =>
  `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="${ccy}">${amount}</Amt><CdtDbtInd>${cd}</CdtDbtInd><Dt><Dt>2026-11-30</Dt></Dt></Bal>`
const ntry = (ref: string, amount: string, cd: string, details = '') =>
  `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>${cd}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-30</Dt></BookgDt><ValDt><Dt>2026-11-30</Dt></ValDt><AcctSvcrRef>${ref}</AcctSvcrRef>${details}</Ntry>`
const camt053 = (body: string, version = '08') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}"><BkToCstmrStmt><GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-12-01T06:00:00+01:00</CreDtTm></GrpHdr>\n<Stmt><Id>STMT-1</Id><ElctrncSeqNb>42</ElctrncSeqNb><Acct><Id><IBAN>BE68539007547034</IBAN></Id><Ccy>EUR</Ccy></Acct>\n${body}\n</Stmt></BkToCstmrStmt></Document>`
const tx = (e2e: string, amount: string, rmt: string) =>
  `<TxDtls><Refs><EndToEndId>${e2e}</EndToEndId></Refs><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><RmtInf>${rmt}</RmtInf></TxDtls>`

describe('parseCamt053 on the public sample files', () => {
  it.runIf(hasSharedData)('refuses the genkgo camt.053.001.02 sample, saying its closing balance is in SEK while its opening balance is in EUR', () => {
    const e = thrown(() => parseCamt053(sharedText('bank/genkgo-camt-camt053.v2.minimal.xml')))
    expect(e.code).toBe('STATEMENT_DOES_NOT_ADD_UP')
    expect(e.message).toContain('CLBD balance currency: the file states SEK')
    expect(e.details.disagreements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ figure: 'CLBD balance currency', stated: 'SEK' }),
        expect.objectContaining({ figure: 'OPAV balance currency', stated: 'CHF' }),
        expect.objectContaining({ figure: 'CLAV balance currency', stated: 'JPY' }),
      ]),
    )
  })

  it.runIf(hasSharedData)('refuses the genkgo camt.053.001.08 sample for the same reason', () => {
    const e = thrown(() => parseCamt053(sharedText('bank/genkgo-camt-camt053.v8.xml')))
    expect(e.code).toBe('STATEMENT_DOES_NOT_ADD_UP')
    expect(e.message).toContain('statement 253EURNL26VAYB8060476890')
    expect(e.message).toContain('SEK')
  })

  it.runIf(hasSharedData)('still refuses the .02 sample once the closing currency is EUR: 18.15 credit + 8.85 credit is not a 27.00 debit balance', () => {
    const xml = sharedText('bank/genkgo-camt-camt053.v2.minimal.xml').replace('<Amt Ccy="SEK">27.00</Amt>', '<Amt Ccy="EUR">27.00</Amt>')
    const e = thrown(() => parseCamt053(xml))
    expect(e.message).toContain('closing balance CLBD: the file states -27.00 EUR but its content gives 27.00 EUR')
  })

  it.runIf(hasSharedData)('reads the .02 sample once its balances agree: entry, structured reference (issuer BBA), debtor', () => {
    const xml = sharedText('bank/genkgo-camt-camt053.v2.minimal.xml')
      .replace(/<Amt Ccy="SEK">27.00<\/Amt>\s*<CdtDbtInd>DBIT<\/CdtDbtInd>/, '<Amt Ccy="EUR">27.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>')
      .replace('<Amt Ccy="CHF">35.00</Amt>', '<Amt Ccy="EUR">35.00</Amt>')
      .replace('<Amt Ccy="JPY">2700</Amt>', '<Amt Ccy="EUR">2700</Amt>')
    const [s] = parseCamt053(xml)
    expect([s!.id, s!.format, s!.sequenceNumber, s!.account.iban, s!.account.currency]).toEqual(['253EURNL26VAYB8060476890', 'camt.053', '12312', 'NL26VAYB8060476890', 'EUR'])
    expect(s!.balances.map((b) => [b.kind, b.code, b.amount.toString(), b.date])).toEqual([
      ['opening', 'OPBD', '18.15 EUR', '2014-12-30'],
      ['closing', 'CLBD', '27.00 EUR', '2014-12-31'],
      ['openingAvailable', 'OPAV', '35.00 EUR', '2014-12-30'],
      ['closingAvailable', 'CLAV', '-2700.00 EUR', '2014-12-31'],
    ])
    const e = s!.entries[0]!
    // no AcctSvcrRef in this file: the reference is the statement id and the entry's position
    expect([e.reference, e.amount.toString(), e.creditDebit, e.status, e.bookingDate, e.valueDate, e.bankTransactionCode]).toEqual([
      '253EURNL26VAYB8060476890/1', '8.85 EUR', 'credit', 'booked', '2014-12-31', '2015-01-02', '544',
    ])
    expect(e.transactions[0]!.remittance).toEqual({ structured: [{ reference: '4654654654654654', type: 'SCOR', issuer: 'BBA' }], unstructured: [] })
    expect(e.transactions[0]!.debtor).toEqual({ name: 'NAME NAME', iban: 'NL56AGDH9619008421' })
    expect(s!.additionalInfo).toEqual(['Additional Information'])
  })

  it.runIf(hasSharedData)('reads the .08 sample once its balances agree: AcctSvcrRef, date-times, domain codes, parties under Pty', () => {
    const xml = sharedText('bank/genkgo-camt-camt053.v8.xml')
      .replace(/<Amt Ccy="SEK">27.00<\/Amt>\s*<CdtDbtInd>DBIT<\/CdtDbtInd>/, '<Amt Ccy="EUR">27.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>')
      .replace(/<Bal>\s*<Tp>\s*<CdOrPrtry>\s*<Cd>(OPAV|CLAV)<\/Cd>[\s\S]*?<\/Bal>/g, '')
    const [s] = parseCamt053(xml)
    const e = s!.entries[0]!
    expect([e.reference, e.bookingDate, e.bankTransactionCode]).toEqual(['AAAASESS-FP-CN_98765/01', '2014-12-31', 'PMNT-RCDT-BOOK'])
    expect([s!.account.otherId, s!.account.ownerName]).toEqual(['NL26VAYB8060476890', 'FINPETROL'])
    expect(e.transactions[0]!.endToEndId).toBe('MUELL/FINP/RA12345')
    expect(e.transactions[0]!.debtor?.name).toBe('NAME NAME')
    expect(e.transactions[0]!.creditor?.name).toBe('Company Name')
  })
})

describe('parseCamt054 on the public sample file', () => {
  it.runIf(hasSharedData)('reads a batch entry of three transactions with their Strd and Ustrd remittance, nothing dropped', () => {
    const [n] = parseCamt054(sharedText('bank/genkgo-camt-camt054.v2.xml'))
    expect([n!.format, n!.id, n!.balances]).toEqual(['camt.054', 'AAAASESS-FP-ACCR001', []])
    const e = n!.entries[0]!
    expect([e.amount.toString(), e.creditDebit, e.bankTransactionCode]).toEqual(['200000.00 SEK', 'debit', 'PMNT-ICDT-DMCT'])
    expect(e.transactions.map((t) => t.remittance)).toEqual([
      { structured: [{ reference: 'ISR ref number V1', type: 'ISR Reference', additionalInfo: 'Additional Remittance Information V1' }], unstructured: ['Unstructured Remittance Information V1'] },
      { structured: [{ reference: 'ISR ref number V2', type: 'ISR Reference', additionalInfo: 'Additional Remittance Information V2' }], unstructured: [] },
      {
        structured: [
          { reference: 'Ref number V3 block 1', type: 'SCOR', additionalInfo: 'Additional Remittance Information V3 block 1' },
          { reference: 'Ref number V3 block 2', type: 'SCOR', additionalInfo: 'Additional Remittance Information V3 block 2' },
        ],
        unstructured: ['Unstructured Remittance Information V3 block 1', 'Unstructured Remittance Information V3 block 2'],
      },
    ])
  })
})

describe('parseCamt053 checks and errors', () => {
  it('accepts a statement whose balances, summary and batch add up', () => {
    const batch = `<NtryDtls><Btch><NbOfTxs>2</NbOfTxs></Btch>${tx('E1', '10.00', '<Ustrd>a</Ustrd>')}${tx('E2', '5.50', '<Ustrd>b</Ustrd>')}</NtryDtls>`
    const xml = camt053(
      `${bal('OPBD', '100.00', 'CRDT')}${bal('CLBD', '95.50', 'CRDT')}<TxsSummry><TtlNtries><NbOfNtries>2</NbOfNtries><Sum>35.50</Sum></TtlNtries><TtlCdtNtries><NbOfNtries>1</NbOfNtries><Sum>15.50</Sum></TtlCdtNtries><TtlDbtNtries><NbOfNtries>1</NbOfNtries><Sum>20</Sum></TtlDbtNtries></TxsSummry>${ntry('R1', '15.50', 'CRDT', batch)}${ntry('R2', '20.00', 'DBIT')}`,
    )
    const [s] = parseCamt053(xml)
    // 100.00 + 15.50 - 20.00 = 95.50
    expect(s!.entries.map((e) => [e.reference, e.transactions.length])).toEqual([['R1', 2], ['R2', 1]])
  })

  it('refuses a statement whose closing balance is not opening + entries, with both figures', () => {
    const e = thrown(() => parseCamt053(camt053(`${bal('OPBD', '100.00', 'CRDT')}${bal('CLBD', '90.00', 'CRDT')}${ntry('R1', '15.50', 'CRDT')}`)))
    expect(e.code).toBe('STATEMENT_DOES_NOT_ADD_UP')
    expect(e.message).toContain('closing balance CLBD: the file states 90.00 EUR but its content gives 115.50 EUR')
  })

  it('refuses a statement whose summary counts another number of entries', () => {
    const e = thrown(() => parseCamt053(camt053(`<TxsSummry><TtlNtries><NbOfNtries>3</NbOfNtries></TtlNtries></TxsSummry>${ntry('R1', '1.00', 'CRDT')}`)))
    expect(e.message).toContain('TxsSummry/TtlNtries/NbOfNtries: the file states 3 but its content gives 1')
  })

  it('refuses a batch entry whose transactions do not add up to it, or whose count differs', () => {
    const details = `<NtryDtls><Btch><NbOfTxs>3</NbOfTxs></Btch>${tx('E1', '10.00', '')}${tx('E2', '5.00', '')}</NtryDtls>`
    const e = thrown(() => parseCamt053(camt053(ntry('R1', '15.50', 'CRDT', details))))
    expect(e.message).toContain('entry 1 (R1) Btch/NbOfTxs: the file states 3 but its content gives 2')
    expect(e.message).toContain('entry 1 (R1) amount against the sum of its TxDtls: the file states 15.50 but its content gives 15.00')
  })

  it('reads any .001.xx version and any namespace prefix the same way', () => {
    const plain = camt053(ntry('R1', '1.00', 'CRDT'), '13')
    const prefixed = plain.replace(/<(\/?)([A-Za-z])/g, '<$1c:$2').replace('xmlns=', 'xmlns:c=')
    expect(parseCamt053(prefixed)).toEqual(parseCamt053(plain))
  })

  it('decodes entities and CDATA in remittance text', () => {
    const [s] = parseCamt053(camt053(ntry('R1', '1.00', 'CRDT', `<NtryDtls>${tx('E1', '1.00', '<Ustrd>Caf&#233; &amp; th&#xE9; <![CDATA[<ok>]]></Ustrd>')}</NtryDtls>`)))
    expect(s!.entries[0]!.transactions[0]!.remittance.unstructured).toEqual(['Café & thé <ok>'])
  })

  it('refuses XML that is not well formed, naming the line', () => {
    const xml = camt053(ntry('R1', '1.00', 'CRDT')).replace('</AcctSvcrRef>', '</AcctSvcr>')
    const e = thrown(() => parseCamt053(xml))
    expect(e.code).toBe('MALFORMED_XML')
    expect(e.message).toContain('line 4')
    expect(e.message).toContain('</AcctSvcr> closes <AcctSvcrRef>')
  })

  it('refuses an entry without an amount, naming the line and the field', () => {
    const xml = camt053(`\n\n${ntry('R1', '1.00', 'CRDT').replace('<Amt Ccy="EUR">1.00</Amt>', '')}`)
    const e = thrown(() => parseCamt053(xml))
    expect(e.code).toBe('MALFORMED_BANK_FILE')
    expect(e.message).toContain('line 6, field Ntry/Amt: is missing')
  })

  it('refuses an amount that is not a decimal, a credit/debit indicator that is neither, and a currency it does not know', () => {
    expect(thrown(() => parseCamt053(camt053(ntry('R1', '1,00', 'CRDT')))).message).toContain('field Ntry/Amt: "1,00" is not a non-negative decimal amount')
    expect(thrown(() => parseCamt053(camt053(ntry('R1', '1.00', 'CRED')))).message).toContain('field Ntry/CdtDbtInd: must be CRDT or DBIT')
    expect(thrown(() => parseCamt053(camt053(ntry('R1', '1.00', 'CRDT').replace('Ccy="EUR"', 'Ccy="XYZ"')))).message).toContain('"XYZ" is not an ISO 4217 code')
  })

  it('refuses another message, and a DTD', () => {
    expect(thrown(() => parseCamt054(camt053(''))).message).toContain('is not a camt.054 message (found <BkToCstmrStmt>)')
    expect(thrown(() => parseCamt053('<!DOCTYPE d [<!ENTITY x "y">]><Document/>')).code).toBe('MALFORMED_XML')
  })
})
