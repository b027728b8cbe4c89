/**
 * Invoice batches (seed 001, "Comment créer un groupe de factures"): the batch form, its creation
 * in the background with a progress page (htmx polls it; without JavaScript the page refreshes
 * itself), the drafts of a batch (marked `*`), a draft's comment and portal date, a draft deleted
 * after a confirmation. Adjustments and validation are on the invoice pages of `routes.tsx`.
 */
import { isEcoleError, type LocalDate } from '@ecole/core'
import { deleteDrafts, editDrafts } from '@ecole/workflows'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../env'
import { formatAmount, formatDate, formatLocalDateTime, t, type MessageKey } from '../i18n'
import { CsrfField, Field } from '../views/layout'
import { html } from '../views/render'
import { allRecords } from './people'
import { authorize } from './permissions'
import { actorOfRequest, depsOf, Page, Pager, refused, str } from './routes'
import { pageSizeOf } from './staff-billing'
import { staffAudit } from './staff-audit'
import { activeBatchJob, batchJob, guardianNames, startBatchJob, unpricedServices, type BatchJobView } from './staff-money'
import { wallClockIn } from '../site-facts'

/** The message of a library error, without its `[ecole]` prefix, for a form. */
export function ecoleMessage(error: { code: string; message: string }): string {
  return `${error.code}: ${error.message.replace(/^\[ecole\]\s*/, '')}`
}

function BatchForm(p: { c: Context<AppEnv>; offices: Array<{ id: string; name: string }>; services: Array<{ id: string; label: string }>; values: Record<string, string | string[]> }) {
  const { lang } = p.c.var
  const v = (k: string) => (typeof p.values[k] === 'string' ? (p.values[k] as string) : '')
  const chosen = new Set(([] as string[]).concat(p.values['serviceIds'] ?? []))
  return (
    <form method="post" action="/staff/batches" class="card">
      <CsrfField session={p.c.var.session} />
      <Field label={t(lang, 'staff.batch.id')} name="batchId" value={v('batchId')} />
      <Field label={t(lang, 'staff.batch.label')} name="label" value={v('label')} required={false} />
      <Field label={t(lang, 'staff.batch.from')} name="from" type="date" value={v('from')} />
      <Field label={t(lang, 'staff.batch.to')} name="to" type="date" value={v('to')} />
      <p class="field">
        <label for="f-billingOfficeId">{t(lang, 'staff.wallet.office')}</label>
        <select id="f-billingOfficeId" name="billingOfficeId">
          {p.offices.map((o) => <option value={o.id} selected={o.id === v('billingOfficeId')}>{o.name}</option>)}
        </select>
      </p>
      <fieldset>
        <legend>{t(lang, 'staff.batch.services')}</legend>
        {p.services.map((s) => (
          <label><input type="checkbox" name="serviceIds" value={s.id} checked={chosen.size === 0 || chosen.has(s.id)} /> {s.label}</label>
        ))}
      </fieldset>
      <Field label={t(lang, 'invoices.due')} name="dueDate" type="date" value={v('dueDate')} />
      <Field label={t(lang, 'staff.batch.directDebitDate')} name="directDebitDate" type="date" value={v('directDebitDate')} required={false} />
      <Field label={t(lang, 'staff.batch.portalDate')} name="portalDisplayDate" type="date" value={v('portalDisplayDate')} />
      <Field label={t(lang, 'staff.batch.minimum')} name="minimumAmount" value={v('minimumAmount')} required={false} />
      <button type="submit">{t(lang, 'staff.batch.create')}</button>
    </form>
  )
}

/** The steps a batch job goes through (the host's, then `createInvoiceBatch`'s), for the progress bar. */
const JOB_STEPS = ['bookings', 'pricing', 'billedCharges', 'openBalances', 'drafts', 'insert'] as const

