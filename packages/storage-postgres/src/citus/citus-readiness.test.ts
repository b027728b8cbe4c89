/**
 * Citus readiness, read from the catalogue after the migrations (on PGlite, which every run has):
 * the distribution column `site_id` is in every key, shared tables can be reference tables, and
 * every feature Citus restricts is listed in docs/scaling.md with its workaround (the table there
 * is checked against the catalogue and the source, so it cannot drift).
 */
import { PGlite } from '@electric-sql/pglite'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresStorage, type PostgresStorage } from '../postgres-storage'

const here = dirname(fileURLToPath(import.meta.url))
const srcDir = join(here, '..')
const scalingDoc = readFileSync(join(here, '../../../../docs/scaling.md'), 'utf8')

let db: PGlite
let storage: PostgresStorage
const q = async <T>(sql: string): Promise<T[]> => (await db.query<T>(sql)).rows

beforeAll(async () => {
  db = await PGlite.create()
  storage = await createPostgresStorage({ pglite: db })
})
afterAll(async () => {
  await storage.close()
  await db.close()
})

interface TableRow { name: string; site: boolean; siteNotNull: boolean }
const tables = () => q<TableRow>(`
  SELECT c.relname AS name,
         EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'site_id' AND NOT a.attisdropped) AS site,
         EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'site_id' AND a.attnotnull) AS "siteNotNull"
    FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1`)

/** A feature Citus restricts, where the schema or the adapter uses it. */
interface Feature { feature: string; object: string }

