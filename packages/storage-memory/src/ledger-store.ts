import {
  applyTransfers,
  createLedger,
  expirePendingTransfers,
  getAccountBalance,
  getFailedTransfer,
  getLedgerAccount,
  getTransferRecord,
  isRecordedFailure,
  listLedgerAccounts,
  openAccounts,
  recordFailedTransfers,
  type AccountBalance,
  type AccountOpenResult,
  type LedgerAccount,
  type LedgerState,
  type LedgerTransfer,
  type LedgerTransferRecord,
  type TransferFailureCode,
  type TransferResult,
} from '@ecole/core'
import type { LedgerAccountFilter, LedgerStore, LedgerTransferFilter, Page, PageRequest } from '@ecole/core/ports'
import { compareKeys, paginateSorted, tupleKey, type Access } from './access'
import { copy, type TxView } from './site-state'

type LedgerOp =
  | { kind: 'open'; accounts: LedgerAccount[] }
  | { kind: 'transfers'; batch: LedgerTransfer[]; now: Date }
  | { kind: 'expire'; now: Date }
  | { kind: 'fail'; failures: Array<[string, TransferFailureCode]> }

/** One site's ledger: the engine's state, rebuilt from the committed log after a rollback. */
interface SiteLedger {
  state: LedgerState
  /** Created transfers in creation order (for listings). */
  created: LedgerTransfer[]
  /** Committed operations, replayed to rebuild `state` after a rollback. */
  log: LedgerOp[]
  /** Operations of the open transaction. */
  pending: LedgerOp[]
  /**
   * Failures recorded in the open transaction. They stay failed even if it rolls back: the
   * rollback appends them to the committed log (a `fail` operation) before rebuilding the state,
   * so the engine itself answers for them afterwards, in order with what was committed later.
   */
  failedInTx: Map<string, TransferFailureCode>
  /** Bumped by every operation applied and by every rebuild: what the sorted indexes below were built from. */
  version: number
  /** The accounts sorted by id, as of `version` (rebuilt at the first listing after a change). */
  accountIndex?: { version: number; entries: Array<[string, LedgerAccount]> } | undefined
  /** The created transfers sorted by (timestamp, id), as of `version`. */
  transferIndex?: { version: number; entries: Array<[string, LedgerTransfer]> } | undefined
}

/**
 * The ledger's accounts sorted by id, or its created transfers by (timestamp, id): built once per
 * {@link SiteLedger.version} and kept, so paging a large ledger reads the index from the cursor on
 * instead of sorting every account or transfer of the site at each page.
 */
function sortedAccounts(ledger: SiteLedger): Array<[string, LedgerAccount]> {
  if (ledger.accountIndex?.version !== ledger.version) {
    const entries: Array<[string, LedgerAccount]> = listLedgerAccounts(ledger.state).map((a) => [a.id, a])
    entries.sort((a, b) => compareKeys(a[0], b[0]))
    ledger.accountIndex = { version: ledger.version, entries }
  }
  return ledger.accountIndex.entries
}

function sortedTransfers(ledger: SiteLedger): Array<[string, LedgerTransfer]> {
  if (ledger.transferIndex?.version !== ledger.version) {
    const entries: Array<[string, LedgerTransfer]> = ledger.created.map((t) => [tupleKey(t.timestamp.toISOString(), t.id), t])
    entries.sort((a, b) => compareKeys(a[0], b[0]))
    ledger.transferIndex = { version: ledger.version, entries }
  }
  return ledger.transferIndex.entries
}

function apply(ledger: SiteLedger, op: LedgerOp): TransferResult[] | AccountOpenResult[] | undefined {
  ledger.version++
  switch (op.kind) {
    case 'open':
      return openAccounts(ledger.state, op.accounts)
    case 'transfers': {
      const results = applyTransfers(ledger.state, op.batch, op.now)
      results.forEach((r, i) => {
        if (r.status === 'created') ledger.created.push(op.batch[i]!)
      })
      return results
    }
    case 'expire':
      expirePendingTransfers(ledger.state, op.now)
      return undefined
    case 'fail':
      recordFailedTransfers(ledger.state, op.failures)
      return undefined
    default: {
      const never: never = op
      return never
    }
  }
}

