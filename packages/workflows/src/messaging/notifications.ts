import {
  EcoleError, checkOptions, escapeHtml, evaluateLowBalanceAlerts, type OptionKinds, formatMailDate, formatMoney, Money, zonedInstant, canSendFrom, mailFrom,
  type LocalDate, type LowBalanceAlertState, type LowBalanceEvaluation, type LowBalancePolicy, type MailAccount, type MailLocale, type SmtpSettings,
} from '@ecole/core'
import type { DirectoryStore, MailAttachment, MailerCheck, Mailer, OutboxStore, StoragePorts, StorageTransaction } from '@ecole/core/ports'
import { queueMail, queueMails, type QueuedMail } from './mail-outbox'
import { htmlToText } from './html-to-text'
import { checkMailRequest, type MailFrom } from './sender'
import { asUseCaseError } from '../use-case-error'

/**
 * The documents families are told about when they become available on the portal.
 *
 * @example
 * const kind: NoticeDocumentKind = 'taxCertificate'
 */
export type NoticeDocumentKind = 'invoice' | 'reminder' | 'taxCertificate' | 'infoSheet' | 'document'

const AMOUNT_LOCALE: Record<MailLocale, string> = { fr: 'fr-FR', en: 'en', it: 'it-IT', nl: 'nl-BE' }

const DOC_NAMES: Record<NoticeDocumentKind, Record<MailLocale, string>> = {
  invoice: { fr: 'Votre facture', en: 'Your invoice', it: 'La vostra fattura', nl: 'Uw factuur' },
  reminder: { fr: 'Une lettre de relance', en: 'A reminder letter', it: 'Un sollecito', nl: 'Een herinneringsbrief' },
  taxCertificate: { fr: 'Votre attestation fiscale', en: 'Your tax certificate', it: 'La vostra attestazione fiscale', nl: 'Uw fiscaal attest' },
  infoSheet: { fr: 'Votre fiche de renseignements', en: 'Your information sheet', it: 'La vostra scheda informativa', nl: 'Uw inlichtingenfiche' },
  document: { fr: 'Le document', en: 'The document', it: 'Il documento', nl: 'Het document' },
}

const AVAILABLE: Record<MailLocale, (doc: string, ref: string, date: string, amount: string | undefined) => { subject: string; line: string }> = {
  fr: (doc, ref, date, amount) => ({ subject: `${doc} ${ref} est disponible`, line: `${doc} ${ref}${amount ? ` (${amount})` : ''} est disponible sur le portail depuis le ${date}.` }),
  en: (doc, ref, date, amount) => ({ subject: `${doc} ${ref} is available`, line: `${doc} ${ref}${amount ? ` (${amount})` : ''} is available on the portal from ${date}.` }),
  it: (doc, ref, date, amount) => ({ subject: `${doc} ${ref} è disponibile`, line: `${doc} ${ref}${amount ? ` (${amount})` : ''} è disponibile sul portale da ${date}.` }),
  nl: (doc, ref, date, amount) => ({ subject: `${doc} ${ref} is beschikbaar`, line: `${doc} ${ref}${amount ? ` (${amount})` : ''} is beschikbaar op het portaal vanaf ${date}.` }),
}

const GREETING: Record<MailLocale, (name: string) => string> = { fr: (n) => `Bonjour ${n},`, en: (n) => `Hello ${n},`, it: (n) => `Gentile ${n},`, nl: (n) => `Beste ${n},` }
const SEE: Record<MailLocale, string> = { fr: 'Consulter le portail', en: 'Open the portal', it: 'Aprire il portale', nl: 'Het portaal openen' }
const SET_STAFF_PASSWORD: Record<MailLocale, string> = { fr: 'Créer mon mot de passe', en: 'Create my password', it: 'Creare la mia password', nl: 'Mijn wachtwoord aanmaken' }

function html(lines: Array<string | { href: string; label: string }>): string {
  return lines.map((l) => (typeof l === 'string' ? `<p>${escapeHtml(l)}</p>` : `<p><a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a></p>`)).join('')
}

