import { checkOptions, type OptionKinds } from '../check-options'
import { EcoleError } from '../errors'
import { asInputError } from '../input-error'
import type { LocalDate } from '../time'
import { formatInvoiceNumber, type InvoiceNumbering, type NumberSeries } from './numbering'

/** What {@link checkIssueChronology} decides on: a series, the numbers just reserved in it and the date asked. */
export interface IssueChronologyFacts {
  /** The series: invoices or credit notes. */
  series: NumberSeries
  /** The counter's key (`regie/invoice/2027`), named in the refusal. */
  seriesKey: string
  /** The numbering the documents are printed with (to name the last number). */
  numbering: InvoiceNumbering
  /** The issue date asked for. */
  issueDate: LocalDate
  /** The first number reserved (`reserveNumbers`): the series' last number is the one before. */
  first: number
  /** The series' latest issue date, this reservation's included (`reserveNumbers`). */
  latestIssueDate: LocalDate
}

const FACT_KINDS: OptionKinds<IssueChronologyFacts> = {
  series: 'string', seriesKey: 'string', numbering: 'object', issueDate: 'date', first: 'integer', latestIssueDate: 'date',
}

/**
 * Refuses to number a document issued before the latest document of its series: French law (CGI
 * annexe II art. 242 nonies A) wants one continuous, chronological series, so numbers follow their
 * issue dates (F2027-000002 is never dated before F2027-000001). A date equal to the latest one is
 * accepted. Decides on what `InvoiceNumberCounterStore.reserveNumbers` returned under the
 * counter's lock, in the transaction that numbers the documents: a refusal rolls the numbers back.
 *
 * @example
 * checkIssueChronology({ series: 'invoice', seriesKey: 'regie/invoice/2027', numbering: defineInvoiceNumbering(),
 *   issueDate: '2027-01-10', first: 2, latestIssueDate: '2027-01-10' }) // accepted
 * checkIssueChronology({ series: 'invoice', seriesKey: 'regie/invoice/2027', numbering: defineInvoiceNumbering(),
 *   issueDate: '2027-01-03', first: 2, latestIssueDate: '2027-01-10' })
 * // throws INVALID_INPUT 'issueDate: must be on or after 2027-01-10: series regie/invoice/2027 (last number F2027-000001) has a document issued that day...'
 * @throws EcoleError `INVALID_INPUT` naming `issueDate`, with `details` `{ issueDate, latestIssueDate,
 * lastNumber, lastSequence, seriesKey, series }`; `INVALID_INPUT` naming the fact that is not of
 * its kind.
 */
export function checkIssueChronology(facts: IssueChronologyFacts): void {
  try {
    const f = checkOptions<IssueChronologyFacts>('checkIssueChronology', 'facts', facts, FACT_KINDS)
    if (f.issueDate >= f.latestIssueDate) return
    const lastSequence = f.first - 1
    const lastNumber = lastSequence >= 1 ? formatInvoiceNumber(f.numbering, f.series, f.latestIssueDate, lastSequence) : null
    const what = f.series === 'invoice' ? 'invoice' : 'credit note'
    throw EcoleError.invalidInput(
      'issueDate',
      `must be on or after ${f.latestIssueDate}: ${what} series ${f.seriesKey}${lastNumber ? ` (last number ${lastNumber})` : ''} has a document issued that day, and the numbers of a series follow their issue dates (CGI annexe II art. 242 nonies A), got ${f.issueDate}`,
      { issueDate: f.issueDate, latestIssueDate: f.latestIssueDate, lastNumber, lastSequence, seriesKey: f.seriesKey, series: f.series },
    )
  } catch (error) {
    throw asInputError(error, 'checkIssueChronology', { facts: [facts, 'object', 'the series, the numbers reserved and the issue date'] })
  }
}
