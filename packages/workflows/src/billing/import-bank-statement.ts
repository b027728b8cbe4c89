import { entrySplit, reconcile, statementDisagreements, type AmbiguousMatch, type BankStatement, type MatchCandidate, type OpenItems, type StatementEntry, type UnmatchedTransaction, type WalletTopUp } from '@ecole/bank'
import {
  asInputError, can, checkOptions, contentDifferences, EcoleError, idempotencyConflict, invoiceBalances, isEcoleError, localDateOf, markSepaCollectionSettled, Money, recordInvoicePayment, standardLedgerAccounts, systemAccountId, walletAccountId,
  type Actor, type Invoice, type LocalDate, type MinorAmount, type OpenInvoice, type OptionKinds, type Payment, type SepaMandate, type TransferFailureCode, type TransferResult,
} from '@ecole/core'
import type { BankEntrySuggestion, BankImportStore, HeldBankStatement, HeldStatementCheck, HeldStatementStatus, ImportedBankEntry, ImportedBankEntryOutcome, StorageTransaction } from '@ecole/core/ports'
import { recordDirectDebitReturnIn } from './direct-debits'
import { lockDirectoryKeys, lockRecords } from '../directory/record-versions'
import { auditInTransaction, type AuditOption } from './audit-with-change'
import { loadAccounts, mandatesById, need, readAll, type BillingDeps } from './support'
import { asUseCaseError } from '../use-case-error'
import { keyBankEntries, type KeyedBankEntry } from './bank-entry-keys'
import { unbalancedEntries } from './bank-entry-parts'
import { descriptiveDetailsOf, redeliveryDifferences, type BankEntryData } from './bank-entry-redelivery'

/** One line of an import's report. */
export interface BankImportLine {
  /**
   * The key the entry is imported under (its payment is `bank:<key>`), always qualified by the
   * statement's account: `<account>|<bank reference>` when the bank keyed the entry (with `~2`,
   * `~3`... for an entry whose key an earlier entry of the same import has, kept for review), else
   * the booking's content key `<account>|<date>/<CRDT|DBIT>/<amount><currency>/<hash>/<n>`, the
   * same in every file that delivers the booking (see docs/invoicing.md, "The key an entry is
   * imported under").
   */
  entryReference: string
  /**
   * What it became. An entry grouping several transfers with amounts of their own that add up to
   * it (a camt `Ntry` with several `TxDtls`, a globalised CODA movement) that do not all settle direct debits is
   * `{ kind: 'ignored', reason: 'grouped: …' }`: what became of each transfer is in `transfers`.
   */
  outcome: ImportedBankEntryOutcome
  /** Amount, minor units. */
  amountMinor: bigint
  /**
   * For an entry grouping several transfers (see `outcome`): what became of each, in file order,
   * each stored under its own key `<entry key>#<index>` (`listBankEntries(siteId, { outcome: 'review' })`
   * lists a transfer kept for review with its own amount, never the entry's). Absent otherwise.
   */
  transfers?: Array<{
    /** The key it is stored under: its entry's key and its index in the entry, `<entry key>#<index>`. */
    entryReference: string
    /** Its index in the entry (0 for the first transfer). */
    transactionIndex: number
    /** What it became: posted to one target, or kept for review. */
    outcome: ImportedBankEntryOutcome
    /** Its amount, minor units. */
    amountMinor: bigint
  }> | undefined
}

/** One transfer of an entry grouping several (see {@link BankImportLine.transfers}). */
type TransferLine = NonNullable<BankImportLine['transfers']>[number]
/** A duplicate whose descriptive details differ from its first delivery (see {@link BankImportReport.duplicateDifferences}). */
type DuplicateDifference = NonNullable<BankImportReport['duplicateDifferences']>[number]
/** A wallet credit a return could not take back (see {@link BankImportReport.walletReversalsFailed}). */
type UnreversedWalletCredit = NonNullable<BankImportReport['walletReversalsFailed']>[number]

/** A statement of an import that was held for review instead of imported. */
export interface HeldStatementLine {
  /** `STATEMENT_HELD_FOR_REVIEW`: what a caller tells the user. */
  code: 'STATEMENT_HELD_FOR_REVIEW'
  /** The key to decide on it with ({@link decideHeldStatement}). */
  key: string
  /** The statement's id in its file. */
  statementId: string
  /** Where it stands now: `held` (new or still waiting), or the decision already taken on it. */
  status: HeldStatementStatus
  /** True when this call held it; false when it was held before (nothing changed). */
  heldNow: boolean
  /** The checks that disagree. */
  disagreements: HeldStatementCheck[]
}

/** What {@link importBankStatement} returns. */
export interface BankImportReport {
  /** Entries imported by this call, with what each became. */
  imported: BankImportLine[]
  /**
   * Entries imported before (nothing changed for them), by the key they were stored under (a key
   * of 0.1 for an entry imported before the upgrade), then the entries an earlier statement of
   * this import holds too (the same booking in a notification and the day's statement), by key.
   */
  duplicates: string[]
  /**
   * The duplicates (by their key in `duplicates`) whose descriptive details differ from the
   * delivery imported first: the payer's name as the bank spells it (`Hélène Dupré` in the camt.054,
   * `HELENE DUPRE` in the day's camt.053) or the remittance text (structured references first). The
   * money facts agree (account, amount, currency, direction, booking date), so it is the same
   * movement: nothing is posted, stored or allocated again, and what the first delivery became
   * (`outcome`) stands, even when the remittance now names another reference: a reviewer reads the
   * difference here and moves the payment by hand if it must be moved. Absent when every duplicate
   * says the same as its first delivery.
   *
   * @example
   * report.duplicateDifferences
   * // [{ entryReference: 'BE68…|2027011600042', fields: ['counterpartyName'],
   * //    first: { counterpartyName: 'Hélène Dupré', remittance: '+++042/1000/00149+++' },
   * //    again: { counterpartyName: 'HELENE DUPRE', remittance: '+++042/1000/00149+++' },
   * //    outcome: { kind: 'invoicePayment', paymentId: 'bank:BE68…|2027011600042', invoiceId: 'dec:g1' } }]
   */
  duplicateDifferences?: Array<{
    /** The duplicate's key, as listed in `duplicates`. */
    entryReference: string
    /** The descriptive details that differ, in key order. */
    fields: Array<'counterpartyName' | 'remittance'>
    /** The details as the delivery imported first gave them (what is stored). */
    first: { counterpartyName: string | null; remittance: string | null }
    /** The details as this delivery gives them (not stored). */
    again: { counterpartyName: string | null; remittance: string | null }
    /** What the delivery imported first became (unchanged). */
    outcome: ImportedBankEntryOutcome
  }> | undefined
  /** Payments recorded (invoice payments and wallet top-ups). */
  payments: Payment[]
  /** Statements whose checks disagree: held for review, nothing of them posted. */
  held: HeldStatementLine[]
  /**
   * Returned direct debits whose wallet credit could not be taken back (the wallet was spent
   * meanwhile: `EXCEEDS_BALANCE`): the return is recorded and the invoices are due again, but the
   * wallet still holds money the bank took back. Each is also kept for review, stored under
   * `reviewReference` (outcome `review`, rule `WALLET_REVERSAL_FAILED`, candidate the wallet, its
   * amount what was not taken back). Absent when every reversal went through.
   *
   * @example
   * report.walletReversalsFailed
   * // [{ entryReference: 'BE68…|RET-1', paymentId: 'dd:E2E-1', payerId: 'g1', billingOfficeId: 'regie', amountMinor: 2000n,
   * //    currency: 'EUR', reasonCode: 'AM04', failure: 'EXCEEDS_BALANCE', reviewReference: 'BE68…|RET-1#walletReversal' }]
   */
  walletReversalsFailed?: Array<{
    /** The key of the returned transfer: its entry's, or `<entry key>#<index>` in an entry grouping several. */
    entryReference: string
    /** The payment whose wallet credit was not taken back (the direct debit, or a credit note's excess it had paid for). */
    paymentId: string
    /** Whose wallet. */
    payerId: string
    /** The wallet's billing office. */
    billingOfficeId: string
    /** What was not taken back, minor units: all of the credit (the ledger takes back all or nothing). */
    amountMinor: bigint
    /** Its currency. */
    currency: string
    /** The return's reason code (`AM04`...). */
    reasonCode: string
    /** Why the ledger refused (`EXCEEDS_BALANCE`...). */
    failure: TransferFailureCode
    /** The key the review item is stored under: `<entryReference>#walletReversal`. */
    reviewReference: string
  }> | undefined
}

/**
 * What importing (or accepting a held statement) needs beside the statements.
 *
 * @example
 * const options: BankImportOptions = { siteId: 'site-1', billingOfficeId: 'regie', timeZone: 'Europe/Brussels' }
 */
export interface BankImportOptions {
  /** The site. */
  siteId: string
  /**
   * The billing office holding the statement's account: its invoices are reconciled and its
   * wallets topped up. Where several offices share one bank account, all of them: each entry pays
   * an invoice of whichever office issued it (what it pays beyond that invoice stays in that
   * office), and a top-up goes to the office where the payer has a wallet (`wallets`).
   */
  billingOfficeId: string | readonly string[]
  /**
   * Wallets and their stable references, for top-ups. With several offices, each names its office
   * (`billingOfficeId`, required then): a payer's reference is the same at every office, so a
   * top-up whose payer has wallets at several of them is kept for review (`AMBIGUOUS`, a
   * candidate per office, `wallet:<payer>@<office>`), never credited to one at random.
   */
  wallets?: ReadonlyArray<BankImportWallet> | undefined
  /** The payment method recorded (default `transfer`). */
  transferMethod?: string | undefined
  /** The site's IANA zone, to date entries that carry no date. */
  timeZone?: string | undefined
  /**
   * The names each payer pays under (a guardian's name, the household's): a transfer with no usable
   * reference whose payer name and amount fit an open invoice is kept for review with scored
   * suggestions (`NAME_AND_AMOUNT`), never posted.
   */
  payerNames?: Readonly<Record<string, readonly string[]>> | undefined
}

/**
 * A wallet a bank import may top up: its payer, the stable reference the payer's transfers carry
 * (a structured communication) and, where the import spans several billing offices, the office
 * the wallet belongs to.
 *
 * @example
 * const wallet: BankImportWallet = { payerId: 'g1', reference: '+++042/1000/01735+++', billingOfficeId: 'regie' }
 */
