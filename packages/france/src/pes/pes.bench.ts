import { bench, describe } from 'vitest'
import type { LocalDate } from '@ecole/core'
import { invoice } from '../test-support/records'
import { buildPesAller } from '.'

// Issue 19 target: 50,000 titles to PES V2 in < 5 s, beside a baseline writing the same number of rows of
// plain text (one line per title with the same values, UTF-8 encoded).

const N = 50_000
const invoices = Array.from({ length: N }, (_, i) =>
  invoice({ id: `inv-${i}`, number: `F2027-${String(i + 1).padStart(6, '0')}`, issueDate: '2027-01-31' as LocalDate, debtorId: `g-${i % 2000}`, lines: [{ serviceId: 'canteen', amountMinor: BigInt(4150 + (i % 997)) }] }),
)
const debtors = Object.fromEntries(Array.from({ length: 2000 }, (_, k) => [`g-${k}`, { lastName: `Famille ${k}`, firstName: 'Zoë', address: { line: `${k} rue des Écoles`, postalCode: '75005', city: 'Paris' } }]))
const regie = { siret: '21750001600019', postCode: '075000', collectivityCode: '001', budgetCode: '00', productCode: 'CANT', nature: '7067', issuer: { name: 'Ville', software: '@ecole/france' }, titleObject: 'Restauration scolaire' }
const bordereau = { fileName: 'PES.xml', year: 2027, number: 1, firstTitleNumber: 1, issueDate: '2027-02-01', period: '1' }
const titles = invoices.map((invoice) => ({ invoice }))
const keys = () => ({ cle1: '1', cle2: 'A' })

const cpu0 = process.cpuUsage()
const t0 = performance.now()
const file = buildPesAller(regie, bordereau, titles, debtors, { checkKeys: keys })
const cpu = process.cpuUsage(cpu0)
console.log(`[pes] ${file.titles.length} titles, ${(file.bytes.length / 1e6).toFixed(1)} MB: ${(performance.now() - t0).toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU`)

function baseline(): Uint8Array {
  const rows: string[] = []
  for (let i = 0; i < N; i++) {
    const inv = invoices[i]!
    const d = debtors[inv.debtorId]!
    rows.push([i + 1, inv.number, inv.totalMinor, d.lastName, d.firstName, d.address.line, d.address.postalCode, d.address.city, '1', 'A'].join('\t'))
  }
  return new TextEncoder().encode(rows.join('\n'))
}

describe('PES V2 of 50,000 titles (target < 5 s)', () => {
  bench('buildPesAller: 50,000 titles', () => {
    buildPesAller(regie, bordereau, titles, debtors, { checkKeys: keys })
  }, { iterations: 3, warmupIterations: 1 })
  bench('baseline: 50,000 rows of plain text', () => {
    baseline()
  }, { iterations: 3, warmupIterations: 1 })
})
