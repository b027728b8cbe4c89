import { auditChanges, checkOptions, EcoleError, parseInput, RoleSchema, UserSchema, type OptionKinds, type Role, type User } from '@ecole/core'
import type { StoragePorts, StorageTransaction } from '@ecole/core/ports'
import { asUseCaseError } from '../use-case-error'

/**
 * The kinds of staff records whose edits carry a version (the `kind` of `RECORD_CHANGED`'s details).
 *
 * @example
 * const kind: StaffRecordKind = 'role'
 */
export type StaffRecordKind = 'role' | 'user'

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>
    return Object.fromEntries(Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => [k, canonical(o[k])]))
  }
  return value
}

const canonicalJson = (record: object): string => JSON.stringify(canonical(record))

/**
 * The version of a role or a user as an edit form read it: an opaque string to send back with the
 * form (a hidden field). It carries the record as it was read (its canonical JSON, base64url), so
 * it is as long as the record, and a save can say which fields someone else changed meanwhile.
 * Two reads of the same content give the same version, whatever the order of its keys.
 *
 * @example
 * staffEditVersion({ id: 'cashier', siteId: 's1', label: 'Régisseur', permissions: [] }) === staffEditVersion({ siteId: 's1', id: 'cashier', permissions: [], label: 'Régisseur' }) //=> true
 */
export function staffEditVersion(record: Role | User): string {
  let json: string | undefined
  try {
    json = typeof record === 'object' && record !== null && !Array.isArray(record) ? canonicalJson(record) : undefined
  } catch {
    // a value JSON cannot hold (a bigint, a cycle): not a role or a user
  }
  if (json === undefined) throw EcoleError.invalidInput('record', 'must be a role or a user (a plain JSON object)')
  return Buffer.from(json, 'utf8').toString('base64url')
}

function readVersion(version: unknown): Record<string, unknown> {
  if (typeof version === 'string' && /^[A-Za-z0-9_-]{1,200000}$/.test(version)) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(version, 'base64url').toString('utf8'))
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>
    } catch {
      // not JSON: refused below
    }
  }
  throw EcoleError.invalidInput('version', 'must be the version the record was read with (staffEditVersion)')
}

/** Which fields of the record differ between the version read and what is stored now. */
function changedFields(read: Record<string, unknown>, current: object): string[] {
  const diff = auditChanges(read, JSON.parse(canonicalJson(current)) as Record<string, unknown>)
  return [...new Set([...Object.keys(diff.before), ...Object.keys(diff.after)])].sort()
}

function recordChanged(kind: StaffRecordKind, id: string, fields: string[], deleted: boolean): EcoleError {
  const what = deleted ? 'was deleted' : `was changed (${fields.join(', ')})`
  return new EcoleError('RECORD_CHANGED', `the ${kind} ${id} ${what} by someone else since it was read; nothing was written`, {
    details: { kind, id, fields, ...(deleted ? { deleted: true } : {}) },
  })
}

/**
 * In `tx`: serialises the edits of one staff record (a row lock through the counter port, as
 * `changeDirectory`'s locks), reads it, and refuses with `RECORD_CHANGED` when it is no longer the
 * version the form read.
 */
async function lockAndCheck<T extends object>(tx: StorageTransaction, kind: StaffRecordKind, id: string, version: string, read: () => Promise<T | undefined>): Promise<T> {
  const opened = readVersion(version)
  if (opened['id'] !== id) throw EcoleError.invalidInput('version', `is the version of another ${kind} (${String(opened['id'])}), not of ${id}`)
  await lockStaffRecord(tx, kind, id)
  const current = await read()
  if (current === undefined) throw recordChanged(kind, id, [], true)
  const fields = changedFields(opened, current)
  if (fields.length > 0) throw recordChanged(kind, id, fields, false)
  return current
}

/** In `tx`: the lock that serialises the edits and deletions of one staff record (a row of the counter port, as `changeDirectory`'s locks). */
async function lockStaffRecord(tx: StorageTransaction, kind: StaffRecordKind, id: string): Promise<void> {
  if (!tx.invoiceNumbers) throw new EcoleError('PORT_MISSING', `[ecole] changing a ${kind} with its version needs a storage with an invoiceNumbers (counter) port`, { details: { port: 'invoiceNumbers' } })
  await tx.invoiceNumbers.nextNumbers(tx.siteId, `staff-edit-lock:${kind}:${id}`, 1)
}

