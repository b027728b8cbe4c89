/**
 * Moving a guardian to another household (seed 001 "Comment déplacer un responsable dans un autre
 * foyer ?": the children follow; parents who separate: a new household) and archiving or
 * unarchiving a child (seed 001). Each page says what the action will change before it is done;
 * a library refusal or an `EcoleError` is shown on the form with what was typed, nothing stored.
 */
import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import type { MoveTarget } from '@ecole/core'
import type { AppEnv } from '../env'
import { t } from '../i18n'
import { CsrfField, Field } from '../views/layout'
import { html } from '../views/render'
import { searchPage } from './directory-search'
import { ecoleErrorText, formValues, refusalText } from './form-fields'
import { childrenOf, fullName, moveGuardianAs, setChildArchivedAs } from './people'
import { actorOfRequest, Page, refused, today } from './routes'

type Values = Record<string, string>
const enc = encodeURIComponent

/** The move form: the children who will follow, then an existing household (found by name) or a new one. */
async function movePage(c: Context<AppEnv>, guardianId: string, values: Values, error?: string) {
  const { lang, ctx } = c.var
  const actor = actorOfRequest(c)
  const guardian = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', guardianId)
  if (!guardian) return c.notFound()
  const from = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'household', guardian.householdId)
  const children = await childrenOf(ctx.storage, actor.siteId, [guardian.id])
  const q = (values['q'] ?? '').trim()
  const found = q ? await searchPage(ctx.storage, actor.siteId, 'household', { name: q }, { limit: 20 }) : undefined
  const candidates = found?.ok ? found.page.items.filter((h) => h.id !== guardian.householdId) : []
  const mode = values['mode'] === 'new' ? 'new' : 'existing'
  return html(c, (
    <Page c={c} title={t(lang, 'staff.moveGuardian.title', { name: fullName(guardian) })} current="/staff/households" notice={error ? { kind: 'error', text: error } : undefined}>
      <p class="card" id="move-effect">
        {children.length > 0
          ? t(lang, 'staff.moveGuardian.children', { name: fullName(guardian), children: children.map(fullName).join(', '), from: from?.name ?? guardian.householdId })
          : t(lang, 'staff.moveGuardian.noChildren', { name: fullName(guardian), from: from?.name ?? guardian.householdId })}
      </p>
      <form method="get" action={`/staff/guardians/${enc(guardian.id)}/move`} class="card search" role="search">
        <p class="field">
          <label for="q">{t(lang, 'staff.moveGuardian.find')}</label>
          <input id="q" name="q" type="search" value={q} />
        </p>
        <button type="submit">{t(lang, 'staff.search.submit')}</button>
      </form>
      <form method="post" action={`/staff/guardians/${enc(guardian.id)}/move`} class="card">
        <CsrfField session={c.var.session} />
        <input type="hidden" name="q" value={q} />
        <input type="hidden" name="newHouseholdId" value={values['newHouseholdId'] || `foyer-${randomUUID()}`} />
        <fieldset>
          <legend><label><input type="radio" name="mode" value="existing" checked={mode === 'existing'} /> {t(lang, 'staff.moveGuardian.existing')}</label></legend>
          {q === '' ? <p class="hint">{t(lang, 'staff.moveGuardian.searchFirst')}</p> : candidates.length === 0 ? <p class="empty">{t(lang, 'staff.search.none')}</p> : (
            candidates.map((h) => (
              <p class="choice"><label><input type="radio" name="householdId" value={h.id} checked={values['householdId'] === h.id} /> {h.name}{h.address.city ? ` (${h.address.city})` : ''}</label></p>
            ))
          )}
        </fieldset>
        <fieldset>
          <legend><label><input type="radio" name="mode" value="new" checked={mode === 'new'} /> {t(lang, 'staff.moveGuardian.new')}</label></legend>
          <Field label={t(lang, 'staff.households.name')} name="name" value={values['name']} required={false} />
          <Field label={t(lang, 'staff.people.street')} name="line1" value={values['line1']} required={false} />
          <Field label={t(lang, 'staff.people.postcode')} name="postcode" value={values['postcode']} required={false} />
          <Field label={t(lang, 'staff.people.city')} name="city" value={values['city']} required={false} />
        </fieldset>
        <button type="submit">{t(lang, 'staff.moveGuardian.submit')}</button> <a href={`/staff/guardians/${enc(guardian.id)}`}>{t(lang, 'staff.cancel')}</a>
      </form>
    </Page>
  ), error ? 400 : 200)
}

