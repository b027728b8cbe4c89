import type { StorageCapability, StoragePorts } from '@ecole/core/ports'

let counter = 0

/**
 * A site id no other test uses (so tests stay independent without a reset), e.g.
 * `conformance-17-k3j9x`.
 *
 * @example
 * const siteId = freshSiteId() //=> 'conformance-1-x8k2q'
 */
export function freshSiteId(prefix = 'conformance'): string {
  counter += 1
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`
}

/** What every group of conformance tests receives. @internal */
export interface ConformanceContext {
  /** The adapter under test (created once per suite). */
  storage(): StoragePorts
  /** Whether the adapter provides a capability (declared, and its port present). */
  has(capability: StorageCapability): boolean
  /** N of the concurrency tests. */
  concurrency: number
  /** Runs of the property tests. */
  numRuns: number
}

/** A port of the adapter, or a failed assertion naming it. @internal */
export function need<T>(port: T | undefined, name: string): T {
  if (port === undefined) throw new Error(`[ecole] the adapter declares ${name} but storage.${name} is undefined`)
  return port
}
