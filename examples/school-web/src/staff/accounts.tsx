/**
 * Accounts (seed 001, « Comptes prépayés » and « comptes débiteurs / créditeurs »):
 *
 * - `/staff/accounts?office=&q=&dpage=&cpage=`: the debtors of a billing office (what their
 *   validated invoices still owe) and its creditors (families with money in their prepaid
 *   wallet), each list filtered by name, paged on the server (25 a page) with its total over
 *   every page (the debtors summed, sorted and paged in the storage by `listDebtorBalances`: one
 *   SQL statement on PostgreSQL, whatever the size of the site; the name filter is the
 *   directory's indexed name search);
 * - `/staff/accounts/:payerId?month=YYYY-MM`: a payer's account for one month, printable (the
 *   print stylesheet drops the menu and the forms): each prepaid wallet's statement read from the
 *   ledger by `readAccountStatement` of `@ecole/workflows` (opening balance, debits and credits
 *   with the running balance, closing balance, prepaid days still reserved; a desk credit shows
 *   its method and product), then the month's invoices, credit notes and payments with their
 *   running balance from the balance before the month.
 *
 * Both take `wallets.read` (action `accounts.view`).
 */
import { StatementOptionsSchema, addMonths, isEcoleError, type AccountStatement, type LocalDate, type Payment, type TransferCode } from '@ecole/core'
import { readAccountStatement } from '@ecole/workflows'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../env'
import { formatAmount, formatDate, t, type Lang } from '../i18n'
import { html } from '../views/render'
import { allRecords } from './people'
import { actorOfRequest, Page, refused, str, today } from './routes'
import { sepaReasonText } from './sepa-reason-text'
import { accountMovements, creditorsOf, debtorsPage, readAllPages, type AccountMovement, type PayerBalance } from './staff-money'

/** Rows of a debtor or creditor list per page. */
export const ACCOUNTS_PAGE_SIZE = 25

const METHODS = ['cash', 'cheque', 'card', 'transfer', 'directDebit', 'creditNote'] as const

/** A payment method by its name in the reader's language, when the back office has one. */
function methodLabel(lang: Lang, label: string): string {
  const m = METHODS.find((x) => x === label)
  return m ? t(lang, `staff.pay.method.${m}`) : label
}

/** A page of a list and where it sits (1-based, clamped to the pages there are). */
export function pageOf<T>(rows: readonly T[], requested: string | undefined, size = ACCOUNTS_PAGE_SIZE): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size))
  const asked = /^\d{1,6}$/.test(requested ?? '') ? Number(requested) : 1
  const page = Math.min(Math.max(asked, 1), pages)
  return { items: rows.slice((page - 1) * size, page * size), page, pages }
}

function BalanceTable(p: {
  id: string; lang: Lang; count: number; total: bigint; pick: (r: PayerBalance) => bigint; currency: string
  page: { items: PayerBalance[]; page: number; pages: number }; link: (page: number) => string
}) {
  const { lang, total } = p
  return (
    <>
      <table id={p.id}>
        <thead><tr><th scope="col">{t(lang, 'staff.invoices.payer')}</th><th scope="col" class="num">{t(lang, 'invoices.amount')}</th></tr></thead>
        <tbody>
          {p.page.items.length === 0 ? <tr><td colspan={2}>{t(lang, 'staff.prepaid.noneListed')}</td></tr> : p.page.items.map((r) => (
            <tr><td><a href={`/staff/accounts/${encodeURIComponent(r.payerId)}`}>{r.name}</a></td><td class="num">{formatAmount(lang, p.pick(r), r.currency)}</td></tr>
          ))}
        </tbody>
        <tfoot><tr class="total"><th scope="row">{t(lang, 'staff.prepaid.total', { count: p.count })}</th><td class="num">{formatAmount(lang, total, p.currency)}</td></tr></tfoot>
      </table>
      {p.page.pages > 1 ? (
        <p class="pager no-print" data-list={p.id}>
          {p.page.page > 1 ? <><a href={p.link(p.page.page - 1)} rel="prev">{t(lang, 'staff.prepaid.prevPage')}</a>{' · '}</> : null}
          <span>{t(lang, 'staff.prepaid.pageOf', { page: p.page.page, pages: p.page.pages })}</span>
          {p.page.page < p.page.pages ? <>{' · '}<a href={p.link(p.page.page + 1)} rel="next">{t(lang, 'staff.prepaid.nextPage')}</a></> : null}
        </p>
      ) : null}
    </>
  )
}

