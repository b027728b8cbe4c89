/** The logged-in portal pages: dashboard, invoices (list, details, PDF, pay). */
import { colon } from '@ecole/pdf'
import { Hono } from 'hono'
import type { FC } from 'hono/jsx'
import type { AppEnv } from '../env'
import { formatAmount, formatDate, formatQuantity, t, type Lang } from '../i18n'
import { SITE } from '../site-settings'
import { portalText } from '../stored-settings'
import { Layout } from '../views/layout'
import { epcQrDataUri, TransferDetails } from '../views/payment'
import { errorPage, html } from '../views/render'
import { lineShareNote, linePriceText } from '../views/invoice-line-text'
import { childrenOf, invoiceOf, invoicesOf, invoicesPage, walletReferenceOf, walletsOf } from './family'
import { invoicePdf } from './invoice-pdf'
import { settlementsOf } from './settlement'
import { SETTLEMENT_COLUMNS, SettlementCells, SettlementHeads, SettlementTable } from './settlement-view'
import { portalNav } from './nav'
import { dayIn } from '../site-facts'
import { dueText, isOverdue } from './due-text'
import { payeeOf } from '../billing-office-data'
import { invoiceCollectionOf, invoiceCollections, transferReferenceOf, type InvoiceCollection } from '../invoice-collection'

/** The most invoices one transfer pays: their references must fit the 140 characters of a transfer's free text. */
export const MAX_INVOICES_PER_TRANSFER = 5

/** The free text of one transfer paying several invoices: their references, separated by spaces; undefined when over 140 characters. */
export function severalInvoicesCommunication(references: readonly string[]): string | undefined {
  const text = references.map((r) => r.replace(/\s+/g, '')).join(' ')
  return references.length <= MAX_INVOICES_PER_TRANSFER && text.length <= 140 ? text : undefined
}

/** The debit an invoice still waits for (something due, collected by direct debit), or undefined when it is paid by transfer. */
function debitAwaited(how: InvoiceCollection | undefined, outstandingMinor: bigint): Extract<InvoiceCollection, { by: 'directDebit' }> | undefined {
  return how?.by === 'directDebit' && outstandingMinor > 0n ? how : undefined
}

