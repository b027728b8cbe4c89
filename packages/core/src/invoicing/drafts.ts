import { checkOptions, type OptionKinds } from '../check-options'
import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'
import type { LocalDate } from '../time'
import type { InvoiceBatch } from './invoice-batch'
import type { ChargeShare, InvoiceChargeLine } from './charge-line'
import type { Invoice, InvoiceLine } from './invoice'
import { asInputError } from '../input-error'
import { chargeDayOf } from './from-billing'

/** Options of {@link buildInvoiceDrafts}. */
export interface BuildInvoiceDraftsOptions {
  /**
   * Charge ids already on an invoice or a draft (from storage): never billed again. The ids of
   * billing's form (`<debtor>|<beneficiary>|<service>|<kind>|<date>`) also say which days are
   * billed: a charge for a day already billed to another debtor is not billed either (see
   * {@link InvoiceDraftsResult.billedToAnotherDebtor}). Give the ids of every debtor of the days
   * charged, not only those of the charges given (`createInvoiceBatch` does).
   */
  alreadyBilledChargeIds?: ReadonlySet<string> | undefined
  /** Each debtor's unpaid balance on earlier invoices, minor units: printed on the draft, not added. */
  openBalances?: ReadonlyMap<string, bigint> | undefined
  /**
   * Skip the check that a charge id repeated in the input is billed once. The check costs
   * nothing unless a line holds the same date twice (then the input is run again with a set of
   * ids); the store's unique key on billed charge ids refuses a repeat in any case.
   */
  trustUniqueChargeIds?: boolean | undefined
  /**
   * What becomes of the charges given that are dated before the batch's period and not billed yet
   * (held back under an earlier batch's minimum, or never batched): `true` (the default) bills them
   * with this batch's charges, so what waits under the minimum is billed by a later batch;
   * `{ from }` bills only those dated on or after `from` (an older one is left out as
   * `outsideBatch`: a site's history passed by mistake is not billed); `false` bills none (every
   * charge outside the period is `outsideBatch`, as before 0.2.0). Only charges of the batch's
   * services are carried; charges dated after the period wait for their own batch.
   */
  carryOver?: boolean | CarryOverFrom | undefined
}

/** The limit of {@link BuildInvoiceDraftsOptions.carryOver}: earlier charges are carried from this day on. */
export interface CarryOverFrom {
  /** The first day whose unbilled charges a batch carries (inclusive). */
  from: LocalDate
}

/** A debtor whose charges added up to less than the batch minimum: no invoice; the charges stay unbilled. */
export interface BelowMinimumDebtor {
  /** The debtor (`payerId` before 0.1.0; the type was `BelowMinimumPayer`). */
  debtorId: string
  /** What the invoice would have come to, minor units. */
  totalMinor: bigint
  /** How many charge lines were held back. */
  chargeCount: number
  /**
   * The date of the earliest charge held back: a host that reads a batch's charges from storage
   * reads the next batch's from this day (or earlier), so these charges reach it.
   */
  from: LocalDate
}

/**
 * A debtor whose draft bills charges dated before the batch's period (held back under an earlier
 * batch's minimum, or never billed): shown apart, so the host can say why a January invoice bills
 * a December meal.
 */
export interface CarriedOverDebtor {
  /** The debtor, whose draft (`<batchId>:<debtorId>`) bills them. */
  debtorId: string
  /** The charges carried, in the order of the draft's lines. */
  chargeIds: string[]
  /** What they come to, minor units (part of the draft's total). */
  totalMinor: bigint
  /** The date of the earliest of them. */
  from: LocalDate
}

/** Counts of charge lines a batch left out, by reason. */
export interface DraftSkipCounts {
  /** Already billed by an earlier batch or draft (re-billing is idempotent). */
  alreadyBilled: number
  /**
   * Service not in the batch, or date outside its period and not carried (after the period; before
   * it with `carryOver: false`, or before `carryOver.from`).
   */
  outsideBatch: number
  /** Prepaid services: settled through wallets, never invoiced. */
  prepaid: number
  /** The same charge id twice in the input: billed once. */
  duplicate: number
  /**
   * A day (beneficiary, service, kind, date) already billed to another debtor: a day is billed
   * once, so a change of payers is a credit note and a new bill made on purpose, never a second
   * bill ({@link InvoiceDraftsResult.billedToAnotherDebtor} lists them).
   */
  billedToAnotherDebtor: number
}

