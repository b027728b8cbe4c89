import * as z from 'zod'
import { CURRENCY_MINOR_UNITS } from './currency'
import { DECIMAL_STRING, Money } from './money'
import { ROUNDING_MODES } from './rounding'

// The money schemas live apart from Money itself, so that code using Money alone does not bundle zod.

/**
 * The currency schema: three upper-case letters of a currency listed in {@link CURRENCY_MINOR_UNITS}.
 *
 * @example
 * CurrencySchema.parse('EUR') //=> 'EUR'
 */
export const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code of three upper-case letters')
  .refine((c) => c in CURRENCY_MINOR_UNITS, { message: 'is not a currency @ecole knows the minor units of' })

/**
 * Schema of money as a form or an API sends it (`{ amount: '12.50', currency: 'EUR' }`),
 * producing a {@link Money}. The amount must be a decimal string with a dot (no float, no
 * exponent).
 *
 * @example
 * MoneyInputSchema.parse({ amount: '12.50', currency: 'EUR' }).toString() //=> '12.50 EUR'
 */
export const MoneyInputSchema = z
  .strictObject({
    amount: z.string().trim().regex(DECIMAL_STRING, 'must be a decimal number written with a dot, e.g. "12.50"'),
    currency: CurrencySchema,
  })
  .transform((m) => Money.of(m.amount, m.currency))

/**
 * Schema of a {@link RoundingMode}.
 *
 * @example
 * RoundingModeSchema.parse('halfEven') //=> 'halfEven'
 */
export const RoundingModeSchema = z.enum(ROUNDING_MODES)
