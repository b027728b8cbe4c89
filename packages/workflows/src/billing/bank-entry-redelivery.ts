import { contentDifferences } from '@ecole/core'
import type { ImportedBankEntry } from '@ecole/core/ports'

/** What an imported entry stores of the bank's data: everything but its key and what the import made of it. @internal */
export type BankEntryData = Omit<ImportedBankEntry, 'entryReference' | 'outcome'>

/**
 * The bank data that describe a movement without being it: the counterparty's name and the
 * remittance text (structured references first). Banks write them differently from one message to
 * the next (`Hélène Dupré` in the camt.054, `HELENE DUPRE` in the day's camt.053). @internal
 */
export const DESCRIPTIVE_BANK_DATA = ['counterpartyName', 'remittance'] as const

/** A field of {@link DESCRIPTIVE_BANK_DATA}. @internal */
export type DescriptiveBankData = (typeof DESCRIPTIVE_BANK_DATA)[number]

const descriptive: ReadonlySet<string> = new Set(DESCRIPTIVE_BANK_DATA)

/**
 * How a delivery of an entry imported before (`again`) differs from what was stored of it
 * (`first`): in its **money facts** (account, amount, currency, direction, booking date, and any
 * other stored field not named descriptive), which make it another movement under the same key
 * (`IDEMPOTENCY_CONFLICT`), and in its **descriptive details** ({@link DESCRIPTIVE_BANK_DATA}),
 * which do not (the same movement, the difference reported). Fields in key order.
 *
 * @example
 * redeliveryDifferences(
 *   { accountIban: 'BE68539007547034', bookingDate: '2027-01-16', amountMinor: 5000n, currency: 'EUR', direction: 'credit', counterpartyName: 'Hélène Dupré', remittance: 'RF18539007547034' },
 *   { accountIban: 'BE68539007547034', bookingDate: '2027-01-16', amountMinor: 5000n, currency: 'EUR', direction: 'credit', counterpartyName: 'HELENE DUPRE', remittance: 'RF18539007547034' },
 * ) //=> { moneyFacts: [], details: ['counterpartyName'] }
 * @internal
 */
export function redeliveryDifferences(first: BankEntryData, again: BankEntryData): { moneyFacts: string[]; details: DescriptiveBankData[] } {
  const fields = contentDifferences(first, again, { ignore: ['entryReference', 'outcome'] })
  return {
    moneyFacts: fields.filter((f) => !descriptive.has(f)),
    details: fields.filter((f): f is DescriptiveBankData => descriptive.has(f)),
  }
}

/**
 * The descriptive details of `data` ({@link DESCRIPTIVE_BANK_DATA}), as a duplicate's note shows them.
 *
 * @example
 * descriptiveDetailsOf(stored) //=> { counterpartyName: 'Hélène Dupré', remittance: 'RF18539007547034' }
 * @internal
 */
export function descriptiveDetailsOf(data: BankEntryData): { counterpartyName: string | null; remittance: string | null } {
  return { counterpartyName: data.counterpartyName ?? null, remittance: data.remittance ?? null }
}
