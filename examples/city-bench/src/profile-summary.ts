/**
 * `tsx src/profile-summary.ts city-bookings.cpuprofile`: where a stage's time went, from a V8 CPU
 * profile (`--profile STAGE`): self time by area (idle = waiting for the database or the network,
 * the pg driver, PGlite's WebAssembly, the core's domain code, the adapter, garbage collection)
 * and the heaviest functions.
 */
import { readFileSync } from 'node:fs'

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** The area a frame belongs to. */
export function areaOf(url: string, fn: string): string {
  if (fn === '(idle)') return 'idle (waiting for I/O: the database, the network)'
  if (fn === '(garbage collector)') return 'garbage collector'
  if (fn === '(program)') return 'V8 and native (program)'
  if (/pglite/.test(url)) return 'PGlite (PostgreSQL in WebAssembly)'
  if (/node_modules\/(pg|pg-protocol|pg-types|pgpass|pg-pool)\//.test(url)) return 'pg driver (protocol, parsing)'
  if (/packages\/storage-postgres\//.test(url)) return '@ecole/storage-postgres (adapter)'
  if (/packages\/storage-memory\//.test(url)) return '@ecole/storage-memory'
  if (/packages\/core\//.test(url)) return '@ecole/core (domain)'
  if (/packages\/workflows\//.test(url)) return '@ecole/workflows'
  if (/examples\/city-bench\//.test(url)) return 'city-bench (the run itself)'
  if (/node_modules\/(zod|decimal\.js|date-fns)/.test(url)) return 'zod, decimal.js, date-fns'
  if (url.startsWith('node:') || url === '') return 'Node internals (streams, sockets, timers)'
  return 'other libraries'
}

function main(file: string): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)))
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const areas = new Map<string, number>()
  const fns = new Map<string, number>()
  for (const [id, us] of self) {
    const n = byId.get(id)!
    const area = areaOf(n.callFrame.url, n.callFrame.functionName)
    areas.set(area, (areas.get(area) ?? 0) + us)
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|packages|examples)\//, '$1/')}:${n.callFrame.lineNumber + 1}`
    fns.set(key, (fns.get(key) ?? 0) + us)
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1e6).toFixed(2).padStart(7)} s`
  console.log(`profile of ${file}: ${(total / 1e6).toFixed(2)} s sampled\n\nself time by area:`)
  for (const [a, us] of [...areas].sort((x, y) => y[1] - x[1])) console.log(`  ${pct(us)}  ${a}`)
  console.log('\nheaviest functions (self time):')
  for (const [f, us] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, 20)) console.log(`  ${pct(us)}  ${f}`)
}

if (process.argv[1] && /profile-summary\.ts$/.test(process.argv[1])) main(process.argv[2]!)
