/**
 * The mail screen of the back office (seed 002, « Paramétrer l'envoi d'e-mails »), at
 * `/staff/admin/mail`:
 *
 * 1. **Delegated sending**: mail goes out through the site's own SMTP account (set up and tested on
 *    the site screen, with its sender name) or else the platform's sender; « Tester l'envoi » sends a
 *    test message to an address typed here and says, in the user's language, which step failed.
 * 2. **Personal accounts**: a staff member's own account (name, address, sender name), tried with a
 *    test message when an address is given (nothing saved if the test fails). Takes
 *    `messages.send` (action `mail.personal`); each user sees and changes only their own.
 * 3. **Establishment accounts** (secretariat, direction…): name, address, sender name, the staff
 *    authorised to send from them (`authoriseOnMailAccount`, `revokeFromMailAccount`), deleted after
 *    a confirmation. Takes `settings.site` (action `mail.accounts`).
 *
 * Accounts are kept by the library's messaging-state port (`saveMailAccount`, `listMailAccounts`…),
 * validated by `MailAccountSchema`; the test send is `testMailAccount` (the site's server, the
 * account's address as sender). Every change goes into the audit trail.
 */
import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import {
  authoriseOnMailAccount, mailerCheckText, MailAccountSchema, mailFrom, parseInput, revokeFromMailAccount,
  type Actor, type MailAccount, type User,
} from '@ecole/core'
import type { DirectoryStore, StoragePortSet } from '@ecole/core/ports'
import { readSite, smtpSettingsForSending, testMailAccount } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { t, type Lang } from '../i18n'
import { CsrfField } from '../views/layout'
import { html } from '../views/render'
import { CheckedField, ErrorSummary, fieldErrorsOf, type FieldErrors } from './field-errors'
import { CheckboxFieldset, formValues } from './form-fields'
import { fullName } from './people'
import { authorize } from './permissions'
import { actorOfRequest, Page, refused } from './routes'
import { recordStaffChanges, staffDiff } from './staff-audit'
import { changeRecordChecked, VersionField, versionOf } from './record-conflict'

const BASE = '/staff/admin/mail'
const enc = encodeURIComponent
type Values = Record<string, string>
type Body = Record<string, string | File | (string | File)[]>
type EstablishmentAccount = Extract<MailAccount, { kind: 'establishment' }>

/** The site's mail accounts, kept as the directory's `mailAccount` records. */
function store(c: Context<AppEnv>) {
  const directory: DirectoryStore | undefined = c.var.ctx.storage.directory
  if (!directory) throw new Error('[school-web] the storage has no directory port')
  return {
    async listMailAccounts(siteId: string): Promise<MailAccount[]> {
      const all: MailAccount[] = []
      let after: string | undefined
      for (;;) {
        const page = await directory.listDirectoryRecords(siteId, 'mailAccount', after === undefined ? { limit: 500 } : { limit: 500, after })
        all.push(...page.items)
        if (page.next === undefined) return all
        after = page.next
      }
    },
    getMailAccount: (siteId: string, id: string) => directory.getDirectoryRecord(siteId, 'mailAccount', id),
    saveMailAccount: (siteId: string, account: MailAccount) => directory.putDirectoryRecord(siteId, 'mailAccount', account),
    deleteMailAccount: (siteId: string, id: string) => directory.deleteDirectoryRecord(siteId, 'mailAccount', id),
  }
}

function many(body: Body, name: string): string[] {
  const v = body[name]
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string')
}

async function staffUsers(c: Context<AppEnv>): Promise<User[]> {
  const out: User[] = []
  let after: string | undefined
  do {
    const page = await c.var.ctx.storage.access!.listUsers(actorOfRequest(c).siteId, { limit: 500, ...(after ? { after } : {}) })
    out.push(...page.items)
    after = page.next
  } while (after)
  return out
}

/** Writes a change's audit entry through `ports` (the change's own transaction when it is one). */
function auditTo(ports: StoragePortSet, c: Context<AppEnv>, actor: Actor, action: string, id: string, before: object | undefined, after: object | undefined): Promise<void> {
  return recordStaffChanges(ports, actor, c.var.ctx.clock.now(), [staffDiff(action, { kind: 'mailAccount', id }, before, after)])
}

