/**
 * Messages of the back office (seed 001, « Messagerie »):
 *
 * - `/staff/messages/new`: a message to one family (a household found by name, or given by
 *   `?householdId=`) or to a filtered list (guardians or children of a school, a class, a
 *   service; the debtors of unpaid invoices), with variables (`{{guardian.firstName}}`,
 *   `{{invoice.amountDue}}` formatted in the message's language...). « Aperçu » shows the first
 *   recipients' messages and how many will be sent; « Envoyer à N destinataires » queues them
 *   through the outbox (`queueFamilyMessage`, `queueGroupMessage`: all or nothing, idempotent by
 *   the message id carried by the confirmation form). The user's messaging types (their user
 *   record) are enforced: this host delivers e-mail only. A message goes from the site's sender
 *   (`siteMailIdentity`), or, when the site has its own SMTP account, « Envoyer depuis » a mail
 *   account the user may send from (seed 002: `mailAccountsOf`; another one is refused, 403).
 * - `/staff/messages`: what the outbox holds (pending, delivered, given up, discarded), a page at
 *   a time; a message given up can be retried or, after a confirmation, discarded
 *   (`retryDeadLetter`, `discardDeadLetter`).
 *
 * Action `messages.send` (compose, send), `messages.list` (the list), `messages.deliveries`
 * (retry, discard): permission `messages.send`.
 */
import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import {
  isEcoleError, mailFrom, MessageTemplateSchema, parseInput, type MailAccount, TEMPLATE_VARIABLES, type Actor, type MessageTemplate, type RecipientFilter, type TemplateContext, type TemplateProblem,
} from '@ecole/core'
import type { OutboxStatus } from '@ecole/core/ports'
import {
  discardDeadLetter, mailAccountsOf, outstandingByDebtor, previewGroupMessage, queueFamilyMessage, queueGroupMessage, retryDeadLetter, sanitizeHtml, type GroupMessagePreview, type MailPayload,
} from '@ecole/workflows'
import type { AppEnv } from '../env'
import { formatAmount, LANGUAGE_NAMES, LANGUAGES, t, type Lang } from '../i18n'
import { siteMailIdentity } from '../mail-sender'
import { CsrfField } from '../views/layout'
import { html } from '../views/render'
import { CheckedField, ErrorSummary, fieldErrorsOf, type FieldErrors } from './field-errors'
import { formValues } from './form-fields'
import { allRecords, fullName } from './people'
import { actorOfRequest, depsOf, Page, Pager, refused, today } from './routes'
import { pageSizeOf } from './staff-billing'
import { recordStaffChanges } from './staff-audit'

const BASE = '/staff/messages'
const enc = encodeURIComponent

/** The messaging type this host delivers (the outbox sends e-mail). */
export const DELIVERED_CHANNEL = 'email'

/** What the compose form sends. */
export interface MessageForm {
  target: 'family' | 'list'
  householdId: string
  household: string
  source: 'guardians' | 'children'
  schoolId: string
  classId: string
  serviceId: string
  /** A criterion and one of its values (`id=value`, each URI-encoded), or empty. */
  criterion: string
  debtors: boolean
  lang: Lang
  channel: string
  subject: string
  body: string
  format: 'text' | 'html'
  /** The mail account sent from (seed 002: a personal or establishment account), or empty for the site's sender. */
  fromAccount: string
  messageId: string
}

function formOf(body: Record<string, unknown>, fallbackLang: Lang): MessageForm {
  const v = formValues(body)
  const lang = (LANGUAGES as readonly string[]).includes(v['lang'] ?? '') ? (v['lang'] as Lang) : fallbackLang
  return {
    target: v['target'] === 'list' ? 'list' : 'family',
    householdId: v['householdId'] ?? '', household: v['household'] ?? '',
    source: v['source'] === 'children' ? 'children' : 'guardians',
    schoolId: v['schoolId'] ?? '', classId: v['classId'] ?? '', serviceId: v['serviceId'] ?? '', criterion: v['criterion'] ?? '',
    debtors: v['debtors'] === '1', lang, channel: v['channel'] ?? DELIVERED_CHANNEL,
    // the textarea keeps its line breaks (formValues trims the ends only)
    subject: v['subject'] ?? '', body: typeof body['body'] === 'string' ? body['body'].replace(/\r\n/g, '\n') : '',
    format: v['format'] === 'html' ? 'html' : 'text',
    fromAccount: v['fromAccount'] ?? '',
    messageId: /^[A-Za-z0-9-]{8,64}$/.test(v['messageId'] ?? '') ? v['messageId']! : randomUUID(),
  }
}

