/**
 * Reminders, tax certificates and credit notes (seed 001): the overdue invoices to remind, the
 * reminders recorded and announced through the outbox in one transaction, each payer's reminder
 * letter (`@ecole/pdf` `reminder`) saved into the family's file first when asked; a year's tax
 * certificates per payer and child, each downloadable as a PDF, and all saved into the families'
 * files (the payer's or the child's) with an optional notification (`saveFamilyDocuments`:
 * idempotent by year, payer and child, the storage quota respected, the mails queued in the same
 * transaction); a credit note on a validated invoice, never beyond what it still bills (the
 * library's refusal shown on the form).
 */
import { isEcoleError, type LocalDate, type ReminderDue, type TaxCertificate } from '@ecole/core'
import type { Issuer } from '@ecole/pdf'
import { issueInvoiceCreditNote, issueTaxCertificates, saveFamilyDocuments, selectReminders, type FamilyDocumentToSave } from '@ecole/workflows'
import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../env'
import { formatAmount, formatDate, t, type Lang } from '../i18n'
import { CsrfField, Field } from '../views/layout'
import { errorPage, html } from '../views/render'
import { ecoleMessage } from './batches'
import { quotaText } from './documents'
import { DateField, dateOfForm } from './form-fields'
import { actorOfRequest, depsOf, Page, refused, str, today } from './routes'
import { recordStaffChanges, staffAudit } from './staff-audit'
import { guardianNames, readAllPages } from './staff-money'
import { invoiceListOf, invoiceListProblems, listedInvoiceIds } from './staff-billing'
import { siteMailIdentity } from '../mail-sender'
import { billingIssuer } from '../billing-office-data'
import { transferReferenceOf } from '../invoice-collection'

/** The demo's reminder policy: a first letter 10 days after the due date, a second after 30. */
export const REMINDER_POLICY = { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }, { level: 2, daysAfterDue: 30, templateId: 'relance-2' }] }

/** Which services count as care for a tax certificate (meals never count). */
export const SERVICE_KINDS = { garderie: 'care', 'centre-loisirs': 'care', cantine: 'meal' } as const

/** The issuer of the letters: the stored site, its schools' UAI, its first billing office and its logo. */
function issuerOf(c: Context<AppEnv>): Promise<Issuer> {
  return billingIssuer(c.var.ctx, actorOfRequest(c).siteId)
}

/** A payer's name and the household's address lines, for a letter. */
async function payerOf(c: Context<AppEnv>, guardianId: string): Promise<{ name: string; address: string[] }> {
  const d = c.var.ctx.storage.directory!
  const siteId = actorOfRequest(c).siteId
  const g = await d.getDirectoryRecord(siteId, 'guardian', guardianId)
  if (!g) return { name: guardianId, address: [] }
  const a = (await d.getDirectoryRecord(siteId, 'household', g.householdId))?.address
  return { name: `${g.firstName} ${g.lastName}`, address: a ? [a.line1, a.line2, [a.postcode, a.city].filter(Boolean).join(' ')].filter((x): x is string => !!x) : [] }
}

/** One reminder letter per payer (`@ecole/pdf` `reminder`), as documents of the payer's file, one id per payer and day (saving it twice the same day saves it once). */
async function reminderLetters(c: Context<AppEnv>, due: readonly ReminderDue[], day: LocalDate, lang: Lang): Promise<FamilyDocumentToSave[]> {
  const siteId = actorOfRequest(c).siteId
  const byPayer = new Map<string, ReminderDue[]>()
  for (const d of due) byPayer.set(d.debtorId, [...(byPayer.get(d.debtorId) ?? []), d])
  const issuer = await issuerOf(c)
  const out: FamilyDocumentToSave[] = []
  for (const [debtorId, reminders] of byPayer) {
    // each invoice's reference, as the portal's payment page shows it (the letter asks for a transfer)
    const references: Record<string, string> = {}
    for (const r of reminders) {
      const invoice = await c.var.ctx.storage.invoicing!.getInvoice(siteId, r.invoiceId)
      const reference = invoice && transferReferenceOf(invoice)
      if (reference) references[r.invoiceId] = reference
    }
    const bytes = await c.var.ctx.pdf.render({ kind: 'reminder', data: { language: lang, printedOn: day, issuer, payer: await payerOf(c, debtorId), currency: 'EUR', reminders, references } })
    const id = `reminder-letter-${debtorId}-${day}`
    out.push({
      kind: 'reminder', reference: reminders.map((r) => r.number ?? r.invoiceId).join(', '), recipientIds: [debtorId], bytes,
      input: { id, name: t(lang, 'staff.files.reminders.letterName', { date: formatDate(lang, day) }), key: `${siteId}/documents/${id}.pdf`, mediaType: 'application/pdf', audience: { kind: 'guardian', guardianId: debtorId }, available: { from: day } },
    })
  }
  return out
}

