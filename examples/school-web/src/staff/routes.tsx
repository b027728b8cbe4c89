/**
 * The back office, mounted at `/staff` (issue 18). Every screen and every action names a
 * {@link StaffAction} and passes the gate ({@link authorize}: the library's `can()` on the
 * signed-in user's role and scope); a refusal is a 403 page naming the permission that is missing.
 * Lists are paginated on the server (cursor links); destructive actions go through a confirmation
 * page that says what will change; every change is written to the library's audit trail.
 */
import { randomUUID } from 'node:crypto'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { walletReferenceOfNumber } from '../portal/family'
import { isEcoleError, walletAccountId, type AccessScope, type Actor, type Guardian, type Invoice, type LocalDate } from '@ecole/core'
import { adjustDraft, createDeposit, deleteDeposit, recordPayment, verifyUserPassword, type BillingDeps } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { formatAmount, formatDate, formatQuantity, t, type Lang, type MessageKey } from '../i18n'
import { writeSessionCookie } from '../security/middleware'
import { clientAddress, startAttempt } from '../portal/auth'
import { CsrfField, Field, Layout } from '../views/layout'
import { html } from '../views/render'
import { lineShareNote, linePriceText } from '../views/invoice-line-text'
import { authorize, STAFF_ACTIONS, type StaffAction } from './permissions'
import { staffActor } from './staff-access'
import { staffPasswordRoutes } from './password-reset'
import { invoiceListOf, invoiceListProblems, invoiceWithBalance, listInvoicePage, pageSizeOf, payInvoiceAs, validateBatchAs } from './staff-billing'
import { staffAudit } from './staff-audit'
import { guardianArchiveCheck, listHouseholdPage, renameHouseholdAs, setGuardianArchived } from './staff-families'
import { ErrorSummary, type FieldErrors } from './field-errors'
import { RecordConflictCard, recordConflictView, VersionField, versionOf } from './record-conflict'
import { mountPurchases } from './purchases'
import { accountRoutes } from './accounts'
import { bankRoutes } from './bank'
import { batchRoutes } from './batches'
import { reminderRoutes } from './reminders'
import { guardianPeople, householdDoneNotice, householdPeople, householdRoutes } from './households'
import { enrolmentRoutes } from './enrolments'
import { billingRuleRoutes } from './billing-rules'
import { attendanceRoutes } from './attendance'
import { establishmentRoutes } from './establishment'
import { siteRoutes } from './site'
import { userRoutes } from './users'
import { mailRoutes } from './mail'
import { adminListRoutes } from './admin-lists'
import { establishmentExtraRoutes } from './establishment-extras'
import { periodRoutes } from './periods'
import { QuotientSection, tariffRoutes } from './tariffs'
import { childrenListRoutes, SearchForm, searchPage } from './directory-search'
import { familyMoveRoutes } from './family-moves'
import { CriteriaSection, personCriteriaRoutes } from './person-criteria'
import { allRecords, guardiansOf } from './people'
import { page, readAll } from '../read-all'
import { messageRoutes } from './messages'
import { portalLoginRoutes } from './portal-logins'
import { invoiceFolderRoutes } from './invoice-folders'
import { portalDateRoutes } from './portal-dates'
import { documentRoutes } from './documents' // staffdocs: documents of families and groups
import { siteImageRoutes } from './site-images' // staffdocs: logo and stamp
import { childBookingRoutes } from './child-bookings'
import { adjustmentEditRoutes } from './adjustment-edits'
import { infoSheetRoutes } from './info-sheets' // staffdocs: information sheets
import { infoSheetSetRoutes } from './info-sheet-sets'
import { guardianNames } from './staff-money' // demomonth: payers by name in the invoices list
import type { InvoiceWithBalance, StoragePorts } from '@ecole/core/ports'
import { dayIn } from '../site-facts'
import { usableDate } from './form-fields'

/** The invoices a guardian's page lists (the most recent due first; a line says how many there are in all). */
const GUARDIAN_INVOICES = 100

/** Lets only a logged-in staff user through. */
export function requireStaff(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const subject = c.var.session.subject
    if (!subject || subject.kind !== 'user') return c.req.method === 'GET' ? c.redirect('/staff/login', 303) : c.text('Forbidden', 403)
    return next()
  }
}

const actors = new WeakMap<Request, Actor>()

/** The signed-in user's actor (loaded once per request by the staff middleware). */
export function actorOfRequest(c: Context<AppEnv>): Actor {
  const actor = actors.get(c.req.raw)
  if (!actor) throw new Error('[school-web] no staff actor on this request')
  return actor
}

export function depsOf(c: Context<AppEnv>): BillingDeps {
  return { storage: c.var.ctx.storage, clock: c.var.ctx.clock }
}

/** Today in the site's zone (the demo clock included). */
export function today(c: Context<AppEnv>): LocalDate {
  return dayIn(c.var.site.timeZone, c.var.ctx.clock.now())
}

/**
 * The guardian's file, from their page (seed 001, « la fiche du responsable »): a message to their
 * household, the household's documents, their portal access and their information sheet, each
 * shown only to a user who may open it.
 */
async function GuardianLinks(p: { c: Context<AppEnv>; guardian: Guardian }) {
  const { lang } = p.c.var
  const actor = actorOfRequest(p.c)
  const may = (action: StaffAction) => authorize(actor, action, { siteId: actor.siteId }).ok
  const id = encodeURIComponent(p.guardian.id)
  const household = encodeURIComponent(p.guardian.householdId)
  const links = [
    may('messages.send') ? { href: `/staff/messages/new?householdId=${household}`, text: t(lang, 'staff.guardian.writeTo') } : undefined,
    may('documents.list') ? { href: `/staff/documents?householdId=${household}`, text: t(lang, 'staff.guardian.documents') } : undefined,
    may('portal.status') ? { href: `/staff/portal-access/${id}`, text: t(lang, 'staff.nav.portalAccess') } : undefined,
    may('infoSheets.print') ? { href: `/staff/guardians/${id}/info-sheet`, text: t(lang, 'staff.guardian.infoSheet') } : undefined,
  ].filter((l): l is { href: string; text: string } => l !== undefined)
  return links.length === 0 ? null : <p class="actions" id="guardian-links">{links.map((l, i) => <>{i > 0 ? ' · ' : ''}<a href={l.href}>{l.text}</a></>)}</p>
}

/** The menu: only what the user may open. */
const MENU: Array<{ href: string; key: MessageKey; action: StaffAction; scoped?: boolean; or?: StaffAction }> = [
  { href: '/staff/households', key: 'staff.nav.households', action: 'households.list' },
  { href: '/staff/invoices', key: 'staff.nav.invoices', action: 'invoices.list' },
  { href: '/staff/payments', key: 'staff.nav.payments', action: 'deposits.manage' },
  { href: '/staff/audit', key: 'staff.nav.audit', action: 'audit.view' },
  { href: '/staff/purchases', key: 'staff.nav.purchases', action: 'purchases.list' },
  // the money procedures (issue 18): batches.tsx, bank.tsx, reminders.tsx, accounts.tsx
  { href: '/staff/batches/new', key: 'staff.nav.batches', action: 'invoices.createBatch' },
  { href: '/staff/direct-debits', key: 'staff.nav.directDebits', action: 'directDebits.collect' },
  { href: '/staff/bank', key: 'staff.nav.bank', action: 'bank.import' },
  { href: '/staff/reminders', key: 'staff.nav.reminders', action: 'reminders.list' },
  { href: '/staff/tax-certificates', key: 'staff.nav.tax', action: 'taxCertificates.issue' },
  { href: '/staff/accounts', key: 'staff.nav.accounts', action: 'accounts.view' },
  { href: '/staff/attendance', key: 'staff.nav.attendance', action: 'attendance.take', scoped: true },
  { href: '/staff/admin/establishment', key: 'staff.nav.establishment', action: 'establishment.edit' },
  // the administration screens (issue 18, staffadmin): site.tsx
  { href: '/staff/admin/site', key: 'staff.nav.site', action: 'site.edit' },
  { href: '/staff/admin/roles', key: 'staff.nav.roles', action: 'roles.manage', scoped: true },
  { href: '/staff/admin/users', key: 'staff.nav.users', action: 'users.manage', scoped: true },
  { href: '/staff/admin/mail', key: 'staff.nav.mail', action: 'mail.personal', scoped: true, or: 'mail.accounts' },
  { href: '/staff/admin/criteria', key: 'staff.nav.criteria', action: 'site.edit' },
  { href: '/staff/admin/insurances', key: 'staff.nav.insurances', action: 'site.edit' },
  { href: '/staff/admin/portal-texts', key: 'staff.nav.portalTexts', action: 'site.edit' },
  { href: '/staff/admin/consents', key: 'staff.nav.consents', action: 'consents.manage' },
  { href: '/staff/admin/periods', key: 'staff.nav.periods', action: 'periods.edit' },
  { href: '/staff/admin/tariffs', key: 'staff.nav.tariffs', action: 'tariffs.view' },
  // searching the families by name (directory-search.tsx)
  { href: '/staff/children', key: 'staff.nav.children', action: 'households.list' },
  { href: '/staff/messages', key: 'staff.nav.messages', action: 'messages.list' }, // messages.tsx (staffmsg)
  { href: '/staff/portal-access', key: 'staff.nav.portalAccess', action: 'portal.status' }, // portal-logins.tsx (staffmsg)
  { href: '/staff/invoice-folders', key: 'staff.nav.invoiceFolders', action: 'invoiceFolders.view' }, // invoice-folders.tsx (staffmsg)
  { href: '/staff/portal-dates', key: 'staff.nav.portalDates', action: 'invoices.portalDate' }, // portal-dates.tsx (staffmsg)
  { href: '/staff/documents', key: 'staff.nav.documents', action: 'documents.list' }, // staffdocs (documents.tsx)
  { href: '/staff/admin/images', key: 'staff.nav.images', action: 'images.siteLogo', or: 'images.school' }, // staffdocs (site-images.tsx)
]

