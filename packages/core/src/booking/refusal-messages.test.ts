import { describe, expect, it } from 'vitest'
import { BOOKING_MESSAGE_LOCALES, bookingRefusalMessage } from './refusal-messages'
import { BOOKING_REFUSAL_CODES, type BookingRefusal } from './refusal'

const eur = (amount: string) => ({ amount, currency: 'EUR' })
const deadline = { instant: '2026-03-05T09:00:00.000Z', local: '2026-03-05T10:00', timeZone: 'Europe/Paris' }
const samples: BookingRefusal[] = [
  { code: 'CHILD_ARCHIVED', childId: 'lea' },
  { code: 'NOT_ENROLLED', childId: 'lea', date: '2026-03-09' },
  { code: 'SERVICE_NOT_OFFERED', serviceId: 'canteen', schoolId: 's', classId: 'k' },
  { code: 'NOT_SUBSCRIBED', childId: 'lea', serviceId: 'canteen', date: '2026-03-09' },
  { code: 'CLOSED', date: '2026-03-09', closure: { cause: 'closurePeriod', periodId: 'p', label: 'Grève' } },
  { code: 'NO_BILLING_RULE', reason: 'NO_RULE', ruleIds: [] },
  { code: 'NOT_PAYER', guardianId: 'dad', payerIds: ['mum'], jointDebtorInPrepaid: false },
  { code: 'CONSENT_MISSING', consentId: 'c', label: 'Règlement' },
  { code: 'CUTOFF_PASSED', action: 'book', ...deadline },
  { code: 'INSUFFICIENT_BALANCE', guardianId: 'mum', price: eur('4.15'), available: eur('1.80'), shortfall: eur('2.35') },
  { code: 'DEBT_LIMIT', guardianId: 'mum', debt: eur('60.00'), limit: eur('50.00') },
  { code: 'FULL', capacity: 80, booked: 80 },
  { code: 'ALREADY_BOOKED', date: '2026-03-09' },
  { code: 'ALREADY_BILLED', date: '2026-03-09' },
  { code: 'NOT_BOOKED', date: '2026-03-09' },
  { code: 'NOT_STARTED', ...deadline },
]

