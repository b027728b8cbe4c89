import type { EcoleError } from '@ecole/core'
import { STORAGE_CAPABILITIES, storageCapabilities, type StorageCapability, type StoragePorts, type StorageTrait } from '@ecole/core/ports'
import { afterAll, describe, it } from 'vitest'
import { invalidArgument } from '../input-errors'
import { describeAbsentInvoicing, describeAbsentPayments } from './absent-records'
import { describeAudit } from './audit'
import { describeBookings } from './bookings'
import { describeBookingCapacityAndConsents } from './booking-capacity-consents'
import { describeBookingBatches } from './booking-batches'
import { describeAccess, describeDirectory, describeDocuments } from './directory-access'
import { describeDocumentsQuota } from './documents-quota'
import { describeDirectorySetup } from './directory-setup'
import { describeDirectoryBatchRead } from './directory-batch-read'
import { describeDirectorySearch } from './directory-search'
import { describeDirectoryMailAccounts } from './directory-mail-accounts'
import { describeDirectorySepaMandates } from './directory-sepa-mandates'
import { describeDirectoryBillingRules } from './directory-billing-rules'
import { describeDirectoryRecordsOf } from './directory-records-of'
import { describeDirectoryInvoiceFolders } from './directory-invoice-folders'
import { describeDirectoryPeriods } from './directory-periods'
import { describeDirectoryRoles } from './directory-roles'
import { describeDirectoryConsents } from './directory-consents'
import { describeInvoiceNumbers } from './invoice-numbers'
import { describeInvoiceConcurrency } from './invoice-concurrency'
import { describeInvoicing } from './invoicing'
import { describeInvoiceDebtorFilter } from './invoice-debtor-filter'
import { describeInvoiceChargesByDay } from './invoice-charges-by-day'
import { describeLedger } from './ledger'
import { describeLedgerBatchOrder } from './ledger-batch-order'
import { describeLedgerEngineModel } from './ledger-engine-model'
import { describeModel } from './model'
import { describeOutbox } from './outbox'
import { describeOutboxBulk, describeOutboxRecords } from './outbox-records'
import { describeBankImports, describePayments } from './payments'
import { describePaymentsOfInvoices } from './payments-of-invoices'
import { describeInvoiceBalances } from './invoice-balances'
import { describeDebtorBalances } from './debtor-balances'
import { describeInvoiceList } from './invoice-list'
import { describeInvoiceFilterKeys } from './invoice-filter-keys'
import { describePaymentBatches } from './payment-batches'
import { describePaymentsOfOtherPayers } from './payments-of-other-payers'
import { describeHeldStatements } from './held-statements'
import { describePurchases } from './purchases'
import { describeBankEntrySuggestions } from './bank-entry-suggestions'
import { describeMessagingState } from './messaging-state'
import { describeReferenceModel } from './reference-model'
import { describeConnectionLoss, describeCrossingTransactions, whyNoConnectionLoss, whyNoCrossingTransactions } from './faults'
import { describeReplays } from './replays'
import type { ConformanceContext, ConformanceFaults } from './support'
import { describeTransactions } from './transactions'
import { describeReadOnlyTransactions } from './read-only-transactions'
import { describeUserCreation } from './user-creation'
import { describeUserLogins } from './user-logins'
import { describeUserDeletion } from './user-deletion'
import { describePortalAccountDeletion } from './portal-account-deletion'
import { describeExportRegister } from './export-register'
import { describeBankEntryRollbacks, describeBookingRollbacks, describeDocumentRollbacks, describeInvoiceRollbacks, describePaymentRollbacks } from './rollbacks'

/**
 * A group of conformance tests: a capability, or one of the cross-cutting groups.
 *
 * @example
 * runStorageConformance({ name: 'mine', create, skip: { model: 'no ledger here' } satisfies Partial<Record<ConformanceGroup, string>> })
 */
export type ConformanceGroup = StorageCapability | 'transactions' | 'model' | 'reference' | 'connectionLoss' | 'crossingTransactions' | 'outboxRecords'

/**
 * Options of {@link runStorageConformance}.
 *
 * @example
 * const options: StorageConformanceOptions = { name: 'my storage', create: async () => createMyStorage(), concurrency: 8 }
 */
