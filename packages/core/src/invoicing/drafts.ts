import { EcoleError } from '../errors'
import type { LocalDate } from '../time'
import type { InvoiceBatch } from './invoice-batch'
import type { InvoiceChargeLine } from './charge-line'
import type { Invoice, InvoiceLine } from './invoice'

/** Options of {@link buildInvoiceDrafts}. */
export interface BuildInvoiceDraftsOptions {
  /** Charge ids already on an invoice or a draft (from storage): never billed again. */
  alreadyBilledChargeIds?: ReadonlySet<string> | undefined
  /** Each payer's unpaid balance on earlier invoices, minor units: printed on the draft, not added. */
  openBalances?: ReadonlyMap<string, bigint> | undefined
  /**
   * Skip the check that a charge id repeated in the input is billed once. The check costs
   * nothing unless a line holds the same date twice (then the input is run again with a set of
   * ids); the store's unique key on billed charge ids refuses a repeat in any case.
   */
  trustUniqueChargeIds?: boolean | undefined
}

/** A payer whose charges added up to less than the batch minimum: no invoice; the charges stay unbilled. */
export interface BelowMinimumPayer {
  /** The payer. */
  payerId: string
  /** What the invoice would have come to, minor units. */
  totalMinor: bigint
  /** How many charge lines were held back. */
  chargeCount: number
}

/** Counts of charge lines a batch left out, by reason. */
export interface DraftSkipCounts {
  /** Already billed by an earlier batch or draft (re-billing is idempotent). */
  alreadyBilled: number
  /** Date outside the period or service not in the batch. */
  outsideBatch: number
  /** Prepaid services: settled through wallets, never invoiced. */
  prepaid: number
  /** The same charge id twice in the input: billed once. */
  duplicate: number
}

/** What {@link buildInvoiceDrafts} returns. */
export interface InvoiceDraftsResult {
  /** One draft per payer, ordered by payer id. */
  drafts: Invoice[]
  /** Payers under the minimum amount. */
  belowMinimum: BelowMinimumPayer[]
  /** Charge lines left out, by reason. */
  skipped: DraftSkipCounts
}

interface LineAcc {
  beneficiaryId: string
  serviceId: string
  unitPriceMinor: bigint
  quantity: number
  /** Hot path: integer minor units as a JS number (checked safe at the end). */
  amount: number
  /** Charges counted (then the fill position of the second pass). */
  count: number
  chargeIds: string[]
  dates: LocalDate[]
  /** Position in the list of all lines. */
  index: number
}

const EMPTY_IDS: string[] = []
const EMPTY_DATES: LocalDate[] = []

interface PayerAcc {
  /** beneficiary -> service -> the lines of each unit price (a short list scanned by price). */
  index: Map<string, Map<string, LineAcc[]>>
  lines: LineAcc[]
  joint: Set<string> | null
  count: number
  total: number
}

function compareLines(a: LineAcc, b: LineAcc): number {
  if (a.beneficiaryId !== b.beneficiaryId) return a.beneficiaryId < b.beneficiaryId ? -1 : 1
  if (a.serviceId !== b.serviceId) return a.serviceId < b.serviceId ? -1 : 1
  return a.unitPriceMinor < b.unitPriceMinor ? -1 : a.unitPriceMinor > b.unitPriceMinor ? 1 : 0
}

function safeTotal(n: number, payerId: string): bigint {
  if (!Number.isSafeInteger(n)) throw new EcoleError('AMOUNT_OUT_OF_RANGE', `the charges of payer ${payerId} add up beyond 2^53 minor units`, { details: { payerId } })
  return BigInt(n)
}

