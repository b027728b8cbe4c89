/**
 * A returned direct debit in the back office's words: what its SEPA reason code means and what
 * the follow-up is, in the reader's language, from the library's table of reason codes
 * (`SEPA_RETURN_REASONS` of `@ecole/core`), never the bare code ("AM04") or action ("retry").
 */
import { SEPA_RETURN_REASONS, type DirectDebitReturnAction } from '@ecole/core'
import { t, type Lang, type MessageKey } from '../i18n'
import { sepaReasonsFr } from '../i18n/sepa-reasons.fr'

/**
 * What a SEPA reason code means, with the code for the bank: "Provision insuffisante (AM04)"; a
 * code the library's table does not know (a bank's own) is shown as a code: "motif ZZ99".
 *
 * @example
 * sepaReasonText('fr', 'AM04') //=> 'Provision insuffisante (AM04)'
 * sepaReasonText('en', 'ZZ99') //=> 'reason ZZ99'
 */
export function sepaReasonText(lang: Lang, reasonCode: string): string {
  const code = reasonCode.trim().toUpperCase()
  const key = `staff.dd.reason.${code}`
  return Object.hasOwn(SEPA_RETURN_REASONS, code) && Object.hasOwn(sepaReasonsFr, key) ? `${t(lang, key as MessageKey)} (${code})` : t(lang, 'staff.dd.reasonUnknown', { code })
}

/**
 * The follow-up a return calls for, in words: "à représenter", "mandat suspendu"...
 *
 * @example
 * returnActionText('fr', 'retry') //=> 'à représenter'
 */
export function returnActionText(lang: Lang, action: DirectDebitReturnAction): string {
  return t(lang, `staff.dd.action.${action}`)
}
