import type { BankStatement } from '../statement/bank-statement'
import { parseCamt } from './parse-camt'

/**
 * Reads a camt.053 bank-to-customer statement, any `.001.xx` version (elements are read by
 * local name, whatever the namespace or prefix), into {@link BankStatement}s: one per `Stmt`,
 * each entry (`Ntry`) with its transactions (`TxDtls`, several for a batch), structured (`Strd`)
 * and free-text (`Ustrd`) remittance, and return information with its reason code.
 *
 * Each statement is checked against the file's own figures before anything is returned: balances
 * in one currency, opening balance + booked entries = closing balance, `TxsSummry` counts and
 * sums, batch counts. A file that does not add up is refused whole.
 *
 * The document is read in one pass by a scanner that hands each entry over as soon as it is
 * closed, so memory grows with the result, not with a tree of the whole file.
 *
 * @example
 * const [statement] = parseCamt053(xml)
 * statement.entries[0].transactions[0].remittance.structured[0] //=> { reference: '123456789002', type: 'SCOR', issuer: 'BBA' }
 * @throws EcoleError `MALFORMED_XML` (line and column) for XML that is not well formed,
 * `MALFORMED_BANK_FILE` (line and field) for a missing or invalid field, and
 * `STATEMENT_DOES_NOT_ADD_UP` naming each figure that disagrees.
 */
export function parseCamt053(xml: string): BankStatement[] {
  return parseCamt(xml, 'camt.053')
}
