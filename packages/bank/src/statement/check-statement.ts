import { EcoleError } from '@ecole/core'
import type { BankStatement } from './bank-statement'
import { minorOf, minorToDecimal } from './amount'

/** One figure a file states that disagrees with what its own content gives. */
export interface StatementDisagreement {
  /** Which figure (`closing balance`, `TxsSummry/TtlNtries/NbOfNtries`, `trailer credit total`...). */
  figure: string
  /** What the file states. */
  stated: string
  /** What the file's content adds up to. */
  computed: string
}

/** A figure the file states, with what its content gives, compared by {@link checkStatement}. */
export interface DeclaredFigure {
  figure: string
  stated: string
  computed: string
}

/**
 * Checks a parsed statement against its own figures and throws `STATEMENT_DOES_NOT_ADD_UP`
 * (never returns a half-checked statement): every balance in the account's currency (or, when
 * the account gives none, in the opening balance's), every booked entry in that currency, and
 * opening balance + booked credits - booked debits = closing balance when both are given; plus
 * the figures the file declares (counts, sums, trailers) passed in `declared`.
 */
export function checkStatement(statement: BankStatement, declared: readonly DeclaredFigure[], subject: string): void {
  const problems: StatementDisagreement[] = []
  const opening = statement.balances.find((b) => b.kind === 'opening')
  const closing = statement.balances.find((b) => b.kind === 'closing')
  const currency = statement.account.currency ?? opening?.amount.currency ?? closing?.amount.currency ?? statement.entries[0]?.amount.currency
  for (const b of statement.balances) {
    if (currency !== undefined && b.amount.currency !== currency) {
      problems.push({ figure: `${b.code} balance currency`, stated: b.amount.currency, computed: `${currency} (the statement's currency)` })
    }
  }
  let net = 0n
  let entryCurrencyOk = true
  statement.entries.forEach((e, i) => {
    if (e.status !== 'booked') return
    if (currency !== undefined && e.amount.currency !== currency) {
      entryCurrencyOk = false
      problems.push({ figure: `entry ${i + 1} (${e.reference}) currency`, stated: e.amount.currency, computed: `${currency} (the statement's currency)` })
      return
    }
    const minor = minorOf(e.amount)
    net += e.creditDebit === 'credit' ? minor : -minor
  })
  if (opening && closing && currency !== undefined && opening.amount.currency === currency && closing.amount.currency === currency && entryCurrencyOk) {
    const expected = minorOf(opening.amount) + net
    if (expected !== minorOf(closing.amount)) {
      problems.push({
        figure: `closing balance ${closing.code}`,
        stated: `${minorToDecimal(minorOf(closing.amount), currency)} ${currency}`,
        computed: `${minorToDecimal(expected, currency)} ${currency} (opening ${opening.code} ${minorToDecimal(minorOf(opening.amount), currency)} + booked entries ${minorToDecimal(net, currency)})`,
      })
    }
  }
  for (const d of declared) if (d.stated !== d.computed) problems.push({ figure: d.figure, stated: d.stated, computed: d.computed })
  if (problems.length > 0) {
    const lines = problems.map((p) => `${p.figure}: the file states ${p.stated} but its content gives ${p.computed}`)
    throw new EcoleError('STATEMENT_DOES_NOT_ADD_UP', `${subject} statement ${statement.id} does not add up, nothing imported: ${lines.join('; ')}`, {
      details: { statementId: statement.id, disagreements: problems },
    })
  }
}
