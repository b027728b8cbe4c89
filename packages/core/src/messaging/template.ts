import { expectString } from '../describe-value'
import * as z from 'zod'
import { parseInput } from '../errors'
import { expectArray } from '../describe-value'
import { HEADER_LINE_BREAKS, headerText } from './header-text'
import { requiredString } from '../directory/fields'

/** What a message is about; each brings its variables. */
export type TemplateContext = 'guardian' | 'household' | 'child' | 'wallet' | 'invoice'

/**
 * The variables a template may use, by context (seed 001: "les variables situées à droite de la
 * fenêtre"), written `{{context.name}}` in a template.
 *
 * The `child` variables are about the children the message is about for its recipient (the
 * selected children of a group message): with several, each names them all in the reader's
 * language (`child.firstName` "Léa et Noé", `child.fullName` "Léa Dupont et Noé Dupont"), and
 * `child.lastName`, `child.birthDate`, `child.className` are said once when the children share
 * them. `child.birthDate` is written in words ("14 mars 2020"), as every date of a mail.
 *
 * @example
 * TEMPLATE_VARIABLES.child //=> ['child.firstName', 'child.lastName', 'child.fullName', 'child.birthDate', 'child.className']
 */
export const TEMPLATE_VARIABLES: Readonly<Record<TemplateContext, readonly string[]>> = Object.freeze({
  guardian: ['guardian.firstName', 'guardian.lastName', 'guardian.fullName', 'guardian.email'],
  household: ['household.name', 'household.address'],
  child: ['child.firstName', 'child.lastName', 'child.fullName', 'child.birthDate', 'child.className'],
  wallet: ['wallet.balance', 'wallet.paymentReference', 'wallet.iban'],
  invoice: ['invoice.number', 'invoice.total', 'invoice.amountDue', 'invoice.dueDate', 'invoice.paymentReference', 'invoice.iban'],
})

/**
 * Schema of a message template: a subject and a body with `{{variable}}` placeholders; the body
 * is HTML (values are escaped) or plain text.
 *
 * @example
 * MessageTemplateSchema.parse({ subject: 'Facture {{invoice.number}}', body: '<p>Bonjour {{guardian.firstName}},</p>' })
 */
export const MessageTemplateSchema = z.strictObject({
  /** Subject line (plain text, one line: a line break is refused here, and in merged values). */
  subject: headerText(300),
  /** Body. */
  body: z.string().min(1, 'is required').max(100_000),
  /** `html` (default: values HTML-escaped) or `text`. */
  format: z.enum(['html', 'text']).default('html'),
})
/** A message template as its form sends it. */
export type MessageTemplateInput = z.input<typeof MessageTemplateSchema>
/** A message template. */
export type MessageTemplate = z.output<typeof MessageTemplateSchema>

/** A piece of a parsed template: literal text or a variable. */
export type TemplatePart = { kind: 'text'; text: string } | { kind: 'variable'; name: string }

/** A problem found before sending. */
export type TemplateProblem =
  | { code: 'MALFORMED_PLACEHOLDER'; field: 'subject' | 'body'; at: number }
  | { code: 'UNKNOWN_VARIABLE'; field: 'subject' | 'body'; variable: string }
  | { code: 'MISSING_VALUE'; variable: string; recipientId: string }
  | { code: 'LINE_BREAK_IN_HEADER'; variable: string; recipientId: string }

const NAME = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/

/**
 * Splits a template text into literal parts and `{{ variable }}` placeholders (spaces inside the
 * braces allowed). A `{{` without a matching `}}`, or braces around something that is not a
 * variable name, is reported with its position.
 *
 * @example
 * parseTemplate('Bonjour {{ guardian.firstName }} !') //=> { parts: [{ kind: 'text', text: 'Bonjour ' }, { kind: 'variable', name: 'guardian.firstName' }, { kind: 'text', text: ' !' }], malformedAt: [] }
 */
export function parseTemplate(text: string): { parts: TemplatePart[]; malformedAt: number[] } {
  expectString(text, 'template text')
  const parts: TemplatePart[] = []
  const malformedAt: number[] = []
  let i = 0
  let literal = ''
  while (i < text.length) {
    const open = text.indexOf('{{', i)
    if (open < 0) {
      literal += text.slice(i)
      break
    }
    literal += text.slice(i, open)
    const close = text.indexOf('}}', open + 2)
    const name = close < 0 ? '' : text.slice(open + 2, close).trim()
    if (close < 0 || !NAME.test(name)) {
      malformedAt.push(open)
      literal += '{{'
      i = open + 2
      continue
    }
    if (literal) parts.push({ kind: 'text', text: literal })
    literal = ''
    parts.push({ kind: 'variable', name })
    i = close + 2
  }
  if (literal) parts.push({ kind: 'text', text: literal })
  return { parts, malformedAt }
}

/**
 * Escapes text for HTML: `&`, `<`, `>`, `"` and `'` become entities.
 *
 * @example
 * escapeHtml(`<b>O'Brien & fils</b>`) //=> '&lt;b&gt;O&#39;Brien &amp; fils&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  expectString(text, 'text')
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'))
}

/**
 * The problems of a template for the given contexts: malformed placeholders, and variables not
 * offered by those contexts. Empty when the template can be merged.
 *
 * @example
 * checkTemplate({ subject: 'Hello', body: '{{guardian.firstName}} {{invoice.number}}', format: 'html' }, ['guardian'])
 * //=> [{ code: 'UNKNOWN_VARIABLE', field: 'body', variable: 'invoice.number' }]
 */
