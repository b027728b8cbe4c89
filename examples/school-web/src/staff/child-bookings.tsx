/**
 * Staff books days for a child (seed 001, « Ajouter des réservations pour un enfant »):
 * `/staff/children/:id/bookings?service=&month=&for=` shows a month grid of one of the child's
 * services (booked days, and why a day cannot be booked or cancelled, in the library's words),
 * several days are ticked then booked or cancelled through `changeBookings` of `@ecole/workflows`,
 * exactly as the portal does, on behalf of one of the child's guardians: the same refusal reasons
 * (cut-off, closed, not enrolled, not the payer, consent missing, full), a prepaid day reserving its
 * price in the payer's wallet and a cancellation in time refunding it. Each day's outcome is shown;
 * the days changed are audited. Action `bookings.staffBook` (permission `bookings.write`).
 */
import { bookingRefusalMessage, checkBooking, type LocalDate } from '@ecole/core'
import { SERVICES } from '@ecole/example-billing-run/demo-site'
import { changeBookings, loadBookingContext, loadBookingFacts } from '@ecole/workflows'
import { page, readAll } from '../read-all'
import { Hono, type Context } from 'hono'
import { randomUUID } from 'node:crypto'
import type { AppEnv } from '../env'
import { formatDate, t } from '../i18n'
import { bookingSettings } from '../portal/booking-service'
import { dayIn } from '../site-facts'
import { CsrfField } from '../views/layout'
import { errorPage, html } from '../views/render'
import { fullName } from './people'
import { actorOfRequest, Page, refused } from './routes'

const SERVICE_NAMES: Record<string, string> = Object.fromEntries(Object.values(SERVICES).map((s) => [s.id, s.label]))

/** The weekdays (Monday to Friday) of a 'YYYY-MM' month, as calendar days. */
function weekdaysOf(month: string): LocalDate[] {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const days: LocalDate[] = []
  for (let d = 1; d <= 31; d++) {
    const date = new Date(Date.UTC(y, m - 1, d))
    if (date.getUTCMonth() !== m - 1) break
    if (date.getUTCDay() >= 1 && date.getUTCDay() <= 5) days.push(date.toISOString().slice(0, 10) as LocalDate)
  }
  return days
}
const weekday = (d: LocalDate) => ((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) + 1
const shiftMonth = (month: string, by: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m - 1 + by, 1)).toISOString().slice(0, 7)
}