/**
 * The invoices a « Relancer les factures listées » of the invoices list is for (seed 001, « à
 * relancer », steps 4-6): with the list's query (`state=toRemind` and its search and filters),
 * every invoice that list shows today, and the query to carry on; `undefined` without it (every
 * invoice to remind).
 */
async function listedOf(c: Context<AppEnv>): Promise<{ ids: string[]; query: string } | undefined> {
  const query = c.req.query()
  if (query['state'] !== 'toRemind') return undefined
  const siteId = actorOfRequest(c).siteId
  const list = await invoiceListOf(c.var.ctx.storage, siteId, query, today(c))
  const carried = new URLSearchParams()
  for (const key of ['state', 'q', 'sort', 'dir', 'batchId', 'debtorId', 'billingOfficeId', 'folderId', 'dueBefore']) {
    const v = query[key]
    if (v) carried.set(key, v)
  }
  return { ids: await listedInvoiceIds(c.var.ctx.storage, siteId, list.filter), query: carried.toString() }
}

/**
 * A « Relancer les factures listées » whose list query has a value the list does not offer: refused
 * (400) with a link back to the list, which names the value. Without the refusal the value would be
 * dropped and more invoices reminded than the list showed.
 */
function refusedListQuery(c: Context<AppEnv>): Promise<Response> | undefined {
  const query = c.req.query()
  if (query['state'] !== 'toRemind' || invoiceListProblems(query).length === 0) return undefined
  const lang = c.var.lang
  return html(c,
    <Page c={c} title={t(lang, 'staff.reminders.title')} current="/staff/reminders" notice={{ kind: 'error', text: t(lang, 'staff.reminders.badList') }}>
      <p><a href={`/staff/invoices?${new URLSearchParams(query as Record<string, string>).toString()}`}>{t(lang, 'staff.reminders.backToList')}</a></p>
    </Page>, 400)
}