export function checkTemplate(template: MessageTemplateInput, contexts: readonly TemplateContext[]): TemplateProblem[] {
  return templateProblems(parseInput(MessageTemplateSchema, template, 'template'), contexts)
}

function templateProblems(template: MessageTemplate, contexts: readonly TemplateContext[]): TemplateProblem[] {
  expectArray(contexts, 'contexts')
  const known = new Set(contexts.flatMap((c) => TEMPLATE_VARIABLES[c]))
  const problems: TemplateProblem[] = []
  for (const field of ['subject', 'body'] as const) {
    const { parts, malformedAt } = parseTemplate(template[field])
    for (const at of malformedAt) problems.push({ code: 'MALFORMED_PLACEHOLDER', field, at })
    const seen = new Set<string>()
    for (const p of parts) {
      if (p.kind === 'variable' && !known.has(p.name) && !seen.has(p.name)) {
        seen.add(p.name)
        problems.push({ code: 'UNKNOWN_VARIABLE', field, variable: p.name })
      }
    }
  }
  return problems
}

/** One recipient of a mail merge and the values of their variables. */
export interface MergeRecipient {
  /** Who (a guardian id, usually). */
  recipientId: string
  /** Values by variable name (`guardian.firstName`...); `null`, `undefined` or absent = missing. */
  values: Readonly<Record<string, string | null | undefined>>
}

const MergeRecipientSchema = z.strictObject({ recipientId: z.string(), values: z.record(z.string(), z.string().nullish()) })

/** A merged message, ready to send. */
export interface MergedMessage {
  /** The recipient. */
  recipientId: string
  /** Subject with values (one line: a value with a line break is refused). */
  subject: string
  /** Body with values (HTML-escaped in an HTML template). */
  body: string
}

/** What {@link mailMerge} returns: every message, or every problem (nothing is merged then). */
export type MailMergeResult = { ok: true; messages: MergedMessage[] } | { ok: false; problems: TemplateProblem[] }

function render(parts: readonly TemplatePart[], values: MergeRecipient['values'], escape: (s: string) => string): string {
  let out = ''
  for (const p of parts) out += p.kind === 'text' ? p.text : escape(values[p.name] as string)
  return out
}

/**
 * Merges a template with each recipient's values (seed 001 group messages). Everything is checked
 * first: a malformed placeholder, a variable the contexts do not offer, or a value missing for any
 * recipient returns every problem and no message, so nothing is sent half-way. In an HTML body
 * every value is HTML-escaped. A value merged into the subject that holds a line break (CR, LF,
 * U+0085, U+2028, U+2029) is refused (`LINE_BREAK_IN_HEADER`): it would let a value start a mail header.
 *
 * @example
 * mailMerge({ subject: 'Bonjour', body: '<p>{{guardian.firstName}}</p>', format: 'html' }, [{ recipientId: 'g1', values: { 'guardian.firstName': '<Zoé>' } }], ['guardian'])
 * //=> { ok: true, messages: [{ recipientId: 'g1', subject: 'Bonjour', body: '<p>&lt;Zoé&gt;</p>' }] }
 */
export function mailMerge(template: MessageTemplateInput, recipients: readonly MergeRecipient[], contexts: readonly TemplateContext[]): MailMergeResult {
  const parsed = parseInput(MessageTemplateSchema, template, 'template')
  expectArray(recipients, 'recipients')
  const problems = templateProblems(parsed, contexts)
  if (problems.length > 0) return { ok: false, problems }
  const subject = parseTemplate(parsed.subject).parts
  const body = parseTemplate(parsed.body).parts
  const used = [...new Set([...subject, ...body].flatMap((p) => (p.kind === 'variable' ? [p.name] : [])))]
  const inSubject = new Set(subject.flatMap((p) => (p.kind === 'variable' ? [p.name] : [])))
  for (const r of recipients) {
    if (typeof r !== 'object' || r === null || typeof r.values !== 'object' || r.values === null) {
      parseInput(MergeRecipientSchema, r, 'recipient')
      continue
    }
    for (const v of used) {
      const value = r.values[v]
      if (value == null) problems.push({ code: 'MISSING_VALUE', variable: v, recipientId: r.recipientId })
      else if (typeof value !== 'string') parseInput(MergeRecipientSchema, r, 'recipient')
      else if (inSubject.has(v) && HEADER_LINE_BREAKS.test(value)) problems.push({ code: 'LINE_BREAK_IN_HEADER', variable: v, recipientId: r.recipientId })
    }
  }
  if (problems.length > 0) return { ok: false, problems }
  const bodyEscape = parsed.format === 'html' ? escapeHtml : (s: string) => s
  const subjectEscape = (s: string) => s
  return {
    ok: true,
    messages: recipients.map((r) => ({ recipientId: r.recipientId, subject: render(subject, r.values, subjectEscape), body: render(body, r.values, bodyEscape) })),
  }
}
