import { buildPain008 } from '@ecole/bank'
import {
  asInputError, applyDirectDebitReturn, idempotencyConflict, isTargetDay, nextTargetDay, checkOptions, EcoleError, isEcoleError, isLocalDate, type CollectionFile, mandateReference, Money, type OptionKinds,
  recordInvoicePayment, selectDirectDebits, setSepaMandateSuspended, systemAccountId, walletAccountId, zonedDateTime, type DirectDebitExclusion, type DirectDebitInstruction,
  type DirectDebitReturnOutcome, type LocalDate, type Payment, type SepaMandate, type TransferResult,
} from '@ecole/core'
import { amountDueBy, ogm, pagoPa, rf, type Invoice, type InvoiceBalance } from '@ecole/core'
import type { StorageTransaction } from '@ecole/core/ports'
import { lockRecords } from '../directory/record-versions'
import { auditInTransaction, type AuditOption } from './audit-with-change'
import { loadAccounts, lockDebtorInvoices, mandatesById, mandatesOf, need, readAll, refuseAfterSiteToday, type BillingDeps } from './support'
import { releaseCarriedExcess, type CarriedExcessRefused } from './credit-note'
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
  /**
   * What the collection was made with but a person should know, when there is something to say:
   * `COLLECTION_NOT_A_TARGET_DAY` when the collection date is not a TARGET business day (a weekend,
   * New Year's Day, Good Friday, Easter Monday, 1 May, 25 or 26 December): the bank settles on
   * `settlesOn`, which may be in the next month or year, while the payments are dated on the
   * collection date. Absent when there is nothing to say.
   */
  warnings?: CollectionWarning[] | undefined
}

/**
 * A warning of {@link collectDirectDebits}: the collection was made, but its date is not a day
 * SEPA payments settle on.
 *
 * @example
 * const w: CollectionWarning = { code: 'COLLECTION_NOT_A_TARGET_DAY', collectionDate: '2027-12-25', settlesOn: '2027-12-27' }
 */
