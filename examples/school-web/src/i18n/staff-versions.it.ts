import type { staffVersionsFr } from './staff-versions.fr'

/** The messages of a save refused because someone changed the record meanwhile (helper versions, issue 18), in Italian. */
export const staffVersionsIt: Record<keyof typeof staffVersionsFr, string> = {
  'staff.conflict.changed': 'Questa scheda è stata modificata da {who} il {when}, dopo che hai aperto il modulo. Non è stato salvato nulla: quanto hai inserito è conservato qui sotto.',
  'staff.conflict.changedUnknown': 'Questa scheda è stata modificata da qualcun altro dopo che hai aperto il modulo. Non è stato salvato nulla: quanto hai inserito è conservato qui sotto.',
  'staff.conflict.deleted': 'Questa scheda è stata eliminata dopo che hai aperto il modulo. Non è stato salvato nulla.',
  'staff.conflict.whatChanged': 'Cosa è cambiato',
  'staff.conflict.field': 'Campo',
  'staff.conflict.before': 'Prima',
  'staff.conflict.after': 'Ora',
  'staff.conflict.again': 'Salvando di nuovo, queste modifiche saranno sostituite da quanto hai inserito.',
  'staff.conflict.gone': 'La scheda non esiste più: non può essere salvata.',
  'staff.conflict.reload': 'Ricarica la scheda (quanto hai inserito andrà perso)',
}