/** A step of a job in the user's language (a step code this host does not know is shown as its code). */
function stepText(lang: AppEnv['Variables']['lang'], s: { step: string; done: number; total: number }): string {
  return (JOB_STEPS as readonly string[]).includes(s.step) ? t(lang, `staff.batch.step.${s.step}` as MessageKey, { done: s.done, total: s.total }) : `${s.step}: ${s.done} / ${s.total}`
}

/** The progress of a batch being created, read from the storage by any process: polled by htmx every second until it is over. */
function Progress(p: { c: Context<AppEnv>; view: BatchJobView; starter: string }) {
  const { lang } = p.c.var
  const { job, status } = p.view
  const url = `/staff/batches/jobs/${encodeURIComponent(job.id)}`
  const running = status === 'running' || status === 'queued'
  const heading = status === 'queued' ? 'staff.batch.queued' : status === 'running' ? 'staff.batch.running' : status === 'done' ? 'staff.batch.done' : status === 'failed' ? 'staff.batch.failed' : 'staff.batch.interrupted'
  return (
    <section id="progress" class="card" aria-live="polite" data-status={status} {...(running ? { 'hx-get': `${url}?fragment=1`, 'hx-trigger': 'every 1s', 'hx-swap': 'outerHTML' } : {})}>
      <p><progress max={JOB_STEPS.length} value={status === 'done' ? JOB_STEPS.length : job.steps.length}></progress> {t(lang, heading, { batch: job.batchId })}</p>
      <p class="muted">{t(lang, 'staff.batch.startedBy', { user: p.starter, time: formatLocalDateTime(lang, wallClockIn(p.c.var.site.timeZone, job.startedAt), p.c.var.site.timeZone) })}</p>
      <ol class="steps">{job.steps.map((s) => <li data-step={s.step}>{stepText(lang, s)}</li>)}</ol>
      {status === 'interrupted' ? <p><a id="batch-again" href={`/staff/batches/new?batchId=${encodeURIComponent(job.batchId)}`}>{t(lang, 'staff.batch.again')}</a></p> : null}
      {status === 'done' && job.result ? (
        <p id="batch-result">
          {t(lang, 'staff.batch.result', { drafts: job.result.drafts, below: job.result.belowMinimum, billed: job.result.alreadyBilled })}{' '}
          {job.result.carriedOver ? <>{t(lang, 'staff.batch.carried', { carried: job.result.carriedOver })}{' '}</> : null}
          <a href={`/staff/batches/${encodeURIComponent(job.batchId)}/drafts`}>{t(lang, 'staff.batch.drafts')}</a>
        </p>
      ) : null}
      {status === 'failed' && job.error ? <p class="notice error" role="alert">{ecoleMessage(job.error)}</p> : null}
    </section>
  )
}

/** A staff user's name (their id when the user is gone). */
async function userName(c: Context<AppEnv>, userId: string): Promise<string> {
  const user = await c.var.ctx.storage.access?.getUser(actorOfRequest(c).siteId, userId)
  return user ? `${user.firstName} ${user.lastName}` : userId
}

