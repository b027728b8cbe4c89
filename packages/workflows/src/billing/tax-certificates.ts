import {
  allocateMinor, computeTaxCertificates as computeCertificates, type CreditNote, type Invoice, type TaxCertificate, type TaxCertificateChild,
  type TaxCertificateInvoice, type TaxCertificateRules, type TaxServiceKind,
} from '@ecole/core'
import { loadAccounts, type BillingDeps } from './support'
import { asUseCaseError } from '../use-case-error'

/**
 * What each line of an invoice bills: its amount, its own adjustments, and its share of the
 * whole-invoice adjustments (pro rata to the lines, largest remainder). A whole-invoice adjustment
 * with no line billing anything to spread it over is `unspread`: passed as a line of its own
 * (never care), so the lines still add up to the invoice's total.
 */
function billedLineAmounts(inv: Invoice): { billed: bigint[]; unspread: bigint } {
  const billed = inv.lines.map((l) => {
    let amount = l.amountMinor
    for (const a of inv.adjustments) if (a.lineId === l.id) amount += a.amountMinor
    return amount
  })
  let whole = 0n
  for (const a of inv.adjustments) if (a.lineId === null) whole += a.amountMinor
  const weights = billed.map((b) => (b > 0n ? b : 0n))
  if (whole === 0n || !weights.some((w) => w > 0n)) return { billed, unspread: whole }
  allocateMinor(whole, weights).forEach((part, i) => { billed[i] = billed[i]! + part })
  return { billed, unspread: 0n }
}

/**
 * Computes a year's tax certificates (France or Belgium) from the site's validated invoices,
 * credit notes and recorded payments: per debtor and child, as data (see `computeTaxCertificates`
 * of `@ecole/core` for the rules). `serviceKinds` says which services are care (meals and
 * others never count).
 *
 * Each line counts for what it bills (its adjustments included, whole-invoice ones spread pro
 * rata) net of the credit notes on it; what was paid on an invoice counts up to its net total
 * only, so a credited care line is never certified, even when it was paid before the credit.
 * The lines passed always explain the invoice (lines minus credit notes = total minus credits),
 * as `computeTaxCertificates` requires: an invoice stored otherwise is refused, never guessed at.
 *
 * @example
 * const certs = await issueTaxCertificates(deps, { siteId, rules: { country: 'FR', year: 2027 },
 *   children: [{ beneficiaryId: 'k1', birthDate: '2022-03-01' }], serviceKinds: { care: 'care', meal: 'meal' } })
 */
export async function issueTaxCertificates(
  deps: BillingDeps,
  input: { siteId: string; rules: TaxCertificateRules; children: readonly TaxCertificateChild[]; serviceKinds: Readonly<Record<string, TaxServiceKind>> },
): Promise<TaxCertificate[]> {
  try {
    return await deps.storage.transaction(input.siteId, async (tx) => {
      const acc = await loadAccounts(tx, input.siteId)
      const notesOf = new Map<string, CreditNote[]>()
      for (const c of acc.creditNotes) {
        const list = notesOf.get(c.invoiceId)
        if (list) list.push(c)
        else notesOf.set(c.invoiceId, [c])
      }
      const paymentsOf = new Map<string, TaxCertificateInvoice['payments']>()
      for (const p of acc.payments) {
        if (p.status !== 'recorded') continue // a returned direct debit pays nothing
        for (const a of p.allocations) {
          const list = paymentsOf.get(a.invoiceId)
          if (list) list.push({ date: p.date, amountMinor: a.amountMinor })
          else paymentsOf.set(a.invoiceId, [{ date: p.date, amountMinor: a.amountMinor }])
        }
      }
      const invoices = acc.invoices.map((inv): TaxCertificateInvoice => {
        const b = acc.balances.get(inv.id)!
        const { billed, unspread } = billedLineAmounts(inv)
        const lines: TaxCertificateInvoice['lines'] = inv.lines.map((l, i) => ({ lineId: l.id, beneficiaryId: l.beneficiaryId, kind: input.serviceKinds[l.serviceId] ?? 'other', dates: l.dates, amountMinor: billed[i]! }))
        if (unspread !== 0n) lines.push({ beneficiaryId: inv.lines[0]?.beneficiaryId ?? inv.debtorId, kind: 'other', dates: [], amountMinor: unspread })
        return {
          invoiceId: inv.id, debtorId: inv.debtorId, currency: inv.currency, dueMinor: b.totalMinor - b.creditedMinor,
          lines,
          creditNotes: (notesOf.get(inv.id) ?? []).map((c) => ({ amountMinor: c.amountMinor, lines: c.lines.map((l) => ({ lineId: l.lineId, amountMinor: l.amountMinor })) })),
          payments: paymentsOf.get(inv.id) ?? [],
        }
      })
      return computeCertificates(invoices, input.children, input.rules)
    })
  } catch (error) {
    throw asUseCaseError(error, 'issueTaxCertificates', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the certificates to issue'] })
  }
}
