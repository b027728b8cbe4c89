import { auditEntry, EcoleError, type AuditEntryInput } from '@ecole/core'
import type { StorageTransaction } from '@ecole/core/ports'
import { need } from './support'

/**
 * The audit entries of a money workflow, built from what it did and written in its own
 * transaction: they commit with the change or not at all, so a crash after the commit never
 * leaves a change without its entry (nor an entry without its change). Called once the
 * workflow's writes are done, with its result, and only when the call stored something: an
 * idempotent replay (a payment id recorded before, a return applied before...) writes no second
 * entry. An error thrown here, or an entry that `auditEntry` refuses (`INVALID_INPUT`), rolls the
 * whole change back, as does an option that is not a function or does not return an array
 * (`INVALID_INPUT` naming `options.audit`). The storage must have an `audit` port (`PORT_MISSING` otherwise).
 *
 * @example
 * const audit: AuditWithChange<RecordPaymentResult> = (_tx, r) => [{ id: crypto.randomUUID(), siteId: 'site-1', at: new Date().toISOString(),
 *   actor: { kind: 'user', id: 'u-cashier' }, action: 'payment.recorded', subject: { kind: 'payment', id: r.payment.id } }]
 */
export type AuditWithChange<R> = (tx: StorageTransaction, result: R) => readonly AuditEntryInput[] | Promise<readonly AuditEntryInput[]>

/**
 * The `audit` option of the money workflows (`validateDrafts`, `recordPayment`, `createInvoiceBatch`,
 * `createDeposit`, `issueInvoiceCreditNote`, `recordDirectDebitReturn`, `importBankStatement`...):
 * as `changeBookings`' `options.audit`, the entries are written in the change's transaction.
 *
 * @example
 * await createDeposit(deps, input, { audit: (_tx, deposit) => [{ id: 'a-1', siteId, at, actor, action: 'deposit.created', subject: { kind: 'deposit', id: deposit.id } }] })
 */
export interface AuditOption<R> {
  /** The entries to write with the change (see {@link AuditWithChange}). */
  audit?: AuditWithChange<R> | undefined
}

/** @internal Writes the entries `audit` builds from `result`, inside `tx` (nothing when no callback or no entry). */
export async function auditInTransaction<R>(tx: StorageTransaction, siteId: string, audit: AuditWithChange<R> | undefined, result: R): Promise<void> {
  if (audit === undefined) return
  if (typeof audit !== 'function') {
    throw new EcoleError('INVALID_INPUT', 'options.audit: must be a function (tx, result) => audit entries', { details: { field: 'options.audit', rule: 'a function' } })
  }
  const entries = await audit(tx, result)
  if (!Array.isArray(entries)) {
    throw new EcoleError('INVALID_INPUT', 'options.audit: must return an array of audit entries', { details: { field: 'options.audit', rule: 'returns an array' } })
  }
  if (entries.length === 0) return
  const { audit: store } = need(tx, 'audit')
  await store.recordAuditEntries(siteId, entries.map(auditEntry))
}