/** The variables offered on the form: the library's, minus the invoice's that a message to families cannot fill (only the amount due). */
function variablesOf(target: MessageForm['target']): string[] {
  return [...TEMPLATE_VARIABLES.guardian, ...TEMPLATE_VARIABLES.household, ...(target === 'list' ? TEMPLATE_VARIABLES.child : []), 'invoice.amountDue']
}

function contextsOf(target: MessageForm['target']): TemplateContext[] {
  return target === 'list' ? ['guardian', 'household', 'child', 'invoice'] : ['guardian', 'household', 'invoice']
}

type Resolved =
  | { ok: true; filter: RecipientFilter; householdName?: string | undefined; values: (guardianId: string) => Record<string, string | undefined> }
  | { ok: false; errors: FieldErrors; choices?: Array<{ id: string; name: string }> }

/** The recipients' filter of the form and the amount due of each (formatted in the message's language), or the field that is wrong. */
async function resolve(c: Context<AppEnv>, form: MessageForm): Promise<Resolved> {
  const { ctx, lang } = c.var
  const siteId = actorOfRequest(c).siteId
  const date = today(c)
  const debtors = await outstandingByDebtor(depsOf(c), { siteId })
  const due = new Map(debtors.map((d) => [d.debtorId, formatAmount(form.lang, d.outstandingMinor, d.currency)]))
  const values = (guardianId: string) => ({ 'invoice.amountDue': due.get(guardianId) ?? formatAmount(form.lang, 0n) })
  if (form.target === 'family') {
    if (form.householdId) {
      const h = await ctx.storage.directory!.getDirectoryRecord(siteId, 'household', form.householdId)
      if (!h) return { ok: false, errors: { household: t(lang, 'staff.msg.householdUnknown') } }
      return { ok: true, filter: { source: 'guardians', date, householdIds: [h.id] }, householdName: h.name, values }
    }
    if (form.household === '') return { ok: false, errors: { household: t(lang, 'staff.msg.householdRequired') } }
    const found = await ctx.storage.directory!.searchDirectoryRecords(siteId, 'household', { name: form.household }, { limit: 10 })
    if (found.items.length === 0) return { ok: false, errors: { household: t(lang, 'staff.msg.householdNone', { name: form.household }) } }
    if (found.items.length > 1) return { ok: false, errors: { household: t(lang, 'staff.msg.householdMany', { count: found.items.length }) }, choices: found.items.map((h) => ({ id: h.id, name: h.name })) }
    const h = found.items[0]!
    return { ok: true, filter: { source: 'guardians', date, householdIds: [h.id] }, householdName: h.name, values }
  }
  // a criterion's value: only the people of the list started from (children or adults) carry it
  let attributes: Record<string, string> | undefined
  if (form.criterion !== '') {
    const at = form.criterion.indexOf('=')
    const decode = (x: string) => { try { return decodeURIComponent(x) } catch { return '' } }
    const attribute = at > 0 ? await ctx.storage.directory!.getDirectoryRecord(siteId, 'customAttribute', decode(form.criterion.slice(0, at))) : undefined
    if (!attribute) return { ok: false, errors: { criterion: t(lang, 'staff.msg.criterionGone') } }
    const wanted = form.source === 'children' ? 'child' : 'guardian'
    if (attribute.appliesTo !== wanted) return { ok: false, errors: { criterion: t(lang, `staff.msg.criterionKind.${attribute.appliesTo}`, { label: attribute.label }) } }
    attributes = { [attribute.id]: decode(form.criterion.slice(at + 1)) }
  }
  const filter: RecipientFilter = {
    source: form.source, date,
    ...(attributes ? { attributes } : {}),
    ...(form.schoolId ? { schoolIds: [form.schoolId] } : {}),
    ...(form.classId ? { classIds: [form.classId] } : {}),
    ...(form.serviceId ? { serviceIds: [form.serviceId] } : {}),
    ...(form.debtors ? { guardianIds: debtors.map((d) => d.debtorId) } : {}),
  }
  return { ok: true, filter, values }
}