describe('bookingRefusalMessage', () => {
  it('has a sample for every refusal code', () => {
    expect(samples.map((s) => s.code)).toEqual([...BOOKING_REFUSAL_CODES])
  })

  it('explains every code in French, English, Italian and Dutch, each differently', () => {
    for (const s of samples) {
      const texts = BOOKING_MESSAGE_LOCALES.map((l) => bookingRefusalMessage(s, l))
      for (const t of texts) expect(t.length).toBeGreaterThan(10)
      expect(new Set(texts).size).toBe(4)
    }
  })

  it('gives the cut-off on the site clock and zone, the day written for people in the language', () => {
    expect(bookingRefusalMessage(samples[8]!, 'fr')).toBe('Réservation impossible : la date limite était le jeudi 5 mars 2026 à 10:00 (Europe/Paris).')
    expect(bookingRefusalMessage(samples[8]!, 'en')).toBe('Booking closed: the deadline was Thursday 5 March 2026 at 10:00 (Europe/Paris).')
    expect(bookingRefusalMessage(samples[8]!, 'it')).toBe('Prenotazione impossibile: la scadenza era giovedì 5 marzo 2026 alle 10:00 (Europe/Paris).')
    expect(bookingRefusalMessage(samples[8]!, 'nl')).toBe('Reserveren niet meer mogelijk: de uiterste datum was donderdag 5 maart 2026 om 10:00 (Europe/Paris).')
  })

  it('writes every day as people read it in the language, never as an ISO date', () => {
    expect(bookingRefusalMessage({ code: 'ALREADY_BOOKED', date: '2027-02-11' }, 'fr')).toBe('Déjà réservé le jeudi 11 février 2027.')
    expect(bookingRefusalMessage({ code: 'ALREADY_BOOKED', date: '2027-02-11' }, 'en')).toBe('Already booked on Thursday 11 February 2027.')
    expect(bookingRefusalMessage({ code: 'ALREADY_BOOKED', date: '2027-02-11' }, 'it')).toBe('Già prenotato il giovedì 11 febbraio 2027.')
    expect(bookingRefusalMessage({ code: 'ALREADY_BOOKED', date: '2027-02-11' }, 'nl')).toBe('Al gereserveerd op donderdag 11 februari 2027.')
    expect(bookingRefusalMessage(samples.find((s) => s.code === 'NOT_STARTED')!, 'en')).toBe('The service has not started yet: it starts on Thursday 5 March 2026 at 10:00 (Europe/Paris).')
    for (const s of samples) for (const l of BOOKING_MESSAGE_LOCALES) expect(bookingRefusalMessage(s, l)).not.toMatch(/\d{4}-\d{2}-\d{2}/)
  })

  it('writes the same day whatever the host zone (the first and last days of a year, a day of a clock change)', () => {
    // this file runs under several TZ settings (the core projects); the text depends on the date only
    expect(bookingRefusalMessage({ code: 'ALREADY_BILLED', date: '2027-01-01' }, 'fr')).toBe('La réservation du vendredi 1 janvier 2027 est déjà facturée.')
    expect(bookingRefusalMessage({ code: 'ALREADY_BILLED', date: '2026-12-31' }, 'en')).toBe('The booking of Thursday 31 December 2026 is already billed.')
    expect(bookingRefusalMessage({ code: 'ALREADY_BILLED', date: '2027-03-28' }, 'nl')).toBe('De reservering van zondag 28 maart 2027 is al gefactureerd.')
  })

  it('writes a day the host zone skipped as that day (Pacific/Apia, one of the zones this file runs under, had no 30 December 2011)', () => {
    expect(bookingRefusalMessage({ code: 'ALREADY_BILLED', date: '2011-12-30' }, 'en')).toBe('The booking of Friday 30 December 2011 is already billed.')
  })

  it('writes the years 0 to 99 as themselves, not as 1900 to 1999', () => {
    expect(bookingRefusalMessage({ code: 'ALREADY_BILLED', date: '0099-06-15' }, 'en')).toBe('The booking of Monday 15 June 0099 is already billed.')
  })

  // Intl separates an amount from its currency sign with a no-break space (U+00A0), or a narrow one (U+202F) in French
  const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ')

  it('gives the shortfall of an insufficient balance, its amounts written as French readers write them', () => {
    expect(plain(bookingRefusalMessage(samples[9]!, 'fr'))).toBe('Solde insuffisant : il manque 2,35 € (solde disponible 1,80 €, prix 4,15 €).')
  })

  it('gives the shortfall of an insufficient balance, its amounts written as English readers write them', () => {
    expect(bookingRefusalMessage(samples[9]!, 'en')).toBe('Insufficient balance: €2.35 short (available €1.80, price €4.15).')
  })

  it('gives the shortfall of an insufficient balance, its amounts written as Italian readers write them', () => {
    expect(plain(bookingRefusalMessage(samples[9]!, 'it'))).toBe('Saldo insufficiente: mancano 2,35 € (disponibile 1,80 €, prezzo 4,15 €).')
  })

  it('gives the shortfall of an insufficient balance, its amounts written as Dutch readers (in Belgium) write them', () => {
    expect(plain(bookingRefusalMessage(samples[9]!, 'nl'))).toBe('Onvoldoende saldo: € 2,35 te weinig (beschikbaar € 1,80, prijs € 4,15).')
  })

  it('writes the debt and its limit with group separators and the currency of the amounts', () => {
    const refusal: BookingRefusal = { code: 'DEBT_LIMIT', guardianId: 'mum', debt: eur('1234.50'), limit: eur('1000.00') }
    expect(plain(bookingRefusalMessage(refusal, 'fr'))).toBe('Impayés de 1 234,50 € au-delà du plafond de 1 000,00 €.')
    expect(bookingRefusalMessage(refusal, 'en')).toBe('Unpaid debt of €1,234.50 is above the limit of €1,000.00.')
    expect(plain(bookingRefusalMessage({ ...refusal, debt: { amount: '12.5', currency: 'CHF' }, limit: { amount: '10', currency: 'CHF' } }, 'en'))).toBe('Unpaid debt of CHF 12.50 is above the limit of CHF 10.00.')
  })

  it('explains every cause of a closure', () => {
    const causes = [
      { cause: 'closurePeriod', periodId: 'p', label: 'Grève' }, { cause: 'publicHoliday', date: '2026-05-01' }, { cause: 'weekday', weekday: 3 },
      { cause: 'noOpening' }, { cause: 'unknownService' },
    ] as const
    for (const closure of causes) expect(bookingRefusalMessage({ code: 'CLOSED', date: '2026-03-11', closure }, 'fr')).toMatch(/^Fermé le mercredi 11 mars 2026 : .+\.$/)
    expect(bookingRefusalMessage({ code: 'CLOSED', date: '2026-03-11', closure: { cause: 'weekday', weekday: 3 } }, 'en')).toContain('Wednesday')
  })

  it('tells a joint debtor in prepaid-basket mode why', () => {
    expect(bookingRefusalMessage({ code: 'NOT_PAYER', guardianId: 'g', payerIds: ['mum'], jointDebtorInPrepaid: true }, 'fr')).toContain('prépaiement panier')
    expect(bookingRefusalMessage({ code: 'NOT_PAYER', guardianId: 'g', payerIds: [], jointDebtorInPrepaid: false }, 'fr')).toContain("seule l'école peut annuler")
  })
})
