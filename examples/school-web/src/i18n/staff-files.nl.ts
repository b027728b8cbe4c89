import type { staffFilesFr } from './staff-files.fr'

/** The back office's documents saved into the families' files, portal dates, adjustments modified, staff bookings (issue 18, files) in Dutch. */
export const staffFilesNl: Record<keyof typeof staffFilesFr, string> = {
  'staff.files.portalDate.confirm': 'De portaaldatum van {count} factuur/facturen op {date} zetten?',
  'staff.files.portalDate.validated': 'Waarvan {count} gevalideerde factuur/facturen: alleen hun portaaldatum verandert (nummer, lijnen en bedragen blijven).',
  'staff.files.portalDate.none': 'Geen factuur in deze selectie: niets te wijzigen.',
  'staff.files.portalDate.link': 'De portaaldatum wijzigen',
  'staff.files.portalDate.current': 'Zichtbaar op het portaal vanaf',
  'staff.files.portalDate.gone': 'Een factuur van de selectie bestaat niet meer: er is niets gewijzigd.',
  'staff.files.adjust.edit': 'Wijzigen',
  'staff.files.adjust.editTitle': 'De korting / toeslag wijzigen',
  'staff.files.adjust.editIntro': 'Huidig totaal van het ontwerp: {total}. Het wordt bij het opslaan herberekend.',
  'staff.files.adjust.percent': 'Percentage',
  'staff.files.adjust.amountOrPercent': 'Bedrag of percentage: geef een van beide.',
  'staff.files.save.into': 'Opslaan in het dossier',
  'staff.files.save.intoGuardian': 'van de betaler',
  'staff.files.save.intoChild': 'van het kind',
  'staff.files.save.from': 'Zichtbaar op het portaal vanaf',
  'staff.files.save.notify': 'De gezinnen per e-mail verwittigen',
  'staff.files.tax.save': 'De attesten in de dossiers van de gezinnen opslaan',
  'staff.files.tax.name': 'Fiscaal attest {year} – {child}',
  'staff.files.tax.saved': '{saved} attest(en) opgeslagen in de dossiers van de gezinnen, {already} al opgeslagen; {mails} e-mail(s) in de wachtrij.',
  'staff.files.reminders.saveLetters': 'De herinneringsbrief (PDF) in het dossier van elk gezin opslaan',
  'staff.files.reminders.letterName': 'Herinneringsbrief van {date}',
  'staff.files.reminders.sent': '{count} herinnering(en) geregistreerd; {letters} brief/brieven opgeslagen in de dossiers van de gezinnen.',
  'staff.files.quota': 'Er is niets opgeslagen: {text}',
}
