/**
 * @internal Which statements of the adapter are single-site: each names one `site_id` (bound
 * to one text parameter) in its filter or its inserted rows, or calls a ledger function whose
 * first argument is the site. The few statements that are not are listed, with why, in
 * {@link SINGLE_SITE_EXCEPTIONS}.
 */
import type { RecordedStatement } from './sql-recorder'

/** A statement shape that is not single-site, and why that is right. */
export interface SingleSiteException {
  pattern: RegExp
  why: string
}

/** The statements allowed not to name one site, each with its reason. */
export const SINGLE_SITE_EXCEPTIONS: readonly SingleSiteException[] = [
  { pattern: /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|ANALYZE)\b/i, why: 'transaction control and statistics: no table rows' },
  { pattern: /^SELECT pg_advisory_xact_lock\(hashtextextended\('ecole_documents_quota:' \|\| \$1, 0\)\)$/, why: "the documents' quota lock of one site (lockDocumentQuota): keyed by the site id, it reads no table row; on Citus it is taken on the coordinator (docs/scaling.md)" },
]

/** A statement's text with whitespace collapsed (the key statements are grouped by). */
export function normaliseSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim()
}

/** The verdict on one distinct statement. */
export interface SingleSiteVerdict {
  sql: string
  count: number
  verdict: 'site' | 'exception' | 'violation'
  why: string
}

/**
 * Classifies the recorded statements: `site` when the statement filters or writes one site
 * (`site_id = $n` or `site_id` first in an insert, or a ledger function called with the site
 * first) and every execution bound that parameter to one text value; `exception` when it matches
 * {@link SINGLE_SITE_EXCEPTIONS}; `violation` otherwise.
 */
export function classifyStatements(log: readonly RecordedStatement[]): SingleSiteVerdict[] {
  const groups = new Map<string, RecordedStatement[]>()
  for (const s of log) {
    const k = normaliseSql(s.sql)
    const list = groups.get(k)
    if (list) list.push(s)
    else groups.set(k, [s])
  }
  const out: SingleSiteVerdict[] = []
  for (const [sql, runs] of groups) {
    const exception = SINGLE_SITE_EXCEPTIONS.find((e) => e.pattern.test(sql))
    if (exception) {
      out.push({ sql, count: runs.length, verdict: 'exception', why: exception.why })
      continue
    }
    if (/^COPY ecole_\w+ \(site_id,/i.test(sql)) {
      // COPY rows carry their site in the first column: each run's rows, one site
      const sitesOf = (r: RecordedStatement) => new Set((r.copyData ?? '').split('\n').filter((line) => line !== '').map((line) => line.split('\t')[0]))
      const bad = runs.find((r) => {
        const sites = sitesOf(r)
        return r.copyData === undefined || sites.size !== 1 || sites.has('') || sites.has('\\N')
      })
      out.push(bad === undefined
        ? { sql, count: runs.length, verdict: 'site', why: 'COPY rows with one site_id each run (the first column)' }
        : { sql, count: runs.length, verdict: 'violation', why: bad.copyData === undefined ? 'COPY rows not seen' : `COPY rows of sites ${JSON.stringify([...sitesOf(bad)])}` })
      continue
    }
    const param = siteParameter(sql)
    if (param === undefined) {
      out.push({ sql, count: runs.length, verdict: 'violation', why: 'names no site_id bound to a parameter' })
      continue
    }
    const bad = runs.find((r) => typeof r.params[param - 1] !== 'string' || (r.params[param - 1] as string).length === 0)
    out.push(bad
      ? { sql, count: runs.length, verdict: 'violation', why: `site parameter $${param} bound to ${JSON.stringify(bad.params[param - 1])}, not one site id` }
      : { sql, count: runs.length, verdict: 'site', why: `site_id = $${param}` })
  }
  return out
}

/** The parameter number that holds the site, if the statement is scoped to one. */
function siteParameter(sql: string): number | undefined {
  // a ledger function called with the site first
  const fn = /\becole_[a-z_]+\(\s*\$(\d+)/i.exec(sql)
  if (fn && /^\s*SELECT\b/i.test(sql)) return Number(fn[1])
  const where = /\bsite_id\s*=\s*\$(\d+)/i.exec(sql)
  if (where) return Number(where[1])
  // INSERT INTO t [AS x] (site_id, ...) VALUES ($1, ...) or SELECT $1, ... (the site is the first column),
  // at the start or in a common table expression
  const insert = /\bINSERT INTO \w+(?:\s+AS\s+\w+)?\s*\(\s*site_id\b[^)]*\)\s*(?:VALUES\s*\(\s*\$(\d+)|SELECT\s+\$(\d+))/i.exec(sql)
  if (insert) return Number(insert[1] ?? insert[2])
  return undefined
}
