/**
 * What one "book a week" request costs (issue 17): the SQL statements of one booking and one
 * cancellation of the four days, then `rounds` of them in a row, timed, for `--cpu-prof`:
 *
 *     ECOLE_PG_URL=postgresql://postgres@127.0.0.1:55432/<db> \
 *       node --cpu-prof --cpu-prof-dir=/tmp/prof --conditions=@ecole/source --import tsx \
 *       examples/school-web/bench/profile-week.ts [rounds] [families]
 *
 * `families` (10) race families are seeded besides the demo school (the site grows with them;
 * a database keeps the families of earlier runs).
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { createApp } from '../src/app'
import { compose, runningClock } from '../src/compose'
import { seedDemoSchool, seedRaceFamilies } from '../src/seed'
import { SITE } from '../src/site-settings'

const url = process.env['ECOLE_PG_URL']
if (!url) throw new Error('set ECOLE_PG_URL to a database of the PostgreSQL server')
const rounds = Number(process.argv[2] ?? 50)
const families = Number(process.argv[3] ?? 10)
const WEEK = ['2027-03-01', '2027-03-02', '2027-03-04', '2027-03-05']

const statements: string[] = []
const query = pg.Client.prototype.query
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text: string }
  statements.push((typeof first === 'string' ? first : first.text).replace(/\s+/g, ' ').slice(0, 110))
  return (query as (...a: unknown[]) => unknown).apply(this, args)
} as typeof query

const clock = runningClock(SITE.demoNow)
const ctx = await compose({ port: 0, publicUrl: 'http://127.0.0.1', https: false, siteId: SITE.id, dataDir: '', databaseUrl: url, devMailbox: false, outboxWorker: false, secretKey: randomBytes(32).toString('base64') }, { clock })
await seedDemoSchool(ctx.storage, { now: clock.now(), scrypt: { N: 1024, r: 8, p: 1 } })
const [family] = await seedRaceFamilies(ctx.storage, { count: families, now: clock.now(), topUp: '5.00' })
const children = (await ctx.storage.directory!.listDirectoryRecords(SITE.id, 'child', { limit: 1000 })).items.length
console.log(`the site has ${children}${children === 1000 ? ' or more' : ''} children`)
const app = createApp(ctx)
const session = ctx.sessions.login(undefined, SITE.id, { kind: 'guardian', id: family!.guardianId })
const post = async (action: string) => {
  const body = new URLSearchParams({ _csrf: session.csrf, child: family!.childId, service: 'gouter', month: '2027-03', action })
  for (const d of WEEK) body.append('date', d)
  const res = await app.request('/bookings', { method: 'POST', body, headers: { Cookie: `ecole_session=${session.id}`, 'Content-Type': 'application/x-www-form-urlencoded', Host: '127.0.0.1' } })
  if (res.status !== 303) throw new Error(`${action}: ${res.status}`)
}
for (const action of ['book', 'cancel']) {
  statements.length = 0
  await post(action)
  console.log(`${action}: ${statements.length} SQL statements`)
  for (const s of statements) console.log(`  ${s}`)
}
const cpu0 = process.cpuUsage()
const t0 = performance.now()
for (let i = 0; i < rounds; i++) {
  await post('book')
  await post('cancel')
}
const cpu = process.cpuUsage(cpu0)
console.log(`${rounds * 2} requests in ${(performance.now() - t0).toFixed(0)} ms, one at a time: ${((performance.now() - t0) / rounds / 2).toFixed(1)} ms each; CPU of this process ${((cpu.user + cpu.system) / 1000 / rounds / 2).toFixed(2)} ms per request`)
await ctx.close()