/** The invoice batch and draft routes, mounted on the staff router. */
export function batchRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  async function formChoices(c: Context<AppEnv>) {
    const { ctx } = c.var
    const siteId = actorOfRequest(c).siteId
    const offices = (await allRecords(ctx.storage, siteId, 'billingOffice')).map((o) => ({ id: o.id, name: o.name }))
    const stored = await allRecords(ctx.storage, siteId, 'service')
    // the invoiced services (a prepaid one is settled through the wallet, never invoiced)
    const services = stored.filter((s) => s.billing === 'invoiced').map((s) => ({ id: s.id, label: s.name }))
    return { offices, services }
  }

  app.get('/batches/new', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.createBatch', { siteId: actor.siteId })
    if (denied) return denied
    const choices = await formChoices(c)
    // an interrupted job links back here with its batch id
    const batchId = c.req.query('batchId') ?? ''
    return html(c, <Page c={c} title={t(lang, 'staff.batch.new')} current="/staff/batches/new"><BatchForm c={c} {...choices} values={batchId ? { batchId } : {}} /></Page>)
  })

  app.post('/batches', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.createBatch', { siteId: actor.siteId })
    if (denied) return denied
    const body = await c.req.parseBody({ all: true })
    const values: Record<string, string | string[]> = {}
    for (const [k, v] of Object.entries(body)) values[k] = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? v.trim() : ''
    const s = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '')
    const office = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'billingOffice', s('billingOfficeId'))
    const again = async (text: string) => html(c, <Page c={c} title={t(lang, 'staff.batch.new')} current="/staff/batches/new" notice={{ kind: 'error', text }}><BatchForm c={c} {...(await formChoices(c))} values={values} /></Page>, 400)
    if (!office) return again(t(lang, 'staff.batch.noOffice'))
    if ((await ctx.storage.invoicing!.getInvoiceBatch(actor.siteId, s('batchId'))) !== undefined) return again(t(lang, 'staff.batch.exists', { batch: s('batchId') }))
    const unpriced = await unpricedServices(ctx.storage, actor.siteId, ([] as string[]).concat(values['serviceIds'] ?? []))
    if (unpriced.length > 0) return again(t(lang, 'staff.batch.unpriced', { services: unpriced.join(', ') }))
    // one job per batch at a time, whichever process runs it (an interrupted one may be started again)
    const busy = await activeBatchJob(depsOf(c), actor.siteId, s('batchId'), ctx.batchJobs)
    if (busy) return again(t(lang, 'staff.batch.busy', { batch: busy.batchId, user: await userName(c, busy.startedBy), time: formatLocalDateTime(lang, wallClockIn(c.var.site.timeZone, busy.startedAt), c.var.site.timeZone) }))
    try {
      const job = await startBatchJob(depsOf(c), actor, {
        currency: office.currency,
        batch: {
          id: s('batchId'), siteId: actor.siteId, billingOfficeId: office.id, period: { from: s('from'), to: s('to') }, serviceIds: ([] as string[]).concat(values['serviceIds'] ?? []),
          dueDate: s('dueDate'), portalDisplayDate: s('portalDisplayDate'), ...(s('directDebitDate') ? { directDebitDate: s('directDebitDate') } : {}), ...(s('label') ? { label: s('label') } : {}), ...(s('minimumAmount') ? { minimumAmount: s('minimumAmount') } : {}),
        } as never,
      }, ctx.batchJobs)
      return c.redirect(`/staff/batches/jobs/${encodeURIComponent(job.id)}`, 303)
    } catch (error) {
      if (isEcoleError(error)) return again(ecoleMessage(error))
      throw error
    }
  })

  app.get('/batches/jobs/:id', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.createBatch', { siteId: actor.siteId })
    if (denied) return denied
    const view = await batchJob(depsOf(c), actor.siteId, c.req.param('id'), c.var.ctx.batchJobs)
    if (!view) return c.notFound()
    const starter = await userName(c, view.job.startedBy)
    if (c.req.query('fragment')) return c.html(String(await (<Progress c={c} view={view} starter={starter} />).toString()))
    return html(c,
      <Page c={c} title={t(lang, 'staff.batch.progress', { batch: view.job.batchId })} current="/staff/batches/new">
        {/* without JavaScript the page reloads itself while the batch is being created */}
        {view.status === 'running' || view.status === 'queued' ? <noscript><meta http-equiv="refresh" content="1" /></noscript> : null}
        <Progress c={c} view={view} starter={starter} />
      </Page>,
    )
  })

  // the drafts of a batch: paginated on the server, each with its edit and delete links
  app.get('/batches/:batchId/drafts', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.list', { siteId: actor.siteId })
    if (denied) return denied
    const batchId = c.req.param('batchId')
    const batch = await ctx.storage.invoicing!.getInvoiceBatch(actor.siteId, batchId)
    if (!batch) return c.notFound()
    const query = c.req.query()
    const page = await ctx.storage.invoicing!.listInvoices(actor.siteId, { batchId, status: 'draft' }, { limit: pageSizeOf(query['limit']), ...(query['after'] ? { after: query['after'] } : {}) })
    const names = await guardianNames(ctx.storage, actor.siteId, page.items.map((i) => i.debtorId))
    const canEdit = authorize(actor, 'invoices.editDrafts', { siteId: actor.siteId }).ok
    const canDelete = authorize(actor, 'invoices.deleteDrafts', { siteId: actor.siteId }).ok
    const canValidate = authorize(actor, 'invoices.validate', { siteId: actor.siteId }).ok
    const done = query['done']
    const notice = done === 'edited' ? t(lang, 'staff.draft.edited') : done === 'deleted' ? t(lang, 'staff.draft.deleted') : undefined
    return html(c,
      <Page c={c} title={t(lang, 'staff.batch.draftsOf', { batch: batch.label ?? batch.id })} current="/staff/batches/new" notice={notice ? { kind: 'ok', text: notice } : undefined}>
        <p>{`${formatDate(lang, batch.period.from)} – ${formatDate(lang, batch.period.to)}`}</p>
        {canValidate && page.items.length > 0 ? <p><a href={`/staff/invoices/validate?batchId=${encodeURIComponent(batchId)}`}>{t(lang, 'staff.validate.link')}</a></p> : null}
        <table>
          <thead><tr>
            <th scope="col">{t(lang, 'invoices.number')}</th><th scope="col">{t(lang, 'staff.invoices.payer')}</th><th scope="col">{t(lang, 'staff.batch.portalDate')}</th>
            <th scope="col">{t(lang, 'staff.draft.comment')}</th><th scope="col" class="num">{t(lang, 'invoices.total')}</th><th scope="col"></th>
          </tr></thead>
          <tbody>
            {page.items.map((i) => (
              <tr class="draft">
                <td><a href={`/staff/invoices/${encodeURIComponent(i.id)}`}>{`${i.id} *`}</a></td>
                <td>{names.get(i.debtorId)}</td><td>{formatDate(lang, i.portalDisplayDate)}</td><td>{i.comment ?? ''}</td>
                <td class="num">{formatAmount(lang, i.totalMinor, i.currency)}</td>
                <td>
                  {canEdit ? <a href={`/staff/drafts/${encodeURIComponent(i.id)}/edit`}>{t(lang, 'staff.draft.edit')}</a> : null}{' '}
                  {canDelete ? <a href={`/staff/drafts/${encodeURIComponent(i.id)}/delete`}>{t(lang, 'staff.draft.delete')}</a> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager lang={lang} base={`/staff/batches/${encodeURIComponent(batchId)}/drafts`} query={query} next={page.next} />
      </Page>,
    )
  })

  const draftOr404 = async (c: Context<AppEnv>) => {
    return c.var.ctx.storage.invoicing!.getInvoice(actorOfRequest(c).siteId, c.req.param('id')!)
  }

  const EditForm = (p: { c: Context<AppEnv>; id: string; comment: string; portalDisplayDate: string }) => (
    <form method="post" action={`/staff/drafts/${encodeURIComponent(p.id)}/edit`} class="card">
      <CsrfField session={p.c.var.session} />
      <Field label={t(p.c.var.lang, 'staff.draft.comment')} name="comment" value={p.comment} required={false} />
      <Field label={t(p.c.var.lang, 'staff.batch.portalDate')} name="portalDisplayDate" type="date" value={p.portalDisplayDate} />
      <button type="submit">{t(p.c.var.lang, 'staff.draft.save')}</button>{' '}
      <a href={`/staff/invoices/${encodeURIComponent(p.id)}`}>{t(p.c.var.lang, 'staff.draft.adjustments')}</a>
    </form>
  )

  app.get('/drafts/:id/edit', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.editDrafts', { siteId: actor.siteId })
    if (denied) return denied
    const invoice = await draftOr404(c)
    if (!invoice) return c.notFound()
    return html(c, <Page c={c} title={`${t(lang, 'staff.draft.edit')} ${invoice.id} *`} current="/staff/batches/new"><EditForm c={c} id={invoice.id} comment={invoice.comment ?? ''} portalDisplayDate={invoice.portalDisplayDate} /></Page>)
  })

  app.post('/drafts/:id/edit', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.editDrafts', { siteId: actor.siteId })
    if (denied) return denied
    const invoice = await draftOr404(c)
    if (!invoice) return c.notFound()
    const body = await c.req.parseBody()
    const comment = str(body.comment)
    const portalDisplayDate = str(body.portalDisplayDate)
    try {
      await editDrafts(depsOf(c), { siteId: actor.siteId, invoiceIds: [invoice.id], change: { comment: comment || null, portalDisplayDate: portalDisplayDate as LocalDate } }, {
        audit: staffAudit(actor, ctx.clock.now(), (r) => r.after.map((after, i) => ({
          action: 'invoice.draftEdited', subject: { kind: 'invoice', id: after.id }, before: { comment: r.before[i]!.comment, portalDisplayDate: r.before[i]!.portalDisplayDate }, after: { comment: after.comment, portalDisplayDate: after.portalDisplayDate },
        }))),
      })
      return c.redirect(`/staff/batches/${encodeURIComponent(invoice.batchId)}/drafts?done=edited`, 303)
    } catch (error) {
      if (!isEcoleError(error)) throw error
      return html(c, <Page c={c} title={`${t(lang, 'staff.draft.edit')} ${invoice.id} *`} current="/staff/batches/new" notice={{ kind: 'error', text: ecoleMessage(error) }}><EditForm c={c} id={invoice.id} comment={comment} portalDisplayDate={portalDisplayDate} /></Page>, error.code === 'INVOICE_NOT_DRAFT' ? 409 : 400)
    }
  })

  app.get('/drafts/:id/delete', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.deleteDrafts', { siteId: actor.siteId })
    if (denied) return denied
    const invoice = await draftOr404(c)
    if (!invoice) return c.notFound()
    const [name] = (await guardianNames(c.var.ctx.storage, actor.siteId, [invoice.debtorId])).values()
    return html(c,
      <Page c={c} title={t(lang, 'staff.draft.delete')} current="/staff/batches/new">
        <form method="post" class="card">
          <CsrfField session={c.var.session} />
          <p>{t(lang, 'staff.draft.deleteConfirm', { id: invoice.id, name: name ?? invoice.debtorId, total: formatAmount(lang, invoice.totalMinor, invoice.currency) })}</p>
          <button type="submit">{t(lang, 'staff.confirm')}</button> <a href={`/staff/batches/${encodeURIComponent(invoice.batchId)}/drafts`}>{t(lang, 'staff.cancel')}</a>
        </form>
      </Page>,
    )
  })

  app.post('/drafts/:id/delete', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.deleteDrafts', { siteId: actor.siteId })
    if (denied) return denied
    const invoice = await draftOr404(c)
    if (!invoice) return c.notFound()
    try {
      await deleteDrafts(depsOf(c), { siteId: actor.siteId, invoiceIds: [invoice.id] }, {
        audit: staffAudit(actor, ctx.clock.now(), (deleted) => deleted.map((d) => ({ action: 'invoice.draftDeleted', subject: { kind: 'invoice', id: d.id }, before: { debtorId: d.debtorId, totalMinor: d.totalMinor } }))),
      })
      return c.redirect(`/staff/batches/${encodeURIComponent(invoice.batchId)}/drafts?done=deleted`, 303)
    } catch (error) {
      if (!isEcoleError(error)) throw error
      return html(c, <Page c={c} title={t(lang, 'staff.draft.delete')} notice={{ kind: 'error', text: ecoleMessage(error) }} />, 409)
    }
  })

  return app
}
