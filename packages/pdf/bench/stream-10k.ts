// A batch of invoices streamed to files, in its own process (so the heap measured is the batch's, not
// the test runner's): `node --import tsx --conditions=@ecole/source --max-old-space-size=200 bench/stream-10k.ts [count]`.
// Prints one JSON line: documents, bytes, wall and CPU seconds, heap before and at its peak (sampled after each document).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPdfRenderer, type PdfRequest } from '../src/renderer'
import { folderSink } from '../src/sinks'
import { invoiceRequest, sampleInvoice } from '../src/test-support/fixtures'

const count = Number(process.argv[2] ?? 10_000)
const dir = mkdtempSync(join(tmpdir(), 'ecole-pdf-stream-'))
const base = sampleInvoice()
const template = invoiceRequest(base)
function* requests(): Generator<PdfRequest> {
  for (let i = 0; i < count; i++) {
    yield { kind: 'invoice', data: { ...template, invoice: { ...base, id: `inv-${i}`, number: `F2027-${String(i + 1).padStart(6, '0')}`, comment: `Famille n° ${i}` } } }
  }
}
const heapBefore = process.memoryUsage().heapUsed
let peak = heapBefore
let rssPeak = process.memoryUsage().rss
const cpu0 = process.cpuUsage()
const t0 = performance.now()
const result = await createPdfRenderer().renderBatch(requests(), folderSink(dir), {
  total: count,
  onProgress: () => {
    const m = process.memoryUsage()
    if (m.heapUsed > peak) peak = m.heapUsed
    if (m.rss > rssPeak) rssPeak = m.rss
  },
})
const wall = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(cpu0)
const files = readdirSync(dir).length
rmSync(dir, { recursive: true, force: true })
console.log(JSON.stringify({ documents: result.count, files, bytes: result.bytes, wallS: wall, cpuS: (cpu.user + cpu.system) / 1e6, heapBeforeMb: heapBefore / 1e6, heapPeakMb: peak / 1e6, rssPeakMb: rssPeak / 1e6 }))
