/**
 * The site's periods (seed 001 « Comment ajouter une période ? » and « Comment créer toutes les
 * périodes scolaires de l'année correspondant au calendrier de l'éducation nationale ? »), at
 * `/staff/admin/periods`, stored by the library (directory records `period`, `@ecole/workflows`'
 * `savePeriod`, `deletePeriod`, `saveSchoolCalendar`):
 *
 * - the stored periods, in date order, 20 a page, each with its colour, kind, dates and the
 *   services x schools x classes it covers ("sans prestations" when none yet);
 * - a period created or edited by hand (label, dates, colour, closure or opening, services x
 *   schools x classes), and deleted after a confirmation;
 * - seed 001's warning: a closure that covers bookings shows them (children by name and class,
 *   service, day; the count) and the billed ones it keeps before the confirmation button; the
 *   confirmation carries the ids shown, and the library refuses (nothing written) when a booking
 *   was made or cancelled meanwhile: the page then shows the new list;
 * - the national calendar of a zone and school year generated and saved, linked to the services
 *   and classes ticked (none: "périodes sans prestations", linked later by editing them).
 *
 * The portal reads the stored periods inside each booking transaction (`storedPeriods`), so a
 * period saved here applies to the next booking at once. Takes `settings.services` (action
 * `periods.edit`).
 */
import { Hono, type Context } from 'hono'
import {
  formatMoney, isEcoleError, Money, schoolHolidayCalendars, type PeriodRecord, type PeriodScope,
} from '@ecole/core'
import { deletePeriod, savePeriod, saveSchoolCalendar, type ClosedBooking, type PeriodImpact, type SavePeriodRequest } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { formatDate, LOCALES, t, type Lang } from '../i18n'
import { CsrfField } from '../views/layout'
import { html } from '../views/render'
import { CheckedField, ErrorSummary, fieldErrorsOf, type FieldErrors } from './field-errors'
import { dateOfForm } from './form-fields'
import { allRecords, fullName } from './people'
import { actorOfRequest, Page, refused } from './routes'

const BASE = '/staff/admin/periods'
const PAGE_SIZE = 20
const enc = encodeURIComponent
type Body = Record<string, string | string[]>

/** The services, their schools and classes, and the children's names: what the pages show. */
async function siteFacts(c: Context<AppEnv>) {
  const { ctx } = c.var
  const siteId = actorOfRequest(c).siteId
  const [services, schools, classes] = await Promise.all([allRecords(ctx.storage, siteId, 'service'), allRecords(ctx.storage, siteId, 'school'), allRecords(ctx.storage, siteId, 'schoolClass')])
  return { services, schools, classes }
}
type Facts = Awaited<ReturnType<typeof siteFacts>>

const one = (body: Body, key: string): string => {
  const v = body[key]
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? ''
}
const many = (body: Body, key: string): string[] => ([] as string[]).concat(body[key] ?? []).filter((x) => typeof x === 'string' && x !== '')

/**
 * The scopes ticked in the picker: `svc` = a service for every school and class; `cls` =
 * `<service>|<school>|<class>`, gathered per service and school.
 */
function scopesOf(body: Body, prefix = ''): PeriodScope[] {
  const whole = new Set(many(body, `${prefix}svc`))
  const bySchool = new Map<string, { serviceId: string; schoolId: string; classIds: string[] }>()
  for (const v of many(body, `${prefix}cls`)) {
    const [serviceId, schoolId, classId] = v.split('|')
    if (!serviceId || !schoolId || !classId || whole.has(serviceId)) continue
    const key = `${serviceId}|${schoolId}`
    const entry = bySchool.get(key) ?? { serviceId, schoolId, classIds: [] }
    entry.classIds.push(classId)
    bySchool.set(key, entry)
  }
  return [...[...whole].map((serviceId) => ({ serviceId })), ...bySchool.values()]
}

/** The period a form sends (the library's `definePeriod` checks it and names the field). */
function periodOfForm(body: Body, id: string): SavePeriodRequest['period'] {
  const colour = one(body, 'colour')
  return {
    id, kind: one(body, 'kind') === 'opening' ? 'opening' : 'closure', label: one(body, 'label'), from: dateOfForm(one(body, 'from')), to: dateOfForm(one(body, 'to')),
    ...(colour ? { colour } : {}), scopes: scopesOf(body),
  }
}

