import { describe, expect, it } from 'vitest'
import { EcoleError, isEcoleError, type Deposit } from '@ecole/core'
import { FEC_2026, deposit, invoice, payment } from '../test-support/records'
import { decodeLatin9, readFec } from '../test-support/fec-reader'
import { buildFec, type FecData, type FecSettingsInput, type FecWalletMovement } from '.'

const settings: FecSettingsInput = FEC_2026
const debtors = { 'g-1': { name: 'DUPONT Marie' } }
const inv = invoice({ id: 'i1', number: 'F1', issueDate: '2026-03-01', lines: [{ serviceId: 'canteen', amountMinor: 5000n }] })
const cheque = payment({ id: 'p1', date: '2026-03-05', method: 'cheque', amountMinor: 5000n, allocations: [{ invoiceId: 'i1', amountMinor: 5000n }] })
const topUp: FecWalletMovement = { id: 't1', billingOfficeId: 'regie', guardianId: 'g-1', date: '2026-03-02', code: 'topUp', amountMinor: 100n, currency: 'EUR' }

/** The error buildFec throws for these records (and fails the test when it throws none). */
function refusal(data: Omit<FecData, 'debtors'> & { debtors?: FecData['debtors'] }, s: FecSettingsInput = settings): EcoleError {
  try {
    buildFec(s, { debtors, ...data })
  } catch (e) {
    if (isEcoleError(e)) return e
    throw e
  }
  throw new Error('buildFec wrote a file')
}

function expectInvalid(e: EcoleError, field: string): void {
  expect(e.code).toBe('INVALID_INPUT')
  expect(e.message).toContain(`${field}:`)
  expect(e.details['field']).toBe(field)
}

describe('buildFec: a deposit puts on the bank only money that its payments brought, each once', () => {
  it('refuses a deposit that lists one payment twice, naming the second mention', () => {
    const d: Deposit = { ...deposit({ id: 'd1', date: '2026-03-10', method: 'cheque', payments: [cheque] }), paymentIds: ['p1', 'p1'] }
    expectInvalid(refusal({ invoices: [inv], payments: [cheque], deposits: [d] }), 'deposits[0].paymentIds[1]')
  })

  it('refuses a payment held by two deposits, naming both', () => {
    const e = refusal({
      invoices: [inv], payments: [cheque],
      deposits: [deposit({ id: 'd1', date: '2026-03-10', method: 'cheque', payments: [cheque] }), deposit({ id: 'd2', date: '2026-03-11', method: 'cheque', payments: [cheque] })],
    })
    expectInvalid(e, 'deposits[1].paymentIds[0]')
    expect(e.message).toContain('d1')
    expect(e.message).toContain('d2')
  })

  it('refuses a cash payment in a cheque deposit: 5112 would be credited while 530 keeps the cash', () => {
    const cash = payment({ id: 'p1', date: '2026-03-05', method: 'cash', amountMinor: 2000n })
    expectInvalid(refusal({ payments: [cash], deposits: [deposit({ id: 'd1', date: '2026-03-10', method: 'cheque', payments: [cash] })] }), 'deposits[0].paymentIds[0]')
  })

  it("refuses a credit note's excess (method creditNote) in a deposit: no money came in", () => {
    const excess = payment({ id: 'p2', date: '2026-03-05', method: 'creditNote', amountMinor: 2000n })
    const e = refusal({ payments: [excess], deposits: [deposit({ id: 'd1', date: '2026-03-10', method: 'cheque', payments: [excess] })] })
    expectInvalid(e, 'deposits[0].paymentIds[0]')
    expect(e.message).toContain('creditNote')
    expectInvalid(refusal({ payments: [excess], deposits: [deposit({ id: 'd1', date: '2026-03-10', method: 'creditNote', payments: [excess] })] }), 'deposits[0].method')
  })

  it('refuses a deposit whose total disagrees with the sum of its payments (FEC_UNBALANCED_ENTRY, naming the deposit)', () => {
    const d: Deposit = { ...deposit({ id: 'd1', date: '2026-03-10', method: 'cheque', payments: [cheque] }), totalMinor: 4000n }
    const e = refusal({ invoices: [inv], payments: [cheque], deposits: [d] })
    expect(e.code).toBe('FEC_UNBALANCED_ENTRY')
    expect(e.details).toMatchObject({ pieceRef: 'd1', field: 'deposits[0].totalMinor', differenceMinor: '-1000' })
  })

  it('still posts a deposit whose payments and total agree: 512 debited and 5112 credited by 50,00 once', () => {
    const rows = readFec(decodeLatin9(buildFec(settings, { invoices: [inv], payments: [cheque], deposits: [deposit({ id: 'd1', date: '2026-03-10', method: 'cheque', payments: [cheque] })], debtors }).bytes))
    expect(rows.filter((r) => r['JournalCode'] === 'CBQ').map((r) => [r['CompteNum'], r['Debit'], r['Credit']])).toEqual([
      ['512000', '50,00', '0,00'],
      ['511200', '0,00', '50,00'],
    ])
  })
})

