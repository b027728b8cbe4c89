import { createHash } from 'node:crypto'
import { asInputError, EcoleError, parseExportRecord, type ExportRecord } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import type { ExportWarning } from '../fec/fec-entries'
import { buildPesAller, type PesAllerFile, type PesOptions, type PesTitleInput } from './build-pes-aller'
import type { PesBordereauInput, PesDebtorInput, PesRegieInput } from './pes-settings'

/**
 * The export register's format token of PES V2 titles; an item is an invoice id.
 *
 * @example
 * PES_V2_FORMAT //=> 'pes-v2'
 */
export const PES_V2_FORMAT = 'pes-v2'

/**
 * What {@link exportPesTitles} is asked: the bordereau to build, the export's id (idempotent), who
 * and when; with `reissue`, the titles given replace those of the export `corrects`.
 *
 * @example
 * const input: ExportPesTitlesInput = { siteId: 's', exportId: 'pes-2027-12', exportedBy: 'u1', exportedAt: new Date(), regie, bordereau, titles, debtors }
 */
export interface ExportPesTitlesInput {
  /** The site. */
  siteId: string
  /** Client-chosen id of the export, unique per site: a replay returns the same file. */
  exportId: string
  /** The user who exports. */
  exportedBy: string
  /** When (the caller's clock). */
  exportedAt: Date | string
  /** The régie's identifiers. */
  regie: PesRegieInput
  /** The bordereau (numbers, day, period). */
  bordereau: PesBordereauInput
  /** The invoices to send as titles. */
  titles: readonly PesTitleInput[]
  /** Their debtors, by guardian id. */
  debtors: Readonly<Record<string, PesDebtorInput>>
  /** The check-key function, as {@link buildPesAller} takes it. */
  options?: PesOptions | undefined
  /** A re-issue of titles exported before, naming the export they correct. */
  reissue?: { corrects: string; reason: string } | undefined
}

/**
 * What an export did: `created` with the file, `exists` for a replay (the same file again), or
 * `nothing-to-export` when every title was exported before (each named in the warnings).
 *
 * @example
 * const r: ExportPesTitlesResult = await exportPesTitles({ storage }, input)
 * if (r.status !== 'nothing-to-export') await send(r.record.file.id, r.file.bytes)
 */
export type ExportPesTitlesResult =
  | { status: 'created' | 'exists'; file: PesAllerFile; record: ExportRecord }
  | { status: 'nothing-to-export'; warnings: ExportWarning[] }

/**
 * Exports invoices as PES V2 titles and records the export in the export register, in one
 * transaction: an invoice is never sent twice as a title. A plain export leaves out, with an
 * `ALREADY_EXPORTED_LEFT_OUT` warning, the invoices exported before, and numbers the others from
 * the bordereau's first title number; a re-issue (`reissue`) sends the titles given again and
 * becomes their current export, provided `corrects` is their current export. Of two concurrent
 * exports of the same invoices, one wins and the other fails with `ALREADY_EXPORTED` having
 * recorded nothing. The file's id is the bordereau's file name, its checksum the SHA-256 of its bytes.
 *
 * The protocol's correction of a title already taken in charge by the comptable is a cancellation
 * or reduction title; the library does not write it (see docs/public-finance.md): a re-issue is for
 * a file the comptable rejected, or after the cancellation was sent by other means.
 *
 * @example
 * const r = await exportPesTitles({ storage }, { siteId, exportId: 'pes-2027-12', exportedBy: 'u1', exportedAt: new Date(), regie, bordereau, titles, debtors })
 * r.status //=> 'created'
 * @throws EcoleError `INVALID_INPUT` (as buildPesAller), `PORT_MISSING`, `ALREADY_EXPORTED`, `REISSUE_NOT_CURRENT`, `IDEMPOTENCY_CONFLICT`.
 */
export async function exportPesTitles(deps: { storage: StoragePorts }, input: ExportPesTitlesInput): Promise<ExportPesTitlesResult> {
  try {
    const { siteId, reissue } = input
    const exportedAt = input.exportedAt instanceof Date ? input.exportedAt.toISOString() : input.exportedAt
    return await deps.storage.transaction(siteId, async (tx) => {
      const register = tx.exportRegister
      if (register === undefined) throw new EcoleError('PORT_MISSING', 'the storage adapter has no exportRegister port, which exportPesTitles needs', { details: { port: 'exportRegister' } })
      const stored = await register.getExport(siteId, input.exportId)
      const build = (titles: readonly PesTitleInput[]) => buildPesAller(input.regie, input.bordereau, titles, input.debtors, input.options)
      if (stored !== undefined) {
        // a replay: the titles recorded, the same bytes
        const keys = new Set(stored.itemKeys)
        const file = build(input.titles.filter((t) => keys.has(t.invoice.id)))
        const record = recordOf(input, exportedAt, file)
        await register.createExport(siteId, record) // 'exists', or IDEMPOTENCY_CONFLICT when the content differs
        return { status: 'exists', file, record }
      }
      const warnings: ExportWarning[] = []
      let kept = input.titles
      if (reissue === undefined) {
        const current = await register.currentExports(siteId, PES_V2_FORMAT, input.titles.map((t) => t.invoice.id))
        kept = input.titles.filter((t) => {
          const exportId = current.get(t.invoice.id)
          if (exportId !== undefined) warnings.push({ code: 'ALREADY_EXPORTED_LEFT_OUT', ref: t.invoice.id, message: `invoice ${t.invoice.number ?? t.invoice.id} was sent as a title in ${exportId}; re-issue it to send it again` })
          return exportId === undefined
        })
        if (kept.length === 0) return { status: 'nothing-to-export', warnings }
      }
      const file = build(kept)
      const record = recordOf(input, exportedAt, file)
      await register.createExport(siteId, record)
      return { status: 'created', file: { ...file, warnings: [...warnings, ...file.warnings] }, record }
    })
  } catch (error) {
    throw asInputError(error, 'exportPesTitles', { deps: [deps, 'object', 'the host\'s wiring ({ storage })'], input: [input, 'object', 'the export request'] })
  }
}

function recordOf(input: ExportPesTitlesInput, exportedAt: string, file: PesAllerFile): ExportRecord {
  return parseExportRecord({
    id: input.exportId,
    format: PES_V2_FORMAT,
    itemKeys: file.titles.map((t) => t.invoiceId),
    file: { id: input.bordereau.fileName, checksum: `sha256:${createHash('sha256').update(file.bytes).digest('hex')}` },
    exportedAt,
    exportedBy: input.exportedBy,
    ...(input.reissue ? { reissue: { corrects: input.reissue.corrects, reason: input.reissue.reason } } : {}),
  })
}
