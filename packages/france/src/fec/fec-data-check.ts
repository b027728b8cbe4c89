import { describeValue, EcoleError, isLocalDate, type Deposit, type Payment } from '@ecole/core'
import type { CREDIT_NOTE_EXCESS_METHOD as CreditNoteExcessMethod } from '@ecole/core'
import type { FecData } from './fec-entries'
import type { FecSettings } from './fec-settings'
import { isBlankFecText } from './fec-text'

/**
 * `CREDIT_NOTE_EXCESS_METHOD` of `@ecole/core`, written here: importing the value would bring the
 * payment schemas and decimal.js into every FEC bundle (over its 150 KB budget).
 *
 * @internal
 */
export const CREDIT_NOTE_EXCESS_METHOD: typeof CreditNoteExcessMethod = 'creditNote'

function invalid(field: string, message: string, details: Record<string, unknown> = {}): EcoleError {
  return new EcoleError('INVALID_INPUT', `${field}: ${message}`, { details: { field, ...details, issues: [{ path: field, code: 'custom', message }] } })
}

function day(value: unknown, field: string): void {
  if (!isLocalDate(value)) throw invalid(field, `must be a calendar day written YYYY-MM-DD, got ${describeValue(value)}`)
}

function minor(value: unknown, field: string): void {
  if (typeof value !== 'bigint') throw invalid(field, `must be an amount in minor units as a bigint (415n for 4,15 EUR), got ${describeValue(value)}`)
}

function text(value: unknown, field: string, what: string): void {
  if (isBlankFecText(value)) throw invalid(field, `must not be empty: it is the FEC's ${what}, a mandatory field (got ${describeValue(value)})`)
}

function list(value: unknown, field: string): readonly unknown[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw invalid(field, `must be an array or absent, got ${describeValue(value)}`)
  value.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalid(`${field}[${i}]`, `must be a record (an object), got ${describeValue(item)}`)
  })
  return value
}

function items(value: unknown, field: string): readonly Record<string, unknown>[] {
  return list(value, field) as readonly Record<string, unknown>[]
}

const inPeriod = (d: string, s: FecSettings) => d >= s.period.from && d <= s.period.to

/**
 * Checks the records a FEC is built from, once, before any entry is made, so that no record is
 * left out or written wrong without a word:
 *
 * - every date a record is posted on (an invoice's or a credit note's issue day, a payment's day and
 *   its refusal's, a deposit's, a wallet movement's) is a real calendar day `YYYY-MM-DD`, whatever
 *   the period: a malformed one could not be told inside or outside it;
 * - every amount is a bigint of minor units (records read back from JSON carry numbers or strings);
 * - the texts that become PieceRef or EcritureLib (an invoice's or a credit note's number, a
 *   payment's, deposit's or movement's id, a movement's own label) are not blank;
 * - a payment id is given once; a deposit holds each payment once, and a payment is in one deposit
 *   only; a deposit of the period holds only payments given, of its own method, never a credit
 *   note's excess (method `creditNote`, no money to hand to a bank), and its `totalMinor` is the sum
 *   of its payments (else `FEC_UNBALANCED_ENTRY`);
 * - a top-up of the period that names the payment carrying it (`paymentId`) names one given, of
 *   the same payer, and the top-ups naming one payment add up to its `walletCreditMinor` (the FEC
 *   posts the payment's credit, so another amount would go unseen).
 *
 * @example
 * checkFecData(FecSettingsSchema.parse(settings), { walletMovements: [{ ...topUp, date: '2026-3-2' }], debtors })
 * // throws EcoleError INVALID_INPUT 'walletMovements[0].date: must be a calendar day written YYYY-MM-DD, got "2026-3-2"'
 * @throws EcoleError `INVALID_INPUT` naming the record's field and the rule; `FEC_UNBALANCED_ENTRY` for a deposit
 * whose total disagrees with its payments.
 */
