import type { staffBatchJobsFr } from './staff-batch-jobs.fr'

/** The messages of the invoice batch jobs stored for every process, in English. */
export const staffBatchJobsEn: Record<keyof typeof staffBatchJobsFr, string> = {
  'staff.batch.queued': 'Batch {batch} is waiting its turn…',
  'staff.batch.interrupted': 'Creating batch {batch} was interrupted: the process running it stopped. A batch is created in one transaction, so nothing half-made was stored; you can create it again.',
  'staff.batch.again': 'Create the batch again',
  'staff.batch.busy': 'Batch {batch} is already being created (started by {user} at {time}).',
  'staff.batch.startedBy': 'Started by {user} at {time}.',
  'staff.batch.step.bookings': 'Reading the bookings: {done}',
  'staff.batch.step.pricing': 'Pricing the days: {done} / {total}',
  'staff.batch.step.billedCharges': 'Looking for charges already billed: {done} / {total}',
  'staff.batch.step.openBalances': 'Reading unpaid balances: {done} invoice(s)',
  'staff.batch.step.drafts': 'Building the drafts: {done} / {total} line(s)',
  'staff.batch.step.insert': 'Storing the drafts: {done} / {total}',
}
