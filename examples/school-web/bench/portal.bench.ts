/**
 * The portal under load (issue 17), on embedded PGlite and on the PostgreSQL server, each beside
 * Hono's hello-world measured the same way in the same run (the framework's floor on this
 * machine at that moment):
 *
 * - the invoices page of a parent with invoices (target on the server: >= 1,000 requests/s with
 *   p99 <= 50 ms on 2 cores), loaded by autocannon (10 connections), each measure right after
 *   one of hello-world (3 s), so that each page figure has the floor of its moment beside it;
 * - the "book a week" flow: 10 parents each booking the four days of a week of the prepaid snack
 *   (the wallet debited at once), then cancelling them (refunded), in a loop.
 *
 * The load generators run in their own processes (autocannon's command line, `week-client.mjs`),
 * so this process's CPU time is the server's: the figures give the server's CPU time per
 * request, which depends far less on the machine's load than the throughput does. Each
 * measure lasts `BENCH_SECONDS` (5) seconds; each bench runs `BENCH_ITERATIONS` (5) times; the table printed at the end
 * gives the median and the range. The app is composed as `npm run web` composes it (PGlite in
 * memory; `DATABASE_URL`, a pool of 20, for the server at `ECOLE_PG_URL`, whose database gets the
 * demo school once). The server part is skipped, with the reason printed, without `ECOLE_PG_URL`.
 * Alone: `ECOLE_PG_URL=postgresql://postgres@127.0.0.1:55432/<db> npx vitest bench --run --project school-web bench/portal.bench.ts`.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { writeSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { walletAccountId } from '@ecole/core'
import { Hono } from 'hono'
import { bench, describe } from 'vitest'
import { createApp } from '../src/app'
import { compose, runningClock, type AppContext } from '../src/compose'
import { seedDemoSchool, seedRaceFamilies } from '../src/seed'
import { SITE } from '../src/site-settings'

const url = process.env['ECOLE_PG_URL']
const CONNECTIONS = 10
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5)
const ITERATIONS = Number(process.env['BENCH_ITERATIONS'] ?? 5)
const WEEK = ['2027-03-01', '2027-03-02', '2027-03-04', '2027-03-05']
const AUTOCANNON = resolve(import.meta.dirname, '..', '..', '..', 'node_modules', 'autocannon', 'autocannon.js')
const WEEK_CLIENT = resolve(import.meta.dirname, 'week-client.mjs')

interface Measure { rps: number; p50: number; p99: number; errors: number; cpuMsPerRequest: number; load: number }
const figures = new Map<string, Measure[]>()
const order: Array<Measure & { name: string; index: number; floor: number | undefined }> = []
let lastFloor: number | undefined

function listen(fetch: (r: Request) => Response | Promise<Response>): Promise<{ server: ServerType; base: string }> {
  return new Promise((ok) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => ok({ server, base: `http://127.0.0.1:${info.port}` }))
  })
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((ok, fail) => execFile(process.execPath, [file, ...args], { maxBuffer: 1 << 26 }, (e, stdout) => (e ? fail(e) : ok(stdout))))
}

/** One measure: the load generator in its own process, this process's CPU time around it. */
async function measure(name: string, load: () => Promise<{ requests: number; seconds: number; p50: number; p99: number; errors: number }>): Promise<void> {
  const cpu0 = process.cpuUsage()
  const r = await load()
  const cpu = process.cpuUsage(cpu0)
  const m: Measure = { rps: r.requests / r.seconds, p50: r.p50, p99: r.p99, errors: r.errors, cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, r.requests), load: loadavg()[0]! }
  figures.set(name, [...(figures.get(name) ?? []), m])
  if (name.startsWith('Hono')) lastFloor = m.rps
  order.push({ ...m, name, index: figures.get(name)!.length, floor: name.startsWith('Hono') ? undefined : lastFloor })
}

