/**
 * `@ecole/storage-memory`: the in-memory reference storage adapter, used by the examples and as the
 * model the conformance suite checks other adapters against.
 *
 * @packageDocumentation
 */
export { createMemoryStorage, type MemoryStorage, type MemoryStorageOptions } from './memory-storage'
