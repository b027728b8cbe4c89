import type { staffFilesFr } from './staff-files.fr'

/** The back office's documents saved into the families' files, portal dates, adjustments modified, staff bookings (issue 18, files) in Italian. */
export const staffFilesIt: Record<keyof typeof staffFilesFr, string> = {
  'staff.files.portalDate.confirm': 'Impostare la data portale di {count} fattura/e al {date}?',
  'staff.files.portalDate.validated': 'Di cui {count} fattura/e convalidata/e: cambia solo la data portale (numero, righe e importi restano).',
  'staff.files.portalDate.none': 'Nessuna fattura in questa selezione: niente da cambiare.',
  'staff.files.portalDate.link': 'Cambiare la data portale',
  'staff.files.portalDate.current': 'Visibile sul portale dal',
  'staff.files.portalDate.gone': 'Una fattura della selezione non esiste più: non è stato cambiato nulla.',
  'staff.files.adjust.edit': 'Modificare',
  'staff.files.adjust.editTitle': 'Modificare la riduzione / maggiorazione',
  'staff.files.adjust.editIntro': 'Totale attuale della bozza: {total}. Viene ricalcolato al salvataggio.',
  'staff.files.adjust.percent': 'Percentuale',
  'staff.files.adjust.amountOrPercent': 'Importo o percentuale: indicare uno dei due.',
  'staff.files.save.into': 'Salvare nella cartella',
  'staff.files.save.intoGuardian': 'del pagatore',
  'staff.files.save.intoChild': 'del bambino',
  'staff.files.save.from': 'Visibile sul portale dal',
  'staff.files.save.notify': 'Avvisare le famiglie per e-mail',
  'staff.files.tax.save': 'Salvare le attestazioni nelle cartelle delle famiglie',
  'staff.files.tax.name': 'Attestazione fiscale {year} – {child}',
  'staff.files.tax.saved': '{saved} attestazione/i salvata/e nelle cartelle delle famiglie, {already} già salvata/e; {mails} e-mail in coda.',
  'staff.files.reminders.saveLetters': 'Salvare la lettera di sollecito (PDF) nella cartella di ogni famiglia',
  'staff.files.reminders.letterName': 'Lettera di sollecito del {date}',
  'staff.files.reminders.sent': '{count} sollecito/i registrato/i; {letters} lettera/e salvata/e nelle cartelle delle famiglie.',
  'staff.files.quota': 'Non è stato salvato nulla: {text}',
}
