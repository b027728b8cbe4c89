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
