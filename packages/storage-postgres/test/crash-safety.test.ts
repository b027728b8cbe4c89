import { randomUUID } from 'node:crypto'
import type { Invoice } from '@ecole/core'
import type { ImportedBankEntry } from '@ecole/core/ports'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresStorage, type PostgresStorage } from '../src/index'
import { runChild, type ChildRun } from './crash-child-runner'
import {
  CRASH_BANK_ACCOUNT, CRASH_BATCH, CRASH_OFFICE, CRASH_SERIES, CRASH_WALLETS, crashAccounts, crashDraft, crashDraftId, crashStatementEntry, crashWalletId,
} from './crash-fixtures'

// Crash safety needs a real server: a SIGKILLed client must leave the server to roll back its open
// transaction, and commits must be durable (fsync and synchronous_commit on). CI must run it.
const url = process.env['ECOLE_PG_URL']
if (!url && process.env['CI']) {
  describe('crash safety on a PostgreSQL server', () => {
    it('runs in CI, where ECOLE_PG_URL must name a server', () => {
      expect.fail('[ecole] CI is set but ECOLE_PG_URL is not: the crash-safety tests on a PostgreSQL server must run in CI')
    })
  })
} else if (!url) {
  console.log('[ecole] ECOLE_PG_URL is not set: the crash-safety tests on a PostgreSQL server are skipped (set it to postgresql://user@host:5432/db to run them)')
}

const DRAFTS = 2000
const ENTRIES = 2000
const PER_TX = 5

async function readAll<T>(fetch: (after: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>): Promise<T[]> {
  const all: T[] = []
  let after: string | undefined
  do {
    const page = await fetch(after)
    all.push(...page.items)
    after = page.next
  } while (after !== undefined)
  return all
}

/** The running total of acknowledged commits at each kill, e.g. `75, 375, 975`. */
function cumulative(runs: readonly ChildRun[]): string {
  let n = 0
  return runs.map((r) => (n += (r.committed as unknown[][]).reduce((s, c) => s + c.length, 0))).join(', ')
}

function duplicatesOf(values: readonly string[]): string[] {
  const seen = new Set<string>()
  return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)))
}

