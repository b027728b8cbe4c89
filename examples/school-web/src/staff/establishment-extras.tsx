/**
 * The rest of seed 003 on the establishment screen:
 *
 * - `/staff/admin/establishment/labels` (« Modifier les masques de saisie »): a diploma chosen in a
 *   list, its input labels typed over the defaults (`setDiplomaLabels`), an emptied label back to its
 *   default, and « réinitialiser » putting every label of the diploma back (`resetDiplomaLabels`,
 *   after a confirmation). Takes `settings.establishment` (action `establishment.edit`).
 * - `/staff/admin/establishment/inspector` (« Accès inspecteur »): an inspector's access opened by
 *   `grantInspectorAccess`, which only a user with the head-teacher profile may do (the library
 *   refuses anyone else, an administrator included, and says so). Takes `inspector.grant` (action
 *   `inspector.open`).
 *
 * Changes go through `changeDirectory` (labels) or the access store (the inspector), audited.
 */
import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import {
  auditChanges, checkNewPassword, grantInspectorAccess, parseInput, resetDiplomaLabels, SchoolSchema, setDiplomaLabels, type School, type UserContext,
} from '@ecole/core'
import { changeDirectory, hashPassword } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { t, type MessageKey } from '../i18n'
import { CsrfField } from '../views/layout'
import { html } from '../views/render'
import { CheckedField, ErrorSummary, fieldErrorsOf, type FieldErrors } from './field-errors'
import { formValues } from './form-fields'
import { page, readAll } from '../read-all'
import { allRecords, fullName } from './people'
import { actorOfRequest, Page, refused } from './routes'
import { auditDirectoryChanges, recordStaffChanges } from './staff-audit'
import { userRefusalText } from './users'

const BASE = '/staff/admin/establishment'
const enc = encodeURIComponent

/** The diplomas whose input labels an establishment may rename, and each one's fields with their default label. */
export const DIPLOMAS: ReadonlyArray<{ id: string; name: MessageKey; fields: ReadonlyArray<{ id: string; label: MessageKey }> }> = [
  { id: 'dnb', name: 'staff.labels.diploma.dnb', fields: [{ id: 'oral', label: 'staff.labels.field.oral' }, { id: 'writtenFrench', label: 'staff.labels.field.writtenFrench' }, { id: 'writtenMaths', label: 'staff.labels.field.writtenMaths' }, { id: 'skills', label: 'staff.labels.field.skills' }] },
  { id: 'cfg', name: 'staff.labels.diploma.cfg', fields: [{ id: 'oral', label: 'staff.labels.field.oral' }, { id: 'skills', label: 'staff.labels.field.skills' }] },
  { id: 'asd', name: 'staff.labels.diploma.asd', fields: [{ id: 'assr1', label: 'staff.labels.field.assr1' }, { id: 'assr2', label: 'staff.labels.field.assr2' }] },
]

const audit = auditDirectoryChanges

async function changeSchool(c: Context<AppEnv>, schoolId: string, action: string, change: (school: School) => School) {
  const actor = actorOfRequest(c)
  await changeDirectory({ storage: c.var.ctx.storage }, actor.siteId, { schools: [schoolId] }, (state) => {
    const school = state.schools[schoolId]
    if (!school) return { ok: true, state }
    return { ok: true, state: { ...state, schools: { ...state.schools, [schoolId]: parseInput(SchoolSchema, change(school), 'school') } } }
  }, { withChanges: audit(actor, c.var.ctx.clock.now(), action) })
}

