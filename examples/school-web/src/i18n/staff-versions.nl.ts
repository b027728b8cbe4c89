import type { staffVersionsFr } from './staff-versions.fr'

/** The messages of a save refused because someone changed the record meanwhile (helper versions, issue 18), in Dutch. */
export const staffVersionsNl: Record<keyof typeof staffVersionsFr, string> = {
  'staff.conflict.changed': 'Deze fiche werd gewijzigd door {who} op {when}, nadat u het formulier opende. Er werd niets opgeslagen: wat u invulde, staat hieronder nog.',
  'staff.conflict.changedUnknown': 'Deze fiche werd door iemand anders gewijzigd nadat u het formulier opende. Er werd niets opgeslagen: wat u invulde, staat hieronder nog.',
  'staff.conflict.deleted': 'Deze fiche werd verwijderd nadat u het formulier opende. Er werd niets opgeslagen.',
  'staff.conflict.whatChanged': 'Wat er veranderde',
  'staff.conflict.field': 'Veld',
  'staff.conflict.before': 'Voor',
  'staff.conflict.after': 'Nu',
  'staff.conflict.again': 'Opnieuw opslaan vervangt deze wijzigingen door wat u invulde.',
  'staff.conflict.gone': 'De fiche bestaat niet meer: ze kan niet worden opgeslagen.',
  'staff.conflict.reload': 'De fiche opnieuw laden (wat u invulde, gaat verloren)',
}