describe('buildFec: every record date is a real calendar day, never left out for its spelling', () => {
  it('refuses a top-up dated 2026-3-2 instead of leaving it out of the period', () => {
    expectInvalid(refusal({ walletMovements: [{ ...topUp, date: '2026-3-2' as never }] }), 'walletMovements[0].date')
  })

  it('refuses an invoice dated 2026-02-30 instead of writing 20260230', () => {
    expectInvalid(refusal({ invoices: [invoice({ id: 'i1', number: 'F1', issueDate: '2026-02-30' as never, lines: [{ serviceId: 'c', amountMinor: 415n }] })] }), 'invoices[0].issueDate')
  })

  it("refuses a payment's refusal dated on no calendar day, and a deposit's", () => {
    expectInvalid(refusal({ payments: [payment({ id: 'p1', date: '2026-03-05', method: 'cheque', amountMinor: 100n, refusedOn: '2026-13-01' as never })] }), 'payments[0].refusal.date')
    expectInvalid(refusal({ payments: [cheque], deposits: [deposit({ id: 'd1', date: '2026-02-29' as never, method: 'cheque', payments: [cheque] })] }), 'deposits[0].date')
  })
})

describe('buildFec: a top-up that names its payment names one given, of its payer, for the wallet credit the payment carries', () => {
  it('refuses a top-up whose paymentId is not among the payments given, rather than dropping 30,00 received', () => {
    expectInvalid(refusal({ walletMovements: [{ ...topUp, amountMinor: 3000n, paymentId: 'p-unknown' }] }), 'walletMovements[0].paymentId')
  })

  it('refuses a top-up larger than the wallet credit of the payment it names: the FEC posts the payment, so the extra 10,00 would go unseen', () => {
    const p = payment({ id: 'p1', date: '2026-03-02', method: 'transfer', amountMinor: 3000n })
    const e = refusal({ payments: [p], walletMovements: [{ ...topUp, amountMinor: 4000n, paymentId: 'p1' }] })
    expect(e.code).toBe('FEC_UNBALANCED_ENTRY')
    expect(e.details).toMatchObject({ pieceRef: 'p1', field: 'walletMovements[0].amountMinor', differenceMinor: '1000' })
  })

  it('refuses two top-ups naming one payment that add up to more than it credits, and takes them when they add up to it', () => {
    const p = payment({ id: 'p1', date: '2026-03-02', method: 'transfer', amountMinor: 3000n })
    const twice = [{ ...topUp, id: 't1', amountMinor: 3000n, paymentId: 'p1' }, { ...topUp, id: 't2', amountMinor: 3000n, paymentId: 'p1' }]
    expect(refusal({ payments: [p], walletMovements: twice }).details).toMatchObject({ field: 'walletMovements[0].amountMinor', differenceMinor: '3000' })
    const parts = [{ ...topUp, id: 't1', amountMinor: 1000n, paymentId: 'p1' }, { ...topUp, id: 't2', amountMinor: 2000n, paymentId: 'p1' }]
    expect(() => buildFec(settings, { payments: [p], walletMovements: parts, debtors })).not.toThrow()
  })

  it("refuses a top-up of one guardian's wallet naming a payment made by another", () => {
    const p = payment({ id: 'p1', date: '2026-03-02', method: 'transfer', amountMinor: 3000n, payerId: 'g-2' })
    expectInvalid(refusal({ payments: [p], walletMovements: [{ ...topUp, amountMinor: 3000n, paymentId: 'p1' }], debtors: { ...debtors, 'g-2': { name: 'MARTIN Paul' } } }), 'walletMovements[0].guardianId')
  })

  it('still leaves out a top-up that a payment given carries (not posted twice)', () => {
    const p = payment({ id: 'p1', date: '2026-03-02', method: 'transfer', amountMinor: 3000n })
    const fec = buildFec(settings, { payments: [p], walletMovements: [{ ...topUp, amountMinor: 3000n, paymentId: 'p1' }], debtors })
    expect(readFec(decodeLatin9(fec.bytes)).filter((r) => r['PieceRef'] === 't1')).toEqual([])
  })
})