/** The form's fields again, hidden, so the confirmation posts what was shown. */
function HiddenBody(p: { body: Body; skip?: readonly string[] }) {
  return <>{Object.entries(p.body).filter(([k]) => k !== '_csrf' && !(p.skip ?? []).includes(k)).flatMap(([k, v]) => ([] as string[]).concat(v).map((x) => <input type="hidden" name={k} value={x} />))}</>
}

function Swatch(p: { colour?: string | undefined }) {
  return <svg class="swatch" width="14" height="14" aria-hidden="true"><rect width="14" height="14" rx="2" fill={p.colour ?? '#999999'} /></svg>
}

function scopeText(lang: Lang, facts: Facts, scopes: readonly PeriodScope[]): string {
  if (scopes.length === 0) return t(lang, 'staff.period.noService')
  const name = (list: Array<{ id: string; name: string }>, id: string) => list.find((x) => x.id === id)?.name ?? id
  return scopes.map((s) => `${name(facts.services, s.serviceId)} (${s.schoolId === undefined ? t(lang, 'staff.period.everySchool') : name(facts.schools, s.schoolId)}${s.schoolId === undefined ? '' : `: ${s.classIds ? s.classIds.map((k) => name(facts.classes, k)).join(', ') : t(lang, 'staff.period.allClasses')}`})`).join(' ; ')
}

/** The services x schools x classes picker (seed 001: « cliquez sur les prestations pour dérouler les établissements et classes »). */
function ScopePicker(p: { lang: Lang; facts: Facts; scopes: readonly PeriodScope[]; prefix?: string; legend: string; hint: string }) {
  const prefix = p.prefix ?? ''
  const whole = new Set(p.scopes.filter((s) => s.schoolId === undefined).map((s) => s.serviceId))
  const ticked = (serviceId: string, schoolId: string, classId: string) => p.scopes.some((s) => s.serviceId === serviceId && s.schoolId === schoolId && (s.classIds === undefined || s.classIds.includes(classId)))
  return (
    <fieldset class="scopes">
      <legend>{p.legend}</legend>
      <small class="hint">{p.hint}</small>
      {p.facts.services.map((svc) => (
        <details open={whole.has(svc.id) || p.scopes.some((s) => s.serviceId === svc.id)}>
          <summary><label><input type="checkbox" name={`${prefix}svc`} value={svc.id} checked={whole.has(svc.id)} /> {svc.name}</label></summary>
          {svc.offeredTo.map((o) => {
            const school = p.facts.schools.find((s) => s.id === o.schoolId)
            const classes = p.facts.classes.filter((k) => k.schoolId === o.schoolId && (o.classIds === undefined || o.classIds.length === 0 || o.classIds.includes(k.id)))
            return (
              <p class="choice">{school?.name ?? o.schoolId} :{' '}
                {classes.map((k) => <label><input type="checkbox" name={`${prefix}cls`} value={`${svc.id}|${o.schoolId}|${k.id}`} checked={ticked(svc.id, o.schoolId, k.id)} data-class={k.name} /> {k.name}</label>)}
              </p>
            )
          })}
        </details>
      ))}
    </fieldset>
  )
}

/** How many bookings of an impact are listed by name (the rest counted: the confirmation carries every id). */
const SHOWN_BOOKINGS = 200

