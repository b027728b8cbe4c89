/**
 * The site's stored consents (directory records of kind `consent`, see `@ecole/workflows`'
 * `saveConsent`), read for the portal's booking and consent pages. Kept like `stored-settings.ts`
 * for {@link STORED_CONSENTS_TTL_MS} per composed host (concurrent requests share one read), and
 * dropped at once when the back office saves or deletes one ({@link invalidateStoredConsents}).
 * Read them before opening a storage transaction (embedded PGlite has one connection).
 */
import { bookingConsentOf, type Consent, type ConsentRecord } from '@ecole/core'
import { listConsents } from '@ecole/workflows'
import type { AppContext } from './compose'

/** How long the stored consents are kept before being read again (30 seconds). */
export const STORED_CONSENTS_TTL_MS = 30_000

const cache = new WeakMap<AppContext, { until: number; at: number; value: Promise<ConsentRecord[]> }>()

/** Every stored consent of the host's site (active or not), by id. */
export function storedConsentRecords(ctx: AppContext): Promise<ConsentRecord[]> {
  const now = ctx.clock.now().getTime()
  const hit = cache.get(ctx)
  if (hit && hit.at <= now && now < hit.until) return hit.value
  const value = listConsents({ storage: ctx.storage }, ctx.config.siteId)
  const entry = { at: now, until: now + STORED_CONSENTS_TTL_MS, value }
  cache.set(ctx, entry)
  value.catch(() => {
    if (cache.get(ctx) === entry) cache.delete(ctx)
  })
  return value
}

/** The active consents as booking checks them (`BookingSiteSettings.consents`), each its current version. */
export async function storedBookingConsents(ctx: AppContext): Promise<Consent[]> {
  return (await storedConsentRecords(ctx)).flatMap((r) => bookingConsentOf(r) ?? [])
}

/** Drops the kept consents: the next read sees a change the back office just saved. */
export function invalidateStoredConsents(ctx: AppContext): void {
  cache.delete(ctx)
}
