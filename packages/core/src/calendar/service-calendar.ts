import * as z from 'zod'
import { parseInput } from '../errors'
import { LocalDateSchema, mondayOfEpochDay, toEpochDay, type LocalDate, type Weekday } from '../time'
import { asInputError } from '../input-error'
import { PeriodSchema, periodCoversPlace, type Period, type ServicePlace } from './period'

/**
 * The days a service runs: its weekdays; whether it runs only inside opening periods (a holiday
 * centre); whether it runs on public holidays (almost never).
 */
export interface ServiceSchedule {
  /** The service. */
  serviceId: string
  /** ISO weekdays it runs (1 = Monday ... 7 = Sunday). */
  weekdays: Weekday[]
  /** Runs only on days inside an opening period covering it. */
  openingsOnly?: boolean | undefined
  /** Runs on public holidays too. */
  openOnPublicHolidays?: boolean | undefined
}

const ServiceScheduleSchemaBase = z.strictObject({
  serviceId: z.string().min(1),
  weekdays: z.array(z.number().int().min(1).max(7)).min(1, 'a service runs on at least one weekday') as unknown as z.ZodType<Weekday[], unknown>,
  openingsOnly: z.boolean().optional(),
  openOnPublicHolidays: z.boolean().optional(),
})
/** A ServiceSchedule as a form or an API sends it (the input of {@link ServiceScheduleSchema}). */
export type ServiceScheduleInput = z.input<typeof ServiceScheduleSchemaBase>
/** Schema of a {@link ServiceSchedule}. */
export const ServiceScheduleSchema: z.ZodType<ServiceSchedule, ServiceScheduleInput> = ServiceScheduleSchemaBase as unknown as z.ZodType<ServiceSchedule, ServiceScheduleInput>

/** Why a service is closed on a day. */
export type ClosureCause =
  | { cause: 'closurePeriod'; periodId: string; label: string }
  | { cause: 'publicHoliday'; date: LocalDate }
  | { cause: 'weekday'; weekday: Weekday }
  | { cause: 'noOpening' }
  | { cause: 'unknownService' }

/** The plain data a {@link ServiceCalendar} is built from. */
export interface ServiceCalendarInput {
  /** Each service's running days. */
  schedules: ServiceSchedule[]
  /** Closures and openings. */
  periods: Period[]
  /** Public holidays (see `publicHolidayDates`). */
  publicHolidays: LocalDate[]
}

const ServiceCalendarInputSchemaBase = z.strictObject({
  schedules: z.array(ServiceScheduleSchema),
  periods: z.array(PeriodSchema).default([]),
  publicHolidays: z.array(LocalDateSchema).default([]),
})
/** A service calendar as a form or an API sends it (the input of {@link ServiceCalendarInputSchema}). */
export type ServiceCalendarFormInput = z.input<typeof ServiceCalendarInputSchemaBase>
/** Schema of a {@link ServiceCalendarInput}. */
export const ServiceCalendarInputSchema: z.ZodType<ServiceCalendarInput, ServiceCalendarFormInput> = ServiceCalendarInputSchemaBase as unknown as z.ZodType<ServiceCalendarInput, ServiceCalendarFormInput>

interface PlaceEntry {
  closed: Map<number, ClosureCause>
  opened: Set<number>
}

/**
 * Which days each service runs for each school and class: prepared once from plain data, then
 * answered without scanning (closures indexed by day, per service x school x class, built on
 * first use). The rule, in order: a closure period covering the place closes the day; a public
 * holiday closes it (unless the service runs on them); a weekday the service does not run closes
 * it; a service that runs only during openings is closed outside them.
 *
 * @example
 * const cal = ServiceCalendar.from({ schedules: [{ serviceId: 'canteen', weekdays: [1, 2, 4, 5] }], periods: [], publicHolidays: ['2026-11-11'] })
 * cal.closure({ serviceId: 'canteen', schoolId: 's', classId: 'c' }, '2026-11-11') //=> { cause: 'publicHoliday', date: '2026-11-11' }
 * cal.isOpen({ serviceId: 'canteen', schoolId: 's', classId: 'c' }, '2026-11-12') //=> true
 */
