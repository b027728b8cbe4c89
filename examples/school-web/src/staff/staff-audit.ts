/** Writing the back office's changes into the library's audit trail (who, when, what, before, after). */
import { auditEntry, type Actor, type AuditEntryInput } from '@ecole/core'
import type { StoragePortSet } from '@ecole/core/ports'
import { randomUUID } from 'node:crypto'

/** One change made by a staff user, as the audit trail stores it. */
export type StaffChange = Pick<AuditEntryInput, 'action' | 'subject' | 'householdId' | 'before' | 'after'>

/** Appends the changes a staff user made (inside the caller's transaction when `ports` is one). */
export async function recordStaffChanges(ports: StoragePortSet, actor: Actor, at: Date, changes: readonly StaffChange[]): Promise<void> {
  if (!ports.audit || changes.length === 0) return
  await ports.audit.recordAuditEntries(actor.siteId, changes.map((c) => auditEntry({
    id: randomUUID(), siteId: actor.siteId, at: at.toISOString(), actor: { kind: 'user', id: actor.userId }, ...c,
  })))
}
