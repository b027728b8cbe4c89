/**
 * Load on loopback, bounded in time (`npm run bench --workspace=@ecole/example-school-web`):
 *
 * 1. 200 parents book the last 20 places of one day at once, through HTTP: exactly 20 booked,
 *    no wallet debited for a refused booking;
 * 2. throughput and p50/p99 of the invoices page (autocannon, 10 connections) and of the
 *    "book a week" flow (10 parents each booking four days then cancelling them, in a loop);
 *
 * on embedded PGlite and on the PostgreSQL server (`ECOLE_PG_URL`, a database created for the
 * run), beside Hono's hello-world on the same machine in the same run (the framework floor).
 */
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { walletAccountId } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createPostgresStorage } from '@ecole/storage-postgres'
import autocannon from 'autocannon'
import { Hono } from 'hono'
import pg from 'pg'
import { createApp } from '../src/app'
import { compose, runningClock } from '../src/compose'
import { DEMO_BOOKING_SERVICES, seedDemoSchool, seedRaceFamilies } from '../src/seed'
import { SITE } from '../src/site-settings'

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5)
const PARENTS = 200
const PLACES = 20
const RACE_DAY = '2027-02-25'
const WEEK = ['2027-03-01', '2027-03-02', '2027-03-04', '2027-03-05']

interface Row { storage: string; what: string; rps: number; p50: number; p99: number; note?: string }
const rows: Row[] = []

function listen(fetch: (r: Request) => Response | Promise<Response>): Promise<{ server: ServerType; url: string }> {
  return new Promise((ok) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => ok({ server, url: `http://127.0.0.1:${info.port}` }))
  })
}

async function cannon(url: string, headers: Record<string, string> = {}): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const r = await autocannon({ url, connections: 10, duration: SECONDS, headers })
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

async function run(label: string, storage: StoragePorts): Promise<void> {
  const clock = runningClock(SITE.demoNow)
  const ctx = await compose(
    { port: 0, publicUrl: 'http://127.0.0.1', https: false, siteId: SITE.id, dataDir: '', devMailbox: false, outboxWorker: false, bookingServices: DEMO_BOOKING_SERVICES.map((s) => (s.id === 'gouter' ? { ...s, capacity: PLACES } : s)) },
    { clock, storage },
  )
  const t0 = performance.now()
  await seedDemoSchool(storage, { now: clock.now(), scrypt: { N: 1024, r: 8, p: 1 } })
  const families = await seedRaceFamilies(storage, { count: PARENTS, now: clock.now(), topUp: '5.00' })
  console.log(`${label}: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  const app = createApp(ctx)
  const { server, url } = await listen(app.fetch)
  const sessionOf = (guardianId: string) => ctx.sessions.login(undefined, SITE.id, { kind: 'guardian', id: guardianId })
  const post = (s: { id: string; csrf: string }, form: Record<string, string | string[]>) => {
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries({ _csrf: s.csrf, ...form })) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x)
    return fetch(`${url}/bookings`, { method: 'POST', body, redirect: 'manual', headers: { Cookie: `ecole_session=${s.id}`, 'Content-Type': 'application/x-www-form-urlencoded' } })
  }
  try {
    // 1. the race
    const sessions = families.map((f) => sessionOf(f.guardianId))
    const r0 = performance.now()
    const statuses = await Promise.all(families.map((f, i) => post(sessions[i]!, { child: f.childId, service: 'gouter', month: '2027-02', action: 'book', date: RACE_DAY }).then((r) => r.status)))
    const raceMs = performance.now() - r0
    const booked = (await storage.bookings!.listBookings(SITE.id, { from: RACE_DAY, to: RACE_DAY, serviceId: 'gouter' }, { limit: 1000 })).items.filter((b) => b.status === 'booked')
    const balances = await storage.ledger!.getBalances(SITE.id, families.map((f) => walletAccountId(f.guardianId, SITE.billingOfficeId)))
    const winners = new Set(booked.map((b) => b.beneficiaryId))
    const wrongWallets = families.filter((f, i) => balances[i]!.available !== (winners.has(f.childId) ? 420n : 500n)).length
    const ok = booked.length === PLACES && wrongWallets === 0 && statuses.every((s) => s === 303)
    console.log(`${label}: race of ${PARENTS} parents for ${PLACES} places in ${raceMs.toFixed(0)} ms: ${booked.length} booked, ${wrongWallets} wallets wrong -> ${ok ? 'OK' : 'FAILED'}`)
    if (!ok) process.exitCode = 1
    rows.push({ storage: label, what: `race: ${PARENTS} parents, ${PLACES} places`, rps: PARENTS / (raceMs / 1000), p50: 0, p99: raceMs, note: `${booked.length} booked, ${wrongWallets} wallets wrong` })

    // 2. the invoices page of a parent with invoices
    const reader = sessionOf('resp-01')
    const inv = await cannon(`${url}/invoices`, { Cookie: `ecole_session=${reader.id}` })
    rows.push({ storage: label, what: 'GET /invoices', ...inv, note: inv.errors ? `${inv.errors} errors` : '' })

    // 3. book a week then cancel it, 10 parents in a loop for SECONDS
    const latencies: number[] = []
    let failures = 0
    const end = Date.now() + SECONDS * 1000
    await Promise.all(families.slice(PLACES, PLACES + 10).map(async (f, i) => {
      const s = sessions[PLACES + i]!
      while (Date.now() < end) {
        for (const action of ['book', 'cancel']) {
          const a = performance.now()
          const res = await post(s, { child: f.childId, service: 'gouter', month: '2027-02', action, date: WEEK })
          if (res.status !== 303) failures++
          latencies.push(performance.now() - a)
        }
      }
    }))
    latencies.sort((a, b) => a - b)
    rows.push({ storage: label, what: 'POST /bookings (a week of 4 days, book or cancel)', rps: latencies.length / SECONDS, p50: percentile(latencies, 50), p99: percentile(latencies, 99), note: failures ? `${failures} failed` : '' })
  } finally {
    server.close()
    await ctx.close()
  }
}

async function main(): Promise<void> {
  const cpu0 = process.cpuUsage()
  const hello = new Hono().get('/', (c) => c.text('Hello Hono!'))
  const h = await listen(hello.fetch)
  const floor = await cannon(h.url)
  h.server.close()
  rows.push({ storage: '-', what: "Hono hello-world (the framework's floor)", ...floor })

  if (process.env['BENCH_SKIP_PGLITE'] !== '1') await run('PGlite', await createPostgresStorage({ pglite: {} }))
  const url = process.env['ECOLE_PG_URL']
  if (url) {
    const database = `web_bench_${process.pid}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${database}`)
    try {
      const u = new URL(url)
      u.pathname = `/${database}`
      await run('PostgreSQL 15 server', await createPostgresStorage({ connectionString: u.toString(), poolSize: 20 }))
    } catch (e) {
      console.error('the PostgreSQL run failed:', e)
      process.exitCode = 1
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      await admin.end()
    }
  } else console.log('ECOLE_PG_URL not set: the PostgreSQL server run is skipped')
  const cpu = process.cpuUsage(cpu0)
  console.log(`\n| storage | what | requests/s | p50 ms | p99 ms | note |\n|---|---|---:|---:|---:|---|`)
  for (const r of rows) console.log(`| ${r.storage} | ${r.what} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.note ?? ''} |`)
  console.log(`\nCPU time of this process: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s); ${SECONDS} s per measure, 10 connections, loopback`)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
