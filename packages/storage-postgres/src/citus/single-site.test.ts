import { describe, expect, it } from 'vitest'
import { classifyStatements } from './single-site'

const verdict = (sql: string, params: unknown[] = ['site-a']) => classifyStatements([{ sql, params, via: 'query' }])[0]!.verdict

describe('the single-site classification of recorded statements', () => {
  it('accepts a statement that filters on site_id bound to one site', () => {
    expect(verdict('SELECT body FROM ecole_invoices WHERE site_id = $1 AND id = $2', ['site-a', 'i1'])).toBe('site')
    expect(verdict('UPDATE ecole_outbox o SET attempts = 1 FROM due WHERE o.site_id = $2 AND o.id = due.id', [1, 'site-a'])).toBe('site')
  })

  it('accepts an insert whose rows carry the site first, at the start or in a common table expression, and a ledger function called with the site', () => {
    expect(verdict('INSERT INTO ecole_invoice_number_counters AS c (site_id, series_key) VALUES ($1, $2)')).toBe('site')
    expect(verdict('WITH ins AS (INSERT INTO ecole_outbox (site_id, id) SELECT $1, id FROM input) SELECT 1')).toBe('site')
    expect(verdict('SELECT * FROM ecole_ledger_write($1, $2, $3)')).toBe('site')
  })

  it('accepts a COPY whose rows each run carry one site first, and flags one with rows of two sites, or rows it did not see', () => {
    const copy = 'COPY ecole_ledger_transfers (site_id, id, amount) FROM \'/dev/blob\''
    const run = (copyData?: string) => ({ sql: copy, params: [], via: 'query' as const, ...(copyData === undefined ? {} : { copyData }) })
    expect(classifyStatements([run('site-a\tt1\t5\nsite-a\tt2\t6\n'), run('site-b\tt3\t5\n')])[0]!.verdict).toBe('site')
    expect(classifyStatements([run('site-a\tt1\t5\nsite-b\tt2\t6\n')])[0]!.verdict).toBe('violation')
    expect(classifyStatements([run('\\N\tt1\t5\n')])[0]!.verdict).toBe('violation')
    expect(classifyStatements([run()])[0]!.verdict).toBe('violation')
  })

  it('flags a statement that names no site, and one whose site parameter is not one site id', () => {
    expect(verdict('SELECT body FROM ecole_invoices WHERE id = $1')).toBe('violation')
    expect(verdict('SELECT count(*) FROM ecole_bookings')).toBe('violation')
    expect(verdict('SELECT body FROM ecole_invoices WHERE site_id = $1', [['site-a', 'site-b']])).toBe('violation')
    expect(verdict('SELECT body FROM ecole_invoices WHERE site_id = $1', [null])).toBe('violation')
    expect(verdict('DELETE FROM ecole_invoices WHERE site_id = ANY($1)', [['site-a']])).toBe('violation')
  })

  it('lets transaction control through as a listed exception, and groups runs of the same statement', () => {
    expect(verdict('SAVEPOINT ecole_step')).toBe('exception')
    const grouped = classifyStatements([
      { sql: 'SELECT 1 FROM ecole_bookings WHERE site_id = $1', params: ['a'], via: 'query' },
      { sql: 'SELECT 1 FROM  ecole_bookings\n WHERE site_id = $1', params: [''], via: 'query' },
    ])
    expect(grouped).toHaveLength(1)
    expect(grouped[0]).toMatchObject({ count: 2, verdict: 'violation' })
  })
})
