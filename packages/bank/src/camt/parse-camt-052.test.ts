import { describe, expect, it } from 'vitest'
import { statementDisagreements } from '../statement/check-statement'
import { parseCamt052 } from './parse-camt-052'
import { parseCamt053 } from './parse-camt-053'

const bal = (code: string, amount: string) =>
  `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><DtTm>2027-01-18T12:00:00+01:00</DtTm></Dt></Bal>`
const ntry = (ref: string, amount: string, status: string) =>
  `<Ntry><NtryRef>${ref}</NtryRef><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>${status}</Cd></Sts><BookgDt><Dt>2027-01-18</Dt></BookgDt><ValDt><Dt>2027-01-18</Dt></ValDt><AcctSvcrRef>${ref}</AcctSvcrRef></Ntry>`
const camt052 = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"><BkToCstmrAcctRpt><GrpHdr><MsgId>R-1</MsgId><CreDtTm>2027-01-18T12:00:00+01:00</CreDtTm></GrpHdr>` +
  `<Rpt><Id>RPT-1</Id><Acct><Id><IBAN>BE68539007547034</IBAN></Id><Ccy>EUR</Ccy></Acct>${body}<AddtlRptInf>intraday</AddtlRptInf></Rpt></BkToCstmrAcctRpt></Document>`

describe('parseCamt052', () => {
  it('reads an intraday report: interim booked balances checked first-to-last, pending entries kept but not counted', () => {
    const [r] = parseCamt052(camt052(`${bal('ITBD', '100.00')}${bal('ITBD', '142.50')}${ntry('A', '42.50', 'BOOK')}${ntry('B', '10.00', 'PDNG')}`))
    expect([r!.format, r!.id, r!.messageId, r!.account.iban, r!.additionalInfo]).toEqual(['camt.052', 'RPT-1', 'R-1', 'BE68539007547034', ['intraday']])
    expect(r!.entries.map((e) => [e.reference, e.status])).toEqual([['A', 'booked'], ['B', 'pending']])
    expect(r!.checks).toEqual([{ rule: 'balance', figure: 'closing balance ITBD', stated: '142.50 EUR', computed: '142.50 EUR', severity: 'ok' }])
  })

  it('reports an interim balance that does not add up, and refuses a camt.053 given as a camt.052', () => {
    const [r] = parseCamt052(camt052(`${bal('OPBD', '100.00')}${bal('ITBD', '150.00')}${ntry('A', '42.50', 'BOOK')}`))
    expect(statementDisagreements(r!).map((c) => [c.figure, c.stated, c.computed])).toEqual([['closing balance ITBD', '150.00 EUR', '142.50 EUR (opening OPBD 100.00 + booked entries 42.50)']])
    expect(() => parseCamt053(camt052(''))).toThrow('is not a camt.053 message (found <BkToCstmrAcctRpt>)')
  })
})
