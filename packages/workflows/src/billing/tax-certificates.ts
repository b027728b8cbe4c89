import {
  computeTaxCertificates as computeCertificates, type TaxCertificate, type TaxCertificateChild, type TaxCertificateRules, type TaxServiceKind,
} from '@ecole/core'
import { loadAccounts, type BillingDeps } from './support'

/**
 * Computes a year's tax certificates (France or Belgium) from the site's validated invoices,
 * credit notes and recorded payments: per debtor and child, as data (see `computeTaxCertificates`
 * of `@ecole/core` for the rules). `serviceKinds` says which services are care (meals and
 * others never count).
 *
 * @example
 * const certs = await issueTaxCertificates(deps, { siteId, rules: { country: 'FR', year: 2027 },
 *   children: [{ beneficiaryId: 'k1', birthDate: '2022-03-01' }], serviceKinds: { care: 'care', meal: 'meal' } })
 */
export async function issueTaxCertificates(
  deps: BillingDeps,
  input: { siteId: string; rules: TaxCertificateRules; children: readonly TaxCertificateChild[]; serviceKinds: Readonly<Record<string, TaxServiceKind>> },
): Promise<TaxCertificate[]> {
  return deps.storage.transaction(input.siteId, async (tx) => {
    const acc = await loadAccounts(tx, input.siteId)
    const invoices = acc.invoices.map((inv) => {
      const b = acc.balances.get(inv.id)!
      return {
        invoiceId: inv.id, debtorId: inv.debtorId, currency: inv.currency, dueMinor: b.totalMinor - b.creditedMinor,
        lines: inv.lines.map((l) => ({ beneficiaryId: l.beneficiaryId, kind: input.serviceKinds[l.serviceId] ?? 'other', dates: l.dates, amountMinor: l.amountMinor })),
        payments: acc.payments.flatMap((p) => p.allocations.filter((a) => a.invoiceId === inv.id).map((a) => ({ date: p.date, amountMinor: a.amountMinor }))),
      }
    })
    return computeCertificates(invoices, input.children, input.rules)
  })
}
