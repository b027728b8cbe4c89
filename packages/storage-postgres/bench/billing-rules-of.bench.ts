/**
 * The billing rules of some children on a 50,000-child site (issue 13, billing rules folded into
 * the directory): `listBillingRulesOf(siteId, [child])`, as the staff's rules page and the
 * portal's booking calendar read them, and `listBillingRulesOf` of 1,000 children, as the staff's
 * invoice run reads them a slice at a time; each beside its baseline in the same run, the other
 * design (every rule of the site read with `listDirectoryRecords`, 1,000 a page, then filtered
 * with `billingRuleMatches`). The rules are written by SQL (one per child, a second for one
 * child in ten: separated parents), then analysed.
 *
 * A neighbouring site numbers its children alike (`c-1`, `c-2`...: two schools of one database)
 * and has, besides the same rules, one rule covering 10,000 of them. Migration 37's index (site
 * and beneficiary) is measured beside migration 27's (beneficiary alone, with its query), both
 * present in the same run: 1,000 children of the first site, and 1,000 of the neighbour's.
 */
import { PGlite } from '@electric-sql/pglite'
import { billingRuleMatches, type BillingRule } from '@ecole/core'
import pg from 'pg'
import { bench, describe } from 'vitest'
import { createPostgresStorage, type PostgresStorage } from '../src/index'
import { benchServerUrl, benchSiteId, cpuPerOp, firstCallOnly, interleaved, machineLoad, processAndServerCpu, type CpuMeter, type Rate } from './bench-support'

const CHILDREN = 50_000

const RULES_SQL = `INSERT INTO ecole_records (site_id, kind, id, body)
  SELECT $1, 'directory:billingRule', 'r-' || i || '-' || k,
    jsonb_build_object('id', 'r-' || i || '-' || k, 'from', '2026-09-01', 'criterion', CASE WHEN k = 0 THEN '{"kind":"always"}'::jsonb ELSE '{"kind":"isoParity","parity":"odd","week53":"odd"}'::jsonb END,
      'jointDebtorIds', '[]'::jsonb, 'payers', jsonb_build_array(jsonb_build_object('guardianId', 'g-' || i || '-' || k, 'weight', 1)),
      'covers', jsonb_build_array(jsonb_build_object('beneficiaryId', 'c-' || i, 'serviceId', 'lunch'), jsonb_build_object('beneficiaryId', 'c-' || i, 'serviceId', 'care')))
  FROM generate_series(1, ${CHILDREN}) AS i, generate_series(0, 1) AS k WHERE k = 0 OR i % 10 = 0`

/** One rule of `site` covering children c-1 to c-10,000. */
const CITY_RULE_SQL = `INSERT INTO ecole_records (site_id, kind, id, body)
  SELECT $1, 'directory:billingRule', 'r-city', jsonb_build_object('id', 'r-city', 'from', '2026-09-01', 'criterion', '{"kind":"always"}'::jsonb, 'jointDebtorIds', '[]'::jsonb,
    'payers', jsonb_build_array(jsonb_build_object('guardianId', 'g-city', 'weight', 1)),
    'covers', (SELECT jsonb_agg(jsonb_build_object('beneficiaryId', 'c-' || i, 'serviceId', 'lunch')) FROM generate_series(1, 10000) AS i))`

/** Migration 27's index and the query the adapter sent with it (before migration 37). */
const BEFORE_37_INDEX_SQL = `CREATE INDEX IF NOT EXISTS bench_billing_rule_beneficiaries ON ecole_records
  USING gin (jsonb_path_query_array(body, '$.covers[*].beneficiaryId')) WITH (fastupdate = off) WHERE kind = 'directory:billingRule'`
const BEFORE_37_SQL = `SELECT DISTINCT ON (r.id) r.body FROM unnest($2::text[]) AS b(id)
  CROSS JOIN LATERAL (SELECT id, body FROM ecole_records WHERE site_id = $1 AND kind = 'directory:billingRule'
    AND jsonb_path_query_array(body, '$.covers[*].beneficiaryId') ? b.id) r
  ORDER BY r.id`

type Query = (sql: string, params: unknown[]) => Promise<unknown[]>

async function everyRuleOf(storage: PostgresStorage, siteId: string, childIds: ReadonlySet<string>): Promise<BillingRule[]> {
  const out: BillingRule[] = []
  let after: string | undefined
  do {
    const page = await storage.directory!.listDirectoryRecords(siteId, 'billingRule', { limit: 1000, ...(after ? { after } : {}) })
    for (const r of page.items) if (r.covers.some((c) => childIds.has(c.beneficiaryId)) && billingRuleMatches(r, {})) out.push(r)
    after = page.next
  } while (after)
  return out
}

const child = (seq: number) => `c-${1 + ((seq * 7919) % CHILDREN)}`
const slice = (seq: number) => Array.from({ length: 1000 }, (_, k) => child(seq * 1000 + k))

function line(what: string, r: Rate): string {
  return `${what}: ${r.ops} reads in ${r.seconds.toFixed(1)} s, ${((r.seconds * 1000) / Math.max(1, r.ops)).toFixed(2)} ms each${cpuPerOp(r)}`
}