async function autocannon(target: string, headers: Record<string, string> = {}, seconds = SECONDS): Promise<{ requests: number; seconds: number; p50: number; p99: number; errors: number }> {
  const args = ['--json', '-c', String(CONNECTIONS), '-d', String(seconds), ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), target]
  const r = JSON.parse(await run(AUTOCANNON, args)) as { requests: { total: number }; duration: number; latency: { p50: number; p99: number }; errors: number; non2xx: number; timeouts: number }
  return { requests: r.requests.total, seconds: r.duration, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts }
}

interface Parent { cookie: string; csrf: string; child: string; guardianId: string }

async function bookWeek(base: string, parents: Parent[], seconds = SECONDS): Promise<{ requests: number; seconds: number; p50: number; p99: number; errors: number }> {
  const r = JSON.parse(await run(WEEK_CLIENT, [JSON.stringify({ base, seconds, week: WEEK, parents })])) as { requests: number; seconds: number; p50: number; p99: number; failures: number }
  return { ...r, errors: r.failures }
}

interface Running { label: string; ctx: AppContext; app: { server: ServerType; base: string }; hello: { server: ServerType; base: string }; cookie: string; parents: Parent[] }

/** Seeds (once), starts the app and a hello-world on loopback, logs parents in, checks both flows work, warms up. */
async function start(label: string, databaseUrl: string | undefined): Promise<Running> {
  const clock = runningClock(SITE.demoNow)
  const ctx = await compose({ port: 0, publicUrl: 'http://127.0.0.1', https: false, siteId: SITE.id, dataDir: '', databaseUrl, inMemory: !databaseUrl, devMailbox: false, outboxWorker: false, secretKey: randomBytes(32).toString('base64') }, { clock })
  await seedDemoSchool(ctx.storage, { now: clock.now(), scrypt: { N: 1024, r: 8, p: 1 } })
  const families = await seedRaceFamilies(ctx.storage, { count: CONNECTIONS, now: clock.now(), topUp: '5.00' })
  const app = await listen(createApp(ctx).fetch)
  const hello = await listen(new Hono().get('/', (c) => c.text('Hello Hono!')).fetch)
  // parents logged in (the sessions are the server's, as after a real login)
  const cookie = `ecole_session=${ctx.sessions.login(undefined, SITE.id, { kind: 'guardian', id: 'resp-01' }).id}`
  const parents = families.map((f) => {
    const s = ctx.sessions.login(undefined, SITE.id, { kind: 'guardian', id: f.guardianId })
    return { cookie: `ecole_session=${s.id}`, csrf: s.csrf, child: f.childId, guardianId: f.guardianId }
  })
  const page = await fetch(`${app.base}/invoices`, { headers: { Cookie: cookie } })
  if (page.status !== 200 || !(await page.text()).includes('data-invoice=')) throw new Error(`${label}: the invoices page answered ${page.status} without invoices`)
  // one parent books the week (four days booked, 3.20 EUR debited at once) then cancels it (refunded)
  const wallet = async () => (await ctx.storage.ledger!.getBalances(SITE.id, [walletAccountId(parents[0]!.guardianId, SITE.billingOfficeId)], clock.now()))[0]!.available
  const booked = async () => (await ctx.storage.bookings!.listBookings(SITE.id, { from: WEEK[0] as '2027-03-01', to: WEEK[3] as '2027-03-05', beneficiaryId: parents[0]!.child, serviceId: 'gouter' })).items.filter((b) => b.status === 'booked').length
  const before = await wallet()
  const post = (action: string) => {
    const body = new URLSearchParams({ _csrf: parents[0]!.csrf, child: parents[0]!.child, service: 'gouter', month: '2027-03', action })
    for (const d of WEEK) body.append('date', d)
    return fetch(`${app.base}/bookings`, { method: 'POST', body, redirect: 'manual', headers: { Cookie: parents[0]!.cookie, 'Content-Type': 'application/x-www-form-urlencoded' } })
  }
  await post('book')
  if ((await booked()) !== 4 || (await wallet()) !== before - 320n) throw new Error(`${label}: booking the week did not book 4 days and debit 3.20 EUR`)
  await post('cancel')
  if ((await booked()) !== 0 || (await wallet()) !== before) throw new Error(`${label}: cancelling the week did not refund it`)
  // warm up (JIT, the pool's connections, the database's caches)
  await autocannon(`${app.base}/invoices`, { Cookie: cookie }, 2)
  await autocannon(hello.base, {}, 1)
  await bookWeek(app.base, parents, 2)
  return { label, ctx, app, hello, cookie, parents }
}

