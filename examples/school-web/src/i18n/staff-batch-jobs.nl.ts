import type { staffBatchJobsFr } from './staff-batch-jobs.fr'

/** The messages of the invoice batch jobs stored for every process, in Dutch. */
export const staffBatchJobsNl: Record<keyof typeof staffBatchJobsFr, string> = {
  'staff.batch.queued': 'Groep {batch} wacht op zijn beurt…',
  'staff.batch.interrupted': 'Het aanmaken van groep {batch} is onderbroken: het proces dat het uitvoerde is gestopt. Een groep wordt in één transactie aangemaakt, er is dus niets half opgeslagen; u kunt hem opnieuw aanmaken.',
  'staff.batch.again': 'Groep opnieuw aanmaken',
  'staff.batch.busy': 'Groep {batch} wordt al aangemaakt (gestart door {user} om {time}).',
  'staff.batch.startedBy': 'Gestart door {user} om {time}.',
  'staff.batch.step.bookings': 'Reservaties lezen: {done}',
  'staff.batch.step.pricing': 'Dagen prijzen: {done} / {total}',
  'staff.batch.step.billedCharges': 'Al gefactureerde prestaties zoeken: {done} / {total}',
  'staff.batch.step.openBalances': 'Openstaande saldi lezen: {done} factuur/facturen',
  'staff.batch.step.drafts': 'Concepten opmaken: {done} / {total} regel(s)',
  'staff.batch.step.insert': 'Concepten opslaan: {done} / {total}',
}
