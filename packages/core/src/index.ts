/**
 * `@ecole/core`: the pure domain of canteen, after-school and fee billing. No I/O, no clock, no
 * randomness: every function takes what it needs (including `now` and the site's time zone).
 *
 * @module @ecole/core
 */
export * from './errors'
export * from './idempotency'
export * from './error-catalogue'
export * from './money'
export * from './time'
// epoch-day helpers: internal, kept at the root as deprecated aliases until 0.2.0 (these explicit exports shadow the star export)
export { epochDayOfJan1, fromEpochDay, isoWeekKeyOfEpochDay, mondayOfEpochDay, toEpochDay, yearOfEpochDay } from './deprecated'
export * from './directory'
export * from './calendar'
export * from './billing'
export * from './booking'
export * from './ledger'
export * from './invoicing'
export * from './references'
export * from './access'
export * from './messaging'
export * from './exports'
