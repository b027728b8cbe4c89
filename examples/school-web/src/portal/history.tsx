/**
 * A family's own history (issue 18, "a family sees its own"): `/history` lists the changes the
 * family's guardians made on the portal (bookings, cancellations, consents accepted or withdrawn,
 * passwords set with a one-time token),
 * as the audit trail recorded them with each change, newest first, 20 a page (the store's cursor).
 * Only the entries of the logged-in guardian's household by a guardian: never another family's,
 * never the back office's notes.
 */
import type { AuditEntry } from '@ecole/core'
import { Hono } from 'hono'
import { randomUUID } from 'node:crypto'
import type { AppContext } from '../compose'
import type { AppEnv } from '../env'
import { t } from '../i18n'
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

function what(lang: Parameters<typeof t>[0], e: AuditEntry): string {
  const after = (e.after ?? {}) as { serviceId?: unknown; dates?: unknown }
  const dates = Array.isArray(after.dates) ? after.dates.join(', ') : ''
  const known = ['booking.booked', 'booking.cancelled', 'consent.accepted', 'consent.withdrawn', 'password.changed'] as const
  const action = known.find((a) => a === e.action)
  const label = action ? t(lang, `history.action.${action}`) : e.action
  return [label, e.subject.id, typeof after.serviceId === 'string' ? after.serviceId : '', dates].filter((x) => x !== '').join(' · ')
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
    const fmt = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short', timeZone: c.var.site.timeZone })
    return html(c,
      <Layout lang={lang} title={t(lang, 'history.title')} session={session} nav={portalNav(lang, '/history')} logoutAction="/logout">
        <table id="history">
          <thead><tr><th scope="col">{t(lang, 'history.when')}</th><th scope="col">{t(lang, 'history.what')}</th></tr></thead>
          <tbody>
            {page.items.length === 0 ? <tr><td colspan={2}>{t(lang, 'history.none')}</td></tr> : page.items.map((e) => (
              <tr data-entry={e.id}><td>{fmt.format(new Date(e.at))}</td><td>{what(lang, e)}</td></tr>
            ))}
          </tbody>
        </table>
        {page.next ? <p class="pager"><a rel="next" href={`/history?after=${encodeURIComponent(page.next)}`}>{t(lang, 'history.older')}</a></p> : null}
      </Layout>,
    )
  })
  return app
}
