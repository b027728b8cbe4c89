/**
 * `npm run chart -w @ecole/example-city-bench -- report.json [more.json ...] --out chart.svg [--title T]`
 *
 * Draws the stage times of one or more city reports as an SVG: one group of horizontal bars per
 * stage, one bar per report (wall time; the darker inner bar is this process's CPU time; a tick
 * marks the floor when one was measured), on a logarithmic axis so that stages of milliseconds
 * and of minutes are both readable. Nothing is drawn by hand: the figures come from the reports.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import type { CityReport } from './run-city'

const COLOURS = ['#2f6fb0', '#d9822b', '#3a9a5b', '#8e44ad', '#c0392b']
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The SVG of the reports' stage times. */
export function stageChart(reports: readonly CityReport[], title: string): string {
  const stages = [...new Set(reports.flatMap((r) => r.stages.map((s) => s.name)))]
  const barH = 11
  const groupH = reports.length * (barH + 2) + 10
  const left = 110
  const width = 760
  const plotW = width - left - 150
  // one legend line per report (side by side, long labels ran into each other)
  const top = 40 + reports.length * 14
  const height = top + stages.length * groupH + 40
  const all = reports.flatMap((r) => r.stages.flatMap((s) => [s.wallMs, s.cpuMs, s.floor?.wallMs ?? s.wallMs])).filter((x) => x > 0)
  const minMs = Math.max(1, Math.min(...all))
  const maxMs = Math.max(...all)
  const lo = Math.floor(Math.log10(minMs))
  const hi = Math.ceil(Math.log10(maxMs))
  const x = (ms: number) => left + ((Math.log10(Math.max(ms, 10 ** lo)) - lo) / (hi - lo)) * plotW
  const out: string[] = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`)
  out.push(`<rect width="100%" height="100%" fill="white"/>`)
  out.push(`<text x="${left}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`)
  reports.forEach((r, i) => {
    out.push(`<rect x="${left}" y="${28 + i * 14}" width="10" height="10" fill="${COLOURS[i % COLOURS.length]}"/>`)
    out.push(`<text x="${left + 14}" y="${37 + i * 14}">${esc(`${r.children.toLocaleString('en')} children, ${r.storage}${r.documents ? '' : ', no documents'}${r.startedAt ? `, run of ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC` : ''}`)}</text>`)
  })
  for (let p = lo; p <= hi; p++) {
    const gx = x(10 ** p)
    out.push(`<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${height - 30}" stroke="#ddd"/>`)
    const label = 10 ** p >= 1000 ? `${10 ** (p - 3)} s` : `${10 ** p} ms`
    out.push(`<text x="${gx}" y="${height - 16}" text-anchor="middle" fill="#555">${label}</text>`)
  }
  stages.forEach((name, g) => {
    const gy = top + g * groupH
    out.push(`<text x="${left - 6}" y="${gy + groupH / 2}" text-anchor="end" dominant-baseline="middle">${esc(name)}</text>`)
    reports.forEach((r, i) => {
      const s = r.stages.find((t) => t.name === name)
      if (!s) return
      const y = gy + i * (barH + 2)
      const c = COLOURS[i % COLOURS.length]
      out.push(`<rect x="${left}" y="${y}" width="${Math.max(1, x(s.wallMs) - left)}" height="${barH}" fill="${c}" fill-opacity="0.45"><title>${esc(`${name}: ${(s.wallMs / 1000).toFixed(2)} s wall, ${(s.cpuMs / 1000).toFixed(2)} s CPU, ${s.items} ${s.unit}`)}</title></rect>`)
      out.push(`<rect x="${left}" y="${y + 3}" width="${Math.max(1, x(s.cpuMs) - left)}" height="${barH - 6}" fill="${c}"/>`)
      if (s.floor) out.push(`<line x1="${x(s.floor.wallMs)}" y1="${y - 1}" x2="${x(s.floor.wallMs)}" y2="${y + barH + 1}" stroke="black" stroke-width="2"><title>${esc(`floor: ${s.floor.what}, ${(s.floor.wallMs / 1000).toFixed(2)} s (x${s.floor.ratio})`)}</title></line>`)
      const ratio = s.floor ? `, x${s.floor.ratio.toFixed(1)} floor` : ''
      out.push(`<text x="${x(s.wallMs) + 4}" y="${y + barH - 2}" fill="#333">${(s.wallMs / 1000).toFixed(s.wallMs < 1000 ? 2 : 1)} s${ratio}</text>`)
    })
  })
  out.push(`<text x="${left}" y="${height - 3}" fill="#555">pale bar: wall time; dark bar: CPU time of the Node process; black tick: the stage's floor (log scale)</text>`)
  out.push('</svg>')
  return out.join('\n') + '\n'
}

function main(argv: string[]): void {
  const files: string[] = []
  let outFile = 'city-chart.svg'
  let title: string | undefined
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') outFile = argv[++i]!
    else if (argv[i] === '--title') title = argv[++i]!
    else files.push(argv[i]!)
  }
  if (files.length === 0) throw new Error('give one or more JSON reports of npm run bench:city (--report)')
  const reports = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as CityReport)
  writeFileSync(outFile, stageChart(reports, title ?? `City run ${reports[0]!.month}: stage times`))
  console.log(`written: ${outFile}`)
}

if (process.argv[1] && /chart\.ts$/.test(process.argv[1])) main(process.argv.slice(2))
