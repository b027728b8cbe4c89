/**
 * What a day costs: the services' tariffs and the payers' family quotients, stored as directory
 * records (`servicePricing`, `familyQuotient`) and read by the invoice batches (`periodCharges`).
 *
 * - `/staff/admin/tariffs`: every service with its billing mode and its tariff periods (a fixed
 *   price, or by family quotient with the price without a QF); a tariff period added or replaced
 *   (by its first day) and deleted after a confirmation; checked by the library's
 *   `defineServicePricing` (periods that overlap, brackets with a gap...), each error beside its
 *   field. Viewing takes `invoices.read` (`tariffs.view`), editing `settings.services` (`tariffs.edit`).
 * - `/staff/guardians/:id/quotient`: a guardian's family quotient from a date (`defineFamilyQuotient`),
 *   `households.write` (`quotients.edit`).
 */
import { addDays, compareDates, defineFamilyQuotients, defineServicePricing, isEcoleError, Money, servicePricingOf, type LocalDate, type ServicePricingInput, type ServicePricingRecord, type StoredTariff } from '@ecole/core'
import { lockRecords } from '@ecole/workflows'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../env'
import { formatAmount, formatDate, t, type Lang } from '../i18n'
import { CsrfField } from '../views/layout'
import { html } from '../views/render'
import { CheckedField, ErrorSummary, ruleText, type FieldErrors } from './field-errors'
import { dateOfForm, DateField, formValues } from './form-fields'
import { allRecords, fullName } from './people'
import { actorOfRequest, Page, refused } from './routes'
import { recordStaffChanges } from './staff-audit'
import { changeRecordChecked, RecordConflictCard, VersionField, versionOf, type RecordConflictView } from './record-conflict'

const BASE = '/staff/admin/tariffs'
/** How many quotient brackets the form offers. */
const BRACKET_ROWS = 5
const enc = encodeURIComponent

/** A stored amount (`"3.20"`) as people read it in `lang` (`3,20 €`). */
function amountText(lang: Lang, amount: string, currency: string): string {
  return formatAmount(lang, Money.of(amount, currency).toMinor(), currency)
}

/** A tariff in words: `3,20 €`, or its brackets by family quotient. */
function tariffText(lang: Lang, tariff: StoredTariff): string {
  switch (tariff.kind) {
    case 'fixed': return amountText(lang, tariff.price.amount, tariff.price.currency)
    case 'quotientBrackets': {
      const parts = tariff.brackets.map((b) => t(lang, b.max === undefined ? 'staff.tariffs.bracketFrom' : 'staff.tariffs.bracket', { min: b.min, max: b.max ?? '', price: amountText(lang, b.price.amount, b.price.currency) }))
      return `${parts.join(' ; ')} ; ${t(lang, 'staff.tariffs.noQuotient', { price: amountText(lang, tariff.noQuotientPrice.amount, tariff.noQuotientPrice.currency) })}`
    }
    default: return t(lang, 'staff.tariffs.other', { kind: tariff.kind })
  }
}

/** A price typed with a comma or a dot, for the library's schema. */
const typedAmount = (text: string | undefined) => (text ?? '').trim().replace(/\s/g, '').replace(',', '.')

/**
 * The form's tariff period as the library's input (empty bracket rows skipped): `kind=fixed` takes
 * `price`; `kind=quotientBrackets` takes rows `max<j>` / `price<j>` (each bracket starting where
 * the previous one ends, the last one open) and `noQuotientPrice`.
 */
