import {
  checkOptions, EcoleError, idempotencyConflict, isEcoleError, isLocalDate, localDateOf, openInvoicesOf, paymentRequestDifferences, recordInvoicePayment, standardLedgerAccounts, systemAccountId, walletAccountId, zonedInstant,
  type Invoice, type OptionKinds, type Payment, type PaymentInput, type TransferResult,
} from '@ecole/core'
import type { StorageTransaction } from '@ecole/core/ports'
import { auditInTransaction, type AuditOption } from './audit-with-change'
import { lockDebtorInvoices, need, readAll, refuseAfterSiteToday, type BillingDeps } from './support'
import { asUseCaseError } from '../use-case-error'

/** What {@link recordPayment} returns. */
export interface RecordPaymentResult {
  /** The payment as stored. */
  payment: Payment
  /** False when the same payment id was recorded before (nothing changed). */
  created: boolean
  /** The ledger transfer crediting the wallet with what was left, when there was a rest and a ledger. */
  walletTransfer: TransferResult | null
}

/**
 * Options of {@link recordPayment}.
 *
 * @example
 * const options: RecordPaymentOptions = { expectOutstandingMinor: 7_055n } // what the cashier's form showed
 */
export interface RecordPaymentOptions extends AuditOption<RecordPaymentResult> {
  /**
   * What the payment's invoice (`input.invoiceId`) still owed when the cashier's form was shown,
   * in minor units. Checked after the payer's invoices are locked: when the invoice owes something
   * else by then (another cashier paid it, a credit note was issued meanwhile), nothing is recorded
   * and `INVOICE_BALANCE_CHANGED` says what it owes now, so the host can tell the cashier who lost
   * the race instead of silently crediting the payment to the family's wallet.
   */
  expectOutstandingMinor?: bigint | undefined
  /**
   * Credit the whole amount to the payer's wallet and settle no invoice: a guardian who pays at
   * the desk in prepaid mode (seed 001 "créditer le compte d'un responsable qui vient vous
   * régler"). Refused with an `invoiceId` (`INVALID_INPUT`).
   */
  walletOnly?: boolean | undefined
  /**
   * The site's IANA time zone, in which the wallet credit is dated on the payment's day (now when
   * that day is today there, noon of that day otherwise: never the server's clock for another
   * day); read from the site's directory record when absent.
   */
  timeZone?: string | undefined
}

/** The kind of each option of {@link recordPayment}: any other key is refused, naming the nearest known one. */
const RECORD_PAYMENT_OPTION_KINDS: OptionKinds<RecordPaymentOptions> = {
  audit: 'function?', expectOutstandingMinor: 'bigint?', walletOnly: 'boolean?', timeZone: 'string?',
}

/**
 * When the wallet credit of a payment dated `date` happens: `now` when `date` is today in the
 * site's time zone, otherwise noon of `date` there. A desk credit entered the day after it was
 * paid is thus on its own day in the account's statement, not on the day it was typed in; the
 * server's clock and zone never decide the day.
 */
function walletCreditInstant(date: Payment['date'], now: Date, timeZone: string): Date {
  return localDateOf(now, timeZone) === date ? now : zonedInstant(date, '12:00', timeZone)
}

/**
 * The answer to a request whose payment id is stored: the stored payment (not created) when the
 * request is the same, `IDEMPOTENCY_CONFLICT` naming the fields otherwise. The request is
 * compared, never the allocations a replay would compute now: a replay that waited for the first
 * call's commit sees the invoices it paid as settled and would allocate otherwise.
 */
function replayOf(stored: Payment, input: PaymentInput): RecordPaymentResult {
  const fields = paymentRequestDifferences(stored, input)
  if (fields.length > 0) throw idempotencyConflict('payment', stored.id, fields)
  return { payment: stored, created: false, walletTransfer: null }
}

