import { asInputError } from '@ecole/core'
import type { BankStatement, StatementBalance, StatementEntry } from './bank-statement'
import { minorToDecimal } from './amount'

/**
 * How a figure compared: `ok` (it agrees, possibly thanks to a `convention` the bank follows),
 * `notice` (a figure that cannot be derived from the file's content, such as an available balance
 * that includes float from other statements: reported, not a disagreement) or `disagreement`
 * (the file states one thing and its content gives another: the statement is held for review).
 */
export type CheckSeverity = 'ok' | 'notice' | 'disagreement'

/** What kind of figure a {@link StatementCheck} compares. */
export type CheckRule = 'balance' | 'currency' | 'count' | 'sum' | 'batch' | 'account' | 'records'

/**
 * One figure a statement states, compared with what its own content gives.
 *
 * @example
 * const check: StatementCheck = { rule: 'balance', figure: 'closing balance CLBD', stated: '27.00 EUR', computed: '27.00 EUR',
 *   severity: 'ok', convention: 'booked entries value-dated on or before the closing date (2014-12-31)' }
 */
export interface StatementCheck {
  /** What kind of figure this is. */
  rule: CheckRule
  /** Which figure (`closing balance CLBD`, `TxsSummry/TtlNtries/NbOfNtries`, `trailer record 9 credit total`...). */
  figure: string
  /** What the file states. */
  stated: string
  /** What the file's content gives (under `convention` when one is named). */
  computed: string
  /** See {@link CheckSeverity}. */
  severity: CheckSeverity
  /** The bank practice under which the figures agree (or why a `notice` cannot be derived). */
  convention?: string
  /** The entry the figure belongs to (its reference), for entry-level figures (batches). */
  entryReference?: string
}

/**
 * The checks of `statement` that disagree (severity `disagreement`): an empty list when the
 * statement adds up.
 *
 * @example
 * const [statement] = parseCamt053(xml)
 * if (statementDisagreements(statement).length > 0) holdForReview(statement)
 */
export function statementDisagreements(statement: Pick<BankStatement, 'checks'>): StatementCheck[] {
  try {
    return statement.checks.filter((c) => c.severity === 'disagreement')
  } catch (error) {
    throw asInputError(error, 'statementDisagreements', { statement: [statement, 'object', 'a statement the parsers built'] })
  }
}

/** A check of two figures that agree when equal. @internal */
export function compare(rule: CheckRule, figure: string, stated: string, computed: string, extra: Partial<StatementCheck> = {}): StatementCheck {
  return { rule, figure, stated, computed, severity: stated === computed ? 'ok' : 'disagreement', ...extra }
}

const fmt = (minor: bigint, currency: string) => `${minorToDecimal(minor, currency)} ${currency}`

/** Booked entries as signed minor units, with what the conventions look at. */
interface Signed {
  minor: bigint
  reversal: boolean
  valueDate: string | undefined
}

/** A way to add entries up; the first that makes the figures agree is reported. */
interface Convention {
  name: string | undefined
  include: (e: Signed) => boolean
  flipReversals: boolean
}

function total(entries: readonly Signed[], c: Convention): bigint {
  let net = 0n
  for (const e of entries) if (c.include(e)) net += c.flipReversals && e.reversal ? -e.minor : e.minor
  return net
}

/** The conventions worth trying for a closing date: the plain one first, then only those that change something. */
function conventions(entries: readonly Signed[], closingDate: string | undefined): Convention[] {
  const out: Convention[] = [{ name: undefined, include: () => true, flipReversals: false }]
  const later = closingDate !== undefined && entries.some((e) => e.valueDate !== undefined && e.valueDate > closingDate)
  const reversals = entries.some((e) => e.reversal)
  const onTime = (e: Signed) => e.valueDate === undefined || closingDate === undefined || e.valueDate <= closingDate
  if (later) out.push({ name: `booked entries value-dated on or before the closing date (${closingDate}); later value dates excluded`, include: onTime, flipReversals: false })
  if (reversals) out.push({ name: 'reversals (RvslInd) counted against their credit/debit indicator', include: () => true, flipReversals: true })
  if (later && reversals) {
    out.push({ name: `booked entries value-dated on or before ${closingDate}, reversals counted against their indicator`, include: onTime, flipReversals: true })
  }
  return out
}

