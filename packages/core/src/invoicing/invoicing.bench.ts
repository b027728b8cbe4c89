import { bench, describe } from 'vitest'
import { addDays, type LocalDate } from '../time'
import type { InvoiceChargeLine } from './charge-line'
import { buildInvoiceDrafts } from './drafts'
import { defineInvoiceBatch } from './invoice-batch'
import { defineInvoiceNumbering } from './numbering'
import { validateInvoiceDrafts } from './validation'

// Issue 9 targets: drafts for 50,000 payers from 3 million charge lines < 5 s; validating 50,000 drafts < 2 s (in memory).
const PAYERS = 50_000
const LINES = 3_000_000
const batch = defineInvoiceBatch({
  id: 'bench-2026-12', siteId: 'site-1', billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal', 'care', 'study'],
  dueDate: '2027-01-15', portalDisplayDate: '2027-01-05',
})
const days: LocalDate[] = Array.from({ length: 31 }, (_, i) => addDays('2026-12-01', i))
const services = ['meal', 'care', 'study']
const prices = [415n, 250n, 180n, 320n, 100n]
const payerIds = Array.from({ length: PAYERS }, (_, i) => `guardian-${i}`)
const childIds = Array.from({ length: PAYERS * 2 }, (_, i) => `child-${i}`)

function makeCharges(): InvoiceChargeLine[] {
  const out: InvoiceChargeLine[] = new Array(LINES)
  for (let i = 0; i < LINES; i++) {
    const p = i % PAYERS
    const k = (i / PAYERS) | 0 // 60 charges per payer: 2 children x 3 services x 10 days
    const price = prices[(p + k) % prices.length]!
    out[i] = {
      chargeId: `charge-${i}`, debtorId: payerIds[p]!, beneficiaryId: childIds[p * 2 + (k & 1)]!, serviceId: services[k % 3]!, date: days[k % 31]!,
      quantity: 1, unitPriceMinor: price, amountMinor: price,
    }
  }
  return out
}

function measure<T>(label: string, target: number, fn: () => T): T {
  const heap0 = process.memoryUsage().heapUsed
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const out = fn()
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const cpuS = (cpu.user + cpu.system) / 1e6
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1e6
  // CPU time is printed beside wall time: on a shared machine the wall clock also counts waiting for a core
  console.log(`[invoicing] ${label}: ${(ms / 1000).toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU (target < ${target} s, ratio ${(ms / 1000 / target).toFixed(2)} of the target), heap +${heapMb.toFixed(0)} MB`)
  return out
}

describe('invoicing at scale', () => {
  const charges = makeCharges()
  const { drafts } = measure(`buildInvoiceDrafts, ${PAYERS.toLocaleString('en')} payers from ${LINES.toLocaleString('en')} charge lines`, 5, () => buildInvoiceDrafts(batch, charges))
  console.log(`[invoicing] ${(LINES / 1e6).toFixed(1)}M charge lines -> ${drafts.length} drafts`)
  const numbering = defineInvoiceNumbering()
  measure(`validateInvoiceDrafts, ${drafts.length.toLocaleString('en')} drafts`, 2, () => validateInvoiceDrafts(drafts, { issueDate: '2027-01-04', firstSequence: 1, numbering }))

  bench('buildInvoiceDrafts: 3M charge lines, 50k payers', () => { buildInvoiceDrafts(batch, charges) }, { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 })
  bench('validateInvoiceDrafts: 50k drafts', () => { validateInvoiceDrafts(drafts, { issueDate: '2027-01-04', firstSequence: 1, numbering }) }, { iterations: 3, time: 0, warmupIterations: 0, warmupTime: 0 })
})
