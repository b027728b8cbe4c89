import { AsyncLocalStorage } from 'node:async_hooks'
import { EcoleError } from '@ecole/core'

/** The committed tables of one site: table name -> key -> value. */
export type SiteTables = Map<string, Map<string, unknown>>

/**
 * A committed table: a Map that counts its changes, so that a sorted index built over it
 * ({@link sortedEntries} in `access.ts`) knows when it is stale. @internal
 */
export class VersionedMap<V> extends Map<string, V> {
  version = 0

  override set(key: string, value: V): this {
    this.version++
    return super.set(key, value)
  }

  override delete(key: string): boolean {
    this.version++
    return super.delete(key)
  }

  override clear(): void {
    this.version++
    super.clear()
  }
}

/**
 * A stamp that changes whenever `table` (a committed table, or a transaction's view of one)
 * changes; `undefined` for a table that is not versioned (then nothing is cached over it). @internal
 */
export function tableStamp(table: ReadonlyMap<string, unknown>): string | undefined {
  if (table instanceof VersionedMap) return String(table.version)
  if (table instanceof OverlayMap) {
    const base = table.baseStamp()
    return base === undefined ? undefined : `${base}+${table.version}`
  }
  return undefined
}

/**
 * A view of one site's tables inside one transaction: reads see the transaction's own writes,
 * writes go to an overlay over the committed table and are applied only on commit.
 * `durable` tables are written straight into the committed state and survive a rollback (used for
 * records that must outlive the transaction that failed, such as failed ledger transfer ids).
 *
 * @internal
 */
export class TxView {
  private readonly overlays = new Map<string, OverlayMap<unknown>>()
  private readonly commitHooks: Array<() => void> = []
  private readonly rollbackHooks: Array<() => void> = []
  private readonly marks = new Set<string>()
  private open = true

  constructor(
    readonly siteId: string,
    private readonly committed: SiteTables,
  ) {}

  /** The table as this transaction sees it (do not mutate: use {@link write}). */
  read<V>(table: string): ReadonlyMap<string, V> {
    this.assertOpen()
    return (this.overlays.get(table) ?? this.committed.get(table) ?? EMPTY) as ReadonlyMap<string, V>
  }

  /** The table for writing: changes are kept in an overlay (O(changes)) until commit. */
  write<V>(table: string): Map<string, V> {
    this.assertOpen()
    let overlay = this.overlays.get(table)
    if (!overlay) {
      overlay = new OverlayMap(this.committed.get(table) ?? EMPTY)
      this.overlays.set(table, overlay)
    }
    return overlay as unknown as Map<string, V>
  }

  /** A table outside the transaction: its writes persist even when the transaction rolls back. */
  durable<V>(table: string): Map<string, V> {
    this.assertOpen()
    let t = this.committed.get(table)
    if (!t) {
      t = new VersionedMap()
      this.committed.set(table, t)
    }
    return t as Map<string, V>
  }

  /**
   * Registers hooks run when the transaction commits or rolls back, once per `mark` (for state
   * kept outside the tables, such as the ledger engine's).
   */
  once(mark: string, hooks: { commit: () => void; rollback: () => void }): void {
    if (this.marks.has(mark)) return
    this.marks.add(mark)
    this.commitHooks.push(hooks.commit)
    this.rollbackHooks.push(hooks.rollback)
  }

  /** Applies the overlays to the committed tables (the site's mutex keeps everyone else out). */
  commit(): void {
    this.assertOpen()
    for (const [name, overlay] of this.overlays) {
      let base = this.committed.get(name)
      if (!base) {
        base = new VersionedMap()
        this.committed.set(name, base)
      }
      overlay.applyTo(base)
    }
    for (const hook of this.commitHooks) hook()
    this.open = false
  }

  /** Drops the overlays. */
  rollback(): void {
    this.overlays.clear()
    for (const hook of this.rollbackHooks) hook()
    this.open = false
  }

  private assertOpen(): void {
    if (!this.open) {
      throw new EcoleError('TRANSACTION_CLOSED', `the transaction of site ${this.siteId} is over: use its ports only inside its callback`)
    }
  }
}

const DELETED: unique symbol = Symbol('deleted')

/**
 * A table as one transaction sees it: the committed map, never mutated, under the transaction's
 * own changes (sets and deletions). Behaves as a Map. @internal
 */
