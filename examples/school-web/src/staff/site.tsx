/**
 * The site screen of the back office (seed 000, « Plessi e Licenza »), at `/staff/admin/site`:
 * every field of the plesso (name, country setting the time zone, city, address, province,
 * postcode, phone, fax, e-mail, PEC, website, VAT number), the advanced options (supplier
 * e-invoices shown in purchases, attendance from the browser), the licence limits (maximum pupils,
 * enforced by `enrol`; storage in GB; empty = unlimited) saved by `saveSiteSettings`; and the
 * site's own SMTP account, tried before it is saved (`saveSmtpSettings`: connect, authenticate and,
 * when an address is given, a test message; on failure nothing is saved and the page says which
 * step failed, in the user's language) or removed after a confirmation. Everything takes
 * `settings.site` (action `site.edit`); every change goes into the audit trail; a bad field is
 * shown beside that field in the user's language and nothing is stored.
 */
import { Hono, type Context } from 'hono'
import {
  auditChanges, COUNTRY_TIME_ZONES, mailerCheckText, SMTP_SECURITY, type Actor, type SiteInput, type SiteView,
} from '@ecole/core'
import { checkRecordVersion, readSite, removeSmtpSettings, saveSiteSettings, saveSmtpSettings } from '@ecole/workflows'
import { forgetSiteFacts } from '../site-facts'
import type { AppEnv } from '../env'
import { t, type Lang } from '../i18n'
import { CsrfField } from '../views/layout'
import { html } from '../views/render'
import { CheckedField, ErrorSummary, fieldErrorsOf, type FieldErrors } from './field-errors'
import { formValues } from './form-fields'
import { actorOfRequest, Page, refused } from './routes'
import { RecordConflictCard, recordConflictView, VersionField, versionOf, type RecordConflictView } from './record-conflict'
import { recordStaffChanges } from './staff-audit'

const BASE = '/staff/admin/site'
type Values = Record<string, string>

const SITE_FIELDS = ['name', 'country', 'address', 'city', 'province', 'postcode', 'phone', 'fax', 'email', 'pec', 'website', 'vatNumber', 'maxPupils', 'maxStorageGb'] as const
const SMTP_FIELDS = ['host', 'port', 'security', 'username', 'password', 'fromAddress', 'fromName', 'testTo'] as const

function labels(lang: Lang, fields: readonly string[], prefix: 'site' | 'smtp'): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f, t(lang, `staff.${prefix}.field.${f}` as never)]))
}

/** The site's form values as stored. */
function valuesOf(site: SiteView): Values {
  const c = site.contact
  return {
    name: site.name, country: site.country, address: c.address ?? '', city: c.city ?? '', province: c.province ?? '', postcode: c.postcode ?? '',
    phone: c.phone ?? '', fax: c.fax ?? '', email: c.email ?? '', pec: c.pec ?? '', website: site.website ?? '', vatNumber: site.vatNumber ?? '',
    supplierEInvoices: site.options.supplierEInvoices ? 'on' : '', browserAttendance: site.options.browserAttendance ? 'on' : '',
    maxPupils: site.licence.maxPupils === null ? '' : String(site.licence.maxPupils),
    maxStorageGb: site.licence.maxStorageGb === null ? '' : String(site.licence.maxStorageGb),
  }
}

/**
 * The library's input from the form, keeping what this form does not edit (logo, portal texts).
 * The time zone is the country's (seed 000: « le choix du pays définira le fuseau horaire »).
 */
function inputOf(v: Values, site: SiteView): Omit<SiteInput, 'id'> {
  const opt = (k: string) => v[k] || undefined
  return {
    name: v['name'] ?? '', country: (v['country'] ?? '').toUpperCase(), logo: site.logo, portalTexts: site.portalTexts,
    contact: { address: opt('address'), city: opt('city'), province: opt('province'), postcode: opt('postcode'), phone: opt('phone'), fax: opt('fax'), email: opt('email'), pec: opt('pec') },
    website: opt('website'), vatNumber: opt('vatNumber'),
    options: { supplierEInvoices: v['supplierEInvoices'] === 'on', browserAttendance: v['browserAttendance'] === 'on' },
    licence: { maxPupils: v['maxPupils'] ?? '', maxStorageGb: (v['maxStorageGb'] ?? '').replace(',', '.') },
  }
}

