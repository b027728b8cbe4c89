/**
 * Bookings and attendance in the back office (seed 001): a child's week template ("semaine
 * type": weekdays over a period, every week, every other week or a list of weeks; add, or
 * replace what is not billed) planned by the library's `applyWeekTemplate` and shown day by day
 * before it is applied with it; and the roll call of a class for a service and a day ("pointer les
 * présences"), each child checked by `checkAttendance` (refused before the service starts, or on
 * a closed day) and stored with `putAttendance`. The roll call is scoped: a user tied to a school
 * and a service takes attendance there only.
 */
import { Hono, type Context } from 'hono'
import {
  Money, bookingRefusalMessage, checkAttendance, type AttendanceStatus, type LocalDate, type WeekTemplate, type WeekTemplateResult, type Weekday,
} from '@ecole/core'
import type { AppEnv } from '../env'
import { formatAmount, formatDate, t, type Lang } from '../i18n'
import { applyWeekTemplate, loadBookingContext, loadBookingFacts } from '@ecole/workflows'
import { bookingSettings } from '../portal/booking-service'
import { bookingServices as storedBookingServices } from '../stored-settings'
import { CsrfField, Field } from '../views/layout'
import { html } from '../views/render'
import { DateField, dateOfForm, ecoleErrorText, formValues, usableDate } from './form-fields'
import { page, readAll } from '../read-all'
import { allRecords, fullName } from './people'
import { authorize } from './permissions'
import { actorOfRequest, Page, refused, today } from './routes'
import { recordStaffChanges, staffAudit } from './staff-audit'

type Values = Record<string, string>
const enc = encodeURIComponent
const WEEKDAYS: Weekday[] = [1, 2, 3, 4, 5]

/** The services' booking settings (stored on the service records, see `stored-settings.ts`). */
function bookingServices(c: Context<AppEnv>) {
  return storedBookingServices(c.var.ctx)
}

function weekdayName(lang: Lang, d: Weekday): string {
  // 2027-01-04 is a Monday
  return new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2027, 0, 3 + d)))
}

/** The week template the form describes (validated by the library when planned). */
function templateOf(childId: string, v: Values, weekdays: string[]): WeekTemplate {
  const recurrence: WeekTemplate['recurrence'] = v['recurrence'] === 'everyOtherWeek'
    ? { kind: 'everyOtherWeek' }
    : v['recurrence'] === 'weekList'
      ? { kind: 'weekList', weeks: (v['weeks'] ?? '').split(/[\s,;]+/).filter(Boolean).map((w) => w.toUpperCase()) }
      : { kind: 'everyWeek' }
  return {
    beneficiaryId: childId, serviceId: v['serviceId'] ?? '', weekdays: weekdays.map(Number) as Weekday[], from: dateOfForm(v['from'] ?? '') as LocalDate, to: dateOfForm(v['to'] ?? '') as LocalDate,
    recurrence, mode: v['mode'] === 'replace' ? 'replace' : 'add',
  }
}

