import {
  EcoleError, MessageTemplateSchema, checkTemplate, directoryValues, type OptionKinds, mailMerge, parseInput, selectRecipients, type LocalDate, type MailLocale, type MergedMessage,
  type MessageTemplate, type MessageTemplateInput, type RecipientFilter, type RecipientSelection, type TemplateContext, type TemplateProblem,
} from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { queueMails, type QueuedMail } from './mail-outbox'
import { htmlToText } from './html-to-text'
import { sanitizeHtml } from './sanitize-html'
import { checkMailRequest, type MailFrom } from './sender'
import { asUseCaseError } from '../use-case-error'

/**
 * What {@link queueGroupMessage} queued: one mail per guardian with an e-mail, and the guardians
 * selected who have none (to reach otherwise).
 *
 * @example
 * const r: GroupMessageResult = { queued: ['msg-7:marie'], withoutEmail: ['paul'] }
 */
export interface GroupMessageResult {
  /** Outbox ids of the mails queued (or already queued by an earlier call with the same id). */
  queued: string[]
  /** Guardians selected who have no e-mail. */
  withoutEmail: string[]
}

function problemText(p: TemplateProblem): string {
  switch (p.code) {
    case 'UNKNOWN_VARIABLE':
      return `${p.field}: unknown variable {{${p.variable}}}`
    case 'MALFORMED_PLACEHOLDER':
      return `${p.field}: malformed placeholder at ${p.at}`
    case 'MISSING_VALUE':
      return `no value for {{${p.variable}}} for recipient ${p.recipientId}`
    case 'LINE_BREAK_IN_HEADER':
      return `the value of {{${p.variable}}} for recipient ${p.recipientId} has a line break, refused in a header`
    default: {
      const never: never = p
      return never
    }
  }
}

/**
 * Refuses a template with problems, naming each (an unknown variable by its name).
 *
 * @example
 * assertTemplate(template, ['guardian']) // throws EcoleError TEMPLATE_INVALID: "body: unknown variable {{invoice.number}}"
 * @throws EcoleError `TEMPLATE_INVALID` with `details.problems`.
 */
export function assertTemplate(template: MessageTemplateInput, contexts: readonly TemplateContext[]): void {
  const problems = checkTemplate(template, contexts)
  if (problems.length > 0) throw templateError(problems)
}

function templateError(problems: TemplateProblem[]): EcoleError {
  return new EcoleError('TEMPLATE_INVALID', `the message template cannot be sent: ${problems.map(problemText).join('; ')}`, {
    details: { problems, variables: problems.flatMap((p) => ('variable' in p ? [p.variable] : [])) },
  })
}


/**
 * A group message to preview: who receives it, the template, and how many merged messages to show.
 *
 * @example
 * const args: PreviewGroupMessageArgs = { siteId: 's1', filter: { source: 'guardians', date: '2027-01-11', schoolIds: ['sc1'] }, template: { subject: 'Sortie', body: 'Bonjour {{guardian.firstName}}', format: 'text' }, limit: 3 }
 */
export interface PreviewGroupMessageArgs {
  /** The site. */
  siteId: string
  /** Who receives it. */
  filter: RecipientFilter
  /** The message, with its placeholders (a template without `format` is HTML, as `MessageTemplateSchema` says). */
  template: MessageTemplateInput
  /** More values per guardian (wallet, invoice...). */
  values?: ((guardianId: string) => Record<string, string | undefined>) | undefined
  /** Contexts offered to the template (guardian, household and child by default). */
  contexts?: readonly TemplateContext[] | undefined
  /** How many merged messages to show (3 by default). */
  limit?: number | undefined
  /** The language the directory's values are written in (children's names joined, birth dates): one for all, or per guardian; French by default. */
  locale?: MailLocale | ((guardianId: string) => MailLocale) | undefined
}

/**
 * A group message to queue, one mail per guardian selected.
 *
 * @example
 * const args: QueueGroupMessageArgs = { siteId: 's1', id: 'sortie-2027-01', filter, template, sender: { from: 'ecole@example.fr' } }
 */