/**
 * One document to announce: whose it is, where to write, its display date (the notice goes out
 * on that day, from midnight in the site's zone), and optionally its PDF.
 *
 * @example
 * const n: DocumentNotice = { kind: 'invoice', documentId: 'inv-42', reference: '2026-0042', guardianId: 'marie', guardianName: 'Marie Dupont', email: 'marie@example.fr', displayDate: '2027-01-04', amount: { minor: 4250n, currency: 'EUR' } }
 */
export interface DocumentNotice {
  /** What the document is. */
  kind: NoticeDocumentKind
  /** Its id (the outbox id is `notice:<kind>:<documentId>:<guardianId>`). */
  documentId: string
  /** Its number or name as families read it. */
  reference: string
  /** The guardian told. */
  guardianId: string
  /** Their name, for the greeting. */
  guardianName: string
  /** Where to write. */
  email: string
  /** The day it is shown on the portal. */
  displayDate: LocalDate
  /** Its amount, for invoices and reminders. */
  amount?: { minor: bigint; currency: string } | undefined
  /** The PDF, as bytes. */
  attachment?: MailAttachment | undefined
}

/**
 * The notices {@link queueDocumentNotices} queues, and how they are written.
 *
 * @example
 * const args: QueueDocumentNoticesArgs = { siteId: 's1', timeZone: 'Europe/Paris', locale: 'fr', sender: { from: 'regie@example.fr' }, portalUrl: 'https://portail.example.fr', notices }
 */
export interface QueueDocumentNoticesArgs {
  /** The site. */
  siteId: string
  /** The site's zone: a notice goes out at midnight of its display date there. */
  timeZone: string
  /** The language of the mails. */
  locale: MailLocale
  /** `From` and `Reply-To`. */
  sender: MailFrom
  /** The portal's address, linked from the mail. */
  portalUrl: string
  /** One notice per document and guardian. */
  notices: readonly DocumentNotice[]
}

const DOCUMENT_NOTICES_KINDS: OptionKinds<QueueDocumentNoticesArgs> = { siteId: 'any', timeZone: 'any', locale: 'any', sender: 'object', portalUrl: 'any', notices: 'any' }
const NOTICE_KINDS: OptionKinds<DocumentNotice> = {
  kind: 'any', documentId: 'any', reference: 'any', guardianId: 'any', guardianName: 'any', email: 'any', displayDate: 'any', amount: 'object?', attachment: 'object?',
}

