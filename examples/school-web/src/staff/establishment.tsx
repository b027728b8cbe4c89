/**
 * The establishment screen of the back office (seed 003, module « Paramètres »), at
 * `/staff/admin/establishment`: the school's name, e-mail and UAI (with its check letter, validated
 * by `SchoolSchema`), what is still needed before users can be created
 * (`missingEstablishmentFields`); the CNIL declaration number and the pupil-data transfer switch
 * (`setPupilTransfer`: refused without a number); the log of transfers sent and received
 * (`listPupilTransfers` of `@ecole/france`, a page at a time) and the pupils without INE who cannot
 * be transferred (`planPupilTransfer`). Seeing and editing the school takes `settings.establishment`
 * (action `establishment.edit`); the transfer part takes `pupils.transfer`. Every change goes through
 * `changeDirectory` with its audit entries; bad input is shown on the form and nothing is stored.
 */
import { Hono, type Context } from 'hono'
import {
  missingEstablishmentFields, parseInput, planPupilTransfer, SchoolSchema, setPupilTransfer,
  type EstablishmentRefusal, type School,
} from '@ecole/core'
import { listPupilTransfers } from '@ecole/france'
import { changeDirectory } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { formatDate, t, type Lang } from '../i18n'
import { CsrfField, Field } from '../views/layout'
import { RecordConflictCard, recordConflictView, VersionField, versionOf, type RecordConflictView } from './record-conflict'
import { html } from '../views/render'
import { ecoleErrorText, formValues } from './form-fields'
import { allRecords, fullName } from './people'
import { authorize } from './permissions'
import { actorOfRequest, Page, Pager, refused } from './routes'
import { pageSizeOf } from './staff-billing'
import { auditDirectoryChanges } from './staff-audit'

const BASE = '/staff/admin/establishment'
const enc = encodeURIComponent
type Values = Record<string, string>

const audit = auditDirectoryChanges

/**
 * Rewrites one school through `change` in a transaction (the school read, changed, validated by
 * `SchoolSchema`, written with its audit entries); a refusal of `change` writes nothing.
 */
async function changeSchool(c: Context<AppEnv>, schoolId: string, action: string, change: (school: School) => { ok: true; school: School } | { ok: false; refusal: EstablishmentRefusal }, version?: string) {
  const { ctx } = c.var
  const actor = actorOfRequest(c)
  let refusal: EstablishmentRefusal | undefined
  const r = await changeDirectory({ storage: ctx.storage }, actor.siteId, { schools: [schoolId] }, (state) => {
    const school = state.schools[schoolId]
    if (!school) return { ok: true, state }
    const out = change(school)
    if (!out.ok) {
      refusal = out.refusal
      return { ok: true, state }
    }
    return { ok: true, state: { ...state, schools: { ...state.schools, [schoolId]: parseInput(SchoolSchema, out.school, 'school') } } }
  }, { withChanges: audit(actor, ctx.clock.now(), action), ...(version ? { expected: [{ kind: 'school' as const, id: schoolId, version }] } : {}) })
  return { refusal, written: r.ok ? r.changes.length : 0 }
}

function refusalText(lang: Lang, r: EstablishmentRefusal): string {
  if (r.code === 'CNIL_DECLARATION_MISSING') return t(lang, 'staff.establishment.cnilMissing')
  if (r.code === 'TRANSFER_DISABLED') return t(lang, 'staff.establishment.transferOff')
  return t(lang, 'staff.people.refused', { code: r.code })
}

