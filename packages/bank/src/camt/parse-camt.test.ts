import { shown } from '../test-support/entries'
import { describe, expect, it } from 'vitest'
import { statementDisagreements } from '../statement/check-statement'
import { fixtureText } from '../test-support/fixtures'
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
  it('reads the .02 sample once its balances agree: entry, structured reference (issuer BBA), debtor, and no disagreement left', () => {
    const xml = fixtureText('genkgo-camt-camt053.v2.minimal.xml')
      .replace(/<Amt Ccy="SEK">27.00<\/Amt>\s*<CdtDbtInd>DBIT<\/CdtDbtInd>/, '<Amt Ccy="EUR">27.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>')
      .replace('<Amt Ccy="CHF">35.00</Amt>', '<Amt Ccy="EUR">35.00</Amt>')
      .replace('<Amt Ccy="JPY">2700</Amt>', '<Amt Ccy="EUR">2700</Amt>')
    const [s] = parseCamt053(xml)
    expect([s!.id, s!.format, s!.sequenceNumber, s!.account.iban, s!.account.currency]).toEqual(['253EURNL26VAYB8060476890', 'camt.053', '12312', 'NL26VAYB8060476890', 'EUR'])
    expect(s!.balances.map((b) => [b.kind, b.code, shown(b.amount), b.date])).toEqual([
      ['opening', 'OPBD', '18.15 EUR', '2014-12-30'],
      ['closing', 'CLBD', '27.00 EUR', '2014-12-31'],
      ['openingAvailable', 'OPAV', '35.00 EUR', '2014-12-30'],
      ['closingAvailable', 'CLAV', '-2700.00 EUR', '2014-12-31'],
    ])
    const e = s!.entries[0]!
    // no AcctSvcrRef in this file: the reference is the statement id and the entry's position
    expect([e.reference, shown(e.amount), e.creditDebit, e.status, e.bookingDate, e.valueDate, e.bankTransactionCode]).toEqual([
      '253EURNL26VAYB8060476890/1', '8.85 EUR', 'credit', 'booked', '2014-12-31', '2015-01-02', '544',
    ])
    expect(e.transactions[0]!.remittance).toEqual({ structured: [{ reference: '4654654654654654', type: 'SCOR', issuer: 'BBA' }], unstructured: [] })
    expect(e.transactions[0]!.debtor).toEqual({ name: 'NAME NAME', iban: 'NL56AGDH9619008421' })
    expect(s!.additionalInfo).toEqual(['Additional Information'])
    expect(statementDisagreements(s!)).toEqual([])
    // CLAV -2700 is neither CLBD nor OPAV + entries: the bank's own figure, a notice
    expect(s!.checks.find((c) => c.figure === 'available balance CLAV')?.severity).toBe('notice')
  })

  it('reads the .08 sample once its balances agree: AcctSvcrRef, date-times, domain codes, parties under Pty', () => {
    const xml = fixtureText('genkgo-camt-camt053.v8.xml')
      .replace(/<Amt Ccy="SEK">27.00<\/Amt>\s*<CdtDbtInd>DBIT<\/CdtDbtInd>/, '<Amt Ccy="EUR">27.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>')
      .replace(/<Bal>\s*<Tp>\s*<CdOrPrtry>\s*<Cd>(OPAV|CLAV)<\/Cd>[\s\S]*?<\/Bal>/g, '')
    const [s] = parseCamt053(xml)
    const e = s!.entries[0]!
    expect([e.reference, e.bookingDate, e.bankTransactionCode]).toEqual(['AAAASESS-FP-CN_98765/01', '2014-12-31', 'PMNT-RCDT-BOOK'])
    expect([s!.account.otherId, s!.account.ownerName]).toEqual(['NL26VAYB8060476890', 'FINPETROL'])
    expect(e.transactions[0]!.endToEndId).toBe('MUELL/FINP/RA12345')
    expect(e.transactions[0]!.debtor?.name).toBe('NAME NAME')
    expect(e.transactions[0]!.creditor?.name).toBe('Company Name')
    expect(statementDisagreements(s!)).toEqual([])
  })
})

