import { asInputError, CurrencySchema, EcoleError, addDays, type LocalDate, type ReminderDue } from '@ecole/core'
import * as z from 'zod'
import { DocumentBaseSchema, PartySchema, drawAddressee, drawHeader, drawStamp, minorSchema, openDraft, parseRequest, printedReference, safeFileName } from '../common'
import { label, type Language } from '../language'
import type { Layout } from '../layout'
import { drawTotals } from './invoice'

/**
 * Schema of a reminder as `@ecole/core`'s `selectDueReminders` returns it (`ReminderDue`).
 *
 * @example
 * ReminderDueSchema.parse({ invoiceId: 'i1', debtorId: 'g1', number: 'F2027-000001', level: 1, templateId: 'r1', daysLate: 11, outstandingMinor: 5000n })
 */
export const ReminderDueSchema = z.object({
  invoiceId: z.string().min(1),
  debtorId: z.string().min(1),
  number: z.string().nullable(),
  level: z.number().int().min(1),
  templateId: z.string().min(1),
  daysLate: z.number().int().min(1, 'a reminder is for an invoice past its due date'),
  outstandingMinor: minorSchema.refine((v) => v > 0n, 'must be positive: nothing is due otherwise'),
})

/**
 * Schema of a reminder letter: one debtor's reminders (one row per invoice), the letter's level
 * (by default the highest of its reminders), the wording of that level (the reminder template's
 * own text; by default the project's text for levels 1, 2 and 3+), and the payment references.
 *
 * @example
 * ReminderRequestSchema.parse({ language: 'nl', printedOn: '2027-01-26', issuer, payer, currency: 'EUR', reminders })
 */
export const ReminderRequestSchema = DocumentBaseSchema.extend({
  payer: PartySchema,
  currency: CurrencySchema,
  reminders: z.array(ReminderDueSchema).min(1, 'a reminder letter needs at least one invoice'),
  wording: z.string().trim().min(1).max(3000).optional(),
  references: z.record(z.string(), z.string()).default({}),
}).refine((r) => r.reminders.every((x) => x.debtorId === r.reminders[0]!.debtorId), { message: 'must all be of one debtor', path: ['reminders'] })

/**
 * What callers pass to render a reminder letter.
 *
 * @example
 * const data: ReminderRequestInput = { language: 'fr', printedOn: '2027-02-20', issuer, payer, currency: 'EUR', reminders }
 */
export type ReminderRequestInput = z.input<typeof ReminderRequestSchema>

/**
 * A checked reminder request.
 *
 * @example
 * const prepared: PreparedReminder = prepareReminder(data)
 */
export interface PreparedReminder {
  /** The checked request. */
  request: z.output<typeof ReminderRequestSchema>
  /** The letter's level. */
  level: number
  /** Total due over the letter's invoices. */
  totalMinor: bigint
}

/**
 * The project's wording of a reminder level: polite, firmer, formal notice (3 and above).
 *
 * @example
 * defaultReminderWording('en', 1) //=> 'Unless we are mistaken, the invoices below are still unpaid. ...'
 */
export function defaultReminderWording(language: Language, level: number): string {
  try {
    return label(language, level <= 1 ? 'reminderBody1' : level === 2 ? 'reminderBody2' : 'reminderBody3')
  } catch (error) {
    throw asInputError(error, 'defaultReminderWording', { language: [language, 'string', 'a language (fr, en, it, nl)'], level: [level, 'number', 'the reminder level'] })
  }
}

/**
 * Checks a reminder request before any byte is written.
 *
 * @example
 * prepareReminder(request).level //=> 2
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export function prepareReminder(input: ReminderRequestInput): PreparedReminder {
  const request = parseRequest(ReminderRequestSchema, input, 'reminder')
  const reminders = request.reminders as ReminderDue[]
  const level = Math.max(...reminders.map((x) => x.level))
  const totalMinor = reminders.reduce((s, x) => s + x.outstandingMinor, 0n)
  for (const [id, ref] of Object.entries(request.references)) {
    if (!reminders.some((x) => x.invoiceId === id)) throw new EcoleError('INVALID_INPUT', `reminder.references.${id}: no reminder of this letter is for invoice ${id}`, { details: { field: `reminder.references.${id}` } })
    void ref
  }
  return { request, level, totalMinor }
}

/**
 * Draws a reminder letter: header, addressee, the level and its wording, one row per invoice
 * (number, due date, days past due, amount due, reference), the total due, how to pay.
 *
 * @example
 * drawReminder(prepareReminder(request))
 */
export function drawReminder(p: PreparedReminder): Layout {
  try {
    const r = p.request
    const title = `${label(r.language, 'reminderLevel', { level: p.level })} – ${r.payer.name}`
    const d = openDraft(r, { title })
    const { layout: l, f, lang } = d
    drawHeader(d, r.issuer, label(lang, 'reminderLevel', { level: p.level }), [[label(lang, 'date'), f.date(r.printedOn)]])
    drawAddressee(d, r.payer)
    l.text(r.wording ?? defaultReminderWording(lang, p.level), { size: 9.5 })
    l.gap(10)
    const t = l.table([
      { label: label(lang, 'invoice'), width: 105 },
      { label: label(lang, 'dueDate'), width: 95 },
      { label: label(lang, 'daysLate'), width: 80, align: 'right' },
      { label: label(lang, 'rf'), width: 140 },
      { label: label(lang, 'amountDue'), width: l.width - 420, align: 'right' },
    ])
    for (const x of r.reminders) {
      const ref = r.references[x.invoiceId]
      const due = addDays(r.printedOn as LocalDate, -x.daysLate)
      t.row([x.number ?? x.invoiceId, f.shortDate(due), String(x.daysLate), ref ? printedReference(ref).text : '', f.money(x.outstandingMinor, r.currency)], { id: x.invoiceId })
    }
    t.end()
    drawTotals(l, [[label(lang, 'totalDue'), f.money(p.totalMinor, r.currency), true, 'total']])
    const office = r.issuer.billingOffice
    if (office.iban) {
      l.heading(label(lang, 'payByTransfer'), 30)
      l.fields([[label(lang, 'beneficiaryAccount'), office.name], ['IBAN', office.iban.replace(/(.{4})(?=.)/g, '$1 ')], ...(office.bic ? [['BIC', office.bic] as const] : [])])
      l.gap(6)
    }
    l.text(label(lang, 'ignoreIfPaid'), { muted: true })
    l.gap(10)
    drawStamp(d, r.issuer)
    return l
  } catch (error) {
    throw asInputError(error, 'drawReminder', { p: [p, 'object', 'a prepared reminder (from prepareReminder)'] })
  }
}

/**
 * The file name of a reminder letter.
 *
 * @example
 * reminderFileName(prepared) //=> 'reminder-level2-g1-2027-02-20.pdf'
 */
export function reminderFileName(p: PreparedReminder): string {
  return safeFileName('reminder', `level${p.level}`, p.request.reminders[0]!.debtorId, p.request.printedOn)
}