/** The bookings a closure deletes, children by name and class (seed 001's warning). */
async function ImpactList(c: Context<AppEnv>, facts: Facts, all: readonly ClosedBooking[]) {
  const { lang, ctx } = c.var
  const items = all.slice(0, SHOWN_BOOKINGS)
  const siteId = actorOfRequest(c).siteId
  const children = await ctx.storage.directory!.getDirectoryRecords(siteId, 'child', [...new Set(items.map((b) => b.beneficiaryId))].slice(0, 1000))
  const guardians = await ctx.storage.directory!.getDirectoryRecords(siteId, 'guardian', [...new Set(items.filter((b) => !children.has(b.beneficiaryId)).map((b) => b.beneficiaryId))].slice(0, 1000))
  const name = (id: string) => {
    const p = children.get(id) ?? guardians.get(id)
    return p ? fullName(p) : id
  }
  return (
    <ul class="impact">{items.map((b) => (
      <li data-booking={b.bookingId}>{t(lang, 'staff.period.line', {
        child: name(b.beneficiaryId), class: facts.classes.find((k) => k.id === b.classId)?.name ?? (b.classId || '-'),
        service: facts.services.find((s) => s.id === b.serviceId)?.name ?? b.serviceId, date: formatDate(lang, b.date),
      })}</li>
    ))}{all.length > items.length ? <li>{t(lang, 'staff.period.more', { count: all.length - items.length })}</li> : null}</ul>
  )
}

/** What a save says about the bookings it deleted, and the money back in wallets when there was some. */
const deletedText = (lang: Lang, count: number, refundedMinor: bigint) =>
  count === 0 ? '' : t(lang, 'staff.period.savedCancelled', { count }) + (refundedMinor > 0n ? ` ${t(lang, 'staff.period.refunded', { refund: formatMoney(Money.fromMinor(refundedMinor, 'EUR'), LOCALES[lang]) })}` : '')

/** What `?done=` may say after a save, a calendar generated or a deletion, and the message of each. */
const DONE_MESSAGES = { saved: 'staff.period.saved', generated: 'staff.period.calendarSaved', deleted: 'staff.period.deleted' } as const

/**
 * Keeps the sentence that says what a post did (with its counts and refunds) for the page it redirects to:
 * in the session, so `?done=` carries only a fixed key and a link cannot make the page say anything else.
 */
function redirectDone(c: Context<AppEnv>, done: keyof typeof DONE_MESSAGES, text: string) {
  c.var.session.flash = text
  return c.redirect(`${BASE}?done=${done}`, 303)
}

/** The success notice of `?done=`: the sentence kept by {@link redirectDone}, or the key's fixed message; nothing for another value. */
function doneNotice(c: Context<AppEnv>): { kind: 'ok'; text: string } | undefined {
  const done = c.req.query('done')
  if (done === undefined || !Object.hasOwn(DONE_MESSAGES, done)) return undefined
  const { session, lang } = c.var
  const text = session.flash ?? t(lang, DONE_MESSAGES[done as keyof typeof DONE_MESSAGES])
  session.flash = undefined
  return { kind: 'ok', text }
}