/** The restricted features found in the catalogue and in the adapter's source. */
async function findFeatures(): Promise<Feature[]> {
  const found: Feature[] = []
  for (const t of await q<{ name: string; rel: string }>(`SELECT tgname AS name, tgrelid::regclass::text AS rel FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`)) {
    found.push({ feature: 'trigger', object: `${t.name} on ${t.rel}` })
  }
  for (const s of await q<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE relkind = 'S' AND relnamespace = current_schema()::regnamespace ORDER BY 1`)) {
    found.push({ feature: 'sequence', object: s.name })
  }
  for (const f of await q<{ name: string }>(`SELECT p.proname AS name FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace AND p.prorettype <> 'trigger'::regtype ORDER BY 1`)) {
    found.push({ feature: 'function', object: f.name })
  }
  // statements of the adapter: advisory locks and row locks, by source file
  const files = [...readdirSync(srcDir).filter((f) => f.endsWith('.ts') && !f.includes('.test')), ...readdirSync(join(srcDir, 'migrations')).filter((f) => f.endsWith('.ts') && !f.includes('.test')).map((f) => `migrations/${f}`)]
  for (const file of files.sort()) {
    const text = readFileSync(join(srcDir, file), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')
    if (/pg_advisory/.test(text)) found.push({ feature: 'advisory lock', object: file })
    if (/FOR UPDATE SKIP LOCKED/.test(text)) found.push({ feature: 'FOR UPDATE SKIP LOCKED', object: file })
    else if (/FOR UPDATE/.test(text)) found.push({ feature: 'FOR UPDATE', object: file })
  }
  return found
}

/** The rows of the checked table in docs/scaling.md: feature, object, where, workaround. */
function documentedFeatures(): Array<Feature & { workaround: string }> {
  const block = /<!-- citus-features:start -->([\s\S]*?)<!-- citus-features:end -->/.exec(scalingDoc)
  if (!block) throw new Error('docs/scaling.md has no <!-- citus-features:start --> ... <!-- citus-features:end --> table')
  return block[1]!.split('\n').filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l)).slice(1).map((l) => {
    const cells = l.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, ''))
    return { feature: cells[0]!, object: cells[1]!, workaround: cells[3] ?? '' }
  })
}

describe('Citus readiness of the schema (after every migration)', () => {
  it('every site-scoped table has site_id NOT NULL, and every primary key, unique constraint, unique index and foreign key of it includes site_id', async () => {
    const site = new Set((await tables()).filter((t) => t.site).map((t) => t.name))
    expect(site.size).toBeGreaterThan(10)
    expect((await tables()).filter((t) => t.site && !t.siteNotNull).map((t) => t.name)).toEqual([])
    const keys = await q<{ rel: string; name: string; kind: string; cols: string[]; refcols: string[] | null; ref: string | null }>(`
      SELECT con.conrelid::regclass::text AS rel, con.conname AS name, con.contype::text AS kind,
             ARRAY(SELECT a.attname::text FROM unnest(con.conkey) k JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k) AS cols,
             CASE WHEN con.contype = 'f' THEN ARRAY(SELECT a.attname::text FROM unnest(con.confkey) k JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k) END AS refcols,
             CASE WHEN con.contype = 'f' THEN con.confrelid::regclass::text END AS ref
        FROM pg_constraint con WHERE con.connamespace = current_schema()::regnamespace AND con.contype IN ('p', 'u', 'f', 'x')
      UNION ALL
      SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, 'unique index',
             ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) k JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k), NULL, NULL
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
       WHERE c.relnamespace = current_schema()::regnamespace AND i.indisunique AND NOT EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = i.indexrelid)`)
    const violations = keys.filter((k) => site.has(k.rel)).flatMap((k) => {
      if (!k.cols.includes('site_id')) return [`${k.rel}.${k.name} (${k.kind}: ${k.cols.join(', ')}) lacks site_id`]
      // a foreign key between two site-scoped tables must match site_id to site_id (co-located join)
      if (k.kind === 'f' && site.has(k.ref!) && k.refcols![k.cols.indexOf('site_id')] !== 'site_id') return [`${k.rel}.${k.name} does not match site_id to ${k.ref}.site_id`]
      return []
    })
    expect(violations).toEqual([])
    // every site-scoped table has a primary key (Citus routes and replicates by it)
    const withPk = new Set(keys.filter((k) => k.kind === 'p').map((k) => k.rel))
    expect([...site].filter((t) => !withPk.has(t))).toEqual([])
  })

  it('the shared tables (no site_id) can be reference tables: a primary key, no foreign key to a site-scoped table, and docs/scaling.md names them', async () => {
    const all = await tables()
    const shared = all.filter((t) => !t.site).map((t) => t.name)
    const site = new Set(all.filter((t) => t.site).map((t) => t.name))
    const fks = await q<{ rel: string; ref: string }>(`SELECT conrelid::regclass::text AS rel, confrelid::regclass::text AS ref FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`)
    expect(fks.filter((f) => shared.includes(f.rel) && site.has(f.ref))).toEqual([])
    const pks = new Set((await q<{ rel: string }>(`SELECT conrelid::regclass::text AS rel FROM pg_constraint WHERE contype = 'p'`)).map((r) => r.rel))
    expect(shared.filter((t) => !pks.has(t))).toEqual([])
    for (const t of shared) expect(scalingDoc, `docs/scaling.md names the shared table ${t}`).toContain(t)
  })

  it('docs/scaling.md distributes exactly the site-scoped tables, and distributes every function that takes the site first', async () => {
    const sql = /SELECT create_distributed_table\([\s\S]*?\]\) AS t;/.exec(scalingDoc)
    expect(sql, 'the create_distributed_table block of docs/scaling.md').not.toBeNull()
    const documented = [...sql![0].matchAll(/'(ecole_\w+)'/g)].map((m) => m[1]!)
    const site = (await tables()).filter((t) => t.site).map((t) => t.name)
    expect([...new Set(documented)].sort()).toEqual(site.sort())
    const fns = await q<{ name: string; first: string | null; immutable: boolean }>(`SELECT p.proname AS name, p.proargnames[1] AS first, p.provolatile = 'i' AS immutable FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace AND p.prorettype <> 'trigger'::regtype`)
    // every function that reads or writes tables takes the site first, so it can be distributed by it;
    // an immutable function (a pure text helper, it reads no table) is only propagated to the workers
    expect(fns.filter((f) => f.first !== 'p_site' && !f.immutable).map((f) => f.name)).toEqual([])
    for (const f of fns) expect(scalingDoc, `docs/scaling.md distributes ${f.name}`).toMatch(new RegExp(`create_distributed_function\\('${f.name}\\(`))
  })

  it('every feature Citus restricts that the schema or the adapter uses is in the checked table of docs/scaling.md, with its workaround, and nothing else is', async () => {
    const found = await findFeatures()
    const documented = documentedFeatures()
    const key = (f: Feature) => `${f.feature} | ${f.object}`
    expect(documented.map(key).sort()).toEqual(found.map(key).sort())
    expect(documented.filter((d) => d.workaround.length < 20).map(key)).toEqual([])
  })
})
