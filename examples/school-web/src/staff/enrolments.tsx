/**
 * A child's file in the back office (seed 001: "Comment inscrire un nouvel enfant dans sa
 * classe ?", service rights): their guardians and households by name, their enrolments with the
 * form to enrol (school, class, level, from a date; the site's licence limit of seed 000 enforced
 * by the library's `enrol`, with a refusal that says the limit) and to end one, their service
 * rights with the form to open one, and the links to the move, billing-rule and week-template
 * screens.
 */
import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../env'
import { formatDate, t, type MessageKey } from '../i18n'
import { CsrfField, Field } from '../views/layout'
import { html } from '../views/render'
import { DateField, dateOfForm, ecoleErrorText, formValues, refusalText } from './form-fields'
import { allRecords, endEnrolmentAs, enrolAs, fullName, subscribeAs } from './people'
import { authorize } from './permissions'
import { CriteriaSection } from './person-criteria'
import { actorOfRequest, Page, refused, today } from './routes'

type Values = Record<string, string>
const enc = encodeURIComponent

const DONE: Record<string, MessageKey> = {
  moved: 'staff.move.done', enrolled: 'staff.enrol.done', ended: 'staff.enrol.endDone', subscribed: 'staff.subscribe.done',
  archived: 'staff.childArchive.done', unarchived: 'staff.childUnarchive.done',
}