function nav(c: Context<AppEnv>, current?: string): Array<{ href: string; label: string; current?: boolean }> {
  const actor = actorOfRequest(c)
  return [
    { href: '/staff', label: t(c.var.lang, 'staff.home'), current: current === '/staff' },
    ...MENU.filter((m) => (m.scoped ? actor.permissions.includes(STAFF_ACTIONS[m.action]) : authorize(actor, m.action, { siteId: actor.siteId }).ok) || (m.or !== undefined && authorize(actor, m.or, { siteId: actor.siteId }).ok)).map((m) => ({ href: m.href, label: t(c.var.lang, m.key), current: current === m.href })),
  ]
}

/** A back-office page. */
export function Page(p: { c: Context<AppEnv>; title: string; current?: string; notice?: { kind: 'ok' | 'error'; text: string } | undefined; children?: unknown }) {
  return (
    <Layout lang={p.c.var.lang} title={p.title} area={t(p.c.var.lang, 'app.staffTitle')} session={p.c.var.session} nav={nav(p.c, p.current)} logoutAction="/staff/logout" notice={p.notice}>
      {p.children as never}
    </Layout>
  )
}

/** The 403 page of a refused action: it names the missing permission (or the scope). */
export function refused(c: Context<AppEnv>, action: StaffAction, scope: AccessScope): Promise<Response> | undefined {
  const r = authorize(actorOfRequest(c), action, scope)
  if (r.ok) return undefined
  const lang = c.var.lang
  const text = r.refusal.code === 'PERMISSION_MISSING'
    ? t(lang, 'staff.refused.permission', { permission: r.refusal.permission })
    : t(lang, 'staff.refused.scope', { permission: r.refusal.permission, school: r.refusal.schoolId ?? '-', service: r.refusal.serviceId ?? '-' })
  return html(c, <Page c={c} title={t(lang, 'error.title')} notice={{ kind: 'error', text }}><p><a href="/staff">{t(lang, 'staff.home')}</a></p></Page>, 403)
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : ''
}

export function Pager(p: { lang: Lang; base: string; query: Record<string, string | undefined>; next?: string | undefined }) {
  if (!p.next) return null
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(p.query)) if (v && k !== 'after') q.set(k, v)
  q.set('after', p.next)
  return <p><a href={`${p.base}?${q.toString()}`} rel="next">{t(p.lang, 'staff.next')}</a></p>
}

