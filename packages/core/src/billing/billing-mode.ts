import * as z from 'zod'
import { match } from 'ts-pattern'
import { Money } from '../money'
import { MoneyInputSchema } from '../money'
import { asInputError } from '../input-error'
import { EcoleError } from '../errors'
import { describeValue } from '../describe-value'

/**
 * A surcharge ("majoration") or reduction ("réduction") on a unit price: a percentage of it
 * (decimal string, `'20'` = 20 %) or a fixed amount. A reduction never takes a price below zero.
 */
export type PriceAdjustment =
  | { effect: 'surcharge' | 'reduction'; kind: 'percentage'; percent: string }
  | { effect: 'surcharge' | 'reduction'; kind: 'amount'; amount: Money }

const PriceAdjustmentSchemaBase = z.discriminatedUnion('kind', [
  z.strictObject({
    effect: z.enum(['surcharge', 'reduction']),
    kind: z.literal('percentage'),
    percent: z.string().trim().regex(/^\d{1,4}(\.\d{1,6})?$/, 'must be a non-negative decimal percentage written with a dot, e.g. "12.5"'),
  }),
  z.strictObject({
    effect: z.enum(['surcharge', 'reduction']),
    kind: z.literal('amount'),
    amount: MoneyInputSchema.refine((m) => !m.isNegative(), { message: 'must not be negative (say reduction instead)' }),
  }),
])
/** A PriceAdjustment as a form or an API sends it (the input of {@link PriceAdjustmentSchema}). */
export type PriceAdjustmentInput = z.input<typeof PriceAdjustmentSchemaBase>
/**
 * Schema of a {@link PriceAdjustment}.
 *
 * @example
 * PriceAdjustmentSchema.parse({ effect: 'surcharge', kind: 'percentage', percent: '50' })
 * PriceAdjustmentSchema.parse({ effect: 'reduction', kind: 'amount', amount: { amount: '1.00', currency: 'EUR' } })
 */
export const PriceAdjustmentSchema: z.ZodType<PriceAdjustment, PriceAdjustmentInput> = PriceAdjustmentSchemaBase as unknown as z.ZodType<PriceAdjustment, PriceAdjustmentInput>

/**
 * A unit price after an adjustment, exact (not rounded). A percentage applies to the price
 * itself; a reduction larger than the price gives zero.
 *
 * @example
 * applyAdjustment(Money.of('4.15', 'EUR'), { effect: 'surcharge', kind: 'percentage', percent: '50' }).amount //=> '6.225'
 * applyAdjustment(Money.of('1.00', 'EUR'), { effect: 'reduction', kind: 'amount', amount: Money.of('2', 'EUR') }).amount //=> '0.00'
 * @throws EcoleError `CURRENCY_MISMATCH` when an amount adjustment has another currency; `INVALID_INPUT`.
 */
export function applyAdjustment(price: Money, adjustment: PriceAdjustment): Money {
  try {
    const delta = match(adjustment)
      .with({ kind: 'percentage' }, (a) => price.percentage(a.percent))
      .with({ kind: 'amount' }, (a) => a.amount)
      .exhaustive()
    const result = adjustment.effect === 'surcharge' ? price.plus(delta) : price.minus(delta)
    return result.isNegative() ? Money.zero(price.currency) : result
  } catch (error) {
    throw asInputError(error, 'applyAdjustment', { price: [price, 'object', 'a Money price'], adjustment: [adjustment, 'object', 'a price adjustment'] })
  }
}

/**
 * What a service bills (per service, DOMAIN.md section 3):
 *
 * - `booked`: every booked day, attended or not (an unjustified absence is billed); a late
 *   cancellation (after the cut-off) is billed as booked; attendance without booking is not billed.
 * - `attended`: every attended day, booked or not; nothing else.
 * - `bookedWithSurcharge`: booked days at the tariff; attendance without booking at the tariff
 *   plus `unbookedAttendance`; a late cancellation at the tariff plus `lateCancellation` (at the
 *   tariff when absent).
 *
 * In every mode a justified absence (medical certificate) is free.
 */
export type BillingMode =
  | { kind: 'booked' }
  | { kind: 'attended' }
  | { kind: 'bookedWithSurcharge'; unbookedAttendance: PriceAdjustment; lateCancellation?: PriceAdjustment | undefined }