/**
 * In `tx`, before a user is given role `roleId` (created, or their role changed): takes the role's
 * edit lock, so that the change and a {@link deleteRoleEdit} of that role are serialised, and reads
 * the role. Of a user given a role and that role deleted at once, either the user gets the role and
 * the deletion is refused (`ROLE_IN_USE`), or the role is gone and the user is refused: never a user
 * whose role no longer exists. {@link saveUserEdit} calls it; call it yourself when you create a
 * user inside your own transaction.
 *
 * @example
 * await storage.transaction('s1', async (tx) => {
 *   await lockStaffRole(tx, user.roleId)
 *   await tx.access!.createUser('s1', user)
 * })
 * @throws EcoleError `RECORD_CHANGED` (`details: { kind: 'role', id, deleted: true }`) when the
 * role does not exist (deleted since the form listed it); `INVALID_INPUT` for a role id that is not
 * a string.
 */
export async function lockStaffRole(tx: StorageTransaction, roleId: string): Promise<Role> {
  try {
    if (typeof roleId !== 'string' || roleId === '') throw EcoleError.invalidInput('roleId', 'must be a role id (a non-empty string)')
    const directory = tx.directory
    if (!directory) throw new EcoleError('PORT_MISSING', '[ecole] lockStaffRole needs a storage with a directory port', { details: { port: 'directory' } })
    await lockStaffRecord(tx, 'role', roleId)
    const role = await directory.getDirectoryRecord(tx.siteId, 'role', roleId)
    if (role === undefined) throw recordChanged('role', roleId, [], true)
    return role
  } catch (error) {
    throw asUseCaseError(error, 'lockStaffRole', { tx: [tx, 'object', 'a storage transaction'], roleId: [roleId, 'string'] })
  }
}

/**
 * What {@link saveRoleEdit} and {@link saveUserEdit} take besides the record.
 *
 * @example
 * const args: StaffEditArgs<Role> = { storage, siteId: 's1', version: form.version, withChange: (tx, before) => audit(tx, before) }
 */
export interface StaffEditArgs<T> {
  /** The storage (directory port for roles, access port for users, and the counter port for the lock). */
  storage: StoragePorts
  /** The site. */
  siteId: string
  /** The version the edit form read the record with ({@link staffEditVersion}). */
  version: string
  /**
   * Called inside the transaction once the record is written, with the record as it was before:
   * write the edit's audit entry here and it commits with the edit, or not at all.
   */
  withChange?: ((tx: StorageTransaction, before: T) => Promise<void>) | undefined
}

const EDIT_KINDS: OptionKinds<StaffEditArgs<unknown>> = { storage: 'object', siteId: 'any', version: 'any', withChange: 'function?' }

/**
 * Saves an edited role (a directory record of kind `role`) if no one changed it since the form
 * read it: in one transaction, the edits of this role are serialised (of two administrators saving
 * the same role at once, the second waits for the first), the stored role is compared with
 * `version`, and the role is written with `withChange`'s audit entry. A role changed or deleted
 * meanwhile is refused with `RECORD_CHANGED` (`details: { kind: 'role', id, fields }`, the fields
 * the other edit changed) and nothing is written: the role stays the other editor's whole.
 *
 * @example
 * const form = staffEditVersion(await storage.directory!.getDirectoryRecord('s1', 'role', 'cashier'))
 * // ... the administrator edits the role, the form posts the version back
 * await saveRoleEdit({ storage, siteId: 's1', role: { ...role, label: 'Régie' }, version: form })
 * @throws EcoleError `RECORD_CHANGED` when the role is no longer that version; `INVALID_INPUT` for
 * a role that does not match `RoleSchema` or a version that is not one.
 */
