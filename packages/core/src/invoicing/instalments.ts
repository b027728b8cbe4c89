import { checkOptions, type OptionKinds } from '../check-options'
import { EcoleError, parseInput } from '../errors'
import { allocateMinor } from '../money'
import { addMonths, LocalDateSchema, type LocalDate } from '../time'
import { assertInvoiceDraft } from './draft-guard'
import type { Instalment, Invoice } from './invoice'
import type { InvoiceBalance } from './invoice-balance'
import { describeValue } from '../describe-value'
import { asInputError } from '../input-error'

const OPTION_KINDS: OptionKinds<Parameters<typeof withInstalmentSchedule>[1]> = { count: 'integer', firstDueDate: 'date', everyMonths: 'integer?' }

/**
 * Splits a draft's total into `count` instalments, `everyMonths` apart (1 by default) from
 * `firstDueDate` (largest remainder: they add up to the total exactly), and returns the draft
 * with the schedule.
 *
 * Rules: from 1 to 60 instalments, at least a month apart. The options are checked key by key: a
 * misspelt key (`everyMonth`) is refused rather than read as absent (which scheduled monthly).
 *
 * @example
 * // draft.totalMinor is 10000n
 * withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15' }).instalments.map((i) => i.amountMinor)
 * //=> [3334n, 3333n, 3333n]
 * @throws EcoleError `INVOICE_NOT_DRAFT`; `INVALID_INPUT` naming the option that is unknown,
 * missing or not of its kind (`options.everyMonth`, `options.everyMonths: '2'`, `options.count`
 * absent), a count outside 1-60, an `everyMonths` below 1, an `options.firstDueDate` that is not
 * a calendar day (`2027-02-31`).
 */
export function withInstalmentSchedule(invoice: Invoice, options: { count: number; firstDueDate: LocalDate; everyMonths?: number }): Invoice {
  try {
    const opts = checkOptions<Parameters<typeof withInstalmentSchedule>[1]>('withInstalmentSchedule', 'options', options === undefined ? {} : options, OPTION_KINDS)
    const { count, everyMonths = 1 } = opts
    if (count < 1 || count > 60) throw EcoleError.invalidInput('options.count', `must be an integer from 1 to 60, got ${count}`, { function: 'withInstalmentSchedule' })
    if (everyMonths < 1) throw EcoleError.invalidInput('options.everyMonths', `must be an integer from 1, got ${everyMonths}`, { function: 'withInstalmentSchedule' })
    const firstDueDate = parseInput(LocalDateSchema, opts.firstDueDate, 'options.firstDueDate')
    assertInvoiceDraft(invoice)
    const parts = allocateMinor(invoice.totalMinor, new Array<number>(count).fill(1))
    return { ...invoice, instalments: parts.map((amountMinor, i) => ({ dueDate: addMonths(firstDueDate, i * everyMonths), amountMinor })) }
  } catch (error) {
    throw asInputError(error, 'withInstalmentSchedule', { invoice: [invoice, 'object', 'a stored invoice'], options: [options, 'object', 'the instalment options'] })
  }
}

/**
 * The next instalment due given the invoice's balance: what was credited and what was paid
 * (`invoiceBalance(invoice, creditNotes, payments)` gives both); null when nothing is due.
 *
 * Rules: credit notes lower every instalment alike: the schedule is split again over the net
 * total (total - credited) in proportion to the instalments, same due dates (largest remainder),
 * as an adjustment does on a draft. Payments then cover the instalments in date order; the first
 * one not fully covered is due, with what remains of it. An invoice without a schedule has one
 * implicit instalment on its due date. So the instalments left always add up to what the invoice
 * still owes, and a fully credited invoice has none.
 *
 * @example
 * // invoice.totalMinor is 10000n in three instalments: 3334n, 3333n, 3333n
 * nextInstalmentDue(invoice, { paidMinor: 3334n, creditedMinor: 0n }) //=> { dueDate: '2027-02-15', amountMinor: 3333n }
 * nextInstalmentDue(invoice, { paidMinor: 0n, creditedMinor: 6000n }) //=> { dueDate: '2027-01-15', amountMinor: 1334n } (4000n over three)
 * nextInstalmentDue(invoice, invoiceBalance(invoice, creditNotes, payments)) // what a parent portal shows
 * @throws EcoleError `INVALID_INPUT` naming `balance` when it is a bare amount (the former
 * `nextInstalmentDue(invoice, paidMinor)`, which could not see credit notes) or its `paidMinor` or
 * `creditedMinor` is not a non-negative bigint.
 */
