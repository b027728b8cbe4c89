/**
 * Documents of the families and groups (seed 001 « Documents », the documents of a family's file,
 * « Documents de groupe »), at `/staff/documents`: the list filtered by kind and by family and
 * paginated on the server (`DocumentStore.listDocuments` with a `DocumentFilter`), the upload
 * (`uploadPortalDocument`: the type read from the bytes, the size limited, the site's storage
 * quota checked under a per-site lock) into a family's file or for the whole site or groups, with
 * the days it is shown on the portal and an optional e-mail to the family (`queueDocumentNotices`,
 * through the outbox), the download, the change of those days (`changeDocumentWindow`), and the
 * deletion after a confirmation that says what goes (`removePortalDocument`). Every change is in
 * the audit trail. Actions `documents.list`, `documents.add`, `documents.delete` (permission
 * `documents.write`).
 */
import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import {
  BYTES_PER_GB, isEcoleError, type Actor, type DocumentAudience, type DocumentFilter, type Guardian, type Household, type PortalDocument,
} from '@ecole/core'
import { DOCUMENT_UPLOAD_LIMITS, changeDocumentWindow, queueDocumentNotices, removePortalDocument, uploadPortalDocument, type DocumentNotice } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { LOCALES, formatDate, t, type Lang } from '../i18n'
import { CsrfField } from '../views/layout'
import { errorPage, html } from '../views/render'
import { CheckedField, ErrorSummary, fieldErrorsOf, type FieldErrors } from './field-errors'
import { DateField, dateOfForm } from './form-fields'
import { allRecords, childrenOf, fullName, guardiansOf } from './people'
import { recordStaffChanges } from './staff-audit'
import { actorOfRequest, Page, Pager, refused, today } from './routes'
import { pageSizeOf } from './staff-billing'
import { siteMailIdentity } from '../mail-sender'

const BASE = '/staff/documents'

/** The kinds of the list's filter and the audiences each keeps. */
const KINDS = { family: ['guardian', 'child'], groups: ['groups'], site: ['site'], internal: ['internal'] } as const satisfies Record<string, DocumentFilter['audienceKinds']>
type Kind = keyof typeof KINDS
const isKind = (v: string | undefined): v is Kind => v !== undefined && Object.hasOwn(KINDS, v)

