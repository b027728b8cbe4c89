/** An invoice as a PDF (@ecole/pdf), in the reader's language. */
import type { Invoice } from '@ecole/core'
import { SERVICES } from '@ecole/example-billing-run/demo-site'
import type { Issuer } from '@ecole/pdf'
import { readSiteImage } from '@ecole/workflows'
import type { AppContext } from '../compose'
import type { Lang } from '../i18n'
import { SITE } from '../site-settings'

const ISSUER: Issuer = {
  name: 'École élémentaire Jean-Jaurès – Créteil',
  identifiers: ['UAI 0941234X'],
  billingOffice: { name: 'Régie périscolaire de Créteil', address: ['Hôtel de Ville, place Salvador Allende', '94000 Créteil'], email: 'regie@creteil.example.fr', iban: SITE.iban, creditorId: 'FR72ZZZ123456' },
}

/** Renders one invoice. */
export async function invoicePdf(ctx: AppContext, invoice: Invoice, lang: Lang): Promise<Uint8Array> {
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
  // the site's logo uploaded in the back office (a PNG or JPEG one: the PDF prints no other)
  const logo = await readSiteImage(ctx.storage, { siteId, target: { use: 'siteLogo' } })
  const issuer: Issuer = logo && (logo.mediaType === 'image/png' || logo.mediaType === 'image/jpeg') ? { ...ISSUER, logo: { bytes: logo.bytes } } : ISSUER
  const mandate = invoice.directDebitDate !== null ? (await ctx.storage.directory!.listSepaMandatesOf(siteId, [invoice.debtorId]))[0] : undefined
  return ctx.pdf.render({
    kind: 'invoice',
    data: {
      language: lang, issuer, printedOn: invoice.issueDate!, invoice, names,
      payer: { name: names[invoice.debtorId] ?? invoice.debtorId, address },
      services: Object.fromEntries(Object.values(SERVICES).map((s) => [s.id, s.label])),
      ...(invoice.directDebitDate !== null ? { mandate: { reference: mandate?.rum ?? '-' } } : {}),
    },
  })
}