export interface QueueGroupMessageArgs {
  /** The site. */
  siteId: string
  /** The message's id: each mail's outbox id is `<id>:<guardianId>`. */
  id: string
  /** Who receives it. */
  filter: RecipientFilter
  /** The message, with its placeholders (a template without `format` is HTML, as `MessageTemplateSchema` says). */
  template: MessageTemplateInput
  /** `From` and `Reply-To`. */
  sender: MailFrom
  /** The language the directory's values are written in (children's names joined, birth dates): one for all, or per guardian; French by default. */
  locale?: MailLocale | ((guardianId: string) => MailLocale) | undefined
  /** Contexts offered to the template (guardian, household and child by default). */
  contexts?: readonly TemplateContext[] | undefined
  /** More values per guardian (wallet, invoice...). */
  values?: ((guardianId: string) => Record<string, string | undefined>) | undefined
  /** The `List-Unsubscribe` of each guardian (`<https://portal.../unsubscribe/...>`). */
  listUnsubscribe?: ((guardianId: string) => string) | undefined
  /** Not before this instant. */
  availableAt?: Date | undefined
}

/**
 * A message to the guardians of one household.
 *
 * @example
 * const args: QueueFamilyMessageArgs = { siteId: 's1', id: 'relance-h1', householdId: 'h1', date: '2027-01-11', template, sender: { from: 'regie@example.fr' } }
 */
export interface QueueFamilyMessageArgs {
  /** The site. */
  siteId: string
  /** The message's id: each mail's outbox id is `<id>:<guardianId>`. */
  id: string
  /** The household. */
  householdId: string
  /** The day its guardians are read at. */
  date: LocalDate
  /** The message, with its placeholders (a template without `format` is HTML, as `MessageTemplateSchema` says). */
  template: MessageTemplateInput
  /** `From` and `Reply-To`. */
  sender: MailFrom
  /** The language the directory's values are written in: one for all, or per guardian; French by default. */
  locale?: MailLocale | ((guardianId: string) => MailLocale) | undefined
  /** More values per guardian (wallet, invoice...), with the contexts they belong to. */
  values?: ((guardianId: string) => Record<string, string | undefined>) | undefined
  /** More contexts than guardian and household (e.g. `invoice` with `values`). */
  moreContexts?: readonly TemplateContext[] | undefined
}

const LOCALE_KINDS = ['string?', 'function'] as const
const PREVIEW_KINDS: OptionKinds<PreviewGroupMessageArgs> = { siteId: 'any', filter: 'any', template: 'any', values: 'function?', contexts: 'array?', limit: 'integer?', locale: LOCALE_KINDS }
const GROUP_KINDS: OptionKinds<QueueGroupMessageArgs> = {
  siteId: 'any', id: 'any', filter: 'any', template: 'any', sender: 'object', locale: LOCALE_KINDS, contexts: 'array?', values: 'function?', listUnsubscribe: 'function?', availableAt: 'instant?',
}
const FAMILY_KINDS: OptionKinds<QueueFamilyMessageArgs> = {
  siteId: 'any', id: 'any', householdId: 'any', date: 'any', template: 'any', sender: 'object', locale: LOCALE_KINDS, values: 'function?', moreContexts: 'array?',
}
type GroupMessageMerge = {
  siteId: string
  filter: RecipientFilter
  template: MessageTemplateInput
  values?: ((guardianId: string) => Record<string, string | undefined>) | undefined
  locale?: MailLocale | ((guardianId: string) => MailLocale) | undefined
}

/**
 * Selects the recipients and merges the template, once for every use of it: the template is
 * parsed here (its `format` defaulted by `MessageTemplateSchema`), and the parsed one is what is
 * merged and what decides how the mails are written.
 */
