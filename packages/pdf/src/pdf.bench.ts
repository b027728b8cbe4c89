import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import PDFDocument from 'pdfkit'
import { bench, describe } from 'vitest'
import { documentFonts } from './fonts'
import { createFormatter } from './format'
import { shareLayoutCache } from './layout'
import { collect } from './render-one'
import { printableProblem } from './printable'
import { renderPdf, type PdfRequest } from './renderer'
import { NAMES, SERVICES, invoiceRequest, longInvoice } from './test-support/fixtures'

// Issue 16 targets: invoices of 3 pages >= 100/s on one core, beside a baseline (pdfkit writing the same
// text and lines with no layout logic); 10,000 invoices streamed to files with peak heap < 200 MB; the
// first document's latency (fonts loaded) reported.

const t0 = performance.now()
documentFonts()
const fontsMs = performance.now() - t0
const request: PdfRequest = { kind: 'invoice', data: invoiceRequest(longInvoice(17)) }
const t1 = performance.now()
const first = renderPdf(request)
await collect(first.chunks)
const firstMs = performance.now() - t1
console.log(`[pdf] fonts loaded and prepared in ${fontsMs.toFixed(0)} ms; first invoice (${first.pages} pages) in ${firstMs.toFixed(0)} ms after that`)

/** The baseline: pdfkit writes the same cells at fixed places (same fonts, same word cache), nothing measured or wrapped. */
async function baseline(): Promise<number> {
  const inv = (request.data as { invoice: ReturnType<typeof longInvoice> }).invoice
  const f = createFormatter('fr')
  const fonts = documentFonts()
  const doc = new PDFDocument({ size: 'A4', compress: true, font: fonts.regular as never, bufferPages: false } as never)
  doc.registerFont('R', fonts.regular as never)
  doc.registerFont('B', fonts.bold as never)
  doc.font('B')
  shareLayoutCache(doc, 'B')
  doc.font('R')
  shareLayoutCache(doc, 'R')
  doc.fontSize(8.5)
  const names = { ...NAMES } as Record<string, string>
  let y = 300
  const cell = (t: string, x: number) => doc.text(t, x, y, { lineBreak: false })
  for (const l of inv.lines) {
    if (y > 760) {
      doc.addPage()
      y = 42
    }
    cell(names[l.beneficiaryId] ?? `Enfant ${l.beneficiaryId} Élodie-Bénédicte`, 45)
    cell(SERVICES[l.serviceId]!, 155)
    cell(`${f.shortDate(l.from)} – ${f.shortDate(l.to)}`, 260)
    cell(String(l.quantity), 390)
    cell(f.money(l.unitPriceMinor, 'EUR'), 430)
    cell(f.money(l.amountMinor, 'EUR'), 500)
    doc.moveTo(42, y + 12).lineTo(553, y + 12).lineWidth(0.3).stroke()
    y += 24
  }
  cell(f.money(inv.totalMinor, 'EUR'), 500)
  doc.end()
  return (await collect(doc as unknown as AsyncIterable<Uint8Array>)).length
}

async function rate(label: string, n: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await fn()
  const cpu0 = process.cpuUsage()
  const w0 = performance.now()
  for (let i = 0; i < n; i++) await fn()
  const wall = (performance.now() - w0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const cpuS = (cpu.user + cpu.system) / 1e6
  console.log(`[pdf] ${label}: ${(n / wall).toFixed(0)}/s wall, ${(n / cpuS).toFixed(0)}/s per CPU second (${n} documents)`)
  return n / cpuS
}

const layoutRate = await rate(`invoices of ${first.pages} pages (${(request.data as { invoice: { lines: unknown[] } }).invoice.lines.length} lines)`, 300, async () => collect(renderPdf(request).chunks))
const baseRate = await rate('baseline: pdfkit writing the same cells at fixed places', 300, baseline)
console.log(`[pdf] layout / baseline: ${(layoutRate / baseRate).toFixed(2)} (target: >= 100 invoices of 3 pages per second: ${layoutRate >= 100 ? 'met' : 'NOT met'})`)

// 10,000 invoices streamed to files, in a child process capped at a 200 MB heap (it would die past it),
// its heap sampled after each document
const child = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@ecole/source', '--max-old-space-size=200', 'bench/stream-10k.ts', '10000'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', maxBuffer: 1 << 20,
})
if (child.status !== 0) throw new Error(`the 10,000-invoice batch failed: ${child.stderr}`)
const run = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { documents: number; files: number; bytes: number; wallS: number; cpuS: number; heapBeforeMb: number; heapPeakMb: number; rssPeakMb: number }
console.log(
  `[pdf] 10,000 invoices streamed to files (own process, --max-old-space-size=200): ${run.files} files, ${(run.bytes / 1e6).toFixed(0)} MB, ${run.wallS.toFixed(1)} s wall, ${run.cpuS.toFixed(1)} s CPU ` +
    `(${(run.documents / run.cpuS).toFixed(0)}/s per CPU second), heap ${run.heapBeforeMb.toFixed(0)} MB before, peak ${run.heapPeakMb.toFixed(0)} MB (target < 200 MB: ${run.heapPeakMb < 200 ? 'met' : 'NOT met'}), RSS peak ${run.rssPeakMb.toFixed(0)} MB`,
)

describe('pdf', () => {
  bench('invoice of 3 pages, with layout', async () => {
    await collect(renderPdf(request).chunks)
  }, { iterations: 50, time: 0 })
  bench('baseline: pdfkit, same text, no layout logic', async () => {
    await baseline()
  }, { iterations: 50, time: 0 })
})

// The check every printed text goes through (printableProblem: controls, XML, right-to-left,
// the fonts' glyphs), over a directory of 100,000 names, beside a baseline of one control-character
// regular expression over the same names.
const DIRECTORY = Array.from({ length: 100_000 }, (_, i) => `Hélène-Françoise Ωμέγα Жанна ${i}`)
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/
describe('printable text, 100,000 names', () => {
  bench('printableProblem', () => {
    for (const n of DIRECTORY) if (printableProblem(n) !== undefined) throw new Error(n)
  })
  bench('baseline: one control-character regular expression', () => {
    for (const n of DIRECTORY) if (CONTROLS.test(n)) throw new Error(n)
  })
})