/** What the family is told about paying an invoice: the debit to come (do not transfer), or the returned debit (pay by transfer). */
const HowToPay: FC<{ lang: Lang; how: InvoiceCollection; outstandingMinor: bigint }> = ({ lang, how, outstandingMinor }) => {
  const debit = debitAwaited(how, outstandingMinor)
  if (debit) return <p class="notice" id="direct-debit">{t(lang, 'invoices.willBeDebited', { date: formatDate(lang, debit.date, 'long'), mandate: debit.mandate.rum })}</p>
  if (how.by === 'transfer' && how.returned && outstandingMinor > 0n) return <p class="notice" id="debit-returned">{t(lang, 'invoices.debitReturned', { date: formatDate(lang, how.returned.date, 'long') })}</p>
  return null
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
    // an invoice whose due date has passed says it is late, not "next due date" (the site's day)
    const today = dayIn(c.var.site.timeZone, ctx.clock.now())
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
              <ul>{toPay.map((v) => <li class={isOverdue(v.invoice.dueDate, today) ? 'overdue' : undefined}>{dueText(lang, v.invoice.dueDate, today)}{colon(lang)}{v.invoice.number} ({formatAmount(lang, v.balance.outstandingMinor)})</li>)}</ul>
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
              <thead><tr><th scope="col">{t(lang, 'home.wallet')}</th><th scope="col" class="num">{t(lang, 'statement.available')}</th></tr></thead>
              <tbody>
                {wallets.map((w) => (
                  <tr data-wallet={w.compartment}><td>{w.compartment === 'general' ? t(lang, 'home.generalCompartment') : w.compartment}</td><td class="num">{formatAmount(lang, w.availableMinor, w.currency)}</td></tr>
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
    // paid, credited and left to pay, each named (a credit note's excess carried here is a credit, not a payment)
    const settled = await settlementsOf(ctx, session.subject!.id, invoices)
    const today = dayIn(c.var.site.timeZone, ctx.clock.now())
    // an invoice the library will debit is not paid by transfer: no "Pay", no box to tick, the debit date instead (as its PDF says)
    const how = await invoiceCollections(ctx, invoices.map((v) => ({ invoice: v.invoice, outstandingMinor: v.balance.outstandingMinor })))
    const debitOf = (v: (typeof invoices)[number]) => debitAwaited(how.get(v.invoice.id), v.balance.outstandingMinor)
    const payable = (v: (typeof invoices)[number]) => v.balance.outstandingMinor > 0n && debitOf(v) === undefined
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
                <SettlementHeads lang={lang} /><th scope="col">{t(lang, 'invoices.due')}</th><th scope="col">{t(lang, 'invoices.actions')}</th>
              </tr>
            </thead>
            {[...byYear].map(([year, ofYear]) => (
              <tbody>
                <tr><th scope="rowgroup" colspan={6 + SETTLEMENT_COLUMNS}>{year}</th></tr>
                {ofYear.map((v) => (
                  <tr data-invoice={v.invoice.id}>
                    <td>{payable(v) && transferReferenceOf(v.invoice) ? <input type="checkbox" name="invoice" value={v.invoice.id} id={`sel-${v.invoice.id}`} aria-label={`${t(lang, 'invoices.select')} ${v.invoice.number}`} /> : null}</td>
                    <td>{formatDate(lang, v.invoice.issueDate!)}</td>
                    <td>{v.invoice.number}</td>
                    <td>{labels.get(v.invoice.batchId)}</td>
                    <SettlementCells lang={lang} s={settled.get(v.invoice.id)!} />
                    <td>{v.balance.outstandingMinor > 0n ? (isOverdue(v.invoice.dueDate, today) ? t(lang, 'home.overdueSince', { date: formatDate(lang, v.invoice.dueDate) }) : formatDate(lang, v.invoice.dueDate)) : t(lang, 'invoices.paid')}</td>
                    <td>
                      <a href={`/invoices/${encodeURIComponent(v.invoice.id)}`}>{t(lang, 'invoices.details')}<span class="visually-hidden"> {v.invoice.number}</span></a>{' · '}
                      <a href={`/invoices/${encodeURIComponent(v.invoice.id)}/pdf`} download>{t(lang, 'invoices.download')}<span class="visually-hidden"> {v.invoice.number}</span></a>
                      {payable(v) ? <>{' · '}<a href={`/invoices/${encodeURIComponent(v.invoice.id)}/pay`}>{t(lang, 'invoices.pay')}<span class="visually-hidden"> {v.invoice.number}</span></a></> : null}
                      {debitOf(v) ? <>{' · '}<span class="debit">{t(lang, 'invoices.debitedOn', { date: formatDate(lang, debitOf(v)!.date) })}</span></> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
          {invoices.some(payable) ? <p><button type="submit">{t(lang, 'invoices.paySelected')}</button></p> : null}
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
    if (chosen.some((v) => !v || v.balance.outstandingMinor <= 0n || !transferReferenceOf(v.invoice))) return errorPage(c, 404)
    // nor is one the library will debit (paid twice otherwise)
    const how = await invoiceCollections(ctx, (chosen as typeof mine).map((v) => ({ invoice: v.invoice, outstandingMinor: v.balance.outstandingMinor })))
    if ((chosen as typeof mine).some((v) => debitAwaited(how.get(v.invoice.id), v.balance.outstandingMinor))) return errorPage(c, 404)
    const views = (chosen as typeof mine).sort((a, b) => (a.invoice.dueDate < b.invoice.dueDate ? -1 : a.invoice.dueDate > b.invoice.dueDate ? 1 : 0))
    if (views.length === 1) return c.redirect(`/invoices/${encodeURIComponent(views[0]!.invoice.id)}/pay`, 303)
    const communication = severalInvoicesCommunication(views.map((v) => transferReferenceOf(v.invoice)!))
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
    const how = await invoiceCollectionOf(ctx, { invoice: inv, outstandingMinor: view.balance.outstandingMinor })
    const debit = debitAwaited(how, view.balance.outstandingMinor)
    // each line names its service as the site stores it
    const services = new Map((await ctx.storage.directory!.listDirectoryRecords(ctx.config.siteId, 'service', { limit: 1000 })).items.map((s) => [s.id, s.name]))
    return html(c,
      <Layout lang={lang} title={`${t(lang, 'invoices.number')} ${inv.number}`} session={session} nav={portalNav(lang, '/invoices')} logoutAction="/logout">
        <p>{formatDate(lang, inv.periodFrom)} – {formatDate(lang, inv.periodTo)} · {t(lang, 'invoices.due')}{colon(lang)}{formatDate(lang, inv.dueDate)}</p>
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
        <SettlementTable lang={lang} s={(await settlementsOf(ctx, session.subject!.id, [view])).get(inv.id)!} asJointDebtor={view.asJointDebtor} />
        <HowToPay lang={lang} how={how} outstandingMinor={view.balance.outstandingMinor} />
        <p>
          <a href={`/invoices/${encodeURIComponent(inv.id)}/pdf`} download>{t(lang, 'invoices.download')}</a>
          {view.balance.outstandingMinor > 0n && debit === undefined ? <>{' · '}<a href={`/invoices/${encodeURIComponent(inv.id)}/pay`}>{t(lang, 'invoices.pay')}</a></> : null}
        </p>
      </Layout>,
    )
  })

  app.get('/invoices/:id/pay', async (c) => {
    const { lang, session, ctx } = c.var
    const view = await invoiceOf(ctx, session.subject!.id, c.req.param('id'))
    const reference = view && transferReferenceOf(view.invoice)
    if (!view || !reference) return errorPage(c, 404)
    // an invoice the library will debit is not paid by transfer: the page says when it is debited, and offers no transfer
    const how = await invoiceCollectionOf(ctx, { invoice: view.invoice, outstandingMinor: view.balance.outstandingMinor })
    if (debitAwaited(how, view.balance.outstandingMinor)) {
      return html(c,
        <Layout lang={lang} title={`${t(lang, 'invoices.number')} ${view.invoice.number}`} session={session} nav={portalNav(lang, '/invoices')} logoutAction="/logout">
          <HowToPay lang={lang} how={how} outstandingMinor={view.balance.outstandingMinor} />
          <p><a href="/invoices">{t(lang, 'nav.invoices')}</a></p>
        </Layout>,
      )
    }
    const payee = await payeeOf(ctx, ctx.config.siteId, view.invoice.billingOfficeId)
    if (!payee) return errorPage(c, 404, t(lang, 'invoices.noAccount'))
    const qr = await epcQrDataUri({ name: payee.name, iban: payee.iban, reference, amountMinor: view.balance.outstandingMinor })
    return html(c,
      <Layout lang={lang} title={`${t(lang, 'invoices.payTitle')} – ${view.invoice.number}`} session={session} nav={portalNav(lang, '/invoices')} logoutAction="/logout">
        <HowToPay lang={lang} how={how} outstandingMinor={view.balance.outstandingMinor} />
        <TransferDetails lang={lang} iban={payee.iban} reference={reference} amountMinor={view.balance.outstandingMinor} qr={qr} idPrefix="pay" />
        <p class="muted">{t(lang, 'invoices.severalHelp')}</p>
        <p><a href="/invoices">{t(lang, 'nav.invoices')}</a></p>
      </Layout>,
    )
  })

  app.get('/invoices/:id/pdf', async (c) => {
    const { lang, session, ctx } = c.var
    const view = await invoiceOf(ctx, session.subject!.id, c.req.param('id'))
    if (!view) return errorPage(c, 404)
    // the family's payments as paid, credit notes (a note's excess carried here included) as credited
    const bytes = await invoicePdf(ctx, view.invoice, lang, (await settlementsOf(ctx, session.subject!.id, [view])).get(view.invoice.id)!)
    c.header('Content-Type', 'application/pdf')
    c.header('Content-Disposition', `attachment; filename="${(view.invoice.number ?? view.invoice.id).replace(/[^A-Za-z0-9._-]/g, '_')}.pdf"`)
    return c.body(bytes as Uint8Array<ArrayBuffer>)
  })
  return app
}
