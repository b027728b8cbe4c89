import { loadavg } from 'node:os'
import { bench, describe } from 'vitest'
import { buildBelcotax28186 } from './belcotax-281-86'
import type { Belcotax28186Input } from './belcotax-281-86-input'
import { fiche, input } from './test-support/fixtures'

// Issue 19: a Belcotax 281.86 file of 50,000 fiches, beside a baseline writing as many rows of plain text.
const N = 50_000

function nn(serial: number): string {
  const body = `850730${String(serial).padStart(3, '0')}`
  return `${body}${String(97 - (Number(body) % 97)).padStart(2, '0')}`
}

function bigInput(n: number): Belcotax28186Input {
  const one = fiche()
  return input({
    fiches: Array.from({ length: n }, (_, i) => ({
      ...one,
      reference: `F${i}`,
      childId: `k${i}`,
      debtorId: `g${i}`,
      debtor: { ...one.debtor, nationalNumber: nn(i % 998), lastName: `Famille ${i}` },
      child: { ...one.child, nationalNumber: undefined, firstName: `Enfant ${i}` },
    })),
  })
}

/** The baseline: the same number of rows of plain text (one line per fiche, its main fields), encoded to UTF-8. */
function plainText(file: Belcotax28186Input): Uint8Array {
  const lines: string[] = []
  for (const f of file.fiches) {
    const periods = f.periods.map((p) => `${p.from};${p.to};${p.days};${p.dailyRateMinor}`).join(';')
    lines.push(`${f.reference};${f.debtor.nationalNumber};${f.debtor.lastName};${f.debtor.firstName};${f.child.lastName};${f.child.firstName};${f.child.birthDate};${periods}`)
  }
  return new TextEncoder().encode(lines.join('\n'))
}

describe(`Belcotax 281.86 of ${N.toLocaleString('en')} fiches`, () => {
  const file = bigInput(N)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const built = buildBelcotax28186(file)
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const cpu1 = process.cpuUsage()
  const t1 = performance.now()
  const text = plainText(file)
  const baseline = performance.now() - t1
  const baselineCpu = process.cpuUsage(cpu1)
  console.log(
    `[bench] buildBelcotax28186 ${N} fiches: ${ms.toFixed(0)} ms, CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, ${(built.bytes.length / 1e6).toFixed(1)} MB; ` +
      `baseline ${N} rows of plain text: ${baseline.toFixed(0)} ms, CPU ${((baselineCpu.user + baselineCpu.system) / 1000).toFixed(0)} ms, ${(text.length / 1e6).toFixed(1)} MB; ` +
      `ratio ${(ms / baseline).toFixed(1)}x (load average ${loadavg()[0]!.toFixed(1)})`,
  )
  const small = bigInput(5_000)
  bench('buildBelcotax28186, 5,000 fiches', () => {
    buildBelcotax28186(small)
  }, { iterations: 5, warmupIterations: 1, time: 0, warmupTime: 0 })
  bench('baseline: 5,000 rows of plain text', () => {
    plainText(small)
  }, { iterations: 5, warmupIterations: 1, time: 0, warmupTime: 0 })
})
