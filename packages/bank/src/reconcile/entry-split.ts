import { asInputError, type MinorAmount } from '@ecole/core'
import type { StatementEntry } from '../statement/bank-statement'

/**
 * How reconciliation reads an entry's money (see {@link entrySplit}):
 * - `whole`: one payment of the entry's amount (one transaction of that amount, or transactions
 *   that do not all give an amount in the entry's currency), matched with every reference of its
 *   transactions;
 * - `split`: one payment per transaction, each of its own amount: the transactions' amounts add
 *   up to the entry's exactly;
 * - `amountsDiffer`: the transactions all give an amount in the entry's currency, but they add up
 *   to `transactionsTotal`, not to the entry's amount (some transactions not listed, a fee netted,
 *   a bank error): the entry is never posted, whole or by parts; it is kept whole for review.
 *
 * @example
 * const split: EntrySplit = { kind: 'amountsDiffer', transactionsTotal: { minor: 10000n, currency: 'EUR' } }
 */
export type EntrySplit =
  | { kind: 'whole' }
  | { kind: 'split' }
  | {
      kind: 'amountsDiffer'
      /**
       * What the transactions add up to, in the entry's currency, counted in the entry's direction
       * (a transaction of the other direction counts negatively; one without its own credit/debit
       * indicator goes the entry's way).
       */
      transactionsTotal: MinorAmount
    }

/**
 * Whether reconciliation matches the transactions of `entry` one by one, the entry as one
 * payment, or neither. The rule, the same for every format (camt `TxDtls`, CODA globalisation
 * details, MT940): an entry is split into its transactions only when each gives an amount in the
 * entry's currency and these amounts, each in its own direction (the entry's when the transaction
 * gives none, as camt.053.001.02 `TxDtls` never do), add up to the entry's amount exactly. When
 * they give amounts that add up to anything else — fewer transactions listed than the batch holds
 * (`Btch/NbOfTxs` larger), a fee the bank took off the transfers (stated in `Chrgs` or not), a
 * bank error — posting the parts would post money the bank never credited, or leave out money it
 * did: the entry is kept whole, for a person (`amountsDiffer`). This holds for a single transaction
 * too: one `TxDtls` of 50.00 in an entry of 150.00 is one transfer of three listed, never a
 * payment of 150.00 by that transfer's payer.
 *
 * @throws EcoleError `INVALID_INPUT` when `entry` is not a statement entry.
 * @example
 * entrySplit(parseCamt053(xml)[0].entries[0])
 * //=> { kind: 'split' } for an entry of 100.00 with TxDtls of 60.00 and 40.00
 * //=> { kind: 'amountsDiffer', transactionsTotal: { minor: 10000n, currency: 'EUR' } } for one of 150.00 with the same TxDtls
 */
export function entrySplit(entry: StatementEntry): EntrySplit {
  try {
    return splitOf(entry)
  } catch (error) {
    throw asInputError(error, 'entrySplit', { entry: [entry, 'object', 'a statement entry the parsers built'] })
  }
}

function splitOf(entry: StatementEntry): EntrySplit {
  const txs = entry.transactions
  if (txs.length === 0) return { kind: 'whole' }
  const currency = entry.amount.currency
  let total = 0n
  for (const t of txs) {
    if (t.amount === undefined || t.amount.currency !== currency) return { kind: 'whole' }
    total += (t.creditDebit ?? entry.creditDebit) === entry.creditDebit ? t.amount.minor : -t.amount.minor
  }
  if (total !== entry.amount.minor) return { kind: 'amountsDiffer', transactionsTotal: { minor: total, currency } }
  return txs.length > 1 ? { kind: 'split' } : { kind: 'whole' }
}
