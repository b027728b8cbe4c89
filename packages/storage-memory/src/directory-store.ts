import { EcoleError, matchesDirectorySearch, type BillingRule, type SepaMandate, prepareDirectorySearch, type DirectorySearch, type DirectorySearchKind, type DirectoryState, type Site, type SiteToStore, type StoredSmtpSettings } from '@ecole/core'
import type { DirectoryRecordKind, DirectoryRecords, DirectoryStore, Page, PageRequest, PutDirectoryResult } from '@ecole/core/ports'
import { paginate, type Access } from './access'
import { copy } from './site-state'

const SITE = 'site'
const table = (kind: DirectoryRecordKind) => `directory:${kind}`

/** Throws `SITE_MISMATCH` when a record names another site than the call. @internal */
export function assertRecordSite(siteId: string, record: unknown, field = 'siteId'): void {
  const own = (record as Record<string, unknown> | null)?.[field]
  if (own !== undefined && own !== siteId) {
    throw new EcoleError('SITE_MISMATCH', `the record belongs to site ${String(own)}, not ${siteId}`, { details: { siteId, recordSiteId: own } })
  }
}

const MAX_IDS = 1000

function assertIds(ids: readonly unknown[], field = 'ids'): void {
  if (!Array.isArray(ids)) throw new EcoleError('INVALID_INPUT', `${field}: must be an array of ids`, { details: { field } })
  if (ids.length > MAX_IDS) throw new EcoleError('INVALID_INPUT', `${field}: at most ${MAX_IDS} ids per read, got ${ids.length} (split the list)`, { details: { field, count: ids.length, max: MAX_IDS } })
  const bad = ids.findIndex((id) => typeof id !== 'string')
  if (bad >= 0) throw new EcoleError('INVALID_INPUT', `${field}[${bad}]: must be a string`, { details: { field, index: bad } })
}

/** The in-memory {@link DirectoryStore}. @internal */
export class MemoryDirectoryStore implements DirectoryStore {
  constructor(private readonly access: Access) {}

  getSite(siteId: string): Promise<Site | undefined> {
    return this.access(siteId, (v) => copy(v.read<Site>(SITE).get(SITE)))
  }

  putSite(siteId: string, site: SiteToStore): Promise<PutDirectoryResult> {
    return this.access(siteId, (v) => {
      assertRecordSite(siteId, site, 'id')
      const previous = v.read<Site>(SITE).get(SITE)
      const smtp = site.smtp === undefined ? (previous?.smtp ?? null) : site.smtp
      v.write<Site>(SITE).set(SITE, copy({ ...site, smtp }))
      return previous ? 'updated' : 'created'
    })
  }

  putSmtpSettings(siteId: string, smtp: StoredSmtpSettings | null): Promise<void> {
    return this.access(siteId, (v) => {
      const site = v.read<Site>(SITE).get(SITE)
      if (!site) throw new EcoleError('NOT_FOUND', `site ${siteId} does not exist`, { details: { siteId } })
      v.write<Site>(SITE).set(SITE, { ...copy(site), smtp: copy(smtp) })
    })
  }

  getDirectoryRecord<K extends DirectoryRecordKind>(siteId: string, kind: K, id: string): Promise<DirectoryRecords[K] | undefined> {
    return this.access(siteId, (v) => copy(v.read<DirectoryRecords[K]>(table(kind)).get(id)))
  }

  getDirectoryRecords<K extends DirectoryRecordKind>(siteId: string, kind: K, ids: readonly string[]): Promise<Map<string, DirectoryRecords[K]>> {
    return this.access(siteId, (v) => {
      assertIds(ids)
      const records = v.read<DirectoryRecords[K]>(table(kind))
      const found = new Map<string, DirectoryRecords[K]>()
      for (const id of ids) {
        const record = records.get(id)
        if (record !== undefined && !found.has(id)) found.set(id, copy(record))
      }
      return found
    })
  }

