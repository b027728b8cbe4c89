import { checkIdempotentReplay, exportRefusal, type ExportRecord } from '@ecole/core'
import type { ExportRegisterStore, Page, PageRequest } from '@ecole/core/ports'
import { paginate, type Access } from './access'
import { copy } from './site-state'

const EXPORTS = 'exports'
/** (format, item key) -> id of the item's current export. */
const CURRENT = 'exportItems'

const itemKey = (format: string, key: string): string => `${format}\u0000${key}`

/**
 * The in-memory {@link ExportRegisterStore}: the site's transactions run one at a time, so what
 * is read here holds at commit, and core's `exportRefusal` decides. @internal
 */
export class MemoryExportRegisterStore implements ExportRegisterStore {
  constructor(private readonly access: Access) {}

  createExport(siteId: string, record: ExportRecord): Promise<'created' | 'exists'> {
    return this.access(siteId, (v) => {
      const stored = v.read<ExportRecord>(EXPORTS).get(record.id)
      if (stored) return checkIdempotentReplay('export', record.id, stored, record)
      const items = v.read<string>(CURRENT)
      const current = new Map<string, string>()
      for (const key of record.itemKeys) {
        const exportId = items.get(itemKey(record.format, key))
        if (exportId !== undefined) current.set(key, exportId)
      }
      const refusal = exportRefusal(record, current)
      if (refusal) throw refusal
      v.write<ExportRecord>(EXPORTS).set(record.id, copy(record))
      const write = v.write<string>(CURRENT)
      for (const key of record.itemKeys) write.set(itemKey(record.format, key), record.id)
      return 'created'
    })
  }

  getExport(siteId: string, id: string): Promise<ExportRecord | undefined> {
    return this.access(siteId, (v) => {
      const stored = v.read<ExportRecord>(EXPORTS).get(id)
      return stored === undefined ? undefined : copy(stored)
    })
  }

  currentExports(siteId: string, format: string, itemKeys: readonly string[]): Promise<Map<string, string>> {
    return this.access(siteId, (v) => {
      const items = v.read<string>(CURRENT)
      const found = new Map<string, string>()
      for (const key of itemKeys) {
        const exportId = items.get(itemKey(format, key))
        if (exportId !== undefined) found.set(key, exportId)
      }
      return found
    })
  }

  listExports(siteId: string, filter: { format?: string | undefined }, page?: PageRequest): Promise<Page<ExportRecord>> {
    return this.access(siteId, (v) => {
      const entries: Array<[string, ExportRecord]> = []
      for (const e of v.read<ExportRecord>(EXPORTS).values()) if (filter.format === undefined || e.format === filter.format) entries.push([e.id, e])
      const result = paginate(entries, page)
      return { ...result, items: result.items.map(copy) }
    })
  }
}
