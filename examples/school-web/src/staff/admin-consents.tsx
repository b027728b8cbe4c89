/**
 * `/staff/admin/consents` (seed 001, Administration > consentements): the consents that gate
 * booking on the portal, stored by the library (`saveConsent`, `deleteConsent`, directory records
 * of kind `consent`) and edited here: label, text per language, validity, scope (the whole site,
 * classes, services), the linked document chosen among the site's stored documents, active or not;
 * each consent's page lists who accepted its current version and when, paginated on the server
 * (`consentAcceptancesPage`), with links to earlier versions.
 *
 * Editing the text or the document of a consent already accepted makes a new version that every
 * guardian accepts again (the library's `reviseConsent`); deleting asks for a confirmation and is
 * refused once a guardian accepted it (make it inactive instead). Every change is audited in its
 * transaction and drops the portal's kept consents (`invalidateStoredConsents`). Permission
 * `consents.write` (action `consents.manage`).
 */
import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { auditChanges, CONSENT_LANGUAGES, isEcoleError, type Actor, type ConsentRecord, type ConsentRecordInput } from '@ecole/core'
import type { StorageTransaction } from '@ecole/core/ports'
import { consentAcceptancesPage, deleteConsent, saveConsent, type ConsentChange } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { formatDate, LANGUAGE_NAMES, t, type Lang } from '../i18n'
import { dayIn } from '../site-facts'
import { invalidateStoredConsents } from '../stored-consents'
import { CsrfField } from '../views/layout'
import { html } from '../views/render'
import { CheckedField, ErrorSummary, fieldErrorsOf, type FieldErrors } from './field-errors'
import { Choice, DateField, dateOfForm } from './form-fields'
import { page, readAll } from '../read-all'
import { allRecords, fullName } from './people'
import { actorOfRequest, Page, Pager, refused } from './routes'
import { recordStaffChanges } from './staff-audit'

const CONSENTS = '/staff/admin/consents'
const PAGE_SIZE = 50
const enc = encodeURIComponent
type Values = Record<string, string>

function gate(c: Context<AppEnv>) {
  return refused(c, 'consents.manage', { siteId: actorOfRequest(c).siteId })
}

/** The audit entry of a consent change, written in the workflow's transaction. */
function audited(actor: Actor, now: Date) {
  return async (tx: StorageTransaction, change: ConsentChange) => {
    const json = (o: unknown) => JSON.parse(JSON.stringify(o ?? {})) as Record<string, unknown>
    const diff = auditChanges(json(change.before), json(change.after))
    await recordStaffChanges(tx, actor, now, [{ action: change.action, subject: { kind: 'consent', id: change.id }, ...(change.before ? { before: diff.before } : {}), after: diff.after }])
  }
}

/** The form's values of a stored consent. */
function valuesOf(r: ConsentRecord): Values {
  const v: Values = { label: r.label, from: r.validity.from, to: r.validity.to ?? '', scope: r.scope.kind, documentId: r.documentId ?? '', active: r.active ? 'on' : '' }
  for (const l of CONSENT_LANGUAGES) v[l] = r.texts[l] ?? ''
  if (r.scope.kind === 'groups') v['groupIds'] = r.scope.groupIds.join('\n')
  if (r.scope.kind === 'services') v['serviceIds'] = r.scope.serviceIds.join('\n')
  return v
}

/** The consent a form sends (checked by the library: its errors name the form's fields). */
function inputOf(id: string, siteId: string, body: Record<string, unknown>): { input: ConsentRecordInput; values: Values } {
  const one = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '')
  const many = (k: string) => {
    const v = body[k]
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string' && x !== '')
  }
  const scopeKind = one('scope') || 'site'
  const groupIds = many('groupIds')
  const serviceIds = many('serviceIds')
  const values: Values = { label: one('label'), from: one('from'), to: one('to'), scope: scopeKind, documentId: one('documentId'), active: one('active'), groupIds: groupIds.join('\n'), serviceIds: serviceIds.join('\n') }
  for (const l of CONSENT_LANGUAGES) values[l] = one(l)
  const scope = scopeKind === 'groups' ? { kind: 'groups' as const, groupIds } : scopeKind === 'services' ? { kind: 'services' as const, serviceIds } : { kind: 'site' as const }
  const input: ConsentRecordInput = {
    id, siteId, label: values['label']!,
    texts: Object.fromEntries(CONSENT_LANGUAGES.map((l) => [l, values[l]])),
    validity: { from: dateOfForm(values['from']!), to: dateOfForm(values['to']!) || null },
    scope, documentId: values['documentId'] || null, active: values['active'] === 'on',
  }
  return { input, values }
}

