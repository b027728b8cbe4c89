import { loadavg } from 'node:os'
import { bench, describe } from 'vitest'
import { parseCoda } from '../coda/parse-coda'
import { bigCoda, bigMt940 } from '../test-support/generate'
import { parseMt940 } from './parse-mt940'

// Issue 14: an MT940 file of 100,000 movements in under 2 s; CODA of the same count, in the same run, as the baseline.
const N = 100_000

describe(`MT940 of ${N.toLocaleString('en')} movements`, () => {
  const bytes = Buffer.from(bigMt940(N), 'latin1')
  const coda = Buffer.from(bigCoda(N), 'latin1')
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const [statement] = parseMt940(bytes)
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const t1 = performance.now()
  parseCoda(coda)
  const baseline = performance.now() - t1
  console.log(
    `[bench] MT940 ${N} movements (${(bytes.length / 1e6).toFixed(1)} MB): ${ms.toFixed(0)} ms (target < 2000 ms, ${(ms / 2000).toFixed(2)} of the budget); ` +
      `${Math.round(N / (ms / 1000)).toLocaleString('en')} movements/s; entries ${statement!.entries.length}, disagreements ${statement!.checks.filter((c) => c.severity === 'disagreement').length}; ` +
      `CPU time ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms; baseline CODA ${N} movements in the same run ${baseline.toFixed(0)} ms (load average ${loadavg()[0]!.toFixed(1)})`,
  )
  const small = Buffer.from(bigMt940(N / 10), 'latin1')
  bench('parseMt940, 10,000 movements', () => {
    parseMt940(small)
  }, { iterations: 5, warmupIterations: 1, time: 0, warmupTime: 0 })
})