function report(): void {
  const lines: string[] = []
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
  const range = (xs: number[], digits = 0) => `${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}`
  lines.push(`\n| what | measures | requests/s, median (range) | p50 ms | p99 ms, median (range) | server CPU ms per request | errors | load average (1 min) |\n|---|---:|---:|---:|---:|---:|---:|---:|`)
  for (const [name, ms] of figures) {
    const rps = ms.map((m) => m.rps)
    const p99 = ms.map((m) => m.p99)
    lines.push(`| ${name} | ${ms.length} | ${median(rps).toFixed(0)} (${range(rps)}) | ${median(ms.map((m) => m.p50)).toFixed(1)} | ${median(p99).toFixed(0)} (${range(p99)}) | ${median(ms.map((m) => m.cpuMsPerRequest)).toFixed(2)} | ${ms.reduce((s, m) => s + m.errors, 0)} | ${range(ms.map((m) => m.load), 1)} |`)
  }
  // each measure in the order it ran, beside the hello-world measured just before it: a page's
  // throughput moves with the machine's load, its share of the floor and its CPU time far less
  lines.push(`\n| measure | requests/s | p99 ms | server CPU ms per request | hello-world just before, requests/s | load average (1 min) |\n|---|---:|---:|---:|---:|---:|`)
  for (const m of order) lines.push(`| ${m.name} #${m.index} | ${m.rps.toFixed(0)} | ${m.p99.toFixed(0)} | ${m.cpuMsPerRequest.toFixed(2)} | ${m.floor === undefined ? '-' : m.floor.toFixed(0)} | ${m.load.toFixed(1)} |`)
  lines.push(`\n${CONNECTIONS} connections (10 parents for the week), ${SECONDS} s per measure, loopback, ${cpus().length} cores, load generators in their own processes`)
  // straight to the process's output: the bench runner drops console output made after a bench ends
  writeSync(1, `${lines.join('\n')}\n`)
}

async function stop(r: Running | undefined, last: boolean): Promise<void> {
  if (r) {
    r.hello.server.close()
    r.app.server.close()
    await r.ctx.close()
  }
  if (last) report()
}

if (!url) console.log('[ecole] ECOLE_PG_URL is not set: the portal load on a PostgreSQL server is skipped (PGlite only)')

const options = { iterations: ITERATIONS, time: 0, warmupIterations: 0, warmupTime: 0 }

function benches(storage: string, getRunning: () => Running, last: boolean): void {
  // each measure of the page right after one of hello-world (3 s): the floor of that moment
  bench(`GET /invoices, a parent with invoices, each after Hono's hello-world (${storage})`, async () => {
    await measure(`Hono hello-world, beside ${storage}`, () => autocannon(getRunning().hello.base, {}, 3))
    await measure(`GET /invoices (${storage})`, () => autocannon(`${getRunning().app.base}/invoices`, { Cookie: getRunning().cookie }))
  }, options)
  bench(`POST /bookings, a week of 4 days booked or cancelled, 10 parents (${storage})`, () => measure(`POST /bookings, a week booked or cancelled (${storage})`, () => bookWeek(getRunning().app.base, getRunning().parents)), {
    ...options,
    // the last bench of the group: stop its servers (and print the figures after the last group)
    teardown: async (_task, mode) => {
      if (mode === 'run') await stop(getRunning(), last)
    },
  })
}

// both hosts are started (seeded, checked, warmed up) before the benches run; one is measured at a time
const pglite = await start('PGlite', undefined)
const server = url ? await start('PostgreSQL server', url) : undefined

describe('the portal under load, on embedded PGlite', () => {
  benches('PGlite', () => pglite, !server)
})

describe.skipIf(!server)('the portal under load, on the PostgreSQL server (pool of 20)', () => {
  benches('PostgreSQL server', () => server!, true)
})
