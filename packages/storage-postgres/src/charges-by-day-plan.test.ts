import { chargeDayKey } from '@ecole/core/ports'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { BILLED_BY_DAY_SQL, storedDayKey } from './invoice-store'
import { createPostgresStorage } from './postgres-storage'

/**
 * 100,000 billed charges of a site (1,000 children, 100 days) and 20,000 of another site sharing
 * its ids: the days of a school's batch (200 days) are looked up through
 * `ecole_invoice_charges_by_day`, not by reading the charges or the invoices of the site. (For a
 * batch that asks a large part of the history's days the planner may rather read the narrow
 * charge table once, hashing the days asked: still no invoice is read.)
 */
async function fill(query: (sql: string) => Promise<unknown>): Promise<void> {
  await query(`INSERT INTO ecole_invoices (site_id, id, batch_id, payer_id, billing_office_id, status, number, due_date, body)
    SELECT s, 'i-' || i, 'b', 'g-' || i, 'regie', 'draft', NULL, DATE '2026-10-15', '{}'::jsonb
    FROM (VALUES ('s1'), ('s2')) AS v(s), generate_series(1, 5000) AS i`)
  // g-<n> pays for c-<n> on 100 days from 2026-01-01: 'g-7|c-7|cantine|service|2026-01-01'..
  await query(`INSERT INTO ecole_invoice_charges (site_id, charge_id, invoice_id, day_key)
    SELECT s, 'g-' || (i % 1000) || '|c-' || (i % 1000) || '|cantine|service|' || to_char(DATE '2026-01-01' + i / 1000, 'YYYY-MM-DD'), 'i-' || (i % 5000 + 1),
      'c-' || (i % 1000) || '|cantine|service|' || to_char(DATE '2026-01-01' + i / 1000, 'YYYY-MM-DD')
    FROM (VALUES ('s1', 100000), ('s2', 20000)) AS v(s, n), generate_series(0, n - 1) AS i`)
  await query('ANALYZE ecole_invoice_charges')
}

/** The days of dad's batch: 20 children, 10 days each (another payer than the stored one). */
const days = Array.from({ length: 20 }, (_, c) => Array.from({ length: 10 }, (_, d) => `dad|c-${c}|cantine|service|${new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10)}`)).flat()
const keys = days.map((id) => storedDayKey(chargeDayKey(id)!)!)

describe('billed charges by day on a site of 100,000 billed charges', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it('reads the days asked through ecole_invoice_charges_by_day alone (PGlite) and answers the charges of each', async () => {
    const storage = await createPostgresStorage({ pglite })
    await fill((sql) => pglite.query(sql))
    const plan = (await pglite.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${BILLED_BY_DAY_SQL}`, ['s1', keys])).rows.map((r) => r['QUERY PLAN']).join('\n')
    expect(plan).toContain('ecole_invoice_charges_by_day')
    expect(plan).not.toMatch(/Seq Scan/)
    const found = await storage.invoicing!.billedChargeIdsByDay!('s1', days.map((id) => chargeDayKey(id)!))
    expect(found.size).toBe(200)
    expect(found.get(chargeDayKey('dad|c-7|cantine|service|2026-01-03')!)).toEqual(['g-7|c-7|cantine|service|2026-01-03'])
    await storage.close()
  }, 120_000)

  const url = process.env['ECOLE_PG_URL']
  it.skipIf(url === undefined)('reads them through the same index on a PostgreSQL server (ECOLE_PG_URL)', async () => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const schema = `charges_by_day_${process.pid}`
    try {
      await client.query(`CREATE SCHEMA ${schema}`)
      await client.query(`SET search_path TO ${schema}`)
      const storage = await createPostgresStorage({ connectionString: `${url}${url!.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}` })
      await fill((sql) => client.query(sql))
      const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${BILLED_BY_DAY_SQL}`, ['s1', keys])).rows.map((r) => r['QUERY PLAN']).join('\n')
      expect(plan).toContain('ecole_invoice_charges_by_day')
      expect(plan).not.toMatch(/Seq Scan/)
      expect((await storage.invoicing!.billedChargeIdsByDay!('s1', days.map((id) => chargeDayKey(id)!))).size).toBe(200)
      await storage.close()
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
    }
  }, 120_000)
})
