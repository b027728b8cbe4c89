import type { BankStatement } from '../statement/bank-statement'
import { parseCamt } from './parse-camt'

/**
 * Reads a camt.053 bank-to-customer statement, any `.001.xx` version (elements are read by
 * local name, whatever the namespace or prefix), into {@link BankStatement}s: one per `Stmt`
 * (several statements and several accounts per file), each entry (`Ntry`) with its transactions
 * (`TxDtls`, several for a batch), structured (`Strd`) and free-text (`Ustrd`) remittance, and
 * return information with its reason code. Bytes are decoded as the XML prolog declares
 * (UTF-8, ISO-8859-1, UTF-16 with a byte-order mark...).
 *
 * Figures that disagree are reported, never thrown: each statement's `checks` compare every
 * balance by its definition (opening + booked entries = closing, with the convention that made
 * them agree), the currency of each balance and entry, `TxsSummry` counts and sums, batch counts
 * and totals. A batch listing fewer `TxDtls` than its `NbOfTxs`, or none, is not a disagreement.
 *
 * The document is read in one pass by a scanner that hands each entry over as soon as it is
 * closed, so memory grows with the result, not with a tree of the whole file.
 *
 * @example
 * const [statement] = parseCamt053(xml)
 * statement.entries[0].transactions[0].remittance.structured[0] //=> { reference: '123456789002', type: 'SCOR', issuer: 'BBA' }
 * statementDisagreements(statement) //=> [] when every figure agrees
 * @throws EcoleError `MALFORMED_XML` (line and column) for a document that is not XML,
 * `MALFORMED_BANK_FILE` (line and field) for a missing or invalid field, `INVALID_INPUT` for
 * input that is neither a string nor bytes.
 */
export function parseCamt053(xml: string | Uint8Array): BankStatement[] {
  return parseCamt(xml, 'camt.053')
}
