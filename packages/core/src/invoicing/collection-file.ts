import type { LocalDate } from '../time'

/**
 * A SEPA collection file (pain.008) as `collectDirectDebits` of `@ecole/workflows` stores it,
 * in the directory's `collectionFile` records, in the same transaction as the collection's
 * direct-debit payments: a restart of the host loses neither, and the file can be downloaded
 * again later. Its id is the file's message id (`GrpHdr/MsgId`).
 *
 * @example
 * const file: CollectionFile = {
 *   id: 'DD-20270110-0900-b-2026-12', siteId: 'site-1', billingOfficeId: 'regie', batchId: 'b-2026-12', collectionDate: '2027-01-10',
 *   createdAt: '2027-01-05T09:00:00.000Z', count: 2, amount: { minor: 5320n, currency: 'EUR' }, xml: '<?xml version="1.0"?>...',
 * }
 */
export interface CollectionFile {
  /** The file's message id (at most 35 characters), unique per site. */
  id: string
  /** The site. */
  siteId: string
  /** The billing office whose creditor account collects. */
  billingOfficeId: string
  /** The batch collected, or `null` for every invoice due for collection. */
  batchId: string | null
  /** The day the debits are collected. */
  collectionDate: LocalDate
  /** When the file was made (ISO 8601 instant). */
  createdAt: string
  /** How many debits it carries. */
  count: number
  /** Their total. */
  amount: { minor: bigint; currency: string }
  /** The pain.008 document. */
  xml: string
}
