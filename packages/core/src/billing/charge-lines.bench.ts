import { bench, describe } from 'vitest'
import { chargeBenchData } from './charge-lines.bench-data'
import { prepareChargeConfig } from './charge-config'
import { buildChargeLines, type ChargeLinesResult } from './charge-lines'

// Issue 4: buildChargeLines for 50,000 children x 3 services x 20 days (3 million bookings).
// Targets: >= 1,000,000 bookings/s on one core, < 1 GB of memory, inputs validated once; the
// figure to drive down is the ratio to a floor baseline measured in the same run (one pass
// summing precomputed integer cents per debtor over the same bookings, in typed arrays).
// The build runs once (a full run takes seconds): the whole file stays under ~30 s.

const CHILDREN = 50_000
const DAYS = 20

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`

describe(`buildChargeLines, ${CHILDREN.toLocaleString('en')} children x 3 services x ${DAYS} days`, () => {
  const { config, days } = chargeBenchData(CHILDREN, DAYS)
  const heapInput = process.memoryUsage().heapUsed

  let cpu = process.cpuUsage()
  let t = performance.now()
  const prepared = prepareChargeConfig(config)
  const prepareWall = performance.now() - t
  const prepareCpu = process.cpuUsage(cpu).user / 1000

  let result: ChargeLinesResult | undefined
  let buildWall = 0
  let buildCpu = 0
  let rssAfter = 0
  let heapAfter = 0

  bench(
    `buildChargeLines on a prepared configuration (${(days.length / 1e6).toFixed(0)}M bookings)`,
    () => {
      cpu = process.cpuUsage()
      t = performance.now()
      result = buildChargeLines(prepared, days)
      buildWall = performance.now() - t
      const used = process.cpuUsage(cpu)
      buildCpu = (used.user + used.system) / 1000
      const mem = process.memoryUsage()
      rssAfter = mem.rss
      heapAfter = mem.heapUsed
      report()
    },
    { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 },
  )

  // printed from the bench itself: vitest bench does not show output of hooks
  let runs = 0
  function report(): void {
    runs++
    if (result === undefined || (runs !== 1 && runs !== 3)) return
    // the floor baseline: per billed booking, its debtor index and its precomputed cents
    let n = 0
    for (const g of result.groups) for (const l of g.lines) n += l.dates.length
    const debtorOf = new Int32Array(n)
    const cents = new Int32Array(n)
    const debtors = new Map<string, number>()
    let k = 0
    for (const g of result.groups) {
      let d = debtors.get(g.debtorId)
      if (d === undefined) debtors.set(g.debtorId, (d = debtors.size))
      for (const l of g.lines) {
        const perDay = Number(l.amountMinor) / l.quantity
        for (let i = 0; i < l.dates.length; i++, k++) {
          debtorOf[k] = d
          cents[k] = Math.round(perDay)
        }
      }
    }
    const sums = new Float64Array(debtors.size)
    const baselineRuns = 20
    t = performance.now()
    for (let r = 0; r < baselineRuns; r++) {
      sums.fill(0)
      for (let i = 0; i < n; i++) {
        const j = debtorOf[i] as number
        sums[j] = (sums[j] as number) + (cents[i] as number)
      }
    }
    const baselineMs = (performance.now() - t) / baselineRuns
    const lines = result.groups.reduce((s, g) => s + g.lines.length, 0)
    const perSecWall = (days.length / buildWall) * 1000
    const perSecCpu = (days.length / buildCpu) * 1000
    console.log(
      [
        `buildChargeLines: ${days.length.toLocaleString('en')} bookings -> ${lines.toLocaleString('en')} lines in ${result.groups.length.toLocaleString('en')} groups, ${result.unbilled.length.toLocaleString('en')} unbilled`,
        `  prepareChargeConfig (validation once): ${prepareWall.toFixed(0)} ms wall, ${prepareCpu.toFixed(0)} ms CPU`,
        `  buildChargeLines: ${buildWall.toFixed(0)} ms wall (${Math.round(perSecWall).toLocaleString('en')} bookings/s), ${buildCpu.toFixed(0)} ms CPU (${Math.round(perSecCpu).toLocaleString('en')} bookings/s of CPU time)`,
        `  floor baseline (typed arrays, ${n.toLocaleString('en')} billed bookings): ${baselineMs.toFixed(1)} ms; ratio buildChargeLines / baseline = ${(buildWall / baselineMs).toFixed(0)}x (wall)`,
        `  memory: heap ${mb(heapInput)} with the input, ${mb(heapAfter)} after the run; RSS ${mb(rssAfter)} (target < 1 GB)`,
      ].join('\n'),
    )
  }
})
