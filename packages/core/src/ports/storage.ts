/**
 * The shape every storage adapter shares: capability ports, each optional, and one transaction API.
 *
 * Contract common to every port (each port's own TSDoc adds its rules):
 * - **Tenant first.** Every method takes the `siteId` first; a read never returns, and a write
 *   never touches, another site's records. Keys start with the site id.
 * - **Atomicity.** Inside {@link StoragePorts.transaction}, either every write commits or none does;
 *   an error thrown by the callback rolls everything back and is rethrown unchanged.
 * - **Idempotency.** Commands that move money carry a client-chosen id, unique per site; replaying
 *   one never applies it twice.
 * - **Immutable history.** Ledger transfers and validated invoices are never updated or deleted.
 * - Failures of the store itself (connection, constraint) surface as `EcoleError` with the
 *   driver's error as `cause`.
 *
 * @module
 */
import type { AccessStore } from './access'
import type { AuditStore } from './audit'
import type { BankImportStore } from './bank-imports'
import type { BookingStore } from './bookings'
import type { DirectoryStore } from './directory'
import type { DocumentStore } from './documents'
import type { ExportRegisterStore } from './export-register'
import type { InvoiceStore } from './invoicing'
import type { LedgerStore } from './ledger'
import type { MessagingStateStore } from './messaging-state'
import type { OutboxStore } from './outbox'
import type { PaymentStore } from './payments'
import type { PurchaseStore } from './purchases'
import type { LocalDate } from '../time'

/**
 * The capabilities a storage adapter may provide: one per port of {@link StoragePortSet}, named
 * like the port. An adapter does not declare them: its capabilities are the ports it provides
 * ({@link storageCapabilities}), and the conformance suite tests those.
 *
 * @example
 * const caps: StorageCapability[] = ['ledger', 'invoicing', 'invoiceNumbers']
 */
export type StorageCapability = keyof StoragePortSet

/** Each capability once, in the order {@link storageCapabilities} lists them (exhaustive by type). */
const CAPABILITY_PORTS: { readonly [C in StorageCapability]: C } = {
  directory: 'directory',
  bookings: 'bookings',
  ledger: 'ledger',
  invoicing: 'invoicing',
  invoiceNumbers: 'invoiceNumbers',
  payments: 'payments',
  bankImports: 'bankImports',
  outbox: 'outbox',
  access: 'access',
  documents: 'documents',
  exportRegister: 'exportRegister',
  purchases: 'purchases',
  messaging: 'messaging',
  audit: 'audit',
}

/**
 * Every storage capability, in a fixed order (a new port of {@link StoragePortSet} is a new
 * capability: the list cannot miss it).
 *
 * @example
 * STORAGE_CAPABILITIES.length //=> 14
 */
export const STORAGE_CAPABILITIES: readonly StorageCapability[] = /* @__PURE__ */ Object.freeze(/* @__PURE__ */ Object.values(CAPABILITY_PORTS))

/**
 * The capabilities of a set of ports: those whose port is present (not `undefined`), in the
 * order of {@link STORAGE_CAPABILITIES}. Derived, never declared: an adapter provides a port or
 * it does not. Works on a storage and on a transaction alike.
 *
 * @example
 * storageCapabilities({ ledger: myLedgerStore, invoiceNumbers: myCounters, documents: undefined }) //=> ['ledger', 'invoiceNumbers']
 */
export function storageCapabilities(ports: StoragePortSet): StorageCapability[] {
  return STORAGE_CAPABILITIES.filter((c) => ports[c] !== undefined)
}

/**
 * What an adapter's runtime is like beyond its ports, for the failure modes a caller must handle
 * and the conformance suite tests where they apply:
 * - `connections`: it talks to a database server over connections that can be lost (a backend
 *   terminated, the server restarted, the network cut). The call in progress then fails with
 *   `EcoleError` `STORAGE_UNAVAILABLE`, its transaction rolled back (or, when the loss hit the
 *   commit itself, `details.outcome: 'unknown'`), and the next call works on a new connection.
 *   An embedded database (PGlite) or memory has no connection to lose.
 * - `concurrentTransactions`: transactions of one site run at the same time on separate sessions
 *   and take row locks, so two that cross (lock the same rows in opposite orders, or update what
 *   the other read) can fail with a serialisation failure or a deadlock; the adapter then runs
 *   the loser's callback again (see {@link TransactionOptions}) and both commit, each once.
 *   An adapter that runs one transaction at a time (memory, PGlite) never sees such a failure.
 *
 * @example
 * const traits: StorageTrait[] = storage.traits ? [...storage.traits] : [] //=> ['connections', 'concurrentTransactions'] on a PostgreSQL server
 */
export type StorageTrait = 'connections' | 'concurrentTransactions'