/**
 * Queues the notices of documents available on the portal (invoices, reminder letters, tax
 * certificates, info sheets; seed 001): one mail per document and guardian, not sent before the
 * document's display date (midnight in the site's zone), with the date written out in the
 * guardian's language ("lundi 4 janvier 2027") and the amount with the project's money format.
 * The plain-text part is the HTML part's text, the portal's address written once, after its link
 * ("Consulter le portail <https://portail.example>"). Call it in the transaction that validates or issues the documents (`tx.outbox`). Idempotent.
 *
 * @example
 * await storage.transaction('s1', (tx) => queueDocumentNotices(tx.outbox!, { siteId: 's1', timeZone: 'Europe/Paris', locale: 'fr', sender, portalUrl: 'https://portail.example', notices }))
 * @throws EcoleError `INVALID_HEADER` for a line break in an address or a name; `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function queueDocumentNotices(
  outbox: OutboxStore,
  args: QueueDocumentNoticesArgs,
): Promise<string[]> {
  try {
    checkMailRequest<QueueDocumentNoticesArgs>('queueDocumentNotices', args, DOCUMENT_NOTICES_KINDS)
    if (Array.isArray(args.notices)) args.notices.forEach((n, i) => checkOptions<DocumentNotice>('queueDocumentNotices', `args.notices.${i}`, n, NOTICE_KINDS))
    const mails: QueuedMail[] = args.notices.map((n) => {
      const amount = n.amount ? formatMoney(Money.fromMinor(n.amount.minor, n.amount.currency), AMOUNT_LOCALE[args.locale]) : undefined
      const t = AVAILABLE[args.locale](DOC_NAMES[n.kind][args.locale], n.reference, formatMailDate(n.displayDate, args.locale), amount)
      const body = html([GREETING[args.locale](n.guardianName), t.line, { href: args.portalUrl, label: SEE[args.locale] }])
      return {
        id: `notice:${n.kind}:${n.documentId}:${n.guardianId}`,
        purpose: `${n.kind}Available`,
        recipientId: n.guardianId,
        availableAt: zonedInstant(n.displayDate, '00:00', args.timeZone),
        mail: { from: args.sender.from, replyTo: args.sender.replyTo, to: [n.email], subject: t.subject, html: body, text: htmlToText(body), attachments: n.attachment ? [n.attachment] : undefined },
      }
    })
    await queueMails(outbox, args.siteId, mails)
    const ids = mails.map((m) => m.id)
    return ids
  } catch (error) {
    throw asUseCaseError(error, 'queueDocumentNotices', { outbox: [outbox, 'object', 'the outbox port'], args: [args, 'object', 'the notices and their sender'] })
  }
}

/**
 * The `notify` option of the workflows that make documents available (`validateDrafts`,
 * `selectReminders`): with it, the workflow writes the notices ({@link queueDocumentNotices}) to
 * the outbox in the same transaction as the change, so a failed or rolled-back change queues
 * nothing and a committed one queues exactly one mail per recipient (payer and joint debtors).
 * Recipients are read from the directory in that transaction unless `recipient` names them;
 * a recipient without an e-mail gets no mail (the document is on the portal all the same).
 *
 * @example
 * const notify: DocumentNotify = { timeZone: 'Europe/Paris', locale: 'fr', sender: { from: '"École" <no-reply@ecole.example>' }, portalUrl: 'https://portail.example' }
 * await validateDrafts(deps, { siteId: 's1', batchId: 'b-2026-12', issueDate: '2027-01-04', notify })
 */
export interface DocumentNotify {
  /** The site's time zone (a notice goes out at midnight of the display date there). */
  timeZone: string
  /** The language of the mails. */
  locale: MailLocale
  /** `From` and `Reply-To` (see `mailSender`). */
  sender: { from: string; replyTo?: string | undefined }
  /** The portal's address, linked from the mail. */
  portalUrl: string
  /** Name and e-mail of a guardian, instead of the directory's (`undefined`: no mail). */
  recipient?: ((guardianId: string) => { name: string; email?: string | undefined } | undefined) | undefined
  /**
   * The document's PDF to attach, if any. Called once per document inside the transaction that
   * makes it available, with that transaction: read the document there (`context.tx.invoicing`
   * holds the invoice with the number validation has just given it, invisible outside until the
   * commit) and render it; may return a promise. A callback that throws rolls the change back.
   */
  attachment?: ((documentId: string, context: NoticeAttachmentContext) => MailAttachment | undefined | Promise<MailAttachment | undefined>) | undefined
}

/**
 * What {@link DocumentNotify.attachment} is given beside the document's id: the site and the
 * transaction making the document available, to read it as it will be committed.
 *
 * @example
 * const notify: DocumentNotify = {
 *   timeZone: 'Europe/Paris', locale: 'fr', sender: { from: 'regie@ville.example' }, portalUrl: 'https://portail.example',
 *   attachment: async (invoiceId, { tx, siteId }) => {
 *     const invoice = await tx.invoicing!.getInvoice(siteId, invoiceId) // numbered, not yet committed
 *     // invoicePdf: the host's rendering, e.g. renderPdfBytes of @ecole/pdf with the invoice's request
 *     return invoice ? { filename: `${invoice.number}.pdf`, contentType: 'application/pdf', content: await invoicePdf(invoice) } : undefined
 *   },
 * }
 */
export interface NoticeAttachmentContext {
  /** The site. */
  siteId: string
  /** The transaction making the document available (validation, reminders, filing). */
  tx: StorageTransaction
}

