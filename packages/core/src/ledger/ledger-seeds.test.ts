import { describe, expect, it } from 'vitest'
import {
  GENERAL_COMPARTMENT,
  GENERAL_COMPARTMENT_LABEL,
  accountStatement,
  applyTransfers,
  availableBalance,
  balanceAt,
  createLedger,
  getAccountBalance,
  linkTransfers,
  listWalletBalances,
  openAccounts,
  postPendingTransfer,
  reverseTransfer,
  standardLedgerAccounts,
  submitTransfers,
  systemAccountId,
  voidPendingTransfer,
  walletAccountId,
  type LedgerTransfer,
} from '../index'

// Seed 004 (a Belgian parent portal): "Portefeuille: Compartiment général 10,45 €", top-up by bank
// transfer with a structured communication, "il faut compter 2-3 jours ... le gestionnaire doit
// importer les extraits de compte électroniques", then "Liste des soldes 37,10 €".
describe('seed 004: wallet compartments and top-up by bank transfer', () => {
  const office = 'ecole-1'
  const bank = systemAccountId('bankClearing', office)
  const general = walletAccountId('parent-1', office, GENERAL_COMPARTMENT)
  const trips = walletAccountId('parent-1', office, 'voyages')

  function portal() {
    const ledger = createLedger()
    openAccounts(ledger, standardLedgerAccounts({
      currency: 'EUR',
      billingOffices: [{ id: office, serviceIds: ['temps-de-midi', 'garderie'] }],
      guardians: [{ guardianId: 'parent-1', billingOfficeIds: [office] }],
      compartments: ['voyages'],
    }))
    // the wallet shows 10,45 EUR before the new transfer
    submitTransfers(ledger, [{
      id: 'opening-parent-1', debitAccountId: bank, creditAccountId: general, amount: { amount: '10.45', currency: 'EUR' },
      code: 'topUp', timestamp: '2023-03-01T09:00:00+01:00', links: { bankEntryRef: 'CODA-2023-03-01-4' },
    }], new Date('2023-03-01T09:00:00+01:00'))
    return ledger
  }

  it('gives each guardian a "Compartiment général" wallet and one per compartment the site defines', () => {
    const ledger = portal()
    expect(GENERAL_COMPARTMENT_LABEL).toBe('Compartiment général')
    const wallets = listWalletBalances(ledger, { guardianId: 'parent-1' })
    expect(wallets.map((w) => w.account.compartment).sort()).toEqual(['general', 'voyages'])
    expect(availableBalance(ledger, general)).toBe(1045n)
    expect(availableBalance(ledger, trips)).toBe(0n)
  })

  it('shows a bank-transfer top-up only once the statement is imported (10,45 EUR, then 37,10 EUR)', () => {
    const ledger = portal()
    // Monday: the parent orders the transfer at the bank; nothing reaches the ledger yet
    const ordered = new Date('2023-03-06T20:00:00+01:00')
    expect(balanceAt(ledger, general, ordered).available).toBe(1045n)
    // Wednesday: the manager imports the electronic statement; its entry credits the wallet
    const imported = new Date('2023-03-08T10:15:00+01:00')
    const entry: LedgerTransfer = {
      id: 'coda:2023-03-08:entry-12', debitAccountId: bank, creditAccountId: general, amount: 2665n, code: 'topUp',
      timestamp: imported, links: { bankEntryRef: 'CODA-2023-03-08-12' }, memo: '+++090/9337/55493+++',
    }
    expect(applyTransfers(ledger, [entry], imported)).toEqual([{ id: entry.id, status: 'created' }])
    // 10,45 + 26,65 = 37,10
    expect(availableBalance(ledger, general)).toBe(3710n)
    expect(balanceAt(ledger, general, new Date('2023-03-07T23:59:59+01:00')).available).toBe(1045n)
    // importing the same statement twice does not credit twice
    expect(applyTransfers(ledger, [{ ...entry, timestamp: new Date('2023-03-09T08:00:00+01:00') }], new Date('2023-03-09T08:00:00+01:00'))).toEqual([
      { id: entry.id, status: 'exists' },
    ])
    expect(availableBalance(ledger, general)).toBe(3710n)
  })

  it('moves money from the general compartment to another of the same guardian', () => {
    const ledger = portal()
    const now = new Date('2023-03-10T12:00:00+01:00')
    applyTransfers(ledger, [{ id: 'to-trips', debitAccountId: general, creditAccountId: trips, amount: 1000n, code: 'compartmentTransfer', timestamp: now }], now)
    expect([availableBalance(ledger, general), availableBalance(ledger, trips)]).toEqual([45n, 1000n])
  })
})

