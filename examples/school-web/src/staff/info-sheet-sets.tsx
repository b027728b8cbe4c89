/**
 * The information sheets of a set of children (seed 001 "imprimer des fiches de renseignements
 * pour les enfants": the children list filtered, then "En pdf"; "Enregistrer dans les fiches"
 * keeps a copy in each child's documents, shown on the portal). The set is the children list's
 * search (`/staff/children?q=&archived=`), at most {@link MAX_SHEETS} children, read again when the
 * form is sent. "Télécharger" answers one ZIP of the sheets (one PDF per child, as the child's own
 * sheet prints); "Enregistrer dans les fiches" stores every sheet in one transaction under the
 * site's quota lock, the quota checked for the whole set: all are saved, or none.
 */
import { Hono, type Context } from 'hono'
import { checkStorageQuota, isEcoleError, parseInput, PortalDocumentSchema, type Child, type PortalDocument } from '@ecole/core'
import type { AppEnv } from '../env'
import { t } from '../i18n'
import { CsrfField } from '../views/layout'
import { html } from '../views/render'
import { zipArchive } from '../zip'
import { archivedFilterOf, childSearchOf, searchPage, type ArchivedFilter } from './directory-search'
import { quotaText } from './documents'
import { ErrorSummary, fieldErrorsOf, type FieldErrors } from './field-errors'
import { DateField, dateOfForm } from './form-fields'
import { infoSheetFileName, infoSheetPdf, sheetSources } from './info-sheets'
import { fullName } from './people'
import { authorize } from './permissions'
import { actorOfRequest, Page, refused, today } from './routes'
import { recordStaffChanges } from './staff-audit'

/** The most children one run prints or saves (each sheet is a PDF of its own, rendered in the request). */
export const MAX_SHEETS = 200
/** The children named on the page before "and N more". */
const NAMED = 20
const BASE = '/staff/children/info-sheets'
type Values = Record<string, string>

type ChildSet = { ok: true; children: Child[] } | { ok: false; code: 'invalidSearch' | 'tooMany' }

/** The children of the list's search, every page, or why not (a bad name search; more than {@link MAX_SHEETS}). */
async function childSet(c: Context<AppEnv>, q: string, archived: ArchivedFilter): Promise<ChildSet> {
  const { ctx } = c.var
  const siteId = actorOfRequest(c).siteId
  const search = childSearchOf(q, archived)
  const children: Child[] = []
  let after: string | undefined
  do {
    const found = await searchPage(ctx.storage, siteId, 'child', search, { after, limit: 500 })
    if (!found.ok) return { ok: false, code: 'invalidSearch' }
    children.push(...found.page.items)
    if (children.length > MAX_SHEETS) return { ok: false, code: 'tooMany' }
    after = found.page.next
  } while (after)
  return { ok: true, children }
}

/** The query string of the list's search (for the links back to the list). */
function searchQuery(q: string, archived: ArchivedFilter): string {
  return new URLSearchParams({ q, archived }).toString()
}

async function setPage(c: Context<AppEnv>, q: string, archived: ArchivedFilter, opts: { values?: Values; errors?: FieldErrors; done?: number; status?: 200 | 400 } = {}) {
  const { lang } = c.var
  const actor = actorOfRequest(c)
  const set = await childSet(c, q, archived)
  const maySave = authorize(actor, 'documents.add', { siteId: actor.siteId }).ok
  const v = opts.values ?? {}
  const notice = opts.done !== undefined ? { kind: 'ok' as const, text: t(lang, 'staff.infoSheets.saved', { count: opts.done }) } : undefined
  const problem = !set.ok ? t(lang, set.code === 'tooMany' ? 'staff.infoSheets.tooMany' : 'staff.search.invalid', { max: MAX_SHEETS }) : set.children.length === 0 ? t(lang, 'staff.infoSheets.none') : undefined
  return html(c,
    <Page c={c} title={t(lang, 'staff.infoSheets.title')} current="/staff/children" notice={notice}>
      <p><a href={`/staff/children?${searchQuery(q, archived)}`}>{t(lang, 'staff.infoSheets.back')}</a></p>
      {problem !== undefined || !set.ok ? <p class="notice error" role="alert">{problem}</p> : (
        <>
          <p id="sheet-count">{t(lang, 'staff.infoSheets.count', { count: set.children.length })}</p>
          <p class="hint">{set.children.slice(0, NAMED).map(fullName).join(', ')}{set.children.length > NAMED ? ` ${t(lang, 'staff.infoSheets.more', { count: set.children.length - NAMED })}` : ''}</p>
          <form method="post" action={BASE} class="card">
            <CsrfField session={c.var.session} />
            <input type="hidden" name="q" value={q} />
            <input type="hidden" name="archived" value={archived} />
            <ErrorSummary lang={lang} errors={opts.errors} />
            <p><button type="submit" name="do" value="download" formnovalidate>{t(lang, 'staff.infoSheets.download')}</button></p>
            {maySave ? (
              <fieldset>
                <legend>{t(lang, 'staff.infoSheets.saveLegend')}</legend>
                <DateField lang={lang} label={t(lang, 'staff.docs.from')} name="from" value={v['from'] ?? today(c)} />
                {opts.errors?.['from'] ? <p><strong class="field-error">{opts.errors['from']}</strong></p> : null}
                <DateField lang={lang} label={t(lang, 'staff.docs.to')} name="to" value={v['to']} required={false} />
                {opts.errors?.['to'] ? <p><strong class="field-error">{opts.errors['to']}</strong></p> : null}
                <button type="submit" name="do" value="save">{t(lang, 'staff.infoSheets.save', { count: set.children.length })}</button>
              </fieldset>
            ) : null}
          </form>
        </>
      )}
    </Page>,
    opts.status ?? (set.ok ? 200 : 400),
  )
}