/**
 * Builds the drafts of an invoice batch from priced charge lines: one draft per payer.
 *
 * Rules: only charges of the batch's services dated inside its period are billed; prepaid
 * charges never are; a charge id already billed (by any earlier batch or draft) or repeated in
 * the input is billed once, so billing the same period again is idempotent. Lines group charges
 * by beneficiary x service x unit price (quantity and amount are sums of the rounded charges).
 * Joint debtors of the payer's charges are printed; the payer's earlier unpaid balance is shown
 * but not added. A payer whose total is under the batch minimum gets no invoice (the charges stay
 * unbilled for a later batch). Ids are deterministic: `<batchId>:<payerId>`, lines `<invoiceId>:<n>`.
 * Hot path: validates nothing per line.
 *
 * @example
 * const { drafts } = buildInvoiceDrafts(batch, [
 *   { chargeId: 'c1', payerId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date: '2026-12-01', quantity: 1, unitPriceMinor: 415n, amountMinor: 415n },
 *   { chargeId: 'c2', payerId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date: '2026-12-03', quantity: 1, unitPriceMinor: 415n, amountMinor: 415n },
 * ])
 * drafts[0].lines[0].quantity //=> 2
 * drafts[0].totalMinor //=> 830n
 */
export function buildInvoiceDrafts(batch: InvoiceBatch, charges: Iterable<InvoiceChargeLine>, options: BuildInvoiceDraftsOptions = {}): InvoiceDraftsResult {
  const list = Array.isArray(charges) ? (charges as readonly InvoiceChargeLine[]) : [...charges]
  if (options.trustUniqueChargeIds) {
    const { repeatedDates: _unused, ...trusted } = build(batch, list, options, false)
    return trusted
  }
  // Fast path: no set of every id. A repeated charge (same id, payer, beneficiary, service, price)
  // shows as a date twice in one line; only then is the input run again with the set.
  const { repeatedDates, ...fast } = build(batch, list, options, false)
  if (!repeatedDates) return fast
  const { repeatedDates: _again, ...checked } = build(batch, list, options, true)
  return checked
}

