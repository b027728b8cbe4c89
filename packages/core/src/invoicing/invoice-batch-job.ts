import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'
import type { LocalDate } from '../time'

/**
 * The state of an invoice batch being created in the background, as a host stores it in the
 * directory's `invoiceBatchJob` records (written outside the batch's transaction, at each step), so
 * that any process over the same database shows its progress and its outcome.
 *
 * A job is `queued` then `running`, then `done` (with its result) or `failed` (with the error's
 * code). The batch itself is one transaction: a job whose process died never left half a batch,
 * and {@link invoiceBatchJobStatus} calls it `interrupted` once its heartbeat (`updatedAt`) is
 * older than a timeout, so it can be started again.
 *
 * @example
 * const job: InvoiceBatchJob = {
 *   id: 'job-1', siteId: 'site-1', batchId: 'b-2026-12', state: 'running', startedBy: 'u-cashier', startedAt: '2027-01-04T08:00:00.000Z',
 *   updatedAt: '2027-01-04T08:00:05.000Z', steps: [{ step: 'billedCharges', done: 1200, total: 1200 }], result: null, error: null,
 * }
 */
export interface InvoiceBatchJob {
  /** The job's id. */
  id: string
  /** The site. */
  siteId: string
  /** The batch it creates. */
  batchId: string
  /** Where it stands as its process last wrote it. */
  state: 'queued' | 'running' | 'done' | 'failed'
  /** The user who started it. */
  startedBy: string
  /** When it was started (ISO 8601 instant, UTC). */
  startedAt: string
  /** When its process last wrote it (its heartbeat; ISO 8601 instant, UTC). */
  updatedAt: string
  /**
   * The steps reached, in order, each once with its latest counts: a step code (the host's own,
   * e.g. `bookings`, and `createInvoiceBatch`'s `InvoiceBatchStep` codes), never text, so each
   * reader says it in its user's language.
   */
  steps: Array<{ step: string; done: number; total: number }>
  /**
   * What a finished job made: drafts, payers under the minimum, charge lines already billed and,
   * when the host recorded them, the charge lines of earlier days it billed (`carriedOver`) and the
   * first day whose charges it held back under the minimum (`heldBackFrom`, `null` for none: the
   * next batch reads its charges from that day, so they reach it).
   */
  result: { drafts: number; belowMinimum: number; alreadyBilled: number; carriedOver?: number | undefined; heldBackFrom?: LocalDate | null | undefined } | null
  /** Why a failed job failed: the library error's code (`INTERNAL` for anything else) and message. */
  error: { code: string; message: string } | null
}

/**
 * What a reader shows of a job: its stored state, or `interrupted` for a job whose process stopped writing.
 *
 * @example
 * const status: InvoiceBatchJobStatus = invoiceBatchJobStatus(job, clock.now(), 30_000) // 'running', or 'interrupted' after 30 s of silence
 */
export type InvoiceBatchJobStatus = InvoiceBatchJob['state'] | 'interrupted'

/**
 * The status to show for a stored job at `now`: its state, except a `queued` or `running` job
 * whose last write (`updatedAt`) is more than `staleAfterMs` old, which is `interrupted` (its
 * process stopped; the batch, one transaction, left nothing half-made).
 *
 * @example
 * invoiceBatchJobStatus({ ...job, state: 'running', updatedAt: '2027-01-04T08:00:00.000Z' }, new Date('2027-01-04T08:05:00Z'), 60_000) //=> 'interrupted'
 * invoiceBatchJobStatus({ ...job, state: 'done' }, new Date('2027-01-04T09:00:00Z'), 60_000) //=> 'done'
 * @throws EcoleError `INVALID_INPUT` naming `job`, `now` or `staleAfterMs` when it is not one.
 */
export function invoiceBatchJobStatus(job: Pick<InvoiceBatchJob, 'state' | 'updatedAt'>, now: Date, staleAfterMs: number): InvoiceBatchJobStatus {
  if (typeof job !== 'object' || job === null || !['queued', 'running', 'done', 'failed'].includes(job.state as string) || typeof job.updatedAt !== 'string') {
    throw EcoleError.invalidInput('job', `must be a stored invoice batch job (its state and updatedAt), got ${describeValue(job)}`)
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw EcoleError.invalidInput('now', `must be a valid Date, got ${describeValue(now)}`)
  if (typeof staleAfterMs !== 'number' || !Number.isFinite(staleAfterMs) || staleAfterMs < 0) throw EcoleError.invalidInput('staleAfterMs', `must be a number of milliseconds >= 0, got ${describeValue(staleAfterMs)}`)
  if (job.state === 'done' || job.state === 'failed') return job.state
  const last = Date.parse(job.updatedAt)
  return Number.isNaN(last) || now.getTime() - last > staleAfterMs ? 'interrupted' : job.state
}