/** Mounts the periods screen. */
export function periodRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const gate = (c: Context<AppEnv>) => refused(c, 'periods.edit', { siteId: actorOfRequest(c).siteId })
  const deps = (c: Context<AppEnv>) => ({ storage: c.var.ctx.storage, clock: c.var.ctx.clock })
  const actorOf = (c: Context<AppEnv>) => ({ kind: 'user' as const, id: actorOfRequest(c).userId })

  async function listPage(c: Context<AppEnv>, opts: { edit?: PeriodRecord | undefined; body?: Body; errors?: FieldErrors; notice?: { kind: 'ok' | 'error'; text: string }; generate?: { zone: string; year: string }; status?: 400 } = {}) {
    const { lang, ctx } = c.var
    const siteId = actorOfRequest(c).siteId
    const facts = await siteFacts(c)
    // a site keeps tens of periods a year: read whole (id order), shown in date order, a page at a time
    const all: PeriodRecord[] = []
    let after: string | undefined
    do {
      const page = await ctx.storage.directory!.listDirectoryRecords(siteId, 'period', { limit: 500, ...(after ? { after } : {}) })
      all.push(...page.items)
      after = page.next
    } while (after)
    all.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.id < b.id ? -1 : 1))
    const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE))
    const pageNo = Math.min(pages, Math.max(1, Number.parseInt(c.req.query('page') ?? '1', 10) || 1))
    const shown = all.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE)
    const e = opts.edit
    const body: Body = opts.body ?? (e ? { label: e.label, from: e.from, to: e.to, colour: e.colour ?? '#3366cc', kind: e.kind } : { label: '', from: '', to: '', colour: '#3366cc', kind: 'closure' })
    const scopes = opts.body ? scopesOf(opts.body) : e?.scopes ?? []
    const calendars = schoolHolidayCalendars()
    const gen = opts.generate ?? { zone: 'FR-C', year: calendars.find((k) => k.id === 'FR-C')?.schoolYears.at(-1) ?? '' }
    const L = { label: t(lang, 'staff.period.label'), from: t(lang, 'staff.period.from'), to: t(lang, 'staff.period.to'), colour: t(lang, 'staff.period.colour'), kind: t(lang, 'staff.period.kind'), scopes: t(lang, 'staff.period.scopes') }
    const notice = opts.notice ?? (opts.errors ? { kind: 'error' as const, text: t(lang, 'staff.form.nothingSaved') } : doneNotice(c))
    return html(c,
      <Page c={c} title={t(lang, 'staff.period.pageTitle')} current={BASE} notice={notice}>
        <h2>{t(lang, 'staff.period.listTitle')}</h2>
        {all.length === 0 ? <p>{t(lang, 'staff.period.none')}</p> : (
          <table class="periods">
            <thead><tr><th scope="col">{t(lang, 'staff.period.col.label')}</th><th scope="col">{t(lang, 'staff.period.col.kind')}</th><th scope="col">{t(lang, 'staff.period.col.dates')}</th><th scope="col">{t(lang, 'staff.period.col.scopes')}</th><th scope="col"></th></tr></thead>
            <tbody>{shown.map((p) => (
              <tr data-period={p.id} style={`border-left: 6px solid ${p.colour ?? '#999999'}`}>
                <td><Swatch colour={p.colour} /> <a href={`${BASE}?edit=${enc(p.id)}&page=${pageNo}#form`}>{p.label}</a>{p.generatedFrom ? <small class="hint"> ({t(lang, 'staff.period.origin', { zone: calendars.find((k) => k.id === p.generatedFrom!.zone)?.name ?? p.generatedFrom.zone, year: p.generatedFrom.schoolYear })})</small> : null}</td>
                <td>{t(lang, `staff.period.kind.${p.kind}`)}</td>
                <td>{formatDate(lang, p.from)} – {formatDate(lang, p.to)}</td>
                <td>{scopeText(lang, facts, p.scopes)}</td>
                <td><a href={`${BASE}?edit=${enc(p.id)}&page=${pageNo}#form`}>{t(lang, 'staff.period.edit')}</a> · <a href={`${BASE}/${enc(p.id)}/delete`}>{t(lang, 'staff.period.delete')}</a></td>
              </tr>
            ))}</tbody>
          </table>
        )}
        {pages > 1 ? (
          <p class="pager">
            {pageNo > 1 ? <a href={`${BASE}?page=${pageNo - 1}`} rel="prev">{t(lang, 'staff.period.prev')}</a> : null} {t(lang, 'staff.period.page', { page: pageNo, pages })}{' '}
            {pageNo < pages ? <a href={`${BASE}?page=${pageNo + 1}`} rel="next">{t(lang, 'staff.period.next')}</a> : null}
          </p>
        ) : null}

        <h2 id="form">{e ? t(lang, 'staff.period.editTitle', { label: e.label }) : t(lang, 'staff.period.add')}</h2>
        <form method="post" action={e ? `${BASE}/${enc(e.id)}` : BASE} class="card" novalidate>
          <CsrfField session={c.var.session} />
          <ErrorSummary lang={lang} errors={opts.errors} />
          <CheckedField label={L.label} name="label" value={one(body, 'label')} required errors={opts.errors} />
          <CheckedField label={L.from} name="from" type="date" value={one(body, 'from')} required errors={opts.errors} hint={t(lang, 'staff.date.hint', { example: formatDate(lang, '2027-01-20') })} />
          <CheckedField label={L.to} name="to" type="date" value={one(body, 'to')} required errors={opts.errors} hint={t(lang, 'staff.date.hint', { example: formatDate(lang, '2027-01-20') })} />
          <CheckedField label={L.colour} name="colour" type="color" value={one(body, 'colour')} errors={opts.errors} />
          <fieldset>
            <legend>{L.kind}</legend>
            {(['closure', 'opening'] as const).map((k) => <p class="choice"><label><input type="radio" name="kind" value={k} checked={(one(body, 'kind') || 'closure') === k} /> {t(lang, `staff.period.kind.${k}`)}</label></p>)}
          </fieldset>
          <ScopePicker lang={lang} facts={facts} scopes={scopes} legend={L.scopes} hint={t(lang, 'staff.period.scopesHint')} />
          <p class="hint warning">{t(lang, 'staff.period.warning')}</p>
          <button type="submit">{t(lang, 'staff.period.save')}</button>
        </form>

        <h2 id="generate">{t(lang, 'staff.period.generateTitle')}</h2>
        <form method="post" action={`${BASE}/generate`} class="card">
          <CsrfField session={c.var.session} />
          <p class="field">
            <label for="g-zone">{t(lang, 'staff.period.zone')}</label>
            <select id="g-zone" name="zone">{calendars.map((k) => <option value={k.id} selected={k.id === gen.zone}>{k.name}</option>)}</select>
          </p>
          <p class="field">
            <label for="g-year">{t(lang, 'staff.period.year')}</label>
            <select id="g-year" name="year">{[...new Set(calendars.flatMap((k) => k.schoolYears))].sort().map((y) => <option value={y} selected={y === gen.year}>{y}</option>)}</select>
          </p>
          <ScopePicker lang={lang} facts={facts} scopes={[]} prefix="g" legend={L.scopes} hint={t(lang, 'staff.period.generateHint')} />
          <button type="submit" name="step" value="preview">{t(lang, 'staff.period.generatePreview')}</button>
        </form>
      </Page>,
      opts.status ?? (opts.errors ? 400 : 200),
    )
  }

  async function confirmPage(c: Context<AppEnv>, opts: { title: string; action: string; body: Body; impact: PeriodImpact; changed?: boolean; before?: unknown }) {
    const { lang } = c.var
    const facts = await siteFacts(c)
    const n = opts.impact.cancelled.length
    return html(c,
      <Page c={c} title={opts.title} current={BASE} notice={opts.changed ? { kind: 'error', text: t(lang, 'staff.period.changed') } : undefined}>
        {opts.before as never}
        <section class="card confirm" aria-labelledby="impact-title">
          <p id="impact-title" class="warning"><strong>{t(lang, 'staff.period.warning')}</strong></p>
          <p><strong>{t(lang, 'staff.period.impact', { count: n })}</strong></p>
          {await ImpactList(c, facts, opts.impact.cancelled)}
          {opts.impact.billedInside.length > 0 ? (
            <>
              <p>{t(lang, 'staff.period.billedKept', { count: opts.impact.billedInside.length })}</p>
              {await ImpactList(c, facts, opts.impact.billedInside)}
            </>
          ) : null}
          <form method="post" action={opts.action}>
            <CsrfField session={c.var.session} />
            <HiddenBody body={opts.body} skip={['step', 'confirmed']} />
            <input type="hidden" name="confirmed" value={opts.impact.cancelled.map((b) => b.bookingId).join(',')} />
            <button type="submit" name="step" value="confirm">{t(lang, 'staff.period.confirm', { count: n })}</button>{' '}
            <a href={BASE}>{t(lang, 'staff.period.back')}</a>
          </form>
        </section>
      </Page>,
      opts.changed ? 409 : 200,
    )
  }

  app.get('/admin/periods', async (c) => {
    const no = gate(c)
    if (no) return no
    const editId = c.req.query('edit')
    const edit = editId ? await c.var.ctx.storage.directory!.getDirectoryRecord(actorOfRequest(c).siteId, 'period', editId) : undefined
    if (editId && !edit) return c.notFound()
    return listPage(c, { edit })
  })

  async function save(c: Context<AppEnv>, existing: PeriodRecord | undefined) {
    const { lang } = c.var
    const siteId = actorOfRequest(c).siteId
    const body = (await c.req.parseBody({ all: true })) as Body
    // a new period gets its id on the first post; the confirmation posts it back (a second confirmation saves the same period)
    const id = existing?.id ?? (one(body, 'id') || `periode-${crypto.randomUUID()}`)
    const idBody: Body = { ...body, id }
    const period = periodOfForm(body, id)
    const action = existing ? `${BASE}/${enc(existing.id)}` : BASE
    const confirmed = one(body, 'step') === 'confirm' ? one(body, 'confirmed').split(',').filter(Boolean) : undefined
    try {
      const preview = await savePeriod(deps(c), { siteId, actor: actorOf(c), period, preview: true })
      if (preview.impact.cancelled.length > 0 && confirmed === undefined) {
        return confirmPage(c, { title: t(lang, 'staff.period.confirmTitle', { label: preview.period.label }), action, body: existing ? body : idBody, impact: preview.impact })
      }
      const r = await savePeriod(deps(c), { siteId, actor: actorOf(c), period, confirmedBookingIds: confirmed ?? [] })
      const text = r.impact.cancelled.length > 0 ? deletedText(lang, r.impact.cancelled.length, r.refundedMinor) : t(lang, 'staff.period.saved')
      return redirectDone(c, 'saved', text)
    } catch (error) {
      if (isEcoleError(error, 'PERIOD_IMPACT_CHANGED')) {
        const again = await savePeriod(deps(c), { siteId, actor: actorOf(c), period, preview: true })
        return confirmPage(c, { title: t(lang, 'staff.period.confirmTitle', { label: again.period.label }), action, body: existing ? body : idBody, impact: again.impact, changed: true })
      }
      const errors = fieldErrorsOf(lang, error, { label: t(lang, 'staff.period.label'), from: t(lang, 'staff.period.from'), to: t(lang, 'staff.period.to'), colour: t(lang, 'staff.period.colour'), kind: t(lang, 'staff.period.kind') })
      if (errors) return listPage(c, { edit: existing, body, errors })
      throw error
    }
  }

  app.post('/admin/periods', async (c) => gate(c) ?? save(c, undefined))
  app.post('/admin/periods/generate', async (c) => {
    const no = gate(c)
    if (no) return no
    const { lang } = c.var
    const siteId = actorOfRequest(c).siteId
    const body = (await c.req.parseBody({ all: true })) as Body
    const zone = one(body, 'zone')
    const year = one(body, 'year')
    const scopes = scopesOf(body, 'g')
    const calendar = schoolHolidayCalendars().find((k) => k.id === zone)
    const request = { siteId, actor: actorOf(c), zone, schoolYear: year, scopes }
    try {
      if (one(body, 'step') !== 'confirm') {
        const preview = await saveSchoolCalendar(deps(c), { ...request, preview: true })
        const facts = await siteFacts(c)
        const list = (
          <>
            <h2>{t(lang, 'staff.period.generateList', { zone: calendar?.name ?? zone, year })}</h2>
            <table class="periods">
              <thead><tr><th scope="col">{t(lang, 'staff.period.col.label')}</th><th scope="col">{t(lang, 'staff.period.col.dates')}</th><th scope="col">{t(lang, 'staff.period.col.scopes')}</th></tr></thead>
              <tbody>{preview.periods.map((p) => (
                <tr data-period={p.id}><td><Swatch colour={p.colour} /> {p.label}{preview.existing.includes(p.id) ? <small class="hint"> ({t(lang, 'staff.period.alreadyStored')})</small> : null}</td><td>{formatDate(lang, p.from)} – {formatDate(lang, p.to)}</td><td>{scopeText(lang, facts, p.scopes)}</td></tr>
              ))}</tbody>
            </table>
          </>
        )
        return confirmPage(c, { title: t(lang, 'staff.period.generateTitle'), action: `${BASE}/generate`, body, impact: preview.impact, before: list })
      }
      const confirmed = one(body, 'confirmed').split(',').filter(Boolean)
      const r = await saveSchoolCalendar(deps(c), { ...request, confirmedBookingIds: confirmed })
      const text = t(lang, 'staff.period.generated', { created: r.created.length, existing: r.existing.length })
        + (r.impact.cancelled.length > 0 ? ` ${deletedText(lang, r.impact.cancelled.length, r.refundedMinor)}` : '')
      return redirectDone(c, 'generated', text)
    } catch (error) {
      if (isEcoleError(error, 'SCHOOL_YEAR_UNAVAILABLE')) {
        return listPage(c, { notice: { kind: 'error', text: t(lang, 'staff.period.unavailable', { zone: calendar?.name ?? zone, year }) }, generate: { zone, year }, status: 400 })
      }
      if (isEcoleError(error, 'PERIOD_IMPACT_CHANGED')) {
        const again = await saveSchoolCalendar(deps(c), { ...request, preview: true })
        return confirmPage(c, { title: t(lang, 'staff.period.generateTitle'), action: `${BASE}/generate`, body, impact: again.impact, changed: true })
      }
      if (isEcoleError(error, 'INVALID_INPUT')) {
        return listPage(c, { notice: { kind: 'error', text: error.message.replace(/^\[ecole\] /, '') }, generate: { zone, year }, status: 400 })
      }
      throw error
    }
  })
  app.get('/admin/periods/:id/delete', async (c) => {
    const no = gate(c)
    if (no) return no
    const { lang } = c.var
    const period = await c.var.ctx.storage.directory!.getDirectoryRecord(actorOfRequest(c).siteId, 'period', c.req.param('id'))
    if (!period) return c.notFound()
    return html(c,
      <Page c={c} title={t(lang, 'staff.period.deleteTitle', { label: period.label })} current={BASE}>
        <form method="post" action={`${BASE}/${enc(period.id)}/delete`} class="card confirm">
          <CsrfField session={c.var.session} />
          <p><Swatch colour={period.colour} /> {t(lang, 'staff.period.deleteText', { from: formatDate(lang, period.from), to: formatDate(lang, period.to) })}</p>
          <button type="submit">{t(lang, 'staff.period.confirmDelete')}</button> <a href={BASE}>{t(lang, 'staff.period.back')}</a>
        </form>
      </Page>,
    )
  })
  app.post('/admin/periods/:id/delete', async (c) => {
    const no = gate(c)
    if (no) return no
    const { lang } = c.var
    const siteId = actorOfRequest(c).siteId
    const periodId = c.req.param('id')
    const body = (await c.req.parseBody({ all: true })) as Body
    const action = `${BASE}/${enc(periodId)}/delete`
    // deleting an opening closes the days it covered for its services: the bookings on them are
    // shown, as for a save, and cancelled and refunded only once confirmed
    const confirmed = one(body, 'step') === 'confirm' ? one(body, 'confirmed').split(',').filter(Boolean) : undefined
    try {
      const preview = await deletePeriod(deps(c), { siteId, periodId, actor: actorOf(c), preview: true })
      if (preview.period === undefined) return c.notFound()
      if (preview.impact.cancelled.length > 0 && confirmed === undefined) {
        return confirmPage(c, { title: t(lang, 'staff.period.deleteTitle', { label: preview.period.label }), action, body, impact: preview.impact })
      }
      const r = await deletePeriod(deps(c), { siteId, periodId, actor: actorOf(c), confirmedBookingIds: confirmed ?? [] })
      if (!r.deleted) return c.notFound()
      const text = r.impact.cancelled.length > 0 ? deletedText(lang, r.impact.cancelled.length, r.refundedMinor) : t(lang, 'staff.period.deleted')
      return redirectDone(c, 'deleted', text)
    } catch (error) {
      if (isEcoleError(error, 'PERIOD_IMPACT_CHANGED')) {
        const again = await deletePeriod(deps(c), { siteId, periodId, actor: actorOf(c), preview: true })
        if (again.period === undefined) return c.notFound()
        return confirmPage(c, { title: t(lang, 'staff.period.deleteTitle', { label: again.period.label }), action, body, impact: again.impact, changed: true })
      }
      throw error
    }
  })
  app.post('/admin/periods/:id', async (c) => {
    const no = gate(c)
    if (no) return no
    const existing = await c.var.ctx.storage.directory!.getDirectoryRecord(actorOfRequest(c).siteId, 'period', c.req.param('id'))
    if (!existing) return c.notFound()
    return save(c, existing)
  })

  return app
}

