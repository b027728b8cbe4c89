import type { staffBatchJobsFr } from './staff-batch-jobs.fr'

/** The messages of the invoice batch jobs stored for every process, in Italian. */
export const staffBatchJobsIt: Record<keyof typeof staffBatchJobsFr, string> = {
  'staff.batch.queued': 'Il lotto {batch} è in attesa…',
  'staff.batch.interrupted': 'La creazione del lotto {batch} è stata interrotta: il processo che la eseguiva si è fermato. Il lotto si crea in una sola transazione, quindi non è stato salvato nulla di incompleto; puoi crearlo di nuovo.',
  'staff.batch.again': 'Crea di nuovo il lotto',
  'staff.batch.busy': 'Il lotto {batch} è già in creazione (avviata da {user} alle {time}).',
  'staff.batch.startedBy': 'Avviata da {user} alle {time}.',
  'staff.batch.step.bookings': 'Lettura delle prenotazioni: {done}',
  'staff.batch.step.pricing': 'Tariffazione dei giorni: {done} / {total}',
  'staff.batch.step.billedCharges': 'Ricerca delle prestazioni già fatturate: {done} / {total}',
  'staff.batch.step.openBalances': 'Lettura dei saldi non pagati: {done} fattura/e',
  'staff.batch.step.drafts': 'Preparazione delle bozze: {done} / {total} riga/righe',
  'staff.batch.step.insert': 'Salvataggio delle bozze: {done} / {total}',
}