/** The month asked (`YYYY-MM`), checked with the library's statement schema; the current month when none is asked. */
function monthRange(c: Context<AppEnv>): { month: string; from: LocalDate; to: LocalDate } | { error: true; month: string } {
  const asked = c.req.query('month')
  const month = asked === undefined || asked === '' ? today(c).slice(0, 7) : asked.trim()
  const from = `${month}-01`
  const parsed = /^\d{4}-\d{2}$/.test(month) ? StatementOptionsSchema.safeParse({ from, to: from, timeZone: c.var.site.timeZone }) : undefined
  if (!parsed?.success) return { error: true, month }
  const next = addMonths(from as LocalDate, 1)
  const last = new Date(Date.UTC(Number(next.slice(0, 4)), Number(next.slice(5, 7)) - 1, 0)).toISOString().slice(0, 10) as LocalDate
  return { month, from: from as LocalDate, to: last }
}

function codeLabel(lang: Lang, code: TransferCode): string {
  return t(lang, `staff.prepaid.code.${code}`)
}

/** One wallet's month: opening, lines with the running balance, totals, closing, what is still reserved. */
function WalletMonth(p: { lang: Lang; office: string; statement: AccountStatement; payments: ReadonlyMap<string, Payment> }) {
  const { lang, statement: s } = p
  const month = s.months[0]!
  const reserved = s.reservations.reduce((sum, r) => sum + (r.amount > 0n ? r.amount : 0n), 0n)
  return (
    <section class="wallet-month" data-account={s.accountId}>
      <h3>{t(lang, 'staff.prepaid.office', { office: p.office })}</h3>
      <table class="statement">
        <thead><tr><th scope="col">{t(lang, 'statement.date')}</th><th scope="col">{t(lang, 'staff.accounts.what')}</th><th scope="col" class="num">{t(lang, 'staff.accounts.debit')}</th><th scope="col" class="num">{t(lang, 'staff.accounts.credit')}</th><th scope="col" class="num">{t(lang, 'staff.accounts.balance')}</th></tr></thead>
        <tbody>
          <tr class="opening"><td>{formatDate(lang, s.from)}</td><td>{t(lang, 'staff.prepaid.opening')}</td><td /><td /><td class="num">{formatAmount(lang, month.opening, s.currency)}</td></tr>
          {month.lines.length === 0 ? <tr><td colspan={5}>{t(lang, 'staff.prepaid.none')}</td></tr> : month.lines.map((l) => {
            const payment = l.links?.paymentId ? p.payments.get(l.links.paymentId) : undefined
            const detail = payment ? (payment.product ? t(lang, 'staff.prepaid.paymentLine', { method: methodLabel(lang, payment.method), product: payment.product }) : methodLabel(lang, payment.method)) : (l.memo ?? '')
            return (
              <tr class={l.code} data-transfer={l.transferId}>
                <td>{formatDate(lang, l.date)}</td>
                <td>{codeLabel(lang, l.code)}{detail ? ` (${detail})` : ''}</td>
                <td class="num">{l.debit > 0n ? formatAmount(lang, l.debit, s.currency) : ''}</td>
                <td class="num">{l.credit > 0n ? formatAmount(lang, l.credit, s.currency) : ''}</td>
                <td class="num">{formatAmount(lang, l.balance, s.currency)}</td>
              </tr>
            )
          })}
        </tbody>
        <tfoot>
          <tr class="total"><th scope="row" colspan={2}>{t(lang, 'staff.prepaid.totals')}</th><td class="num">{formatAmount(lang, month.debits, s.currency)}</td><td class="num">{formatAmount(lang, month.credits, s.currency)}</td><td /></tr>
          <tr class="closing"><th scope="row" colspan={4}>{t(lang, 'staff.prepaid.closing')}</th><td class="num">{formatAmount(lang, month.closing, s.currency)}</td></tr>
        </tfoot>
      </table>
      {reserved > 0n ? <p class="reserved">{t(lang, 'staff.prepaid.reserved', { amount: formatAmount(lang, reserved, s.currency) })} · {t(lang, 'staff.prepaid.available', { amount: formatAmount(lang, s.available, s.currency) })}</p> : null}
    </section>
  )
}

