import { EcoleError, type MinorAmount, ogm, pagoPa, parseInput, rf } from '@ecole/core'
import * as z from 'zod'
import type { BankStatement, CreditDebit, ReturnInfo, StatementEntry, StructuredReference } from '../statement/bank-statement'
import { entrySplit } from './entry-split'
import { OpenItemsSchema, type OpenItems } from './open-items'
import type {
  AmbiguityReason, InvoiceAllocation, MatchCandidate, MatchRule, ReconciliationResult,
} from './reconciliation-result'

/** Options of {@link reconcile}. */
export const ReconcileOptionsSchema = z
  .strictObject({
    /** References of entries imported before (from storage): those entries are reported as duplicates and nothing else. */
    alreadyImported: z
      .custom<Iterable<string>>((v) => v !== null && typeof v === 'object' && typeof (v as Iterable<string>)[Symbol.iterator] === 'function', {
        message: 'must be an array or a Set of entry references',
      })
      .optional(),
    /**
     * End-to-end ids of our direct debits whose settlement credit was imported before (from
     * storage): a credit naming one of them again is `ambiguous` with reason `ALREADY_SETTLED`,
     * never settled twice.
     */
    settledDirectDebits: z
      .custom<Iterable<string>>((v) => v !== null && typeof v === 'object' && typeof (v as Iterable<string>)[Symbol.iterator] === 'function', {
        message: 'must be an array or a Set of end-to-end ids',
      })
      .optional(),
  })
  .strict()

/** Options of {@link reconcile}, as callers pass them. */
export type ReconcileOptions = z.input<typeof ReconcileOptionsSchema>

type Items = z.output<typeof OpenItemsSchema>
type Invoice = Items['invoices'][number]
type Debit = Items['directDebits'][number]
type Target = { kind: 'invoice'; item: Invoice; order: number } | { kind: 'wallet'; id: string; reference: string }

/** One payment to match: a transaction of an entry, or a whole entry. */
interface Unit {
  entryReference: string
  index: number
  minor: bigint
  currency: string
  creditDebit: CreditDebit
  structured: StructuredReference[]
  texts: string[]
  endToEndId?: string
  debtorIban?: string
  debtorName?: string
  returnInfo?: ReturnInfo
}

/** Words of a name, without accents, case or punctuation, for comparing names. */
function nameWords(name: string): Set<string> {
  return new Set(name.normalize('NFD').replace(/\p{M}+/gu, '').toUpperCase().split(/[^A-Z0-9]+/).filter((w) => w.length > 1))
}

/** How alike two names are, 0 to 1: the share of words they have in common (Dice), order and accents ignored. */
function nameScore(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0
  let common = 0
  for (const w of a) if (b.has(w)) common++
  return (2 * common) / (a.size + b.size)
}

/** 12-digit runs that look like an OGM (with or without its +++ / *** and slashes), valid or not. */
function ogmLike(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(/(?<!\d)(\d{3})[/ .]?(\d{4})[/ .]?(\d{5})(?!\d)/g)) out.push(`${m[1]}${m[2]}${m[3]}`)
  return out
}

/** Every string at one typing slip from `s`: one character replaced (from `alphabet`), or two neighbours swapped. */
function slips(s: string, alphabet: string): string[] {
  const out: string[] = []
  for (let i = 0; i < s.length; i++) {
    for (const c of alphabet) if (c !== s[i]) out.push(s.slice(0, i) + c + s.slice(i + 1))
    if (i + 1 < s.length && s[i] !== s[i + 1]) out.push(s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2))
  }
  return out
}

const TWELVE_DIGITS = /^\d{12}$/

/**
 * The normalised key of a payment reference: `ogm:` + 12 digits, `rf:` + electronic form,
 * `iuv:` + 17 digits (pagoPA notice or bare IUV), else `ref:` + the text upper-cased without spaces.
 */
