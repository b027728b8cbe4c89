/**
 * The portal display date of invoices (seed 001, Facturation, « mettre à disposition la facture
 * sur le portail »), for one invoice or a filtered set, drafts and validated invoices alike:
 * `/staff/portal-dates` takes a filter (batch, payer, or one invoice; the invoice page links here
 * with its id) and a date, a confirmation page says how many invoices get the date and how many of
 * them are validated (only their portal date changes), then `setInvoicePortalDates` sets it on all
 * of them or none. The family sees an invoice on the portal from that day, once validated.
 *
 * Action `invoices.portalDate` (permission `invoices.write`). Every change is audited.
 */
import { Hono, type Context } from 'hono'
import { isEcoleError, type LocalDate } from '@ecole/core'
import type { InvoiceFilter } from '@ecole/core/ports'
import { setInvoicePortalDates } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { formatDate, t } from '../i18n'
import { CsrfField } from '../views/layout'
import { html } from '../views/render'
import { CheckedField, ErrorSummary, fieldErrorsOf, type FieldErrors } from './field-errors'
import { DateField, dateOfForm, formValues } from './form-fields'
import { actorOfRequest, depsOf, Page, refused } from './routes'
import { staffAudit } from './staff-audit'

const BASE = '/staff/portal-dates'

/** The ids of the invoices a filter selects (one invoice by id, or a batch and / or a payer), by status. */
async function selection(c: Context<AppEnv>, v: Record<string, string>): Promise<{ drafts: string[]; validated: string[]; dates: Map<string, LocalDate> } | undefined> {
  const siteId = actorOfRequest(c).siteId
  const invoicing = c.var.ctx.storage.invoicing!
  if (v['invoiceId']) {
    const i = await invoicing.getInvoice(siteId, v['invoiceId'])
    const dates = new Map(i ? [[i.id, i.portalDisplayDate]] : [])
    return i ? (i.status === 'draft' ? { drafts: [i.id], validated: [], dates } : { drafts: [], validated: [i.id], dates }) : { drafts: [], validated: [], dates }
  }
  const filter: InvoiceFilter = { ...(v['batchId'] ? { batchId: v['batchId'] } : {}), ...(v['debtorId'] ? { debtorId: v['debtorId'] } : {}) }
  if (Object.keys(filter).length === 0) return undefined
  const out = { drafts: [] as string[], validated: [] as string[], dates: new Map<string, LocalDate>() }
  let after: string | undefined
  do {
    const page = await invoicing.listInvoices(siteId, filter, { limit: 1000, ...(after ? { after } : {}) })
    for (const i of page.items) {
      ;(i.status === 'draft' ? out.drafts : out.validated).push(i.id)
      out.dates.set(i.id, i.portalDisplayDate)
    }
    after = page.next
  } while (after)
  return out
}

