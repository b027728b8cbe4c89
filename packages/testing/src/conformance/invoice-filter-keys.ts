import { isEcoleError } from '@ecole/core'
import type { InvoiceFilter } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/**
 * Invoicing: `listInvoices` refuses a filter key it does not know instead of ignoring it (a
 * filter built in a variable escapes the compiler's check; an ignored `payerId` would list every
 * family's invoices). @internal
 */
export function describeInvoiceFilterKeys(ctx: ConformanceContext): void {
  describe('invoicing: unknown invoice filter keys', () => {
    it('refuses a misspelt or renamed filter key with INVALID_INPUT naming it and the key meant, and accepts every known key', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      const s = freshSiteId()
      const renamed = { payerId: 'g-1' } as unknown as InvoiceFilter
      const error = await store.listInvoices(s, renamed).then(() => undefined, (e: unknown) => e)
      expect(isEcoleError(error, 'INVALID_INPUT')).toBe(true)
      expect((error as Error).message).toContain('filter.payerId')
      expect((error as Error).message).toContain('debtorId')
      const typo = { statuss: 'draft' } as unknown as InvoiceFilter
      const typoError = await store.listInvoices(s, typo).then(() => undefined, (e: unknown) => e)
      expect(isEcoleError(typoError, 'INVALID_INPUT')).toBe(true)
      expect((typoError as Error).message).toContain('did you mean `status`')
      const every: Required<InvoiceFilter> = { batchId: 'b', debtorId: 'g', debtorOrJointDebtorId: 'g', status: 'draft', billingOfficeId: 'o', folderId: 'f', dueBefore: '2027-01-01', balance: 'toRemind', today: '2027-01-01', search: { numberPrefix: 'F', debtorIds: ['g'] } }
      expect((await store.listInvoices(s, every)).items).toEqual([])
      expect((await store.listInvoices(s, {})).items).toEqual([])
    })
  })
}