/** The routes of the sheets of a set of children (`/staff/children/info-sheets`). */
export function infoSheetSetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/children/info-sheets', async (c) => {
    const no = refused(c, 'infoSheets.print', { siteId: actorOfRequest(c).siteId })
    if (no) return no
    const query = c.req.query()
    const done = query['done'] === 'saved' ? Number(query['count'] ?? 0) : undefined
    return setPage(c, (query['q'] ?? '').trim(), archivedFilterOf(query['archived']), done !== undefined && Number.isSafeInteger(done) ? { done } : {})
  })

  app.post('/children/info-sheets', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const body = await c.req.parseBody()
    const field = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '')
    const saving = field('do') === 'save'
    // printing reads the families' data (households.read); saving writes documents too (documents.write)
    const no = refused(c, 'infoSheets.print', { siteId: actor.siteId }) ?? (saving ? refused(c, 'documents.add', { siteId: actor.siteId }) : undefined)
    if (no) return no
    const q = field('q')
    const archived = archivedFilterOf(field('archived'))
    const set = await childSet(c, q, archived)
    if (!set.ok || set.children.length === 0) return setPage(c, q, archived)
    const day = today(c)
    const sheets: Array<{ child: Child; bytes: Uint8Array }> = []
    // the site, its logo, the enrolments, service rights and names read once for the whole set
    const sources = await sheetSources(c, set.children.map((ch) => ch.id))
    for (const child of set.children) sheets.push({ child, bytes: await infoSheetPdf(c, { kind: 'child', record: child }, lang, day, sources) })

    if (!saving) {
      // one PDF per child, named as the child's own sheet downloads (the child's id added when two children share a name)
      const names = new Set<string>()
      const zip = zipArchive(sheets.map(({ child, bytes }) => {
        let name = infoSheetFileName(child, day)
        if (names.has(name)) name = name.replace(/\.pdf$/, `-${child.id.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`)
        names.add(name)
        return { name, bytes, modified: ctx.clock.now() }
      }))
      c.header('Content-Type', 'application/zip')
      c.header('Content-Disposition', `attachment; filename="fiches-de-renseignements-${day}.zip"`)
      return c.body(zip as Uint8Array<ArrayBuffer>)
    }

    const values = { from: dateOfForm(field('from')), to: dateOfForm(field('to')) }
    let records: Array<{ record: PortalDocument; bytes: Uint8Array }>
    try {
      records = sheets.map(({ child, bytes }) => {
        const id = `info-sheet-${child.id}-${day}`
        return {
          record: parseInput(PortalDocumentSchema, {
            id, siteId: actor.siteId, name: `${t(lang, 'staff.infoSheet.title', { name: fullName(child) })} (${day})`, key: `${actor.siteId}/documents/${id}.pdf`,
            mediaType: 'application/pdf', audience: { kind: 'child', childId: child.id }, available: { from: values.from, to: values.to || undefined }, sizeBytes: bytes.length,
          }, 'document'),
          bytes,
        }
      })
    } catch (error) {
      const errors = isEcoleError(error, 'INVALID_INPUT') ? fieldErrorsOf(lang, error, { from: t(lang, 'staff.docs.from'), to: t(lang, 'staff.docs.to') }) : undefined
      if (errors) return setPage(c, q, archived, { values, errors, status: 400 })
      throw error
    }
    // every sheet in one transaction, the quota checked for the whole set under its lock: all or none
    const refusal = await ctx.storage.transaction(actor.siteId, async (tx) => {
      await tx.documents!.lockDocumentQuota(actor.siteId)
      const site = await tx.directory!.getSite(actor.siteId)
      let replaced = 0
      for (const { record } of records) replaced += (await tx.documents!.getDocument(actor.siteId, record.id))?.sizeBytes ?? 0
      const added = records.reduce((sum, r) => sum + r.record.sizeBytes, 0)
      const quota = checkStorageQuota({ usedBytes: (await tx.documents!.usedBytes(actor.siteId)) - replaced, addedBytes: added, maxStorageGb: site?.licence.maxStorageGb ?? null })
      if (!quota.ok) return quota.refusal
      for (const { record, bytes } of records) await tx.documents!.putDocument(actor.siteId, record, bytes)
      await recordStaffChanges(tx, actor, ctx.clock.now(), records.map(({ record }) => ({
        action: 'document.added', subject: { kind: 'document', id: record.id }, after: { name: record.name, audience: record.audience, available: record.available, sizeBytes: record.sizeBytes },
      })))
      return undefined
    })
    if (refusal) return setPage(c, q, archived, { values, errors: { _form: quotaText(lang, refusal) }, status: 400 })
    return c.redirect(`${BASE}?${searchQuery(q, archived)}&done=saved&count=${records.length}`, 303)
  })

  return app
}