/** The template problems in the user's language, on the field they concern. */
function templateErrors(lang: Lang, problems: readonly TemplateProblem[], names: (id: string) => string): FieldErrors {
  const out: FieldErrors = {}
  const add = (field: string, text: string) => { out[field] = out[field] ? `${out[field]} ${text}` : text }
  for (const p of problems) {
    if (p.code === 'UNKNOWN_VARIABLE') add(p.field, t(lang, 'staff.msg.unknownVariable', { variable: `{{${p.variable}}}` }))
    else if (p.code === 'MALFORMED_PLACEHOLDER') add(p.field, t(lang, 'staff.msg.malformed', { at: p.at + 1 }))
    else if (p.code === 'MISSING_VALUE') add('body', t(lang, 'staff.msg.missingValue', { variable: `{{${p.variable}}}`, name: names(p.recipientId) }))
    else add('subject', t(lang, 'staff.msg.lineBreak', { variable: `{{${p.variable}}}`, name: names(p.recipientId) }))
  }
  return out
}

/** The sender of the site (its own SMTP account's address, or the platform's with the site's name). */
type Sender = { from: string; replyTo?: string | undefined }

/** A `From` header as people read it: `"Secrétariat" <secretariat@lycee.fr>` -> `Secrétariat <secretariat@lycee.fr>`. */
function fromForPeople(from: string): string {
  const m = /^"((?:[^"\\]|\\.)*)" <([^>]+)>$/.exec(from)
  return m ? `${m[1]!.replace(/\\(.)/g, '$1')} <${m[2]}>` : from
}

/** The address of a `From` header. */
const addressOf = (from: string) => /<([^>]+)>$/.exec(from)?.[1] ?? from

/**
 * The sender a staff member may choose: the site's, and, when the site sends through its own SMTP
 * account, the mail accounts they may send from (their personal one, the establishment accounts
 * they are authorised on: `mailAccountsOf`), which go through that server.
 */
async function sendersOf(c: Context<AppEnv>, actor: Actor): Promise<{ site: Sender; accounts: MailAccount[] }> {
  const { ctx } = c.var
  const { sender, ownServer } = await siteMailIdentity(ctx, actor.siteId)
  const accounts = ownServer ? await mailAccountsOf({ storage: ctx.storage }, { siteId: actor.siteId, userId: actor.userId }) : []
  return { site: sender, accounts }
}

type Checked =
  | { ok: true; template: MessageTemplate; sender: Sender; filter: RecipientFilter; householdName?: string | undefined; values: (guardianId: string) => Record<string, string | undefined>; preview: GroupMessagePreview }
  | { ok: false; status: 400 | 403; errors: FieldErrors; choices?: Array<{ id: string; name: string }> }

/** Everything checked before a preview or a send: the messaging type, the recipients, the template on every recipient. */
async function check(c: Context<AppEnv>, actor: Actor, form: MessageForm): Promise<Checked> {
  const { ctx, lang } = c.var
  const user = await ctx.storage.access!.getUser(actor.siteId, actor.userId)
  const channels: readonly string[] = user?.messaging ?? []
  if (!channels.includes(form.channel)) return { ok: false, status: 403, errors: { channel: t(lang, 'staff.msg.channelRefused', { channel: t(lang, channelKey(form.channel)) }) } }
  if (form.channel !== DELIVERED_CHANNEL) return { ok: false, status: 400, errors: { channel: t(lang, 'staff.msg.channelUnavailable', { channel: t(lang, channelKey(form.channel)) }) } }
  const senders = await sendersOf(c, actor)
  const account = form.fromAccount === '' ? undefined : senders.accounts.find((a) => a.id === form.fromAccount)
  if (form.fromAccount !== '' && !account) return { ok: false, status: 403, errors: { fromAccount: t(lang, 'staff.msg.accountRefused') } }
  const sender: Sender = account ? { from: mailFrom(account) } : senders.site
  let template: MessageTemplate
  try {
    template = parseInput(MessageTemplateSchema, { subject: form.subject, body: form.body, format: form.format }, 'template')
  } catch (error) {
    const errors = fieldErrorsOf(lang, error, { subject: t(lang, 'staff.msg.subject'), body: t(lang, 'staff.msg.body') })
    if (errors) return { ok: false, status: 400, errors }
    throw error
  }
  const resolved = await resolve(c, form)
  if (!resolved.ok) return { ok: false, status: 400, errors: resolved.errors, ...(resolved.choices ? { choices: resolved.choices } : {}) }
  try {
    const preview = await previewGroupMessage({ storage: ctx.storage }, { siteId: actor.siteId, filter: resolved.filter, template, contexts: contextsOf(form.target), values: resolved.values, limit: 3 })
    return { ok: true, template, sender, filter: resolved.filter, householdName: resolved.householdName, values: resolved.values, preview }
  } catch (error) {
    if (!isEcoleError(error, 'TEMPLATE_INVALID')) throw error
    const problems = (error.details as { problems?: TemplateProblem[] }).problems ?? []
    const ids = problems.flatMap((p) => ('recipientId' in p ? [p.recipientId] : []))
    const people = ids.length > 0 ? await ctx.storage.directory!.getDirectoryRecords(actor.siteId, 'guardian', ids) : new Map()
    return { ok: false, status: 400, errors: templateErrors(lang, problems, (id) => (people.get(id) ? fullName(people.get(id)!) : id)) }
  }
}

