import { checkOptions, type OptionKinds } from '../check-options'
import { EcoleError, parseInput } from '../errors'
import { LocalDateSchema, type LocalDate } from '../time'
import type { Invoice } from './invoice'
import { checkInvoiceNumbering, type InvoiceNumbering } from './numbering'
import { asInputError } from '../input-error'

/** Options of {@link validateInvoiceDrafts}. */
export interface ValidateInvoiceDraftsOptions {
  /** Issue date (the validation day in the site's zone). */
  issueDate: LocalDate
  /** The first sequence to give: the counter row's value + 1, read in the validating transaction. */
  firstSequence: number
  /** The billing office's numbering settings. */
  numbering: InvoiceNumbering
  /** The structured payment reference of the invoice with this sequence (OGM or RF); none when absent. */
  paymentReference?: ((invoice: Invoice, sequence: number) => string) | undefined
}

const OPTION_KINDS: OptionKinds<ValidateInvoiceDraftsOptions> = { issueDate: 'date', firstSequence: 'integer', numbering: 'object', paymentReference: 'function?' }

/**
 * Turns drafts into validated invoices, numbered `firstSequence`, `firstSequence + 1`... in the
 * order given (validation order), with their issue date and payment reference.
 *
 * Rules: every item must be a distinct draft of the same billing office; the numbers of a series are
 * continuous (the caller takes `firstSequence` and advances the counter row by `drafts.length`
 * in the same transaction that stores the result); an instalment schedule must add up to the
 * total. The result is immutable from then on. The options are checked once, key by key: a
 * misspelt key (`paymentReferences`) is refused rather than read as absent. Hot path: no
 * per-item schema validation.
 *
 * @example
 * const [inv] = validateInvoiceDrafts([draft], { issueDate: '2027-01-05', firstSequence: 1, numbering: defineInvoiceNumbering() })
 * inv.number //=> 'F2027-000001'
 * @throws EcoleError `INVOICE_NOT_DRAFT`, `DUPLICATE_INVOICE`, `MIXED_BILLING_OFFICES`, `INSTALMENTS_MISMATCH`;
 * `INVALID_SEQUENCE` for a `firstSequence` below 1; `INVALID_INPUT` naming the option that is
 * unknown, missing or not of its kind (`options.paymentReferences`, `options.firstSequence` given
 * as a string, `options.numbering.digit`), an `options.issueDate` that is not a calendar day
 * (`2027-02-31`), or `options.numbering.digits` outside 1-12.
 */
export function validateInvoiceDrafts(drafts: readonly Invoice[], options: ValidateInvoiceDraftsOptions): Invoice[] {
  try {
    const checked = checkOptions<ValidateInvoiceDraftsOptions>('validateInvoiceDrafts', 'options', options === undefined ? {} : options, OPTION_KINDS)
    const numbering = checkInvoiceNumbering('validateInvoiceDrafts', 'options.numbering', checked.numbering)
    const { issueDate, firstSequence, paymentReference } = checked
    parseInput(LocalDateSchema, issueDate, 'options.issueDate')
    const out: Invoice[] = new Array(drafts.length)
    const office = drafts[0]?.billingOfficeId
    if (!Number.isSafeInteger(firstSequence) || firstSequence < 1) throw new EcoleError('INVALID_SEQUENCE', `firstSequence must be an integer from 1, got ${firstSequence}`)
    const prefix = numbering.prefix.replaceAll('{YYYY}', issueDate.slice(0, 4))
    const ids = new Set<string>()
    for (let i = 0; i < drafts.length; i++) {
      const d = drafts[i]!
      if (ids.has(d.id)) throw new EcoleError('DUPLICATE_INVOICE', `invoice ${d.id} is given twice: it would take two numbers`, { details: { invoiceId: d.id } })
      ids.add(d.id)
      if (d.status !== 'draft') throw new EcoleError('INVOICE_NOT_DRAFT', `invoice ${d.id} is already validated (${d.number})`, { details: { invoiceId: d.id } })
      if (d.billingOfficeId !== office) throw new EcoleError('MIXED_BILLING_OFFICES', `drafts of billing offices ${office} and ${d.billingOfficeId} cannot share a number series`, { details: { invoiceId: d.id } })
      if (d.instalments.length > 0) {
        let s = 0n
        for (const x of d.instalments) s += x.amountMinor
        if (s !== d.totalMinor) throw new EcoleError('INSTALMENTS_MISMATCH', `the instalments of ${d.id} add up to ${s}, not its total ${d.totalMinor}`, { details: { invoiceId: d.id } })
      }
      const sequence = firstSequence + i
      const number = prefix + String(sequence).padStart(numbering.digits, '0')
      const validated: Invoice = { ...d, status: 'validated', sequence, number, issueDate, paymentReference: null }
      validated.paymentReference = paymentReference ? paymentReference(validated, sequence) : null
      out[i] = freezeInvoice(validated)
    }
    return out
  } catch (error) {
    throw asInputError(error, 'validateInvoiceDrafts', { drafts: [drafts, 'array', 'the draft invoices'], options: [options, 'object', 'the validation options'] })
  }
}

/** A validated invoice never changes: it is frozen with everything it holds (lines, adjustments, instalments). */
function freezeInvoice<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i]
      if (typeof v === 'object' && v !== null) freezeInvoice(v)
    }
  } else {
    for (const key in value) {
      const v: unknown = value[key]
      if (typeof v === 'object' && v !== null) freezeInvoice(v)
    }
  }
  return Object.freeze(value)
}
