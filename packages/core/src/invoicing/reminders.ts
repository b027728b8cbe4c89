import * as z from 'zod'
import { describeValue } from '../describe-value'
import { EcoleError, parseInput } from '../errors'
import { daysBetween, isLocalDate, type LocalDate } from '../time'
import type { InvoiceStatus } from './invoice'

/** Reminder levels: each starts N days (at least 1) after the due date and has its own letter template. */
export const ReminderPolicySchema = z.strictObject({
  levels: z
    .array(z.strictObject({ level: z.number().int().min(1), daysAfterDue: z.number().int().min(1, 'a reminder is for an invoice past its due date: at least 1 day after it'), templateId: z.string().min(1) }))
    .min(1)
    .refine((ls) => ls.every((l, i) => i === 0 || (l.level > ls[i - 1]!.level && l.daysAfterDue > ls[i - 1]!.daysAfterDue)), {
      message: 'levels must rise, each later than the one before',
    }),
})

/** What callers pass as a reminder policy. */
export type ReminderPolicyInput = z.input<typeof ReminderPolicySchema>
/** A checked reminder policy. */
export type ReminderPolicy = z.output<typeof ReminderPolicySchema>

/** An invoice with money due, as reminders see it. */
export interface ReminderCandidate {
  /** The invoice. */
  invoiceId: string
  /** Its debtor (`payerId` before 0.1.0). */
  debtorId: string
  /** Its number. */
  number: string | null
  /** Its due date (lateness counts from here, never from the last service date). */
  dueDate: LocalDate
  /** What remains due, minor units. */
  outstandingMinor: bigint
  /** Highest reminder level already sent for it (0 for none). */
  lastLevelSent: number
}

/** A reminder to send. */
export interface ReminderDue {
  /** The invoice. */
  invoiceId: string
  /** Its debtor (`payerId` before 0.1.0). */
  debtorId: string
  /** Its number. */
  number: string | null
  /** Its due date, as selected: what a reminder letter prints (never worked back from the days late). */
  dueDate: LocalDate
  /** Level to send. */
  level: number
  /** Letter template of that level. */
  templateId: string
  /** Days past the due date on the day of the selection (`today`): `dueDate` plus `daysLate` days is that day. */
  daysLate: number
  /** What remains due, minor units. */
  outstandingMinor: bigint
}

/**
 * The reminders due on `today`: for each invoice with money due, the highest level whose delay
 * after the due date has passed, if higher than the level already sent. Each reminder carries the
 * invoice's due date and the days late counted on `today`, so a letter printed on another day
 * still prints the true due date.
 *
 * @example
 * selectDueReminders([{ invoiceId: 'i1', debtorId: 'g1', number: 'F1', dueDate: '2027-01-15', outstandingMinor: 500n, lastLevelSent: 0 }],
 *   { levels: [{ level: 1, daysAfterDue: 10, templateId: 'r1' }] }, '2027-01-25')[0] //=> { ..., dueDate: '2027-01-15', level: 1, daysLate: 10, ... }
 * @throws EcoleError `INVALID_INPUT` for a policy whose levels do not rise; naming `today` when it is
 * not a day (YYYY-MM-DD), or the field of a candidate (`candidates.0.dueDate`) that is not what it should be.
 */
export function selectDueReminders(candidates: readonly ReminderCandidate[], policyInput: ReminderPolicyInput, today: LocalDate): ReminderDue[] {
  const policy = parseInput(ReminderPolicySchema, policyInput, 'reminderPolicy')
  if (!isLocalDate(today)) throw EcoleError.invalidInput('today', `must be a day (YYYY-MM-DD), got ${describeValue(today)}`)
  if (!Array.isArray(candidates)) throw EcoleError.invalidInput('candidates', `must be an array, got ${describeValue(candidates)}`)
  const out: ReminderDue[] = []
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i] as ReminderCandidate
    if (typeof c !== 'object' || c === null) throw EcoleError.invalidInput(`candidates.${i}`, `must be an object, got ${describeValue(c)}`)
    if (typeof c.outstandingMinor !== 'bigint') throw EcoleError.invalidInput(`candidates.${i}.outstandingMinor`, `must be a bigint of minor units, got ${describeValue(c.outstandingMinor)}`)
    if (!isLocalDate(c.dueDate)) throw EcoleError.invalidInput(`candidates.${i}.dueDate`, `must be a day (YYYY-MM-DD), got ${describeValue(c.dueDate)}`)
    if (c.outstandingMinor <= 0n) continue
    const late = daysBetween(c.dueDate, today)
    let reached: (typeof policy.levels)[number] | undefined
    for (const l of policy.levels) if (late >= l.daysAfterDue) reached = l
    if (reached && reached.level > c.lastLevelSent) {
      out.push({ invoiceId: c.invoiceId, debtorId: c.debtorId, number: c.number, dueDate: c.dueDate, level: reached.level, templateId: reached.templateId, daysLate: late, outstandingMinor: c.outstandingMinor })
    }
  }
  return out
}

/**
 * Whether reminders consider an invoice on `today` (seed 001, « État facture : à relancer »): it is
 * validated, its due date is before `today` (the site's today, passed by the caller) and it still
 * owes something. The one rule behind `selectReminders` of `@ecole/workflows` and the invoice
 * filter `{ balance: 'toRemind', today }` of the storage ports; which level is due then is
 * {@link selectDueReminders}' business.
 *
 * @example
 * isReminderCandidate({ status: 'validated', dueDate: '2027-01-15' }, 500n, '2027-01-16') //=> true
 * isReminderCandidate({ status: 'validated', dueDate: '2027-01-15' }, 500n, '2027-01-15') //=> false (due that day, not before)
 * isReminderCandidate({ status: 'validated', dueDate: '2027-01-15' }, 0n, '2027-02-01') //=> false (settled)
 * @throws EcoleError `INVALID_INPUT` naming `invoice`, `outstandingMinor` or `today` when it is not one.
 */
export function isReminderCandidate(invoice: { status: InvoiceStatus; dueDate: LocalDate }, outstandingMinor: bigint, today: LocalDate): boolean {
  if (typeof invoice !== 'object' || invoice === null || !isLocalDate(invoice.dueDate)) throw EcoleError.invalidInput('invoice', `must be an invoice with its status and due date (YYYY-MM-DD), got ${describeValue(invoice)}`)
  if (typeof outstandingMinor !== 'bigint') throw EcoleError.invalidInput('outstandingMinor', `must be a bigint of minor units, got ${describeValue(outstandingMinor)}`)
  if (!isLocalDate(today)) throw EcoleError.invalidInput('today', `must be a day (YYYY-MM-DD), got ${describeValue(today)}`)
  return invoice.status === 'validated' && invoice.dueDate < today && outstandingMinor > 0n
}
