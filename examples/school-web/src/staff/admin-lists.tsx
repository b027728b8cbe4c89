/**
 * The administration lists of the back office (seed 001, « Administration »):
 *
 * - `/staff/admin/criteria`: custom criteria for children or adults with their values
 *   (`CustomAttributeSchema`, stored as directory records `customAttribute`), created, changed and
 *   deleted after a confirmation that says how many people carry a value of it;
 * - `/staff/admin/insurances`: the insurances offered on a guardian's file (`InsuranceSchema`,
 *   directory records `insurance`), shown or hidden, deleted only when no guardian has it (named);
 * - `/staff/admin/portal-texts`: the texts of the families' portal (login, home, contact, bookings)
 *   per language, kept on the site record (`saveSiteSettings`);
 * - `/staff/admin/consents`: the site's consents, created, edited and deleted, and who accepted
 *   each one, when (src/staff/admin-consents.tsx).
 *
 * Criteria, insurances and portal texts take `settings.site` (action `site.edit`); consents take
 * `consents.write` (action `consents.manage`). Every change is audited; bad input is shown beside
 * its field in the user's language and nothing is stored.
 */
import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import {
  CustomAttributeSchema, InsuranceSchema, isEcoleError, parseInput, PORTAL_LANGUAGES, PORTAL_TEXT_KEYS,
  type Actor, type CustomAttribute, type Insurance, type SiteInput,
} from '@ecole/core'
import { readSite, saveSiteSettings, type RecordRef } from '@ecole/workflows'
import type { StoragePortSet } from '@ecole/core/ports'
import type { AppEnv } from '../env'
import { formatDate, LANGUAGE_NAMES, t, type Lang } from '../i18n'
import { SITE } from '../site-settings'
import { CsrfField } from '../views/layout'
import { html } from '../views/render'
import { CheckedField, ErrorSummary, fieldErrorsOf, ruleText, type FieldErrors } from './field-errors'
import { formValues } from './form-fields'
import { page, readAll } from '../read-all'
import { allRecords, fullName, insuranceHolders } from './people'
import { actorOfRequest, Page, refused } from './routes'
import { recordStaffChanges, staffDiff } from './staff-audit'
import { adminConsentRoutes } from './admin-consents'
import { changeRecordChecked, RecordConflictCard, VersionField, versionOf, type RecordConflictView } from './record-conflict'

const CRITERIA = '/staff/admin/criteria'
const INSURANCES = '/staff/admin/insurances'
const TEXTS = '/staff/admin/portal-texts'
const CONSENTS = '/staff/admin/consents'
const enc = encodeURIComponent
type Values = Record<string, string>

/** Writes a change's audit entry through `ports` (the change's own transaction when it is one). */
function auditTo(ports: StoragePortSet, c: Context<AppEnv>, actor: Actor, action: string, kind: string, id: string, before: object | undefined, after: object | undefined): Promise<void> {
  return recordStaffChanges(ports, actor, c.var.ctx.clock.now(), [staffDiff(action, { kind, id }, before, after)])
}

async function audit(c: Context<AppEnv>, actor: Actor, action: string, kind: string, id: string, before: object | undefined, after: object | undefined) {
  await c.var.ctx.storage.transaction(actor.siteId, (tx) => auditTo(tx, c, actor, action, kind, id, before, after))
}

/** {@link changeRecordChecked} for the request's site and language. */
function changeChecked(c: Context<AppEnv>, ref: RecordRef, version: string | undefined, reload: string, labels: Record<string, string>, change: (tx: StoragePortSet) => Promise<void>): Promise<RecordConflictView | undefined> {
  return changeRecordChecked(c.var.ctx.storage, c.var.lang, actorOfRequest(c).siteId, { ref, version, reload, labels }, change)
}

function gate(c: Context<AppEnv>) {
  return refused(c, 'site.edit', { siteId: actorOfRequest(c).siteId })
}

/** The criterion form's field labels (its errors and a conflict's fields). */
const criterionLabels = (lang: Lang): Record<string, string> => ({ label: t(lang, 'staff.criteria.label'), appliesTo: t(lang, 'staff.criteria.appliesTo'), allowedValues: t(lang, 'staff.criteria.values') })

/** The insurance form's field labels. */
const insuranceLabels = (lang: Lang): Record<string, string> => ({ label: t(lang, 'staff.insurances.label'), visible: t(lang, 'staff.insurances.visible') })

