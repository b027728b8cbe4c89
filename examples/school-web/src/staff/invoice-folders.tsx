/**
 * Invoice folders of the back office (seed 001, Facturation, « dossiers de factures »):
 *
 * - `/staff/invoice-folders`: the folders as a tree (directory records `invoiceFolder`), each
 *   linked to its invoices (`/staff/invoices?folderId=`), created, renamed or moved
 *   (`saveInvoiceFolder`: the parent exists, no folder inside itself);
 * - filing a filtered set of invoices (status, batch, payer, billing office) into a folder, or out
 *   of any: a confirmation page says how many invoices and which folder, then
 *   `fileMatchingInvoices` files them in one transaction.
 *
 * Viewing takes `invoices.read` (action `invoiceFolders.view`); saving a folder and filing take
 * `invoices.write` (actions `invoiceFolders.manage`, `invoices.file`). Every change is audited.
 */
import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { invoiceFolderPath, isEcoleError, type InvoiceFolder } from '@ecole/core'
import type { InvoiceFilter } from '@ecole/core/ports'
import { fileMatchingInvoices, saveInvoiceFolder } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { t, type Lang } from '../i18n'
import { CsrfField } from '../views/layout'
import { html } from '../views/render'
import { CheckedField, ErrorSummary, fieldErrorsOf, type FieldErrors } from './field-errors'
import { formValues } from './form-fields'
import { actorOfRequest, depsOf, Page, refused } from './routes'
import { invoiceFilterOf } from './staff-billing'
import { recordStaffChanges, staffAudit } from './staff-audit'

const BASE = '/staff/invoice-folders'
const enc = encodeURIComponent

async function foldersOf(c: Context<AppEnv>): Promise<InvoiceFolder[]> {
  const out: InvoiceFolder[] = []
  let after: string | undefined
  do {
    const page = await c.var.ctx.storage.directory!.listDirectoryRecords(actorOfRequest(c).siteId, 'invoiceFolder', { limit: 500, ...(after ? { after } : {}) })
    out.push(...page.items)
    after = page.next
  } while (after)
  return out
}

/** Each folder with its path (`2027 / Janvier`), in path order, for the selects. */
function withPaths(folders: readonly InvoiceFolder[]): Array<{ id: string; path: string }> {
  return folders.map((f) => ({ id: f.id, path: invoiceFolderPath(folders, f.id).join(' / ') })).sort((a, b) => a.path.localeCompare(b.path))
}

function Tree(p: { lang: Lang; folders: readonly InvoiceFolder[]; parentId: string | null; canManage: boolean }) {
  const children = p.folders.filter((f) => f.parentId === p.parentId).sort((a, b) => a.name.localeCompare(b.name))
  if (children.length === 0) return null
  return (
    <ul class="folder-tree">
      {children.map((f) => (
        <li data-folder={f.id}>
          <a href={`/staff/invoices?folderId=${enc(f.id)}`}>{f.name}</a>
          {p.canManage ? <> · <a href={`${BASE}?edit=${enc(f.id)}`}>{t(p.lang, 'staff.folders.edit')}</a></> : null}
          <Tree lang={p.lang} folders={p.folders} parentId={f.id} canManage={p.canManage} />
        </li>
      ))}
    </ul>
  )
}

/** The invoice filter of the filing form (the same keys as the invoices list). */
function fileFilterOf(v: Record<string, string>): InvoiceFilter {
  return invoiceFilterOf({ status: v['status'], batchId: v['batchId'], debtorId: v['debtorId'], billingOfficeId: v['billingOfficeId'] })
}

