/**
 * Searching the families by name in the back office (seed 001: "rechercher un foyer, un
 * responsable, un enfant"): the households list and the children list take a name (words that
 * begin the name, accents and case ignored) and, for children, the archive state; the search runs
 * in the storage (`searchDirectoryRecords`, indexed in PostgreSQL), a page at a time, so a
 * 50,000-child site never loads whole. A bad search (more than 5 words, over 100 characters) is
 * shown beside the field in the user's language, with what was typed.
 */
import { Hono, type Context } from 'hono'
import { isEcoleError, type DirectorySearch, type DirectorySearchKind } from '@ecole/core'
import type { DirectoryRecords, Page as StorePage, StoragePorts } from '@ecole/core/ports'
import type { AppEnv } from '../env'
import { formatDate, t, type Lang } from '../i18n'
import { html } from '../views/render'
import { fullName } from './people'
import { authorize } from './permissions'
import { actorOfRequest, Page, Pager, refused } from './routes'
import { pageSizeOf } from './staff-billing'

/** What the archive filter of a list may say. */
export type ArchivedFilter = 'active' | 'archived' | 'all'

/** The archive filter of a query string: active by default. */
export function archivedFilterOf(v: string | undefined): ArchivedFilter {
  return v === 'archived' || v === 'all' ? v : 'active'
}

/** The children list's search: a name, and the archive state (`all`: no filter). */
export function childSearchOf(q: string, archived: ArchivedFilter): DirectorySearch {
  return { name: q, ...(archived === 'all' ? {} : { archived: archived === 'archived' }) }
}

/** One page of a search, or the refusal of a bad search (the library's `INVALID_INPUT`, field `search.name`). */
export async function searchPage<K extends DirectorySearchKind>(
  storage: StoragePorts, siteId: string, kind: K, search: DirectorySearch, page: { after?: string | undefined; limit: number },
): Promise<{ ok: true; page: StorePage<DirectoryRecords[K]> } | { ok: false; field: string }> {
  if (!storage.directory) throw new Error('[school-web] the storage has no directory port')
  try {
    return { ok: true, page: await storage.directory.searchDirectoryRecords(siteId, kind, search, { limit: page.limit, ...(page.after ? { after: page.after } : {}) }) }
  } catch (error) {
    if (isEcoleError(error, 'INVALID_INPUT')) return { ok: false, field: String((error.details as { field?: unknown } | undefined)?.field ?? 'search.name') }
    throw error
  }
}

/** The search form of a list: a name, and the archive state where the list has one. */
export function SearchForm(p: { lang: Lang; action: string; q: string; archived?: ArchivedFilter | undefined; error?: boolean }) {
  const { lang } = p
  return (
    <form method="get" action={p.action} class="card search" role="search">
      <p class="field">
        <label for="q">{t(lang, 'staff.search.name')}</label>
        <input id="q" name="q" type="search" value={p.q} aria-invalid={p.error ? 'true' : undefined} aria-describedby={p.error ? 'q-error' : 'q-hint'} />
        <small id="q-hint" class="hint">{t(lang, 'staff.search.hint')}</small>
        {p.error ? <span class="field-error" id="q-error" role="alert">{t(lang, 'staff.search.invalid')}</span> : null}
      </p>
      {p.archived === undefined ? null : (
        <p class="field">
          <label for="archived">{t(lang, 'staff.search.archived')}</label>
          <select id="archived" name="archived">
            {(['active', 'archived', 'all'] as const).map((v) => <option value={v} selected={p.archived === v}>{t(lang, `staff.search.archived.${v}`)}</option>)}
          </select>
        </p>
      )}
      <button type="submit">{t(lang, 'staff.search.submit')}</button>
    </form>
  )
}

/** The children list (`/staff/children?q=&archived=`), searched by name and archive state. */
export function childrenListRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/children', async (c: Context<AppEnv>) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'households.list', { siteId: actor.siteId })
    if (denied) return denied
    const query = c.req.query()
    const q = (query['q'] ?? '').trim()
    const archived = archivedFilterOf(query['archived'])
    const found = await searchPage(ctx.storage, actor.siteId, 'child', childSearchOf(q, archived), { after: query['after'], limit: pageSizeOf(query['limit']) })
    return html(c,
      <Page c={c} title={t(lang, 'staff.children.title')} current="/staff/children">
        <SearchForm lang={lang} action="/staff/children" q={q} archived={archived} error={!found.ok} />
        {found.ok ? (
          <>
            {found.page.items.length === 0 ? <p class="empty">{t(lang, 'staff.search.none')}</p> : (
              <table>
                <thead><tr><th scope="col">{t(lang, 'staff.children.name')}</th><th scope="col">{t(lang, 'staff.people.birthDate')}</th><th scope="col">{t(lang, 'staff.search.state')}</th></tr></thead>
                <tbody>
                  {found.page.items.map((ch) => (
                    <tr>
                      <td><a href={`/staff/children/${encodeURIComponent(ch.id)}`}>{fullName(ch)}</a></td>
                      <td>{formatDate(lang, ch.birthDate)}</td>
                      <td>{ch.archived ? t(lang, 'staff.archived') : t(lang, 'staff.search.active')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Pager lang={lang} base="/staff/children" query={query} next={found.page.next} />
            {found.page.items.length > 0 && authorize(actor, 'infoSheets.print', { siteId: actor.siteId }).ok
              ? <p class="actions"><a href={`/staff/children/info-sheets?${new URLSearchParams({ q, archived }).toString()}`}>{t(lang, 'staff.infoSheets.link')}</a></p>
              : null}
          </>
        ) : null}
      </Page>,
      found.ok ? 200 : 400,
    )
  })
  return app
}
