import {
  checkIssueChronology, checkOptions, CREDIT_NOTE_EXCESS_METHOD, creditNoteRequestDifferences, defineInvoiceNumbering, EcoleError, idempotencyConflict, invoiceBalance, invoiceCounterKey, invoiceSeriesKey, issueCreditNote, Money,
  systemAccountId, walletAccountId, type CreditNote, type CreditNoteInput, type Invoice, type InvoiceNumberingInput, type LocalDate, type OptionKinds, type Payment,
  type PaymentRefusal, type TransferResult,
} from '@ecole/core'
import type { StorageTransaction } from '@ecole/core/ports'
import { auditInTransaction, type AuditOption } from './audit-with-change'
import { recordPaymentIn } from './record-payment'
import { lockDebtorInvoices, need, readAll, type BillingDeps } from './support'
import { asUseCaseError } from '../use-case-error'

/** The kind of each key of {@link issueInvoiceCreditNote}'s input: any other key is refused, naming the nearest known one. */
const CREDIT_NOTE_INPUT_KINDS: OptionKinds<Parameters<typeof issueInvoiceCreditNote>[1]> = {
  siteId: 'string', invoiceId: 'string', issueDate: 'date', creditNote: 'object', numbering: 'object?',
}

/** The kind of each of {@link issueInvoiceCreditNote}'s options. */
const CREDIT_NOTE_OPTION_KINDS: OptionKinds<AuditOption<CreditNote>> = { audit: 'function?' }

/**
 * Issues a credit note against a validated invoice, numbered from the billing office's
 * credit-note counter in the same transaction (gapless), never exceeding what the invoice still bills.
 * Its numbers follow their issue dates, as invoices' do: an `issueDate` before the latest issue date
 * of the office's credit-note series is refused with `INVALID_INPUT` naming `issueDate` (`details`:
 * `latestIssueDate`, `lastNumber`, `seriesKey`), checked under the counter's lock.
 * The invoice is locked first, so concurrent credit notes of one invoice are decided one after the
 * other on what holds at commit. Idempotent on the credit note id: a replay with the same request
 * returns the stored note; with another request, `IDEMPOTENCY_CONFLICT` names the differing fields.
 * With `options.audit`, the entries built from the note (its number) are written in its
 * transaction; a replay writes none.
 *
 * Money is never lost: when the invoice was paid beyond what it bills once the note is issued
 * (100.00 paid, then 30.00 credited), the excess (30.00) is carried in the same transaction,
 * under the locks of the debtor's invoices of the billing office, exactly as `recordPayment`
 * allocates an overpayment: to the debtor's other open invoices oldest due first, then to the
 * debtor's wallet (a `topUp` transfer when the adapter has a ledger). It is stored as a payment
 * whose id is `credit-note:<note id>`, method `creditNote`, recorded against the credited invoice,
 * dated the note's issue date; the invoice's balance shows it as `overpaidMinor`. A replay of the
 * note moves nothing again.
 *
 * @example
 * await issueInvoiceCreditNote(deps, { siteId, invoiceId: 'b-2026-12:g1', issueDate: '2027-01-20',
 *   creditNote: { id: 'cn-1', reason: 'Meal not served (strike)', scope: { kind: 'amount', amount: '4.15' } } })
 * // dated before the latest credit note of its series: refused, nothing written
 * await issueInvoiceCreditNote(deps, { siteId, invoiceId: 'b-2026-12:g2', issueDate: '2027-01-19', creditNote: { id: 'cn-2', reason: 'Sortie', scope: { kind: 'whole' } } })
 * // throws INVALID_INPUT: 'issueDate: must be on or after 2027-01-20: credit note series regie/creditNote/2027 (last number AV2027-000001) has a document issued that day...'
 * @throws EcoleError `NOT_FOUND`, `INVOICE_NOT_VALIDATED`, `CREDIT_EXCEEDS_INVOICE`, `CREDIT_EXCEEDS_LINE`, `IDEMPOTENCY_CONFLICT`, `WALLET_CREDIT_FAILED` (the excess could not be credited: nothing is written), `INVALID_INPUT` naming the argument that is not what the library builds or a misspelt key of the input or the options.
 */