/**
 * A charge left out because its day is already billed to another debtor (the rule was corrected
 * after the day was billed: mum alone, then mum and dad, or dad alone). Staff issue a credit note
 * on the invoice that billed it and bill the day again on purpose.
 */
export interface DayBilledToAnotherDebtor {
  /** The charge left out. */
  chargeId: string
  /** Its debtor (who would have been billed). */
  debtorId: string
  /** The beneficiary of the day. */
  beneficiaryId: string
  /** The service. */
  serviceId: string
  /** The charge kind (`service`, `unbookedAttendance`, `lateCancellation`). */
  kind: string
  /** The day. */
  date: LocalDate
  /** What the charge would have billed, minor units. */
  amountMinor: bigint
  /** The debtors the day is billed to already (sorted). */
  billedDebtorIds: string[]
  /** The charge ids that billed it (sorted). */
  billedChargeIds: string[]
}

/** What {@link buildInvoiceDrafts} returns. */
export interface InvoiceDraftsResult {
  /** One draft per debtor, ordered by debtor id. */
  drafts: Invoice[]
  /** Debtors under the minimum amount. */
  belowMinimum: BelowMinimumDebtor[]
  /** Debtors whose draft bills charges dated before the period (see {@link BuildInvoiceDraftsOptions.carryOver}), ordered by debtor id. */
  carriedOver: CarriedOverDebtor[]
  /** Charge lines left out, by reason. */
  skipped: DraftSkipCounts
  /** The charges left out because their day is billed to another debtor already, in input order. */
  billedToAnotherDebtor: DayBilledToAnotherDebtor[]
}

interface LineAcc {
  beneficiaryId: string
  serviceId: string
  unitPriceMinor: bigint
  /** The charges' exact price when it has more decimals than the currency (part of the key). */
  unitPrice: string | undefined
  /** The charges' share when the debtor pays only part (part of the key). */
  share: ChargeShare | undefined
  /** With `share`: the sum of the charges' `grossMinor`, or undefined when one of them has none. */
  gross: bigint | undefined
  quantity: number
  /** Hot path: integer minor units as a JS number (exact: summed again in bigint when a term or a partial sum is not a safe integer). */
  amount: number
  /** Charges counted (then the fill position of the second pass). */
  count: number
  chargeIds: string[]
  dates: LocalDate[]
}

function compareLines(a: LineAcc, b: LineAcc): number {
  if (a.beneficiaryId !== b.beneficiaryId) return a.beneficiaryId < b.beneficiaryId ? -1 : 1
  if (a.serviceId !== b.serviceId) return a.serviceId < b.serviceId ? -1 : 1
  if (a.unitPriceMinor !== b.unitPriceMinor) return a.unitPriceMinor < b.unitPriceMinor ? -1 : 1
  // lines of one rounded price: the price in minor units first, then exact prices; whole lines, then shares
  if (a.unitPrice !== b.unitPrice) return a.unitPrice === undefined ? -1 : b.unitPrice === undefined ? 1 : a.unitPrice < b.unitPrice ? -1 : 1
  const sa = a.share
  const sb = b.share
  if (sa === sb) return 0
  if (sa === undefined) return -1
  if (sb === undefined) return 1
  if (sa.totalWeight !== sb.totalWeight) return sa.totalWeight - sb.totalWeight
  return sa.weight - sb.weight
}

/** Whether a charge goes on a line: same beneficiary, service, price (rounded and exact) and share. */
function sameLine(l: LineAcc, c: InvoiceChargeLine): boolean {
  if (l.beneficiaryId !== c.beneficiaryId || l.serviceId !== c.serviceId || l.unitPriceMinor !== c.unitPriceMinor || l.unitPrice !== c.unitPrice) return false
  const s = c.share
  const ls = l.share
  if (s === undefined || ls === undefined) return s === ls
  return s.weight === ls.weight && s.totalWeight === ls.totalWeight
}

/** The key of a charge's line in a debtor's map of lines. */
function lineKey(c: { beneficiaryId: string; serviceId: string; unitPriceMinor: bigint; unitPrice?: string | undefined; share?: ChargeShare | undefined }): string {
  const base = `${c.beneficiaryId}\u0000${c.serviceId}\u0000${c.unitPriceMinor}`
  if (c.unitPrice === undefined && c.share === undefined) return base
  return `${base}\u0000${c.unitPrice ?? ''}\u0000${c.share === undefined ? '' : `${c.share.weight}/${c.share.totalWeight}`}`
}

