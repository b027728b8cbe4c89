import { bench, describe } from 'vitest'
import { chargeBenchData } from './charge-lines.bench-data'
import { prepareChargeConfig } from './charge-config'
import { buildChargeLines, type ChargeLinesResult } from './charge-lines'

// Issue 4: buildChargeLines for 50,000 children x 3 services x 20 days (3 million bookings).
// Targets: >= 1,000,000 bookings/s on one core, < 1 GB of memory, inputs validated once; the
// figure to drive down is the ratio to a floor baseline measured in the same run (one pass
// summing precomputed integer cents per debtor over the same bookings, in typed arrays).
// The full build runs once, measured inside the describe callback (a run takes seconds); vitest's
// own table benches a tenth of the days, so the whole file stays well under 30 s.

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

  // the one-off measurement of the full 3M run (once: a run takes seconds)
  cpu = process.cpuUsage()
  t = performance.now()
  const result: ChargeLinesResult = buildChargeLines(prepared, days)
  const buildWall = performance.now() - t
  const used = process.cpuUsage(cpu)
  const buildCpu = (used.user + used.system) / 1000
  const mem = process.memoryUsage()
  const rssAfter = mem.rss
  const heapAfter = mem.heapUsed
  report()

  // vitest's table: the same pass over a tenth of the days (the first 5,000 children)
  const slice = days.slice(0, days.length / 10)
  bench(`buildChargeLines on a prepared configuration (${slice.length.toLocaleString('en')} bookings)`, () => {
    buildChargeLines(prepared, slice)
  }, { iterations: 2, time: 0, warmupIterations: 0, warmupTime: 0 })

    function report(): void {
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