export async function issueInvoiceCreditNote(
  deps: BillingDeps,
  input: { siteId: string; invoiceId: string; issueDate: LocalDate; creditNote: CreditNoteInput; numbering?: InvoiceNumberingInput },
  options: AuditOption<CreditNote> = {},
): Promise<CreditNote> {
  try {
    checkOptions('issueInvoiceCreditNote', 'input', input, CREDIT_NOTE_INPUT_KINDS)
    options = checkOptions('issueInvoiceCreditNote', 'options', options, CREDIT_NOTE_OPTION_KINDS)
    const numbering = defineInvoiceNumbering(input.numbering ?? {})
    return await deps.storage.transaction(input.siteId, async (tx) => {
      const { invoicing, invoiceNumbers } = need(tx, 'invoicing', 'invoiceNumbers')
      // lock the invoice first, with the debtor's other invoices of its billing office (one call,
      // in id order, as recordPayment locks them: an excess carried to them never deadlocks with a
      // payment): concurrent credit notes and payments wait, and what is read below holds at commit
      const invoice = await lockWithDebtorInvoices(tx, input.siteId, input.invoiceId)
      if (!invoice) throw new EcoleError('NOT_FOUND', `invoice ${input.invoiceId} does not exist`, { details: { invoiceId: input.invoiceId } })
      const earlier = await invoicing.listCreditNotes(input.siteId, [invoice.id])
      const replay = earlier.find((c) => c.id === input.creditNote.id)
      if (replay) {
        const fields = creditNoteRequestDifferences(replay, { invoiceId: input.invoiceId, issueDate: input.issueDate, creditNote: input.creditNote })
        if (fields.length > 0) throw idempotencyConflict('credit note', replay.id, fields)
        return replay
      }
      const key = invoiceSeriesKey(invoiceCounterKey(numbering, invoice.billingOfficeId, 'creditNote', input.issueDate))
      // check before taking a number, then take it: a refusal never consumes one
      issueCreditNote(invoice, earlier, input.creditNote, { issueDate: input.issueDate, sequence: 1, numbering })
      // the number and the series' latest issue date, under the counter's lock: a note dated before
      // the latest note of its series is refused (rolled back), as invoices are
      const { first: sequence, latestIssueDate } = await invoiceNumbers.reserveNumbers(input.siteId, key, 1, input.issueDate)
      checkIssueChronology({ series: 'creditNote', seriesKey: key, numbering, issueDate: input.issueDate, first: sequence, latestIssueDate })
      const note = issueCreditNote(invoice, earlier, input.creditNote, { issueDate: input.issueDate, sequence, numbering })
      await invoicing.createCreditNote(input.siteId, note)
      await carryExcess(tx, deps.clock.now(), invoice, [...earlier, note], note)
      await auditInTransaction(tx, input.siteId, options.audit, note)
      return note
    })
  } catch (error) {
    throw asUseCaseError(error, 'issueInvoiceCreditNote', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the credit note to issue'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

/** The id of the payment carrying what a credit note freed on a paid invoice (see {@link issueInvoiceCreditNote}). */
const excessPaymentId = (creditNoteId: string): string => `credit-note:${creditNoteId}`


/**
 * Locks the invoice, and the debtor's validated invoices of its billing office with it, in one
 * call (id order): the locked invoice, or `undefined` when absent.
 */
async function lockWithDebtorInvoices(tx: StorageTransaction, siteId: string, invoiceId: string): Promise<Invoice | undefined> {
  const { invoicing } = need(tx, 'invoicing')
  const seen = await invoicing.getInvoice(siteId, invoiceId)
  if (!seen) return (await invoicing.lockInvoices(siteId, [invoiceId]))[0]
  return (await lockDebtorInvoices(tx, siteId, seen, [invoiceId])).find((i) => i.id === invoiceId)
}

/** The excess payments (method `creditNote`) recorded against `invoice`: what its notes carried from it. */
async function carriedFrom(tx: StorageTransaction, invoice: Invoice): Promise<Payment[]> {
  const { payments } = need(tx, 'payments')
  const moves = await readAll((p) => payments.listPayments(invoice.siteId, { payerId: invoice.debtorId, method: CREDIT_NOTE_EXCESS_METHOD, status: 'recorded' }, p))
  return moves.filter((p) => p.invoiceId === invoice.id)
}

/** What `invoice` was paid beyond what it bills net of `notes` (its recorded payments only). */
async function overpaidOf(tx: StorageTransaction, invoice: Invoice, notes: readonly CreditNote[]): Promise<bigint> {
  const { payments } = need(tx, 'payments')
  const recorded = await readAll((p) => payments.listPayments(invoice.siteId, { payerId: invoice.debtorId, invoiceId: invoice.id, status: 'recorded' }, p))
  return invoiceBalance(invoice, notes, recorded).overpaidMinor
}

/** Records the excess payment `id` carrying `minor` from `invoice`, through the path of `recordPayment`. */
async function carry(tx: StorageTransaction, now: Date, invoice: Invoice, id: string, date: LocalDate, minor: bigint): Promise<void> {
  await recordPaymentIn(tx, now, {
    id, siteId: invoice.siteId, billingOfficeId: invoice.billingOfficeId, payerId: invoice.debtorId, method: CREDIT_NOTE_EXCESS_METHOD,
    allowedMethods: [CREDIT_NOTE_EXCESS_METHOD], date, currency: invoice.currency, amount: Money.fromMinor(minor, invoice.currency).amount, invoiceId: invoice.id,
  })
}

/**
 * Carries what `invoice` was paid beyond its net total, and not carried by an earlier note, to the
 * debtor's other open invoices then wallet, through the path of `recordPayment` (a payment
 * `credit-note:<note id>` recorded against the invoice, which owes nothing any more). Nothing when
 * the adapter has no payments port (nothing can have been paid).
 */
async function carryExcess(tx: StorageTransaction, now: Date, invoice: Invoice, notes: readonly CreditNote[], note: CreditNote): Promise<void> {
  if (tx.payments === undefined) return
  const overpaid = await overpaidOf(tx, invoice, notes)
  if (overpaid === 0n) return
  const carried = (await carriedFrom(tx, invoice)).reduce((sum, p) => sum + p.amountMinor, 0n)
  if (overpaid > carried) await carry(tx, now, invoice, excessPaymentId(note.id), note.issueDate, overpaid - carried)
}

/**
 * What a returned direct debit undid of a credit note's excess: the excess payment refused, and the
 * reversal of the part it had credited to the wallet (a wallet already spent refuses it:
 * `EXCEEDS_BALANCE`, reported as for the return itself).
 *
 * @example
 * const undone: CarriedExcessRefused = { paymentId: 'credit-note:cn-1', walletReversal: null }
 */
export interface CarriedExcessRefused {
  /** The excess payment refused (`credit-note:<note id>`). */
  paymentId: string
  /** The transfer taking back its wallet credit, or `null` when it credited no wallet. */
  walletReversal: TransferResult | null
}

/**
 * @internal After `returned` (a direct debit) was refused: a credit note on one of its invoices may
 * have carried money this payment had paid (100.00 debited, 30.00 credited, 30.00 carried to
 * another invoice). That money never came: the excess payments of the invoice are refused, newest
 * first, until what they carried is no more than what the invoice is still paid beyond its net
 * total, and what is left to carry (a partial excess) is carried again under a new id. Under the
 * locks of the debtor's invoices of the billing office, as a credit note takes them.
 */
export async function releaseCarriedExcess(tx: StorageTransaction, now: Date, returned: Payment, refusal: PaymentRefusal): Promise<CarriedExcessRefused[]> {
  if (tx.payments === undefined || tx.invoicing === undefined) return []
  const { payments, invoicing } = need(tx, 'payments', 'invoicing')
  const out: CarriedExcessRefused[] = []
  for (const invoiceId of [...new Set(returned.allocations.map((a) => a.invoiceId))]) {
    if ((await invoicing.listCreditNotes(returned.siteId, [invoiceId])).length === 0) continue
    const invoice = await lockWithDebtorInvoices(tx, returned.siteId, invoiceId)
    if (!invoice) continue
    // read again under the locks: a note issued meanwhile has carried its excess, and counts
    const notes = await invoicing.listCreditNotes(returned.siteId, [invoiceId])
    const overpaid = await overpaidOf(tx, invoice, notes)
    const moves = (await carriedFrom(tx, invoice)).sort((a, b) => (a.date === b.date ? (a.id < b.id ? 1 : -1) : a.date < b.date ? 1 : -1))
    let carried = moves.reduce((sum, p) => sum + p.amountMinor, 0n)
    for (const move of moves) {
      if (carried <= overpaid) break
      await payments.refusePayment(returned.siteId, move.id, refusal)
      carried -= move.amountMinor
      let walletReversal: TransferResult | null = null
      if (move.walletCreditMinor > 0n && tx.ledger) {
        ;[walletReversal = null] = await tx.ledger.createTransfers(returned.siteId, [{
          id: `return:${move.id}`, debitAccountId: walletAccountId(move.payerId, move.billingOfficeId), creditAccountId: systemAccountId('bankClearing', move.billingOfficeId),
          amount: move.walletCreditMinor, currency: move.currency, code: 'directDebitReturn', memo: `return of ${returned.id}: ${move.id} carried money never paid`, timestamp: now,
        }], now)
      }
      out.push({ paymentId: move.id, walletReversal })
    }
    if (overpaid > carried) await carry(tx, now, invoice, `${excessPaymentId(notes[notes.length - 1]!.id)}:after:${returned.id}`, refusal.date, overpaid - carried)
  }
  return out
}
