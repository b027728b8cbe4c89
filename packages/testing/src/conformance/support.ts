import { asInputError } from '@ecole/core'
import type { StorageCapability, StoragePorts, StorageTrait } from '@ecole/core/ports'

let counter = 0

/**
 * A site id no other test uses (so tests stay independent without a reset), e.g.
 * `conformance-17-k3j9x`.
 *
 * @example
 * const siteId = freshSiteId() //=> 'conformance-1-x8k2q'
 */
export function freshSiteId(prefix = 'conformance'): string {
  try {
    counter += 1
    return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`
  } catch (error) {
    throw asInputError(error, 'freshSiteId', { prefix: [prefix, 'string?', 'the prefix of the site id'] })
  }
}

/** What every group of conformance tests receives. @internal */
export interface ConformanceContext {
  /** The adapter under test (created once per suite). */
  storage(): StoragePorts
  /** Whether the adapter provides a capability (its port is present). */
  has(capability: StorageCapability): boolean
  /** N of the concurrency tests. */
  concurrency: number
  /** Runs of the property tests. */
  numRuns: number
  /** Whether the adapter declares a runtime trait (`storage.traits`, or the suite's `traits` option). */
  hasTrait?: ((trait: StorageTrait) => boolean) | undefined
  /** The fault-injection hooks the integrator gave (`faults` option). */
  faults?: ConformanceFaults | undefined
}

/**
 * Fault-injection hooks an integrator gives `runStorageConformance` (its `faults` option) so that the suite can
 * check what callers see when the database fails under them. Give them for an adapter that
 * declares the `connections` trait; without them the connection-loss case is skipped, with the
 * reason printed.
 *
 * @example
 * // for a PostgreSQL adapter whose pool tags its connections with application_name=my-app
 * const faults: ConformanceFaults = {
 *   async dropConnection() {
 *     await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'my-app' AND state = 'idle in transaction'")
 *   },
 * }
 */
export interface ConformanceFaults {
  /**
   * Drops the connection that the adapter's open transaction is using, as a server restart or a
   * network cut would (for PostgreSQL: `pg_terminate_backend` from a second connection, on the
   * backends that are `idle in transaction`), and resolves once it is gone. The suite calls it
   * from inside a transaction callback, after the callback has written and while no statement
   * runs, with no other transaction of the adapter open.
   */
  dropConnection(): Promise<void>
}

/** A port of the adapter, or a failed assertion naming it. @internal */
export function need<T>(port: T | undefined, name: string): T {
  if (port === undefined) throw new Error(`[ecole] the adapter declares ${name} but storage.${name} is undefined`)
  return port
}
