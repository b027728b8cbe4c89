import { loadavg } from 'node:os'
import { bench, describe } from 'vitest'
import { bigCoda, globalisedCoda } from '../test-support/generate'
import { parseCoda } from './parse-coda'

// Issue 7: a CODA file of 100,000 movements in under 2 s.
const N = 100_000
/** The baseline's time per movement, for the globalisation case below. */
let baselineMsPerMovement = 0

describe(`CODA of ${N.toLocaleString('en')} movements`, () => {
  const bytes = Buffer.from(bigCoda(N), 'latin1')
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const [statement] = parseCoda(bytes)
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  baselineMsPerMovement = ms / N
  console.log(
    `[bench] CODA ${N} movements (${(bytes.length / 1e6).toFixed(1)} MB, Windows-1252 bytes): ${ms.toFixed(0)} ms ` +
      `(target < 2000 ms, ${(ms / 2000).toFixed(2)} of the budget); ${Math.round(N / (ms / 1000)).toLocaleString('en')} movements/s; entries ${statement!.entries.length}; CPU time ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (load average ${loadavg()[0]!.toFixed(1)})`,
  )
  const small = Buffer.from(bigCoda(N / 10), 'latin1')
  bench('parseCoda, 10,000 movements', () => {
    parseCoda(small)
  }, { iterations: 5, warmupIterations: 1, time: 0, warmupTime: 0 })
})

// Globalisations whose details each carry an information record 3.1 (SEPA direct-debit collections):
// each 3.1 record is attached to its detail by the detail's number. The probe of 2026-12 found it
// quadratic (a search of the globalisation's details per record: 39.5 s for 19 globalisations of
// 9,999 details); linear, a detail costs about what a plain movement of the baseline above costs.
const GROUPS = 10
const DETAILS = 9_999

describe(`CODA of ${GROUPS} globalisations of ${DETAILS.toLocaleString('en')} details, each with an information record 3.1`, () => {
  const bytes = Buffer.from(globalisedCoda(GROUPS, DETAILS), 'latin1')
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const [statement] = parseCoda(bytes)
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const details = GROUPS * DETAILS
  const perDetail = ms / details
  console.log(
    `[bench] CODA ${GROUPS} globalisations x ${DETAILS} details with 3.1 records (${(bytes.length / 1e6).toFixed(1)} MB): ${ms.toFixed(0)} ms; ` +
      `${Math.round(details / (ms / 1000)).toLocaleString('en')} details/s; ${(perDetail * 1000).toFixed(1)} µs a detail, ${(perDetail / baselineMsPerMovement).toFixed(2)}x a movement of the baseline above; ` +
      `transactions ${statement!.entries.reduce((a, e) => a + e.transactions.length, 0)}; CPU time ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (load average ${loadavg()[0]!.toFixed(1)})`,
  )
  const small = Buffer.from(globalisedCoda(1, DETAILS), 'latin1')
  bench(`parseCoda, 1 globalisation of ${DETAILS.toLocaleString('en')} details with 3.1 records`, () => {
    parseCoda(small)
  }, { iterations: 5, warmupIterations: 1, time: 0, warmupTime: 0 })
})
