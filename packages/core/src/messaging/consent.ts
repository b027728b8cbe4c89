import * as z from 'zod'
import { LocalDateSchema, inRange, type LocalDate } from '../time'
import { RecordIdSchema, optionalText, requiredString } from '../directory/fields'
import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'
import { asInputError } from '../input-error'

/**
 * Who a consent concerns (seed 001): the whole site, some groups of children (class or school
 * ids), or some services (the children who book them).
 */
export const ConsentScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('site') }),
  z.strictObject({ kind: z.literal('groups'), groupIds: z.array(RecordIdSchema).min(1, 'must name at least one group') }),
  z.strictObject({ kind: z.literal('services'), serviceIds: z.array(RecordIdSchema).min(1, 'must name at least one service') }),
])
/** Who a consent concerns. */
export type ConsentScope = z.output<typeof ConsentScopeSchema>

/**
 * Schema of a consent that gates booking from the portal: a label shown to families, a validity
 * period, a scope, and optionally a document to read (added beforehand).
 *
 * @example
 * ConsentSchema.parse({ id: 'rules', siteId: 's1', label: 'Règlement intérieur 2026-2027', validity: { from: '2026-09-01', to: '2027-07-03' }, scope: { kind: 'site' }, documentId: 'doc-rules' })
 */
export const ConsentSchema = z.strictObject({
  id: RecordIdSchema,
  siteId: RecordIdSchema,
  /** Label shown on the portal. */
  label: requiredString(200),
  /** Days it applies to (open-ended when `to` is absent). */
  validity: z
    .strictObject({ from: LocalDateSchema, to: optionalText(LocalDateSchema) })
    .refine((v) => v.to === undefined || v.from <= v.to, { message: 'must be on or after from', path: ['to'] }),
  /** Who it concerns. */
  scope: ConsentScopeSchema,
  /** A document to read before accepting. */
  documentId: optionalText(RecordIdSchema),
})
/** A consent as its form sends it. */
export type ConsentInput = z.input<typeof ConsentSchema>
/** A consent. */
export type Consent = z.output<typeof ConsentSchema>

/** A guardian's acceptance of a consent, with its instant (ISO string). */
export interface ConsentAcceptance {
  /** The consent. */
  consentId: string
  /** Who accepted. */
  guardianId: string
  /** When (ISO instant). */
  acceptedAt: string
}

/**
 * Records a guardian's acceptance (once: accepting again keeps the first acceptance and reports
 * `added: false`).
 *
 * @example
 * acceptConsent([], 'rules', 'marie', '2026-08-28T19:02:00.000Z') //=> { acceptances: [{ consentId: 'rules', guardianId: 'marie', acceptedAt: '2026-08-28T19:02:00.000Z' }], added: true }
 */
export function acceptConsent(
  acceptances: readonly ConsentAcceptance[],
  consentId: string,
  guardianId: string,
  acceptedAt: string,
): { acceptances: ConsentAcceptance[]; added: boolean } {
  try {
    if (acceptances.some((a) => a.consentId === consentId && a.guardianId === guardianId)) return { acceptances: [...acceptances], added: false }
    return { acceptances: [...acceptances, { consentId, guardianId, acceptedAt }], added: true }
  } catch (error) {
    throw asInputError(error, 'acceptConsent', {
      acceptances: [acceptances, 'array', 'the acceptances'],
      consentId: [consentId, 'string'],
      guardianId: [guardianId, 'string'],
      acceptedAt: [acceptedAt, 'string', 'an ISO instant'],
    })
  }
}

/** One line of the list of who accepted a consent (seed 001: name, first name, date). */
export interface ConsentAcceptanceLine {
  /** The guardian. */
  guardianId: string
  /** First name. */
  firstName: string
  /** Last name. */
  lastName: string
  /** When they accepted. */
  acceptedAt: string
}

/**
 * Who accepted a consent, by last then first name.
 *
 * @example
 * consentAcceptances('rules', acceptances, guardians) //=> [{ guardianId: 'marie', firstName: 'Marie', lastName: 'Dupont', acceptedAt: '...' }]
 */
export function consentAcceptances(
  consentId: string,
  acceptances: readonly ConsentAcceptance[],
  guardians: Readonly<Record<string, { firstName: string; lastName: string }>>,
): ConsentAcceptanceLine[] {
  try {
    return acceptances
      .filter((a) => a.consentId === consentId)
      .map((a) => ({ guardianId: a.guardianId, firstName: guardians[a.guardianId]?.firstName ?? '', lastName: guardians[a.guardianId]?.lastName ?? '', acceptedAt: a.acceptedAt }))
      .sort((x, y) => x.lastName.localeCompare(y.lastName, 'fr') || x.firstName.localeCompare(y.firstName, 'fr') || (x.guardianId < y.guardianId ? -1 : 1))
  } catch (error) {
    throw asInputError(error, 'consentAcceptances', {
      consentId: [consentId, 'string'],
      acceptances: [acceptances, 'array', 'the acceptances'],
      guardians: [guardians, 'object', 'the guardians by id'],
    })
  }
}

