import { loadavg } from 'node:os'
import { bench, describe } from 'vitest'
import { ogmOf } from '../test-support/generate'
import { buildPain008 } from './build-pain-008'
import type { DirectDebitBatch } from './direct-debit-batch'

// Issue 7: a pain.008 of 50,000 debits in under 3 s; issue 14: under 2 s (3.56 s on the reference machine before).
const N = 50_000
const batchOf = (n: number): DirectDebitBatch => ({
  messageId: 'BENCH-2026-12',
  createdAt: '2026-11-20T09:30:00Z',
  creditor: { name: 'Commune de Wavre — Régie', iban: 'BE68539007547034', bic: 'GEBABEBB', creditorId: 'FR72ZZZ123456', address: { town: 'Wavre', country: 'BE' } },
  debits: Array.from({ length: n }, (_, i) => ({
    endToEndId: `INV-2026-${String(i).padStart(6, '0')}`,
    amount: { amount: `${10 + (i % 90)}.${String(i % 100).padStart(2, '0')}`, currency: 'EUR' as const },
    collectionDate: i % 2 === 0 ? ('2026-12-05' as const) : ('2026-12-12' as const),
    sequenceType: i % 10 === 0 ? ('FRST' as const) : ('RCUR' as const),
    mandate: { id: `RUM-${i}`, signatureDate: '2025-09-01' as const },
    debtor: { name: `Hélène Dupré ${i}`, iban: 'BE71096123456769', address: { street: 'Rue de la Station', buildingNumber: String(1 + (i % 200)), postCode: '1300', town: 'Wavre', country: 'BE' } },
    remittance: { kind: 'ogm' as const, reference: ogmOf(2_000_000_000 + i) },
  })),
})

describe(`pain.008 of ${N.toLocaleString('en')} debits`, () => {
  const batch = batchOf(N)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const xml = buildPain008(batch)
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  console.log(
    `[bench] pain.008 ${N} debits: ${ms.toFixed(0)} ms (target < 2000 ms, ${(ms / 2000).toFixed(2)} of the budget); ` +
      `${Math.round(N / (ms / 1000)).toLocaleString('en')} debits/s; ${(xml.length / 1e6).toFixed(1)} MB of XML; CPU time ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (load average ${loadavg()[0]!.toFixed(1)})`,
  )
  const small = batchOf(N / 10)
  bench('buildPain008, 5,000 debits', () => {
    buildPain008(small)
  }, { iterations: 5, warmupIterations: 1, time: 0, warmupTime: 0 })
})
