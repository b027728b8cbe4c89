import { asInputError, compareDates, CurrencySchema, EcoleError, LocalDateSchema, addDays, type LocalDate, type ReminderDue } from '@ecole/core'
import * as z from 'zod'
import { DocumentBaseSchema, PartySchema, drawAddressee, drawHeader, drawStamp, minorSchema, openDraft, parseRequest, printedReference, safeFileName } from '../common'
import { label, type Language } from '../language'
import type { Layout } from '../layout'
import { drawTotals } from './invoice'

/**
 * Schema of a reminder as `@ecole/core`'s `selectDueReminders` returns it (`ReminderDue`): the
 * invoice's due date is required, since the letter prints it as it is (it is never worked back
 * from the days late, which were counted on the day of the selection).
 *
 * @example
 * ReminderDueSchema.parse({ invoiceId: 'i1', debtorId: 'g1', number: 'F2027-000001', dueDate: '2027-01-15', level: 1, templateId: 'r1', daysLate: 11, outstandingMinor: 5000n })
 */
export const ReminderDueSchema = z.object({
  invoiceId: z.string().min(1),
  debtorId: z.string().min(1),
  number: z.string().nullable(),
  dueDate: LocalDateSchema,
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
 * Checks a reminder request before any byte is written. Each reminder's days late were counted on
 * the day of its selection (its due date plus its days late); that day cannot be after the
 * letter's date: a letter dated 20 January cannot say an invoice due on 15 January is 10 days late.
 *
 * @example
 * prepareReminder(request).level //=> 2
 * @throws EcoleError `INVALID_INPUT` naming the field (`reminder.reminders.0.dueDate` when a reminder has
 * no due date, `reminder.reminders.0.daysLate` when its lateness was counted after `printedOn`).
 */
export function prepareReminder(input: ReminderRequestInput): PreparedReminder {
  const request = parseRequest(ReminderRequestSchema, input, 'reminder')
  const reminders = request.reminders as ReminderDue[]
  const level = Math.max(...reminders.map((x) => x.level))
  const totalMinor = reminders.reduce((s, x) => s + x.outstandingMinor, 0n)
  reminders.forEach((x, i) => {
    const countedOn = addDays(x.dueDate, x.daysLate)
    if (compareDates(countedOn, request.printedOn as LocalDate) > 0) {
      throw EcoleError.invalidInput(
        `reminder.reminders.${i}.daysLate`,
        `${x.daysLate} days past the due date ${x.dueDate} is ${countedOn}, after the letter's date ${request.printedOn}: lateness is counted on or before the day the letter is printed`,
        { rule: 'dueDate + daysLate <= printedOn' },
      )
    }
  })
  for (const [id, ref] of Object.entries(request.references)) {
    if (!reminders.some((x) => x.invoiceId === id)) throw new EcoleError('INVALID_INPUT', `reminder.references.${id}: no reminder of this letter is for invoice ${id}`, { details: { field: `reminder.references.${id}` } })
    void ref
  }
  return { request, level, totalMinor }
}

/** "Days past due counted on {date}", for a letter printed after the day its reminders were selected. */
const COUNTED_ON: Readonly<Record<Language, string>> = {
  fr: 'Jours de retard comptés au {date}',
  en: 'Days past due counted on {date}',
  it: 'Giorni di ritardo contati al {date}',
  nl: 'Dagen achterstand geteld op {date}',
}

/**
 * Draws a reminder letter: header, addressee, the level and its wording, one row per invoice
 * (number, its own due date, days past due, amount due, reference), the total due, how to pay.
 * The days past due are those of the selection; when they were counted on another day than the
 * letter's date, the letter says on which day ("Jours de retard comptés au 25/01/2027").
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
      t.row([x.number ?? x.invoiceId, f.shortDate(x.dueDate), String(x.daysLate), ref ? printedReference(ref).text : '', f.money(x.outstandingMinor, r.currency)], { id: x.invoiceId })
    }
    t.end()
    // the days late are those of the selection: say on which day(s) when it is not the letter's date
    const countedOn = [...new Set(r.reminders.map((x) => addDays(x.dueDate, x.daysLate)))].filter((day) => day !== r.printedOn).sort()
    if (countedOn.length > 0) {
      const days = countedOn.map((day) => {
        if (countedOn.length === 1 && r.reminders.every((x) => addDays(x.dueDate, x.daysLate) === day)) return f.shortDate(day)
        const invoices = r.reminders.filter((x) => addDays(x.dueDate, x.daysLate) === day).map((x) => x.number ?? x.invoiceId)
        return `${f.shortDate(day)} (${invoices.join(', ')})`
      })
      l.text(COUNTED_ON[lang].replace('{date}', days.join(', ')), { muted: true })
    }
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