/** The staff bookings grid of a child (mounted at `/staff`). */
export function childBookingRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  async function grid(c: Context<AppEnv>, q: Record<string, string>, notice?: { kind: 'ok' | 'error'; text: string }) {
    const { lang, ctx } = c.var
    const siteId = actorOfRequest(c).siteId
    const child = await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', c.req.param('id') ?? '')
    if (!child) return errorPage(c, 404)
    const now = ctx.clock.now()
    const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(q['month'] ?? '') ? q['month']! : dayIn(c.var.site.timeZone, now).slice(0, 7)
    const subscriptions = await ctx.storage.directory!.listDirectoryRecordsOf(siteId, 'subscription', [child.id])
    const serviceIds = [...new Set(subscriptions.map((s) => s.serviceId))]
    const serviceId = serviceIds.find((s) => s === (q['service'] || serviceIds[0]))
    const guardians = await ctx.storage.directory!.getDirectoryRecords(siteId, 'guardian', child.guardians.map((g) => g.guardianId))
    const guardianId = child.guardians.map((g) => g.guardianId).find((g) => g === (q['for'] || child.guardians[0]?.guardianId))
    const title = t(lang, 'staff.files.bookings.title', { name: fullName(child) })
    if (!serviceId || !guardianId) return html(c, <Page c={c} title={title} current="/staff/children" notice={notice}><p>{t(lang, 'staff.files.bookings.noService')}</p></Page>)
    const days = weekdaysOf(month)
    const settings = await bookingSettings(ctx)
    const { context, booked } = await ctx.storage.transaction(siteId, async (tx) => {
      // the child's records (the other booked children are read for the places they take), not the whole site's
      const facts = await loadBookingFacts(tx, { beneficiaryIds: [child.id] })
      const context = await loadBookingContext(tx, settings, { from: days[0]!, to: days[days.length - 1]!, guardianIds: [guardianId], now, serviceId, facts })
      const rows = await readAll((a) => tx.bookings!.listBookings(siteId, { from: days[0]!, to: days[days.length - 1]!, beneficiaryId: child.id, serviceId }, page(a)))
      return { context, booked: new Set(rows.filter((b) => b.status === 'booked').map((b) => b.date)) }
    })
    const cells = days.map((date) => {
      const isBooked = booked.has(date)
      const check = checkBooking(context, { beneficiaryId: child.id, serviceId, date, at: now, actor: { kind: 'guardian', guardianId }, action: isBooked ? 'cancel' : 'book' })
      return { date, booked: isBooked, reasons: check.ok ? [] : check.reasons.map((r) => bookingRefusalMessage(r, lang)) }
    })
    const weeks: Array<typeof cells> = []
    for (const cell of cells) {
      if (weeks.length === 0 || weekday(cell.date) === 1) weeks.push([])
      weeks[weeks.length - 1]!.push(cell)
    }
    const base = `/staff/children/${encodeURIComponent(child.id)}/bookings`
    const link = (m: string) => `${base}?service=${encodeURIComponent(serviceId)}&for=${encodeURIComponent(guardianId)}&month=${m}`
    const weekdays = [1, 2, 3, 4, 5].map((d) => new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2027, 1, d))))
    return html(c,
      <Page c={c} title={title} current="/staff/children" notice={notice}>
        <p>{t(lang, 'staff.files.bookings.intro')}</p>
        <form method="get" action={base} class="card filters">
          <label for="f-service">{t(lang, 'bookings.service')}</label>{' '}
          <select id="f-service" name="service">{serviceIds.map((s) => <option value={s} selected={s === serviceId}>{SERVICE_NAMES[s] ?? s}</option>)}</select>{' '}
          <label for="f-for">{t(lang, 'staff.files.bookings.for')}</label>{' '}
          <select id="f-for" name="for">{child.guardians.map((l) => { const g = guardians.get(l.guardianId); return <option value={l.guardianId} selected={l.guardianId === guardianId}>{g ? fullName(g) : l.guardianId}</option> })}</select>{' '}
          <input type="hidden" name="month" value={month} />
          <button type="submit" class="secondary">{t(lang, 'bookings.show')}</button>
        </form>
        <p><a href={link(shiftMonth(month, -1))}>{t(lang, 'bookings.prev')}</a>{' · '}<strong>{formatDate(lang, `${month}-01`, 'month')}</strong>{' · '}<a href={link(shiftMonth(month, 1))}>{t(lang, 'bookings.next')}</a></p>
        <form method="post" action={base} id="staff-bookings">
          <CsrfField session={c.var.session} />
          <input type="hidden" name="service" value={serviceId} />
          <input type="hidden" name="for" value={guardianId} />
          <input type="hidden" name="month" value={month} />
          <table class="calendar">
            <caption class="visually-hidden">{SERVICE_NAMES[serviceId] ?? serviceId} – {fullName(child)} – {formatDate(lang, `${month}-01`, 'month')}</caption>
            <thead><tr>{weekdays.map((w) => <th scope="col">{w}</th>)}</tr></thead>
            <tbody>
              {weeks.map((week) => (
                <tr>
                  {Array.from({ length: weekday(week[0]!.date) - 1 }, () => <td></td>)}
                  {week.map((cell) => (
                    <td class={cell.booked ? 'day-booked' : cell.reasons.length ? 'day-refused' : ''} data-date={cell.date} data-state={cell.booked ? 'booked' : cell.reasons.length ? 'refused' : 'open'}>
                      {cell.reasons.length === 0 ? <input type="checkbox" name="date" value={cell.date} id={`d-${cell.date}`} /> : null}{' '}
                      <label for={cell.reasons.length === 0 ? `d-${cell.date}` : undefined}>{formatDate(lang, cell.date, 'short').slice(0, 5)}</label>
                      {cell.booked ? <span class="reason">{t(lang, 'bookings.booked')}</span> : null}
                      {cell.reasons.map((r) => <span class="reason">{r}</span>)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <button type="submit" name="action" value="book">{t(lang, 'bookings.book')}</button>{' '}
            <button type="submit" name="action" value="cancel" class="secondary">{t(lang, 'bookings.cancel')}</button>
          </p>
        </form>
      </Page>,
    )
  }

  app.get('/children/:id/bookings', (c) => refused(c, 'bookings.staffBook', { siteId: actorOfRequest(c).siteId }) ?? grid(c, c.req.query()))

  app.post('/children/:id/bookings', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'bookings.staffBook', { siteId: actor.siteId })
    if (denied) return denied
    const child = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'child', c.req.param('id'))
    if (!child) return errorPage(c, 404)
    const body = await c.req.parseBody({ all: true })
    const one = (v: unknown) => (typeof v === 'string' ? v : '')
    const serviceId = one(body['service'])
    const guardianId = one(body['for'])
    const settings = await bookingSettings(ctx)
    // a service of the site and a guardian of this child, whatever the form says
    if (!settings.services.some((s) => s.id === serviceId) || !child.guardians.some((g) => g.guardianId === guardianId)) return errorPage(c, 404)
    const raw = body['date'] === undefined ? [] : Array.isArray(body['date']) ? body['date'] : [body['date']]
    const dates = raw.filter((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d)).slice(0, 62) as LocalDate[]
    const action = one(body['action']) === 'cancel' ? 'cancel' : 'book'
    // the entry (the staff user, on the guardian's behalf, the days that went through) is written in the booking's transaction
    const outcomes = await changeBookings({ storage: ctx.storage, clock: ctx.clock }, settings, { siteId: actor.siteId, guardianId, beneficiaryId: child.id, serviceId, dates, action }, {
      audit: { entryId: randomUUID(), actor: { kind: 'user', id: actor.userId } },
    })
    const done = outcomes.filter((o) => o.ok)
    const refusedDays = outcomes.filter((o) => !o.ok)
    const text = [t(lang, 'staff.files.bookings.result', { ok: done.length, refused: refusedDays.length }), ...refusedDays.map((o) => `${formatDate(lang, o.date)} : ${o.ok ? '' : o.reasons.map((r) => bookingRefusalMessage(r, lang)).join(' ')}`)].join(' ')
    return grid(c, { service: serviceId, for: guardianId, month: one(body['month']) }, { kind: refusedDays.length ? 'error' : 'ok', text })
  })

  return app
}
