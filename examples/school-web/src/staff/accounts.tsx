/**
 * Accounts (seed 001, prepaid accounts and "comptes débiteurs / créditeurs"): the debtors of a
 * billing office (what their validated invoices still owe) and its creditors (families with money
 * in their prepaid wallet), by name; a payer's account movements: invoices, credit notes,
 * payments and refusals, and their wallet's movements.
 */
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { formatAmount, formatDate, t } from '../i18n'
import { html } from '../views/render'
import { actorOfRequest, Page, refused, str } from './routes'
import { accountMovements, debtorsAndCreditors, type AccountMovement, type PayerBalance } from './staff-money'

function BalanceTable(p: { id: string; lang: AppEnv['Variables']['lang']; rows: PayerBalance[]; pick: (r: PayerBalance) => bigint }) {
  return (
    <table id={p.id}>
      <thead><tr><th scope="col">{t(p.lang, 'staff.invoices.payer')}</th><th scope="col" class="num">{t(p.lang, 'invoices.amount')}</th></tr></thead>
      <tbody>
        {p.rows.map((r) => (
          <tr><td><a href={`/staff/accounts/${encodeURIComponent(r.payerId)}`}>{r.name}</a></td><td class="num">{formatAmount(p.lang, p.pick(r), r.currency)}</td></tr>
        ))}
      </tbody>
    </table>
  )
}

const METHODS = ['cash', 'cheque', 'card', 'transfer'] as const

/** A payment method by its name in the reader's language, when the back office has one. */
function methodLabel(lang: AppEnv['Variables']['lang'], label: string): string {
  const m = METHODS.find((x) => x === label)
  return m ? t(lang, `staff.pay.method.${m}`) : label
}

function Movements(p: { id: string; lang: AppEnv['Variables']['lang']; rows: AccountMovement[] }) {
  const { lang } = p
  let balance = 0n
  return (
    <table id={p.id}>
      <thead><tr><th scope="col">{t(lang, 'statement.date')}</th><th scope="col">{t(lang, 'staff.accounts.what')}</th><th scope="col" class="num">{t(lang, 'staff.accounts.debit')}</th><th scope="col" class="num">{t(lang, 'staff.accounts.credit')}</th><th scope="col" class="num">{t(lang, 'staff.accounts.balance')}</th></tr></thead>
      <tbody>
        {p.rows.map((m) => {
          balance += m.creditMinor - m.debitMinor
          return (
            <tr class={m.kind}>
              <td>{formatDate(lang, m.date)}</td>
              <td>{`${t(lang, `staff.accounts.kind.${m.kind}`)} `}{m.href ? <a href={m.href}>{m.label}</a> : methodLabel(lang, m.label)}</td>
              <td class="num">{m.debitMinor > 0n ? formatAmount(lang, m.debitMinor, m.currency) : ''}</td>
              <td class="num">{m.creditMinor > 0n ? formatAmount(lang, m.creditMinor, m.currency) : ''}</td>
              <td class="num">{formatAmount(lang, balance, m.currency)}</td>
            </tr>
          )
        })}
      </tbody>
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
    const offices = (await ctx.storage.directory!.listDirectoryRecords(actor.siteId, 'billingOffice', { limit: 100 })).items
    const office = offices.find((o) => o.id === str(c.req.query('office'))) ?? offices[0]
    if (!office) return c.notFound()
    const { debtors, creditors } = await debtorsAndCreditors(ctx.storage, actor.siteId, office.id)
    return html(c,
      <Page c={c} title={t(lang, 'staff.accounts.title', { office: office.name })} current="/staff/accounts">
        {offices.length > 1 ? (
          <form method="get" action="/staff/accounts" class="card filters">
            <p class="field">
              <label for="f-office">{t(lang, 'staff.wallet.office')}</label>
              <select id="f-office" name="office">{offices.map((o) => <option value={o.id} selected={o.id === office.id}>{o.name}</option>)}</select>
            </p>
            <button type="submit">{t(lang, 'staff.filter')}</button>
          </form>
        ) : null}
        <h2>{t(lang, 'staff.accounts.debtors', { count: debtors.length })}</h2>
        <BalanceTable id="debtors" lang={lang} rows={debtors} pick={(r) => r.owedMinor} />
        <h2>{t(lang, 'staff.accounts.creditors', { count: creditors.length })}</h2>
        <BalanceTable id="creditors" lang={lang} rows={creditors} pick={(r) => r.walletMinor} />
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
    const { movements, wallet } = await accountMovements(ctx.storage, actor.siteId, payer.id)
    return html(c,
      <Page c={c} title={t(lang, 'staff.accounts.of', { name: `${payer.firstName} ${payer.lastName}` })} current="/staff/accounts">
        <h2>{t(lang, 'staff.accounts.invoicesAndPayments')}</h2>
        <Movements id="movements" lang={lang} rows={movements} />
        <h2>{t(lang, 'staff.wallet.title')}</h2>
        <Movements id="wallet" lang={lang} rows={wallet} />
      </Page>,
    )
  })

  return app
}
