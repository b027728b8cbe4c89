import type { BillingRule } from '@ecole/core'
import type { BillingRuleFilter, BillingRuleStore, Page, PageRequest, PutBillingRuleResult } from '@ecole/core/ports'
import { pageLimit, toPage, type PgAccess } from './access'

/** Rebuilds a rule from its JSON body (an absent `to` stays absent). @internal */
function fromBody(body: unknown): BillingRule {
  return body as BillingRule
}

/** The PostgreSQL {@link BillingRuleStore}: one row per rule, the rule whole in a jsonb column. @internal */
export class PgBillingRuleStore implements BillingRuleStore {
  constructor(private readonly access: PgAccess) {}

  putBillingRule(siteId: string, rule: BillingRule): Promise<PutBillingRuleResult> {
    return this.access(siteId, async ({ client }) => {
      const existing = await client.query('SELECT 1 FROM ecole_billing_rules WHERE site_id = $1 AND id = $2 FOR UPDATE', [siteId, rule.id])
      await client.query(
        `INSERT INTO ecole_billing_rules (site_id, id, from_date, to_date, body) VALUES ($1, $2, $3::date, $4::date, $5::jsonb)
         ON CONFLICT (site_id, id) DO UPDATE SET from_date = EXCLUDED.from_date, to_date = EXCLUDED.to_date, body = EXCLUDED.body`,
        [siteId, rule.id, rule.from, rule.to ?? null, JSON.stringify(rule)],
      )
      return existing.length > 0 ? 'updated' : 'created'
    })
  }

  getBillingRule(siteId: string, id: string): Promise<BillingRule | undefined> {
    return this.access(siteId, async ({ client }) => {
      const rows = await client.query<{ body: unknown }>('SELECT body FROM ecole_billing_rules WHERE site_id = $1 AND id = $2', [siteId, id])
      return rows[0] ? fromBody(rows[0].body) : undefined
    })
  }

  deleteBillingRule(siteId: string, id: string): Promise<boolean> {
    return this.access(siteId, async ({ client }) => {
      const rows = await client.query('DELETE FROM ecole_billing_rules WHERE site_id = $1 AND id = $2 RETURNING id', [siteId, id])
      return rows.length > 0
    })
  }

  listBillingRules(siteId: string, filter: BillingRuleFilter = {}, page?: PageRequest): Promise<Page<BillingRule>> {
    return this.access(siteId, async ({ client }) => {
      const limit = pageLimit(page)
      const coverage: Record<string, string> = {}
      if (filter.beneficiaryId !== undefined) coverage['beneficiaryId'] = filter.beneficiaryId
      if (filter.serviceId !== undefined) coverage['serviceId'] = filter.serviceId
      const rows = await client.query<{ id: string; body: unknown }>(
        `SELECT id, body FROM ecole_billing_rules
         WHERE site_id = $1
           AND ($2::text IS NULL OR id > $2::text)
           AND ($3::jsonb IS NULL OR body->'covers' @> $3::jsonb)
           AND ($4::date IS NULL OR (from_date <= $4::date AND (to_date IS NULL OR to_date >= $4::date)))
         ORDER BY id
         LIMIT $5`,
        [siteId, page?.after ?? null, Object.keys(coverage).length ? JSON.stringify([coverage]) : null, filter.activeOn ?? null, limit + 1],
      )
      return toPage(rows, limit, (r) => fromBody(r.body), (r) => r.id)
    })
  }
}