/** Which available balance `b` is: camt codes, MT940 `:64:` (closing available) and `:65:` (forward available). */
function availableType(b: StatementBalance): 'OPAV' | 'CLAV' | 'FWAV' | 'ITAV' | undefined {
  if (b.code === 'OPAV' || b.code === 'CLAV' || b.code === 'FWAV' || b.code === 'ITAV') return b.code
  if (b.kind === 'openingAvailable') return 'OPAV'
  if (b.kind === 'closingAvailable') return 'CLAV'
  return b.code === '65' ? 'FWAV' : undefined
}

const isOpeningBooked = (b: StatementBalance) => b.code === 'OPBD' || b.code === 'PRCD' || b.kind === 'opening'
const isClosingBooked = (b: StatementBalance) => b.code === 'CLBD' || b.kind === 'closing'

/**
 * The checks every statement gets, whatever its format: each balance in the statement's
 * currency, each booked entry in it, and each balance by its definition:
 * - opening booked (`OPBD`, `PRCD`, CODA 1, MT940 `:60F:`) + booked entries = closing booked
 *   (`CLBD`, CODA 8, `:62F:`), or = the last interim booked balance (`ITBD`) when there is no
 *   closing one; tried as stated, then with entries value-dated after the closing date left out,
 *   then with reversals counted against their indicator, and the convention that agrees is named;
 * - `PRCD` and `OPBD`, when both are given, are the same balance;
 * - available balances (`OPAV`, `CLAV`, `FWAV`, `ITAV`) are the bank's own figures (float, holds):
 *   `ok` when they equal their booked counterpart or the value-dated sum, else a `notice`.
 *
 * @internal
 */
