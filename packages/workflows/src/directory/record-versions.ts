/**
 * Optimistic concurrency for directory writes: a record's version is a fingerprint of the record
 * as stored, so an edit form carries the version it was opened with and a save is refused
 * (`RECORD_CHANGED`, nothing written) when someone changed or deleted the record meanwhile.
 * No stored field, no migration: every adapter, an integrator's included, gets it as it is.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { asInputError, EcoleError } from '@ecole/core'
import type { DirectoryRecordKind, StoragePortSet } from '@ecole/core/ports'
import { asUseCaseError } from '../use-case-error'

/**
 * A record of the directory a version names: a kind of directory record, or `'site'` for the
 * site's own settings (its id is the site id).
 *
 * @example
 * const ref: RecordRef = { kind: 'guardian', id: 'marie' }
 */
export interface RecordRef {
  /** The kind of record (`'site'`: the site's settings, read with `getSite`). */
  kind: DirectoryRecordKind | 'site'
  /** Its id. */
  id: string
}

/**
 * The version of a record a caller read (an edit form keeps it in a hidden field).
 *
 * @example
 * const expected: ExpectedVersion = { kind: 'guardian', id: 'marie', version: recordVersion(marie) }
 */
export interface ExpectedVersion extends RecordRef {
  /** {@link recordVersion} of the record as the caller read it. */
  version: string
}

/**
 * A record that is no longer the version a caller read, as `RECORD_CHANGED` details list it.
 *
 * @example
 * const c: RecordConflict = { kind: 'guardian', id: 'marie', expected: 'v1-…', actual: 'v1-…', deleted: false }
 */
export interface RecordConflict extends RecordRef {
  /** The version the caller read. */
  expected: string
  /** The version stored now (absent when the record was deleted). */
  actual?: string | undefined
  /** Whether the record no longer exists. */
  deleted: boolean
}

function canonical(value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonical(v)))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = canonical(v)
    }
    return out
  }
  return value
}

/**
 * The version of a record as stored: `v1-` and the first 16 hexadecimal digits of the SHA-256 of
 * its canonical JSON (keys sorted at every level, `undefined` members left out, as a JSON store
 * drops them). Two equal records have the same version whatever their key order or the adapter
 * that read them; any change of any field gives another version.
 *
 * @example
 * recordVersion({ id: 'marie', firstName: 'Marie' }) === recordVersion({ firstName: 'Marie', id: 'marie' }) //=> true
 * recordVersion({ id: 'marie', firstName: 'Marie' }) === recordVersion({ id: 'marie', firstName: 'Maria' }) //=> false
 * @throws EcoleError `INVALID_INPUT` for a value that is not plain data (a cycle).
 */
export function recordVersion(record: unknown): string {
  try {
    return `v1-${createHash('sha256').update(JSON.stringify(canonical(record)) ?? 'undefined').digest('hex').slice(0, 16)}`
  } catch (error) {
    throw asInputError(error, 'recordVersion', { record: [record, 'any', 'a directory record (plain JSON data)'] })
  }
}

/**
 * The lock key of one record (`record:<kind>:<id>`): every directory writer that changes the
 * record takes it ({@link lockRecords}), so writers of one record run one after the other.
 *
 * @example
 * recordLockKey({ kind: 'guardian', id: 'marie' }) //=> 'record:guardian:marie'
 * @throws EcoleError `INVALID_INPUT` naming `ref` when it is not `{ kind, id }`.
 */
export function recordLockKey(ref: RecordRef): string {
  if (typeof ref !== 'object' || ref === null || typeof ref.kind !== 'string' || typeof ref.id !== 'string') {
    throw EcoleError.invalidInput('ref', 'must name a record: { kind, id }, two strings')
  }
  return `record:${ref.kind}:${ref.id}`
}

function isExpectedVersion(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v['kind'] === 'string' && typeof v['id'] === 'string' && typeof v['version'] === 'string'
}

/**
 * The arguments every lock and version check takes, checked before anything else (an empty list
 * too: wiring without its ports, or a string where the list goes, would otherwise pass unnoticed
 * until the first call with something in it, or lock one key per character).
 */
