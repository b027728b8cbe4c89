/**
 * Bookings (seed 001, seed 004): a month calendar per child and service. Each day says whether it
 * is booked, who pays it (separated parents on alternate weeks see the other parent's days), and
 * when it cannot be booked or cancelled, why and until when, in the library's words
 * (`bookingRefusalMessage`) with the cut-off in the site's zone. Several days are booked or
 * cancelled at once with one form (htmx only swaps the page in place).
 */
import { bookingRefusalMessage, checkAttendance, checkBooking, resolveDebtors, type BillingRule, type BookingRefusal, type LocalDate } from '@ecole/core'
import { SERVICES } from '@ecole/example-billing-run/demo-site'
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { formatDate, t } from '../i18n'
import { portalText } from '../stored-settings'
import { CsrfField, Layout } from '../views/layout'
import { errorPage, html } from '../views/render'
import { changeBookings, loadBookingContext, loadBookingFacts } from '@ecole/workflows'
import { bookingSettings } from './booking-service'
import { childOf, childrenOf } from './family'
import { dayIn } from '../site-facts'
import { usableDate } from '../staff/form-fields'
import { portalAudit } from './history'
import { portalNav } from './nav'
import { page, readAll } from '../read-all'

const SERVICE_NAMES: Record<string, string> = Object.fromEntries(Object.values(SERVICES).map((s) => [s.id, s.label]))

function monthDays(month: string): LocalDate[] {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const days: LocalDate[] = []
  for (let d = 1; d <= 31; d++) {
    const date = new Date(Date.UTC(y, m - 1, d))
    if (date.getUTCMonth() !== m - 1) break
    days.push(date.toISOString().slice(0, 10) as LocalDate)
  }
  return days
}

const weekday = (d: LocalDate) => ((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) + 1
function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const d = new Date(Date.UTC(y, m - 1 + by, 1))
  return d.toISOString().slice(0, 7)
}

/**
 * The guardian and every payer of the child's service on the days shown (`resolveDebtors`): the
 * wallets `checkBooking` weighs each day's shares against. `changeBookings` reads every payer of
 * the rules covering the child's service; the library exports no function that names them, so the
 * page names those of its own days, which are the only ones a day's check looks at: each day is
 * decided as the workflow decides it.
 */
function payersOfDays(rules: BillingRule[], beneficiaryId: string, serviceId: string, days: readonly LocalDate[], guardianId: string): string[] {
  const payers = new Set([guardianId])
  for (const date of days) {
    const debtors = resolveDebtors(rules, { beneficiaryId, serviceId, date })
    if (debtors.status === 'billed') for (const d of debtors.debtors) payers.add(d.guardianId)
  }
  return [...payers]
}

/**
 * What a family reads of a refusal. Another payer's wallet is theirs: when a co-payer's share
 * does not fit (a day two parents share), the page says so without their balance or shortfall.
 */
function refusalText(r: BookingRefusal, lang: Parameters<typeof t>[0], guardianId: string): string {
  if (r.code === 'INSUFFICIENT_BALANCE' && r.guardianId !== guardianId) return t(lang, 'bookings.coPayerShort')
  return bookingRefusalMessage(r, lang)
}

