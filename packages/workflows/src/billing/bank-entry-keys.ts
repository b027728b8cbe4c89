import { createHash } from 'node:crypto'
import type { BankStatement, StatementEntry, TransactionDetails } from '@ecole/bank'
import { Money } from '@ecole/core'

/**
 * One entry of an import with the key it is imported under and the keys the same booking may have
 * been imported under before (see {@link keyBankEntries}). @internal
 */
export interface KeyedBankEntry {
  /** The key it is imported under (`entry.reference` is this key). */
  key: string
  /** The entry, its `reference` replaced by `key`. */
  entry: StatementEntry
  /** Its statement. */
  statement: BankStatement
  /** The statement's account as an imported entry stores it (IBAN, else the other identifier). */
  iban: string
  /** `bank`: keyed by the bank's own reference; `content`: by what the booking says (it has no bank reference). */
  by: 'bank' | 'content'
  /**
   * Its content key: `key` itself for a `content` entry; for a `bank` entry of a statement (camt.053,
   * CODA, MT940: every booking of its day), what its key would be in a delivery without the bank's
   * reference, when no other entry of the statement says the same (undefined otherwise).
   */
  contentKey: string | undefined
  /** The key the same entry was imported under before 0.2 (the parser's `reference`, `~2`... for a repeat). */
  legacyKey: string
  /**
   * For a camt entry without `AcctSvcrRef` keyed by its `NtryRef`, the key 0.1.0 imported it under:
   * the bare `NtryRef`, unique only within its statement (banks number the entries 1, 2... each
   * day), so an entry stored under it is this one only when its bank data is the same.
   */
  ntryRefKey: string | undefined
  /** A bank key an earlier entry of the import has: kept for review, never reconciled. */
  repeated: boolean
  /**
   * An earlier statement of the import has an entry without bank reference under its content key:
   * the same booking delivered twice (a notification and the day's statement), imported once.
   */
  sameBookingAsEarlier: boolean
}

/**
 * The key each entry of `statements` is imported under, in file order.
 *
 * - An entry the bank keyed (camt `Ntry/AcctSvcrRef`, CODA bank reference, MT940 reference of the
 *   account servicing institution: anything but the parser's fallbacks, which start with the
 *   statement id or the account and the statement id), or, without one, a
 *   single-transaction camt entry whose transaction the bank keyed (`TxDtls/Refs/AcctSvcrRef`):
 *   `<account>|<bank reference>`, with `#pending` or `#info` for an entry not booked (a camt.052/054
 *   entry reported pending, then booked in the camt.053 under the same reference, is posted then).
 *   Such a key an earlier entry of the import has gets `~2`, `~3`... in file order and is kept for
 *   review (`repeated`).
 * - Any other entry: its **content key**, `<account>|<date>/<CRDT|DBIT>/<amount><currency>/<hash>/<n>`,
 *   where the date is the booking date, else the value date; the hash (16 hex digits of SHA-256)
 *   covers the entry's status, reversal indicator and, per transaction, the bank's transaction
 *   reference, the end-to-end id (not `NOTPROVIDED`), the instruction id, the mandate, the
 *   counterparty's IBAN, the structured references, the free-text remittance (spaces removed,
 *   upper case) and the return reason; `n` numbers, in file order, the entries of the statement
 *   without bank reference that say exactly the same. Never the statement's id, position or
 *   `NtryRef`: the same booking delivered in a notification (camt.054) and the day's statement
 *   (camt.053), or re-sent under another statement id, has the same key; two identical bookings of
 *   one statement stay two (`/1`, `/2`).
 *
 * An entry whose content key ({@link KeyedBankEntry.contentKey}, for an entry the bank keyed) an
 * earlier statement's entry without bank reference has is the same booking again
 * (`sameBookingAsEarlier`), imported once, as a later import finds it imported.
 *
 * The account is the statement's IBAN (else its other identifier), spaces removed, upper case: two
 * accounts whose banks use the same references never share a key.
 *
 * @example
 * keyBankEntries(parseCamt053(xml))[0].key //=> 'BE68539007547034|AB12345' or 'BE68539007547034|2027-01-16/CRDT/50.00EUR/4b1d0c93e2a87f65/1'
 * @internal
 */
