import type { BankStatement } from '../statement/bank-statement'
import { parseCamt } from './parse-camt'

/**
 * Reads a camt.054 debit/credit notification, any `.001.xx` version, into the same
 * {@link BankStatement} shape as {@link parseCamt053} (one per `Ntfctn`; a notification usually
 * has no balances, so its checks are its counts and batches). Direct-debit returns come with
 * `TxDtls/RtrInf` and their reason codes (`AM04`, `MD06`...) in `transactions[i].returnInfo`.
 *
 * @example
 * const [notification] = parseCamt054(xml)
 * notification.entries[0].transactions[0].returnInfo?.reasonCode //=> 'AM04'
 * @throws EcoleError `MALFORMED_XML`, `MALFORMED_BANK_FILE` or `INVALID_INPUT`, as
 * {@link parseCamt053} does; never because figures disagree.
 */
export function parseCamt054(xml: string | Uint8Array): BankStatement[] {
  return parseCamt(xml, 'camt.054')
}