export function balanceChecks(statement: BankStatement): StatementCheck[] {
  const checks: StatementCheck[] = []
  const currency = statementCurrency(statement)
  if (currency === undefined) return checks
  for (const b of statement.balances) {
    if (b.amount.currency !== currency) checks.push(compare('currency', `${b.code} balance currency`, b.amount.currency, currency, { convention: "the statement's currency" }))
  }
  const signed: Signed[] = []
  statement.entries.forEach((e: StatementEntry, i) => {
    if (e.status !== 'booked') return
    if (e.amount.currency !== currency) {
      checks.push(compare('currency', `entry ${i + 1} currency`, e.amount.currency, currency, { entryReference: e.reference, convention: "the statement's currency" }))
      return
    }
    const minor = e.amount.minor
    signed.push({ minor: e.creditDebit === 'credit' ? minor : -minor, reversal: e.reversal, valueDate: e.valueDate })
  })
  const sameCurrency = (b: StatementBalance | undefined) => b !== undefined && b.amount.currency === currency
  const bookedOpenings = statement.balances.filter(isOpeningBooked)
  const interim = statement.balances.filter((b) => b.code === 'ITBD')
  let opening = bookedOpenings[0]
  let closing = statement.balances.find(isClosingBooked)
  if (closing === undefined && interim.length > 0) closing = interim[interim.length - 1]
  if (opening === undefined && interim.length > 1) opening = interim[0]
  const opbd = statement.balances.find((b) => b.code === 'OPBD')
  const prcd = statement.balances.find((b) => b.code === 'PRCD')
  if (opbd !== undefined && prcd !== undefined && sameCurrency(opbd) && sameCurrency(prcd)) {
    checks.push(compare('balance', 'previously closed booked balance PRCD against the opening booked balance OPBD', fmt(prcd.amount.minor, currency), fmt(opbd.amount.minor, currency)))
  }
  if (opening !== undefined && closing !== undefined) {
    const figure = `closing balance ${closing.code}`
    const stated = `${minorToDecimal(closing.amount.minor, closing.amount.currency)} ${closing.amount.currency}`
    if (!sameCurrency(opening) || !sameCurrency(closing)) {
      const net = total(signed, conventions(signed, undefined)[0] as Convention)
      const computed = sameCurrency(opening)
        ? `${fmt(opening.amount.minor + net, currency)} (opening ${opening.code} ${minorToDecimal(opening.amount.minor, currency)} + booked entries ${minorToDecimal(net, currency)}), not comparable with a balance in ${closing.amount.currency}`
        : `not comparable: opening ${opening.code} in ${opening.amount.currency}, statement in ${currency}`
      checks.push({ rule: 'balance', figure, stated, computed, severity: 'disagreement' })
    } else {
      const start = opening.amount.minor
      const want = closing.amount.minor
      const tried = conventions(signed, closing.date)
      const agreeing = tried.find((c) => start + total(signed, c) === want)
      const used = agreeing ?? (tried[0] as Convention)
      const net = total(signed, used)
      const check: StatementCheck = {
        rule: 'balance', figure, stated,
        computed: `${fmt(start + net, currency)} (opening ${opening.code} ${minorToDecimal(start, currency)} + booked entries ${minorToDecimal(net, currency)})`,
        severity: agreeing === undefined ? 'disagreement' : 'ok',
      }
      if (agreeing?.name !== undefined) check.convention = agreeing.name
      if (agreeing !== undefined) check.computed = fmt(start + net, currency)
      checks.push(check)
    }
  }
  // available balances: the bank's own figures, derivable only when there is no float
  const openingAvailable = statement.balances.find((b) => availableType(b) === 'OPAV')
  for (const b of statement.balances) {
    const type = availableType(b)
    if (type === undefined || !sameCurrency(b)) continue
    const stated = fmt(b.amount.minor, currency)
    const candidates: Array<[string, bigint]> = []
    const booked = type === 'OPAV' ? opening : closing
    if (booked !== undefined && sameCurrency(booked)) candidates.push([`equals the ${type === 'OPAV' ? 'opening' : 'closing'} booked balance ${booked.code} (no funds in float)`, booked.amount.minor])
    if (type !== 'OPAV' && openingAvailable !== undefined && openingAvailable !== b) {
      const upTo = b.date
      const net = signed.reduce((acc, e) => (e.valueDate === undefined || upTo === undefined || e.valueDate <= upTo ? acc + e.minor : acc), 0n)
      candidates.push([`opening available OPAV + booked entries value-dated on or before ${upTo ?? 'its date'}`, openingAvailable.amount.minor + net])
    }
    if (type === 'FWAV' && closing !== undefined && sameCurrency(closing)) {
      const pending = statement.entries.reduce((acc, e) => (e.status === 'pending' && e.amount.currency === currency ? acc + (e.creditDebit === 'credit' ? e.amount.minor : -e.amount.minor) : acc), 0n)
      candidates.push([`closing booked ${closing.code} + pending entries`, closing.amount.minor + pending])
    }
    const hit = candidates.find(([, v]) => fmt(v, currency) === stated)
    checks.push(hit !== undefined
      ? { rule: 'balance', figure: `available balance ${b.code}`, stated, computed: stated, severity: 'ok', convention: hit[0] }
      : {
          rule: 'balance', figure: `available balance ${b.code}`, stated, computed: candidates.length > 0 ? fmt(candidates[0]![1], currency) : 'not derivable',
          severity: 'notice', convention: 'an available balance is the bank\'s own figure (float, holds, credit lines): reported, not derivable from the entries',
        })
  }
  return checks
}

/**
 * The statement's currency: the account's, else the first booked balance's, else the first
 * entry's. @internal
 */
export function statementCurrency(statement: BankStatement): string | undefined {
  return statement.account.currency
    ?? statement.balances.find(isOpeningBooked)?.amount.currency
    ?? statement.balances.find(isClosingBooked)?.amount.currency
    ?? statement.balances[0]?.amount.currency
    ?? statement.entries[0]?.amount.currency
}