export function keyBankEntries(statements: readonly BankStatement[]): KeyedBankEntry[] {
  const out: KeyedBankEntry[] = []
  const keys = new Set<string>()
  const legacy = new Set<string>()
  const contentOfEarlier = new Set<string>()
  for (const statement of statements) {
    const iban = statement.account.iban ?? statement.account.otherId ?? ''
    const account = iban.replace(/\s+/g, '').toUpperCase()
    const complete = statement.format !== 'camt.054' && statement.format !== 'camt.052'
    const ntryRefPrefix = statement.format.startsWith('camt') ? `${iban}/${statement.id}/` : undefined
    const bankRefs = statement.entries.map((e) => bankReferenceOf(statement, iban, e))
    const contents = statement.entries.map((e) => contentOf(account, e))
    const total = new Map<string, number>()
    for (const c of contents) total.set(c, (total.get(c) ?? 0) + 1)
    // identical content numbered among the entries without bank reference only: an entry the bank
    // keyed shifts no number, whether or not a delivery keyed it
    const occurrences = new Map<string, number>()
    const contentOfThis: string[] = []
    statement.entries.forEach((e, i) => {
      // the key 0.1 imported it under: the parser's reference, `~2`... when an earlier entry of the import had it
      let legacyKey = e.reference
      for (let n = 2; legacy.has(legacyKey); n++) legacyKey = `${e.reference}~${n}`
      legacy.add(legacyKey)
      const ntryRefKey = ntryRefPrefix !== undefined && e.reference.startsWith(ntryRefPrefix) ? e.reference.slice(ntryRefPrefix.length) : undefined
      const content = contents[i]!
      const bankRef = bankRefs[i]
      if (bankRef === undefined) {
        const n = (occurrences.get(content) ?? 0) + 1
        occurrences.set(content, n)
        const key = `${content}/${n}`
        // the same booking as an earlier statement's entry without bank reference: what a later
        // import finds stored under its content key
        const same = contentOfEarlier.has(key)
        contentOfThis.push(key)
        if (!same) keys.add(key)
        out.push({ key, entry: { ...e, reference: key }, statement, iban, by: 'content', contentKey: key, legacyKey, ntryRefKey, repeated: false, sameBookingAsEarlier: same })
        return
      }
      // what it would be keyed by in a delivery without the bank's reference, when no other entry of
      // the day's statement says the same (with several, which one a notification held cannot be
      // told; a notification or report holds only some of the day's bookings, so an entry alone there
      // may have twins elsewhere)
      const contentKey = complete && total.get(content) === 1 ? `${content}/1` : undefined
      const same = contentKey !== undefined && contentOfEarlier.has(contentKey)
      // a pending or information entry is not the booking the bank later books under the same
      // reference: keyed apart, so the booked entry is posted when it comes
      const base = e.status === 'booked' ? `${account}|${bankRef}` : `${account}|${bankRef}#${e.status}`
      let key = base
      if (!same) {
        for (let k = 2; keys.has(key); k++) key = `${base}~${k}`
        keys.add(key)
      }
      out.push({ key, entry: { ...e, reference: key }, statement, iban, by: 'bank', contentKey, legacyKey, ntryRefKey, repeated: key !== base, sameBookingAsEarlier: same })
    })
    for (const c of contentOfThis) contentOfEarlier.add(c)
  }
  return out
}

/**
 * The bank's own key of `entry`, or undefined when the parser had none and built its fallback
 * (`referenceSource: 'parser'`; without it, by shape: `<statement id>/<position>`, camt `<account>/<statement id>/<NtryRef>`, CODA
 * `<statement id>/<movement>`, MT940 `<statement id>/<position>`: see `StatementEntry.reference`);
 * then a single transaction's own bank reference (camt `TxDtls/Refs/AcctSvcrRef`).
 */
function bankReferenceOf(statement: BankStatement, account: string, entry: StatementEntry): string | undefined {
  const ref = entry.reference
  // the parsers say whether the reference is the bank's; an entry built elsewhere (by hand, by
  // another parser, a held statement stored before they said it) is judged by the fallbacks' shape
  const fallback = ref === '' || (entry.referenceSource !== undefined
    ? entry.referenceSource === 'parser'
    : ref.startsWith(`${statement.id}/`) || ref.startsWith(`${account}/${statement.id}/`))
  if (!fallback) return ref
  const only = entry.transactions.length === 1 ? entry.transactions[0]?.accountServicerReference?.trim() : undefined
  return only !== undefined && only !== '' ? only : undefined
}

/** `<account>|<date>/<CRDT|DBIT>/<amount><currency>/<hash>`: what the booking says, without the statement it came in. */
function contentOf(account: string, e: StatementEntry): string {
  const date = e.bookingDate ?? e.valueDate ?? 'undated'
  const direction = e.creditDebit === 'credit' ? 'CRDT' : 'DBIT'
  let amount: string
  try {
    amount = Money.fromMinor(e.amount.minor, e.amount.currency).amount
  } catch {
    amount = `${e.amount.minor}minor`
  }
  const fields = ['v1', e.status, e.reversal ? 'RVSL' : '', ...e.transactions.map((t) => transactionContent(t, e.creditDebit))]
  const hash = createHash('sha256').update(JSON.stringify(fields), 'utf8').digest('hex').slice(0, 16)
  return `${account}|${date}/${direction}/${amount}${e.amount.currency}/${hash}`
}

const compact = (s: string | undefined): string => (s ?? '').replace(/\s+/g, '').toUpperCase()

function transactionContent(t: TransactionDetails, creditDebit: StatementEntry['creditDebit']): string[] {
  const e2e = compact(t.endToEndId)
  const counterparty = (creditDebit === 'credit' ? t.debtor : t.creditor)?.iban
  return [
    compact(t.accountServicerReference), e2e === 'NOTPROVIDED' ? '' : e2e, compact(t.instructionId), compact(t.mandateId), compact(counterparty),
    t.remittance.structured.map((s) => compact(s.reference)).join(' '), compact(t.remittance.unstructured.join('')), compact(t.returnInfo?.reasonCode),
  ]
}
