import { EcoleError } from '../errors'
import { contentDifferences, idempotencyConflict } from '../idempotency'
import { Money } from '../money'
import { CreditNoteInputSchema, type CreditNote, type CreditNoteInput } from './credit-notes'
import type { Deposit } from './deposits'
import type { Invoice } from './invoice'
import { PaymentInputSchema, type Payment, type PaymentInput } from './payment'
import { asInputError } from '../input-error'

/**
 * The storage-level rule of credit notes: a credit note corrects a stored, validated invoice, and
 * the credit notes of one invoice never add up to more than its total. A storage adapter calls it
 * inside the transaction that saves `note`, with `invoice` read under a lock on it and `earlier`
 * (that invoice's stored notes) read after that lock, so concurrent writers cannot both pass.
 *
 * @example
 * assertCreditNoteFits(invoice, earlierNotes, note) // throws CREDIT_EXCEEDS_INVOICE when it would credit too much
 * @throws EcoleError `NOT_FOUND` (no invoice), `INVOICE_NOT_VALIDATED`, `CREDIT_EXCEEDS_INVOICE`, `INVALID_INPUT`.
 */
export function assertCreditNoteFits(invoice: Invoice | null | undefined, earlier: readonly CreditNote[], note: CreditNote): void {
  try {
    if (!invoice) throw new EcoleError('NOT_FOUND', `credit note ${note.id}: invoice ${note.invoiceId} does not exist`, { details: { invoiceId: note.invoiceId, creditNoteId: note.id } })
    if (invoice.status !== 'validated') {
      throw new EcoleError('INVOICE_NOT_VALIDATED', `credit note ${note.id}: invoice ${invoice.id} is a draft (edit or delete it instead)`, { details: { invoiceId: invoice.id } })
    }
    let credited = 0n
    for (const c of earlier) if (c.invoiceId === invoice.id && c.id !== note.id) credited += c.amountMinor
    const creditable = invoice.totalMinor - credited
    if (note.amountMinor > creditable) {
      throw new EcoleError('CREDIT_EXCEEDS_INVOICE', `credit note ${note.id}: crediting ${note.amountMinor} exceeds what invoice ${invoice.id} still bills (${creditable})`, {
        details: { invoiceId: invoice.id, creditNoteId: note.id, creditableMinor: creditable },
      })
    }
  } catch (error) {
    throw asInputError(error, 'assertCreditNoteFits', { invoice: [invoice, 'any', 'the stored invoice, or null when missing'], earlier: [earlier, 'array', 'the earlier credit notes'], note: [note, 'object', 'a credit note'] })
  }
}

/**
 * The storage-level rule of payment allocations: at commit time, no invoice receives more than it
 * still owes (its total, minus its credit notes, minus the allocations of the other recorded
 * payments), and a payment's allocations plus its wallet credit equal its amount. A storage
 * adapter calls it inside the transaction that saves `payment`, with `invoices` (those the
 * payment is allocated to, as stored) read under a lock on them and `creditNotes` and
 * `payments` read after that lock: every recorded payment allocated to them, whoever its payer (a
 * payment stored before its invoice reached the store was not checked against the debtor). Allocations to invoices absent from `invoices` (not
 * held by this adapter) are not checked here.
 *
 * @example
 * assertAllocationsFit(payment, lockedInvoices, creditNotes, recordedPayments) // throws PAYMENT_EXCEEDS_INVOICE
 * @throws EcoleError `INVALID_INPUT` (allocations and wallet credit do not add up, an allocation is not positive, or goes to another payer's invoice),
 *   `INVOICE_NOT_VALIDATED`, `PAYMENT_EXCEEDS_INVOICE`.
 */
