/**
 * What a SEPA return reason code means, for the back office, in French (the reference: every other
 * language has the same keys). The codes are those of `SEPA_RETURN_REASONS` of `@ecole/core`, whose
 * English descriptions are the English catalogue's; a code it does not know is shown as a code.
 */
export const sepaReasonsFr = {
  'staff.dd.reason.AC01': 'Numéro de compte incorrect (IBAN invalide)',
  'staff.dd.reason.AC04': 'Compte clôturé',
  'staff.dd.reason.AC06': 'Compte bloqué, ou bloqué aux prélèvements',
  'staff.dd.reason.AC13': 'Le compte du débiteur est un compte de particulier',
  'staff.dd.reason.AG01': 'Prélèvement interdit sur ce compte',
  'staff.dd.reason.AG02': 'Code d’opération bancaire invalide',
  'staff.dd.reason.AM04': 'Provision insuffisante',
  'staff.dd.reason.AM05': 'Prélèvement en double',
  'staff.dd.reason.BE05': 'Identifiant créancier (ICS) incorrect',
  'staff.dd.reason.FF01': 'Format de fichier invalide',
  'staff.dd.reason.MD01': 'Pas de mandat valide',
  'staff.dd.reason.MD02': 'Données du mandat manquantes ou incorrectes',
  'staff.dd.reason.MD06': 'Remboursement demandé par le débiteur',
  'staff.dd.reason.MD07': 'Débiteur décédé',
  'staff.dd.reason.MS02': 'Refusé par le débiteur',
  'staff.dd.reason.MS03': 'Motif non précisé',
  'staff.dd.reason.RC01': 'Code banque (BIC) incorrect',
  'staff.dd.reason.RR01': 'Compte ou identification du débiteur manquant',
  'staff.dd.reason.RR02': 'Nom ou adresse du débiteur manquant',
  'staff.dd.reason.RR03': 'Nom ou adresse du créancier manquant',
  'staff.dd.reason.RR04': 'Raison réglementaire',
  'staff.dd.reason.SL01': 'Service spécifique de la banque du débiteur',
  'staff.dd.reasonUnknown': 'motif {code}',
  'staff.dd.action.retry': 'à représenter',
  'staff.dd.action.fixAccount': 'coordonnées bancaires à corriger',
  'staff.dd.action.suspendMandate': 'mandat suspendu',
  'staff.dd.action.contactPayer': 'contacter le payeur',
  'staff.dd.returnedBecause': 'Paiement REFUSÉ – {reason}\u00a0: {action}',
} as const