/** The values typed one per line, blank lines dropped. */
function lines(text: string | undefined): string[] {
  return (text ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0)
}

/** Mounts the administration lists. */
export function adminListRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const dir = (c: Context<AppEnv>) => c.var.ctx.storage.directory!

  // ---------- criteria ----------

  async function criteriaPage(c: Context<AppEnv>, opts: { edit?: CustomAttribute; values?: Values; errors?: FieldErrors; done?: string; conflict?: RecordConflictView } = {}) {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const list = await readAll((a) => dir(c).listDirectoryRecords(actor.siteId, 'customAttribute', page(a)))
    const v: Values = opts.values ?? (opts.edit ? { label: opts.edit.label, appliesTo: opts.edit.appliesTo, allowedValues: opts.edit.allowedValues.join('\n') } : { label: '', appliesTo: 'child', allowedValues: '' })
    const L = { label: t(lang, 'staff.criteria.label'), appliesTo: t(lang, 'staff.criteria.appliesTo'), allowedValues: t(lang, 'staff.criteria.values') }
    const notice = opts.conflict ? { kind: 'error' as const, text: opts.conflict.text } : opts.errors ? { kind: 'error' as const, text: t(lang, 'staff.form.nothingSaved') } : opts.done ? { kind: 'ok' as const, text: opts.done } : undefined
    const valuesError = opts.errors?.['allowedValues']
    return html(c,
      <Page c={c} title={t(lang, 'staff.criteria.title')} current={CRITERIA} notice={notice}>
        {list.length === 0 ? <p>{t(lang, 'staff.criteria.none')}</p> : (
          <table class="criteria">
            <thead><tr><th scope="col">{L.label}</th><th scope="col">{L.appliesTo}</th><th scope="col">{L.allowedValues}</th><th scope="col"></th></tr></thead>
            <tbody>{list.map((a) => (
              <tr><td><a href={`${CRITERIA}?edit=${enc(a.id)}`}>{a.label}</a></td><td>{t(lang, `staff.criteria.for.${a.appliesTo}`)}</td><td>{a.allowedValues.join(', ')}</td><td><a href={`${CRITERIA}/${enc(a.id)}/delete`}>{t(lang, 'staff.lists.delete')}</a></td></tr>
            ))}</tbody>
          </table>
        )}
        <h2>{opts.edit ? t(lang, 'staff.criteria.edit', { label: opts.edit.label }) : t(lang, 'staff.criteria.new')}</h2>
        {opts.conflict ? <RecordConflictCard lang={lang} conflict={opts.conflict} /> : null}
        <form method="post" action={opts.edit ? `${CRITERIA}/${enc(opts.edit.id)}` : CRITERIA} class="card" novalidate>
          <CsrfField session={c.var.session} />
          {opts.edit ? <VersionField version={opts.conflict?.version ?? versionOf(opts.edit)} /> : null}
          <ErrorSummary lang={lang} errors={opts.errors} />
          <CheckedField label={L.label} name="label" value={v['label']} required errors={opts.errors} />
          <fieldset>
            <legend>{L.appliesTo}</legend>
            {(['child', 'guardian'] as const).map((k) => <p class="choice"><label><input type="radio" name="appliesTo" value={k} checked={v['appliesTo'] === k} /> {t(lang, `staff.criteria.for.${k}`)}</label></p>)}
          </fieldset>
          <p class={valuesError ? 'field invalid' : 'field'}>
            <label for="f-allowedValues">{L.allowedValues}</label>
            <textarea id="f-allowedValues" name="allowedValues" rows={5} aria-describedby="f-allowedValues-hint" aria-invalid={valuesError ? 'true' : undefined}>{v['allowedValues']}</textarea>
            <small id="f-allowedValues-hint" class="hint">{t(lang, 'staff.criteria.valuesHint')}</small>
            {valuesError ? <strong id="f-allowedValues-error" class="field-error">{valuesError}</strong> : null}
          </p>
          <button type="submit">{t(lang, 'staff.lists.save')}</button>
        </form>
      </Page>,
      opts.conflict ? 409 : opts.errors ? 400 : 200,
    )
  }

  async function saveCriterion(c: Context<AppEnv>, existing: CustomAttribute | undefined) {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const v = formValues(await c.req.parseBody())
    const raw = (await c.req.parseBody())['allowedValues']
    v['allowedValues'] = typeof raw === 'string' ? raw : ''
    try {
      const attribute = parseInput(CustomAttributeSchema, { id: existing?.id ?? `crit-${randomUUID()}`, siteId: actor.siteId, label: v['label'] ?? '', appliesTo: v['appliesTo'] ?? '', allowedValues: lines(v['allowedValues']) }, 'criterion')
      // saved only as the form read it (its version), with its audit entry, in one transaction
      const conflict = await changeChecked(c, { kind: 'customAttribute', id: attribute.id }, existing ? v['version'] : undefined, `${CRITERIA}?edit=${enc(attribute.id)}`, criterionLabels(lang), async (tx) => {
        await tx.directory!.putDirectoryRecord(actor.siteId, 'customAttribute', attribute)
        await auditTo(tx, c, actor, existing ? 'criterion.edited' : 'criterion.created', 'customAttribute', attribute.id, existing, attribute)
      })
      if (conflict) {
        const current = await dir(c).getDirectoryRecord(actor.siteId, 'customAttribute', attribute.id)
        return criteriaPage(c, { ...(current ? { edit: current } : {}), values: v, conflict })
      }
      return c.redirect(`${CRITERIA}?done=saved`, 303)
    } catch (error) {
      const errors = fieldErrorsOf(lang, error, criterionLabels(lang))
      if (errors) {
        // a problem with one value (`allowedValues.2`) belongs to the values' field
        const fixed: FieldErrors = {}
        for (const [k, text] of Object.entries(errors)) fixed[/^\d+$/.test(k) || k === '_form' ? 'allowedValues' : k] ??= text
        return criteriaPage(c, { ...(existing ? { edit: existing } : {}), values: v, errors: fixed })
      }
      throw error
    }
  }

  async function peopleWith(c: Context<AppEnv>, attribute: CustomAttribute): Promise<number> {
    const siteId = actorOfRequest(c).siteId
    const people = attribute.appliesTo === 'child' ? await allRecords(c.var.ctx.storage, siteId, 'child') : await allRecords(c.var.ctx.storage, siteId, 'guardian')
    return people.filter((p) => Object.hasOwn(p.attributes, attribute.id)).length
  }

  app.get('/admin/criteria', async (c) => {
    const no = gate(c)
    if (no) return no
    const editId = c.req.query('edit')
    const edit = editId ? await dir(c).getDirectoryRecord(actorOfRequest(c).siteId, 'customAttribute', editId) : undefined
    const done = c.req.query('done')
    return criteriaPage(c, { ...(edit ? { edit } : {}), ...(done === 'saved' || done === 'deleted' ? { done: t(c.var.lang, `staff.lists.done.${done}`) } : {}) })
  })
  app.post('/admin/criteria', async (c) => {
    const no = gate(c)
    if (no) return no
    return saveCriterion(c, undefined)
  })
  app.post('/admin/criteria/:id', async (c) => {
    const no = gate(c)
    if (no) return no
    const existing = await dir(c).getDirectoryRecord(actorOfRequest(c).siteId, 'customAttribute', c.req.param('id'))
    if (!existing) return c.notFound()
    return saveCriterion(c, existing)
  })
  app.get('/admin/criteria/:id/delete', async (c) => {
    const { lang } = c.var
    const no = gate(c)
    if (no) return no
    const attribute = await dir(c).getDirectoryRecord(actorOfRequest(c).siteId, 'customAttribute', c.req.param('id'))
    if (!attribute) return c.notFound()
    return html(c,
      <Page c={c} title={t(lang, 'staff.lists.delete')} current={CRITERIA}>
        <p>{t(lang, 'staff.criteria.deleteConfirm', { label: attribute.label, count: await peopleWith(c, attribute) })}</p>
        <form method="post" action={`${CRITERIA}/${enc(attribute.id)}/delete`}>
          <CsrfField session={c.var.session} />
          <VersionField version={versionOf(attribute)} />
          <button type="submit">{t(lang, 'staff.lists.deleteYes')}</button> <a href={CRITERIA}>{t(lang, 'staff.smtp.cancel')}</a>
        </form>
      </Page>,
    )
  })
  app.post('/admin/criteria/:id/delete', async (c) => {
    const no = gate(c)
    if (no) return no
    const actor = actorOfRequest(c)
    const attribute = await dir(c).getDirectoryRecord(actor.siteId, 'customAttribute', c.req.param('id'))
    if (!attribute) return c.notFound()
    // deleted only as the confirmation showed it, with its audit entry
    const version = formValues(await c.req.parseBody())['version']
    const conflict = await changeChecked(c, { kind: 'customAttribute', id: attribute.id }, version, `${CRITERIA}?edit=${enc(attribute.id)}`, criterionLabels(c.var.lang), async (tx) => {
      await tx.directory!.deleteDirectoryRecord(actor.siteId, 'customAttribute', attribute.id)
      await auditTo(tx, c, actor, 'criterion.deleted', 'customAttribute', attribute.id, attribute, {})
    })
    if (conflict) return criteriaPage(c, { edit: (await dir(c).getDirectoryRecord(actor.siteId, 'customAttribute', attribute.id)) ?? attribute, conflict })
    return c.redirect(`${CRITERIA}?done=deleted`, 303)
  })

  // ---------- insurances ----------

  async function insurancesPage(c: Context<AppEnv>, opts: { values?: Values; errors?: FieldErrors; error?: string; done?: string; conflict?: RecordConflictView } = {}) {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const list = await readAll((a) => dir(c).listDirectoryRecords(actor.siteId, 'insurance', page(a)))
    const notice = opts.conflict ? { kind: 'error' as const, text: opts.conflict.text } : opts.error ? { kind: 'error' as const, text: opts.error } : opts.errors ? { kind: 'error' as const, text: t(lang, 'staff.form.nothingSaved') } : opts.done ? { kind: 'ok' as const, text: opts.done } : undefined
    return html(c,
      <Page c={c} title={t(lang, 'staff.insurances.title')} current={INSURANCES} notice={notice}>
        {opts.conflict ? <RecordConflictCard lang={lang} conflict={opts.conflict} /> : null}
        {list.length === 0 ? <p>{t(lang, 'staff.insurances.none')}</p> : (
          <table class="insurances">
            <thead><tr><th scope="col">{t(lang, 'staff.insurances.label')}</th><th scope="col">{t(lang, 'staff.insurances.visible')}</th><th scope="col"></th></tr></thead>
            <tbody>{list.map((i) => (
              <tr>
                <td>{i.label}</td>
                <td>
                  <form method="post" action={`${INSURANCES}/${enc(i.id)}`} class="inline">
                    <CsrfField session={c.var.session} />
                    <VersionField version={versionOf(i)} />
                    <input type="hidden" name="label" value={i.label} />
                    <input type="hidden" name="visible" value={i.visible ? '' : 'on'} />
                    {t(lang, i.visible ? 'staff.insurances.shown' : 'staff.insurances.hidden')}{' '}
                    <button type="submit" class="secondary">{t(lang, i.visible ? 'staff.insurances.hide' : 'staff.insurances.show')}</button>
                  </form>
                </td>
                <td><a href={`${INSURANCES}/${enc(i.id)}/delete`}>{t(lang, 'staff.lists.delete')}</a></td>
              </tr>
            ))}</tbody>
          </table>
        )}
        <h2>{t(lang, 'staff.insurances.new')}</h2>
        <form method="post" action={INSURANCES} class="card" novalidate>
          <CsrfField session={c.var.session} />
          <ErrorSummary lang={lang} errors={opts.errors} />
          <CheckedField label={t(lang, 'staff.insurances.label')} name="label" value={opts.values?.['label']} required errors={opts.errors} />
          <p class="choice"><label><input type="checkbox" name="visible" value="on" checked={(opts.values?.['visible'] ?? 'on') === 'on'} /> {t(lang, 'staff.insurances.visible')}</label></p>
          <button type="submit">{t(lang, 'staff.lists.save')}</button>
        </form>
      </Page>,
      opts.conflict ? 409 : opts.errors || opts.error ? 400 : 200,
    )
  }

  async function saveInsurance(c: Context<AppEnv>, existing: Insurance | undefined) {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const v = formValues(await c.req.parseBody())
    try {
      const insurance = parseInput(InsuranceSchema, { id: existing?.id ?? `ins-${randomUUID()}`, siteId: actor.siteId, label: v['label'] ?? '', visible: v['visible'] === 'on' }, 'insurance')
      // shown or hidden only as the list showed it (its version), with its audit entry, in one transaction
      const conflict = await changeChecked(c, { kind: 'insurance', id: insurance.id }, existing ? v['version'] : undefined, INSURANCES, insuranceLabels(lang), async (tx) => {
        await tx.directory!.putDirectoryRecord(actor.siteId, 'insurance', insurance)
        await auditTo(tx, c, actor, existing ? 'insurance.edited' : 'insurance.created', 'insurance', insurance.id, existing, insurance)
      })
      if (conflict) return insurancesPage(c, { conflict })
      return c.redirect(`${INSURANCES}?done=saved`, 303)
    } catch (error) {
      const errors = fieldErrorsOf(lang, error, { label: t(lang, 'staff.insurances.label') })
      if (errors) return insurancesPage(c, { values: v, errors })
      throw error
    }
  }

  async function holders(c: Context<AppEnv>, insuranceId: string): Promise<string[]> {
    return (await insuranceHolders(c.var.ctx.storage, actorOfRequest(c).siteId, insuranceId)).map(fullName)
  }

  app.get('/admin/insurances', async (c) => {
    const no = gate(c)
    if (no) return no
    const done = c.req.query('done')
    return insurancesPage(c, done === 'saved' || done === 'deleted' ? { done: t(c.var.lang, `staff.lists.done.${done}`) } : {})
  })
  app.post('/admin/insurances', async (c) => {
    const no = gate(c)
    if (no) return no
    return saveInsurance(c, undefined)
  })
  app.post('/admin/insurances/:id', async (c) => {
    const no = gate(c)
    if (no) return no
    const existing = await dir(c).getDirectoryRecord(actorOfRequest(c).siteId, 'insurance', c.req.param('id'))
    if (!existing) return c.notFound()
    return saveInsurance(c, existing)
  })
  app.get('/admin/insurances/:id/delete', async (c) => {
    const { lang } = c.var
    const no = gate(c)
    if (no) return no
    const insurance = await dir(c).getDirectoryRecord(actorOfRequest(c).siteId, 'insurance', c.req.param('id'))
    if (!insurance) return c.notFound()
    const who = await holders(c, insurance.id)
    if (who.length > 0) return insurancesPage(c, { error: t(lang, 'staff.insurances.inUse', { label: insurance.label, names: who.join(', ') }) })
    return html(c,
      <Page c={c} title={t(lang, 'staff.lists.delete')} current={INSURANCES}>
        <p>{t(lang, 'staff.insurances.deleteConfirm', { label: insurance.label })}</p>
        <form method="post" action={`${INSURANCES}/${enc(insurance.id)}/delete`}>
          <CsrfField session={c.var.session} />
          <VersionField version={versionOf(insurance)} />
          <button type="submit">{t(lang, 'staff.lists.deleteYes')}</button> <a href={INSURANCES}>{t(lang, 'staff.smtp.cancel')}</a>
        </form>
      </Page>,
    )
  })
  app.post('/admin/insurances/:id/delete', async (c) => {
    const { lang } = c.var
    const no = gate(c)
    if (no) return no
    const actor = actorOfRequest(c)
    const insurance = await dir(c).getDirectoryRecord(actor.siteId, 'insurance', c.req.param('id'))
    if (!insurance) return c.notFound()
    // deleted only as the confirmation showed it, with its audit entry; its holders are read under
    // the insurance's lock, the one a guardian's file takes to add it (setGuardianInsuranceAs), so
    // an insurance added to a file meanwhile is seen here and kept
    const version = formValues(await c.req.parseBody())['version']
    let who: string[] = []
    const conflict = await changeChecked(c, { kind: 'insurance', id: insurance.id }, version, INSURANCES, insuranceLabels(lang), async (tx) => {
      who = (await insuranceHolders(tx, actor.siteId, insurance.id)).map(fullName)
      if (who.length > 0) return
      await tx.directory!.deleteDirectoryRecord(actor.siteId, 'insurance', insurance.id)
      await auditTo(tx, c, actor, 'insurance.deleted', 'insurance', insurance.id, insurance, {})
    })
    if (conflict) return insurancesPage(c, { conflict })
    if (who.length > 0) return insurancesPage(c, { error: t(lang, 'staff.insurances.inUse', { label: insurance.label, names: who.join(', ') }) })
    return c.redirect(`${INSURANCES}?done=deleted`, 303)
  })

  // ---------- portal texts ----------

  async function textsPage(c: Context<AppEnv>, opts: { values?: Values; errors?: FieldErrors; done?: string } = {}) {
    const { lang } = c.var
    const site = await readSite({ directory: dir(c) }, actorOfRequest(c).siteId)
    const notice = opts.errors ? { kind: 'error' as const, text: t(lang, 'staff.form.nothingSaved') } : opts.done ? { kind: 'ok' as const, text: opts.done } : undefined
    return html(c,
      <Page c={c} title={t(lang, 'staff.texts.title')} current={TEXTS} notice={notice}>
        <p>{t(lang, 'staff.texts.intro')}</p>
        <form method="post" action={TEXTS} class="card portal-texts" novalidate>
          <CsrfField session={c.var.session} />
          <ErrorSummary lang={lang} errors={opts.errors} />
          {PORTAL_TEXT_KEYS.map((key) => (
            <fieldset>
              <legend>{t(lang, `staff.texts.key.${key}`)}</legend>
              {PORTAL_LANGUAGES.map((l) => {
                const name = `${key}.${l}`
                const error = opts.errors?.[name]
                return (
                  <p class={error ? 'field invalid' : 'field'}>
                    <label for={`f-${key}-${l}`}>{LANGUAGE_NAMES[l]}</label>
                    <textarea id={`f-${key}-${l}`} name={name} rows={3} lang={l} aria-invalid={error ? 'true' : undefined}>{opts.values?.[name] ?? site.portalTexts[key]?.[l] ?? ''}</textarea>
                    {error ? <strong class="field-error">{error}</strong> : null}
                  </p>
                )
              })}
            </fieldset>
          ))}
          <button type="submit">{t(lang, 'staff.lists.save')}</button>
        </form>
      </Page>,
      opts.errors ? 400 : 200,
    )
  }

  app.get('/admin/portal-texts', async (c) => {
    const no = gate(c)
    if (no) return no
    return textsPage(c, c.req.query('done') === 'saved' ? { done: t(c.var.lang, 'staff.texts.done') } : {})
  })
  app.post('/admin/portal-texts', async (c) => {
    const { lang } = c.var
    const no = gate(c)
    if (no) return no
    const actor = actorOfRequest(c)
    const body = await c.req.parseBody()
    const values: Values = {}
    const texts: Record<string, Record<string, string>> = {}
    for (const key of PORTAL_TEXT_KEYS) {
      for (const l of PORTAL_LANGUAGES) {
        const raw = body[`${key}.${l}`]
        const text = typeof raw === 'string' ? raw.trim() : ''
        values[`${key}.${l}`] = text
        if (text) (texts[key] ??= {})[l] = text
      }
    }
    const before = await readSite({ directory: dir(c) }, actor.siteId)
    const { smtp: _smtp, id: _id, ...settings } = before
    try {
      const after = await saveSiteSettings({ directory: dir(c) }, actor.siteId, { ...(settings as Omit<SiteInput, 'id'>), portalTexts: texts })
      await audit(c, actor, 'site.portalTexts', 'site', actor.siteId, { portalTexts: before.portalTexts }, { portalTexts: after.portalTexts })
      return c.redirect(`${TEXTS}?done=saved`, 303)
    } catch (error) {
      if (!isEcoleError(error)) throw error
      // each issue's path is site.portalTexts.<key>.<lang>: shown under that text
      const errors: FieldErrors = {}
      for (const issue of (error.details as { issues?: Array<{ path: string; message: string }> } | undefined)?.issues ?? []) {
        const [key, l] = issue.path.split('.').slice(-2) as [string, keyof typeof LANGUAGE_NAMES]
        errors[`${key}.${l}`] = `${t(lang, `staff.texts.key.${key}` as never)}, ${LANGUAGE_NAMES[l] ?? l}${lang === 'fr' ? ' :' : ':'} ${ruleText(lang, issue.message)}`
      }
      return textsPage(c, { values, errors })
    }
  })

  // ---------- consents and who accepted them (src/staff/admin-consents.tsx) ----------
  app.route('/', adminConsentRoutes())

  return app
}