/**
 * A page of results in a stable order (by the store's key), with the cursor of the next page.
 *
 * @example
 * let page = await store.listGuardians(siteId, { limit: 100 })
 * while (page.next) page = await store.listGuardians(siteId, { limit: 100, after: page.next })
 */
export interface Page<T> {
  /** The items of this page, in key order. */
  items: T[]
  /** Cursor to pass as `after` for the next page; absent on the last page. */
  next?: string | undefined
}

/**
 * Options of a paginated read: at most `limit` items after the cursor `after`.
 *
 * @example
 * await storage.ledger!.listAccounts('site-1', {}, { limit: 50, after: page.next })
 */
export interface PageRequest {
  /** Maximum items to return (an adapter may cap it; 100 when absent). */
  limit?: number
  /** The `next` cursor of the previous page. */
  after?: string
}

/** A clock port: the only way workflows learn the current instant. */
export interface Clock {
  /** The current instant. */
  now(): Date
}

/** An id source port: where workflows get new record ids (UUIDs, ULIDs...). */
export interface IdSource {
  /** A new unique id. */
  next(): string
}

/**
 * Invoice numbering counters: one continuous series per `seriesKey` (a billing office and its
 * series, e.g. `office-1/2026`), per site.
 *
 * Contract:
 * - numbers are taken from a counter row **inside the transaction that validates the invoices**
 *   (call it on the {@link StorageTransaction}); a rollback gives the numbers back, so the series
 *   has no gap — never a database SEQUENCE (gaps on rollback), never `MAX(n)+1` outside a
 *   transaction (duplicates under concurrency);
 * - concurrent callers on one series are serialised (row lock, or the adapter's per-site lock):
 *   N concurrent allocations of one number each yield exactly 1..N, no gap, no duplicate;
 * - a series of dated documents (invoices, credit notes) keeps its latest issue date with its
 *   counter ({@link InvoiceNumberCounterStore.reserveNumbers}), read and written under the same
 *   lock, so the workflow that refuses an issue date before it decides on what holds at commit;
 * - series are independent of each other and of other sites.
 *
 * @example
 * const numbers = await storage.transaction(siteId, async (tx) => {
 *   const first = await tx.invoiceNumbers!.nextNumbers(siteId, 'office-1/2026', 3)
 *   // ...mark three drafts validated with first, first + 1, first + 2...
 *   return first
 * })
 */
export interface InvoiceNumberCounterStore {
  /**
   * Reserves `count` consecutive numbers of the series and returns the first (1 for a new
   * series). `count` must be a positive integer.
   *
   * @example
   * await tx.invoiceNumbers!.nextNumbers('site-1', 'office-1/2026', 2) //=> 1 (then 3 on the next call)
   */
  nextNumbers(siteId: string, seriesKey: string, count: number): Promise<number>
  /**
   * Reserves `count` consecutive numbers of a series of dated documents for documents issued on
   * `issueDate`: the same counter as {@link nextNumbers}, locked the same way until the transaction
   * ends, which also keeps the series' latest issue date. Returns the first number and the series'
   * latest issue date after this call, the later of the one kept and `issueDate` (so it is
   * `issueDate` unless a document of the series was issued later). The store only keeps the date;
   * the caller decides: `validateDrafts` and `issueInvoiceCreditNote` refuse an `issueDate` before
   * it (`checkIssueChronology`), in the same transaction, which rolls the numbers and the date back.
   * A series numbered only through `nextNumbers` has no date kept until its first call here.
   * `count` must be a positive integer and `issueDate` a calendar day (`INVALID_INPUT` otherwise).
   *
   * @example
   * await tx.invoiceNumbers!.reserveNumbers('site-1', 'regie/invoice/2027', 2, '2027-01-10') //=> { first: 1, latestIssueDate: '2027-01-10' }
   * await tx.invoiceNumbers!.reserveNumbers('site-1', 'regie/invoice/2027', 1, '2027-01-03') //=> { first: 3, latestIssueDate: '2027-01-10' }
   */
  reserveNumbers(siteId: string, seriesKey: string, count: number, issueDate: LocalDate): Promise<ReservedNumbers>
  /**
   * The last number handed out in the series (0 when none), as committed.
   *
   * @example
   * await storage.invoiceNumbers!.lastNumber('site-1', 'office-1/2026') //=> 2
   */
  lastNumber(siteId: string, seriesKey: string): Promise<number>
}

/**
 * What {@link InvoiceNumberCounterStore.reserveNumbers} gives: the first number reserved and the
 * series' latest issue date, this call's included.
 *
 * @example
 * const reserved: ReservedNumbers = { first: 3, latestIssueDate: '2027-01-10' }
 */
export interface ReservedNumbers {
  /** The first of the numbers reserved (1 for a new series). */
  first: number
  /** The latest issue date of the series once this call's is recorded: the later of the one kept and this call's. */
  latestIssueDate: LocalDate
}

