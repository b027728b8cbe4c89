import type { BankStatement } from '../statement/bank-statement'
import { parseCamt } from './parse-camt'

/**
 * Reads a camt.052 bank-to-customer account report (intraday), any `.001.xx` version, into the
 * same {@link BankStatement} shape as {@link parseCamt053}: one per `Rpt`. An intraday report
 * usually gives interim booked balances (`ITBD`) rather than a closing one: the first is checked
 * as the opening and the last as the closing balance when there is no `OPBD`/`PRCD`/`CLBD`, and
 * the checks say which balances were compared. Pending entries (`PDNG`) are kept with status
 * `pending` and never counted in a booked balance.
 *
 * @example
 * const [report] = parseCamt052(xml)
 * report.format //=> 'camt.052'
 * report.checks.find((c) => c.figure === 'closing balance ITBD')?.severity //=> 'ok'
 * @throws EcoleError `MALFORMED_XML`, `MALFORMED_BANK_FILE` or `INVALID_INPUT`, as
 * {@link parseCamt053} does; never because figures disagree.
 */
export function parseCamt052(xml: string | Uint8Array): BankStatement[] {
  return parseCamt(xml, 'camt.052')
}
