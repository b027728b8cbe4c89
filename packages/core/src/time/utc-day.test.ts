import { format } from 'date-fns'
import { fr } from 'date-fns/locale'
import { fc, test as prop } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { addDays } from './local-date'
import { printableDay } from './utc-day'

describe('printableDay', () => {
  it('prints the day it is given, even a day the host zone may have skipped, and years 0 to 99 as themselves', () => {
    expect(format(printableDay('2011-12-30'), 'EEEE d MMMM yyyy', { locale: fr })).toBe('vendredi 30 décembre 2011')
    expect(format(printableDay('1994-12-31'), 'yyyy-MM-dd')).toBe('1994-12-31')
    expect(format(printableDay('0099-06-15'), 'yyyy-MM-dd')).toBe('0099-06-15')
    expect(printableDay('2026-03-02').toISOString()).toBe('2026-03-02T12:00:00.000Z')
  })

  it('refuses what is not a calendar day with INVALID_DATE', () => {
    for (const bad of ['2026-02-30', '2026-3-2', '', null, 20260302n]) {
      try {
        printableDay(bad as never)
        expect.unreachable(String(bad))
      } catch (e) {
        expect(isEcoleError(e, 'INVALID_DATE')).toBe(true)
      }
    }
  })

  prop.prop([fc.integer({ min: 1, max: 3_000_000 })])('date-fns prints every day from 0001-01-02 on as the LocalDate it came from', (n) => {
    const day = addDays('0001-01-01', n)
    expect(format(printableDay(day), 'yyyy-MM-dd')).toBe(day)
  })
})