/**
 * @internal Queues the notices of documents in the caller's transaction: one per document and
 * recipient with an e-mail, names and addresses read from `notify.recipient` or the directory.
 */
export async function queueNoticesInTransaction(
  tx: StorageTransaction,
  siteId: string,
  notify: DocumentNotify,
  documents: ReadonlyArray<Omit<DocumentNotice, 'guardianId' | 'guardianName' | 'email' | 'attachment'> & { recipientIds: readonly string[] }>,
): Promise<string[]> {
  if (!tx.outbox) throw new EcoleError('PORT_MISSING', 'the storage adapter has no outbox port, which notify needs', { details: { port: 'outbox', field: 'notify' } })
  const who = notify.recipient ?? (await directoryRecipients(tx.directory, siteId, documents.flatMap((d) => d.recipientIds)))
  const notices: DocumentNotice[] = []
  for (const { recipientIds, ...doc } of documents) {
    const attachment = await notify.attachment?.(doc.documentId, { siteId, tx })
    for (const guardianId of new Set(recipientIds)) {
      const r = who(guardianId)
      if (!r?.email) continue
      notices.push({ ...doc, guardianId, guardianName: r.name, email: r.email, ...(attachment ? { attachment } : {}) })
    }
  }
  if (notices.length === 0) return []
  return queueDocumentNotices(tx.outbox, { siteId, timeZone: notify.timeZone, locale: notify.locale, sender: notify.sender, portalUrl: notify.portalUrl, notices })
}

async function directoryRecipients(directory: DirectoryStore | undefined, siteId: string, ids: readonly string[]): Promise<(id: string) => { name: string; email?: string | undefined } | undefined> {
  if (!directory) throw new EcoleError('PORT_MISSING', 'the storage adapter has no directory port: give notify.recipient', { details: { port: 'directory', field: 'notify.recipient' } })
  const found = new Map<string, { name: string; email?: string | undefined }>()
  const unique = [...new Set(ids)]
  // the port's batch read answers at most 1,000 ids a call
  for (let i = 0; i < unique.length; i += 1000) {
    for (const [id, g] of await directory.getDirectoryRecords(siteId, 'guardian', unique.slice(i, i + 1000))) {
      found.set(id, { name: `${g.firstName} ${g.lastName}`, email: g.email })
    }
  }
  return (id) => found.get(id)
}

const TOKEN_TEXT: Record<MailLocale, Record<'firstLogin' | 'passwordReset', { subject: (site: string) => string; intro: string; login: string; token: string; outro: string }>> = {
  fr: {
    firstLogin: { subject: (s) => `${s} : votre accès au portail`, intro: 'Un accès au portail des familles a été ouvert pour vous.', login: 'Identifiant', token: 'Code de première connexion', outro: 'Ce code ne sert qu’une fois et expire bientôt.' },
    passwordReset: { subject: (s) => `${s} : nouveau mot de passe`, intro: 'Vous avez demandé un nouveau mot de passe.', login: 'Identifiant', token: 'Code de réinitialisation', outro: 'Ce code ne sert qu’une fois et expire bientôt. Si vous n’avez rien demandé, ignorez ce message.' },
  },
  en: {
    firstLogin: { subject: (s) => `${s}: your portal access`, intro: 'An access to the families’ portal was opened for you.', login: 'User name', token: 'First sign-in code', outro: 'This code works once and expires soon.' },
    passwordReset: { subject: (s) => `${s}: new password`, intro: 'You asked for a new password.', login: 'User name', token: 'Reset code', outro: 'This code works once and expires soon. If you did not ask, ignore this message.' },
  },
  it: {
    firstLogin: { subject: (s) => `${s}: il vostro accesso al portale`, intro: 'È stato aperto per voi un accesso al portale delle famiglie.', login: 'Nome utente', token: 'Codice di primo accesso', outro: 'Il codice vale una sola volta e scade presto.' },
    passwordReset: { subject: (s) => `${s}: nuova password`, intro: 'Avete chiesto una nuova password.', login: 'Nome utente', token: 'Codice di reimpostazione', outro: 'Il codice vale una sola volta e scade presto. Se non l’avete chiesto, ignorate questo messaggio.' },
  },
  nl: {
    firstLogin: { subject: (s) => `${s}: uw toegang tot het portaal`, intro: 'Er werd een toegang tot het ouderportaal voor u geopend.', login: 'Gebruikersnaam', token: 'Code voor de eerste aanmelding', outro: 'Deze code werkt één keer en vervalt binnenkort.' },
    passwordReset: { subject: (s) => `${s}: nieuw wachtwoord`, intro: 'U hebt een nieuw wachtwoord gevraagd.', login: 'Gebruikersnaam', token: 'Herstelcode', outro: 'Deze code werkt één keer en vervalt binnenkort. Hebt u niets gevraagd, negeer dan dit bericht.' },
  },
}

