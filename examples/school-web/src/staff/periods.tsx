/**
 * The national school calendar of a zone, previewed (seed 001 « Périodes du calendrier national »
 * and the warning of « Ajouter une période »), at `/staff/admin/periods?zone=&year=&serviceId=`:
 * the closure periods of a school year for a zone (`generateSchoolPeriods`: France A/B/C/Corse,
 * the Belgian communities, the Italian regions where data exists), each linked to the service
 * chosen, and for each the bookings the closure would cancel (`closureImpact` over the stored
 * bookings, children by name with their class), before anything is done.
 *
 * Periods are not stored by the library yet (`PeriodSchema` carries no site: see back-office.md,
 * "what the administration screens still lack"), so this page shows and warns; it saves nothing.
 * Takes `settings.services` (action `periods.edit`).
 */
import { Hono } from 'hono'
import { closureImpact, generateSchoolPeriods, isEcoleError, schoolHolidayCalendars, type LocalDate } from '@ecole/core'
import type { AppEnv } from '../env'
import { formatDate, t } from '../i18n'
import { html } from '../views/render'
import { allRecords, fullName } from './people'
import { actorOfRequest, Page, refused } from './routes'

const BASE = '/staff/admin/periods'

/** Mounts the periods preview. */
export function periodRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/admin/periods', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const no = refused(c, 'periods.edit', { siteId: actor.siteId })
    if (no) return no
    const calendars = schoolHolidayCalendars()
    const zone = c.req.query('zone') ?? 'FR-C'
    const calendar = calendars.find((k) => k.id === zone)
    const year = c.req.query('year') ?? calendar?.schoolYears[calendar.schoolYears.length - 1] ?? ''
    const services = await allRecords(ctx.storage, actor.siteId, 'service')
    const serviceId = c.req.query('serviceId') ?? services[0]?.id ?? ''
    const service = services.find((s) => s.id === serviceId)
    let error: string | undefined
    let periods: ReturnType<typeof generateSchoolPeriods> = []
    try {
      if (calendar && year) periods = generateSchoolPeriods(zone, year, { scopes: service ? [{ serviceId: service.id }] : [] })
    } catch (e) {
      if (!isEcoleError(e)) throw e
      error = t(lang, 'staff.periods.unavailable', { zone: calendar?.name ?? zone, year })
    }
    // the bookings of the service over the whole year, read once; the child's school and class from the enrolments
    const first = periods[0]
    const last = periods[periods.length - 1]
    const bookings = []
    if (service && first && last) {
      let after: string | undefined
      do {
        const page = await ctx.storage.bookings!.listBookings(actor.siteId, { from: first.from, to: last.to, serviceId: service.id }, { limit: 500, ...(after ? { after } : {}) })
        bookings.push(...page.items.filter((b) => b.status === 'booked'))
        after = page.next
      } while (after)
    }
    const enrolments = await allRecords(ctx.storage, actor.siteId, 'enrolment')
    const children = new Map((await allRecords(ctx.storage, actor.siteId, 'child')).map((k) => [k.id, k]))
    const classes = new Map((await allRecords(ctx.storage, actor.siteId, 'schoolClass')).map((k) => [k.id, k.name]))
    const placed = bookings.flatMap((b) => {
      const e = enrolments.find((x) => x.beneficiaryId === b.beneficiaryId && x.from <= b.date && (x.to === undefined || b.date <= x.to))
      return e ? [{ ...b, schoolId: e.schoolId, classId: e.classId, date: b.date as LocalDate }] : []
    })
    return html(c,
      <Page c={c} title={t(lang, 'staff.periods.title')} current={BASE} notice={error ? { kind: 'error', text: error } : undefined}>
        <form method="get" action={BASE} class="card inline">
          <p class="field">
            <label for="f-zone">{t(lang, 'staff.periods.zone')}</label>
            <select id="f-zone" name="zone">{calendars.map((k) => <option value={k.id} selected={k.id === zone}>{k.name}</option>)}</select>
          </p>
          <p class="field">
            <label for="f-year">{t(lang, 'staff.periods.year')}</label>
            <select id="f-year" name="year">{[...new Set(calendars.flatMap((k) => k.schoolYears))].sort().map((y) => <option value={y} selected={y === year}>{y}</option>)}</select>
          </p>
          <p class="field">
            <label for="f-serviceId">{t(lang, 'staff.periods.service')}</label>
            <select id="f-serviceId" name="serviceId">{services.map((s) => <option value={s.id} selected={s.id === serviceId}>{s.name}</option>)}</select>
          </p>
          <button type="submit">{t(lang, 'staff.periods.show')}</button>
        </form>
        <p class="hint">{t(lang, 'staff.periods.notStored')}</p>
        {periods.length === 0 ? null : (
          <table class="periods">
            <thead><tr><th scope="col">{t(lang, 'staff.periods.label')}</th><th scope="col">{t(lang, 'staff.periods.dates')}</th><th scope="col">{t(lang, 'staff.periods.impact')}</th></tr></thead>
            <tbody>
              {periods.map((p) => {
                const impact = closureImpact(p, placed)
                return (
                  <tr data-period={p.id}>
                    <td><svg class="swatch" width="14" height="14" aria-hidden="true"><rect width="14" height="14" rx="2" fill={p.colour ?? '#999999'} /></svg> {p.label}</td>
                    <td>{formatDate(lang, p.from)} – {formatDate(lang, p.to)}</td>
                    <td>{impact.cancelled.length === 0 ? t(lang, 'staff.periods.noBooking') : (
                      <>
                        <strong>{t(lang, 'staff.periods.cancelled', { count: impact.cancelled.length, service: service?.name ?? '' })}</strong>
                        <ul>{impact.cancelled.map((b) => {
                          const k = children.get(b.beneficiaryId)
                          return <li>{k ? fullName(k) : b.beneficiaryId} ({classes.get(b.classId) ?? b.classId}), {formatDate(lang, b.date)}</li>
                        })}</ul>
                      </>
                    )}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
      </Page>,
      error ? 400 : 200,
    )
  })

  return app
}
