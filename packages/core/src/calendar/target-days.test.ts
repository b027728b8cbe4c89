import { describe, expect, it } from 'vitest'
import { addDays, type LocalDate } from '../time'
import { easterSunday } from './easter'
import { isTargetDay, nextTargetDay } from './target-days'
import { refusal } from '../test-support/refusal'

describe('TARGET business days (the days SEPA payments settle on)', () => {
  it('closes on weekends and on the six TARGET holidays, and opens on every other day', () => {
    const closed2027: LocalDate[] = ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-01', '2027-12-25', '2027-12-26']
    for (const d of closed2027) expect([d, isTargetDay(d)]).toEqual([d, false])
    // Christmas Eve, New Year's Eve, Ascension, Whit Monday, 14 July and 15 August are national holidays, not TARGET ones
    for (const d of ['2027-12-24', '2027-12-31', '2027-05-06', '2027-05-17', '2027-07-14', '2027-08-16'] as LocalDate[]) expect([d, isTargetDay(d)]).toEqual([d, true])
    expect(isTargetDay('2027-01-16')).toBe(false) // Saturday
    expect(isTargetDay('2027-01-17')).toBe(false) // Sunday
    expect(isTargetDay('2027-01-18')).toBe(true)
  })

  it('counts 254 to 260 TARGET days in each year from 2000 to 2100, never a weekend, never Good Friday or Easter Monday', () => {
    for (let year = 2000; year <= 2100; year++) {
      let open = 0
      for (let d = `${year}-01-01` as LocalDate; d.startsWith(String(year)); d = addDays(d, 1)) if (isTargetDay(d)) open++
      expect(open).toBeGreaterThanOrEqual(254)
      expect(open).toBeLessThanOrEqual(260)
      const easter = easterSunday(year)
      expect([isTargetDay(addDays(easter, -2)), isTargetDay(addDays(easter, 1))]).toEqual([false, false])
    }
  })

  it('moves a day that is not one to the next TARGET day, across a month or a year', () => {
    expect(nextTargetDay('2027-12-25')).toBe('2027-12-27')
    expect(nextTargetDay('2027-03-26')).toBe('2027-03-30') // Good Friday, the weekend, Easter Monday
    expect(nextTargetDay('2028-12-30')).toBe('2029-01-02')
    expect(nextTargetDay('2027-12-31')).toBe('2027-12-31')
  })

  it('refuses what is not a calendar day, naming date', () => {
    expect(refusal(() => isTargetDay('2027-02-30'))).toMatchObject({ code: 'INVALID_INPUT', paths: ['date'] })
    expect(refusal(() => nextTargetDay('25/12/2027' as LocalDate))).toMatchObject({ code: 'INVALID_INPUT', paths: ['date'] })
  })
})