function checkArguments(fn: string, ports: unknown, siteId: unknown, list: unknown, name: string, isItem: (item: unknown) => boolean, item: string): void {
  const refuse = (path: string, message: string): EcoleError<'INVALID_INPUT'> =>
    new EcoleError('INVALID_INPUT', `${fn}: ${path} ${message}`, { details: { function: fn, issues: [{ path, code: 'invalid_type', message }] } })
  if (typeof ports !== 'object' || ports === null) throw refuse('ports', `must be the storage’s ports (an object), got ${ports === null ? 'null' : typeof ports}`)
  if (typeof siteId !== 'string' || siteId === '') throw refuse('siteId', 'must be a site id (a non-empty string)')
  if (!Array.isArray(list)) throw refuse(name, `must be an array, got ${list === null ? 'null' : typeof list}`)
  const bad = list.findIndex((entry) => !isItem(entry))
  if (bad >= 0) throw refuse(`${name}[${bad}]`, `must be ${item}`)
}

/**
 * Takes one lock per key until the transaction ends (a row of the counter port per key, updated
 * in sorted key order, as `changeDirectory`'s `locks` are), so that concurrent transactions
 * naming a common key run one after the other from that point and each reads what the previous
 * one wrote. Outside a transaction (or on an adapter that runs one transaction at a time) it only
 * counts.
 *
 * @example
 * await storage.transaction('site-1', async (tx) => { await lockDirectoryKeys(tx, 'site-1', ['record:guardian:marie']); ... })
 * @throws EcoleError `PORT_MISSING` when the ports have no `invoiceNumbers` (counter) port, `INVALID_INPUT`.
 */
export async function lockDirectoryKeys(ports: Pick<StoragePortSet, 'invoiceNumbers'>, siteId: string, keys: readonly string[]): Promise<void> {
  try {
    checkArguments('lockDirectoryKeys', ports, siteId, keys, 'keys', (key) => typeof key === 'string', 'a lock key (a string)')
    if (!ports.invoiceNumbers) throw new EcoleError('PORT_MISSING', '[ecole] directory locks need a storage with an invoiceNumbers (counter) port', { details: { port: 'invoiceNumbers' } })
    for (const key of [...new Set(keys)].sort()) await ports.invoiceNumbers.nextNumbers(siteId, `directory-lock:${key}`, 1)
  } catch (error) {
    throw asUseCaseError(error, 'lockDirectoryKeys', { ports: [ports, 'object', 'the storage’s ports'], siteId: [siteId, 'string'], keys: [keys, 'array', 'the lock keys'] })
  }
}

/**
 * Locks records (their {@link recordLockKey}) until the transaction ends: call it first in a
 * transaction that reads a record and writes it back outside `changeDirectory`.
 *
 * @example
 * await storage.transaction('site-1', async (tx) => { await lockRecords(tx, 'site-1', [{ kind: 'household', id: 'h1' }]); ... })
 */
export async function lockRecords(ports: Pick<StoragePortSet, 'invoiceNumbers'>, siteId: string, refs: readonly RecordRef[]): Promise<void> {
  try {
    return await lockDirectoryKeys(ports, siteId, refs.map(recordLockKey))
  } catch (error) {
    throw asUseCaseError(error, 'lockRecords', { ports: [ports, 'object', 'the storage’s ports'], siteId: [siteId, 'string'], refs: [refs, 'array', 'the records ({ kind, id })'] })
  }
}

/**
 * The record stored now, or `undefined` (the site's settings for kind `'site'`).
 *
 * @example
 * const stored = await readRecord(storage, 'site-1', { kind: 'guardian', id: 'marie' })
 */
export async function readRecord(ports: Pick<StoragePortSet, 'directory'>, siteId: string, ref: RecordRef): Promise<unknown> {
  try {
    if (!ports.directory) throw new EcoleError('PORT_MISSING', '[ecole] record versions need a storage with a directory port', { details: { port: 'directory' } })
    return await (ref.kind === 'site' ? ports.directory.getSite(siteId) : ports.directory.getDirectoryRecord(siteId, ref.kind, ref.id))
  } catch (error) {
    throw asUseCaseError(error, 'readRecord', { ports: [ports, 'object', 'the storage’s ports'], siteId: [siteId, 'string'], ref: [ref, 'object', 'a record ({ kind, id })'] })
  }
}

/**
 * Checks, inside a transaction, that records are still the versions a caller read: locks them
 * (so no other directory writer can change them before this transaction ends), reads them and
 * compares. Call it before writing a record an edit form changed.
 *
 * @example
 * await storage.transaction('site-1', async (tx) => {
 *   await expectRecordVersions(tx, 'site-1', [{ kind: 'household', id: 'h1', version: form.version }])
 *   await tx.directory!.putDirectoryRecord('site-1', 'household', renamed)
 * })
 * @throws EcoleError `RECORD_CHANGED` when one of them was changed or deleted since; `details.records`
 * lists each ({@link RecordConflict}) and the caller writes nothing.
 */