/** Renders a child's file, with a notice and the values of a refused form. */
async function childPage(c: Context<AppEnv>, childId: string, opts: { error?: string | undefined; values?: Values; status?: 200 | 400 } = {}) {
  const { lang, ctx } = c.var
  const actor = actorOfRequest(c)
  const siteId = actor.siteId
  const child = await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', childId)
  if (!child) return c.notFound()
  const [guardians, households, schools, classes, services, enrolments, subscriptions] = [
    await allRecords(ctx.storage, siteId, 'guardian'), await allRecords(ctx.storage, siteId, 'household'), await allRecords(ctx.storage, siteId, 'school'),
    await allRecords(ctx.storage, siteId, 'schoolClass'), await allRecords(ctx.storage, siteId, 'service'),
    (await allRecords(ctx.storage, siteId, 'enrolment')).filter((e) => e.beneficiaryId === childId),
    (await allRecords(ctx.storage, siteId, 'subscription')).filter((s) => s.beneficiaryId === childId),
  ]
  const name = (list: ReadonlyArray<{ id: string; name?: string; label?: string }>, id: string) => { const r = list.find((x) => x.id === id); return r?.name ?? r?.label ?? id }
  const v = opts.values ?? {}
  const done = c.req.query('done')
  const notice = opts.error ? { kind: 'error' as const, text: opts.error } : done && DONE[done] ? { kind: 'ok' as const, text: t(lang, DONE[done]!) } : undefined
  const may = (a: Parameters<typeof authorize>[1]) => authorize(actor, a, { siteId }).ok
  const range = (from: string, to?: string) => (to ? `${formatDate(lang, from)} – ${formatDate(lang, to)}` : t(lang, 'staff.enrol.fromOn', { from: formatDate(lang, from) }))
  return html(c, (
    <Page c={c} title={fullName(child)} current="/staff/households" notice={notice}>
      <dl class="card">
        <dt>{t(lang, 'staff.people.birthDate')}</dt><dd>{formatDate(lang, child.birthDate)}</dd>
        <dt>{t(lang, 'staff.guardians')}</dt>
        <dd><ul>{child.guardians.map((l) => {
          const g = guardians.find((x) => x.id === l.guardianId)
          return <li><a href={`/staff/guardians/${enc(l.guardianId)}`}>{g ? fullName(g) : l.guardianId}</a>{` (${t(lang, `staff.people.relationship.${l.relationship}`)}) · `}{g ? <a href={`/staff/households/${enc(g.householdId)}`}>{name(households, g.householdId)}</a> : null}</li>
        })}</ul></dd>
      </dl>
      <p class="actions">
        {may('children.move') ? <><a href={`/staff/children/${enc(child.id)}/move`}>{t(lang, 'staff.move.title')}</a>{' · '}<a href={`/staff/households/new?childId=${enc(child.id)}`}>{t(lang, 'staff.people.secondHousehold')}</a>{' · '}</> : null}
        {may('billingRules.edit') ? <><a href={`/staff/children/${enc(child.id)}/rules`}>{t(lang, 'staff.rules.title')}</a>{' · '}</> : null}
        {may('bookings.weekTemplate') ? <a href={`/staff/children/${enc(child.id)}/week-template`}>{t(lang, 'staff.template.title')}</a> : null}
        {may('bookings.staffBook') ? <>{' · '}<a href={`/staff/children/${enc(child.id)}/bookings`}>{t(lang, 'staff.files.bookings.link')}</a></> : null}
        {may('children.archive') ? <>{' · '}<a href={`/staff/children/${enc(child.id)}/${child.archived ? 'unarchive' : 'archive'}`}>{t(lang, child.archived ? 'staff.childUnarchive.link' : 'staff.childArchive.link')}</a></> : null}
      </p>
      {await CriteriaSection({ c, kind: 'child', person: child })}
      <h2>{t(lang, 'staff.enrol.list')}</h2>
      <table>
        <thead><tr><th scope="col">{t(lang, 'staff.enrol.school')}</th><th scope="col">{t(lang, 'staff.enrol.class')}</th><th scope="col">{t(lang, 'staff.enrol.level')}</th><th scope="col">{t(lang, 'staff.enrol.dates')}</th><th scope="col"></th></tr></thead>
        <tbody>
          {enrolments.map((e) => (
            <tr>
              <td>{name(schools, e.schoolId)}</td><td>{name(classes, e.classId)}</td><td>{e.level ?? ''}</td><td>{range(e.from, e.to)}</td>
              <td>{may('children.enrol') && !e.to ? (
                <form method="post" action={`/staff/enrolments/${enc(e.id)}/end`} class="inline">
                  <CsrfField session={c.var.session} />
                  <input type="hidden" name="childId" value={child.id} />
                  <DateField lang={lang} label={t(lang, 'staff.enrol.endOn')} name="to" value={today(c)} />
                  <button type="submit">{t(lang, 'staff.enrol.end')}</button>
                </form>
              ) : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {may('children.enrol') ? (
        <form method="post" action={`/staff/children/${enc(child.id)}/enrol`} class="card">
          <h2>{t(lang, 'staff.enrol.title')}</h2>
          <CsrfField session={c.var.session} />
          <input type="hidden" name="enrolmentId" value={v['enrolmentId'] || `insc-${randomUUID()}`} />
          <p class="field">
            <label for="f-classId">{t(lang, 'staff.enrol.class')}</label>
            <select id="f-classId" name="classId">{classes.map((k) => <option value={k.id} selected={v['classId'] === k.id}>{`${k.name} · ${name(schools, k.schoolId)}`}</option>)}</select>
          </p>
          <Field label={t(lang, 'staff.enrol.level')} name="level" value={v['level']} required={false} />
          <DateField lang={lang} label={t(lang, 'staff.enrol.from')} name="from" value={v['from'] ?? today(c)} />
          <button type="submit">{t(lang, 'staff.enrol.submit')}</button>
        </form>
      ) : null}
      <h2>{t(lang, 'staff.subscribe.list')}</h2>
      <ul>{subscriptions.map((s) => <li>{`${name(services, s.serviceId)} · ${range(s.from, s.to)}`}</li>)}</ul>
      {may('children.subscribe') ? (
        <form method="post" action={`/staff/children/${enc(child.id)}/subscribe`} class="card">
          <h2>{t(lang, 'staff.subscribe.title')}</h2>
          <CsrfField session={c.var.session} />
          <input type="hidden" name="subscriptionId" value={v['subscriptionId'] || `droit-${randomUUID()}`} />
          <p class="field">
            <label for="f-serviceId">{t(lang, 'staff.subscribe.service')}</label>
            <select id="f-serviceId" name="serviceId">{services.map((s) => <option value={s.id} selected={v['serviceId'] === s.id}>{s.name}</option>)}</select>
          </p>
          <DateField lang={lang} label={t(lang, 'staff.enrol.from')} name="subscribeFrom" value={v['subscribeFrom'] ?? today(c)} />
          <button type="submit">{t(lang, 'staff.subscribe.submit')}</button>
        </form>
      ) : null}
    </Page>
  ), opts.status ?? 200)
}

/** A resolver that names the child (for a refusal's message). */
async function childName(c: Context<AppEnv>, childId: string): Promise<(id: string) => string> {
  const child = await c.var.ctx.storage.directory!.getDirectoryRecord(actorOfRequest(c).siteId, 'child', childId)
  return (id) => (child && id === child.id ? fullName(child) : id)
}

/** The routes of a child's file, enrolments and service rights. */
export function enrolmentRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/children/:id', (c) => refused(c, 'households.view', { siteId: actorOfRequest(c).siteId }) ?? childPage(c, c.req.param('id')))

  app.post('/children/:id/enrol', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'children.enrol', { siteId: actor.siteId })
    if (denied) return denied
    const childId = c.req.param('id')
    const v = formValues(await c.req.parseBody())
    const klass = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'schoolClass', v['classId'] ?? '')
    if (!klass) return childPage(c, childId, { error: t(lang, 'staff.enrol.noClass'), values: v, status: 400 })
    try {
      const r = await enrolAs(ctx.storage, actor, { id: v['enrolmentId'] ?? '', childId, schoolId: klass.schoolId, classId: klass.id, level: v['level'] || undefined, from: dateOfForm(v['from'] ?? '') }, ctx.clock.now())
      if (!r.ok) return childPage(c, childId, { error: refusalText(lang, r.refusal, await childName(c, childId)), values: v, status: 400 })
      return c.redirect(`/staff/children/${enc(childId)}?done=enrolled`, 303)
    } catch (error) {
      const text = ecoleErrorText(error)
      if (text) return childPage(c, childId, { error: t(lang, 'staff.people.invalid', { message: text }), values: v, status: 400 })
      throw error
    }
  })

  app.post('/enrolments/:id/end', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'children.enrol', { siteId: actor.siteId })
    if (denied) return denied
    const v = formValues(await c.req.parseBody())
    const enrolment = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'enrolment', c.req.param('id'))
    if (!enrolment) return c.notFound()
    try {
      const r = await endEnrolmentAs(ctx.storage, actor, enrolment.id, dateOfForm(v['to'] ?? ''), ctx.clock.now())
      if (!r.ok) return childPage(c, enrolment.beneficiaryId, { error: refusalText(lang, r.refusal), status: 400 })
      return c.redirect(`/staff/children/${enc(enrolment.beneficiaryId)}?done=ended`, 303)
    } catch (error) {
      const text = ecoleErrorText(error)
      if (text) return childPage(c, enrolment.beneficiaryId, { error: t(lang, 'staff.people.invalid', { message: text }), status: 400 })
      throw error
    }
  })

  app.post('/children/:id/subscribe', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'children.subscribe', { siteId: actor.siteId })
    if (denied) return denied
    const childId = c.req.param('id')
    const v = formValues(await c.req.parseBody())
    try {
      const r = await subscribeAs(ctx.storage, actor, { id: v['subscriptionId'] ?? '', childId, serviceId: v['serviceId'] ?? '', from: dateOfForm(v['subscribeFrom'] ?? '') }, ctx.clock.now())
      if (!r.ok) return childPage(c, childId, { error: refusalText(lang, r.refusal, await childName(c, childId)), values: v, status: 400 })
      return c.redirect(`/staff/children/${enc(childId)}?done=subscribed`, 303)
    } catch (error) {
      const text = ecoleErrorText(error)
      if (text) return childPage(c, childId, { error: t(lang, 'staff.people.invalid', { message: text }), values: v, status: 400 })
      throw error
    }
  })

  return app
}
