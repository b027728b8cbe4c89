import * as z from 'zod'
import { CutoffRuleSchema } from '../booking/cutoff'
import { CurrencySchema } from '../money/money-schemas'
import { DECIMAL_STRING, Money } from '../money/money'
import { LocalDateSchema } from '../time'
import { RecordIdSchema, optionalLimit, optionalText, requiredString } from './fields'

/** How a service is paid: invoiced after the fact, or debited from a prepaid wallet at booking. Never both. */
export const SERVICE_BILLING = ['invoiced', 'prepaid'] as const
/** How a service is paid. */
export type ServiceBilling = (typeof SERVICE_BILLING)[number]

/**
 * Schema of a service ("prestation": meal, morning care, study...): what is booked and billed. It
 * is either invoiced or prepaid (`billing`), belongs to a billing office, and is offered to
 * schools (all their classes, or the listed ones).
 *
 * @example
 * ServiceSchema.parse({ id: 'meal', siteId: 's1', name: 'Repas', billing: 'invoiced', billingOfficeId: 'bo1', offeredTo: [{ schoolId: 'sc1' }], weekdays: [1, 2, 4, 5] })
 */
export const ServiceSchema = z.strictObject({
  id: RecordIdSchema,
  siteId: RecordIdSchema,
  /** Name shown to families. */
  name: requiredString(100),
  /** Invoiced or prepaid, exactly one. */
  billing: z.enum(SERVICE_BILLING),
  /** The billing office (régie) that invoices or collects it. */
  billingOfficeId: RecordIdSchema,
  /** Schools (and optionally only some classes) the service is offered to. */
  offeredTo: z
    .array(
      z.strictObject({
        /** School. */
        schoolId: RecordIdSchema,
        /** Only these classes; absent or empty = every class of the school. */
        classIds: z.array(RecordIdSchema).optional(),
      }),
    )
    .default([]),
  /** ISO weekdays it runs (1 = Monday ... 7 = Sunday). */
  weekdays: z
    .array(z.number().int().min(1).max(7))
    .default([1, 2, 3, 4, 5])
    .refine((ds) => new Set(ds).size === ds.length, { message: 'must not list a weekday twice' }),
  /** Local time the service starts each day (attendance cannot be recorded before), `HH:MM`. */
  startTime: optionalText(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:MM')),
  /** Places per day; `null` = unlimited. */
  capacity: optionalLimit(),
  /** First day the service runs. */
  from: optionalText(LocalDateSchema),
  /** Last day the service runs. */
  to: optionalText(LocalDateSchema),
  /** The last moment a family may book a day (`CutoffRule`); none when absent. */
  bookingCutoff: CutoffRuleSchema.optional(),
  /** The last moment a family may cancel a day; the booking cut-off when absent. */
  cancellationCutoff: CutoffRuleSchema.optional(),
  /** Price of one booking of a prepaid service (debited from the wallet when booked), as `{ amount, currency }`. */
  price: z
    .strictObject({ amount: z.string().trim().regex(DECIMAL_STRING, 'must be a decimal number written with a dot, e.g. "0.80"'), currency: CurrencySchema })
    .transform((m) => Money.of(m.amount, m.currency).toJSON())
    .optional(),
  /** Runs only on the calendar's opening days (holiday centres). */
  openingsOnly: z.boolean().optional(),
  /** Runs on public holidays too. */
  openOnPublicHolidays: z.boolean().optional(),
})
/** A service as its form sends it. */
export type ServiceInput = z.input<typeof ServiceSchema>
/** A service, validated. */
export type Service = z.output<typeof ServiceSchema>
