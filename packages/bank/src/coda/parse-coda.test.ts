import { shown } from '../test-support/entries'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { codaFile, record } from '../test-support/coda-records'
import { statementDisagreements } from '../statement/check-statement'
import { fixtureBytes, fixtureText } from '../test-support/fixtures'
import { parseCoda } from './parse-coda'
import { thrown } from '../test-support/thrown'

// 127 communication (146 characters): settlement date, type, scheme, paid/refused, creditor id (35), mandate (35), text (62), R type, reason (4)
const sepa127 = (rType: string, reason: string) =>
  '021226' + '1' + '1' + '4' + 'BE69ZZZ0123456789'.padEnd(35) + 'RUM-0042'.padEnd(35) + 'CANTINE NOVEMBRE'.padEnd(62) + rType + reason

describe('parseCoda on the public sample files', () => {
  it('reads the pycoda single statement: 17 movements, a globalisation of 14, balances and trailer that agree', () => {
    const [s] = parseCoda(fixtureBytes('pycoda-Coda_v2_3_single_statement.txt'))
    expect([s!.format, s!.account.iban, s!.account.currency, s!.account.ownerName, s!.sequenceNumber, s!.createdAt]).toEqual([
      'coda', 'BE86407051416150', 'EUR', 'STORA ENSO LANGERBRUGGE NV', '002', '2009-03-05',
    ])
    expect(s!.balances.map((b) => [b.kind, shown(b.amount), b.date])).toEqual([
      ['opening', '0.00 EUR', '2009-03-04'],
      ['closing', '0.00 EUR', '2009-03-05'],
    ])
    expect(s!.entries).toHaveLength(17)
    const glob = s!.entries[16]!
    // 0017: 2,608.000 debited, detailed in 14 transfers (6 x 20, 6 x 15, 148.30, 2,249.70)
    expect([shown(glob.amount), glob.creditDebit, glob.transactions.length]).toEqual(['2608.00 EUR', 'debit', 14])
    expect(glob.transactions.map((t) => shown(t.amount!))).toContain('2249.70 EUR')
    const vivium = s!.entries[10]!
    expect([vivium.reference, shown(vivium.amount), vivium.creditDebit]).toEqual(['SWQSZ0187BOVSBBNONTVA', '148.30 EUR', 'credit'])
    expect(vivium.transactions[0]!.debtor).toEqual({ name: 'VIVIUM', iban: '310180203454' })
    // the communication zone continues from 2.1 (positions 63-115) into 2.2 (11-63) with no separator: 'LOON' + 'VERLIES'
    expect(vivium.transactions[0]!.remittance.unstructured).toEqual(['ONG. SG 20-4203595 LOONVERLIES HAMERLYNCK TONY'])
    // information records 3.1 and 3.2 joined
    expect(vivium.additionalInfo).toEqual(['001VIVIUM RUE ROYALE 1210 BRUXELLES'])
  })

  it('reads the pycoda globalisation sample and reports its one disagreement: record 8 names another account than record 1', () => {
    const [s] = parseCoda(fixtureBytes('pycoda-Coda_v2_3_globalisation.txt'))
    expect(statementDisagreements(s!)).toEqual([
      { rule: 'account', figure: 'new balance record 8 account (record 1 gives the account)', stated: 'BE12301676096039', computed: 'BE12341676096039', severity: 'disagreement' },
    ])
    expect(s!.entries).toHaveLength(4)
  })

  it('reads the globalisation sample once both records name one account: -455.17 + 276,270.00 - 544.30 = 275,270.53', () => {
    const text = fixtureText('pycoda-Coda_v2_3_globalisation.txt', 'latin1').replace('8159BE12301676096039', '8159BE12341676096039')
    const [s] = parseCoda(text)
    expect(s!.balances.map((b) => shown(b.amount))).toEqual(['-455.17 EUR', '275270.53 EUR'])
    expect(s!.entries.map((e) => [shown(e.amount), e.creditDebit, e.transactions.length])).toEqual([
      ['113135.00 EUR', 'credit', 1],
      ['113135.00 EUR', 'credit', 1],
      ['50000.00 EUR', 'credit', 1],
      ['544.30 EUR', 'debit', 1],
    ])
    expect(s!.entries[0]!.transactions[0]!.endToEndId).toBe('XXXXXXXXXXXX597055ISABEL')
  })
})