/** Mounts the labels and inspector pages of the establishment screen. */
export function establishmentExtraRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  async function schoolOf(c: Context<AppEnv>): Promise<School | undefined> {
    const schools = (await allRecords(c.var.ctx.storage, actorOfRequest(c).siteId, 'school')).filter((s) => s.kind === 'school')
    return schools.find((s) => s.id === c.req.query('school')) ?? schools[0]
  }

  // ---------- labels ----------

  async function labelsPage(c: Context<AppEnv>, school: School, diplomaId: string, opts: { values?: Record<string, string>; error?: string; done?: string } = {}) {
    const { lang } = c.var
    const diploma = DIPLOMAS.find((d) => d.id === diplomaId) ?? DIPLOMAS[0]!
    const overrides = school.labelOverrides[diploma.id] ?? {}
    const notice = opts.error ? { kind: 'error' as const, text: opts.error } : opts.done ? { kind: 'ok' as const, text: opts.done } : undefined
    const q = `school=${enc(school.id)}&diploma=${enc(diploma.id)}`
    return html(c,
      <Page c={c} title={t(lang, 'staff.labels.title')} current={BASE} notice={notice}>
        <p><a href={`${BASE}?school=${enc(school.id)}`}>{school.name}</a></p>
        <form method="get" action={`${BASE}/labels`} class="inline">
          <input type="hidden" name="school" value={school.id} />
          <label for="f-diploma">{t(lang, 'staff.labels.diploma')}</label>{' '}
          <select id="f-diploma" name="diploma">{DIPLOMAS.map((d) => <option value={d.id} selected={d.id === diploma.id}>{t(lang, d.name)}</option>)}</select>{' '}
          <button type="submit" class="secondary">{t(lang, 'staff.labels.choose')}</button>
        </form>
        <form method="post" action={`${BASE}/labels?${q}`} class="card">
          <CsrfField session={c.var.session} />
          {diploma.fields.map((f) => (
            <CheckedField label={t(lang, f.label)} name={f.id} value={opts.values?.[f.id] ?? overrides[f.id] ?? ''} hint={t(lang, 'staff.labels.default', { label: t(lang, f.label) })} />
          ))}
          <button type="submit">{t(lang, 'staff.establishment.save')}</button>
        </form>
        {Object.keys(overrides).length > 0 ? <p><a href={`${BASE}/labels/reset?${q}`}>{t(lang, 'staff.labels.reset')}</a></p> : null}
      </Page>,
      opts.error ? 400 : 200,
    )
  }

  app.get('/admin/establishment/labels', async (c) => {
    const denied = refused(c, 'establishment.edit', { siteId: actorOfRequest(c).siteId })
    if (denied) return denied
    const school = await schoolOf(c)
    if (!school) return c.notFound()
    const done = c.req.query('done')
    return labelsPage(c, school, c.req.query('diploma') ?? '', done === 'saved' || done === 'reset' ? { done: t(c.var.lang, `staff.labels.done.${done}`) } : {})
  })

  app.post('/admin/establishment/labels', async (c) => {
    const { lang } = c.var
    const denied = refused(c, 'establishment.edit', { siteId: actorOfRequest(c).siteId })
    if (denied) return denied
    const school = await schoolOf(c)
    const diploma = DIPLOMAS.find((d) => d.id === c.req.query('diploma'))
    if (!school || !diploma) return c.notFound()
    const v = formValues(await c.req.parseBody())
    const typed = Object.fromEntries(diploma.fields.filter((f) => v[f.id]).map((f) => [f.id, v[f.id]!]))
    const emptied = diploma.fields.filter((f) => !v[f.id]).map((f) => f.id)
    try {
      await changeSchool(c, school.id, 'establishment.labels', (s) => setDiplomaLabels(resetDiplomaLabels(s, diploma.id, emptied), diploma.id, typed))
      return c.redirect(`${BASE}/labels?school=${enc(school.id)}&diploma=${enc(diploma.id)}&done=saved`, 303)
    } catch (error) {
      const errors = fieldErrorsOf(lang, error, Object.fromEntries(diploma.fields.map((f) => [f.id, t(lang, f.label)])))
      if (errors) return labelsPage(c, school, diploma.id, { values: v, error: Object.values(errors).join(' ') })
      throw error
    }
  })

  app.get('/admin/establishment/labels/reset', async (c) => {
    const { lang } = c.var
    const denied = refused(c, 'establishment.edit', { siteId: actorOfRequest(c).siteId })
    if (denied) return denied
    const school = await schoolOf(c)
    const diploma = DIPLOMAS.find((d) => d.id === c.req.query('diploma'))
    if (!school || !diploma) return c.notFound()
    const q = `school=${enc(school.id)}&diploma=${enc(diploma.id)}`
    return html(c,
      <Page c={c} title={t(lang, 'staff.labels.reset')} current={BASE}>
        <p>{t(lang, 'staff.labels.resetConfirm', { diploma: t(lang, diploma.name), count: Object.keys(school.labelOverrides[diploma.id] ?? {}).length })}</p>
        <form method="post" action={`${BASE}/labels/reset?${q}`}>
          <CsrfField session={c.var.session} />
          <button type="submit">{t(lang, 'staff.labels.resetYes')}</button> <a href={`${BASE}/labels?${q}`}>{t(lang, 'staff.smtp.cancel')}</a>
        </form>
      </Page>,
    )
  })

  app.post('/admin/establishment/labels/reset', async (c) => {
    const denied = refused(c, 'establishment.edit', { siteId: actorOfRequest(c).siteId })
    if (denied) return denied
    const school = await schoolOf(c)
    const diploma = DIPLOMAS.find((d) => d.id === c.req.query('diploma'))
    if (!school || !diploma) return c.notFound()
    await changeSchool(c, school.id, 'establishment.labelsReset', (s) => resetDiplomaLabels(s, diploma.id))
    return c.redirect(`${BASE}/labels?school=${enc(school.id)}&diploma=${enc(diploma.id)}&done=reset`, 303)
  })

  // ---------- inspector access ----------

  async function contextOf(c: Context<AppEnv>): Promise<UserContext> {
    const actor = actorOfRequest(c)
    const { storage } = c.var.ctx
    const [site, schools, roles, users] = await Promise.all([
      storage.directory!.getSite(actor.siteId), allRecords(storage, actor.siteId, 'school'),
      allRecords(storage, actor.siteId, 'role'), readAll((a) => storage.access!.listUsers(actor.siteId, page(a))),
    ])
    return {
      siteId: actor.siteId, siteCountry: site?.country ?? 'FR',
      schools: Object.fromEntries(schools.filter((s) => s.kind === 'school').map((s) => [s.id, s])),
      roles: Object.fromEntries(roles.map((r) => [r.id, r])), users: Object.fromEntries(users.map((u) => [u.id, u])),
    }
  }

  async function inspectorPage(c: Context<AppEnv>, opts: { values?: Record<string, string>; errors?: FieldErrors; error?: string; done?: string } = {}) {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const ctx = await contextOf(c)
    const inspectors = Object.values(ctx.users).filter((u) => u.profile === 'inspector')
    const v = opts.values ?? {}
    const notice = opts.error ? { kind: 'error' as const, text: opts.error } : opts.errors ? { kind: 'error' as const, text: t(lang, 'staff.form.nothingSaved') } : opts.done ? { kind: 'ok' as const, text: opts.done } : undefined
    const L = (f: string) => t(lang, `staff.users.field.${f}` as never)
    return html(c,
      <Page c={c} title={t(lang, 'staff.inspector.title')} current={BASE} notice={notice}>
        <p>{t(lang, 'staff.inspector.intro')}</p>
        {actor.profile !== 'headTeacher' ? <p class="hint">{t(lang, 'staff.inspector.onlyHeadTeacher')}</p> : null}
        {inspectors.length === 0 ? <p>{t(lang, 'staff.inspector.none')}</p> : (
          <ul class="inspectors">{inspectors.map((u) => <li>{fullName(u)} ({u.login}) — {t(lang, 'staff.inspector.openedBy', { name: u.grantedBy ? (ctx.users[u.grantedBy] ? fullName(ctx.users[u.grantedBy]!) : u.grantedBy) : '-' })}</li>)}</ul>
        )}
        <form method="post" action={`${BASE}/inspector`} class="card" novalidate>
          <CsrfField session={c.var.session} />
          <ErrorSummary lang={lang} errors={opts.errors} />
          <CheckedField label={L('firstName')} name="firstName" value={v['firstName']} required errors={opts.errors} />
          <CheckedField label={L('lastName')} name="lastName" value={v['lastName']} required errors={opts.errors} />
          <CheckedField label={L('login')} name="login" type="email" value={v['login']} required errors={opts.errors} />
          <CheckedField label={L('password')} name="password" type="password" required autocomplete="new-password" errors={opts.errors} hint={t(lang, 'staff.users.passwordHint')} />
          <CheckedField label={L('confirmation')} name="confirmation" type="password" required autocomplete="new-password" errors={opts.errors} />
          <p class="field">
            <label for="f-roleId">{L('roleId')}</label>
            <select id="f-roleId" name="roleId">{Object.values(ctx.roles).map((r) => <option value={r.id} selected={r.id === v['roleId']}>{r.label}</option>)}</select>
          </p>
          <button type="submit">{t(lang, 'staff.inspector.open')}</button>
        </form>
      </Page>,
      opts.error || opts.errors ? 400 : 200,
    )
  }

  app.get('/admin/establishment/inspector', async (c) => {
    const denied = refused(c, 'inspector.open', { siteId: actorOfRequest(c).siteId })
    if (denied) return denied
    return inspectorPage(c, c.req.query('done') === 'opened' ? { done: t(c.var.lang, 'staff.inspector.done') } : {})
  })

  app.post('/admin/establishment/inspector', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'inspector.open', { siteId: actor.siteId })
    if (denied) return denied
    const body = await c.req.parseBody()
    const v = formValues(body)
    const ctx = await contextOf(c)
    const labels = Object.fromEntries(['firstName', 'lastName', 'login', 'roleId', 'password'].map((f) => [f, t(lang, `staff.users.field.${f}` as never)]))
    try {
      const out = grantInspectorAccess(ctx, { id: `u-${randomUUID()}`, firstName: v['firstName'] ?? '', lastName: v['lastName'] ?? '', login: v['login'] ?? '', roleId: v['roleId'] ?? '', scope: { schoolIds: 'all', serviceIds: 'all' }, messaging: [] }, actor)
      if (!out.ok) return inspectorPage(c, { values: v, error: userRefusalText(lang, out.refusal, { role: (id) => ctx.roles[id]?.label ?? id, school: (id) => ctx.schools[id]?.name ?? id }) })
      const password = typeof body['password'] === 'string' ? body['password'] : ''
      const problems = checkNewPassword(password, typeof body['confirmation'] === 'string' ? body['confirmation'] : '')
      if (problems.length > 0) return inspectorPage(c, { values: v, errors: { password: `${labels['password']}${lang === 'fr' ? ' :' : ':'} ${problems.map((p) => t(lang, `password.${p}`, { min: 10, max: 256 })).join(' ')}` } })
      const access = c.var.ctx.storage.access!
      await access.createUser(actor.siteId, out.user)
      await access.putCredential(actor.siteId, { subject: { kind: 'user', id: out.user.id }, passwordHash: await hashPassword(password), updatedAt: c.var.ctx.clock.now().toISOString() })
      const diff = auditChanges({}, JSON.parse(JSON.stringify(out.user)) as Record<string, unknown>)
      await c.var.ctx.storage.transaction(actor.siteId, (tx) => recordStaffChanges(tx, actor, c.var.ctx.clock.now(), [{ action: 'inspector.opened', subject: { kind: 'user', id: out.user.id }, after: diff.after }]))
      return c.redirect(`${BASE}/inspector?done=opened`, 303)
    } catch (error) {
      const errors = fieldErrorsOf(lang, error, labels)
      if (errors) return inspectorPage(c, { values: v, errors })
      throw error
    }
  })

  return app
}