export class ServiceCalendar {
  private readonly schedules: Map<string, { weekdays: boolean[]; openingsOnly: boolean; openOnPublicHolidays: boolean }>
  private readonly holidays: Map<number, ClosureCause>
  private readonly periods: readonly Period[]
  private readonly places = new Map<string, Map<string, Map<string, PlaceEntry>>>()
  private readonly input: ServiceCalendarInput

  private constructor(input: ServiceCalendarInput) {
    this.input = input
    this.schedules = new Map(
      input.schedules.map((s) => {
        const weekdays = Array.from({ length: 8 }, () => false)
        for (const w of s.weekdays) weekdays[w] = true
        return [s.serviceId, { weekdays, openingsOnly: s.openingsOnly === true, openOnPublicHolidays: s.openOnPublicHolidays === true }]
      }),
    )
    this.holidays = new Map(input.publicHolidays.map((d) => [toEpochDay(d), Object.freeze({ cause: 'publicHoliday' as const, date: d })]))
    this.periods = [...input.periods].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  /**
   * Builds a calendar from plain JSON, validated once.
   *
   * @example
   * ServiceCalendar.from({ schedules: [{ serviceId: 'canteen', weekdays: [1, 2, 4, 5] }], periods: [], publicHolidays: [] })
   * @throws EcoleError `INVALID_INPUT` naming the field that fails {@link ServiceCalendarInputSchema}.
   */
  static from(input: ServiceCalendarFormInput): ServiceCalendar {
    return new ServiceCalendar(parseInput(ServiceCalendarInputSchema, input, 'service calendar'))
  }

  /**
   * Builds a calendar from data already validated (no checks): for callers that validated it.
   *
   * @example
   * ServiceCalendar.fromValidated({ schedules: [], periods: [], publicHolidays: [] })
   */
  static fromValidated(input: ServiceCalendarInput): ServiceCalendar {
    try {
      return new ServiceCalendar(input)
    } catch (error) {
      throw asInputError(error, 'ServiceCalendar.fromValidated', {
        input: [input, 'object', 'validated calendar data ({ schedules, periods, publicHolidays })'],
      })
    }
  }

  /**
   * The plain data the calendar was built from, which {@link ServiceCalendar.from} reads back
   * (`JSON.stringify(calendar)` writes it).
   *
   * @example
   * ServiceCalendar.from({ schedules: [{ serviceId: 'canteen', weekdays: [1, 2] }] }).toJSON().publicHolidays //=> []
   */
  toJSON(): ServiceCalendarInput {
    return this.input
  }

  /**
   * How Node's `console.log` and `util.inspect` show it: what it holds, not its indexes.
   *
   * @example
   * util.inspect(ServiceCalendar.from({ schedules: [{ serviceId: 'canteen', weekdays: [1, 2] }] }))
   * //=> 'ServiceCalendar(1 service, 0 periods, 0 public holidays)'
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`
    const { schedules, periods, publicHolidays } = this.input
    return `ServiceCalendar(${n(schedules.length, 'service')}, ${n(periods.length, 'period')}, ${n(publicHolidays.length, 'public holiday')})`
  }

  private entry(serviceId: string, schoolId: string, classId: string): PlaceEntry {
    let bySchool = this.places.get(serviceId)
    if (!bySchool) this.places.set(serviceId, (bySchool = new Map()))
    let byClass = bySchool.get(schoolId)
    if (!byClass) bySchool.set(schoolId, (byClass = new Map()))
    let e = byClass.get(classId)
    if (!e) {
      e = { closed: new Map(), opened: new Set() }
      const place = { serviceId, schoolId, classId }
      for (const p of this.periods) {
        if (!periodCoversPlace(p, place)) continue
        const cause: ClosureCause = Object.freeze({ cause: 'closurePeriod' as const, periodId: p.id, label: p.label })
        const last = toEpochDay(p.to)
        for (let d = toEpochDay(p.from); d <= last; d++) {
          if (p.kind === 'closure') {
            if (!e.closed.has(d)) e.closed.set(d, cause)
          } else e.opened.add(d)
        }
      }
      byClass.set(classId, e)
    }
    return e
  }

  /**
   * A function answering {@link ServiceCalendar.closureOnEpochDay} for one place, with the
   * lookups done once (the hottest path: checking bookings in bulk).
   *
   * @example
   * const closedOn = cal.closureLookup('canteen', 'jaures', 'cp-a')
   * closedOn(toEpochDay('2026-11-11')) //=> { cause: 'publicHoliday', date: '2026-11-11' }
   */
  closureLookup(serviceId: string, schoolId: string, classId: string): (epochDay: number) => ClosureCause | undefined {
    const s = this.schedules.get(serviceId)
    if (s === undefined) return () => UNKNOWN_SERVICE
    const e = this.entry(serviceId, schoolId, classId)
    const closed = e.closed
    const opened = e.opened
    const holidays = s.openOnPublicHolidays ? undefined : this.holidays
    const weekdays = s.weekdays
    const openingsOnly = s.openingsOnly
    return (epochDay: number) => {
      const period = closed.get(epochDay)
      if (period !== undefined) return period
      if (holidays !== undefined) {
        const holiday = holidays.get(epochDay)
        if (holiday !== undefined) return holiday
      }
      const wd = epochDay - mondayOfEpochDay(epochDay) + 1
      if (!weekdays[wd]) return WEEKDAY_CLOSED[wd]
      if (openingsOnly && !opened.has(epochDay)) return NO_OPENING
      return undefined
    }
  }

  /**
   * Why the service is closed at this place on an epoch day, or `undefined` when it runs (hot path).
   *
   * @example
   * cal.closureOnEpochDay('canteen', 'jaures', 'cp-a', toEpochDay('2026-11-11'))
   */
  closureOnEpochDay(serviceId: string, schoolId: string, classId: string, epochDay: number): ClosureCause | undefined {
    const s = this.schedules.get(serviceId)
    if (s === undefined) return UNKNOWN_SERVICE
    const e = this.entry(serviceId, schoolId, classId)
    const period = e.closed.get(epochDay)
    if (period !== undefined) return period
    if (!s.openOnPublicHolidays) {
      const holiday = this.holidays.get(epochDay)
      if (holiday !== undefined) return holiday
    }
    const wd = epochDay - mondayOfEpochDay(epochDay) + 1
    if (!s.weekdays[wd]) return WEEKDAY_CLOSED[wd]
    if (s.openingsOnly && !e.opened.has(epochDay)) return NO_OPENING
    return undefined
  }

  /**
   * Why the service is closed at this place on a day, or `undefined` when it runs.
   *
   * @example
   * cal.closure({ serviceId: 'canteen', schoolId: 'jaures', classId: 'cp-a' }, '2026-11-11') //=> { cause: 'publicHoliday', date: '2026-11-11' }
   */
  closure(place: ServicePlace, date: LocalDate): ClosureCause | undefined {
    return this.closureOnEpochDay(place.serviceId, place.schoolId, place.classId, toEpochDay(date))
  }

  /**
   * Whether the service runs at this place on a day.
   *
   * @example
   * cal.isOpen({ serviceId: 'canteen', schoolId: 'jaures', classId: 'cp-a' }, '2026-11-12') //=> true
   */
  isOpen(place: ServicePlace, date: LocalDate): boolean {
    return this.closure(place, date) === undefined
  }
}

const WEEKDAY_CLOSED: readonly ClosureCause[] = [0, 1, 2, 3, 4, 5, 6, 7].map((w) => Object.freeze({ cause: 'weekday' as const, weekday: w as Weekday }))
const UNKNOWN_SERVICE: ClosureCause = Object.freeze({ cause: 'unknownService' })
const NO_OPENING: ClosureCause = Object.freeze({ cause: 'noOpening' })