async function mergeGroup(
  ports: { storage: StoragePorts },
  args: GroupMessageMerge,
  contexts: readonly TemplateContext[],
): Promise<{ template: MessageTemplate; merged: MergedMessage[]; selection: RecipientSelection }> {
  const template = parseInput(MessageTemplateSchema, args.template, 'args.template')
  assertTemplate(template, contexts)
  const directory = ports.storage.directory
  if (!directory) throw new EcoleError('PORT_MISSING', 'the storage has no directory port: a group message needs the directory', { details: { port: 'directory' } })
  const state = await directory.loadDirectory(args.siteId)
  const selection = selectRecipients(state, args.filter)
  const localeOf = (guardianId: string): MailLocale => (typeof args.locale === 'function' ? args.locale(guardianId) : args.locale) ?? 'fr'
  const merged = mailMerge(
    template,
    selection.recipients.map((r) => ({
      recipientId: r.guardianId,
      // every selected child of the recipient: one mail naming them all
      values: { ...directoryValues(state, r.guardianId, r.childIds, args.filter.date, localeOf(r.guardianId)), ...(args.values?.(r.guardianId) ?? {}) },
    })),
    contexts,
  )
  if (!merged.ok) throw templateError(merged.problems)
  return { template, merged: merged.messages, selection }
}

/**
 * What {@link previewGroupMessage} shows before sending: the first messages as each recipient
 * will read them, how many would be queued, and the guardians selected who have no e-mail.
 *
 * @example
 * const p: GroupMessagePreview = { count: 2, messages: [{ recipientId: 'marie', email: 'marie@example.fr', subject: 'Sortie', body: '<p>Bonjour Marie</p>', sanitized: false }], withoutEmail: ['paul'] }
 */
export interface GroupMessagePreview {
  /** How many mails sending would queue (one per guardian with an e-mail). */
  count: number
  /**
   * The first `limit` messages, merged, with the address each goes to: an HTML body as it will be
   * queued (through `sanitizeHtml`), `sanitized: true` when that took something out of what was typed.
   */
  messages: Array<MergedMessage & { email: string; sanitized: boolean }>
  /** Guardians selected who have no e-mail. */
  withoutEmail: string[]
}

