import * as z from 'zod'
import { isEcoleError, parseInput } from '../errors'
import { Money, isMoney } from '../money'
import { applyTransfers } from './apply-transfers'
import type { LedgerState } from './ledger-state'
import { TRANSFER_CODES, type LedgerTransfer } from './transfer'
import type { TransferResult } from './transfer-result'
import { MoneyInputSchema } from '../money'

const nonEmpty = z.string().trim().min(1, 'must not be empty')
const optionalId = nonEmpty.optional()

/**
 * Schema of an instant as JSON sends it: an ISO 8601 date-time with `Z` or an offset (or a `Date`).
 * A bare date (`2026-03-02`) is refused: an instant needs a time and a zone.
 *
 * @example
 * TransferInstantSchema.parse('2026-03-02T09:00:00Z').toISOString() //=> '2026-03-02T09:00:00.000Z'
 */
export const TransferInstantSchema = z
  .union([z.date(), z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with Z or an offset, e.g. "2026-03-02T09:00:00Z"' })])
  .transform((v) => (typeof v === 'string' ? new Date(v) : v))
  .refine((d) => !Number.isNaN(d.getTime()), 'must be a valid instant')

/**
 * Schema of a transfer amount: Money as JSON sends it (`{ amount: '4.15', currency: 'EUR' }`) or a
 * Money. It must be positive and exact in the currency's minor unit: `4.155 EUR` is refused
 * ("has more than the 2 decimals EUR allows") rather than rounded.
 *
 * @example
 * TransferAmountSchema.parse({ amount: '4.15', currency: 'EUR' }) //=> { minor: 415n, currency: 'EUR' }
 */
export const TransferAmountSchema = z
  .union([z.custom<Money>((v) => isMoney(v), 'must be Money'), MoneyInputSchema])
  .transform((money, ctx) => {
    try {
      return { minor: money.toMinor(), currency: money.currency }
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: isEcoleError(e) ? e.message.replace(/^\[ecole\] /, '') : String(e) })
      return z.NEVER
    }
  })
  .refine((a) => a.minor > 0n, 'must be greater than zero')

/**
 * Schema of one transfer as JSON (a form, an API, a file) sends it, producing a
 * {@link LedgerTransfer}: the amount becomes bigint minor units and `currency` is kept (the
 * ledger checks it against both accounts), instants become `Date`s.
 *
 * @example
 * TransferInputSchema.parse({ id: 't1', debitAccountId: 'bank', creditAccountId: 'w1',
 *   amount: { amount: '20.00', currency: 'EUR' }, code: 'topUp', timestamp: '2026-03-02T09:00:00Z' }).amount //=> 2000n
 */
export const TransferInputSchema = z
  .strictObject({
    id: nonEmpty,
    debitAccountId: nonEmpty,
    creditAccountId: nonEmpty,
    amount: TransferAmountSchema,
    code: z.enum(TRANSFER_CODES),
    flags: z
      .strictObject({ linked: z.boolean().optional(), pending: z.boolean().optional(), post: z.boolean().optional(), void: z.boolean().optional() })
      .optional(),
    pendingId: optionalId,
    reversesId: optionalId,
    expiresAt: TransferInstantSchema.optional(),
    links: z
      .strictObject({ bookingId: optionalId, invoiceId: optionalId, paymentId: optionalId, bankEntryRef: optionalId })
      .optional(),
    memo: z.string().max(500, 'must be at most 500 characters').optional(),
    timestamp: TransferInstantSchema,
  })
  .transform((v): LedgerTransfer => {
    const t: LedgerTransfer = {
      id: v.id,
      debitAccountId: v.debitAccountId,
      creditAccountId: v.creditAccountId,
      amount: v.amount.minor,
      currency: v.amount.currency,
      code: v.code,
      timestamp: v.timestamp,
    }
    if (v.flags !== undefined) {
      const flags: NonNullable<LedgerTransfer['flags']> = {}
      if (v.flags.linked) flags.linked = true
      if (v.flags.pending) flags.pending = true
      if (v.flags.post) flags.post = true
      if (v.flags.void) flags.void = true
      t.flags = flags
    }
    if (v.pendingId !== undefined) t.pendingId = v.pendingId
    if (v.reversesId !== undefined) t.reversesId = v.reversesId
    if (v.expiresAt !== undefined) t.expiresAt = v.expiresAt
    if (v.links !== undefined) {
      const links: NonNullable<LedgerTransfer['links']> = {}
      for (const key of ['bookingId', 'invoiceId', 'paymentId', 'bankEntryRef'] as const) {
        const value = v.links[key]
        if (value !== undefined) links[key] = value
      }
      t.links = links
    }
    if (v.memo !== undefined) t.memo = v.memo
    return t
  })

/**
 * What {@link TransferInputSchema} accepts (plain JSON).
 *
 * @example
 * const input: TransferInput = { id: 't1', debitAccountId: 'bank', creditAccountId: 'w1',
 *   amount: { amount: '20.00', currency: 'EUR' }, code: 'topUp', timestamp: '2026-03-02T09:00:00Z' }
 */
export type TransferInput = z.input<typeof TransferInputSchema>

/**
 * Validates a batch of transfers as JSON sends them and prepares them for `applyTransfers`.
 * Validation happens once, here; the engine checks no types per transfer.
 *
 * @example
 * parseTransfers([{ id: 't1', debitAccountId: 'bank', creditAccountId: 'w1',
 *   amount: { amount: '20.00', currency: 'EUR' }, code: 'topUp', timestamp: '2026-03-02T09:00:00Z' }])[0]!.amount //=> 2000n
 * @throws EcoleError `INVALID_INPUT` naming each bad field (`transfers.0.amount: 4.155 EUR has more than the 2 decimals EUR allows; round it first`).
 */
export function parseTransfers(input: readonly TransferInput[]): LedgerTransfer[] {
  return parseInput(z.array(TransferInputSchema), input, 'transfers')
}

/**
 * Validates a batch of JSON transfers and applies it: {@link parseTransfers} then `applyTransfers`.
 *
 * @example
 * submitTransfers(ledger, [{ id: 't1', debitAccountId: 'system:bankClearing:o1', creditAccountId: 'wallet:g1:o1:general',
 *   amount: { amount: '20.00', currency: 'EUR' }, code: 'topUp', timestamp: '2026-03-02T09:00:00Z' }],
 *   new Date('2026-03-02T09:00:00Z')) //=> [{ id: 't1', status: 'created' }]
 * @throws EcoleError `INVALID_INPUT` when the batch does not match the schema (nothing is applied).
 */
export function submitTransfers(state: LedgerState, input: readonly TransferInput[], now: Date): TransferResult[] {
  return applyTransfers(state, parseTransfers(input), now)
}
