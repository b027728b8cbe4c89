import { describe, expect, it } from 'vitest'
import { MAIL_LOCALES, formatMailDate, formatMailList, mailerCheckText } from './mail-texts'

describe('formatMailDate', () => {
  it('writes a day with its weekday and month in words, in each of the four languages', () => {
    expect(formatMailDate('2027-01-04', 'fr')).toBe('lundi 4 janvier 2027')
    expect(formatMailDate('2027-01-04', 'en')).toBe('Monday 4 January 2027')
    expect(formatMailDate('2027-01-04', 'it')).toBe('lunedì 4 gennaio 2027')
    expect(formatMailDate('2027-01-04', 'nl')).toBe('maandag 4 januari 2027')
  })

  it('gives the same day on any host time zone (a night of a DST change included)', () => {
    expect(formatMailDate('2026-03-29', 'fr')).toBe('dimanche 29 mars 2026')
    expect(formatMailDate('2026-10-25', 'fr')).toBe('dimanche 25 octobre 2026')
    expect(formatMailDate('2024-02-29', 'en')).toBe('Thursday 29 February 2024')
  })

  it('writes a day the host zone skipped as that day (Pacific/Apia, one of the zones this file runs under, had no 30 December 2011)', () => {
    expect(formatMailDate('2011-12-30', 'en')).toBe('Friday 30 December 2011')
    expect(formatMailDate('1994-12-31', 'fr')).toBe('samedi 31 décembre 1994')
  })

  it('writes a day without its weekday when asked (a birth date), in each of the four languages', () => {
    expect(MAIL_LOCALES.map((l) => formatMailDate('2020-07-01', l, { weekday: false }))).toEqual(['1 juillet 2020', '1 July 2020', '1 luglio 2020', '1 juli 2020'])
  })

  it('writes the years 0 to 99 as themselves, not as 1900 to 1999', () => {
    expect(formatMailDate('0099-06-15', 'en')).toBe('Monday 15 June 0099')
    expect(formatMailDate('0001-01-01', 'en')).toBe('Monday 1 January 0001')
  })
})

describe('formatMailList', () => {
  it('joins names with commas and the language’s "and" before the last', () => {
    expect(MAIL_LOCALES.map((l) => formatMailList(['Léa', 'Noé'], l))).toEqual(['Léa et Noé', 'Léa and Noé', 'Léa e Noé', 'Léa en Noé'])
    expect(formatMailList(['Léa', 'Noé', 'Sami'], 'fr')).toBe('Léa, Noé et Sami')
    expect([formatMailList(['Léa'], 'fr'), formatMailList([], 'fr')]).toEqual(['Léa', ''])
  })
})

describe('mailerCheckText', () => {
  it("names the failed step and quotes the server's reply with its code", () => {
    const text = mailerCheckText({ ok: false, stage: 'authenticate', code: 535, reason: '535 5.7.8 Authentication credentials invalid' }, 'fr')
    expect(text).toBe("Le serveur a refusé l'identifiant ou le mot de passe. Réponse du serveur : 535 5.7.8 Authentication credentials invalid")
  })

  it('adds the code when the reply text does not start with it', () => {
    expect(mailerCheckText({ ok: false, stage: 'recipient', code: 550, reason: '5.1.1 No such user' }, 'en')).toContain('Server reply: 550 5.1.1 No such user')
  })

  it('has a text for every step in every language, each different from the others', () => {
    for (const locale of MAIL_LOCALES) {
      const texts = (['dns', 'connect', 'tls', 'authenticate', 'sender', 'recipient', 'send'] as const).map((stage) => mailerCheckText({ ok: false, stage, reason: 'x' }, locale))
      expect(new Set(texts).size).toBe(7)
    }
    expect(mailerCheckText({ ok: true, testMessageId: '<m@x>' }, 'it')).toContain('messaggio di prova')
  })
})
