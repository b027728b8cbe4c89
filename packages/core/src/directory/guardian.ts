import * as z from 'zod'
import { LocalDateSchema } from '../time'
import { personName } from './person-name'
import { ArchiveMarkSchema, EmailSchema, PhoneSchema, RecordIdSchema, optionalText, requiredString } from './fields'

/** Relationship of a guardian to a child ("lien de parenté"). */
export const RELATIONSHIPS = ['father', 'mother', 'tutor', 'other'] as const
/** Relationship of a guardian to a child. */
export type Relationship = (typeof RELATIONSHIPS)[number]

/** Schema of a guardian's insurance: which insurance of the site's list, policy number, end of cover. */
export const GuardianInsuranceSchema = z.strictObject({
  /** Id of an insurance of the site's list. */
  insuranceId: RecordIdSchema,
  /** Policy number. */
  policyNumber: optionalText(z.string().max(100)),
  /** Last day covered. */
  validUntil: optionalText(LocalDateSchema),
})
/** A guardian's insurance. */
export type GuardianInsurance = z.output<typeof GuardianInsuranceSchema>

/**
 * Schema of custom attribute values of a person: attribute id -> chosen value (checked against the
 * attribute's allowed values by `checkAttributeValues`).
 */
export const AttributeValuesSchema = z.record(z.string().min(1), z.string()).default({})
/** Custom attribute values of a person. */
export type AttributeValues = z.output<typeof AttributeValuesSchema>

/**
 * Schema of a guardian ("responsable", an adult): may be billed, may log in to the portal (from
 * their e-mail), may book meals for themselves (`bookingEnabled`, seed 001 "inscrire un adulte à
 * un repas").
 *
 * @example
 * GuardianSchema.parse({ id: 'g1', siteId: 's1', householdId: 'h1', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' })
 */
export const GuardianSchema = z.strictObject({
  id: RecordIdSchema,
  siteId: RecordIdSchema,
  /** The household the guardian lives in. */
  householdId: RecordIdSchema,
  /** First name. */
  firstName: personName(100),
  /** Last name. */
  lastName: personName(100),
  /** E-mail: the portal login; required to create a portal account. */
  email: optionalText(EmailSchema),
  /** Phone. */
  phone: optionalText(PhoneSchema),
  /** Mobile phone. */
  mobile: optionalText(PhoneSchema),
  /** Whether the adult may be enrolled and book services (meals) for themselves. */
  bookingEnabled: z.boolean().default(false),
  /** Site-defined attribute values. */
  attributes: AttributeValuesSchema,
  /** Insurances. */
  insurances: z.array(GuardianInsuranceSchema).default([]),
  /**
   * The guardian's wallet number: what their wallet top-up reference encodes
   * (`walletPaymentReference(space, walletNumber)`), unique in the site and never changed once a
   * family may have paid with it. Assigned by `@ecole/workflows`' `walletNumberOf` (drawn from the
   * site's counter) or `setWalletNumbers` (numbers kept from a previous system); absent until then.
   */
  walletNumber: z.number().int('must be a whole number').positive('must be at least 1').max(Number.MAX_SAFE_INTEGER).optional(),
  /** Archive mark; `null` while active. */
  archived: ArchiveMarkSchema.default(null),
})
/** A guardian as its form sends it. */
export type GuardianInput = z.input<typeof GuardianSchema>
/** A guardian, validated. */
export type Guardian = z.output<typeof GuardianSchema>