/** @internal Records a payment inside an open transaction (shared with the bank import). */
export async function recordPaymentIn(tx: StorageTransaction, now: Date, input: PaymentInput, options: RecordPaymentOptions = {}): Promise<RecordPaymentResult> {
  const { payments } = need(tx, 'payments')
  const existing = await payments.getPayment(input.siteId, input.id)
  if (existing) return replayOf(existing, input)
  let open: ReturnType<typeof openInvoicesOf> = []
  let officeInvoices: Invoice[] = []
  if (!options.walletOnly) {
    if (input.invoiceId) await checkNamedInvoice(tx, input)
    // only this billing office's invoices: a régie never settles another's (own series, own bank account)
    // lock them, then read what they owe: concurrent payments of this payer allocate one after the
    // other, on what holds at commit (an invoice validated meanwhile owes nothing to anyone yet)
    const invoices = (await lockDebtorInvoices(tx, input.siteId, { debtorId: input.payerId, billingOfficeId: input.billingOfficeId })).filter((i) => i.status === 'validated')
    officeInvoices = invoices
    // read again under the locks: the same payment sent at the same moment (a double click, a
    // client retrying) held them and has committed meanwhile; this call is its replay
    const raced = await payments.getPayment(input.siteId, input.id)
    if (raced) return replayOf(raced, input)
    const creditNotes = invoices.length === 0 ? [] : await need(tx, 'invoicing').invoicing.listCreditNotes(input.siteId, invoices.map((i) => i.id))
    const recorded = await readAll((p) => payments.listPayments(input.siteId, { payerId: input.payerId, status: 'recorded' }, p))
    open = openInvoicesOf(invoices, creditNotes, recorded)
    if (options.expectOutstandingMinor !== undefined && input.invoiceId) {
      const owed = open.find((o) => o.invoiceId === input.invoiceId)?.outstandingMinor ?? 0n
      if (owed !== options.expectOutstandingMinor) {
        throw new EcoleError('INVOICE_BALANCE_CHANGED', `invoice ${input.invoiceId} owes ${owed} (minor units) now, not the ${options.expectOutstandingMinor} the payment was entered against`, {
          details: { invoiceId: input.invoiceId, expectedMinor: options.expectOutstandingMinor, outstandingMinor: owed },
        })
      }
    }
  }
  const payment = recordInvoicePayment(input, open)
  // what is left goes to the payer's wallet at this office: never in another currency than the
  // office's or than the wallet's (a wallet opened in the wrong one refuses every later credit)
  if (payment.walletCreditMinor > 0n) await checkWalletCurrency(tx, payment, officeInvoices)
  let status: 'created' | 'exists'
  try {
    status = await payments.createPayment(input.siteId, payment)
  } catch (error) {
    // the store compares the payment it was given with the one stored meanwhile; a replay is
    // judged on its request (see replayOf)
    if (!isEcoleError(error, 'IDEMPOTENCY_CONFLICT')) throw error
    status = 'exists'
  }
  if (status === 'exists') {
    // stored by a concurrent call that locked nothing this one locked (a wallet-only payment, a
    // payer without open invoices) and committed while the store waited on its id
    const stored = await payments.getPayment(input.siteId, input.id)
    if (!stored) throw new EcoleError('STORAGE_CONSTRAINT', `payment ${input.id} is reported stored but cannot be read`, { details: { id: input.id } })
    return replayOf(stored, input)
  }
  let walletTransfer: TransferResult | null = null
  if (payment.walletCreditMinor > 0n && tx.ledger) {
    // the payer's wallet and the office's clearing accounts (opening an existing account changes nothing)
    await tx.ledger.createAccounts(input.siteId, standardLedgerAccounts({
      currency: payment.currency, billingOffices: [{ id: payment.billingOfficeId, serviceIds: [] }], guardians: [{ guardianId: payment.payerId, billingOfficeIds: [payment.billingOfficeId] }],
    }))
    const timeZone = options.timeZone ?? (tx.directory ? (await tx.directory.getSite(input.siteId))?.timeZone : undefined)
    const at = timeZone ? walletCreditInstant(payment.date, now, timeZone) : now
    const [result] = await tx.ledger.createTransfers(input.siteId, [{
      id: `payment:${payment.id}`, debitAccountId: systemAccountId(payment.method === 'cash' ? 'cash' : 'bankClearing', payment.billingOfficeId),
      creditAccountId: walletAccountId(payment.payerId, payment.billingOfficeId), amount: payment.walletCreditMinor, currency: payment.currency,
      code: 'topUp', memo: `payment ${payment.id} (${payment.method})`, links: { paymentId: payment.id }, timestamp: at,
    }], now)
    walletTransfer = result ?? null
    if (walletTransfer && walletTransfer.status !== 'created' && walletTransfer.status !== 'exists') {
      throw new EcoleError('WALLET_CREDIT_FAILED', `crediting the wallet of ${payment.payerId} failed: ${JSON.stringify(walletTransfer)}`, { details: { paymentId: payment.id } })
    }
  }
  return { payment, created: true, walletTransfer }
}

/**
 * The currency billing office `officeId` works in: its `billingOffice` record's, else the one its
 * clearing accounts were opened in, else its invoices' (`known`, else one read); `undefined` when
 * nothing says (a first payment at an office set up without a record).
 */