/** The month's invoices, credit notes and payments, the running balance starting from the balance before the month (negative: owed). */
function Movements(p: { id: string; lang: Lang; rows: AccountMovement[]; from: LocalDate; to: LocalDate }) {
  const { lang } = p
  let balance = 0n
  for (const m of p.rows) if (m.date < p.from) balance += m.creditMinor - m.debitMinor
  const opening = balance
  const inMonth = p.rows.filter((m) => m.date >= p.from && m.date <= p.to)
  const currency = p.rows[0]?.currency ?? 'EUR'
  return (
    <table id={p.id} class="statement">
      <thead><tr><th scope="col">{t(lang, 'statement.date')}</th><th scope="col">{t(lang, 'staff.accounts.what')}</th><th scope="col" class="num">{t(lang, 'staff.accounts.debit')}</th><th scope="col" class="num">{t(lang, 'staff.accounts.credit')}</th><th scope="col" class="num">{t(lang, 'staff.accounts.balance')}</th></tr></thead>
      <tbody>
        <tr class="opening"><td>{formatDate(lang, p.from)}</td><td>{t(lang, 'staff.prepaid.opening')}</td><td /><td /><td class="num">{formatAmount(lang, opening, currency)}</td></tr>
        {inMonth.length === 0 ? <tr><td colspan={5}>{t(lang, 'staff.prepaid.none')}</td></tr> : inMonth.map((m) => {
          balance += m.creditMinor - m.debitMinor
          return (
            <tr class={m.kind}>
              <td>{formatDate(lang, m.date)}</td>
              <td>{`${t(lang, `staff.accounts.kind.${m.kind}`)} `}{m.href ? <a href={m.href}>{m.label}</a> : methodLabel(lang, m.label)}{m.reasonCode ? ` – ${sepaReasonText(lang, m.reasonCode)}` : ''}</td>
              <td class="num">{m.debitMinor > 0n ? formatAmount(lang, m.debitMinor, m.currency) : ''}</td>
              <td class="num">{m.creditMinor > 0n ? formatAmount(lang, m.creditMinor, m.currency) : ''}</td>
              <td class="num">{formatAmount(lang, balance, m.currency)}</td>
            </tr>
          )
        })}
      </tbody>
      <tfoot><tr class="closing"><th scope="row" colspan={4}>{t(lang, 'staff.prepaid.closing')}</th><td class="num">{formatAmount(lang, balance, currency)}</td></tr></tfoot>
    </table>
  )
}

