/**
 * The site's settings the library stores and the host reads (issue 17): the services' booking
 * settings (weekdays, start time, cut-offs, price of a prepaid service, capacity, opening rules)
 * on the directory's service records, and the portal texts on the site record. A school changes
 * them in its records, not in the host's code.
 *
 * They are read together (the site and its services: two queries) and kept for
 * {@link STORED_SETTINGS_TTL_MS} per composed host, as the invoices page keeps batch labels: a
 * portal page does not pay for them on every request, and a change shows within that delay. The
 * delay is measured on the host's clock (a test moves it). Read them before opening a storage
 * transaction: on embedded PGlite a transaction holds the only connection.
 */
import { bookingServicesOf, emptyDirectory, portalText as storedPortalText, type PortalTextKey, type Service, type Site } from '@ecole/core'
import type { AppContext } from './compose'
import type { Lang } from './i18n'
import type { ServiceBookingSettings } from './site-settings'

/** How long the stored settings are kept before being read again (30 seconds). */
export const STORED_SETTINGS_TTL_MS = 30_000

/** The site record and its services' booking settings, as stored. */
export interface StoredSettings {
  /** The site record (undefined before the site is seeded). */
  site: Site | undefined
  /** The services' booking settings, from the stored service records (`bookingServicesOf`). */
  services: ServiceBookingSettings[]
  /** Which schools (and classes) each stored service is offered to (its `offeredTo`). */
  offers: BookingOffer[]
  /**
   * The billing office whose wallets pay prepaid days: the office of the first prepaid service
   * (by id), else of the first service; undefined when no service is stored.
   */
  billingOfficeId: string | undefined
}

/** One school (and optionally only some of its classes) a service is offered to. */
export interface BookingOffer {
  serviceId: string
  schoolId: string
  classIds?: string[]
}

const cache = new WeakMap<AppContext, { at: number; until: number; value: Promise<StoredSettings> }>()

async function load(ctx: AppContext): Promise<StoredSettings> {
  const siteId = ctx.config.siteId
  const directory = ctx.storage.directory!
  const site = await directory.getSite(siteId)
  const records: Service[] = []
  let after: string | undefined
  do {
    const page = await directory.listDirectoryRecords(siteId, 'service', { limit: 500, ...(after ? { after } : {}) })
    records.push(...page.items)
    after = page.next
  } while (after)
  const services = bookingServicesOf({ ...emptyDirectory(siteId), services: Object.fromEntries(records.map((s) => [s.id, s])) })
  const byId = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const offers = byId.flatMap((s) =>
    s.offeredTo.map((o) => ({ serviceId: s.id, schoolId: o.schoolId, ...(o.classIds && o.classIds.length > 0 ? { classIds: [...o.classIds] } : {}) })),
  )
  const billingOfficeId = (byId.find((s) => s.billing === 'prepaid') ?? byId[0])?.billingOfficeId
  return { site, services, offers, billingOfficeId }
}

/**
 * The stored site and services' booking settings of the host's site, read at most once per
 * {@link STORED_SETTINGS_TTL_MS} (concurrent requests share one read).
 */
export function storedSettings(ctx: AppContext): Promise<StoredSettings> {
  const now = ctx.clock.now().getTime()
  const hit = cache.get(ctx)
  if (hit && hit.at <= now && now < hit.until) return hit.value
  const value = load(ctx)
  const entry = { at: now, until: now + STORED_SETTINGS_TTL_MS, value }
  cache.set(ctx, entry)
  value.catch(() => {
    if (cache.get(ctx) === entry) cache.delete(ctx)
  })
  return value
}

/** The services' booking settings: the test override `config.bookingServices`, else the stored ones. */
export async function bookingServices(ctx: AppContext): Promise<readonly ServiceBookingSettings[]> {
  return ctx.config.bookingServices ?? (await storedSettings(ctx)).services
}

/** A portal text of the stored site in a language (the library's fallbacks: French first), or an empty string. */
export async function portalText(ctx: AppContext, key: PortalTextKey, lang: Lang): Promise<string> {
  return storedPortalText((await storedSettings(ctx)).site ?? {}, key, lang) ?? ''
}
