/** Writing the back office's changes into the library's audit trail (who, when, what, before, after). */
import { auditChanges, auditEntry, type Actor, type AuditEntryInput } from '@ecole/core'
import type { StoragePortSet, StorageTransaction } from '@ecole/core/ports'
import type { AuditWithChange, DirectoryChange } from '@ecole/workflows'
import { randomUUID } from 'node:crypto'

/** One change made by a staff user, as the audit trail stores it. */
export type StaffChange = Pick<AuditEntryInput, 'action' | 'subject' | 'householdId' | 'before' | 'after'>

/**
 * One change of a record as the audit trail stores it: only the fields that differ between
 * `before` and `after` (JSON values), `before` left out for a record created.
 */
export function staffDiff(action: string, subject: StaffChange['subject'], before: unknown, after: unknown, householdId?: string | undefined): StaffChange {
  const json = (o: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(o ?? {})) as Record<string, unknown>
  const diff = auditChanges(json(before), json(after))
  return { action, subject, ...(householdId ? { householdId } : {}), ...(before === undefined ? {} : { before: diff.before }), after: diff.after }
}

/** The audit entries of a staff user's changes (each its own id). */
function staffEntries(actor: Actor, at: Date, changes: readonly StaffChange[]): AuditEntryInput[] {
  return changes.map((c) => ({ id: randomUUID(), siteId: actor.siteId, at: at.toISOString(), actor: { kind: 'user', id: actor.userId }, ...c }))
}

/** Appends the changes a staff user made (inside the caller's transaction when `ports` is one). */
export async function recordStaffChanges(ports: StoragePortSet, actor: Actor, at: Date, changes: readonly StaffChange[]): Promise<void> {
  if (!ports.audit || changes.length === 0) return
  await ports.audit.recordAuditEntries(actor.siteId, staffEntries(actor, at, changes).map(auditEntry))
}

/**
 * The `audit` option of a money workflow of `@ecole/workflows` for a staff user: the changes built
 * from the workflow's result are written in the workflow's own transaction (never after it, where a
 * crash would lose them), and not on an idempotent replay.
 */
export function staffAudit<R>(actor: Actor, now: Date, changes: (result: R) => readonly StaffChange[]): AuditWithChange<R> {
  return (_tx, result) => staffEntries(actor, now, changes(result))
}

/**
 * The `withChanges` hook of `changeDirectory` for a staff user's change: each directory record
 * changed is audited under `action`, with the fields that changed before and after (and the
 * household, when given), in the change's transaction.
 */
export function auditDirectoryChanges(actor: Actor, now: Date, action: string, householdId?: string | undefined) {
  return async (tx: StorageTransaction, changes: readonly DirectoryChange[]): Promise<void> => {
    await recordStaffChanges(tx, actor, now, changes.map((c) => staffDiff(action, { kind: c.kind, id: c.id }, c.before, c.after, householdId)))
  }
}