async function officeCurrency(tx: StorageTransaction, siteId: string, officeId: string, known: readonly Invoice[]): Promise<string | undefined> {
  const record = tx.directory ? await tx.directory.getDirectoryRecord(siteId, 'billingOffice', officeId) : undefined
  if (record) return record.currency
  if (tx.ledger) {
    for (const role of ['bankClearing', 'cash'] as const) {
      const account = await tx.ledger.getAccount(siteId, systemAccountId(role, officeId))
      if (account) return account.currency
    }
  }
  const invoice = known.find((i) => i.billingOfficeId === officeId)
    ?? (tx.invoicing ? (await tx.invoicing.listInvoices(siteId, { billingOfficeId: officeId, status: 'validated' }, { limit: 1 })).items[0] : undefined)
  return invoice?.currency
}

/**
 * Refuses, before anything is written, a payment that would credit the payer's wallet in another
 * currency than its billing office's or than the wallet already open there (`CURRENCY_MISMATCH`
 * naming `payment.currency`): the wallet would be opened in it, or the credit fail after the payment.
 */
async function checkWalletCurrency(tx: StorageTransaction, payment: Payment, known: readonly Invoice[]): Promise<void> {
  const refuse = (expected: string, whose: string) => new EcoleError('CURRENCY_MISMATCH', `payment.currency: ${payment.currency} is not the currency of ${whose} (${expected}): the payment would credit the wallet of ${payment.payerId} in it; nothing was recorded`, {
    details: { field: 'currency', paymentId: payment.id, currency: payment.currency, expectedCurrency: expected, billingOfficeId: payment.billingOfficeId, issues: [{ path: 'payment.currency', code: 'custom', message: `must be ${expected}` }] },
  })
  const office = await officeCurrency(tx, payment.siteId, payment.billingOfficeId, known)
  if (office !== undefined && office !== payment.currency) throw refuse(office, `billing office ${payment.billingOfficeId}`)
  const wallet = tx.ledger ? await tx.ledger.getAccount(payment.siteId, walletAccountId(payment.payerId, payment.billingOfficeId)) : undefined
  if (wallet && wallet.currency !== payment.currency) throw refuse(wallet.currency, `the wallet of ${payment.payerId} at billing office ${payment.billingOfficeId}`)
}

/**
 * Refuses a new payment dated after the site's today (`options.timeZone` or its directory record's
 * zone, UTC+14 when neither says): see {@link refuseAfterSiteToday}. A payment id already stored is
 * a replay, judged on its request.
 */
async function refuseFutureDate(tx: StorageTransaction, now: Date, input: PaymentInput, timeZone: string | undefined): Promise<void> {
  if (!isLocalDate(input.date)) return // the payment's schema names it
  if (tx.payments && (await tx.payments.getPayment(input.siteId, input.id))) return
  await refuseAfterSiteToday(tx, { siteId: input.siteId, now, date: input.date, field: 'payment.date', function: 'recordPayment', rule: 'a payment is recorded once it is received; nothing was recorded', timeZone })
}

/**
 * Refuses a payment naming an invoice that does not exist, that another billing office issued, or
 * that another debtor owes: the payment would settle none of it (only the payer's invoices are
 * read) and go to the payer's other invoices or wallet while the invoice stayed due.
 */
async function checkNamedInvoice(tx: StorageTransaction, input: PaymentInput): Promise<void> {
  const invoice = await need(tx, 'invoicing').invoicing.getInvoice(input.siteId, input.invoiceId!)
  const refuse = (problem: string) => new EcoleError('INVALID_INPUT', `invoiceId: ${problem}; nothing was recorded`, {
    details: { field: 'invoiceId', invoiceId: input.invoiceId, issues: [{ path: 'invoiceId', code: 'custom', message: problem }] },
  })
  if (invoice === undefined) throw refuse(`no invoice ${input.invoiceId} on site ${input.siteId}`)
  if (invoice.billingOfficeId !== input.billingOfficeId) throw refuse(`invoice ${invoice.id} was issued by billing office ${invoice.billingOfficeId}, not ${input.billingOfficeId}`)
  if (invoice.debtorId !== input.payerId) {
    const joint = invoice.jointDebtorIds.includes(input.payerId)
    throw refuse(`invoice ${invoice.id} is owed by ${invoice.debtorId}, not by ${input.payerId}${joint ? ' (a joint debtor of it)' : ''}: record the payment with payerId '${invoice.debtorId}', as the bank import does for a transfer naming the invoice`)
  }
}