function validityText(lang: Lang, r: ConsentRecord): string {
  return r.validity.to
    ? t(lang, 'staff.consents.validity.range', { from: formatDate(lang, r.validity.from), to: formatDate(lang, r.validity.to) })
    : t(lang, 'staff.consents.validity.open', { from: formatDate(lang, r.validity.from) })
}

/** Mounts the consents screen. */
export function adminConsentRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const dir = (c: Context<AppEnv>) => c.var.ctx.storage.directory!

  async function names(c: Context<AppEnv>) {
    const siteId = actorOfRequest(c).siteId
    const classes = (await allRecords(c.var.ctx.storage, siteId, 'schoolClass')).map((k) => ({ value: k.id, label: k.name }))
    const services = (await allRecords(c.var.ctx.storage, siteId, 'service')).map((s) => ({ value: s.id, label: s.name }))
    const docs = (await readAll((a) => c.var.ctx.storage.documents!.listDocuments(siteId, page(a), { audienceKinds: ['site', 'groups'] }))).map((d) => ({ value: d.id, label: d.name }))
    return { classes, services, docs }
  }

  function scopeText(lang: Lang, r: ConsentRecord, n: Awaited<ReturnType<typeof names>>): string {
    const label = (list: Array<{ value: string; label: string }>, id: string) => list.find((x) => x.value === id)?.label ?? id
    if (r.scope.kind === 'groups') return `${t(lang, 'staff.consents.scope.groups')} : ${r.scope.groupIds.map((id) => label(n.classes, id)).join(', ')}`.replace(' :', lang === 'fr' ? ' :' : ':')
    if (r.scope.kind === 'services') return `${t(lang, 'staff.consents.scope.services')} : ${r.scope.serviceIds.map((id) => label(n.services, id)).join(', ')}`.replace(' :', lang === 'fr' ? ' :' : ':')
    return t(lang, 'staff.consents.scope.site')
  }

  function ConsentForm(p: { c: Context<AppEnv>; action: string; values: Values; errors?: FieldErrors | undefined; n: Awaited<ReturnType<typeof names>> }) {
    const { lang, session } = p.c.var
    const v = p.values
    const err = (k: string) => p.errors?.[k]
    const selected = (k: string) => (v[k] ?? '').split('\n').filter(Boolean)
    return (
      <form method="post" action={p.action} class="card consent-form" novalidate>
        <CsrfField session={session} />
        <ErrorSummary lang={lang} errors={p.errors} />
        <CheckedField label={t(lang, 'staff.consents.label')} name="label" value={v['label']} required errors={p.errors} />
        <p class="hint">{t(lang, 'staff.consents.textHint')}</p>
        {CONSENT_LANGUAGES.map((l) => (
          <p class={err(l) ? 'field invalid' : 'field'}>
            <label for={`f-${l}`}>{t(lang, 'staff.consents.text', { language: LANGUAGE_NAMES[l] })}</label>
            <textarea id={`f-${l}`} name={l} rows={4} lang={l} maxlength={4000} aria-invalid={err(l) ? 'true' : undefined}>{v[l] ?? ''}</textarea>
            {err(l) ? <strong class="field-error">{err(l)}</strong> : null}
          </p>
        ))}
        <DateField lang={lang} label={t(lang, 'staff.consents.from')} name="from" value={v['from']} />
        {err('from') ? <p class="field-error"><strong>{err('from')}</strong></p> : null}
        <DateField lang={lang} label={t(lang, 'staff.consents.to')} name="to" value={v['to']} required={false} />
        {err('to') ? <p class="field-error"><strong>{err('to')}</strong></p> : null}
        <fieldset>
          <legend>{t(lang, 'staff.consents.scope')}</legend>
          {(['site', 'groups', 'services'] as const).map((k) => <Choice type="radio" name="scope" value={k} checked={(v['scope'] || 'site') === k} label={t(lang, `staff.consents.scope.${k}`)} />)}
        </fieldset>
        <fieldset class={err('groupIds') ? 'invalid' : undefined}>
          <legend>{t(lang, 'staff.consents.groups')}</legend>
          {p.n.classes.map((o) => <Choice name="groupIds" value={o.value} checked={selected('groupIds').includes(o.value)} label={o.label} />)}
          {err('groupIds') ? <strong class="field-error">{err('groupIds')}</strong> : null}
        </fieldset>
        <fieldset class={err('serviceIds') ? 'invalid' : undefined}>
          <legend>{t(lang, 'staff.consents.services')}</legend>
          {p.n.services.map((o) => <Choice name="serviceIds" value={o.value} checked={selected('serviceIds').includes(o.value)} label={o.label} />)}
          {err('serviceIds') ? <strong class="field-error">{err('serviceIds')}</strong> : null}
        </fieldset>
        <p class={err('documentId') ? 'field invalid' : 'field'}>
          <label for="f-documentId">{t(lang, 'staff.consents.document')}</label>
          <select id="f-documentId" name="documentId">
            <option value="" selected={!v['documentId']}>{t(lang, 'staff.consents.document.none')}</option>
            {p.n.docs.map((d) => <option value={d.value} selected={v['documentId'] === d.value}>{d.label}</option>)}
          </select>
          {err('documentId') ? <strong class="field-error">{err('documentId')}</strong> : null}
        </p>
        <Choice name="active" value="on" checked={v['active'] === 'on'} label={t(lang, 'staff.consents.active')} />
        <p class="hint">{t(lang, 'staff.consents.versionHint')}</p>
        <p><button type="submit">{t(lang, 'staff.consents.save')}</button> <a href={CONSENTS}>{t(lang, 'staff.consents.cancel')}</a></p>
      </form>
    )
  }

  async function listPage(c: Context<AppEnv>, opts: { notice?: { kind: 'ok' | 'error'; text: string } } = {}) {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const n = await names(c)
    const records: ConsentRecord[] = []
    let after: string | undefined
    do {
      const page = await ctx.storage.directory!.listDirectoryRecords(actor.siteId, 'consent', { limit: 500, ...(after ? { after } : {}) })
      records.push(...page.items)
      after = page.next
    } while (after)
    return html(c,
      <Page c={c} title={t(lang, 'staff.consents.title')} current={CONSENTS} notice={opts.notice}>
        <p>{t(lang, 'staff.consents.intro')}</p>
        {records.length === 0 ? <p>{t(lang, 'staff.consents.none')}</p> : (
          <table class="consents">
            <thead><tr>{(['label', 'scope', 'validity', 'state', 'actions'] as const).map((k) => <th scope="col">{t(lang, `staff.consents.col.${k}`)}</th>)}</tr></thead>
            <tbody>{records.map((r) => (
              <tr data-consent={r.id}>
                <td><a href={`${CONSENTS}/${enc(r.id)}`}>{r.label}</a></td>
                <td>{scopeText(lang, r, n)}</td>
                <td>{validityText(lang, r)}</td>
                <td>{t(lang, r.active ? 'staff.consents.state.active' : 'staff.consents.state.inactive', { version: String(r.version) })}</td>
                <td><a href={`${CONSENTS}/${enc(r.id)}`}>{t(lang, 'staff.consents.edit')}</a> · <a href={`${CONSENTS}/${enc(r.id)}/delete`}>{t(lang, 'staff.consents.delete')}</a></td>
              </tr>
            ))}</tbody>
          </table>
        )}
        <h2>{t(lang, 'staff.consents.new')}</h2>
        <ConsentForm c={c} action={CONSENTS} values={{ active: 'on', scope: 'site' }} n={n} />
      </Page>,
    )
  }

  async function consentPage(c: Context<AppEnv>, r: ConsentRecord, opts: { values?: Values; errors?: FieldErrors; notice?: { kind: 'ok' | 'error'; text: string } } = {}) {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const n = await names(c)
    const asked = Number(c.req.query('version'))
    const version = Number.isInteger(asked) && asked >= 1 && asked <= r.version ? asked : r.version
    const after = c.req.query('after') || undefined
    const page = await consentAcceptancesPage({ storage: ctx.storage }, { siteId: actor.siteId, consentId: r.id, version, limit: PAGE_SIZE, ...(after ? { after } : {}) })
    const guardians = await ctx.storage.directory!.getDirectoryRecords(actor.siteId, 'guardian', page.items.map((a) => a.guardianId))
    const notice = opts.errors ? { kind: 'error' as const, text: t(lang, 'staff.form.nothingSaved') } : opts.notice
    return html(c,
      <Page c={c} title={r.label} current={CONSENTS} notice={notice}>
        <p><a href={CONSENTS}>{t(lang, 'staff.consents.back')}</a></p>
        <p>{scopeText(lang, r, n)} — {validityText(lang, r)} — {t(lang, r.active ? 'staff.consents.state.active' : 'staff.consents.state.inactive', { version: String(r.version) })}</p>
        <section class="card acceptances-of" data-consent={r.id}>
          <h2>{t(lang, 'staff.consents.accepted', { version: String(version) })}</h2>
          {page.items.length === 0 ? <p>{t(lang, 'staff.consents.nobody')}</p> : (
            <table class="acceptances">
              <thead><tr><th scope="col">{t(lang, 'staff.consents.guardian')}</th><th scope="col">{t(lang, 'staff.consents.on')}</th></tr></thead>
              <tbody>{page.items.map((a) => {
                const g = guardians.get(a.guardianId)
                return <tr><td>{g ? <a href={`/staff/guardians/${enc(g.id)}`}>{fullName(g)}</a> : a.guardianId}</td><td>{formatDate(lang, dayIn(c.var.site.timeZone, a.acceptedAt))}</td></tr>
              })}</tbody>
            </table>
          )}
          <Pager lang={lang} base={`${CONSENTS}/${enc(r.id)}`} query={{ version: String(version) }} next={page.next} />
          {r.version > 1 ? (
            <p>{t(lang, 'staff.consents.earlier')}{' '}
              {Array.from({ length: r.version }, (_, i) => i + 1).filter((v) => v !== version).map((v) => <><a href={`${CONSENTS}/${enc(r.id)}?version=${v}`}>{t(lang, 'staff.consents.versionLink', { version: String(v) })}</a>{' '}</>)}
            </p>
          ) : null}
        </section>
        <h2>{t(lang, 'staff.consents.edit')}</h2>
        <ConsentForm c={c} action={`${CONSENTS}/${enc(r.id)}`} values={opts.values ?? valuesOf(r)} errors={opts.errors} n={n} />
        <p><a href={`${CONSENTS}/${enc(r.id)}/delete`}>{t(lang, 'staff.consents.delete')}</a></p>
      </Page>,
      opts.errors ? 400 : 200,
    )
  }

  const labels = (lang: Lang): Record<string, string> => ({
    label: t(lang, 'staff.consents.label'),
    ...Object.fromEntries(CONSENT_LANGUAGES.map((l) => [l, t(lang, 'staff.consents.text', { language: LANGUAGE_NAMES[l] })])),
    from: t(lang, 'staff.consents.from'), to: t(lang, 'staff.consents.to'),
    groupIds: t(lang, 'staff.consents.groups'), serviceIds: t(lang, 'staff.consents.services'), documentId: t(lang, 'staff.consents.document'),
  })

  app.get('/admin/consents', async (c) => {
    const no = gate(c)
    if (no) return no
    const done = c.req.query('done')
    return listPage(c, done === 'deleted' ? { notice: { kind: 'ok', text: t(c.var.lang, 'staff.consents.deleted') } } : {})
  })

  app.post('/admin/consents', async (c) => {
    const no = gate(c)
    if (no) return no
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const { input, values } = inputOf(`consent-${randomUUID()}`, actor.siteId, await c.req.parseBody({ all: true }))
    try {
      const saved = await saveConsent({ storage: ctx.storage }, input, { create: true, withChange: audited(actor, ctx.clock.now()) })
      invalidateStoredConsents(ctx)
      return c.redirect(`${CONSENTS}/${enc(saved.record.id)}?done=saved`, 303)
    } catch (error) {
      const errors = fieldErrorsOf(lang, error, labels(lang))
      if (!errors) throw error
      const n = await names(c)
      return html(c,
        <Page c={c} title={t(lang, 'staff.consents.new')} current={CONSENTS} notice={{ kind: 'error', text: t(lang, 'staff.form.nothingSaved') }}>
          <p><a href={CONSENTS}>{t(lang, 'staff.consents.back')}</a></p>
          <ConsentForm c={c} action={CONSENTS} values={values} errors={errors} n={n} />
        </Page>,
        400,
      )
    }
  })

  app.get('/admin/consents/:id', async (c) => {
    const no = gate(c)
    if (no) return no
    const r = await dir(c).getDirectoryRecord(actorOfRequest(c).siteId, 'consent', c.req.param('id'))
    if (!r) return c.notFound()
    const done = c.req.query('done')
    const lang = c.var.lang
    const notice = done === 'saved' ? { kind: 'ok' as const, text: t(lang, 'staff.consents.saved') }
      : done === 'newVersion' ? { kind: 'ok' as const, text: t(lang, 'staff.consents.savedNewVersion', { version: String(r.version) }) } : undefined
    return consentPage(c, r, notice ? { notice } : {})
  })

  app.post('/admin/consents/:id', async (c) => {
    const no = gate(c)
    if (no) return no
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const existing = await dir(c).getDirectoryRecord(actor.siteId, 'consent', c.req.param('id'))
    if (!existing) return c.notFound()
    const { input, values } = inputOf(existing.id, actor.siteId, await c.req.parseBody({ all: true }))
    try {
      const saved = await saveConsent({ storage: ctx.storage }, input, { withChange: audited(actor, ctx.clock.now()) })
      invalidateStoredConsents(ctx)
      return c.redirect(`${CONSENTS}/${enc(saved.record.id)}?done=${saved.newVersion ? 'newVersion' : 'saved'}`, 303)
    } catch (error) {
      const errors = fieldErrorsOf(lang, error, labels(lang))
      if (!errors) throw error
      return consentPage(c, existing, { values, errors })
    }
  })

  /** Whether a guardian accepted any version of the consent. */
  async function accepted(c: Context<AppEnv>, r: ConsentRecord): Promise<boolean> {
    for (let v = 1; v <= r.version; v++) {
      if ((await consentAcceptancesPage({ storage: c.var.ctx.storage }, { siteId: r.siteId, consentId: r.id, version: v, limit: 1 })).items.length > 0) return true
    }
    return false
  }

  app.get('/admin/consents/:id/delete', async (c) => {
    const no = gate(c)
    if (no) return no
    const { lang } = c.var
    const r = await dir(c).getDirectoryRecord(actorOfRequest(c).siteId, 'consent', c.req.param('id'))
    if (!r) return c.notFound()
    if (await accepted(c, r)) return consentPage(c, r, { notice: { kind: 'error', text: t(lang, 'staff.consents.deleteRefused', { label: r.label }) } })
    return html(c,
      <Page c={c} title={t(lang, 'staff.consents.deleteTitle')} current={CONSENTS}>
        <p>{t(lang, 'staff.consents.deleteConfirm', { label: r.label })}</p>
        <form method="post" action={`${CONSENTS}/${enc(r.id)}/delete`}>
          <CsrfField session={c.var.session} />
          <button type="submit">{t(lang, 'staff.consents.delete')}</button> <a href={`${CONSENTS}/${enc(r.id)}`}>{t(lang, 'staff.consents.cancel')}</a>
        </form>
      </Page>,
    )
  })

  app.post('/admin/consents/:id/delete', async (c) => {
    const no = gate(c)
    if (no) return no
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const r = await dir(c).getDirectoryRecord(actor.siteId, 'consent', c.req.param('id'))
    if (!r) return c.notFound()
    try {
      await deleteConsent({ storage: ctx.storage }, { siteId: actor.siteId, consentId: r.id }, { withChange: audited(actor, ctx.clock.now()) })
    } catch (error) {
      if (!isEcoleError(error, 'CONSENT_ACCEPTED')) throw error
      return consentPage(c, r, { notice: { kind: 'error', text: t(lang, 'staff.consents.deleteRefused', { label: r.label }) } })
    }
    invalidateStoredConsents(ctx)
    return c.redirect(`${CONSENTS}?done=deleted`, 303)
  })

  return app
}
