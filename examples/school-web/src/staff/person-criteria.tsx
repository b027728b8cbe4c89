/**
 * A child's or a guardian's criteria (seed 001: the site's criteria, created in Administration,
 * Critères, "s'il s'applique aux enfants ou responsables ainsi que les valeurs possibles"): the
 * values shown on the person's file, and a page to set them, one choice per criterion among its
 * allowed values (`setAttributeValue` through {@link setCriteriaAs}). A value a criterion no longer
 * offers stays shown, marked, until it is changed; a refusal is shown with what was chosen, and
 * nothing is stored.
 */
import { Hono, type Context } from 'hono'
import { isEcoleError, type CustomAttribute } from '@ecole/core'
import type { AppEnv } from '../env'
import { t } from '../i18n'
import { CsrfField } from '../views/layout'
import { html } from '../views/render'
import { ecoleErrorText, formValues, refusalText } from './form-fields'
import { allRecords, fullName, setCriteriaAs } from './people'
import { authorize } from './permissions'
import { actorOfRequest, Page, refused } from './routes'

type Values = Record<string, string>
type PersonKind = 'child' | 'guardian'
const enc = encodeURIComponent
/** The form field of a criterion. */
const FIELD = 'criterion.'

/** The path of a person's file and of their criteria page. */
function paths(kind: PersonKind, id: string): { file: string; criteria: string } {
  const file = `/staff/${kind === 'child' ? 'children' : 'guardians'}/${enc(id)}`
  return { file, criteria: `${file}/criteria` }
}

/** The criteria of the site that describe this kind of person, in label order. */
async function criteriaFor(c: Context<AppEnv>, kind: PersonKind): Promise<CustomAttribute[]> {
  const all = await allRecords(c.var.ctx.storage, actorOfRequest(c).siteId, 'customAttribute')
  return all.filter((a) => a.appliesTo === kind).sort((a, b) => a.label.localeCompare(b.label))
}

/**
 * The criteria section of a person's file: each criterion of the site for this kind of person with
 * the person's value, and the link to the criteria page for whoever may change them (`people.criteria`).
 */
export async function CriteriaSection(p: { c: Context<AppEnv>; kind: PersonKind; person: { id: string; attributes: Readonly<Record<string, string>> } }) {
  const { c, kind, person } = p
  const { lang } = c.var
  const actor = actorOfRequest(c)
  const criteria = await criteriaFor(c, kind)
  const may = authorize(actor, 'people.criteria', { siteId: actor.siteId }).ok
  if (criteria.length === 0 && !may) return null
  return (
    <section id="criteria">
      <h2>{t(lang, 'staff.criteriaOf.title')}</h2>
      {criteria.length === 0 ? <p class="empty">{t(lang, `staff.criteriaOf.none.${kind}`)}</p> : (
        <dl class="card">
          {criteria.map((a) => {
            const value = person.attributes[a.id]
            return <><dt>{a.label}</dt><dd>{value === undefined ? '-' : a.allowedValues.includes(value) ? value : t(lang, 'staff.criteriaOf.stale', { value })}</dd></>
          })}
        </dl>
      )}
      {may && criteria.length > 0 ? <p><a href={paths(kind, person.id).criteria}>{t(lang, 'staff.criteriaOf.edit')}</a></p> : null}
    </section>
  )
}

