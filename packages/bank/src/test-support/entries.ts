import { Money, type MinorAmount } from '@ecole/core'
import type { StatementEntry, TransactionDetails } from '../statement/bank-statement'

/** A payment inside a test entry. */
export interface TestPayment {
  cents?: bigint
  credit?: boolean
  structured?: string[]
  text?: string[]
  e2e?: string
  iban?: string
  reason?: string
}

/** A booked statement entry built directly (no file), for reconciliation tests. */
export function entry(reference: string, cents: bigint, credit: boolean, payments: TestPayment[] = [{}], status: StatementEntry['status'] = 'booked'): StatementEntry {
  const transactions = payments.map((p): TransactionDetails => {
    const t: TransactionDetails = {
      remittance: { structured: (p.structured ?? []).map((reference) => ({ reference })), unstructured: p.text ?? [] },
    }
    if (p.cents !== undefined) {
      t.amount = { minor: p.cents, currency: 'EUR' }
      t.creditDebit = (p.credit ?? credit) ? 'credit' : 'debit'
    }
    if (p.e2e !== undefined) t.endToEndId = p.e2e
    if (p.iban !== undefined) t.debtor = { iban: p.iban }
    if (p.reason !== undefined) t.returnInfo = { reasonCode: p.reason, additionalInfo: [] }
    return t
  })
  return { reference, amount: { minor: cents, currency: 'EUR' }, creditDebit: credit ? 'credit' : 'debit', reversal: false, status, transactions, additionalInfo: [] }
}

/** `{ amount, currency: 'EUR' }` from cents, as open items carry it. */
export function eur(cents: bigint): { amount: string; currency: string } {
  const s = cents.toString().padStart(3, '0')
  return { amount: `${s.slice(0, -2)}.${s.slice(-2)}`, currency: 'EUR' }
}

/** A statement amount as Money prints it (`{ minor: 4250n, currency: 'EUR' }` -> `'42.50 EUR'`), to state expectations readably. */
export function shown(a: MinorAmount): string {
  return Money.fromMinor(a.minor, a.currency).toString()
}