export function assertAllocationsFit(payment: Payment, invoices: readonly Invoice[], creditNotes: readonly CreditNote[], payments: readonly Payment[]): void {
  try {
    let allocated = 0n
    const wanted = new Map<string, bigint>()
    for (const a of payment.allocations) {
      if (a.amountMinor <= 0n) throw new EcoleError('INVALID_INPUT', `payment ${payment.id}: allocations.amountMinor must be above zero (invoice ${a.invoiceId})`, { details: { paymentId: payment.id, invoiceId: a.invoiceId } })
      allocated += a.amountMinor
      wanted.set(a.invoiceId, (wanted.get(a.invoiceId) ?? 0n) + a.amountMinor)
    }
    if (payment.walletCreditMinor < 0n || allocated + payment.walletCreditMinor !== payment.amountMinor) {
      throw new EcoleError('INVALID_INPUT', `payment ${payment.id}: allocations (${allocated}) plus wallet credit (${payment.walletCreditMinor}) must equal the amount (${payment.amountMinor})`, {
        details: { paymentId: payment.id, allocatedMinor: allocated, walletCreditMinor: payment.walletCreditMinor, amountMinor: payment.amountMinor },
      })
    }
    if (payment.status !== 'recorded') return
    for (const invoice of invoices) {
      const take = wanted.get(invoice.id)
      if (take === undefined) continue
      if (invoice.status !== 'validated') {
        throw new EcoleError('INVOICE_NOT_VALIDATED', `payment ${payment.id}: invoice ${invoice.id} is a draft and cannot be paid`, { details: { paymentId: payment.id, invoiceId: invoice.id } })
      }
      if (invoice.debtorId !== payment.payerId) {
        throw new EcoleError('INVALID_INPUT', `payment ${payment.id}: allocations: invoice ${invoice.id} is billed to ${invoice.debtorId}, not to the payer ${payment.payerId}`, {
          details: { paymentId: payment.id, invoiceId: invoice.id, field: 'allocations' },
        })
      }
      let owed = invoice.totalMinor
      for (const c of creditNotes) if (c.invoiceId === invoice.id) owed -= c.amountMinor
      for (const p of payments) {
        if (p.id === payment.id || p.status !== 'recorded') continue
        for (const a of p.allocations) if (a.invoiceId === invoice.id) owed -= a.amountMinor
      }
      if (owed < 0n) owed = 0n
      if (take > owed) {
        throw new EcoleError('PAYMENT_EXCEEDS_INVOICE', `payment ${payment.id}: allocating ${take} to invoice ${invoice.id} exceeds what it still owes (${owed})`, {
          details: { paymentId: payment.id, invoiceId: invoice.id, allocatedMinor: take, outstandingMinor: owed },
        })
      }
    }
  } catch (error) {
    throw asInputError(error, 'assertAllocationsFit', { payment: [payment, 'object', 'a payment'], invoices: [invoices, 'array', 'the stored invoices'], creditNotes: [creditNotes, 'array', 'the stored credit notes'], payments: [payments, 'array', 'the stored payments'] })
  }
}

/** What a replayed payment is compared on: the content its caller chose (not the state it gained since). */
export const PAYMENT_STATE_FIELDS = ['depositId', 'status', 'refusal'] as const

/**
 * Answers a stored payment replayed: `exists` when `incoming` has its content (its deposit,
 * status and refusal, gained since, aside); otherwise `IDEMPOTENCY_CONFLICT` naming the fields.
 *
 * @example
 * paymentReplay(stored, { ...stored, depositId: null }) //=> 'exists'
 * @throws EcoleError `IDEMPOTENCY_CONFLICT` (details `{ kind, id, fields }`); `INVALID_INPUT`.
 */
export function paymentReplay(stored: Payment, incoming: Payment): 'exists' {
  try {
    const fields = contentDifferences(stored, incoming, { ignore: PAYMENT_STATE_FIELDS })
    if (fields.length > 0) throw idempotencyConflict('payment', stored.id, fields)
    return 'exists'
  } catch (error) {
    throw asInputError(error, 'paymentReplay', { stored: [stored, 'object', 'a stored payment'], incoming: [incoming, 'object', 'a payment'] })
  }
}

/**
 * Answers a stored deposit replayed: `exists` when `incoming` has its content (whether it was
 * locked since aside); otherwise `IDEMPOTENCY_CONFLICT` naming the fields.
 *
 * @example
 * depositReplay(stored, { ...stored, locked: false }) //=> 'exists'
 * @throws EcoleError `IDEMPOTENCY_CONFLICT` (details `{ kind, id, fields }`); `INVALID_INPUT`.
 */
export function depositReplay(stored: Deposit, incoming: Deposit): 'exists' {
  try {
    const fields = contentDifferences(stored, incoming, { ignore: ['locked'] })
    if (fields.length > 0) throw idempotencyConflict('deposit', stored.id, fields)
    return 'exists'
  } catch (error) {
    throw asInputError(error, 'depositReplay', { stored: [stored, 'object', 'a stored deposit'], incoming: [incoming, 'object', 'a deposit'] })
  }
}

/**
 * The fields in which a payment request differs from the payment stored under its id: what a
 * replayed `recordPayment` compares. The amount is compared only when the request gives one (a
 * request without one took what was due then); allocations are derived, not requested.
 *
 * @example
 * paymentRequestDifferences(stored, { ...request, amount: '50.00' }) //=> ['amount']
 * @throws EcoleError `INVALID_INPUT` for a request that does not match {@link PaymentInputSchema}.
 */
