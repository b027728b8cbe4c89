import { describe, expect, it } from 'vitest'
import { isEcoleError } from '@ecole/core'
import { creditNote, deposit, invoice, payment } from '../test-support/records'
import { cents, decodeLatin9, readFec } from '../test-support/fec-reader'
import { buildFec, type FecData, type FecSettingsInput } from '.'

const settings: FecSettingsInput = {
  siren: '123456789',
  period: { from: '2026-01-01', to: '2026-12-31' },
  validatedOn: '2027-01-15',
  billingOffices: [{ id: 'regie', name: 'Régie cantine', journalPrefix: 'C' }],
  accounts: { revenueByService: { canteen: { number: '706100', label: 'Restauration scolaire' } } },
}
const debtors = { 'g-1': { name: 'DUPONT Marie' }, 'g-2': { name: 'MARTIN Œdipe', auxiliaryAccount: 'F0002' } }

const inv1 = invoice({ id: 'i1', number: 'F2026-000001', issueDate: '2026-02-01', lines: [{ serviceId: 'canteen', amountMinor: 7055n }, { serviceId: 'garderie', amountMinor: 1200n }], adjustments: [-706n] })
const inv2 = invoice({ id: 'i2', number: 'F2026-000002', issueDate: '2026-02-01', debtorId: 'g-2', lines: [{ serviceId: 'canteen', amountMinor: 4150n }] })
const pay1 = payment({ id: 'p1', date: '2026-02-10', method: 'cheque', amountMinor: 8000n, allocations: [{ invoiceId: 'i1', amountMinor: 7549n }] })
const data: FecData = {
  invoices: [inv1, inv2],
  creditNotes: [creditNote({ id: 'cn1', number: 'AV2026-000001', invoiceId: 'i2', issueDate: '2026-02-20', debtorId: 'g-2', amountMinor: 415n, lines: [{ lineId: 'i2:1', amountMinor: 415n }] })],
  payments: [pay1],
  deposits: [deposit({ id: 'd1', date: '2026-02-12', method: 'cheque', payments: [pay1] })],
  walletMovements: [{ id: 't1', billingOfficeId: 'regie', guardianId: 'g-1', date: '2026-03-02', code: 'booking', amountMinor: 415n, currency: 'EUR', serviceId: 'canteen' }],
  debtors,
}

function rowsOf(bytes: Uint8Array) {
  return readFec(decodeLatin9(bytes))
}

