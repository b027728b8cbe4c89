import { describe, expect, it } from 'vitest'
import { localDateOf, timeZoneForCountry, zonedDateTime, zonedInstant } from './time-zone'

describe('site time zones', () => {
  it('derives a site zone from its country, overseas departments included', () => {
    expect(timeZoneForCountry('FR')).toBe('Europe/Paris')
    expect(timeZoneForCountry('be')).toBe('Europe/Brussels')
    expect(timeZoneForCountry('IT')).toBe('Europe/Rome')
    expect(timeZoneForCountry('RE')).toBe('Indian/Reunion')
    expect(timeZoneForCountry('GP')).toBe('America/Guadeloupe')
    expect(() => timeZoneForCountry('ZZ')).toThrowError(/set the site's time zone explicitly/)
  })

  it('knows clocks in Paris go forward at 02:00 on 29 March 2026 (01:00 UTC)', () => {
    expect(zonedDateTime('2026-03-29T00:59:59Z', 'Europe/Paris')).toEqual({ date: '2026-03-29', time: '01:59:59', offsetMinutes: 60 })
    expect(zonedDateTime('2026-03-29T01:00:00Z', 'Europe/Paris')).toEqual({ date: '2026-03-29', time: '03:00:00', offsetMinutes: 120 })
  })

  it('knows clocks in Paris go back at 03:00 on 25 October 2026 (01:00 UTC), so 02:30 happens twice', () => {
    expect(zonedDateTime('2026-10-25T00:30:00Z', 'Europe/Paris').time).toBe('02:30:00')
    expect(zonedDateTime('2026-10-25T01:30:00Z', 'Europe/Paris').time).toBe('02:30:00')
    expect(zonedInstant('2026-10-25', '02:30', 'Europe/Paris').toISOString()).toBe('2026-10-25T00:30:00.000Z')
    expect(zonedInstant('2026-10-25', '02:30', 'Europe/Paris', 'earlier').toISOString()).toBe('2026-10-25T00:30:00.000Z')
    expect(zonedInstant('2026-10-25', '02:30', 'Europe/Paris', 'later').toISOString()).toBe('2026-10-25T01:30:00.000Z')
    expect(() => zonedInstant('2026-10-25', '02:30', 'Europe/Paris', 'reject')).toThrowError(/happens twice/)
  })

  it('shifts a skipped local time (02:30 on 29 March 2026) forward by the gap, or refuses it on request', () => {
    expect(zonedInstant('2026-03-29', '02:30', 'Europe/Paris').toISOString()).toBe('2026-03-29T01:30:00.000Z')
    expect(zonedInstant('2026-03-29', '02:30', 'Europe/Paris', 'earlier').toISOString()).toBe('2026-03-29T00:30:00.000Z')
    expect(() => zonedInstant('2026-03-29', '02:30', 'Europe/Paris', 'reject')).toThrowError(/does not exist/)
  })

  it('places "10:00 in Brussels" at 09:00 UTC in winter and 08:00 UTC in summer', () => {
    expect(zonedInstant('2026-03-06', '10:00', 'Europe/Brussels').toISOString()).toBe('2026-03-06T09:00:00.000Z')
    expect(zonedInstant('2026-06-05', '10:00', 'Europe/Brussels').toISOString()).toBe('2026-06-05T08:00:00.000Z')
  })

  it('gives the site-local day of an instant, which may differ from the UTC day', () => {
    expect(localDateOf('2026-03-01T23:30:00Z', 'Europe/Paris')).toBe('2026-03-02')
    expect(localDateOf('2026-03-02T03:00:00Z', 'America/Guadeloupe')).toBe('2026-03-01')
  })

  it('refuses an instant without a zone and an unknown zone', () => {
    expect(() => zonedDateTime('2026-03-02T10:00:00', 'Europe/Paris')).toThrowError(/ISO instant with Z or an offset/)
    expect(() => zonedDateTime('2026-03-02T10:00:00Z', 'Europe/Atlantis')).toThrowError(/unknown time zone/)
    expect(() => zonedInstant('2026-03-02', '25:00', 'Europe/Paris')).toThrowError(/HH:MM/)
  })
})