export class OverlayMap<V> implements Map<string, V> {
  private readonly changes = new Map<string, V | typeof DELETED>()
  /** Counts this transaction's changes (see {@link tableStamp}). */
  version = 0

  constructor(private readonly base: ReadonlyMap<string, V>) {}

  /** The stamp of the committed table under the overlay (the empty table's is constant). */
  baseStamp(): string | undefined {
    return this.base === EMPTY ? 'empty' : tableStamp(this.base)
  }

  get size(): number {
    let n = this.base.size
    for (const [k, v] of this.changes) {
      const inBase = this.base.has(k)
      if (v === DELETED) n -= inBase ? 1 : 0
      else n += inBase ? 0 : 1
    }
    return n
  }

  get(key: string): V | undefined {
    const c = this.changes.get(key)
    if (c === DELETED) return undefined
    return c !== undefined || this.changes.has(key) ? (c as V) : this.base.get(key)
  }

  has(key: string): boolean {
    const c = this.changes.get(key)
    if (c === DELETED) return false
    return this.changes.has(key) || this.base.has(key)
  }

  set(key: string, value: V): this {
    this.version++
    this.changes.set(key, value)
    return this
  }

  delete(key: string): boolean {
    this.version++
    const existed = this.has(key)
    this.changes.set(key, DELETED)
    return existed
  }

  clear(): void {
    this.version++
    for (const k of [...this.keys()]) this.changes.set(k, DELETED)
  }

  *entries(): MapIterator<[string, V]> {
    for (const [k, v] of this.base) if (!this.changes.has(k)) yield [k, v]
    for (const [k, v] of this.changes) if (v !== DELETED) yield [k, v as V]
  }

  *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v
  }

  forEach(fn: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this)
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries()
  }

  get [Symbol.toStringTag](): string {
    return 'OverlayMap'
  }

  /** Writes the changes into `target` (the committed table). */
  applyTo(target: Map<string, unknown>): void {
    for (const [k, v] of this.changes) {
      if (v === DELETED) target.delete(k)
      else target.set(k, v)
    }
  }
}

const EMPTY: ReadonlyMap<string, unknown> = new Map()

/**
 * Per-site async mutexes and committed state: transactions of one site run one after another,
 * like a database serialising writers, so concurrency semantics match the storage contract.
 *
 * @internal
 */
export class SiteRegistry {
  private readonly sites = new Map<string, SiteTables>()
  private readonly tails = new Map<string, Promise<void>>()
  private readonly held = new AsyncLocalStorage<Set<string>>()

  /** Runs `fn` in a new transaction of `siteId`, after the site's previous transactions. */
  async transaction<T>(siteId: string, fn: (view: TxView) => Promise<T>): Promise<T> {
    if (typeof siteId !== 'string' || siteId.length === 0) {
      throw new EcoleError('INVALID_INPUT', 'siteId: must be a non-empty string')
    }
    const holding = this.held.getStore()
    if (holding?.has(siteId)) {
      throw new EcoleError(
        'NESTED_TRANSACTION',
        `a transaction of site ${siteId} is already open in this call chain: use the tx ports inside storage.transaction, not storage.transaction or the top-level ports`,
      )
    }
    const previous = this.tails.get(siteId) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const tail = previous.then(() => mine)
    this.tails.set(siteId, tail)
    await previous
    try {
      let tables = this.sites.get(siteId)
      if (!tables) {
        tables = new Map()
        this.sites.set(siteId, tables)
      }
      const view = new TxView(siteId, tables)
      const next = new Set(holding ?? [])
      next.add(siteId)
      try {
        const result = await this.held.run(next, () => fn(view))
        view.commit()
        return result
      } catch (error) {
        view.rollback()
        throw error
      }
    } finally {
      release()
      if (this.tails.get(siteId) === tail) this.tails.delete(siteId)
    }
  }

  /** Forgets every site (for tests). */
  clear(): void {
    this.sites.clear()
  }
}

/** A deep copy, so callers never hold a live reference to stored state. @internal */
export function copy<T>(value: T): T {
  return structuredClone(value)
}

/** Throws `SITE_MISMATCH` when a transaction's port is called with another site. @internal */
export function assertSite(view: TxView, siteId: string): void {
  if (siteId !== view.siteId) {
    throw new EcoleError('SITE_MISMATCH', `this transaction belongs to site ${view.siteId}, not ${siteId}`, {
      details: { transactionSiteId: view.siteId, siteId },
    })
  }
}
