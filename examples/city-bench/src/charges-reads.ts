/**
 * `tsx --conditions=@ecole/source src/charges-reads.ts URL CHILDREN [ROUNDS]`: the charges stage
 * of a month already in a PostgreSQL database (a `bench:city` run left it there), priced from
 * the narrow read (`listBookedDays`) and from the two day-ordered listings, alternated ROUNDS
 * times (3 by default), with the stage's SQL floor before each pair: wall and CPU of each, the
 * same charge lines checked. The database is read only.
 */
import pg from 'pg'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { cityBillingRules, cityChargeConfig, generateCity, SITE_ID } from './city'
import { priceMonth } from './run-city'

const [url, childrenArg, roundsArg] = process.argv.slice(2)
if (!url || !childrenArg) throw new Error('usage: charges-reads.ts postgresql://... CHILDREN [ROUNDS]')
const city = generateCity({ children: Number(childrenArg), month: '2027-01' })
const config = cityChargeConfig(city, cityBillingRules(city))
const pool = new pg.Pool({ connectionString: url, max: 10 })
const storage = await createPostgresStorage({ pool })
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
const time = async <T>(fn: () => Promise<T>): Promise<{ wallMs: number; cpuMs: number; value: T }> => {
  globalThis.gc?.()
  const [w, c] = [performance.now(), cpu()]
  const value = await fn()
  return { wallMs: performance.now() - w, cpuMs: cpu() - c, value }
}
const floorSql = `SELECT b.beneficiary_id, b.service_id, count(*) AS days,
    count(*) FILTER (WHERE a.status IS DISTINCT FROM 'excused' AND (b.service_id <> 'garderie' OR a.status = 'present')) AS billable,
    sum(CASE b.service_id WHEN 'cantine' THEN 320 WHEN 'garderie' THEN 250 WHEN 'mercredi' THEN 1200 ELSE 80 END) AS amount_minor
  FROM ecole_bookings b LEFT JOIN ecole_attendance a ON a.site_id = b.site_id AND a.date = b.date AND a.beneficiary_id = b.beneficiary_id AND a.service_id = b.service_id
  WHERE b.site_id = $1 AND b.date BETWEEN $2::date AND $3::date AND b.status = 'booked' GROUP BY b.beneficiary_id, b.service_id`
const rows: Array<Record<string, string | number>> = []
const s = (ms: number) => (ms / 1000).toFixed(2)
let reference: string | undefined
for (let round = 1; round <= Number(roundsArg ?? 3); round++) {
  const floor = await time(() => pool.query(floorSql, [SITE_ID, city.month.from, city.month.to]))
  for (const read of round % 2 === 1 ? (['booked-days', 'listings'] as const) : (['listings', 'booked-days'] as const)) {
    const r = await time(() => priceMonth(storage, config, city.month, undefined, { read }))
    const sum = `${r.value.days} days, ${r.value.charges.length} lines, ${r.value.charges.reduce((t, c) => t + c.amountMinor, 0n)} minor units`
    if (reference !== undefined && sum !== reference) throw new Error(`the reads differ: ${sum} against ${reference}`)
    reference = sum
    rows.push({ round, read, wallS: s(r.wallMs), cpuS: s(r.cpuMs), floorS: s(floor.wallMs), xFloor: (r.wallMs / floor.wallMs).toFixed(1) })
    console.log(`round ${round} ${read.padEnd(11)} ${s(r.wallMs)} s wall, ${s(r.cpuMs)} s CPU; floor ${s(floor.wallMs)} s: x${(r.wallMs / floor.wallMs).toFixed(1)} (${sum})`)
  }
}
console.log(JSON.stringify(rows))
await storage.close()
await pool.end()
