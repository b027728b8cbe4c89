import { buildPain008 } from '@ecole/bank'
import {
  asInputError, applyDirectDebitReturn, EcoleError, isEcoleError, type CollectionFile, Money, recordInvoicePayment, selectDirectDebits, setSepaMandateSuspended, systemAccountId,
  walletAccountId, type DirectDebitExclusion, type DirectDebitInstruction, type DirectDebitReturnOutcome, type LocalDate, type Payment,
  type TransferResult,
} from '@ecole/core'
import type { StorageTransaction } from '@ecole/core/ports'
import { lockRecords } from '../directory/record-versions'
import { auditInTransaction, type AuditOption } from './audit-with-change'
import { loadAccounts, mandatesOf, need, readAll, type BillingDeps } from './support'
import { asUseCaseError } from '../use-case-error'


/** What {@link collectDirectDebits} returns. */
export interface CollectDirectDebitsResult {
  /** One instruction per collected invoice (write them with `buildPain008` of `@ecole/bank`, see {@link directDebitBatchOf}). */
  instructions: DirectDebitInstruction[]
  /** Invoices left out, with the reason. */
  excluded: DirectDebitExclusion[]
  /** The direct-debit payments recorded (one per instruction; a return marks one REFUSED). */
  payments: Payment[]
  /** The pain.008 file stored with the collection, when `input.file` asked for one and there was something to collect. */
  file?: CollectionFile | undefined
}

/**
 * The collection file {@link collectDirectDebits} writes and stores with the collection: its
 * message id (at most 35 characters, unique per site), the billing office and its creditor.
 *
 * @example
 * const file: CollectionFileRequest = { messageId: 'DD-20270105-0900', billingOfficeId: 'regie',
 *   creditor: { name: 'Mairie de Créteil', iban: 'FR7630006000011234567890189', creditorId: 'FR72ZZZ123456', address: { town: 'Créteil', country: 'FR' } } }
 */
export interface CollectionFileRequest {
  /** The file's message id (`GrpHdr/MsgId`, at most 35 characters), the stored record's id. */
  messageId: string
  /** The billing office whose creditor account collects. */
  billingOfficeId: string
  /** The creditor (the billing office's account and SEPA creditor id). */
  creditor: { name: string; iban: string; bic?: string; creditorId: string; address: { town: string; country: string; street?: string; postCode?: string } }
}

/**
 * Prepares a direct-debit collection: the validated invoices with money due (of one batch, or
 * every invoice whose direct-debit date is on or before the collection date) whose debtor has a
 * usable mandate become debit instructions, and a `directDebit` payment is recorded for each
 * (idempotent: `dd:<endToEndId>`). Mandate sequences advance only when the collection is
 * settled (see {@link importBankStatement}). The invoices are locked before their balances are
 * read: a payment recorded at the same moment, or the same collection run twice at once, never
 * makes the site debit more than an invoice still owes.
 *
 * With `file`, the pain.008 of the instructions is written (`buildPain008` of `@ecole/bank`) and
 * stored as the directory's `collectionFile` record in the same transaction: the file survives a
 * restart, and is never stored without its payments nor the payments without it. A message id
 * already stored is refused (`ID_CONFLICT`) and nothing is written.
 *
 * With `options.audit`, the entries built from the result are written in the same transaction,
 * when something was collected.
 *
 * @example
 * const { instructions } = await collectDirectDebits(deps, { siteId, batchId: 'b-2026-12', collectionDate: '2027-01-10', endToEndPrefix: 'DD2701-' })
 */