function periodOfForm(v: Record<string, string>, currency: string): ServicePricingInput['tariffs'][number] {
  const money = (amount: string | undefined) => ({ amount: typedAmount(amount), currency })
  const base = { from: dateOfForm(v['from'] ?? ''), ...(v['to'] ? { to: dateOfForm(v['to']) } : {}) }
  if (v['kind'] !== 'quotientBrackets') return { ...base, tariff: { kind: 'fixed', price: money(v['price']) } }
  const rows = Array.from({ length: BRACKET_ROWS }, (_, j) => ({ max: (v[`max${j}`] ?? '').trim(), price: v[`price${j}`] ?? '' })).filter((r) => r.max !== '' || r.price.trim() !== '')
  let min = '0'
  const brackets = rows.map((r) => {
    const b = { min, ...(r.max !== '' ? { max: r.max.replace(',', '.') } : {}), price: money(r.price) }
    min = r.max.replace(',', '.')
    return b
  })
  return { ...base, tariff: { kind: 'quotientBrackets', brackets, noQuotientPrice: money(v['noQuotientPrice']) } }
}

/** The form field an issue of the edited period (index `at`) belongs to. */
function fieldOfIssue(path: string, at: number): string {
  if (path === 'pricing.tariffs') return 'from' // periods that overlap: the edited period's dates
  if (path.startsWith('pricing.mode')) return 'mode'
  const prefix = `pricing.tariffs.${at}.`
  if (!path.startsWith(prefix)) return '_form'
  const rest = path.slice(prefix.length)
  const bracket = rest.match(/^tariff\.brackets\.(\d+)\.(min|max|price)/)
  if (bracket) {
    const j = Number(bracket[1])
    // a bracket's min is the previous row's max (the first starts at 0)
    return bracket[2] === 'price' ? `price${j}` : bracket[2] === 'max' ? `max${j}` : j === 0 ? 'max0' : `max${j - 1}`
  }
  if (rest.startsWith('tariff.brackets')) return 'max0'
  if (rest.startsWith('tariff.price')) return 'price'
  if (rest.startsWith('tariff.noQuotientPrice')) return 'noQuotientPrice'
  if (rest.startsWith('from')) return 'from'
  if (rest.startsWith('to')) return 'to'
  return '_form'
}

