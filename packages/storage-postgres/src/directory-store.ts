import { EcoleError, prepareDirectorySearch, type BillingRule, type SepaMandate, type DirectorySearch, type DirectorySearchKind, type DirectoryState, type Site, type SiteToStore, type StoredSmtpSettings } from '@ecole/core'
import type { DirectoryRecordKind, DirectoryRecords, DirectoryStore, Page, PageRequest, PutDirectoryResult } from '@ecole/core/ports'
import { assertSiteId, pageLimit, toPage, type PgAccess } from './access'
import { decodeDocument } from './documents'
import { allRecords, assertRecordIds, assertRecordSite, deleteRecord, getRecord, getRecords, listRecords, putRecord } from './records'

const SITE = 'site'
const kindOf = (kind: DirectoryRecordKind) => `directory:${kind}`

/**
 * The rules covering some beneficiaries (`$1` the site, `$2` the ids), in id order, each once: one
 * lookup of the partial GIN index of migration 37, whose keys name the site with each beneficiary
 * (`ecole_billing_rule_keys`), for the keys of every id asked (`&&`, exact: no recheck). Another
 * site's rules are never read, whatever ids they share, and a rule covering many of the ids is
 * read once. The keys asked are built in SQL the way the index builds its own, and passed as one
 * parameter of the plan (an `InitPlan`): the planner sizes it by default, not by the number of ids,
 * and keeps the index for 1,000 ids (with `?|` over the ids, it chose a scan of the site's rules:
 * 4.3 s on 55,000 rules). The kind is a literal, as in the index, so it applies whatever plan the
 * driver prepares.
 *
 * @internal
 */
export const BILLING_RULES_OF_SQL = `SELECT body FROM ecole_records WHERE site_id = $1 AND kind = '${kindOf('billingRule')}'
  AND ecole_billing_rule_keys(site_id, body) && ARRAY(SELECT length($1::text)::text || ':' || $1 || ':' || b FROM unnest($2::text[]) AS b)
  ORDER BY id`

/** The PostgreSQL {@link DirectoryStore}: records whole in `ecole_records`. @internal */
export class PgDirectoryStore implements DirectoryStore {
  constructor(private readonly access: PgAccess) {}

  getSite(siteId: string): Promise<Site | undefined> {
    return this.access(siteId, ({ client }) => getRecord<Site>(client, siteId, SITE, siteId))
  }

