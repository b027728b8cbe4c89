import { createHash } from 'node:crypto'
import { asInputError, EcoleError, parseExportRecord, parseInput, type ExportRecord } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { buildFec, type FecFile } from './build-fec'
import type { FecData } from './fec-entries'
import { FecSettingsSchema, type FecSettingsInput } from './fec-settings'

/**
 * The export register's format token of the FEC; an item is one entity's fiscal period,
 * `<SIREN>|<from>..<to>`.
 *
 * @example
 * FEC_FORMAT //=> 'fec'
 */
export const FEC_FORMAT = 'fec'

/**
 * What {@link exportFec} is asked: the FEC to build (as {@link buildFec} takes it), the export's id
 * (idempotent), who and when; with `reissue`, the file replaces the one of the export `corrects`.
 *
 * @example
 * const input: ExportFecInput = { siteId: 's', exportId: 'fec-2026', exportedBy: 'u1', exportedAt: new Date(), settings, data }
 */
export interface ExportFecInput {
  /** The site. */
  siteId: string
  /** Client-chosen id of the export, unique per site: a replay returns the same file. */
  exportId: string
  /** The user who exports. */
  exportedBy: string
  /** When (the caller's clock). */
  exportedAt: Date | string
  /** The FEC's settings: SIREN, fiscal period, offices, accounts. */
  settings: FecSettingsInput
  /** The records of the period. */
  data: FecData
  /** A new FEC of a period exported before (corrected records), naming the export it replaces. */
  reissue?: { corrects: string; reason: string } | undefined
}

/**
 * What an export did: `created` with the file, or `exists` for a replay of the same export id (the
 * same file again).
 *
 * @example
 * const r: ExportFecResult = await exportFec({ storage }, input)
 * await archive(r.file.fileName, r.file.bytes)
 */
export interface ExportFecResult {
  /** `created`, or `exists` for a replay. */
  status: 'created' | 'exists'
  /** The file, as {@link buildFec} wrote it. */
  file: FecFile
  /** What the register holds. */
  record: ExportRecord
}

/**
 * The register's key of one FEC: the entity and its fiscal period.
 *
 * @example
 * fecItemKey('123456789', { from: '2026-01-01', to: '2026-12-31' }) //=> '123456789|2026-01-01..2026-12-31'
 */
export function fecItemKey(siren: string, period: { from: string; to: string }): string {
  try {
    return `${siren}|${period.from}..${period.to}`
  } catch (error) {
    throw asInputError(error, 'fecItemKey', { siren: [siren, 'string', 'a SIREN'], period: [period, 'object', 'the fiscal period ({ from, to })'] })
  }
}

/**
 * Builds the FEC of a fiscal period and records it in the export register, in one transaction: the
 * FEC of a period is handed to the administration once; a corrected one is a re-issue (`reissue`)
 * that names the export it replaces, and becomes the period's current FEC. A second plain export of
 * the same period fails with `ALREADY_EXPORTED`, and of two concurrent exports one wins. The file
 * is built (and its input checked) before anything is recorded; its id in the register is the
 * FEC's file name, its checksum the SHA-256 of its bytes.
 *
 * @example
 * const r = await exportFec({ storage }, { siteId, exportId: 'fec-2026', exportedBy: 'u-compta', exportedAt: new Date(), settings, data })
 * r.file.fileName //=> '123456789FEC20261231.txt'
 * @throws EcoleError `INVALID_INPUT`, `FEC_UNBALANCED_ENTRY` (as buildFec), `PORT_MISSING`, `ALREADY_EXPORTED`, `REISSUE_NOT_CURRENT`, `IDEMPOTENCY_CONFLICT`.
 */
export async function exportFec(deps: { storage: StoragePorts }, input: ExportFecInput): Promise<ExportFecResult> {
  try {
    const settings = parseInput(FecSettingsSchema, input.settings, 'fec')
    const file = buildFec(input.settings, input.data)
    const exportedAt = input.exportedAt instanceof Date ? input.exportedAt.toISOString() : input.exportedAt
    const record = parseExportRecord({
      id: input.exportId,
      format: FEC_FORMAT,
      itemKeys: [fecItemKey(settings.siren, settings.period)],
      file: { id: file.fileName, checksum: `sha256:${createHash('sha256').update(file.bytes).digest('hex')}` },
      exportedAt,
      exportedBy: input.exportedBy,
      ...(input.reissue ? { reissue: { corrects: input.reissue.corrects, reason: input.reissue.reason } } : {}),
    })
    return await deps.storage.transaction(input.siteId, async (tx) => {
      const register = tx.exportRegister
      if (register === undefined) throw new EcoleError('PORT_MISSING', 'the storage adapter has no exportRegister port, which exportFec needs', { details: { port: 'exportRegister' } })
      // 'exists' for a replay with the same content; IDEMPOTENCY_CONFLICT, ALREADY_EXPORTED or REISSUE_NOT_CURRENT otherwise
      const status = await register.createExport(input.siteId, record)
      return { status, file, record }
    })
  } catch (error) {
    throw asInputError(error, 'exportFec', { deps: [deps, 'object', 'the host\'s wiring ({ storage })'], input: [input, 'object', 'the export request'] })
  }
}
