/**
 * The export register: what was exported, in which format, in which file, when and by whom, so
 * that an item (an invoice as a PES V2 title, a child and debtor's Belcotax 281.86 fiche of a
 * year, a FEC entry) is never exported twice in the same format unless it is re-issued
 * explicitly. Types only; the
 * rules are decided by `exportRefusal` of `@ecole/core`, so that every adapter decides alike.
 *
 * Contract (every method takes `siteId` first):
 * - **Once per format.** Each (site, format, item key) has at most one *current* export. An
 *   export without `reissue` whose items include one already exported in its format is refused
 *   with `EcoleError` `ALREADY_EXPORTED` (`details: { format, items: [{ itemKey, exportId }] }`)
 *   and stores nothing. The same item in another format is independent.
 * - **Re-issues name what they correct.** An export with `reissue: { corrects, reason }` must
 *   carry only items whose current export in that format is `corrects`; it then becomes their
 *   current export. Otherwise (an item never exported, or `corrects` already corrected) it is
 *   refused with `REISSUE_NOT_CURRENT` and stores nothing. How the file itself expresses the
 *   correction (a Belcotax modification or cancellation fiche, a PES cancellation title) is the
 *   format package's rule; the register keeps the chain.
 * - **Exactly one of concurrent overlapping exports wins.** Two exports (or two re-issues) of
 *   overlapping items in one format, committed at the same time, are serialised: one is created,
 *   the other refused as above, whatever the interleaving.
 * - **Idempotent by id.** Creating an export whose id exists with the same content returns
 *   `exists` and changes nothing (replaying a workflow is safe); with other content it throws
 *   `IDEMPOTENCY_CONFLICT` naming the fields.
 * - **History is immutable.** Exports are never updated or deleted.
 *
 * @module
 */
import type { ExportRecord } from '../exports'
import type { Page, PageRequest } from './storage'

/**
 * Storage of the export register. See the module contract above.
 *
 * @example
 * await storage.transaction(siteId, async (tx) => {
 *   const current = await tx.exportRegister!.currentExports(siteId, 'belcotax-281.86', keys)
 *   // ...build the file for the keys not in `current`...
 *   await tx.exportRegister!.createExport(siteId, record)
 * })
 */
export interface ExportRegisterStore {
  /**
   * Records an export, its items becoming exported in its format (see the contract).
   *
   * @example
   * await store.createExport('site-1', record) //=> 'created' ('exists' on a replay)
   * @throws EcoleError `ALREADY_EXPORTED`, `REISSUE_NOT_CURRENT`, `IDEMPOTENCY_CONFLICT`.
   */
  createExport(siteId: string, record: ExportRecord): Promise<'created' | 'exists'>
  /**
   * The export of that id, if any.
   *
   * @example
   * (await store.getExport('site-1', 'exp-1'))?.file.checksum //=> 'sha256:00ff'
   */
  getExport(siteId: string, id: string): Promise<ExportRecord | undefined>
  /**
   * For each of these items exported in `format`, the id of its current export (the last
   * re-issue, or the first export); items never exported are absent.
   *
   * @example
   * await store.currentExports('site-1', 'pes-v2', ['inv-1', 'inv-2']) //=> Map { 'inv-1' => 'exp-1' }
   */
  currentExports(siteId: string, format: string, itemKeys: readonly string[]): Promise<Map<string, string>>
  /**
   * Exports, optionally of one format, ordered by id, a page at a time.
   *
   * @example
   * await store.listExports('site-1', { format: 'fec' }, { limit: 20 })
   */
  listExports(siteId: string, filter: { format?: string | undefined }, page?: PageRequest): Promise<Page<ExportRecord>>
}
