/**
 * The account statement by month (seed 004 "Opérations financières"): the wallet's balance at the
 * start of the month, its movements (top-ups, prepaid bookings taken, refunds), each described in
 * words, with the running balance, its balance at the end of the month (today in the current
 * month), the bookings still reserved then and the available balance the dashboard shows,
 * printable; and the documents of the family and of the school within their availability windows.
 */
import { addMonths, documentsForGuardian, endOfMonth, isDocumentAvailable, statementFromTransfers, type DocumentFilter, type LocalDate, type PortalDocument, type TransferCode } from '@ecole/core'
import { colon } from '@ecole/pdf'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../env'
import { formatAmount, formatDate, t } from '../i18n'
import { Layout } from '../views/layout'
import { errorPage, html } from '../views/render'
import { childrenOf, generalWallet } from './family'
import { dayIn } from '../site-facts'
import { portalNav } from './nav'
import { page, readAll } from '../read-all'
import { bookingWindow, movementFacts } from './movement-facts'
import { movementText } from './movement-text'

/** The statement and documents routes. */
export function statementRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/statement', async (c) => {
    const { lang, session, ctx } = c.var
    const siteId = ctx.config.siteId
    const guardianId = session.subject!.id
    const walletId = generalWallet(guardianId)
    const timeZone = c.var.site.timeZone
    const today = dayIn(timeZone, ctx.clock.now())
    const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(c.req.query('month') ?? '') ? c.req.query('month')! : today.slice(0, 7)
    const from = `${month}-01` as LocalDate
    // the month to its last day, or to today in the current month: its closing and available
    // balances are then the ones the dashboard shows
    const to = from <= today && today <= endOfMonth(from) ? today : endOfMonth(from)
    // the back office's computation of a statement (readAccountStatement runs statementFromTransfers
    // over the same transfers): opening, the posted movements with the running balance, closing,
    // the bookings still reserved at the end; the transfers are read once, for the words too
    const ledger = ctx.storage.ledger!
    const wallet = await ledger.getAccount(siteId, walletId)
    const transfers = wallet ? (await readAll((a) => ledger.listTransfers(siteId, { accountId: walletId }, page(a)))).map((r) => r.transfer) : []
    const statement = statementFromTransfers({ id: walletId, currency: wallet?.currency ?? 'EUR' }, transfers, { from, to, timeZone })
    const lines = statement.months.flatMap((m) => m.lines)
    const reserved = statement.reservations.filter((r) => r.amount > 0n)
    const facts = await movementFacts(ctx, guardianId, walletId, transfers, [...lines.map((l) => l.transferId), ...reserved.map((r) => r.transferId)], bookingWindow(from, to))
    const text = (id: string, code: TransferCode) => movementText(lang, facts.get(id) ?? { code })
    const money = (minor: bigint) => formatAmount(lang, minor, statement.currency)
    const reservedTotal = reserved.reduce((sum, r) => sum + r.amount, 0n)
    const prev = addMonths(from, -1).slice(0, 7)
    const next = addMonths(from, 1).slice(0, 7)
    return html(c,
      <Layout lang={lang} title={t(lang, 'statement.title')} session={session} nav={portalNav(lang, '/statement')} logoutAction="/logout">
        <p class="no-print"><a href={`/statement?month=${prev}`}>{t(lang, 'bookings.prev')}</a> · <strong>{formatDate(lang, from, 'month')}</strong> · <a href={`/statement?month=${next}`}>{t(lang, 'bookings.next')}</a></p>
        <table id="statement" class="statement">
          <caption>{formatDate(lang, from, 'month')}</caption>
          <thead><tr><th scope="col">{t(lang, 'statement.date')}</th><th scope="col">{t(lang, 'statement.label')}</th><th scope="col" class="num">{t(lang, 'statement.debit')}</th><th scope="col" class="num">{t(lang, 'statement.credit')}</th><th scope="col" class="num">{t(lang, 'statement.balance')}</th></tr></thead>
          <tbody>
            <tr class="opening"><td>{formatDate(lang, from)}</td><td>{t(lang, 'statement.opening')}</td><td /><td /><td class="num" data-minor={String(statement.opening)}>{money(statement.opening)}</td></tr>
            {lines.length === 0 ? <tr class="none"><td colspan={5}>{t(lang, 'statement.none')}</td></tr> : lines.map((l) => (
              <tr data-transfer={l.transferId}><td>{formatDate(lang, l.date)}</td><td>{text(l.transferId, l.code)}</td><td class="num">{l.debit ? money(l.debit) : ''}</td><td class="num">{l.credit ? money(l.credit) : ''}</td><td class="num">{money(l.balance)}</td></tr>
            ))}
          </tbody>
          <tfoot>
            <tr class="closing"><th scope="row" colspan={4}>{t(lang, 'statement.closing', { date: formatDate(lang, to) })}</th><td class="num" data-minor={String(statement.closing)}>{money(statement.closing)}</td></tr>
          </tfoot>
        </table>
        {reserved.length > 0 ? (
          <table id="reserved" class="statement">
            <caption>{t(lang, 'statement.reserved', { date: formatDate(lang, to) })}</caption>
            <thead><tr><th scope="col">{t(lang, 'statement.date')}</th><th scope="col">{t(lang, 'statement.label')}</th><th scope="col" class="num">{t(lang, 'statement.debit')}</th></tr></thead>
            <tbody>
              {reserved.map((r) => <tr data-transfer={r.transferId}><td>{formatDate(lang, r.date)}</td><td>{text(r.transferId, r.code)}</td><td class="num">{money(r.amount)}</td></tr>)}
            </tbody>
            <tfoot><tr><th scope="row" colspan={2}>{t(lang, 'statement.reservedTotal')}</th><td class="num">{money(reservedTotal)}</td></tr></tfoot>
          </table>
        ) : null}
        <p class="available">{t(lang, 'statement.available')}{colon(lang)}<strong data-minor={String(statement.available)}>{money(statement.available)}</strong></p>
        <p class="muted">{c.var.site.name}</p>
      </Layout>,
    )
  })

  // the family's own documents and those of the site and of its children's groups (their school
  // and class on the day), each read through the store's filter: never another family's
  const visible = async (c: Context<AppEnv>): Promise<PortalDocument[]> => {
    const { ctx, session } = c.var
    const siteId = ctx.config.siteId
    const guardianId = session.subject!.id
    const day = dayIn(c.var.site.timeZone, ctx.clock.now())
    const children = await childrenOf(ctx, guardianId)
    const childIds = new Set(children.map((ch) => ch.id))
    const groups = new Map<string, string[]>()
    let after: string | undefined
    do {
      const page = await ctx.storage.directory!.listDirectoryRecords(siteId, 'enrolment', { limit: 500, ...(after ? { after } : {}) })
      for (const e of page.items) {
        if (childIds.has(e.beneficiaryId) && e.from <= day && (e.to === undefined || day <= e.to)) groups.set(e.beneficiaryId, [...(groups.get(e.beneficiaryId) ?? []), e.schoolId, e.classId])
      }
      after = page.next
    } while (after)
    const read = async (filter: DocumentFilter): Promise<PortalDocument[]> => {
      const out: PortalDocument[] = []
      let next: string | undefined
      do {
        const page = await ctx.storage.documents!.listDocuments(siteId, { limit: 500, ...(next ? { after: next } : {}) }, filter)
        out.push(...page.items)
        next = page.next
      } while (next)
      return out
    }
    const documents = [...(await read({ addressedTo: { guardianIds: [guardianId], childIds: [...childIds] } })), ...(await read({ audienceKinds: ['site', 'groups'] }))]
    return documentsForGuardian(documents, { guardianId, children: children.map((ch) => ({ childId: ch.id, groupIds: groups.get(ch.id) ?? [] })) }, day)
  }

  app.get('/documents', async (c) => {
    const { lang, session } = c.var
    const docs = await visible(c)
    return html(c,
      <Layout lang={lang} title={t(lang, 'documents.title')} session={session} nav={portalNav(lang, '/documents')} logoutAction="/logout">
        {docs.length === 0 ? <p>{t(lang, 'documents.none')}</p> : (
          <ul>{docs.map((d) => <li><a href={`/documents/${encodeURIComponent(d.id)}`}>{d.name}</a>{d.description ? ` – ${d.description}` : ''}</li>)}</ul>
        )}
      </Layout>,
    )
  })

  app.get('/documents/:id', async (c) => {
    const { ctx } = c.var
    const doc = (await visible(c)).find((d) => d.id === c.req.param('id'))
    if (!doc || !isDocumentAvailable(doc, dayIn(c.var.site.timeZone, ctx.clock.now()))) return errorPage(c, 404)
    const bytes = await ctx.storage.documents!.readDocumentBytes(ctx.config.siteId, doc.id)
    if (!bytes) return errorPage(c, 404)
    c.header('Content-Type', doc.mediaType)
    c.header('Content-Disposition', `attachment; filename="${doc.name.replace(/[^A-Za-z0-9._ -]/g, '_')}"`)
    return c.body(bytes as Uint8Array<ArrayBuffer>)
  })
  return app
}