export interface BankImportWallet {
  /** The payer (guardian) whose wallet it is. */
  payerId: string
  /** The reference the payer's transfers carry. */
  reference: string
  /** The wallet's billing office: one of the import's offices; required when it has several. */
  billingOfficeId?: string | undefined
}

/** The keys of a wallet of an import (their values are checked with the import's scope). */
const WALLET_KINDS: OptionKinds<BankImportWallet> = { payerId: 'any', reference: 'any', billingOfficeId: 'any' }

/** The keys of {@link BankImportOptions} (offices and wallets are checked with the import's scope). */
const IMPORT_OPTION_KINDS: OptionKinds<BankImportOptions> = {
  siteId: 'string', billingOfficeId: 'any', wallets: 'any', transferMethod: 'string?', timeZone: 'string?', payerNames: 'object?',
}

/**
 * Refuses, before anything is read or written, a key of an import's input, or of one of its
 * wallets, that the import does not know (`walets`, `wallets[0].compartment`): `INVALID_INPUT`
 * naming its path and the nearest known key. Read as absent, a misspelt `wallets` sent every
 * top-up to review, where a correct import of the same file then found it imported.
 */
function checkImportInput<T extends BankImportOptions>(fn: string, input: unknown, kinds: OptionKinds<T>): void {
  checkOptions<T>(fn, 'input', input, kinds)
  const wallets: unknown = (input as BankImportOptions).wallets
  if (!Array.isArray(wallets)) return
  wallets.forEach((w: unknown, i) => {
    if (typeof w === 'object' && w !== null && !Array.isArray(w)) checkOptions<BankImportWallet>(fn, `wallets[${i}]`, w, WALLET_KINDS)
  })
}

/**
 * The key a statement is held under: its format, account and id.
 *
 * @example
 * heldStatementKey(parseCamt053(xml)[0]) //=> 'camt.053|BE68539007547034|STMT-1'
 */
export function heldStatementKey(statement: BankStatement): string {
  try {
    return `${statement.format}|${statement.account.iban ?? statement.account.otherId ?? ''}|${statement.id}`
  } catch (error) {
    throw asInputError(error, 'heldStatementKey', { statement: [statement, 'object', 'a statement the parsers built'] })
  }
}

const plainCheck = (c: BankStatement['checks'][number]): HeldStatementCheck => ({
  rule: c.rule, figure: c.figure, stated: c.stated, computed: c.computed, severity: c.severity,
  ...(c.convention !== undefined ? { convention: c.convention } : {}), ...(c.entryReference !== undefined ? { entryReference: c.entryReference } : {}),
})

/**
 * A statement as JSON text: every amount (`{ minor, currency }`) as `{ "$minor": [minor, currency] }`,
 * the minor units as a decimal string (how a held statement is stored).
 *
 * @example
 * statementFromJson(statementToJson(statement)).entries[0].amount //=> { minor: 4250n, currency: 'EUR' }
 * @throws EcoleError `INVALID_INPUT` naming `statement` when it cannot be written (a cycle, a bigint that is not an amount's).
 */
export function statementToJson(statement: BankStatement): string {
  try {
    return JSON.stringify(statement, function (this: unknown, key: string, v: unknown) {
      const raw = (this as Record<string, unknown>)[key]
      return isMinorAmount(raw) ? { $minor: [raw.minor.toString(), raw.currency] } : v
    })
  } catch (error) {
    if (typeof statement === 'object' && statement !== null && !Array.isArray(statement) && !isEcoleError(error)) throw statementJsonError(error, 'statementToJson', 'statement', 'is not a statement the parsers built')
    throw asInputError(error, 'statementToJson', { statement: [statement, 'object', 'a statement the parsers built'] })
  }
}

/** The `INVALID_INPUT` of a stored statement that cannot be written or read (malformed JSON, an amount that is not one), naming the parameter. */
function statementJsonError(error: unknown, fn: string, param: string, message: string): EcoleError {
  const cause = error instanceof Error ? `${error.name}: ${error.message}` : 'unreadable'
  return new EcoleError('INVALID_INPUT', `${fn}: ${param} ${message} (${cause})`, {
    details: { function: fn, issues: [{ path: param, code: 'custom', message }] },
    cause: error,
  })
}

function isMinorAmount(x: unknown): x is MinorAmount {
  return x !== null && typeof x === 'object' && typeof (x as MinorAmount).minor === 'bigint' && typeof (x as MinorAmount).currency === 'string'
}

/**
 * The statement {@link statementToJson} wrote, its amounts as `{ minor, currency }` again. A
 * statement held before 0.1.0 (amounts written as `{ "$money": [decimal, currency] }`) reads the
 * same way.
 *
 * @example
 * const statement = statementFromJson(held.statementJson)
 * @throws EcoleError `INVALID_INPUT` naming `json` when it is not a statement as {@link statementToJson} wrote it (malformed JSON, an unreadable amount).
 */
export function statementFromJson(json: string): BankStatement {
  try {
    return JSON.parse(json, (_k, v: unknown) => {
      if (v !== null && typeof v === 'object') {
        if ('$minor' in v) {
          const [minor, currency] = (v as { $minor: [string, string] }).$minor
          return { minor: BigInt(minor), currency }
        }
        if ('$money' in v) {
          const [amount, currency] = (v as { $money: [string, string] }).$money
          return { minor: Money.of(amount, currency).toMinor(), currency }
        }
      }
      return v
    }) as BankStatement
  } catch (error) {
    if (typeof json === 'string' && !isEcoleError(error)) throw statementJsonError(error, 'statementFromJson', 'json', 'is not a statement as statementToJson wrote it')
    throw asInputError(error, 'statementFromJson', { json: [json, 'string', 'a statement as statementToJson wrote it'] })
  }
}

/**
 * Imports parsed bank statements (`parseCamt053`, `parseCamt054`, `parseCoda`... of `@ecole/bank`):
 * reconciles their entries with the site's open invoices (by structured reference), wallets (by
 * their stable reference) and collected direct debits (by end-to-end id), then, in one
 * transaction, records invoice payments and wallet top-ups, marks settled collections (the
 * mandate's sequence advances), records direct-debit returns, and keeps ambiguous and unmatched
 * entries for review. Idempotent on each entry's key ({@link BankImportLine.entryReference}): the
 * bank's reference qualified by the account, else a key of the booking's content that does not
 * depend on the statement, so importing the same file twice changes nothing, nor does the same
 * booking in a notification (camt.054) and then the day's statement, or in a statement sent again
 * under a new id; two identical bookings of one statement stay two. An entry stored under its key
 * of 0.1 (the parser's reference) for the same account counts as imported. An entry the bank keyed,
 * imported before, is the same movement when its money facts agree with the stored ones (account,
 * amount, currency, direction, booking date): a counterparty name or a remittance the bank writes
 * otherwise this time (`Hélène Dupré`, then `HELENE DUPRE`) is no conflict; the entry is a
 * duplicate, nothing is posted or allocated again, and the difference is reported in
 * `duplicateDifferences`. A difference in a money fact is another movement under the same key: it
 * is refused with `IDEMPOTENCY_CONFLICT` naming the differing fields, and the whole import with it.
 *
 * Kept for review (`AMBIGUOUS`, nothing of the entry posted) with a `rule`: an entry whose bank
 * reference an earlier entry of the import has (`REFERENCE_REPEATED`, keyed `<reference>~2`... in
 * file order, never dropped nor written over the first), a zero-amount credit
 * (`ZERO_AMOUNT`), a transfer whose references name invoices of several debtors
 * (`SEVERAL_DEBTORS`, never posted to one of them), and a wallet top-up in another currency than
 * the wallet's office or the payer's open wallet (`CURRENCY_MISMATCH`), as an invoice payment in
 * another currency is. A reversal (`RvslInd`: the bank takes a payment back) is never posted
 * either: reconciliation keeps it for review (`REVERSAL`).
 *
 * An entry grouping several transfers with amounts of their own that add up to it exactly (a camt
 * `Ntry` with several `TxDtls`, a globalised CODA movement; `entrySplit` of `@ecole/bank`) is
 * matched transfer by transfer, and every transfer is either posted to exactly one target or kept
 * for review, never dropped: the entry is stored with
 * `{ kind: 'ignored', reason: 'grouped: …' }` and each transfer under `<key>#<index>` with its own
 * amount and outcome (the report lists them in {@link BankImportLine.transfers}), so the review list
 * holds only what was not posted. An entry whose transfers all settle direct debits keeps one
 * `directDebitSettled` outcome naming every payment; an entry of one transfer is stored as before.
 * An entry whose transfers' amounts do not add up to it (fewer `TxDtls` listed than the batch
 * holds, a fee netted, a bank error) is posted neither by parts nor whole: it is kept whole for
 * review (`BATCH_AMOUNTS_DIFFER`, its amount the entry's, candidates what its transfers name), and
 * the import checks, whatever reconciliation reports, that the parts it posts and keeps for review
 * add up to each entry's amount (else the same).
 *
 * A debit returning a transfer we received (return information, no direct debit of ours) is kept
 * for review naming what its references name (`RETURNED_TRANSFER`, e.g. `wallet:g1`), as a
 * reversal is. A returned direct debit whose wallet credit the ledger would not take back (spent
 * meanwhile) is recorded, listed in `walletReversalsFailed` and kept for review
 * (`WALLET_REVERSAL_FAILED`, under `<key>#walletReversal`).
 *
 * A statement whose checks disagree (`statementDisagreements` of `@ecole/bank`) is **held for
 * review** instead: stored whole with its checks, nothing of it posted, and listed in `held`
 * (code `STATEMENT_HELD_FOR_REVIEW`); {@link decideHeldStatement} accepts or rejects it. Importing
 * it again changes nothing, whether it is still held, accepted or rejected.
 *
 * A payment is dated by its entry's booking (or value) date, else by its statement's closing
 * date; only when neither exists is it dated "today" in `timeZone`, the site's IANA zone, which
 * must then be given (never the UTC day of the server).
 *
 * With `options.audit`, the entries built from the report are written in the import's
 * transaction, when it imported an entry or held a statement; importing the same file again writes none.
 *
 * @example
 * const report = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: parseCamt053(xml),
 *   wallets: [{ payerId: 'g1', reference: '+++042/1000/01735+++' }] })
 * report.held //=> [] when every statement adds up
 * @throws EcoleError `INVALID_INPUT` naming the path of a key the import does not know, with the
 * nearest known one (`input.walets`: did you mean `wallets`?; `wallets[0].compartment`), or of an
 * office or wallet that is not one, before anything is read or written; `IDEMPOTENCY_CONFLICT`
 * (an entry the bank keyed imported before with another account, amount, currency, direction or
 * booking date).
 */