/** The bookings routes. */
export function bookingRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/bookings', async (c) => {
    const { lang, session, ctx } = c.var
    const siteId = ctx.config.siteId
    const guardianId = session.subject!.id
    const children = await childrenOf(ctx, guardianId)
    const today = dayIn(c.var.site.timeZone, ctx.clock.now())
    const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(c.req.query('month') ?? '') ? c.req.query('month')! : today.slice(0, 7)
    const child = children.find((ch) => ch.id === (c.req.query('child') ?? children[0]?.id))
    if (c.req.query('child') && !child) return errorPage(c, 404)
    const notice = session.flash ? { kind: 'ok' as const, text: session.flash } : undefined
    session.flash = undefined
    if (!child) {
      return html(c, <Layout lang={lang} title={t(lang, 'bookings.title')} session={session} nav={portalNav(lang, '/bookings')} logoutAction="/logout" notice={notice}><p>{await portalText(ctx, 'bookings', lang)}</p></Layout>)
    }
    const subscriptions = await ctx.storage.directory!.listDirectoryRecordsOf(siteId, 'subscription', [child.id])
    const serviceIds = [...new Set(subscriptions.map((s) => s.serviceId))]
    const serviceId = serviceIds.find((s) => s === (c.req.query('service') ?? serviceIds[0]))
    if (c.req.query('service') && !serviceId) return errorPage(c, 404)
    const days = monthDays(month).filter((d) => weekday(d) <= 5)
    const now = ctx.clock.now()
    const settings = await bookingSettings(ctx)
    const { context, bookings, rules } = await ctx.storage.transaction(siteId, async (tx) => {
      // the child's records (the other booked children are read for the places they take), not the whole site's
      const facts = await loadBookingFacts(tx, { beneficiaryIds: [child.id] })
      const rules: BillingRule[] = await tx.directory!.listBillingRulesOf(siteId, [child.id])
      // the wallets of every payer of the days shown, as `changeBookings` reads every payer's: a day
      // two parents share reserves a share in each wallet, and with only this guardian's wallet read
      // the other's share was judged against 0.00 (refused here, although booking it went through)
      const guardianIds = serviceId ? payersOfDays(rules, child.id, serviceId, days, guardianId) : [guardianId]
      const context = await loadBookingContext(tx, settings, { from: days[0]!, to: days[days.length - 1]!, guardianIds, now, ...(serviceId ? { serviceId } : {}), facts })
      const bookings = serviceId ? (await readAll((a) => tx.bookings!.listBookings(siteId, { from: days[0]!, to: days[days.length - 1]!, beneficiaryId: child.id, serviceId }, page(a)))).filter((b) => b.status === 'booked') : []
      return { context, bookings, rules }
    })
    const booked = new Set(bookings.map((b) => b.date))
    const attendanceAllowed = (await ctx.storage.directory!.getSite(siteId))?.options.browserAttendance === true
    const cells = days.map((date) => {
      if (!serviceId) return { date, booked: false, reasons: [] as string[], consentMissing: false, closed: false, payer: 'none' as const }
      const isBooked = booked.has(date)
      const check = checkBooking(context, { beneficiaryId: child.id, serviceId, date, at: now, actor: { kind: 'guardian', guardianId }, action: isBooked ? 'cancel' : 'book' })
      const debtors = resolveDebtors(rules, { beneficiaryId: child.id, serviceId, date })
      // a day two payers share is paid by "you and the other parent", never by "you" alone
      const mine = debtors.status === 'billed' && debtors.debtors.some((d) => d.guardianId === guardianId)
      const payer = debtors.status !== 'billed' ? ('none' as const) : mine && debtors.debtors.length > 1 ? ('shared' as const) : mine ? ('you' as const) : ('other' as const)
      return { date, booked: isBooked, reasons: check.ok ? [] : check.reasons.map((r) => refusalText(r, lang, guardianId)), consentMissing: !check.ok && check.reasons.some((r) => r.code === 'CONSENT_MISSING'), closed: !check.ok && check.reasons.some((r) => r.code === 'CLOSED'), payer }
    })
    const weeks: Array<typeof cells> = []
    for (const cell of cells) {
      if (weeks.length === 0 || weekday(cell.date) === 1) weeks.push([])
      weeks[weeks.length - 1]!.push(cell)
    }
    const q = (m: string) => `/bookings?child=${encodeURIComponent(child.id)}&service=${encodeURIComponent(serviceId ?? '')}&month=${m}`
    const bookingsText = await portalText(ctx, 'bookings', lang)
    const weekdays = [1, 2, 3, 4, 5].map((d) => new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2027, 1, d))))
    return html(c,
      <Layout lang={lang} title={t(lang, 'bookings.title')} session={session} nav={portalNav(lang, '/bookings')} logoutAction="/logout" notice={notice}>
        <p>{bookingsText}</p>
        <form method="get" action="/bookings" class="card no-print">
          <label for="f-child">{t(lang, 'bookings.child')}</label>{' '}
          <select id="f-child" name="child">{children.map((ch) => <option value={ch.id} selected={ch.id === child.id}>{ch.firstName} {ch.lastName}</option>)}</select>{' '}
          <label for="f-service">{t(lang, 'bookings.service')}</label>{' '}
          <select id="f-service" name="service">{serviceIds.map((s) => <option value={s} selected={s === serviceId}>{SERVICE_NAMES[s] ?? s}</option>)}</select>{' '}
          <input type="hidden" name="month" value={month} />
          <button type="submit" class="secondary">{t(lang, 'bookings.show')}</button>
        </form>
        <p>
          <a href={q(shiftMonth(month, -1))}>{t(lang, 'bookings.prev')}</a>{' · '}
          <strong>{formatDate(lang, `${month}-01`, 'month')}</strong>{' · '}
          <a href={q(shiftMonth(month, 1))}>{t(lang, 'bookings.next')}</a>
        </p>
        {cells.some((cell) => cell.consentMissing) ? <p class="card" data-consent-missing="true"><a href="/consents">{t(lang, 'bookings.consentLink')}</a></p> : null}
        {serviceId ? (
          <form method="post" action="/bookings" hx-boost="true" hx-target="body">
            <CsrfField session={session} />
            <input type="hidden" name="child" value={child.id} />
            <input type="hidden" name="service" value={serviceId} />
            <input type="hidden" name="month" value={month} />
            <table class="calendar">
              <caption class="visually-hidden">{SERVICE_NAMES[serviceId]} – {child.firstName} – {formatDate(lang, `${month}-01`, 'month')}</caption>
              <thead><tr>{weekdays.map((w) => <th scope="col">{w}</th>)}</tr></thead>
              <tbody>
                {weeks.map((week) => (
                  <tr>
                    {Array.from({ length: weekday(week[0]!.date) - 1 }, () => <td></td>)}
                    {week.map((cell) => {
                      const cls = cell.booked ? 'day-booked' : cell.closed ? 'day-closed' : cell.reasons.length ? 'day-refused' : cell.payer === 'other' ? 'day-other' : ''
                      const id = `d-${cell.date}`
                      return (
                        <td class={cls} data-date={cell.date} data-state={cell.booked ? 'booked' : cell.reasons.length ? 'refused' : 'open'} data-closed={cell.closed ? 'true' : undefined}>
                          {cell.reasons.length === 0 ? <input type="checkbox" name="date" value={cell.date} id={id} /> : null}{' '}
                          <label for={cell.reasons.length === 0 ? id : undefined}>{formatDate(lang, cell.date, 'short').slice(0, 5)}</label>
                          {cell.booked ? <span class="reason">{t(lang, 'bookings.booked')}</span> : null}
                          {cell.payer !== 'none' ? <span class="reason">{t(lang, 'bookings.payer')} {t(lang, cell.payer === 'you' ? 'bookings.you' : cell.payer === 'shared' ? 'bookings.shared' : 'bookings.other')}</span> : null}
                          {cell.reasons.map((r) => <span class="reason">{r}</span>)}
                        </td>
                      )
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              <button type="submit" name="action" value="book">{t(lang, 'bookings.book')}</button>{' '}
              <button type="submit" name="action" value="cancel" class="secondary">{t(lang, 'bookings.cancel')}</button>
            </p>
          </form>
        ) : null}
        {serviceId && attendanceAllowed ? (
          <form method="post" action="/attendance" class="card">
            <CsrfField session={session} />
            <input type="hidden" name="child" value={child.id} />
            <input type="hidden" name="service" value={serviceId} />
            <button type="submit" class="secondary">{t(lang, 'attendance.mark')}</button>
          </form>
        ) : null}
      </Layout>,
    )
  })

  // attendance from the browser (seed 000's option, off by default): recorded only when the site allows it
  app.post('/attendance', async (c) => {
    const { lang, session, ctx } = c.var
    const siteId = ctx.config.siteId
    const guardianId = session.subject!.id
    const body = await c.req.parseBody()
    const one = (v: unknown) => (typeof v === 'string' ? v : '')
    const child = await childOf(ctx, guardianId, one(body.child))
    if (!child) return errorPage(c, 404)
    const serviceId = one(body.service)
    const settings = await bookingSettings(ctx)
    if (!settings.services.some((s) => s.id === serviceId)) return errorPage(c, 404)
    const site = await ctx.storage.directory!.getSite(siteId)
    if (!site?.options.browserAttendance) return errorPage(c, 403, t(lang, 'attendance.disabled'))
    const now = ctx.clock.now()
    const date = dayIn(c.var.site.timeZone, now)
    const refusal = await ctx.storage.transaction(siteId, async (tx) => {
      const context = await loadBookingContext(tx, settings, { from: date, to: date, guardianIds: [guardianId], now, serviceId })
      const check = checkAttendance(context, { beneficiaryId: child.id, serviceId, date, status: 'present', at: now })
      if (!check.ok) return check.reasons.map((r) => bookingRefusalMessage(r, lang)).join(' ')
      await tx.bookings!.putAttendance(siteId, { beneficiaryId: child.id, serviceId, date, status: 'present', recordedAt: now })
      return undefined
    })
    session.flash = refusal ?? t(lang, 'attendance.done')
    return c.redirect(`/bookings?child=${encodeURIComponent(child.id)}&service=${encodeURIComponent(serviceId)}&month=${date.slice(0, 7)}`, 303)
  })

  app.post('/bookings', async (c) => {
    const { lang, session, ctx } = c.var
    const guardianId = session.subject!.id
    const body = await c.req.parseBody({ all: true })
    const one = (v: unknown) => (typeof v === 'string' ? v : '')
    // another family's child is not found, whatever the form says
    const child = await childOf(ctx, guardianId, one(body.child))
    if (!child) return errorPage(c, 404)
    const serviceId = one(body.service)
    const settings = await bookingSettings(ctx)
    if (!settings.services.some((s) => s.id === serviceId)) return errorPage(c, 404)
    const raw = body.date === undefined ? [] : Array.isArray(body.date) ? body.date : [body.date]
    // days of the calendar only: `2027-02-30` has the shape of a date and failed the whole request with a server error
    const dates = raw.flatMap((d) => (typeof d === 'string' ? [usableDate(d)] : [])).filter((d): d is LocalDate => d !== undefined && /^\d{4}-/.test(d)).slice(0, 62)
    const action = one(body.action) === 'cancel' ? 'cancel' : 'book'
    // the days booked or cancelled are recorded in the audit trail in the transaction of the change
    const outcomes = await changeBookings({ storage: ctx.storage, clock: ctx.clock }, settings, { siteId: ctx.config.siteId, guardianId, beneficiaryId: child.id, serviceId, dates, action }, { audit: await portalAudit(ctx, guardianId) })
    const refused = outcomes.filter((o) => !o.ok)
    session.flash = [t(lang, 'bookings.result', { ok: outcomes.length - refused.length, refused: refused.length }), ...refused.map((o) => `${formatDate(lang, o.date)}: ${o.ok ? '' : o.reasons.map((r) => refusalText(r, lang, guardianId)).join(' ')}`)].join(' ')
    const month = /^\d{4}-\d{2}$/.test(one(body.month)) ? one(body.month) : dayIn(c.var.site.timeZone, ctx.clock.now()).slice(0, 7)
    return c.redirect(`/bookings?child=${encodeURIComponent(child.id)}&service=${encodeURIComponent(serviceId)}&month=${month}`, 303)
  })
  return app
}
