/**
 * `tsx src/growth.ts small.json medium.json large.json`: how each stage's cost grows with the
 * city, from reports of the same storage at several sizes: wall and CPU seconds per size, and the
 * exponent b of cost ~ children^b between the smallest and the largest (1 = linear, 2 = quadratic),
 * from CPU time (less disturbed than wall time by a shared machine) and from wall time.
 */
import { readFileSync } from 'node:fs'
import type { CityReport } from './run-city'

/** The growth exponent between two sizes (undefined when a cost is too small to tell). */
export function exponent(n1: number, t1: number, n2: number, t2: number): number | undefined {
  if (t1 < 20 || t2 < 20 || n1 === n2) return undefined
  return Math.log(t2 / t1) / Math.log(n2 / n1)
}

/** The growth table (Markdown) of reports of one storage at several sizes. */
export function growthTable(reports: readonly CityReport[]): string {
  const sorted = [...reports].sort((a, b) => a.children - b.children)
  const first = sorted[0]!
  const last = sorted.at(-1)!
  const names = first.stages.map((s) => s.name)
  const head = ['stage', ...sorted.map((r) => `${r.children.toLocaleString('en')}: wall / CPU s`), 'b (CPU)', 'b (wall)']
  const rows = names.map((name) => {
    const at = (r: CityReport) => r.stages.find((s) => s.name === name)
    const cells = sorted.map((r) => {
      const s = at(r)
      return s ? `${(s.wallMs / 1000).toFixed(1)} / ${(s.cpuMs / 1000).toFixed(1)}` : '-'
    })
    const a = at(first)
    const z = at(last)
    const bc = a && z ? exponent(first.children, a.cpuMs, last.children, z.cpuMs) : undefined
    const bw = a && z ? exponent(first.children, a.wallMs, last.children, z.wallMs) : undefined
    return [name, ...cells, bc === undefined ? '-' : bc.toFixed(2), bw === undefined ? '-' : bw.toFixed(2)]
  })
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
}

if (process.argv[1] && /growth\.ts$/.test(process.argv[1])) {
  const reports = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')) as CityReport)
  console.log(growthTable(reports))
}
