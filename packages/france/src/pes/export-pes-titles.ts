import { createHash } from 'node:crypto'
import { asInputError, EcoleError, isEcoleError, parseExportRecord, parseInput, type ExportRecord } from '@ecole/core'
import type { ExportRegisterStore, StoragePorts } from '@ecole/core/ports'
import type { ExportWarning } from '../fec/fec-entries'
import { buildPesAller, type PesAllerFile, type PesOptions, type PesTitleInput } from './build-pes-aller'
import { PesBordereauSchema, PesRegieSchema, type PesBordereauInput, type PesDebtorInput, type PesRegieInput } from './pes-settings'

/**
 * The export register's format token of PES V2 titles; an item is an invoice id.
 *
 * @example
 * PES_V2_FORMAT //=> 'pes-v2'
 */
export const PES_V2_FORMAT = 'pes-v2'

/**
 * The export register's format token of the bordereaux sent as PES V2: each export of titles also
 * records, under the id `<exportId>/bordereau`, its bordereau's number (`IdColl|CodCol|CodBud|Exer|IdBord`)
 * and its file name (`NomFic|<file name>`) as items of this format, so that no other export takes
 * them again (Hélios refuses a bordereau number or a file name it already knows as a duplicate).
 *
 * @example
 * PES_V2_BORDEREAU_FORMAT //=> 'pes-v2-bordereau'
 */
export const PES_V2_BORDEREAU_FORMAT = 'pes-v2-bordereau'

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
 * A bordereau number (per SIRET, collectivity, budget and year) and a file name are taken once: the
 * export records them under {@link PES_V2_BORDEREAU_FORMAT}, and another export reusing either, a
 * re-issue included, is refused (`INVALID_INPUT` naming `bordereau.number` or `bordereau.fileName`
 * and the export that took it), since Hélios refuses a bordereau it knows as a duplicate.
 *
 * The protocol's correction of a title already taken in charge by the comptable is a cancellation
 * or reduction title; the library does not write it (see docs/public-finance.md): a re-issue is for
 * a file the comptable rejected, or after the cancellation was sent by other means.
 *
 * @example
 * const r = await exportPesTitles({ storage }, { siteId, exportId: 'pes-2027-12', exportedBy: 'u1', exportedAt: new Date(), regie, bordereau, titles, debtors })
 * r.status //=> 'created'
 * @throws EcoleError `INVALID_INPUT` (as buildPesAller, or a bordereau number or file name another export took), `PORT_MISSING`, `ALREADY_EXPORTED`, `REISSUE_NOT_CURRENT`, `IDEMPOTENCY_CONFLICT`.
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
      await takeBordereau(register, input, record)
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

/**
 * Records the bordereau's number and file name as taken by this export (format
 * {@link PES_V2_BORDEREAU_FORMAT}), in the export's transaction; refuses, naming the field, a number
 * or a file name another export took (a re-issue included: it is a new bordereau for Hélios).
 */
async function takeBordereau(register: ExportRegisterStore, input: ExportPesTitlesInput, record: ExportRecord): Promise<void> {
  // checked by buildPesAller already: parsed again for the normalised values (SIRET without spaces, codes in capitals)
  const regie = parseInput(PesRegieSchema, input.regie, 'regie')
  const bord = parseInput(PesBordereauSchema, input.bordereau, 'bordereau')
  const numberKey = `IdBord|${regie.siret}|${regie.collectivityCode}|${regie.budgetCode}|${bord.year}|${bord.number}`
  const fileKey = `NomFic|${bord.fileName}`
  // a re-issue too takes a new number and name: this record is never a re-issue
  const taken = parseExportRecord({ id: `${record.id}/bordereau`, format: PES_V2_BORDEREAU_FORMAT, itemKeys: [numberKey, fileKey], file: record.file, exportedAt: record.exportedAt, exportedBy: record.exportedBy })
  try {
    await register.createExport(input.siteId, taken)
  } catch (error) {
    if (!isEcoleError(error, 'ALREADY_EXPORTED')) throw error
    const items = Array.isArray(error.details['items']) ? (error.details['items'] as Array<{ itemKey: string; exportId: string }>) : []
    const byNumber = items.find((i) => i.itemKey === numberKey)
    const other = (byNumber ?? items[0])?.exportId.replace(/\/bordereau$/, '')
    const field = byNumber ? 'bordereau.number' : 'bordereau.fileName'
    const what = byNumber
      ? `bordereau ${bord.number} of ${bord.year} (SIRET ${regie.siret}, collectivity ${regie.collectivityCode}, budget ${regie.budgetCode})`
      : `the file name ${bord.fileName}`
    const message = `${what} was already sent by export ${other ?? '(unknown)'}; Hélios refuses a bordereau number or a file name it knows as a duplicate: give this export the next bordereau number and a new file name (a re-issue too)`
    throw new EcoleError('INVALID_INPUT', `${field}: ${message}`, {
      details: { field, exportId: input.exportId, takenBy: other, issues: [{ path: field, code: 'custom', message }] },
      cause: error,
    })
  }
}
