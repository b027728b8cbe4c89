/**
 * The export register's rules: an item is exported once per format, unless re-issued explicitly
 * naming the export it corrects. Decided here, once, for every storage adapter.
 *
 * @module
 */
import * as z from 'zod'
import { EcoleError, parseInput } from '../errors'
import { asInputError } from '../input-error'

/**
 * The file an export produced: its id (a stored document's id, or the file name the
 * administration receives) and a checksum of its bytes (`sha256:` + hex, by convention).
 *
 * @example
 * const file: ExportedFile = { id: 'belcotax-2026-01.xml', checksum: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }
 */
export interface ExportedFile {
  /** The file's id or name. */
  id: string
  /** Checksum of its bytes, e.g. `sha256:<hex>`. */
  checksum: string
}

/**
 * What a re-issue corrects: the export that is the current one of each of its items, and why.
 *
 * @example
 * const reissue: ExportReissue = { corrects: 'exp-2027-02-01', reason: 'wrong daily rate for two children' }
 */
export interface ExportReissue {
  /** Id of the export this one corrects (same format). */
  corrects: string
  /** Why, as the person who re-issued wrote it. */
  reason: string
}

/**
 * One export: a file of one format carrying some items, at an instant, by a user. `format` is a
 * lowercase token naming the format and its variant (`pes-v2`, `belcotax-281.86`, `fec`); item
 * keys are the format's own keys (invoice ids for PES V2 titles, `year|child|debtor` for a
 * Belcotax fiche), each once.
 *
 * @example
 * const record: ExportRecord = {
 *   id: 'exp-1', format: 'belcotax-281.86', itemKeys: ['2026|child-1|guardian-1'],
 *   file: { id: 'belcotax-2026.xml', checksum: 'sha256:00ff' }, exportedAt: '2027-02-01T09:00:00.000Z', exportedBy: 'user-1',
 * }
 */
export interface ExportRecord {
  /** Client-chosen id, unique per site. */
  id: string
  /** The format, lowercase (`pes-v2`, `belcotax-281.86`, `fec`). */
  format: string
  /** The exported items, each once, in the file's order. */
  itemKeys: string[]
  /** The file produced. */
  file: ExportedFile
  /** When (ISO 8601 instant). */
  exportedAt: string
  /** Who (a user id). */
  exportedBy: string
  /** Present on a re-issue: the export it corrects, and why. */
  reissue?: ExportReissue | undefined
}

const nonEmpty = (what: string) => z.string().min(1, `${what} must not be empty`)

/**
 * Schema of an {@link ExportRecord} as a workflow builds it: a lowercase format token, at least
 * one item key and each once, an ISO 8601 instant with its offset.
 *
 * @example
 * ExportRecordSchema.safeParse({ id: 'exp-1', format: 'PES', itemKeys: [] }).success //=> false
 */
export const ExportRecordSchema = z.strictObject({
  id: nonEmpty('the export id'),
  format: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'must be a lowercase format token such as pes-v2 or belcotax-281.86'),
  itemKeys: z
    .array(nonEmpty('an item key'))
    .min(1, 'an export carries at least one item')
    .refine((keys) => new Set(keys).size === keys.length, 'each item key appears once'),
  file: z.strictObject({ id: nonEmpty('the file id'), checksum: nonEmpty('the checksum') }),
  exportedAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant with Z or an offset' }),
  exportedBy: nonEmpty('the user id'),
  reissue: z.strictObject({ corrects: nonEmpty('the corrected export id'), reason: nonEmpty('the reason') }).optional(),
})

/**
 * Checks an export record against {@link ExportRecordSchema}, throwing `INVALID_INPUT` naming the
 * field; returns it unchanged.
 *
 * @example
 * parseExportRecord({ ...record, itemKeys: ['a', 'a'] }) // throws INVALID_INPUT (itemKeys: each item key appears once)
 */
export function parseExportRecord(record: unknown): ExportRecord {
  return parseInput(ExportRecordSchema, record, 'export') as ExportRecord
}

/**
 * Whether the register may record `record`, given the current export of each of its items in its
 * format (`current`: item key -> export id, items never exported absent): `undefined` when it may,
 * otherwise the `EcoleError` to throw.
 *
 * - an export that is not a re-issue may carry no item already exported in its format:
 *   `ALREADY_EXPORTED`, `details: { format, items: [{ itemKey, exportId }] }`;
 * - a re-issue may carry only items whose current export is the one it corrects:
 *   `REISSUE_NOT_CURRENT`, `details: { format, corrects, items: [{ itemKey, exportId }] }`
 *   (`exportId` undefined for an item never exported).
 *
 * Adapters call it with what they read under lock, so that of two concurrent overlapping exports
 * the second sees the first and is refused.
 *
 * @example
 * exportRefusal(record, new Map()) //=> undefined (nothing exported yet)
 * exportRefusal(record, new Map([['inv-1', 'exp-0']]))?.code //=> 'ALREADY_EXPORTED'
 */
export function exportRefusal(record: ExportRecord, current: ReadonlyMap<string, string>): EcoleError | undefined {
  try {
    const reissue = record.reissue
    if (reissue === undefined) {
      const items = record.itemKeys.flatMap((itemKey) => {
        const exportId = current.get(itemKey)
        return exportId === undefined ? [] : [{ itemKey, exportId }]
      })
      if (items.length === 0) return undefined
      const shown = items.slice(0, 5).map((i) => `${i.itemKey} (export ${i.exportId})`).join(', ')
      return new EcoleError(
        'ALREADY_EXPORTED',
        `export ${record.id}: ${items.length} item${items.length === 1 ? ' was' : 's were'} already exported as ${record.format}: ${shown}${items.length > 5 ? ', ...' : ''}; leave ${items.length === 1 ? 'it' : 'them'} out, or re-issue explicitly naming the export corrected`,
        { details: { exportId: record.id, format: record.format, items } },
      )
    }
    const items = record.itemKeys.flatMap((itemKey) => {
      const exportId = current.get(itemKey)
      return exportId === reissue.corrects ? [] : [{ itemKey, exportId }]
    })
    if (items.length === 0) return undefined
    const shown = items.slice(0, 5).map((i) => (i.exportId === undefined ? `${i.itemKey} (never exported)` : `${i.itemKey} (current export ${i.exportId})`)).join(', ')
    return new EcoleError(
      'REISSUE_NOT_CURRENT',
      `export ${record.id}: a re-issue must correct the current ${record.format} export of each of its items, and ${reissue.corrects} is not that of ${shown}${items.length > 5 ? ', ...' : ''}`,
      { details: { exportId: record.id, format: record.format, corrects: reissue.corrects, items } },
    )
  } catch (error) {
    throw asInputError(error, 'exportRefusal', {
      record: [record, 'object', 'an export record (from parseExportRecord)'],
      current: [current, 'map', 'the current export of each item'],
    })
  }
}
