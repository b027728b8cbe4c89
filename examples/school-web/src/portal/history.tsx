/**
 * A family's own history (issue 18, "a family sees its own"): `/history` lists the changes the
 * family's guardians made on the portal (bookings, cancellations, consents accepted or withdrawn,
 * passwords set with a one-time token),
 * as the audit trail recorded them with each change, newest first, 20 a page (the store's cursor).
 * Only the entries of the logged-in guardian's household by a guardian: never another family's,
 * never the back office's notes.
 */
import { consentOfVersionId, type AuditEntry } from '@ecole/core'
import { Hono } from 'hono'
import { randomUUID } from 'node:crypto'
import type { AppContext } from '../compose'
import type { AppEnv } from '../env'
import { formatDate, t, type Lang } from '../i18n'
import { page, readAll } from '../read-all'
import { wallClockIn } from '../site-facts'
import { storedConsentRecords } from '../stored-consents'
import { childrenOf } from './family'
import { Layout } from '../views/layout'
import { html } from '../views/render'
import { portalNav } from './nav'

/** Entries of the family's history per page. */
export const HISTORY_PAGE_SIZE = 20

/** The audit option of a portal change by `guardianId`: a fresh entry id and the guardian's household. */
export async function portalAudit(ctx: AppContext, guardianId: string): Promise<{ entryId: string; householdId?: string }> {
  const guardian = await ctx.storage.directory?.getDirectoryRecord(ctx.config.siteId, 'guardian', guardianId)
  return { entryId: `portal:${randomUUID()}`, ...(guardian ? { householdId: guardian.householdId } : {}) }
}

/** The names a family's history shows instead of ids: its children, the site's services, the consents. */
interface Names {
  people: Map<string, string>
  services: Map<string, string>
  consents: Map<string, string>
}

/** The names of what a page of entries is about: the family's children (and any other child an entry names), services, consents. */
async function namesFor(ctx: AppContext, guardianId: string, entries: readonly AuditEntry[]): Promise<Names> {
  const siteId = ctx.config.siteId
  const people = new Map((await childrenOf(ctx, guardianId)).map((ch) => [ch.id, `${ch.firstName} ${ch.lastName}`]))
  for (const id of new Set(entries.filter((e) => e.subject.kind === 'child' && !people.has(e.subject.id)).map((e) => e.subject.id))) {
    const child = await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', id)
    if (child) people.set(id, `${child.firstName} ${child.lastName}`)
  }
  const services = new Map((await readAll((a) => ctx.storage.directory!.listDirectoryRecords(siteId, 'service', page(a)))).map((x) => [x.id, x.name]))
  const consents = new Map((await storedConsentRecords(ctx)).map((r) => [r.id, r.label]))
  return { people, services, consents }
}

/**
 * An entry as the family reads it: what was done, about whom or what, which days, in words and in
 * the portal's date format ("Réservation · Léa Martin · Goûter · 22/02/2027, 23/02/2027"), never
 * the stored ids or ISO dates. A password change names nobody: it is the reader's own.
 */
function what(lang: Lang, e: AuditEntry, names: Names): string {
  const after = (e.after ?? {}) as { serviceId?: unknown; dates?: unknown }
  const dates = Array.isArray(after.dates) ? after.dates.filter((d): d is string => typeof d === 'string').map((d) => formatDate(lang, d)).join(', ') : ''
  const known = ['booking.booked', 'booking.cancelled', 'consent.accepted', 'consent.withdrawn', 'password.changed'] as const
  const action = known.find((a) => a === e.action)
  const label = action ? t(lang, `history.action.${action}`) : e.action
  const subject = e.subject.kind === 'child' ? names.people.get(e.subject.id) ?? ''
    : e.subject.kind === 'consent' ? names.consents.get(consentOfVersionId(e.subject.id).consentId) ?? ''
      : ''
  const service = typeof after.serviceId === 'string' ? names.services.get(after.serviceId) ?? '' : ''
  return [label, subject, service, dates].filter((x) => x !== '').join(' · ')
}

/** When an entry was made, as the portal writes a day and a time: the site's day and wall-clock time ("16/02/2027 09:00"), whatever the host's zone. */
function when(lang: Lang, at: string, timeZone: string): string {
  const local = wallClockIn(timeZone, at)
  return `${formatDate(lang, local)} ${local.slice(11, 16)}`
}

/** The family's history route. */
export function historyRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/history', async (c) => {
    const { lang, session, ctx } = c.var
    const guardianId = session.subject!.id
    const guardian = await ctx.storage.directory!.getDirectoryRecord(ctx.config.siteId, 'guardian', guardianId)
    const after = c.req.query('after')
    const page = guardian && ctx.storage.audit
      ? await ctx.storage.audit.listAuditEntries(ctx.config.siteId, { householdId: guardian.householdId, actorKind: 'guardian' }, { limit: HISTORY_PAGE_SIZE, ...(after ? { after } : {}) })
      : { items: [] as AuditEntry[], next: undefined }
    const names = await namesFor(ctx, guardianId, page.items)
    return html(c,
      <Layout lang={lang} title={t(lang, 'history.title')} session={session} nav={portalNav(lang, '/history')} logoutAction="/logout">
        <table id="history">
          <thead><tr><th scope="col">{t(lang, 'history.when')}</th><th scope="col">{t(lang, 'history.what')}</th></tr></thead>
          <tbody>
            {page.items.length === 0 ? <tr><td colspan={2}>{t(lang, 'history.none')}</td></tr> : page.items.map((e) => (
              <tr data-entry={e.id}><td>{when(lang, e.at, c.var.site.timeZone)}</td><td>{what(lang, e, names)}</td></tr>
            ))}
          </tbody>
        </table>
        {page.next ? <p class="pager"><a rel="next" href={`/history?after=${encodeURIComponent(page.next)}`}>{t(lang, 'history.older')}</a></p> : null}
      </Layout>,
    )
  })
  return app
}