export interface CollectionWarning {
  /** What the warning is about. */
  code: 'COLLECTION_NOT_A_TARGET_DAY'
  /** The collection date asked. */
  collectionDate: LocalDate
  /** The first TARGET business day on or after it, when the bank settles the debits. */
  settlesOn: LocalDate
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

/** What {@link collectDirectDebits} collects (see there). */
type CollectInput = { siteId: string; batchId?: string; collectionDate: LocalDate; endToEndPrefix: string; product?: string; file?: CollectionFileRequest; represent?: readonly string[] }

const COLLECT_INPUT_KINDS: OptionKinds<CollectInput> = { siteId: 'string', batchId: 'string?', collectionDate: 'date', endToEndPrefix: 'string', product: 'string?', file: 'object?', represent: 'array?' }

/**
 * The input checked before anything is read or written: its keys (a misspelt one is refused with
 * the nearest known), the collection date a calendar day, the end-to-end prefix SEPA text.
 */
function checkCollectInput(input: unknown): CollectInput {
  const i = checkOptions<CollectInput>('collectDirectDebits', 'input', input, COLLECT_INPUT_KINDS)
  if (!isLocalDate(i.collectionDate)) throw EcoleError.invalidInput('input.collectionDate', `must be a calendar day written YYYY-MM-DD, got "${i.collectionDate}"`, { function: 'collectDirectDebits' })
  const c = mandateReference.check(i.endToEndPrefix)
  // the prefix may end with '/' or a space (the invoice id follows); each whole id is checked when built
  const problems = c.valid ? [] : c.problems.filter((p) => p.code !== 'TRAILING_SLASH' && p.code !== 'TRAILING_SPACE')
  if (problems.length > 0) {
    throw EcoleError.invalidInput('input.endToEndPrefix', `${problems.map((p) => p.message.replace('a mandate reference', 'an end-to-end id prefix')).join('; ')} (got "${i.endToEndPrefix}")`, { function: 'collectDirectDebits' })
  }
  const notId = (i.represent ?? []).findIndex((id) => typeof id !== 'string' || id === '')
  if (notId >= 0) throw EcoleError.invalidInput(`input.represent.${notId}`, `must be an invoice id, got ${JSON.stringify(i.represent![notId])}`, { function: 'collectDirectDebits' })
  return i
}

/**
 * The zone "today" is taken in when the site's is unknown (no site record, no directory port):
 * UTC-12, the last zone on Earth to start a day, so a date is refused only when it is past
 * everywhere.
 */
const EARLIEST_ZONE = 'Etc/GMT+12'

/**
 * The site's today and the file's creation time written in its zone (`2027-01-09T20:00:00-08:00`):
 * the bank reads the creation day from `CreDtTm`, so a collection on the site's today is never
 * before it, even when the UTC date has already moved on.
 */
async function siteNow(tx: StorageTransaction, siteId: string, now: Date): Promise<{ now: Date; today: LocalDate; createdAt: string; timeZone: string }> {
  const timeZone = (tx.directory ? (await tx.directory.getSite(siteId))?.timeZone : undefined) ?? EARLIEST_ZONE
  const z = zonedDateTime(now, timeZone)
  const off = Math.abs(z.offsetMinutes)
  const offset = z.offsetMinutes === 0 ? 'Z' : `${z.offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(off / 60)).padStart(2, '0')}:${String(off % 60).padStart(2, '0')}`
  return { now, today: z.date, createdAt: `${z.date}T${z.time}${offset}`, timeZone }
}

/**
 * Prepares a direct-debit collection: the validated invoices with money due (of one batch, or
 * every invoice whose direct-debit date is on or before the collection date) whose debtor has a
 * usable mandate become debit instructions, and a `directDebit` payment is recorded for each
 * (`dd:<endToEndId>`). Mandate sequences advance only when the collection is settled (see
 * {@link importBankStatement}). The invoices are locked before their balances are read: a payment
 * recorded at the same moment, or the same collection run twice at once, never makes the site
 * debit more than an invoice still owes.
 *
 * A one-off (OOFF) or final (FNAL) mandate collects one invoice a run, and none while a collection
 * with it is neither settled nor returned (`MANDATE_ONE_OFF_USED`); its record is locked, so two
 * collections of different batches at the same moment do not both use it. A mandate amended since
 * its last reported collection carries the amendment in every instruction (and in the file), and
 * its amendments are marked as carried by them: their settlement reports them.
 *
 * The collection date may not be before the site's today (the clock's instant in the site's time
 * zone, from its directory record; without one, in UTC-12, so that only a date past everywhere is
 * refused): `INVALID_INPUT` naming `collectionDate`, with both dates, before any invoice is read
 * or anything written. Banks want the file earlier (SEPA Core: at least one business day before the collection
 * date, D-1), a cut-off this does not check: ask your bank. Each payment records that day as its
 * `recordedOn` (a return cannot be dated before it), and the file's `CreDtTm` is the clock's
 * instant written in the site's zone.
 *
 * An invoice whose debtor's mandate is signed after the collection date is left out
 * (`MANDATE_NOT_YET_SIGNED`), and so is one whose mandate carries an IBAN with wrong check digits
 * (`MANDATE_IBAN_INVALID`, naming the mandate: one typo stored before IBANs were checked no longer
 * fails the whole file).
 *
 * Every instruction returned has a payment this call recorded. An end-to-end id already taken by a
 * payment (the same `endToEndPrefix` run again after a return, or for other amounts) is refused
 * (`IDEMPOTENCY_CONFLICT` naming `endToEndPrefix`: choose a new prefix) and nothing is written.
 *
 * With `file`, the pain.008 of the instructions is written (`buildPain008` of `@ecole/bank`) and
 * stored as the directory's `collectionFile` record in the same transaction: the file survives a
 * restart, and is never stored without its payments nor the payments without it. A message id
 * already stored is refused (`ID_CONFLICT`) and nothing is written.
 *
 * With `options.audit`, the entries built from the result are written in the same transaction,
 * when something was collected.
 *
 * An invoice whose last debit was returned with a code needing the office is not debited again by
 * itself (SEPA_RETURN_REASONS): `contactPayer` (MS02 refused by the debtor, MD06 refund asked) is
 * left out as `RETURNED_CONTACT_PAYER` until the office, having spoken with the payer, names the
 * invoice in `input.represent` for a run; `fixAccount` (AC01 wrong IBAN) is left out as
 * `RETURNED_FIX_ACCOUNT` until the mandate's IBAN is amended (`amendSepaMandate`, dated after the
 * day the returned collection was made), another mandate is in force, or `input.represent` names
 * it. A `retry` return (AM04) is presented again by the next run.
 *
 * @example
 * const { instructions } = await collectDirectDebits(deps, { siteId, batchId: 'b-2026-12', collectionDate: '2027-01-10', endToEndPrefix: 'DD2701-' })
 * // after MS02 on b-2026-12:g3 and a call with the family, present it again:
 * await collectDirectDebits(deps, { siteId, collectionDate: '2027-02-10', endToEndPrefix: 'DD2702-', represent: ['b-2026-12:g3'] })
 * // on 2027-01-12 at the site: INVALID_INPUT 'input.collectionDate: is 2027-01-10, before today 2027-01-12 at the site (Europe/Paris): ...'
 * @throws EcoleError `INVALID_INPUT` before anything is read (a misspelt key, a collection date
 * that is not a calendar day or is before the site's today, an end-to-end prefix, or an id made
 * from it, that is not SEPA text), `IDEMPOTENCY_CONFLICT`, `ID_CONFLICT`.
 */
export async function collectDirectDebits(
  deps: BillingDeps,
  input: { siteId: string; batchId?: string; collectionDate: LocalDate; endToEndPrefix: string; product?: string; file?: CollectionFileRequest; represent?: readonly string[] },
  options: AuditOption<CollectDirectDebitsResult> = {},
): Promise<CollectDirectDebitsResult> {
  try {
    const checked = checkCollectInput(input)
    const { siteId } = checked
    return await deps.storage.transaction(siteId, async (tx) => {
      const now = deps.clock.now()
      const site = await siteNow(tx, siteId, now)
      if (checked.collectionDate < site.today) {
        throw EcoleError.invalidInput('input.collectionDate', `is ${checked.collectionDate}, before today ${site.today} at the site (${site.timeZone === EARLIEST_ZONE ? 'in UTC-12: the site has no time zone on record' : site.timeZone}): a debit cannot be collected in the past (banks need the file at least one business day before the collection date for SEPA Core)`, {
          function: 'collectDirectDebits', field: 'collectionDate', collectionDate: checked.collectionDate, today: site.today, timeZone: site.timeZone,
        })
      }
      const result = await collectIn(tx, site, checked)
      if (result.payments.length > 0) await auditInTransaction(tx, siteId, options.audit, result)
      return result
    })
  } catch (error) {
    throw asUseCaseError(error, 'collectDirectDebits', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the collection to prepare'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

async function collectIn(tx: StorageTransaction, site: { now: Date; today: LocalDate; createdAt: string }, input: CollectInput): Promise<CollectDirectDebitsResult> {
  const { siteId } = input
  const { payments, invoicing } = need(tx, 'payments', 'invoicing')
  // a file collects into its billing office's creditor account: that office's invoices only
  const office = await fileOffice(tx, input)
  const filter = { ...(input.batchId ? { batchId: input.batchId } : {}), ...(office !== undefined ? { billingOfficeId: office } : {}) }
  // lock the invoices first, then read what they owe: a cashier's payment or another collection of
  // the same invoices waits, and this one debits only what is still due at commit
  const ids = (await readAll((p) => invoicing.listInvoices(siteId, { ...filter, status: 'validated' }, p))).map((i) => i.id)
  await invoicing.lockInvoices(siteId, ids)
  const acc = await loadAccounts(tx, siteId, filter)
  const candidates = acc.invoices
    .filter((i) => i.directDebitDate !== null && i.directDebitDate <= input.collectionDate)
    .map((i) => ({ invoiceId: i.id, debtorId: i.debtorId, dueDate: i.dueDate, outstandingMinor: debitableMinor(i, acc.balances.get(i.id)!, input.collectionDate), sequence: i.sequence, currency: i.currency, paymentReference: i.paymentReference, billingOfficeId: i.billingOfficeId }))
  const debtorIds = [...new Set(candidates.map((c) => c.debtorId))]
  let mandates = debtorIds.length === 0 ? [] : await mandatesOf(need(tx, 'directory').directory, siteId, debtorIds)
  // the mandates this collection may write (amendments carried) or may use only once (OOFF, FNAL):
  // locked, then read again, as every writer of a mandate does; another collection of other
  // invoices using the same one-off mandate waits here and then finds this one's payment
  const guarded = mandates.filter((m) => m.nextSequence === 'OOFF' || m.nextSequence === 'FNAL' || m.amendments.some((a) => !a.reported))
  let collected: Payment[] = []
  if (guarded.length > 0) {
    const { directory } = need(tx, 'directory')
    await lockRecords(tx, siteId, guarded.map((m) => ({ kind: 'sepaMandate' as const, id: m.id })))
    const fresh = await mandatesById(directory, siteId, guarded.map((m) => m.id))
    mandates = mandates.flatMap((m) => (!guarded.includes(m) ? [m] : fresh.has(m.id) ? [fresh.get(m.id)!] : []))
    const oneShotDebtors = [...new Set(mandates.filter((m) => m.nextSequence === 'OOFF' || m.nextSequence === 'FNAL').map((m) => m.debtorId))]
    for (const payerId of oneShotDebtors) collected.push(...(await readAll((p) => payments.listPayments(siteId, { payerId, method: 'directDebit', status: 'recorded' }, p))))
  }
  // each candidate's past debits: one last returned with contactPayer or fixAccount waits for the office
  const owing = candidates.filter((c) => c.outstandingMinor > 0n).map((c) => c.invoiceId)
  const debits = owing.length === 0 ? [] : await readAll((p) => payments.listPayments(siteId, { method: 'directDebit', invoiceIds: owing }, p))
  const { instructions, excluded } = selectDirectDebits(candidates, mandates, { collectionDate: input.collectionDate, endToEndPrefix: input.endToEndPrefix, collected, debits, represent: input.represent, mandatesWithoutOffice: await mandatesWithoutOffice(tx, siteId, mandates, acc.invoices) })
  const invoices = new Map(acc.invoices.map((i) => [i.id, i]))
  const recorded: Payment[] = []
  for (const ins of instructions) {
    const inv = invoices.get(ins.invoiceId)!
    const payment = recordInvoicePayment({
      id: `dd:${ins.endToEndId}`, siteId, billingOfficeId: inv.billingOfficeId, payerId: ins.debtorId, method: 'directDebit', product: input.product ?? null,
      date: input.collectionDate, currency: ins.currency, amount: Money.fromMinor(ins.amountMinor, ins.currency).amount, invoiceId: ins.invoiceId,
      mandateId: ins.mandateId, endToEndId: ins.endToEndId, recordedOn: site.today,
    }, [{ invoiceId: ins.invoiceId, dueDate: inv.dueDate, outstandingMinor: ins.amountMinor }])
    recorded.push(payment)
  }
  // one batch write for the collection (was one savePayment, several round trips, per debit)
  if (recorded.length > 0) await createCollected(payments, siteId, recorded, input.endToEndPrefix)
  // the amendments each mandate's instructions carry: their settlement reports them, no other's
  const carriers = new Map<string, string[]>()
  for (const ins of instructions) if (ins.amendment) carriers.set(ins.mandateId, [...(carriers.get(ins.mandateId) ?? []), ins.endToEndId])
  if (carriers.size > 0) {
    const { directory } = need(tx, 'directory')
    for (const m of mandates) {
      const e2e = carriers.get(m.id)
      if (e2e) await directory.putDirectoryRecord(siteId, 'sepaMandate', withAmendmentsCarried(m, e2e))
    }
  }
  const warnings: CollectionWarning[] = instructions.length > 0 && !isTargetDay(input.collectionDate)
    ? [{ code: 'COLLECTION_NOT_A_TARGET_DAY', collectionDate: input.collectionDate, settlesOn: nextTargetDay(input.collectionDate) }]
    : []
  const said = warnings.length > 0 ? { warnings } : {}
  if (!input.file || instructions.length === 0) return { instructions, excluded, payments: recorded, ...said }
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
  const { creditor } = input.file
  const xml = asFileError(() => buildPain008(directDebitBatchOf(instructions, { messageId, createdAt: site.createdAt, collectionDate: input.collectionDate, creditor })))
  const file: CollectionFile = {
    id: messageId, siteId, billingOfficeId: input.file.billingOfficeId, batchId: input.batchId ?? null, collectionDate: input.collectionDate, createdAt: site.now.toISOString(),
    count: instructions.length, amount: { minor: instructions.reduce((sum, i) => sum + i.amountMinor, 0n), currency: instructions[0]!.currency }, xml,
  }
  await directory.putDirectoryRecord(siteId, 'collectionFile', file)
  return { instructions, excluded, payments: recorded, file, ...said }
}

/**
 * What a collection on `collectionDate` debits of an invoice: all it still owes, or, for an invoice
 * paid in instalments, the instalments due by that date less what was paid or credited (core's
 * `amountDueBy`, the rule `nextInstalmentDue` shows parents): a later instalment is never taken
 * early, and one a returned debit left unpaid is presented again with the next.
 */
function debitableMinor(invoice: Invoice, balance: InvoiceBalance, collectionDate: LocalDate): bigint {
  if (invoice.instalments.length === 0) return balance.outstandingMinor
  const due = amountDueBy(invoice, balance, collectionDate)
  return due < balance.outstandingMinor ? due : balance.outstandingMinor
}

/**
 * Writes the file, naming a bad creditor or message id by the caller's field (`file.creditor.creditorId`,
 * `file.messageId`), not by the `buildPain008` batch the caller never saw (`batch.creditor.creditorId`).
 */
function asFileError<T>(write: () => T): T {
  try {
    return write()
  } catch (error) {
    if (!isEcoleError(error, 'INVALID_INPUT')) throw error
    const toFile = (text: string) => text.replace(/\bbatch\.(creditor|messageId)\b/g, 'file.$1')
    const issues = (error.details as { issues?: unknown }).issues
    if (!Array.isArray(issues) || !issues.some((i: { path?: unknown }) => typeof i?.path === 'string' && /^batch\.(creditor|messageId)\b/.test(i.path))) throw error
    const mapped = issues.map((i: { path?: unknown; message?: unknown }) => ({ ...i, ...(typeof i.path === 'string' ? { path: toFile(i.path) } : {}), ...(typeof i.message === 'string' ? { message: toFile(i.message) } : {}) }))
    const onlyFile = mapped.every((i: { path?: unknown }) => typeof i.path === 'string' && i.path.startsWith('file.'))
    const message = toFile(error.message).replace('invalid input for batch:', onlyFile ? 'invalid input for file:' : 'invalid input for batch:')
    throw new EcoleError('INVALID_INPUT', message, { details: { ...error.details, issues: mapped, function: 'collectDirectDebits' }, cause: error })
  }
}

/**
 * The billing office of the collection's file, checked before any invoice is read: named, and the
 * office of the batch collected (a batch of another office would be paid into this office's
 * account under its creditor id: `INVALID_INPUT` naming `file.billingOfficeId`). Absent without a file.
 */
async function fileOffice(tx: StorageTransaction, input: CollectInput): Promise<string | undefined> {
  if (input.file === undefined) return undefined
  const office: unknown = input.file.billingOfficeId
  if (typeof office !== 'string' || office.length === 0) {
    throw EcoleError.invalidInput('file.billingOfficeId', `must name the billing office whose creditor account collects, got ${JSON.stringify(office)}`, { function: 'collectDirectDebits' })
  }
  if (input.batchId === undefined) return office
  const batch = await need(tx, 'invoicing').invoicing.getInvoiceBatch(input.siteId, input.batchId)
  if (batch && batch.billingOfficeId !== office) {
    throw EcoleError.invalidInput('file.billingOfficeId', `is "${office}", but batch ${input.batchId} is billed by the office "${batch.billingOfficeId}": a collection file collects only its own office's invoices, into its creditor account (file that batch under its office's creditor)`, {
      function: 'collectDirectDebits', field: 'file.billingOfficeId', billingOfficeId: office, batchId: input.batchId, batchBillingOfficeId: batch.billingOfficeId,
    })
  }
  return office
}

/**
 * Whether a mandate stored without its billing office may be used: only on a site with a single
 * billing office, where it can only have been signed with that office's creditor id. The offices
 * are the site's `billingOffice` records and those of the invoices collected; a site with no office
 * record has the offices of its validated invoices (read until a second one shows). Read only when
 * such a mandate is there.
 */
async function mandatesWithoutOffice(tx: StorageTransaction, siteId: string, mandates: readonly SepaMandate[], invoices: readonly { billingOfficeId: string }[]): Promise<'use' | 'refuse'> {
  if (!mandates.some((m) => m.billingOfficeId === undefined)) return 'use'
  const offices = new Set(invoices.map((i) => i.billingOfficeId))
  const recorded = tx.directory ? (await tx.directory.listDirectoryRecords(siteId, 'billingOffice', { limit: 2 })).items : []
  for (const o of recorded) offices.add(o.id)
  if (recorded.length > 0) return offices.size < 2 ? 'use' : 'refuse'
  const { invoicing } = need(tx, 'invoicing')
  // no office on record: another office's invoices, read a page at a time until a second office shows
  let after: string | undefined
  while (offices.size < 2) {
    const page = await invoicing.listInvoices(siteId, { status: 'validated' }, { limit: 500, ...(after !== undefined ? { after } : {}) })
    for (const i of page.items) offices.add(i.billingOfficeId)
    if (!page.next) break
    after = page.next
  }
  return offices.size < 2 ? 'use' : 'refuse'
}

/**
 * Creates the collection's payments; an id already taken (a replay the balances did not stop: the
 * payment was refused by a return, or recorded for another amount) is refused naming the prefix,
 * and the transaction writes nothing: no instruction is returned, nor put in a file, without a
 * payment this call created.
 */
async function createCollected(store: NonNullable<StorageTransaction['payments']>, siteId: string, recorded: readonly Payment[], prefix: string): Promise<void> {
  const refuse = (ids: string[], cause?: unknown) => new EcoleError('IDEMPOTENCY_CONFLICT',
    `endToEndPrefix: the direct-debit payment${ids.length > 1 ? 's' : ''} ${ids.join(', ')} already exist${ids.length > 1 ? '' : 's'} (a collection run before with the prefix "${prefix}", since returned or for another amount): choose a new endToEndPrefix; nothing was written`,
    { details: { field: 'endToEndPrefix', endToEndPrefix: prefix, paymentIds: ids }, ...(cause !== undefined ? { cause } : {}) })
  // read before writing (a failed write may end the transaction): the direct debits of these invoices, refused ones too
  const ids = new Set(recorded.map((p) => p.id))
  const invoiceIds = [...new Set(recorded.flatMap((p) => p.allocations.map((a) => a.invoiceId)))]
  const taken = (await readAll((page) => store.listPayments(siteId, { method: 'directDebit', invoiceIds }, page))).filter((p) => ids.has(p.id)).map((p) => p.id)
  if (taken.length > 0) throw refuse(taken)
  let results
  try {
    results = await store.createPayments(siteId, recorded)
  } catch (error) {
    if (isEcoleError(error, 'IDEMPOTENCY_CONFLICT') || isEcoleError(error, 'ID_CONFLICT')) {
      const id = (error.details as { id?: unknown; paymentId?: unknown }).id ?? (error.details as { paymentId?: unknown }).paymentId
      throw refuse([typeof id === 'string' ? id : 'of this collection'], error)
    }
    throw error
  }
  const existing = results.filter((r) => r.status !== 'created').map((r) => r.id)
  if (existing.length > 0) throw refuse(existing)
}

/** The mandate with its unreported amendments marked as carried by these end-to-end ids. */
function withAmendmentsCarried(m: SepaMandate, endToEndIds: readonly string[]): SepaMandate {
  return { ...m, amendments: m.amendments.map((a) => (a.reported ? a : { ...a, carriedBy: [...new Set([...(a.carriedBy ?? []), ...endToEndIds])] })) }
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
    const o = checkOptions<typeof options>('directDebitBatchOf', 'options', options, BATCH_OPTION_KINDS)
    return {
      messageId: o.messageId,
      createdAt: o.createdAt,
      creditor: o.creditor,
      debits: instructions.map((i, n) => {
        // SEPA debits are in euros: an instruction in another currency is refused, never written as euros
        if (i.currency !== 'EUR') throw EcoleError.invalidInput(`instructions.${n}.currency`, `must be EUR (SEPA direct debits are in euros), got ${String(i.currency)}`, { function: 'directDebitBatchOf' })
        const a = i.amendment
        const amendment = a && (a.originalRum !== null || a.originalIban !== null)
          ? { ...(a.originalRum !== null ? { originalMandateId: a.originalRum } : {}), ...(a.originalIban !== null ? { originalDebtorIban: a.originalIban } : {}) }
          : undefined
        return {
          endToEndId: i.endToEndId,
          amount: { amount: Money.fromMinor(i.amountMinor, i.currency).amount, currency: 'EUR' as const },
          collectionDate: o.collectionDate,
          sequenceType: i.sequence,
          mandate: { id: i.rum, signatureDate: i.signatureDate, ...(amendment ? { amendment } : {}) },
          debtor: { name: i.debtorName, iban: i.iban, ...(i.bic ? { bic: i.bic } : {}) },
          ...(i.remittanceReference ? { remittance: remittanceOf(i.remittanceReference) } : {}),
        }
      }),
    }
  } catch (error) {
    throw asInputError(error, 'directDebitBatchOf', { instructions: [instructions, 'array', 'the direct debit instructions'], options: [options, 'object', 'the batch options ({ messageId, createdAt, collectionDate, creditor })'] })
  }
}

/**
 * A debit's remittance for its invoice's payment reference, by the reference's own scheme: an ISO
 * 11649 RF or a Belgian structured communication (OGM) as a structured creditor reference; a
 * pagoPA notice as text in the pagoPA payment-reason form (`/RFB/<IUV>`, AgID "Specifiche
 * attuative dei codici identificativi di versamento" §3) followed by the notice number, which is
 * how an Italian creditor's treasury matches money to the debt; anything else as the text itself.
 */
function remittanceOf(reference: string): { kind: 'rf' | 'ogm'; reference: string } | { kind: 'text'; text: string } {
  if (rf.isValid(reference)) return { kind: 'rf', reference: rf.normalize(reference) }
  if (ogm.isValid(reference)) return { kind: 'ogm', reference }
  if (pagoPa.isValidNotice(reference)) return { kind: 'text', text: `/RFB/${pagoPa.iuvOf(reference)}/TXT/avviso pagoPA ${pagoPa.normalizeNotice(reference)}` }
  return { kind: 'text', text: reference }
}

const BATCH_OPTION_KINDS: OptionKinds<Parameters<typeof directDebitBatchOf>[1]> = { messageId: 'string', createdAt: 'string', collectionDate: 'date', creditor: 'object' }

/** @internal Applies a return inside an open transaction (shared with the bank import). */
export async function recordDirectDebitReturnIn(
  tx: StorageTransaction, now: Date, input: { siteId: string; paymentId?: string; endToEndId?: string; reasonCode: string; date: LocalDate },
): Promise<DirectDebitReturnResult> {
  const { payments } = need(tx, 'payments')
  if (!input.paymentId && !input.endToEndId) throw EcoleError.invalidInput('input', 'must name the returned direct debit by its paymentId or its endToEndId')
  let payment: Payment | undefined
  if (input.paymentId) payment = await payments.getPayment(input.siteId, input.paymentId)
  else if (input.endToEndId) payment = (await readAll((p) => payments.listPayments(input.siteId, { endToEndId: input.endToEndId }, p)))[0]
  if (!payment) throw new EcoleError('NOT_FOUND', `no direct-debit payment ${input.paymentId ?? input.endToEndId}`, { details: { paymentId: input.paymentId, endToEndId: input.endToEndId } })
  const applied = (refused: Payment): DirectDebitReturnResult => ({
    payment: refused, action: refused.refusal!.action, invoicesDueAgain: [], suspendMandate: false, walletCreditToReverseMinor: 0n, alreadyApplied: true, walletReversal: null,
    carriedExcessRefused: [],
  })
  if (payment.status === 'refused') return applied(payment)
  // the payer's invoices of the office locked before the payment is refused, as a credit note and
  // a payment lock them: a credit note on an invoice this debit paid, issued at the same moment,
  // either commits first (and what it carried of this money is taken back below, its note now
  // visible) or runs after (and finds the debit refused, carrying nothing)
  const invoiceIds = [...new Set(payment.allocations.map((a) => a.invoiceId))]
  if (invoiceIds.length > 0 && tx.invoicing) await lockDebtorInvoices(tx, input.siteId, { debtorId: payment.payerId, billingOfficeId: payment.billingOfficeId }, invoiceIds)
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
  if (payment.mandateId && (outcome.suspendMandate || tx.directory)) {
    const { directory } = need(tx, 'directory')
    // read under the mandate's lock, as every writer of a mandate reads it (a settlement, a staff
    // amendment): none writes back a mandate another changed meanwhile
    await lockRecords(tx, input.siteId, [{ kind: 'sepaMandate', id: payment.mandateId }])
    const mandate = await directory.getDirectoryRecord(input.siteId, 'sepaMandate', payment.mandateId)
    if (mandate && mandate.debtorId === payment.payerId) {
      // the returned collection no longer carries the mandate's amendments to the bank: the next one does
      const e2e = payment.endToEndId
      let next = e2e !== null && mandate.amendments.some((a) => !a.reported && a.carriedBy?.includes(e2e))
        ? { ...mandate, amendments: mandate.amendments.map((a) => (!a.reported && a.carriedBy?.includes(e2e) ? { ...a, carriedBy: a.carriedBy.filter((id) => id !== e2e) } : a)) }
        : mandate
      if (outcome.suspendMandate && next.status === 'active') next = setSepaMandateSuspended(next, true)
      if (next !== mandate) await directory.putDirectoryRecord(input.siteId, 'sepaMandate', next)
    }
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
  // what credit notes on its invoices carried of this money, which never came, is taken back
  const carriedExcessRefused = await releaseCarriedExcess(tx, now, payment, outcome.payment.refusal!)
  return { ...outcome, alreadyApplied: false, walletReversal, carriedExcessRefused }
}

/**
 * What recording a direct-debit return did: the return's outcome (the payment refused, the action,
 * the invoices due again), whether it had been applied already, the reversal of the wallet credit
 * the payment made, and the excess payments of credit notes it had paid for that were refused
 * (100.00 debited then returned, after a 30.00 note carried 30.00 to another invoice: that 30.00
 * never came, and that invoice owes it again).
 *
 * @example
 * const r: DirectDebitReturnResult = await recordDirectDebitReturn(deps, { siteId, endToEndId: 'DD2701-b:g1', reasonCode: 'AM04', date: '2027-01-14' })
 * r.carriedExcessRefused //=> [{ paymentId: 'credit-note:cn-1', walletReversal: null }]
 */
export type DirectDebitReturnResult = DirectDebitReturnOutcome & {
  /** The return had been recorded before: nothing changed. */
  alreadyApplied: boolean
  /** The transfer taking back the wallet credit the payment made, or `null`. */
  walletReversal: TransferResult | null
  /** The excess payments of credit notes this payment had paid for, refused with it. */
  carriedExcessRefused: CarriedExcessRefused[]
}

type ReturnInput = { siteId: string; paymentId?: string; endToEndId?: string; reasonCode: string; date: LocalDate }
const RETURN_INPUT_KINDS: OptionKinds<ReturnInput> = { siteId: 'string', paymentId: 'string?', endToEndId: 'string?', reasonCode: 'string', date: 'date' }

/**
 * Records a direct-debit return (seed 001, "Comment gérer un rejet de prélèvement"): the payment
 * is marked REFUSED, its invoices are awaiting payment again, and the SEPA reason code's action
 * is applied (a code calling for it suspends the mandate). Applying it twice changes nothing,
 * even at the same moment (a bank file imported while a clerk records the return by hand): the
 * second answers `alreadyApplied: true`.
 * With `options.audit`, the entries built from the outcome are written in the same transaction;
 * applying it again writes none.
 *
 * The date may be before the collection date (a pain.002 reject comes before settlement) but not
 * before the day the collection was made (`payment.recordedOn`, which {@link collectDirectDebits}
 * records): the money cannot come back before the debit was requested. A payment recorded without
 * that day (by an earlier version) is not checked against it. Nor may it be after the site's today
 * (the clock's instant in the site's time zone): a return is recorded once the bank has reported it.
 * Recorded again with the same reason and day, it answers `alreadyApplied: true`; with another reason
 * or day, `IDEMPOTENCY_CONFLICT` naming `reasonCode` or `date` (the first return stands). A blank
 * reason is `INVALID_INPUT` naming `reasonCode`.
 *
 * @example
 * const outcome = await recordDirectDebitReturn(deps, { siteId, endToEndId: 'DD2701-b-2026-12:g7', reasonCode: 'AM04', date: '2027-01-14' })
 * outcome.action //=> 'retry'
 * // collected for 2027-01-10 from 2027-01-05: a return dated 2026-12-01 is refused
 * // INVALID_INPUT 'date: 2026-12-01 is before 2027-01-05, the day the collection of payment dd:DD2701-b-2026-12:g7 was made: ...'
 * The returned collection no longer counts as carrying its mandate's amendments: the next collection carries them again.
 * @throws EcoleError `NOT_FOUND`, `NOT_A_DIRECT_DEBIT`, `INVALID_INPUT` naming the argument that is not what the library builds, a misspelt key,
 * a date that is not a calendar day, is before the day the collection was made or after the site's today, a blank reasonCode, or neither `paymentId` nor `endToEndId`; `IDEMPOTENCY_CONFLICT` when the return was recorded with another reason or day.
 */
export async function recordDirectDebitReturn(
  deps: BillingDeps,
  input: { siteId: string; paymentId?: string; endToEndId?: string; reasonCode: string; date: LocalDate },
  options: AuditOption<DirectDebitReturnResult> = {},
): Promise<DirectDebitReturnResult> {
  try {
    const checked = checkOptions<ReturnInput>('recordDirectDebitReturn', 'input', input, RETURN_INPUT_KINDS)
    if (!isLocalDate(checked.date)) throw EcoleError.invalidInput('input.date', `must be a calendar day written YYYY-MM-DD, got "${checked.date}"`, { function: 'recordDirectDebitReturn' })
    if (!checked.paymentId && !checked.endToEndId) throw EcoleError.invalidInput('input', 'must name the returned direct debit by its paymentId or its endToEndId', { function: 'recordDirectDebitReturn' })
    return await deps.storage.transaction(checked.siteId, async (tx) => {
      const now = deps.clock.now()
      // a date typed by hand after the site's today (2072 for 2027) would move the payment's year
      // (a tax certificate counts it): refused; a site without a zone on record is judged in UTC+14,
      // the first zone to start a day, so a date is refused only when it is future everywhere
      await refuseAfterSiteToday(tx, { siteId: checked.siteId, now, date: checked.date, field: 'input.date', function: 'recordDirectDebitReturn', rule: 'a return is recorded once the bank has reported it' })
      const outcome = await recordDirectDebitReturnIn(tx, now, checked)
      // a clerk repeating a return must repeat it: another reason or day is another return, and
      // the first one stands (the bank-file paths keep "already applied": two files may word one return differently)
      const stored = outcome.alreadyApplied ? outcome.payment.refusal : undefined
      if (stored) {
        const fields = [
          ...(stored.reasonCode !== checked.reasonCode.trim().toUpperCase() ? ['reasonCode'] : []),
          ...(stored.date !== checked.date ? ['date'] : []),
        ]
        if (fields.length > 0) throw idempotencyConflict('direct-debit return of payment', outcome.payment.id, fields)
      }
      if (!outcome.alreadyApplied) await auditInTransaction(tx, input.siteId, options.audit, outcome)
      return outcome
    })
  } catch (error) {
    throw asUseCaseError(error, 'recordDirectDebitReturn', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the returned direct debit'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}