/** The staff routes. */
export function staffRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const LoginPage = (p: { c: Context<AppEnv>; error?: string; login?: string }) => (
    <Layout lang={p.c.var.lang} title={t(p.c.var.lang, 'staff.login')} area={t(p.c.var.lang, 'app.staffTitle')} session={p.c.var.session} notice={p.error ? { kind: 'error', text: p.error } : undefined}>
      <form method="post" action="/staff/login" class="card">
        <CsrfField session={p.c.var.session} />
        <Field label={t(p.c.var.lang, 'login.username')} name="username" type="email" autocomplete="username" value={p.login} />
        <Field label={t(p.c.var.lang, 'login.password')} name="password" type="password" autocomplete="current-password" />
        <button type="submit">{t(p.c.var.lang, 'login.submit')}</button>
      </form>
      <p><a href="/staff/forgot">{t(p.c.var.lang, 'staff.forgot.link')}</a></p>
      <p><a href="/staff/token">{t(p.c.var.lang, 'staff.token.link')}</a></p>
    </Layout>
  )
  app.get('/login', (c) => html(c, <LoginPage c={c} />))
  app.post('/login', async (c) => {
    const { ctx, lang } = c.var
    const siteId = ctx.config.siteId
    const body = await c.req.parseBody()
    const login = str(body.username).toLowerCase()
    const password = typeof body.password === 'string' ? body.password : ''
    const attempt = await startAttempt(c, [`staff:${login}`, `ip:${clientAddress(c)}`])
    if (!attempt) return html(c, <LoginPage c={c} error={t(lang, 'error.slowDown')} login={login} />, 429)
    try {
      const result = await verifyUserPassword({ access: ctx.storage.access!, siteId, login, password })
      if (!result.ok) return html(c, <LoginPage c={c} error={t(lang, 'login.failed')} login={login} />, 401)
      attempt.succeed()
      const session = ctx.sessions.login(c.var.session, siteId, { kind: 'user', id: result.userId })
      writeSessionCookie(c, session)
      return c.redirect('/staff', 303)
    } finally {
      attempt.end()
    }
  })
  app.post('/logout', (c) => {
    c.var.ctx.sessions.end(c.var.session.id)
    return c.redirect('/staff/login', 303)
  })
  app.route('/', staffPasswordRoutes())
  app.use('*', requireStaff())
  app.use('*', async (c, next) => {
    const actor = await staffActor(c.var.ctx.storage, c.var.ctx.config.siteId, c.var.session.subject!.id)
    if (!actor) {
      c.var.ctx.sessions.end(c.var.session.id)
      return c.redirect('/staff/login', 303)
    }
    actors.set(c.req.raw, actor)
    return next()
  })

  app.route('/', householdRoutes())
  // before the child's file (/children/:id): /children/info-sheets is the sheets of a set of children
  app.route('/', infoSheetSetRoutes())
  app.route('/', enrolmentRoutes())
  app.route('/', billingRuleRoutes())
  app.route('/', attendanceRoutes())
  app.route('/', childrenListRoutes())
  app.route('/', familyMoveRoutes())
  app.route('/', personCriteriaRoutes())

  // ---- home: who I am, what I may do
  app.get('/', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const user = await ctx.storage.access!.getUser(actor.siteId, actor.userId)
    const role = user && (await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'role', user.roleId))
    return html(c,
      <Page c={c} title={t(lang, 'staff.home')} current="/staff">
        <p>{t(lang, 'staff.signedInAs', { name: user ? `${user.firstName} ${user.lastName}` : actor.userId, role: role?.label ?? actor.userId })}</p>
        <h2>{t(lang, 'staff.permissions')}</h2>
        <ul class="permissions">
          {actor.permissions.map((p) => <li><code>{p}</code></li>)}
        </ul>
      </Page>,
    )
  })

  // ---- families: households (paginated), a guardian's file, archive / unarchive
  app.get('/households', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'households.list', { siteId: actor.siteId })
    if (denied) return denied
    const query = c.req.query()
    const q = (query['q'] ?? '').trim()
    // a name searches the households by their name and, beside them, the guardians by theirs (the first page)
    const found = q === ''
      ? { ok: true as const, page: await listHouseholdPage(ctx.storage, actor.siteId, { after: query['after'], limit: pageSizeOf(query['limit']) }) }
      : await searchPage(ctx.storage, actor.siteId, 'household', { name: q }, { after: query['after'], limit: pageSizeOf(query['limit']) })
    const guardians = q !== '' && found.ok && !query['after'] ? await searchPage(ctx.storage, actor.siteId, 'guardian', { name: q }, { limit: 20 }) : undefined
    return html(c,
      <Page c={c} title={t(lang, 'staff.households.title')} current="/staff/households">
        {authorize(actor, 'households.create', { siteId: actor.siteId }).ok ? <p><a href="/staff/households/new">{t(lang, 'staff.people.newHousehold')}</a></p> : null}
        <SearchForm lang={lang} action="/staff/households" q={q} error={!found.ok} />
        {found.ok ? (
          <>
            {found.page.items.length === 0 ? <p class="empty">{t(lang, 'staff.search.none')}</p> : (
              <table>
                <thead><tr><th scope="col">{t(lang, 'staff.households.name')}</th><th scope="col">{t(lang, 'staff.households.address')}</th></tr></thead>
                <tbody>
                  {found.page.items.map((h) => (
                    <tr>
                      <td><a href={`/staff/households/${encodeURIComponent(h.id)}`}>{h.name}</a></td>
                      <td>{[h.address.line1, h.address.postcode, h.address.city].filter(Boolean).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Pager lang={lang} base="/staff/households" query={query} next={found.page.next} />
          </>
        ) : null}
        {guardians?.ok && guardians.page.items.length > 0 ? (
          <section class="guardian-matches">
            <h2>{t(lang, 'staff.search.guardians')}</h2>
            <ul>
              {guardians.page.items.map((g) => (
                <li><a href={`/staff/guardians/${encodeURIComponent(g.id)}`}>{`${g.firstName} ${g.lastName}`}</a>{g.archived ? ` (${t(lang, 'staff.archived')})` : ''}</li>
              ))}
            </ul>
          </section>
        ) : null}
      </Page>,
      found.ok ? 200 : 400,
    )
  })

  app.get('/households/:id', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'households.view', { siteId: actor.siteId })
    if (denied) return denied
    const directory = ctx.storage.directory!
    const household = await directory.getDirectoryRecord(actor.siteId, 'household', c.req.param('id'))
    if (!household) return c.notFound()
    const guardians = await guardiansOf(ctx.storage, actor.siteId, household.id)
    const canRename = authorize(actor, 'households.rename', { siteId: actor.siteId }).ok
    return html(c,
      <Page c={c} title={household.name} current="/staff/households" notice={c.req.query('done') === 'renamed' ? { kind: 'ok', text: t(lang, 'staff.rename.done') } : householdDoneNotice(lang, c.req.query('done'))}>
        {canRename ? (
          <form method="post" action={`/staff/households/${encodeURIComponent(household.id)}/rename`} class="card">
            <CsrfField session={c.var.session} />
            <VersionField version={versionOf(household)} />
            <Field label={t(lang, 'staff.households.name')} name="name" value={household.name} />
            <button type="submit">{t(lang, 'staff.rename.submit')}</button>
          </form>
        ) : null}
        <h2>{t(lang, 'staff.guardians')}</h2>
        <ul>
          {guardians.map((g) => (
            <li>
              <a href={`/staff/guardians/${encodeURIComponent(g.id)}`}>{`${g.firstName} ${g.lastName}`}</a>
              {g.archived ? ` (${t(lang, 'staff.archived')})` : ''}
            </li>
          ))}
        </ul>
        {await householdPeople(c, household, guardians)}
      </Page>,
    )
  })

  app.post('/households/:id/rename', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'households.rename', { siteId: actor.siteId })
    if (denied) return denied
    const body = await c.req.parseBody()
    const householdId = c.req.param('id')
    const outcome = await renameHouseholdAs(ctx.storage, actor, { householdId, name: str(body.name), now: ctx.clock.now(), version: str(body['version']) || undefined }).catch(async (error: unknown) => {
      const conflict = await recordConflictView(ctx.storage, lang, actor.siteId, error, { ref: { kind: 'household', id: householdId }, reload: `/staff/households/${encodeURIComponent(householdId)}`, labels: { name: t(lang, 'staff.households.name') } })
      if (!conflict) throw error
      return { ok: false, code: 'RECORD_CHANGED', conflict } as const
    })
    if (!outcome.ok && outcome.code === 'RECORD_CHANGED') {
      // the rename form again, with the name typed and the version stored now
      return html(c, (
        <Page c={c} title={t(lang, 'staff.rename.submit')} current="/staff/households" notice={{ kind: 'error', text: outcome.conflict.text }}>
          <RecordConflictCard lang={lang} conflict={outcome.conflict} />
          {outcome.conflict.version
            ? (
              <form method="post" action={`/staff/households/${encodeURIComponent(householdId)}/rename`} class="card">
                <CsrfField session={c.var.session} />
                <VersionField version={outcome.conflict.version} />
                <Field label={t(lang, 'staff.households.name')} name="name" value={str(body.name)} />
                <button type="submit">{t(lang, 'staff.rename.submit')}</button>
              </form>
            )
            : null}
        </Page>
      ), 409)
    }
    if (outcome.ok) return c.redirect(`/staff/households/${encodeURIComponent(outcome.household.id)}?done=renamed`, 303)
    if (outcome.code === 'NOT_FOUND') return c.notFound()
    return html(c, <Page c={c} title={t(lang, 'staff.rename.submit')} current="/staff/households" notice={{ kind: 'error', text: outcome.message }}><p><a href={`/staff/households/${encodeURIComponent(c.req.param('id'))}`}>{t(lang, 'staff.households.title')}</a></p></Page>, 400)
  })

  app.get('/guardians/:id', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'households.view', { siteId: actor.siteId })
    if (denied) return denied
    const guardian = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', c.req.param('id'))
    if (!guardian) return c.notFound()
    // every invoice of the guardian (one family's), the most recent due first, the first 100 shown
    const allInvoices = authorize(actor, 'invoices.list', { siteId: actor.siteId }).ok
      ? (await readAll((a) => ctx.storage.invoicing!.listInvoices(actor.siteId, { debtorId: guardian.id }, page(a))))
        .sort((x, y) => (x.dueDate === y.dueDate ? (x.id < y.id ? 1 : x.id > y.id ? -1 : 0) : x.dueDate < y.dueDate ? 1 : -1))
      : []
    const invoices = allInvoices.slice(0, GUARDIAN_INVOICES)
    const canArchive = authorize(actor, 'guardians.archive', { siteId: actor.siteId }).ok
    const canCredit = authorize(actor, 'wallets.credit', { siteId: actor.siteId }).ok
    const offices = await allRecords(ctx.storage, actor.siteId, 'billingOffice')
    const balances = authorize(actor, 'wallets.view', { siteId: actor.siteId }).ok && ctx.storage.ledger && offices.length > 0
      ? await ctx.storage.ledger.getBalances(actor.siteId, offices.map((o) => walletAccountId(guardian.id, o.id)))
      : []
    const done = c.req.query('done')
    const notice = done === 'archived' ? { kind: 'ok' as const, text: t(lang, 'staff.archive.done') } : done === 'unarchived' ? { kind: 'ok' as const, text: t(lang, 'staff.unarchive.done') } : done === 'credited' ? { kind: 'ok' as const, text: t(lang, 'staff.wallet.done') } : done === 'adultEnrolled' ? { kind: 'ok' as const, text: t(lang, 'staff.adult.done') } : done === 'quotient' ? { kind: 'ok' as const, text: t(lang, 'staff.quotient.saved') } : undefined
    return html(c,
      <Page c={c} title={`${guardian.firstName} ${guardian.lastName}`} current="/staff/households" notice={notice}>
        <dl class="card">
          <dt>{t(lang, 'staff.household')}</dt><dd><a href={`/staff/households/${encodeURIComponent(guardian.householdId)}`}>{(await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'household', guardian.householdId))?.name ?? guardian.householdId}</a></dd>
          <dt>{t(lang, 'staff.email')}</dt><dd>{guardian.email ?? '-'}</dd>
          <dt>{t(lang, 'staff.state')}</dt><dd>{guardian.archived ? `${t(lang, 'staff.archived')} (${formatDate(lang, guardian.archived.on)})` : t(lang, 'staff.active')}</dd>
        </dl>
        {await guardianPeople(c, guardian)}
        {await CriteriaSection({ c, kind: 'guardian', person: guardian })}
        {await QuotientSection({ c, guardianId: guardian.id })}
        {allInvoices.length > invoices.length ? <p id="invoices-shown">{t(lang, 'staff.guardian.invoicesShown', { shown: invoices.length, count: allInvoices.length })}</p> : null}
        {invoices.length > 0 ? <InvoiceTable lang={lang} invoices={invoices} /> : null}
        {balances.length > 0 ? (
          <section class="card">
            <h2>{t(lang, 'staff.wallet.title')}</h2>
            <dl>
              {balances.map((b) => (
                <>
                  <dt>{offices.find((o) => walletAccountId(guardian.id, o.id) === b.accountId)?.name ?? b.accountId}</dt>
                  <dd class="balance">{formatAmount(lang, b.posted, b.currency)}</dd>
                </>
              ))}
              <dt>{t(lang, 'staff.wallet.reference')}</dt>
              <dd id="wallet-reference">{guardian.walletNumber !== undefined ? walletReferenceOfNumber(guardian.walletNumber).display : <span class="muted">{t(lang, 'staff.wallet.noReference')}</span>}</dd>
            </dl>
          </section>
        ) : null}
        {authorize(actor, 'accounts.view', { siteId: actor.siteId }).ok ? <p><a href={`/staff/accounts/${encodeURIComponent(guardian.id)}`}>{t(lang, 'staff.accounts.link')}</a></p> : null}
        <GuardianLinks c={c} guardian={guardian} />
        {canCredit && offices.length > 0 ? <CreditForm c={c} guardianId={guardian.id} offices={offices.map((o) => ({ id: o.id, name: o.name }))} /> : null}
        {authorize(actor, 'children.enrol', { siteId: actor.siteId }).ok && authorize(actor, 'billingRules.edit', { siteId: actor.siteId }).ok && !guardian.archived ? <p><a href={`/staff/guardians/${encodeURIComponent(guardian.id)}/adult-meals`}>{t(lang, 'staff.adult.link')}</a></p> : null}
        {authorize(actor, 'guardians.move', { siteId: actor.siteId }).ok && !guardian.archived ? <p><a href={`/staff/guardians/${encodeURIComponent(guardian.id)}/move`}>{t(lang, 'staff.moveGuardian.link')}</a></p> : null}
        {canArchive ? (
          <p><a href={`/staff/guardians/${encodeURIComponent(guardian.id)}/${guardian.archived ? 'unarchive' : 'archive'}`}>{t(lang, guardian.archived ? 'staff.unarchive' : 'staff.archive')}</a></p>
        ) : null}
      </Page>,
    )
  })

  // prepaid: credit the account of a guardian who pays at the desk (seed 001), the whole amount to the wallet
  app.post('/guardians/:id/credit', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'wallets.credit', { siteId: actor.siteId })
    if (denied) return denied
    const guardian = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', c.req.param('id'))
    if (!guardian) return c.notFound()
    const body = await c.req.parseBody()
    const office = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'billingOffice', str(body.billingOfficeId))
    const amount = str(body.amount).replace(',', '.')
    const date = usableDate(str(body.date))
    const bad = (text: string) => html(c, <Page c={c} title={t(lang, 'staff.wallet.credit')} current="/staff/households" notice={{ kind: 'error', text }}><p><a href={`/staff/guardians/${encodeURIComponent(guardian.id)}`}>{`${guardian.firstName} ${guardian.lastName}`}</a></p></Page>, 400)
    if (date === undefined) return bad(t(lang, 'staff.wallet.badDate'))
    // at most 999,999,999.99 (a longer amount is a typo, and beyond what the ledger holds)
    if (!office || !/^\d{1,9}(\.\d{1,2})?$/.test(amount) || !str(body.method) || !str(body.paymentId) || str(body.paymentId).length > 100) return bad(t(lang, 'staff.pay.badInput'))
    try {
      const { payment, created } = await recordPayment(depsOf(c), {
        id: str(body.paymentId), siteId: actor.siteId, billingOfficeId: office.id, payerId: guardian.id, method: str(body.method), product: str(body.product) || null,
        date, amount, currency: office.currency,
      }, {
        walletOnly: true,
        audit: staffAudit(actor, ctx.clock.now(), ({ payment: p }) => [{
          action: 'wallet.credited', subject: { kind: 'guardian', id: guardian.id }, householdId: guardian.householdId,
          after: { paymentId: p.id, billingOfficeId: office.id, method: p.method, amountMinor: p.amountMinor },
        }]),
      })
      return c.redirect(`/staff/guardians/${encodeURIComponent(guardian.id)}?done=credited`, 303)
    } catch (error) {
      if (isEcoleError(error, 'INVALID_INPUT') || isEcoleError(error, 'UNKNOWN_PAYMENT_METHOD') || isEcoleError(error, 'IDEMPOTENCY_CONFLICT') || isEcoleError(error, 'WALLET_CREDIT_FAILED')) return bad(t(lang, 'staff.pay.badInput'))
      throw error
    }
  })

  // archive: a confirmation page first (seed 001: "Un message de confirmation s'affiche"), refused while invoices are unpaid
  for (const mode of ['archive', 'unarchive'] as const) {
    app.get(`/guardians/:id/${mode}`, async (c) => {
      const { lang, ctx } = c.var
      const actor = actorOfRequest(c)
      const denied = refused(c, 'guardians.archive', { siteId: actor.siteId })
      if (denied) return denied
      const guardian = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', c.req.param('id'))
      if (!guardian) return c.notFound()
      const check = mode === 'archive' ? await guardianArchiveCheck(ctx.storage, actor.siteId, guardian.id) : ({ ok: true } as const)
      const name = `${guardian.firstName} ${guardian.lastName}`
      return html(c,
        <Page c={c} title={t(lang, mode === 'archive' ? 'staff.archive' : 'staff.unarchive')} current="/staff/households">
          {check.ok ? (
            <form method="post" class="card">
              <CsrfField session={c.var.session} />
              <p>{t(lang, mode === 'archive' ? 'staff.archive.confirm' : 'staff.unarchive.confirm', { name })}</p>
              <button type="submit">{t(lang, 'staff.confirm')}</button> <a href={`/staff/guardians/${encodeURIComponent(guardian.id)}`}>{t(lang, 'staff.cancel')}</a>
            </form>
          ) : (
            <UnpaidRefusal lang={lang} name={name} invoices={check.invoices} />
          )}
        </Page>,
      )
    })
    app.post(`/guardians/:id/${mode}`, async (c) => {
      const { lang, ctx } = c.var
      const actor = actorOfRequest(c)
      const denied = refused(c, 'guardians.archive', { siteId: actor.siteId })
      if (denied) return denied
      const outcome = await setGuardianArchived(ctx.storage, actor, { guardianId: c.req.param('id'), archive: mode === 'archive', on: today(c), now: ctx.clock.now() })
      // an archived family's open portal sessions end now (the portal also checks on every request)
      if (outcome.ok && mode === 'archive') ctx.sessions.endAllOf(actor.siteId, { kind: 'guardian', id: outcome.guardian.id })
      if (outcome.ok) return c.redirect(`/staff/guardians/${encodeURIComponent(outcome.guardian.id)}?done=${mode}d`, 303)
      if (outcome.code === 'NOT_FOUND') return c.notFound()
      if (outcome.code === 'GUARDIAN_HAS_UNPAID_INVOICES') {
        return html(c, <Page c={c} title={t(lang, 'staff.archive')}><UnpaidRefusal lang={lang} name={c.req.param('id')} invoices={outcome.invoices} /></Page>, 409)
      }
      return html(c, <Page c={c} title={t(lang, 'staff.archive')} notice={{ kind: 'error', text: t(lang, outcome.code === 'ALREADY_ARCHIVED' ? 'staff.archive.already' : 'staff.unarchive.not') }} />, 409)
    })
  }

  // ---- invoicing: the list (drafts marked *), validation with confirmation, an invoice and its payment
  app.get('/invoices', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.list', { siteId: actor.siteId })
    if (denied) return denied
    const query = c.req.query()
    const storage = c.var.ctx.storage
    const list = await invoiceListOf(storage, actor.siteId, query, today(c))
    const filter = list.filter
    const size = pageSizeOf(query['limit'])
    // a value the form does not offer: refused beside its field, nothing listed (never every invoice)
    const problems = invoiceListProblems(query)
    const errors: FieldErrors | undefined = problems.length === 0 ? undefined : Object.fromEntries(problems.map((p) => [p.field, t(lang, p.field === 'dueBefore' ? 'staff.invoices.badDay' : 'staff.invoices.badValue', {
      field: t(lang, ({ state: 'staff.invoices.state', sort: 'staff.invoices.sort', dir: 'staff.invoices.dir', dueBefore: 'staff.invoices.dueBefore' } as const)[p.field]), value: p.value,
    })]))
    let page: Awaited<ReturnType<typeof listInvoicePage>>
    let badPage = false
    if (errors) page = { items: [] }
    else try {
      page = await listInvoicePage(depsOf(c), actor.siteId, list, { after: query['after'], limit: size })
    } catch (error) {
      // a cursor of another order (a link edited by hand, or kept from before the order changed): the first page
      if (!isEcoleError(error, 'INVALID_INPUT') || query['after'] === undefined) throw error
      badPage = true
      page = await listInvoicePage(depsOf(c), actor.siteId, list, { limit: size })
    }
    const canValidate = filter.batchId && filter.status === 'draft' && authorize(actor, 'invoices.validate', { siteId: actor.siteId }).ok
    const canRemind = list.state === 'toRemind' && page.items.length > 0 && authorize(actor, 'reminders.list', { siteId: actor.siteId }).ok
    // the list's own query (no cursor): the pager keeps it, the reminders flow reads the same invoices with it
    const listQuery: Record<string, string | undefined> = { ...query, after: undefined, status: undefined, state: list.state || undefined }
    const remindQuery = new URLSearchParams()
    for (const [k, v] of Object.entries(listQuery)) if (v && k !== 'limit') remindQuery.set(k, v)
    return html(c,
      <Page c={c} title={t(lang, 'staff.invoices.title')} current="/staff/invoices" notice={badPage ? { kind: 'error', text: t(lang, 'staff.invoices.badPage') } : undefined}>
        <ErrorSummary lang={lang} errors={errors} />
        <form method="get" action="/staff/invoices" class="card filters" id="invoice-filters">
          <p class="field">
            <label for="f-state">{t(lang, 'staff.invoices.state')}</label>
            <select id="f-state" name="state">
              <option value="">{t(lang, 'staff.invoices.any')}</option>
              <option value="draft" selected={list.state === 'draft'}>{t(lang, 'staff.invoices.drafts')}</option>
              <option value="validated" selected={list.state === 'validated'}>{t(lang, 'staff.invoices.validated')}</option>
              <option value="toRemind" selected={list.state === 'toRemind'}>{t(lang, 'staff.invoices.state.toRemind')}</option>
              <option value="settled" selected={list.state === 'settled'}>{t(lang, 'staff.invoices.state.settled')}</option>
            </select>
          </p>
          <Field label={t(lang, 'staff.invoices.search')} name="q" type="search" value={list.q} required={false} />
          <p class="field">
            <label for="f-sort">{t(lang, 'staff.invoices.sort')}</label>
            <select id="f-sort" name="sort">
              {(['id', 'number', 'issueDate', 'dueDate', 'total'] as const).map((k) => <option value={k} selected={list.sort.by === k}>{t(lang, `staff.invoices.sort.${k}`)}</option>)}
            </select>
          </p>
          <p class="field">
            <label for="f-dir">{t(lang, 'staff.invoices.dir')}</label>
            <select id="f-dir" name="dir">
              <option value="asc" selected={list.sort.direction !== 'desc'}>{t(lang, 'staff.invoices.dir.asc')}</option>
              <option value="desc" selected={list.sort.direction === 'desc'}>{t(lang, 'staff.invoices.dir.desc')}</option>
            </select>
          </p>
          <Field label={t(lang, 'staff.invoices.batch')} name="batchId" value={filter.batchId ?? ''} required={false} />
          <Field label={t(lang, 'staff.invoices.payer')} name="debtorId" value={filter.debtorId ?? ''} required={false} />
          <Field label={t(lang, 'staff.invoices.dueBefore')} name="dueBefore" type="date" value={filter.dueBefore ?? ''} required={false} />
          <button type="submit">{t(lang, 'staff.filter')}</button>
        </form>
        {canValidate ? <p><a href={`/staff/invoices/validate?batchId=${encodeURIComponent(filter.batchId!)}`}>{t(lang, 'staff.validate.link')}</a></p> : null}
        {canRemind ? <p><a class="button" id="remind-listed" href={`/staff/reminders?${remindQuery.toString()}`}>{t(lang, 'staff.invoices.remind')}</a></p> : null}
        {errors ? null : page.items.length === 0 ? <p id="no-invoices">{t(lang, 'staff.invoices.none')}</p> : (
          /* the payers by name, as the drafts list shows them (one directory read for the page) */
          <InvoiceBalanceTable lang={lang} rows={page.items} names={await guardianNames(storage, actor.siteId, page.items.map((r) => r.invoice.debtorId))} />
        )}
        <Pager lang={lang} base="/staff/invoices" query={listQuery} next={page.next} />
      </Page>,
      errors ? 400 : 200,
    )
  })

  app.get('/invoices/validate', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.validate', { siteId: actor.siteId })
    if (denied) return denied
    const batchId = str(c.req.query('batchId'))
    const batch = batchId ? await ctx.storage.invoicing!.getInvoiceBatch(actor.siteId, batchId) : undefined
    if (!batch) return c.notFound()
    let count = 0
    let total = 0n
    let after: string | undefined
    do {
      const page = await ctx.storage.invoicing!.listInvoices(actor.siteId, { batchId, status: 'draft' }, { limit: 1000, ...(after ? { after } : {}) })
      count += page.items.length
      for (const i of page.items) total += i.totalMinor
      after = page.next
    } while (after)
    return html(c,
      <Page c={c} title={t(lang, 'staff.validate.title')} current="/staff/invoices">
        <form method="post" action="/staff/invoices/validate" class="card">
          <CsrfField session={c.var.session} />
          <input type="hidden" name="batchId" value={batchId} />
          <p>{t(lang, 'staff.validate.confirm', { count, batch: batch.label ?? batchId, total: formatAmount(lang, total) })}</p>
          <Field label={t(lang, 'staff.validate.issueDate')} name="issueDate" type="date" value={today(c)} />
          <button type="submit">{t(lang, 'staff.confirm')}</button> <a href={`/staff/invoices?status=draft&batchId=${encodeURIComponent(batchId)}`}>{t(lang, 'staff.cancel')}</a>
        </form>
      </Page>,
    )
  })

  app.post('/invoices/validate', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.validate', { siteId: actor.siteId })
    if (denied) return denied
    const body = await c.req.parseBody()
    const batchId = str(body.batchId)
    const issueDate = str(body.issueDate)
    if (!batchId || !/^\d{4}-\d{2}-\d{2}$/.test(issueDate)) {
      return html(c, <Page c={c} title={t(lang, 'staff.validate.title')} notice={{ kind: 'error', text: t(lang, 'staff.validate.badInput') }} />, 400)
    }
    const outcome = await validateBatchAs(depsOf(c), actor, { batchId, issueDate: issueDate as LocalDate })
    if (!outcome.ok && outcome.code === 'BEFORE_LATEST_ISSUE_DATE') {
      const text = t(lang, 'staff.validate.beforeLatest', { date: formatDate(lang, outcome.latestIssueDate), number: outcome.lastNumber })
      return html(c, <Page c={c} title={t(lang, 'staff.validate.title')} current="/staff/invoices" notice={{ kind: 'error', text }}><p><a href={`/staff/invoices/validate?batchId=${encodeURIComponent(batchId)}`}>{t(lang, 'staff.validate.title')}</a></p></Page>, 400)
    }
    if (!outcome.ok) {
      const text = t(lang, outcome.code === 'ALREADY_VALIDATED' ? 'staff.validate.already' : 'staff.validate.nothing', { batch: batchId })
      return html(c, <Page c={c} title={t(lang, 'staff.validate.title')} current="/staff/invoices" notice={{ kind: 'error', text }}><p><a href={`/staff/invoices?batchId=${encodeURIComponent(batchId)}`}>{t(lang, 'staff.invoices.title')}</a></p></Page>, 409)
    }
    const numbers = outcome.invoices.map((i) => i.number!).sort()
    return html(c,
      <Page c={c} title={t(lang, 'staff.validate.title')} current="/staff/invoices" notice={{ kind: 'ok', text: t(lang, 'staff.validate.done', { count: outcome.invoices.length, first: numbers[0] ?? '', last: numbers[numbers.length - 1] ?? '' }) }}>
        <p><a href={`/staff/invoices?status=validated&batchId=${encodeURIComponent(batchId)}`}>{t(lang, 'staff.invoices.title')}</a></p>
      </Page>,
    )
  })

  app.get('/invoices/:id', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.view', { siteId: actor.siteId })
    if (denied) return denied
    const found = await invoiceWithBalance(depsOf(c), actor.siteId, c.req.param('id'))
    if (!found) return c.notFound()
    const { invoice, balance } = found
    const payer = await c.var.ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', invoice.debtorId)
    const canPay = invoice.status === 'validated' && balance.outstandingMinor > 0n && authorize(actor, 'payments.record', { siteId: actor.siteId }).ok
    const canAdjust = invoice.status === 'draft' && authorize(actor, 'invoices.adjustDraft', { siteId: actor.siteId }).ok
    const labels = await lineLabels(c.var.ctx.storage, actor.siteId, invoice)
    const q = c.req.query()
    const notice = q['paid'] ? { kind: 'ok' as const, text: t(lang, 'staff.pay.done') } : q['adjusted'] ? { kind: 'ok' as const, text: t(lang, 'staff.adjust.done', { total: formatAmount(lang, invoice.totalMinor, invoice.currency) }) } : undefined
    return html(c,
      <Page c={c} title={`${t(lang, 'staff.invoice')} ${invoiceLabel(invoice)}`} current="/staff/invoices" notice={notice}>
        <InvoiceDetails lang={lang} invoice={invoice} outstandingMinor={balance.outstandingMinor} payerName={payer ? `${payer.firstName} ${payer.lastName}` : undefined} />
        {authorize(actor, 'invoices.portalDate', { siteId: actor.siteId }).ok ? <p><a id="portal-date-link" href={`/staff/portal-dates?invoiceId=${encodeURIComponent(invoice.id)}&portalDisplayDate=${invoice.portalDisplayDate}`}>{t(lang, 'staff.files.portalDate.link')}</a></p> : null}
        <Lines lang={lang} invoice={invoice} canAdjust={canAdjust} labels={labels} />
        {canAdjust ? <AdjustForm c={c} invoice={invoice} labels={labels} /> : null}
        {canPay ? <PayForm c={c} invoice={invoice} outstandingMinor={balance.outstandingMinor} /> : null}
        {invoice.status === 'validated' && authorize(actor, 'invoices.creditNote', { siteId: actor.siteId }).ok ? <p><a href={`/staff/invoices/${encodeURIComponent(invoice.id)}/credit-note`}>{t(lang, 'staff.credit.link')}</a></p> : null}
      </Page>,
    )
  })

  // reductions and surcharges on a draft (seed 001): added, removed after a confirmation, the total updated
  app.post('/invoices/:id/adjustments', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.adjustDraft', { siteId: actor.siteId })
    if (denied) return denied
    const invoiceId = c.req.param('id')
    const body = await c.req.parseBody()
    const kind = str(body.kind) === 'surcharge' ? 'surcharge' : 'reduction'
    // an amount or a percentage, as typed: the library's schema refuses both at once, and neither
    const percent = str(body.percent).replace(',', '.').replace(/\s*%$/, '')
    const amount = str(body.amount).replace(',', '.')
    const adjustment = { id: str(body.adjustmentId) || randomUUID(), kind, reason: str(body.reason), ...(percent ? { percent } : {}), ...(amount || !percent ? { amount } : {}), lineId: str(body.lineId) || null } as const
    try {
      await adjustDraft(depsOf(c), { siteId: actor.siteId, invoiceId, change: { add: adjustment } }, {
        audit: staffAudit(actor, c.var.ctx.clock.now(), (r) => [{
          action: 'invoice.adjusted', subject: { kind: 'invoice', id: invoiceId }, before: { totalMinor: r.before.totalMinor }, after: { totalMinor: r.after.totalMinor, adjustment: adjustment.reason },
        }]),
      })
      return c.redirect(`/staff/invoices/${encodeURIComponent(invoiceId)}?adjusted=1`, 303)
    } catch (error) {
      if (isEcoleError(error, 'NOT_FOUND')) return c.notFound()
      if (isEcoleError(error)) {
        const issues = (error.details as { issues?: Array<{ path: string; message: string }> } | undefined)?.issues
        const text = issues?.length ? issues.map((i) => `${i.path}: ${i.message}`).join(' ; ') : t(lang, error.code === 'INVOICE_NOT_DRAFT' ? 'staff.adjust.notDraft' : 'staff.adjust.refused', { code: error.code })
        return html(c, <Page c={c} title={t(lang, 'staff.adjust.title')} current="/staff/invoices" notice={{ kind: 'error', text }}><p><a href={`/staff/invoices/${encodeURIComponent(invoiceId)}`}>{t(lang, 'staff.invoice')}</a></p></Page>, 400)
      }
      throw error
    }
  })

  app.get('/invoices/:id/adjustments/:adjustmentId/remove', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.adjustDraft', { siteId: actor.siteId })
    if (denied) return denied
    const invoice = await ctx.storage.invoicing!.getInvoice(actor.siteId, c.req.param('id'))
    const adjustment = invoice?.adjustments.find((a) => a.id === c.req.param('adjustmentId'))
    if (!invoice || !adjustment) return c.notFound()
    const newTotal = invoice.totalMinor - adjustment.amountMinor
    return html(c,
      <Page c={c} title={t(lang, 'staff.adjust.removeTitle')} current="/staff/invoices">
        <form method="post" class="card">
          <CsrfField session={c.var.session} />
          <p>{t(lang, 'staff.adjust.removeConfirm', { reason: adjustment.reason, total: formatAmount(lang, newTotal, invoice.currency) })}</p>
          <button type="submit">{t(lang, 'staff.confirm')}</button> <a href={`/staff/invoices/${encodeURIComponent(invoice.id)}`}>{t(lang, 'staff.cancel')}</a>
        </form>
      </Page>,
    )
  })

  app.post('/invoices/:id/adjustments/:adjustmentId/remove', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.adjustDraft', { siteId: actor.siteId })
    if (denied) return denied
    const invoiceId = c.req.param('id')
    try {
      await adjustDraft(depsOf(c), { siteId: actor.siteId, invoiceId, change: { remove: { adjustmentId: c.req.param('adjustmentId') } } }, {
        audit: staffAudit(actor, c.var.ctx.clock.now(), (r) => [{ action: 'invoice.adjustmentRemoved', subject: { kind: 'invoice', id: invoiceId }, after: { totalMinor: r.after.totalMinor } }]),
      })
      return c.redirect(`/staff/invoices/${encodeURIComponent(invoiceId)}?adjusted=1`, 303)
    } catch (error) {
      if (isEcoleError(error, 'NOT_FOUND') || isEcoleError(error, 'ADJUSTMENT_NOT_FOUND')) return c.notFound()
      if (isEcoleError(error, 'INVOICE_NOT_DRAFT')) {
        return html(c, <Page c={c} title={t(lang, 'staff.adjust.removeTitle')} notice={{ kind: 'error', text: t(lang, 'staff.adjust.notDraft') }} />, 409)
      }
      throw error
    }
  })

  app.post('/invoices/:id/pay', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'payments.record', { siteId: actor.siteId })
    if (denied) return denied
    const deps = depsOf(c)
    const found = await invoiceWithBalance(deps, actor.siteId, c.req.param('id'))
    if (!found) return c.notFound()
    const body = await c.req.parseBody()
    const amount = str(body.amount).replace(',', '.')
    const method = str(body.method)
    const paymentId = str(body.paymentId)
    const expected = str(body.expectOutstandingMinor)
    const again = (text: string, status: 409 | 400, excess?: Parameters<typeof PayForm>[0]['excess']) => html(c,
      <Page c={c} title={`${t(lang, 'staff.invoice')} ${invoiceLabel(found.invoice)}`} current="/staff/invoices" notice={{ kind: 'error', text }}>
        <InvoiceDetails lang={lang} invoice={found.invoice} outstandingMinor={found.balance.outstandingMinor} />
        {found.balance.outstandingMinor > 0n ? <PayForm c={c} invoice={found.invoice} outstandingMinor={found.balance.outstandingMinor} excess={excess} /> : null}
      </Page>, status)
    // at most 999,999,999.99 (a longer amount is a typo, and beyond what the ledger holds)
    if (!/^\d{1,9}(\.\d{1,2})?$/.test(amount) || !method || !paymentId || paymentId.length > 100 || !/^\d{1,19}$/.test(expected)) return again(t(lang, 'staff.pay.badInput'), 400)
    // more than the invoice still owes goes to the family's prepaid account: said, and confirmed for this very amount
    const [whole, cents = ''] = amount.split('.')
    const amountMinor = BigInt(whole!) * 100n + BigInt(cents.padEnd(2, '0'))
    // (a form opened before another payment is answered by payInvoiceAs: the invoice changed)
    if (BigInt(expected) === found.balance.outstandingMinor && amountMinor > found.balance.outstandingMinor && str(body.confirmExcess) !== amount) {
      const excessMinor = amountMinor - found.balance.outstandingMinor
      return again(t(lang, 'staff.pay.excess', { amount: formatAmount(lang, amountMinor, found.invoice.currency), excess: formatAmount(lang, excessMinor, found.invoice.currency) }), 409,
        { amount, method, product: str(body.product), paymentId, excessMinor })
    }
    try {
      const outcome = await payInvoiceAs(deps, actor, {
        paymentId, invoice: found.invoice, method, product: str(body.product) || null, date: today(c), amount, expectOutstandingMinor: BigInt(expected),
      })
      if (!outcome.ok) return again(t(lang, 'staff.pay.changed', { amount: formatAmount(lang, outcome.outstandingMinor, found.invoice.currency) }), 409)
      return c.redirect(`/staff/invoices/${encodeURIComponent(found.invoice.id)}?paid=1`, 303)
    } catch (error) {
      if (isEcoleError(error, 'INVALID_INPUT') || isEcoleError(error, 'UNKNOWN_PAYMENT_METHOD') || isEcoleError(error, 'WALLET_CREDIT_FAILED')) return again(t(lang, 'staff.pay.badInput'), 400)
      // this form's payment was recorded before with other values (Back, edit, send again): it stands;
      // the form comes back with a new payment id for what was edited
      if (isEcoleError(error, 'IDEMPOTENCY_CONFLICT')) return again(t(lang, 'staff.form.resubmitted'), 409)
      throw error
    }
  })

  // ---- deposits (seed 001: créer un dépôt from selected payments; supprimer un dépôt, the payments back in the list)
  app.get('/payments', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'deposits.manage', { siteId: actor.siteId })
    if (denied) return denied
    const query = c.req.query()
    const method = str(query['method']) || 'cheque'
    const page = await ctx.storage.payments!.listPayments(actor.siteId, { method, status: 'recorded', inDeposit: false }, { limit: pageSizeOf(query['limit']), ...(query['after'] ? { after: query['after'] } : {}) })
    const names = await guardianNames(ctx.storage, actor.siteId, page.items.map((p) => p.payerId))
    const done = str(query['deposit'])
    return html(c,
      <Page c={c} title={t(lang, 'staff.deposit.payments')} current="/staff/payments" notice={done ? { kind: 'ok', text: t(lang, 'staff.deposit.created', { id: done }) } : query['deleted'] ? { kind: 'ok', text: t(lang, 'staff.deposit.deleted') } : undefined}>
        <form method="get" action="/staff/payments" class="card filters">
          <p class="field">
            <label for="f-method">{t(lang, 'staff.pay.method')}</label>
            <select id="f-method" name="method">
              {(['cheque', 'cash', 'card', 'transfer'] as const).map((m) => <option value={m} selected={m === method}>{t(lang, `staff.pay.method.${m}`)}</option>)}
            </select>
          </p>
          <button type="submit">{t(lang, 'staff.filter')}</button>
        </form>
        <form method="post" action="/staff/deposits">
          <CsrfField session={c.var.session} />
          <input type="hidden" name="depositId" value={randomUUID()} />
          <input type="hidden" name="method" value={method} />
          <table>
            <thead><tr><th scope="col">{t(lang, 'staff.deposit.select')}</th><th scope="col">{t(lang, 'statement.date')}</th><th scope="col">{t(lang, 'staff.invoices.payer')}</th><th scope="col">{t(lang, 'staff.pay.product')}</th><th scope="col" class="num">{t(lang, 'invoices.amount')}</th></tr></thead>
            <tbody>
              {page.items.map((p) => (
                <tr>
                  <td><input type="checkbox" name="paymentIds" value={p.id} id={`pay-${p.id}`} aria-label={`${names.get(p.payerId) ?? p.payerId} ${formatAmount(lang, p.amountMinor, p.currency)}`} /></td>
                  <td>{formatDate(lang, p.date)}</td><td>{names.get(p.payerId) ?? p.payerId}</td><td>{p.product ?? ''}</td><td class="num">{formatAmount(lang, p.amountMinor, p.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Field label={t(lang, 'staff.deposit.bankAccount')} name="bankAccountId" value="" />
          <button type="submit">{t(lang, 'staff.deposit.create')}</button>
        </form>
        <Pager lang={lang} base="/staff/payments" query={query} next={page.next} />
      </Page>,
    )
  })

  app.post('/deposits', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'deposits.manage', { siteId: actor.siteId })
    if (denied) return denied
    const body = await c.req.parseBody({ all: true })
    const ids = ([] as unknown[]).concat(body['paymentIds'] ?? []).filter((v): v is string => typeof v === 'string')
    const bad = (text: string) => html(c, <Page c={c} title={t(lang, 'staff.deposit.create')} current="/staff/payments" notice={{ kind: 'error', text }}><p><a href="/staff/payments">{t(lang, 'staff.deposit.payments')}</a></p></Page>, 400)
    if (ids.length === 0) return bad(t(lang, 'staff.deposit.none'))
    try {
      const deposit = await createDeposit(depsOf(c), { siteId: actor.siteId, deposit: { id: str(body['depositId']), method: str(body['method']), bankAccountId: str(body['bankAccountId']), date: today(c) }, paymentIds: ids }, {
        audit: staffAudit(actor, ctx.clock.now(), (d) => [{ action: 'deposit.created', subject: { kind: 'deposit', id: d.id }, after: { paymentIds: d.paymentIds, totalMinor: d.totalMinor } }]),
      })
      return c.redirect(`/staff/deposits/${encodeURIComponent(deposit.id)}`, 303)
    } catch (error) {
      if (isEcoleError(error)) return bad(t(lang, 'staff.deposit.refused', { code: error.code, message: error.message.replace(/^\[ecole\] /, '') }))
      throw error
    }
  })

  app.get('/deposits/:id', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'deposits.manage', { siteId: actor.siteId })
    if (denied) return denied
    const deposit = await ctx.storage.payments!.getDeposit(actor.siteId, c.req.param('id'))
    if (!deposit) return c.notFound()
    return html(c,
      <Page c={c} title={`${t(lang, 'staff.deposit.title')} ${deposit.id}`} current="/staff/payments">
        <dl class="card">
          <dt>{t(lang, 'statement.date')}</dt><dd>{formatDate(lang, deposit.date)}</dd>
          <dt>{t(lang, 'staff.pay.method')}</dt><dd>{deposit.method}</dd>
          <dt>{t(lang, 'staff.deposit.count')}</dt><dd>{deposit.paymentIds.length}</dd>
          <dt>{t(lang, 'invoices.total')}</dt><dd id="deposit-total">{formatAmount(lang, deposit.totalMinor, deposit.currency)}</dd>
          {Object.entries(deposit.totalsByProduct).map(([product, minor]) => <><dt>{product || '-'}</dt><dd>{formatAmount(lang, minor, deposit.currency)}</dd></>)}
        </dl>
        {deposit.locked ? null : <p><a href={`/staff/deposits/${encodeURIComponent(deposit.id)}/delete`}>{t(lang, 'staff.deposit.delete')}</a></p>}
      </Page>,
    )
  })

  app.get('/deposits/:id/delete', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'deposits.manage', { siteId: actor.siteId })
    if (denied) return denied
    const deposit = await ctx.storage.payments!.getDeposit(actor.siteId, c.req.param('id'))
    if (!deposit) return c.notFound()
    return html(c,
      <Page c={c} title={t(lang, 'staff.deposit.delete')} current="/staff/payments">
        <form method="post" class="card">
          <CsrfField session={c.var.session} />
          <p>{t(lang, 'staff.deposit.deleteConfirm', { count: deposit.paymentIds.length, total: formatAmount(lang, deposit.totalMinor, deposit.currency) })}</p>
          <button type="submit">{t(lang, 'staff.confirm')}</button> <a href={`/staff/deposits/${encodeURIComponent(deposit.id)}`}>{t(lang, 'staff.cancel')}</a>
        </form>
      </Page>,
    )
  })

  app.post('/deposits/:id/delete', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'deposits.manage', { siteId: actor.siteId })
    if (denied) return denied
    const depositId = c.req.param('id')
    try {
      await deleteDeposit(depsOf(c), { siteId: actor.siteId, depositId }, { audit: staffAudit(actor, ctx.clock.now(), () => [{ action: 'deposit.deleted', subject: { kind: 'deposit', id: depositId } }]) })
      return c.redirect('/staff/payments?deleted=1', 303)
    } catch (error) {
      if (isEcoleError(error, 'NOT_FOUND')) return c.notFound()
      if (isEcoleError(error, 'DEPOSIT_LOCKED')) return html(c, <Page c={c} title={t(lang, 'staff.deposit.delete')} notice={{ kind: 'error', text: t(lang, 'staff.deposit.locked') }} />, 409)
      throw error
    }
  })

  // ---- audit trail (who, when, what, before and after)
  app.get('/audit', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'audit.view', { siteId: actor.siteId })
    if (denied) return denied
    const query = c.req.query()
    const filter = {
      ...(str(query['subjectId']) ? { subjectId: str(query['subjectId']) } : {}),
      ...(str(query['householdId']) ? { householdId: str(query['householdId']) } : {}),
      ...(str(query['actorId']) ? { actorId: str(query['actorId']) } : {}),
    }
    const page = await ctx.storage.audit!.listAuditEntries(actor.siteId, filter, { limit: pageSizeOf(query['limit']), ...(query['after'] ? { after: query['after'] } : {}) })
    const json = (v: unknown) => (v === undefined ? '' : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)))
    return html(c,
      <Page c={c} title={t(lang, 'staff.audit.title')} current="/staff/audit">
        <form method="get" action="/staff/audit" class="card filters">
          <Field label={t(lang, 'staff.audit.subject')} name="subjectId" value={filter.subjectId ?? ''} required={false} />
          <Field label={t(lang, 'staff.household')} name="householdId" value={filter.householdId ?? ''} required={false} />
          <Field label={t(lang, 'staff.audit.actor')} name="actorId" value={filter.actorId ?? ''} required={false} />
          <button type="submit">{t(lang, 'staff.filter')}</button>
        </form>
        <table>
          <thead><tr>
            <th scope="col">{t(lang, 'staff.audit.when')}</th><th scope="col">{t(lang, 'staff.audit.actor')}</th><th scope="col">{t(lang, 'staff.audit.action')}</th>
            <th scope="col">{t(lang, 'staff.audit.subject')}</th><th scope="col">{t(lang, 'staff.audit.before')}</th><th scope="col">{t(lang, 'staff.audit.after')}</th>
          </tr></thead>
          <tbody>
            {page.items.map((e) => (
              <tr>
                <td>{e.at.slice(0, 19).replace('T', ' ')} UTC</td><td>{`${e.actor.kind}:${e.actor.id}`}</td><td><code>{e.action}</code></td>
                <td>{`${e.subject.kind}:${e.subject.id}`}</td><td><code>{json(e.before)}</code></td><td><code>{json(e.after)}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager lang={lang} base="/staff/audit" query={query} next={page.next} />
      </Page>,
    )
  })

  mountPurchases(app, { Page, refused, actorOfRequest }) // supplier e-invoices of the plesso (src/staff/purchases.tsx)
  app.route('/', batchRoutes())
  app.route('/', bankRoutes())
  app.route('/', reminderRoutes())
  app.route('/', accountRoutes())
  app.route('/', establishmentExtraRoutes()) // seed 003: label overrides, inspector access (src/staff/establishment-extras.tsx; before the screen's /:schoolId routes)
  app.route('/', establishmentRoutes()) // seed 003: the establishment screen (src/staff/establishment.tsx)
  app.route('/', siteRoutes()) // seed 000: the site (plesso), its options, licence limits and SMTP (src/staff/site.tsx)
  app.route('/', userRoutes()) // seed 001: roles and permissions, users (src/staff/users.tsx)
  app.route('/', mailRoutes()) // seed 002: delegated sending, personal and establishment mail accounts (src/staff/mail.tsx)
  app.route('/', adminListRoutes()) // seed 001: criteria, insurances, portal texts, consents and who accepted (src/staff/admin-lists.tsx)
  app.route('/', tariffRoutes()) // what a day costs: service tariffs and family quotients (src/staff/tariffs.tsx)
  app.route('/', periodRoutes()) // seed 001: the national school calendar of a zone and what its closures cancel, previewed (src/staff/periods.tsx)
  app.route('/', messageRoutes()) // seed 001: messages to a family or a filtered list, previewed, queued; the outbox's delivery state (src/staff/messages.tsx)
  app.route('/', portalLoginRoutes()) // seed 001 / 004: portal logins opened, tokens resent, access closed (src/staff/portal-logins.tsx)
  app.route('/', portalDateRoutes()) // seed 001: the portal display date of one invoice or a filtered set of drafts, confirmed (src/staff/portal-dates.tsx)
  app.route('/', invoiceFolderRoutes()) // seed 001: invoice folders as a tree, a filtered set filed after a confirmation (src/staff/invoice-folders.tsx)
  app.route('/', documentRoutes()) // seed 001: documents of the families and groups, with their portal windows (src/staff/documents.tsx)
  app.route('/', siteImageRoutes()) // seeds 000 and 003: the site's logo, the schools' logos and stamps (src/staff/site-images.tsx)
  app.route('/', childBookingRoutes()) // seed 001: staff books or cancels days of a child, as the portal does (src/staff/child-bookings.tsx)
  app.route('/', adjustmentEditRoutes()) // seed 001: a reduction / surcharge of a draft modified, its form pre-filled (src/staff/adjustment-edits.tsx)
  app.route('/', infoSheetRoutes()) // seed 001: a child's information sheet to PDF, saved into the family's file (src/staff/info-sheets.tsx)
  return app
}