/** What {@link missingConsents} needs to know about the child on the day. */
export interface ConsentQuery {
  /** The guardian who books (or views the portal). */
  guardianId: string
  /** The day. */
  date: LocalDate
  /** The child's groups on that day (class and school ids of its enrolment). */
  groupIds: readonly string[]
  /** The services the child has rights to on that day. */
  subscribedServiceIds: readonly string[]
  /** The service being booked; absent to ask about every service the child has rights to. */
  serviceId?: string | undefined
}

/**
 * Whether a consent concerns a child on a day: the day is in its validity, and its scope is the
 * whole site, one of the child's groups, or a service (the booked one, or, when none is named,
 * one the child has rights to).
 *
 * @example
 * consentApplies(rules, { guardianId: 'marie', date: '2026-10-05', groupIds: ['cpa', 'sc1'], subscribedServiceIds: ['meal'] }) //=> true
 */
export function consentApplies(consent: Consent, query: ConsentQuery): boolean {
  try {
    if (!inRange(query.date, consent.validity)) return false
    const scope = consent.scope
    switch (scope.kind) {
      case 'site':
        return true
      case 'groups':
        return scope.groupIds.some((g) => query.groupIds.includes(g))
      case 'services':
        return query.serviceId !== undefined ? scope.serviceIds.includes(query.serviceId) : scope.serviceIds.some((s) => query.subscribedServiceIds.includes(s))
      default: {
        const unknown: never = scope
        throw EcoleError.invalidInput('consent.scope.kind', `must be 'site', 'groups' or 'services', got ${describeValue((unknown as { kind?: unknown }).kind)}`)
      }
    }
  } catch (error) {
    throw asInputError(error, 'consentApplies', {
      consent: [consent, 'object', 'a consent'],
      query: [query, 'object', 'a consent query ({ guardianId, date, groupIds, subscribedServiceIds, serviceId? })'],
    })
  }
}

/**
 * The consents a guardian has not accepted that concern a child, a service and a day: what
 * booking eligibility reports as `CONSENT_MISSING` (one per consent), sorted by id.
 *
 * @example
 * missingConsents([rules], [], { guardianId: 'marie', date: '2026-10-05', groupIds: ['cpa'], subscribedServiceIds: ['meal'], serviceId: 'meal' })
 * //=> [rules]
 */
export function missingConsents(consents: readonly Consent[], acceptances: readonly ConsentAcceptance[], query: ConsentQuery): Consent[] {
  try {
    const accepted = new Set(acceptances.filter((a) => a.guardianId === query.guardianId).map((a) => a.consentId))
    return consents.filter((c) => !accepted.has(c.id) && consentApplies(c, query)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  } catch (error) {
    throw asInputError(error, 'missingConsents', {
      consents: [consents, 'array', 'the consents'],
      acceptances: [acceptances, 'array', 'the acceptances'],
      query: [query, 'object', 'a consent query ({ guardianId, date, groupIds, subscribedServiceIds, serviceId? })'],
    })
  }
}

/** A consent in the shape booking eligibility's context takes (`BookingContextInput.consents`). */
export interface BookingConsentInput {
  /** Consent id. */
  id: string
  /** Label shown to families. */
  label: string
  /** First day of validity. */
  from?: LocalDate | undefined
  /** Last day of validity. */
  to?: LocalDate | undefined
  /** Services it concerns (scope `services`). */
  serviceIds?: string[] | undefined
  /** Groups it concerns (scope `groups`). */
  groupIds?: string[] | undefined
}

/**
 * Consents and acceptances in the shape of booking eligibility's context (`consents` and
 * `consentsGiven` of `BookingContextInput`), so `checkBooking` reports `CONSENT_MISSING` by the
 * same rule as {@link missingConsents} for a booked service.
 *
 * @example
 * const { consents, consentsGiven } = consentsForBooking([rules], acceptances)
 */
export function consentsForBooking(
  consents: readonly Consent[],
  acceptances: readonly ConsentAcceptance[],
): { consents: BookingConsentInput[]; consentsGiven: Array<{ consentId: string; guardianId: string }> } {
  try {
    return {
      consents: consents.map((c) => ({
        id: c.id,
        label: c.label,
        from: c.validity.from,
        to: c.validity.to,
        ...(c.scope.kind === 'services' ? { serviceIds: [...c.scope.serviceIds] } : {}),
        ...(c.scope.kind === 'groups' ? { groupIds: [...c.scope.groupIds] } : {}),
      })),
      consentsGiven: acceptances.map((a) => ({ consentId: a.consentId, guardianId: a.guardianId })),
    }
  } catch (error) {
    throw asInputError(error, 'consentsForBooking', { consents: [consents, 'array', 'the consents'], acceptances: [acceptances, 'array', 'the acceptances'] })
  }
}
