import type { InvoiceBalance } from './invoice-balance'
import { asInputError } from '../input-error'

/** Whether a guardian may be archived, and if not which invoices are unpaid. */
export type GuardianArchiveCheck = { ok: true } | { ok: false; reason: 'UNPAID_INVOICES'; invoices: Array<{ invoiceId: string; number: string | null; outstandingMinor: bigint }> }

/**
 * A guardian with unpaid invoices cannot be archived: the answer names the invoices to settle first.
 *
 * @example
 * checkGuardianArchivable([{ invoice: { id: 'i1', number: 'F1' }, balance: { outstandingMinor: 500n } }])
 * //=> { ok: false, reason: 'UNPAID_INVOICES', invoices: [{ invoiceId: 'i1', number: 'F1', outstandingMinor: 500n }] }
 */
export function checkGuardianArchivable(items: ReadonlyArray<{ invoice: { id: string; number: string | null }; balance: Pick<InvoiceBalance, 'outstandingMinor'> }>): GuardianArchiveCheck {
  try {
    const unpaid = items.filter((i) => i.balance.outstandingMinor > 0n).map((i) => ({ invoiceId: i.invoice.id, number: i.invoice.number, outstandingMinor: i.balance.outstandingMinor }))
    return unpaid.length === 0 ? { ok: true } : { ok: false, reason: 'UNPAID_INVOICES', invoices: unpaid }
  } catch (error) {
    throw asInputError(error, 'checkGuardianArchivable', { items: [items, 'array', "the guardian's invoices with their balances"] })
  }
}
