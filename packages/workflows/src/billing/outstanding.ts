import type { BillingDeps } from './support'
import { loadAccounts } from './support'
import { asUseCaseError } from '../use-case-error'

/**
 * What one debtor owes on validated invoices (seed 001 "débiteurs": families with unpaid
 * invoices), minor units per currency.
 *
 * @example
 * const d: DebtorOutstanding = { debtorId: 'marie', currency: 'EUR', outstandingMinor: 12500n, invoiceIds: ['inv-1', 'inv-4'] }
 */
export interface DebtorOutstanding {
  /** The payer of the invoices. */
  debtorId: string
  /** Currency of the amounts. */
  currency: string
  /** Sum of what remains due on them (credit notes and recorded payments taken off). */
  outstandingMinor: bigint
  /** The invoices with something due, in id order. */
  invoiceIds: string[]
}

/**
 * The debtors of the site (optionally of one billing office): every payer of a validated invoice
 * with something still due, and what they owe, in debtor order. A group message "to the debtors"
 * selects these guardians and merges the amount, formatted in the family's language.
 *
 * @example
 * const debtors = await outstandingByDebtor(deps, { siteId: 's1' })
 * debtors[0] //=> { debtorId: 'marie', currency: 'EUR', outstandingMinor: 12500n, invoiceIds: ['inv-1'] }
 * @throws EcoleError `PORT_MISSING` without the invoicing or payments port; `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function outstandingByDebtor(deps: BillingDeps, args: { siteId: string; billingOfficeId?: string | undefined }): Promise<DebtorOutstanding[]> {
  try {
    return await deps.storage.transaction(args.siteId, async (tx) => {
      const { invoices, balances } = await loadAccounts(tx, args.siteId, args.billingOfficeId ? { billingOfficeId: args.billingOfficeId } : {})
      const out = new Map<string, DebtorOutstanding>()
      for (const invoice of [...invoices].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
        const due = balances.get(invoice.id)?.outstandingMinor ?? 0n
        if (due <= 0n) continue
        const key = `${invoice.debtorId}\u0000${invoice.currency}`
        const d = out.get(key) ?? { debtorId: invoice.debtorId, currency: invoice.currency, outstandingMinor: 0n, invoiceIds: [] }
        d.outstandingMinor += due
        d.invoiceIds.push(invoice.id)
        out.set(key, d)
      }
      return [...out.values()].sort((a, b) => (a.debtorId < b.debtorId ? -1 : a.debtorId > b.debtorId ? 1 : a.currency < b.currency ? -1 : 1))
    })
  } catch (error) {
    throw asUseCaseError(error, 'outstandingByDebtor', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], args: [args, 'object', 'the site ({ siteId, billingOfficeId })'] })
  }
}
