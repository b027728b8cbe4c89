import { checkIdempotentReplay } from '@ecole/core'
import type {
  BankImportStore, HeldBankStatement, HeldStatementDecision, HeldStatementStatus, ImportedBankEntry, ImportedBankEntryOutcome, Page, PageRequest,
} from '@ecole/core/ports'
import { paginate, paginateTable, type Access } from './access'
import { copy } from './site-state'

const ENTRIES = 'bankEntries'
const HELD = 'heldBankStatements'

/** The in-memory {@link BankImportStore}: one entry per (site, entry reference). @internal */
export class MemoryBankImportStore implements BankImportStore {
  constructor(private readonly access: Access) {}

  createBankEntry(siteId: string, entry: ImportedBankEntry): Promise<'created' | 'exists'> {
    return this.access(siteId, (v) => {
      const stored = v.read<ImportedBankEntry>(ENTRIES).get(entry.entryReference)
      // the bank's data is the content; the outcome is what this import decided, and may differ on a replay
      if (stored) return checkIdempotentReplay('bank entry', entry.entryReference, stored, entry, { ignore: ['outcome'] })
      v.write<ImportedBankEntry>(ENTRIES).set(entry.entryReference, copy(entry))
      return 'created'
    })
  }

  importedEntryReferences(siteId: string, entryReferences: readonly string[]): Promise<Set<string>> {
    return this.access(siteId, (v) => {
      const entries = v.read(ENTRIES)
      return new Set(entryReferences.filter((r) => entries.has(r)))
    })
  }

  getBankEntries(siteId: string, entryReferences: readonly string[]): Promise<Map<string, ImportedBankEntry>> {
    return this.access(siteId, (v) => {
      const entries = v.read<ImportedBankEntry>(ENTRIES)
      const found = new Map<string, ImportedBankEntry>()
      for (const r of entryReferences) {
        const e = entries.get(r)
        if (e !== undefined) found.set(r, copy(e))
      }
      return found
    })
  }

  listBankEntries(siteId: string, filter: { outcome?: ImportedBankEntryOutcome['kind'] | undefined }, page?: PageRequest): Promise<Page<ImportedBankEntry>> {
    return this.access(siteId, (v) => {
      const result = paginateTable(v.read<ImportedBankEntry>(ENTRIES), 'entryReference', page, (e) => filter.outcome === undefined || e.outcome.kind === filter.outcome, (_, e) => e.entryReference)
      return { ...result, items: result.items.map(copy) }
    })
  }

  createHeldStatement(siteId: string, statement: HeldBankStatement): Promise<'created' | 'exists'> {
    return this.access(siteId, (v) => {
      if (v.read(HELD).has(statement.key)) return 'exists'
      v.write<HeldBankStatement>(HELD).set(statement.key, copy(statement))
      return 'created'
    })
  }

  getHeldStatement(siteId: string, key: string): Promise<HeldBankStatement | undefined> {
    return this.access(siteId, (v) => {
      const held = v.read<HeldBankStatement>(HELD).get(key)
      return held === undefined ? undefined : copy(held)
    })
  }

  decideHeldStatement(siteId: string, key: string, decision: HeldStatementDecision): Promise<HeldBankStatement | 'not-found' | 'already-decided'> {
    return this.access(siteId, (v) => {
      const held = v.read<HeldBankStatement>(HELD).get(key)
      if (held === undefined) return 'not-found'
      if (held.status !== 'held') return 'already-decided'
      const decided: HeldBankStatement = { ...copy(held), status: decision.status, decision: copy(decision) }
      v.write<HeldBankStatement>(HELD).set(key, decided)
      return copy(decided)
    })
  }

  listHeldStatements(siteId: string, filter: { status?: HeldStatementStatus | undefined }, page?: PageRequest): Promise<Page<HeldBankStatement>> {
    return this.access(siteId, (v) => {
      const items: Array<[string, HeldBankStatement]> = []
      for (const h of v.read<HeldBankStatement>(HELD).values()) if (filter.status === undefined || h.status === filter.status) items.push([h.key, h])
      const result = paginate(items, page)
      return { ...result, items: result.items.map(copy) }
    })
  }
}