function PlanTable(p: { lang: Lang; plan: WeekTemplateResult }) {
  const { lang, plan } = p
  return (
    <>
      <p id="plan-counts">{t(lang, 'staff.template.counts', { booked: plan.counts.booked, kept: plan.counts.kept, refused: plan.counts.refused, cancelled: plan.counts.cancelled })}</p>
      <table class="plan">
        <thead><tr><th scope="col">{t(lang, 'staff.attendance.date')}</th><th scope="col">{t(lang, 'staff.template.outcome')}</th></tr></thead>
        <tbody>
          {plan.days.map((d) => (
            <tr class={d.status}>
              <td>{formatDate(lang, d.date, 'long')}</td>
              <td>{t(lang, `staff.template.${d.status}`)}{d.reasons ? `: ${d.reasons.map((r) => bookingRefusalMessage(r, lang)).join(' ')}` : ''}{d.reservations?.length ? ` (${t(lang, 'staff.prepaid.template.reserved', { amount: formatAmount(lang, d.reservations.reduce((sum, r) => sum + r.amount.minor, 0n), d.reservations[0]!.amount.currency) })})` : ''}</td>
            </tr>
          ))}
          {plan.cancellations.map((x) => (
            <tr class={`cancel-${x.status}`}>
              <td>{formatDate(lang, x.date, 'long')}</td>
              <td>{t(lang, x.status === 'cancelled' ? 'staff.template.cancelled' : 'staff.template.cancelRefused')}{x.reasons ? `: ${x.reasons.map((r) => bookingRefusalMessage(r, lang)).join(' ')}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

/** The routes of week templates and attendance. */
export function attendanceRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  const templatePage = async (c: Context<AppEnv>, childId: string, v: Values, weekdays: string[], extra: { error?: string | undefined; plan?: WeekTemplateResult; applied?: boolean; status?: 200 | 400 } = {}) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const child = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'child', childId)
    if (!child) return c.notFound()
    const services = await allRecords(ctx.storage, actor.siteId, 'service')
    // invoiced and prepaid services (a prepaid day debits the payer's wallet: applyWeekTemplate)
    const invoiced = (await bookingServices(c)).filter((s) => services.some((x) => x.id === s.id))
    const recurrence = v['recurrence'] ?? 'everyWeek'
    const notice = extra.error
      ? { kind: 'error' as const, text: extra.error }
      : extra.applied && extra.plan ? { kind: 'ok' as const, text: t(lang, 'staff.template.applied', { booked: extra.plan.counts.booked, refused: extra.plan.counts.refused, cancelled: extra.plan.counts.cancelled }) } : undefined
    return html(c, (
      <Page c={c} title={`${t(lang, 'staff.template.title')} · ${fullName(child)}`} current="/staff/households" notice={notice}>
        <p><a href={`/staff/children/${enc(child.id)}`}>{fullName(child)}</a></p>
        <form method="post" action={`/staff/children/${enc(child.id)}/week-template`} class="card">
          <CsrfField session={c.var.session} />
          <p class="field">
            <label for="f-serviceId">{t(lang, 'staff.subscribe.service')}</label>
            <select id="f-serviceId" name="serviceId">{invoiced.map((s) => <option value={s.id} selected={v['serviceId'] === s.id}>{services.find((x) => x.id === s.id)?.name ?? s.id}{s.payment === 'prepaid' && s.price ? ` ${t(lang, 'staff.prepaid.template.prepaid', { price: formatAmount(lang, Money.of(s.price.amount, s.price.currency as 'EUR').toMinor(), s.price.currency) })}` : ''}</option>)}</select>
          </p>
          <fieldset>
            <legend>{t(lang, 'staff.template.weekdays')}</legend>
            {WEEKDAYS.map((d) => <label class="choice"><input type="checkbox" name="weekdays" value={String(d)} checked={weekdays.includes(String(d))} /> {weekdayName(lang, d)}</label>)}
          </fieldset>
          <DateField lang={lang} label={t(lang, 'staff.template.from')} name="from" value={v['from'] ?? today(c)} />
          <DateField lang={lang} label={t(lang, 'staff.template.to')} name="to" value={v['to'] ?? ''} />
          <fieldset>
            <legend>{t(lang, 'staff.template.recurrence')}</legend>
            {(['everyWeek', 'everyOtherWeek', 'weekList'] as const).map((r) => <p class="choice"><label><input type="radio" name="recurrence" value={r} checked={recurrence === r} /> {t(lang, `staff.template.${r}`)}</label></p>)}
            <Field label={t(lang, 'staff.template.weeks')} name="weeks" value={v['weeks'] ?? ''} required={false} />
          </fieldset>
          <fieldset>
            <legend>{t(lang, 'staff.template.mode')}</legend>
            {(['add', 'replace'] as const).map((m) => <p class="choice"><label><input type="radio" name="mode" value={m} checked={(v['mode'] ?? 'add') === m} /> {t(lang, `staff.template.mode.${m}`)}</label></p>)}
          </fieldset>
          <button type="submit" name="step" value="preview">{t(lang, 'staff.template.preview')}</button>
          {extra.plan && !extra.applied ? <> <button type="submit" name="step" value="apply">{t(lang, 'staff.template.apply')}</button></> : null}
        </form>
        {extra.plan ? <PlanTable lang={lang} plan={extra.plan} /> : null}
      </Page>
    ), extra.status ?? 200)
  }

  app.get('/children/:id/week-template', (c) => refused(c, 'bookings.weekTemplate', { siteId: actorOfRequest(c).siteId }) ?? templatePage(c, c.req.param('id'), {}, ['1', '2', '4', '5']))

  app.post('/children/:id/week-template', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'bookings.weekTemplate', { siteId: actor.siteId })
    if (denied) return denied
    const childId = c.req.param('id')
    const body = await c.req.parseBody({ all: true })
    const weekdays = ([] as unknown[]).concat(body['weekdays'] ?? []).filter((x): x is string => typeof x === 'string')
    const v = formValues(body)
    if (!(await bookingServices(c)).some((s) => s.id === v['serviceId'])) return templatePage(c, childId, v, weekdays, { error: t(lang, 'staff.template.noService'), status: 400 })
    const template = templateOf(childId, v, weekdays)
    const now = ctx.clock.now()
    const siteSettings = await bookingSettings(c.var.ctx)
    // the library plans and, unless previewed, applies: it locks the template's days of the service
    // (the same row locks as the portal's bookers, so a day's places are never overbooked), plans
    // again on what is stored now, reserves each booked day of a prepaid service in the payers'
    // wallets (refusing the days they cannot pay) and writes the bookings, the reservations and
    // the audit entry in one transaction
    try {
      const apply = v['step'] === 'apply'
      const plan = await applyWeekTemplate({ storage: ctx.storage, clock: ctx.clock }, siteSettings, { siteId: actor.siteId, template, preview: !apply }, {
        audit: staffAudit(actor, now, (done) => [{
          action: 'bookings.weekTemplate', subject: { kind: 'child', id: childId },
          after: { serviceId: template.serviceId, from: template.from, to: template.to, mode: template.mode, booked: done.counts.booked, refused: done.counts.refused, cancelled: done.counts.cancelled },
        }]),
      })
      return templatePage(c, childId, v, weekdays, { plan, applied: apply })
    } catch (error) {
      const text = ecoleErrorText(error)
      if (text) return templatePage(c, childId, v, weekdays, { error: t(lang, 'staff.people.invalid', { message: text }), status: 400 })
      throw error
    }
  })

  // ---- the roll call of a class, for a service and a day
  const rollCall = async (c: Context<AppEnv>, query: Values, extra: { notice?: { kind: 'ok' | 'error'; text: string } | undefined; status?: 200 | 400 | 409 } = {}) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const siteId = actor.siteId
    const classes = await allRecords(ctx.storage, siteId, 'schoolClass')
    const services = await allRecords(ctx.storage, siteId, 'service')
    const offered = (await bookingServices(c)).filter((s) => services.some((x) => x.id === s.id)).map((s) => ({ id: s.id, name: services.find((x) => x.id === s.id)!.name }))
    // only the classes and services the user may take attendance for
    const allowedClasses = classes.filter((k) => offered.some((s) => authorize(actor, 'attendance.take', { siteId, schoolId: k.schoolId, serviceId: s.id }).ok))
    if (allowedClasses.length === 0) return refused(c, 'attendance.take', { siteId }) ?? c.notFound()
    const date = (usableDate(query['date'] || today(c)) ?? query['date']) as LocalDate
    const klass = allowedClasses.find((k) => k.id === query['classId']) ?? allowedClasses[0]!
    const allowedServices = offered.filter((s) => authorize(actor, 'attendance.take', { siteId, schoolId: klass.schoolId, serviceId: s.id }).ok)
    const service = allowedServices.find((s) => s.id === query['serviceId']) ?? allowedServices[0]!
    const enrolled = (await allRecords(ctx.storage, siteId, 'enrolment')).filter((e) => e.classId === klass.id && e.from <= date && (!e.to || e.to >= date))
    const children = (await allRecords(ctx.storage, siteId, 'child')).filter((ch) => enrolled.some((e) => e.beneficiaryId === ch.id)).sort((a, b) => `${a.lastName} ${a.firstName}`.localeCompare(`${b.lastName} ${b.firstName}`))
    const validDate = usableDate(date) !== undefined
    const booked = validDate ? (await readAll((a) => ctx.storage.bookings!.listBookings(siteId, { from: date, to: date, serviceId: service.id }, page(a)))).filter((b) => b.status === 'booked') : []
    const marked = validDate ? await readAll((a) => ctx.storage.bookings!.listAttendance(siteId, { from: date, to: date, serviceId: service.id }, page(a))) : []
    return html(c, (
      <Page c={c} title={t(lang, 'staff.attendance.title')} current="/staff/attendance" notice={extra.notice}>
        <form method="get" action="/staff/attendance" class="card filters">
          <DateField lang={lang} label={t(lang, 'staff.attendance.date')} name="date" value={date} />
          <p class="field">
            <label for="f-classId">{t(lang, 'staff.enrol.class')}</label>
            <select id="f-classId" name="classId">{allowedClasses.map((k) => <option value={k.id} selected={k.id === klass.id}>{k.name}</option>)}</select>
          </p>
          <p class="field">
            <label for="f-serviceId">{t(lang, 'staff.subscribe.service')}</label>
            <select id="f-serviceId" name="serviceId">{allowedServices.map((s) => <option value={s.id} selected={s.id === service.id}>{s.name}</option>)}</select>
          </p>
          <button type="submit">{t(lang, 'staff.filter')}</button>
        </form>
        <h2>{`${klass.name} · ${service.name} · ${validDate ? formatDate(lang, date, 'long') : date}`}</h2>
        <form method="post" action="/staff/attendance" class="card">
          <CsrfField session={c.var.session} />
          <input type="hidden" name="date" value={date} />
          <input type="hidden" name="classId" value={klass.id} />
          <input type="hidden" name="serviceId" value={service.id} />
          <table class="roll-call">
            <thead><tr><th scope="col">{t(lang, 'staff.attendance.child')}</th><th scope="col">{t(lang, 'staff.attendance.booked')}</th>
              {(['present', 'absent', 'excused'] as const).map((s) => <th scope="col">{t(lang, `staff.attendance.${s}`)}</th>)}</tr></thead>
            <tbody>
              {children.map((ch) => {
                const current = marked.find((m) => m.beneficiaryId === ch.id)?.status
                const isBooked = booked.some((b) => b.beneficiaryId === ch.id)
                return (
                  <tr>
                    <th scope="row"><a href={`/staff/children/${enc(ch.id)}`}>{fullName(ch)}</a></th>
                    <td>{t(lang, isBooked ? 'staff.attendance.yes' : 'staff.attendance.no')}</td>
                    {(['present', 'absent', 'excused'] as const).map((s) => (
                      <td><input type="radio" name={`status:${ch.id}`} value={s} checked={current === s} aria-label={`${fullName(ch)} ${t(lang, `staff.attendance.${s}`)}`} /></td>
                    ))}
                  </tr>
                )
              })}
            </tbody>
          </table>
          {children.length === 0 ? <p>{t(lang, 'staff.attendance.none')}</p> : <button type="submit">{t(lang, 'staff.attendance.save')}</button>}
        </form>
      </Page>
    ), extra.status ?? 200)
  }

  app.get('/attendance', (c) => rollCall(c, c.req.query()))

  app.post('/attendance', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const siteId = actor.siteId
    const v = formValues(await c.req.parseBody())
    const klass = await ctx.storage.directory!.getDirectoryRecord(siteId, 'schoolClass', v['classId'] ?? '')
    const denied = refused(c, 'attendance.take', { siteId, ...(klass ? { schoolId: klass.schoolId } : {}), serviceId: v['serviceId'] ?? '' })
    if (denied) return denied
    if (!klass) return c.notFound()
    const date = usableDate(v['date'] ?? '')
    if (date === undefined) return rollCall(c, { ...v, date: '' }, { notice: { kind: 'error', text: t(lang, 'staff.attendance.badDate') }, status: 400 })
    const marks = Object.entries(v).filter(([k, s]) => k.startsWith('status:') && (s === 'present' || s === 'absent' || s === 'excused')).map(([k, s]) => ({ childId: k.slice('status:'.length), status: s as AttendanceStatus }))
    const now = ctx.clock.now()
    const siteSettings = await bookingSettings(c.var.ctx)
    try {
      const outcome = await ctx.storage.transaction(siteId, async (tx) => {
        // the marked children's records only (a class, not the whole site); more than the library reads at once is refused as a bad form
        const facts = await loadBookingFacts(tx, { beneficiaryIds: [...new Set(marks.map((m) => m.childId))] })
        const context = await loadBookingContext(tx, siteSettings, { from: date, to: date, guardianIds: [], now, serviceId: v['serviceId'] ?? '', facts })
        const refusedMarks: string[] = []
        let saved = 0
        // only the children of the class on that day: the user's scope is the class's school, and a
        // mark for a child of another school (a forged field) would bill that school's families
        const inClass = new Set(facts.children.filter((ch) => ch.enrolments.some((e) => e.classId === klass.id && e.from <= date && (!e.to || e.to >= date))).map((ch) => ch.id))
        for (const m of marks) {
          if (!inClass.has(m.childId)) {
            refusedMarks.push(t(lang, 'staff.attendance.notInClass', { class: klass.name }))
            continue
          }
          const check = checkAttendance(context, { beneficiaryId: m.childId, serviceId: v['serviceId'] ?? '', date, status: m.status, at: now })
          if (!check.ok) {
            refusedMarks.push(check.reasons.map((r) => bookingRefusalMessage(r, lang)).join(' '))
            continue
          }
          await tx.bookings!.putAttendance(siteId, { beneficiaryId: m.childId, serviceId: v['serviceId'] ?? '', date, status: m.status, recordedAt: now })
          saved++
        }
        if (saved > 0) {
          await recordStaffChanges(tx, actor, now, [{ action: 'attendance.recorded', subject: { kind: 'schoolClass', id: klass.id }, after: { serviceId: v['serviceId'] ?? '', date, marks: marks.length - refusedMarks.length } }])
        }
        return { saved, refused: [...new Set(refusedMarks)] }
      })
      const notice = outcome.refused.length > 0
        ? { kind: 'error' as const, text: t(lang, 'staff.attendance.refused', { saved: outcome.saved, reasons: outcome.refused.join(' ') }) }
        : { kind: 'ok' as const, text: t(lang, 'staff.attendance.saved', { saved: outcome.saved }) }
      return rollCall(c, v, { notice, status: outcome.refused.length > 0 && outcome.saved === 0 ? 409 : 200 })
    } catch (error) {
      const text = ecoleErrorText(error)
      if (text) return rollCall(c, v, { notice: { kind: 'error', text: t(lang, 'staff.people.invalid', { message: text }) }, status: 400 })
      throw error
    }
  })

  return app
}