function referenceKey(raw: string): string | undefined {
  const s = raw.replace(/\s+/g, '')
  if (s === '') return undefined
  // the form bank files carry (12 digits, last two = first ten mod 97, 97 for 0): checked without a regex and a second pass
  if (s.length === 12 && TWELVE_DIGITS.test(s)) {
    const r = Number(s.slice(0, 10)) % 97
    if ((r === 0 ? 97 : r) === Number(s.slice(10))) return `ogm:${s}`
  }
  if (ogm.isValid(s)) return `ogm:${ogm.normalize(s)}`
  if (/^[Rr][Ff]/.test(s) && rf.isValid(s)) return `rf:${rf.normalize(s)}`
  if (/^\d{18}$/.test(s) && pagoPa.isValidNotice(s)) return `iuv:${pagoPa.iuvOf(s)}`
  if (/^\d{17}$/.test(s)) return `iuv:${s}`
  return `ref:${s.toUpperCase()}`
}

/** The value several transactions agree on: `undefined` while none is known, `null` once two differ. */
function one(current: string | null | undefined, v: string | undefined): string | null | undefined {
  return v === undefined || current === null ? current : current === undefined || current === v ? v : null
}

const NO_TARGETS: Target[] = []

function isMinorAmount(x: unknown): x is MinorAmount {
  return x !== null && typeof x === 'object' && typeof (x as MinorAmount).minor === 'bigint' && typeof (x as MinorAmount).currency === 'string'
}

/** The payments of `entry`: one per transaction when `split` (see {@link entrySplit}), else the entry as one payment. */
function unitsOf(entry: StatementEntry, split: boolean): Unit[] {
  const txs = entry.transactions
  const currency = entry.amount.currency
  if (split) {
    return txs.map((t, index) => {
      const u: Unit = {
        entryReference: entry.reference,
        index,
        minor: (t.amount as MinorAmount).minor,
        currency,
        creditDebit: t.creditDebit ?? entry.creditDebit,
        structured: t.remittance.structured,
        texts: [...t.remittance.unstructured, ...t.remittance.structured.flatMap((s) => (s.additionalInfo ? [s.additionalInfo] : []))],
      }
      if (t.endToEndId !== undefined) u.endToEndId = t.endToEndId
      const iban = t.debtor?.iban
      if (iban !== undefined) u.debtorIban = iban
      const name = t.debtor?.name
      if (name !== undefined) u.debtorName = name
      if (t.returnInfo !== undefined) u.returnInfo = t.returnInfo
      return u
    })
  }
  // one payment for the whole entry: its transactions' references and texts, in their order, in
  // one pass (this runs once per entry of a statement of 100,000)
  const structured: StructuredReference[] = []
  const texts: string[] = []
  let e2e: string | null | undefined
  let iban: string | null | undefined
  let name: string | null | undefined
  let ret: ReturnInfo | undefined
  for (const t of txs) {
    for (const x of t.remittance.unstructured) texts.push(x)
    for (const x of t.remittance.structured) {
      structured.push(x)
      if (x.additionalInfo) texts.push(x.additionalInfo)
    }
    e2e = one(e2e, t.endToEndId)
    iban = one(iban, t.debtor?.iban)
    name = one(name, t.debtor?.name)
    if (ret === undefined && t.returnInfo !== undefined) ret = t.returnInfo
  }
  for (const x of entry.additionalInfo) texts.push(x)
  const u: Unit = { entryReference: entry.reference, index: 0, minor: entry.amount.minor, currency, creditDebit: entry.creditDebit, structured, texts }
  if (typeof e2e === 'string') u.endToEndId = e2e
  if (typeof iban === 'string') u.debtorIban = iban
  if (typeof name === 'string') u.debtorName = name
  if (ret !== undefined) u.returnInfo = ret
  return [u]
}

