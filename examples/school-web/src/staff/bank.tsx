/**
 * Direct debits and bank statements (seed 001): the SEPA collection (pain.008) of the validated
 * invoices to collect, downloaded; direct-debit returns entered by hand or read from the bank's
 * pain.002 (the payment REFUSED, the invoice due again); a camt.053 / CODA statement uploaded, its
 * proposed reconciliation reviewed, then imported once (a second import of the same statement,
 * even at the same moment, is told so and changes nothing).
 */
import { parseCamt053, parseCoda, parsePain002, type BankStatement } from '@ecole/bank'
import { isEcoleError, isLocalDate, type BillingOffice, type LocalDate } from '@ecole/core'
import { collectDirectDebits, decideHeldStatement, importBankStatement, previewBankStatement, recordDirectDebitReturn, recordPaymentStatusReport, type BankImportReport, type DirectDebitReturnResult, type BankImportWallet, type BankPreviewLine } from '@ecole/workflows'
import { colon } from '@ecole/pdf'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../env'
import { formatAmount, formatDate, t } from '../i18n'
import { walletReferenceOfNumber } from '../portal/family'
import { CsrfField, Field } from '../views/layout'
import { html } from '../views/render'
import { ecoleMessage } from './batches'
import { actorOfRequest, depsOf, Page, Pager, refused, str, today } from './routes'
import { pageSizeOf } from './staff-billing'
import { staffAudit } from './staff-audit'
import { allRecords } from './people'
import { guardianNames, readAllPages, siteAccounts } from './staff-money'
import { returnActionText, sepaReasonText } from './sepa-reason-text'


const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v)

/** Reads a statement file: camt.053 (XML) or CODA (text), whichever it is. */
export function parseStatementFile(content: string): BankStatement[] {
  return content.trimStart().startsWith('<') ? parseCamt053(content) : parseCoda(content)
}

/** The billing office `id`, or undefined when the site has none of that id (never another office). */
async function officeOf(c: Context<AppEnv>, id: string) {
  return c.var.ctx.storage.directory!.getDirectoryRecord(actorOfRequest(c).siteId, 'billingOffice', id)
}

/** Every billing office of the site, read to the end of the storage's pages. */
function siteOffices(c: Context<AppEnv>): Promise<BillingOffice[]> {
  return allRecords(c.var.ctx.storage, actorOfRequest(c).siteId, 'billingOffice')
}

/** An account number as offices and statements may spell it: no spaces or dashes, upper case. */
const accountKey = (account: string) => account.replace(/[\s-]+/g, '').toUpperCase()

/**
 * Whether the office's IBAN is `account`: the same IBAN, or, for a Belgian IBAN, its 12-digit
 * Belgian account number (`BE68 5390 0754 7034` is account `539-0075470-34`), which older CODA
 * files give instead of the IBAN (account structure 0, and CODA 1).
 */
function holdsAccount(office: BillingOffice, account: string): boolean {
  if (office.iban === undefined || account === '') return false
  const iban = accountKey(office.iban)
  const key = accountKey(account)
  return iban === key || (iban.startsWith('BE') && iban.length === 16 && /^\d{12}$/.test(key) && iban.slice(4) === key)
}

/** An account number as a person reads it: in groups of four. */
const spaced = (account: string) => account.replace(/(.{4})(?=.)/g, '$1 ')

/** The offices of `offices` holding `account`, in id order: one, or several sharing it. */
const holdersOf = (offices: readonly BillingOffice[], account: string) => offices.filter((o) => holdsAccount(o, account))

/** The site's billing offices that hold `account` (their IBAN), in id order: none, one, or several sharing it. */
async function officesOfAccount(c: Context<AppEnv>, account: string): Promise<BillingOffice[]> {
  return holdersOf(await siteOffices(c), account)
}

/** The statements of a file whose account the same offices hold: those offices and the account. */
interface OfficeStatements {
  /** The offices holding the account, in id order: one, or several sharing it (all reconciled). */
  offices: BillingOffice[]
  account: string
  statements: BankStatement[]
}

/**
 * The statements of a file grouped by the billing offices whose IBAN is their own account, in file
 * order: a payment reaches the invoices and wallets of the office it was paid to, never those of
 * the site's first office. Where several offices share the account, all of them are reconciled
 * together: each entry pays an invoice in the office that issued it, and a top-up goes to the
 * office where the payer has a prepaid account (left to review when the payer has one at several).
 * A statement of an account that no office holds names that account (`unheld`), and nothing of
 * the file is read further.
 */