describe('parseCoda', () => {
  it('reads an OGM (structured communication 101) as a structured reference issued by BBA', () => {
    const [s] = parseCoda(codaFile({ openingCents: 0n, movements: [{ seq: 1, bankRef: 'REF1', credit: true, cents: 4250n, structured: { type: '101', content: '123456789002' } }] }))
    expect(s!.entries[0]!.transactions[0]!.remittance).toEqual({ structured: [{ reference: '123456789002', type: '101', issuer: 'BBA' }], unstructured: [] })
  })

  it('joins a free communication spread over records 2.1, 2.2 and 2.3', () => {
    const text = 'Paiement cantine novembre famille Dupont'.padEnd(53, ' ') + 'enfants Lea et Tom'.padEnd(53, ' ') + 'merci'
    const [s] = parseCoda(codaFile({ openingCents: 0n, movements: [{ seq: 1, bankRef: 'REF1', credit: true, cents: 100n, text }] }))
    expect(s!.entries[0]!.transactions[0]!.remittance.unstructured).toEqual(['Paiement cantine novembre famille Dupont enfants Lea et Tom merci'])
  })

  it('reads a SEPA direct-debit return (structured communication 127): mandate, R-transaction kind and ISO reason code', () => {
    const [s] = parseCoda(codaFile({
      openingCents: 10000n,
      movements: [{ seq: 1, bankRef: 'RTN1', credit: false, cents: 4250n, structured: { type: '127', content: sepa127('2', 'AM04') }, customerRef: 'INV-2026-0042' }],
    }))
    const t = s!.entries[0]!.transactions[0]!
    expect([t.mandateId, t.endToEndId, t.returnInfo]).toEqual(['RUM-0042', 'INV-2026-0042', { kind: 'return', reasonCode: 'AM04', additionalInfo: ["debtor's account problem"] }])
    expect(t.remittance.unstructured).toEqual(['CANTINE NOVEMBRE'])
  })

  it('decodes Windows-1252 bytes by default and CP850 bytes on request', () => {
    const text = codaFile({ openingCents: 0n, movements: [], holder: 'ÉCOLE SAINT-ANDRÉ' })
    expect(parseCoda(iconv.encode(text, 'win1252'))[0]!.account.ownerName).toBe('ÉCOLE SAINT-ANDRÉ')
    expect(parseCoda(iconv.encode(text, 'cp850'), { encoding: 'cp850' })[0]!.account.ownerName).toBe('ÉCOLE SAINT-ANDRÉ')
    expect(parseCoda(new TextEncoder().encode(text), { encoding: 'utf-8' })[0]!.account.ownerName).toBe('ÉCOLE SAINT-ANDRÉ')
  })

  it('says whether a movement\'s reference is the bank\'s or, without one, built by the parser from the statement and the movement number', () => {
    const [s] = parseCoda(codaFile({ openingCents: 0n, movements: [{ seq: 1, bankRef: 'A', credit: true, cents: 100n }, { seq: 2, bankRef: '', credit: true, cents: 200n }] }))
    expect(s!.entries.map((e) => [e.reference === 'A' ? 'A' : e.reference.startsWith(`${s!.id}/`) ? 'statement/movement' : e.reference, e.referenceSource])).toEqual([['A', 'bank'], ['statement/movement', 'parser']])
  })

  it('reads several statements in one file', () => {
    const one = codaFile({ openingCents: 0n, movements: [{ seq: 1, bankRef: 'A', credit: true, cents: 100n }] })
    const two = codaFile({ openingCents: 100n, movements: [{ seq: 1, bankRef: 'B', credit: false, cents: 30n }] })
    expect(parseCoda(one + two).map((s) => s.balances.map((b) => shown(b.amount)))).toEqual([['0.00 EUR', '1.00 EUR'], ['1.00 EUR', '0.70 EUR']])
  })

  it('reports, never throws, a statement whose new balance is not old balance + movements', () => {
    const [s] = parseCoda(codaFile({ openingCents: 0n, closingCents: 5000n, movements: [{ seq: 1, bankRef: 'A', credit: true, cents: 4250n }] }))
    expect(statementDisagreements(s!)).toEqual([
      { rule: 'balance', figure: 'closing balance CODA8', stated: '50.00 EUR', computed: '42.50 EUR (opening CODA1 0.00 + booked entries 42.50)', severity: 'disagreement' },
    ])
  })

  it("reports a trailer whose totals or record count disagree with its movements", () => {
    const [s] = parseCoda(codaFile({ openingCents: 0n, movements: [{ seq: 1, bankRef: 'A', credit: true, cents: 4250n }], trailer: { count: 9, credit: 4251n } }))
    expect(statementDisagreements(s!).map((c) => [c.figure, c.stated, c.computed])).toEqual([
      ['trailer record 9 number of records', '9', '5'],
      ['trailer record 9 credit total', '42.51', '42.50'],
    ])
  })

  it('accepts a trailer that counts the header and trailer records too, naming that convention', () => {
    const [s] = parseCoda(codaFile({ openingCents: 0n, movements: [{ seq: 1, bankRef: 'A', credit: true, cents: 4250n }], trailer: { count: 7 } }))
    expect(s!.checks.find((c) => c.rule === 'records')).toEqual({
      rule: 'records', figure: 'trailer record 9 number of records', stated: '7', computed: '7', severity: 'ok', convention: 'the header and trailer records 0 and 9 counted too',
    })
  })

  it('refuses a malformed amount, naming the line, the record and the field', () => {
    const lines = codaFile({ openingCents: 0n, movements: [{ seq: 1, bankRef: 'A', credit: true, cents: 4250n }] }).split('\r\n')
    lines[2] = lines[2]!.slice(0, 32) + '00000000000X250' + lines[2]!.slice(47)
    const e = thrown(() => parseCoda(lines.join('\r\n')))
    expect(e.code).toBe('MALFORMED_BANK_FILE')
    expect(e.message).toContain('line 3, record 2.1, field amount: must be 15 digits')
  })

  it('refuses a movement whose third decimal is not zero in a currency of two, naming the field (never rounds it)', () => {
    const lines = codaFile({ openingCents: 0n, movements: [{ seq: 1, bankRef: 'A', credit: true, cents: 4250n }] }).split('\r\n')
    expect(lines[2]!.slice(32, 47)).toBe('000000000042500')
    lines[2] = lines[2]!.slice(0, 32) + '000000000042505' + lines[2]!.slice(47)
    const e = thrown(() => parseCoda(lines.join('\r\n')))
    expect(e.code).toBe('MALFORMED_BANK_FILE')
    expect(e.message).toContain('line 3, record 2.1, field amount: "000000000042.505" has more decimals than EUR allows (2)')
  })

  it('refuses records out of order, too long, or of an unknown type', () => {
    const lines = codaFile({ openingCents: 0n, movements: [{ seq: 1, bankRef: 'A', credit: true, cents: 100n }] }).split('\r\n')
    expect(thrown(() => parseCoda([lines[0], lines[1], lines[3], lines[2], ...lines.slice(4)].join('\n'))).message).toContain('line 3, record 2.2, field sequence number')
    expect(thrown(() => parseCoda([lines[0], lines[1] + 'X', ...lines.slice(2)].join('\n'))).message).toContain('line 2, record 12, field record length: must be 128 characters, got 129')
    expect(thrown(() => parseCoda([lines[0], lines[1], record({ 1: '7' }), ...lines.slice(2)].join('\n'))).message).toContain('line 3, record 7, field record type')
    expect(thrown(() => parseCoda('')).code).toBe('MALFORMED_BANK_FILE')
  })

  it('reads a CODA version 1 file (account number in positions 6-17, currency in 19-21) and refuses another version and unknown options', () => {
    const lines = codaFile({ openingCents: 0n, movements: [{ seq: 1, bankRef: 'A', credit: true, cents: 4250n }] }).split('\r\n')
    lines[0] = lines[0]!.slice(0, 127) + '1'
    lines[1] = lines[1]!.slice(0, 5) + '539007547034' + ' ' + 'EUR' + lines[1]!.slice(21)
    const [s] = parseCoda(lines.join('\r\n'))
    expect([s!.account.otherId, s!.account.iban, s!.account.currency, shown(s!.entries[0]!.amount)]).toEqual(['539007547034', undefined, 'EUR', '42.50 EUR'])
    lines[0] = lines[0]!.slice(0, 127) + '3'
    expect(thrown(() => parseCoda(lines.join('\r\n'))).message).toContain('version code (position 128): must be 1 or 2')
    expect(thrown(() => parseCoda('', { encoding: 'latin9' as 'cp850' })).code).toBe('INVALID_INPUT')
  })

  it('reads a foreign-currency account (structure 3, foreign IBAN, USD): amounts in its currency, every check in it', () => {
    const lines = codaFile({ openingCents: 10000n, movements: [{ seq: 1, bankRef: 'A', credit: true, cents: 4250n }, { seq: 2, bankRef: 'B', credit: false, cents: 250n }] }).split('\r\n')
    lines[1] = `13${lines[1]!.slice(2, 5)}${'DE89370400440532013000'.padEnd(34)}USD${lines[1]!.slice(42)}`
    lines[lines.length - 3] = lines[lines.length - 3]!.replace('BE68539007547034                  EUR', 'DE89370400440532013000            USD')
    const [s] = parseCoda(lines.join('\r\n'))
    expect([s!.account.iban, s!.account.currency, s!.balances.map((b) => shown(b.amount)), s!.entries.map((e) => shown(e.amount))]).toEqual([
      'DE89370400440532013000', 'USD', ['100.00 USD', '140.00 USD'], ['42.50 USD', '2.50 USD'],
    ])
    expect(statementDisagreements(s!)).toEqual([])
  })
})

