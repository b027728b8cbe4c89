/**
 * The invoices page under load on the PostgreSQL server (issue 17's target: >= 1,000 requests/s
 * with p99 <= 50 ms on 2 cores), beside Hono's hello-world in the same run (the framework's floor).
 *
 * The app is composed as `npm run web` composes it (`DATABASE_URL`: the server at `ECOLE_PG_URL`,
 * a pool of 20), started on loopback, and loaded by autocannon (10 connections, a fixed number of
 * seconds per iteration, so each iteration stops by itself). The demo school is seeded into the
 * database once (a database that has it is left alone). Part of the root `npm run bench`; skipped,
 * with the reason printed, when `ECOLE_PG_URL` is not set.
 */
import { writeSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import autocannon from 'autocannon'
import { Hono } from 'hono'
import { bench, describe } from 'vitest'
import { createApp } from '../src/app'
import { compose, runningClock, type AppContext } from '../src/compose'
import { seedDemoSchool } from '../src/seed'
import { SITE } from '../src/site-settings'

const url = process.env['ECOLE_PG_URL']
const CONNECTIONS = 10
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5)
const ITERATIONS = 3

interface Figures { rps: number[]; p50: number[]; p99: number[]; errors: number; load: number[] }
const figures = new Map<string, Figures>()

function listen(fetch: (r: Request) => Response | Promise<Response>): Promise<{ server: ServerType; base: string }> {
  return new Promise((ok) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => ok({ server, base: `http://127.0.0.1:${info.port}` }))
  })
}

async function load(name: string, target: string, headers: Record<string, string> = {}): Promise<void> {
  const r = await autocannon({ url: target, connections: CONNECTIONS, duration: SECONDS, headers })
  const f = figures.get(name) ?? { rps: [], p50: [], p99: [], errors: 0, load: [] }
  f.rps.push(r.requests.total / r.duration)
  f.p50.push(r.latency.p50)
  f.p99.push(r.latency.p99)
  f.errors += r.errors + r.non2xx + r.timeouts
  f.load.push(loadavg()[0]!)
  figures.set(name, f)
}

if (!url) console.log('[ecole] ECOLE_PG_URL is not set: the invoices page load on a PostgreSQL server is skipped')

interface Running { ctx: AppContext; app: { server: ServerType; base: string }; hello: { server: ServerType; base: string }; cookie: string; cpu0: NodeJS.CpuUsage }

/** Seeds (once), starts the app and the hello-world on loopback, logs a parent in, warms both up. */
async function start(databaseUrl: string): Promise<Running> {
  const clock = runningClock(SITE.demoNow)
  const ctx = await compose({ port: 0, publicUrl: 'http://127.0.0.1', https: false, siteId: SITE.id, dataDir: '', databaseUrl, devMailbox: false, outboxWorker: false }, { clock })
  await seedDemoSchool(ctx.storage, { now: clock.now(), scrypt: { N: 1024, r: 8, p: 1 } })
  const app = await listen(createApp(ctx).fetch)
  const hello = await listen(new Hono().get('/', (c) => c.text('Hello Hono!')).fetch)
  // a parent with invoices, logged in (the session is the server's, as after a real login)
  const cookie = `ecole_session=${ctx.sessions.login(undefined, SITE.id, { kind: 'guardian', id: 'resp-01' }).id}`
  const page = await fetch(`${app.base}/invoices`, { headers: { Cookie: cookie } })
  if (page.status !== 200 || !(await page.text()).includes('data-invoice=')) throw new Error(`the invoices page answered ${page.status} without invoices`)
  // warm up both servers (JIT, the pool's connections, PostgreSQL's caches)
  await autocannon({ url: `${app.base}/invoices`, connections: CONNECTIONS, amount: 1000, headers: { Cookie: cookie } })
  await autocannon({ url: hello.base, connections: CONNECTIONS, amount: 1000 })
  return { ctx, app, hello, cookie, cpu0: process.cpuUsage() }
}

function report(r: Running): void {
  const cpu = process.cpuUsage(r.cpu0)
  const lines: string[] = []
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
  lines.push(`\n| what | requests/s (median of ${ITERATIONS}) | p50 ms | p99 ms | errors | load average (1 min) |\n|---|---:|---:|---:|---:|---:|`)
  for (const [name, f] of figures) {
    lines.push(`| ${name} | ${median(f.rps).toFixed(0)} | ${median(f.p50).toFixed(1)} | ${median(f.p99).toFixed(1)} | ${f.errors} | ${median(f.load).toFixed(2)} |`)
  }
  lines.push(`\n${CONNECTIONS} connections, ${SECONDS} s per iteration, loopback, ${cpus().length} cores; CPU time of this process (server and load generator): ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`)
  // straight to the process's output: the bench runner drops console output made after a bench ends
  writeSync(1, `${lines.join('\n')}\n`)
}

async function stop(r: Running): Promise<void> {
  report(r)
  r.hello.server.close()
  r.app.server.close()
  await r.ctx.close()
}

const running = url ? await start(url) : undefined

describe.skipIf(!running)('the invoices page under load, on the PostgreSQL server', () => {
  const r = running!
  const options = { iterations: ITERATIONS, time: 0, warmupIterations: 0, warmupTime: 0 }
  bench("Hono hello-world (the framework's floor)", () => load("Hono hello-world (the framework's floor)", r.hello.base), options)
  bench('GET /invoices, a parent with invoices (PostgreSQL server, pool of 20)', () => load('GET /invoices (PostgreSQL server)', `${r.app.base}/invoices`, { Cookie: r.cookie }), {
    ...options,
    // the last bench of the file: stop the servers and print the figures once it has run
    teardown: async (_task, mode) => {
      if (mode === 'run') await stop(r)
    },
  })
})
