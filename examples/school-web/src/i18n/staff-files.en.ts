import type { staffFilesFr } from './staff-files.fr'

/** The back office's documents saved into the families' files, portal dates, adjustments modified, staff bookings (issue 18, files) in English. */
export const staffFilesEn: Record<keyof typeof staffFilesFr, string> = {
  'staff.files.portalDate.confirm': 'Set the portal date of {count} invoice(s) to {date}?',
  'staff.files.portalDate.validated': 'Of which {count} validated invoice(s): only their portal date changes (number, lines and amounts stay).',
  'staff.files.portalDate.none': 'No invoice in this selection: nothing to change.',
  'staff.files.portalDate.link': 'Change the portal date',
  'staff.files.portalDate.current': 'Shown on the portal from',
  'staff.files.portalDate.gone': 'An invoice of the selection no longer exists: nothing was changed.',
  'staff.files.adjust.edit': 'Modify',
  'staff.files.adjust.editTitle': 'Modify the reduction / surcharge',
  'staff.files.adjust.editIntro': 'Current total of the draft: {total}. It is computed again when you save.',
  'staff.files.adjust.percent': 'Percentage',
  'staff.files.adjust.amountOrPercent': 'Amount or percentage: give one of the two.',
  'staff.files.save.into': 'Save into the file',
  'staff.files.save.intoGuardian': 'of the payer',
  'staff.files.save.intoChild': 'of the child',
  'staff.files.save.from': 'Shown on the portal from',
  'staff.files.save.notify': 'Tell the families by e-mail',
  'staff.files.tax.save': 'Save the certificates into the families’ files',
  'staff.files.tax.name': 'Tax certificate {year} – {child}',
  'staff.files.tax.saved': '{saved} certificate(s) saved into the families’ files, {already} already saved; {mails} e-mail(s) queued.',
  'staff.files.reminders.saveLetters': 'Save the reminder letter (PDF) into each family’s file',
  'staff.files.reminders.letterName': 'Reminder letter of {date}',
  'staff.files.reminders.sent': '{count} reminder(s) recorded; {letters} letter(s) saved into the families’ files.',
  'staff.files.quota': 'Nothing was saved: {text}',
}