function safeTotal(n: number, debtorId: string): bigint {
  if (!Number.isSafeInteger(n)) throw new EcoleError('AMOUNT_OUT_OF_RANGE', `the charges of debtor ${debtorId} add up beyond 2^53 minor units`, { details: { debtorId } })
  return BigInt(n)
}

/** An exact bigint sum as a number, or AMOUNT_OUT_OF_RANGE beyond 2^53 minor units. */
function safeNumber(n: bigint, debtorId: string): number {
  if (n > MAX_SAFE || n < -MAX_SAFE) throw new EcoleError('AMOUNT_OUT_OF_RANGE', `the charges of debtor ${debtorId} add up beyond 2^53 minor units`, { details: { debtorId } })
  return Number(n)
}
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

const OPTION_KINDS: OptionKinds<BuildInvoiceDraftsOptions> = { alreadyBilledChargeIds: 'object?', openBalances: 'map?', trustUniqueChargeIds: 'boolean?', carryOver: ['boolean?', 'object'] }
const CARRY_FROM_KINDS: OptionKinds<CarryOverFrom> = { from: 'date' }

/** The options, checked key by key: a misspelt key would bill a charge twice or hide a balance. */
function checkDraftOptions(options: unknown): BuildInvoiceDraftsOptions {
  const checked = checkOptions<BuildInvoiceDraftsOptions>('buildInvoiceDrafts', 'options', options, OPTION_KINDS)
  const billed = checked.alreadyBilledChargeIds
  if (billed !== undefined && typeof billed.has !== 'function') {
    throw EcoleError.invalidInput('options.alreadyBilledChargeIds', `must be a Set of charge ids, got ${describeValue(billed)}`, { function: 'buildInvoiceDrafts' })
  }
  if (typeof checked.carryOver === 'object') checkOptions<CarryOverFrom>('buildInvoiceDrafts', 'options.carryOver', checked.carryOver, CARRY_FROM_KINDS)
  return checked
}

/** Above this many lines, a payer's lines are found through a map rather than a scan. */
const SCAN_LIMIT = 16

/**
 * Builds the drafts of an invoice batch from priced charge lines: one draft per debtor.
 *
 * Rules: only charges of the batch's services are billed, those dated inside its period and,
 * unless `options.carryOver` says otherwise, those dated before it that are not billed yet (held
 * back under an earlier batch's minimum: they are billed by the next batch given them, listed in
 * `carriedOver`); charges dated after the period wait for their own batch; prepaid charges are
 * never billed; a charge id already billed (by any earlier batch or draft) or repeated in the
 * input is billed once, so billing the same period again is idempotent; a day (beneficiary,
 * service, kind, date, read from billing's charge ids) already billed to another debtor is not
 * billed again to this one (`billedToAnotherDebtor`: the payers were changed after the day was
 * billed; a credit note corrects it). Lines group charges by
 * beneficiary x service x unit price (quantity and amount are sums of the rounded charges), and
 * further by exact price and by share: a debtor who pays half of some days and all of others gets
 * two lines, the shared one with `share` and `grossMinor` (the sum of its charges' `grossMinor`,
 * kept only when each of them has one); an exact price (`unitPrice`) is carried to its line.
 * Joint debtors of the debtor's charges are printed; the debtor's earlier unpaid balance is shown
 * but not added. A debtor whose total (carried charges included) is under the batch minimum gets
 * no invoice: the charges stay unbilled, and the next batch given them bills them with its own
 * (`belowMinimum[].from` says from which day a host reads them). Ids are deterministic:
 * `<batchId>:<debtorId>`, lines `<invoiceId>:<n>`.
 * The options are checked once, key by key: a misspelt key (`alreadyBilledChargeIDs`,
 * `openBalance`) is refused rather than read as absent, which billed charges again or printed no
 * balance. Hot path: validates nothing per line.
 *
 * @example
 * const { drafts } = buildInvoiceDrafts(batch, [
 *   { chargeId: 'c1', debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date: '2026-12-01', quantity: 1, unitPriceMinor: 415n, amountMinor: 415n },
 *   { chargeId: 'c2', debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date: '2026-12-03', quantity: 1, unitPriceMinor: 415n, amountMinor: 415n },
 * ])
 * drafts[0].lines[0].quantity //=> 2
 * drafts[0].totalMinor //=> 830n
 * // December's 4.15 was under a 5.00 minimum: January's batch, given it, bills it with January's meals
 * const jan = buildInvoiceDrafts(januaryBatch, [december415, ...januaryCharges], { alreadyBilledChargeIds })
 * jan.carriedOver //=> [{ debtorId: 'g1', chargeIds: ['c-12-01'], totalMinor: 415n, from: '2026-12-01' }]
 * // a day billed to mum, then the rule corrected to dad: dad is not billed, the day is reported
 * buildInvoiceDrafts(batch, [{ ...meal, chargeId: 'dad|lea|meal|service|2026-12-01', debtorId: 'dad' }],
 *   { alreadyBilledChargeIds: new Set(['mum|lea|meal|service|2026-12-01']) }).billedToAnotherDebtor
 * //=> [{ chargeId: 'dad|lea|meal|service|2026-12-01', debtorId: 'dad', billedDebtorIds: ['mum'], ... }]
 * // a batch that must bill its period only
 * buildInvoiceDrafts(januaryBatch, charges, { carryOver: false })
 * @throws EcoleError `AMOUNT_OUT_OF_RANGE` naming the debtor whose charges add up beyond 2^53
 * minor units; `INVALID_INPUT` naming the option that is unknown or not of its kind
 * (`options.alreadyBilledChargeIDs`, `options.trustUniqueChargeIds: 'yes'`,
 * `options.carryOver.from: '1/12/2026'`, options that are not an object), or the argument that is
 * not what the library builds.
 */
