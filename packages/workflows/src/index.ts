/**
 * `@ecole/workflows`: the use cases of `@ecole` over the storage ports (create an invoice batch,
 * validate, record a payment, import a bank statement, save a site's SMTP settings...) and the
 * Node-side crypto (one-time tokens, password hashes, encrypted secrets).
 *
 * @packageDocumentation
 */
export * from './sites/index'
export * from './billing/index'
export * from './messaging/index'
export * from './directory/index'
export * from './booking/index'