/** The tariffs routes, mounted on the staff router. */
export function tariffRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  const labels = (lang: Lang): Record<string, string> => {
    const out: Record<string, string> = {
      mode: t(lang, 'staff.tariffs.mode'), from: t(lang, 'staff.tariffs.from'), to: t(lang, 'staff.tariffs.to'), price: t(lang, 'staff.tariffs.price'),
      noQuotientPrice: t(lang, 'staff.tariffs.noQuotientPrice'), _form: t(lang, 'staff.tariffs.title'),
    }
    for (let j = 0; j < BRACKET_ROWS; j++) {
      out[`max${j}`] = t(lang, 'staff.tariffs.rowMax', { n: j + 1 })
      out[`price${j}`] = t(lang, 'staff.tariffs.rowPrice', { n: j + 1 })
    }
    return out
  }

  async function listPage(c: Context<AppEnv>, done?: string) {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const services = await allRecords(ctx.storage, actor.siteId, 'service')
    const pricing = await ctx.storage.directory!.getDirectoryRecords(actor.siteId, 'servicePricing', services.map((s) => s.id))
    const mayEdit = refused(c, 'tariffs.edit', { siteId: actor.siteId }) === undefined
    return html(c,
      <Page c={c} title={t(lang, 'staff.tariffs.title')} current={BASE} notice={done ? { kind: 'ok', text: done } : undefined}>
        <p>{t(lang, 'staff.tariffs.intro')}</p>
        <table class="tariffs">
          <thead><tr><th>{t(lang, 'staff.tariffs.service')}</th><th>{t(lang, 'staff.tariffs.mode')}</th><th>{t(lang, 'staff.tariffs.periods')}</th>{mayEdit ? <th></th> : null}</tr></thead>
          <tbody>
            {services.map((s) => {
              const p = pricing.get(s.id)
              return (
                <tr id={`service-${s.id}`}>
                  <th scope="row">{s.name}{s.billing === 'prepaid' ? <small class="hint"> ({t(lang, 'staff.tariffs.prepaid')})</small> : null}</th>
                  <td>{p ? t(lang, `staff.tariffs.mode.${p.mode.kind}` as never) : '—'}</td>
                  <td>{p ? <ul>{p.tariffs.map((x) => <li>{formatDate(lang, x.from)} – {x.to ? formatDate(lang, x.to) : t(lang, 'staff.tariffs.openEnded')} : {tariffText(lang, x.tariff)}</li>)}</ul> : <strong>{t(lang, 'staff.tariffs.none')}</strong>}</td>
                  {mayEdit ? <td><a href={`${BASE}/${enc(s.id)}`}>{t(lang, 'staff.tariffs.edit')}</a></td> : null}
                </tr>
              )
            })}
          </tbody>
        </table>
      </Page>,
    )
  }

  async function editPage(c: Context<AppEnv>, serviceId: string, opts: { values?: Record<string, string>; errors?: FieldErrors; conflict?: RecordConflictView } = {}) {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const service = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'service', serviceId)
    if (!service) return c.notFound()
    const stored = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'servicePricing', serviceId)
    const v = opts.values ?? { mode: stored?.mode.kind ?? 'booked', kind: 'fixed' }
    const L = labels(lang)
    const row = (j: number) => (
      <tr>
        <td><CheckedField idPrefix="b" label={L[`max${j}`]!} name={`max${j}`} value={v[`max${j}`]} inputmode="decimal" errors={opts.errors} /></td>
        <td><CheckedField idPrefix="b" label={L[`price${j}`]!} name={`price${j}`} value={v[`price${j}`]} inputmode="decimal" errors={opts.errors} /></td>
      </tr>
    )
    return html(c,
      <Page c={c} title={t(lang, 'staff.tariffs.editTitle', { service: service.name })} current={BASE} notice={opts.conflict ? { kind: 'error', text: opts.conflict.text } : opts.errors ? { kind: 'error', text: t(lang, 'staff.form.nothingSaved') } : undefined}>
        <p><a href={BASE}>{t(lang, 'staff.tariffs.back')}</a></p>
        {opts.conflict ? <RecordConflictCard lang={lang} conflict={opts.conflict} /> : null}
        {stored ? (
          <section aria-labelledby="current">
            <h2 id="current">{t(lang, 'staff.tariffs.periods')}</h2>
            <ul>{stored.tariffs.map((x) => (
              <li>{formatDate(lang, x.from)} – {x.to ? formatDate(lang, x.to) : t(lang, 'staff.tariffs.openEnded')} : {tariffText(lang, x.tariff)}{' '}
                <a href={`${BASE}/${enc(serviceId)}/periods/${enc(x.from)}/delete`}>{t(lang, 'staff.tariffs.deletePeriod')}</a></li>
            ))}</ul>
          </section>
        ) : <p><strong>{t(lang, 'staff.tariffs.none')}</strong></p>}
        <form method="post" action={`${BASE}/${enc(serviceId)}`} class="card tariff-form" novalidate>
          <CsrfField session={c.var.session} />
          <VersionField version={opts.conflict ? opts.conflict.version : versionOf(stored)} />
          <ErrorSummary lang={lang} errors={opts.errors} />
          {opts.errors?.['_form'] ? <p class="field-error">{opts.errors['_form']}</p> : null}
          <p class="field">
            <label for="f-mode">{L['mode']}</label>
            <select id="f-mode" name="mode">
              {/* a mode with surcharges is set through the API; the form keeps it as stored */}
              {[...(['booked', 'attended'] as const), ...(stored?.mode.kind === 'bookedWithSurcharge' ? (['bookedWithSurcharge'] as const) : [])].map((m) => <option value={m} selected={v['mode'] === m}>{t(lang, `staff.tariffs.mode.${m}`)}</option>)}
            </select>
          </p>
          <p class="hint">{t(lang, 'staff.tariffs.periodHint')}</p>
          <DateField lang={lang} label={L['from']!} name="from" value={v['from']} />
          {opts.errors?.['from'] ? <strong class="field-error">{opts.errors['from']}</strong> : null}
          <DateField lang={lang} label={L['to']!} name="to" value={v['to']} required={false} />
          {opts.errors?.['to'] ? <strong class="field-error">{opts.errors['to']}</strong> : null}
          <fieldset>
            <legend>{t(lang, 'staff.tariffs.kind')}</legend>
            {(['fixed', 'quotientBrackets'] as const).map((k) => <p class="choice"><label><input type="radio" name="kind" value={k} checked={(v['kind'] ?? 'fixed') === k} /> {t(lang, `staff.tariffs.kind.${k}`)}</label></p>)}
          </fieldset>
          <CheckedField label={L['price']!} name="price" value={v['price']} inputmode="decimal" errors={opts.errors} hint={t(lang, 'staff.tariffs.priceHint')} />
          <fieldset>
            <legend>{t(lang, 'staff.tariffs.brackets')}</legend>
            <p class="hint">{t(lang, 'staff.tariffs.bracketsHint')}</p>
            <table class="brackets"><tbody>{Array.from({ length: BRACKET_ROWS }, (_, j) => row(j))}</tbody></table>
            <CheckedField label={L['noQuotientPrice']!} name="noQuotientPrice" value={v['noQuotientPrice']} inputmode="decimal" errors={opts.errors} />
          </fieldset>
          <button type="submit">{t(lang, 'staff.tariffs.save')}</button>
        </form>
      </Page>,
      opts.conflict ? 409 : opts.errors ? 400 : 200,
    )
  }

  app.get('/admin/tariffs', async (c) => refused(c, 'tariffs.view', { siteId: actorOfRequest(c).siteId }) ?? listPage(c, c.req.query('done') === 'saved' ? t(c.var.lang, 'staff.tariffs.saved') : c.req.query('done') === 'deleted' ? t(c.var.lang, 'staff.tariffs.deleted') : undefined))

  app.get('/admin/tariffs/:serviceId', async (c) => refused(c, 'tariffs.edit', { siteId: actorOfRequest(c).siteId }) ?? editPage(c, c.req.param('serviceId')))

  app.post('/admin/tariffs/:serviceId', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const no = refused(c, 'tariffs.edit', { siteId: actor.siteId })
    if (no) return no
    const serviceId = c.req.param('serviceId')
    const service = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'service', serviceId)
    if (!service) return c.notFound()
    const office = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'billingOffice', service.billingOfficeId)
    const v = formValues((await c.req.parseBody()) as Record<string, unknown>)
    const period = periodOfForm(v, office?.currency ?? 'EUR')
    // how many periods were kept beside the new one (the form's errors name the new one's fields by it)
    let kept = 0
    // in one transaction, the service's tariffs locked: checked against the version the form was
    // opened with (someone else's change meanwhile is shown, not overwritten), read again, the
    // period added or replaced (same first day), written with the audit entry
    const ref = { kind: 'servicePricing', id: serviceId } as const
    try {
      const conflict = await changeRecordChecked(ctx.storage, lang, actor.siteId, { ref, version: v['version'], reload: `${BASE}/${enc(serviceId)}` }, async (tx) => {
        const before = await tx.directory!.getDirectoryRecord(actor.siteId, 'servicePricing', serviceId)
        const others = (before?.tariffs ?? []).filter((x) => x.from !== period.from)
        kept = others.length
        const mode: ServicePricingInput['mode'] = v['mode'] === 'attended' ? { kind: 'attended' } : v['mode'] === 'bookedWithSurcharge' && before?.mode.kind === 'bookedWithSurcharge' ? before.mode : { kind: 'booked' }
        const record: ServicePricingRecord = defineServicePricing(actor.siteId, { serviceId, mode, tariffs: [...others, period] as ServicePricingInput['tariffs'] })
        await tx.directory!.putDirectoryRecord(actor.siteId, 'servicePricing', record)
        await recordStaffChanges(tx, actor, ctx.clock.now(), [{ action: 'servicePricing.saved', subject: { kind: 'service', id: serviceId }, before: before ? { ...before } : {}, after: { ...record } }])
      })
      if (conflict) return editPage(c, serviceId, { values: v, conflict })
    } catch (error) {
      if (!isEcoleError(error, 'INVALID_INPUT')) throw error
      const L = labels(lang)
      const errors: FieldErrors = {}
      for (const issue of (error.details as { issues?: Array<{ path: string; message: string }> }).issues ?? []) {
        const field = fieldOfIssue(issue.path, kept)
        errors[field] ??= `${L[field] ?? issue.path}${lang === 'fr' ? ' :' : ':'} ${ruleText(lang, issue.message)}`
      }
      return editPage(c, serviceId, { values: v, errors })
    }
    return c.redirect(`${BASE}?done=saved#service-${enc(serviceId)}`, 303)
  })

  app.get('/admin/tariffs/:serviceId/periods/:from/delete', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const no = refused(c, 'tariffs.edit', { siteId: actor.siteId })
    if (no) return no
    const serviceId = c.req.param('serviceId')
    const stored = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'servicePricing', serviceId)
    const period = stored?.tariffs.find((x) => x.from === c.req.param('from'))
    const service = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'service', serviceId)
    if (!stored || !period || !service) return c.notFound()
    return html(c,
      <Page c={c} title={t(lang, 'staff.tariffs.deleteTitle')} current={BASE}>
        <form method="post" action={`${BASE}/${enc(serviceId)}/periods/${enc(period.from)}/delete`} class="card confirm">
          <CsrfField session={c.var.session} />
          <VersionField version={versionOf(stored)} />
          <p>{t(lang, 'staff.tariffs.deleteConfirm', { service: service.name, from: formatDate(lang, period.from), tariff: tariffText(lang, period.tariff) })}</p>
          {stored.tariffs.length === 1 ? <p><strong>{t(lang, 'staff.tariffs.deleteLast')}</strong></p> : null}
          <button type="submit">{t(lang, 'staff.confirm')}</button> <a href={`${BASE}/${enc(serviceId)}`}>{t(lang, 'staff.cancel')}</a>
        </form>
      </Page>,
    )
  })

  app.post('/admin/tariffs/:serviceId/periods/:from/delete', async (c) => {
    const { ctx } = c.var
    const actor = actorOfRequest(c)
    const no = refused(c, 'tariffs.edit', { siteId: actor.siteId })
    if (no) return no
    const serviceId = c.req.param('serviceId')
    const from = c.req.param('from')
    const version = formValues((await c.req.parseBody()) as Record<string, unknown>)['version']
    // deleted only from the tariffs the confirmation showed (its version), with the audit entry
    const conflict = await changeRecordChecked(ctx.storage, c.var.lang, actor.siteId, { ref: { kind: 'servicePricing', id: serviceId }, version, reload: `${BASE}/${enc(serviceId)}` }, async (tx) => {
      const stored = await tx.directory!.getDirectoryRecord(actor.siteId, 'servicePricing', serviceId)
      if (!stored || !stored.tariffs.some((x) => x.from === from)) return
      const rest = stored.tariffs.filter((x) => x.from !== from)
      if (rest.length === 0) await tx.directory!.deleteDirectoryRecord(actor.siteId, 'servicePricing', serviceId)
      else await tx.directory!.putDirectoryRecord(actor.siteId, 'servicePricing', defineServicePricing(actor.siteId, { serviceId, mode: servicePricingOf(stored).mode, tariffs: rest as ServicePricingInput['tariffs'] }))
      await recordStaffChanges(tx, actor, ctx.clock.now(), [{ action: 'servicePricing.periodDeleted', subject: { kind: 'service', id: serviceId }, before: { ...stored }, after: { tariffs: rest } }])
    })
    if (conflict) return editPage(c, serviceId, { conflict })
    return c.redirect(`${BASE}?done=deleted`, 303)
  })

  // a guardian's family quotient from a date (the guardian's page links here)
  app.post('/guardians/:id/quotient', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const no = refused(c, 'quotients.edit', { siteId: actor.siteId })
    if (no) return no
    const guardian = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', c.req.param('id'))
    if (!guardian) return c.notFound()
    const v = formValues((await c.req.parseBody()) as Record<string, unknown>)
    try {
      const quotient = (v['quotient'] ?? '').replace(',', '.')
      const from = dateOfForm(v['from'] ?? '')
      await ctx.storage.transaction(actor.siteId, async (tx) => {
        // read under its lock: two QFs saved at once for one guardian both stay (one was lost)
        await lockRecords(tx, actor.siteId, [{ kind: 'familyQuotient', id: guardian.id }])
        const before = await tx.directory!.getDirectoryRecord(actor.siteId, 'familyQuotient', guardian.id)
        // a new QF from a day: one from the same day is replaced, an open one that started before ends the day before
        const kept = (before?.quotients ?? [])
          .filter((q) => q.from !== from)
          .map((q) => (q.to === undefined && /^\d{4}-\d{2}-\d{2}$/.test(from) && compareDates(q.from, from as LocalDate) < 0 ? { ...q, to: addDays(from as LocalDate, -1) } : q))
        const record = defineFamilyQuotients({ id: guardian.id, siteId: actor.siteId, quotients: [...kept, { quotient, from }] })
        await tx.directory!.putDirectoryRecord(actor.siteId, 'familyQuotient', record)
        await recordStaffChanges(tx, actor, ctx.clock.now(), [{ action: 'familyQuotient.saved', subject: { kind: 'guardian', id: guardian.id }, before: before ? { ...before } : {}, after: { ...record } }])
      })
      return c.redirect(`/staff/guardians/${enc(guardian.id)}?done=quotient`, 303)
    } catch (error) {
      if (!isEcoleError(error, 'INVALID_INPUT')) throw error
      const issue = ((error.details as { issues?: Array<{ path: string; message: string }> }).issues ?? [])[0]
      const field = issue?.path.endsWith('.from') ? t(lang, 'staff.tariffs.from') : issue?.path.endsWith('.to') ? t(lang, 'staff.tariffs.to') : t(lang, 'staff.quotient.label')
      return html(c,
        <Page c={c} title={fullName(guardian)} current="/staff/households" notice={{ kind: 'error', text: `${field}${lang === 'fr' ? ' :' : ':'} ${ruleText(lang, issue?.message ?? error.message)}` }}>
          <p><a href={`/staff/guardians/${enc(guardian.id)}`}>{fullName(guardian)}</a></p>
        </Page>,
        400,
      )
    }
  })

  return app
}