async function measure(storage: PostgresStorage, query: Query, siteId: string, neighbourId: string, where: string, cpu?: CpuMeter): Promise<void> {
  const one = (_c: number, seq: number) => storage.directory!.listBillingRulesOf(siteId, [child(seq)]).then((rs) => (rs.length > 0 ? 1 : 0))
  const oneBaseline = (_c: number, seq: number) => everyRuleOf(storage, siteId, new Set([child(seq)])).then((rs) => (rs.length > 0 ? 1 : 0))
  const [a, b] = await interleaved(8000, 4, 1, one, oneBaseline, cpu)
  const many = (site: string) => (_c: number, seq: number) => storage.directory!.listBillingRulesOf(site, slice(seq)).then((rs) => (rs.length >= 1000 ? 1 : 0))
  const manyBaseline = (_c: number, seq: number) => everyRuleOf(storage, siteId, new Set(slice(seq))).then((rs) => (rs.length >= 1000 ? 1 : 0))
  const [c, d] = await interleaved(8000, 4, 1, many(siteId), manyBaseline, cpu)
  const before = (site: string) => (_c: number, seq: number) => query(BEFORE_37_SQL, [site, slice(seq)]).then((rs) => (rs.length >= 1000 ? 1 : 0))
  const [e, f] = await interleaved(8000, 4, 1, many(siteId), before(siteId), cpu)
  const [g, h] = await interleaved(8000, 4, 1, many(neighbourId), before(neighbourId), cpu)
  console.log(
    [
      `[ecole] billing rules of some children, ${CHILDREN.toLocaleString('en-US')} children (${(CHILDREN * 1.1).toLocaleString('en-US')} rules) on each of two sites numbering them alike, ${where}, ${machineLoad()}:`,
      `  ${line("one child's rules, listBillingRulesOf (GIN index by site and beneficiary)", a)}`,
      `  ${line("baseline: the site's rules paged and filtered", b)}`,
      `  ${line("1,000 children's rules, listBillingRulesOf", c)}`,
      `  ${line("baseline: the site's rules paged and filtered for 1,000 children", d)}`,
      `  ${line("1,000 children's rules, listBillingRulesOf", e)}`,
      `  ${line("before migration 37: the same through the index of beneficiary ids alone", f)}`,
      `  ${line("the neighbour's (one rule covers 10,000 children), listBillingRulesOf", g)}`,
      `  ${line("before migration 37: the neighbour's through the index of beneficiary ids alone", h)}`,
    ].join('\n'),
  )
}

/** The two sites' rules, written by SQL and analysed, with migration 27's index beside migration 37's. */
async function writeRules(query: Query, siteId: string, neighbourId: string): Promise<void> {
  const t = performance.now()
  await query(RULES_SQL, [siteId])
  await query(RULES_SQL, [neighbourId])
  await query(CITY_RULE_SQL, [neighbourId])
  await query(BEFORE_37_INDEX_SQL, [])
  await query('ANALYZE ecole_records', [])
  console.log(`[ecole] billing rules bench: ${CHILDREN} children's rules on each of two sites written, indexed and analysed in ${((performance.now() - t) / 1000).toFixed(1)} s`)
}

async function measureServer(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 2 })
  const storage = await createPostgresStorage({ connectionString: url, poolSize: 2 })
  const query: Query = async (sql, params) => (await pool.query(sql, params)).rows
  const siteId = benchSiteId('rules-of')
  const neighbourId = benchSiteId('rules-of-neighbour')
  try {
    await writeRules(query, siteId, neighbourId)
    await measure(storage, query, siteId, neighbourId, 'a PostgreSQL server', processAndServerCpu(pool))
  } finally {
    await pool.query(`DELETE FROM ecole_records WHERE site_id = ANY($1::text[])`, [[siteId, neighbourId]])
    await pool.query('DROP INDEX IF EXISTS bench_billing_rule_beneficiaries')
    await storage.close()
    await pool.end()
  }
}

async function measurePglite(): Promise<void> {
  const db = await PGlite.create()
  const storage = await createPostgresStorage({ pglite: db })
  const query: Query = async (sql, params) => (await db.query(sql, params)).rows
  const siteId = benchSiteId('rules-of')
  const neighbourId = benchSiteId('rules-of-neighbour')
  try {
    await writeRules(query, siteId, neighbourId)
    await measure(storage, query, siteId, neighbourId, 'PGlite (embedded PostgreSQL, in memory)')
  } finally {
    await storage.close()
    await db.close()
  }
}

const url = benchServerUrl('billing-rules-of.bench.ts')

// Measured inside one-iteration benches (see invoice-validation.bench.ts): the figures are the printed lines.
const once = { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 }

describe.skipIf(!url)('billing rules of some children on a PostgreSQL server', () => {
  bench(`measure and print: one child's rules and 1,000 children's among ${CHILDREN.toLocaleString('en-US')}`, firstCallOnly(() => measureServer(url!)), once)
})

describe('billing rules of some children on PGlite', () => {
  bench(`measure and print: one child's rules and 1,000 children's among ${CHILDREN.toLocaleString('en-US')}`, firstCallOnly(() => measurePglite()), once)
})