function build(batch: InvoiceBatch, charges: readonly InvoiceChargeLine[], options: BuildInvoiceDraftsOptions, checkIds: boolean): InvoiceDraftsResult & { repeatedDates: boolean } {
  const services = new Set(batch.serviceIds)
  const from = batch.period.from
  const to = batch.period.to
  const billed = options.alreadyBilledChargeIds
  const seen = checkIds ? new Set<string>() : null
  let repeatedDates = false
  const skipped: DraftSkipCounts = { alreadyBilled: 0, outsideBatch: 0, prepaid: 0, duplicate: 0 }
  const payers = new Map<string, PayerAcc>()

  let lastPayerId: string | undefined
  let lastPayer: PayerAcc | undefined
  let last: LineAcc | undefined
  const n = charges.length
  const lineOf = new Int32Array(n).fill(-1)
  const allLines: LineAcc[] = []
  for (let i = 0; i < n; i++) {
    const c = charges[i]!
    if (c.prepaid) { skipped.prepaid++; continue }
    if (!services.has(c.serviceId) || c.date < from || c.date > to) { skipped.outsideBatch++; continue }
    if (billed !== undefined && billed.has(c.chargeId)) { skipped.alreadyBilled++; continue }
    if (seen !== null) {
      const before = seen.size
      seen.add(c.chargeId)
      if (seen.size === before) { skipped.duplicate++; continue }
    }
    let p: PayerAcc
    if (c.payerId === lastPayerId) p = lastPayer!
    else {
      let found = payers.get(c.payerId)
      if (found === undefined) {
        found = { index: new Map(), lines: [], joint: null, count: 0, total: 0 }
        payers.set(c.payerId, found)
      }
      p = found
      lastPayerId = c.payerId
      lastPayer = p
      last = undefined
    }
    let l = last
    if (l === undefined || l.beneficiaryId !== c.beneficiaryId || l.serviceId !== c.serviceId || l.unitPriceMinor !== c.unitPriceMinor) {
      let byService = p.index.get(c.beneficiaryId)
      if (byService === undefined) { byService = new Map(); p.index.set(c.beneficiaryId, byService) }
      let prices = byService.get(c.serviceId)
      if (prices === undefined) { prices = []; byService.set(c.serviceId, prices) }
      l = undefined
      for (let i = 0; i < prices.length; i++) if (prices[i]!.unitPriceMinor === c.unitPriceMinor) { l = prices[i]; break }
      if (l === undefined) {
        l = { beneficiaryId: c.beneficiaryId, serviceId: c.serviceId, unitPriceMinor: c.unitPriceMinor, quantity: 0, amount: 0, count: 0, chargeIds: EMPTY_IDS, dates: EMPTY_DATES, index: allLines.length }
        allLines.push(l)
        prices.push(l)
        p.lines.push(l)
      }
      last = l
    }
    const amount = Number(c.amountMinor)
    l.quantity += c.quantity
    l.amount += amount
    l.count++
    lineOf[i] = l.index
    p.count++
    p.total += amount
    const jd = c.jointDebtorIds
    if (jd !== undefined && jd.length > 0) {
      if (p.joint === null) p.joint = new Set()
      for (const j of jd) if (j !== c.payerId) p.joint.add(j)
    }
  }

  // second pass: each line's ids and dates in arrays of their exact size (no growth, little garbage)
  for (const l of allLines) {
    l.chargeIds = new Array<string>(l.count)
    l.dates = new Array<LocalDate>(l.count)
    l.count = 0
  }
  for (let i = 0; i < n; i++) {
    const li = lineOf[i]!
    if (li < 0) continue
    const l = allLines[li]!
    const c = charges[i]!
    l.chargeIds[l.count] = c.chargeId
    l.dates[l.count++] = c.date
  }

  const drafts: Invoice[] = []
  const belowMinimum: BelowMinimumPayer[] = []
  const payerIds = [...payers.keys()].sort()
  for (const payerId of payerIds) {
    const p = payers.get(payerId)!
    for (const a of p.lines) {
      const dates = a.dates
      let sorted = true
      for (let k = 1; k < dates.length; k++) if (dates[k]! <= dates[k - 1]!) { sorted = false; break }
      if (!sorted) {
        dates.sort()
        for (let k = 1; k < dates.length; k++) if (dates[k] === dates[k - 1]) { repeatedDates = true; break }
      }
    }
    const total = safeTotal(p.total, payerId)
    if (total < batch.minimumMinor) {
      belowMinimum.push({ payerId, totalMinor: total, chargeCount: p.count })
      continue
    }
    const id = `${batch.id}:${payerId}`
    const accs = p.lines.sort(compareLines)
    const lines: InvoiceLine[] = new Array(accs.length)
    for (let i = 0; i < accs.length; i++) {
      const a = accs[i]!
      const dates = a.dates
      lines[i] = {
        id: `${id}:${i + 1}`, beneficiaryId: a.beneficiaryId, serviceId: a.serviceId, unitPriceMinor: a.unitPriceMinor,
        quantity: a.quantity, amountMinor: safeTotal(a.amount, payerId), chargeIds: a.chargeIds, dates, from: dates[0]!, to: dates[dates.length - 1]!,
      }
    }
    drafts.push({
      id, siteId: batch.siteId, billingOfficeId: batch.billingOfficeId, batchId: batch.id, payerId,
      jointDebtorIds: p.joint === null ? [] : [...p.joint].sort(), status: 'draft', number: null, sequence: null, issueDate: null,
      periodFrom: batch.period.from, periodTo: batch.period.to, dueDate: batch.dueDate, directDebitDate: batch.directDebitDate,
      portalDisplayDate: batch.portalDisplayDate, comment: null, currency: batch.currency, lines, adjustments: [],
      linesTotalMinor: total, adjustmentsTotalMinor: 0n, totalMinor: total,
      previousBalanceMinor: options.openBalances?.get(payerId) ?? 0n, instalments: [], paymentReference: null,
    })
  }
  return { drafts, belowMinimum, skipped, repeatedDates: repeatedDates && !checkIds }
}
