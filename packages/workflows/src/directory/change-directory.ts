/**
 * Directory writes as one workflow: the records an operation needs are read, the library's pure
 * directory operation (`createHousehold`, `addGuardian`, `addChild`, `linkChildToGuardian`,
 * `enrol`, `endEnrolment`...) is applied to them, and the records it created or changed are
 * written back, all in one storage transaction. A site of 50,000 children never loads whole.
 *
 * @module
 */
import { checkOptions, EcoleError, emptyDirectory, type DirectoryOutcome, type OptionKinds, type DirectoryRefusal, type DirectoryState } from '@ecole/core'
import type { DirectoryRecordKind, DirectoryRecords, StoragePorts, StorageTransaction } from '@ecole/core/ports'
import { compareRecordVersions, lockDirectoryKeys, recordLockKey, recordVersion, type ExpectedVersion } from './record-versions'
import { asUseCaseError } from '../use-case-error'

/**
 * A table of a {@link DirectoryState}.
 *
 * @example
 * const table: DirectoryTable = 'guardians'
 */
export type DirectoryTable = Exclude<keyof DirectoryState, 'siteId'>

/** The tables of a {@link DirectoryState} and the kind of record each holds. */
const TABLES: Record<DirectoryTable, DirectoryRecordKind> = {
  schools: 'school',
  classes: 'schoolClass',
  services: 'service',
  billingOffices: 'billingOffice',
  households: 'household',
  guardians: 'guardian',
  children: 'child',
  enrolments: 'enrolment',
  subscriptions: 'subscription',
}

/**
 * The records an operation reads, by table: a list of ids (an unknown id is left out, so the
 * operation refuses it with `NOT_FOUND`), or `'all'` for a whole table (e.g. every enrolment, to
 * count the site's pupils against its licence limit, `enrol` needs `children` and `enrolments` whole).
 *
 * @example
 * const reads: DirectoryReads = { schools: ['sc'], classes: ['cp'], children: 'all', enrolments: 'all' }
 */
export type DirectoryReads = Partial<Record<DirectoryTable, readonly string[] | 'all'>>

/**
 * A record `changeDirectory` wrote.
 *
 * @example
 * const change: DirectoryChange = { kind: 'guardian', id: 'g2', result: 'created', after: guardian }
 */
export interface DirectoryChange {
  /** The kind of record. */
  kind: DirectoryRecordKind
  /** Its id. */
  id: string
  /** Whether it was created (`before` absent) or updated. */
  result: 'created' | 'updated'
  /** The record as it was (absent for a creation). */
  before?: unknown
  /** The record as written. */
  after: unknown
}

/**
 * What {@link changeDirectory} did: the operation's outcome and the records written, or its refusal (nothing written).
 *
 * @example
 * if (!r.ok) console.log(r.refusal.code) // e.g. 'LICENCE_LIMIT'
 */
export type ChangeDirectoryOutcome<E extends object> = ({ ok: true; state: DirectoryState; changes: DirectoryChange[] } & E) | { ok: false; refusal: DirectoryRefusal }

/**
 * Options of {@link changeDirectory}.
 *
 * @example
 * const options: ChangeDirectoryOptions = { withChanges: (tx, changes) => tx.audit!.recordAuditEntries(tx.siteId, changes.map(toAuditEntry)).then(() => {}) }
 */
export interface ChangeDirectoryOptions {
  /**
   * Called inside the transaction after the records are written, with what was written: write
   * the audit entries (or outbox messages) of the change here and they commit with it, or not at all.
   */
  withChanges?: ((tx: StorageTransaction, changes: readonly DirectoryChange[]) => Promise<void>) | undefined
  /**
   * Keys to serialise on: before reading, one row lock per key is taken (in sorted order, through
   * the counter port, as invoice numbers are) so that concurrent operations naming the same key
   * run one after the other and each reads what the previous one wrote. An operation whose rule
   * spans records it does not write (the licence limit counts every pupil) must name a key every
   * such operation shares, e.g. `'enrolments'`; without it two of them could each pass the check
   * on a server running transactions at the same time.
   */
  locks?: readonly string[] | undefined
  /**
   * The versions of records the caller read before (an edit form opened earlier: `recordVersion`
   * of each record shown). Before reading, each is locked and compared with what is stored; when
   * one was changed or deleted since, nothing is written and `EcoleError` `RECORD_CHANGED` is
   * thrown, naming them. Without it, the change is applied to the records as stored now.
   */
  expected?: readonly ExpectedVersion[] | undefined
}

