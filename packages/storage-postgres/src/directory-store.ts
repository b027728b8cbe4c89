import { EcoleError, type DirectoryState, type Site, type StoredSmtpSettings } from '@ecole/core'
import type { DirectoryRecordKind, DirectoryRecords, DirectoryStore, Page, PageRequest, PutDirectoryResult } from '@ecole/core/ports'
import { assertSiteId, type PgAccess } from './access'
import { allRecords, assertRecordIds, assertRecordSite, deleteRecord, getRecord, getRecords, listRecords, putRecord } from './records'

const SITE = 'site'
const kindOf = (kind: DirectoryRecordKind) => `directory:${kind}`

/** The PostgreSQL {@link DirectoryStore}: records whole in `ecole_records`. @internal */
export class PgDirectoryStore implements DirectoryStore {
  constructor(private readonly access: PgAccess) {}

  getSite(siteId: string): Promise<Site | undefined> {
    return this.access(siteId, ({ client }) => getRecord<Site>(client, siteId, SITE, siteId))
  }

  putSite(siteId: string, site: Site): Promise<PutDirectoryResult> {
    return this.access(siteId, async ({ client }) => {
      assertRecordSite(siteId, site, 'id')
      const previous = await getRecord<Site>(client, siteId, SITE, siteId, true)
      const smtp = site.smtp === undefined ? (previous?.smtp ?? null) : site.smtp
      return putRecord(client, siteId, SITE, siteId, { ...site, smtp })
    })
  }

  putSmtpSettings(siteId: string, smtp: StoredSmtpSettings | null): Promise<void> {
    return this.access(siteId, async ({ client }) => {
      const site = await getRecord<Site>(client, siteId, SITE, siteId, true)
      if (!site) throw new EcoleError('NOT_FOUND', `site ${siteId} does not exist`, { details: { siteId } })
      await putRecord(client, siteId, SITE, siteId, { ...site, smtp })
    })
  }

  getDirectoryRecord<K extends DirectoryRecordKind>(siteId: string, kind: K, id: string): Promise<DirectoryRecords[K] | undefined> {
    return this.access(siteId, ({ client }) => getRecord<DirectoryRecords[K]>(client, siteId, kindOf(kind), id))
  }

  async getDirectoryRecords<K extends DirectoryRecordKind>(siteId: string, kind: K, ids: readonly string[]): Promise<Map<string, DirectoryRecords[K]>> {
    assertSiteId(siteId)
    assertRecordIds(ids)
    if (ids.length === 0) return new Map()
    return this.access(siteId, ({ client }) => getRecords<DirectoryRecords[K]>(client, siteId, kindOf(kind), ids))
  }

  putDirectoryRecord<K extends DirectoryRecordKind>(siteId: string, kind: K, record: DirectoryRecords[K]): Promise<PutDirectoryResult> {
    return this.access(siteId, async ({ client }) => {
      assertRecordSite(siteId, record)
      return putRecord(client, siteId, kindOf(kind), (record as { id: string }).id, record)
    })
  }

  deleteDirectoryRecord(siteId: string, kind: DirectoryRecordKind, id: string): Promise<boolean> {
    return this.access(siteId, ({ client }) => deleteRecord(client, siteId, kindOf(kind), id))
  }

  listDirectoryRecords<K extends DirectoryRecordKind>(siteId: string, kind: K, page?: PageRequest): Promise<Page<DirectoryRecords[K]>> {
    return this.access(siteId, ({ client }) => listRecords<DirectoryRecords[K]>(client, siteId, kindOf(kind), page))
  }

  loadDirectory(siteId: string): Promise<DirectoryState> {
    return this.access(siteId, async ({ client }) => {
      const all = async <K extends DirectoryRecordKind>(kind: K): Promise<Record<string, DirectoryRecords[K]>> =>
        Object.fromEntries(await allRecords<DirectoryRecords[K]>(client, siteId, kindOf(kind)))
      return {
        siteId,
        schools: await all('school'),
        classes: await all('schoolClass'),
        services: await all('service'),
        billingOffices: await all('billingOffice'),
        households: await all('household'),
        guardians: await all('guardian'),
        children: await all('child'),
        enrolments: await all('enrolment'),
        subscriptions: await all('subscription'),
      }
    })
  }
}
