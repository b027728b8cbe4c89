/** The logged-in portal pages: dashboard, invoices (list, details, PDF, pay). */
import { GENERAL_COMPARTMENT_LABEL } from '@ecole/core'
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { formatAmount, formatDate, formatQuantity, t } from '../i18n'
import { SITE } from '../site-settings'
import { portalText } from '../stored-settings'
import { Layout } from '../views/layout'
import { epcQrDataUri, TransferDetails } from '../views/payment'
import { errorPage, html } from '../views/render'
import { lineShareNote, linePriceText } from '../views/invoice-line-text'
import { childrenOf, invoiceOf, invoicesOf, invoicesPage, walletReferenceOf, walletsOf } from './family'
import { invoicePdf } from './invoice-pdf'
import { portalNav } from './nav'
import { payeeOf } from '../billing-office-data'

/** The most invoices one transfer pays: their references must fit the 140 characters of a transfer's free text. */
export const MAX_INVOICES_PER_TRANSFER = 5

/** The free text of one transfer paying several invoices: their references, separated by spaces; undefined when over 140 characters. */
export function severalInvoicesCommunication(references: readonly string[]): string | undefined {
  const text = references.map((r) => r.replace(/\s+/g, '')).join(' ')
  return references.length <= MAX_INVOICES_PER_TRANSFER && text.length <= 140 ? text : undefined
}