/** A number of bytes for people: `1,2 Mo`, `350 kB` (decimal units, as the licence counts them). */
export function formatBytes(lang: Lang, bytes: number): string {
  const [value, unit] = bytes >= BYTES_PER_GB ? [bytes / BYTES_PER_GB, 'gigabyte'] : bytes >= 1e6 ? [bytes / 1e6, 'megabyte'] : bytes >= 1e3 ? [bytes / 1e3, 'kilobyte'] : [bytes, 'byte']
  return new Intl.NumberFormat(LOCALES[lang], { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value)
}

/** The storage refusal in the user's language: the quota, what is used and what was asked. */
export function quotaText(lang: Lang, r: { usedBytes: number; addedBytes: number; limitBytes: number }): string {
  return t(lang, 'staff.docs.quota', { limit: formatBytes(lang, r.limitBytes), used: formatBytes(lang, r.usedBytes), asked: formatBytes(lang, r.addedBytes) })
}

/** The file's refusal (`INVALID_INPUT` on `file`) in the user's language, or undefined for another error. */
export function fileErrorText(lang: Lang, error: unknown): string | undefined {
  if (!isEcoleError(error, 'INVALID_INPUT')) return undefined
  const issue = (error.details as { issues?: Array<{ path: string; message: string }> }).issues?.find((i) => i.path === 'file')
  if (!issue) return undefined
  const d = error.details as { sizeBytes?: number; maxBytes?: number }
  if (issue.message.startsWith('is empty')) return t(lang, 'staff.docs.file.empty')
  if (issue.message.startsWith('has ')) return t(lang, 'staff.docs.file.tooLarge', { size: formatBytes(lang, d.sizeBytes ?? 0), max: formatBytes(lang, d.maxBytes ?? 0) })
  const types = issue.message.match(/^must be an? (.+?) file/)?.[1] ?? ''
  return t(lang, 'staff.docs.file.type', { types })
}

/** The uploaded file of a multipart form, as bytes (an empty array without one). */
export async function fileOf(body: Record<string, unknown>, name = 'file'): Promise<{ bytes: Uint8Array; fileName: string }> {
  const f = body[name]
  if (f instanceof File) return { bytes: new Uint8Array(await f.arrayBuffer()), fileName: f.name }
  return { bytes: new Uint8Array(), fileName: '' }
}

/** Names of the people and groups documents are addressed to, read for the documents shown only. */
async function audienceNames(c: Context<AppEnv>, docs: readonly PortalDocument[]): Promise<(a: DocumentAudience) => string> {
  const { ctx, lang } = c.var
  const siteId = actorOfRequest(c).siteId
  const d = ctx.storage.directory!
  const guardianIds = docs.flatMap((x) => (x.audience.kind === 'guardian' ? [x.audience.guardianId] : []))
  const childIds = docs.flatMap((x) => (x.audience.kind === 'child' ? [x.audience.childId] : []))
  const groupIds = docs.flatMap((x) => (x.audience.kind === 'groups' ? x.audience.groupIds : []))
  const guardians = guardianIds.length ? await d.getDirectoryRecords(siteId, 'guardian', guardianIds) : new Map()
  const children = childIds.length ? await d.getDirectoryRecords(siteId, 'child', childIds) : new Map()
  const schools = groupIds.length ? await d.getDirectoryRecords(siteId, 'school', groupIds) : new Map()
  const classes = groupIds.length ? await d.getDirectoryRecords(siteId, 'schoolClass', groupIds) : new Map()
  return (a) => {
    switch (a.kind) {
      case 'guardian': { const g = guardians.get(a.guardianId); return t(lang, 'staff.docs.audience.guardian', { name: g ? fullName(g) : a.guardianId }) }
      case 'child': { const k = children.get(a.childId); return t(lang, 'staff.docs.audience.child', { name: k ? fullName(k) : a.childId }) }
      case 'site': return t(lang, 'staff.docs.audience.site')
      case 'groups': return t(lang, 'staff.docs.audience.groups', { names: a.groupIds.map((id) => schools.get(id)?.name ?? classes.get(id)?.name ?? id).join(', ') })
      case 'internal': return t(lang, 'staff.docs.audience.internal')
      default: return ''
    }
  }
}

/** Where a deleted document leaves: a person's file, or the list of shared documents. */
function whereText(lang: Lang, a: DocumentAudience, names: (a: DocumentAudience) => string): string {
  if (a.kind === 'guardian' || a.kind === 'child') return t(lang, 'staff.docs.delete.where.family', { name: names(a).replace(/^[^:]+:\s*/, '') })
  return t(lang, 'staff.docs.delete.where.shared')
}

function windowText(lang: Lang, d: PortalDocument): string {
  return d.available.to ? t(lang, 'staff.docs.window.range', { from: formatDate(lang, d.available.from), to: formatDate(lang, d.available.to) }) : t(lang, 'staff.docs.window.open', { from: formatDate(lang, d.available.from) })
}

/** The household of the list's filter: by id, or by a name searched (one match), or the matches to choose from. */
async function householdOfQuery(c: Context<AppEnv>): Promise<{ household?: Household; choices?: Household[]; none?: boolean }> {
  const { ctx } = c.var
  const siteId = actorOfRequest(c).siteId
  const id = c.req.query('householdId')
  if (id) {
    const household = await ctx.storage.directory!.getDirectoryRecord(siteId, 'household', id)
    return household ? { household } : { none: true }
  }
  const q = (c.req.query('q') ?? '').trim()
  if (!q) return {}
  const found = await ctx.storage.directory!.searchDirectoryRecords(siteId, 'household', { name: q }, { limit: 20 })
  if (found.items.length === 1) return { household: found.items[0]! }
  return found.items.length === 0 ? { none: true } : { choices: found.items }
}

/** A household's file: its guardians and their children (a child of separated parents is in both files). */
async function familyOf(c: Context<AppEnv>, householdId: string): Promise<{ guardians: Guardian[]; childIds: string[]; children: Array<{ id: string; name: string }> }> {
  const { ctx } = c.var
  const siteId = actorOfRequest(c).siteId
  const guardians = await guardiansOf(ctx.storage, siteId, householdId)
  const children = await childrenOf(ctx.storage, siteId, guardians.map((g) => g.id))
  return { guardians, childIds: children.map((k) => k.id), children: children.map((k) => ({ id: k.id, name: fullName(k) })) }
}

/** The storage used and the licence's quota, as a sentence. */
async function usageText(c: Context<AppEnv>): Promise<string> {
  const { ctx, lang } = c.var
  const siteId = actorOfRequest(c).siteId
  const used = await ctx.storage.documents!.usedBytes(siteId)
  const site = await ctx.storage.directory!.getSite(siteId)
  const max = site?.licence.maxStorageGb ?? null
  return max === null ? t(lang, 'staff.docs.usage.unlimited', { used: formatBytes(lang, used) }) : t(lang, 'staff.docs.usage', { used: formatBytes(lang, used), limit: formatBytes(lang, Math.round(max * BYTES_PER_GB)) })
}

const NOTICES: Record<string, string> = { uploaded: 'staff.docs.done.uploaded', window: 'staff.docs.done.window', deleted: 'staff.docs.done.deleted' }

/** Mounts the documents screens. */
export function documentRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/documents', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const no = refused(c, 'documents.list', { siteId: actor.siteId })
    if (no) return no
    const kind = c.req.query('kind')
    const { household, choices, none } = await householdOfQuery(c)
    const family = household ? await familyOf(c, household.id) : undefined
    const filter: DocumentFilter = {
      ...(isKind(kind) ? { audienceKinds: KINDS[kind] } : {}),
      ...(family ? { addressedTo: { guardianIds: family.guardians.map((g) => g.id), childIds: family.childIds } } : {}),
    }
    const after = c.req.query('after')
    const page = none || choices ? { items: [] } : await ctx.storage.documents!.listDocuments(actor.siteId, { limit: pageSizeOf(c.req.query('limit')), ...(after ? { after } : {}) }, filter)
    const names = await audienceNames(c, page.items)
    const done = c.req.query('done')
    const notified = Number(c.req.query('notified') ?? '0')
    const notice = done === 'uploaded' && notified > 0 ? { kind: 'ok' as const, text: t(lang, 'staff.docs.done.notified', { count: notified }) }
      : done && NOTICES[done] ? { kind: 'ok' as const, text: t(lang, NOTICES[done] as 'staff.docs.done.uploaded') } : undefined
    const may = (a: 'documents.add' | 'documents.delete') => refused(c, a, { siteId: actor.siteId }) === undefined
    return html(c,
      <Page c={c} title={household ? t(lang, 'staff.docs.householdFile', { name: household.name }) : t(lang, 'staff.docs.title')} current={BASE} notice={notice}>
        <form method="get" action={BASE} class="card inline" role="search">
          <p class="field">
            <label for="f-kind">{t(lang, 'staff.docs.kind')}</label>
            <select id="f-kind" name="kind">
              <option value="">{t(lang, 'staff.docs.kind.all')}</option>
              {(Object.keys(KINDS) as Kind[]).map((k) => <option value={k} selected={k === kind}>{t(lang, `staff.docs.kind.${k}`)}</option>)}
            </select>
          </p>
          <p class="field">
            <label for="f-q">{t(lang, 'staff.docs.household')}</label>
            <input id="f-q" name="q" type="search" value={household?.name ?? c.req.query('q') ?? ''} />
          </p>
          <button type="submit">{t(lang, 'staff.filter')}</button>
        </form>
        <p class="hint" data-usage="">{await usageText(c)}</p>
        {none ? <p role="status">{t(lang, 'staff.docs.noHousehold', { q: c.req.query('q') ?? c.req.query('householdId') ?? '' })}</p> : null}
        {choices ? (
          <>
            <p>{t(lang, 'staff.docs.chooseHousehold')}</p>
            <ul>{choices.map((h) => <li><a href={`${BASE}?householdId=${encodeURIComponent(h.id)}${isKind(kind) ? `&kind=${kind}` : ''}`}>{h.name}</a></li>)}</ul>
          </>
        ) : null}
        {family ? (
          <p class="info-sheets">{[
            ...family.guardians.map((g) => ({ href: `/staff/guardians/${encodeURIComponent(g.id)}/info-sheet`, name: fullName(g) })),
            ...family.children.map((k) => ({ href: `/staff/children/${encodeURIComponent(k.id)}/info-sheet`, name: k.name })),
          ].map((x, i) => <>{i > 0 ? ' · ' : ''}<a href={x.href}>{t(lang, 'staff.infoSheet.title', { name: x.name })}</a></>)}</p>
        ) : null}
        {may('documents.add') ? <p><a class="button" href={`${BASE}/new${household ? `?householdId=${encodeURIComponent(household.id)}` : ''}`}>{t(lang, 'staff.docs.add')}</a></p> : null}
        {page.items.length === 0 ? (none || choices ? null : <p>{t(lang, 'staff.docs.none')}</p>) : (
          <table class="documents">
            <thead><tr>
              <th scope="col">{t(lang, 'staff.docs.name')}</th><th scope="col">{t(lang, 'staff.docs.audience')}</th><th scope="col">{t(lang, 'staff.docs.window')}</th>
              <th scope="col" class="num">{t(lang, 'staff.docs.size')}</th><th scope="col">{t(lang, 'staff.docs.actions')}</th>
            </tr></thead>
            <tbody>
              {page.items.map((d) => (
                <tr data-document={d.id}>
                  <td>{d.name}{d.description ? <><br /><small>{d.description}</small></> : null}</td>
                  <td>{names(d.audience)}</td>
                  <td>{d.audience.kind === 'internal' ? '–' : windowText(lang, d)}</td>
                  <td class="num">{formatBytes(lang, d.sizeBytes)}</td>
                  <td>
                    <a href={`${BASE}/${encodeURIComponent(d.id)}/file`}>{t(lang, 'staff.docs.download')}</a>
                    {may('documents.add') && d.audience.kind !== 'internal' ? <> · <a href={`${BASE}/${encodeURIComponent(d.id)}/window`}>{t(lang, 'staff.docs.changeWindow')}</a></> : null}
                    {may('documents.delete') && d.audience.kind !== 'internal' ? <> · <a href={`${BASE}/${encodeURIComponent(d.id)}/delete`}>{t(lang, 'staff.docs.delete')}</a></> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager lang={lang} base={BASE} query={{ kind, householdId: household?.id, limit: c.req.query('limit') }} next={page.next} />
      </Page>,
      none ? 404 : 200,
    )
  })

  /** The upload form: for a member of the household chosen, or the whole site, or groups. */
  async function uploadForm(c: Context<AppEnv>, opts: { householdId?: string | undefined; values?: Record<string, string>; groupIds?: string[]; errors?: FieldErrors }, status: 200 | 400 = 200) {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const household = opts.householdId ? await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'household', opts.householdId) : undefined
    if (opts.householdId && !household) return errorPage(c, 404)
    const family = household ? await familyOf(c, household.id) : undefined
    const schools = await allRecords(ctx.storage, actor.siteId, 'school')
    const classes = await allRecords(ctx.storage, actor.siteId, 'schoolClass')
    const v = opts.values ?? {}
    const forValue = v['for'] ?? (family?.guardians[0] ? `guardian:${family.guardians[0].id}` : 'site')
    const checked = new Set(opts.groupIds ?? [])
    const forError = opts.errors?.['for']
    const groupsError = opts.errors?.['groupIds']
    return html(c,
      <Page c={c} title={household ? `${t(lang, 'staff.docs.add')} – ${t(lang, 'staff.docs.householdFile', { name: household.name })}` : t(lang, 'staff.docs.add')} current={BASE}>
        <ErrorSummary lang={lang} errors={opts.errors} />
        {household ? null : <p class="hint">{t(lang, 'staff.docs.pickFamily')}</p>}
        <form method="post" action={BASE} enctype="multipart/form-data" class="card">
          <CsrfField session={c.var.session} />
          <input type="hidden" name="documentId" value={v['documentId'] ?? `d-${randomUUID()}`} />
          {household ? <input type="hidden" name="householdId" value={household.id} /> : null}
          <p class={opts.errors?.['file'] ? 'field invalid' : 'field'}>
            <label for="f-file">{t(lang, 'staff.docs.file', { max: formatBytes(lang, DOCUMENT_UPLOAD_LIMITS.maxBytes) })}</label>
            <input id="f-file" name="file" type="file" accept="application/pdf,image/png,image/jpeg,image/gif,image/webp" required aria-invalid={opts.errors?.['file'] ? 'true' : undefined} aria-describedby={opts.errors?.['file'] ? 'f-file-error' : undefined} />
            {opts.errors?.['file'] ? <strong id="f-file-error" class="field-error">{opts.errors['file']}</strong> : null}
          </p>
          <CheckedField label={t(lang, 'staff.docs.name')} name="name" value={v['name']} errors={opts.errors} hint={undefined} />
          <CheckedField label={t(lang, 'staff.docs.description')} name="description" value={v['description']} errors={opts.errors} />
          <p class={forError ? 'field invalid' : 'field'}>
            <label for="f-for">{t(lang, 'staff.docs.for')}</label>
            <select id="f-for" name="for" aria-invalid={forError ? 'true' : undefined}>
              {family?.guardians.map((g) => <option value={`guardian:${g.id}`} selected={forValue === `guardian:${g.id}`}>{t(lang, 'staff.docs.audience.guardian', { name: fullName(g) })}</option>)}
              {family?.children.map((k) => <option value={`child:${k.id}`} selected={forValue === `child:${k.id}`}>{t(lang, 'staff.docs.audience.child', { name: k.name })}</option>)}
              <option value="site" selected={forValue === 'site'}>{t(lang, 'staff.docs.for.site')}</option>
              <option value="groups" selected={forValue === 'groups'}>{t(lang, 'staff.docs.for.groups')}</option>
            </select>
            {forError ? <strong class="field-error">{forError}</strong> : null}
          </p>
          <fieldset class={groupsError ? 'invalid' : undefined}>
            <legend>{t(lang, 'staff.docs.groups')}</legend>
            {schools.map((s) => (
              <>
                <label><input type="checkbox" name="groupIds" value={s.id} checked={checked.has(s.id)} /> {s.name}</label>
                {classes.filter((k) => k.schoolId === s.id).map((k) => <label class="indent"><input type="checkbox" name="groupIds" value={k.id} checked={checked.has(k.id)} /> {k.name}</label>)}
              </>
            ))}
            {groupsError ? <strong class="field-error">{groupsError}</strong> : null}
          </fieldset>
          <DateField lang={lang} label={t(lang, 'staff.docs.from')} name="from" value={v['from'] ?? today(c)} />
          {opts.errors?.['from'] ? <p><strong class="field-error">{opts.errors['from']}</strong></p> : null}
          <DateField lang={lang} label={t(lang, 'staff.docs.to')} name="to" value={v['to']} required={false} />
          {opts.errors?.['to'] ? <p><strong class="field-error">{opts.errors['to']}</strong></p> : null}
          <p class="field"><label><input type="checkbox" name="notify" value="1" checked={v['notify'] === '1'} /> {t(lang, 'staff.docs.notify')}</label></p>
          <button type="submit">{t(lang, 'staff.docs.submit')}</button> <a href={`${BASE}${household ? `?householdId=${encodeURIComponent(household.id)}` : ''}`}>{t(lang, 'staff.cancel')}</a>
        </form>
      </Page>,
      status,
    )
  }

  app.get('/documents/new', async (c) => {
    const actor = actorOfRequest(c)
    const no = refused(c, 'documents.add', { siteId: actor.siteId })
    if (no) return no
    return uploadForm(c, { householdId: c.req.query('householdId') })
  })

  app.post('/documents', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const no = refused(c, 'documents.add', { siteId: actor.siteId })
    if (no) return no
    const body = await c.req.parseBody({ all: true })
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '')
    const groupIds = ([] as unknown[]).concat(body['groupIds'] ?? []).filter((x): x is string => typeof x === 'string')
    const { bytes, fileName } = await fileOf(body)
    const householdId = str('householdId') || undefined
    const values = { documentId: str('documentId'), name: str('name'), description: str('description'), for: str('for'), from: dateOfForm(str('from')), to: dateOfForm(str('to')), notify: str('notify') }
    const again = (errors: FieldErrors) => uploadForm(c, { householdId, values, groupIds, errors }, 400)
    // who it is for: a member of the household the form was opened for, the site, or groups
    const family = householdId ? await familyOf(c, householdId) : undefined
    let audience: DocumentAudience
    const [forKind, forId] = values.for.split(':') as [string, string | undefined]
    if (forKind === 'guardian' && family?.guardians.some((g) => g.id === forId)) audience = { kind: 'guardian', guardianId: forId! }
    else if (forKind === 'child' && family?.childIds.includes(forId ?? '')) audience = { kind: 'child', childId: forId! }
    else if (forKind === 'site') audience = { kind: 'site' }
    else if (forKind === 'groups') {
      if (groupIds.length === 0) return again({ groupIds: t(lang, 'staff.docs.groups.required') })
      audience = { kind: 'groups', groupIds }
    } else return again({ for: t(lang, 'staff.docs.audience.required') })
    const id = /^d-[0-9a-f-]{36}$/.test(values.documentId) ? values.documentId : `d-${randomUUID()}`
    let result
    try {
      result = await uploadPortalDocument(ctx.storage, {
        siteId: actor.siteId,
        input: { id, name: values.name || fileName || id, description: values.description || undefined, key: `${actor.siteId}/documents/${id}`, audience, available: { from: values.from, to: values.to || undefined } },
        bytes,
      })
    } catch (e) {
      const file = fileErrorText(lang, e)
      if (file) return again({ file })
      const errors = fieldErrorsOf(lang, e, { name: t(lang, 'staff.docs.name'), description: t(lang, 'staff.docs.description'), from: t(lang, 'staff.docs.from'), to: t(lang, 'staff.docs.to') })
      if (errors) return again(errors)
      throw e
    }
    if (!result.ok) return again({ file: quotaText(lang, result.refusal) })
    const doc = result.document
    await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), [{ action: 'document.added', subject: { kind: 'document', id: doc.id }, householdId, after: { name: doc.name, audience: doc.audience, available: doc.available, sizeBytes: doc.sizeBytes, mediaType: doc.mediaType } }])
    const notified = values.notify === '1' ? await notifyFamily(c, actor, doc) : 0
    const q = new URLSearchParams({ done: 'uploaded', ...(householdId ? { householdId } : {}), ...(notified ? { notified: String(notified) } : {}) })
    return c.redirect(`${BASE}?${q.toString()}`, 303)
  })

  app.get('/documents/:id/file', async (c) => {
    const { ctx } = c.var
    const actor = actorOfRequest(c)
    const no = refused(c, 'documents.list', { siteId: actor.siteId })
    if (no) return no
    const doc = await ctx.storage.documents!.getDocument(actor.siteId, c.req.param('id'))
    const bytes = doc ? await ctx.storage.documents!.readDocumentBytes(actor.siteId, doc.id) : undefined
    if (!doc || !bytes) return errorPage(c, 404)
    c.header('Content-Type', doc.mediaType)
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Content-Disposition', `attachment; filename="${doc.name.replace(/[^A-Za-z0-9._ -]/g, '_')}"`)
    return c.body(bytes as Uint8Array<ArrayBuffer>)
  })

  async function windowForm(c: Context<AppEnv>, doc: PortalDocument, values: Record<string, string>, errors?: FieldErrors) {
    const { lang } = c.var
    return html(c,
      <Page c={c} title={t(lang, 'staff.docs.window.title', { name: doc.name })} current={BASE}>
        <ErrorSummary lang={lang} errors={errors} />
        <form method="post" class="card">
          <CsrfField session={c.var.session} />
          <DateField lang={lang} label={t(lang, 'staff.docs.from')} name="from" value={values['from']} />
          {errors?.['from'] ? <p><strong class="field-error">{errors['from']}</strong></p> : null}
          <DateField lang={lang} label={t(lang, 'staff.docs.to')} name="to" value={values['to']} required={false} />
          {errors?.['to'] ? <p><strong class="field-error">{errors['to']}</strong></p> : null}
          <button type="submit">{t(lang, 'staff.docs.window.submit')}</button> <a href={BASE}>{t(lang, 'staff.cancel')}</a>
        </form>
      </Page>,
      errors ? 400 : 200,
    )
  }

  app.get('/documents/:id/window', async (c) => {
    const { ctx } = c.var
    const actor = actorOfRequest(c)
    const no = refused(c, 'documents.add', { siteId: actor.siteId })
    if (no) return no
    const doc = await ctx.storage.documents!.getDocument(actor.siteId, c.req.param('id'))
    if (!doc || doc.audience.kind === 'internal') return errorPage(c, 404)
    return windowForm(c, doc, { from: doc.available.from, to: doc.available.to ?? '' })
  })

  app.post('/documents/:id/window', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const no = refused(c, 'documents.add', { siteId: actor.siteId })
    if (no) return no
    const doc = await ctx.storage.documents!.getDocument(actor.siteId, c.req.param('id'))
    if (!doc || doc.audience.kind === 'internal') return errorPage(c, 404)
    const body = await c.req.parseBody()
    const values = { from: dateOfForm(String(body['from'] ?? '')), to: dateOfForm(String(body['to'] ?? '')) }
    try {
      const changed = await changeDocumentWindow(ctx.storage, { siteId: actor.siteId, documentId: doc.id, available: { from: values.from, to: values.to || undefined } })
      await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), [{ action: 'document.windowChanged', subject: { kind: 'document', id: doc.id }, before: { available: doc.available }, after: { available: changed.available } }])
    } catch (e) {
      const errors = fieldErrorsOf(lang, e, { from: t(lang, 'staff.docs.from'), to: t(lang, 'staff.docs.to') })
      if (errors) return windowForm(c, doc, values, errors)
      throw e
    }
    return c.redirect(`${BASE}?done=window`, 303)
  })

  app.get('/documents/:id/delete', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const no = refused(c, 'documents.delete', { siteId: actor.siteId })
    if (no) return no
    const doc = await ctx.storage.documents!.getDocument(actor.siteId, c.req.param('id'))
    if (!doc) return errorPage(c, 404)
    const names = await audienceNames(c, [doc])
    return html(c,
      <Page c={c} title={t(lang, 'staff.docs.delete.title')} current={BASE}>
        {doc.audience.kind === 'internal' ? <p>{t(lang, 'staff.docs.delete.internal')}</p> : (
          <form method="post" class="card">
            <CsrfField session={c.var.session} />
            <p>{t(lang, 'staff.docs.delete.confirm', { name: doc.name, size: formatBytes(lang, doc.sizeBytes), where: whereText(lang, doc.audience, names) })}</p>
            <button type="submit">{t(lang, 'staff.confirm')}</button> <a href={BASE}>{t(lang, 'staff.cancel')}</a>
          </form>
        )}
      </Page>,
    )
  })

  app.post('/documents/:id/delete', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const no = refused(c, 'documents.delete', { siteId: actor.siteId })
    if (no) return no
    let removed: PortalDocument | undefined
    try {
      removed = await removePortalDocument(ctx.storage, { siteId: actor.siteId, documentId: c.req.param('id') })
    } catch (e) {
      if (isEcoleError(e, 'INVALID_INPUT')) return html(c, <Page c={c} title={t(lang, 'staff.docs.delete.title')} notice={{ kind: 'error', text: t(lang, 'staff.docs.delete.internal') }} current={BASE} />, 400)
      throw e
    }
    if (!removed) return errorPage(c, 404)
    await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), [{ action: 'document.deleted', subject: { kind: 'document', id: removed.id }, before: { name: removed.name, audience: removed.audience, available: removed.available, sizeBytes: removed.sizeBytes } }])
    return c.redirect(`${BASE}?done=deleted`, 303)
  })

  return app
}