export interface StorageConformanceOptions {
  /** Name of the adapter, printed in the test names. */
  name: string
  /** Creates the adapter under test (once for the whole suite; tests use their own site ids). */
  create: () => StoragePorts | Promise<StoragePorts>
  /** Called after the suite with the adapter (default: `storage.close()`). */
  reset?: ((storage: StoragePorts) => Promise<void>) | undefined
  /**
   * Groups to skip, each with the reason printed (e.g. `{ bookings: 'kept in the legacy ERP' }`).
   * The groups of the ports the adapter does not provide are skipped without being named here:
   * its capabilities are the ports present (`storageCapabilities(storage)`).
   */
  skip?: Partial<Record<ConformanceGroup, string>> | undefined
  /** N of the concurrency tests (20 when absent). */
  concurrency?: number | undefined
  /** Runs of the model-based property (25 when absent). */
  numRuns?: number | undefined
  /**
   * A reference adapter to compare with (typically `createMemoryStorage()` of
   * `@ecole/storage-memory`): random command sequences (ledger, numbering, bookings) must give it
   * and the adapter under test the same results and final state. Absent: that comparison is skipped,
   * with the reason printed (the model-based test against the suite's own model still runs).
   */
  reference?: (() => StoragePorts | Promise<StoragePorts>) | undefined
  /**
   * The runtime traits of the adapter (default: `storage.traits`, none when absent). The
   * connection-loss case runs only with `connections` (and {@link faults}), the crossing-transactions
   * retry case only with `concurrentTransactions`; otherwise they are skipped with the reason printed.
   */
  traits?: readonly StorageTrait[] | undefined
  /** Fault-injection hooks ({@link ConformanceFaults}) for the connection-loss case. */
  faults?: ConformanceFaults | undefined
}

type Group = {
  name: ConformanceGroup
  needs: StorageCapability[]
  run: (ctx: ConformanceContext) => void
  /** Why the adapter cannot run this group although it has the capabilities (a trait it lacks...). */
  unless?: (ctx: ConformanceContext) => string | undefined
}

/** Connection loss and crossing transactions, where the adapter's traits (and hooks) allow. */
const FAULT_GROUPS: Group[] = [
  { name: 'connectionLoss', needs: ['invoiceNumbers'], run: describeConnectionLoss, unless: whyNoConnectionLoss },
  { name: 'crossingTransactions', needs: ['invoiceNumbers'], run: describeCrossingTransactions, unless: whyNoCrossingTransactions },
]