// Seed 001 (a French canteen package), "Prépaiement": crediting the account of a guardian who pays
// at the desk; the account's movements "triés par mois"; bookings: "le solde du responsable de
// facturation sera débité".
describe('seed 001: prepaid bookings', () => {
  const office = 'regie-cantine'
  const cash = systemAccountId('cash', office)
  const revenue = systemAccountId('revenue', office, 'repas')
  const wallet = walletAccountId('resp-7', office)

  function canteen() {
    const ledger = createLedger()
    openAccounts(ledger, standardLedgerAccounts({
      currency: 'EUR', billingOffices: [{ id: office, serviceIds: ['repas'] }], guardians: [{ guardianId: 'resp-7', billingOfficeIds: [office] }],
    }))
    // "créditer d'autant le solde de la personne": 20,00 EUR paid in cash at the desk
    const paid = new Date('2026-02-27T16:30:00+01:00')
    applyTransfers(ledger, [{ id: 'pay-2026-02-27-resp-7', debitAccountId: cash, creditAccountId: wallet, amount: 2000n, code: 'topUp', timestamp: paid }], paid)
    return ledger
  }

  const bookingFor = (date: string): LedgerTransfer => ({
    id: `booking:${date}:child-3`, debitAccountId: wallet, creditAccountId: revenue, amount: 415n, code: 'booking', flags: { pending: true },
    timestamp: new Date('2026-02-28T18:00:00+01:00'), links: { bookingId: `child-3:${date}` },
  })

  it('drops the available balance as soon as a meal is booked (4,15 EUR reserved out of 20,00 EUR)', () => {
    const ledger = canteen()
    const booked = new Date('2026-02-28T18:00:00+01:00')
    applyTransfers(ledger, [bookingFor('2026-03-02')], booked)
    expect(getAccountBalance(ledger, wallet)).toMatchObject({ posted: 2000n, debitsPending: 415n, available: 1585n })
  })

  it('gives the reservation back when the booking is cancelled in time', () => {
    const ledger = canteen()
    const booking = bookingFor('2026-03-03')
    applyTransfers(ledger, [booking], booking.timestamp)
    const cancelled = new Date('2026-03-01T09:00:00+01:00')
    expect(applyTransfers(ledger, [voidPendingTransfer(booking, { id: 'cancel:2026-03-03:child-3', timestamp: cancelled })], cancelled)).toEqual([
      { id: 'cancel:2026-03-03:child-3', status: 'created' },
    ])
    expect(getAccountBalance(ledger, wallet)).toMatchObject({ posted: 2000n, debitsPending: 0n, available: 2000n })
  })

  it('takes the reservation when the meal is served and lists the movements by month', () => {
    const ledger = canteen()
    const b1 = bookingFor('2026-03-02')
    const b2 = bookingFor('2026-03-03')
    applyTransfers(ledger, [b1, b2], b1.timestamp)
    const served = new Date('2026-03-02T12:30:00+01:00')
    applyTransfers(ledger, [postPendingTransfer(b1, { id: 'served:2026-03-02:child-3', timestamp: served })], served)
    const s = accountStatement(ledger, wallet, { from: '2026-02-01', to: '2026-03-31', timeZone: 'Europe/Paris' })
    expect(s.opening).toBe(0n)
    expect(s.months.map((m) => [m.month, m.opening, m.credits, m.debits, m.closing])).toEqual([
      ['2026-02', 0n, 2000n, 0n, 2000n],
      ['2026-03', 2000n, 0n, 415n, 1585n],
    ])
    expect(s.months[1]!.lines.map((l) => [l.date, l.code, l.debit, l.balance])).toEqual([['2026-03-02', 'booking', 415n, 1585n]])
    // the second meal is still reserved at the end of March
    expect(s.reservations.map((r) => [r.transferId, r.amount])).toEqual([[b2.id, 415n]])
    expect(s.available).toBe(1170n)
  })
})

describe('a correction', () => {
  it('moves a top-up credited to the wrong guardian to the right one, leaving both movements visible', () => {
    const ledger = createLedger()
    openAccounts(ledger, standardLedgerAccounts({
      currency: 'EUR', billingOffices: [{ id: 'o1' }],
      guardians: [{ guardianId: 'martin', billingOfficeIds: ['o1'] }, { guardianId: 'martine', billingOfficeIds: ['o1'] }],
    }))
    const bank = systemAccountId('bankClearing', 'o1')
    const wrong = walletAccountId('martin', 'o1')
    const right = walletAccountId('martine', 'o1')
    const day = new Date('2026-03-05T10:00:00+01:00')
    const original: LedgerTransfer = { id: 'camt:entry-88', debitAccountId: bank, creditAccountId: wrong, amount: 5000n, code: 'topUp', timestamp: day }
    applyTransfers(ledger, [original], day)
    const fixed = new Date('2026-03-06T09:00:00+01:00')
    const results = applyTransfers(ledger, linkTransfers([
      reverseTransfer(original, { id: 'fix:entry-88:reverse', timestamp: fixed, memo: 'credited to the wrong guardian' }),
      { id: 'fix:entry-88:repost', debitAccountId: bank, creditAccountId: right, amount: 5000n, code: 'topUp', timestamp: fixed, links: { bankEntryRef: 'entry-88' } },
    ]), fixed)
    expect(results.map((r) => r.status)).toEqual(['created', 'created'])
    expect([availableBalance(ledger, wrong), availableBalance(ledger, right)]).toEqual([0n, 5000n])
    const s = accountStatement(ledger, wrong, { from: '2026-03-01', to: '2026-03-31', timeZone: 'Europe/Paris' })
    expect(s.months[0]!.lines.map((l) => [l.transferId, l.credit, l.debit, l.reversesId])).toEqual([
      ['camt:entry-88', 5000n, 0n, undefined],
      ['fix:entry-88:reverse', 0n, 5000n, 'camt:entry-88'],
    ])
  })
})