function channelKey(channel: string): 'staff.users.channel.email' | 'staff.users.channel.sms' | 'staff.users.channel.portal' {
  return channel === 'sms' ? 'staff.users.channel.sms' : channel === 'portal' ? 'staff.users.channel.portal' : 'staff.users.channel.email'
}

const STATUSES: OutboxStatus[] = ['pending', 'delivered', 'dead', 'discarded']

/** The message routes (mounted at `/staff`). */
export function messageRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  async function composePage(c: Context<AppEnv>, form: MessageForm, opts: { errors?: FieldErrors; choices?: Array<{ id: string; name: string }>; preview?: Extract<Checked, { ok: true }>; status?: 200 | 400 | 403 | 409 } = {}) {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const user = await ctx.storage.access!.getUser(actor.siteId, actor.userId)
    const [senders, schools, classes, services, criteria] = await Promise.all([sendersOf(c, actor), allRecords(ctx.storage, actor.siteId, 'school'), allRecords(ctx.storage, actor.siteId, 'schoolClass'), allRecords(ctx.storage, actor.siteId, 'service'), allRecords(ctx.storage, actor.siteId, 'customAttribute')])
    const errors = opts.errors
    const p = opts.preview
    const names = p && p.preview.withoutEmail.length > 0 ? await ctx.storage.directory!.getDirectoryRecords(actor.siteId, 'guardian', p.preview.withoutEmail) : new Map()
    // a household given by the link (?householdId=) and not typed: kept until a name is typed
    const fixedHousehold = form.householdId !== '' && form.household === '' && !opts.choices
    const Select = (s: { name: keyof MessageForm; label: string; options: Array<{ id: string; name: string }>; all: string }) => (
      <p class="field">
        <label for={`f-${s.name}`}>{s.label}</label>
        <select id={`f-${s.name}`} name={s.name}>
          <option value="">{s.all}</option>
          {s.options.map((o) => <option value={o.id} selected={form[s.name] === o.id}>{o.name}</option>)}
        </select>
      </p>
    )
    return html(c,
      <Page c={c} title={t(lang, 'staff.msg.new')} current={BASE}>
        <form method="post" action={`${BASE}/preview`} class="card" id="compose">
          <CsrfField session={c.var.session} />
          <input type="hidden" name="messageId" value={form.messageId} />
          <ErrorSummary lang={lang} errors={errors} />
          <fieldset>
            <legend>{t(lang, 'staff.msg.to')}</legend>
            <p class="choice"><label><input type="radio" name="target" value="family" checked={form.target === 'family'} /> {t(lang, 'staff.msg.target.family')}</label></p>
            {fixedHousehold ? <input type="hidden" name="householdId" value={form.householdId} /> : null}
            {opts.choices ? (
              <p class={errors?.['household'] ? 'field invalid' : 'field'}>
                <label for="f-householdId">{t(lang, 'staff.msg.household')}</label>
                <select id="f-householdId" name="householdId" aria-invalid="true" aria-describedby="f-householdId-error">
                  {opts.choices.map((h) => <option value={h.id}>{h.name}</option>)}
                </select>
                <strong id="f-householdId-error" class="field-error">{errors?.['household']}</strong>
              </p>
            ) : (
              <CheckedField label={t(lang, 'staff.msg.household')} name="household" value={p?.householdName ?? form.household} errors={errors} hint={t(lang, 'staff.msg.householdHint')} />
            )}
            <p class="choice"><label><input type="radio" name="target" value="list" checked={form.target === 'list'} /> {t(lang, 'staff.msg.target.list')}</label></p>
            <p class="field">
              <label for="f-source">{t(lang, 'staff.msg.source')}</label>
              <select id="f-source" name="source">
                <option value="guardians" selected={form.source === 'guardians'}>{t(lang, 'staff.msg.source.guardians')}</option>
                <option value="children" selected={form.source === 'children'}>{t(lang, 'staff.msg.source.children')}</option>
              </select>
            </p>
            <Select name="schoolId" label={t(lang, 'staff.msg.school')} options={schools.map((s) => ({ id: s.id, name: s.name }))} all={t(lang, 'staff.msg.any')} />
            <Select name="classId" label={t(lang, 'staff.msg.class')} options={classes.map((s) => ({ id: s.id, name: s.name }))} all={t(lang, 'staff.msg.any')} />
            <Select name="serviceId" label={t(lang, 'staff.msg.service')} options={services.map((s) => ({ id: s.id, name: s.name }))} all={t(lang, 'staff.msg.any')} />
            {criteria.length > 0 ? (
              <p class={errors?.['criterion'] ? 'field invalid' : 'field'}>
                <label for="f-criterion">{t(lang, 'staff.msg.criterion')}</label>
                <select id="f-criterion" name="criterion" aria-invalid={errors?.['criterion'] ? 'true' : undefined} aria-describedby={errors?.['criterion'] ? 'f-criterion-error' : undefined}>
                  <option value="">{t(lang, 'staff.msg.any')}</option>
                  {(['child', 'guardian'] as const).map((kind) => {
                    const mine = criteria.filter((a) => a.appliesTo === kind).sort((a, b) => a.label.localeCompare(b.label))
                    return mine.length === 0 ? null : (
                      <optgroup label={t(lang, `staff.msg.criterion.${kind}`)}>
                        {mine.flatMap((a) => a.allowedValues.map((value) => {
                          const id = `${enc(a.id)}=${enc(value)}`
                          return <option value={id} selected={form.criterion === id}>{`${a.label} · ${value}`}</option>
                        }))}
                      </optgroup>
                    )
                  })}
                </select>
                {errors?.['criterion'] ? <strong id="f-criterion-error" class="field-error">{errors['criterion']}</strong> : null}
              </p>
            ) : null}
            <p class="choice"><label><input type="checkbox" name="debtors" value="1" checked={form.debtors} /> {t(lang, 'staff.msg.debtors')}</label></p>
          </fieldset>
          <fieldset class={errors?.['channel'] ? 'invalid' : undefined}>
            <legend>{t(lang, 'staff.msg.channel')}</legend>
            {(user?.messaging ?? []).map((m) => (
              <p class="choice"><label><input type="radio" name="channel" value={m} checked={form.channel === m} /> {t(lang, channelKey(m))}{m === DELIVERED_CHANNEL ? '' : ` (${t(lang, 'staff.msg.notDelivered')})`}</label></p>
            ))}
            {errors?.['channel'] ? <strong id="f-channel-error" class="field-error">{errors['channel']}</strong> : null}
          </fieldset>
          <p class="field">
            <label for="f-lang">{t(lang, 'staff.msg.lang')}</label>
            <select id="f-lang" name="lang">{LANGUAGES.map((l) => <option value={l} selected={form.lang === l}>{LANGUAGE_NAMES[l]}</option>)}</select>
          </p>
          {senders.accounts.length > 0 || errors?.['fromAccount'] ? (
            <p class={errors?.['fromAccount'] ? 'field invalid' : 'field'}>
              <label for="f-fromAccount">{t(lang, 'staff.msg.from')}</label>
              <select id="f-fromAccount" name="fromAccount" aria-invalid={errors?.['fromAccount'] ? 'true' : undefined} aria-describedby={errors?.['fromAccount'] ? 'f-fromAccount-error' : undefined}>
                <option value="">{t(lang, 'staff.msg.fromSite', { from: addressOf(senders.site.from) })}</option>
                {senders.accounts.map((a) => <option value={a.id} selected={form.fromAccount === a.id}>{t(lang, 'staff.msg.fromAccount', { name: a.name, from: a.address })}</option>)}
              </select>
              {errors?.['fromAccount'] ? <strong id="f-fromAccount-error" class="field-error">{errors['fromAccount']}</strong> : null}
            </p>
          ) : null}
          <CheckedField label={t(lang, 'staff.msg.subject')} name="subject" value={form.subject} errors={errors} required />
          <p class={errors?.['body'] ? 'field invalid' : 'field'}>
            <label for="f-body">{t(lang, 'staff.msg.body')}</label>
            <textarea id="f-body" name="body" rows={8} cols={70} aria-invalid={errors?.['body'] ? 'true' : undefined} aria-describedby={['f-body-vars', errors?.['body'] ? 'f-body-error' : ''].filter(Boolean).join(' ')}>{form.body}</textarea>
            {errors?.['body'] ? <strong id="f-body-error" class="field-error">{errors['body']}</strong> : null}
          </p>
          <div id="f-body-vars" class="hint">
            <p>{t(lang, 'staff.msg.variables')}</p>
            <ul class="variables">{variablesOf(form.target).map((v) => <li><code>{`{{${v}}}`}</code></li>)}</ul>
          </div>
          <p class="field">
            <label for="f-format">{t(lang, 'staff.msg.format')}</label>
            <select id="f-format" name="format">
              <option value="text" selected={form.format === 'text'}>{t(lang, 'staff.msg.format.text')}</option>
              <option value="html" selected={form.format === 'html'}>{t(lang, 'staff.msg.format.html')}</option>
            </select>
          </p>
          <button type="submit">{t(lang, 'staff.msg.preview')}</button>
        </form>
        {p ? (
          <section class="card" id="preview">
            <h2>{t(lang, 'staff.msg.previewTitle')}</h2>
            <p id="preview-count">{t(lang, 'staff.msg.count', { count: p.preview.count })}</p>
            <p id="preview-from"><strong>{t(lang, 'staff.msg.fromAddress')}</strong> {fromForPeople(p.sender.from)}</p>
            {/* an HTML body is shown as it is queued: previewGroupMessage answers it sanitized, never the markup as typed */}
            {p.preview.messages.some((m) => m.sanitized) ? <p id="preview-sanitized" class="notice">{t(lang, 'staff.msg.sanitized')}</p> : null}
            {p.preview.messages.map((m) => (
              <article class="message-preview">
                <p><strong>{t(lang, 'staff.msg.toAddress')}</strong> {m.email}</p>
                <p><strong>{t(lang, 'staff.msg.subject')}</strong> {m.subject}</p>
                {form.format === 'html' ? <div class="message-body" dangerouslySetInnerHTML={{ __html: m.body }} /> : <pre class="message-body">{m.body}</pre>}
              </article>
            ))}
            {p.preview.withoutEmail.length > 0 ? (
              <p id="without-email">{t(lang, 'staff.msg.withoutEmail', { count: p.preview.withoutEmail.length, names: p.preview.withoutEmail.map((id) => (names.get(id) ? fullName(names.get(id)!) : id)).join(', ') })}</p>
            ) : null}
            {p.preview.count > 0 ? (
              <form method="post" action={`${BASE}/send`}>
                <CsrfField session={c.var.session} />
                {/* the confirmation sends what was previewed: the household found, not the name typed */}
                {Object.entries({ ...form, debtors: form.debtors ? '1' : '', householdId: form.target === 'family' ? p.filter.householdIds?.[0] ?? '' : '' }).map(([k, v]) => <input type="hidden" name={k} value={String(v)} />)}
                <button type="submit">{t(lang, 'staff.msg.send', { count: p.preview.count })}</button>
              </form>
            ) : <p class="empty">{t(lang, 'staff.msg.nobody')}</p>}
          </section>
        ) : null}
      </Page>,
      opts.status ?? 200,
    )
  }

  app.get('/messages/new', async (c) => {
    const actor = actorOfRequest(c)
    const denied = refused(c, 'messages.send', { siteId: actor.siteId })
    if (denied) return denied
    const form = formOf({ householdId: c.req.query('householdId') ?? '', subject: '', body: '' }, c.var.lang)
    return composePage(c, form)
  })

  app.post('/messages/preview', async (c) => {
    const actor = actorOfRequest(c)
    const denied = refused(c, 'messages.send', { siteId: actor.siteId })
    if (denied) return denied
    const form = formOf(await c.req.parseBody(), c.var.lang)
    const checked = await check(c, actor, form)
    if (!checked.ok) return composePage(c, form, { errors: checked.errors, ...(checked.choices ? { choices: checked.choices } : {}), status: checked.status })
    return composePage(c, form, { preview: checked })
  })

  app.post('/messages/send', async (c) => {
    const { ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'messages.send', { siteId: actor.siteId })
    if (denied) return denied
    const form = formOf(await c.req.parseBody(), c.var.lang)
    const checked = await check(c, actor, form)
    if (!checked.ok) return composePage(c, form, { errors: checked.errors, ...(checked.choices ? { choices: checked.choices } : {}), status: checked.status })
    const { sender } = checked
    const id = `msg:${form.messageId}`
    let result
    try {
      result = form.target === 'family'
        ? await queueFamilyMessage({ storage: ctx.storage }, { siteId: actor.siteId, id, householdId: checked.filter.householdIds![0]!, date: checked.filter.date, template: checked.template, sender, moreContexts: ['invoice'], values: checked.values })
        : await queueGroupMessage({ storage: ctx.storage }, { siteId: actor.siteId, id, filter: checked.filter, template: checked.template, sender, contexts: contextsOf('list'), values: checked.values })
    } catch (error) {
      // the form was sent before with other values (Back, edit, send again): the first message stands;
      // the form comes back with a new id, so sending the edited one is a new message
      if (isEcoleError(error, 'IDEMPOTENCY_CONFLICT')) return composePage(c, { ...form, messageId: randomUUID() }, { errors: { _form: t(c.var.lang, 'staff.form.resubmitted') }, status: 409 })
      throw error
    }
    await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), [{
      action: 'message.queued', subject: { kind: 'message', id },
      after: { subject: checked.template.subject, recipients: result.queued.length, withoutEmail: result.withoutEmail.length, target: form.target },
    }])
    await ctx.flushMail()
    return c.redirect(`${BASE}?done=sent&count=${result.queued.length}`, 303)
  })

  // ---- what the outbox holds, with the delivery state; given-up messages retried or discarded
  app.get('/messages', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'messages.list', { siteId: actor.siteId })
    if (denied) return denied
    const query = c.req.query()
    const status = STATUSES.find((s) => s === query['status'])
    const page = await ctx.storage.outbox!.list(actor.siteId, status ? { status } : {}, { limit: pageSizeOf(query['limit']), ...(/^\d{1,18}$/.test(query['after'] ?? '') ? { after: query['after']! } : {}) })
    const canSend = refused(c, 'messages.send', { siteId: actor.siteId }) === undefined
    const done = query['done']
    const notice = done === 'sent' ? t(lang, 'staff.msg.sent', { count: Number(query['count'] ?? 0) })
      : done === 'retried' ? t(lang, 'staff.msg.retried') : done === 'discarded' ? t(lang, 'staff.msg.discarded') : undefined
    return html(c,
      <Page c={c} title={t(lang, 'staff.msg.title')} current={BASE} notice={notice ? { kind: 'ok', text: notice } : undefined}>
        {canSend ? <p><a href={`${BASE}/new`}>{t(lang, 'staff.msg.new')}</a></p> : null}
        <form method="get" action={BASE} class="card filters">
          <p class="field">
            <label for="f-status">{t(lang, 'staff.msg.status')}</label>
            <select id="f-status" name="status">
              <option value="">{t(lang, 'staff.msg.any')}</option>
              {STATUSES.map((s) => <option value={s} selected={status === s}>{t(lang, `staff.msg.status.${s}`)}</option>)}
            </select>
          </p>
          <button type="submit">{t(lang, 'staff.filter')}</button>
        </form>
        {page.items.length === 0 ? <p class="empty">{t(lang, 'staff.msg.none')}</p> : (
          <table id="messages">
            <thead><tr>
              <th scope="col">{t(lang, 'staff.msg.subject')}</th><th scope="col">{t(lang, 'staff.msg.toAddress')}</th><th scope="col">{t(lang, 'staff.msg.purpose')}</th>
              <th scope="col">{t(lang, 'staff.msg.status')}</th><th scope="col" class="num">{t(lang, 'staff.msg.attempts')}</th><th scope="col">{t(lang, 'staff.msg.error')}</th><th scope="col"></th>
            </tr></thead>
            <tbody>
              {page.items.map((m) => {
                const mail = (m.topic === 'mail' ? m.payload : undefined) as MailPayload | undefined
                return (
                  <tr class={`outbox-${m.status}`}>
                    <td>{mail?.subject ?? m.topic}</td><td>{(mail?.to ?? []).join(', ')}</td><td><code>{mail?.purpose ?? m.topic}</code></td>
                    <td>{t(lang, `staff.msg.status.${m.status}`)}</td><td class="num">{m.attempts}</td><td>{m.lastError ?? ''}</td>
                    <td>{m.status === 'dead' ? (
                      <>
                        <form method="post" action={`${BASE}/${enc(m.id)}/retry`} class="inline"><CsrfField session={c.var.session} /><button type="submit">{t(lang, 'staff.msg.retry')}</button></form>
                        {' '}<a href={`${BASE}/${enc(m.id)}/discard`}>{t(lang, 'staff.msg.discard')}</a>
                      </>
                    ) : null}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
        <Pager lang={lang} base={BASE} query={query} next={page.next} />
      </Page>,
    )
  })

  async function deadOr404(c: Context<AppEnv>, id: string) {
    const m = await c.var.ctx.storage.outbox!.get(actorOfRequest(c).siteId, id)
    return m && m.status === 'dead' ? m : undefined
  }

  app.post('/messages/:id/retry', async (c) => {
    const { ctx, lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'messages.deliveries', { siteId: actor.siteId })
    if (denied) return denied
    const id = c.req.param('id')
    try {
      await retryDeadLetter(ctx.storage.outbox!, actor.siteId, id, ctx.clock.now())
    } catch (error) {
      if (isEcoleError(error, 'NOT_FOUND')) return c.notFound()
      if (isEcoleError(error, 'OUTBOX_NOT_DEAD')) return html(c, <Page c={c} title={t(lang, 'staff.msg.title')} notice={{ kind: 'error', text: t(lang, 'staff.msg.notDead') }}><p><a href={BASE}>{t(lang, 'staff.msg.title')}</a></p></Page>, 409)
      throw error
    }
    await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), [{ action: 'message.retried', subject: { kind: 'message', id } }])
    await ctx.flushMail()
    return c.redirect(`${BASE}?done=retried`, 303)
  })

  app.get('/messages/:id/discard', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'messages.deliveries', { siteId: actor.siteId })
    if (denied) return denied
    const m = await deadOr404(c, c.req.param('id'))
    if (!m) return c.notFound()
    const mail = (m.topic === 'mail' ? m.payload : undefined) as MailPayload | undefined
    return html(c,
      <Page c={c} title={t(lang, 'staff.msg.discard')} current={BASE}>
        <form method="post" class="card">
          <CsrfField session={c.var.session} />
          <p>{t(lang, 'staff.msg.discardConfirm', { subject: mail?.subject ?? m.id, to: (mail?.to ?? []).join(', ') })}</p>
          <button type="submit">{t(lang, 'staff.confirm')}</button> <a href={`${BASE}?status=dead`}>{t(lang, 'staff.cancel')}</a>
        </form>
      </Page>,
    )
  })

  app.post('/messages/:id/discard', async (c) => {
    const { ctx, lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'messages.deliveries', { siteId: actor.siteId })
    if (denied) return denied
    const id = c.req.param('id')
    try {
      await discardDeadLetter(ctx.storage.outbox!, actor.siteId, id)
    } catch (error) {
      if (isEcoleError(error, 'NOT_FOUND')) return c.notFound()
      if (isEcoleError(error, 'OUTBOX_NOT_DEAD')) return html(c, <Page c={c} title={t(lang, 'staff.msg.title')} notice={{ kind: 'error', text: t(lang, 'staff.msg.notDead') }}><p><a href={BASE}>{t(lang, 'staff.msg.title')}</a></p></Page>, 409)
      throw error
    }
    await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), [{ action: 'message.discarded', subject: { kind: 'message', id } }])
    return c.redirect(`${BASE}?done=discarded`, 303)
  })

  return app
}
