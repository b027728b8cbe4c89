import { match } from 'ts-pattern'
import * as z from 'zod'
import { checkOptions, type OptionKinds } from '../check-options'
import { EcoleError, parseInput } from '../errors'
import { Money, type CurrencyCode } from '../money'
import { LocalDateSchema, type LocalDate } from '../time'
import type { Invoice } from './invoice'
import { checkInvoiceNumbering, type InvoiceNumbering } from './numbering'
import { asInputError } from '../input-error'

/** One line of a partial credit note: how much of one invoice line is credited. */
export interface CreditNoteLine {
  /** The invoice line credited. */
  lineId: string
  /** Amount credited, minor units (positive). */
  amountMinor: bigint
}

/**
 * A credit note (avoir): a numbered document that cancels all or part of a validated invoice.
 *
 * @example
 * const cn: CreditNote = { id: 'cn1', siteId: 's', billingOfficeId: 'regie', invoiceId: 'inv1', debtorId: 'g1',
 *   number: 'AV2027-000001', sequence: 1, issueDate: '2027-01-20', reason: 'Meal not served', currency: 'EUR', amountMinor: 415n, lines: [] }
 */
export interface CreditNote {
  /** Credit note id (client-chosen, idempotent). */
  id: string
  /** The tenant. */
  siteId: string
  /** Billing office whose credit-note series numbers it. */
  billingOfficeId: string
  /** The invoice it corrects. */
  invoiceId: string
  /** The debtor of that invoice (`payerId` before 0.1.0). */
  debtorId: string
  /** Printed number. */
  number: string
  /** Position in the credit-note series. */
  sequence: number
  /** Issue date. */
  issueDate: LocalDate
  /** Why (printed). */
  reason: string
  /** Currency. */
  currency: CurrencyCode
  /** Amount credited, minor units (positive). */
  amountMinor: bigint
  /** Per-line detail for a partial credit by line; empty for a whole or lump-sum credit. */
  lines: CreditNoteLine[]
  /**
   * The kind of scope it was issued with (`whole`, `amount` or `lines`): a replay under its id
   * with another kind is another request. Absent on notes issued before it was kept.
   */
  scopeKind?: CreditNoteInput['scope']['kind'] | undefined
}

const AMOUNT = z.string().regex(/^\d+(\.\d+)?$/, 'must be a positive decimal such as "4.15"')

/** A credit note request: the whole remaining amount, a lump sum, or amounts per line; always with a reason. */
export const CreditNoteInputSchema = z.strictObject({
  id: z.string().min(1),
  reason: z.string().trim().min(1, 'a credit note needs a reason'),
  scope: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('whole') }),
    z.strictObject({ kind: z.literal('amount'), amount: AMOUNT }),
    z.strictObject({ kind: z.literal('lines'), lines: z.array(z.strictObject({ lineId: z.string().min(1), amount: AMOUNT })).min(1) }),
  ]),
})

/** What callers pass to {@link issueCreditNote}. */
export type CreditNoteInput = z.input<typeof CreditNoteInputSchema>

/** Options of {@link issueCreditNote}. */
export interface IssueCreditNoteOptions {
  /** Issue date. */
  issueDate: LocalDate
  /** The sequence taken from the credit-note counter row in the same transaction. */
  sequence: number
  /** Numbering settings of the billing office. */
  numbering: InvoiceNumbering
}

const OPTION_KINDS: OptionKinds<IssueCreditNoteOptions> = { issueDate: 'date', sequence: 'integer', numbering: 'object' }

/**
 * What of an invoice may still be credited: its total minus earlier credit notes.
 *
 * @example
 * creditableMinor(invoice, []) === invoice.totalMinor //=> true
 */
export function creditableMinor(invoice: Invoice, earlier: readonly CreditNote[]): bigint {
  try {
    let credited = 0n
    for (const c of earlier) if (c.invoiceId === invoice.id) credited += c.amountMinor
    return invoice.totalMinor - credited
  } catch (error) {
    throw asInputError(error, 'creditableMinor', { invoice: [invoice, 'object', 'a stored invoice'], earlier: [earlier, 'array', 'the earlier credit notes'] })
  }
}

/**
 * Issues a credit note against a validated invoice: the whole remaining amount, a lump sum, or
 * amounts per line.
 *
 * Rules: only a validated invoice is credited (a draft is edited or deleted instead); a reason
 * is required; credit notes never exceed what they correct: in total never more than the
 * invoice's total, per line never more than the line's net amount (line plus its adjustments),
 * counting earlier credit notes; an amount credited (a lump sum or a line's) is more than zero,
 * and crediting the whole of an invoice with nothing left is refused. A credit note is issued on
 * or after its invoice's issue date (never numbered in an earlier year's series). The options are
 * checked key by key: a misspelt key (`seq`) is refused rather than read as absent.
 *
 * @example
 * issueCreditNote(invoice, [], { id: 'cn1', reason: 'Closed for strike', scope: { kind: 'amount', amount: '4.15' } },
 *   { issueDate: '2027-01-20', sequence: 1, numbering: defineInvoiceNumbering() }).number //=> 'AV2027-000001'
 * @throws EcoleError `INVOICE_NOT_VALIDATED`; `CREDIT_EXCEEDS_INVOICE` when it would credit more
 * than the invoice still bills, or the whole of an invoice with nothing left; `CREDIT_EXCEEDS_LINE`;
 * `INVALID_SEQUENCE` for a sequence below 1; `INVALID_INPUT` naming the field: an option that is
 * unknown, missing or not of its kind (`options.seq`, `options.sequence: '42'`,
 * `options.numbering`), an `options.issueDate` that is not a calendar day (`2027-02-31`) or is
 * before the invoice's issue date, an amount of zero (`creditNote.scope.amount`,
 * `creditNote.scope.lines.0.amount`), a line the invoice does not have.
 */