/**
 * The mail of a one-time token (first login or password reset).
 *
 * @example
 * const args: PortalTokenMailArgs = { siteId: 's1', id: 'token:firstLogin:marie:first', purpose: 'firstLogin', siteName: 'Ville de Lyon', locale: 'fr', sender: { from: 'noreply@lyon.fr' }, to: 'marie@example.fr', login: 'marie@example.fr', token, portalUrl: 'https://portail.lyon.fr' }
 */
export interface PortalTokenMailArgs {
  /** The site. */
  siteId: string
  /** The outbox id. */
  id: string
  /** First login or password reset. */
  purpose: 'firstLogin' | 'passwordReset'
  /** The site's name, in the subject. */
  siteName: string
  /** The language of the mail. */
  locale: MailLocale
  /** `From` and `Reply-To`. */
  sender: MailFrom
  /** The address written to. */
  to: string
  /** The login shown. */
  login: string
  /** The token. */
  token: string
  /** The portal's address, linked from the mail. */
  portalUrl: string
  /** Who reads it: a family (the link says "open the portal", the default) or a staff user (`backOffice`: "create my password", `portalUrl` being the back office's page where the code is typed). */
  audience?: 'portal' | 'backOffice' | undefined
}

const TOKEN_MAIL_KINDS: OptionKinds<PortalTokenMailArgs> = {
  siteId: 'any', id: 'any', purpose: 'any', siteName: 'any', locale: 'any', sender: 'object', to: 'any', login: 'any', token: 'any', portalUrl: 'any', audience: 'string?',
}

