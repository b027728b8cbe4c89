import { parseInput } from '../errors'
import type { LocalDate } from '../time'
import { asInputError } from '../input-error'
import { getRecord, refuse, type DirectoryOutcome, type DirectoryState } from './directory-state'
import { ArchiveMarkSchema } from './fields'

/** Arguments of {@link archiveGuardian}. */
export interface ArchiveGuardianArgs {
  /** Day of the archiving. */
  on: LocalDate
  /** Why (left the school, moved...). */
  reason?: string | undefined
  /**
   * Ids of the guardian's invoices not yet paid in full (from invoicing). Any id refuses the
   * archiving: unpaid invoices must be settled first (seed 001).
   */
  unpaidInvoiceIds: readonly string[]
}

/**
 * Archives a guardian, with the day and the reason. Refused with `GUARDIAN_HAS_UNPAID_INVOICES`
 * (listing them) while the guardian has unpaid invoices; `ALREADY_ARCHIVED` when archived.
 *
 * This changes the directory only. A family that left the school loses portal access: store the
 * archived guardian and close their access (`closePortalAccess` of `@ecole/workflows`, given the
 * transaction's ports) in one transaction, and end their portal sessions. {@link unarchiveGuardian}
 * does not open access again (the staff do, with `openPortalAccess`).
 *
 * @example
 * archiveGuardian(state, 'g1', { on: '2026-07-04', reason: 'moved', unpaidInvoiceIds: ['inv-7'] })
 * //=> { ok: false, refusal: { code: 'GUARDIAN_HAS_UNPAID_INVOICES', guardianId: 'g1', invoiceIds: ['inv-7'] } }
 * @throws EcoleError `NOT_FOUND` for an unknown guardian, `INVALID_INPUT` for a bad day.
 */
export function archiveGuardian(state: DirectoryState, guardianId: string, args: ArchiveGuardianArgs): DirectoryOutcome {
  try {
    const guardian = getRecord(state.guardians, guardianId, 'guardian')
    if (args.unpaidInvoiceIds.length > 0) {
      return refuse({ code: 'GUARDIAN_HAS_UNPAID_INVOICES', guardianId, invoiceIds: [...args.unpaidInvoiceIds] })
    }
    if (guardian.archived !== null) return refuse({ code: 'ALREADY_ARCHIVED', id: guardianId })
    const mark = parseInput(ArchiveMarkSchema, { on: args.on, reason: args.reason }, 'archive')
    return { ok: true, state: { ...state, guardians: { ...state.guardians, [guardianId]: { ...guardian, archived: mark } } } }
  } catch (error) {
    throw asInputError(error, 'archiveGuardian', {
      state: [state, 'object', 'the directory state'],
      guardianId: [guardianId, 'string'],
      args: [args, 'object', 'the archiving ({ on, reason?, unpaidInvoiceIds })'],
    })
  }
}

/**
 * Unarchives a guardian: the record can be edited again.
 *
 * @example
 * unarchiveGuardian(state, 'g1').ok //=> true
 * @throws EcoleError `NOT_FOUND` for an unknown guardian, `INVALID_INPUT` when an argument is not of its type.
 */
export function unarchiveGuardian(state: DirectoryState, guardianId: string): DirectoryOutcome {
  try {
    const guardian = getRecord(state.guardians, guardianId, 'guardian')
    if (guardian.archived === null) return refuse({ code: 'NOT_ARCHIVED', id: guardianId })
    return { ok: true, state: { ...state, guardians: { ...state.guardians, [guardianId]: { ...guardian, archived: null } } } }
  } catch (error) {
    throw asInputError(error, 'unarchiveGuardian', { state: [state, 'object', 'the directory state'], guardianId: [guardianId, 'string'] })
  }
}

/**
 * Archives a child, with the day and the reason (an archived child cannot be booked:
 * `CHILD_ARCHIVED` in booking eligibility).
 *
 * @example
 * archiveChild(state, 'c1', { on: '2026-07-04', reason: 'left the school' }).ok //=> true
 * @throws EcoleError `NOT_FOUND` for an unknown child, `INVALID_INPUT` when an argument is not of its type.
 */
export function archiveChild(state: DirectoryState, childId: string, args: { on: LocalDate; reason?: string | undefined }): DirectoryOutcome {
  try {
    const child = getRecord(state.children, childId, 'child')
    if (child.archived !== null) return refuse({ code: 'ALREADY_ARCHIVED', id: childId })
    const mark = parseInput(ArchiveMarkSchema, { on: args.on, reason: args.reason }, 'archive')
    return { ok: true, state: { ...state, children: { ...state.children, [childId]: { ...child, archived: mark } } } }
  } catch (error) {
    throw asInputError(error, 'archiveChild', {
      state: [state, 'object', 'the directory state'],
      childId: [childId, 'string'],
      args: [args, 'object', 'the archiving ({ on, reason? })'],
    })
  }
}

/**
 * Unarchives a child.
 *
 * @example
 * unarchiveChild(state, 'c1').ok //=> true
 * @throws EcoleError `NOT_FOUND` for an unknown child, `INVALID_INPUT` when an argument is not of its type.
 */
export function unarchiveChild(state: DirectoryState, childId: string): DirectoryOutcome {
  try {
    const child = getRecord(state.children, childId, 'child')
    if (child.archived === null) return refuse({ code: 'NOT_ARCHIVED', id: childId })
    return { ok: true, state: { ...state, children: { ...state.children, [childId]: { ...child, archived: null } } } }
  } catch (error) {
    throw asInputError(error, 'unarchiveChild', { state: [state, 'object', 'the directory state'], childId: [childId, 'string'] })
  }
}