export async function collectDirectDebits(
  deps: BillingDeps,
  input: { siteId: string; batchId?: string; collectionDate: LocalDate; endToEndPrefix: string; product?: string; file?: CollectionFileRequest },
  options: AuditOption<CollectDirectDebitsResult> = {},
): Promise<CollectDirectDebitsResult> {
  try {
    const { siteId } = input
    return await deps.storage.transaction(siteId, async (tx) => {
      const result = await collectIn(tx, deps.clock.now(), input)
      if (result.payments.length > 0) await auditInTransaction(tx, siteId, options.audit, result)
      return result
    })
  } catch (error) {
    throw asUseCaseError(error, 'collectDirectDebits', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the collection to prepare'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

async function collectIn(
  tx: StorageTransaction, now: Date,
  input: { siteId: string; batchId?: string; collectionDate: LocalDate; endToEndPrefix: string; product?: string; file?: CollectionFileRequest },
): Promise<CollectDirectDebitsResult> {
  const { siteId } = input
  const { payments, invoicing } = need(tx, 'payments', 'invoicing')
  const filter = input.batchId ? { batchId: input.batchId } : {}
  // lock the invoices first, then read what they owe: a cashier's payment or another collection of
  // the same invoices waits, and this one debits only what is still due at commit
  const ids = (await readAll((p) => invoicing.listInvoices(siteId, { ...filter, status: 'validated' }, p))).map((i) => i.id)
  await invoicing.lockInvoices(siteId, ids)
  const acc = await loadAccounts(tx, siteId, filter)
  const candidates = acc.invoices
    .filter((i) => i.directDebitDate !== null && i.directDebitDate <= input.collectionDate)
    .map((i) => ({ invoiceId: i.id, debtorId: i.debtorId, dueDate: i.dueDate, outstandingMinor: acc.balances.get(i.id)!.outstandingMinor, sequence: i.sequence, currency: i.currency, paymentReference: i.paymentReference }))
  const debtorIds = [...new Set(candidates.map((c) => c.debtorId))]
  const mandates = debtorIds.length === 0 ? [] : await mandatesOf(need(tx, 'directory').directory, siteId, debtorIds)
  const { instructions, excluded } = selectDirectDebits(candidates, mandates, { collectionDate: input.collectionDate, endToEndPrefix: input.endToEndPrefix })
  const invoices = new Map(acc.invoices.map((i) => [i.id, i]))
  const recorded: Payment[] = []
  for (const ins of instructions) {
    const inv = invoices.get(ins.invoiceId)!
    const payment = recordInvoicePayment({
      id: `dd:${ins.endToEndId}`, siteId, billingOfficeId: inv.billingOfficeId, payerId: ins.debtorId, method: 'directDebit', product: input.product ?? null,
      date: input.collectionDate, currency: ins.currency, amount: Money.fromMinor(ins.amountMinor, ins.currency).amount, invoiceId: ins.invoiceId,
      mandateId: ins.mandateId, endToEndId: ins.endToEndId,
    }, [{ invoiceId: ins.invoiceId, dueDate: inv.dueDate, outstandingMinor: ins.amountMinor }])
    recorded.push(payment)
  }
  // one batch write for the collection (was one savePayment, several round trips, per debit)
  if (recorded.length > 0) await payments.createPayments(siteId, recorded)
  if (!input.file || instructions.length === 0) return { instructions, excluded, payments: recorded }
  // the pain.008, stored in the same transaction as the payments it collects
  const { directory } = need(tx, 'directory')
  const { messageId } = input.file
  if (typeof messageId !== 'string' || messageId.length === 0 || messageId.length > 35) {
    throw new EcoleError('INVALID_INPUT', 'file.messageId: must be 1 to 35 characters', { details: { field: 'file.messageId' } })
  }
  // checked under the message id's lock: two collections of different batches given the same id
  // lock different invoices, so without it both found no file and the second replaced the first's
  await lockRecords(tx, siteId, [{ kind: 'collectionFile', id: messageId }])
  if (await directory.getDirectoryRecord(siteId, 'collectionFile', messageId)) {
    throw new EcoleError('ID_CONFLICT', `file.messageId: a collection file ${messageId} is already stored (choose another message id)`, { details: { field: 'file.messageId', id: messageId } })
  }
  const xml = buildPain008(directDebitBatchOf(instructions, { messageId, createdAt: now.toISOString(), collectionDate: input.collectionDate, creditor: input.file.creditor }))
  const file: CollectionFile = {
    id: messageId, siteId, billingOfficeId: input.file.billingOfficeId, batchId: input.batchId ?? null, collectionDate: input.collectionDate, createdAt: now.toISOString(),
    count: instructions.length, amount: { minor: instructions.reduce((sum, i) => sum + i.amountMinor, 0n), currency: instructions[0]!.currency }, xml,
  }
  await directory.putDirectoryRecord(siteId, 'collectionFile', file)
  return { instructions, excluded, payments: recorded, file }
}

/**
 * The `@ecole/bank` direct-debit batch (input of `buildPain008`) for a collection's instructions.
 *
 * @example
 * const xml = buildPain008(directDebitBatchOf(instructions, { messageId: 'DD-2027-01', createdAt: '2027-01-05T09:00:00Z', collectionDate: '2027-01-10',
 *   creditor: { name: 'Mairie de Créteil', iban: 'FR76...', creditorId: 'FR72ZZZ123456', address: { town: 'Créteil', country: 'FR' } } }))
 */
export function directDebitBatchOf(
  instructions: readonly DirectDebitInstruction[],
  options: { messageId: string; createdAt: string; collectionDate: LocalDate; creditor: { name: string; iban: string; bic?: string; creditorId: string; address: { town: string; country: string; street?: string; postCode?: string } } },
) {
  try {
    return {
      messageId: options.messageId,
      createdAt: options.createdAt,
      creditor: options.creditor,
      debits: instructions.map((i) => ({
        endToEndId: i.endToEndId,
        amount: { amount: Money.fromMinor(i.amountMinor, i.currency).amount, currency: 'EUR' as const },
        collectionDate: options.collectionDate,
        sequenceType: i.sequence,
        mandate: { id: i.rum, signatureDate: i.signatureDate },
        debtor: { name: i.debtorName, iban: i.iban, ...(i.bic ? { bic: i.bic } : {}) },
        ...(i.remittanceReference ? { remittance: i.remittanceReference.startsWith('RF') ? { kind: 'rf' as const, reference: i.remittanceReference } : { kind: 'ogm' as const, reference: i.remittanceReference } } : {}),
      })),
    }
  } catch (error) {
    throw asInputError(error, 'directDebitBatchOf', { instructions: [instructions, 'array', 'the direct debit instructions'], options: [options, 'object', 'the batch options ({ messageId, createdAt, collectionDate, creditor })'] })
  }
}

/** @internal Applies a return inside an open transaction (shared with the bank import). */
export async function recordDirectDebitReturnIn(
  tx: StorageTransaction, now: Date, input: { siteId: string; paymentId?: string; endToEndId?: string; reasonCode: string; date: LocalDate },
): Promise<DirectDebitReturnOutcome & { alreadyApplied: boolean; walletReversal: TransferResult | null }> {
  const { payments } = need(tx, 'payments')
  let payment: Payment | undefined
  if (input.paymentId) payment = await payments.getPayment(input.siteId, input.paymentId)
  else if (input.endToEndId) payment = (await readAll((p) => payments.listPayments(input.siteId, { endToEndId: input.endToEndId }, p)))[0]
  if (!payment) throw new EcoleError('NOT_FOUND', `no direct-debit payment ${input.paymentId ?? input.endToEndId}`, { details: { paymentId: input.paymentId, endToEndId: input.endToEndId } })
  const applied = (refused: Payment) => ({
    payment: refused, action: refused.refusal!.action, invoicesDueAgain: [], suspendMandate: false, walletCreditToReverseMinor: 0n, alreadyApplied: true, walletReversal: null,
  })
  if (payment.status === 'refused') return applied(payment)
  const outcome = applyDirectDebitReturn(payment, input.reasonCode, input.date)
  try {
    await payments.refusePayment(input.siteId, payment.id, outcome.payment.refusal!)
  } catch (error) {
    // the store checks the status under the payment's lock: the same return, applied at the same
    // moment (a bank file imported while a clerk records it by hand), refused it and committed
    // meanwhile; applying it twice changes nothing
    if (!isEcoleError(error, 'PAYMENT_ALREADY_REFUSED')) throw error
    const refused = await payments.getPayment(input.siteId, payment.id)
    if (!refused || refused.status !== 'refused') throw error
    return applied(refused)
  }
  if (outcome.suspendMandate && payment.mandateId) {
    const { directory } = need(tx, 'directory')
    // read under the mandate's lock, as every writer of a mandate reads it (a settlement, a staff
    // amendment): none writes back a mandate another changed meanwhile
    await lockRecords(tx, input.siteId, [{ kind: 'sepaMandate', id: payment.mandateId }])
    const mandate = await directory.getDirectoryRecord(input.siteId, 'sepaMandate', payment.mandateId)
    if (mandate && mandate.debtorId === payment.payerId && mandate.status === 'active') await directory.putDirectoryRecord(input.siteId, 'sepaMandate', setSepaMandateSuspended(mandate, true))
  }
  // the bank has taken the money back whatever the wallet holds: the return is recorded, and the
  // reversal of the wallet credit is reported (a wallet already spent refuses it: EXCEEDS_BALANCE)
  let walletReversal: TransferResult | null = null
  if (outcome.walletCreditToReverseMinor > 0n && tx.ledger) {
    ;[walletReversal = null] = await tx.ledger.createTransfers(input.siteId, [{
      id: `return:${payment.id}`, debitAccountId: walletAccountId(payment.payerId, payment.billingOfficeId), creditAccountId: systemAccountId('directDebitClearing', payment.billingOfficeId),
      amount: outcome.walletCreditToReverseMinor, currency: payment.currency, code: 'directDebitReturn', memo: `return ${input.reasonCode} of ${payment.id}`, timestamp: now,
    }], now)
  }
  return { ...outcome, alreadyApplied: false, walletReversal }
}

/**
 * Records a direct-debit return (seed 001, "Comment gérer un rejet de prélèvement"): the payment
 * is marked REFUSED, its invoices are awaiting payment again, and the SEPA reason code's action
 * is applied (a code calling for it suspends the mandate). Applying it twice changes nothing,
 * even at the same moment (a bank file imported while a clerk records the return by hand): the
 * second answers `alreadyApplied: true`.
 * With `options.audit`, the entries built from the outcome are written in the same transaction;
 * applying it again writes none.
 *
 * @example
 * const outcome = await recordDirectDebitReturn(deps, { siteId, endToEndId: 'DD2701-b-2026-12:g7', reasonCode: 'AM04', date: '2027-01-14' })
 * outcome.action //=> 'retry'
 * @throws EcoleError `NOT_FOUND`, `NOT_A_DIRECT_DEBIT`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function recordDirectDebitReturn(
  deps: BillingDeps,
  input: { siteId: string; paymentId?: string; endToEndId?: string; reasonCode: string; date: LocalDate },
  options: AuditOption<DirectDebitReturnOutcome & { alreadyApplied: boolean; walletReversal: TransferResult | null }> = {},
): Promise<DirectDebitReturnOutcome & { alreadyApplied: boolean; walletReversal: TransferResult | null }> {
  try {
    return await deps.storage.transaction(input.siteId, async (tx) => {
      const outcome = await recordDirectDebitReturnIn(tx, deps.clock.now(), input)
      if (!outcome.alreadyApplied) await auditInTransaction(tx, input.siteId, options.audit, outcome)
      return outcome
    })
  } catch (error) {
    throw asUseCaseError(error, 'recordDirectDebitReturn', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the returned direct debit'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}