/** The portal-date routes (mounted at `/staff`). */
export function portalDateRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  function formPage(c: Context<AppEnv>, v: Record<string, string>, errors?: FieldErrors, status: 200 | 400 = 200) {
    const { lang } = c.var
    const done = c.req.query('done')
    return html(c,
      <Page c={c} title={t(lang, 'staff.portalDate.title')} current={BASE} notice={done === 'set' ? { kind: 'ok', text: t(lang, 'staff.portalDate.done', { count: Number(c.req.query('count') ?? 0), date: formatDate(lang, c.req.query('date') ?? '') }) } : undefined}>
        <form method="get" action={`${BASE}/confirm`} class="card">
          <p>{t(lang, 'staff.portalDate.intro')}</p>
          <ErrorSummary lang={lang} errors={errors} />
          <CheckedField label={t(lang, 'staff.invoices.batch')} name="batchId" value={v['batchId']} errors={errors} />
          <CheckedField label={t(lang, 'staff.invoices.payer')} name="debtorId" value={v['debtorId']} errors={errors} />
          <CheckedField label={t(lang, 'staff.portalDate.invoice')} name="invoiceId" value={v['invoiceId']} errors={errors} />
          <DateField lang={lang} label={t(lang, 'staff.batch.portalDate')} name="portalDisplayDate" value={v['portalDisplayDate']} />
          {errors?.['portalDisplayDate'] ? <strong id="f-portalDisplayDate-error" class="field-error">{errors['portalDisplayDate']}</strong> : null}
          <button type="submit">{t(lang, 'staff.portalDate.check')}</button>
        </form>
      </Page>,
      status,
    )
  }

  app.get('/portal-dates', (c) => {
    const denied = refused(c, 'invoices.portalDate', { siteId: actorOfRequest(c).siteId })
    if (denied) return denied
    return formPage(c, c.req.query())
  })

  app.get('/portal-dates/confirm', async (c) => {
    const { lang } = c.var
    const denied = refused(c, 'invoices.portalDate', { siteId: actorOfRequest(c).siteId })
    if (denied) return denied
    const date = dateOfForm(c.req.query('portalDisplayDate') ?? '')
    const v: Record<string, string> = { ...c.req.query(), portalDisplayDate: date }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return formPage(c, v, { portalDisplayDate: `${t(lang, 'staff.batch.portalDate')}${lang === 'fr' ? ' :' : ':'} ${t(lang, 'staff.form.rule.required')}` }, 400)
    const found = await selection(c, v)
    if (!found) return formPage(c, v, { _form: t(lang, 'staff.portalDate.filterRequired') }, 400)
    const total = found.drafts.length + found.validated.length
    return html(c,
      <Page c={c} title={t(lang, 'staff.portalDate.title')} current={BASE}>
        <form method="post" action={BASE} class="card">
          <CsrfField session={c.var.session} />
          {(['batchId', 'debtorId', 'invoiceId', 'portalDisplayDate'] as const).map((k) => <input type="hidden" name={k} value={v[k] ?? ''} />)}
          <p id="portal-date-effect">{total === 0 ? t(lang, 'staff.files.portalDate.none') : t(lang, 'staff.files.portalDate.confirm', { count: total, date: formatDate(lang, date) })}</p>
          {found.validated.length > 0 ? <p id="portal-date-validated">{t(lang, 'staff.files.portalDate.validated', { count: found.validated.length })}</p> : null}
          {total > 0 ? <button type="submit">{t(lang, 'staff.confirm')}</button> : null} <a href={BASE}>{t(lang, 'staff.cancel')}</a>
        </form>
      </Page>,
    )
  })

  app.post('/portal-dates', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.portalDate', { siteId: actor.siteId })
    if (denied) return denied
    const v = formValues(await c.req.parseBody())
    const date = dateOfForm(v['portalDisplayDate'] ?? '')
    const found = await selection(c, v)
    if (!found) return formPage(c, v, { _form: t(lang, 'staff.portalDate.filterRequired') }, 400)
    const ids = [...found.drafts, ...found.validated]
    if (ids.length === 0) return formPage(c, v, { _form: t(lang, 'staff.files.portalDate.none') }, 400)
    try {
      const changed = await setInvoicePortalDates(depsOf(c), { siteId: actor.siteId, invoiceIds: ids, date: date as LocalDate }, {
        audit: staffAudit(actor, ctx.clock.now(), (stored) => stored.map((i) => ({
          action: 'invoice.portalDateSet', subject: { kind: 'invoice', id: i.id }, before: { portalDisplayDate: found.dates.get(i.id) }, after: { portalDisplayDate: i.portalDisplayDate, status: i.status },
        }))),
      })
      return c.redirect(`${BASE}?done=set&count=${changed.length}&date=${date}`, 303)
    } catch (error) {
      if (isEcoleError(error, 'NOT_FOUND')) return formPage(c, v, { _form: t(lang, 'staff.files.portalDate.gone') }, 400)
      const errors = fieldErrorsOf(lang, error, { portalDisplayDate: t(lang, 'staff.batch.portalDate') })
      if (errors) return formPage(c, v, errors, 400)
      throw error
    }
  })

  return app
}
