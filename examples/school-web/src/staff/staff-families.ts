/**
 * The back office's families use cases: households listed a page at a time (a site of 50,000
 * children never loads whole), a guardian's file, and archiving a guardian, refused while
 * invoices are unpaid with the list of them (seed 001).
 */
import {
  archiveGuardian, auditChanges, isEcoleError, renameHousehold, checkGuardianArchivable, emptyDirectory, invoiceBalance, unarchiveGuardian, type Actor, type GuardianArchiveCheck, type Guardian,
  type Household, type Invoice, type LocalDate, type Payment,
} from '@ecole/core'
import type { Page, StoragePorts } from '@ecole/core/ports'
import { checkRecordVersion, closePortalAccess, lockRecords } from '@ecole/workflows'
import { recordStaffChanges } from './staff-audit'

/** One page of households, in id order. */
export async function listHouseholdPage(storage: StoragePorts, siteId: string, page: { after?: string | undefined; limit: number }): Promise<Page<Household>> {
  if (!storage.directory) throw new Error('[school-web] the storage has no directory port')
  return storage.directory.listDirectoryRecords(siteId, 'household', { limit: page.limit, ...(page.after ? { after: page.after } : {}) })
}

/** Whether a guardian may be archived: the unpaid invoices of every billing office, with what each owes. */
export async function guardianArchiveCheck(storage: StoragePorts, siteId: string, guardianId: string): Promise<GuardianArchiveCheck> {
  const { invoicing, payments } = storage
  if (!invoicing || !payments) throw new Error('[school-web] the storage has no invoicing or payments port')
  const invoices: Invoice[] = []
  let after: string | undefined
  do {
    const page = await invoicing.listInvoices(siteId, { debtorId: guardianId, status: 'validated' }, { limit: 500, ...(after ? { after } : {}) })
    invoices.push(...page.items)
    after = page.next
  } while (after)
  if (invoices.length === 0) return { ok: true }
  const notes = await invoicing.listCreditNotes(siteId, invoices.map((i) => i.id))
  const paid: Payment[] = []
  after = undefined
  do {
    const page = await payments.listPayments(siteId, { payerId: guardianId, status: 'recorded' }, { limit: 500, ...(after ? { after } : {}) })
    paid.push(...page.items)
    after = page.next
  } while (after)
  return checkGuardianArchivable(invoices.map((invoice) => ({ invoice, balance: invoiceBalance(invoice, notes, paid) })))
}

/** What archiving or unarchiving did. */
export type ArchiveOutcome =
  | { ok: true; guardian: Guardian }
  | { ok: false; code: 'GUARDIAN_HAS_UNPAID_INVOICES'; invoices: Array<{ invoiceId: string; number: string | null; outstandingMinor: bigint }> }
  | { ok: false; code: 'ALREADY_ARCHIVED' | 'NOT_ARCHIVED' | 'NOT_FOUND' }

/**
 * Archives (seed 001 "Comment archiver un responsable") or unarchives a guardian through the
 * library's `archiveGuardian` / `unarchiveGuardian`, recorded in the audit trail. Archiving closes
 * the guardian's portal access in the same transaction (`closePortalAccess`: the login, the
 * password and any mailed token go; audited as `portalAccount.closed`): a family that left the
 * school no longer signs in. Unarchiving does not open it again: the staff do, from the portal
 * logins page. The caller ends the guardian's open sessions once this commits.
 */
export async function setGuardianArchived(storage: StoragePorts, actor: Actor, input: { guardianId: string; archive: boolean; on: LocalDate; reason?: string | undefined; now: Date }): Promise<ArchiveOutcome> {
  const siteId = actor.siteId
  const check = input.archive ? await guardianArchiveCheck(storage, siteId, input.guardianId) : ({ ok: true } as const)
  return storage.transaction(siteId, async (tx) => {
    const directory = tx.directory!
    await lockRecords(tx, siteId, [{ kind: 'guardian', id: input.guardianId }]) // as every writer of a guardian: no last write wins
    const guardian = await directory.getDirectoryRecord(siteId, 'guardian', input.guardianId)
    if (!guardian) return { ok: false, code: 'NOT_FOUND' } as const
    if (!check.ok) return { ok: false, code: 'GUARDIAN_HAS_UNPAID_INVOICES', invoices: check.invoices } as const
    const state = { ...emptyDirectory(siteId), guardians: { [guardian.id]: guardian } }
    const outcome = input.archive
      ? archiveGuardian(state, guardian.id, { on: input.on, reason: input.reason, unpaidInvoiceIds: [] })
      : unarchiveGuardian(state, guardian.id)
    if (!outcome.ok) {
      const code = outcome.refusal.code === 'ALREADY_ARCHIVED' || outcome.refusal.code === 'NOT_ARCHIVED' ? outcome.refusal.code : 'NOT_FOUND'
      return { ok: false, code } as const
    }
    const updated = outcome.state.guardians[guardian.id]!
    await directory.putDirectoryRecord(siteId, 'guardian', updated)
    const closed = input.archive && (await closePortalAccess({ access: tx.access! }, { siteId, guardianId: guardian.id, now: input.now }))
    await recordStaffChanges(tx, actor, input.now, [{
      action: input.archive ? 'guardian.archived' : 'guardian.unarchived', subject: { kind: 'guardian', id: guardian.id }, householdId: guardian.householdId,
      before: { archived: guardian.archived }, after: { archived: updated.archived },
    }, ...(closed ? [{ action: 'portalAccount.closed', subject: { kind: 'guardian' as const, id: guardian.id }, householdId: guardian.householdId }] : [])])
    return { ok: true, guardian: updated } as const
  })
}

/** What renaming did. */
export type RenameOutcome = { ok: true; household: Household } | { ok: false; code: 'NOT_FOUND' } | { ok: false; code: 'INVALID_INPUT'; message: string }

/**
 * Renames a household (seed 001 "Comment renommer un foyer ?") through `renameHousehold`, audited
 * with the name before and after; `version` is the household's version the form was opened with
 * (`RECORD_CHANGED`, nothing written, when someone changed it since).
 */
export async function renameHouseholdAs(storage: StoragePorts, actor: Actor, input: { householdId: string; name: string; now: Date; version?: string | undefined }): Promise<RenameOutcome> {
  const siteId = actor.siteId
  return storage.transaction(siteId, async (tx) => {
    await checkRecordVersion(tx, siteId, { kind: 'household', id: input.householdId }, input.version)
    const household = await tx.directory!.getDirectoryRecord(siteId, 'household', input.householdId)
    if (!household) return { ok: false, code: 'NOT_FOUND' } as const
    let outcome
    try {
      outcome = renameHousehold({ ...emptyDirectory(siteId), households: { [household.id]: household } }, household.id, input.name)
    } catch (error) {
      if (isEcoleError(error, 'INVALID_INPUT')) return { ok: false, code: 'INVALID_INPUT', message: error.message } as const
      throw error
    }
    if (!outcome.ok) return { ok: false, code: 'NOT_FOUND' } as const
    const renamed = outcome.state.households[household.id]!
    await tx.directory!.putDirectoryRecord(siteId, 'household', renamed)
    const changes = auditChanges({ name: household.name }, { name: renamed.name })
    await recordStaffChanges(tx, actor, input.now, [{ action: 'household.renamed', subject: { kind: 'household', id: household.id }, householdId: household.id, ...changes }])
    return { ok: true, household: renamed } as const
  })
}
