import type { staffVersionsFr } from './staff-versions.fr'

/** The messages of a save refused because someone changed the record meanwhile (helper versions, issue 18), in English. */
export const staffVersionsEn: Record<keyof typeof staffVersionsFr, string> = {
  'staff.conflict.changed': 'This record was changed by {who} on {when}, since you opened the form. Nothing was saved: what you typed is kept below.',
  'staff.conflict.changedUnknown': 'This record was changed by someone else since you opened the form. Nothing was saved: what you typed is kept below.',
  'staff.conflict.deleted': 'This record was deleted since you opened the form. Nothing was saved.',
  'staff.conflict.whatChanged': 'What changed',
  'staff.conflict.field': 'Field',
  'staff.conflict.before': 'Before',
  'staff.conflict.after': 'Now',
  'staff.conflict.again': 'Saving again will replace these changes with what you typed.',
  'staff.conflict.gone': 'The record no longer exists: it cannot be saved.',
  'staff.conflict.reload': 'Reload the record (what you typed will be dropped)',
}