async function officesOfStatements(c: Context<AppEnv>, statements: readonly BankStatement[]): Promise<{ groups: OfficeStatements[] } | { unheld: string }> {
  const offices = await siteOffices(c)
  const groups = new Map<string, OfficeStatements>()
  for (const s of statements) {
    const account = s.account.iban ?? s.account.otherId ?? ''
    const holders = holdersOf(offices, account)
    if (holders.length === 0) return { unheld: account }
    const key = holders.map((o) => o.id).join('\n')
    const group = groups.get(key) ?? { offices: holders, account: accountKey(holders[0]!.iban!), statements: [] }
    group.statements.push(s)
    groups.set(key, group)
  }
  return { groups: [...groups.values()] }
}

/** A review candidate of an import (`invoice:<id>`, `wallet:<payer>`, `wallet:<payer>@<office>`), read back. */
function candidateOf(raw: string, offices: ReadonlyMap<string, unknown>): { kind: 'invoice'; invoiceId: string } | { kind: 'wallet'; payerId: string; billingOfficeId?: string } | { kind: 'other' } {
  if (raw.startsWith('invoice:')) return { kind: 'invoice', invoiceId: raw.slice('invoice:'.length) }
  if (!raw.startsWith('wallet:')) return { kind: 'other' }
  const id = raw.slice('wallet:'.length)
  const at = id.lastIndexOf('@')
  // `@<office>` only where it names an office of the import (a payer id may hold an @)
  return at >= 0 && offices.has(id.slice(at + 1)) ? { kind: 'wallet', payerId: id.slice(0, at), billingOfficeId: id.slice(at + 1) } : { kind: 'wallet', payerId: id }
}

