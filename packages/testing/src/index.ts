/**
 * `@ecole/testing`: fast-check arbitraries of the `@ecole` domain, for finance teams to property-test
 * their own configurations, and the storage conformance suite adapters run.
 *
 * The root re-exports both and so needs vitest. Outside vitest, import the arbitraries alone from
 * `@ecole/testing/arbitraries` (fast-check only); the suite alone is `@ecole/testing/conformance`.
 *
 * @packageDocumentation
 */
export * from './arbitraries/index'
export * from './conformance/index'