/**
 * Queues the mail of a one-time login or reset token (seed 004): it carries the user name and
 * the token, nothing else secret (no password, no other account's data). Call it in the
 * transaction that issued the token.
 *
 * @example
 * await queuePortalTokenMail(tx.outbox!, { siteId: 's1', id: `token:${tokenId}`, purpose: 'firstLogin', siteName: 'École Jules Ferry', locale: 'fr', sender, to: 'marie@example.fr', login: 'marie@example.fr', token: r.token, portalUrl: 'https://portail.example' })
 * @throws EcoleError `INVALID_HEADER`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function queuePortalTokenMail(
  outbox: OutboxStore,
  args: PortalTokenMailArgs,
): Promise<'created' | 'exists'> {
  try {
    checkMailRequest<PortalTokenMailArgs>('queuePortalTokenMail', args, TOKEN_MAIL_KINDS)
    const t = TOKEN_TEXT[args.locale][args.purpose]
    const sep = args.locale === 'fr' ? ' : ' : ': '
    const label = (args.audience === 'backOffice' ? SET_STAFF_PASSWORD : SEE)[args.locale]
    const body = html([t.intro, `${t.login}${sep}${args.login}`, `${t.token}${sep}${args.token}`, t.outro, { href: args.portalUrl, label }])
    return await queueMail(outbox, args.siteId, {
      id: args.id,
      purpose: args.purpose,
      mail: { from: args.sender.from, replyTo: args.sender.replyTo, to: [args.to], subject: t.subject(args.siteName), html: body, text: htmlToText(body) },
    })
  } catch (error) {
    throw asUseCaseError(error, 'queuePortalTokenMail', { outbox: [outbox, 'object', 'the outbox port'], args: [args, 'object', 'the token mail'] })
  }
}

const LOW_BALANCE: Record<MailLocale, (amount: string, threshold: string) => { subject: string; line: string }> = {
  fr: (a, t) => ({ subject: 'Solde bas sur votre compte de prépaiement', line: `Le solde disponible de votre compte est de ${a}, sous le seuil de ${t}. Pensez à le réapprovisionner.` }),
  en: (a, t) => ({ subject: 'Low balance on your prepaid account', line: `The available balance of your account is ${a}, below ${t}. Please top it up.` }),
  it: (a, t) => ({ subject: 'Saldo basso sul vostro conto prepagato', line: `Il saldo disponibile del vostro conto è ${a}, sotto la soglia di ${t}. Ricordatevi di ricaricarlo.` }),
  nl: (a, t) => ({ subject: 'Laag saldo op uw voorafbetaalde rekening', line: `Het beschikbare saldo van uw rekening is ${a}, onder de drempel van ${t}. Vul het tijdig aan.` }),
}

/**
 * The wallet balances {@link queueLowBalanceAlerts} checks, the policy, and the mail's wording.
 *
 * @example
 * const args: LowBalanceAlertsArgs = { siteId: 's1', id: 'low-2027-01-11', balances, policy: { threshold: 500n, rearmAt: 1000n }, currency: 'EUR', locale: 'fr', sender: { from: 'regie@example.fr' }, holderOf }
 */
export interface LowBalanceAlertsArgs {
  /** The site. */
  siteId: string
  /** The run's id: each mail's outbox id is `<id>:<accountId>`. */
  id: string
  /** The state of the previous run (kept by the caller); the storage keeps it when absent. */
  previous?: LowBalanceAlertState | undefined
  /** The available balance of each wallet, in minor units. */
  balances: ReadonlyArray<{ accountId: string; available: bigint }>
  /** The threshold and re-arm level, for every wallet or per wallet. */
  policy: LowBalancePolicy | ((accountId: string) => LowBalancePolicy | undefined)
  /** The currency of the amounts. */
  currency: string
  /** The language of the mails. */
  locale: MailLocale
  /** `From` and `Reply-To`. */
  sender: MailFrom
  /** The guardian a wallet belongs to, with their name and e-mail. */
  holderOf: (accountId: string) => { guardianId: string; name: string; email?: string | undefined } | undefined
}

const LOW_BALANCE_KINDS: OptionKinds<LowBalanceAlertsArgs> = {
  siteId: 'any', id: 'any', previous: 'object?', balances: 'any', policy: 'any', currency: 'any', locale: 'any', sender: 'object', holderOf: 'any',
}

/**
 * Low-balance alerts with the ledger's hysteresis (`evaluateLowBalanceAlerts`): one mail per
 * wallet that fell under its threshold, none again until it has recovered to `rearmAt`.
 *
 * **Stored state** (leave `previous` out): which wallets are alerted is kept by the storage's
 * `messaging` port, in the same transaction as the mails. A wallet is marked alerted by a
 * compare-and-set, so of two evaluations running at once (two debits of one wallet) exactly one
 * queues its alert; a wallet back at `rearmAt` or above is re-armed. The returned `state` is the
 * stored one after this evaluation.
 *
 * **Caller-kept state** (give `previous`): the pure evaluation on the state you pass; keep the
 * returned `state` yourself for the next call.
 *
 * @example
 * const r = await queueLowBalanceAlerts({ storage }, { siteId: 's1', id: 'alerts-2026-10-05', balances, policy: { threshold: 500n, rearmAt: 1000n }, currency: 'EUR', locale: 'fr', sender, holderOf: (accountId) => ({ guardianId: 'marie', name: 'Marie Dupont', email: 'marie@example.fr' }) })
 * r.alerts.length //=> 1 (and 0 on the next call until the wallet has recovered)
 * @throws EcoleError `INVALID_INPUT` for a policy with `rearmAt < threshold`, `PORT_MISSING` for stored state without the messaging port.
 */