const GROUPS: Group[] = [
  { name: 'transactions', needs: ['invoiceNumbers'], run: describeTransactions },
  { name: 'transactions', needs: ['directory'], run: describeReadOnlyTransactions },
  { name: 'invoiceNumbers', needs: ['invoiceNumbers'], run: describeInvoiceNumbers },
  { name: 'directory', needs: ['directory'], run: (ctx) => (describeDirectory(ctx), describeDirectorySetup(ctx)) },
  { name: 'directory', needs: ['directory'], run: describeDirectoryBatchRead },
  { name: 'directory', needs: ['directory'], run: describeDirectorySearch },
  { name: 'directory', needs: ['directory'], run: describeDirectoryMailAccounts },
  { name: 'directory', needs: ['directory'], run: describeDirectorySepaMandates },
  { name: 'directory', needs: ['directory'], run: describeDirectoryBillingRules },
  { name: 'directory', needs: ['directory'], run: describeDirectoryRecordsOf },
  { name: 'directory', needs: ['directory', 'invoicing'], run: describeDirectoryInvoiceFolders },
  { name: 'directory', needs: ['directory'], run: describeDirectoryRoles },
  { name: 'directory', needs: ['directory'], run: describeDirectoryPeriods },
  { name: 'directory', needs: ['directory', 'bookings'], run: describeDirectoryConsents },
  { name: 'bookings', needs: ['bookings'], run: describeBookings },
  { name: 'bookings', needs: ['bookings'], run: describeBookingCapacityAndConsents },
  { name: 'bookings', needs: ['bookings'], run: describeBookingBatches },
  { name: 'outbox', needs: ['outbox'], run: describeOutbox },
  { name: 'outboxRecords', needs: ['outbox'], run: (ctx) => { describeOutboxRecords(ctx); describeOutboxBulk(ctx) } },
  { name: 'access', needs: ['access'], run: describeAccess },
  { name: 'access', needs: ['access'], run: describeUserCreation },
  { name: 'access', needs: ['access'], run: describeUserLogins },
  { name: 'access', needs: ['access'], run: describeUserDeletion },
  { name: 'access', needs: ['access'], run: describePortalAccountDeletion },
  { name: 'documents', needs: ['documents'], run: describeDocuments },
  { name: 'documents', needs: ['documents'], run: describeDocumentsQuota },
  { name: 'ledger', needs: ['ledger'], run: describeLedger },
  { name: 'ledger', needs: ['ledger'], run: describeLedgerBatchOrder },
  { name: 'model', needs: ['ledger'], run: describeLedgerEngineModel },
  { name: 'invoicing', needs: ['invoicing', 'invoiceNumbers'], run: describeInvoicing },
  { name: 'invoicing', needs: ['invoicing'], run: describeInvoiceDebtorFilter },
  { name: 'invoicing', needs: ['invoicing'], run: describeInvoiceChargesByDay },
  { name: 'invoicing', needs: ['invoicing'], run: describeAbsentInvoicing },
  { name: 'invoicing', needs: ['invoicing'], run: describeInvoiceFilterKeys },
  { name: 'invoicing', needs: ['invoicing', 'invoiceNumbers', 'payments'], run: describeInvoiceConcurrency },
  { name: 'payments', needs: ['payments'], run: describePayments },
  { name: 'payments', needs: ['payments'], run: describePaymentsOfInvoices },
  { name: 'invoicing', needs: ['invoicing', 'payments'], run: describeInvoiceBalances },
  { name: 'invoicing', needs: ['invoicing', 'payments'], run: describeDebtorBalances },
  { name: 'invoicing', needs: ['invoicing', 'payments'], run: describeInvoiceList },
  { name: 'payments', needs: ['payments'], run: describeAbsentPayments },
  { name: 'bankImports', needs: ['bankImports'], run: describeBankImports },
  { name: 'payments', needs: ['payments'], run: describeReplays },
  { name: 'payments', needs: ['payments'], run: describePaymentBatches },
  { name: 'payments', needs: ['payments'], run: describePaymentsOfOtherPayers },
  { name: 'bankImports', needs: ['bankImports'], run: describeHeldStatements },
  { name: 'bankImports', needs: ['bankImports'], run: describeBankEntrySuggestions },
  { name: 'messaging', needs: ['messaging'], run: describeMessagingState },
  { name: 'model', needs: ['ledger', 'invoiceNumbers'], run: describeModel },
  { name: 'exportRegister', needs: ['exportRegister'], run: describeExportRegister },
  { name: 'purchases', needs: ['purchases'], run: describePurchases },
  { name: 'audit', needs: ['audit'], run: describeAudit },
  // atomicity port by port: what a transaction that throws wrote is not stored
  { name: 'payments', needs: ['payments'], run: describePaymentRollbacks },
  { name: 'invoicing', needs: ['invoicing'], run: describeInvoiceRollbacks },
  { name: 'bookings', needs: ['bookings'], run: describeBookingRollbacks },
  { name: 'bankImports', needs: ['bankImports'], run: describeBankEntryRollbacks },
  { name: 'documents', needs: ['documents'], run: describeDocumentRollbacks },
  ...FAULT_GROUPS,
]


/** An `INVALID_INPUT` of {@link runStorageConformance} naming the option. */
function invalidOption(path: string, must: string, value: unknown): EcoleError {
  return invalidArgument('runStorageConformance', path, must, value)
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isOptional = (value: unknown, kind: 'function' | 'string'): boolean => value === undefined || typeof value === kind
const isCount = (value: unknown): boolean => value === undefined || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1)

/**
 * Nothing, when `options` has the shape of {@link StorageConformanceOptions}; otherwise the
 * `INVALID_INPUT` naming the first option that has not. Checked before any suite is registered:
 * options that are wrong must not leave half a suite behind (or register one inside a running test).
 */
function checkConformanceOptions(options: unknown): asserts options is StorageConformanceOptions {
  if (!isObject(options)) throw invalidOption('options', "the suite's options ({ name, create, ... })", options)
  if (typeof options['name'] !== 'string') throw invalidOption('options.name', 'the name of the adapter (a string)', options['name'])
  if (typeof options['create'] !== 'function') throw invalidOption('options.create', 'a function that creates the adapter', options['create'])
  if (!isOptional(options['reset'], 'function')) throw invalidOption('options.reset', 'a function given the adapter, or undefined', options['reset'])
  const skip = options['skip']
  if (skip !== undefined) {
    if (!isObject(skip)) throw invalidOption('options.skip', 'an object of reasons by group, or undefined', skip)
    for (const [group, reason] of Object.entries(skip)) {
      if (!isOptional(reason, 'string')) throw invalidOption(`options.skip.${group}`, 'the reason the group is skipped (a string)', reason)
    }
  }
  if (!isCount(options['concurrency'])) throw invalidOption('options.concurrency', 'an integer of at least 1, or undefined', options['concurrency'])
  if (!isCount(options['numRuns'])) throw invalidOption('options.numRuns', 'an integer of at least 1, or undefined', options['numRuns'])
  if (!isOptional(options['reference'], 'function')) throw invalidOption('options.reference', 'a function that creates the reference adapter, or undefined', options['reference'])
  const traits = options['traits']
  if (traits !== undefined && !(Array.isArray(traits) && traits.every((t) => typeof t === 'string'))) {
    throw invalidOption('options.traits', 'an array of trait names, or undefined', traits)
  }
  const faults = options['faults']
  if (faults !== undefined && !(isObject(faults) && typeof faults['dropConnection'] === 'function')) {
    throw invalidOption('options.faults', 'an object with a dropConnection function, or undefined', faults)
  }
}

