/**
 * How `createInvoiceBatch` finds the days of a batch already billed to another payer, on a site
 * whose history holds 100,000 invoices (400,000 billed charges): by day through the store
 * (`invoicing.billedChargeIdsByDay`, migration 40's index on (site, day)) against the baseline
 * measured in the same run, the scan it did before and still does for a store without that method
 * (every invoice and draft of the site read, 1,000 a page, lines kept when they bill a child and
 * service charged over the batch's dates). The batch: 1,000 children x 20 days of dad's charges,
 * the days billed to mum in the history. Both answers are checked equal. PGlite holds 20,000
 * invoices (one connection, WASM), to keep the file near a minute.
 */
import { PGlite } from '@electric-sql/pglite'
import type { Invoice } from '@ecole/core'
import { chargeDayKey } from '@ecole/core/ports'
import { bench, describe } from 'vitest'
import { createPostgresStorage, type PostgresStorage } from '../src/index'
import { benchServerUrl, benchSiteId, firstCallOnly, machineLoad } from './bench-support'

const INVOICES = 100_000
const PGLITE_INVOICES = 20_000
const CHILDREN_CHARGED = 1_000
const DAYS_CHARGED = 20

const dateOf = (day: number): string => new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10)

/** Invoice `i` of the history: mum of child `i % 5000` billed 4 days of canteen, month `i / 5000`. */
function invoice(siteId: string, i: number): Invoice {
  const child = i % 5000
  const first = Math.floor(i / 5000) * 5
  const dates = [0, 1, 2, 3].map((d) => dateOf(first + d))
  const id = `h:${String(i).padStart(6, '0')}`
  return {
    id, siteId, billingOfficeId: 'regie', batchId: `h-${Math.floor(i / 5000)}`, debtorId: `mum-${child}`, jointDebtorIds: [], status: 'draft', number: null, sequence: null, issueDate: null,
    periodFrom: dates[0]!, periodTo: dates[3]!, dueDate: '2027-01-20', directDebitDate: null, portalDisplayDate: '2027-01-05', comment: null, currency: 'EUR',
    lines: [{ id: `${id}:1`, beneficiaryId: `c-${child}`, serviceId: 'cantine', unitPriceMinor: 415n, quantity: 4, amountMinor: 1660n, chargeIds: dates.map((d) => `mum-${child}|c-${child}|cantine|service|${d}`), dates, from: dates[0]!, to: dates[3]! }],
    adjustments: [], linesTotalMinor: 1660n, adjustmentsTotalMinor: 0n, totalMinor: 1660n, previousBalanceMinor: 0n, instalments: [], paymentReference: null,
  } as Invoice
}

/** The charges of dad's batch: children 0..999, the first 20 days (billed to mum in the history). */
const charges = Array.from({ length: CHILDREN_CHARGED }, (_, c) => Array.from({ length: DAYS_CHARGED }, (_, d) => ({ chargeId: `dad-${c}|c-${c}|cantine|service|${dateOf(d)}`, beneficiaryId: `c-${c}`, serviceId: 'cantine', date: dateOf(d) }))).flat()

/** The scan: the site's invoices a page at a time, the ids of the lines on a child and service charged over the dates charged. */
async function byScan(storage: PostgresStorage, siteId: string): Promise<Set<string>> {
  const ranges = new Map<string, { from: string; to: string }>()
  for (const c of charges) {
    const key = `${c.beneficiaryId}\u0000${c.serviceId}`
    const r = ranges.get(key)
    if (r === undefined) ranges.set(key, { from: c.date, to: c.date })
    else if (c.date < r.from) r.from = c.date
    else if (c.date > r.to) r.to = c.date
  }
  const billed = new Set<string>()
  let after: string | undefined
  do {
    const page = await storage.invoicing!.listInvoices(siteId, {}, { limit: 1000, ...(after === undefined ? {} : { after }) })
    for (const inv of page.items) {
      for (const line of inv.lines) {
        const r = ranges.get(`${line.beneficiaryId}\u0000${line.serviceId}`)
        if (r === undefined || line.to < r.from || line.from > r.to) continue
        for (const id of line.chargeIds) billed.add(id)
      }
    }
    after = page.next
  } while (after !== undefined)
  return billed
}

/** By day: the days of the charges asked once. */
async function byDay(storage: PostgresStorage, siteId: string): Promise<Set<string>> {
  const days = [...new Set(charges.map((c) => chargeDayKey(c.chargeId)!))]
  const billed = new Set<string>()
  for (const ids of (await storage.invoicing!.billedChargeIdsByDay!(siteId, days)).values()) for (const id of ids) billed.add(id)
  return billed
}

async function seconds<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now()
  const out = await fn()
  return [(performance.now() - t) / 1000, out]
}

async function measure(storage: PostgresStorage, where: string, count: number): Promise<void> {
  const siteId = benchSiteId('billed-days')
  const [stored] = await seconds(async () => {
    for (let start = 0; start < count; start += 2000) await storage.invoicing!.createDrafts(siteId, Array.from({ length: Math.min(2000, count - start) }, (_, k) => invoice(siteId, start + k)))
  })
  // the days of the batch that the history bills (to mum): what both must find
  const [scanS, scanned] = await seconds(() => byScan(storage, siteId))
  const [dayS, found] = await seconds(() => byDay(storage, siteId))
  const daysOf = (ids: Set<string>) => new Set([...ids].map((id) => chargeDayKey(id)).filter((d) => d !== undefined && charges.some((c) => chargeDayKey(c.chargeId) === d)))
  const wanted = [...daysOf(scanned)].sort()
  const got = [...new Set([...found].map((id) => chargeDayKey(id)!))].sort()
  if (wanted.join() !== got.join()) throw new Error(`by day found ${got.length} billed days, the scan ${wanted.length}`)
  console.log([
    `[ecole] days billed to another payer, a batch of ${charges.length.toLocaleString('en-US')} charges (${CHILDREN_CHARGED.toLocaleString('en-US')} children x ${DAYS_CHARGED} days) on a site of ${count.toLocaleString('en-US')} invoices (${(count * 4).toLocaleString('en-US')} charges), ${where} (${machineLoad()}):`,
    `  storing the history (createDrafts, 2,000 per call): ${stored.toFixed(1)} s`,
    `  baseline, reading the site's invoices (1,000 a page): ${scanS.toFixed(2)} s`,
    `  by day (billedChargeIdsByDay, ${got.length.toLocaleString('en-US')} days billed found): ${dayS.toFixed(3)} s, ${(scanS / dayS).toFixed(0)}x faster`,
  ].join('\n'))
}

const url = benchServerUrl('billed-days.bench.ts')
const once = { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 }

describe.skipIf(!url)('days billed to another payer on a PostgreSQL server', () => {
  bench(`measure and print: by day against the scan of ${INVOICES.toLocaleString('en-US')} invoices`, firstCallOnly(async () => {
    const storage = await createPostgresStorage({ connectionString: url!, poolSize: 2 })
    try {
      await measure(storage, 'a PostgreSQL server', INVOICES)
    } finally {
      await storage.close()
    }
  }), once)
})

describe('days billed to another payer on PGlite', () => {
  bench(`measure and print: by day against the scan of ${PGLITE_INVOICES.toLocaleString('en-US')} invoices`, firstCallOnly(async () => {
    const db = await PGlite.create()
    const storage = await createPostgresStorage({ pglite: db })
    try {
      await measure(storage, 'PGlite (embedded PostgreSQL, in memory)', PGLITE_INVOICES)
    } finally {
      await storage.close()
      await db.close()
    }
  }), once)
})
