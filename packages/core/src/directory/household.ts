import * as z from 'zod'
import { PostalAddressSchema, RecordIdSchema } from './fields'
import { personName } from './person-name'

/**
 * Schema of a household ("foyer"): a name and a postal address; its members are the guardians
 * whose `householdId` points to it and their children.
 *
 * @example
 * HouseholdSchema.parse({ id: 'h1', siteId: 's1', name: 'Famille Dupont', address: { line1: '3 rue des Lilas', postcode: '75011', city: 'Paris' } })
 */
export const HouseholdSchema = z.strictObject({
  id: RecordIdSchema,
  siteId: RecordIdSchema,
  /** Name of the household (e.g. "Famille Dupont"). */
  name: personName(200),
  /** Postal address, where invoices and letters are sent. */
  address: PostalAddressSchema.default({}),
})
/** A household as its form sends it. */
export type HouseholdInput = z.input<typeof HouseholdSchema>
/** A household, validated. */
export type Household = z.output<typeof HouseholdSchema>