function countryName(lang: Lang, code: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code
  } catch {
    return code
  }
}

function settingsOf(site: SiteView): Record<string, unknown> {
  const { smtp: _smtp, ...rest } = site
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>
}

async function audit(c: Context<AppEnv>, actor: Actor, action: string, before: Record<string, unknown>, after: Record<string, unknown>) {
  const { ctx } = c.var
  const diff = auditChanges(before, after)
  await ctx.storage.transaction(actor.siteId, (tx) => recordStaffChanges(tx, actor, ctx.clock.now(), [{ action, subject: { kind: 'site', id: actor.siteId }, before: diff.before, after: diff.after }]))
}

/** Mounts the site screen, its two forms and the SMTP removal. */
export function siteRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const portsOf = (c: Context<AppEnv>) => ({ directory: c.var.ctx.storage.directory!, mailer: c.var.ctx.mailer, secrets: c.var.ctx.secrets })

  async function show(c: Context<AppEnv>, opts: { values?: Values; errors?: FieldErrors; smtpValues?: Values; smtpErrors?: FieldErrors; smtpFailure?: string; done?: string; conflict?: RecordConflictView } = {}) {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const site = await readSite(portsOf(c), actor.siteId)
    const v = opts.values ?? valuesOf(site)
    const e = opts.errors
    const sv: Values = opts.smtpValues ?? {
      host: site.smtp?.host ?? '', port: site.smtp ? String(site.smtp.port) : '465', security: site.smtp?.security ?? 'ssl', username: site.smtp?.username ?? '',
      fromAddress: site.smtp?.fromAddress ?? '', fromName: site.smtp?.fromName ?? '', testTo: '',
    }
    const failed = e !== undefined || opts.smtpErrors !== undefined || opts.smtpFailure !== undefined
    const notice = opts.conflict ? { kind: 'error' as const, text: opts.conflict.text } : opts.smtpFailure ? { kind: 'error' as const, text: opts.smtpFailure } : failed ? { kind: 'error' as const, text: t(lang, 'staff.form.nothingSaved') } : opts.done ? { kind: 'ok' as const, text: opts.done } : undefined
    const countries = Object.keys(COUNTRY_TIME_ZONES).map((code) => ({ code, name: countryName(lang, code) })).sort((a, b) => a.name.localeCompare(b.name, lang))
    const country = (v['country'] ?? '').toUpperCase()
    const zone = COUNTRY_TIME_ZONES[country] ?? site.timeZone
    const L = labels(lang, SITE_FIELDS, 'site')
    const SL = labels(lang, SMTP_FIELDS, 'smtp')
    const field = (name: (typeof SITE_FIELDS)[number], extra: { type?: string; required?: boolean; hint?: string; inputmode?: 'numeric' | 'decimal' | 'email' | 'tel' | 'url' } = {}) =>
      <CheckedField label={L[name]!} name={name} value={v[name]} errors={e} {...extra} />
    return html(c,
      <Page c={c} title={t(lang, 'staff.site.title')} current={BASE} notice={notice}>
        {opts.conflict ? <RecordConflictCard lang={lang} conflict={opts.conflict} /> : null}
        <form method="post" action={BASE} class="card site-form" novalidate>
          <CsrfField session={c.var.session} />
          <VersionField version={opts.conflict ? opts.conflict.version : v['version'] || versionOf(await c.var.ctx.storage.directory!.getSite(actor.siteId))} />
          <ErrorSummary lang={lang} errors={e} />
          <fieldset>
            <legend>{t(lang, 'staff.site.general')}</legend>
            {field('name', { required: true })}
            <p class={e?.['country'] ? 'field invalid' : 'field'}>
              <label for="f-country">{L['country']}</label>
              <select id="f-country" name="country" required aria-describedby="f-country-hint">
                {countries.map((k) => <option value={k.code} selected={k.code === country}>{k.name}</option>)}
              </select>
              <small id="f-country-hint" class="hint">{t(lang, 'staff.site.timeZone', { zone })}</small>
              {e?.['country'] ? <strong class="field-error">{e['country']}</strong> : null}
            </p>
          </fieldset>
          <fieldset>
            <legend>{t(lang, 'staff.site.contact')}</legend>
            <p class="hint">{t(lang, 'staff.site.contactHint')}</p>
            {field('city')}
            {field('address')}
            {field('province')}
            {field('postcode')}
            {field('phone', { type: 'tel', inputmode: 'tel' })}
            {field('fax', { type: 'tel', inputmode: 'tel' })}
            {field('email', { type: 'email', inputmode: 'email' })}
            {field('pec', { type: 'email', inputmode: 'email' })}
            {field('website', { type: 'url', inputmode: 'url', hint: t(lang, 'staff.site.websiteHint') })}
            {field('vatNumber')}
          </fieldset>
          <fieldset>
            <legend>{t(lang, 'staff.site.options')}</legend>
            {(['supplierEInvoices', 'browserAttendance'] as const).map((o) => (
              <p class="choice">
                <label><input type="checkbox" name={o} value="on" checked={v[o] === 'on'} /> {t(lang, `staff.site.option.${o}`)}</label>
                <small class="hint">{t(lang, `staff.site.option.${o}.hint`)}</small>
              </p>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t(lang, 'staff.site.licence')}</legend>
            <p class="hint">{t(lang, 'staff.site.licenceHint')}</p>
            {field('maxPupils', { inputmode: 'numeric' })}
            {field('maxStorageGb', { inputmode: 'decimal' })}
          </fieldset>
          <button type="submit">{t(lang, 'staff.site.save')}</button>
        </form>

        <section aria-labelledby="smtp">
          <h2 id="smtp">{t(lang, 'staff.site.smtp')}</h2>
          <p>{site.smtp
            ? t(lang, 'staff.site.smtpOn', { from: site.smtp.fromAddress ?? site.smtp.username, host: site.smtp.host })
            : t(lang, 'staff.site.smtpOff', { from: c.var.ctx.mailer.platformAddress ?? '' })}</p>
          <form method="post" action={`${BASE}/smtp`} class="card" novalidate>
            <CsrfField session={c.var.session} />
            <ErrorSummary lang={lang} errors={opts.smtpErrors} />
            <CheckedField label={SL['host']!} name="host" value={sv['host']} required errors={opts.smtpErrors} />
            <CheckedField label={SL['port']!} name="port" value={sv['port']} required inputmode="numeric" errors={opts.smtpErrors} />
            <p class="field">
              <label for="f-security">{SL['security']}</label>
              <select id="f-security" name="security">
                {SMTP_SECURITY.map((s) => <option value={s} selected={sv['security'] === s}>{t(lang, `staff.smtp.security.${s}`)}</option>)}
              </select>
            </p>
            <CheckedField label={SL['username']!} name="username" value={sv['username']} required autocomplete="off" errors={opts.smtpErrors} />
            <CheckedField label={SL['password']!} name="password" type="password" required autocomplete="new-password" errors={opts.smtpErrors}
              hint={site.smtp ? t(lang, 'staff.smtp.passwordSet') : undefined} />
            <CheckedField label={SL['fromAddress']!} name="fromAddress" value={sv['fromAddress']} type="email" errors={opts.smtpErrors} />
            <CheckedField label={SL['fromName']!} name="fromName" value={sv['fromName']} errors={opts.smtpErrors} />
            <CheckedField label={SL['testTo']!} name="testTo" value={sv['testTo']} type="email" errors={opts.smtpErrors} hint={t(lang, 'staff.smtp.testHint')} />
            <button type="submit">{t(lang, 'staff.smtp.save')}</button>
          </form>
          {site.smtp ? <p><a href={`${BASE}/smtp/remove`}>{t(lang, 'staff.smtp.remove')}</a></p> : null}
        </section>
      </Page>,
      opts.conflict ? 409 : failed ? 400 : 200,
    )
  }

  app.get('/admin/site', async (c) => {
    const actor = actorOfRequest(c)
    const denied = refused(c, 'site.edit', { siteId: actor.siteId })
    if (denied) return denied
    const done = c.req.query('done')
    return show(c, done === 'saved' || done === 'smtp' || done === 'smtpTested' || done === 'smtpRemoved' ? { done: t(c.var.lang, `staff.site.done.${done}`) } : {})
  })

  app.post('/admin/site', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'site.edit', { siteId: actor.siteId })
    if (denied) return denied
    const v = formValues(await c.req.parseBody())
    const { ctx } = c.var
    try {
      // the site read, checked against the version the form was opened with, saved and audited in one transaction
      await ctx.storage.transaction(actor.siteId, async (tx) => {
        const ref = { kind: 'site' as const, id: actor.siteId }
        await checkRecordVersion(tx, actor.siteId, ref, v['version'] || undefined)
        const ports = { directory: tx.directory! }
        const before = await readSite(ports, actor.siteId)
        const after = await saveSiteSettings(ports, actor.siteId, inputOf(v, before))
        const diff = auditChanges(settingsOf(before), settingsOf(after))
        await recordStaffChanges(tx, actor, ctx.clock.now(), [{ action: 'site.edited', subject: ref, before: diff.before, after: diff.after }])
      })
      forgetSiteFacts(ctx) // the next page reads the new name, country and zone
      return c.redirect(`${BASE}?done=saved`, 303)
    } catch (error) {
      const conflict = await recordConflictView(ctx.storage, lang, actor.siteId, error, { ref: { kind: 'site', id: actor.siteId }, reload: BASE, labels: labels(lang, SITE_FIELDS, 'site') as Record<string, string> })
      if (conflict) return show(c, { values: v, conflict })
      const errors = fieldErrorsOf(lang, error, labels(lang, SITE_FIELDS, 'site'))
      if (errors) return show(c, { values: v, errors })
      throw error
    }
  })

  app.post('/admin/site/smtp', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'site.edit', { siteId: actor.siteId })
    if (denied) return denied
    const v = formValues(await c.req.parseBody())
    const { password: _password, ...shown } = v
    try {
      const testTo = v['testTo'] || undefined
      if (testTo !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(testTo)) {
        return show(c, { smtpValues: shown, smtpErrors: { testTo: `${t(lang, 'staff.smtp.field.testTo')}${lang === 'fr' ? ' :' : ':'} ${t(lang, 'staff.form.rule.email')}` } })
      }
      const before = (await readSite(portsOf(c), actor.siteId)).smtp
      const r = await saveSmtpSettings(portsOf(c), {
        siteId: actor.siteId, testMessageTo: testTo,
        input: { host: v['host'] ?? '', port: v['port'] ?? '', username: v['username'] ?? '', password: v['password'] ?? '', security: (v['security'] ?? '') as 'ssl', fromAddress: v['fromAddress'] || undefined, fromName: v['fromName'] || undefined },
      })
      if (!r.ok) return show(c, { smtpValues: shown, smtpFailure: `${t(lang, 'staff.smtp.failed')} ${mailerCheckText(r, lang)}` })
      await audit(c, actor, 'site.smtp.saved', { smtp: before ?? null }, { smtp: r.smtp })
      return c.redirect(`${BASE}?done=${testTo ? 'smtpTested' : 'smtp'}`, 303)
    } catch (error) {
      const errors = fieldErrorsOf(lang, error, labels(lang, SMTP_FIELDS, 'smtp'))
      if (errors) return show(c, { smtpValues: shown, smtpErrors: errors })
      throw error
    }
  })

  app.get('/admin/site/smtp/remove', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'site.edit', { siteId: actor.siteId })
    if (denied) return denied
    const site = await readSite(portsOf(c), actor.siteId)
    if (!site.smtp) return c.redirect(BASE, 303)
    return html(c,
      <Page c={c} title={t(lang, 'staff.smtp.remove')} current={BASE}>
        <p>{t(lang, 'staff.smtp.removeConfirm', { host: site.smtp.host, from: site.smtp.fromAddress ?? site.smtp.username, platform: c.var.ctx.mailer.platformAddress ?? '' })}</p>
        <form method="post" action={`${BASE}/smtp/remove`}>
          <CsrfField session={c.var.session} />
          <button type="submit">{t(lang, 'staff.smtp.removeYes')}</button> <a href={BASE}>{t(lang, 'staff.smtp.cancel')}</a>
        </form>
      </Page>,
    )
  })

  app.post('/admin/site/smtp/remove', async (c) => {
    const actor = actorOfRequest(c)
    const denied = refused(c, 'site.edit', { siteId: actor.siteId })
    if (denied) return denied
    const before = (await readSite(portsOf(c), actor.siteId)).smtp
    await removeSmtpSettings(portsOf(c), actor.siteId)
    if (before) await audit(c, actor, 'site.smtp.removed', { smtp: before }, { smtp: null })
    return c.redirect(`${BASE}?done=smtpRemoved`, 303)
  })

  return app
}