export function buildInvoiceDrafts(batch: InvoiceBatch, charges: Iterable<InvoiceChargeLine>, options: BuildInvoiceDraftsOptions = {}): InvoiceDraftsResult {
  try {
    const opts = checkDraftOptions(options)
    const list = Array.isArray(charges) ? (charges as readonly InvoiceChargeLine[]) : [...charges]
    const billedDays = billedDaysOf(opts.alreadyBilledChargeIds)
    const filters = batchFilters(batch, opts, billedDays)
    if (opts.trustUniqueChargeIds) return build(batch, list, opts, filters, billedDays).result
    // Fast path: no set of every id. A repeated charge (same id, payer, beneficiary, service, price)
    // shows as a date twice in one line; only then is the input run again, billing each id once.
    const fast = build(batch, list, opts, filters, billedDays)
    if (!fast.repeatedDates) return fast.result
    return build(batch, list, opts, [...filters, onceById()], billedDays).result
  } catch (error) {
    throw asInputError(error, 'buildInvoiceDrafts', { batch: [batch, 'object', 'an invoice batch'], charges: [charges, 'any', 'the invoice charge lines (an iterable)'], options: [options, 'object?', 'the draft options'] })
  }
}

/** Why a charge is left out of a batch, or undefined when it is billed. */
type ChargeFilter = (c: InvoiceChargeLine) => keyof DraftSkipCounts | undefined

/**
 * The rules that leave a charge out of a batch, in order (the first that applies counts it):
 * prepaid services, then charges outside the batch's services, after its period or before the
 * first day carried (the period's first day with `carryOver: false`), then charges already billed
 * by an earlier batch or draft.
 */
function batchFilters(batch: InvoiceBatch, options: BuildInvoiceDraftsOptions, billedDays: BilledDays | undefined): ChargeFilter[] {
  const services = new Set(batch.serviceIds)
  const carry = options.carryOver ?? true
  // the first day billed: every earlier day ('' sorts before every date), carryOver.from, or the period's first day
  const from = carry === true ? '' : carry === false ? batch.period.from : carry.from < batch.period.from ? carry.from : batch.period.from
  const to = batch.period.to
  const billed = options.alreadyBilledChargeIds
  const filters: ChargeFilter[] = [
    (c) => (c.prepaid ? 'prepaid' : undefined),
    (c) => (!services.has(c.serviceId) || c.date < from || c.date > to ? 'outsideBatch' : undefined),
  ]
  if (billed !== undefined) filters.push((c) => (billed.has(c.chargeId) ? 'alreadyBilled' : undefined))
  if (billedDays !== undefined) filters.push((c) => (billedToAnother(billedDays, c.chargeId) === undefined ? undefined : 'billedToAnotherDebtor'))
  return filters
}

