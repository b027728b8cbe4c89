/**
 * The ports of @ecole: the interfaces storage, mail and PDF adapters implement. Types only.
 *
 * @packageDocumentation
 */
export * from './storage'
