/**
 * What one portal request costs, for profiling (issue 17): the SQL statements a page sends to
 * the PostgreSQL server (counted on the pg driver), then a load of the page (autocannon, in the
 * its own process, so this process's CPU time is the server's) to profile it with `--cpu-prof`:
 *
 *     ECOLE_PG_URL=postgresql://postgres@127.0.0.1:55432/<db> \
 *       node --cpu-prof --cpu-prof-dir=/tmp/prof --conditions=@ecole/source --import tsx \
 *       examples/school-web/bench/profile-page.ts [/invoices] [seconds]
 *
 * The demo school is seeded into that database once (a database that has it is left alone).
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import pg from 'pg'
import { createApp } from '../src/app'
import { compose, runningClock } from '../src/compose'
import { seedDemoSchool } from '../src/seed'
import { SITE } from '../src/site-settings'

const url = process.env['ECOLE_PG_URL']
if (!url) throw new Error('set ECOLE_PG_URL to a database of the PostgreSQL server')
const path = process.argv[2] ?? '/invoices'
const seconds = Number(process.argv[3] ?? 5)

// count every statement the pool's clients send (BEGIN and COMMIT included)
const statements: string[] = []
const query = pg.Client.prototype.query
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text: string }
  statements.push((typeof first === 'string' ? first : first.text).replace(/\s+/g, ' ').slice(0, 90))
  return (query as (...a: unknown[]) => unknown).apply(this, args)
} as typeof query

const clock = runningClock(SITE.demoNow)
const ctx = await compose({ port: 0, publicUrl: 'http://127.0.0.1', https: false, siteId: SITE.id, dataDir: '', databaseUrl: url, devMailbox: false, outboxWorker: false, secretKey: randomBytes(32).toString('base64') }, { clock })
await seedDemoSchool(ctx.storage, { now: clock.now(), scrypt: { N: 1024, r: 8, p: 1 } })
const server = await new Promise<{ server: ServerType; base: string }>((ok) => {
  const s = serve({ fetch: createApp(ctx).fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => ok({ server: s, base: `http://127.0.0.1:${info.port}` }))
})
const cookie = `ecole_session=${ctx.sessions.login(undefined, SITE.id, { kind: 'guardian', id: 'resp-01' }).id}`
for (const round of ['first request (caches cold)', 'second request']) {
  statements.length = 0
  const res = await fetch(`${server.base}${path}`, { headers: { Cookie: cookie } })
  const body = await res.text()
  console.log(`${path}, ${round}: ${res.status}, ${body.length} characters, ${statements.length} SQL statements`)
  for (const s of statements) console.log(`  ${s}`)
}
// the load generator in its own process: this process's CPU time is the server's alone
const cpu0 = process.cpuUsage()
const out = await new Promise<string>((ok, fail) => {
  const bin = resolve(import.meta.dirname, '..', '..', '..', 'node_modules', 'autocannon', 'autocannon.js')
  execFile(process.execPath, [bin, '--json', '-c', '10', '-d', String(seconds), '-H', `Cookie=${cookie}`, `${server.base}${path}`], { maxBuffer: 1 << 24 }, (e, stdout) => (e ? fail(e) : ok(stdout)))
})
const cpu = process.cpuUsage(cpu0)
const r = JSON.parse(out) as { requests: { total: number }; duration: number; latency: { p50: number; p99: number }; errors: number; non2xx: number }
const cpuMs = (cpu.user + cpu.system) / 1000
console.log(`${path}: ${(r.requests.total / r.duration).toFixed(0)} requests/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.errors + r.non2xx} errors; server CPU ${(cpuMs / 1000).toFixed(1)} s for ${seconds} s, ${(cpuMs / r.requests.total).toFixed(2)} ms per request; load average ${loadavg()[0]!.toFixed(2)}`)
server.server.close()
await ctx.close()
