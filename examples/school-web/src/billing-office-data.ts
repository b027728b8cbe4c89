/**
 * What families are told about who bills them, from the stored records: the billing office an
 * invoice or a wallet belongs to (its name, address, contact, IBAN and SEPA creditor id, as
 * `/staff/admin` stores them), the site's name and its schools' UAI numbers. The portal's
 * transfer details and the invoice PDF read them here, so a change in the back office shows on
 * the next page.
 */
import type { BillingOffice } from '@ecole/core'
import type { Issuer } from '@ecole/pdf'
import { readSiteImage } from '@ecole/workflows'
import type { AppContext } from './compose'

/** Who a transfer is made to: the billing office's name (the EPC QR code's 70 characters at most) and IBAN. */
export interface Payee {
  /** The office's name. */
  name: string
  /** The office's IBAN (electronic form). */
  iban: string
}

/** A stored billing office, or `undefined`. */
export function billingOfficeOf(ctx: AppContext, siteId: string, officeId: string): Promise<BillingOffice | undefined> {
  return ctx.storage.directory!.getDirectoryRecord(siteId, 'billingOffice', officeId)
}

/**
 * The account a family pays a billing office on, or `undefined` when the office is not stored or
 * has no IBAN (the portal then offers no transfer to it).
 *
 * @example
 * const payee = await payeeOf(ctx, siteId, invoice.billingOfficeId) //=> { name: 'Régie périscolaire de Créteil', iban: 'FR76…' }
 */
export async function payeeOf(ctx: AppContext, siteId: string, officeId: string): Promise<Payee | undefined> {
  const office = await billingOfficeOf(ctx, siteId, officeId)
  return office?.iban ? { name: office.name.slice(0, 70), iban: office.iban } : undefined
}

/** The lines of a stored postal address: street, building, postcode and city. */
export function addressLines(a: BillingOffice['address']): string[] {
  return [a.line1, a.line2, [a.postcode, a.city].filter(Boolean).join(' ')].filter((x): x is string => !!x)
}

/**
 * The issuer a billing document prints: the stored site's name, its schools' UAI numbers, the
 * billing office (`officeId`, or the site's first), and the site's logo when it is a PNG or JPEG.
 *
 * @example
 * const issuer = await billingIssuer(ctx, siteId, invoice.billingOfficeId)
 */
export async function billingIssuer(ctx: AppContext, siteId: string, officeId?: string): Promise<Issuer> {
  const d = ctx.storage.directory!
  const [site, office, schools, logo] = await Promise.all([
    d.getSite(siteId),
    officeId !== undefined ? billingOfficeOf(ctx, siteId, officeId) : d.listDirectoryRecords(siteId, 'billingOffice', { limit: 1 }).then((p) => p.items[0]),
    d.listDirectoryRecords(siteId, 'school', { limit: 100 }),
    readSiteImage(ctx.storage, { siteId, target: { use: 'siteLogo' } }),
  ])
  const identifiers = [...new Set(schools.items.flatMap((s) => (s.uai ? [`UAI ${s.uai}`] : [])))].slice(0, 4)
  return {
    name: site?.name ?? siteId,
    identifiers,
    billingOffice: {
      name: (office?.name ?? site?.name ?? siteId).slice(0, 70),
      address: office ? addressLines(office.address) : [],
      ...(office?.email ? { email: office.email } : {}),
      ...(office?.iban ? { iban: office.iban } : {}),
      ...(office?.bic ? { bic: office.bic } : {}),
      ...(office?.creditorId ? { creditorId: office.creditorId } : {}),
    },
    ...(logo && (logo.mediaType === 'image/png' || logo.mediaType === 'image/jpeg') ? { logo: { bytes: logo.bytes } } : {}),
  }
}