const QUOTE: Record<Lang, (s: string) => string> = { fr: (s) => `« ${s} »`, it: (s) => `«${s}»`, en: (s) => `“${s}”`, nl: (s) => `“${s}”` }

/**
 * Queues the e-mails telling a family a document is on the portal (sent from its first day): to
 * the guardian it is for, or to each guardian of the child with an address. Answers how many.
 */
export async function notifyFamily(c: Context<AppEnv>, actor: Actor, doc: PortalDocument): Promise<number> {
  const { ctx, lang } = c.var
  const d = ctx.storage.directory!
  let guardians: Guardian[] = []
  if (doc.audience.kind === 'guardian') {
    const g = await d.getDirectoryRecord(actor.siteId, 'guardian', doc.audience.guardianId)
    guardians = g ? [g] : []
  } else if (doc.audience.kind === 'child') {
    const k = await d.getDirectoryRecord(actor.siteId, 'child', doc.audience.childId)
    guardians = k ? [...(await d.getDirectoryRecords(actor.siteId, 'guardian', k.guardians.map((l) => l.guardianId))).values()] : []
  }
  const notices: DocumentNotice[] = guardians.filter((g) => g.email && !g.archived).map((g) => ({
    kind: 'document', documentId: doc.id, reference: QUOTE[lang](doc.name), guardianId: g.id, guardianName: fullName(g), email: g.email!, displayDate: doc.available.from,
  }))
  if (notices.length === 0) return 0
  const { sender } = await siteMailIdentity(ctx, actor.siteId)
  await ctx.storage.transaction(actor.siteId, (tx) => queueDocumentNotices(tx.outbox!, {
    siteId: actor.siteId, timeZone: c.var.site.timeZone, locale: lang, sender, portalUrl: ctx.config.publicUrl, notices,
  }))
  return notices.length
}