describe('parseCamt054 on the public sample file', () => {
  it('reads a batch entry of three transactions with their Strd and Ustrd remittance, nothing dropped', () => {
    const [n] = parseCamt054(fixtureText('genkgo-camt-camt054.v2.xml'))
    expect([n!.format, n!.id, n!.balances]).toEqual(['camt.054', 'AAAASESS-FP-ACCR001', []])
    const e = n!.entries[0]!
    expect([shown(e.amount), e.creditDebit, e.bankTransactionCode]).toEqual(['200000.00 SEK', 'debit', 'PMNT-ICDT-DMCT'])
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
    expect(s!.checks.every((c) => c.severity === 'ok')).toBe(true)
    expect(s!.checks.map((c) => c.figure)).toEqual([
      'closing balance CLBD', 'TxsSummry/TtlNtries/NbOfNtries', 'TxsSummry/TtlNtries/Sum', 'TxsSummry/TtlCdtNtries/NbOfNtries', 'TxsSummry/TtlCdtNtries/Sum',
      'TxsSummry/TtlDbtNtries/NbOfNtries', 'TxsSummry/TtlDbtNtries/Sum', 'entry 1 Btch/NbOfTxs', 'entry 1 amount against the sum of its TxDtls',
    ])
  })

  it('reports, never throws, a statement whose closing balance is not opening + entries, with both figures', () => {
    const [s] = parseCamt053(camt053(`${bal('OPBD', '100.00', 'CRDT')}${bal('CLBD', '90.00', 'CRDT')}${ntry('R1', '15.50', 'CRDT')}`))
    expect(statementDisagreements(s!)).toEqual([
      { rule: 'balance', figure: 'closing balance CLBD', stated: '90.00 EUR', computed: '115.50 EUR (opening OPBD 100.00 + booked entries 15.50)', severity: 'disagreement' },
    ])
    expect(s!.entries).toHaveLength(1)
  })

  it('reports a summary that counts another number of entries, and accepts one that counts booked entries only', () => {
    const [s] = parseCamt053(camt053(`<TxsSummry><TtlNtries><NbOfNtries>3</NbOfNtries></TtlNtries></TxsSummry>${ntry('R1', '1.00', 'CRDT')}`))
    expect(statementDisagreements(s!)).toEqual([{ rule: 'count', figure: 'TxsSummry/TtlNtries/NbOfNtries', stated: '3', computed: '1', severity: 'disagreement' }])
    const pending = ntry('R2', '2.00', 'CRDT').replace('<Cd>BOOK</Cd>', '<Cd>PDNG</Cd>')
    const [t] = parseCamt053(camt053(`<TxsSummry><TtlNtries><NbOfNtries>1</NbOfNtries><Sum>1.00</Sum></TtlNtries></TxsSummry>${ntry('R1', '1.00', 'CRDT')}${pending}`))
    expect(t!.checks.map((c) => [c.figure, c.severity, c.convention])).toEqual([
      ['TxsSummry/TtlNtries/NbOfNtries', 'ok', 'booked entries only (pending and information entries not counted)'],
      ['TxsSummry/TtlNtries/Sum', 'ok', 'booked entries only'],
    ])
  })

  it('reports a batch whose transactions do not add up to it, or that lists more transactions than its count', () => {
    const details = `<NtryDtls><Btch><NbOfTxs>1</NbOfTxs></Btch>${tx('E1', '10.00', '')}${tx('E2', '5.00', '')}</NtryDtls>`
    const [s] = parseCamt053(camt053(ntry('R1', '15.50', 'CRDT', details)))
    expect(statementDisagreements(s!)).toEqual([
      { rule: 'batch', figure: 'entry 1 Btch/NbOfTxs', stated: '1', computed: '2', severity: 'disagreement', entryReference: 'R1' },
      { rule: 'batch', figure: 'entry 1 amount against the sum of its TxDtls', stated: '15.50', computed: '15.00', severity: 'disagreement', entryReference: 'R1' },
    ])
    const [t] = parseCamt053(camt053(ntry('R1', '15.50', 'CRDT', details.replace('<NbOfTxs>1<', '<NbOfTxs>2<'))))
    expect(statementDisagreements(t!)).toEqual([
      { rule: 'batch', figure: 'entry 1 amount against the sum of its TxDtls', stated: '15.50', computed: '15.00', severity: 'disagreement', entryReference: 'R1' },
    ])
  })

  it('accepts a batch listing fewer TxDtls than its NbOfTxs, or none: details are optional', () => {
    const some = `<NtryDtls><Btch><NbOfTxs>5</NbOfTxs><TtlAmt Ccy="EUR">15.50</TtlAmt></Btch>${tx('E1', '10.00', '')}${tx('E2', '5.00', '')}</NtryDtls>`
    const none = '<NtryDtls><Btch><NbOfTxs>3</NbOfTxs></Btch></NtryDtls>'
    const [s] = parseCamt053(camt053(`${ntry('R1', '15.50', 'CRDT', some)}${ntry('R2', '7.00', 'CRDT', none)}`))
    expect(s!.checks).toEqual([
      { rule: 'batch', figure: 'entry 1 Btch/NbOfTxs', stated: '5', computed: '2', severity: 'ok', convention: 'transaction details are optional: 2 of 5 listed', entryReference: 'R1' },
      { rule: 'batch', figure: 'entry 1 amount against Btch/TtlAmt', stated: '15.50', computed: '15.50', severity: 'ok', entryReference: 'R1' },
      {
        rule: 'batch', figure: 'entry 1 amount against the sum of its TxDtls', stated: '15.50', computed: '15.00', severity: 'notice', entryReference: 'R1',
        convention: 'transaction details are optional: 2 of 5 listed, the entry\'s amount is not derivable from them (reconciled whole, for review)',
      },
      { rule: 'batch', figure: 'entry 2 Btch/NbOfTxs', stated: '3', computed: '0', severity: 'ok', convention: 'transaction details are optional: 0 of 3 listed', entryReference: 'R2' },
    ])
    expect(s!.entries[1]!.transactions).toHaveLength(1)
  })

  it('adds up the TxDtls of a camt.053.001.02 batch, which carry no CdtDbtInd, in the entry\'s direction', () => {
    const tx02 = (amount: string) => `<TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">${amount}</Amt></TxAmt></AmtDtls></TxDtls>`
    const [s] = parseCamt053(camt053(ntry('R1', '15.50', 'CRDT', `<NtryDtls>${tx02('10.00')}${tx02('5.50')}</NtryDtls>`), '02'))
    expect(s!.checks).toEqual([{ rule: 'batch', figure: 'entry 1 amount against the sum of its TxDtls', stated: '15.50', computed: '15.50', severity: 'ok', entryReference: 'R1' }])
    const [t] = parseCamt053(camt053(ntry('R1', '15.50', 'CRDT', `<NtryDtls>${tx02('10.00')}${tx02('5.00')}</NtryDtls>`), '02'))
    expect(statementDisagreements(t!)).toEqual([
      { rule: 'batch', figure: 'entry 1 amount against the sum of its TxDtls', stated: '15.50', computed: '15.00', severity: 'disagreement', entryReference: 'R1' },
    ])
  })

  it('accepts TxDtls that add up to the entry once the charges the entry states (Chrgs/Rcrd) are taken off, naming them; a charge added apart (ChrgInclInd false) is not taken off', () => {
    const details = `<NtryDtls>${tx('E1', '10.00', '')}${tx('E2', '5.50', '')}</NtryDtls>`
    const charge = (included: string) => `<Chrgs><Rcrd><Amt Ccy="EUR">0.50</Amt><CdtDbtInd>DBIT</CdtDbtInd>${included}</Rcrd></Chrgs>`
    const [s] = parseCamt053(camt053(ntry('R1', '15.00', 'CRDT', charge('') + details)))
    expect(s!.checks).toEqual([{
      rule: 'batch', figure: 'entry 1 amount against the sum of its TxDtls', stated: '15.00', computed: '15.00', severity: 'ok', entryReference: 'R1',
      convention: 'the TxDtls (15.50) less the charges stated in Chrgs (0.50): the entry is reconciled whole, for review',
    }])
    const [t] = parseCamt053(camt053(ntry('R1', '15.00', 'CRDT', charge('<ChrgInclInd>false</ChrgInclInd>') + details)))
    expect(statementDisagreements(t!).map((c) => [c.figure, c.stated, c.computed])).toEqual([['entry 1 amount against the sum of its TxDtls', '15.00', '15.50']])
  })

  it('takes off the charges each TxDtls states when the entry states none', () => {
    const withFee = (e2e: string, amount: string) => `<TxDtls><Refs><EndToEndId>${e2e}</EndToEndId></Refs><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Chrgs><Rcrd><Amt Ccy="EUR">0.25</Amt></Rcrd></Chrgs></TxDtls>`
    const [s] = parseCamt053(camt053(ntry('R1', '15.00', 'CRDT', `<NtryDtls>${withFee('E1', '10.00')}${withFee('E2', '5.50')}</NtryDtls>`)))
    expect(statementDisagreements(s!)).toEqual([])
    expect(s!.checks[0]!.convention).toBe('the TxDtls (15.50) less the charges stated in Chrgs (0.50): the entry is reconciled whole, for review')
  })

  it('accepts a closing booked balance that leaves out entries value-dated after the statement date, naming that convention', () => {
    const later = ntry('R2', '20.00', 'CRDT').replace('<ValDt><Dt>2026-11-30</Dt></ValDt>', '<ValDt><Dt>2026-12-02</Dt></ValDt>')
    const [s] = parseCamt053(camt053(`${bal('OPBD', '100.00', 'CRDT')}${bal('CLBD', '115.50', 'CRDT')}${ntry('R1', '15.50', 'CRDT')}${later}`))
    expect(s!.checks).toEqual([{
      rule: 'balance', figure: 'closing balance CLBD', stated: '115.50 EUR', computed: '115.50 EUR', severity: 'ok',
      convention: 'booked entries value-dated on or before the closing date (2026-11-30); later value dates excluded',
    }])
  })

  it('accepts a reversal (RvslInd) counted against its indicator when that is what makes the balance agree', () => {
    const reversal = ntry('R2', '20.00', 'CRDT').replace('<Sts>', '<RvslInd>true</RvslInd><Sts>')
    const [s] = parseCamt053(camt053(`${bal('OPBD', '100.00', 'CRDT')}${bal('CLBD', '95.50', 'CRDT')}${ntry('R1', '15.50', 'CRDT')}${reversal}`))
    expect(s!.entries[1]!.reversal).toBe(true)
    expect(s!.checks).toEqual([{
      rule: 'balance', figure: 'closing balance CLBD', stated: '95.50 EUR', computed: '95.50 EUR', severity: 'ok', convention: 'reversals (RvslInd) counted against their credit/debit indicator',
    }])
  })

  it('checks PRCD against OPBD, and available balances by their definition (equal to booked: ok; otherwise a notice, never a disagreement)', () => {
    const [s] = parseCamt053(camt053(
      `${bal('PRCD', '100.00', 'CRDT')}${bal('OPBD', '100.00', 'CRDT')}${bal('CLBD', '115.50', 'CRDT')}${bal('CLAV', '115.50', 'CRDT')}${bal('FWAV', '140.00', 'CRDT')}${ntry('R1', '15.50', 'CRDT')}`,
    ))
    expect(s!.checks.map((c) => [c.figure, c.severity, c.convention])).toEqual([
      ['previously closed booked balance PRCD against the opening booked balance OPBD', 'ok', undefined],
      ['closing balance CLBD', 'ok', undefined],
      ['available balance CLAV', 'ok', 'equals the closing booked balance CLBD (no funds in float)'],
      ['available balance FWAV', 'notice', "an available balance is the bank's own figure (float, holds, credit lines): reported, not derivable from the entries"],
    ])
    const [t] = parseCamt053(camt053(`${bal('PRCD', '99.00', 'CRDT')}${bal('OPBD', '100.00', 'CRDT')}`))
    expect(statementDisagreements(t!).map((c) => [c.stated, c.computed])).toEqual([['99.00 EUR', '100.00 EUR']])
  })

  it('reads several statements for several accounts in one file, each with its own checks', () => {
    const two = camt053(`${bal('OPBD', '1.00', 'CRDT')}${bal('CLBD', '2.00', 'CRDT')}${ntry('R1', '1.00', 'CRDT')}`)
      .replace('</Stmt>', `</Stmt><Stmt><Id>STMT-2</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>${bal('OPBD', '5.00', 'CRDT')}${bal('CLBD', '9.00', 'CRDT')}${ntry('R9', '1.00', 'CRDT')}</Stmt>`)
    const ss = parseCamt053(two)
    expect(ss.map((s) => [s.id, s.account.iban, statementDisagreements(s).length])).toEqual([['STMT-1', 'BE68539007547034', 0], ['STMT-2', 'FR7630006000011234567890189', 1]])
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

  it('refuses an amount with more decimals than its currency, naming the field (never rounds it), and reads trailing zeros as the same amount', () => {
    const e = thrown(() => parseCamt053(camt053(ntry('R1', '1.005', 'CRDT'))))
    expect(e.code).toBe('MALFORMED_BANK_FILE')
    expect(e.message).toContain('field Ntry/Amt: "1.005" has more decimals than EUR allows (2)')
    expect(thrown(() => parseCamt053(camt053(ntry('R1', '12', 'CRDT').replace('Ccy="EUR">12<', 'Ccy="JPY">12.5<')))).message).toContain('"12.5" has more decimals than JPY allows (0)')
    expect(parseCamt053(camt053(ntry('R1', '1.050', 'CRDT')))[0]!.entries[0]!.amount).toEqual({ minor: 105n, currency: 'EUR' })
  })

  it('keys an entry without AcctSvcrRef by its account, statement and NtryRef, so that two days each with an entry "1" stay two entries', () => {
    const noSvcr = (ref: string, amount: string) => ntry('x', amount, 'CRDT').replace('<AcctSvcrRef>x</AcctSvcrRef>', '').replace('<Ntry>', `<Ntry><NtryRef>${ref}</NtryRef>`)
    const day2 = `<Stmt><Id>STMT-2</Id><Acct><Id><IBAN>BE68539007547034</IBAN></Id><Ccy>EUR</Ccy></Acct>${noSvcr('1', '2.00')}</Stmt>`
    const statements = parseCamt053(camt053(noSvcr('1', '1.00')).replace('</Stmt>', `</Stmt>${day2}`))
    expect(statements.map((s) => s.entries.map((e) => e.reference))).toEqual([['BE68539007547034/STMT-1/1'], ['BE68539007547034/STMT-2/1']])
    // the bank's own AcctSvcrRef stays the key as it is, whatever the NtryRef
    expect(parseCamt053(camt053(ntry('R1', '1.00', 'CRDT').replace('<Ntry>', '<Ntry><NtryRef>1</NtryRef>')))[0]!.entries[0]!.reference).toBe('R1')
  })

  it('says whether an entry\'s reference is the bank\'s (AcctSvcrRef, even one that starts with the statement id) or built by the parser (NtryRef, position)', () => {
    const noSvcr = ntry('x', '1.00', 'CRDT').replace('<AcctSvcrRef>x</AcctSvcrRef>', '')
    const entries = parseCamt053(camt053(ntry('STMT-1/1', '1.00', 'CRDT') + noSvcr.replace('<Ntry>', '<Ntry><NtryRef>7</NtryRef>') + noSvcr))[0]!.entries
    expect(entries.map((e) => [e.reference, e.referenceSource])).toEqual([['STMT-1/1', 'bank'], ['BE68539007547034/STMT-1/7', 'parser'], ['STMT-1/3', 'parser']])
  })

  it('refuses another message, and a DTD', () => {
    expect(thrown(() => parseCamt054(camt053(''))).message).toContain('is not a camt.054 message (found <BkToCstmrStmt>)')
    expect(thrown(() => parseCamt053('<!DOCTYPE d [<!ENTITY x "y">]><Document/>')).code).toBe('MALFORMED_XML')
  })
})
