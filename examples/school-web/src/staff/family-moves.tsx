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
import { formatDate, t } from '../i18n'
import { CsrfField, Field } from '../views/layout'
import { html } from '../views/render'
import { searchPage } from './directory-search'
import { ecoleErrorText, formValues, refusalText } from './form-fields'
import { allRecords, childrenOf, enrolAdultAs, fullName, moveGuardianAs, setChildArchivedAs } from './people'
import { DateField, dateOfForm } from './form-fields'
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


/** The adult-meal form (seed 001 "inscrire un adulte à un repas"): school and class, service, first day. */
async function adultPage(c: Context<AppEnv>, guardianId: string, values: Values, error?: string) {
  const { lang, ctx } = c.var
  const actor = actorOfRequest(c)
  const guardian = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', guardianId)
  if (!guardian) return c.notFound()
  const [schools, classes, services] = [await allRecords(ctx.storage, actor.siteId, 'school'), await allRecords(ctx.storage, actor.siteId, 'schoolClass'), await allRecords(ctx.storage, actor.siteId, 'service')]
  const own = (await allRecords(ctx.storage, actor.siteId, 'enrolment')).filter((e) => e.beneficiaryId === guardian.id)
  const schoolName = (id: string) => schools.find((x) => x.id === id)?.name ?? id
  return html(c, (
    <Page c={c} title={t(lang, 'staff.adult.title', { name: fullName(guardian) })} current="/staff/households" notice={error ? { kind: 'error', text: error } : undefined}>
      {own.length > 0 ? (
        <ul class="card" id="adult-enrolments">
          {own.map((e) => <li>{`${schoolName(e.schoolId)} · ${classes.find((k) => k.id === e.classId)?.name ?? e.classId} · ${t(lang, 'staff.enrol.fromOn', { from: formatDate(lang, e.from) })}`}</li>)}
        </ul>
      ) : null}
      <form method="post" action={`/staff/guardians/${enc(guardian.id)}/adult-meals`} class="card">
        <CsrfField session={c.var.session} />
        <p id="adult-effect">{t(lang, 'staff.adult.effect', { name: fullName(guardian) })}</p>
        <p class="field">
          <label for="f-classId">{t(lang, 'staff.enrol.class')}</label>
          <select id="f-classId" name="classId">{classes.map((k) => <option value={k.id} selected={values['classId'] === k.id}>{`${schoolName(k.schoolId)} · ${k.name}`}</option>)}</select>
        </p>
        <p class="field">
          <label for="f-serviceId">{t(lang, 'staff.subscribe.service')}</label>
          <select id="f-serviceId" name="serviceId">{services.map((x) => <option value={x.id} selected={values['serviceId'] === x.id}>{x.name}</option>)}</select>
        </p>
        <DateField lang={lang} label={t(lang, 'staff.enrol.from')} name="from" value={values['from'] ?? today(c)} />
        <button type="submit">{t(lang, 'staff.adult.submit')}</button> <a href={`/staff/guardians/${enc(guardian.id)}`}>{t(lang, 'staff.cancel')}</a>
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

  // adult meals: enrolments.write for the enrolment and the rights, billingRules.write for the rule on themself
  const adultRefused = (c: Context<AppEnv>) => refused(c, 'children.enrol', { siteId: actorOfRequest(c).siteId }) ?? refused(c, 'billingRules.edit', { siteId: actorOfRequest(c).siteId })
  app.get('/guardians/:id/adult-meals', (c) => adultRefused(c) ?? adultPage(c, c.req.param('id'), {}))
  app.post('/guardians/:id/adult-meals', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = adultRefused(c)
    if (denied) return denied
    const guardianId = c.req.param('id')
    const v = formValues(await c.req.parseBody())
    const klass = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'schoolClass', v['classId'] ?? '')
    if (!klass) return adultPage(c, guardianId, v, t(lang, 'staff.adult.chooseClass'))
    try {
      const stamp = randomUUID().slice(0, 8)
      const r = await enrolAdultAs(ctx.storage, actor, {
        guardianId, schoolId: klass.schoolId, classId: klass.id, serviceId: v['serviceId'] ?? '', from: dateOfForm(v['from'] ?? ''),
        enrolmentId: `e-${guardianId}-${stamp}`, subscriptionId: `d-${guardianId}-${stamp}`, ruleId: `r-${guardianId}-${stamp}`,
      }, ctx.clock.now())
      if (!r.ok) {
        const g = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', guardianId)
        return adultPage(c, guardianId, v, refusalText(lang, r.refusal, () => (g ? fullName(g) : guardianId)))
      }
      return c.redirect(`/staff/guardians/${enc(guardianId)}?done=adultEnrolled`, 303)
    } catch (error) {
      const text = ecoleErrorText(error)
      if (text) return adultPage(c, guardianId, v, t(lang, 'staff.people.invalid', { message: text }))
      throw error
    }
  })

  return app
}
