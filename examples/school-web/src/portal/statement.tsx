/**
 * The account statement by month (seed 004 "Opérations financières"): the wallet's movements
 * (top-ups, prepaid bookings reserved or taken, refunds) with the running balance, printable; and
 * the documents of the family and of the school within their availability windows.
 */
import { documentsForGuardian, isDocumentAvailable, type DocumentFilter, type LocalDate, type PortalDocument } from '@ecole/core'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../env'
import { formatAmount, formatDate, t } from '../i18n'
import { Layout } from '../views/layout'
import { errorPage, html } from '../views/render'
import { childrenOf, generalWallet } from './family'
import { dayIn } from '../site-facts'
import { portalNav } from './nav'
import { page, readAll } from '../read-all'

/** The statement and documents routes. */
export function statementRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/statement', async (c) => {
    const { lang, session, ctx } = c.var
    const siteId = ctx.config.siteId
    const account = generalWallet(session.subject!.id)
    const today = dayIn(c.var.site.timeZone, ctx.clock.now())
    const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(c.req.query('month') ?? '') ? c.req.query('month')! : today.slice(0, 7)
    const records = (await ctx.storage.ledger!.getAccount(siteId, account)) ? await readAll((a) => ctx.storage.ledger!.listTransfers(siteId, { accountId: account }, page(a))) : []
    let balance = 0n
    const rows: Array<{ date: LocalDate; label: string; debit: bigint; credit: bigint; balance: bigint }> = []
    for (const r of records) {
      const tr = r.transfer
      // voids and voided reservations cancel out: neither is shown
      if (tr.flags?.void || (tr.flags?.pending && r.pendingStatus !== 'pending' && r.pendingStatus !== 'posted')) continue
      if (tr.flags?.post) continue
      const debit = tr.debitAccountId === account ? tr.amount : 0n
      const credit = tr.creditAccountId === account ? tr.amount : 0n
      balance += credit - debit
      const date = dayIn(c.var.site.timeZone, tr.timestamp)
      if (date.startsWith(month)) rows.push({ date, label: tr.memo ?? tr.code, debit, credit, balance })
    }
    const prev = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)) - 2, 1)).toISOString().slice(0, 7)
    const next = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 1)).toISOString().slice(0, 7)
    return html(c,
      <Layout lang={lang} title={t(lang, 'statement.title')} session={session} nav={portalNav(lang, '/statement')} logoutAction="/logout">
        <p class="no-print"><a href={`/statement?month=${prev}`}>{t(lang, 'bookings.prev')}</a> · <strong>{formatDate(lang, `${month}-01`, 'month')}</strong> · <a href={`/statement?month=${next}`}>{t(lang, 'bookings.next')}</a></p>
        <table>
          <caption>{formatDate(lang, `${month}-01`, 'month')}</caption>
          <thead><tr><th scope="col">{t(lang, 'statement.date')}</th><th scope="col">{t(lang, 'statement.label')}</th><th scope="col" class="num">{t(lang, 'statement.debit')}</th><th scope="col" class="num">{t(lang, 'statement.credit')}</th><th scope="col" class="num">{t(lang, 'statement.balance')}</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr><td>{formatDate(lang, r.date)}</td><td>{r.label}</td><td class="num">{r.debit ? formatAmount(lang, r.debit) : ''}</td><td class="num">{r.credit ? formatAmount(lang, r.credit) : ''}</td><td class="num">{formatAmount(lang, r.balance)}</td></tr>
            ))}
          </tbody>
        </table>
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