/** The direct-debit and bank-statement routes, mounted on the staff router. */
export function bankRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  // ---- SEPA collection (pain.008) and direct-debit returns
  const CollectForm = (p: { c: Context<AppEnv>; batchId?: string; date?: string; endToEndPrefix?: string; product?: string }) => (
    <form method="post" action="/staff/direct-debits" class="card">
      <h2>{t(p.c.var.lang, 'staff.dd.collect')}</h2>
      <CsrfField session={p.c.var.session} />
      <Field label={t(p.c.var.lang, 'staff.invoices.batch')} name="batchId" value={p.batchId ?? ''} />
      <Field label={t(p.c.var.lang, 'staff.dd.date')} name="collectionDate" type="date" value={p.date ?? today(p.c)} />
      {/* optional: the bank's own conventions (empty: DD<yymmdd>- and no product) */}
      <Field label={t(p.c.var.lang, 'staff.dd.endToEndPrefix')} name="endToEndPrefix" value={p.endToEndPrefix ?? ''} required={false} />
      <Field label={t(p.c.var.lang, 'staff.dd.product')} name="product" value={p.product ?? ''} required={false} />
      <button type="submit">{t(p.c.var.lang, 'staff.dd.generate')}</button>
    </form>
  )
  const ReturnForm = (p: { c: Context<AppEnv> }) => (
    <>
      <form method="post" action="/staff/direct-debits/returns" class="card">
        <h2>{t(p.c.var.lang, 'staff.dd.return')}</h2>
        <CsrfField session={p.c.var.session} />
        <Field label={t(p.c.var.lang, 'staff.dd.endToEnd')} name="endToEndId" />
        <Field label={t(p.c.var.lang, 'staff.dd.reason')} name="reasonCode" value="AM04" />
        <Field label={t(p.c.var.lang, 'statement.date')} name="date" type="date" value={today(p.c)} />
        <button type="submit">{t(p.c.var.lang, 'staff.dd.recordReturn')}</button>
      </form>
      <form method="post" action="/staff/direct-debits/returns/pain002" enctype="multipart/form-data" class="card">
        <h2>{t(p.c.var.lang, 'staff.dd.pain002')}</h2>
        <CsrfField session={p.c.var.session} />
        <p class="field"><label for="f-file">{t(p.c.var.lang, 'staff.bank.file')}</label><input id="f-file" type="file" name="file" accept=".xml" required /></p>
        <button type="submit">{t(p.c.var.lang, 'staff.dd.recordReturn')}</button>
      </form>
    </>
  )

  app.get('/direct-debits', (c) => {
    const actor = actorOfRequest(c)
    const denied = refused(c, 'directDebits.collect', { siteId: actor.siteId })
    if (denied) return denied
    return html(c, <Page c={c} title={t(c.var.lang, 'staff.dd.title')} current="/staff/direct-debits"><CollectForm c={c} batchId={str(c.req.query('batchId'))} /><ReturnForm c={c} /></Page>)
  })

  app.post('/direct-debits', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'directDebits.collect', { siteId: actor.siteId })
    if (denied) return denied
    const body = await c.req.parseBody()
    const batchId = str(body.batchId)
    const collectionDate = str(body.collectionDate)
    const endToEndPrefix = str(body.endToEndPrefix).trim()
    const product = str(body.product).trim()
    const bad = (text: string, status: 400 | 409 = 400) => html(c, <Page c={c} title={t(lang, 'staff.dd.title')} current="/staff/direct-debits" notice={{ kind: 'error', text }}><CollectForm c={c} batchId={batchId} date={collectionDate} endToEndPrefix={endToEndPrefix} product={product} /></Page>, status)
    const batch = batchId ? await ctx.storage.invoicing!.getInvoiceBatch(actor.siteId, batchId) : undefined
    if (!batch) return bad(t(lang, 'staff.dd.noBatch', { batch: batchId }))
    if (!isDate(collectionDate)) return bad(t(lang, 'staff.dd.badDate'))
    const office = await officeOf(c, batch.billingOfficeId)
    if (!office?.iban || !office.creditorId) return bad(t(lang, 'staff.dd.noCreditor'))
    try {
      // the message id names the moment (a second collection of the batch on the same day gets its own file)
      const stamp = ctx.clock.now().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
      const messageId = `DD-${stamp}-${batchId}`.slice(0, 35)
      // the pain.008 is stored by the workflow in the transaction of the collection (a restart loses nothing)
      const r = await collectDirectDebits(depsOf(c), {
        siteId: actor.siteId, batchId, collectionDate: collectionDate as LocalDate, endToEndPrefix: endToEndPrefix || `DD${collectionDate.replace(/-/g, '').slice(2)}-`, ...(product ? { product } : {}),
        file: { messageId, billingOfficeId: office.id, creditor: { name: office.name, iban: office.iban, creditorId: office.creditorId, address: { town: office.address.city ?? 'Créteil', country: office.address.country ?? 'FR' } } },
      }, {
        // written with the collection's payments and its file (nothing collected: no entry)
        audit: staffAudit(actor, ctx.clock.now(), (done) => [{ action: 'directDebit.collected', subject: { kind: 'invoiceBatch', id: batchId }, after: { messageId, count: done.instructions.length, totalMinor: done.file?.amount.minor ?? 0n } }]),
      })
      if (r.instructions.length === 0) return bad(t(lang, 'staff.dd.nothing', { excluded: r.excluded.length }), 409)
      const totalMinor = r.file!.amount.minor
      return html(c,
        <Page c={c} title={t(lang, 'staff.dd.title')} current="/staff/direct-debits" notice={{ kind: 'ok', text: t(lang, 'staff.dd.done', { count: r.instructions.length, total: formatAmount(lang, totalMinor) }) }}>
          {(r.warnings ?? []).map((w) => <p class="notice" id="not-target-day">{t(lang, 'staff.dd.notTargetDay', { date: formatDate(lang, w.collectionDate, 'long'), settles: formatDate(lang, w.settlesOn, 'long') })}</p>)}
          <p><a id="pain008" href={`/staff/direct-debits/${encodeURIComponent(messageId)}.xml`} download>{t(lang, 'staff.dd.download', { file: `${messageId}.xml` })}</a>{' · '}<a href="/staff/direct-debits/files">{t(lang, 'staff.dd.files')}</a></p>
          {r.excluded.length > 0 ? (
            <>
              <h2>{t(lang, 'staff.dd.excluded')}</h2>
              <ul>{r.excluded.map((e) => <li>{`${e.invoiceId}: ${e.reason}`}</li>)}</ul>
            </>
          ) : null}
        </Page>,
      )
    } catch (error) {
      if (isEcoleError(error)) return bad(ecoleMessage(error))
      throw error
    }
  })

  app.get('/direct-debits/files', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'directDebits.collect', { siteId: actor.siteId })
    if (denied) return denied
    const size = 25
    const after = str(c.req.query('after'))
    const page = await ctx.storage.directory!.listDirectoryRecords(actor.siteId, 'collectionFile', { limit: size, ...(after ? { after } : {}) })
    return html(c,
      <Page c={c} title={t(lang, 'staff.dd.files')} current="/staff/direct-debits">
        <table id="collection-files">
          <thead><tr><th scope="col">{t(lang, 'staff.dd.file')}</th><th scope="col">{t(lang, 'staff.dd.collectionDate')}</th><th scope="col">{t(lang, 'staff.dd.batch')}</th><th scope="col" class="num">{t(lang, 'staff.dd.count')}</th><th scope="col" class="num">{t(lang, 'invoices.amount')}</th></tr></thead>
          <tbody>
            {page.items.length === 0 ? <tr><td colspan={5}>{t(lang, 'staff.dd.noFiles')}</td></tr> : page.items.map((f) => (
              <tr><td><a href={`/staff/direct-debits/${encodeURIComponent(f.id)}.xml`} download>{`${f.id}.xml`}</a></td><td>{f.collectionDate}</td><td>{f.batchId ?? ''}</td><td class="num">{String(f.count)}</td><td class="num">{formatAmount(lang, f.amount.minor, f.amount.currency)}</td></tr>
            ))}
          </tbody>
        </table>
        {page.next ? <p class="pager"><a rel="next" href={`/staff/direct-debits/files?after=${encodeURIComponent(page.next)}`}>{t(lang, 'staff.prepaid.nextPage')}</a></p> : null}
      </Page>,
    )
  })

  app.get('/direct-debits/:file{.+\\.xml}', async (c) => {
    const actor = actorOfRequest(c)
    const denied = refused(c, 'directDebits.collect', { siteId: actor.siteId })
    if (denied) return denied
    const messageId = c.req.param('file').replace(/\.xml$/, '')
    // read back from the storage: the file was stored with its collection
    const file = await c.var.ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'collectionFile', messageId)
    if (!file) return c.notFound()
    return c.body(file.xml, 200, { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Disposition': `attachment; filename="${messageId.replace(/[^A-Za-z0-9._-]/g, '_')}.xml"` })
  })

  /** Applies returns and shows each one's outcome: the payment refused, its invoices owing again. */
  async function applyReturns(c: Context<AppEnv>, returns: Array<{ endToEndId: string; reasonCode: string; date: LocalDate }>) {
    const { ctx } = c.var
    const actor = actorOfRequest(c)
    const outcomes: Array<{ endToEndId: string; out: DirectDebitReturnResult }> = []
    for (const r of returns) {
      // the entry is written with the return (applied again: no entry)
      const out = await recordDirectDebitReturn(depsOf(c), { siteId: actor.siteId, endToEndId: r.endToEndId, reasonCode: r.reasonCode, date: r.date }, {
        audit: staffAudit(actor, ctx.clock.now(), (done) => [{ action: 'directDebit.returned', subject: { kind: 'payment', id: done.payment.id }, before: { status: 'recorded' }, after: { status: 'refused', reasonCode: r.reasonCode } }]),
      })
      outcomes.push({ endToEndId: r.endToEndId, out })
    }
    return returnsPage(c, outcomes)
  }

  /** The page listing recorded returns, each with the invoices it made due again. */
  async function returnsPage(c: Context<AppEnv>, outcomes: ReadonlyArray<{ endToEndId: string; out: DirectDebitReturnResult }>) {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const rows: Array<{ endToEndId: string; text: string; invoices: Array<{ id: string; label: string; owed: string }> }> = []
    for (const { endToEndId, out } of outcomes) {
      const invoiceIds = out.payment.allocations.map((a) => a.invoiceId)
      const { invoices, balances } = await siteAccounts(ctx.storage, actor.siteId, { payerId: out.payment.payerId })
      rows.push({
        endToEndId,
        text: out.alreadyApplied ? t(lang, 'staff.dd.alreadyReturned') : t(lang, 'staff.dd.returnedBecause', { reason: sepaReasonText(lang, out.payment.refusal?.reasonCode ?? ''), action: returnActionText(lang, out.action) }),
        invoices: invoices.filter((i) => invoiceIds.includes(i.id)).map((i) => ({ id: i.id, label: i.number ?? i.id, owed: formatAmount(lang, balances.get(i.id)!.outstandingMinor, i.currency) })),
      })
    }
    return html(c,
      <Page c={c} title={t(lang, 'staff.dd.return')} current="/staff/direct-debits" notice={{ kind: 'ok', text: t(lang, 'staff.dd.returnsDone', { count: rows.length }) }}>
        <table>
          <thead><tr><th scope="col">{t(lang, 'staff.dd.endToEnd')}</th><th scope="col">{t(lang, 'staff.state')}</th><th scope="col">{t(lang, 'staff.dd.reopened')}</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr><td>{r.endToEndId}</td><td>{r.text}</td><td>{r.invoices.map((i) => <><a href={`/staff/invoices/${encodeURIComponent(i.id)}`}>{i.label}</a>{`${colon(lang)}${t(lang, 'invoices.remaining')} ${i.owed}`} </>)}</td></tr>
            ))}
          </tbody>
        </table>
      </Page>,
    )
  }

  app.post('/direct-debits/returns', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'directDebits.return', { siteId: actor.siteId })
    if (denied) return denied
    const body = await c.req.parseBody()
    const endToEndId = str(body.endToEndId)
    const reasonCode = str(body.reasonCode).toUpperCase()
    const date = str(body.date)
    const bad = (text: string, status: 400 | 404 = 400) => html(c, <Page c={c} title={t(lang, 'staff.dd.return')} current="/staff/direct-debits" notice={{ kind: 'error', text }}><ReturnForm c={c} /></Page>, status)
    if (!endToEndId || !/^[A-Z0-9]{4}$/.test(reasonCode) || !isDate(date)) return bad(t(lang, 'staff.dd.badReturn'))
    try {
      return await applyReturns(c, [{ endToEndId, reasonCode, date: date as LocalDate }])
    } catch (error) {
      if (isEcoleError(error)) return bad(ecoleMessage(error), error.code === 'NOT_FOUND' ? 404 : 400)
      throw error
    }
  })

  app.post('/direct-debits/returns/pain002', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'directDebits.return', { siteId: actor.siteId })
    if (denied) return denied
    const body = await c.req.parseBody()
    const file = body.file
    const bad = (text: string) => html(c, <Page c={c} title={t(lang, 'staff.dd.return')} current="/staff/direct-debits" notice={{ kind: 'error', text }}><ReturnForm c={c} /></Page>, 400)
    if (!(file instanceof File)) return bad(t(lang, 'staff.bank.noFile'))
    try {
      const report = parsePain002(new Uint8Array(await file.arrayBuffer()))
      // the report's own day (as the bank wrote it), else today; a whole file or payment block
      // rejected is read against the collection file stored with the collection
      const day = report.createdAt?.slice(0, 10)
      const done = await recordPaymentStatusReport(depsOf(c), { siteId: actor.siteId, report, date: (day !== undefined && isLocalDate(day) ? day : today(c)) as LocalDate }, {
        audit: staffAudit(actor, c.var.ctx.clock.now(), (result) => result.rejections.filter((x) => !x.alreadyApplied).map((x) => (
          { action: 'directDebit.returned', subject: { kind: 'payment', id: x.payment.id }, before: { status: 'recorded' }, after: { status: 'refused', reasonCode: x.reasonCode } }
        ))),
      })
      if (done.rejections.length === 0) return bad(t(lang, 'staff.dd.noRejection'))
      return await returnsPage(c, done.rejections.map((x) => ({ endToEndId: x.endToEndId, out: x })))
    } catch (error) {
      if (isEcoleError(error)) return bad(ecoleMessage(error))
      throw error
    }
  })

  // ---- bank statements: upload, review the proposed reconciliation, import once
  const UploadForm = (p: { c: Context<AppEnv> }) => (
    <form method="post" action="/staff/bank/preview" enctype="multipart/form-data" class="card">
      <CsrfField session={p.c.var.session} />
      <p class="field"><label for="f-file">{t(p.c.var.lang, 'staff.bank.file')}</label><input id="f-file" type="file" name="file" accept=".xml,.cod,.coda,.txt" required /></p>
      <button type="submit">{t(p.c.var.lang, 'staff.bank.review')}</button>
    </form>
  )

  app.get('/bank', (c) => {
    const actor = actorOfRequest(c)
    const denied = refused(c, 'bank.import', { siteId: actor.siteId })
    if (denied) return denied
    return html(c, <Page c={c} title={t(c.var.lang, 'staff.bank.title')} current="/staff/bank"><UploadForm c={c} /><p><a href="/staff/bank/held">{t(c.var.lang, 'staff.bank.heldTitle')}</a></p></Page>)
  })

  /**
   * What the import needs beside the statements: the billing offices holding the account (one, or
   * several sharing it) and their wallets' structured communications, each with its office.
   */
  async function importOptions(c: Context<AppEnv>, offices: readonly BillingOffice[]) {
    const { ctx } = c.var
    const siteId = actorOfRequest(c).siteId
    const wallets: BankImportWallet[] = []
    for (const office of offices) {
      const accounts = ctx.storage.ledger ? await readAllPages((p) => ctx.storage.ledger!.listAccounts(siteId, { kind: 'wallet', billingOfficeId: office.id }, p)) : []
      const payers = [...new Set(accounts.flatMap((a) => (a.kind === 'wallet' ? [a.guardianId] : [])))]
      // a payer's reference encodes their stored wallet number; one without a number was never shown a reference
      for (let i = 0; i < payers.length; i += 1000) {
        const guardians = await ctx.storage.directory!.getDirectoryRecords(siteId, 'guardian', payers.slice(i, i + 1000))
        for (const g of guardians.values()) if (g.walletNumber !== undefined) wallets.push({ payerId: g.id, reference: walletReferenceOfNumber(g.walletNumber).electronic, billingOfficeId: office.id })
      }
    }
    const ids = offices.map((o) => o.id)
    return { siteId, billingOfficeId: ids.length === 1 ? ids[0]! : ids, wallets, timeZone: c.var.site.timeZone }
  }

  /** The statement refused for its account, with the page's words. */
  const unheldAccount = (c: Context<AppEnv>, account: string) => t(c.var.lang, 'staff.bank.unknownAccount', { account: account ? spaced(accountKey(account)) : '?' })

  app.post('/bank/preview', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'bank.import', { siteId: actor.siteId })
    if (denied) return denied
    const body = await c.req.parseBody()
    const file = body.file
    const bad = (text: string) => html(c, <Page c={c} title={t(lang, 'staff.bank.title')} current="/staff/bank" notice={{ kind: 'error', text }}><UploadForm c={c} /></Page>, 400)
    if (!(file instanceof File) || file.size === 0) return bad(t(lang, 'staff.bank.noFile'))
    const content = await file.text()
    let statements: BankStatement[]
    try {
      statements = parseStatementFile(content)
    } catch (error) {
      if (isEcoleError(error)) return bad(ecoleMessage(error))
      throw error
    }
    // each statement is reconciled against the invoices and wallets of the office holding its account
    const byOffice = await officesOfStatements(c, statements)
    if ('unheld' in byOffice) return bad(unheldAccount(c, byOffice.unheld))
    const previews = []
    for (const g of byOffice.groups) previews.push(await previewBankStatement(depsOf(c), { ...(await importOptions(c, g.offices)), statements: g.statements }))
    const preview = { lines: previews.flatMap((p) => p.lines), disagreeing: previews.flatMap((p) => p.disagreeing) }
    // the guardians named by the proposals: the debtor of a matched invoice, the holder of a topped-up wallet
    // and the candidates of an entry to review: `wallet:<payer>` (`wallet:<payer>@<office>` where offices share the account), `invoice:<id>`
    const officeNames = new Map(byOffice.groups.flatMap((g) => g.offices.map((o) => [o.id, o.name] as const)))
    const candidates = preview.lines.flatMap((l) => (l.proposal.kind === 'review' ? l.proposal.candidates.map((raw) => candidateOf(raw, officeNames)) : []))
    const guardianIds = [
      ...preview.lines.flatMap((l) => (l.proposal.kind === 'invoicePayment' ? [l.proposal.debtorId] : l.proposal.kind === 'walletTopUp' ? [l.proposal.payerId] : [])),
      ...candidates.flatMap((x) => (x.kind === 'wallet' ? [x.payerId] : [])),
    ]
    const names = await guardianNames(ctx.storage, actor.siteId, guardianIds)
    const invoiceIds = [...new Set([
      ...preview.lines.flatMap((l) => (l.proposal.kind === 'invoicePayment' ? [l.proposal.invoiceId] : [])),
      ...candidates.flatMap((x) => (x.kind === 'invoice' ? [x.invoiceId] : [])),
    ])]
    const numbers = new Map((await Promise.all(invoiceIds.map((id) => ctx.storage.invoicing!.getInvoice(actor.siteId, id)))).flatMap((i) => (i ? [[i.id, i.number ?? i.id] as const] : [])))
    const fresh = preview.lines.filter((l) => l.proposal.kind !== 'alreadyImported').length
    const sharedOffices = new Map(byOffice.groups.filter((g) => g.offices.length > 1).flatMap((g) => g.offices.map((o) => [o.id, o.name] as const)))
    // a candidate as a person reads it: the invoice's number, the prepaid account's holder (and office)
    const candidateText = (raw: string): string => {
      const x = candidateOf(raw, officeNames)
      if (x.kind === 'invoice') return t(lang, 'staff.bank.candidateInvoice', { invoice: numbers.get(x.invoiceId) ?? x.invoiceId })
      if (x.kind === 'wallet') {
        const name = names.get(x.payerId) ?? x.payerId
        return x.billingOfficeId === undefined ? t(lang, 'staff.bank.candidateWallet', { name }) : t(lang, 'staff.bank.candidateWalletAt', { name, office: officeNames.get(x.billingOfficeId) ?? x.billingOfficeId })
      }
      return raw
    }
    const describe = (l: BankPreviewLine): string => {
      const p = l.proposal
      switch (p.kind) {
        case 'invoicePayment': return t(lang, 'staff.bank.toInvoice', { invoice: numbers.get(p.invoiceId) ?? p.invoiceId, name: names.get(p.debtorId) ?? p.debtorId })
        case 'walletTopUp':
          // where offices share the account, the office whose prepaid account it credits is named
          return sharedOffices.has(p.billingOfficeId)
            ? t(lang, 'staff.bank.toWalletAt', { name: names.get(p.payerId) ?? p.payerId, office: sharedOffices.get(p.billingOfficeId)! })
            : t(lang, 'staff.bank.toWallet', { name: names.get(p.payerId) ?? p.payerId })
        case 'directDebitSettled': return t(lang, 'staff.bank.ddSettled', { id: p.endToEndId })
        case 'directDebitReturn': return t(lang, 'staff.bank.ddReturn', { id: p.endToEndId, reason: p.reasonCode ?? '-' })
        case 'review': return t(lang, p.reason === 'AMBIGUOUS' ? 'staff.bank.ambiguous' : 'staff.bank.unmatched', { candidates: p.candidates.map(candidateText).join(', ') })
        case 'ignored': return t(lang, 'staff.bank.ignored', { reason: p.reason })
        case 'alreadyImported': return t(lang, 'staff.bank.already')
      }
    }
    return html(c,
      <Page c={c} title={t(lang, 'staff.bank.reviewTitle', { file: file.name })} current="/staff/bank" notice={fresh === 0 ? { kind: 'error', text: t(lang, 'staff.bank.alreadyImported') } : undefined}>
        <div id="statement-accounts">
          {byOffice.groups.map((g) => <p>{t(lang, 'staff.bank.account', { account: spaced(g.account), office: g.offices.map((o) => o.name).join(', ') })}</p>)}
          {byOffice.groups.filter((g) => g.offices.length > 1).map((g) => (
            <p class="notice" role="status">{t(lang, 'staff.bank.sharedAccount', { account: spaced(g.account), offices: g.offices.map((o) => o.name).join(', ') })}</p>
          ))}
        </div>
        {preview.disagreeing.length > 0 ? <p class="notice error" role="alert">{t(lang, 'staff.bank.disagreeing', { ids: preview.disagreeing.map((d) => d.statementId).join(', ') })}</p> : null}
        <table id="proposal">
          <thead><tr><th scope="col">{t(lang, 'staff.bank.entry')}</th><th scope="col">{t(lang, 'staff.bank.counterparty')}</th><th scope="col">{t(lang, 'staff.bank.remittance')}</th><th scope="col" class="num">{t(lang, 'invoices.amount')}</th><th scope="col">{t(lang, 'staff.bank.proposal')}</th></tr></thead>
          <tbody>
            {preview.lines.map((l) => (
              <tr class={l.proposal.kind}>
                <td>{l.entryReference}</td><td>{l.counterpartyName ?? ''}</td><td>{l.remittance ?? ''}</td>
                <td class="num">{`${l.direction === 'debit' ? '-' : ''}${formatAmount(lang, l.amountMinor)}`}</td><td>{describe(l)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {fresh > 0 || preview.disagreeing.length > 0 ? (
          <form method="post" action="/staff/bank/import" class="card">
            <CsrfField session={c.var.session} />
            <input type="hidden" name="fileName" value={file.name} />
            <input type="hidden" name="content" value={Buffer.from(content, 'utf8').toString('base64')} />
            <button type="submit">{t(lang, 'staff.bank.confirm', { count: fresh })}</button> <a href="/staff/bank">{t(lang, 'staff.cancel')}</a>
          </form>
        ) : null}
      </Page>,
    )
  })

  app.post('/bank/import', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'bank.import', { siteId: actor.siteId })
    if (denied) return denied
    const body = await c.req.parseBody()
    const bad = (text: string, status: 400 | 409) => html(c, <Page c={c} title={t(lang, 'staff.bank.title')} current="/staff/bank" notice={{ kind: 'error', text }}><UploadForm c={c} /></Page>, status)
    let statements: BankStatement[]
    try {
      statements = parseStatementFile(Buffer.from(str(body.content), 'base64').toString('utf8'))
    } catch (error) {
      if (isEcoleError(error)) return bad(ecoleMessage(error), 400)
      throw error
    }
    const byOffice = await officesOfStatements(c, statements)
    if ('unheld' in byOffice) return bad(unheldAccount(c, byOffice.unheld), 400)
    // one import per office holding a statement's account (a file of one account: one), each in its
    // own transaction; should a later one fail, importing the file again records only what is missing
    const report: BankImportReport = { imported: [], duplicates: [], payments: [], held: [] }
    try {
      for (const g of byOffice.groups) {
        // the entry is written in the import's transaction, when it imported or held something
        const ids = g.offices.map((o) => o.id)
        const done = await importBankStatement(depsOf(c), { ...(await importOptions(c, g.offices)), statements: g.statements }, {
          audit: staffAudit(actor, ctx.clock.now(), (r) => [{
            action: 'bankStatement.imported', subject: { kind: 'bankStatement', id: g.statements.map((s) => s.id).join(',') },
            after: { billingOfficeId: ids.length === 1 ? ids[0] : ids, entries: r.imported.length, payments: r.payments.length, held: r.held.filter((h) => h.heldNow).length },
          }]),
        })
        report.imported.push(...done.imported)
        report.duplicates.push(...done.duplicates)
        report.payments.push(...done.payments)
        report.held.push(...done.held)
      }
    } catch (error) {
      if (isEcoleError(error)) return bad(ecoleMessage(error), 409)
      throw error
    }
    const heldNow = report.held.filter((h) => h.heldNow)
    if (report.imported.length === 0 && heldNow.length === 0) {
      // nothing new: the statement was imported before (or by another user at the same moment)
      return bad(t(lang, 'staff.bank.alreadyImported'), 409)
    }
    // an entry grouping several transfers counts each transfer for what it became (its own outcome), not the entry
    const lines: ReadonlyArray<{ outcome: { kind: string } }> = report.imported.flatMap((l): ReadonlyArray<{ outcome: { kind: string } }> => l.transfers ?? [l])
    const count = (kind: string) => lines.filter((l) => l.outcome.kind === kind).length
    return html(c,
      <Page c={c} title={t(lang, 'staff.bank.title')} current="/staff/bank" notice={{ kind: 'ok', text: t(lang, 'staff.bank.imported', { count: report.imported.length, payments: report.payments.length }) }}>
        <dl class="card" id="import-report">
          <dt>{t(lang, 'staff.bank.invoicePayments')}</dt><dd>{count('invoicePayment')}</dd>
          <dt>{t(lang, 'staff.bank.walletTopUps')}</dt><dd>{count('walletTopUp')}</dd>
          <dt>{t(lang, 'staff.bank.directDebits')}</dt><dd>{count('directDebitSettled') + count('directDebitReturn')}</dd>
          <dt>{t(lang, 'staff.bank.toReview')}</dt><dd>{count('review')}</dd>
          <dt>{t(lang, 'staff.bank.held')}</dt><dd>{heldNow.length}</dd>
        </dl>
        <p><a href="/staff/bank">{t(lang, 'staff.bank.another')}</a> · <a href="/staff/bank/held">{t(lang, 'staff.bank.heldTitle')}</a></p>
      </Page>,
    )
  })

  // statements whose checks disagree, held by the import: reviewed, then accepted (posted) or rejected
  app.get('/bank/held', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'bank.import', { siteId: actor.siteId })
    if (denied) return denied
    const query = c.req.query()
    const page = await ctx.storage.bankImports!.listHeldStatements(actor.siteId, { status: 'held' }, { limit: pageSizeOf(query['limit']), ...(query['after'] ? { after: query['after'] } : {}) })
    const done = str(query['done'])
    return html(c,
      <Page c={c} title={t(lang, 'staff.bank.heldTitle')} current="/staff/bank" notice={done ? { kind: 'ok', text: t(lang, done === 'accepted' ? 'staff.bank.accepted' : 'staff.bank.rejected') } : undefined}>
        <table id="held">
          <thead><tr><th scope="col">{t(lang, 'staff.bank.statement')}</th><th scope="col">{t(lang, 'staff.bank.checks')}</th><th scope="col"></th></tr></thead>
          <tbody>
            {page.items.map((h) => (
              <tr>
                <td>{`${h.statementId} (${h.format}, ${h.accountIban}, ${h.entryCount})`}</td>
                <td><ul>{h.checks.filter((k) => k.severity === 'disagreement').map((k) => <li>{`${k.rule}: ${k.stated} / ${k.computed}`}</li>)}</ul></td>
                <td>
                  <form method="post" action="/staff/bank/held/decide">
                    <CsrfField session={c.var.session} />
                    <input type="hidden" name="key" value={h.key} />
                    <Field label={t(lang, 'staff.bank.reason')} name="reason" required={false} />
                    <button type="submit" name="decision" value="accept">{t(lang, 'staff.bank.accept')}</button>{' '}
                    <button type="submit" name="decision" value="reject">{t(lang, 'staff.bank.reject')}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager lang={lang} base="/staff/bank/held" query={query} next={page.next} />
      </Page>,
    )
  })

  app.post('/bank/held/decide', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'bank.import', { siteId: actor.siteId })
    if (denied) return denied
    const body = await c.req.parseBody()
    const key = str(body.key)
    const decision = str(body.decision) as 'accept' | 'reject'
    const failed = (text: string, status: 404 | 409) => html(c, <Page c={c} title={t(lang, 'staff.bank.heldTitle')} current="/staff/bank" notice={{ kind: 'error', text }}><p><a href="/staff/bank/held">{t(lang, 'staff.bank.heldTitle')}</a></p></Page>, status)
    // accepted, it is posted to the office holding its account (a rejection posts nothing)
    const held = await ctx.storage.bankImports!.getHeldStatement(actor.siteId, key)
    const offices = held ? await officesOfAccount(c, held.accountIban) : []
    if (held && offices.length === 0 && decision === 'accept') return failed(unheldAccount(c, held.accountIban), 409)
    const options = offices.length > 0 ? await importOptions(c, offices) : { siteId: actor.siteId, billingOfficeId: '' }
    try {
      const out = await decideHeldStatement(depsOf(c), { ...options, key, actor, decision, reason: str(body.reason) || undefined }, {
        audit: staffAudit(actor, ctx.clock.now(), (done) => [{ action: 'bankStatement.decided', subject: { kind: 'bankStatement', id: key }, before: { status: 'held' }, after: { status: done.statement.status, payments: done.report.payments.length } }]),
      })
      return c.redirect(`/staff/bank/held?done=${out.statement.status}`, 303)
    } catch (error) {
      if (!isEcoleError(error)) throw error
      return failed(ecoleMessage(error), error.code === 'NOT_FOUND' ? 404 : 409)
    }
  })

  return app
}