  putSite(siteId: string, site: SiteToStore): Promise<PutDirectoryResult> {
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

  async listSepaMandatesOf(siteId: string, debtorIds: readonly string[]): Promise<SepaMandate[]> {
    assertSiteId(siteId)
    assertRecordIds(debtorIds, 'debtorIds')
    if (debtorIds.length === 0) return []
    return this.access(siteId, async ({ client }) => {
      const rows = await client.query<{ body: unknown }>(
        `SELECT body FROM ecole_records WHERE site_id = $1 AND kind = '${kindOf('sepaMandate')}' AND body->>'debtorId' = ANY($2::text[]) ORDER BY id`,
        [siteId, [...new Set(debtorIds)]],
      )
      return rows.map((r) => decodeDocument<SepaMandate>(r.body))
    })
  }

  async listBillingRulesOf(siteId: string, beneficiaryIds: readonly string[]): Promise<BillingRule[]> {
    assertSiteId(siteId)
    assertRecordIds(beneficiaryIds, 'beneficiaryIds')
    if (beneficiaryIds.length === 0) return []
    return this.access(siteId, async ({ client }) => {
      const rows = await client.query<{ body: unknown }>(BILLING_RULES_OF_SQL, [siteId, [...new Set(beneficiaryIds)]])
      return rows.map((r) => decodeDocument<BillingRule>(r.body))
    })
  }

  async listDirectoryRecordsOf<K extends 'enrolment' | 'subscription'>(siteId: string, kind: K, beneficiaryIds: readonly string[]): Promise<Array<DirectoryRecords[K]>> {
    assertSiteId(siteId)
    assertRecordIds(beneficiaryIds, 'beneficiaryIds')
    if (kind !== 'enrolment' && kind !== 'subscription') throw new EcoleError('INVALID_INPUT', `[ecole] kind: must be 'enrolment' or 'subscription' (got ${String(kind)})`, { details: { field: 'kind' } })
    if (beneficiaryIds.length === 0) return []
    // the kind is one of two literals (checked above): inlined, so the partial index of migration
    // 0032 (by site, kind and beneficiary) applies whatever plan the driver prepares
    return this.access(siteId, async ({ client }) => {
      const rows = await client.query<{ body: unknown }>(
        `SELECT body FROM ecole_records WHERE site_id = $1 AND kind = '${kindOf(kind)}' AND body->>'beneficiaryId' = ANY($2::text[]) ORDER BY id`,
        [siteId, [...new Set(beneficiaryIds)]],
      )
      return rows.map((r) => decodeDocument<DirectoryRecords[K]>(r.body))
    })
  }

  async searchDirectoryRecords<K extends DirectorySearchKind>(siteId: string, kind: K, search: DirectorySearch, page?: PageRequest): Promise<Page<DirectoryRecords[K]>> {
    const prepared = prepareDirectorySearch(kind, search)
    const limit = pageLimit(page)
    // the kind is one of three literals (checked above): inlined, so the partial index of guardians
    // by household applies whatever plan the driver prepares
    const kindLiteral = `'${kindOf(prepared.kind)}'`
    const params: unknown[] = [siteId, page?.after ?? null, limit + 1]
    const filters: string[] = []
    if (prepared.archived !== undefined) filters.push(`coalesce(r.body->'archived', 'null'::jsonb) ${prepared.archived ? '<>' : '='} 'null'::jsonb`)
    if (prepared.householdId !== undefined) {
      params.push(prepared.householdId)
      filters.push(`r.body->>'householdId' = $${params.length}::text`)
    }
    let sql: string
    if (prepared.words.length === 0) {
      sql = `SELECT r.id, r.body FROM ecole_records r WHERE r.site_id = $1 AND r.kind = ${kindLiteral} AND ($2::text IS NULL OR r.id > $2::text)${filters.map((f) => ` AND ${f}`).join('')}
             ORDER BY r.id LIMIT $3`
    } else {
      // driven by the words: the ids whose name has a word beginning with the longest word searched
      // (an index range), each other word checked on the same record's words (its primary key), then
      // the record read by its primary key (OFFSET 0 keeps that a lookup per id, never a scan of
      // every record of the kind), filtered, walking the candidates in id order so that the page
      // stops at its limit (ordered by m.id: the planner then needs no sort above the lookups)
      const words = [...prepared.words].sort((a, b) => b.length - a.length)
      const like = (word: string) => {
        params.push(`${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
        return `$${params.length}::text COLLATE "C" ESCAPE '\\'`
      }
      const first = like(words[0]!)
      const others = words.slice(1).map((w) => `EXISTS (SELECT 1 FROM ecole_directory_words o WHERE o.site_id = $1 AND o.kind = ${kindLiteral} AND o.id = w.id AND o.word LIKE ${like(w)})`)
      sql = `SELECT r.id, r.body FROM (
               SELECT DISTINCT w.id FROM ecole_directory_words w
               WHERE w.site_id = $1 AND w.kind = ${kindLiteral} AND w.word LIKE ${first} AND ($2::text IS NULL OR w.id > $2::text)${others.map((o) => ` AND ${o}`).join('')}
               ORDER BY w.id
             ) m CROSS JOIN LATERAL (
               SELECT r.id, r.body FROM ecole_records r WHERE r.site_id = $1 AND r.kind = ${kindLiteral} AND r.id = m.id${filters.map((f) => ` AND ${f}`).join('')} OFFSET 0
             ) r
             ORDER BY m.id LIMIT $3`
    }
    return this.access(siteId, async ({ client }) => {
      const rows = await client.query<{ id: string; body: unknown }>(sql, params)
      return toPage(rows, limit, (r) => decodeDocument<DirectoryRecords[K]>(r.body), (r) => r.id)
    })
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