/**
 * Registers the storage conformance suite (vitest): for every capability port the adapter
 * provides, its contract — semantics, site isolation, atomicity (an error inside a transaction
 * persists nothing), concurrency (N parallel debits of one no-overdraft wallet: exactly the
 * affordable number succeed; N parallel validations: numbers 1..N, no gap, no duplicate; N
 * parallel credit notes on one invoice never exceed its total; N parallel payments on one invoice
 * never allocate more than it owes, the excess going to the next open invoice, then to wallet
 * credit), idempotent replays (other content: `IDEMPOTENCY_CONFLICT` naming the fields), stable
 * pagination — and a fast-check model-based test against a reference model. Where the adapter's
 * traits say it applies: a connection lost mid-transaction (`connections` trait and
 * `faults.dropConnection`: `STORAGE_UNAVAILABLE`, nothing stored, the next calls work) and two
 * crossing transactions (`concurrentTransactions`: the loser is retried and both commit exactly
 * once). Every test seeds its own site, so tests are independent. Capabilities the adapter does not
 * declare, traits it lacks, and groups named in `skip`, are skipped with the reason printed.
 *
 * Call it at the top level of a test file; the adapter is created once (reuse one embedded
 * database per file).
 *
 * @example
 * // my-adapter.test.ts
 * import { runStorageConformance } from '@ecole/testing'
 * import { createMyStorage } from './my-storage'
 *
 * runStorageConformance({
 *   name: 'my adapter',
 *   create: () => createMyStorage({ url: process.env.DATABASE_URL! }),
 *   skip: { bookings: 'bookings stay in the legacy ERP' },
 * })
 * @throws EcoleError `INVALID_INPUT` naming the first option that does not have its type (`options.create` not a
 * function...), before any suite is registered.
 */
export function runStorageConformance(options: StorageConformanceOptions): void {
  checkConformanceOptions(options)
  describe(`storage conformance: ${options.name}`, async () => {
    const storage = await options.create()
    const provided = new Set(storageCapabilities(storage))
    const present = (c: StorageCapability): boolean => provided.has(c)
    const traits = new Set(options.traits ?? storage.traits ?? [])
    const ctx: ConformanceContext = {
      storage: () => storage,
      has: present,
      concurrency: options.concurrency ?? 20,
      numRuns: options.numRuns ?? 25,
      hasTrait: (t) => traits.has(t),
      faults: options.faults,
    }
    afterAll(async () => {
      await (options.reset ? options.reset(storage) : storage.close())
    })

    const absent = STORAGE_CAPABILITIES.filter((c) => !present(c))
    if (absent.length > 0) console.log(`[ecole] ${options.name}: capabilities not provided, their tests are skipped: ${absent.join(', ')}`)
    for (const group of GROUPS) {
      const reason = options.skip?.[group.name] ?? (group.needs.every(present) ? undefined : `needs ${group.needs.filter((c) => !present(c)).join(', ')}, not provided`)
      const notApplicable = reason === undefined ? group.unless?.(ctx) : undefined
      if (notApplicable !== undefined) {
        // not a skip: the adapter's declared traits say the case cannot happen to it (no connection to
        // lose, no two transactions at once), so there is nothing to test
        console.log(`[ecole] ${options.name}: ${group.name} does not apply: ${notApplicable}`)
        continue
      }
      if (reason !== undefined) {
        console.log(`[ecole] ${options.name}: skipping ${group.name}: ${reason}`)
        describe.skip(`${group.name} (skipped: ${reason})`, () => {
          it('is skipped', () => undefined)
        })
        continue
      }
      group.run(ctx)
    }
    const reference = options.reference
    const referenceSkip = options.skip?.['reference']
    if (reference === undefined || referenceSkip !== undefined) {
      const reason = referenceSkip ?? 'no reference adapter given (pass reference: async () => createMemoryStorage())'
      console.log(`[ecole] ${options.name}: skipping the comparison with a reference adapter: ${reason}`)
    } else {
      describeReferenceModel(ctx, reference)
    }
  })
}