export async function queueLowBalanceAlerts(
  ports: { storage: StoragePorts; clock?: { now(): Date } | undefined },
  args: LowBalanceAlertsArgs,
): Promise<LowBalanceEvaluation & { queued: string[] }> {
  try {
    checkMailRequest<LowBalanceAlertsArgs>('queueLowBalanceAlerts', args, LOW_BALANCE_KINDS)
    // checks every policy (rearmAt >= threshold) before anything is stored or queued
    const pure = evaluateLowBalanceAlerts(args.previous ?? { alerted: [] }, args.balances, args.policy)
    const fmt = (minor: bigint) => formatMoney(Money.fromMinor(minor, args.currency), AMOUNT_LOCALE[args.locale])
    const queueAlert = async (tx: StorageTransaction, a: LowBalanceEvaluation['alerts'][number]): Promise<string | undefined> => {
      const holder = args.holderOf(a.accountId)
      if (!holder?.email) return undefined
      const t = LOW_BALANCE[args.locale](fmt(a.available), fmt(a.threshold))
      const body = html([GREETING[args.locale](holder.name), t.line])
      const id = `${args.id}:${a.accountId}`
      await queueMail(tx.outbox!, args.siteId, { id, purpose: 'lowBalance', recipientId: holder.guardianId, mail: { from: args.sender.from, replyTo: args.sender.replyTo, to: [holder.email], subject: t.subject, html: body, text: htmlToText(body) } })
      return id
    }
    if (args.previous !== undefined) {
      const queued: string[] = []
      await ports.storage.transaction(args.siteId, async (tx) => {
        for (const a of pure.alerts) {
          const id = await queueAlert(tx, a)
          if (id !== undefined) queued.push(id)
        }
      })
      return { ...pure, queued }
    }
    const now = (ports.clock ?? { now: () => new Date() }).now()
    return await ports.storage.transaction(args.siteId, async (tx) => {
      if (!tx.messaging) {
        throw new EcoleError('PORT_MISSING', 'queueLowBalanceAlerts without `previous` keeps its state in the storage, whose adapter lacks the messaging port', { details: { port: 'messaging' } })
      }
      const alerts: LowBalanceEvaluation['alerts'] = []
      const rearmed: string[] = []
      const queued: string[] = []
      for (const { accountId, available } of args.balances) {
        const p = typeof args.policy === 'function' ? args.policy(accountId) : args.policy
        if (p === undefined) continue
        if (available >= p.rearmAt) {
          if (await tx.messaging.rearmLowBalance(args.siteId, accountId)) rearmed.push(accountId)
        } else if (available < p.threshold) {
          if ((await tx.messaging.markLowBalanceAlerted(args.siteId, { accountId, available, threshold: p.threshold, alertedAt: now })) === 'marked') {
            const alert = { accountId, available, threshold: p.threshold }
            alerts.push(alert)
            const id = await queueAlert(tx, alert)
            if (id !== undefined) queued.push(id)
          }
        }
      }
      const state = { alerted: (await tx.messaging.listLowBalanceAlerted(args.siteId)).map((m) => m.accountId) }
      return { state, alerts, rearmed, queued }
    })
  } catch (error) {
    throw asUseCaseError(error, 'queueLowBalanceAlerts', { ports: [ports, 'object', 'the host’s wiring ({ storage, clock })'], args: [args, 'object', 'the balances and the alert policy'] })
  }
}

/**
 * A mail a staff member sends from one of the site's mail accounts.
 *
 * @example
 * const args: MailFromAccountArgs = { siteId: 's1', id: 'm-42', account, userId: 'u1', to: ['marie@example.fr'], subject: 'Cantine', text: 'Bonjour...' }
 */