/** Rounds of reading again when a record changed between the read and its lock (a busy record). */
const MAX_ROUNDS = 5

const OPTION_KINDS: OptionKinds<ChangeDirectoryOptions> = { withChanges: 'function?', locks: 'array?', expected: 'array?' }
/** The tables a read names: a misspelt one (`guardian`) is refused, never read as "nothing to read". */
const READS_KINDS = Object.fromEntries(Object.keys(TABLES).map((t) => [t, ['array?', 'string?']])) as unknown as OptionKinds<DirectoryReads>

/** Checks the tables a read names (`INVALID_INPUT` naming `<param>.<table>` and the nearest table). */
function checkReads(param: string, reads: unknown): DirectoryReads {
  return checkOptions<DirectoryReads>('changeDirectory', param, reads, READS_KINDS)
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

async function readTable<K extends DirectoryRecordKind>(tx: StorageTransaction, kind: K, ids: readonly string[] | 'all'): Promise<Record<string, DirectoryRecords[K]>> {
  const directory = tx.directory!
  const out: Record<string, DirectoryRecords[K]> = {}
  if (ids === 'all') {
    let after: string | undefined
    do {
      const page = await directory.listDirectoryRecords(tx.siteId, kind, { limit: 1000, ...(after ? { after } : {}) })
      for (const r of page.items) out[(r as { id: string }).id] = r
      after = page.next
    } while (after)
    return out
  }
  for (const id of [...new Set(ids)]) {
    const r = await directory.getDirectoryRecord(tx.siteId, kind, id)
    if (r) out[id] = r
  }
  return out
}

/**
 * Applies a pure directory operation to the records it needs and writes what it created or
 * changed, in one transaction. `reads` names the records to load (or is computed from the
 * transaction, e.g. the guardians of a child read first); `operation` gets a
 * {@link DirectoryState} holding only those. A refusal writes nothing and is returned; an
 * `EcoleError` thrown by the operation (bad input, unknown id) rolls everything back and is
 * rethrown. The changes list every record written, with its state before, for an audit trail;
 * `options.withChanges` writes that trail in the same transaction; `options.locks` serialises
 * operations whose rule spans records they do not write (the licence limit).
 *
 * No last write wins: every record the operation changes is locked (its `recordLockKey`) before
 * it is written, and read again when it was read before its lock, so two writers of one record
 * run one after the other and the second applies its operation to what the first wrote (the locks
 * are rows of the counter port, `invoiceNumbers`; a storage without one takes none). An edit
 * form passes `options.expected`, the versions (`recordVersion`) of the records it showed: when
 * one was changed or deleted since, nothing is written and `RECORD_CHANGED` names it.
 *
 * @example
 * const r = await changeDirectory({ storage }, 'site-1', { households: ['h1'] }, (state) =>
 *   addGuardian(state, 'h1', { id: 'g2', firstName: 'Paul', lastName: 'Dupont' }))
 * r.ok && r.changes.map((c) => `${c.kind}:${c.id}:${c.result}`) //=> ['guardian:g2:created']
 * @throws EcoleError from the operation (`INVALID_INPUT` naming the field, `DUPLICATE_ID`, `NOT_FOUND`), or
 * `DUPLICATE_ID` when it creates a record whose id exists but was not read, or `RECORD_CHANGED` when a
 * record of `options.expected` is no longer that version (details.records, see `RecordConflict`); nothing is written.
 */
export async function changeDirectory<E extends object>(
  deps: { storage: StoragePorts },
  siteId: string,
  reads: DirectoryReads | ((tx: StorageTransaction) => Promise<DirectoryReads>),
  operation: (state: DirectoryState) => DirectoryOutcome<E>,
  options: ChangeDirectoryOptions = {},
): Promise<ChangeDirectoryOutcome<E>> {
  try {
    checkOptions<ChangeDirectoryOptions>('changeDirectory', 'options', options, OPTION_KINDS)
    if (typeof reads !== 'function') checkReads('reads', reads)
    if (!deps.storage.directory) throw new EcoleError('PORT_MISSING', '[ecole] changeDirectory needs a storage with a directory port', { details: { port: 'directory' } })
    return await deps.storage.transaction(siteId, async (tx) => {
      const held = new Set<string>()
      const lock = async (keys: readonly string[]): Promise<void> => {
        const fresh = keys.filter((k) => !held.has(k))
        await lockDirectoryKeys(tx, siteId, fresh)
        for (const k of fresh) held.add(k)
      }
      const expected = options.expected ?? []
      await lock([...(options.locks ?? []), ...expected.map(recordLockKey)])
      await compareRecordVersions(tx, siteId, expected)
      for (let round = 1; ; round++) {
        const wanted = typeof reads === 'function' ? checkReads('reads()', await reads(tx)) : reads
        const loaded: Record<string, Record<string, unknown>> = {}
        for (const table of Object.keys(TABLES) as DirectoryTable[]) {
          const ids = wanted[table]
          loaded[table] = ids === undefined ? {} : await readTable(tx, TABLES[table], ids)
        }
        const state = { ...emptyDirectory(siteId), ...loaded } as DirectoryState
        const outcome = operation(state)
        if (!outcome.ok) return outcome
        const writes: Array<{ kind: DirectoryRecordKind; id: string; record: unknown; old: unknown }> = []
        for (const table of Object.keys(TABLES) as DirectoryTable[]) {
          const kind = TABLES[table]
          const before = state[table] as Readonly<Record<string, unknown>>
          const after = outcome.state[table] as Readonly<Record<string, unknown>>
          for (const id of Object.keys(after).sort()) {
            const record = after[id]
            const old = Object.prototype.hasOwnProperty.call(before, id) ? before[id] : undefined
            if (old !== undefined && same(old, record)) continue
            writes.push({ kind, id, record, old })
          }
        }
        // every record changed is locked before it is written, so two writers of one record (with or
        // without `expected`) run one after the other; one read before its lock is read again. A
        // storage without a counter port (an integrator's, running one transaction at a time) is not asked.
        const unlocked = tx.invoiceNumbers ? writes.filter((w) => w.old !== undefined && !held.has(recordLockKey(w))) : []
        if (unlocked.length > 0) {
          await lock(unlocked.map(recordLockKey))
          let stale = false
          for (const w of unlocked) {
            const now = await tx.directory!.getDirectoryRecord(siteId, w.kind, w.id)
            if (now === undefined || recordVersion(now) !== recordVersion(w.old)) stale = true
          }
          if (stale) {
            if (round >= MAX_ROUNDS) throw new EcoleError('STORAGE_RETRYABLE', `directory records changed between their read and their lock ${MAX_ROUNDS} times in a row; the transaction may be retried`, { details: { records: unlocked.map((w) => ({ kind: w.kind, id: w.id })) } })
            continue // read and apply the operation again, under the locks now held
          }
        }
        const changes: DirectoryChange[] = []
        for (const { kind, id, record, old } of writes) {
          if (old === undefined && (await tx.directory!.getDirectoryRecord(siteId, kind, id)) !== undefined) {
            throw new EcoleError('DUPLICATE_ID', `${kind} ${JSON.stringify(id)} already exists`, { details: { what: kind, id } })
          }
          await tx.directory!.putDirectoryRecord(siteId, kind, record as DirectoryRecords[typeof kind])
          changes.push({ kind, id, result: old === undefined ? 'created' : 'updated', ...(old === undefined ? {} : { before: old }), after: record })
        }
        if (options.withChanges && changes.length > 0) await options.withChanges(tx, changes)
        return { ...outcome, changes }
      }
    })
  } catch (error) {
    throw asUseCaseError(error, 'changeDirectory', { deps: [deps, 'object', 'the host’s wiring ({ storage })'], siteId: [siteId, 'string'], reads: [reads, 'any', 'the directory tables to read'], operation: [operation, 'function', 'the directory operation'], options: [options, 'object?', 'the options'] })
  }
}