/** The pages of a logged-in guardian. */
export function pagesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/', async (c) => {
    const { lang, session, ctx } = c.var
    const guardianId = session.subject!.id
    const [guardian, wallets, invoices] = await Promise.all([
      ctx.storage.directory!.getDirectoryRecord(ctx.config.siteId, 'guardian', guardianId),
      walletsOf(ctx, guardianId),
      invoicesOf(ctx, guardianId),
    ])
    const toPay = invoices.filter((v) => v.balance.outstandingMinor > 0n)
    // the reference is shown with the wallets: a guardian without one is given no number; the
    // transfer goes to the account of the office keeping the wallet, as stored
    const reference = wallets.length ? await walletReferenceOf(ctx, guardianId) : undefined
    const payee = reference ? await payeeOf(ctx, ctx.config.siteId, SITE.billingOfficeId) : undefined
    const qr = reference && payee ? await epcQrDataUri({ name: payee.name, iban: payee.iban, reference: reference.electronic }) : ''
    return html(c,
      <Layout lang={lang} title={t(lang, 'home.title')} session={session} nav={portalNav(lang, '/')} logoutAction="/logout">
        <p>{t(lang, 'home.hello', { name: guardian ? `${guardian.firstName} ${guardian.lastName}` : '' })}</p>
        <p class="card">{await portalText(ctx, 'home', lang)}</p>
        <div class="cards">
          <section class="card" aria-labelledby="h-events">
            <h2 id="h-events">{t(lang, 'home.events')}</h2>
            {toPay.length === 0 ? <p>{t(lang, 'home.noEvents')}</p> : (
              <ul>{toPay.map((v) => <li>{formatDate(lang, v.invoice.dueDate)}: {t(lang, 'invoices.due')} {v.invoice.number} ({formatAmount(lang, v.balance.outstandingMinor)})</li>)}</ul>
            )}
          </section>
          <section class="card" aria-labelledby="h-invoices">
            <h2 id="h-invoices">{t(lang, 'nav.invoices')}</h2>
            <p>{toPay.length > 0 ? t(lang, 'home.invoicesToPay', { count: toPay.length }) : t(lang, 'home.noInvoicesToPay')}</p>
            <p><a href="/invoices">{t(lang, 'home.seeInvoices')}</a></p>
          </section>
        </div>
        {reference ? (
          <section class="card" aria-labelledby="h-balances">
            <h2 id="h-balances">{t(lang, 'home.balances')}</h2>
            <table>
              <thead><tr><th scope="col">{t(lang, 'home.wallet')}</th><th scope="col" class="num">{t(lang, 'home.balance')}</th></tr></thead>
              <tbody>
                {wallets.map((w) => (
                  <tr data-wallet={w.compartment}><td>{w.compartment === 'general' ? GENERAL_COMPARTMENT_LABEL : w.compartment}</td><td class="num">{formatAmount(lang, w.availableMinor, w.currency)}</td></tr>
                ))}
              </tbody>
            </table>
            <details class="topup">
              <summary>{t(lang, 'home.topUp')}</summary>
              <h3>{t(lang, 'topup.title')}</h3>
              {payee ? (
                <>
                  <TransferDetails lang={lang} iban={payee.iban} reference={reference.display} qr={qr} idPrefix="topup" />
                  <p class="muted">{t(lang, 'topup.delay')}</p>
                </>
              ) : <p id="topup-no-account">{t(lang, 'topup.noAccount')}</p>}
            </details>
          </section>
        ) : null}
        <aside class="card muted">{await portalText(ctx, 'contact', lang)}</aside>
      </Layout>,
    )
  })

  app.get('/invoices', async (c) => {
    const { lang, session, ctx } = c.var
    const { views: invoices, labels } = await invoicesPage(ctx, session.subject!.id, true)
    // grouped by year in one pass (newest first, as the invoices come)
    const byYear = new Map<string, typeof invoices>()
    for (const v of invoices) {
      const year = v.invoice.issueDate!.slice(0, 4)
      const list = byYear.get(year)
      if (list) list.push(v)
      else byYear.set(year, [v])
    }
    return html(c,
      <Layout lang={lang} title={t(lang, 'invoices.title')} session={session} nav={portalNav(lang, '/invoices')} logoutAction="/logout">
        {invoices.length === 0 ? <p>{t(lang, 'invoices.none')}</p> : (
          <form method="get" action="/invoices/pay-several">
          <table>
            <thead>
              <tr>
                <th scope="col"><span class="visually-hidden">{t(lang, 'invoices.select')}</span></th><th scope="col">{t(lang, 'invoices.created')}</th><th scope="col">{t(lang, 'invoices.number')}</th><th scope="col">{t(lang, 'invoices.label')}</th>
                <th scope="col" class="num">{t(lang, 'invoices.paidOfDue')}</th><th scope="col">{t(lang, 'invoices.due')}</th><th scope="col">{t(lang, 'invoices.actions')}</th>
              </tr>
            </thead>
            {[...byYear].map(([year, ofYear]) => (
              <tbody>
                <tr><th scope="rowgroup" colspan={7}>{year}</th></tr>
                {ofYear.map((v) => (
                  <tr data-invoice={v.invoice.id}>
                    <td>{v.balance.outstandingMinor > 0n && v.invoice.paymentReference ? <input type="checkbox" name="invoice" value={v.invoice.id} id={`sel-${v.invoice.id}`} aria-label={`${t(lang, 'invoices.select')} ${v.invoice.number}`} /> : null}</td>
                    <td>{formatDate(lang, v.invoice.issueDate!)}</td>
                    <td>{v.invoice.number}</td>
                    <td>{labels.get(v.invoice.batchId)}</td>
                    <td class="num">{formatAmount(lang, v.balance.paidMinor)} / {formatAmount(lang, v.balance.totalMinor)}</td>
                    <td>{v.balance.outstandingMinor > 0n ? formatDate(lang, v.invoice.dueDate) : t(lang, 'invoices.paid')}</td>
                    <td>
                      <a href={`/invoices/${encodeURIComponent(v.invoice.id)}`}>{t(lang, 'invoices.details')}<span class="visually-hidden"> {v.invoice.number}</span></a>{' · '}
                      <a href={`/invoices/${encodeURIComponent(v.invoice.id)}/pdf`} download>{t(lang, 'invoices.download')}<span class="visually-hidden"> {v.invoice.number}</span></a>
                      {v.balance.outstandingMinor > 0n ? <>{' · '}<a href={`/invoices/${encodeURIComponent(v.invoice.id)}/pay`}>{t(lang, 'invoices.pay')}<span class="visually-hidden"> {v.invoice.number}</span></a></> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
          {invoices.some((v) => v.balance.outstandingMinor > 0n) ? <p><button type="submit">{t(lang, 'invoices.paySelected')}</button></p> : null}
          </form>
        )}
        <p class="muted">{t(lang, 'invoices.severalHelp')}</p>
      </Layout>,
    )
  })

  // several open invoices paid with one transfer: one amount, one communication that carries each
  // invoice's reference (the library's bank reconciliation finds every RF reference in a transfer's
  // text and settles the invoices oldest due date first), one EPC QR code
  app.get('/invoices/pay-several', async (c) => {
    const { lang, session, ctx } = c.var
    const ids = [...new Set(c.req.queries('invoice') ?? [])]
    if (ids.length === 0) return c.redirect('/invoices', 303)
    const mine = await invoicesOf(ctx, session.subject!.id)
    const chosen = ids.map((id) => mine.find((v) => v.invoice.id === id))
    // another family's invoice, or one with nothing left to pay, is not found
    if (chosen.some((v) => !v || v.balance.outstandingMinor <= 0n || !v.invoice.paymentReference)) return errorPage(c, 404)
    const views = (chosen as typeof mine).sort((a, b) => (a.invoice.dueDate < b.invoice.dueDate ? -1 : a.invoice.dueDate > b.invoice.dueDate ? 1 : 0))
    if (views.length === 1) return c.redirect(`/invoices/${encodeURIComponent(views[0]!.invoice.id)}/pay`, 303)
    const communication = severalInvoicesCommunication(views.map((v) => v.invoice.paymentReference!))
    if (communication === undefined) return errorPage(c, 404, t(lang, 'invoices.tooMany', { max: MAX_INVOICES_PER_TRANSFER }))
    // one transfer reaches one account: the invoices must all be payable to the same IBAN
    const payees = await Promise.all([...new Set(views.map((v) => v.invoice.billingOfficeId))].map((o) => payeeOf(ctx, ctx.config.siteId, o)))
    if (payees.some((p) => p === undefined)) return errorPage(c, 404, t(lang, 'invoices.noAccount'))
    if (new Set(payees.map((p) => p!.iban)).size > 1) return errorPage(c, 404, t(lang, 'invoices.severalAccounts'))
    const payee = payees[0]!
    const total = views.reduce((sum, v) => sum + v.balance.outstandingMinor, 0n)
    const qr = await epcQrDataUri({ name: payee.name, iban: payee.iban, text: communication, amountMinor: total })
    return html(c,
      <Layout lang={lang} title={t(lang, 'invoices.paySeveralTitle', { count: views.length })} session={session} nav={portalNav(lang, '/invoices')} logoutAction="/logout">
        <table>
          <thead><tr><th scope="col">{t(lang, 'invoices.number')}</th><th scope="col">{t(lang, 'invoices.due')}</th><th scope="col">{t(lang, 'topup.reference')}</th><th scope="col" class="num">{t(lang, 'invoices.remaining')}</th></tr></thead>
          <tbody>{views.map((v) => <tr data-invoice={v.invoice.id}><td>{v.invoice.number}</td><td>{formatDate(lang, v.invoice.dueDate)}</td><td>{v.invoice.paymentReference}</td><td class="num">{formatAmount(lang, v.balance.outstandingMinor)}</td></tr>)}</tbody>
          <tfoot><tr><th scope="row" colspan={3}>{t(lang, 'invoices.total')}</th><td class="num" data-total={String(total)}>{formatAmount(lang, total)}</td></tr></tfoot>
        </table>
        <TransferDetails lang={lang} iban={payee.iban} reference={communication} referenceLabel={t(lang, 'invoices.freeText')} amountMinor={total} qr={qr} idPrefix="pay" />
        <p>{t(lang, 'invoices.paySeveralHelp')}</p>
        <p><a href="/invoices">{t(lang, 'nav.invoices')}</a></p>
      </Layout>,
    )
  })

  app.get('/invoices/:id', async (c) => {
    const { lang, session, ctx } = c.var
    const view = await invoiceOf(ctx, session.subject!.id, c.req.param('id'))
    if (!view) return errorPage(c, 404)
    const inv = view.invoice
    const children = new Map((await childrenOf(ctx, inv.debtorId)).map((ch) => [ch.id, `${ch.firstName} ${ch.lastName}`]))
    // each line names its service as the site stores it
    const services = new Map((await ctx.storage.directory!.listDirectoryRecords(ctx.config.siteId, 'service', { limit: 1000 })).items.map((s) => [s.id, s.name]))
    return html(c,
      <Layout lang={lang} title={`${t(lang, 'invoices.number')} ${inv.number}`} session={session} nav={portalNav(lang, '/invoices')} logoutAction="/logout">
        <p>{formatDate(lang, inv.periodFrom)} – {formatDate(lang, inv.periodTo)} · {t(lang, 'invoices.due')}: {formatDate(lang, inv.dueDate)}</p>
        <table>
          <thead><tr><th scope="col">{t(lang, 'invoices.line')}</th><th scope="col" class="num">{t(lang, 'invoices.quantity')}</th><th scope="col" class="num">{t(lang, 'invoices.unitPrice')}</th><th scope="col" class="num">{t(lang, 'invoices.amount')}</th></tr></thead>
          <tbody>
            {inv.lines.map((l) => {
              // a line paid only in part says what the whole line costs and the share, as the PDF does
              const note = lineShareNote(lang, l, inv.currency, 'debtor')
              return <>
                <tr class={note === undefined ? undefined : 'has-share'}><td>{services.get(l.serviceId) ?? l.serviceId} – {children.get(l.beneficiaryId) ?? l.beneficiaryId}</td><td class="num">{formatQuantity(lang, l.quantity)}</td><td class="num">{linePriceText(lang, l, inv.currency)}</td><td class="num">{formatAmount(lang, l.amountMinor, inv.currency)}</td></tr>
                {note === undefined ? null : <tr class="share-note"><td colspan={4}>{note}</td></tr>}
              </>
            })}
            {inv.adjustments.map((a) => <tr><td colspan={3}>{a.reason}</td><td class="num">{formatAmount(lang, a.amountMinor)}</td></tr>)}
          </tbody>
          <tfoot><tr><th scope="row" colspan={3}>{t(lang, 'invoices.total')}</th><td class="num">{formatAmount(lang, inv.totalMinor)}</td></tr></tfoot>
        </table>
        <p>{t(lang, 'invoices.paidOfDue')}: {formatAmount(lang, view.balance.paidMinor)} / {formatAmount(lang, view.balance.totalMinor)}</p>
        <p>
          <a href={`/invoices/${encodeURIComponent(inv.id)}/pdf`} download>{t(lang, 'invoices.download')}</a>
          {view.balance.outstandingMinor > 0n ? <>{' · '}<a href={`/invoices/${encodeURIComponent(inv.id)}/pay`}>{t(lang, 'invoices.pay')}</a></> : null}
        </p>
      </Layout>,
    )
  })

  app.get('/invoices/:id/pay', async (c) => {
    const { lang, session, ctx } = c.var
    const view = await invoiceOf(ctx, session.subject!.id, c.req.param('id'))
    if (!view || !view.invoice.paymentReference) return errorPage(c, 404)
    const payee = await payeeOf(ctx, ctx.config.siteId, view.invoice.billingOfficeId)
    if (!payee) return errorPage(c, 404, t(lang, 'invoices.noAccount'))
    const qr = await epcQrDataUri({ name: payee.name, iban: payee.iban, reference: view.invoice.paymentReference, amountMinor: view.balance.outstandingMinor })
    return html(c,
      <Layout lang={lang} title={`${t(lang, 'invoices.payTitle')} – ${view.invoice.number}`} session={session} nav={portalNav(lang, '/invoices')} logoutAction="/logout">
        <TransferDetails lang={lang} iban={payee.iban} reference={view.invoice.paymentReference} amountMinor={view.balance.outstandingMinor} qr={qr} idPrefix="pay" />
        <p class="muted">{t(lang, 'invoices.severalHelp')}</p>
        <p><a href="/invoices">{t(lang, 'nav.invoices')}</a></p>
      </Layout>,
    )
  })

  app.get('/invoices/:id/pdf', async (c) => {
    const { lang, session, ctx } = c.var
    const view = await invoiceOf(ctx, session.subject!.id, c.req.param('id'))
    if (!view) return errorPage(c, 404)
    const bytes = await invoicePdf(ctx, view.invoice, lang, view.balance)
    c.header('Content-Type', 'application/pdf')
    c.header('Content-Disposition', `attachment; filename="${(view.invoice.number ?? view.invoice.id).replace(/[^A-Za-z0-9._-]/g, '_')}.pdf"`)
    return c.body(bytes as Uint8Array<ArrayBuffer>)
  })
  return app
}
