/**
 * `@ecole/testing`: fast-check arbitraries of the `@ecole` domain, for finance teams to property-test
 * their own configurations, and the storage conformance suite adapters run.
 *
 * @packageDocumentation
 */
export * from './arbitraries/money'
export * from './arbitraries/time'
export * from './arbitraries/directory'
export * from './arbitraries/billing'
export * from './arbitraries/ledger'
export * from './arbitraries/calendar'
export * from './arbitraries/references'
export * from './arbitraries/bank'
export * from './conformance/index'
export * from './arbitraries/invoicing'
