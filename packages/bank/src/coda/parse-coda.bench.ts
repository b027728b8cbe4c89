import { loadavg } from 'node:os'
import { bench, describe } from 'vitest'
import { bigCoda } from '../test-support/generate'
import { parseCoda } from './parse-coda'

// Issue 7: a CODA file of 100,000 movements in under 2 s.
const N = 100_000

describe(`CODA of ${N.toLocaleString('en')} movements`, () => {
  const bytes = Buffer.from(bigCoda(N), 'latin1')
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const [statement] = parseCoda(bytes)
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  console.log(
    `[bench] CODA ${N} movements (${(bytes.length / 1e6).toFixed(1)} MB, Windows-1252 bytes): ${ms.toFixed(0)} ms ` +
      `(target < 2000 ms, ${(ms / 2000).toFixed(2)} of the budget); ${Math.round(N / (ms / 1000)).toLocaleString('en')} movements/s; entries ${statement!.entries.length}; CPU time ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (load average ${loadavg()[0]!.toFixed(1)})`,
  )
  const small = Buffer.from(bigCoda(N / 10), 'latin1')
  bench('parseCoda, 10,000 movements', () => {
    parseCoda(small)
  }, { iterations: 5, warmupIterations: 1, time: 0, warmupTime: 0 })
})
