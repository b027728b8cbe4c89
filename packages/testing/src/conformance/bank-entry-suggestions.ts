import type { ImportedBankEntry } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/**
 * Conformance of the bank-imports port for entries kept for review: the rule reconciliation
 * could not decide by and each suggestion (its score, a reference typo's corrected reference, the
 * amount left to pay in minor units) are stored with the entry and read back as they were.
 *
 * @example
 * describeBankEntrySuggestions(ctx)
 */
export function describeBankEntrySuggestions(ctx: ConformanceContext): void {
  describe('bank imports: suggestions of entries kept for review', () => {
    it('stores a review entry’s rule and suggestions (score, corrected reference, amount in minor units) and reads them back unchanged', async () => {
      const store = need(ctx.storage().bankImports, 'bankImports')
      const site = freshSiteId()
      const typo: ImportedBankEntry = {
        entryReference: 'SUG-1', accountIban: 'BE68539007547034', bookingDate: '2027-01-12', amountMinor: 2660n, currency: 'EUR', direction: 'credit',
        counterpartyName: 'Someone Else', remittance: '042100000139',
        outcome: {
          kind: 'review', reason: 'AMBIGUOUS', candidates: ['invoice:b1:g1', 'wallet:g1'], rule: 'REFERENCE_TYPO',
          suggestions: [
            { kind: 'invoice', id: 'b1:g1', score: 0.9, correctedReference: '+++042/1000/00139+++', amountMinor: 2660n },
            { kind: 'wallet', id: 'g1', score: 0.9, correctedReference: '+++042/1000/00149+++' },
          ],
        },
      }
      const byName: ImportedBankEntry = {
        ...typo, entryReference: 'SUG-2', remittance: 'cantine', counterpartyName: 'Jérôme Dupont',
        outcome: { kind: 'review', reason: 'AMBIGUOUS', candidates: ['invoice:b1:g2'], rule: 'NAME_AND_AMOUNT', suggestions: [{ kind: 'invoice', id: 'b1:g2', score: 0.73, amountMinor: 9007199254740993n }] },
      }
      expect(await store.createBankEntry(site, typo)).toBe('created')
      expect(await store.createBankEntry(site, byName)).toBe('created')
      // a replay with the same bank data is `exists`, and the stored suggestions stay as they were
      expect(await store.createBankEntry(site, { ...typo, outcome: { kind: 'ignored', reason: 'already imported' } })).toBe('exists')
      expect((await store.listBankEntries(site, { outcome: 'review' })).items).toEqual([typo, byName])
    })
  })
}
