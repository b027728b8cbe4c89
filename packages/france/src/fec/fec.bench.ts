import type { LocalDate } from '@ecole/core'
import { bench, describe } from 'vitest'
import { encodeLatin9 } from '../text/latin9'
import { invoice } from '../test-support/records'
import { buildFec } from '.'

// Issue 19 target: 50,000 FEC lines in < 2 s, beside a baseline writing the same number of rows of
// plain text (18 fields joined, encoded to ISO 8859-15) with no accounting logic.

const INVOICES = 16_667 // 3 lines each (411, revenue of two services) = 50,001 lines
const invoices = Array.from({ length: INVOICES }, (_, i) =>
  invoice({
    id: `i${i}`, number: `F2026-${String(i + 1).padStart(6, '0')}`, issueDate: `2026-${String(1 + (i % 12)).padStart(2, '0')}-15` as LocalDate, debtorId: `g-${i % 500}`,
    lines: [{ serviceId: 'canteen', amountMinor: BigInt(4150 + (i % 97)) }, { serviceId: 'garderie', amountMinor: 1200n }],
  }),
)
const debtors = Object.fromEntries(Array.from({ length: 500 }, (_, k) => [`g-${k}`, { name: `FAMILLE ${k} Éloïse` }]))
const settings = { siren: '123456789', period: { from: '2026-01-01', to: '2026-12-31' }, validatedOn: '2027-01-15', billingOffices: [{ id: 'regie', name: 'Régie cantine', journalPrefix: 'C' }] }

const first = buildFec(settings, { invoices, debtors })
if (first.lineCount < 50_000) throw new Error(`bench: ${first.lineCount} lines, expected 50,000`)
const cpu0 = process.cpuUsage()
const t0 = performance.now()
buildFec(settings, { invoices, debtors })
const cpu = process.cpuUsage(cpu0)
console.log(`[fec] ${first.lineCount} lines, ${(first.bytes.length / 1e6).toFixed(1)} MB: ${(performance.now() - t0).toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU`)

function baseline(): Uint8Array {
  const rows: string[] = []
  for (let i = 0; i < first.lineCount; i++) {
    rows.push(['CVT', 'Ventes Régie cantine', `CVT${i}`, '20260115', '706000', 'Prestations de services', 'g-1', 'FAMILLE 1 Éloïse', `F${i}`, '20260115', `Facture F${i}`, '41,50', '0,00', '', '', '20270115', '', ''].join('\t'))
  }
  return encodeLatin9(rows.join('\r\n')).bytes
}

describe('FEC of 50,000 lines (target < 2 s)', () => {
  bench('buildFec: 16,667 invoices -> 50,001 lines', () => {
    buildFec(settings, { invoices, debtors })
  }, { iterations: 5, warmupIterations: 1 })
  bench('baseline: 50,001 rows of 18 plain-text fields, encoded', () => {
    baseline()
  }, { iterations: 5, warmupIterations: 1 })
})
