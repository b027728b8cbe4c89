import { describe, expect, it } from 'vitest'
import { batch, draftInvoice } from './invoicing'
import { freshSiteId, need, type ConformanceContext } from './support'

/**
 * Invoicing: `listInvoices` with `debtorOrJointDebtorId` finds the invoices a guardian owes, as payer or as
 * joint debtor (a parents' portal shows both; issue 17). @internal
 */
export function describeInvoiceDebtorFilter(ctx: ConformanceContext): void {
  describe('invoicing: invoices of a debtor', () => {
    it('lists the invoices a guardian pays and those they are jointly liable for, and no other', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      const s = freshSiteId()
      await store.createInvoiceBatch(s, batch(s))
      await store.createDrafts(s, [
        draftInvoice(s, 'i-mum', ['c1'], { debtorId: 'mum' }),
        draftInvoice(s, 'i-dad', ['c2'], { debtorId: 'dad', jointDebtorIds: ['grandpa'] }),
        draftInvoice(s, 'i-both', ['c3'], { debtorId: 'mum', jointDebtorIds: ['grandpa', 'dad'] }),
        draftInvoice(s, 'i-other', ['c4'], { debtorId: 'other' }),
      ])
      const ids = async (debtorId: string, extra: { status?: 'draft' | 'validated'; debtorId?: string } = {}) => (await store.listInvoices(s, { debtorOrJointDebtorId: debtorId, ...extra })).items.map((i) => i.id)
      expect(await ids('mum')).toEqual(['i-both', 'i-mum'])
      expect(await ids('dad')).toEqual(['i-both', 'i-dad'])
      expect(await ids('grandpa')).toEqual(['i-both', 'i-dad'])
      expect(await ids('nobody')).toEqual([])
      // combined with the other fields, every field must match
      expect(await ids('grandpa', { debtorId: 'dad' })).toEqual(['i-dad'])
      expect(await ids('mum', { status: 'validated' })).toEqual([])
    })
  })
}