/** The accounts routes, mounted on the staff router. */
export function accountRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/accounts', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'accounts.view', { siteId: actor.siteId })
    if (denied) return denied
    const offices = await allRecords(ctx.storage, actor.siteId, 'billingOffice')
    const office = offices.find((o) => o.id === str(c.req.query('office'))) ?? offices[0]
    if (!office) return c.notFound()
    const q = str(c.req.query('q')).slice(0, 100) // a name is at most 100 characters (a longer search was a server error)
    // debtors: summed and paged in the storage (one SQL statement on PostgreSQL), names read for the page only
    const asked = /^\d{1,6}$/.test(c.req.query('dpage') ?? '') ? Number(c.req.query('dpage')) : 1
    const debtors = await debtorsPage(ctx.storage, actor.siteId, office.id, { q, page: asked, size: ACCOUNTS_PAGE_SIZE })
    const dpage = { items: debtors.rows, page: debtors.page, pages: debtors.pages }
    // creditors: the office's wallets and their balances from the ledger
    const needle = q.toLocaleLowerCase('fr')
    const creditors = (await creditorsOf(ctx.storage, actor.siteId, office.id)).filter((r) => needle === '' || r.name.toLocaleLowerCase('fr').includes(needle))
    const cpage = pageOf(creditors, c.req.query('cpage'))
    const link = (change: Record<string, number>) => {
      const params = new URLSearchParams({ office: office.id, ...(q ? { q } : {}), dpage: String(dpage.page), cpage: String(cpage.page) })
      for (const [k, v] of Object.entries(change)) params.set(k, String(v))
      return `/staff/accounts?${params.toString()}`
    }
    return html(c,
      <Page c={c} title={t(lang, 'staff.accounts.title', { office: office.name })} current="/staff/accounts">
        <form method="get" action="/staff/accounts" class="card filters no-print">
          {offices.length > 1 ? (
            <p class="field">
              <label for="f-office">{t(lang, 'staff.wallet.office')}</label>
              <select id="f-office" name="office">{offices.map((o) => <option value={o.id} selected={o.id === office.id}>{o.name}</option>)}</select>
            </p>
          ) : <input type="hidden" name="office" value={office.id} />}
          <p class="field">
            <label for="f-q">{t(lang, 'staff.prepaid.name')}</label>
            <input id="f-q" name="q" type="search" value={q} />
          </p>
          <button type="submit">{t(lang, 'staff.filter')}</button>
        </form>
        <h2>{t(lang, 'staff.accounts.debtors', { count: debtors.count })}</h2>
        <BalanceTable id="debtors" lang={lang} count={debtors.count} total={debtors.totalMinor} pick={(r) => r.owedMinor} currency={office.currency} page={dpage} link={(n) => link({ dpage: n })} />
        <h2>{t(lang, 'staff.accounts.creditors', { count: creditors.length })}</h2>
        <BalanceTable id="creditors" lang={lang} count={creditors.length} total={creditors.reduce((n, r) => n + r.walletMinor, 0n)} pick={(r) => r.walletMinor} currency={office.currency} page={cpage} link={(n) => link({ cpage: n })} />
      </Page>,
    )
  })

  app.get('/accounts/:payerId', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'accounts.view', { siteId: actor.siteId })
    if (denied) return denied
    const payer = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', c.req.param('payerId'))
    if (!payer) return c.notFound()
    const name = `${payer.firstName} ${payer.lastName}`
    const range = monthRange(c)
    const base = `/staff/accounts/${encodeURIComponent(payer.id)}`
    const MonthForm = (p: { month: string; error?: boolean }) => (
      <form method="get" action={base} class="card inline no-print">
        <p class={p.error ? 'field invalid' : 'field'}>
          <label for="f-month">{t(lang, 'staff.prepaid.month')}</label>
          <input id="f-month" name="month" type="month" value={p.month} required aria-invalid={p.error ? 'true' : undefined} aria-describedby={p.error ? 'f-month-error' : undefined} />
          {p.error ? <strong id="f-month-error" class="field-error">{t(lang, 'staff.prepaid.badMonth')}</strong> : null}
        </p>
        <button type="submit">{t(lang, 'staff.prepaid.show')}</button>
      </form>
    )
    if ('error' in range) {
      return html(c, <Page c={c} title={t(lang, 'staff.accounts.of', { name })} current="/staff/accounts" notice={{ kind: 'error', text: t(lang, 'staff.prepaid.badMonth') }}><MonthForm month={range.month} error /></Page>, 400)
    }
    const { month, from, to } = range
    const offices = await allRecords(ctx.storage, actor.siteId, 'billingOffice')
    const wallets = ctx.storage.ledger ? await readAllPages((p) => ctx.storage.ledger!.listAccounts(actor.siteId, { kind: 'wallet', guardianId: payer.id }, p)) : []
    const statements: Array<{ office: string; statement: AccountStatement }> = []
    for (const w of wallets) {
      try {
        statements.push({ office: offices.find((o) => o.id === w.billingOfficeId)?.name ?? w.billingOfficeId, statement: await readAccountStatement(ctx.storage, actor.siteId, w.id, { from, to, timeZone: c.var.site.timeZone }) })
      } catch (error) {
        if (!isEcoleError(error, 'ACCOUNT_NOT_FOUND')) throw error
      }
    }
    const paymentIds = [...new Set(statements.flatMap((s) => s.statement.months.flatMap((m) => m.lines.flatMap((l) => (l.links?.paymentId ? [l.links.paymentId] : [])))))]
    const payments = new Map<string, Payment>()
    for (const id of paymentIds) {
      const p = await ctx.storage.payments!.getPayment(actor.siteId, id)
      if (p) payments.set(id, p)
    }
    const { movements } = await accountMovements(ctx.storage, actor.siteId, payer.id)
    const prev = addMonths(from, -1).slice(0, 7)
    const next = addMonths(from, 1).slice(0, 7)
    return html(c,
      <Page c={c} title={t(lang, 'staff.accounts.of', { name })} current="/staff/accounts">
        <MonthForm month={month} />
        <p class="no-print">
          <a href={`${base}?month=${prev}`} rel="prev">{t(lang, 'staff.prepaid.prevMonth')}</a>{' · '}
          <a href={`${base}?month=${next}`} rel="next">{t(lang, 'staff.prepaid.nextMonth')}</a>{' · '}
          <button type="button" data-print hidden>{t(lang, 'staff.prepaid.print')}</button>
          <small class="hint">{t(lang, 'staff.prepaid.printHint')}</small>
        </p>
        <h2 id="month-title">{t(lang, 'staff.prepaid.monthOf', { month: formatDate(lang, from, 'month') })}</h2>
        <h2>{t(lang, 'staff.wallet.title')}</h2>
        {statements.length === 0 ? <p>{t(lang, 'staff.prepaid.noWallet')}</p> : statements.map((s) => <WalletMonth lang={lang} office={s.office} statement={s.statement} payments={payments} />)}
        <h2>{t(lang, 'staff.accounts.invoicesAndPayments')}</h2>
        <Movements id="movements" lang={lang} rows={movements} from={from} to={to} />
        <p class="muted">{c.var.site.name}</p>
      </Page>,
    )
  })

  return app
}
