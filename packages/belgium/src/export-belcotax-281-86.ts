import { createHash } from 'node:crypto'
import { asInputError, EcoleError, parseExportRecord, type ExportRecord } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { BELCOTAX_28186_FORMAT, belcotaxItemKey, buildBelcotax28186, type BelcotaxWarning, type Belcotax28186Totals } from './belcotax-281-86'
import type { Belcotax28186Input } from './belcotax-281-86-input'

/**
 * What {@link exportBelcotax28186} is asked: the file (as {@link buildBelcotax28186} takes it), the
 * export's id (idempotent), who and when. With `reissue`, the fiches given correct those of the
 * export `corrects` (which must be their current export): they are written as `treatment`
 * (`modification` or `cancellation`) in a corrective sending naming `originalSendingReference`,
 * the reference Belcotax-on-web gave the corrected sending.
 *
 * @example
 * const input: ExportBelcotax28186Input = { siteId: 'site-1', exportId: 'bct-2026-1', exportedBy: 'user-1', exportedAt: new Date(), file }
 */
export interface ExportBelcotax28186Input {
  /** The site. */
  siteId: string
  /** Client-chosen id of the export, unique per site: a replay returns the same file. */
  exportId: string
  /** The user who exports. */
  exportedBy: string
  /** When (the caller's clock). */
  exportedAt: Date | string
  /** The file to build (its `correction` and the fiches' `treatment` are set from `reissue`). */
  file: Belcotax28186Input
  /** A re-issue of fiches exported before. */
  reissue?: { corrects: string; reason: string; treatment: 'modification' | 'cancellation'; originalSendingReference: string } | undefined
}

/**
 * What an export did: `created` with the file, `exists` for a replay (the same file again), or
 * `nothing-to-export` when every fiche was exported before (each one named in the warnings).
 *
 * @example
 * const r: ExportBelcotax28186Result = await exportBelcotax28186({ storage }, input)
 * if (r.status !== 'nothing-to-export') await saveFile(r.record.file.id, r.bytes)
 */
export type ExportBelcotax28186Result =
  | { status: 'created' | 'exists'; bytes: Uint8Array; warnings: BelcotaxWarning[]; totals: Belcotax28186Totals; record: ExportRecord }
  | { status: 'nothing-to-export'; warnings: BelcotaxWarning[] }

/**
 * Exports a year's 281.86 fiches and records the export in the export register, in one
 * transaction: a fiche (income year, child, debtor) is never exported twice. A plain export leaves
 * out, with an `ALREADY_EXPORTED_LEFT_OUT` warning, the fiches exported before, and sends the
 * others as originals; a re-issue (`reissue`) sends the fiches given as modifications or
 * cancellations of their current export, in a corrective sending — Belcotax's correction rule —
 * and becomes their current export. Of two concurrent exports of the same fiches, one wins and the
 * other fails with `ALREADY_EXPORTED` (`REISSUE_NOT_CURRENT` for re-issues), having recorded
 * nothing. The file's id is `belcotax-281.86-<year>-<exportId>.xml` and its checksum the SHA-256
 * of its bytes.
 *
 * @example
 * const r = await exportBelcotax28186({ storage }, { siteId, exportId: 'bct-2026-1', exportedBy: 'u1', exportedAt: new Date(), file })
 * r.status //=> 'created'
 * @throws EcoleError `INVALID_INPUT` (the file's rules), `PORT_MISSING`, `ALREADY_EXPORTED`, `REISSUE_NOT_CURRENT`, `IDEMPOTENCY_CONFLICT`.
 */
export async function exportBelcotax28186(deps: { storage: StoragePorts }, input: ExportBelcotax28186Input): Promise<ExportBelcotax28186Result> {
  try {
    const { siteId, reissue } = input
    if (input.exportedAt instanceof Date && Number.isNaN(input.exportedAt.getTime())) {
      throw EcoleError.invalidInput('exportedAt', 'must be a valid instant (got an Invalid Date)', { field: 'exportedAt', rule: 'valid instant' })
    }
    const exportedAt = input.exportedAt instanceof Date ? input.exportedAt.toISOString() : input.exportedAt
    return await deps.storage.transaction(siteId, async (tx) => {
      const register = tx.exportRegister
      if (register === undefined) throw new EcoleError('PORT_MISSING', 'the storage adapter has no exportRegister port, which this workflow needs', { details: { port: 'exportRegister' } })
      const year = input.file.year
      const stored = await register.getExport(siteId, input.exportId)
      const fiches = input.file.fiches.map((fiche) => ({ ...fiche, treatment: reissue ? reissue.treatment : ('original' as const) }))
      const file: Belcotax28186Input = { ...input.file, fiches, correction: reissue ? { originalSendingReference: reissue.originalSendingReference } : undefined }
      if (stored !== undefined) {
        // a replay: the same fiches as recorded, the same bytes
        const keys = new Set(stored.itemKeys)
        const built = buildBelcotax28186({ ...file, fiches: fiches.filter((f) => keys.has(belcotaxItemKey(year, f.childId, f.debtorId))) })
        const record = recordOf(input, exportedAt, built.itemKeys, built.bytes)
        await register.createExport(siteId, record) // 'exists', or IDEMPOTENCY_CONFLICT when the content differs
        return { status: 'exists', bytes: built.bytes, warnings: built.warnings, totals: built.totals, record }
      }
      const warnings: BelcotaxWarning[] = []
      let kept = fiches
      if (reissue === undefined) {
        const current = await register.currentExports(siteId, BELCOTAX_28186_FORMAT, fiches.map((f) => belcotaxItemKey(year, f.childId, f.debtorId)))
        kept = fiches.filter((f, i) => {
          const exportId = current.get(belcotaxItemKey(year, f.childId, f.debtorId))
          if (exportId !== undefined) warnings.push({ code: 'ALREADY_EXPORTED_LEFT_OUT', field: `fiches.${i}`, message: `fiche ${f.reference} (child ${f.childId}, debtor ${f.debtorId}) was exported in ${exportId}; re-issue it to correct it` })
          return exportId === undefined
        })
        if (kept.length === 0) return { status: 'nothing-to-export', warnings }
      }
      const built = buildBelcotax28186({ ...file, fiches: kept })
      const record = recordOf(input, exportedAt, built.itemKeys, built.bytes)
      await register.createExport(siteId, record)
      return { status: 'created', bytes: built.bytes, warnings: [...warnings, ...built.warnings], totals: built.totals, record }
    })
  } catch (error) {
    throw asInputError(error, 'exportBelcotax28186', { deps: [deps, 'object', 'the host\'s wiring ({ storage })'], input: [input, 'object', 'the export request'] })
  }
}

function recordOf(input: ExportBelcotax28186Input, exportedAt: string, itemKeys: string[], bytes: Uint8Array): ExportRecord {
  return parseExportRecord({
    id: input.exportId,
    format: BELCOTAX_28186_FORMAT,
    itemKeys,
    file: { id: `belcotax-281.86-${input.file.year}-${input.exportId}.xml`, checksum: `sha256:${createHash('sha256').update(bytes).digest('hex')}` },
    exportedAt,
    exportedBy: input.exportedBy,
    ...(input.reissue ? { reissue: { corrects: input.reissue.corrects, reason: input.reissue.reason } } : {}),
  })
}
