import { loadavg } from 'node:os'
import { bench, describe } from 'vitest'
import { buildPain001, refundTransfers } from './build-pain-001'
import { buildPain008 } from './build-pain-008'
import { sampleBatch } from '../test-support/batches'

// Issue 14: a pain.001 of 10,000 refunds, built from ledger balances, in under 1 s.
const N = 10_000
const balancesOf = (n: number) => Array.from({ length: n }, (_, i) => ({
  payerId: `g${i}`, balance: { amount: `${1 + (i % 300)}.${String(i % 100).padStart(2, '0')}`, currency: 'EUR' }, name: `Famille Dupré ${i}`, iban: 'BE71096123456769',
}))
const debtor = { name: 'Commune de Wavre', iban: 'BE68539007547034', bic: 'GEBABEBB', address: { town: 'Wavre', country: 'BE' } }

describe(`pain.001 of ${N.toLocaleString('en')} refunds`, () => {
  const balances = balancesOf(N)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const { transfers } = refundTransfers(balances, { endToEndPrefix: 'RB-', remittance: 'Remboursement du solde cantine' })
  const xml = buildPain001({ messageId: 'REFUND-BENCH', createdAt: '2027-06-30T09:00:00Z', executionDate: '2027-07-02', debtor, transfers })
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  // baseline in the same run: the sample pain.008 of a few debits, built as many times as it takes to write as many transactions
  const sample = sampleBatch()
  const t1 = performance.now()
  for (let i = 0; i < N / sample.debits.length; i++) buildPain008(sample)
  const baseline = performance.now() - t1
  console.log(
    `[bench] pain.001 ${N} refunds from balances: ${ms.toFixed(0)} ms (target < 1000 ms, ${(ms / 1000).toFixed(2)} of the budget); ${(xml.length / 1e6).toFixed(1)} MB; ` +
      `CPU time ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms; baseline pain.008 of as many debits in small files ${baseline.toFixed(0)} ms (load average ${loadavg()[0]!.toFixed(1)})`,
  )
  const small = balancesOf(N / 10)
  bench('refundTransfers + buildPain001, 1,000 refunds', () => {
    buildPain001({ messageId: 'REFUND-BENCH', createdAt: '2027-06-30T09:00:00Z', executionDate: '2027-07-02', debtor, transfers: refundTransfers(small, { endToEndPrefix: 'RB-' }).transfers })
  }, { iterations: 5, warmupIterations: 1, time: 0, warmupTime: 0 })
})
