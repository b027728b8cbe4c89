/**
 * The ports of `@ecole`: the interfaces storage, mail and PDF adapters implement (types),
 * and `storageCapabilities`, which derives an adapter's capabilities from the ports it provides.
 *
 * @module @ecole/core/ports
 */
export * from './storage'
export * from './directory'
export * from './bookings'
export * from './ledger'
export * from './invoicing'
export * from './payments'
export * from './bank-imports'
export * from './purchases'
export * from './messaging-state'
export * from './outbox'
export * from './access'
export * from './documents'
export * from './export-register'
export * from './mailer'
export * from './pdf'
export * from './audit'