export async function saveRoleEdit(args: StaffEditArgs<Role> & { role: Role }): Promise<{ before: Role }> {
  try {
    checkOptions<StaffEditArgs<Role> & { role: Role }>('saveRoleEdit', 'args', args, { ...EDIT_KINDS, role: 'any' })
    return await saveEdit(args, 'role', parseInput(RoleSchema, args.role, 'role'), (tx) => {
      const directory = tx.directory
      if (!directory) throw new EcoleError('PORT_MISSING', '[ecole] saveRoleEdit needs a storage with a directory port', { details: { port: 'directory' } })
      return { read: (id) => directory.getDirectoryRecord(tx.siteId, 'role', id), write: async (role) => void (await directory.putDirectoryRecord(tx.siteId, 'role', role)) }
    })
  } catch (error) {
    throw asUseCaseError(error, 'saveRoleEdit', { args: [args, 'object', 'the edit ({ storage, siteId, version, role })'] })
  }
}

/**
 * Saves an edited back-office user (the result of `updateUser` of `@ecole/core`) if no one changed
 * them since the form read them: the same serialisation and check as {@link saveRoleEdit}, then
 * `AccessStore.putUser` (which still refuses a login taken, `LOGIN_TAKEN`) and `withChange`'s
 * audit entry, in one transaction. A user changed or deleted meanwhile is refused with
 * `RECORD_CHANGED` (`details: { kind: 'user', id, fields }`) and nothing is written; so is a user
 * given a role deleted meanwhile (`details: { kind: 'role', id, deleted: true }`, {@link lockStaffRole}).
 *
 * @example
 * const r = updateUser(context, 'u2', { roleId: 'accountant' }, admin)
 * if (r.ok) await saveUserEdit({ storage, siteId: 's1', user: r.user, version: formVersion, withChange: (tx) => tx.audit!.recordAuditEntries('s1', [entry]).then(() => {}) })
 * @throws EcoleError `RECORD_CHANGED`, `LOGIN_TAKEN`, or `INVALID_INPUT` (a user that does not match
 * `UserSchema`, a version that is not one).
 */
export async function saveUserEdit(args: StaffEditArgs<User> & { user: User }): Promise<{ before: User }> {
  try {
    checkOptions<StaffEditArgs<User> & { user: User }>('saveUserEdit', 'args', args, { ...EDIT_KINDS, user: 'any' })
    return await saveEdit(args, 'user', parseInput(UserSchema, args.user, 'user'), (tx) => {
      const access = tx.access
      if (!access) throw new EcoleError('PORT_MISSING', '[ecole] saveUserEdit needs a storage with an access port', { details: { port: 'access' } })
      return {
        read: (id) => access.getUser(tx.siteId, id),
        write: async (user) => {
          await lockStaffRole(tx, user.roleId)
          await access.putUser(tx.siteId, user)
        },
      }
    })
  } catch (error) {
    throw asUseCaseError(error, 'saveUserEdit', { args: [args, 'object', 'the edit ({ storage, siteId, version, user })'] })
  }
}

/**
 * What {@link deleteRoleEdit} and {@link deleteUserEdit} take besides the record's id.
 *
 * @example
 * const args: StaffDeleteArgs<User> = { storage, siteId: 's1', version: form.version, withChange: (tx, before) => audit(tx, before) }
 */
export type StaffDeleteArgs<T> = StaffEditArgs<T>

/**
 * Deletes a role if no one changed it since the confirmation page read it and no user holds it:
 * in one transaction, serialised with the role's edits and with users being given it
 * ({@link lockStaffRole}), the role is compared with `version`, the site's users are read, and the
 * role is deleted with `withChange`'s audit entry. So a role can never be deleted under a user
 * being given it at the same moment.
 *
 * @example
 * const version = staffEditVersion(role) // the confirmation page's hidden field
 * await deleteRoleEdit({ storage, siteId: 's1', roleId: 'cashier', version, withChange: (tx, before) => audit(tx, before) })
 * @throws EcoleError `ROLE_IN_USE` (`details: { roleId, userIds }`) when users hold the role;
 * `RECORD_CHANGED` when it was changed or deleted meanwhile; `INVALID_INPUT` for a version that is
 * not the role's. Nothing is written on any refusal.
 */