export function paymentRequestDifferences(stored: Payment, input: PaymentInput): string[] {
  const parsed = PaymentInputSchema.safeParse(input)
  if (!parsed.success) throw EcoleError.fromZod('INVALID_INPUT', parsed.error, 'payment')
  const p = parsed.data
  const requested = {
    siteId: p.siteId, billingOfficeId: p.billingOfficeId, payerId: p.payerId, method: p.method, product: p.product, date: p.date, currency: p.currency,
    invoiceId: p.invoiceId, mandateId: p.mandateId, endToEndId: p.endToEndId, bankEntryReference: p.bankEntryReference,
    ...(p.amount === undefined ? {} : { amount: Money.of(p.amount, p.currency).toMinor() }),
  }
  const kept = {
    siteId: stored.siteId, billingOfficeId: stored.billingOfficeId, payerId: stored.payerId, method: stored.method, product: stored.product, date: stored.date,
    currency: stored.currency, invoiceId: stored.invoiceId, mandateId: stored.mandateId, endToEndId: stored.endToEndId, bankEntryReference: stored.bankEntryReference,
    ...(p.amount === undefined ? {} : { amount: stored.amountMinor }),
  }
  return contentDifferences(kept, requested)
}

/**
 * The fields in which a credit note request differs from the note stored under its id: what a
 * replayed `issueInvoiceCreditNote` compares: invoice, issue date, reason, the scope's kind
 * (`scopeKind`: a `whole` note replayed as an `amount` one, or the other way round, is another
 * request even when the amounts agree), and the amount or lines asked. A `whole` request took what
 * remained then, so its amount is not compared. A note stored without its scope kind (issued
 * before it was kept) is compared on what it shows: lines mean a `lines` request; without lines,
 * a `whole` and an `amount` request cannot be told apart and only the amount asked is compared.
 *
 * @example
 * creditNoteRequestDifferences(stored, { invoiceId: stored.invoiceId, issueDate: stored.issueDate,
 *   creditNote: { id: stored.id, reason: stored.reason, scope: { kind: 'amount', amount: '1.00' } } }) //=> ['amountMinor']
 * // stored from { kind: 'amount', amount: '5.00' }, replayed with { kind: 'whole' }:
 * creditNoteRequestDifferences(stored, { ...request, creditNote: { ...request.creditNote, scope: { kind: 'whole' } } }) //=> ['scopeKind']
 * @throws EcoleError `INVALID_INPUT` for a request that does not match {@link CreditNoteInputSchema}.
 */
export function creditNoteRequestDifferences(stored: CreditNote, request: { invoiceId: string; issueDate: string; creditNote: CreditNoteInput }): string[] {
  try {
    const parsed = CreditNoteInputSchema.safeParse(request.creditNote)
    if (!parsed.success) throw EcoleError.fromZod('INVALID_INPUT', parsed.error, 'creditNote')
    const req = parsed.data
    const toMinor = (amount: string): bigint => Money.of(amount, stored.currency).toMinor()
    const scope =
      req.scope.kind === 'whole'
        ? { lines: [] as Array<{ lineId: string; amountMinor: bigint }> }
        : req.scope.kind === 'amount'
          ? { amountMinor: toMinor(req.scope.amount), lines: [] as Array<{ lineId: string; amountMinor: bigint }> }
          : { lines: req.scope.lines.map((l) => ({ lineId: l.lineId, amountMinor: toMinor(l.amount) })) }
    // the kind the note was issued with: stored since it is kept, else what its lines show
    const storedKind = stored.scopeKind ?? (stored.lines.length > 0 ? 'lines' : undefined)
    const requested = {
      invoiceId: request.invoiceId, issueDate: request.issueDate, reason: req.reason, ...scope,
      ...(storedKind === undefined ? {} : { scopeKind: req.scope.kind }),
    }
    const kept = {
      invoiceId: stored.invoiceId, issueDate: stored.issueDate, reason: stored.reason, lines: stored.lines,
      ...('amountMinor' in scope ? { amountMinor: stored.amountMinor } : {}),
      ...(storedKind === undefined ? {} : { scopeKind: storedKind }),
    }
    return contentDifferences(kept, requested)
  } catch (error) {
    throw asInputError(error, 'creditNoteRequestDifferences', { stored: [stored, 'object', 'a stored credit note'], request: [request, 'object', 'the credit note request'] })
  }
}