export interface MailFromAccountArgs {
  /** The site. */
  siteId: string
  /** The outbox id. */
  id: string
  /** The mail account it is sent from. */
  account: MailAccount
  /** The staff member sending (must be allowed to send from the account). */
  userId: string
  /** The addresses written to. */
  to: string[]
  /** The subject. */
  subject: string
  /** The text (made from `html` when absent). */
  text?: string | undefined
  /** The HTML. */
  html?: string | undefined
}

const MAIL_FROM_ACCOUNT_KINDS: OptionKinds<MailFromAccountArgs> = { siteId: 'any', id: 'any', account: 'any', userId: 'any', to: 'any', subject: 'any', text: 'string?', html: 'string?' }

/**
 * Queues a mail sent from a mail account (seed 002: a staff member's personal account, or an
 * establishment account such as the secretariat), refusing a user not allowed to send from it.
 *
 * @example
 * await queueMailFromAccount(tx.outbox!, { siteId: 's1', id: 'm-9', account: secretariat, userId: 'u1', to: ['parent@example.fr'], subject: 'Réunion', text: '...' })
 * @throws EcoleError `NOT_AUTHORISED` for a user not allowed on the account, `INVALID_HEADER`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function queueMailFromAccount(
  outbox: OutboxStore,
  args: MailFromAccountArgs,
): Promise<'created' | 'exists'> {
  try {
    checkMailRequest<MailFromAccountArgs>('queueMailFromAccount', args, MAIL_FROM_ACCOUNT_KINDS)
    if (!canSendFrom(args.account, args.userId)) {
      throw new EcoleError('NOT_AUTHORISED', `user ${args.userId} may not send from mail account ${args.account.id} (${args.account.name})`, {
        details: { field: 'userId', accountId: args.account.id, userId: args.userId },
      })
    }
    return await queueMail(outbox, args.siteId, {
      id: args.id,
      purpose: 'accountMessage',
      mail: { from: mailFrom(args.account), to: args.to, subject: args.subject, text: args.text ?? (args.html ? htmlToText(args.html) : undefined), html: args.html },
    })
  } catch (error) {
    throw asUseCaseError(error, 'queueMailFromAccount', { outbox: [outbox, 'object', 'the outbox port'], args: [args, 'object', 'the mail and its account'] })
  }
}

/**
 * A mail account to test through the site's SMTP server, and the address of the test message.
 *
 * @example
 * const args: TestMailAccountArgs = { siteId: 's1', settings, account, to: 'admin@example.fr' }
 */
export interface TestMailAccountArgs {
  /** The site. */
  siteId: string
  /** The site's SMTP settings. */
  settings: SmtpSettings
  /** The account tested (its address and sender name replace the settings'). */
  account: MailAccount
  /** The address of the test message. */
  to: string
}

const TEST_ACCOUNT_KINDS: OptionKinds<TestMailAccountArgs> = { siteId: 'any', settings: 'any', account: 'any', to: 'any' }

/**
 * The test send of a mail account (seed 002 "Tester l'envoi"): checks the server's settings with
 * the account's address as sender and sends a test message to `to`; the answer names the step
 * that failed (see `mailerCheckText` for the words in four languages).
 *
 * @example
 * const check = await testMailAccount(mailer, { siteId: 's1', settings, account: secretariat, to: 'me@lycee.fr' })
 */
export async function testMailAccount(mailer: Mailer, args: TestMailAccountArgs): Promise<MailerCheck> {
  try {
    checkMailRequest<TestMailAccountArgs>('testMailAccount', args, TEST_ACCOUNT_KINDS)
    return await mailer.verify(args.siteId, { ...args.settings, fromAddress: args.account.address, fromName: args.account.senderName }, {
      testMessage: { to: args.to, subject: `${args.account.senderName}: test`, text: `This test message confirms that ${args.account.address} can send through ${args.settings.host}.` },
    })
  } catch (error) {
    throw asUseCaseError(error, 'testMailAccount', { mailer: [mailer, 'object', 'the mailer'], args: [args, 'object', 'the account to test ({ siteId, settings, account, to })'] })
  }
}