  putDirectoryRecord<K extends DirectoryRecordKind>(siteId: string, kind: K, record: DirectoryRecords[K]): Promise<PutDirectoryResult> {
    return this.access(siteId, (v) => {
      assertRecordSite(siteId, record)
      const id = (record as { id: string }).id
      const existed = v.read(table(kind)).has(id)
      v.write<DirectoryRecords[K]>(table(kind)).set(id, copy(record))
      return existed ? 'updated' : 'created'
    })
  }

  deleteDirectoryRecord(siteId: string, kind: DirectoryRecordKind, id: string): Promise<boolean> {
    return this.access(siteId, (v) => (v.read(table(kind)).has(id) ? v.write(table(kind)).delete(id) : false))
  }

  listDirectoryRecords<K extends DirectoryRecordKind>(siteId: string, kind: K, page?: PageRequest): Promise<Page<DirectoryRecords[K]>> {
    return this.access(siteId, (v) => {
      const result = paginate([...v.read<DirectoryRecords[K]>(table(kind)).entries()], page)
      return { ...result, items: result.items.map(copy) }
    })
  }

  listSepaMandatesOf(siteId: string, debtorIds: readonly string[]): Promise<SepaMandate[]> {
    return this.access(siteId, (v) => {
      assertIds(debtorIds, 'debtorIds')
      if (debtorIds.length === 0) return []
      const wanted = new Set(debtorIds)
      return [...v.read<SepaMandate>(table('sepaMandate')).entries()]
        .filter(([, m]) => wanted.has(m.debtorId))
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([, m]) => copy(m))
    })
  }

  listBillingRulesOf(siteId: string, beneficiaryIds: readonly string[]): Promise<BillingRule[]> {
    return this.access(siteId, (v) => {
      assertIds(beneficiaryIds, 'beneficiaryIds')
      if (beneficiaryIds.length === 0) return []
      const wanted = new Set(beneficiaryIds)
      return [...v.read<BillingRule>(table('billingRule')).entries()]
        .filter(([, r]) => r.covers.some((c) => wanted.has(c.beneficiaryId)))
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([, r]) => copy(r))
    })
  }

  listDirectoryRecordsOf<K extends 'enrolment' | 'subscription'>(siteId: string, kind: K, beneficiaryIds: readonly string[]): Promise<Array<DirectoryRecords[K]>> {
    return this.access(siteId, (v) => {
      assertIds(beneficiaryIds, 'beneficiaryIds')
      if (kind !== 'enrolment' && kind !== 'subscription') throw new EcoleError('INVALID_INPUT', `[ecole] kind: must be 'enrolment' or 'subscription' (got ${String(kind)})`, { details: { field: 'kind' } })
      if (beneficiaryIds.length === 0) return []
      const wanted = new Set(beneficiaryIds)
      return [...v.read<DirectoryRecords[K]>(table(kind)).entries()]
        .filter(([, r]) => wanted.has(r.beneficiaryId))
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([, r]) => copy(r))
    })
  }

  searchDirectoryRecords<K extends DirectorySearchKind>(siteId: string, kind: K, search: DirectorySearch, page?: PageRequest): Promise<Page<DirectoryRecords[K]>> {
    return this.access(siteId, (v) => {
      const prepared = prepareDirectorySearch(kind, search)
      const entries = [...v.read<DirectoryRecords[K]>(table(kind)).entries()].filter(([, r]) => matchesDirectorySearch(prepared, r))
      const result = paginate(entries, page)
      return { ...result, items: result.items.map(copy) }
    })
  }

  loadDirectory(siteId: string): Promise<DirectoryState> {
    return this.access(siteId, (v) => {
      const all = <K extends DirectoryRecordKind>(kind: K): Record<string, DirectoryRecords[K]> =>
        Object.fromEntries([...v.read<DirectoryRecords[K]>(table(kind)).entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([id, r]) => [id, copy(r)]))
      return {
        siteId,
        schools: all('school'),
        classes: all('schoolClass'),
        services: all('service'),
        billingOffices: all('billingOffice'),
        households: all('household'),
        guardians: all('guardian'),
        children: all('child'),
        enrolments: all('enrolment'),
        subscriptions: all('subscription'),
      }
    })
  }
}