/** Mounts the establishment screen and its two forms. */
export function establishmentRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  async function schoolsOf(c: Context<AppEnv>): Promise<School[]> {
    const actor = actorOfRequest(c)
    return (await allRecords(c.var.ctx.storage, actor.siteId, 'school')).filter((s) => s.kind === 'school')
  }

  async function show(c: Context<AppEnv>, schoolId: string | undefined, opts: { values?: Values; error?: string; transferValues?: Values; transferError?: string; done?: string; conflict?: RecordConflictView } = {}) {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const schools = await schoolsOf(c)
    const school = schools.find((s) => s.id === schoolId) ?? schools[0]
    const title = t(lang, 'staff.establishment.title')
    const error = opts.error ?? opts.transferError
    const notice = error ? { kind: 'error' as const, text: error } : opts.done ? { kind: 'ok' as const, text: opts.done } : undefined
    const status = opts.conflict ? 409 : error ? 400 : 200
    if (!school) return html(c, <Page c={c} title={title} current={BASE} notice={notice}><p>{t(lang, 'staff.establishment.none')}</p></Page>, status)
    const v: Values = opts.values ?? { name: school.name, email: school.email ?? '', uai: school.uai ?? '' }
    const missing = missingEstablishmentFields(school)
    const mayTransfer = authorize(actor, 'pupils.transfer', { siteId: actor.siteId }).ok
    const action = `${BASE}/${enc(school.id)}`

    let transfers: unknown = null
    if (mayTransfer) {
      const tv: Values = opts.transferValues ?? { cnilDeclaration: school.cnilDeclaration ?? '', enabled: school.pupilTransferEnabled ? 'yes' : 'no' }
      const after = c.req.query('after')
      const log = await listPupilTransfers({ storage: ctx.storage }, actor.siteId, { schoolId: school.id, limit: pageSizeOf(c.req.query('limit')), ...(after ? { after } : {}) })
      const children = new Map((await allRecords(ctx.storage, actor.siteId, 'child')).map((k) => [k.id, k]))
      const pupilIds = new Set((await allRecords(ctx.storage, actor.siteId, 'enrolment')).filter((e) => e.schoolId === school.id).map((e) => e.beneficiaryId))
      const plan = planPupilTransfer(school, [...pupilIds].map((id) => children.get(id)).filter((k) => k !== undefined))
      const nameOf = (id: string) => {
        const k = children.get(id)
        return k ? fullName(k) : id
      }
      transfers = (
        <section aria-labelledby="transfers">
          <h2 id="transfers">{t(lang, 'staff.establishment.transfers')}</h2>
          <form method="post" action={`${action}/transfer`} class="card">
            <CsrfField session={c.var.session} />
            <Field label={t(lang, 'staff.establishment.cnil')} name="cnilDeclaration" value={tv['cnilDeclaration']} required={false} />
            <fieldset>
              <legend>{t(lang, 'staff.establishment.transferSwitch')}</legend>
              {(['yes', 'no'] as const).map((x) => (
                <p class="choice"><label><input type="radio" name="enabled" value={x} checked={tv['enabled'] === x} /> {t(lang, `staff.establishment.${x}`)}</label></p>
              ))}
            </fieldset>
            <button type="submit">{t(lang, 'staff.establishment.save')}</button>
          </form>
          <h3>{t(lang, 'staff.establishment.log')}</h3>
          {log.items.length === 0 ? <p>{t(lang, 'staff.establishment.logEmpty')}</p> : (
            <table>
              <thead><tr>
                <th scope="col">{t(lang, 'staff.establishment.direction')}</th><th scope="col">INE</th>
                <th scope="col">{t(lang, 'staff.establishment.pupil')}</th><th scope="col">{t(lang, 'staff.establishment.date')}</th>
                <th scope="col">{t(lang, 'staff.establishment.otherUai')}</th>
              </tr></thead>
              <tbody>
                {log.items.map((line) => (
                  <tr>
                    <td>{t(lang, line.direction === 'received' ? 'staff.establishment.received' : 'staff.establishment.sent')}</td>
                    <td><code>{line.ine}</code></td>
                    <td>{nameOf(line.childId)}</td>
                    <td>{formatDate(lang, line.date)}</td>
                    <td>{line.otherUai ?? '-'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager lang={lang} base={BASE} query={{ school: school.id }} next={log.next} />
          <h3>{t(lang, 'staff.establishment.withoutIne')}</h3>
          {!plan.ok ? <p>{t(lang, 'staff.establishment.withoutIneOff')}</p> : plan.withoutIne.length === 0 ? <p>{t(lang, 'staff.establishment.withoutIneNone')}</p> : (
            <ul class="without-ine">
              {plan.withoutIne.map((p) => <li>{fullName(p)}</li>)}
            </ul>
          )}
        </section>
      )
    }

    return html(c,
      <Page c={c} title={title} current={BASE} notice={notice}>
        {schools.length > 1 ? (
          <nav aria-label={t(lang, 'staff.establishment.schools')}>
            <ul>{schools.map((s) => <li><a href={`${BASE}?school=${enc(s.id)}`} aria-current={s.id === school.id ? 'page' : undefined}>{s.name}</a></li>)}</ul>
          </nav>
        ) : null}
        <p class="establishment-status">{missing.length === 0
          ? t(lang, 'staff.establishment.ready')
          : t(lang, 'staff.establishment.missing', { fields: missing.map((f) => t(lang, `staff.establishment.field.${f}`)).join(', ') })}</p>
        {opts.conflict ? <RecordConflictCard lang={lang} conflict={opts.conflict} /> : null}
        <form method="post" action={action} class="card">
          <CsrfField session={c.var.session} />
          <VersionField version={opts.conflict ? opts.conflict.version : v['version'] || versionOf(school)} />
          <Field label={t(lang, 'staff.establishment.field.name')} name="name" value={v['name']} />
          <Field label={t(lang, 'staff.establishment.field.email')} name="email" type="email" value={v['email']} required={false} />
          <Field label={t(lang, 'staff.establishment.field.uai')} name="uai" value={v['uai']} required={false} />
          <button type="submit">{t(lang, 'staff.establishment.save')}</button>
        </form>
        {transfers as never}
        <p class="establishment-more">
          <a href={`${BASE}/labels?school=${enc(school.id)}`}>{t(lang, 'staff.labels.title')}</a>
          {authorize(actor, 'inspector.open', { siteId: actor.siteId }).ok ? <> · <a href={`${BASE}/inspector`}>{t(lang, 'staff.inspector.title')}</a></> : null}
        </p>
      </Page>,
      status,
    )
  }

  app.get('/admin/establishment', async (c) => {
    const actor = actorOfRequest(c)
    const denied = refused(c, 'establishment.edit', { siteId: actor.siteId })
    if (denied) return denied
    const done = c.req.query('done')
    return show(c, c.req.query('school'), done === 'saved' || done === 'transfer' ? { done: t(c.var.lang, `staff.establishment.done.${done}`) } : {})
  })

  app.post('/admin/establishment/:schoolId', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'establishment.edit', { siteId: actor.siteId })
    if (denied) return denied
    const schoolId = c.req.param('schoolId')
    if (!(await schoolsOf(c)).some((s) => s.id === schoolId)) return c.notFound()
    const v = formValues(await c.req.parseBody())
    try {
      await changeSchool(c, schoolId, 'establishment.edited', (school) => ({ ok: true, school: { ...school, name: v['name'] ?? '', email: v['email'] || undefined, uai: v['uai'] || undefined } }), v['version'])
      return c.redirect(`${BASE}?school=${enc(schoolId)}&done=saved`, 303)
    } catch (error) {
      const labels = { name: t(lang, 'staff.establishment.field.name'), email: t(lang, 'staff.establishment.field.email'), uai: t(lang, 'staff.establishment.field.uai') }
      const conflict = await recordConflictView(c.var.ctx.storage, lang, actor.siteId, error, { ref: { kind: 'school', id: schoolId }, reload: `${BASE}?school=${enc(schoolId)}`, labels })
      if (conflict) return show(c, schoolId, { values: v, error: conflict.text, conflict })
      const text = ecoleErrorText(error)
      if (text) return show(c, schoolId, { values: v, error: t(lang, 'staff.people.invalid', { message: text }) })
      throw error
    }
  })

  app.post('/admin/establishment/:schoolId/transfer', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'pupils.transfer', { siteId: actor.siteId })
    if (denied) return denied
    const schoolId = c.req.param('schoolId')
    if (!(await schoolsOf(c)).some((s) => s.id === schoolId)) return c.notFound()
    const v = formValues(await c.req.parseBody())
    try {
      const { refusal } = await changeSchool(c, schoolId, 'establishment.transfer', (school) => setPupilTransfer(school, { enabled: v['enabled'] === 'yes', cnilDeclaration: v['cnilDeclaration'] }))
      if (refusal) return show(c, schoolId, { transferValues: v, transferError: refusalText(lang, refusal) })
      return c.redirect(`${BASE}?school=${enc(schoolId)}&done=transfer`, 303)
    } catch (error) {
      const text = ecoleErrorText(error)
      if (text) return show(c, schoolId, { transferValues: v, transferError: t(lang, 'staff.people.invalid', { message: text }) })
      throw error
    }
  })

  return app
}
