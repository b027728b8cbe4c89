import { SEPA_RETURN_REASONS } from '@ecole/core'
import type { sepaReasonsFr } from './sepa-reasons.fr'

/** The meaning of each SEPA return reason code in English: the library's own descriptions (`SEPA_RETURN_REASONS`). */
const reasons = Object.fromEntries(Object.entries(SEPA_RETURN_REASONS).map(([code, r]) => [`staff.dd.reason.${code}`, r.description]))

/** What a SEPA return reason code means and calls for, for the back office, in English. */
export const sepaReasonsEn = {
  ...reasons,
  'staff.dd.reasonUnknown': 'reason {code}',
  'staff.dd.action.retry': 'present again',
  'staff.dd.action.fixAccount': 'bank details to correct',
  'staff.dd.action.suspendMandate': 'mandate suspended',
  'staff.dd.action.contactPayer': 'contact the payer',
  'staff.dd.returnedBecause': 'Payment REFUSED – {reason}: {action}',
} as Record<keyof typeof sepaReasonsFr, string>