export async function expectRecordVersions(ports: Pick<StoragePortSet, 'directory' | 'invoiceNumbers'>, siteId: string, expected: readonly ExpectedVersion[]): Promise<void> {
  try {
    checkArguments('expectRecordVersions', ports, siteId, expected, 'expected', isExpectedVersion, 'a version read ({ kind, id, version }, three strings)')
    if (!ports.directory) throw new EcoleError('PORT_MISSING', '[ecole] record versions need a storage with a directory port', { details: { port: 'directory' } })
    await lockRecords(ports, siteId, expected)
    await compareRecordVersions(ports, siteId, expected)
  } catch (error) {
    throw asUseCaseError(error, 'expectRecordVersions', { ports: [ports, 'object', 'the storage’s ports'], siteId: [siteId, 'string'], expected: [expected, 'array', 'the versions read ({ kind, id, version })'] })
  }
}

/**
 * Compares records with the versions a caller read, without locking (the caller already holds
 * their locks, taken with {@link lockDirectoryKeys} together with its other keys).
 *
 * @example
 * await lockDirectoryKeys(tx, 'site-1', ['enrolments', recordLockKey({ kind: 'child', id: 'lea' })])
 * await compareRecordVersions(tx, 'site-1', [{ kind: 'child', id: 'lea', version: form.version }])
 * @throws EcoleError `RECORD_CHANGED` when one of them was changed or deleted since (details.records); `PORT_MISSING` without a directory port, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function compareRecordVersions(ports: Pick<StoragePortSet, 'directory'>, siteId: string, expected: readonly ExpectedVersion[]): Promise<void> {
  try {
    checkArguments('compareRecordVersions', ports, siteId, expected, 'expected', isExpectedVersion, 'a version read ({ kind, id, version }, three strings)')
    if (!ports.directory) throw new EcoleError('PORT_MISSING', '[ecole] record versions need a storage with a directory port', { details: { port: 'directory' } })
    const conflicts: RecordConflict[] = []
    for (const e of expected) {
      const stored = await readRecord(ports, siteId, e)
      const actual = stored === undefined ? undefined : recordVersion(stored)
      if (actual !== e.version) conflicts.push({ kind: e.kind, id: e.id, expected: e.version, ...(actual === undefined ? {} : { actual }), deleted: actual === undefined })
    }
    if (conflicts.length > 0) {
      const names = conflicts.map((c) => `${c.kind} ${JSON.stringify(c.id)} was ${c.deleted ? 'deleted' : 'changed'}`).join(', ')
      throw new EcoleError('RECORD_CHANGED', `${names} since it was read; nothing was written`, { details: { records: conflicts } })
    }
  } catch (error) {
    throw asUseCaseError(error, 'compareRecordVersions', { ports: [ports, 'object', 'the storage’s ports'], siteId: [siteId, 'string'], expected: [expected, 'array', 'the versions read ({ kind, id, version })'] })
  }
}

/**
 * Locks one record a writer outside `changeDirectory` is about to read and write back, and when
 * its form sent a version, checks that the record is still that version: the first call of such
 * a transaction (without a version, a form opened before versions existed or an API call, the
 * lock alone still makes the writers of the record run one after the other).
 *
 * @example
 * await storage.transaction('site-1', async (tx) => {
 *   await checkRecordVersion(tx, 'site-1', { kind: 'billingRule', id: 'r1' }, form.version || undefined)
 *   const rule = await tx.directory!.getDirectoryRecord('site-1', 'billingRule', 'r1') // then change it and put it back
 * })
 * @throws EcoleError `RECORD_CHANGED` when a version is given and the record was changed or deleted since; `PORT_MISSING` without a directory or counter port, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function checkRecordVersion(ports: Pick<StoragePortSet, 'directory' | 'invoiceNumbers'>, siteId: string, ref: RecordRef, version: string | undefined): Promise<void> {
  try {
    if (version) await expectRecordVersions(ports, siteId, [{ kind: ref.kind, id: ref.id, version }])
    else await lockRecords(ports, siteId, [ref])
  } catch (error) {
    throw asUseCaseError(error, 'checkRecordVersion', { ports: [ports, 'object', 'the storage’s ports'], siteId: [siteId, 'string'], ref: [ref, 'object', 'a record ({ kind, id })'], version: [version, 'string?', 'the version read'] })
  }
}
