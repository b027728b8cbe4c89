import { loadavg } from 'node:os'
import { XMLParser } from 'fast-xml-parser'
import { bench, describe } from 'vitest'
import { fixture } from '../test-support/fixtures'
import { writeFatturaPA, type ModelFile } from '../test-support/write-fatturapa'
import { openSignedEnvelope } from './envelope'
import { parseFatturaPA } from './parse-fatturapa'

// Issue 20: reading 10,000 FatturaPA files (mixed XML and .p7m) in under 10 s, beside a baseline
// that parses the same XML with the XML library alone (fast-xml-parser, no envelope, no checks).
const N = 10_000
const SIGNED_SHARE = 0.3

function model(i: number): ModelFile {
  const lines = Array.from({ length: 1 + (i % 8) }, (_, j) => ({
    description: `FORNITURA PASTI MENSA ${i}-${j}`, quantity: `${1 + ((i + j) % 40)}.00`, unitPriceMinor: BigInt(150 + ((i * 7 + j) % 900)),
    rate: (['22.00', '10.00', '4.00'] as const)[(i + j) % 3]!,
  }))
  return {
    format: i % 5 === 0 ? 'FPA12' : 'FPR12', supplierVat: `IT${String(10_000_000_000 + i).slice(-11)}`, customerVat: 'IT09876543210', supplierName: `FORNITORE ${i} SRL`,
    progressive: String(i % 99_999).padStart(5, '0'),
    bodies: Array.from({ length: 1 + (i % 3 === 0 ? 1 : 0) }, (_, b) => ({ type: 'TD01', number: `${i}/${b}`, date: '2027-01-15', lines, withTotal: true, payments: [{ method: 'MP05', due: '2027-02-28' }] })),
  }
}

describe(`${N.toLocaleString('en')} FatturaPA files, ${SIGNED_SHARE * 100} % signed .p7m`, async () => {
  const envelopes = [fixture('oca/IT01234567890_FPR03.xml.p7m'), fixture('oca/IT01234567890_FPR03.base64.xml.p7m'), fixture('oca/IT01234567890_FPR04.base64.xml.p7m')]
  const files: Uint8Array[] = []
  const xmls: string[] = []
  for (let i = 0; i < N; i++) {
    if (i % 10 < SIGNED_SHARE * 10) {
      const env = envelopes[i % envelopes.length]!
      files.push(env)
      xmls.push(Buffer.from((await openSignedEnvelope(env)).content).toString('utf8'))
    } else {
      const xml = writeFatturaPA(model(i))
      files.push(new Uint8Array(Buffer.from(xml, 'utf8')))
      xmls.push(xml)
    }
  }
  const megabytes = files.reduce((a, f) => a + f.length, 0) / 1e6

  const baseParser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false })
  let cpu0 = process.cpuUsage()
  let t0 = performance.now()
  for (const xml of xmls) baseParser.parse(xml)
  const baseMs = performance.now() - t0
  const baseCpu = process.cpuUsage(cpu0)

  cpu0 = process.cpuUsage()
  t0 = performance.now()
  let invoices = 0
  let intact = 0
  let signedMs = 0
  for (const f of files) {
    const s0 = performance.now()
    const r = await parseFatturaPA(f)
    invoices += r.invoices.length
    if (r.envelope) signedMs += performance.now() - s0
    if (r.envelope?.intact) intact++
  }
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  console.log(
    `[bench] parseFatturaPA ${N} files (${megabytes.toFixed(1)} MB; ${intact} signed envelopes verified; ${invoices} invoices): ${ms.toFixed(0)} ms ` +
      `(target < 10000 ms, ${(ms / 10000).toFixed(2)} of the budget), CPU time ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms; of which the ${intact} envelopes ${signedMs.toFixed(0)} ms wall; ` +
      `baseline fast-xml-parser alone on the same XML: ${baseMs.toFixed(0)} ms, CPU ${((baseCpu.user + baseCpu.system) / 1000).toFixed(0)} ms; ratio ${(ms / baseMs).toFixed(1)}x (load average ${loadavg()[0]!.toFixed(1)})`,
  )

  const some = files.slice(0, 500)
  bench('parseFatturaPA, 500 files (150 signed)', async () => {
    for (const f of some) await parseFatturaPA(f)
  }, { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 })
  const someXml = xmls.slice(0, 500)
  bench('baseline: fast-xml-parser alone, the same 500 XML texts', () => {
    for (const x of someXml) baseParser.parse(x)
  }, { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 })
})