/** The billed days (beneficiary, service, kind, date) and the charge ids that billed each. */
type BilledDays = Map<string, string[]>

/** The days the billed ids of billing's form bill; `undefined` when none (nothing to check per charge). */
function billedDaysOf(billed: ReadonlySet<string> | undefined): BilledDays | undefined {
  if (billed === undefined || billed.size === 0) return undefined
  if (typeof (billed as Iterable<string>)[Symbol.iterator] !== 'function') {
    throw EcoleError.invalidInput('options.alreadyBilledChargeIds', `must be a Set of charge ids (iterable), got ${describeValue(billed)}`, { function: 'buildInvoiceDrafts' })
  }
  const days: BilledDays = new Map()
  for (const id of billed) {
    if (typeof id !== 'string') continue
    const parsed = chargeDayOf(id)
    if (parsed === undefined) continue
    const ids = days.get(parsed.day)
    if (ids === undefined) days.set(parsed.day, [id])
    else ids.push(id)
  }
  return days.size === 0 ? undefined : days
}

/** The ids that billed the day of `chargeId` to other debtors, or `undefined` when none did (or the id has no day). */
function billedToAnother(days: BilledDays, chargeId: string): string[] | undefined {
  const parsed = chargeDayOf(chargeId)
  if (parsed === undefined) return undefined
  const ids = days.get(parsed.day)
  if (ids === undefined) return undefined
  const others = ids.filter((id) => id !== chargeId)
  return others.length === 0 ? undefined : others
}

function dayBilledToAnother(c: InvoiceChargeLine, days: BilledDays): DayBilledToAnotherDebtor {
  const billedChargeIds = [...billedToAnother(days, c.chargeId)!].sort()
  const kind = chargeDayOf(c.chargeId)!.day.split('\u0000')[2]!
  return {
    chargeId: c.chargeId, debtorId: c.debtorId, beneficiaryId: c.beneficiaryId, serviceId: c.serviceId, kind, date: c.date, amountMinor: c.amountMinor,
    billedDebtorIds: [...new Set(billedChargeIds.map((id) => chargeDayOf(id)!.debtorId))].sort(), billedChargeIds,
  }
}

/** The last rule when ids may repeat: a charge id seen before in the input is billed once. */
function onceById(): ChargeFilter {
  const seen = new Set<string>()
  return (c) => {
    const before = seen.size
    seen.add(c.chargeId)
    return seen.size === before ? 'duplicate' : undefined
  }
}

