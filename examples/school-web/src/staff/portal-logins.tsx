/**
 * Portal logins of the back office (seed 001 « Portail parents », seed 004 « jeton de connexion »):
 *
 * - `/staff/portal-access`: the guardians (searched by name, a page at a time) with their portal
 *   access: none, invited (a token mailed, no password chosen yet) or active (since when);
 * - `/staff/portal-access/:guardianId`: open access (`openPortalAccess`: the login is the
 *   guardian's e-mail, a one-time token is mailed through the outbox; refused, saying so, when the
 *   guardian has no e-mail), send a new token (`resendPortalAccessToken`), and close access after a
 *   confirmation (`closePortalAccess`: the login removed, the password forgotten).
 *
 * Viewing takes `portal.accounts` (action `portal.status`); opening, resending and closing take it
 * too (action `portal.accounts`). Every change is audited.
 */
import { Hono, type Context } from 'hono'
import { type Guardian, type PortalAccountRefusal } from '@ecole/core'
import { closePortalAccess, openPortalAccess, portalAccessStatus, resendPortalAccessToken, type PortalAccessState, type TokenNotify } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { formatLocalDateTime, t, type Lang } from '../i18n'
import { wallClockIn } from '../site-facts'
import { CsrfField } from '../views/layout'
import { html } from '../views/render'
import { SearchForm, searchPage } from './directory-search'
import { fullName } from './people'
import { actorOfRequest, Page, Pager, refused } from './routes'
import { pageSizeOf } from './staff-billing'
import { recordStaffChanges } from './staff-audit'
import { noticeSender, siteMailIdentity } from '../mail-sender'

const BASE = '/staff/portal-access'
const enc = encodeURIComponent

async function notifyOf(c: Context<AppEnv>): Promise<TokenNotify> {
  return { ...noticeSender(await siteMailIdentity(c.var.ctx, actorOfRequest(c).siteId)), locale: c.var.lang, portalUrl: c.var.ctx.config.publicUrl }
}

/** The state of an access in words. */
function stateText(lang: Lang, timeZone: string, s: PortalAccessState): string {
  if (s.state === 'none') return t(lang, 'staff.portal.state.none')
  if (s.state === 'invited') return t(lang, 'staff.portal.state.invited', { login: s.account.login })
  return t(lang, 'staff.portal.state.active', { login: s.account.login, since: formatLocalDateTime(lang, wallClockIn(timeZone, s.activatedAt), timeZone) })
}


/** Why opening access was refused, in the user's language. */
function refusalText(lang: Lang, g: Guardian, r: PortalAccountRefusal | { code: 'NO_ACCOUNT' }): string {
  switch (r.code) {
    case 'EMAIL_REQUIRED': return t(lang, 'staff.portal.noEmail', { name: fullName(g) })
    case 'LOGIN_TAKEN': return t(lang, 'staff.portal.loginTaken', { login: r.login })
    case 'GUARDIAN_ARCHIVED': return t(lang, 'staff.portal.archived', { name: fullName(g) })
    case 'ACCOUNT_EXISTS': return t(lang, 'staff.portal.exists', { name: fullName(g) })
    default: return t(lang, 'staff.portal.noAccount', { name: fullName(g) })
  }
}

/**
 * A form posting one change to a guardian's portal access: what it will do, then the button, and
 * a way back when `cancel` is given. Without `action` it posts to the page itself.
 */
function ConfirmForm(props: { c: Context<AppEnv>; action?: string; effect: string; effectId?: string; button: string; cancel?: string; card?: boolean }) {
  const { c } = props
  return (
    <form method="post" action={props.action} class={props.card === false ? undefined : 'card'}>
      <CsrfField session={c.var.session} />
      <p id={props.effectId}>{props.effect}</p>
      <button type="submit">{props.button}</button>
      {props.cancel !== undefined ? <> <a href={props.cancel}>{t(c.var.lang, 'staff.cancel')}</a></> : null}
    </form>
  )
}