/** The quotient section of a guardian's page: the stored QFs and the form to add one. */
export async function QuotientSection(p: { c: Context<AppEnv>; guardianId: string }) {
  const { lang, ctx } = p.c.var
  const actor = actorOfRequest(p.c)
  const mine = (await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'familyQuotient', p.guardianId))?.quotients ?? []
  const mayEdit = refused(p.c, 'quotients.edit', { siteId: actor.siteId }) === undefined
  return (
    <section aria-labelledby="quotient">
      <h2 id="quotient">{t(lang, 'staff.quotient.title')}</h2>
      {mine.length === 0 ? <p>{t(lang, 'staff.quotient.none')}</p> : <ul>{mine.map((q) => <li>{t(lang, 'staff.quotient.from', { quotient: lang === 'en' ? q.quotient : q.quotient.replace('.', ','), from: formatDate(lang, q.from) })}{q.to ? ` – ${formatDate(lang, q.to)}` : ''}</li>)}</ul>}
      {mayEdit ? (
        <form method="post" action={`/staff/guardians/${enc(p.guardianId)}/quotient`} class="card">
          <CsrfField session={p.c.var.session} />
          <CheckedField idPrefix="q" label={t(lang, 'staff.quotient.label')} name="quotient" inputmode="decimal" required />
          <DateField lang={lang} label={t(lang, 'staff.tariffs.from')} name="from" />
          <button type="submit">{t(lang, 'staff.quotient.save')}</button>
        </form>
      ) : null}
    </section>
  )
}
