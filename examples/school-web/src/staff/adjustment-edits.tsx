/**
 * A reduction or surcharge of a draft modified (seed 001, Facturation, « réductions et
 * majorations »: added, changed and removed with the total updated): `/staff/invoices/:id/adjustments/:adj/edit`
 * shows the form pre-filled with what is stored (reason, line, kind, amount or percentage) and the
 * draft's current total; saving goes through `adjustDraft` (`update`), which computes the total
 * again, refuses a validated invoice and an adjustment larger than what it reduces; the change is
 * audited with the total before and after.
 *
 * Action `invoices.adjustDraft` (permission `invoices.write`).
 */
import { Hono, type Context } from 'hono'
import { isEcoleError, type Invoice, type InvoiceAdjustment } from '@ecole/core'
import { adjustDraft } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { formatAmount, t } from '../i18n'
import { CsrfField, Field } from '../views/layout'
import { errorPage, html } from '../views/render'
import { ecoleMessage } from './batches'
import { actorOfRequest, depsOf, Page, refused, str } from './routes'
import { staffAudit } from './staff-audit'

/** The decimal text of a minor amount, as the form takes it ('12.50' for 1250 minor units of a 2-decimal currency). */
function decimalOf(minor: bigint): string {
  const abs = minor < 0n ? -minor : minor
  return `${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}

interface Values { reason: string; lineId: string; kind: 'reduction' | 'surcharge'; amount: string; percent: string }

function valuesOf(a: InvoiceAdjustment): Values {
  return {
    reason: a.reason, lineId: a.lineId ?? '', kind: a.kind,
    amount: a.value.type === 'amount' ? decimalOf(a.value.amountMinor) : '', percent: a.value.type === 'percentage' ? a.value.percent : '',
  }
}

function EditForm(p: { c: Context<AppEnv>; invoice: Invoice; adjustmentId: string; values: Values }) {
  const { lang } = p.c.var
  const v = p.values
  return (
    <form method="post" action={`/staff/invoices/${encodeURIComponent(p.invoice.id)}/adjustments/${encodeURIComponent(p.adjustmentId)}/edit`} class="card" id="adjustment-edit">
      <CsrfField session={p.c.var.session} />
      <p>{t(lang, 'staff.files.adjust.editIntro', { total: formatAmount(lang, p.invoice.totalMinor, p.invoice.currency) })}</p>
      <Field label={t(lang, 'staff.adjust.reason')} name="reason" value={v.reason} />
      <p class="field">
        <label for="f-lineId">{t(lang, 'staff.adjust.on')}</label>
        <select id="f-lineId" name="lineId">
          <option value="" selected={v.lineId === ''}>{t(lang, 'staff.adjust.wholeInvoice')}</option>
          {p.invoice.lines.map((l) => <option value={l.id} selected={v.lineId === l.id}>{`${l.beneficiaryId} · ${l.serviceId}`}</option>)}
        </select>
      </p>
      <p class="field">
        <label for="f-kind">{t(lang, 'staff.adjust.kind')}</label>
        <select id="f-kind" name="kind">
          <option value="reduction" selected={v.kind === 'reduction'}>{t(lang, 'staff.adjust.reduction')}</option>
          <option value="surcharge" selected={v.kind === 'surcharge'}>{t(lang, 'staff.adjust.surcharge')}</option>
        </select>
      </p>
      <p>{t(lang, 'staff.files.adjust.amountOrPercent')}</p>
      <Field label={t(lang, 'staff.pay.amount')} name="amount" value={v.amount} required={false} inputmode="text" />
      <Field label={t(lang, 'staff.files.adjust.percent')} name="percent" value={v.percent} required={false} inputmode="text" />
      <button type="submit">{t(lang, 'staff.adjust.submit')}</button> <a href={`/staff/invoices/${encodeURIComponent(p.invoice.id)}`}>{t(lang, 'staff.cancel')}</a>
    </form>
  )
}

/** The routes that modify a draft's reduction or surcharge (mounted at `/staff`). */
export function adjustmentEditRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const path = '/invoices/:id/adjustments/:adjustmentId/edit'

  async function load(c: Context<AppEnv>) {
    const invoice = await c.var.ctx.storage.invoicing!.getInvoice(actorOfRequest(c).siteId, c.req.param('id') ?? '')
    const adjustment = invoice?.adjustments.find((a) => a.id === c.req.param('adjustmentId'))
    return invoice && adjustment ? { invoice, adjustment } : undefined
  }

  app.get(path, async (c) => {
    const { lang } = c.var
    const denied = refused(c, 'invoices.adjustDraft', { siteId: actorOfRequest(c).siteId })
    if (denied) return denied
    const found = await load(c)
    if (!found) return errorPage(c, 404)
    if (found.invoice.status !== 'draft') return html(c, <Page c={c} title={t(lang, 'staff.files.adjust.editTitle')} current="/staff/invoices" notice={{ kind: 'error', text: t(lang, 'staff.adjust.notDraft') }} />, 409)
    return html(c,
      <Page c={c} title={t(lang, 'staff.files.adjust.editTitle')} current="/staff/invoices">
        <EditForm c={c} invoice={found.invoice} adjustmentId={found.adjustment.id} values={valuesOf(found.adjustment)} />
      </Page>,
    )
  })

  app.post(path, async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.adjustDraft', { siteId: actor.siteId })
    if (denied) return denied
    const found = await load(c)
    if (!found) return errorPage(c, 404)
    const body = await c.req.parseBody()
    const values: Values = {
      reason: str(body.reason), lineId: str(body.lineId), kind: str(body.kind) === 'surcharge' ? 'surcharge' : 'reduction',
      amount: str(body.amount).trim().replace(',', '.'), percent: str(body.percent).trim().replace(',', '.'),
    }
    const again = (text: string, status: 400 | 409) => html(c,
      <Page c={c} title={t(lang, 'staff.files.adjust.editTitle')} current="/staff/invoices" notice={{ kind: 'error', text }}>
        {found.invoice.status === 'draft' ? <EditForm c={c} invoice={found.invoice} adjustmentId={found.adjustment.id} values={values} /> : null}
      </Page>, status)
    const { invoice, adjustment } = found
    try {
      await adjustDraft(depsOf(c), {
        siteId: actor.siteId, invoiceId: invoice.id,
        change: { update: { adjustmentId: adjustment.id, adjustment: {
          id: adjustment.id, kind: values.kind, reason: values.reason, lineId: values.lineId || null,
          ...(values.amount ? { amount: values.amount } : {}), ...(values.percent ? { percent: values.percent } : {}),
        } } },
      }, {
        audit: staffAudit(actor, ctx.clock.now(), ({ after }) => [{
          action: 'invoice.adjustmentChanged', subject: { kind: 'invoice', id: invoice.id },
          before: { totalMinor: invoice.totalMinor, adjustment: { reason: adjustment.reason, kind: adjustment.kind, amountMinor: adjustment.amountMinor } },
          after: { totalMinor: after.totalMinor, adjustment: { reason: values.reason, kind: values.kind, amountMinor: after.adjustments.find((a) => a.id === adjustment.id)?.amountMinor } },
        }]),
      })
      return c.redirect(`/staff/invoices/${encodeURIComponent(invoice.id)}?adjusted=1`, 303)
    } catch (error) {
      if (!isEcoleError(error)) throw error
      if (error.code === 'INVOICE_NOT_DRAFT') return again(t(lang, 'staff.adjust.notDraft'), 409)
      if (error.code === 'ADJUSTMENT_NOT_FOUND' || error.code === 'NOT_FOUND') return errorPage(c, 404)
      return again(ecoleMessage(error), 400)
    }
  })

  return app
}
