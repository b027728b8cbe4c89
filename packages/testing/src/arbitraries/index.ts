/**
 * `@ecole/testing/arbitraries`: fast-check arbitraries of the `@ecole` domain, for finance teams to
 * property-test their own configurations. Needs only `fast-check`: use it with any test runner, or none.
 *
 * It also holds the kit of the boundary tests, for checking that only `EcoleError` escapes a
 * package's exports, whatever they are given: `exportedFunctions`, `anyArguments`, `foreignError`.
 *
 * @example
 * import fc from 'fast-check'
 * import { eurosArb } from '@ecole/testing/arbitraries'
 * fc.assert(fc.property(eurosArb(), (m) => m.plus(m).minus(m).equals(m)))
 *
 * @packageDocumentation
 */
export * from './money'
export * from './time'
export * from './directory'
export * from './billing'
export * from './ledger'
export * from './calendar'
export * from './references'
export * from './bank'
export * from './invoicing'
export * from './reference-pricer'
export * from './boundaries'
