import { bench, describe } from 'vitest'
import { ogm, rf } from './index'

// Reconciliation's third step reads references out of free remittance text, once per statement
// entry: what does that cost for a 100,000-entry statement?
const lines = Array.from(
  { length: 10_000 },
  (_, i) => `Paiement facture 2026-${i} famille Dupont ${i % 2 === 0 ? '+++123/4567/89002+++' : 'RF18 5390 0754 7034'} merci beaucoup`,
)

describe('references found in free text (10,000 remittance lines)', () => {
  bench('ogm.findIn', () => {
    for (const l of lines) ogm.findIn(l)
  })
  bench('rf.findIn', () => {
    for (const l of lines) rf.findIn(l)
  })
  bench('ogm.isValid + rf.isValid of structured references', () => {
    for (let i = 0; i < lines.length; i++) {
      ogm.isValid('+++123/4567/89002+++')
      rf.isValid('RF18539007547034')
    }
  })

  // one-off figure for docs/performance.md: both finders over 100,000 lines
  const big = Array.from({ length: 10 }, () => lines).flat()
  const t0 = performance.now()
  let found = 0
  for (const l of big) found += ogm.findIn(l).length + rf.findIn(l).length
  const ms = performance.now() - t0
  console.log(`[references] ogm.findIn + rf.findIn over ${big.length} lines: ${ms.toFixed(0)} ms (${Math.round(big.length / (ms / 1000))} lines/s, ${found} references found)`)
})
