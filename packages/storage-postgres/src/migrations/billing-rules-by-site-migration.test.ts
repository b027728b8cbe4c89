import { BillingRuleSchema, type BillingRule } from '@ecole/core'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { BILLING_RULES_OF_SQL } from '../directory-store'
import { pgliteDatabase } from '../driver'
import { runMigrations } from '../migrate'
import { createPostgresStorage } from '../postgres-storage'
import { MIGRATIONS } from './index'

/** The query of migration 27's index, as the adapter sent it before migration 37. */
const BEFORE_37_SQL = `SELECT DISTINCT ON (r.id) r.body FROM unnest($2::text[]) AS b(id)
  CROSS JOIN LATERAL (SELECT id, body FROM ecole_records WHERE site_id = $1 AND kind = 'directory:billingRule'
    AND jsonb_path_query_array(body, '$.covers[*].beneficiaryId') ? b.id) r
  ORDER BY r.id`

/** `n` rules of `site`, rule `r-<i>` covering child `c-<i>`'s lunch (the ids every site numbers alike). */
const rulesSql = (site: string, n: number) => `INSERT INTO ecole_records (site_id, kind, id, body)
  SELECT '${site}', 'directory:billingRule', 'r-' || i, jsonb_build_object('id', 'r-' || i, 'from', '2026-09-01', 'criterion', '{"kind":"always"}'::jsonb, 'jointDebtorIds', '[]'::jsonb,
    'payers', jsonb_build_array(jsonb_build_object('guardianId', 'g-' || i, 'weight', 1)), 'covers', jsonb_build_array(jsonb_build_object('beneficiaryId', 'c-' || i, 'serviceId', 'lunch')))
  FROM generate_series(1, ${n}) AS i`

const rule = (id: string, beneficiaryIds: readonly string[]): BillingRule => BillingRuleSchema.parse({
  id, from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'g', weight: 1 }], covers: beneficiaryIds.map((b) => ({ beneficiaryId: b, serviceId: 'lunch' })),
})

async function plan(pglite: PGlite, sql: string, site: string, ids: readonly string[]): Promise<string> {
  const text = sql.replaceAll('$1', `'${site}'`).replace('$2::text[]', `ARRAY[${ids.map((i) => `'${i}'`).join(', ')}]::text[]`)
  return (await pglite.query<{ 'QUERY PLAN': string }>(`EXPLAIN ANALYZE ${text}`)).rows.map((r) => r['QUERY PLAN']).join('\n')
}

describe('migration 37: the rules of some beneficiaries are found by site and beneficiary together', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it("reads the site's rules only, never another site's rules of the same children, through the index; before it, every lookup fetched the other site's and dropped them", async () => {
    const db = pgliteDatabase(pglite, false)
    await runMigrations(db, MIGRATIONS.filter((m) => m.version < 37))
    // two schools numbering their children alike; the second also has one rule of 2,000 children
    await pglite.query(rulesSql('s-a', 5000))
    await pglite.query(rulesSql('s-b', 5000))
    await pglite.query(`INSERT INTO ecole_records (site_id, kind, id, body) VALUES ('s-b', 'directory:billingRule', 'r-all', $1::jsonb)`,
      [JSON.stringify(rule('r-all', Array.from({ length: 2000 }, (_, i) => `c-${i + 1}`)))])
    await pglite.query('ANALYZE ecole_records')
    const before = await plan(pglite, BEFORE_37_SQL, 's-a', ['c-42', 'c-4242'])
    expect(before).toContain('ecole_records_billing_rule_beneficiaries')
    expect(before).toMatch(/Rows Removed by Filter: [1-9]/) // s-b's rules of c-42 and c-4242, and its rule of 2,000
    expect((await runMigrations(db, MIGRATIONS.filter((m) => m.version <= 37))).applied).toEqual([37])
    await pglite.query('ANALYZE ecole_records')
    const after = await plan(pglite, BILLING_RULES_OF_SQL, 's-a', ['c-42', 'c-4242'])
    expect(after).toContain('Bitmap Index Scan on ecole_records_billing_rule_keys')
    expect(after).not.toContain('Rows Removed by')
    const storage = await createPostgresStorage({ pglite, migrate: false })
    expect((await storage.directory!.listBillingRulesOf('s-a', ['c-4242', 'c-42'])).map((r) => r.id)).toEqual(['r-42', 'r-4242'])
    // a rule covering many of the ids asked is read once, with the site's others, in id order
    const asked = Array.from({ length: 1000 }, (_, i) => `c-${i * 3 + 1}`)
    const ofB = (await storage.directory!.listBillingRulesOf('s-b', asked)).map((r) => r.id)
    expect(ofB).toHaveLength(1001)
    expect(ofB.filter((id) => id === 'r-all')).toEqual(['r-all'])
    expect(ofB).toEqual([...ofB].sort())
    // a rule written after the migration is found by the same index
    await storage.directory!.putDirectoryRecord('s-a', 'billingRule', rule('r-new', ['c-42', 'new-child']))
    expect((await storage.directory!.listBillingRulesOf('s-a', ['new-child', 'c-42'])).map((r) => r.id)).toEqual(['r-42', 'r-new'])
    expect(await storage.directory!.listBillingRulesOf('s-b', ['new-child'])).toEqual([])
  }, 180_000)

  it('keeps a site and a beneficiary apart whatever characters their ids hold', async () => {
    const storage = await createPostgresStorage({ pglite, migrate: false })
    const d = storage.directory!
    // site `a:b` with child `c`, site `a` with child `b:c`: joined with a colon, both would read `a:b:c`
    await d.putDirectoryRecord('a:b', 'billingRule', rule('r1', ['c']))
    await d.putDirectoryRecord('a', 'billingRule', rule('r2', ['b:c']))
    await d.putDirectoryRecord('1:a', 'billingRule', rule('r3', ['b:c']))
    expect((await d.listBillingRulesOf('a', ['b:c', 'c'])).map((r) => r.id)).toEqual(['r2'])
    expect((await d.listBillingRulesOf('a:b', ['c', 'b:c'])).map((r) => r.id)).toEqual(['r1'])
    expect((await d.listBillingRulesOf('1:a', ['b:c', 'a:b:c'])).map((r) => r.id)).toEqual(['r3'])
  }, 60_000)
})