/**
 * Matches the payments of bank statement entries with what the school expects: open invoices,
 * wallet top-ups, and the direct debits it sent. Pure: the caller stores the outcome.
 *
 * Each booked payment (each transaction of a batch entry whose transactions' amounts add up to
 * it exactly, see {@link entrySplit}; else the entry) is matched by the first rule that finds
 * something, in this order (DOMAIN.md section 10):
 * 1. its structured references (OGM, RF, pagoPA IUV, or a reference equal to an invoice's);
 * 2. the end-to-end id of one of our direct debits (a credit settles the debit's invoices, a
 *    debit is a return, with the bank's reason code). A debit is settled once, by a credit of its
 *    amount and currency: a credit of another amount is `ambiguous` with reason
 *    `SETTLEMENT_AMOUNT_DIFFERS` (candidates the debit and its invoices), a second credit for a
 *    debit settled earlier in the run or before it (`settledDirectDebits`) is `ambiguous` with
 *    reason `ALREADY_SETTLED`; likewise a return of another amount is `RETURN_AMOUNT_DIFFERS` and a
 *    second return of one debit in the run `ALREADY_RETURNED` (leave a debit returned before out
 *    of `directDebits`);
 * 3. a valid OGM or RF found in its free text;
 * 4. a reference one typing slip (one character changed, or two neighbours swapped) from an open
 *    item's: proposed for review with the corrected reference (`REFERENCE_TYPO`), never applied;
 * 5. its amount and the payer's IBAN against open invoices: only proposed for review;
 * 6. the payer's name (against `payerNames`) and the amount: scored suggestions for review
 *    (`NAME_AND_AMOUNT`, best first, score 0.6 x name likeness + 0.4 x amount fit), never posted.
 *
 * An entry the bank marks as a reversal (`reversal: true`: camt `RvslInd`, MT940 `RC`/`RD`), whatever
 * its credit/debit indicator, is never matched as a payment or a return: it is `ambiguous` with
 * reason `REVERSAL`, its candidates being what its references (or end-to-end id) name — what the
 * reversed payment went to — for a person to undo. A credit whose references name invoices in
 * another currency is never converted: it is `ambiguous` with reason `CURRENCY_MISMATCH`.
 *
 * A batch entry whose transactions give amounts that do not add up to it (a partial listing, a
 * fee netted, a bank error) is posted neither whole nor by parts: it is `ambiguous` whole (index 0,
 * the entry's amount) with reason `BATCH_AMOUNTS_DIFFER`, its candidates what its transactions'
 * references name.
 *
 * One transfer can pay several invoices (several references): they are settled oldest due date
 * first, each up to what is left to pay on it; several transfers can pay one invoice, each taking
 * what is still left on it in the same run; what remains is `unallocated`. References that point to several wallets, or to a wallet and invoices, are
 * `ambiguous` with their candidates. Entries whose reference is in `alreadyImported` (or that
 * appear twice) are only reported as `duplicates`: importing the same statement twice changes
 * nothing. Debits (money out) never pay an invoice or top up a wallet.
 *
 * @example
 * const result = reconcile(parseCoda(bytes), {
 *   invoices: [{ id: 'INV-42', reference: '+++123/4567/89002+++', amountDue: { amount: '42.50', currency: 'EUR' } }],
 *   wallets: [{ id: 'wallet-7', reference: '+++042/1000/01735+++' }],
 * }, { alreadyImported: await store.importedEntryReferences(siteId, refs) })
 * result.invoicePayments[0].allocations //=> [{ invoiceId: 'INV-42', amount: { minor: 4250n, currency: 'EUR' } }]
 * @throws EcoleError `INVALID_INPUT` naming the open item or option that is wrong.
 */