export function nextInstalmentDue(invoice: Invoice, balance: Pick<InvoiceBalance, 'paidMinor' | 'creditedMinor'>): Instalment | null {
  try {
    checkBalance('nextInstalmentDue', balance)
    const schedule = netSchedule(invoice, balance.creditedMinor)
    let left = balance.paidMinor
    for (const instalment of schedule) {
      if (left >= instalment.amountMinor) { left -= instalment.amountMinor; continue }
      return { dueDate: instalment.dueDate, amountMinor: instalment.amountMinor - left }
    }
    return null
  } catch (error) {
    throw asInputError(error, 'nextInstalmentDue', { invoice: [invoice, 'object', 'a stored invoice'], balance: [balance, 'object', "the invoice's balance ({ paidMinor, creditedMinor })"] })
  }
}

/**
 * What an invoice asks for by `date`: the instalments due on or before it, less what was paid,
 * never below zero. What a direct-debit collection on `date` debits, and the sum of what
 * {@link nextInstalmentDue} shows one instalment at a time.
 *
 * Rules: the same schedule as `nextInstalmentDue` (credit notes lower every instalment alike,
 * payments cover them in date order); an instalment due after `date` is never asked for early; an
 * instalment a payment did not cover (a returned debit) is asked for again with the next one. An
 * invoice without a schedule has one implicit instalment on its due date. Over the whole schedule
 * the amounts asked add up to what the invoice still owes.
 *
 * @example
 * // invoice.totalMinor is 30000n in three instalments of 10000n: 2027-01-15, 2027-02-15, 2027-03-15
 * amountDueBy(invoice, { paidMinor: 0n, creditedMinor: 0n }, '2027-01-15') //=> 10000n (not 30000n)
 * amountDueBy(invoice, { paidMinor: 4000n, creditedMinor: 0n }, '2027-01-15') //=> 6000n
 * amountDueBy(invoice, { paidMinor: 0n, creditedMinor: 0n }, '2027-02-15') //=> 20000n (January's debit returned)
 * @throws EcoleError `INVALID_INPUT` naming `balance.paidMinor` or `balance.creditedMinor` when it
 * is not a non-negative bigint, or `date` when it is not a calendar day.
 */
export function amountDueBy(invoice: Invoice, balance: Pick<InvoiceBalance, 'paidMinor' | 'creditedMinor'>, date: LocalDate): bigint {
  try {
    checkBalance('amountDueBy', balance)
    const on = parseInput(LocalDateSchema, date, 'date')
    const due = netSchedule(invoice, balance.creditedMinor).reduce((sum, i) => (i.dueDate <= on ? sum + i.amountMinor : sum), 0n)
    return due > balance.paidMinor ? due - balance.paidMinor : 0n
  } catch (error) {
    throw asInputError(error, 'amountDueBy', { invoice: [invoice, 'object', 'a stored invoice'], balance: [balance, 'object', "the invoice's balance ({ paidMinor, creditedMinor })"], date: [date, 'string', 'a calendar day (YYYY-MM-DD)'] })
  }
}

function checkBalance(fn: string, balance: Pick<InvoiceBalance, 'paidMinor' | 'creditedMinor'>): void {
  if (typeof balance !== 'object' || balance === null) {
    throw EcoleError.invalidInput('balance', `must be the invoice's balance { paidMinor, creditedMinor } (invoiceBalance(invoice, creditNotes, payments)), got ${describeValue(balance)}: a paid amount alone cannot see credit notes`, { function: fn })
  }
  for (const field of ['paidMinor', 'creditedMinor'] as const) {
    const v: unknown = balance[field]
    if (typeof v !== 'bigint' || v < 0n) throw EcoleError.invalidInput(`balance.${field}`, `must be a non-negative bigint of minor units, got ${describeValue(v)}`, { function: fn })
  }
}

/** The schedule (or the one implicit instalment on the due date) split again over total - credited; empty when fully credited. */
function netSchedule(invoice: Invoice, creditedMinor: bigint): Instalment[] {
  const schedule = invoice.instalments.length > 0 ? invoice.instalments : [{ dueDate: invoice.dueDate, amountMinor: invoice.totalMinor }]
  const net = invoice.totalMinor - creditedMinor
  if (net <= 0n) return []
  const weights = schedule.map((i) => i.amountMinor)
  const amounts = creditedMinor === 0n ? weights : allocateMinor(net, weights)
  return schedule.map((i, k) => ({ dueDate: i.dueDate, amountMinor: amounts[k] as bigint }))
}
