/** An invoice as a PDF (@ecole/pdf), in the reader's language, issued by the stored site and billing office. */
import { sepaMandateStateOn, type Invoice } from '@ecole/core'
import { billingIssuer } from '../billing-office-data'
import type { AppContext } from '../compose'
import type { Lang } from '../i18n'

/** Renders one invoice, asking for what is still due given `settled` (what was paid and credited; nothing when absent). */
export async function invoicePdf(ctx: AppContext, invoice: Invoice, lang: Lang, settled?: { paidMinor: bigint; creditedMinor: bigint }): Promise<Uint8Array> {
  const siteId = ctx.config.siteId
  const d = ctx.storage.directory!
  const payer = await d.getDirectoryRecord(siteId, 'guardian', invoice.debtorId)
  const household = payer && (await d.getDirectoryRecord(siteId, 'household', payer.householdId))
  const names: Record<string, string> = {}
  for (const id of new Set([invoice.debtorId, ...invoice.jointDebtorIds])) {
    const g = await d.getDirectoryRecord(siteId, 'guardian', id)
    if (g) names[id] = `${g.firstName} ${g.lastName}`
  }
  for (const id of new Set(invoice.lines.map((l) => l.beneficiaryId))) {
    const ch = await d.getDirectoryRecord(siteId, 'child', id)
    if (ch) names[id] = `${ch.firstName} ${ch.lastName}`
  }
  const address = household ? [household.address.line1, [household.address.postcode, household.address.city].filter(Boolean).join(' ')].filter((x): x is string => !!x) : []
  // the stored site, its schools' UAI, the invoice's billing office and the site's logo (PNG or JPEG)
  const issuer = await billingIssuer(ctx, siteId, invoice.billingOfficeId)
  const services = await d.listDirectoryRecords(siteId, 'service', { limit: 1000 })
  // debited only with a mandate usable on the debit date (the collection leaves the others out,
  // NO_MANDATE...): without one, the family is told to pay by transfer, not to wait for a debit
  const debitOn = invoice.directDebitDate
  const mandate = debitOn === null ? undefined : (await d.listSepaMandatesOf(siteId, [invoice.debtorId]))
    .filter((m) => sepaMandateStateOn(m, debitOn) === 'active')
    .sort((a, b) => (a.signatureDate < b.signatureDate ? 1 : a.signatureDate > b.signatureDate ? -1 : 0))[0]
  const printed: Invoice = mandate ? invoice : { ...invoice, directDebitDate: null }
  return ctx.pdf.render({
    kind: 'invoice',
    data: {
      language: lang, issuer, printedOn: invoice.issueDate!, invoice: printed, names,
      payer: { name: names[invoice.debtorId] ?? invoice.debtorId, address },
      services: Object.fromEntries(services.items.map((s) => [s.id, s.name])),
      ...(mandate ? { mandate: { reference: mandate.rum } } : {}),
      // printed again after payments: the payment block asks for what is still due (the next instalment), never again for what was paid
      ...(settled ? { settled: { paidMinor: settled.paidMinor, creditedMinor: settled.creditedMinor } } : {}),
    },
  })
}