function invoiceLabel(i: Invoice): string {
  return i.number ?? `${i.id} *`
}

/** The invoices table: drafts marked `*` (seed 001: "le numéro est suivi du symbole *"). */
function InvoiceTable(p: { lang: Lang; invoices: Invoice[]; names?: ReadonlyMap<string, string> }) {
  const { lang } = p
  return (
    <table>
      <thead><tr>
        <th scope="col">{t(lang, 'invoices.number')}</th><th scope="col">{t(lang, 'staff.invoices.payer')}</th><th scope="col">{t(lang, 'staff.invoices.batch')}</th>
        <th scope="col">{t(lang, 'invoices.due')}</th><th scope="col" class="num">{t(lang, 'invoices.total')}</th>
      </tr></thead>
      <tbody>
        {p.invoices.map((i) => (
          <tr class={i.status === 'draft' ? 'draft' : undefined}>
            <td><a href={`/staff/invoices/${encodeURIComponent(i.id)}`}>{invoiceLabel(i)}</a></td>
            <td>{p.names?.get(i.debtorId) ?? i.debtorId}</td><td>{i.batchId}</td><td>{formatDate(lang, i.dueDate)}</td><td class="num">{formatAmount(lang, i.totalMinor, i.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The invoices list: number (drafts marked `*`), payer by name, total, what remains, due date. */
function InvoiceBalanceTable(p: { lang: Lang; rows: InvoiceWithBalance[]; names: ReadonlyMap<string, string> }) {
  const { lang } = p
  return (
    <table id="invoices">
      <thead><tr>
        <th scope="col">{t(lang, 'invoices.number')}</th><th scope="col">{t(lang, 'staff.invoices.payer')}</th>
        <th scope="col" class="num">{t(lang, 'invoices.total')}</th><th scope="col" class="num">{t(lang, 'invoices.remaining')}</th><th scope="col">{t(lang, 'invoices.due')}</th>
      </tr></thead>
      <tbody>
        {p.rows.map(({ invoice: i, balance }) => (
          <tr class={i.status === 'draft' ? 'draft' : undefined}>
            <td><a href={`/staff/invoices/${encodeURIComponent(i.id)}`}>{invoiceLabel(i)}</a></td>
            <td>{p.names.get(i.debtorId) ?? i.debtorId}</td>
            <td class="num">{formatAmount(lang, i.totalMinor, i.currency)}</td>
            <td class="num">{i.status === 'draft' ? '' : formatAmount(lang, balance.outstandingMinor, i.currency)}</td>
            <td>{formatDate(lang, i.dueDate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function InvoiceDetails(p: { lang: Lang; invoice: Invoice; outstandingMinor: bigint; payerName?: string | undefined }) {
  const { lang, invoice: i } = p
  return (
    <dl class="card">
      <dt>{t(lang, 'staff.invoices.status')}</dt><dd>{t(lang, i.status === 'draft' ? 'staff.invoices.draft' : 'staff.invoices.validatedOne')}</dd>
      <dt>{t(lang, 'staff.invoices.payer')}</dt><dd><a href={`/staff/guardians/${encodeURIComponent(i.debtorId)}`}>{p.payerName ?? i.debtorId}</a></dd>
      <dt>{t(lang, 'staff.invoices.period')}</dt><dd>{`${formatDate(lang, i.periodFrom)} – ${formatDate(lang, i.periodTo)}`}</dd>
      <dt>{t(lang, 'invoices.due')}</dt><dd>{formatDate(lang, i.dueDate)}</dd>
      <dt>{t(lang, 'staff.files.portalDate.current')}</dt><dd id="portal-date">{formatDate(lang, i.portalDisplayDate)}</dd>
      <dt>{t(lang, 'invoices.total')}</dt><dd>{formatAmount(lang, i.totalMinor, i.currency)}</dd>
      <dt>{t(lang, 'invoices.remaining')}</dt><dd id="outstanding">{formatAmount(lang, p.outstandingMinor, i.currency)}</dd>
    </dl>
  )
}

/** The lines (one per child and service) and the reductions / surcharges of an invoice. */
/** Each line's label as a person reads it: the child's name and the service's name (their ids when the directory has no record). */
async function lineLabels(storage: StoragePorts, siteId: string, invoice: Invoice): Promise<Map<string, string>> {
  const children = await storage.directory!.getDirectoryRecords(siteId, 'child', [...new Set(invoice.lines.map((l) => l.beneficiaryId))])
  const guardians = await storage.directory!.getDirectoryRecords(siteId, 'guardian', [...new Set(invoice.lines.map((l) => l.beneficiaryId))].filter((id) => !children.has(id)))
  const services = await storage.directory!.getDirectoryRecords(siteId, 'service', [...new Set(invoice.lines.map((l) => l.serviceId))])
  return new Map(invoice.lines.map((l) => {
    const who = children.get(l.beneficiaryId) ?? guardians.get(l.beneficiaryId) // an adult booking their own meals is a guardian
    return [l.id, `${who ? `${who.firstName} ${who.lastName}` : l.beneficiaryId} · ${services.get(l.serviceId)?.name ?? l.serviceId}`]
  }))
}

function Lines(p: { lang: Lang; invoice: Invoice; canAdjust: boolean; labels?: ReadonlyMap<string, string> }) {
  const { lang, invoice: i } = p
  return (
    <table>
      <thead><tr>
        <th scope="col">{t(lang, 'invoices.line')}</th><th scope="col" class="num">{t(lang, 'invoices.quantity')}</th>
        <th scope="col" class="num">{t(lang, 'invoices.unitPrice')}</th><th scope="col" class="num">{t(lang, 'invoices.amount')}</th><th scope="col"></th>
      </tr></thead>
      <tbody>
        {i.lines.map((l) => {
          // a line the payer pays only part of: what the whole line costs and the share, as on the PDF
          const note = lineShareNote(lang, l, i.currency, 'staff')
          return <>
            <tr class={note === undefined ? undefined : 'has-share'}><td>{p.labels?.get(l.id) ?? `${l.beneficiaryId} · ${l.serviceId}`}</td><td class="num">{formatQuantity(lang, l.quantity)}</td><td class="num">{linePriceText(lang, l, i.currency)}</td><td class="num">{formatAmount(lang, l.amountMinor, i.currency)}</td><td></td></tr>
            {note === undefined ? null : <tr class="share-note"><td colspan={4}>{note}</td><td></td></tr>}
          </>
        })}
        {i.adjustments.map((a) => (
          <tr class="adjustment">
            <td>{`${t(lang, a.kind === 'reduction' ? 'staff.adjust.reduction' : 'staff.adjust.surcharge')} : ${a.reason}`}</td><td></td><td></td>
            <td class="num">{formatAmount(lang, a.amountMinor, i.currency)}</td>
            <td>{p.canAdjust ? <><a href={`/staff/invoices/${encodeURIComponent(i.id)}/adjustments/${encodeURIComponent(a.id)}/edit`}>{t(lang, 'staff.files.adjust.edit')}</a> · <a href={`/staff/invoices/${encodeURIComponent(i.id)}/adjustments/${encodeURIComponent(a.id)}/remove`}>{t(lang, 'staff.adjust.remove')}</a></> : null}</td>
          </tr>
        ))}
        <tr><th scope="row">{t(lang, 'invoices.total')}</th><td></td><td></td><td class="num" id="total">{formatAmount(lang, i.totalMinor, i.currency)}</td><td></td></tr>
      </tbody>
    </table>
  )
}

/** The reduction / surcharge form of a draft: on the whole invoice or on one child's service (a line). */
function AdjustForm(p: { c: Context<AppEnv>; invoice: Invoice; labels?: ReadonlyMap<string, string> }) {
  const lang = p.c.var.lang
  return (
    <form method="post" action={`/staff/invoices/${encodeURIComponent(p.invoice.id)}/adjustments`} class="card">
      <h2>{t(lang, 'staff.adjust.title')}</h2>
      <CsrfField session={p.c.var.session} />
      <input type="hidden" name="adjustmentId" value={randomUUID()} />
      <Field label={t(lang, 'staff.adjust.reason')} name="reason" />
      <p class="field">
        <label for="f-lineId">{t(lang, 'staff.adjust.on')}</label>
        <select id="f-lineId" name="lineId">
          <option value="">{t(lang, 'staff.adjust.wholeInvoice')}</option>
          {p.invoice.lines.map((l) => <option value={l.id}>{p.labels?.get(l.id) ?? `${l.beneficiaryId} · ${l.serviceId}`}</option>)}
        </select>
      </p>
      <p class="field">
        <label for="f-kind">{t(lang, 'staff.adjust.kind')}</label>
        <select id="f-kind" name="kind">
          <option value="reduction">{t(lang, 'staff.adjust.reduction')}</option>
          <option value="surcharge">{t(lang, 'staff.adjust.surcharge')}</option>
        </select>
      </p>
      {/* a fixed amount, or a percentage of the line (or of the invoice): one of the two */}
      <Field label={t(lang, 'staff.pay.amount')} name="amount" required={false} />
      <Field label={t(lang, 'staff.adjust.percent')} name="percent" required={false} />
      <button type="submit">{t(lang, 'staff.adjust.submit')}</button>
    </form>
  )
}

/** The desk payment that credits a guardian's prepaid account: date, method, billing office, product, amount (seed 001). */
function CreditForm(p: { c: Context<AppEnv>; guardianId: string; offices: Array<{ id: string; name: string }> }) {
  const lang = p.c.var.lang
  return (
    <form method="post" action={`/staff/guardians/${encodeURIComponent(p.guardianId)}/credit`} class="card">
      <h2>{t(lang, 'staff.wallet.credit')}</h2>
      <CsrfField session={p.c.var.session} />
      <input type="hidden" name="paymentId" value={randomUUID()} />
      <Field label={t(lang, 'statement.date')} name="date" type="date" value={today(p.c)} />
      <p class="field">
        <label for="f-method">{t(lang, 'staff.pay.method')}</label>
        <select id="f-method" name="method">
          {(['cash', 'cheque', 'card', 'transfer'] as const).map((m) => <option value={m}>{t(lang, `staff.pay.method.${m}`)}</option>)}
        </select>
      </p>
      <p class="field">
        <label for="f-billingOfficeId">{t(lang, 'staff.wallet.office')}</label>
        <select id="f-billingOfficeId" name="billingOfficeId">
          {p.offices.map((o) => <option value={o.id}>{o.name}</option>)}
        </select>
      </p>
      <Field label={t(lang, 'staff.pay.product')} name="product" value="" required={false} />
      <Field label={t(lang, 'staff.pay.amount')} name="amount" />
      <button type="submit">{t(lang, 'staff.wallet.submit')}</button>
    </form>
  )
}

/** The payment form: the amount defaults to what remains (seed 001); it carries what the cashier saw and its own payment id. */
function PayForm(p: { c: Context<AppEnv>; invoice: Invoice; outstandingMinor: bigint; excess?: { amount: string; method: string; product: string; paymentId: string; excessMinor: bigint } | undefined }) {
  const lang = p.c.var.lang
  const whole = p.outstandingMinor / 100n
  const cents = String(p.outstandingMinor % 100n).padStart(2, '0')
  const excess = p.excess
  return (
    <form method="post" action={`/staff/invoices/${encodeURIComponent(p.invoice.id)}/pay`} class="card">
      <h2>{t(lang, 'staff.pay.title')}</h2>
      <CsrfField session={p.c.var.session} />
      <input type="hidden" name="paymentId" value={excess?.paymentId ?? randomUUID()} />
      <input type="hidden" name="expectOutstandingMinor" value={String(p.outstandingMinor)} />
      <p class="field">
        <label for="f-method">{t(lang, 'staff.pay.method')}</label>
        <select id="f-method" name="method">
          {(['cheque', 'cash', 'card', 'transfer'] as const).map((m) => <option value={m} selected={excess?.method === m}>{t(lang, `staff.pay.method.${m}`)}</option>)}
        </select>
      </p>
      <Field label={t(lang, 'staff.pay.product')} name="product" value={excess?.product ?? ''} required={false} />
      <Field label={t(lang, 'staff.pay.amount')} name="amount" value={excess?.amount ?? `${whole}.${cents}`} inputmode="text" />
      {excess ? (
        <p class="field">
          <label><input type="checkbox" name="confirmExcess" value={excess.amount} required /> {t(lang, 'staff.pay.confirmExcess', { excess: formatAmount(lang, excess.excessMinor, p.invoice.currency) })}</label>
        </p>
      ) : null}
      <button type="submit">{t(lang, 'staff.pay.submit')}</button>
    </form>
  )
}

function UnpaidRefusal(p: { lang: Lang; name: string; invoices: Array<{ invoiceId: string; number: string | null; outstandingMinor: bigint }> }) {
  return (
    <div class="notice error" role="alert">
      <p>{t(p.lang, 'staff.archive.unpaid', { name: p.name, count: p.invoices.length })}</p>
      <ul>
        {p.invoices.map((i) => (
          <li><a href={`/staff/invoices/${encodeURIComponent(i.invoiceId)}`}>{i.number ?? i.invoiceId}</a>{`: ${formatAmount(p.lang, i.outstandingMinor)}`}</li>
        ))}
      </ul>
    </div>
  )
}

/** The permission each action takes, for documentation and tests. */
export const STAFF_ROUTE_ACTIONS = STAFF_ACTIONS
