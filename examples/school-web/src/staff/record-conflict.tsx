/**
 * Two staff editing one record (issue 18, "a version check on directory writes"): every edit form
 * carries the version of the record it was opened with (`recordVersion` of `@ecole/workflows`, a
 * hidden field); the library refuses a save made on an older version with `RECORD_CHANGED` and
 * writes nothing. The form is then shown again with what the user typed, who changed the record
 * and when (the record's last audit entry), what they changed, and a link to reload. The hidden
 * field then holds the version stored now: saving again replaces that change knowingly.
 */
import { isEcoleError, zonedDateTime, type AuditEntry } from '@ecole/core'
import type { StoragePortSet, StoragePorts } from '@ecole/core/ports'
import { checkRecordVersion, recordVersion, type RecordConflict, type RecordRef } from '@ecole/workflows'
import { formatLocalDateTime, t, type Lang } from '../i18n'

/** The hidden field of an edit form: the version of the record it shows. */
export function VersionField(p: { version: string }) {
  return <input type="hidden" name="version" value={p.version} />
}

/** The version of a record to put in its form, or '' for none. */
export function versionOf(record: unknown): string {
  return record === undefined ? '' : recordVersion(record)
}

/** What a form shows when its save was refused because someone changed the record meanwhile. */
export interface RecordConflictView {
  /** The message (in the page's notice). */
  text: string
  /** The fields the other change touched, each with its value before and after (for the card). */
  fields: Array<{ field: string; before: string; after: string }>
  /** The page to reload. */
  reload: string
  /** The version stored now (the form's hidden field from here on). */
  version: string
}

const shown = (v: unknown): string => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v))

/**
 * The conflict a save ran into, or `undefined` when `error` is not `RECORD_CHANGED`: the record's
 * last audit entry names who changed it and when, and the fields before and after (labels from
 * `labels` when the form has one for the field).
 */
export async function recordConflictView(storage: StoragePorts, lang: Lang, siteId: string, error: unknown, args: { ref: RecordRef; reload: string; labels?: Record<string, string> }): Promise<RecordConflictView | undefined> {
  if (!isEcoleError(error, 'RECORD_CHANGED')) return undefined
  const records = (error.details['records'] ?? []) as RecordConflict[]
  const conflict = records.find((r) => r.kind === args.ref.kind && r.id === args.ref.id) ?? records[0]
  if (conflict?.deleted) return { text: t(lang, 'staff.conflict.deleted'), fields: [], reload: args.reload, version: '' }
  const last: AuditEntry | undefined = storage.audit
    ? (await storage.audit.listAuditEntries(siteId, { subjectKind: args.ref.kind, subjectId: args.ref.id }, { limit: 1 })).items[0]
    : undefined
  const version = conflict?.actual ?? ''
  if (!last) return { text: t(lang, 'staff.conflict.changedUnknown'), fields: [], reload: args.reload, version }
  const user = last.actor.kind === 'user' && storage.access ? await storage.access.getUser(siteId, last.actor.id) : undefined
  const who = user ? `${user.firstName} ${user.lastName}` : last.actor.id
  // the site's zone, read only when a save ran into a change (the conflict is rare; its readers have no request)
  const timeZone = (await storage.directory?.getSite(siteId))?.timeZone ?? 'UTC'
  const local = zonedDateTime(last.at, timeZone)
  const when = formatLocalDateTime(lang, `${local.date}T${local.time}`, timeZone)
  const before = (last.before ?? {}) as Record<string, unknown>
  const after = (last.after ?? {}) as Record<string, unknown>
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
    .map((f) => ({ field: args.labels?.[f] ?? f, before: shown(before[f]), after: shown(after[f]) }))
  return { text: t(lang, 'staff.conflict.changed', { who, when }), fields, reload: args.reload, version }
}

/**
 * Runs `change` (the write and its audit entry) in one transaction, after checking and locking
 * `ref` against the version the form was opened with (`version`, its hidden field; none for a new
 * record, then only locked): `undefined` when it went through, else what the form shows of the
 * change someone else made meanwhile (nothing was written). Any other error is thrown.
 */
export async function changeRecordChecked(
  storage: StoragePorts, lang: Lang, siteId: string, args: { ref: RecordRef; version: string | undefined; reload: string; labels?: Record<string, string> },
  change: (tx: StoragePortSet) => Promise<void>,
): Promise<RecordConflictView | undefined> {
  try {
    await storage.transaction(siteId, async (tx) => {
      await checkRecordVersion(tx, siteId, args.ref, args.version || undefined)
      await change(tx)
    })
    return undefined
  } catch (error) {
    const conflict = await recordConflictView(storage, lang, siteId, error, { ref: args.ref, reload: args.reload, ...(args.labels ? { labels: args.labels } : {}) })
    if (!conflict) throw error
    return conflict
  }
}

/** The card under the notice: what the other change did, and the link to reload the record. */
export function RecordConflictCard(p: { lang: Lang; conflict: RecordConflictView }) {
  return (
    <div class="card conflict">
      {p.conflict.fields.length > 0
        ? (
          <table>
            <caption>{t(p.lang, 'staff.conflict.whatChanged')}</caption>
            <thead><tr><th scope="col">{t(p.lang, 'staff.conflict.field')}</th><th scope="col">{t(p.lang, 'staff.conflict.before')}</th><th scope="col">{t(p.lang, 'staff.conflict.after')}</th></tr></thead>
            <tbody>{p.conflict.fields.map((f) => <tr><td>{f.field}</td><td>{f.before}</td><td>{f.after}</td></tr>)}</tbody>
          </table>
        )
        : null}
      <p>{t(p.lang, p.conflict.version ? 'staff.conflict.again' : 'staff.conflict.gone')}</p>
      <p><a href={p.conflict.reload}>{t(p.lang, 'staff.conflict.reload')}</a></p>
    </div>
  )
}