/**
 * Records a payment (seed 001, "Comment ajouter un paiement"): method, product, date and an
 * amount defaulting to what remains due on the invoice; it settles that invoice first, then the
 * payer's other invoices of the same billing office oldest due first, and what is left is credited to the payer's wallet
 * (a `topUp` transfer when the adapter has a ledger). The payer's invoices are locked before
 * their balances are read, so concurrent payments never allocate more than an invoice owes: the
 * excess goes to the next open invoice, then to the wallet, and allocations plus wallet credit
 * always equal the amount. Idempotent on the payment id: a replay with the same request returns
 * the stored payment; with another request, `IDEMPOTENCY_CONFLICT` names the differing fields.
 * A payment naming an invoice that does not exist, that another billing office issued, or that
 * another debtor owes (a joint debtor paying the invoice of the debtor: record it with the
 * invoice's `debtorId` as payer) is refused with `INVALID_INPUT` naming `invoiceId`, and nothing is
 * written: it used to settle nothing of that invoice and credit the payer's wallet instead.
 * This holds for requests sent at the same moment too (a double click, a client retrying): one
 * creates the payment, the others are answered as its replays, compared on their request.
 *
 * With `options.expectOutstandingMinor` (what the cashier saw), a payment entered against an
 * invoice that owes something else by the time it is recorded is refused (`INVOICE_BALANCE_CHANGED`)
 * and nothing is written: of two cashiers paying the same invoice at once, the second is told.
 * A replay of a recorded payment id returns it unchanged, whatever the expectation. With
 * `options.walletOnly`, the whole amount goes to the payer's wallet (a prepaid top-up at the desk).
 * With `options.audit`, the entries it builds from the result are written in the payment's
 * transaction; a replay (nothing recorded) writes none.
 *
 * Refused before anything is written: a payment dated after the site's today (the clock's instant
 * in `options.timeZone` or the site's zone, UTC+14 when the site has none on record), with
 * `INVALID_INPUT` naming `payment.date` and both days (a cheque typed 2072 for 2027 would leave
 * the 2027 tax certificate without it); a payment whose rest would go to the payer's wallet in
 * another currency than the billing office's (its record, else its clearing accounts, else its
 * invoices) or than the wallet already open there, with `CURRENCY_MISMATCH` naming
 * `payment.currency` (one desk payment in USD would otherwise open the family's wallet in USD
 * and make every later EUR credit fail).
 *
 * The options are checked key by key before anything is read: a misspelt key (`walletonly`,
 * `expectedOutstandingMinor`, `timezone`) or a value of the wrong kind (`walletOnly: 'yes'`, a
 * string for the whole options) is `INVALID_INPUT` naming it (and the nearest known key), never
 * read as absent: a top-up meant for the wallet would otherwise settle invoices, and a payment
 * entered against a stale balance would skip its check.
 *
 * @example
 * const { payment } = await recordPayment(deps, { id: 'pay-1', siteId, billingOfficeId: 'regie', payerId: 'g1',
 *   method: 'cheque', product: 'cantine', date: '2027-01-10', invoiceId: 'b-2026-12:g1' })
 * // against the balance the form showed (70.55 €):
 * await recordPayment(deps, { id: 'pay-2', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', date: '2027-01-10',
 *   invoiceId: 'b-2026-12:g1', amount: '70.55' }, { expectOutstandingMinor: 7_055n })
 * // dated after the site's today: refused, nothing written
 * await recordPayment(deps, { id: 'pay-3', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2072-01-10', amount: '10.00' })
 * // throws INVALID_INPUT 'payment.date: is 2072-01-10, after today 2027-01-10 at the site (Europe/Paris): ...'
 * @throws EcoleError `INVALID_INPUT` (also an unknown option or an option of the wrong kind, a date after the site's today), `AMOUNT_REQUIRED`, `UNKNOWN_PAYMENT_METHOD`,
 *   `CURRENCY_MISMATCH`, `WALLET_CREDIT_FAILED`, `IDEMPOTENCY_CONFLICT`, `INVOICE_BALANCE_CHANGED`.
 */
export async function recordPayment(deps: BillingDeps, input: PaymentInput, options: RecordPaymentOptions = {}): Promise<RecordPaymentResult> {
  try {
    options = checkOptions<RecordPaymentOptions>('recordPayment', 'options', options, RECORD_PAYMENT_OPTION_KINDS)
    if (options.walletOnly && typeof input === 'object' && input !== null && input.invoiceId) {
      throw new EcoleError('INVALID_INPUT', 'invoiceId: a wallet-only payment settles no invoice (leave invoiceId out)', { details: { issues: [{ path: 'invoiceId', code: 'custom', message: 'a wallet-only payment settles no invoice' }] } })
    }
    return await deps.storage.transaction(input.siteId, async (tx) => {
      const now = deps.clock.now()
      await refuseFutureDate(tx, now, input, options.timeZone)
      const result = await recordPaymentIn(tx, now, input, options)
      if (result.created) await auditInTransaction(tx, input.siteId, options.audit, result)
      return result
    })
  } catch (error) {
    throw asUseCaseError(error, 'recordPayment', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the payment'], options: [options, 'object?', 'the options'] })
  }
}