export async function deleteRoleEdit(args: StaffDeleteArgs<Role> & { roleId: string }): Promise<{ before: Role }> {
  try {
    checkOptions<StaffDeleteArgs<Role> & { roleId: string }>('deleteRoleEdit', 'args', args, { ...EDIT_KINDS, roleId: 'any' })
    return await args.storage.transaction(args.siteId, async (tx) => {
      const directory = tx.directory
      const access = tx.access
      if (!directory || !access) throw new EcoleError('PORT_MISSING', '[ecole] deleteRoleEdit needs a storage with directory and access ports', { details: { port: directory ? 'access' : 'directory' } })
      const before = await lockAndCheck(tx, 'role', args.roleId, args.version, () => directory.getDirectoryRecord(tx.siteId, 'role', args.roleId))
      const holders: string[] = []
      let after: string | undefined
      do {
        const page = await access.listUsers(tx.siteId, { limit: 500, ...(after ? { after } : {}) })
        for (const user of page.items) if (user.roleId === args.roleId) holders.push(user.id)
        after = page.next
      } while (after)
      if (holders.length > 0) {
        throw new EcoleError('ROLE_IN_USE', `the role ${args.roleId} is held by ${holders.length} user(s) (${holders.slice(0, 10).join(', ')}); nothing was deleted`, { details: { roleId: args.roleId, userIds: holders } })
      }
      await directory.deleteDirectoryRecord(tx.siteId, 'role', args.roleId)
      await args.withChange?.(tx, before)
      return { before }
    })
  } catch (error) {
    throw asUseCaseError(error, 'deleteRoleEdit', { args: [args, 'object', 'the deletion ({ storage, siteId, version, roleId })'] })
  }
}

/**
 * Deletes a back-office user if no one changed them since the confirmation page read them: in one
 * transaction, serialised with the user's edits, compared with `version`, deleted (`AccessStore.deleteUser`)
 * with `withChange`'s audit entry. The store's `deleteUser` takes the user's password and pending
 * tokens along in that transaction (its contract, checked by the conformance suite): the user is
 * then an unknown login, and a user created later with the same id has no password until their
 * own token is used. Who may delete whom (not oneself, not above one's own rank) is the caller's
 * check, as for `updateUser`.
 *
 * @example
 * await deleteUserEdit({ storage, siteId: 's1', userId: 'u2', version: staffEditVersion(user), withChange: (tx, before) => audit(tx, before) })
 * @throws EcoleError `RECORD_CHANGED` when the user was changed or deleted meanwhile; `INVALID_INPUT`
 * for a version that is not the user's. Nothing is written on a refusal.
 */
export async function deleteUserEdit(args: StaffDeleteArgs<User> & { userId: string }): Promise<{ before: User }> {
  try {
    checkOptions<StaffDeleteArgs<User> & { userId: string }>('deleteUserEdit', 'args', args, { ...EDIT_KINDS, userId: 'any' })
    return await args.storage.transaction(args.siteId, async (tx) => {
      const access = tx.access
      if (!access) throw new EcoleError('PORT_MISSING', '[ecole] deleteUserEdit needs a storage with an access port', { details: { port: 'access' } })
      const before = await lockAndCheck(tx, 'user', args.userId, args.version, () => access.getUser(tx.siteId, args.userId))
      await access.deleteUser(tx.siteId, args.userId)
      await args.withChange?.(tx, before)
      return { before }
    })
  } catch (error) {
    throw asUseCaseError(error, 'deleteUserEdit', { args: [args, 'object', 'the deletion ({ storage, siteId, version, userId })'] })
  }
}

/** The edit of one staff record of the site: locked, checked against its version, written with `withChange`, in one transaction. */
async function saveEdit<T extends Role | User>(
  args: StaffEditArgs<T>, kind: StaffRecordKind, record: T,
  store: (tx: StorageTransaction) => { read: (id: string) => Promise<T | undefined>; write: (record: T) => Promise<void> },
): Promise<{ before: T }> {
  if (record.siteId !== args.siteId) throw EcoleError.invalidInput(`${kind}.siteId`, `must be the site ${args.siteId}`)
  return args.storage.transaction(args.siteId, async (tx) => {
    const { read, write } = store(tx)
    const before = await lockAndCheck(tx, kind, record.id, args.version, () => read(record.id))
    await write(record)
    await args.withChange?.(tx, before)
    return { before }
  })
}