/** The portal-login routes (mounted at `/staff`). */
export function portalLoginRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/portal-access', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'portal.status', { siteId: actor.siteId })
    if (denied) return denied
    const query = c.req.query()
    const q = (query['q'] ?? '').trim()
    const limit = pageSizeOf(query['limit'])
    const found = q === ''
      ? { ok: true as const, page: await ctx.storage.directory!.listDirectoryRecords(actor.siteId, 'guardian', { limit, ...(query['after'] ? { after: query['after'] } : {}) }) }
      : await searchPage(ctx.storage, actor.siteId, 'guardian', { name: q }, { after: query['after'], limit })
    const states = found.ok ? await Promise.all(found.page.items.map((g) => portalAccessStatus({ storage: ctx.storage }, { siteId: actor.siteId, guardianId: g.id }))) : []
    return html(c,
      <Page c={c} title={t(lang, 'staff.portal.title')} current={BASE}>
        <SearchForm lang={lang} action={BASE} q={q} error={!found.ok} />
        {found.ok ? (
          <>
            <table id="portal-access">
              <thead><tr><th scope="col">{t(lang, 'staff.guardians')}</th><th scope="col">{t(lang, 'staff.email')}</th><th scope="col">{t(lang, 'staff.portal.access')}</th></tr></thead>
              <tbody>
                {found.page.items.map((g, i) => (
                  <tr>
                    <td><a href={`${BASE}/${enc(g.id)}`}>{fullName(g)}</a></td>
                    <td>{g.email ?? t(lang, 'staff.portal.noEmailShort')}</td>
                    <td>{stateText(lang, c.var.site.timeZone, states[i]!)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager lang={lang} base={BASE} query={query} next={found.page.next} />
          </>
        ) : null}
      </Page>,
      found.ok ? 200 : 400,
    )
  })

  async function guardianPage(c: Context<AppEnv>, g: Guardian, notice?: { kind: 'ok' | 'error'; text: string }, status: 200 | 400 | 409 = 200) {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const state = await portalAccessStatus({ storage: ctx.storage }, { siteId: actor.siteId, guardianId: g.id })
    const canChange = refused(c, 'portal.accounts', { siteId: actor.siteId }) === undefined
    return html(c,
      <Page c={c} title={`${t(lang, 'staff.portal.title')} – ${fullName(g)}`} current={BASE} notice={notice}>
        <dl class="card">
          <dt>{t(lang, 'staff.email')}</dt><dd>{g.email ?? t(lang, 'staff.portal.noEmailShort')}</dd>
          <dt>{t(lang, 'staff.portal.access')}</dt><dd id="portal-state">{stateText(lang, c.var.site.timeZone, state)}</dd>
        </dl>
        {canChange ? (state.state === 'none' ? (
          g.email ? (
            <ConfirmForm c={c} action={`${BASE}/${enc(g.id)}/open`} effect={t(lang, 'staff.portal.openEffect', { email: g.email })} button={t(lang, 'staff.portal.open')} />
          ) : <p class="notice error" id="no-email">{t(lang, 'staff.portal.noEmail', { name: fullName(g) })}</p>
        ) : (
          <div class="card">
            <ConfirmForm c={c} card={false} action={`${BASE}/${enc(g.id)}/resend`} effect={t(lang, 'staff.portal.resendEffect', { email: g.email ?? state.account.login })} button={t(lang, 'staff.portal.resend')} />
            <p><a href={`${BASE}/${enc(g.id)}/close`}>{t(lang, 'staff.portal.close')}</a></p>
          </div>
        )) : null}
        <p><a href={`/staff/guardians/${enc(g.id)}`}>{t(lang, 'staff.portal.guardianFile')}</a></p>
      </Page>,
      status,
    )
  }

  /** The guardian of the route, once `action` is allowed: a refusal or a 404 otherwise. */
  async function guardianFor(c: Context<AppEnv>, action: 'portal.status' | 'portal.accounts'): Promise<Guardian | Response> {
    const actor = actorOfRequest(c)
    const denied = refused(c, action, { siteId: actor.siteId })
    if (denied) return denied
    const g = await c.var.ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', c.req.param('guardianId') ?? '')
    return g ?? c.notFound()
  }

  app.get('/portal-access/:guardianId', async (c) => {
    const g = await guardianFor(c, 'portal.status')
    if (g instanceof Response) return g
    const done = c.req.query('done')
    const lang = c.var.lang
    const notice = done === 'opened' ? t(lang, 'staff.portal.opened', { email: g.email ?? '' }) : done === 'resent' ? t(lang, 'staff.portal.resent', { email: g.email ?? '' }) : done === 'closed' ? t(lang, 'staff.portal.closed', { name: fullName(g) }) : undefined
    return guardianPage(c, g, notice ? { kind: 'ok', text: notice } : undefined)
  })

  app.post('/portal-access/:guardianId/open', async (c) => {
    const { ctx, lang } = c.var
    const g = await guardianFor(c, 'portal.accounts')
    if (g instanceof Response) return g
    const actor = actorOfRequest(c)
    const r = await openPortalAccess({ storage: ctx.storage, ids: ctx.ids }, { siteId: actor.siteId, guardianId: g.id, now: ctx.clock.now(), notify: await notifyOf(c) })
    if (!r.ok) return guardianPage(c, g, { kind: 'error', text: refusalText(lang, g, r.refusal) }, r.refusal.code === 'ACCOUNT_EXISTS' ? 409 : 400)
    await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), [{ action: 'portalAccount.opened', subject: { kind: 'guardian', id: g.id }, householdId: g.householdId, after: { login: r.account.login } }])
    await ctx.flushMail()
    return c.redirect(`${BASE}/${enc(g.id)}?done=opened`, 303)
  })

  app.post('/portal-access/:guardianId/resend', async (c) => {
    const { ctx, lang } = c.var
    const g = await guardianFor(c, 'portal.accounts')
    if (g instanceof Response) return g
    const actor = actorOfRequest(c)
    const r = await resendPortalAccessToken({ storage: ctx.storage, ids: ctx.ids }, { siteId: actor.siteId, guardianId: g.id, now: ctx.clock.now(), notify: await notifyOf(c) })
    if (!r.ok) return guardianPage(c, g, { kind: 'error', text: refusalText(lang, g, r.refusal) }, 400)
    await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), [{ action: 'portalAccount.tokenSent', subject: { kind: 'guardian', id: g.id }, householdId: g.householdId }])
    await ctx.flushMail()
    return c.redirect(`${BASE}/${enc(g.id)}?done=resent`, 303)
  })

  app.get('/portal-access/:guardianId/close', async (c) => {
    const { lang, ctx } = c.var
    const g = await guardianFor(c, 'portal.accounts')
    if (g instanceof Response) return g
    const actor = actorOfRequest(c)
    const state = await portalAccessStatus({ storage: ctx.storage }, { siteId: actor.siteId, guardianId: g.id })
    if (state.state === 'none') return c.redirect(`${BASE}/${enc(g.id)}`, 303)
    return html(c,
      <Page c={c} title={t(lang, 'staff.portal.close')} current={BASE}>
        <ConfirmForm c={c} effectId="close-effect" effect={t(lang, 'staff.portal.closeConfirm', { name: fullName(g), login: state.account.login })}
          button={t(lang, 'staff.confirm')} cancel={`${BASE}/${enc(g.id)}`} />
      </Page>,
    )
  })

  app.post('/portal-access/:guardianId/close', async (c) => {
    const { ctx } = c.var
    const g = await guardianFor(c, 'portal.accounts')
    if (g instanceof Response) return g
    const actor = actorOfRequest(c)
    const closed = await closePortalAccess({ storage: ctx.storage, ids: ctx.ids }, { siteId: actor.siteId, guardianId: g.id, now: ctx.clock.now() })
    if (closed) await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), [{ action: 'portalAccount.closed', subject: { kind: 'guardian', id: g.id }, householdId: g.householdId }])
    // the family's open sessions end now (the portal also reads the access on every request)
    ctx.sessions.endAllOf(actor.siteId, { kind: 'guardian', id: g.id })
    return c.redirect(`${BASE}/${enc(g.id)}?done=closed`, 303)
  })

  return app
}