describe('buildFec: mandatory fields are never written empty', () => {
  it('refuses an empty PieceRef (a movement id "") and an empty EcritureLib (a label of spaces)', () => {
    expectInvalid(refusal({ walletMovements: [{ ...topUp, id: '' }] }), 'walletMovements[0].id')
    expectInvalid(refusal({ walletMovements: [{ ...topUp, label: '  ' }] }), 'walletMovements[0].label')
  })

  it('refuses an invoice whose number is only spaces or control characters', () => {
    expectInvalid(refusal({ invoices: [invoice({ id: 'i1', number: '   ', issueDate: '2026-03-01', lines: [{ serviceId: 'c', amountMinor: 415n }] })] }), 'invoices[0].number')
    expectInvalid(refusal({ invoices: [invoice({ id: 'i1', number: '\u0000\u001f', issueDate: '2026-03-01', lines: [{ serviceId: 'c', amountMinor: 415n }] })] }), 'invoices[0].number')
  })

  it('refuses a half auxiliary pair: an empty CompAuxNum (auxiliaryAccount "") beside a name, or a name of control characters beside a number', () => {
    expectInvalid(refusal({ walletMovements: [topUp], debtors: { 'g-1': { name: 'DUPONT Marie', auxiliaryAccount: '' } } }), 'debtors.g-1.auxiliaryAccount')
    expectInvalid(refusal({ walletMovements: [topUp], debtors: { 'g-1': { name: 'DUPONT Marie', auxiliaryAccount: ' \u000b' } } }), 'debtors.g-1.auxiliaryAccount')
    expectInvalid(refusal({ walletMovements: [topUp], debtors: { 'g-1': { name: '\u0000\u0092' } } }), 'debtors.g-1')
  })

  it('refuses an account label or an office name of control characters alone (CompteLib, JournalLib)', () => {
    expect(refusal({ walletMovements: [topUp] }, { ...settings, accounts: { bank: { number: '512000', label: '\u0001' } } }).message).toContain('accounts.bank.label')
    expect(refusal({ walletMovements: [topUp] }, { ...settings, billingOffices: [{ id: 'regie', name: '\u0000', journalPrefix: 'C' }] }).message).toContain('billingOffices.0.name')
  })
})

describe('buildFec: text is written clean, in either character set', () => {
  it('writes each control character (NUL, VT, U+001F, U+0092) as a space, with a CHARACTERS_REPLACED warning', () => {
    const fec = buildFec(settings, { walletMovements: [topUp], debtors: { 'g-1': { name: 'DUPONT\u000bMarie\u0000 l\u0092a\u001f' } } })
    const names = readFec(decodeLatin9(fec.bytes)).map((r) => r['CompAuxLib'])
    expect(names).toContain('DUPONT Marie  l a ')
    expect([...fec.bytes].filter((b) => (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || (b >= 0x7f && b <= 0x9f))).toEqual([])
    expect(fec.warnings.map((w) => [w.code, w.ref])).toEqual([['CHARACTERS_REPLACED', 't1']])
  })

  it('composes text to NFC in UTF-8 too: a decomposed Ame\\u0301lie is written Amélie', () => {
    const fec = buildFec({ ...settings, encoding: 'utf-8' }, { walletMovements: [topUp], debtors: { 'g-1': { name: 'Ame\u0301lie' } } })
    const text = new TextDecoder().decode(fec.bytes)
    expect(text).toContain('\tAmélie\t')
    expect(text).toBe(text.normalize('NFC'))
  })
})

describe('buildFec: an amount that is not a bigint is refused naming its field', () => {
  it('names walletMovements[0].amountMinor for 415 or "415" (records read back from JSON)', () => {
    expectInvalid(refusal({ walletMovements: [{ ...topUp, amountMinor: 415 as never }] }), 'walletMovements[0].amountMinor')
    expectInvalid(refusal({ walletMovements: [{ ...topUp, amountMinor: '415' as never }] }), 'walletMovements[0].amountMinor')
  })

  it("names an invoice's totalMinor and a payment's allocation", () => {
    expectInvalid(refusal({ invoices: [{ ...inv, totalMinor: 5000 as never }] }), 'invoices[0].totalMinor')
    expectInvalid(refusal({ payments: [{ ...cheque, allocations: [{ invoiceId: 'i1', amountMinor: '50.00' as never }] }] }), 'payments[0].allocations[0].amountMinor')
  })
})