/** The archive / unarchive confirmation of a child: what it changes (no more bookings). */
async function archivePage(c: Context<AppEnv>, childId: string, mode: 'archive' | 'unarchive', values: Values, error?: string) {
  const { lang, ctx } = c.var
  const actor = actorOfRequest(c)
  const child = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'child', childId)
  if (!child) return c.notFound()
  return html(c, (
    <Page c={c} title={t(lang, mode === 'archive' ? 'staff.childArchive.title' : 'staff.childUnarchive.title', { name: fullName(child) })} current="/staff/households" notice={error ? { kind: 'error', text: error } : undefined}>
      <form method="post" action={`/staff/children/${enc(child.id)}/${mode}`} class="card">
        <CsrfField session={c.var.session} />
        <p id="archive-effect">{t(lang, mode === 'archive' ? 'staff.childArchive.confirm' : 'staff.childUnarchive.confirm', { name: fullName(child) })}</p>
        {mode === 'archive' ? <Field label={t(lang, 'staff.childArchive.reason')} name="reason" value={values['reason']} required={false} /> : null}
        <button type="submit">{t(lang, 'staff.confirm')}</button> <a href={`/staff/children/${enc(child.id)}`}>{t(lang, 'staff.cancel')}</a>
      </form>
    </Page>
  ), error ? 400 : 200)
}

/** The routes: `/staff/guardians/:id/move`, `/staff/children/:id/archive` and `/unarchive`. */
export function familyMoveRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/guardians/:id/move', (c) => refused(c, 'guardians.move', { siteId: actorOfRequest(c).siteId }) ?? movePage(c, c.req.param('id'), c.req.query()))

  app.post('/guardians/:id/move', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'guardians.move', { siteId: actor.siteId })
    if (denied) return denied
    const guardianId = c.req.param('id')
    const v = formValues(await c.req.parseBody())
    let target: MoveTarget
    if (v['mode'] === 'new') {
      target = { newHousehold: { id: v['newHouseholdId'] || `foyer-${randomUUID()}`, name: v['name'] ?? '', address: { line1: v['line1'] || undefined, postcode: v['postcode'] || undefined, city: v['city'] || undefined } } }
    } else {
      if (!v['householdId']) return movePage(c, guardianId, v, t(lang, 'staff.moveGuardian.choose'))
      target = { householdId: v['householdId'] }
    }
    try {
      const r = await moveGuardianAs(ctx.storage, actor, { guardianId, target }, ctx.clock.now())
      if (!r.ok) {
        const g = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', guardianId)
        return movePage(c, guardianId, v, refusalText(lang, r.refusal, () => (g ? fullName(g) : guardianId)))
      }
      return c.redirect(`/staff/households/${enc(r.householdId)}?done=guardianMoved`, 303)
    } catch (error) {
      const text = ecoleErrorText(error)
      if (text) return movePage(c, guardianId, v, t(lang, 'staff.people.invalid', { message: text }))
      throw error
    }
  })

  for (const mode of ['archive', 'unarchive'] as const) {
    app.get(`/children/:id/${mode}`, (c) => refused(c, 'children.archive', { siteId: actorOfRequest(c).siteId }) ?? archivePage(c, c.req.param('id'), mode, {}))
    app.post(`/children/:id/${mode}`, async (c) => {
      const { lang, ctx } = c.var
      const actor = actorOfRequest(c)
      const denied = refused(c, 'children.archive', { siteId: actor.siteId })
      if (denied) return denied
      const childId = c.req.param('id')
      const v = formValues(await c.req.parseBody())
      try {
        const r = await setChildArchivedAs(ctx.storage, actor, { childId, archive: mode === 'archive', on: today(c), reason: v['reason'] || undefined }, ctx.clock.now())
        if (!r.ok) return archivePage(c, childId, mode, v, t(lang, r.refusal.code === 'ALREADY_ARCHIVED' ? 'staff.childArchive.already' : 'staff.childUnarchive.not'))
        return c.redirect(`/staff/children/${enc(childId)}?done=${mode}d`, 303)
      } catch (error) {
        const text = ecoleErrorText(error)
        if (text) return archivePage(c, childId, mode, v, t(lang, 'staff.people.invalid', { message: text }))
        throw error
      }
    })
  }
  return app
}