describe('buildFec', () => {
  it('writes the 18 columns in order, then one line per entry line, all balanced', () => {
    const fec = buildFec(settings, data)
    const rows = rowsOf(fec.bytes)
    expect(rows).toHaveLength(fec.lineCount)
    expect(fec.fileName).toBe('123456789FEC20261231.txt')
  })

  it('describes the file as article A47 A-1 asks: character set, separators, fields and every journal used', () => {
    const fec = buildFec(settings, data)
    expect(fec.description).toContain('ISO 8859-15')
    expect(fec.description).toContain('tabulation')
    expect(fec.description).toContain('JournalCode, JournalLib, EcritureNum')
    const codes = new Set(rowsOf(fec.bytes).map((r) => r['JournalCode']))
    for (const code of codes) expect(fec.description).toContain(`- ${code} : `)
    expect(codes.size).toBe(4)
  })

  it('posts an invoice: 411 of the payer debited by the total, revenue per service, the reduction on 709', () => {
    const rows = rowsOf(buildFec(settings, data).bytes).filter((r) => r['PieceRef'] === 'F2026-000001')
    const by = (acc: string) => rows.find((r) => r['CompteNum'] === acc)!
    expect(by('411000')['Debit']).toBe('75,49') // 70.55 + 12.00 - 7.06
    expect(by('411000')['CompAuxNum']).toBe('g-1')
    expect(by('411000')['CompAuxLib']).toBe('DUPONT Marie')
    expect(by('706100')['Credit']).toBe('70,55')
    expect(by('706000')['Credit']).toBe('12,00')
    expect(by('709000')['Debit']).toBe('7,06')
    expect(rows.every((r) => r['JournalCode'] === 'CVT' && r['EcritureDate'] === '20260201' && r['ValidDate'] === '20270115')).toBe(true)
  })

  it('posts a payment by cheque on 5112, what it settled on 411 and the rest on the wallet 4191, then the deposit to 512', () => {
    const rows = rowsOf(buildFec(settings, data).bytes)
    const p = rows.filter((r) => r['PieceRef'] === 'p1')
    expect(p.map((r) => [r['CompteNum'], r['Debit'], r['Credit']])).toEqual([
      ['511200', '80,00', '0,00'],
      ['411000', '0,00', '75,49'],
      ['419100', '0,00', '4,51'],
    ])
    const d = rows.filter((r) => r['PieceRef'] === 'd1')
    expect(d.map((r) => [r['JournalCode'], r['CompteNum'], r['Debit'], r['Credit']])).toEqual([
      ['CBQ', '512000', '80,00', '0,00'],
      ['CBQ', '511200', '0,00', '80,00'],
    ])
  })

  it('reverses a credited line on its service account and names the auxiliary account the debtor was given', () => {
    const rows = rowsOf(buildFec(settings, data).bytes).filter((r) => r['PieceRef'] === 'AV2026-000001')
    expect(rows.map((r) => [r['CompteNum'], r['CompAuxNum'], r['Debit'], r['Credit']])).toEqual([
      ['706100', '', '4,15', '0,00'],
      ['411000', 'F0002', '0,00', '4,15'],
    ])
  })

  it('numbers the entries of each journal 1, 2, 3... in date order', () => {
    const rows = rowsOf(buildFec(settings, data).bytes)
    const sales = [...new Set(rows.filter((r) => r['JournalCode'] === 'CVT').map((r) => r['EcritureNum']))]
    expect(sales).toEqual(['CVT000001', 'CVT000002', 'CVT000003'])
  })

  it('writes ISO 8859-15 by default (the Œ of a name is one byte 0xBC) and UTF-8 when asked', () => {
    const latin = buildFec(settings, data).bytes
    expect(latin.includes(0xbc)).toBe(true)
    const utf8 = new TextDecoder().decode(buildFec({ ...settings, encoding: 'utf-8' }, data).bytes)
    expect(utf8).toContain('MARTIN Œdipe')
  })

  it('separates fields by a vertical bar when asked, and replaces a bar inside a text by a space with a warning', () => {
    const fec = buildFec({ ...settings, separator: 'pipe' }, { ...data, debtors: { ...debtors, 'g-1': { name: 'DUPONT | Marie' } } })
    const rows = readFec(decodeLatin9(fec.bytes), '|')
    expect(rows.find((r) => r['CompAuxNum'] === 'g-1')?.['CompAuxLib']).toBe('DUPONT   Marie')
    expect(fec.warnings.some((w) => w.code === 'TEXT_CLEANED')).toBe(true)
  })

  it('leaves drafts and records outside the period out, a draft with a warning', () => {
    const draft = invoice({ id: 'i9', number: 'x', issueDate: '2026-05-01', lines: [{ serviceId: 'canteen', amountMinor: 100n }], status: 'draft' })
    const late = invoice({ id: 'i8', number: 'F2027-000001', issueDate: '2027-01-02', lines: [{ serviceId: 'canteen', amountMinor: 100n }] })
    const fec = buildFec(settings, { invoices: [draft, late, inv1], debtors })
    const refs = new Set(rowsOf(fec.bytes).map((r) => r['PieceRef']))
    expect([...refs]).toEqual(['F2026-000001'])
    expect(fec.warnings.map((w) => w.code)).toEqual(['DRAFT_SKIPPED'])
  })

  it('writes no entry, and takes no number, for a document of zero', () => {
    const zero = invoice({ id: 'i0', number: 'F2026-000000', issueDate: '2026-01-15', lines: [{ serviceId: 'canteen', amountMinor: 0n }] })
    const fec = buildFec(settings, { invoices: [zero, inv1], debtors })
    const rows = rowsOf(fec.bytes)
    expect(rows.every((r) => r['EcritureNum'] === 'CVT000001')).toBe(true)
    expect(fec.warnings.map((w) => w.code)).toEqual(['ZERO_AMOUNT_SKIPPED'])
  })

  it('reverses a refused payment on the day it was refused', () => {
    const refused = payment({ id: 'p2', date: '2026-03-01', method: 'directDebit', amountMinor: 7549n, allocations: [{ invoiceId: 'i1', amountMinor: 7549n }], refusedOn: '2026-03-08' })
    const rows = rowsOf(buildFec(settings, { invoices: [inv1], payments: [refused], debtors }).bytes).filter((r) => r['PieceRef'] === 'p2')
    expect(rows.map((r) => [r['EcritureDate'], r['CompteNum'], r['Debit'], r['Credit']])).toEqual([
      ['20260301', '512000', '75,49', '0,00'],
      ['20260301', '411000', '0,00', '75,49'],
      ['20260308', '512000', '0,00', '75,49'],
      ['20260308', '411000', '75,49', '0,00'],
    ])
  })

  it('posts each wallet movement between 4191 and the account its code names', () => {
    const m = (code: 'topUp' | 'booking' | 'cancellation' | 'invoicePayment' | 'refund' | 'writeOff', id: string) =>
      ({ id, billingOfficeId: 'regie', guardianId: 'g-1', date: '2026-04-01' as const, code, amountMinor: 500n, currency: 'EUR', serviceId: 'canteen' })
    const rows = rowsOf(buildFec(settings, { walletMovements: [m('topUp', 'a'), m('booking', 'b'), m('cancellation', 'c'), m('invoicePayment', 'd'), m('refund', 'e'), m('writeOff', 'f')], debtors }).bytes)
    const debitOf = (ref: string) => rows.find((r) => r['PieceRef'] === ref && r['Debit'] !== '0,00')!['CompteNum']
    expect(['a', 'b', 'c', 'd', 'e', 'f'].map(debitOf)).toEqual(['512000', '419100', '706100', '419100', '419100', '419100'])
    const creditOf = (ref: string) => rows.find((r) => r['PieceRef'] === ref && r['Credit'] !== '0,00')!['CompteNum']
    expect(['a', 'b', 'c', 'd', 'e', 'f'].map(creditOf)).toEqual(['419100', '706100', '419100', '411000', '512000', '758000'])
  })

  it('does not post twice a top-up that a payment already carries', () => {
    const topUp = { id: 't', billingOfficeId: 'regie', guardianId: 'g-1', date: '2026-02-10' as const, code: 'topUp' as const, amountMinor: 451n, currency: 'EUR', paymentId: 'p1' }
    const rows = rowsOf(buildFec(settings, { payments: [pay1], walletMovements: [topUp], debtors }).bytes)
    expect(rows.some((r) => r['PieceRef'] === 't')).toBe(false)
    expect(rows.filter((r) => r['CompteNum'] === '419100').map((r) => cents(r['Credit']!))).toEqual([451n])
  })

  it("posts what a credit note carries from a paid invoice (a payment of method creditNote, no money in) from the payer's 411 to the wallet 4191, and nothing for what it settles on the payer's other invoices", () => {
    // 15.00 freed on a paid invoice: 5.00 settles another invoice of g-1 (411 to 411: no entry), 10.00 goes to the wallet
    const carried = payment({ id: 'credit-note:cn1', date: '2026-02-20', method: 'creditNote', amountMinor: 1500n, allocations: [{ invoiceId: 'i3', amountMinor: 500n }] })
    const rows = rowsOf(buildFec(settings, { payments: [carried], debtors }).bytes).filter((r) => r['PieceRef'] === 'credit-note:cn1')
    expect(rows.map((r) => [r['JournalCode'], r['CompteNum'], r['CompAuxNum'], r['Debit'], r['Credit']])).toEqual([
      ['CPM', '411000', 'g-1', '10,00', '0,00'],
      ['CPM', '419100', 'g-1', '0,00', '10,00'],
    ])
    // all of it on other invoices of the payer: no entry, no bank or cash account touched
    const within = payment({ id: 'credit-note:cn2', date: '2026-02-20', method: 'creditNote', amountMinor: 500n, allocations: [{ invoiceId: 'i3', amountMinor: 500n }] })
    expect(rowsOf(buildFec(settings, { payments: [within], debtors }).bytes).some((r) => r['PieceRef'] === 'credit-note:cn2')).toBe(false)
    // taken back when a direct debit it relied on was returned: reversed on that day
    const undone = payment({ id: 'credit-note:cn3', date: '2026-02-20', method: 'creditNote', amountMinor: 1000n, refusedOn: '2026-03-05' })
    const back = rowsOf(buildFec(settings, { payments: [undone], debtors }).bytes).filter((r) => r['PieceRef'] === 'credit-note:cn3')
    expect(back.map((r) => [r['EcritureDate'], r['CompteNum'], r['Debit'], r['Credit']])).toEqual([
      ['20260220', '411000', '10,00', '0,00'],
      ['20260220', '419100', '0,00', '10,00'],
      ['20260305', '411000', '0,00', '10,00'],
      ['20260305', '419100', '10,00', '0,00'],
    ])
  })

  it('refuses a document of an office the FEC does not cover, naming the field, before writing anything', () => {
    const other = invoice({ id: 'i3', number: 'F3', issueDate: '2026-02-01', billingOfficeId: 'other', lines: [{ serviceId: 'canteen', amountMinor: 100n }] })
    expect(() => buildFec(settings, { invoices: [other], debtors })).toThrow(/invoices\[0\]\.billingOfficeId/)
  })

  it('refuses a debtor without a name, a non-euro invoice and a method without an account', () => {
    expect(() => buildFec(settings, { invoices: [inv1], debtors: {} })).toThrow(/debtors\.g-1/)
    const chf = invoice({ id: 'i4', number: 'F4', issueDate: '2026-02-01', currency: 'CHF', lines: [{ serviceId: 'canteen', amountMinor: 100n }] })
    expect(() => buildFec(settings, { invoices: [chf], debtors })).toThrow(/invoices\[0\]\.currency/)
    const cesu = payment({ id: 'p3', date: '2026-02-10', method: 'cesu', amountMinor: 100n })
    expect(() => buildFec(settings, { payments: [cesu], debtors })).toThrow(/accounts\.paymentMethods/)
    expect(rowsOf(buildFec({ ...settings, accounts: { paymentMethods: { cesu: { number: '511600', label: 'CESU à encaisser' } } } }, { payments: [cesu], debtors }).bytes)[0]!['CompteNum']).toBe('511600')
  })

  it('refuses an invoice whose total is not the sum of its parts, as an unbalanced entry naming the invoice', () => {
    const broken = { ...inv1, totalMinor: inv1.totalMinor + 1n }
    try {
      buildFec(settings, { invoices: [broken], debtors })
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e, 'FEC_UNBALANCED_ENTRY')).toBe(true)
      expect((e as Error).message).toContain('F2026-000001')
    }
  })

  it('refuses bad settings naming the field: a SIREN of 8 digits, a journal prefix used twice, a validation day before an entry', () => {
    expect(() => buildFec({ ...settings, siren: '12345678' }, data)).toThrow(/siren/)
    expect(() => buildFec({ ...settings, billingOffices: [{ id: 'a', name: 'A', journalPrefix: 'C' }, { id: 'b', name: 'B', journalPrefix: 'C' }] }, { debtors })).toThrow(/journalPrefix/)
    expect(() => buildFec({ ...settings, validatedOn: '2026-02-15' }, data)).toThrow(/validatedOn/)
  })
})
