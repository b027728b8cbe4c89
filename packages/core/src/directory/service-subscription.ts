import * as z from 'zod'
import { LocalDateSchema } from '../time'
import { RecordIdSchema, optionalText } from './fields'

/**
 * Schema of service rights ("droits à une prestation"): a person may use a service from a date,
 * until an optional last day (inclusive).
 *
 * @example
 * ServiceSubscriptionSchema.parse({ id: 'r1', siteId: 's1', beneficiaryId: 'c1', serviceId: 'meal', from: '2026-09-01' })
 */
export const ServiceSubscriptionSchema = z
  .strictObject({
    id: RecordIdSchema,
    siteId: RecordIdSchema,
    /** The person (a child id, or a guardian id for an adult). */
    beneficiaryId: RecordIdSchema,
    /** The service. */
    serviceId: RecordIdSchema,
    /** First day of the rights. */
    from: LocalDateSchema,
    /** Last day (inclusive); absent = open-ended. */
    to: optionalText(LocalDateSchema),
  })
  .refine((s) => s.to === undefined || s.from <= s.to, { message: 'must be on or after from', path: ['to'] })
/** Service rights as the form sends them. */
export type ServiceSubscriptionInput = z.input<typeof ServiceSubscriptionSchema>
/** Service rights, validated. */
export type ServiceSubscription = z.output<typeof ServiceSubscriptionSchema>