/**
 * The capability ports an adapter provides. Each is optional: an integrator implements the part
 * their existing database holds and leaves the rest out (or `undefined`); the capabilities are
 * the ports present ({@link storageCapabilities}).
 *
 * @example
 * const ports: StoragePortSet = { ledger: myLedgerStore, invoiceNumbers: myCounters }
 */
export interface StoragePortSet {
  /** The site's settings and directory records. */
  directory?: DirectoryStore | undefined
  /** Bookings and attendance. */
  bookings?: BookingStore | undefined
  /** The wallet ledger (accounts, transfers, balances). */
  ledger?: LedgerStore | undefined
  /** Invoice batches, drafts, validated invoices, credit notes, folders, reminders. */
  invoicing?: InvoiceStore | undefined
  /** Invoice numbering counters. */
  invoiceNumbers?: InvoiceNumberCounterStore | undefined
  /** Payments, deposits and SEPA mandates. */
  payments?: PaymentStore | undefined
  /** Bank statement entries already imported. */
  bankImports?: BankImportStore | undefined
  /** The transactional outbox (messages written with the change that caused them). */
  outbox?: OutboxStore | undefined
  /** One-time tokens, password hashes, portal accounts, users and roles. */
  access?: AccessStore | undefined
  /** Portal documents (records and bytes). */
  documents?: DocumentStore | undefined
  /** What was exported to administrations (PES V2, Belcotax, FEC...), so nothing is exported twice. */
  exportRegister?: ExportRegisterStore | undefined
  /** Supplier invoices received (purchases) and the files they came in. */
  purchases?: PurchaseStore | undefined
  /** Low-balance alert marks and mail accounts (capability `messaging`). */
  messaging?: MessagingStateStore | undefined
  /** The audit trail (append-only). */
  audit?: AuditStore | undefined
}

/**
 * The ports bound to one open transaction of one site. Every call made through it commits or
 * rolls back with the transaction. Calls must name the same site as the transaction; another
 * site id is refused with `EcoleError` `SITE_MISMATCH`.
 *
 * @example
 * await storage.transaction('site-1', (tx: StorageTransaction) => tx.invoiceNumbers!.nextNumbers(tx.siteId, 'office-1/2026', 1))
 */
export interface StorageTransaction extends StoragePortSet {
  /** The site this transaction belongs to. */
  readonly siteId: string
}

/**
 * Options of {@link StoragePorts.transaction}.
 *
 * @example
 * await storage.transaction('site-1', fn, { maxRetries: 0 }) // fail fast instead of retrying
 */
export interface TransactionOptions {
  /**
   * How many times to re-run the callback after a serialisation failure or a deadlock
   * (PostgreSQL 40001 / 40P01), with a bounded backoff; 5 when absent, 0 disables retries.
   */
  maxRetries?: number
  /**
   * The callback only reads (a page of a portal): an adapter may then run its reads without
   * opening a transaction, each statement seeing what was committed when it started — what each
   * statement of a READ COMMITTED transaction sees anyway. On a PostgreSQL server that saves the
   * BEGIN and COMMIT round trips. A write made all the same is not refused: the adapter opens the
   * transaction before it, and the writes commit or roll back together as usual.
   *
   * @example
   * await storage.transaction('site-1', (tx) => tx.invoicing!.listInvoices('site-1', { debtorOrJointDebtorId: 'g1' }), { readOnly: true })
   */
  readOnly?: boolean
}

/**
 * A storage adapter: the capability ports it provides, usable directly (each call is its own
 * transaction) or inside {@link StoragePorts.transaction}.
 *
 * @example
 * const storage: StoragePorts = createMemoryStorage()
 * await storage.transaction('site-1', async (tx) => {
 *   const first = await tx.invoiceNumbers!.nextNumbers('site-1', 'office-1/2026', 1)
 *   await tx.outbox!.enqueue('site-1', { id: 'msg-1', topic: 'invoice.validated', payload: { number: first } })
 * })
 */
export interface StoragePorts extends StoragePortSet {
  /** What its runtime is like ({@link StorageTrait}); none when absent (memory, an embedded database). */
  readonly traits?: readonly StorageTrait[] | undefined
  /**
   * Runs `fn` in one transaction of `siteId`: everything written through `tx` commits when `fn`
   * resolves, and nothing persists when it throws (the error is rethrown unchanged).
   *
   * Transactions of one site that touch the same records are serialised. The callback may be run
   * again after a serialisation failure or a deadlock (see `TransactionOptions`), so it
   * must not have effects outside `tx` (send mail through the outbox instead). Do not call
   * `storage.transaction` or the non-transactional ports from inside the callback: use `tx`.
   */
  transaction<T>(siteId: string, fn: (tx: StorageTransaction) => Promise<T>, options?: TransactionOptions): Promise<T>
  /** Releases the adapter's resources (connections, embedded database). */
  close(): Promise<void>
}
