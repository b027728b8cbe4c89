/** An invoice as a PDF (@ecole/pdf), in the reader's language, issued by the stored site and billing office. */
import type { Invoice } from '@ecole/core'
import { billingIssuer } from '../billing-office-data'
import type { AppContext } from '../compose'
import type { Lang } from '../i18n'
import { invoiceCollectionOf } from '../invoice-collection'

/**
 * What an invoice and its credit notes print about the people and services they name: the payer
 * with the household's address, the names of the joint debtors and beneficiaries, the stored
 * issuer (site, schools' UAI, billing office, logo) and the services' names.
 */
export async function printedParties(ctx: AppContext, invoice: Invoice): Promise<{ names: Record<string, string>; payer: { name: string; address: string[] }; issuer: Awaited<ReturnType<typeof billingIssuer>>; services: Record<string, string> }> {
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
  return { names, payer: { name: names[invoice.debtorId] ?? invoice.debtorId, address }, issuer, services: Object.fromEntries(services.items.map((s) => [s.id, s.name])) }
}

/**
 * Renders one invoice, asking for what is still due given `settled` (what the family paid, and what
 * credit notes took off, a note's excess carried from another invoice included; nothing when
 * absent): the totals then go from the total to what is left to pay.
 */
export async function invoicePdf(ctx: AppContext, invoice: Invoice, lang: Lang, settled?: { paidMinor: bigint; creditedMinor: bigint }): Promise<Uint8Array> {
  const siteId = ctx.config.siteId
  const d = ctx.storage.directory!
  const { names, payer, issuer, services } = await printedParties(ctx, invoice)
  // debited only when the library's collection would debit it (a mandate usable on the debit
  // date) and no debit of it was returned: otherwise, as the portal says, the family is asked for
  // what is still due by transfer, with the invoice's reference, never told to wait for a debit
  const outstandingMinor = invoice.totalMinor - (settled?.paidMinor ?? 0n) - (settled?.creditedMinor ?? 0n)
  const collection = await invoiceCollectionOf(ctx, { invoice, outstandingMinor: outstandingMinor > 0n ? outstandingMinor : 0n })
  const mandate = collection.by === 'directDebit' ? collection.mandate : undefined
  const printed: Invoice = mandate ? invoice : { ...invoice, directDebitDate: null }
  return ctx.pdf.render({
    kind: 'invoice',
    data: {
      language: lang, issuer, printedOn: invoice.issueDate!, invoice: printed, names, payer, services,
      ...(mandate ? { mandate: { reference: mandate.rum } } : {}),
      // printed again after payments: the totals say what was paid and credited, and the payment block
      // asks for what is still due (the next instalment), never again for what was paid
      ...(settled ? { settled: { paidMinor: settled.paidMinor, creditedMinor: settled.creditedMinor } } : {}),
    },
  })
}