/** The invoice-folder routes (mounted at `/staff`). */
export function invoiceFolderRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  async function treePage(c: Context<AppEnv>, opts: { values?: Record<string, string>; errors?: FieldErrors; fileErrors?: FieldErrors; status?: 200 | 400 } = {}) {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const folders = await foldersOf(c)
    const paths = withPaths(folders)
    const canManage = refused(c, 'invoiceFolders.manage', { siteId: actor.siteId }) === undefined
    const canFile = refused(c, 'invoices.file', { siteId: actor.siteId }) === undefined
    const editing = folders.find((f) => f.id === c.req.query('edit'))
    const v = opts.values ?? (editing ? { id: editing.id, name: editing.name, parentId: editing.parentId ?? '' } : { id: randomUUID(), name: '', parentId: '' })
    const done = c.req.query('done')
    const notice = done === 'saved' ? t(lang, 'staff.folders.saved') : done === 'filed' ? t(lang, 'staff.folders.filed', { count: Number(c.req.query('count') ?? 0) }) : undefined
    return html(c,
      <Page c={c} title={t(lang, 'staff.folders.title')} current={BASE} notice={notice ? { kind: 'ok', text: notice } : undefined}>
        {folders.length === 0 ? <p class="empty">{t(lang, 'staff.folders.none')}</p> : <Tree lang={lang} folders={folders} parentId={null} canManage={canManage} />}
        {canManage ? (
          <form method="post" action={BASE} class="card" id="folder-form">
            <h2>{t(lang, editing || opts.values?.['editing'] ? 'staff.folders.editTitle' : 'staff.folders.new')}</h2>
            <CsrfField session={c.var.session} />
            <ErrorSummary lang={lang} errors={opts.errors} />
            <input type="hidden" name="id" value={v['id']} />
            {editing || opts.values?.['editing'] ? <input type="hidden" name="editing" value="1" /> : null}
            <CheckedField label={t(lang, 'staff.folders.name')} name="name" value={v['name']} errors={opts.errors} required />
            <p class={opts.errors?.['parentId'] ? 'field invalid' : 'field'}>
              <label for="f-parentId">{t(lang, 'staff.folders.parent')}</label>
              <select id="f-parentId" name="parentId">
                <option value="">{t(lang, 'staff.folders.root')}</option>
                {paths.filter((f) => f.id !== v['id']).map((f) => <option value={f.id} selected={v['parentId'] === f.id}>{f.path}</option>)}
              </select>
              {opts.errors?.['parentId'] ? <strong id="f-parentId-error" class="field-error">{opts.errors['parentId']}</strong> : null}
            </p>
            <button type="submit">{t(lang, 'staff.folders.save')}</button>
          </form>
        ) : null}
        {canFile && folders.length > 0 ? (
          <form method="get" action={`${BASE}/file`} class="card" id="file-form">
            <h2>{t(lang, 'staff.folders.fileTitle')}</h2>
            <ErrorSummary lang={lang} errors={opts.fileErrors} />
            <p class="field">
              <label for="f-status">{t(lang, 'staff.invoices.status')}</label>
              <select id="f-status" name="status">
                <option value="">{t(lang, 'staff.invoices.any')}</option>
                <option value="draft">{t(lang, 'staff.invoices.drafts')}</option>
                <option value="validated">{t(lang, 'staff.invoices.validated')}</option>
              </select>
            </p>
            <CheckedField label={t(lang, 'staff.invoices.batch')} name="batchId" idPrefix="file" />
            <CheckedField label={t(lang, 'staff.invoices.payer')} name="debtorId" idPrefix="file" />
            <p class="field">
              <label for="f-folderId">{t(lang, 'staff.folders.into')}</label>
              <select id="f-folderId" name="folderId">
                {paths.map((f) => <option value={f.id}>{f.path}</option>)}
                <option value="">{t(lang, 'staff.folders.outOfAny')}</option>
              </select>
            </p>
            <button type="submit">{t(lang, 'staff.folders.fileSubmit')}</button>
          </form>
        ) : null}
      </Page>,
      opts.status ?? 200,
    )
  }

  app.get('/invoice-folders', async (c) => {
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoiceFolders.view', { siteId: actor.siteId })
    if (denied) return denied
    return treePage(c)
  })

  app.post('/invoice-folders', async (c) => {
    const { ctx, lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoiceFolders.manage', { siteId: actor.siteId })
    if (denied) return denied
    const v = formValues(await c.req.parseBody())
    const folder: InvoiceFolder = { id: v['id'] || randomUUID(), name: v['name'] ?? '', parentId: v['parentId'] ? v['parentId'] : null }
    const before = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'invoiceFolder', folder.id)
    try {
      await saveInvoiceFolder(depsOf(c), { siteId: actor.siteId, folder })
    } catch (error) {
      const errors = isEcoleError(error, 'FOLDER_CYCLE') ? { parentId: t(lang, 'staff.folders.cycle') }
        : isEcoleError(error, 'FOLDER_PARENT_NOT_FOUND') ? { parentId: t(lang, 'staff.folders.parentGone') }
        : fieldErrorsOf(lang, error, { name: t(lang, 'staff.folders.name') })
      if (!errors) throw error
      return treePage(c, { values: v, errors, status: 400 })
    }
    await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), [{
      action: before ? 'invoiceFolder.changed' : 'invoiceFolder.created', subject: { kind: 'invoiceFolder', id: folder.id },
      ...(before ? { before: { name: before.name, parentId: before.parentId } } : {}), after: { name: folder.name.trim(), parentId: folder.parentId },
    }])
    return c.redirect(`${BASE}?done=saved`, 303)
  })

  /** The confirmation of a filing: how many invoices the filter selects, and where they go. */
  app.get('/invoice-folders/file', async (c) => {
    const { ctx, lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.file', { siteId: actor.siteId })
    if (denied) return denied
    const v = c.req.query()
    const filter = fileFilterOf(v)
    if (Object.keys(filter).length === 0) return treePage(c, { fileErrors: { _form: t(lang, 'staff.folders.filterRequired') }, status: 400 })
    const folders = await foldersOf(c)
    const folderId = v['folderId'] ?? ''
    if (folderId !== '' && !folders.some((f) => f.id === folderId)) return c.notFound()
    let count = 0
    let after: string | undefined
    do {
      const page = await ctx.storage.invoicing!.listInvoices(actor.siteId, filter, { limit: 1000, ...(after ? { after } : {}) })
      count += page.items.length
      after = page.next
    } while (after)
    const where = folderId === '' ? t(lang, 'staff.folders.outOfAny') : invoiceFolderPath(folders, folderId).join(' / ')
    return html(c,
      <Page c={c} title={t(lang, 'staff.folders.fileTitle')} current={BASE}>
        <form method="post" action={`${BASE}/file`} class="card">
          <CsrfField session={c.var.session} />
          {Object.entries({ ...filter, folderId }).map(([k, x]) => <input type="hidden" name={k} value={String(x)} />)}
          <p id="file-effect">{count === 0 ? t(lang, 'staff.folders.fileNone') : t(lang, folderId === '' ? 'staff.folders.unfileConfirm' : 'staff.folders.fileConfirm', { count, folder: where })}</p>
          {count > 0 ? <button type="submit">{t(lang, 'staff.confirm')}</button> : null} <a href={BASE}>{t(lang, 'staff.cancel')}</a>
        </form>
      </Page>,
    )
  })

  app.post('/invoice-folders/file', async (c) => {
    const { ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.file', { siteId: actor.siteId })
    if (denied) return denied
    const v = formValues(await c.req.parseBody())
    const folderId = v['folderId'] ? v['folderId'] : null
    try {
      // filed with its audit entry, in one transaction
      const count = await fileMatchingInvoices(depsOf(c), { siteId: actor.siteId, filter: fileFilterOf(v), folderId }, {
        audit: staffAudit(actor, ctx.clock.now(), (filed) => [{ action: 'invoices.filed', subject: { kind: 'invoiceFolder', id: folderId ?? '-' }, after: { filter: fileFilterOf(v), count: filed } }]),
      })
      return c.redirect(`${BASE}?done=filed&count=${count}`, 303)
    } catch (error) {
      if (isEcoleError(error, 'NOT_FOUND')) return c.notFound()
      if (isEcoleError(error, 'INVALID_INPUT')) return treePage(c, { fileErrors: { _form: t(c.var.lang, 'staff.folders.filterRequired') }, status: 400 })
      throw error
    }
  })

  return app
}
