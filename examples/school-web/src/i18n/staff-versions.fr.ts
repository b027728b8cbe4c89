/** The messages of a save refused because someone changed the record meanwhile (helper versions, issue 18), in French (the reference). */
export const staffVersionsFr = {
  'staff.conflict.changed': 'Cette fiche a été modifiée par {who} le {when}, depuis que vous avez ouvert le formulaire. Rien n\'a été enregistré : ce que vous avez saisi est conservé ci-dessous.',
  'staff.conflict.changedUnknown': 'Cette fiche a été modifiée par quelqu\'un d\'autre depuis que vous avez ouvert le formulaire. Rien n\'a été enregistré : ce que vous avez saisi est conservé ci-dessous.',
  'staff.conflict.deleted': 'Cette fiche a été supprimée depuis que vous avez ouvert le formulaire. Rien n\'a été enregistré.',
  'staff.conflict.whatChanged': 'Ce qui a changé',
  'staff.conflict.field': 'Champ',
  'staff.conflict.before': 'Avant',
  'staff.conflict.after': 'Maintenant',
  'staff.conflict.again': 'Enregistrer à nouveau remplacera ces modifications par votre saisie.',
  'staff.conflict.gone': 'La fiche n\'existe plus : elle ne peut pas être enregistrée.',
  'staff.conflict.reload': 'Recharger la fiche (votre saisie sera abandonnée)',
} as const