/**
 * The preview of a group message (seed 001: the message is checked on the first recipients
 * before it goes): the same selection, checks and merge as {@link queueGroupMessage}, nothing
 * queued; an HTML body is shown sanitized, as it will be queued. A template the whole list cannot receive (an unknown variable, a value missing for any
 * recipient) is refused here, as sending would refuse it.
 *
 * @example
 * const p = await previewGroupMessage({ storage }, { siteId: 's1', filter: { source: 'guardians', date: '2026-10-05', householdIds: ['h1'] }, template, limit: 3 })
 * p.messages[0]?.subject //=> 'Bonjour Marie'
 * @throws EcoleError `TEMPLATE_INVALID` naming the problems; `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function previewGroupMessage(
  ports: { storage: StoragePorts },
  args: PreviewGroupMessageArgs,
): Promise<GroupMessagePreview> {
  try {
    checkMailRequest<PreviewGroupMessageArgs>('previewGroupMessage', args, PREVIEW_KINDS)
    const { template, merged, selection } = await mergeGroup(ports, args, args.contexts ?? ['guardian', 'household', 'child'])
    const emails = new Map(selection.recipients.map((r) => [r.guardianId, r.email]))
    return {
      count: merged.length,
      // an HTML body shown as the families will read it, as queueGroupMessage queues it
      messages: merged.slice(0, args.limit ?? 3).map((m) => {
        const body = template.format === 'html' ? sanitizeHtml(m.body) : m.body
        return { ...m, body, email: emails.get(m.recipientId)!, sanitized: body !== m.body }
      }),
      withoutEmail: selection.withoutEmail,
    }
  } catch (error) {
    throw asUseCaseError(error, 'previewGroupMessage', { ports: [ports, 'object', 'the host’s wiring ({ storage })'], args: [args, 'object', 'the message ({ siteId, filter, template })'] })
  }
}

/**
 * A message to every guardian of a filter (seed 001 "envoyer un message à plusieurs familles":
 * households, children of a class or a service...), each with their own values. Everything is
 * checked before anything is queued: a malformed placeholder, a variable the contexts do not
 * offer (named in the error), or a value missing for any recipient refuses the whole message.
 * The mails are written to the outbox in one transaction (all or none), as HTML (values escaped,
 * the body passed through `sanitizeHtml`: only allow-listed elements, no script, form, style or
 * event handler, links to `http`, `https` and `mailto` only) and the plain text of the same body,
 * with `List-Unsubscribe` when given. Idempotent by
 * `id`: calling again with the same id queues nothing twice.
 *
 * @example
 * await queueGroupMessage({ storage }, { siteId: 's1', id: 'sortie-zoo', filter: { source: 'children', date: '2026-10-05', classIds: ['cpa'] }, template, sender: { from: '"École" <no-reply@ecole.example>' } })
 * //=> { queued: ['sortie-zoo:marie', ...], withoutEmail: ['paul'] }
 * @throws EcoleError `TEMPLATE_INVALID` naming the problems (nothing queued), `INVALID_HEADER`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function queueGroupMessage(
  ports: { storage: StoragePorts },
  args: QueueGroupMessageArgs,
): Promise<GroupMessageResult> {
  try {
    checkMailRequest<QueueGroupMessageArgs>('queueGroupMessage', args, GROUP_KINDS)
    const contexts = args.contexts ?? (['guardian', 'household', 'child'] as const)
    const { template, merged, selection } = await mergeGroup(ports, args, contexts)
    const emails = new Map(selection.recipients.map((r) => [r.guardianId, r.email]))
    const html = template.format === 'html'
    const mails: QueuedMail[] = merged.map((m) => {
      // an HTML body goes out with only the allow-listed markup (no script, form, meta refresh, style...), its text part read from that
      const body = html ? sanitizeHtml(m.body) : m.body
      return {
        id: `${args.id}:${m.recipientId}`,
        purpose: 'groupMessage',
        recipientId: m.recipientId,
        availableAt: args.availableAt,
        mail: {
          from: args.sender.from,
          replyTo: args.sender.replyTo,
          to: [emails.get(m.recipientId)!],
          subject: m.subject,
          ...(html ? { html: body, text: htmlToText(body) } : { text: body }),
          listUnsubscribe: args.listUnsubscribe?.(m.recipientId),
        },
      }
    })
    await ports.storage.transaction(args.siteId, async (tx) => {
      if (!tx.outbox) throw new EcoleError('PORT_MISSING', 'the storage has no outbox port', { details: { port: 'outbox' } })
      await queueMails(tx.outbox, args.siteId, mails)
    })
    const queued = mails.map((m) => m.id)
    return { queued, withoutEmail: selection.withoutEmail }
  } catch (error) {
    throw asUseCaseError(error, 'queueGroupMessage', { ports: [ports, 'object', 'the host’s wiring ({ storage })'], args: [args, 'object', 'the message ({ siteId, id, filter, template, sender })'] })
  }
}

/**
 * A message to one family (seed 001 "envoyer un message à une famille"): the guardians of one
 * household, with the same checks as {@link queueGroupMessage}.
 *
 * @example
 * await queueFamilyMessage({ storage }, { siteId: 's1', id: 'msg-42', householdId: 'h1', date: '2026-10-05', template, sender })
 * @throws EcoleError `TEMPLATE_INVALID`, `INVALID_HEADER`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function queueFamilyMessage(
  ports: { storage: StoragePorts },
  args: QueueFamilyMessageArgs,
): Promise<GroupMessageResult> {
  try {
    checkMailRequest<QueueFamilyMessageArgs>('queueFamilyMessage', args, FAMILY_KINDS)
    return await queueGroupMessage(ports, {
      siteId: args.siteId, id: args.id, template: args.template, sender: args.sender, locale: args.locale, contexts: ['guardian', 'household', ...(args.moreContexts ?? [])], values: args.values,
      filter: { source: 'guardians', date: args.date, householdIds: [args.householdId] },
    })
  } catch (error) {
    throw asUseCaseError(error, 'queueFamilyMessage', { ports: [ports, 'object', 'the host’s wiring ({ storage })'], args: [args, 'object', 'the message ({ siteId, id, householdId, date, template, sender })'] })
  }
}