function build(
  batch: InvoiceBatch, charges: readonly InvoiceChargeLine[], options: BuildInvoiceDraftsOptions, filters: readonly ChargeFilter[], billedDays: BilledDays | undefined,
): { result: InvoiceDraftsResult; repeatedDates: boolean } {
  const nFilters = filters.length
  let repeatedDates = false
  const skipped: DraftSkipCounts = { alreadyBilled: 0, outsideBatch: 0, prepaid: 0, duplicate: 0, billedToAnotherDebtor: 0 }
  const billedToAnotherDebtor: DayBilledToAnotherDebtor[] = []

  // pass 1: filter, and number the payers (one map lookup per charge)
  const n = charges.length
  const payerOf = new Int32Array(n).fill(-1)
  const debtorIds: string[] = []
  const payerIndex = new Map<string, number>()
  let lastPayerId: string | undefined
  let lastPayer = -1
  for (let i = 0; i < n; i++) {
    const c = charges[i]!
    let skip: keyof DraftSkipCounts | undefined
    for (let f = 0; f < nFilters && skip === undefined; f++) skip = filters[f]!(c)
    if (skip !== undefined) {
      skipped[skip]++
      if (skip === 'billedToAnotherDebtor') billedToAnotherDebtor.push(dayBilledToAnother(c, billedDays!))
      continue
    }
    if (c.debtorId !== lastPayerId) {
      let pi = payerIndex.get(c.debtorId)
      if (pi === undefined) {
        pi = debtorIds.length
        debtorIds.push(c.debtorId)
        payerIndex.set(c.debtorId, pi)
      }
      lastPayerId = c.debtorId
      lastPayer = pi
    }
    payerOf[i] = lastPayer
  }

  // bucket the charges by payer (counting sort, input order kept within a payer)
  const P = debtorIds.length
  const start = new Int32Array(P + 1)
  for (let i = 0; i < n; i++) { const pi = payerOf[i]!; if (pi >= 0) start[pi + 1]!++ }
  for (let k = 0; k < P; k++) start[k + 1]! += start[k]!
  const order = new Int32Array(start[P]!)
  const fill = start.slice(0, P)
  for (let i = 0; i < n; i++) { const pi = payerOf[i]!; if (pi >= 0) order[fill[pi]!++] = i }
  const lineAt = new Int32Array(order.length)

  const drafts: Invoice[] = []
  const belowMinimum: BelowMinimumDebtor[] = []
  const carriedOver: CarriedOverDebtor[] = []
  const periodFrom = batch.period.from
  const byDebtorId = debtorIds.map((id, pi) => ({ id, pi })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  for (const { id: debtorId, pi } of byDebtorId) {
    const first = start[pi]!
    const end = start[pi + 1]!
    // pass 2: this payer's lines (a short scan; a map once a payer has many lines)
    const lines: LineAcc[] = []
    let index: Map<string, number> | null = null
    let total = 0
    let joint: Set<string> | null = null
    let last = 0
    // the sums are kept as numbers (exact while every amount and every partial sum is a safe
    // integer); a charge beyond that makes this payer's sums computed again in bigint below
    let exact = true
    for (let j = first; j < end; j++) {
      const c = charges[order[j]!]!
      let li = -1
      const l0 = lines[last]
      if (l0 !== undefined && sameLine(l0, c)) li = last
      else if (index === null) {
        for (let k = 0; k < lines.length; k++) {
          if (sameLine(lines[k]!, c)) { li = k; break }
        }
      } else li = index.get(lineKey(c)) ?? -1
      if (li < 0) {
        li = lines.length
        const share = c.share === undefined ? undefined : { weight: c.share.weight, totalWeight: c.share.totalWeight }
        lines.push({ beneficiaryId: c.beneficiaryId, serviceId: c.serviceId, unitPriceMinor: c.unitPriceMinor, unitPrice: c.unitPrice, share, gross: share === undefined ? undefined : 0n, quantity: 0, amount: 0, count: 0, chargeIds: EMPTY_IDS, dates: EMPTY_DATES })
        if (index !== null) index.set(lineKey(c), li)
        else if (lines.length > SCAN_LIMIT) {
          index = new Map()
          lines.forEach((l, k) => index!.set(lineKey(l), k))
        }
      }
      last = li
      const l = lines[li]!
      if (l.gross !== undefined) l.gross = c.grossMinor === undefined ? undefined : l.gross + c.grossMinor
      const amount = Number(c.amountMinor)
      l.quantity += c.quantity
      l.amount += amount
      l.count++
      total += amount
      if (!(Number.isSafeInteger(amount) && Number.isSafeInteger(l.amount) && Number.isSafeInteger(total))) exact = false
      lineAt[j] = li
      const jd = c.jointDebtorIds
      if (jd !== undefined && jd.length > 0) {
        if (joint === null) joint = new Set()
        for (const x of jd) if (x !== debtorId) joint.add(x)
      }
    }
    if (!exact) {
      // an amount or a partial sum left the safe range (a float would round it): the sums again, in bigint
      const sums = lines.map(() => 0n)
      let sum = 0n
      for (let j = first; j < end; j++) {
        const amount = charges[order[j]!]!.amountMinor
        sums[lineAt[j]!]! += amount
        sum += amount
      }
      lines.forEach((l, k) => { l.amount = safeNumber(sums[k]!, debtorId) })
      total = safeNumber(sum, debtorId)
    }
    // pass 3: each line's ids and dates, in arrays of their exact size
    for (const l of lines) {
      l.chargeIds = new Array<string>(l.count)
      l.dates = new Array<LocalDate>(l.count)
      l.count = 0
    }
    for (let j = first; j < end; j++) {
      const l = lines[lineAt[j]!]!
      const c = charges[order[j]!]!
      l.chargeIds[l.count] = c.chargeId
      l.dates[l.count++] = c.date
    }
    let earliest: LocalDate | undefined
    let carries = false
    for (const l of lines) {
      const dates = l.dates
      let sorted = true
      for (let k = 1; k < dates.length; k++) if (dates[k]! <= dates[k - 1]!) { sorted = false; break }
      if (!sorted) {
        dates.sort()
        for (let k = 1; k < dates.length; k++) if (dates[k] === dates[k - 1]) { repeatedDates = true; break }
      }
      const d0 = dates[0]!
      if (earliest === undefined || d0 < earliest) earliest = d0
      if (d0 < periodFrom) carries = true
    }
    const totalMinor = safeTotal(total, debtorId)
    if (totalMinor < batch.minimumMinor) {
      belowMinimum.push({ debtorId, totalMinor, chargeCount: end - first, from: earliest! })
      continue
    }
    const id = `${batch.id}:${debtorId}`
    lines.sort(compareLines)
    if (carries) carriedOver.push(carriedOf(debtorId, lines, periodFrom, charges, order, first, end))
    const out: InvoiceLine[] = new Array(lines.length)
    for (let i = 0; i < lines.length; i++) {
      const a = lines[i]!
      const dates = a.dates
      const line: InvoiceLine = {
        id: `${id}:${i + 1}`, beneficiaryId: a.beneficiaryId, serviceId: a.serviceId, unitPriceMinor: a.unitPriceMinor,
        quantity: Number.isInteger(a.quantity) ? a.quantity : summedQuantity(a.quantity), amountMinor: safeTotal(a.amount, debtorId), chargeIds: a.chargeIds, dates, from: dates[0]!, to: dates[dates.length - 1]!,
      }
      // the facts a reader needs to check quantity x price against the amount (absent on whole lines at a price in cents)
      if (a.share !== undefined && a.gross !== undefined) {
        line.share = a.share
        line.grossMinor = a.gross
      }
      if (a.unitPrice !== undefined) line.unitPrice = a.unitPrice
      out[i] = line
    }
    drafts.push({
      id, siteId: batch.siteId, billingOfficeId: batch.billingOfficeId, batchId: batch.id, debtorId,
      jointDebtorIds: joint === null ? [] : [...joint].sort(), status: 'draft', number: null, sequence: null, issueDate: null,
      periodFrom: batch.period.from, periodTo: batch.period.to, dueDate: batch.dueDate, directDebitDate: batch.directDebitDate,
      portalDisplayDate: batch.portalDisplayDate, comment: null, currency: batch.currency, lines: out, adjustments: [],
      linesTotalMinor: totalMinor, adjustmentsTotalMinor: 0n, totalMinor,
      previousBalanceMinor: options.openBalances?.get(debtorId) ?? 0n, instalments: [], paymentReference: null,
    })
  }
  return { result: { drafts, belowMinimum, carriedOver, skipped, billedToAnotherDebtor }, repeatedDates }
}

/**
 * The charges of one debtor dated before the period (`from`), in the order of the draft's lines
 * (sorted) and dates. Runs only for a debtor who has some: the hot path of a batch without carried
 * charges never comes here.
 */
function carriedOf(
  debtorId: string, lines: readonly LineAcc[], from: LocalDate, charges: readonly InvoiceChargeLine[], order: Int32Array, first: number, end: number,
): CarriedOverDebtor {
  const byId = new Map<string, InvoiceChargeLine>()
  for (let j = first; j < end; j++) {
    const c = charges[order[j]!]!
    if (c.date < from) byId.set(c.chargeId, c)
  }
  const picked: InvoiceChargeLine[] = []
  for (const l of lines) {
    const mine = l.chargeIds.map((id) => byId.get(id)).filter((c): c is InvoiceChargeLine => c !== undefined)
    mine.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    // (an id repeated in the input is listed once)
    for (const c of mine) if (byId.delete(c.chargeId)) picked.push(c)
  }
  let totalMinor = 0n
  let earliest = picked[0]!.date
  for (const c of picked) {
    totalMinor += c.amountMinor
    if (c.date < earliest) earliest = c.date
  }
  return { debtorId, chargeIds: picked.map((c) => c.chargeId), totalMinor, from: earliest }
}

const EMPTY_IDS: string[] = []
const EMPTY_DATES: LocalDate[] = []

/**
 * A line's quantity summed from its charges', without the noise of binary fractions: 0.1 h + 0.2 h
 * is 0.3 h, not 0.30000000000000004 (twelve significant digits, far more than any quantity has).
 */
function summedQuantity(q: number): number {
  return Number(q.toPrecision(12))
}