const BillingModeSchemaBase = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('booked') }),
  z.strictObject({ kind: z.literal('attended') }),
  z.strictObject({
    kind: z.literal('bookedWithSurcharge'),
    unbookedAttendance: PriceAdjustmentSchema,
    lateCancellation: PriceAdjustmentSchema.optional(),
  }),
])
/** A BillingMode as a form or an API sends it (the input of {@link BillingModeSchema}). */
export type BillingModeInput = z.input<typeof BillingModeSchemaBase>
/**
 * Schema of a {@link BillingMode}.
 *
 * @example
 * BillingModeSchema.parse({ kind: 'bookedWithSurcharge', unbookedAttendance: { effect: 'surcharge', kind: 'percentage', percent: '50' } })
 */
export const BillingModeSchema: z.ZodType<BillingMode, BillingModeInput> = BillingModeSchemaBase as unknown as z.ZodType<BillingMode, BillingModeInput>

/** The kind of a charge line: the service itself, or a surcharged unbooked attendance or late cancellation. */
export type ChargeKind = 'service' | 'unbookedAttendance' | 'lateCancellation'

/** Why a day gives no charge under its service's billing mode. */
export type NotChargeableReason = 'JUSTIFIED_ABSENCE' | 'NOT_BOOKED' | 'NOT_ATTENDED' | 'NOTHING_TO_BILL'

/**
 * What happened on one day for one beneficiary and service, as bookings and attendance record it.
 * `attended` absent means attendance was not taken (the `attended` mode then bills nothing).
 */
export interface DayFacts {
  /** The day was booked (and not cancelled). */
  booked: boolean
  /** Attendance: `true` present, `false` absent, absent = not recorded. */
  attended?: boolean | undefined
  /** The booking was cancelled after the cut-off. */
  lateCancellation?: boolean | undefined
  /** The absence was justified (medical certificate). */
  justifiedAbsence?: boolean | undefined
}

/**
 * What a day gives under a billing mode: a charge of some kind, or why not.
 *
 * Each fact is a boolean (`booked`) or a boolean or absent (the others): a string `'true'` or a
 * number is refused, never read as absent (which billed a justified absence).
 *
 * @example
 * chargeKindOf({ kind: 'booked' }, { booked: true, attended: false }) //=> 'service'
 * chargeKindOf({ kind: 'attended' }, { booked: true, attended: false }) //=> 'NOT_ATTENDED'
 * chargeKindOf({ kind: 'booked' }, { booked: true, justifiedAbsence: true }) //=> 'JUSTIFIED_ABSENCE'
 * chargeKindOf({ kind: 'booked' }, { booked: true, justifiedAbsence: 'true' }) // throws INVALID_INPUT naming day.justifiedAbsence
 * @throws EcoleError `INVALID_INPUT` naming `day.<fact>` when a fact is not a boolean (or absent).
 */
export function chargeKindOf(mode: BillingMode, day: DayFacts): ChargeKind | NotChargeableReason {
  try {
    if (typeof day.booked !== 'boolean') throw wrongFact('booked', day.booked, false)
    if (day.attended !== undefined && typeof day.attended !== 'boolean') throw wrongFact('attended', day.attended, true)
    if (day.lateCancellation !== undefined && typeof day.lateCancellation !== 'boolean') throw wrongFact('lateCancellation', day.lateCancellation, true)
    if (day.justifiedAbsence !== undefined && typeof day.justifiedAbsence !== 'boolean') throw wrongFact('justifiedAbsence', day.justifiedAbsence, true)
    const present = day.attended === true
    if (day.justifiedAbsence === true && !present) return 'JUSTIFIED_ABSENCE'
    switch (mode.kind) {
      case 'booked':
        if (day.booked || day.lateCancellation === true) return 'service'
        return present ? 'NOT_BOOKED' : 'NOTHING_TO_BILL'
      case 'attended':
        return present ? 'service' : 'NOT_ATTENDED'
      case 'bookedWithSurcharge':
        if (day.booked) return 'service'
        if (present) return 'unbookedAttendance'
        if (day.lateCancellation === true) return 'lateCancellation'
        return 'NOTHING_TO_BILL'
      default: {
        const never: never = mode
        return never
      }
    }
  } catch (error) {
    throw asInputError(error, 'chargeKindOf', { mode: [mode, 'object', 'a billing mode'], day: [day, 'object', "the day's facts"] })
  }
}

/** The error for a fact of a day that is not a boolean (or absent, when optional). */
function wrongFact(field: keyof DayFacts, value: unknown, optional: boolean): EcoleError {
  return EcoleError.invalidInput(`day.${field}`, `must be true${optional ? ', false or absent' : ' or false'}, got ${describeValue(value)}`, { function: 'chargeKindOf' })
}
