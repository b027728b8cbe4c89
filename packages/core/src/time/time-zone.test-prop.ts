import { describe, expect, it } from 'vitest'
import { addDays, type LocalDate } from './local-date'
import { zonedDateTime, zonedInstant } from './time-zone'

const zones = ['Europe/Paris', 'Europe/Brussels', 'Europe/Rome'] as const
// the weeks around the EU changes (last Sunday of March and October), 2025-2027
const dstSundays: LocalDate[] = ['2025-03-30', '2025-10-26', '2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31']

describe('local date and time of an instant, and back', () => {
  for (const zone of zones) {
    it(`is stable for every hour and half hour of the DST weeks of 2025-2027 in ${zone}`, () => {
      let checked = 0
      for (const sunday of dstSundays) {
        const start = Date.parse(`${addDays(sunday, -3)}T00:00:00Z`)
        for (let t = start; t < start + 7 * 86_400_000; t += 1_800_000) {
          const local = zonedDateTime(new Date(t), zone)
          const earlier = zonedInstant(local.date, local.time, zone, 'earlier').getTime()
          const later = zonedInstant(local.date, local.time, zone, 'later').getTime()
          // an instant is one of the (at most two) instants its wall time denotes
          expect([earlier, later]).toContain(t)
          if (earlier !== later) expect(later - earlier).toBe(3_600_000)
          checked++
        }
      }
      expect(checked).toBe(6 * 7 * 48)
    })
  }
})
