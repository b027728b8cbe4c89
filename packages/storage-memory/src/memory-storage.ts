import { EcoleError, checkOptions, type OptionKinds } from '@ecole/core'
import { STORAGE_CAPABILITIES, type StorageCapability, type StoragePortSet, type StoragePorts, type StorageTransaction, type TransactionOptions } from '@ecole/core/ports'
import { autoCommit, inTransaction, type Access } from './access'
import { MemoryAccessStore } from './access-store'
import { MemoryAuditStore } from './audit-store'
import { MemoryBankImportStore } from './bank-import-store'
import { MemoryPurchaseStore } from './purchase-store'
import { MemoryBookingStore } from './booking-store'
import { MemoryDirectoryStore } from './directory-store'
import { MemoryDocumentStore } from './document-store'
import { MemoryExportRegisterStore } from './export-register-store'
import { MemoryInvoiceNumberStore } from './invoice-number-store'
import { MemoryInvoiceStore } from './invoice-store'
import { MemoryLedgerStore } from './ledger-store'
import { MemoryMessagingStore } from './messaging-store'
import { MemoryOutboxStore } from './outbox-store'
import { MemoryPaymentStore } from './payment-store'
import { SiteRegistry } from './site-state'

/**
 * Options of {@link createMemoryStorage}.
 *
 * @example
 * const partial = createMemoryStorage({ without: ['documents', 'access'] })
 */
export interface MemoryStorageOptions {
  /**
   * Capabilities to leave out (to test how workflows and the conformance suite behave with an
   * adapter that lacks them); every capability is present when absent.
   */
  without?: readonly StorageCapability[]
}

/**
 * The in-memory reference adapter: every capability port of `@ecole/core/ports`, with real
 * transactions (changes kept in an overlay over the committed tables, applied on commit) serialised per site by an async mutex,
 * so its concurrency semantics match the storage contract. Nothing is persisted.
 *
 * @example
 * const storage: MemoryStorage = createMemoryStorage()
 * storage.clear()
 */
export interface MemoryStorage extends StoragePorts {
  /** Forgets every record of every site (for tests). */
  clear(): void
}

function ports(access: Access, without: ReadonlySet<StorageCapability>): StoragePortSet {
  return {
    directory: without.has('directory') ? undefined : new MemoryDirectoryStore(access),
    bookings: without.has('bookings') ? undefined : new MemoryBookingStore(access),
    ledger: without.has('ledger') ? undefined : new MemoryLedgerStore(access),
    invoicing: without.has('invoicing') ? undefined : new MemoryInvoiceStore(access),
    invoiceNumbers: without.has('invoiceNumbers') ? undefined : new MemoryInvoiceNumberStore(access),
    payments: without.has('payments') ? undefined : new MemoryPaymentStore(access),
    bankImports: without.has('bankImports') ? undefined : new MemoryBankImportStore(access),
    outbox: without.has('outbox') ? undefined : new MemoryOutboxStore(access),
    access: without.has('access') ? undefined : new MemoryAccessStore(access),
    documents: without.has('documents') ? undefined : new MemoryDocumentStore(access),
    exportRegister: without.has('exportRegister') ? undefined : new MemoryExportRegisterStore(access),
    purchases: without.has('purchases') ? undefined : new MemoryPurchaseStore(access),
    messaging: without.has('messaging') ? undefined : new MemoryMessagingStore(access),
    audit: without.has('audit') ? undefined : new MemoryAuditStore(access),
  }
}

const MEMORY_STORAGE_OPTION_KINDS: OptionKinds<MemoryStorageOptions> = { without: 'array?' }

/**
 * Checks the options before anything is built: `INVALID_INPUT` naming the option at fault, a
 * misspelt key (`withot`) with the key it meant, so a test never runs with every port it meant to
 * leave out.
 */
function checkStorageOptions(options: unknown): MemoryStorageOptions {
  const checked = checkOptions<MemoryStorageOptions>('createMemoryStorage', 'options', options, MEMORY_STORAGE_OPTION_KINDS)
  checked.without?.forEach((capability: unknown, i) => {
    if (!(STORAGE_CAPABILITIES as readonly unknown[]).includes(capability)) {
      throw EcoleError.invalidInput(`without.${i}`, `must be a storage capability (${STORAGE_CAPABILITIES.join(', ')})`)
    }
  })
  return checked
}

/**
 * Creates the in-memory reference storage.
 *
 * The reference implementation of every storage port: the examples use it, and the conformance
 * suite's model-based test checks other adapters against it. Transactions of one site run one at
 * a time; an error inside a transaction persists nothing. Calling `storage.transaction` (or a
 * top-level port) of the same site from inside a transaction callback throws
 * `NESTED_TRANSACTION` instead of deadlocking.
 *
 * @example
 * import { createMemoryStorage } from '@ecole/storage-memory'
 * const storage = createMemoryStorage()
 * const first = await storage.transaction('site-1', (tx) => tx.invoiceNumbers!.nextNumbers('site-1', 'office-1/2026', 1))
 * //=> 1
 * @throws EcoleError `INVALID_INPUT` naming the option at fault (`options.withot: unknown key`
 * with the key it meant, `options.without` for a value that is not an array, `without.0` for a
 * capability that does not exist), or `options` when they are not an object.
 */
export function createMemoryStorage(options: MemoryStorageOptions = {}): MemoryStorage {
  options = checkStorageOptions(options)
  const registry = new SiteRegistry()
  const without = new Set(options.without ?? [])
  const top = ports(autoCommit(registry), without)
  return {
    ...top,
    transaction<T>(siteId: string, fn: (tx: StorageTransaction) => Promise<T>, _options?: TransactionOptions): Promise<T> {
      return registry.transaction(siteId, (view) => fn({ siteId, ...ports(inTransaction(view), without) }))
    },
    async close() {},
    clear() {
      registry.clear()
    },
  }
}
