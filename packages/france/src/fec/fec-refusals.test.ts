import { describe, expect, it } from 'vitest'
import { isEcoleError, type Payment } from '@ecole/core'
import { FEC_2026, deposit, invoice, payment } from '../test-support/records'
import { cents, decodeLatin9, readFec } from '../test-support/fec-reader'
import { buildFec, type FecData, type FecSettingsInput } from '.'

const settings: FecSettingsInput = FEC_2026
const debtors = { 'g-1': { name: 'DUPONT Marie' } }
const inv = invoice({ id: 'i1', number: 'F1', issueDate: '2026-02-01', lines: [{ serviceId: 'canteen', amountMinor: 5000n }] })
const cheque = (p: { refusedOn?: `${number}-${number}-${number}`; depositId?: string } = {}): Payment => ({
  ...payment({ id: 'p1', date: '2026-02-10', method: 'cheque', amountMinor: 5000n, allocations: [{ invoiceId: 'i1', amountMinor: 5000n }], ...(p.refusedOn ? { refusedOn: p.refusedOn } : {}) }),
  depositId: p.depositId ?? null,
})

function rows(data: Omit<FecData, 'debtors'>, s: FecSettingsInput = settings) {
  return readFec(decodeLatin9(buildFec(s, { ...data, debtors }).bytes))
}
/** Debit minus credit of an account over the whole file. */
function balance(r: ReturnType<typeof rows>, account: string): bigint {
  return r.filter((x) => x['CompteNum'] === account).reduce((s, x) => s + cents(x['Debit']!) - cents(x['Credit']!), 0n)
}
const refusalLines = (r: ReturnType<typeof rows>) => r.filter((x) => x['EcritureLib']!.startsWith('Rejet')).map((x) => [x['EcritureDate'], x['CompteNum'], x['Debit'], x['Credit']])

describe('buildFec: a refused cheque is taken back from where its money is on the day of refusal', () => {
  it('reverses a cheque deposited, then refused, on the bank (debit 411, credit 512): 5112 ends at zero, 512 is not overstated', () => {
    const p = cheque({ refusedOn: '2026-02-20', depositId: 'd1' })
    const r = rows({ invoices: [inv], payments: [p], deposits: [deposit({ id: 'd1', date: '2026-02-12', method: 'cheque', payments: [p] })] })
    expect(refusalLines(r)).toEqual([
      ['20260220', '512000', '0,00', '50,00'],
      ['20260220', '411000', '50,00', '0,00'],
    ])
    expect(balance(r, '511200')).toBe(0n)
    expect(balance(r, '512000')).toBe(0n)
    expect(balance(r, '411000')).toBe(5000n) // the invoice is owed again
  })

  it('knows the cheque was deposited from its depositId alone, when the deposit is in an earlier period and not given', () => {
    const p = cheque({ refusedOn: '2027-01-05', depositId: 'd1' })
    const r = rows({ payments: [p] }, { ...settings, period: { from: '2027-01-01', to: '2027-12-31' }, validatedOn: '2028-01-15' })
    expect(refusalLines(r)).toEqual([
      ['20270105', '512000', '0,00', '50,00'],
      ['20270105', '411000', '50,00', '0,00'],
    ])
  })

  it('knows the cheque was deposited from the deposit given, when the payment does not carry its depositId', () => {
    const p = cheque({ refusedOn: '2026-02-20' })
    const r = rows({ invoices: [inv], payments: [p], deposits: [deposit({ id: 'd1', date: '2026-02-12', method: 'cheque', payments: [p] })] })
    expect(balance(r, '511200')).toBe(0n)
    expect(balance(r, '512000')).toBe(0n)
  })

  it('still reverses on 5112 a cheque refused before it was deposited', () => {
    const r = rows({ invoices: [inv], payments: [cheque({ refusedOn: '2026-02-11' })] })
    expect(refusalLines(r)).toEqual([
      ['20260211', '511200', '0,00', '50,00'],
      ['20260211', '411000', '50,00', '0,00'],
    ])
    expect(balance(r, '511200')).toBe(0n)
  })

  it('reverses deposited cash on the bank too: any method whose money moved to 512 through a deposit', () => {
    const p = { ...cheque({ refusedOn: '2026-02-20', depositId: 'd1' }), method: 'cash' }
    const r = rows({ invoices: [inv], payments: [p], deposits: [deposit({ id: 'd1', date: '2026-02-12', method: 'cash', payments: [p] })] })
    expect(balance(r, '530000')).toBe(0n)
    expect(balance(r, '512000')).toBe(0n)
  })

  it('refuses a deposit dated after the refusal of a payment it holds, naming the deposit (a refused payment cannot be deposited)', () => {
    const p = cheque({ refusedOn: '2026-02-11', depositId: 'd1' })
    try {
      buildFec(settings, { invoices: [inv], payments: [p], deposits: [deposit({ id: 'd1', date: '2026-02-12', method: 'cheque', payments: [p] })], debtors })
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e, 'INVALID_INPUT')).toBe(true)
      expect((e as Error).message).toContain('deposits[0].date')
      expect((e as Error).message).toContain('p1')
    }
  })
})

describe('buildFec: a payment refused before its own date never moved money', () => {
  // a direct debit of 2027-01-10 rejected by the bank (pain.002) on 2026-12-01, before settlement
  const rejected = payment({ id: 'dd1', date: '2027-01-10', method: 'directDebit', amountMinor: 830n, allocations: [{ invoiceId: 'i1', amountMinor: 830n }], refusedOn: '2026-12-01' })

  it('books no reversal in the period of the refusal for a payment of a later period: 512 is not understated', () => {
    const fec = buildFec(settings, { payments: [rejected], debtors })
    const r = readFec(decodeLatin9(fec.bytes))
    expect(r.filter((x) => x['PieceRef'] === 'dd1')).toEqual([])
    expect(fec.warnings).toEqual([expect.objectContaining({ code: 'REFUSED_BEFORE_RECEIVED', ref: 'dd1' })])
  })

  it('books neither the payment nor its reversal in the period of the payment', () => {
    const fec = buildFec({ ...settings, period: { from: '2027-01-01', to: '2027-12-31' }, validatedOn: '2028-01-15' }, { payments: [rejected], debtors })
    expect(readFec(decodeLatin9(fec.bytes)).filter((x) => x['PieceRef'] === 'dd1')).toEqual([])
    expect(fec.warnings.map((w) => w.code)).toEqual(['REFUSED_BEFORE_RECEIVED'])
  })

  it('books as before a refusal on the payment\'s own date: the payment, then its reversal', () => {
    const sameDay = payment({ id: 'dd2', date: '2026-03-01', method: 'directDebit', amountMinor: 830n, allocations: [{ invoiceId: 'i1', amountMinor: 830n }], refusedOn: '2026-03-01' })
    const r = rows({ payments: [sameDay] }).filter((x) => x['PieceRef'] === 'dd2')
    expect(r.map((x) => [x['EcritureDate'], x['CompteNum'], x['Debit'], x['Credit']])).toEqual([
      ['20260301', '512000', '8,30', '0,00'],
      ['20260301', '411000', '0,00', '8,30'],
      ['20260301', '512000', '0,00', '8,30'],
      ['20260301', '411000', '8,30', '0,00'],
    ])
  })
})