async function audit(c: Context<AppEnv>, actor: Actor, action: string, id: string, before: object | undefined, after: object | undefined) {
  await c.var.ctx.storage.transaction(actor.siteId, (tx) => auditTo(tx, c, actor, action, id, before, after))
}

/**
 * Changes one mail account as the form showed it: in one transaction, the account checked and
 * locked against the form's version (`checkRecordVersion`), read again, changed by `change` (which
 * writes it and its audit entry); `false` when someone else changed or deleted it meanwhile (nothing written).
 */
async function changeAccountChecked(c: Context<AppEnv>, id: string, version: string | undefined, change: (tx: StoragePortSet, account: MailAccount) => Promise<void>): Promise<boolean> {
  const siteId = actorOfRequest(c).siteId
  const conflict = await changeRecordChecked(c.var.ctx.storage, c.var.lang, siteId, { ref: { kind: 'mailAccount', id }, version, reload: BASE }, async (tx) => {
    const account = await tx.directory!.getDirectoryRecord(siteId, 'mailAccount', id)
    if (account) await change(tx, account)
  })
  return conflict === undefined
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

/**
 * Sends a test message to `to`: through the site's own SMTP account when it has one (checked step
 * by step, `testMailAccount` for an account), else through the platform's sender. Answers the
 * sentence to show when it failed.
 */
async function testSend(c: Context<AppEnv>, account: MailAccount | undefined, to: string): Promise<string | undefined> {
  const { ctx, lang } = c.var
  const siteId = actorOfRequest(c).siteId
  const ports = { directory: ctx.storage.directory!, secrets: ctx.secrets }
  const settings = await smtpSettingsForSending(ports, siteId)
  if (settings) {
    const check = account
      ? await testMailAccount(ctx.mailer, { siteId, settings, account, to })
      : await ctx.mailer.verify(siteId, settings, { testMessage: { to, subject: t(lang, 'staff.mail.testSubject'), text: t(lang, 'staff.mail.testText') } })
    return check.ok ? undefined : mailerCheckText(check, lang)
  }
  try {
    const site = await readSite(ports, siteId)
    const from = account ? mailFrom(account) : mailFrom({ senderName: site.name, address: ctx.mailer.platformAddress ?? 'no-reply@localhost' })
    const r = await ctx.mailer.send(siteId, { from, to: [to], subject: t(lang, 'staff.mail.testSubject'), text: t(lang, 'staff.mail.testText') })
    return r.refused.length > 0 ? t(lang, 'staff.mail.testRefused', { to, response: r.refused[0]!.response }) : undefined
  } catch (error) {
    return t(lang, 'staff.mail.testFailed', { reason: error instanceof Error ? error.message : String(error) })
  }
}

function labels(lang: Lang): Record<string, string> {
  return Object.fromEntries(['name', 'address', 'senderName', 'testTo'].map((f) => [f, t(lang, `staff.mail.field.${f}` as never)]))
}

/** Mounts the mail screen. */
export function mailRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  /** The screen needs one of the two actions; each section shows only to who may use it. */
  function gate(c: Context<AppEnv>) {
    const actor = actorOfRequest(c)
    const personal = authorize(actor, 'mail.personal', { siteId: actor.siteId }).ok || actor.permissions.includes('messages.send')
    const accounts = authorize(actor, 'mail.accounts', { siteId: actor.siteId }).ok
    return { personal, accounts }
  }

  async function show(c: Context<AppEnv>, opts: {
    notice?: { kind: 'ok' | 'error'; text: string }; section?: 'delegated' | 'personal' | 'establishment'; values?: Values; errors?: FieldErrors; authorised?: string[]
  } = {}, status?: 409) {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const may = gate(c)
    const site = await readSite({ directory: ctx.storage.directory! }, actor.siteId)
    const accounts = await store(c).listMailAccounts(actor.siteId)
    const mine = accounts.filter((a) => a.kind === 'personal' && a.ownerUserId === actor.userId)
    const establishment = accounts.filter((a): a is EstablishmentAccount => a.kind === 'establishment')
    const users = may.accounts ? await staffUsers(c) : []
    const names = new Map(users.map((u) => [u.id, fullName(u)]))
    const userOptions = users.map((u) => ({ value: u.id, label: fullName(u) }))
    const L = labels(lang)
    const me = await ctx.storage.access!.getUser(actor.siteId, actor.userId)
    const vFor = (section: 'personal' | 'establishment'): Values => (opts.section === section && opts.values) ? opts.values : section === 'personal' ? { name: me ? fullName(me) : '', address: me?.login ?? '', senderName: me ? fullName(me) : '', testTo: '' } : { name: '', address: '', senderName: site.name, testTo: '' }
    const eFor = (section: 'personal' | 'establishment') => (opts.section === section ? opts.errors : undefined)
    const sender = site.smtp ? { from: site.smtp.fromAddress ?? site.smtp.username, name: site.smtp.fromName ?? site.name, host: site.smtp.host } : undefined
    const failed = opts.notice?.kind === 'error' || opts.errors !== undefined
    return html(c,
      <Page c={c} title={t(lang, 'staff.mail.title')} current={BASE} notice={opts.notice}>
        <section aria-labelledby="delegated">
          <h2 id="delegated">{t(lang, 'staff.mail.delegated')}</h2>
          <p>{sender
            ? t(lang, 'staff.mail.delegatedSite', { name: sender.name, from: sender.from, host: sender.host })
            : t(lang, 'staff.mail.delegatedPlatform', { name: site.name, from: ctx.mailer.platformAddress ?? '' })}{' '}
            {authorize(actor, 'site.edit', { siteId: actor.siteId }).ok ? <a href="/staff/admin/site#smtp">{t(lang, 'staff.mail.changeServer')}</a> : null}</p>
          <form method="post" action={`${BASE}/test`} class="card inline">
            <CsrfField session={c.var.session} />
            <CheckedField idPrefix="d" label={L['testTo']!} name="testTo" type="email" value={opts.section === 'delegated' ? opts.values?.['testTo'] : me?.login} required />
            <button type="submit">{t(lang, 'staff.mail.test')}</button>
          </form>
        </section>

        {may.personal ? (
          <section aria-labelledby="personal">
            <h2 id="personal">{t(lang, 'staff.mail.personal')}</h2>
            {mine.length === 0 ? <p>{t(lang, 'staff.mail.personalNone')}</p> : (
              <ul class="mail-accounts">{mine.map((a) => <li>{a.name} — <code>{mailFrom(a)}</code> <a href={`${BASE}/${enc(a.id)}/delete`}>{t(lang, 'staff.mail.delete')}</a></li>)}</ul>
            )}
            <form method="post" action={`${BASE}/personal`} class="card" novalidate>
              <CsrfField session={c.var.session} />
              <ErrorSummary lang={lang} errors={eFor('personal')} />
              <CheckedField label={L['name']!} name="name" value={vFor('personal')['name']} required errors={eFor('personal')} />
              <CheckedField label={L['address']!} name="address" type="email" value={vFor('personal')['address']} required errors={eFor('personal')} />
              <CheckedField label={L['senderName']!} name="senderName" value={vFor('personal')['senderName']} required errors={eFor('personal')} />
              <CheckedField label={L['testTo']!} name="testTo" type="email" value={vFor('personal')['testTo']} errors={eFor('personal')} hint={t(lang, 'staff.mail.testHint')} />
              <button type="submit">{t(lang, 'staff.mail.savePersonal')}</button>
            </form>
          </section>
        ) : null}

        {may.accounts ? (
          <section aria-labelledby="establishment">
            <h2 id="establishment">{t(lang, 'staff.mail.establishment')}</h2>
            {establishment.length === 0 ? <p>{t(lang, 'staff.mail.establishmentNone')}</p> : establishment.map((a) => (
              <form method="post" action={`${BASE}/${enc(a.id)}/staff`} class="card mail-account">
                <CsrfField session={c.var.session} />
                <VersionField version={versionOf(a)} />
                <h3>{a.name} — <code>{mailFrom(a)}</code></h3>
                <CheckboxFieldset legend={t(lang, 'staff.mail.authorised')} name="userIds" checked={a.authorisedUserIds} options={userOptions} />
                <p class="authorised-now">{a.authorisedUserIds.length === 0 ? t(lang, 'staff.mail.nobody') : a.authorisedUserIds.map((id) => names.get(id) ?? id).join(', ')}</p>
                <button type="submit">{t(lang, 'staff.mail.saveAuthorised')}</button> <a href={`${BASE}/${enc(a.id)}/delete`}>{t(lang, 'staff.mail.delete')}</a>
              </form>
            ))}
            <h3>{t(lang, 'staff.mail.newEstablishment')}</h3>
            <form method="post" action={`${BASE}/establishment`} class="card" novalidate>
              <CsrfField session={c.var.session} />
              <ErrorSummary lang={lang} errors={eFor('establishment')} />
              <CheckedField idPrefix="e" label={L['name']!} name="name" value={vFor('establishment')['name']} required errors={eFor('establishment')} hint={t(lang, 'staff.mail.nameHint')} />
              <CheckedField idPrefix="e" label={L['address']!} name="address" type="email" value={vFor('establishment')['address']} required errors={eFor('establishment')} />
              <CheckedField idPrefix="e" label={L['senderName']!} name="senderName" value={vFor('establishment')['senderName']} required errors={eFor('establishment')} />
              <CheckboxFieldset legend={t(lang, 'staff.mail.authorised')} name="userIds" checked={opts.authorised ?? []} options={userOptions} />
              <CheckedField idPrefix="e" label={L['testTo']!} name="testTo" type="email" value={vFor('establishment')['testTo']} errors={eFor('establishment')} hint={t(lang, 'staff.mail.testHint')} />
              <button type="submit">{t(lang, 'staff.mail.saveEstablishment')}</button>
            </form>
          </section>
        ) : null}
      </Page>,
      status ?? (failed ? 400 : 200),
    )
  }

  function deniedBoth(c: Context<AppEnv>) {
    const may = gate(c)
    if (may.personal || may.accounts) return undefined
    return refused(c, 'mail.accounts', { siteId: actorOfRequest(c).siteId })
  }

  app.get('/admin/mail', async (c) => {
    const no = deniedBoth(c)
    if (no) return no
    const done = c.req.query('done')
    const ok = done === 'tested' || done === 'personal' || done === 'establishment' || done === 'authorised' || done === 'deleted'
    return show(c, ok ? { notice: { kind: 'ok', text: t(c.var.lang, `staff.mail.done.${done}`) } } : {})
  })

  app.post('/admin/mail/test', async (c) => {
    const { lang } = c.var
    const no = deniedBoth(c)
    if (no) return no
    const v = formValues(await c.req.parseBody())
    const to = v['testTo'] ?? ''
    if (!EMAIL.test(to)) return show(c, { section: 'delegated', values: v, notice: { kind: 'error', text: `${t(lang, 'staff.mail.field.testTo')}${lang === 'fr' ? ' :' : ':'} ${t(lang, 'staff.form.rule.email')}` } })
    const failure = await testSend(c, undefined, to)
    if (failure) return show(c, { section: 'delegated', values: v, notice: { kind: 'error', text: `${t(lang, 'staff.mail.testNotSent')} ${failure}` } })
    return c.redirect(`${BASE}?done=tested`, 303)
  })

  /** Saves a new account from its form: validated, tried when a test address is given, then stored and audited. */
  async function create(c: Context<AppEnv>, section: 'personal' | 'establishment') {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const body = (await c.req.parseBody({ all: true })) as Body
    const v = formValues(body)
    const authorised = many(body, 'userIds')
    const base = { id: `mail-${randomUUID()}`, siteId: actor.siteId, name: v['name'] ?? '', address: v['address'] ?? '', senderName: v['senderName'] ?? '' }
    let account: MailAccount
    try {
      account = parseInput(MailAccountSchema, section === 'personal' ? { ...base, kind: 'personal', ownerUserId: actor.userId } : { ...base, kind: 'establishment', authorisedUserIds: authorised }, 'account')
    } catch (error) {
      const errors = fieldErrorsOf(lang, error, labels(lang))
      if (errors) return show(c, { section, values: v, errors, authorised })
      throw error
    }
    const to = v['testTo'] || undefined
    if (to !== undefined) {
      if (!EMAIL.test(to)) return show(c, { section, values: v, authorised, errors: { testTo: `${t(lang, 'staff.mail.field.testTo')}${lang === 'fr' ? ' :' : ':'} ${t(lang, 'staff.form.rule.email')}` } })
      const failure = await testSend(c, account, to)
      if (failure) return show(c, { section, values: v, authorised, notice: { kind: 'error', text: `${t(lang, 'staff.smtp.failed')} ${failure}` } })
    }
    await store(c).saveMailAccount(actor.siteId, account)
    await audit(c, actor, 'mailAccount.created', account.id, undefined, account)
    return c.redirect(`${BASE}?done=${section}`, 303)
  }

  app.post('/admin/mail/personal', async (c) => {
    const no = refused(c, 'mail.personal', { siteId: actorOfRequest(c).siteId })
    if (no && !actorOfRequest(c).permissions.includes('messages.send')) return no
    return create(c, 'personal')
  })

  app.post('/admin/mail/establishment', async (c) => {
    const no = refused(c, 'mail.accounts', { siteId: actorOfRequest(c).siteId })
    if (no) return no
    return create(c, 'establishment')
  })

  app.post('/admin/mail/:id/staff', async (c) => {
    const actor = actorOfRequest(c)
    const no = refused(c, 'mail.accounts', { siteId: actor.siteId })
    if (no) return no
    const account = await store(c).getMailAccount(actor.siteId, c.req.param('id'))
    if (!account || account.kind !== 'establishment') return c.notFound()
    const body = (await c.req.parseBody({ all: true })) as Body
    const wanted = many(body, 'userIds')
    const known = new Set((await staffUsers(c)).map((u) => u.id))
    // the list of staff as the form showed it: someone else's change meanwhile is shown, not overwritten
    const done = await changeAccountChecked(c, account.id, formValues(body)['version'], async (tx, stored) => {
      if (stored.kind !== 'establishment') return
      let next = authoriseOnMailAccount(stored, wanted.filter((id) => known.has(id)))
      for (const id of stored.authorisedUserIds) if (!wanted.includes(id)) next = revokeFromMailAccount(next, id)
      await tx.directory!.putDirectoryRecord(actor.siteId, 'mailAccount', next)
      await auditTo(tx, c, actor, 'mailAccount.authorised', stored.id, stored, next)
    })
    if (!done) return show(c, { section: 'establishment', notice: { kind: 'error', text: t(c.var.lang, 'staff.mail.changedMeanwhile', { name: account.name }) } }, 409)
    return c.redirect(`${BASE}?done=authorised`, 303)
  })

  /** Who may delete an account: its owner for a personal one, `settings.site` for an establishment one. */
  async function deletable(c: Context<AppEnv>): Promise<MailAccount | Response> {
    const actor = actorOfRequest(c)
    const account = await store(c).getMailAccount(actor.siteId, c.req.param('id') ?? '')
    if (!account) return c.notFound()
    if (account.kind === 'personal' && account.ownerUserId !== actor.userId) return c.notFound()
    if (account.kind === 'establishment') {
      const no = refused(c, 'mail.accounts', { siteId: actor.siteId })
      if (no) return no
    }
    return account
  }

  app.get('/admin/mail/:id/delete', async (c) => {
    const { lang } = c.var
    const account = await deletable(c)
    if (account instanceof Response) return account
    return html(c,
      <Page c={c} title={t(lang, 'staff.mail.delete')} current={BASE}>
        <p>{t(lang, account.kind === 'personal' ? 'staff.mail.deletePersonal' : 'staff.mail.deleteEstablishment', { name: account.name, address: account.address, count: account.kind === 'establishment' ? account.authorisedUserIds.length : 0 })}</p>
        <form method="post" action={`${BASE}/${enc(account.id)}/delete`}>
          <CsrfField session={c.var.session} />
          <VersionField version={versionOf(account)} />
          <button type="submit">{t(lang, 'staff.mail.deleteYes')}</button> <a href={BASE}>{t(lang, 'staff.smtp.cancel')}</a>
        </form>
      </Page>,
    )
  })

  app.post('/admin/mail/:id/delete', async (c) => {
    const actor = actorOfRequest(c)
    const account = await deletable(c)
    if (account instanceof Response) return account
    const version = formValues((await c.req.parseBody()) as Body)['version']
    // deleted only as the confirmation showed it, with its audit entry
    const done = await changeAccountChecked(c, account.id, version, async (tx, stored) => {
      await tx.directory!.deleteDirectoryRecord(actor.siteId, 'mailAccount', stored.id)
      await auditTo(tx, c, actor, 'mailAccount.deleted', stored.id, stored, {})
    })
    if (!done) return show(c, { section: account.kind, notice: { kind: 'error', text: t(c.var.lang, 'staff.mail.changedMeanwhile', { name: account.name }) } }, 409)
    return c.redirect(`${BASE}?done=deleted`, 303)
  })

  return app
}