describe('parseCoda: a globalisation\'s transactions are the lowest level of its details', () => {
  const glob = (cents: bigint, level: number, text: string) => ({ seq: 1, bankRef: 'G', credit: true, cents, text, glob: level })
  const detail = (n: number, cents: bigint, level: number, text: string) => ({ seq: 1, detail: n, bankRef: `D${n}`, credit: true, cents, text, glob: level })
  const batch = (s: ReturnType<typeof parseCoda>[number]) => s.checks.find((c) => c.rule === 'batch')

  it('leaves out the subtotals of a movement globalised on two levels: 100.00 = (30.00 + 30.00) + (40.00) is three transactions, not five', () => {
    const [s] = parseCoda(codaFile({ openingCents: 0n, movements: [
      glob(10000n, 2, 'TOTAL'), detail(1, 6000n, 1, 'SOUS-TOTAL 1'), detail(2, 3000n, 0, 'A'), detail(3, 3000n, 0, 'B'), detail(4, 4000n, 1, 'SOUS-TOTAL 2'), detail(5, 4000n, 0, 'C'),
    ] }))
    expect(s!.entries[0]!.transactions.map((t) => [t.amount!.minor, t.remittance.unstructured[0]])).toEqual([[3000n, 'A'], [3000n, 'B'], [4000n, 'C']])
    expect(batch(s!)).toMatchObject({ severity: 'ok', stated: '100.00', computed: '100.00', convention: expect.stringContaining('2 subtotals') })
  })

  it('keeps every detail of a one-level globalisation, the last one carrying the level\'s code as banks write it', () => {
    const [s] = parseCoda(codaFile({ openingCents: 0n, movements: [glob(6000n, 1, 'TOTAL'), detail(1, 2000n, 0, 'A'), detail(2, 1500n, 0, 'B'), detail(3, 2500n, 1, 'C')] }))
    expect(s!.entries[0]!.transactions.map((t) => t.amount!.minor)).toEqual([2000n, 1500n, 2500n])
    expect(batch(s!)).toEqual({ rule: 'batch', figure: 'movement 0001 (line 3) amount against its details', stated: '60.00', computed: '60.00', severity: 'ok', entryReference: 'G' })
  })

  it('reads codes that open and close levels when that is how its details add up: a level opened by 40.00 and closed by its one detail of 40.00', () => {
    // nested reading: 30 + 30 + 40 + 40 = 140; opening/closing: 0001 (60) and 0004 (40) open levels, 0003 and 0005 close them
    const [s] = parseCoda(codaFile({ openingCents: 0n, movements: [
      glob(10000n, 2, 'TOTAL'), detail(1, 6000n, 1, 'SOUS-TOTAL 1'), detail(2, 3000n, 0, 'A'), detail(3, 3000n, 1, 'B'), detail(4, 4000n, 1, 'SOUS-TOTAL 2'), detail(5, 4000n, 1, 'C'),
    ] }))
    expect(s!.entries[0]!.transactions.map((t) => [t.amount!.minor, t.remittance.unstructured[0]])).toEqual([[3000n, 'A'], [3000n, 'B'], [4000n, 'C']])
    expect(batch(s!)).toMatchObject({ severity: 'ok', convention: expect.stringContaining('opening and closing') })
  })

  it('reports a globalisation whose details add up to another amount under every reading, and keeps its lowest level as its transactions', () => {
    const [s] = parseCoda(codaFile({ openingCents: 0n, movements: [glob(10000n, 1, 'TOTAL'), detail(1, 5000n, 0, 'A'), detail(2, 5000n, 0, 'B'), detail(3, 1000n, 0, 'C')] }))
    expect(statementDisagreements(s!).map((c) => [c.figure, c.stated, c.computed])).toEqual([['movement 0001 (line 3) amount against its details', '100.00', '110.00']])
    expect(s!.entries[0]!.transactions).toHaveLength(3)
  })

  it('attaches each information record 3.1 and 3.2 to the detail it names, whatever the size of the globalisation', () => {
    const info = (n: number, sub: '1' | '2', text: string) => record({ 1: `3${sub}`, 3: `0001${String(n).padStart(4, '0')}`, 11: `D${n}`, ...(sub === '1' ? { 32: '00501000', 40: '0', 41: text } : { 11: text }), 126: '0', 128: '0' })
    const lines = codaFile({ openingCents: 0n, movements: [glob(3000n, 1, 'TOTAL'), detail(1, 1000n, 0, 'A'), detail(2, 2000n, 1, 'B')] }).split('\r\n')
    // after each detail's 2.3: its information (3.1, continued by a 3.2 for detail 2)
    const after = (n: number) => lines.findIndex((l) => l.startsWith(`230001000${n}`)) + 1
    lines.splice(after(2), 0, info(2, '1', 'MANDAT RUM-2'), info(2, '2', ' SUITE'))
    lines.splice(after(1), 0, info(1, '1', 'MANDAT RUM-1'))
    const trailer = lines.length - 2
    lines[trailer] = record({ 1: '9', 17: String(trailer - 1).padStart(6, '0'), 23: '0'.repeat(15), 38: (3000n * 10n).toString().padStart(15, '0'), 128: '2' })
    const [s] = parseCoda(lines.join('\r\n'))
    expect(statementDisagreements(s!)).toEqual([])
    expect(s!.entries[0]!.additionalInfo).toEqual(['MANDAT RUM-1', 'MANDAT RUM-2 SUITE'])
  })
})