describe.skipIf(!url)('crash safety on a PostgreSQL server', () => {
  const serverUrl = url!
  let storage: PostgresStorage
  let sql: pg.Client

  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: serverUrl, poolSize: 2 })
    sql = new pg.Client({ connectionString: serverUrl })
    await sql.connect()
    const settings = await sql.query<{ fsync: string; synchronous_commit: string }>("SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit")
    console.log(`[ecole] crash tests on ${serverUrl.replace(/\/\/[^@]*@/, '//')}: fsync=${settings.rows[0]!.fsync} synchronous_commit=${settings.rows[0]!.synchronous_commit}`)
  })

  afterAll(async () => {
    await sql?.end()
    await storage?.close()
  })

  it('keeps invoice numbers 1..n without gap or duplicate when validation is killed mid-batch and resumed', async () => {
    const siteId = `crash-validate-${randomUUID()}`
    for (let start = 0; start < DRAFTS; start += 500) {
      await storage.invoicing!.createDrafts(siteId, Array.from({ length: Math.min(500, DRAFTS - start) }, (_, k) => crashDraft(siteId, start + k)))
    }
    const runs: ChildRun[] = []
    const child = (killAfter?: number) =>
      runChild({ mode: 'validate', url: serverUrl, appName: `ecole-crash-${runs.length}-${siteId.slice(-8)}`, siteId, args: [String(PER_TX)], killAfter })
    // Three kills at different points, then a run to completion, then a run that finds nothing left.
    for (const killAfter of [15, 60, 120, undefined, undefined]) runs.push(await child(killAfter))

    const killed = runs.slice(0, 3)
    for (const run of killed) expect(run.killed && run.code === null && run.done === undefined, `a killed child: ${run.stderr}`).toBe(true)
    expect(killed.map((r) => r.killedInTransaction), 'each kill hit an open transaction').toEqual([true, true, true])
    expect(runs[3]!.code, runs[3]!.stderr).toBe(0)
    expect(runs[4]).toMatchObject({ code: 0, done: { validated: 0 }, committed: [] })
    console.log(
      `[ecole] validation: killed after ${cumulative(killed)} invoices acknowledged ` +
        `(transaction open at the kill: ${killed.map((r) => r.killedInTransaction).join(', ')}), resumed to completion`,
    )

    // What the children reported as committed, over all runs: each draft at most once...
    const reported = runs.flatMap((r) => r.committed as Array<Array<[string, number]>>).flat()
    expect(duplicatesOf(reported.map(([id]) => id))).toEqual([])
    // ...and each acknowledged commit survived the kills with the number it was given.
    const invoices = await readAll((after) => storage.invoicing!.listInvoices(siteId, { batchId: CRASH_BATCH }, { limit: 1000, ...(after ? { after } : {}) }))
    const byId = new Map<string, Invoice>(invoices.map((i) => [i.id, i]))
    for (const [id, sequence] of reported) expect(byId.get(id)?.sequence, id).toBe(sequence)

    // Every draft validated exactly once: numbers 1..n in id order (the order the worker takes
    // them), no gap, no duplicate, and the counter row at n (no number lost to a killed transaction).
    expect(invoices).toHaveLength(DRAFTS)
    for (let i = 0; i < DRAFTS; i++) {
      const inv = byId.get(crashDraftId(i))
      expect(inv, crashDraftId(i)).toMatchObject({ status: 'validated', sequence: i + 1, number: `F2027-${String(i + 1).padStart(6, '0')}`, issueDate: '2027-01-04' })
    }
    expect(await storage.invoiceNumbers!.lastNumber(siteId, CRASH_SERIES)).toBe(DRAFTS)
    const counts = await sql.query<{ numbers: string; distinct_numbers: string; charges: string }>(
      `SELECT count(number) AS numbers, count(DISTINCT number) AS distinct_numbers,
              (SELECT count(*) FROM ecole_invoice_charges WHERE site_id = $1) AS charges
       FROM ecole_invoices WHERE site_id = $1 AND billing_office_id = $2`,
      [siteId, CRASH_OFFICE],
    )
    expect(counts.rows[0]).toEqual({ numbers: String(DRAFTS), distinct_numbers: String(DRAFTS), charges: String(DRAFTS) })
  }, 180_000)

  it('credits each bank entry once when an import is killed mid-statement and the statement imported again', async () => {
    const siteId = `crash-import-${randomUUID()}`
    const opened = await storage.ledger!.createAccounts(siteId, crashAccounts())
    expect(opened.every((r) => r.status === 'created')).toBe(true)
    const runs: ChildRun[] = []
    const child = (killAfter?: number) =>
      runChild({ mode: 'import', url: serverUrl, appName: `ecole-crash-${runs.length}-${siteId.slice(-8)}`, siteId, args: [String(ENTRIES), String(PER_TX)], killAfter })
    // Killed three times; each restart imports the same statement from its first entry.
    for (const killAfter of [15, 150, 300, undefined, undefined]) runs.push(await child(killAfter))

    const killed = runs.slice(0, 3)
    for (const run of killed) expect(run.killed && run.code === null && run.done === undefined, `a killed child: ${run.stderr}`).toBe(true)
    expect(killed.map((r) => r.killedInTransaction), 'each kill hit an open transaction').toEqual([true, true, true])
    expect(runs[3]!.code, runs[3]!.stderr).toBe(0)
    // Importing the whole statement again after completion changes nothing.
    expect(runs[4]).toMatchObject({ code: 0, done: { imported: 0, duplicates: ENTRIES } })
    const reported = runs.flatMap((r) => r.committed as string[][]).flat()
    expect(duplicatesOf(reported)).toEqual([])
    console.log(
      `[ecole] bank import: killed after ${cumulative(killed)} entries acknowledged ` +
        `(transaction open at the kill: ${killed.map((r) => r.killedInTransaction).join(', ')}); imported ${reported.length} acknowledged + ` +
        `${ENTRIES - reported.length} committed unacknowledged; re-import: ${JSON.stringify(runs[4]!.done)}`,
    )

    // The oracle: the statement's own sums, per wallet and overall.
    const expected = new Map<string, bigint>()
    let total = 0n
    for (let i = 0; i < ENTRIES; i++) {
      const e = crashStatementEntry(i)
      expected.set(crashWalletId(e.wallet), (expected.get(crashWalletId(e.wallet)) ?? 0n) + e.amountMinor)
      total += e.amountMinor
    }
    const walletIds = Array.from({ length: CRASH_WALLETS }, (_, w) => crashWalletId(w))
    const balances = await storage.ledger!.getBalances(siteId, [CRASH_BANK_ACCOUNT, ...walletIds])
    expect(balances[0]).toMatchObject({ accountId: CRASH_BANK_ACCOUNT, debitsPosted: total, creditsPosted: 0n, debitsPending: 0n })
    for (const b of balances.slice(1)) expect({ id: b.accountId, credits: b.creditsPosted, debits: b.debitsPosted }).toEqual({ id: b.accountId, credits: expected.get(b.accountId), debits: 0n })

    // One entry and one transfer per statement line, none twice.
    const entries = await readAll<ImportedBankEntry>((after) => storage.bankImports!.listBankEntries(siteId, {}, { limit: 1000, ...(after ? { after } : {}) }))
    expect(entries.map((e) => e.entryReference)).toEqual(Array.from({ length: ENTRIES }, (_, i) => crashStatementEntry(i).reference))
    const transfers = await readAll((after) => storage.ledger!.listTransfers(siteId, { accountId: CRASH_BANK_ACCOUNT }, { limit: 1000, ...(after ? { after } : {}) }))
    expect(transfers).toHaveLength(ENTRIES)
    expect(duplicatesOf(transfers.map((t) => t.transfer.links?.bankEntryRef ?? ''))).toEqual([])
    let sum = 0n
    for (const t of transfers) sum += t.transfer.amount
    expect(sum).toBe(total)
  }, 180_000)
})