/** The criteria page of a person: one choice per criterion, the stored value chosen (or what was chosen before a refusal). */
async function criteriaPage(c: Context<AppEnv>, kind: PersonKind, id: string, opts: { values?: Values; error?: string; status?: 200 | 400 | 409 } = {}) {
  const { lang, ctx } = c.var
  const actor = actorOfRequest(c)
  const person = kind === 'child'
    ? await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'child', id)
    : await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', id)
  if (!person) return c.notFound()
  const criteria = await criteriaFor(c, kind)
  const { file, criteria: action } = paths(kind, id)
  const done = c.req.query('done') === 'saved'
  const notice = opts.error ? { kind: 'error' as const, text: opts.error } : done ? { kind: 'ok' as const, text: t(lang, 'staff.criteriaOf.saved') } : undefined
  return html(c, (
    <Page c={c} title={`${t(lang, 'staff.criteriaOf.title')} · ${fullName(person)}`} current="/staff/households" notice={notice}>
      <p><a href={file}>{fullName(person)}</a></p>
      {criteria.length === 0 ? <p class="empty">{t(lang, `staff.criteriaOf.none.${kind}`)}</p> : (
        <form method="post" action={action} class="card">
          <CsrfField session={c.var.session} />
          {criteria.map((a) => {
            const stored = person.attributes[a.id]
            const chosen = opts.values ? opts.values[`${FIELD}${a.id}`] ?? '' : stored ?? ''
            const fieldId = `f-criterion-${a.id}`
            return (
              <p class="field">
                <label for={fieldId}>{a.label}</label>
                <select id={fieldId} name={`${FIELD}${a.id}`}>
                  <option value="" selected={chosen === ''}>{t(lang, 'staff.criteriaOf.noValue')}</option>
                  {a.allowedValues.map((v) => <option value={v} selected={chosen === v}>{v}</option>)}
                  {stored !== undefined && !a.allowedValues.includes(stored)
                    ? <option value={stored} selected={chosen === stored}>{t(lang, 'staff.criteriaOf.stale', { value: stored })}</option>
                    : null}
                  {/* a refused choice stays chosen, marked, rather than the form falling back to "no value" */}
                  {chosen !== '' && chosen !== stored && !a.allowedValues.includes(chosen)
                    ? <option value={chosen} selected>{t(lang, 'staff.criteriaOf.stale', { value: chosen })}</option>
                    : null}
                </select>
              </p>
            )
          })}
          <button type="submit">{t(lang, 'staff.criteriaOf.save')}</button>
        </form>
      )}
    </Page>
  ), opts.status ?? 200)
}

/** The criteria pages of children (`/staff/children/:id/criteria`) and guardians (`/staff/guardians/:id/criteria`). */
export function personCriteriaRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  for (const kind of ['child', 'guardian'] as const) {
    const base = kind === 'child' ? '/children/:id/criteria' : '/guardians/:id/criteria'
    app.get(base, (c) => refused(c, 'people.criteria', { siteId: actorOfRequest(c).siteId }) ?? criteriaPage(c, kind, c.req.param('id')))
    app.post(base, async (c) => {
      const { lang, ctx } = c.var
      const actor = actorOfRequest(c)
      const denied = refused(c, 'people.criteria', { siteId: actor.siteId })
      if (denied) return denied
      const id = c.req.param('id')
      const v = formValues(await c.req.parseBody())
      const values: Record<string, string | null> = {}
      for (const [name, value] of Object.entries(v)) if (name.startsWith(FIELD)) values[name.slice(FIELD.length)] = value === '' ? null : value
      try {
        const r = await setCriteriaAs(ctx.storage, actor, { kind, id }, values, ctx.clock.now())
        if (!r.ok) {
          if (r.refusal.code === 'ATTRIBUTE_VALUE_NOT_ALLOWED') {
            const attributeId = r.refusal.attributeId
            const label = (await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'customAttribute', attributeId))?.label ?? attributeId
            return criteriaPage(c, kind, id, { values: v, error: t(lang, 'staff.criteriaOf.notAllowed', { value: r.refusal.value, label }), status: 409 })
          }
          if (r.refusal.code === 'ATTRIBUTE_NOT_APPLICABLE') {
            const attributeId = r.refusal.attributeId
            const label = (await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'customAttribute', attributeId))?.label ?? attributeId
            return criteriaPage(c, kind, id, { values: v, error: t(lang, `staff.criteriaOf.otherKind.${r.refusal.appliesTo}`, { label }), status: 400 })
          }
          return criteriaPage(c, kind, id, { values: v, error: refusalText(lang, r.refusal), status: 400 })
        }
        return c.redirect(`${paths(kind, id).criteria}?done=saved`, 303)
      } catch (error) {
        if (isEcoleError(error, 'NOT_FOUND')) {
          const what = (error.details as { what?: string } | undefined)?.what
          if (what === 'customAttribute') return criteriaPage(c, kind, id, { values: v, error: t(lang, 'staff.criteriaOf.gone'), status: 409 })
          if (what === kind) return c.notFound()
        }
        const text = ecoleErrorText(error)
        if (text) return criteriaPage(c, kind, id, { values: v, error: t(lang, 'staff.people.invalid', { message: text }), status: 400 })
        throw error
      }
    })
  }
  return app
}