function siteLedger(view: TxView): SiteLedger {
  const table = view.durable<SiteLedger>('ledger')
  let ledger = table.get('ledger')
  if (!ledger) {
    ledger = { state: createLedger(), created: [], log: [], pending: [], failedInTx: new Map(), version: 0 }
    table.set('ledger', ledger)
  }
  const l = ledger
  view.once('ledger', {
    commit: () => {
      l.log.push(...l.pending)
      l.pending = []
      l.failedInTx.clear()
    },
    rollback: () => {
      if (l.failedInTx.size > 0) l.log.push({ kind: 'fail', failures: [...l.failedInTx] })
      l.failedInTx.clear()
      l.pending = []
      l.state = createLedger()
      l.created = []
      l.version++
      for (const op of l.log) apply(l, op)
    },
  })
  return l
}

function run(ledger: SiteLedger, op: LedgerOp): TransferResult[] | AccountOpenResult[] | undefined {
  ledger.pending.push(op)
  return apply(ledger, op)
}

/**
 * The in-memory {@link LedgerStore}: the pure engine of `@ecole/core` (`applyTransfers`...) per
 * site, with transactions (rebuilt from the committed log on rollback); ids refused inside a
 * transaction that rolled back stay failed (recorded in the log by the rollback). @internal
 */
export class MemoryLedgerStore implements LedgerStore {
  constructor(private readonly access: Access) {}

  createAccounts(siteId: string, accounts: readonly LedgerAccount[]): Promise<AccountOpenResult[]> {
    return this.access(siteId, (v) => run(siteLedger(v), { kind: 'open', accounts: copy([...accounts]) }) as AccountOpenResult[])
  }

  getAccount(siteId: string, accountId: string): Promise<LedgerAccount | undefined> {
    return this.access(siteId, (v) => {
      const a = getLedgerAccount(siteLedger(v).state, accountId)
      return a === undefined ? undefined : copy(a)
    })
  }

  listAccounts(siteId: string, filter: LedgerAccountFilter = {}, page?: PageRequest): Promise<Page<LedgerAccount>> {
    return this.access(siteId, (v) => {
      const result = paginateSorted(sortedAccounts(siteLedger(v)), page, {
        from: '',
        beyond: () => false,
        keep: (a) =>
          (filter.kind === undefined || a.kind === filter.kind) &&
          (filter.billingOfficeId === undefined || a.billingOfficeId === filter.billingOfficeId) &&
          (filter.guardianId === undefined || (a.kind === 'wallet' && a.guardianId === filter.guardianId)) &&
          (filter.compartment === undefined || (a.kind === 'wallet' && a.compartment === filter.compartment)),
      })
      return { ...result, items: result.items.map(copy) }
    })
  }

  createTransfers(siteId: string, transfers: readonly LedgerTransfer[], now: Date): Promise<TransferResult[]> {
    return this.access(siteId, (v) => {
      const ledger = siteLedger(v)
      const batch = copy([...transfers])
      const results = run(ledger, { kind: 'transfers', batch, now }) as TransferResult[]
      for (const r of results) if (r.status === 'failed' && isRecordedFailure(r.code)) ledger.failedInTx.set(r.id, r.code)
      return results
    })
  }

  getTransfer(siteId: string, transferId: string): Promise<LedgerTransferRecord | undefined> {
    return this.access(siteId, (v) => {
      const r = getTransferRecord(siteLedger(v).state, transferId)
      return r === undefined ? undefined : copy(r)
    })
  }

  getFailedTransfer(siteId: string, transferId: string): Promise<TransferFailureCode | undefined> {
    return this.access(siteId, (v) => {
      return getFailedTransfer(siteLedger(v).state, transferId)
    })
  }

  listTransfers(siteId: string, filter: LedgerTransferFilter = {}, page?: PageRequest): Promise<Page<LedgerTransferRecord>> {
    return this.access(siteId, (v) => {
      const ledger = siteLedger(v)
      const result = paginateSorted(sortedTransfers(ledger), page, {
        from: '',
        beyond: () => false,
        keep: (t) =>
          (filter.accountId === undefined || t.debitAccountId === filter.accountId || t.creditAccountId === filter.accountId) &&
          (filter.from === undefined || t.timestamp.getTime() >= filter.from.getTime()) &&
          (filter.to === undefined || t.timestamp.getTime() < filter.to.getTime()),
      })
      return { ...result, items: result.items.map((t) => copy(getTransferRecord(ledger.state, t.id)!)) }
    })
  }

  getBalances(siteId: string, accountIds: readonly string[], now?: Date): Promise<AccountBalance[]> {
    return this.access(siteId, (v) => {
      const ledger = siteLedger(v)
      if (now !== undefined) run(ledger, { kind: 'expire', now })
      return accountIds.filter((id) => getLedgerAccount(ledger.state, id) !== undefined).map((id) => copy(getAccountBalance(ledger.state, id)))
    })
  }
}