export function checkFecData(settings: FecSettings, data: FecData): void {
  items(data.invoices, 'invoices').forEach((inv, i) => {
    const field = `invoices[${i}]`
    // a draft is left out with a warning: only what a validated invoice posts is checked
    if (inv['status'] !== 'validated' || inv['number'] === null || inv['issueDate'] === null) return
    day(inv['issueDate'], `${field}.issueDate`)
    text(inv['number'], `${field}.number`, 'PieceRef (the invoice number)')
    minor(inv['totalMinor'], `${field}.totalMinor`)
    items(inv['lines'], `${field}.lines`).forEach((l, j) => minor(l['amountMinor'], `${field}.lines[${j}].amountMinor`))
    items(inv['adjustments'], `${field}.adjustments`).forEach((a, j) => minor(a['amountMinor'], `${field}.adjustments[${j}].amountMinor`))
  })
  items(data.creditNotes, 'creditNotes').forEach((cn, i) => {
    const field = `creditNotes[${i}]`
    day(cn['issueDate'], `${field}.issueDate`)
    text(cn['number'], `${field}.number`, 'PieceRef (the credit note number)')
    minor(cn['amountMinor'], `${field}.amountMinor`)
    items(cn['lines'], `${field}.lines`).forEach((l, j) => minor(l['amountMinor'], `${field}.lines[${j}].amountMinor`))
  })
  const paymentAt = new Map<string, number>()
  const payments = list(data.payments, 'payments') as readonly Payment[]
  payments.forEach((p, i) => {
    const field = `payments[${i}]`
    text(p.id, `${field}.id`, 'PieceRef (the payment id)')
    const twin = paymentAt.get(p.id)
    if (twin !== undefined) throw invalid(`${field}.id`, `payment ${p.id} is given twice (payments[${twin}] and payments[${i}])`, { paymentId: p.id })
    paymentAt.set(p.id, i)
    day(p.date, `${field}.date`)
    if (p.status === 'refused' && p.refusal) day(p.refusal.date, `${field}.refusal.date`)
    minor(p.amountMinor, `${field}.amountMinor`)
    minor(p.walletCreditMinor, `${field}.walletCreditMinor`)
    items(p.allocations, `${field}.allocations`).forEach((a, j) => minor(a['amountMinor'], `${field}.allocations[${j}].amountMinor`))
  })
  const depositOf = new Map<string, { index: number; id: string }>()
  ;(list(data.deposits, 'deposits') as readonly Deposit[]).forEach((d, i) => {
    const field = `deposits[${i}]`
    text(d.id, `${field}.id`, 'PieceRef (the deposit id)')
    day(d.date, `${field}.date`)
    minor(d.totalMinor, `${field}.totalMinor`)
    if (!Array.isArray(d.paymentIds)) throw invalid(`${field}.paymentIds`, `must be the ids of the deposit's payments (an array), got ${describeValue(d.paymentIds)}`)
    d.paymentIds.forEach((id, j) => {
      const at = `${field}.paymentIds[${j}]`
      const held = depositOf.get(id)
      if (held?.index === i) throw invalid(at, `deposit ${d.id} holds payment ${id} twice; a cheque handed to the bank once is credited once`, { depositId: d.id, paymentId: id })
      if (held !== undefined) {
        throw invalid(at, `payment ${id} is in two deposits, ${held.id} (deposits[${held.index}]) and ${d.id} (deposits[${i}]); a payment is handed to the bank once`, { depositIds: [held.id, d.id], paymentId: id })
      }
      depositOf.set(id, { index: i, id: d.id })
    })
    if (!inPeriod(d.date, settings)) return
    if (d.method === CREDIT_NOTE_EXCESS_METHOD) {
      throw invalid(`${field}.method`, `a deposit of method ${CREDIT_NOTE_EXCESS_METHOD} hands nothing to a bank: such payments carry a credit note's excess, money already paid`, { depositId: d.id })
    }
    let sum = 0n
    d.paymentIds.forEach((id, j) => {
      const at = `${field}.paymentIds[${j}]`
      const k = paymentAt.get(id)
      if (k === undefined) throw invalid(at, `payment ${id} is not among the payments given`, { depositId: d.id, paymentId: id })
      const p = payments[k]!
      if (p.method === CREDIT_NOTE_EXCESS_METHOD) {
        throw invalid(at, `payment ${id} carries a credit note's excess (method ${CREDIT_NOTE_EXCESS_METHOD}): no money came in, there is nothing to deposit`, { depositId: d.id, paymentId: id })
      }
      if (p.method !== d.method) {
        throw invalid(at, `payment ${id} is paid by ${String(p.method)}, not ${String(d.method)}: a deposit takes its money from the account its payments waited on, one method's`, { depositId: d.id, paymentId: id })
      }
      sum += p.amountMinor
    })
    if (sum !== d.totalMinor) {
      throw new EcoleError('FEC_UNBALANCED_ENTRY', `${d.id}: deposits[${i}].totalMinor is ${d.totalMinor} minor units but its payments add up to ${sum}; the document's totals disagree with its parts`, {
        details: { pieceRef: d.id, field: `${field}.totalMinor`, differenceMinor: (d.totalMinor - sum).toString() },
      })
    }
  })
  // the top-ups of the period naming the payment that carries them: what they add up to, per payment
  const carried = new Map<string, { sum: bigint; first: number }>()
  items(data.walletMovements, 'walletMovements').forEach((m, i) => {
    const field = `walletMovements[${i}]`
    text(m['id'], `${field}.id`, 'PieceRef (the movement id)')
    day(m['date'], `${field}.date`)
    minor(m['amountMinor'], `${field}.amountMinor`)
    if (m['label'] !== undefined) text(m['label'], `${field}.label`, 'EcritureLib (the entry label)')
    if (m['code'] === 'topUp' && m['paymentId'] !== undefined && inPeriod(m['date'] as string, settings) && !paymentAt.has(m['paymentId'] as string)) {
      throw invalid(`${field}.paymentId`, `top-up ${String(m['id'])} names payment ${describeValue(m['paymentId'])}, which is not among the payments given; give that payment (it posts the top-up), or leave paymentId out to post the top-up on its own`, {
        paymentId: m['paymentId'],
      })
    }
    if (m['code'] === 'topUp' && m['paymentId'] !== undefined && inPeriod(m['date'] as string, settings)) {
      const p = payments[paymentAt.get(m['paymentId'] as string)!]!
      if (m['guardianId'] !== p.payerId) {
        throw invalid(`${field}.guardianId`, `top-up ${String(m['id'])} credits the wallet of ${describeValue(m['guardianId'])} but names payment ${p.id}, paid by ${p.payerId}; a payment carries a top-up of its payer's wallet`, { paymentId: p.id })
      }
      const seen = carried.get(p.id)
      carried.set(p.id, { sum: (seen?.sum ?? 0n) + (m['amountMinor'] as bigint), first: seen?.first ?? i })
    }
  })
  for (const [id, { sum, first }] of carried) {
    const p = payments[paymentAt.get(id)!]!
    if (sum !== p.walletCreditMinor) {
      // the FEC posts the payment's wallet credit, not the top-up: a top-up of another amount would
      // leave the wallet's ledger and the accounts apart with nothing to show it
      throw new EcoleError('FEC_UNBALANCED_ENTRY', `${id}: the top-ups naming payment ${id} add up to ${sum} minor units (walletMovements[${first}].amountMinor) but the payment credits the wallet ${p.walletCreditMinor}; the document's totals disagree with its parts`, {
        details: { pieceRef: id, field: `walletMovements[${first}].amountMinor`, differenceMinor: (sum - p.walletCreditMinor).toString() },
      })
    }
  }
}
