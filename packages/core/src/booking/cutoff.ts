import * as z from 'zod'
import { match } from 'ts-pattern'
import { parseInput } from '../errors'
import { fromEpochDay, mondayOfEpochDay, toEpochDay, zonedInstant, type LocalDate, type TimeZone } from '../time'
import { asInputError } from '../input-error'

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:MM')

/**
 * A booking or cancellation deadline, as data:
 * - `daysBefore`: at `at` (HH:MM, site time) on the day `days` days before the booked day,
 *   counting `calendar` days, `weekdays` (Monday to Friday that are not public holidays) or
 *   `schoolDays` (days the service runs for the child's class). `days: 0` is the day itself.
 * - `previousWeek`: at `at` on weekday `weekday` (1 = Monday) of the ISO week before the booked
 *   day's week ("before Thursday 10:00 for next week").
 * - `none`: no deadline.
 */
export type CutoffRule =
  | { kind: 'none' }
  | { kind: 'daysBefore'; days: number; count: 'calendar' | 'weekdays' | 'schoolDays'; at: string }
  | { kind: 'previousWeek'; weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7; at: string }

const CutoffRuleSchemaBase = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('daysBefore'), days: z.number().int().min(0).max(366), count: z.enum(['calendar', 'weekdays', 'schoolDays']), at: HHMM }),
  z.strictObject({ kind: z.literal('previousWeek'), weekday: z.number().int().min(1).max(7) as unknown as z.ZodType<1 | 2 | 3 | 4 | 5 | 6 | 7, unknown>, at: HHMM }),
])
/** A CutoffRule as a form or an API sends it (the input of {@link CutoffRuleSchema}). */
export type CutoffRuleInput = z.input<typeof CutoffRuleSchemaBase>
/**
 * Schema of a {@link CutoffRule}.
 *
 * @example
 * CutoffRuleSchema.parse({ kind: 'daysBefore', days: 2, count: 'weekdays', at: '10:00' })
 */
export const CutoffRuleSchema: z.ZodType<CutoffRule, CutoffRuleInput> = CutoffRuleSchemaBase as unknown as z.ZodType<CutoffRule, CutoffRuleInput>

/** Which days count, for rules that count `weekdays` or `schoolDays` (epoch days). */
export interface CutoffDayCounters {
  /** Whether an epoch day is a public holiday. */
  isPublicHoliday(epochDay: number): boolean
  /** Whether an epoch day is a day the service runs for the booking's class. */
  isSchoolDay(epochDay: number): boolean
}

const NO_COUNTERS: CutoffDayCounters = { isPublicHoliday: () => false, isSchoolDay: () => true }

/** Mon..Fri for an epoch day. */
function isWeekday(epochDay: number): boolean {
  const wd = epochDay - mondayOfEpochDay(epochDay) + 1
  return wd <= 5
}

/**
 * The local day a cut-off falls on for a booked day (as an epoch day), or `undefined` for `none`.
 *
 * @example
 * cutoffDay({ kind: 'previousWeek', weekday: 4, at: '10:00' }, toEpochDay('2026-03-09')) //=> toEpochDay('2026-03-05')
 */
export function cutoffDay(rule: CutoffRule, bookedEpochDay: number, counters: CutoffDayCounters = NO_COUNTERS): number | undefined {
  try {
    return match(rule)
      .with({ kind: 'none' }, () => undefined)
      .with({ kind: 'previousWeek' }, (r) => {
        return mondayOfEpochDay(bookedEpochDay) - 7 + (r.weekday - 1)
      })
      .with({ kind: 'daysBefore' }, (r) => {
        if (r.count === 'calendar') return bookedEpochDay - r.days
        let d = bookedEpochDay
        let counted = 0
        // bounded: at most a year and a half back, so a closed calendar cannot loop forever
        const limit = bookedEpochDay - 550
        while (counted < r.days && d > limit) {
          d--
          const counts = r.count === 'weekdays' ? isWeekday(d) && !counters.isPublicHoliday(d) : counters.isSchoolDay(d)
          if (counts) counted++
        }
        return d
      })
      .exhaustive()
  } catch (error) {
    throw asInputError(error, 'cutoffDay', { rule: [rule, 'object', 'a cutoff rule'], bookedEpochDay: [bookedEpochDay, 'number', 'an epoch day'], counters: [counters, 'object?', 'the day counters'] })
  }
}

/**
 * The instant of the cut-off for booking (or cancelling) a day, in the site's time zone, correct
 * across DST changes (the wall-clock time is converted on the cut-off day itself; a time skipped
 * when clocks go forward moves forward by the gap). `undefined` when the rule is `none`.
 *
 * @example
 * cutoffInstant({ kind: 'daysBefore', days: 2, count: 'weekdays', at: '10:00' }, '2026-03-30', 'Europe/Paris')?.toISOString()
 * //=> '2026-03-26T09:00:00.000Z' (Thursday 10:00 CET, before the change of 29 March)
 * @throws EcoleError `INVALID_INPUT` naming the field of `rule` that does not match {@link CutoffRuleSchema}
 * (an unknown key such as `time` is named, with the nearest known one: `at`); `INVALID_DATE` naming `date`.
 */
export function cutoffInstant(rule: CutoffRule, date: LocalDate, zone: TimeZone, counters: CutoffDayCounters = NO_COUNTERS): Date | undefined {
  const r = parseInput(CutoffRuleSchema, rule, 'rule')
  const day = cutoffDay(r, toEpochDay(date), counters)
  if (day === undefined || r.kind === 'none') return undefined
  return zonedInstant(fromEpochDay(day), r.at, zone)
}