/** The reminder, tax-certificate and credit-note routes, mounted on the staff router. */
export function reminderRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  // ---- reminders: the invoices to remind today, then recorded and announced by mail (outbox)
  app.get('/reminders', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'reminders.list', { siteId: actor.siteId })
    if (denied) return denied
    const badList = refusedListQuery(c)
    if (badList) return badList
    const day = today(c)
    const listed = await listedOf(c)
    const only = listed ? { invoiceIds: listed.ids } : {}
    const due = await selectReminders(depsOf(c), { siteId: actor.siteId, today: day, policy: REMINDER_POLICY, ...only })
    const names = await guardianNames(ctx.storage, actor.siteId, due.map((d) => d.debtorId))
    const sent = c.req.query('sent')
    const action = listed ? `/staff/reminders?${listed.query}` : '/staff/reminders'
    return html(c,
      <Page c={c} title={t(lang, 'staff.reminders.title')} current="/staff/reminders" notice={c.req.query('letters') !== undefined ? { kind: 'ok', text: t(lang, 'staff.files.reminders.sent', { count: sent ?? '0', letters: c.req.query('letters') ?? '0' }) } : sent !== undefined ? { kind: 'ok', text: t(lang, 'staff.reminders.sent', { count: sent }) } : undefined}>
        {listed ? <p id="reminders-of-list">{t(lang, 'staff.reminders.ofList', { count: listed.ids.length })} <a href={`/staff/invoices?${listed.query}`}>{t(lang, 'staff.reminders.backToList')}</a></p> : null}
        <p>{t(lang, 'staff.reminders.intro', { date: formatDate(lang, day), count: due.length })}</p>
        <table id="reminders">
          <thead><tr><th scope="col">{t(lang, 'invoices.number')}</th><th scope="col">{t(lang, 'staff.invoices.payer')}</th><th scope="col" class="num">{t(lang, 'staff.reminders.daysLate')}</th><th scope="col" class="num">{t(lang, 'staff.reminders.level')}</th><th scope="col" class="num">{t(lang, 'invoices.remaining')}</th></tr></thead>
          <tbody>
            {due.map((d) => (
              <tr><td><a href={`/staff/invoices/${encodeURIComponent(d.invoiceId)}`}>{d.number ?? d.invoiceId}</a></td><td>{names.get(d.debtorId)}</td><td class="num">{d.daysLate}</td><td class="num">{d.level}</td><td class="num">{formatAmount(lang, d.outstandingMinor)}</td></tr>
            ))}
          </tbody>
        </table>
        {due.length > 0 ? (
          <form method="post" action={action} class="card" id="reminders-send">
            <CsrfField session={c.var.session} />
            <p>{t(lang, 'staff.reminders.confirm', { count: due.length })}</p>
            <p class="choice"><label><input type="checkbox" id="f-letters" name="letters" value="on" checked /> {t(lang, 'staff.files.reminders.saveLetters')}</label></p>
            <p class="choice"><label><input type="checkbox" id="f-notify" name="notify" value="on" checked /> {t(lang, 'staff.files.save.notify')}</label></p>
            <button type="submit">{t(lang, 'staff.reminders.send')}</button>
          </form>
        ) : null}
      </Page>,
    )
  })

  app.post('/reminders', async (c) => {
    const { ctx, lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'reminders.send', { siteId: actor.siteId })
    if (denied) return denied
    const badList = refusedListQuery(c)
    if (badList) return badList
    const body = await c.req.parseBody()
    const day = today(c)
    const listed = await listedOf(c)
    const only = listed ? { invoiceIds: listed.ids } : {}
    const back = listed ? `&${listed.query}` : ''
    // the letters first (saved once per payer and day, all or none within the quota): a refusal records no reminder
    let letters = 0
    if (body['letters'] === 'on') {
      const preview = await selectReminders(depsOf(c), { siteId: actor.siteId, today: day, policy: REMINDER_POLICY, ...only })
      const saved = await saveFamilyDocuments(ctx.storage, { siteId: actor.siteId, documents: await reminderLetters(c, preview, day, lang) })
      if (!saved.ok) {
        return html(c, <Page c={c} title={t(lang, 'staff.reminders.title')} current="/staff/reminders" notice={{ kind: 'error', text: t(lang, 'staff.files.quota', { text: quotaText(lang, saved.refusal) }) }}><p><a href="/staff/reminders">{t(lang, 'staff.reminders.title')}</a></p></Page>, 400)
      }
      letters = saved.saved.length
      await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), saved.saved.map((d) => ({ action: 'document.added', subject: { kind: 'document', id: d.id }, after: { name: d.name, audience: d.audience, available: d.available, sizeBytes: d.sizeBytes } })))
    }
    const due = await selectReminders(depsOf(c), {
      siteId: actor.siteId, today: day, policy: REMINDER_POLICY, record: true, onPortal: true, ...only,
      ...(body['notify'] === 'on' ? { notify: { timeZone: c.var.site.timeZone, locale: lang, sender: (await siteMailIdentity(ctx, actor.siteId)).sender, portalUrl: ctx.config.publicUrl } } : {}),
    }, {
      // written with the reminders recorded, in their transaction
      audit: staffAudit(actor, ctx.clock.now(), (recorded) => recorded.map((d) => ({ action: 'invoice.reminded', subject: { kind: 'invoice', id: d.invoiceId }, after: { level: d.level, outstandingMinor: d.outstandingMinor } }))),
    })
    return c.redirect(`/staff/reminders?sent=${due.length}${body['letters'] === 'on' ? `&letters=${letters}` : ''}${back}`, 303)
  })

  // ---- tax certificates of a year, per payer and child, each a PDF
  async function certificates(c: Context<AppEnv>, year: number): Promise<TaxCertificate[]> {
    const siteId = actorOfRequest(c).siteId
    const children = (await readAllPages((p) => c.var.ctx.storage.directory!.listDirectoryRecords(siteId, 'child', p)))
      .filter((k) => k.birthDate)
      .map((k) => ({ beneficiaryId: k.id, birthDate: k.birthDate as LocalDate }))
    return issueTaxCertificates(depsOf(c), { siteId, rules: { country: 'FR', year }, children, serviceKinds: SERVICE_KINDS })
  }
  /** A certificate's PDF in `lang`, printed today, and the child's name. */
  async function certificatePdf(c: Context<AppEnv>, cert: TaxCertificate, lang: Lang): Promise<{ bytes: Uint8Array; childName: string }> {
    const { ctx } = c.var
    const siteId = actorOfRequest(c).siteId
    const payer = await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', cert.debtorId)
    const child = await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', cert.beneficiaryId)
    const childName = child ? `${child.firstName} ${child.lastName}` : cert.beneficiaryId
    const bytes = await ctx.pdf.render({
      kind: 'taxCertificate',
      data: { language: lang, issuer: await issuerOf(c), printedOn: today(c), certificate: cert, payer: { name: payer ? `${payer.firstName} ${payer.lastName}` : cert.debtorId }, childName },
    })
    return { bytes, childName }
  }
  // a year the certificates are computed for (the library takes 2000 to 2100); anything else is no year
  const yearOf = (raw: string | undefined): number | undefined => (raw && /^\d{4}$/.test(raw) && Number(raw) >= 2000 && Number(raw) <= 2100 ? Number(raw) : undefined)

  app.get('/tax-certificates', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'taxCertificates.issue', { siteId: actor.siteId })
    if (denied) return denied
    const year = yearOf(c.req.query('year')) ?? Number(today(c).slice(0, 4)) - 1
    const certs = await certificates(c, year)
    const names = await guardianNames(ctx.storage, actor.siteId, certs.map((x) => x.debtorId))
    const childName = async (id: string) => {
      const k = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'child', id)
      return k ? `${k.firstName} ${k.lastName}` : id
    }
    const rows = await Promise.all(certs.map(async (x) => ({ ...x, payer: names.get(x.debtorId) ?? x.debtorId, child: await childName(x.beneficiaryId) })))
    return html(c,
      <Page c={c} title={t(lang, 'staff.tax.title', { year })} current="/staff/tax-certificates" notice={c.req.query('saved') !== undefined ? { kind: 'ok', text: t(lang, 'staff.files.tax.saved', { saved: c.req.query('saved') ?? '0', already: c.req.query('already') ?? '0', mails: c.req.query('mails') ?? '0' }) } : undefined}>
        <form method="get" action="/staff/tax-certificates" class="card filters">
          <Field label={t(lang, 'staff.tax.year')} name="year" value={String(year)} inputmode="numeric" />
          <button type="submit">{t(lang, 'staff.filter')}</button>
        </form>
        <p>{t(lang, 'staff.tax.count', { count: rows.length })}</p>
        <table id="certificates">
          <thead><tr><th scope="col">{t(lang, 'staff.invoices.payer')}</th><th scope="col">{t(lang, 'staff.tax.child')}</th><th scope="col" class="num">{t(lang, 'staff.tax.paid')}</th><th scope="col" class="num">{t(lang, 'staff.tax.eligible')}</th><th scope="col"></th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>{r.payer}</td><td>{r.child}</td><td class="num">{formatAmount(lang, r.paidCareMinor, r.currency)}</td><td class="num">{formatAmount(lang, r.eligibleMinor, r.currency)}</td>
                <td><a href={`/staff/tax-certificates/${year}/${encodeURIComponent(r.debtorId)}/${encodeURIComponent(r.beneficiaryId)}.pdf`}>PDF</a></td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length > 0 ? <TaxSaveForm c={c} year={year} /> : null}
      </Page>,
    )
  })

  app.post('/tax-certificates/save', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'taxCertificates.issue', { siteId: actor.siteId })
    if (denied) return denied
    const body = await c.req.parseBody()
    const year = yearOf(str(body.year))
    if (year === undefined) return errorPage(c, 400)
    const into = str(body.into) === 'child' ? 'child' : 'guardian'
    const from = dateOfForm(str(body.from)) || today(c)
    const certs = await certificates(c, year)
    const documents: FamilyDocumentToSave[] = []
    for (const cert of certs) {
      const { bytes, childName } = await certificatePdf(c, cert, lang)
      // one id per year, payer and child: saved into the payer's or the child's file, never twice
      const id = `tax-certificate-${year}-${cert.debtorId}-${cert.beneficiaryId}`
      documents.push({
        kind: 'taxCertificate', reference: `${year} (${childName})`, recipientIds: [cert.debtorId], bytes,
        input: {
          id, name: t(lang, 'staff.files.tax.name', { year, child: childName }), key: `${actor.siteId}/documents/${id}.pdf`, mediaType: 'application/pdf',
          audience: into === 'child' ? { kind: 'child', childId: cert.beneficiaryId } : { kind: 'guardian', guardianId: cert.debtorId }, available: { from },
        },
      })
    }
    const notify = body['notify'] === 'on' ? { timeZone: c.var.site.timeZone, locale: lang, sender: (await siteMailIdentity(ctx, actor.siteId)).sender, portalUrl: ctx.config.publicUrl } : undefined
    let r
    try {
      r = await saveFamilyDocuments(ctx.storage, { siteId: actor.siteId, documents, notify })
    } catch (error) {
      if (!isEcoleError(error, 'INVALID_INPUT')) throw error
      return html(c, <Page c={c} title={t(lang, 'staff.tax.title', { year })} current="/staff/tax-certificates" notice={{ kind: 'error', text: ecoleMessage(error) }}><TaxSaveForm c={c} year={year} /></Page>, 400)
    }
    if (!r.ok) {
      return html(c, <Page c={c} title={t(lang, 'staff.tax.title', { year })} current="/staff/tax-certificates" notice={{ kind: 'error', text: t(lang, 'staff.files.quota', { text: quotaText(lang, r.refusal) }) }}><TaxSaveForm c={c} year={year} /></Page>, 400)
    }
    await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), r.saved.map((d) => ({ action: 'document.added', subject: { kind: 'document', id: d.id }, after: { name: d.name, audience: d.audience, available: d.available, sizeBytes: d.sizeBytes, notified: notify !== undefined } })))
    return c.redirect(`/staff/tax-certificates?year=${year}&saved=${r.saved.length}&already=${r.alreadySaved.length}&mails=${r.queuedMailIds.length}`, 303)
  })

  app.get('/tax-certificates/:year/:debtorId/:file{.+\\.pdf}', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'taxCertificates.issue', { siteId: actor.siteId })
    if (denied) return denied
    const year = yearOf(c.req.param('year'))
    if (year === undefined) return c.notFound()
    const childId = c.req.param('file').replace(/\.pdf$/, '')
    const cert = (await certificates(c, year)).find((x) => x.debtorId === c.req.param('debtorId') && x.beneficiaryId === childId)
    if (!cert) return c.notFound()
    const pdf = (await certificatePdf(c, cert, lang)).bytes
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="attestation-${year}-${cert.debtorId}-${childId}.pdf"` })
  })

  /** The form that saves a year's certificates into the families' files: whose file, from which day, notified or not. */
  const TaxSaveForm = (p: { c: Context<AppEnv>; year: number }) => {
    const lang = p.c.var.lang
    return (
      <form method="post" action="/staff/tax-certificates/save" class="card" id="tax-save">
        <CsrfField session={p.c.var.session} />
        <input type="hidden" name="year" value={String(p.year)} />
        <fieldset>
          <legend>{t(lang, 'staff.files.save.into')}</legend>
          <p class="choice"><label><input type="radio" id="f-into-guardian" name="into" value="guardian" checked /> {t(lang, 'staff.files.save.intoGuardian')}</label></p>
          <p class="choice"><label><input type="radio" id="f-into-child" name="into" value="child" /> {t(lang, 'staff.files.save.intoChild')}</label></p>
        </fieldset>
        <DateField lang={lang} label={t(lang, 'staff.files.save.from')} name="from" value={today(p.c)} />
        <p class="choice"><label><input type="checkbox" id="f-notify" name="notify" value="on" checked /> {t(lang, 'staff.files.save.notify')}</label></p>
        <button type="submit">{t(lang, 'staff.files.tax.save')}</button>
      </form>
    )
  }

  // ---- credit note on a validated invoice (the library caps it at what the invoice still bills)
  const CreditForm = (p: { c: Context<AppEnv>; invoiceId: string; reason?: string; amount?: string }) => (
    <form method="post" action={`/staff/invoices/${encodeURIComponent(p.invoiceId)}/credit-note`} class="card">
      <CsrfField session={p.c.var.session} />
      <input type="hidden" name="creditNoteId" value={randomUUID()} />
      <Field label={t(p.c.var.lang, 'staff.adjust.reason')} name="reason" value={p.reason ?? ''} />
      <Field label={t(p.c.var.lang, 'staff.pay.amount')} name="amount" value={p.amount ?? ''} inputmode="text" />
      <button type="submit">{t(p.c.var.lang, 'staff.credit.submit')}</button>
    </form>
  )

  app.get('/invoices/:id/credit-note', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.creditNote', { siteId: actor.siteId })
    if (denied) return denied
    const invoice = await ctx.storage.invoicing!.getInvoice(actor.siteId, c.req.param('id'))
    if (!invoice) return c.notFound()
    const notes = await ctx.storage.invoicing!.listCreditNotes(actor.siteId, [invoice.id])
    const credited = notes.reduce((s, n) => s + n.amountMinor, 0n)
    // `?done=` names the credit note just issued: shown only when it is one of this invoice's (a link cannot make the page say anything else)
    const done = c.req.query('done')
    const issued = done === undefined ? undefined : notes.find((n) => n.number === done)
    return html(c,
      <Page c={c} title={t(lang, 'staff.credit.title', { invoice: invoice.number ?? `${invoice.id} *` })} current="/staff/invoices" notice={issued ? { kind: 'ok', text: t(lang, 'staff.credit.done', { number: issued.number }) } : undefined}>
        <p>{t(lang, 'staff.credit.room', { total: formatAmount(lang, invoice.totalMinor, invoice.currency), credited: formatAmount(lang, credited, invoice.currency) })}</p>
        <ul>{notes.map((n) => <li>{`${n.number} : ${formatAmount(lang, n.amountMinor, n.currency)} (${n.reason})`}</li>)}</ul>
        <CreditForm c={c} invoiceId={invoice.id} />
      </Page>,
    )
  })

  app.post('/invoices/:id/credit-note', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'invoices.creditNote', { siteId: actor.siteId })
    if (denied) return denied
    const invoiceId = c.req.param('id')
    const body = await c.req.parseBody()
    const reason = str(body.reason)
    const amount = str(body.amount).replace(',', '.')
    try {
      const note = await issueInvoiceCreditNote(depsOf(c), {
        siteId: actor.siteId, invoiceId, issueDate: today(c), numbering: { creditNotePrefix: 'AV{YYYY}-' },
        creditNote: { id: str(body.creditNoteId) || randomUUID(), reason, scope: { kind: 'amount', amount } },
      }, { audit: staffAudit(actor, ctx.clock.now(), (n) => [{ action: 'invoice.credited', subject: { kind: 'invoice', id: invoiceId }, after: { creditNote: n.number, amountMinor: n.amountMinor } }]) })
      return c.redirect(`/staff/invoices/${encodeURIComponent(invoiceId)}/credit-note?done=${encodeURIComponent(note.number)}`, 303)
    } catch (error) {
      if (!isEcoleError(error)) throw error
      if (error.code === 'NOT_FOUND') return c.notFound()
      return html(c,
        <Page c={c} title={t(lang, 'staff.credit.title', { invoice: invoiceId })} current="/staff/invoices" notice={{ kind: 'error', text: ecoleMessage(error) }}>
          <CreditForm c={c} invoiceId={invoiceId} reason={reason} amount={str(body.amount)} />
        </Page>, 400)
    }
  })

  return app
}