export async function importBankStatement(
  deps: BillingDeps,
  input: BankImportOptions & { statements: readonly BankStatement[] },
  options: AuditOption<BankImportReport> = {},
): Promise<BankImportReport> {
  try {
    checkImportInput<BankImportOptions & { statements: readonly BankStatement[] }>('importBankStatement', input, { ...IMPORT_OPTION_KINDS, statements: 'array' })
    const { siteId } = input
    const now = deps.clock.now()
    return await deps.storage.transaction(siteId, async (tx) => {
      const { bankImports } = need(tx, 'bankImports')
      const held: HeldStatementLine[] = []
      const agreeing: BankStatement[] = []
      for (const s of input.statements) {
        const disagreements = statementDisagreements(s)
        if (disagreements.length === 0) {
          agreeing.push(s)
          continue
        }
        const key = heldStatementKey(s)
        const record: HeldBankStatement = {
          key, statementId: s.id, format: s.format, accountIban: s.account.iban ?? s.account.otherId ?? '', status: 'held', heldAt: now.toISOString(),
          entryCount: s.entries.length, checks: s.checks.map(plainCheck), statementJson: statementToJson(s), decision: null,
        }
        const created = await bankImports.createHeldStatement(siteId, record)
        const status = created === 'created' ? 'held' : ((await bankImports.getHeldStatement(siteId, key))?.status ?? 'held')
        held.push({ code: 'STATEMENT_HELD_FOR_REVIEW', key, statementId: s.id, status, heldNow: created === 'created', disagreements: disagreements.map(plainCheck) })
      }
      const report = { ...(await importIn(tx, now, input, agreeing)), held }
      if (report.imported.length > 0 || held.some((h) => h.heldNow)) await auditInTransaction(tx, siteId, options.audit, report)
      return report
    })
  } catch (error) {
    throw asUseCaseError(error, 'importBankStatement', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the import options and statements'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

/**
 * Accepts or rejects a statement held for review, as a back-office user with the `payments.write`
 * permission on the site. Accepted: its entries are reconciled and posted as
 * {@link importBankStatement} does, in the same transaction as the decision. Rejected: nothing is
 * ever posted. Who decided, when (the clock) and why are kept. Deciding again the same way changes
 * nothing (`alreadyDecided: true`); the other way is refused. With `options.audit`, the entries
 * built from the decision are written in its transaction; deciding again writes none.
 *
 * @example
 * const { statement, report } = await decideHeldStatement(deps, { siteId, billingOfficeId: 'regie', key: held.key, actor, decision: 'accept' })
 * @throws EcoleError `PERMISSION_DENIED` (the actor may not record payments on the site),
 * `NOT_FOUND` (no statement held under `key`), `STATEMENT_ALREADY_DECIDED` (decided the other way); `INVALID_INPUT` naming the argument that is not what the library builds,
 * or a key of `input` it does not know (with the nearest known one).
 */
export async function decideHeldStatement(
  deps: BillingDeps,
  input: BankImportOptions & { key: string; actor: Actor; decision: 'accept' | 'reject'; reason?: string | undefined },
  options: AuditOption<{ statement: HeldBankStatement; alreadyDecided: boolean; report: Omit<BankImportReport, 'held'> }> = {},
): Promise<{ statement: HeldBankStatement; alreadyDecided: boolean; report: Omit<BankImportReport, 'held'> }> {
  try {
    checkImportInput<BankImportOptions & { key: string; actor: Actor; decision: 'accept' | 'reject'; reason?: string | undefined }>('decideHeldStatement', input, {
      ...IMPORT_OPTION_KINDS, key: 'string', actor: 'object', decision: 'any', reason: 'any',
    })
    const { siteId, key, actor } = input
    if (!can(actor, 'payments.write', { siteId })) {
      throw new EcoleError('PERMISSION_DENIED', `user ${actor.userId} may not decide on bank statements of site ${siteId}: the permission payments.write on the whole site is needed`, {
        details: { userId: actor.userId, permission: 'payments.write', siteId },
      })
    }
    if (input.decision !== 'accept' && input.decision !== 'reject') {
      throw new EcoleError('INVALID_INPUT', `decision: must be accept or reject, got ${JSON.stringify(input.decision)}`, { details: { field: 'decision' } })
    }
    const now = deps.clock.now()
    const status = input.decision === 'accept' ? 'accepted' : 'rejected'
    return await deps.storage.transaction(siteId, async (tx) => {
      const { bankImports } = need(tx, 'bankImports')
      const decided = await bankImports.decideHeldStatement(siteId, key, { status, decidedBy: actor.userId, decidedAt: now.toISOString(), reason: input.reason ?? null })
      const empty = { imported: [], duplicates: [], payments: [] }
      if (decided === 'not-found') throw new EcoleError('NOT_FOUND', `no bank statement is held under ${key} on site ${siteId}`, { details: { key, siteId } })
      if (decided === 'already-decided') {
        const current = (await bankImports.getHeldStatement(siteId, key)) as HeldBankStatement
        if (current.status !== status) {
          throw new EcoleError('STATEMENT_ALREADY_DECIDED', `bank statement ${key} was already ${current.status} by ${current.decision?.decidedBy ?? '?'} at ${current.decision?.decidedAt ?? '?'}`, {
            details: { key, status: current.status, decision: current.decision },
          })
        }
        return { statement: current, alreadyDecided: true, report: empty }
      }
      const report = status === 'accepted' ? await importIn(tx, now, input, [statementFromJson(decided.statementJson)]) : empty
      const out = { statement: decided, alreadyDecided: false, report }
      await auditInTransaction(tx, siteId, options.audit, out)
      return out
    })
  } catch (error) {
    throw asUseCaseError(error, 'decideHeldStatement', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the held statement and the decision'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

/**
 * What {@link previewBankStatement} proposes for one entry of a statement.
 *
 * @example
 * const toReview = preview.lines.filter((l: BankPreviewLine) => l.proposal.kind === 'review')
 */
export interface BankPreviewLine {
  /** The key the entry would be imported under (see {@link BankImportLine.entryReference}). */
  entryReference: string
  /** Amount, minor units (positive), and whether the money came in or went out. */
  amountMinor: bigint
  /** `credit` (money in) or `debit`. */
  direction: 'credit' | 'debit'
  /** The counterparty's name as the bank gives it, if any. */
  counterpartyName: string | null
  /** The remittance information (structured references first), if any. */
  remittance: string | null
  /**
   * What an import would do with it: pay an invoice, top up a wallet (by its structured
   * communication), settle or return a direct debit, keep it for review (ambiguous or unmatched),
   * ignore it (a debit, a reversal...), or nothing because it was imported before (or an earlier
   * statement of the same import holds the same booking).
   */
  proposal:
    | { kind: 'invoicePayment'; invoiceId: string; debtorId: string }
    | { kind: 'walletTopUp'; payerId: string; billingOfficeId: string }
    | { kind: 'directDebitSettled'; endToEndId: string }
    | { kind: 'directDebitReturn'; endToEndId: string; reasonCode: string | null }
    | {
        kind: 'review'
        reason: 'AMBIGUOUS' | 'UNMATCHED'
        candidates: string[]
        /**
         * Why it is not decided, when a rule says so (what the import stores as the entry's `rule`):
         * `BATCH_AMOUNTS_DIFFER` (its transactions do not add up to it), `REFERENCE_TYPO`,
         * `SEVERAL_DEBTORS`, `REVERSAL`...
         */
        rule?: string | undefined
      }
    | { kind: 'ignored'; reason: string }
    | { kind: 'alreadyImported' }
}

/**
 * What {@link previewBankStatement} returns.
 *
 * @example
 * const preview: BankImportPreview = await previewBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })
 */
export interface BankImportPreview {
  /** One line per entry of the agreeing statements, in file order. */
  lines: BankPreviewLine[]
  /** Statements whose checks disagree: an import would hold them for review, nothing of them posted. */
  disagreeing: Array<{ statementId: string; key: string; disagreements: HeldStatementCheck[] }>
}

/**
 * What {@link importBankStatement} would do with `statements`, without writing anything: the
 * reconciliation a person reviews before confirming the import (matched invoices, wallet top-ups
 * by structured communication, direct debits settled or returned, entries to review, entries
 * imported before), each entry under the key the import would use. The import itself decides
 * again on what holds when it runs.
 *
 * @example
 * const preview = await previewBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: parseCamt053(xml) })
 * preview.lines.filter((l) => l.proposal.kind === 'alreadyImported').length //=> 0 for a new statement
 * @throws EcoleError `INVALID_INPUT` naming a key of `input` the preview does not know (with the nearest known one), or an office or wallet that is not one.
 */
export async function previewBankStatement(
  deps: BillingDeps,
  input: BankImportOptions & { statements: readonly BankStatement[] },
): Promise<BankImportPreview> {
  try {
    checkImportInput<BankImportOptions & { statements: readonly BankStatement[] }>('previewBankStatement', input, { ...IMPORT_OPTION_KINDS, statements: 'array' })
    return await deps.storage.transaction(input.siteId, async (tx) => {
      const disagreeing: BankImportPreview['disagreeing'] = []
      const agreeing: BankStatement[] = []
      for (const s of input.statements) {
        const d = statementDisagreements(s)
        if (d.length === 0) agreeing.push(s)
        else disagreeing.push({ statementId: s.id, key: heldStatementKey(s), disagreements: d.map(plainCheck) })
      }
      const { already, all, acc, result, toInvoices, review, returned } = await reconcileIn(tx, input, agreeing)
      const proposals = new Map<string, BankPreviewLine['proposal']>()
      for (const ip of result.invoicePayments) {
        if (ip.endToEndId && acc.byE2e.has(ip.endToEndId)) proposals.set(ip.entryReference, { kind: 'directDebitSettled', endToEndId: ip.endToEndId })
        else proposals.set(ip.entryReference, { kind: 'review', reason: 'UNMATCHED', candidates: [] })
      }
      for (const e of toInvoices) proposals.set(e.entryReference, { kind: 'invoicePayment', invoiceId: e.invoiceId, debtorId: acc.invoicesById.get(e.invoiceId)!.debtorId })
      for (const w of result.walletTopUps) {
        const wallet = acc.walletsByKey.get(w.walletId)!
        proposals.set(w.entryReference, { kind: 'walletTopUp', payerId: wallet.payerId, billingOfficeId: wallet.billingOfficeId })
      }
      for (const r of result.directDebitReturns) proposals.set(r.entryReference, { kind: 'directDebitReturn', endToEndId: r.endToEndId, reasonCode: r.reasonCode ?? null })
      for (const a of result.ambiguous) proposals.set(a.entryReference, { kind: 'review', reason: 'AMBIGUOUS', candidates: a.candidates.map((c) => `${c.kind}:${c.id}`), rule: a.reason })
      for (const r of review) proposals.set(r.entryReference, { kind: 'review', reason: 'AMBIGUOUS', candidates: r.candidates, rule: r.rule })
      for (const u of result.unmatched) {
        if (proposals.has(u.entryReference)) continue
        const named = returned.get(transferKey(u.entryReference, u.transactionIndex))
        proposals.set(u.entryReference, named ? { kind: 'review', reason: 'AMBIGUOUS', candidates: named.map((c) => `${c.kind}:${c.id}`) } : { kind: 'review', reason: 'UNMATCHED', candidates: [] })
      }
      for (const s of result.skipped) if (!proposals.has(s.entryReference)) proposals.set(s.entryReference, { kind: 'ignored', reason: s.status })
      const lines: BankPreviewLine[] = []
      for (const { key: ref, entry, sameBookingAsEarlier } of all) {
        const tx0 = entry.transactions[0]
        const counterparty = entry.creditDebit === 'credit' ? tx0?.debtor?.name : tx0?.creditor?.name
        const remittance = tx0 ? [...tx0.remittance.structured.map((s) => s.reference), ...tx0.remittance.unstructured].join(' ') : ''
        lines.push({
          entryReference: ref, amountMinor: entry.amount.minor, direction: entry.creditDebit, counterpartyName: counterparty ?? null, remittance: remittance || null,
          proposal: already.has(ref) || sameBookingAsEarlier ? { kind: 'alreadyImported' } : proposals.get(ref) ?? { kind: 'ignored', reason: 'not matched by reconciliation' },
        })
      }
      return { lines, disagreeing }
    })
  } catch (error) {
    throw asUseCaseError(error, 'previewBankStatement', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the import options and statements'] })
  }
}

/**
 * An entry that pays one invoice of ours: matched by reconciliation to an invoice that still owes
 * something, or naming (by its reference) an invoice that owes nothing any more. Which invoices it
 * settles is decided after the import's locks, on what each invoice owes then: the named one,
 * then its debtor's other open invoices oldest first, then the debtor's wallet.
 */
interface InvoiceEntry {
  entryReference: string
  transactionIndex: number
  amount: MinorAmount
  invoiceId: string
  endToEndId?: string | undefined
}

/** A wallet of an import, with its office and the id reconciliation knows it by. */
interface ScopedWallet {
  /** The payer's id with one office; `<payer>@<office>` with several (a candidate a reviewer reads). */
  key: string
  payerId: string
  reference: string
  billingOfficeId: string
}

/**
 * The offices an import reconciles (`billingOfficeId`, one or several) and its wallets, each with
 * its office: checked, so that a wallet of an office outside the import, or with no office when
 * there are several, is refused before anything is read.
 */
function importScope(input: BankImportOptions): { offices: string[]; wallets: ScopedWallet[] } {
  const givenOffices: unknown = input.billingOfficeId
  const offices = typeof givenOffices === 'string' ? [givenOffices] : Array.isArray(givenOffices) ? [...(givenOffices as unknown[])] : []
  if (offices.length === 0 || offices.some((o) => typeof o !== 'string' || o.trim() === '')) {
    throw EcoleError.invalidInput('billingOfficeId', 'must be a billing office id, or a non-empty list of them')
  }
  const ids = offices as string[]
  if (new Set(ids).size !== ids.length) throw EcoleError.invalidInput('billingOfficeId', `lists an office twice (${ids.join(', ')})`)
  const several = ids.length > 1
  const givenWallets: unknown = input.wallets ?? []
  if (!Array.isArray(givenWallets)) throw EcoleError.invalidInput('wallets', 'must be a list of { payerId, reference, billingOfficeId? }')
  const wallets = (givenWallets as unknown[]).map((x, i): ScopedWallet => {
    const w = x as BankImportWallet
    if (typeof w !== 'object' || w === null || typeof w.payerId !== 'string' || w.payerId === '' || typeof w.reference !== 'string' || w.reference === '') {
      throw EcoleError.invalidInput(`wallets[${i}]`, 'must be { payerId, reference, billingOfficeId? } with a payer id and a reference')
    }
    if (w.billingOfficeId !== undefined && typeof w.billingOfficeId !== 'string') throw EcoleError.invalidInput(`wallets[${i}].billingOfficeId`, 'must be a billing office id')
    const office = w.billingOfficeId ?? (several ? undefined : ids[0])
    if (office === undefined) throw EcoleError.invalidInput(`wallets[${i}].billingOfficeId`, `is required when the import spans several billing offices (${ids.join(', ')})`)
    if (!ids.includes(office)) throw EcoleError.invalidInput(`wallets[${i}].billingOfficeId`, `must be one of the import's billing offices (${ids.join(', ')}), got ${office}`)
    return { key: several ? `${w.payerId}@${office}` : w.payerId, payerId: w.payerId, reference: w.reference, billingOfficeId: office }
  })
  return { offices: ids, wallets }
}

/** Reads what a reconciliation of `statements` needs inside `tx`, and reconciles (nothing written). */
async function reconcileIn(tx: StorageTransaction, input: BankImportOptions, statements: readonly BankStatement[]) {
  const { siteId } = input
  const { payments } = need(tx, 'bankImports', 'payments', 'invoicing')
  const { entries, repeated, keyed, sameBooking, all } = keyEntries(statements)
  const imported = await findImportedEntries(tx, siteId, entries)
  const already = new Set(imported.keys())
  const scope = importScope(input)
  const acc = await loadAccounts(tx, siteId, { billingOfficeIds: scope.offices })
  const invoicesById = new Map(acc.invoices.map((i) => [i.id, i]))
  const walletsByKey = new Map(scope.wallets.map((w) => [w.key, w]))
  const owed = (id: string): bigint => { const o = acc.balances.get(id)!.outstandingMinor; return o > 0n ? o : 0n }
  const collected = (await readAll((p) => payments.listPayments(siteId, { method: 'directDebit', status: 'recorded' }, p))).filter((p) => p.endToEndId !== null)
  const byE2e = new Map(collected.map((p) => [p.endToEndId!, p]))
  const openItems: OpenItems = {
    // every invoice with a reference, paid ones too (owing 0): a transfer naming an invoice paid
    // meanwhile (a cashier, another import) is recognised as paying its debtor whatever this read
    // saw, instead of being unmatched when the payment committed before this read and allocated when
    // it committed after (the allocation itself is decided after the locks, below)
    invoices: acc.invoices
      .filter((i) => i.paymentReference !== null)
      .map((i) => ({
        id: i.id, reference: i.paymentReference!, amountDue: { amount: Money.fromMinor(owed(i.id), i.currency).amount, currency: i.currency }, dueDate: i.dueDate,
        ...(input.payerNames?.[i.debtorId] !== undefined ? { payerNames: [...input.payerNames[i.debtorId]!] } : {}),
      })),
    wallets: scope.wallets.map((w) => ({ id: w.key, reference: w.reference })),
    // a collection settles the invoices it collected that are still open (as before paid invoices were passed)
    directDebits: collected.map((p) => ({
      endToEndId: p.endToEndId!, amount: { amount: Money.fromMinor(p.amountMinor, p.currency).amount, currency: p.currency },
      invoiceIds: p.allocations.map((a) => a.invoiceId).filter((id) => invoicesById.has(id) && owed(id) > 0n), ...(p.mandateId ? { mandateId: p.mandateId } : {}),
    })),
  }
  const settledBefore = await settledDirectDebits(tx, siteId, entries, byE2e)
  const raw = reconcile(keyed, openItems, { alreadyImported: already, settledDirectDebits: settledBefore })
  // a debit returning a transfer we received (it carries return information, and no direct debit of
  // ours has its end-to-end id): its candidates are what its references name, as for a reversal
  const returned = returnedTransferCandidates(entries, raw.unmatched, openItems)
  // the entries that pay one invoice of ours, in file order: matched ones, and those naming an
  // invoice that owes nothing any more (reconciliation's INVOICE_ALREADY_PAID, when its candidates
  // are invoices of one debtor: the earliest due is the one named)
  const toInvoices: InvoiceEntry[] = []
  const paidNamed = new Set<AmbiguousMatch>()
  // one transfer naming invoices of several debtors is never posted to one of them (the first): kept for review
  const severalDebtors: ReviewEntry[] = []
  for (const ip of raw.invoicePayments) {
    if (ip.endToEndId && byE2e.has(ip.endToEndId)) continue
    const debtors = new Set(ip.allocations.flatMap((a) => { const i = invoicesById.get(a.invoiceId); return i ? [i.debtorId] : [] }))
    if (debtors.size > 1) {
      severalDebtors.push({ entryReference: ip.entryReference, rule: 'SEVERAL_DEBTORS', candidates: ip.allocations.map((a) => `invoice:${a.invoiceId}`) })
      continue
    }
    const invoiceId = ip.allocations[0]?.invoiceId
    if (invoiceId !== undefined && invoicesById.has(invoiceId)) {
      toInvoices.push({ entryReference: ip.entryReference, transactionIndex: ip.transactionIndex, amount: ip.amount, invoiceId, endToEndId: ip.endToEndId })
    }
  }
  for (const a of raw.ambiguous) {
    if (a.reason !== 'INVOICE_ALREADY_PAID' || a.creditDebit !== 'credit') continue
    const named = a.candidates.map((c) => (c.kind === 'invoice' ? invoicesById.get(c.id) : undefined))
    const first = named[0]
    if (!first || named.some((i) => i === undefined || i.debtorId !== first.debtorId)) continue
    paidNamed.add(a)
    toInvoices.push({ entryReference: a.entryReference, transactionIndex: a.transactionIndex, amount: a.amount, invoiceId: first.id })
  }
  const position = new Map([...entries.keys()].map((ref, n) => [ref, n]))
  toInvoices.sort((x, y) => (position.get(x.entryReference)! - position.get(y.entryReference)!) || x.transactionIndex - y.transactionIndex)
  // entries a person must look at although reconciliation found where they go: nothing of them is posted
  const review: ReviewEntry[] = [...repeated].map((key) => ({ entryReference: key, rule: 'REFERENCE_REPEATED', candidates: [] }))
  review.push(...severalDebtors)
  for (const e of toInvoices) {
    if (e.amount.minor <= 0n) review.push({ entryReference: e.entryReference, rule: 'ZERO_AMOUNT', candidates: [`invoice:${e.invoiceId}`] })
  }
  for (const w of raw.walletTopUps) {
    if (w.amount.minor <= 0n) review.push({ entryReference: w.entryReference, rule: 'ZERO_AMOUNT', candidates: [`wallet:${w.walletId}`] })
  }
  review.push(...(await foreignTopUps(tx, siteId, raw.walletTopUps, walletsByKey, acc.invoices)))
  // the import's own guard: an entry whose reported parts do not add up to it posts nothing
  for (const ref of unbalancedEntries(entries, raw)) review.push({ entryReference: ref, rule: 'BATCH_AMOUNTS_DIFFER', candidates: [] })
  const held = new Set(review.map((r) => r.entryReference))
  const kept = <T extends { entryReference: string }>(list: readonly T[]): T[] => list.filter((x) => !held.has(x.entryReference))
  const result = {
    ...raw, ambiguous: kept(raw.ambiguous.filter((a) => !paidNamed.has(a))), walletTopUps: kept(raw.walletTopUps),
    invoicePayments: kept(raw.invoicePayments), directDebitReturns: kept(raw.directDebitReturns), unmatched: kept(raw.unmatched),
  }
  return {
    entries, already, imported, sameBooking, all, acc: { invoicesById, byE2e, walletsByKey, severalOffices: scope.offices.length > 1 }, result, toInvoices: kept(toInvoices), review, returned,
    settledBefore,
  }
}

/**
 * The end-to-end ids of the collected direct debits (`byE2e`) that the credits of `entries` name
 * and whose settlement an earlier import recorded (a stored entry, or a transfer of a grouped one,
 * `directDebitSettled` naming the debit's payment): reconciliation keeps a credit naming one of
 * them for review (`ALREADY_SETTLED`) instead of settling the debit twice. Storage is read only
 * when a credit of the import names one of our debits by its end-to-end id.
 */
async function settledDirectDebits(
  tx: StorageTransaction, siteId: string, entries: ReadonlyMap<string, KeyedBankEntry>, byE2e: ReadonlyMap<string, Payment>,
): Promise<Set<string>> {
  const named = namedDirectDebits(entries, byE2e)
  const out = new Set<string>()
  if (named.size === 0) return out
  const { bankImports } = need(tx, 'bankImports')
  const stored = await readAll((p) => bankImports.listBankEntries(siteId, { outcome: 'directDebitSettled' }, p))
  for (const e of stored) {
    if (e.outcome.kind !== 'directDebitSettled') continue
    for (const id of e.outcome.paymentIds) {
      const e2e = named.get(id)
      if (e2e !== undefined) out.add(e2e)
    }
  }
  return out
}

/**
 * The collected direct debits (payment id to end-to-end id) that a credit of `entries` names by its
 * end-to-end id: the debits an import of them could settle.
 */
function namedDirectDebits(entries: ReadonlyMap<string, KeyedBankEntry>, byE2e: ReadonlyMap<string, Payment>): Map<string, string> {
  const named = new Map<string, string>()
  for (const { entry } of entries.values()) {
    if (entry.creditDebit !== 'credit' && !entry.transactions.some((t) => t.creditDebit === 'credit')) continue
    for (const t of entry.transactions) {
      const dd = t.endToEndId === undefined ? undefined : byE2e.get(t.endToEndId)
      if (dd) named.set(dd.id, t.endToEndId!)
    }
  }
  return named
}

/** The key of one transfer of an entry in maps of the import (never stored). */
const transferKey = (entryReference: string, transactionIndex: number): string => `${entryReference}\u0000${transactionIndex}`

/**
 * The candidates of each unmatched debit that returns a transfer we received (camt `RtrInf`, a
 * CODA return: the payer's bank sent it back, e.g. `AC04`), by {@link transferKey}: what its
 * references and end-to-end id name, found the way reconciliation finds what a reversal takes
 * back (the same entry marked `RvslInd` names the topped-up wallet). Debits naming nothing are left out.
 */
function returnedTransferCandidates(
  entries: ReadonlyMap<string, KeyedBankEntry>, unmatched: readonly UnmatchedTransaction[], openItems: OpenItems,
): Map<string, MatchCandidate[]> {
  const probes: StatementEntry[] = []
  for (const u of unmatched) {
    const entry = u.creditDebit === 'debit' ? entries.get(u.entryReference)?.entry : undefined
    if (!entry) continue
    // reconciliation matches each transaction on its own only when their amounts add up to the entry (entrySplit)
    const split = entrySplit(entry).kind === 'split'
    const transactions = split ? entry.transactions.slice(u.transactionIndex, u.transactionIndex + 1) : entry.transactions
    if (!transactions.some((t) => t.returnInfo !== undefined)) continue
    probes.push({
      ...entry, reference: transferKey(u.entryReference, u.transactionIndex), reversal: true, status: 'booked', amount: u.amount, transactions,
      additionalInfo: split ? [] : entry.additionalInfo,
    })
  }
  const out = new Map<string, MatchCandidate[]>()
  if (probes.length === 0) return out
  for (const a of reconcile(probes, openItems).ambiguous) if (a.candidates.length > 0) out.set(a.entryReference, a.candidates)
  return out
}

/** An entry kept for review by the import itself (`AMBIGUOUS`, with `rule` saying why), nothing of it posted. */
interface ReviewEntry {
  entryReference: string
  /** `REFERENCE_REPEATED`, `SEVERAL_DEBTORS`, `ZERO_AMOUNT`, `CURRENCY_MISMATCH` or `BATCH_AMOUNTS_DIFFER`. */
  rule: string
  candidates: string[]
}

/**
 * The entries of `statements` by the key each is imported under ({@link keyBankEntries}): an
 * entry whose bank key an earlier entry of the import has (`~2`, `~3`... in file order) is never
 * reconciled (`keyed` leaves it out) but kept for review (`repeated`), neither dropped nor written
 * over the first one; an entry an earlier statement of the import holds too (the same booking
 * delivered twice, no bank key) is left out of `entries` and `keyed` (`sameBooking`).
 */
function keyEntries(statements: readonly BankStatement[]): {
  entries: Map<string, KeyedBankEntry>
  repeated: Set<string>
  keyed: BankStatement[]
  sameBooking: KeyedBankEntry[]
  all: KeyedBankEntry[]
} {
  const all = keyBankEntries(statements)
  const entries = new Map<string, KeyedBankEntry>()
  const repeated = new Set<string>()
  const sameBooking: KeyedBankEntry[] = []
  const own = new Map<BankStatement, StatementEntry[]>(statements.map((s) => [s, []]))
  for (const k of all) {
    if (k.sameBookingAsEarlier) {
      sameBooking.push(k)
      continue
    }
    entries.set(k.key, k)
    if (k.repeated) repeated.add(k.key)
    else own.get(k.statement)!.push(k.entry)
  }
  const keyed = statements.map((s) => ({ ...s, entries: own.get(s)! }))
  return { entries, repeated, keyed, sameBooking, all }
}

/**
 * An entry of the import imported before: `storedUnder` the key it was recorded under (its own,
 * its content key when an earlier delivery had no bank key, or its key before 0.2), and whether
 * its money facts are compared with the stored ones (`IDEMPOTENCY_CONFLICT` when they differ): not
 * for a content key, which holds them (and a counterparty name the notification and the statement
 * write differently is the same booking). Its descriptive details are compared in every case, for
 * the report ({@link BankImportReport.duplicateDifferences}).
 */
interface ImportedBefore { storedUnder: string; compare: boolean }

/**
 * Which entries of the import were imported before, by key: under their own key; an entry with a
 * bank key, under its content key (an earlier delivery without the bank's key; see
 * {@link KeyedBankEntry.contentKey}); or under the key the same entry had before 0.2 (the parser's
 * reference), when the entry stored under it is the same account's: another account's entry with
 * the same bank reference is another booking; or, for a camt entry 0.1.0 keyed by its bare
 * `NtryRef`, under it when the entry stored there has the same bank data.
 */
async function findImportedEntries(tx: StorageTransaction, siteId: string, entries: ReadonlyMap<string, KeyedBankEntry>): Promise<Map<string, ImportedBefore>> {
  const { bankImports } = need(tx, 'bankImports')
  const list = [...entries.values()]
  const stored = await bankImports.importedEntryReferences(siteId, [...new Set(list.flatMap((e) => (e.by === 'bank' && e.contentKey !== undefined ? [e.key, e.contentKey] : [e.key])))])
  const found = new Map<string, ImportedBefore>()
  for (const e of list) {
    if (stored.has(e.key)) found.set(e.key, { storedUnder: e.key, compare: e.by === 'bank' })
    else if (e.by === 'bank' && e.contentKey !== undefined && stored.has(e.contentKey)) found.set(e.key, { storedUnder: e.contentKey, compare: false })
  }
  const legacy = list.filter((e) => !found.has(e.key) && e.legacyKey !== e.key)
  if (legacy.length > 0) {
    const old = await bankImports.getBankEntries(siteId, [...new Set(legacy.flatMap((e) => (e.ntryRefKey !== undefined ? [e.legacyKey, e.ntryRefKey] : [e.legacyKey])))])
    for (const e of legacy) {
      const stored = old.get(e.legacyKey)
      // before 0.2 a pending entry was stored under the bank's reference too: the booked one is not it
      const storedPending = stored?.outcome.kind === 'ignored' && (stored.outcome.reason === 'pending' || stored.outcome.reason === 'info')
      if (stored?.accountIban === e.iban && !(storedPending && e.entry.status === 'booked')) {
        found.set(e.key, { storedUnder: e.legacyKey, compare: true })
        continue
      }
      // 0.1.0 keyed it by its bare NtryRef, which each day's statement numbers again: the same entry only with the same bank data
      const byNtryRef = e.ntryRefKey === undefined ? undefined : old.get(e.ntryRefKey)
      const mine = byNtryRef && ownDateOf(e) !== undefined ? bankDataOf(e, ownDateOf(e)!) : undefined
      if (byNtryRef && mine && contentDifferences(byNtryRef, mine, { ignore: ['entryReference', 'outcome'] }).length === 0) {
        found.set(e.key, { storedUnder: e.ntryRefKey!, compare: false })
      }
    }
  }
  return found
}

/**
 * Compares each entry of the import imported before (`before`) that has a date of its own with
 * what was stored of it: a difference in a money fact (account, amount, currency, direction,
 * booking date) of an entry found under a bank key is another movement under the same key, and
 * refuses the import (`IDEMPOTENCY_CONFLICT` naming those fields, the record stored under
 * `storedUnder` unchanged); a difference in its descriptive details (the counterparty's name, the
 * remittance) is the same movement, noted for the report. An entry dated "today" for lack of its
 * own date when first imported cannot be compared; one found by its content key or by the bare
 * `NtryRef` of 0.1.0 agrees on its money facts by construction. Returns the stored entries read,
 * by the key they are stored under, and the notes in the order of `entries`.
 */
async function compareRedeliveries(
  bankImports: BankImportStore, siteId: string, entries: ReadonlyMap<string, KeyedBankEntry>, before: ReadonlyMap<string, ImportedBefore>,
): Promise<{ stored: Map<string, ImportedBankEntry>; differences: DuplicateDifference[] }> {
  const again = [...entries].flatMap(([ref, keyed]) => {
    const found = before.get(ref)
    const date = ownDateOf(keyed)
    return found && date !== undefined ? [{ keyed, found, date }] : []
  })
  const stored = again.length === 0 ? new Map<string, ImportedBankEntry>() : await bankImports.getBankEntries(siteId, [...new Set(again.map((a) => a.found.storedUnder))])
  const differences: DuplicateDifference[] = []
  for (const { keyed, found, date } of again) {
    const first = stored.get(found.storedUnder)
    if (!first) continue
    const data = bankDataOf(keyed, date)
    const { moneyFacts } = redeliveryDifferences(first, data)
    if (found.compare && moneyFacts.length > 0) throw idempotencyConflict('bank entry', found.storedUnder, moneyFacts)
    const note = duplicateDifferenceOf(found.storedUnder, first, data, first.outcome)
    if (note) differences.push(note)
  }
  return { stored, differences }
}

/** The report's note on a duplicate (`entryReference`) whose descriptive details differ from its first delivery, if they do. */
function duplicateDifferenceOf(entryReference: string, first: BankEntryData, again: BankEntryData, outcome: ImportedBankEntryOutcome): DuplicateDifference | undefined {
  const { details } = redeliveryDifferences(first, again)
  if (details.length === 0) return undefined
  return { entryReference, fields: details, first: descriptiveDetailsOf(first), again: descriptiveDetailsOf(again), outcome }
}

/** An entry's own date: its booking date, else its value date, else its statement's closing date. */
function ownDateOf({ entry, statement }: KeyedBankEntry): LocalDate | undefined {
  return entry.bookingDate ?? entry.valueDate ?? statement.balances.find((b) => b.kind === 'closing' && b.date)?.date
}

/**
 * What an imported entry stores of the bank's data, dated `bookingDate`: its money facts (a
 * delivery again that differs in one is `IDEMPOTENCY_CONFLICT`) and its descriptive details
 * (reported when a delivery again differs in them): see `redeliveryDifferences`.
 */
function bankDataOf({ entry, iban }: KeyedBankEntry, bookingDate: LocalDate): BankEntryData {
  const tx0 = entry.transactions[0]
  const counterparty = entry.creditDebit === 'credit' ? tx0?.debtor?.name : tx0?.creditor?.name
  const remittance = tx0 ? [...tx0.remittance.structured.map((s) => s.reference), ...tx0.remittance.unstructured].join(' ') : ''
  return {
    accountIban: iban, bookingDate, amountMinor: entry.amount.minor, currency: entry.amount.currency,
    direction: entry.creditDebit, counterpartyName: counterparty ?? null, remittance: remittance || null,
  }
}

/**
 * The wallet top-ups in another currency than the wallet's office (its `billingOffice` record,
 * else its bank clearing account, else its invoices) or than the payer's wallet already open
 * there: kept for review (`CURRENCY_MISMATCH`), as an invoice payment in another currency is,
 * instead of opening the wallet in that currency or failing the whole import on it.
 */
async function foreignTopUps(
  tx: StorageTransaction, siteId: string, topUps: readonly WalletTopUp[], walletsByKey: ReadonlyMap<string, ScopedWallet>, invoices: readonly Invoice[],
): Promise<ReviewEntry[]> {
  if (topUps.length === 0) return []
  const wallets = topUps.map((w) => walletsByKey.get(w.walletId)!)
  const offices = [...new Set(wallets.map((w) => w.billingOfficeId))]
  const records = tx.directory ? await tx.directory.getDirectoryRecords(siteId, 'billingOffice', offices) : new Map<string, { currency: string }>()
  const accountIds = [...new Set([...offices.map((o) => systemAccountId('bankClearing', o)), ...wallets.map((w) => walletAccountId(w.payerId, w.billingOfficeId))])]
  const opened = new Map((tx.ledger ? await tx.ledger.getBalances(siteId, accountIds) : []).map((b) => [b.accountId, b.currency]))
  const officeCurrency = (office: string): string | undefined =>
    records.get(office)?.currency ?? opened.get(systemAccountId('bankClearing', office)) ?? invoices.find((i) => i.billingOfficeId === office)?.currency
  const out: ReviewEntry[] = []
  topUps.forEach((t, i) => {
    const w = wallets[i]!
    const expected = [officeCurrency(w.billingOfficeId), opened.get(walletAccountId(w.payerId, w.billingOfficeId))].find((c) => c !== undefined && c !== t.amount.currency)
    if (expected !== undefined) {
      out.push({ entryReference: t.entryReference, rule: 'CURRENCY_MISMATCH', candidates: [`wallet:${t.walletId}`] })
    }
  })
  return out
}

/**
 * Credits the wallets of `payments` (what each paid beyond the payer's open invoices, or a
 * wallet top-up): the payers' wallet and clearing accounts opened (opening an existing account
 * changes nothing), one `topUp` transfer per payment, all in one ledger batch. As
 * `recordPayment` does for one payment.
 */
async function creditWallets(tx: StorageTransaction, now: Date, siteId: string, payments: readonly Payment[]): Promise<void> {
  if (payments.length === 0 || !tx.ledger) return
  // each payment's accounts opened in its own currency (never the batch's first one)
  const byOffice = new Map<string, { office: string; currency: string; payers: Set<string> }>()
  for (const p of payments) {
    const key = `${p.billingOfficeId}\u0000${p.currency}`
    const group = byOffice.get(key) ?? { office: p.billingOfficeId, currency: p.currency, payers: new Set<string>() }
    byOffice.set(key, group)
    group.payers.add(p.payerId)
  }
  for (const { office, currency, payers } of byOffice.values()) {
    await tx.ledger.createAccounts(siteId, standardLedgerAccounts({
      currency, billingOffices: [{ id: office, serviceIds: [] }], guardians: [...payers].map((g) => ({ guardianId: g, billingOfficeIds: [office] })),
    }))
  }
  const results = await tx.ledger.createTransfers(siteId, payments.map((payment) => ({
    id: `payment:${payment.id}`, debitAccountId: systemAccountId(payment.method === 'cash' ? 'cash' : 'bankClearing', payment.billingOfficeId),
    creditAccountId: walletAccountId(payment.payerId, payment.billingOfficeId), amount: payment.walletCreditMinor, currency: payment.currency,
    code: 'topUp' as const, memo: `payment ${payment.id} (${payment.method})`, timestamp: now,
  })), now)
  results.forEach((r, i) => {
    if (r.status !== 'created' && r.status !== 'exists') {
      throw new EcoleError('WALLET_CREDIT_FAILED', `crediting the wallet of ${payments[i]!.payerId} failed: ${JSON.stringify(r)}`, { details: { paymentId: payments[i]!.id } })
    }
  })
}

/** Reconciles and posts `statements` inside the open transaction `tx`. */
async function importIn(tx: StorageTransaction, now: Date, input: BankImportOptions, statements: readonly BankStatement[]): Promise<Omit<BankImportReport, 'held'>> {
  const { siteId } = input
  {
    const { bankImports, payments } = need(tx, 'bankImports', 'payments', 'invoicing')
    let read = await reconcileIn(tx, input, statements)
    // lock the invoices this import would pay, then look again at which entries are imported: an
    // import of the same statement running at the same moment has committed by then (it held the
    // locks), and this one reconciles again and finds its entries imported (duplicates, nothing
    // posted twice) instead of failing on the other's payments
    // (the payers' invoices of the office, not only the ones named: a payment that exceeds its invoice
    // settles the payer's next open one, and the balances are read again after the lock, below)
    const named = new Set(read.toInvoices.map((e) => e.invoiceId))
    const lockedPayers = new Set([...named].flatMap((id) => { const i = read.acc.invoicesById.get(id); return i ? [i.debtorId] : [] }))
    // the invoices of a returned debit's payer too, in the same call: the return locks them (a
    // credit note racing it), and taking them here, in id order with the others, keeps two imports
    // from locking two families in opposite orders
    const returnedPayers = new Set(read.result.directDebitReturns.flatMap((r) => { const p = read.acc.byE2e.get(r.endToEndId); return p && p.allocations.length > 0 ? [p.payerId] : [] }))
    const toLock = [...new Set([
      ...named,
      ...[...read.acc.invoicesById.values()].filter((i) => lockedPayers.has(i.debtorId) || (returnedPayers.has(i.debtorId) && i.status === 'validated')).map((i) => i.id),
    ])].sort()
    let locked: Invoice[] = []
    if (toLock.length > 0) locked = await need(tx, 'invoicing').invoicing.lockInvoices(siteId, toLock)
    // the direct debits whose settlement credits this import names, locked after the invoices (every
    // import takes them in that order): an import of another statement settling one of them at the
    // same moment has committed by then, and the look below finds the debit settled (the credit kept
    // for review as ALREADY_SETTLED) instead of both imports settling it
    const settling = [...namedDirectDebits(read.entries, read.acc.byE2e).keys()]
    if (settling.length > 0) await lockDirectoryKeys(tx, siteId, settling.map((id) => `directDebitSettlement:${id}`))
    // look again even when nothing was locked: under READ COMMITTED the first look at the imported
    // entries can precede another import's commit while the balances read after it already show that
    // import's payments (its invoices paid, so nothing left to lock here); the second look then sees
    // its entries imported, and they are reported as duplicates instead of left for review
    const current = await findImportedEntries(tx, siteId, read.entries)
    const settledNow = settling.length === 0 ? read.settledBefore : await settledDirectDebits(tx, siteId, read.entries, read.acc.byE2e)
    if (current.size !== read.already.size || settledNow.size !== read.settledBefore.size) read = await reconcileIn(tx, input, statements)
    const { entries, imported: before, sameBooking, acc: { invoicesById, byE2e, walletsByKey, severalOffices }, result, toInvoices, returned } = read
    // an entry imported before and delivered again is the same movement when its money facts agree
    // with the stored ones: checked before anything is written (IDEMPOTENCY_CONFLICT naming them
    // otherwise); a name or remittance written otherwise is reported, nothing re-allocated
    const { stored: storedBefore, differences: duplicateDifferences } = await compareRedeliveries(bankImports, siteId, entries, before)
    // what became of each transfer of each entry, by entry and index in the entry (reconciliation
    // matches each transfer of an entry that groups several on its own: each has its own fate), and
    // what became of whole entries kept for review by the import or not booked
    const fates = new Map<string, Map<number, { amountMinor: bigint; outcome: ImportedBankEntryOutcome }>>()
    const setFate = (ref: string, index: number, amountMinor: bigint, outcome: ImportedBankEntryOutcome) => {
      let units = fates.get(ref)
      if (!units) fates.set(ref, (units = new Map()))
      units.set(index, { amountMinor, outcome })
    }
    const hasFate = (ref: string, index: number) => fates.get(ref)?.has(index) === true
    const whole = new Map<string, ImportedBankEntryOutcome>()
    // the wallet credits of returned direct debits the ledger would not take back, by the returned transfer
    const unreversed: Array<{ ref: string; index: number; credit: Omit<UnreversedWalletCredit, 'entryReference' | 'reviewReference'> }> = []
    const recorded: Payment[] = []
    // an entry's own date, else its statement's closing date, else today in the site's zone
    const dateOf = (ref: string): LocalDate => {
      const found = entries.get(ref)
      const e = found?.entry
      const own = e?.bookingDate ?? e?.valueDate ?? found?.statement.balances.find((b) => b.kind === 'closing' && b.date)?.date
      if (own) return own
      if (!input.timeZone) {
        throw new EcoleError('INVALID_INPUT', `timeZone: entry ${ref} and its statement carry no date, so the site's time zone is needed to date it`, { details: { field: 'timeZone', entryReference: ref } })
      }
      return localDateOf(now, input.timeZone)
    }
    const bankRef = (ref: string, index: number) => (index === 0 ? ref : `${ref}#${index}`)
    // the mandates of the settled debits, read in one call (one read per debit made the import latency-bound)
    const settledMandates = new Set<string>()
    for (const ip of result.invoicePayments) {
      const dd = ip.endToEndId ? byE2e.get(ip.endToEndId) : undefined
      if (dd?.mandateId) settledMandates.add(dd.mandateId)
    }
    // the mandates this import writes (settled, or suspended by a return) locked at once, in key
    // order, then read: a return or a staff amendment committed meanwhile is not written over
    const writtenMandates = new Set(settledMandates)
    for (const r of result.directDebitReturns) {
      const id = byE2e.get(r.endToEndId)?.mandateId
      if (id) writtenMandates.add(id)
    }
    await lockRecords(tx, siteId, [...writtenMandates].map((id) => ({ kind: 'sepaMandate', id })))
    const mandates = settledMandates.size === 0 ? new Map<string, SepaMandate>() : await mandatesById(need(tx, 'directory').directory, siteId, [...settledMandates])
    // the invoice payments and wallet top-ups are allocated here, on the balances read after the
    // locks (a cashier's payment committed meanwhile counts), and written as one batch below
    // (createPayments: one round trip's worth instead of several per payment)
    const toRecord: Array<{ payment: Payment; outcome: ImportedBankEntryOutcome; entryReference: string }> = []
    // a debtor's open invoices of one office: what a payment pays beyond its invoice stays in the
    // invoice's office (its other invoices there, then the payer's wallet there)
    let open: Map<string, OpenInvoice[]> | undefined
    const openKey = (billingOfficeId: string, debtorId: string) => `${billingOfficeId}\u0000${debtorId}`
    const openOf = async (billingOfficeId: string, debtorId: string): Promise<OpenInvoice[]> => {
      if (!open) {
        open = new Map()
        if (toLock.length > 0) {
          // the locked invoices as the lock returned them, their credit notes and the recorded payments read now
          const held = locked.filter((i) => i.status === 'validated')
          const notes = held.length === 0 ? [] : await need(tx, 'invoicing').invoicing.listCreditNotes(siteId, held.map((i) => i.id))
          const paid = await readAll((p) => payments.listPayments(siteId, { status: 'recorded' }, p))
          const balances = invoiceBalances(held, notes, paid)
          for (const i of held) {
            if (!lockedPayers.has(i.debtorId)) continue
            const owed = balances.get(i.id)!.outstandingMinor
            if (owed <= 0n) continue
            const key = openKey(i.billingOfficeId, i.debtorId)
            const list = open.get(key) ?? []
            list.push({ invoiceId: i.id, dueDate: i.dueDate, outstandingMinor: owed, sequence: i.sequence, currency: i.currency })
            open.set(key, list)
          }
        }
      }
      return open.get(openKey(billingOfficeId, debtorId)) ?? []
    }
    const paysInvoice = new Set(toInvoices.map((e) => transferKey(e.entryReference, e.transactionIndex)))
    for (const ip of result.invoicePayments) {
      const dd = ip.endToEndId ? byE2e.get(ip.endToEndId) : undefined
      if (dd) {
        if (dd.mandateId) {
          const m = mandates.get(dd.mandateId)
          if (m && m.debtorId === dd.payerId) {
            const settled = markSepaCollectionSettled(m, dateOf(ip.entryReference), { endToEndId: ip.endToEndId })
            await need(tx, 'directory').directory.putDirectoryRecord(siteId, 'sepaMandate', settled)
            mandates.set(settled.id, settled)
          }
        }
        setFate(ip.entryReference, ip.transactionIndex, ip.amount.minor, { kind: 'directDebitSettled', paymentIds: [dd.id] })
      } else if (!paysInvoice.has(transferKey(ip.entryReference, ip.transactionIndex))) {
        setFate(ip.entryReference, ip.transactionIndex, ip.amount.minor, { kind: 'review', reason: 'UNMATCHED', candidates: [] })
      }
    }
    // each entry paying an invoice of ours, in file order, allocated on what is owed after the locks:
    // the named invoice, the debtor's other open invoices oldest first, then the wallet (the same
    // whether a cashier's payment of the named invoice committed before this import read, between its
    // read and its locks, or after)
    for (const e of toInvoices) {
      const invoice = invoicesById.get(e.invoiceId)!
      const payerOpen = await openOf(invoice.billingOfficeId, invoice.debtorId)
      const payment = recordInvoicePayment({
        id: `bank:${bankRef(e.entryReference, e.transactionIndex)}`, siteId, billingOfficeId: invoice.billingOfficeId, payerId: invoice.debtorId,
        method: input.transferMethod ?? 'transfer', date: dateOf(e.entryReference), currency: e.amount.currency, amount: Money.fromMinor(e.amount.minor, e.amount.currency).amount,
        invoiceId: invoice.id, bankEntryReference: bankRef(e.entryReference, e.transactionIndex), endToEndId: e.endToEndId ?? null,
      }, payerOpen)
      // what it settles is no longer open for the payer's next payment of the statement
      for (const a of payment.allocations) {
        const o = payerOpen.findIndex((x) => x.invoiceId === a.invoiceId)
        if (o < 0) continue
        const left = payerOpen[o]!.outstandingMinor - a.amountMinor
        if (left > 0n) payerOpen[o] = { ...payerOpen[o]!, outstandingMinor: left }
        else payerOpen.splice(o, 1)
      }
      toRecord.push({ payment, entryReference: e.entryReference, outcome: { kind: 'invoicePayment', paymentId: payment.id, invoiceId: invoice.id } })
      setFate(e.entryReference, e.transactionIndex, e.amount.minor, { kind: 'invoicePayment', paymentId: payment.id, invoiceId: invoice.id })
    }
    for (const w of result.walletTopUps) {
      const wallet = walletsByKey.get(w.walletId)!
      const payment = recordInvoicePayment({
        id: `bank:${bankRef(w.entryReference, w.transactionIndex)}`, siteId, billingOfficeId: wallet.billingOfficeId, payerId: wallet.payerId,
        method: input.transferMethod ?? 'transfer', date: dateOf(w.entryReference), currency: w.amount.currency, amount: Money.fromMinor(w.amount.minor, w.amount.currency).amount,
        bankEntryReference: bankRef(w.entryReference, w.transactionIndex),
      }, [])
      toRecord.push({ payment, entryReference: w.entryReference, outcome: { kind: 'walletTopUp', paymentId: payment.id, payerId: wallet.payerId } })
      setFate(w.entryReference, w.transactionIndex, w.amount.minor, { kind: 'walletTopUp', paymentId: payment.id, payerId: wallet.payerId })
    }
    if (toRecord.length > 0) {
      const batch = toRecord.map((r) => r.payment)
      await payments.createPayments(siteId, batch)
      for (const p of batch) recorded.push(p)
      await creditWallets(tx, now, siteId, batch.filter((p) => p.walletCreditMinor > 0n))
    }
    for (const r of result.directDebitReturns) {
      const out = await recordDirectDebitReturnIn(tx, now, { siteId, endToEndId: r.endToEndId, reasonCode: r.reasonCode ?? 'MS03', date: dateOf(r.entryReference) })
      if (out.alreadyApplied) {
        // the debit was returned already (by another import committed meanwhile): this return is
        // money the bank took a second time, for a person, never reported as applied
        const candidate: MatchCandidate = { kind: 'directDebit', id: r.endToEndId, amount: { minor: out.payment.amountMinor, currency: out.payment.currency } }
        setFate(r.entryReference, r.transactionIndex, r.amount.minor, {
          kind: 'review', reason: 'AMBIGUOUS', candidates: [`directDebit:${r.endToEndId}`], rule: 'ALREADY_RETURNED', suggestions: [suggestionOf(candidate)],
        })
        continue
      }
      const reasonCode = out.payment.refusal!.reasonCode
      setFate(r.entryReference, r.transactionIndex, r.amount.minor, { kind: 'directDebitReturn', paymentId: out.payment.id, reasonCode })
      // the bank took the money back whatever the wallet holds: a wallet credit the ledger would not
      // take back (spent meanwhile) is kept for a person, never dropped
      // (the debit's own credit, then what the credit notes it had paid for carried to wallets)
      const reversals: Array<{ paymentId: string; result: TransferResult | null; amountMinor?: bigint }> = [
        { paymentId: out.payment.id, result: out.walletReversal, amountMinor: out.walletCreditToReverseMinor },
        ...out.carriedExcessRefused.map((c) => ({ paymentId: c.paymentId, result: c.walletReversal })),
      ]
      for (const v of reversals) {
        if (v.result?.status !== 'failed') continue
        const payment = v.paymentId === out.payment.id ? out.payment : await payments.getPayment(siteId, v.paymentId)
        if (!payment) continue
        unreversed.push({ ref: r.entryReference, index: r.transactionIndex, credit: {
          paymentId: payment.id, payerId: payment.payerId, billingOfficeId: payment.billingOfficeId, amountMinor: v.amountMinor ?? payment.walletCreditMinor,
          currency: payment.currency, reasonCode, failure: v.result.code,
        } })
      }
    }
    for (const a of result.ambiguous) {
      // what a reviewer needs is kept with the entry: why it was not decided, each candidate's score and, for a
      // reference typo, the corrected reference (never applied: a person confirms)
      const suggestions = a.candidates.map(suggestionOf)
      setFate(a.entryReference, a.transactionIndex, a.amount.minor, { kind: 'review', reason: 'AMBIGUOUS', candidates: a.candidates.map((c) => `${c.kind}:${c.id}`), rule: a.reason, suggestions })
    }
    for (const r of read.review) whole.set(r.entryReference, { kind: 'review', reason: 'AMBIGUOUS', candidates: r.candidates, rule: r.rule })
    for (const u of result.unmatched) {
      if (hasFate(u.entryReference, u.transactionIndex)) continue
      // a returned transfer names what its references name (the wallet it topped up...), as a reversal does
      const named = returned.get(transferKey(u.entryReference, u.transactionIndex))
      setFate(u.entryReference, u.transactionIndex, u.amount.minor, named
        ? { kind: 'review', reason: 'AMBIGUOUS', candidates: named.map((c) => `${c.kind}:${c.id}`), rule: 'RETURNED_TRANSFER', suggestions: named.map(suggestionOf) }
        : { kind: 'review', reason: 'UNMATCHED', candidates: [] })
    }
    for (const s of result.skipped) if (!whole.has(s.entryReference) && !fates.has(s.entryReference)) whole.set(s.entryReference, { kind: 'ignored', reason: s.status })

    // an entry's outcome: the one of its transfer, or, for an entry grouping several transfers that
    // do not all settle direct debits, `grouped` and each transfer's own (stored under `<key>#<index>`)
    const outcomeOf = (ref: string): { outcome: ImportedBankEntryOutcome; transfers?: TransferLine[] } => {
      const held = whole.get(ref)
      if (held) return { outcome: held }
      const units = [...(fates.get(ref) ?? new Map<number, never>()).entries()].sort(([x], [y]) => x - y)
      if (units.length === 0) return { outcome: { kind: 'ignored', reason: 'not matched by reconciliation' } }
      if (units.length === 1) return { outcome: units[0]![1].outcome }
      if (units.every(([, u]) => u.outcome.kind === 'directDebitSettled')) {
        return { outcome: { kind: 'directDebitSettled', paymentIds: units.flatMap(([, u]) => (u.outcome.kind === 'directDebitSettled' ? u.outcome.paymentIds : [])) } }
      }
      const transfers = units.map(([index, u]): TransferLine => ({ entryReference: `${ref}#${index}`, transactionIndex: index, outcome: u.outcome, amountMinor: u.amountMinor }))
      return { outcome: { kind: 'ignored', reason: groupedReason(transfers) }, transfers }
    }
    const imported: BankImportLine[] = []
    const walletReversalsFailed: UnreversedWalletCredit[] = []
    for (const [ref, keyed] of entries) {
      // an entry imported before was compared with the stored one above: nothing of it is written again
      if (before.has(ref)) continue
      const date = dateOf(ref)
      const { outcome, transfers } = outcomeOf(ref)
      const status = await bankImports.createBankEntry(siteId, { entryReference: ref, ...bankDataOf(keyed, date), outcome })
      if (status !== 'created') continue
      const line: BankImportLine = { entryReference: ref, outcome, amountMinor: keyed.entry.amount.minor }
      if (transfers) {
        line.transfers = transfers
        for (const t of transfers) {
          await bankImports.createBankEntry(siteId, { entryReference: t.entryReference, ...transferDataOf(keyed, t.transactionIndex, date, t.amountMinor), outcome: t.outcome })
        }
      }
      imported.push(line)
      for (const u of unreversed) {
        if (u.ref !== ref) continue
        const entryReference = transfers ? `${ref}#${u.index}` : ref
        const reviewReference = `${entryReference}#walletReversal`
        const wallet = severalOffices ? `${u.credit.payerId}@${u.credit.billingOfficeId}` : u.credit.payerId
        await bankImports.createBankEntry(siteId, {
          entryReference: reviewReference, ...transferDataOf(keyed, u.index, date, u.credit.amountMinor), currency: u.credit.currency, direction: 'debit',
          remittance: `return ${u.credit.reasonCode} of ${u.credit.paymentId}: its wallet credit was not taken back (${u.credit.failure})`,
          outcome: {
            kind: 'review', reason: 'AMBIGUOUS', candidates: [`wallet:${wallet}`], rule: 'WALLET_REVERSAL_FAILED',
            suggestions: [{ kind: 'wallet', id: wallet, amountMinor: u.credit.amountMinor }],
          },
        })
        walletReversalsFailed.push({ entryReference, ...u.credit, reviewReference })
      }
    }
    const duplicates = [...[...entries.keys()].flatMap((r) => { const f = before.get(r); return f ? [f.storedUnder] : [] }), ...sameBooking.map((e) => e.key)]
    // the same booking twice in this import (a notification and the day's statement): its details
    // compared with the first delivery's, as stored before or as this import stored it
    const outcomes = sameBooking.length === 0 ? undefined : new Map(imported.map((l) => [l.entryReference, l.outcome]))
    for (const k of sameBooking) {
      const earlier = entries.get(k.contentKey ?? k.key)
      const date = ownDateOf(k)
      const earlierDate = earlier ? ownDateOf(earlier) : undefined
      if (!earlier || date === undefined || earlierDate === undefined) continue
      const found = before.get(earlier.key)
      const stored = found ? storedBefore.get(found.storedUnder) : undefined
      const first = stored ?? (found ? undefined : bankDataOf(earlier, earlierDate))
      const outcome = stored?.outcome ?? outcomes?.get(earlier.key)
      const note = first && outcome && duplicateDifferenceOf(k.key, first, bankDataOf(k, date), outcome)
      if (note) duplicateDifferences.push(note)
    }
    return {
      imported, duplicates, payments: recorded,
      ...(duplicateDifferences.length > 0 ? { duplicateDifferences } : {}),
      ...(walletReversalsFailed.length > 0 ? { walletReversalsFailed } : {}),
    }
  }
}

/** What a reviewer reads of a candidate: its score, the corrected reference of a typo, what it is left to pay. */
function suggestionOf(c: MatchCandidate): BankEntrySuggestion {
  return {
    kind: c.kind, id: c.id,
    ...(c.score !== undefined ? { score: c.score } : {}),
    ...(c.correctedReference !== undefined ? { correctedReference: c.correctedReference } : {}),
    ...(c.amount !== undefined ? { amountMinor: c.amount.minor } : {}),
  }
}

/**
 * The stored reason of an entry grouping several transfers: `grouped: 2 transfers, each stored
 * under this key#<index>: #0 walletTopUp 2000, #1 review 3000` (amounts in minor units).
 */
function groupedReason(transfers: readonly TransferLine[]): string {
  return `grouped: ${transfers.length} transfers, each stored under this key#<index>: ${transfers.map((t) => `#${t.transactionIndex} ${t.outcome.kind} ${t.amountMinor}`).join(', ')}`
}

/** What the stored transfer `index` of a grouped entry says of the bank's data: its own amount, direction, counterparty and remittance. */
function transferDataOf({ entry, iban }: KeyedBankEntry, index: number, bookingDate: LocalDate, amountMinor: bigint): Omit<ImportedBankEntry, 'entryReference' | 'outcome'> {
  const t = entry.transactions[index]
  const direction = t?.creditDebit ?? entry.creditDebit
  const counterparty = direction === 'credit' ? t?.debtor?.name : t?.creditor?.name
  const remittance = t ? [...t.remittance.structured.map((s) => s.reference), ...t.remittance.unstructured].join(' ') : ''
  return {
    accountIban: iban, bookingDate, amountMinor, currency: entry.amount.currency,
    direction, counterpartyName: counterparty ?? null, remittance: remittance || null,
  }
}