export function issueCreditNote(invoice: Invoice, earlier: readonly CreditNote[], input: CreditNoteInput, options: IssueCreditNoteOptions): CreditNote {
  try {
    const opts = checkOptions<IssueCreditNoteOptions>('issueCreditNote', 'options', options === undefined ? {} : options, OPTION_KINDS)
    const numbering = checkInvoiceNumbering('issueCreditNote', 'options.numbering', opts.numbering)
    const issueDate = parseInput(LocalDateSchema, opts.issueDate, 'options.issueDate')
    if (opts.sequence < 1) throw new EcoleError('INVALID_SEQUENCE', `options.sequence must be an integer from 1, got ${opts.sequence}`, { details: { sequence: opts.sequence } })
    const req = parseInput(CreditNoteInputSchema, input, 'creditNote')
    if (invoice.status !== 'validated') throw new EcoleError('INVOICE_NOT_VALIDATED', `invoice ${invoice.id} is a draft: edit or delete it instead of crediting it`, { details: { invoiceId: invoice.id } })
    if (invoice.issueDate !== null && issueDate < invoice.issueDate) {
      throw EcoleError.invalidInput('options.issueDate', `must be on or after the issue date of invoice ${invoice.id} (${invoice.issueDate}), got ${issueDate}`, { function: 'issueCreditNote', invoiceId: invoice.id })
    }
    const remaining = creditableMinor(invoice, earlier)
    // an amount asked for is more than zero ("0.00" credits nothing: a mistake, not an exhausted invoice)
    const toMinor = (a: string, path: string): bigint => {
      const minor = Money.of(a, invoice.currency).toMinor()
      if (minor <= 0n) throw EcoleError.invalidInput(path, `must be more than zero, got ${JSON.stringify(a)}`, { function: 'issueCreditNote' })
      return minor
    }
    const checkLine = (l: CreditNoteLine, all: readonly CreditNoteLine[]): void => {
      const line = invoice.lines.find((x) => x.id === l.lineId)
      if (!line) throw new EcoleError('INVALID_INPUT', `creditNote.scope.lines: invoice ${invoice.id} has no line ${l.lineId}`, { details: { lineId: l.lineId } })
      let net = line.amountMinor
      for (const a of invoice.adjustments) if (a.lineId === line.id) net += a.amountMinor
      for (const c of earlier) if (c.invoiceId === invoice.id) for (const cl of c.lines) if (cl.lineId === line.id) net -= cl.amountMinor
      for (const other of all) if (other !== l && other.lineId === l.lineId) net -= other.amountMinor
      if (l.amountMinor > net) throw new EcoleError('CREDIT_EXCEEDS_LINE', `crediting ${l.amountMinor} on line ${l.lineId} exceeds what it still bills (${net})`, { details: { lineId: l.lineId, creditableMinor: net } })
    }
    const { amount, lines } = match(req.scope)
      .with({ kind: 'whole' }, () => ({ amount: remaining, lines: [] as CreditNoteLine[] }))
      .with({ kind: 'amount' }, (sc) => ({ amount: toMinor(sc.amount, 'creditNote.scope.amount'), lines: [] as CreditNoteLine[] }))
      .with({ kind: 'lines' }, (sc) => {
        const ls = sc.lines.map((l, i) => ({ lineId: l.lineId, amountMinor: toMinor(l.amount, `creditNote.scope.lines.${i}.amount`) }))
        for (const l of ls) checkLine(l, ls)
        return { amount: ls.reduce((sum, l) => sum + l.amountMinor, 0n), lines: ls }
      })
      .exhaustive()
    if (amount <= 0n) throw new EcoleError('CREDIT_EXCEEDS_INVOICE', `nothing left to credit on invoice ${invoice.id}`, { details: { invoiceId: invoice.id, creditableMinor: remaining } })
    if (amount > remaining) throw new EcoleError('CREDIT_EXCEEDS_INVOICE', `crediting ${amount} exceeds what invoice ${invoice.id} still bills (${remaining})`, { details: { invoiceId: invoice.id, creditableMinor: remaining } })
    const prefix = numbering.creditNotePrefix.replaceAll('{YYYY}', issueDate.slice(0, 4))
    return {
      id: req.id, siteId: invoice.siteId, billingOfficeId: invoice.billingOfficeId, invoiceId: invoice.id, debtorId: invoice.debtorId,
      number: prefix + String(opts.sequence).padStart(numbering.digits, '0'), sequence: opts.sequence, issueDate,
      reason: req.reason, currency: invoice.currency, amountMinor: amount, lines, scopeKind: req.scope.kind,
    }
  } catch (error) {
    throw asInputError(error, 'issueCreditNote', { invoice: [invoice, 'object', 'a stored invoice'], earlier: [earlier, 'array', 'the earlier credit notes'], input: [input, 'object', 'a credit note request'], options: [options, 'object', 'the credit note options'] })
  }
}