export function reconcile(
  entries: ReadonlyArray<StatementEntry | BankStatement>,
  openItems: OpenItems,
  options: ReconcileOptions = {},
): ReconciliationResult {
  if (!Array.isArray(entries)) throw new EcoleError('INVALID_INPUT', 'reconcile: entries must be an array of statement entries or statements')
  const items = parseInput(OpenItemsSchema, openItems, 'openItems')
  const opts = parseInput(ReconcileOptionsSchema, options, 'reconcile options')

  const byReference = new Map<string, Target[]>()
  const add = (key: string | undefined, t: Target) => {
    if (key === undefined) return
    const list = byReference.get(key)
    if (list === undefined) byReference.set(key, [t])
    else list.push(t)
  }
  items.invoices.forEach((inv, order) => add(referenceKey(inv.reference), { kind: 'invoice', item: inv, order }))
  for (const w of items.wallets) add(referenceKey(w.reference), { kind: 'wallet', id: w.id, reference: w.reference })
  const remaining = new Map<string, bigint>()
  const invoicesById = new Map<string, Invoice>()
  const invoicesByIban = new Map<string, Invoice[]>()
  for (const inv of items.invoices) {
    remaining.set(inv.id, inv.amountDue.minor)
    invoicesById.set(inv.id, inv)
    for (const iban of inv.payerIbans) {
      const k = iban.replace(/\s+/g, '').toUpperCase()
      const list = invoicesByIban.get(k)
      if (list === undefined) invoicesByIban.set(k, [inv])
      else list.push(inv)
    }
  }
  const hasNames = items.invoices.some((inv) => inv.payerNames.length > 0)
  const debitsByE2e = new Map<string, Debit>()
  for (const d of items.directDebits) debitsByE2e.set(d.endToEndId, d)

  const result: ReconciliationResult = {
    walletTopUps: [], invoicePayments: [], directDebitReturns: [], ambiguous: [], unmatched: [], duplicates: [], skipped: [], importedReferences: [],
  }
  const seen = new Set<string>(opts.alreadyImported ?? [])
  const money = (u: Unit, minor = u.minor): MinorAmount => ({ minor, currency: u.currency })
  const where = (u: Unit) => ({ entryReference: u.entryReference, transactionIndex: u.index, amount: money(u) })
  const ambiguous = (u: Unit, reason: AmbiguityReason, candidates: MatchCandidate[]) =>
    result.ambiguous.push({ ...where(u), creditDebit: u.creditDebit, reason, candidates })
  const invoiceCandidate = (inv: Invoice): MatchCandidate => ({
    kind: 'invoice', id: inv.id, amount: { minor: remaining.get(inv.id) ?? 0n, currency: inv.amountDue.currency },
  })
  const debitCandidate = (d: Debit): MatchCandidate => ({ kind: 'directDebit', id: d.endToEndId, amount: { minor: d.amount.minor, currency: d.amount.currency } })
  // the direct debits settled (before this run, or by an earlier credit of it) and returned by this run:
  // a second settlement credit or a second return of one debit is for a person, never applied twice
  const settled = new Set<string>(opts.settledDirectDebits ?? [])
  const returnedInRun = new Set<string>()

  /** Settles invoices or tops up a wallet from the targets a rule found; false when it found none. */
  const settle = (u: Unit, targets: Target[], rule: MatchRule, reference: string | undefined, endToEndId?: string): boolean => {
    if (targets.length === 0) return false
    let list = targets
    if (targets.length > 1) {
      const unique = new Map<string, Target>()
      for (const t of targets) unique.set(t.kind === 'wallet' ? `w:${t.id}` : `i:${t.item.id}`, t)
      list = [...unique.values()]
    }
    const only = list.length === 1 ? list[0] : undefined
    if (only !== undefined && only.kind === 'wallet') {
      result.walletTopUps.push({ entryReference: u.entryReference, transactionIndex: u.index, amount: money(u), walletId: only.id, matchedBy: rule, reference: reference ?? only.reference })
      return true
    }
    if (only !== undefined && only.kind === 'invoice' && only.item.amountDue.currency === u.currency) {
      const due = remaining.get(only.item.id) ?? 0n
      if (due > 0n) {
        const part = due < u.minor ? due : u.minor
        remaining.set(only.item.id, due - part)
        const payment: ReconciliationResult['invoicePayments'][number] = {
          entryReference: u.entryReference, transactionIndex: u.index, amount: money(u), matchedBy: rule,
          allocations: [{ invoiceId: only.item.id, amount: money(u, part) }], unallocated: money(u, u.minor - part),
        }
        if (endToEndId !== undefined) payment.endToEndId = endToEndId
        result.invoicePayments.push(payment)
        return true
      }
    }
    const wallets = list.filter((t): t is Extract<Target, { kind: 'wallet' }> => t.kind === 'wallet')
    const invoices = list.filter((t): t is Extract<Target, { kind: 'invoice' }> => t.kind === 'invoice')
    if (wallets.length > 1 || (wallets.length === 1 && invoices.length > 0)) {
      ambiguous(u, 'SEVERAL_TARGETS', list.map((t) => (t.kind === 'wallet' ? { kind: 'wallet', id: t.id } : invoiceCandidate(t.item))))
      return true
    }
    const wallet = wallets[0]
    if (wallet !== undefined) {
      result.walletTopUps.push({ ...where(u), walletId: wallet.id, matchedBy: rule, reference: reference ?? wallet.reference })
      return true
    }
    if (invoices.some((t) => t.item.amountDue.currency !== u.currency)) {
      ambiguous(u, 'CURRENCY_MISMATCH', invoices.map((t) => invoiceCandidate(t.item)))
      return true
    }
    invoices.sort((a, b) => {
      const da = a.item.dueDate ?? '9999-12-31'
      const db = b.item.dueDate ?? '9999-12-31'
      return da < db ? -1 : da > db ? 1 : a.order - b.order
    })
    if (invoices.every((t) => (remaining.get(t.item.id) ?? 0n) <= 0n)) {
      ambiguous(u, 'INVOICE_ALREADY_PAID', invoices.map((t) => invoiceCandidate(t.item)))
      return true
    }
    let left = u.minor
    const allocations: InvoiceAllocation[] = []
    for (const t of invoices) {
      const due = remaining.get(t.item.id) ?? 0n
      if (left <= 0n || due <= 0n) continue
      const part = due < left ? due : left
      remaining.set(t.item.id, due - part)
      left -= part
      allocations.push({ invoiceId: t.item.id, amount: money(u, part) })
    }
    const payment: ReconciliationResult['invoicePayments'][number] = { ...where(u), matchedBy: rule, allocations, unallocated: money(u, left) }
    if (endToEndId !== undefined) payment.endToEndId = endToEndId
    result.invoicePayments.push(payment)
    return true
  }

  const lookup = (keys: Iterable<string | undefined>): { targets: Target[]; reference: string | undefined } => {
    const targets: Target[] = []
    let reference: string | undefined
    for (const k of keys) {
      if (k === undefined) continue
      const found = byReference.get(k)
      if (found !== undefined) {
        targets.push(...found)
        reference ??= k.slice(k.indexOf(':') + 1)
      }
    }
    return { targets, reference }
  }

  const lookupOne = (k: string | undefined): { targets: Target[]; reference: string | undefined } => {
    const found = k === undefined ? undefined : byReference.get(k)
    return found === undefined ? { targets: NO_TARGETS, reference: undefined } : { targets: found, reference: k!.slice(k!.indexOf(':') + 1) }
  }

  const matchCredit = (u: Unit) => {
    // 1. structured references (most payments carry one: looked up without building lists)
    const structured = u.structured.length === 1 ? lookupOne(referenceKey(u.structured[0]!.reference)) : lookup(u.structured.map((s) => referenceKey(s.reference)))
    if (settle(u, structured.targets, 'structuredReference', structured.reference)) return
    // 2. the end-to-end id of one of our direct debits: the collection is settled, once, by a
    // credit of its amount (any other credit naming it is for a person: money the bank sent
    // twice, or short, or in excess, is never taken as the collection)
    const debit = u.endToEndId !== undefined ? debitsByE2e.get(u.endToEndId) : undefined
    if (debit !== undefined) {
      if (debit.amount.minor !== u.minor || debit.amount.currency !== u.currency) {
        const named: MatchCandidate[] = [debitCandidate(debit)]
        for (const id of debit.invoiceIds) {
          const inv = invoicesById.get(id)
          if (inv !== undefined) named.push(invoiceCandidate(inv))
        }
        ambiguous(u, 'SETTLEMENT_AMOUNT_DIFFERS', named)
        return
      }
      if (settled.has(debit.endToEndId)) {
        ambiguous(u, 'ALREADY_SETTLED', [debitCandidate(debit)])
        return
      }
      settled.add(debit.endToEndId)
      const targets: Target[] = []
      debit.invoiceIds.forEach((id, order) => {
        const inv = invoicesById.get(id)
        if (inv !== undefined) targets.push({ kind: 'invoice', item: { ...inv, dueDate: undefined }, order })
      })
      if (targets.length > 0 && settle(u, targets, 'endToEndId', undefined, debit.endToEndId)) return
      result.invoicePayments.push({ ...where(u), matchedBy: 'endToEndId', allocations: [], unallocated: money(u), endToEndId: debit.endToEndId })
      return
    }
    // 3. a valid OGM or RF in free text (or in a structured reference field that is not one)
    const texts = [...u.texts, ...u.structured.map((s) => s.reference)]
    const keys: string[] = []
    for (const t of texts) {
      for (const d of ogm.findIn(t)) keys.push(`ogm:${d}`)
      for (const r of rf.findIn(t)) keys.push(`rf:${r}`)
    }
    // a bank cuts free text at a fixed width (35 characters in MT940, 140 in camt), inside a
    // reference too: the lines are also read end to end
    if (u.texts.length > 1) {
      const joined = u.texts.join('')
      for (const key of [...ogm.findIn(joined).map((d) => `ogm:${d}`), ...rf.findIn(joined).map((r) => `rf:${r}`)]) if (!keys.includes(key)) keys.push(key)
    }
    const inText = lookup(keys)
    if (settle(u, inText.targets, 'referenceInText', inText.reference)) return
    // 4. a reference one typing slip away from an open item's: suggested with the corrected reference, never applied
    const typo = referenceTypo(texts)
    if (typo.length > 0) {
      ambiguous(u, 'REFERENCE_TYPO', typo)
      return
    }
    // 5. amount and the payer's IBAN: candidates for a person to confirm
    const iban = u.debtorIban?.replace(/\s+/g, '').toUpperCase()
    const known = iban !== undefined ? (invoicesByIban.get(iban) ?? []).filter((inv) => (remaining.get(inv.id) ?? 0n) > 0n && inv.amountDue.currency === u.currency) : []
    const exact = known.filter((inv) => remaining.get(inv.id) === u.minor)
    const candidates = exact.length > 0 ? exact : known
    if (candidates.length > 0) {
      ambiguous(u, 'AMOUNT_AND_IBAN', candidates.map(invoiceCandidate))
      return
    }
    // 6. the payer's name and the amount: scored suggestions for review, never posted
    const byName = nameAndAmount(u)
    if (byName.length > 0) {
      ambiguous(u, 'NAME_AND_AMOUNT', byName)
      return
    }
    result.unmatched.push({ ...where(u), creditDebit: u.creditDebit })
  }

  /** Open items whose reference is one typing slip from a reference-like text of the payment. */
  const referenceTypo = (texts: readonly string[]): MatchCandidate[] => {
    const found = new Map<string, MatchCandidate>()
    const consider = (key: string, corrected: string) => {
      for (const t of byReference.get(key) ?? []) {
        const c: MatchCandidate = t.kind === 'wallet' ? { kind: 'wallet', id: t.id } : invoiceCandidate(t.item)
        if (t.kind === 'invoice' && (remaining.get(t.item.id) ?? 0n) <= 0n) continue
        c.score = 0.9
        c.correctedReference = corrected
        found.set(`${c.kind}:${c.id}`, c)
      }
    }
    for (const text of texts) {
      for (const digits of ogmLike(text)) {
        if (byReference.has(`ogm:${digits}`)) continue
        for (const v of slips(digits, '0123456789')) if (ogm.isValid(v)) consider(`ogm:${v}`, ogm.format(v))
      }
      for (const m of text.toUpperCase().replace(/\s+/g, '').matchAll(/RF\d{2}[A-Z0-9]{1,21}/g)) {
        const raw = m[0]
        if (byReference.has(`rf:${raw}`) || rf.isValid(raw)) continue
        for (const v of slips(raw.slice(2), '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')) {
          const candidate = `RF${v}`
          if (byReference.has(`rf:${candidate}`) && rf.isValid(candidate)) consider(`rf:${candidate}`, candidate)
        }
      }
    }
    return [...found.values()]
  }

  /** Open invoices whose payer's name is like the payment's, scored with how well the amount fits. */
  const nameAndAmount = (u: Unit): MatchCandidate[] => {
    if (u.debtorName === undefined || !hasNames) return []
    const words = nameWords(u.debtorName)
    const out: MatchCandidate[] = []
    for (const inv of items.invoices) {
      const due = remaining.get(inv.id) ?? 0n
      if (due <= 0n || inv.amountDue.currency !== u.currency || inv.payerNames.length === 0) continue
      const name = Math.max(...inv.payerNames.map((n) => nameScore(words, nameWords(n))))
      if (name < 0.5) continue
      const amount = due === u.minor ? 1 : u.minor < due ? 0.5 : 0.25
      const score = Math.round((0.6 * name + 0.4 * amount) * 100) / 100
      if (score >= 0.6) out.push({ ...invoiceCandidate(inv), score })
    }
    return out.sort((a, b) => (b.score ?? 0) - (a.score ?? 0)).slice(0, 5)
  }

  /**
   * What a payment's references (structured, then a valid OGM or RF in its text) and end-to-end id
   * name: for a reversal (`RvslInd`, MT940 `RC`/`RD`), the invoices, wallets or direct debit the
   * reversed payment went to; for a batch whose transactions do not add up to it, what they pay.
   * For a reviewer (none when nothing names them).
   */
  const named = (u: Unit): MatchCandidate[] => {
    const keys: Array<string | undefined> = u.structured.map((s) => referenceKey(s.reference))
    for (const t of [...u.texts, ...u.structured.map((s) => s.reference)]) {
      for (const d of ogm.findIn(t)) keys.push(`ogm:${d}`)
      for (const r of rf.findIn(t)) keys.push(`rf:${r}`)
    }
    const found = new Map<string, MatchCandidate>()
    for (const t of lookup(keys).targets) {
      const c: MatchCandidate = t.kind === 'wallet' ? { kind: 'wallet', id: t.id } : invoiceCandidate(t.item)
      found.set(`${c.kind}:${c.id}`, c)
    }
    const debit = u.endToEndId !== undefined ? debitsByE2e.get(u.endToEndId) : undefined
    if (debit !== undefined) found.set(`directDebit:${debit.endToEndId}`, debitCandidate(debit))
    return [...found.values()]
  }

  const matchDebit = (u: Unit) => {
    const debit = u.endToEndId !== undefined ? debitsByE2e.get(u.endToEndId) : undefined
    if (debit === undefined) {
      result.unmatched.push({ ...where(u), creditDebit: u.creditDebit })
      return
    }
    if (debit.amount.minor !== u.minor || debit.amount.currency !== u.currency) {
      ambiguous(u, 'RETURN_AMOUNT_DIFFERS', [debitCandidate(debit)])
      return
    }
    if (returnedInRun.has(debit.endToEndId)) {
      ambiguous(u, 'ALREADY_RETURNED', [debitCandidate(debit)])
      return
    }
    returnedInRun.add(debit.endToEndId)
    const ret: ReconciliationResult['directDebitReturns'][number] = { ...where(u), endToEndId: debit.endToEndId, invoiceIds: [...debit.invoiceIds] }
    if (u.returnInfo !== undefined) {
      ret.returnInfo = u.returnInfo
      if (u.returnInfo.reasonCode !== undefined) ret.reasonCode = u.returnInfo.reasonCode
    }
    result.directDebitReturns.push(ret)
  }

  const each = (entry: StatementEntry) => {
    if (seen.has(entry.reference)) {
      result.duplicates.push({ entryReference: entry.reference, amount: { minor: entry.amount.minor, currency: entry.amount.currency } })
      return
    }
    if (entry.status !== 'booked') {
      result.skipped.push({ entryReference: entry.reference, status: entry.status })
      return
    }
    seen.add(entry.reference)
    result.importedReferences.push(entry.reference)
    const split = entrySplit(entry)
    if (split.kind === 'amountsDiffer') {
      // transactions that do not add up to their entry: neither the parts nor the whole are
      // posted; the entry waits whole for a person, with what its transactions name
      const [u] = unitsOf(entry, false) as [Unit]
      ambiguous(u, entry.reversal ? 'REVERSAL' : 'BATCH_AMOUNTS_DIFFER', named(u))
      return
    }
    for (const u of unitsOf(entry, split.kind === 'split')) {
      if (entry.reversal) ambiguous(u, 'REVERSAL', named(u))
      else if (u.creditDebit === 'credit') matchCredit(u)
      else matchDebit(u)
    }
  }
  const checked = (x: unknown, field: string): StatementEntry => {
    if (x === null || typeof x !== 'object' || typeof (x as StatementEntry).reference !== 'string' || !Array.isArray((x as StatementEntry).transactions) || !isMinorAmount((x as StatementEntry).amount)) {
      throw new EcoleError('INVALID_INPUT', `reconcile: ${field} must be a statement entry (as the parsers return it), got ${x === null ? 'null' : typeof x}`, { details: { field } })
    }
    return x as StatementEntry
  }
  entries.forEach((e, i) => {
    if (e !== null && typeof e === 'object' && 'entries' in e && Array.isArray(e.entries)) {
      ;(e.entries as unknown[]).forEach((x: unknown, j: number) => each(checked(x, `entries[${i}].entries[${j}]`)))
    } else each(checked(e, `entries[${i}]`))
  })
  return result
}
