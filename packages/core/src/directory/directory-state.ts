import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'
import type { BillingOffice } from './billing-office'
import type { Child } from './child'
import type { Enrolment } from './enrolment'
import type { Guardian } from './guardian'
import type { Household } from './household'
import type { School, SchoolClass } from './school'
import type { Service } from './service'
import type { ServiceSubscription } from './service-subscription'

/**
 * The directory of one site as plain, immutable state: records by id. Directory operations take a
 * state and return a new one (they never mutate), so a host can load the part it needs, apply an
 * operation, and store the records that changed.
 */
export interface DirectoryState {
  /** The site every record belongs to. */
  readonly siteId: string
  /** Schools (establishments, structures). */
  readonly schools: Readonly<Record<string, School>>
  /** Classes and groups. */
  readonly classes: Readonly<Record<string, SchoolClass>>
  /** Services (prestations). */
  readonly services: Readonly<Record<string, Service>>
  /** Billing offices (régies): a service names the one that invoices or collects it. */
  readonly billingOffices: Readonly<Record<string, BillingOffice>>
  /** Households. */
  readonly households: Readonly<Record<string, Household>>
  /** Guardians (adults). */
  readonly guardians: Readonly<Record<string, Guardian>>
  /** Children. */
  readonly children: Readonly<Record<string, Child>>
  /** Enrolments (children, and adults booking meals). */
  readonly enrolments: Readonly<Record<string, Enrolment>>
  /** Service rights. */
  readonly subscriptions: Readonly<Record<string, ServiceSubscription>>
}

/**
 * An empty directory for a site.
 *
 * @example
 * emptyDirectory('s1').guardians //=> {}
 */
export function emptyDirectory(siteId: string): DirectoryState {
  return { siteId, schools: {}, classes: {}, services: {}, billingOffices: {}, households: {}, guardians: {}, children: {}, enrolments: {}, subscriptions: {} }
}

/**
 * Why a directory operation was refused: an expected business outcome, returned (never thrown),
 * with the facts a UI needs.
 */
export type DirectoryRefusal =
  | { code: 'GUARDIAN_HAS_UNPAID_INVOICES'; guardianId: string; invoiceIds: string[] }
  | { code: 'LICENCE_LIMIT'; maxPupils: number; pupils: number }
  | { code: 'ENROLMENT_OVERLAP'; beneficiaryId: string; enrolmentIds: string[] }
  | { code: 'SUBSCRIPTION_OVERLAP'; beneficiaryId: string; serviceId: string; subscriptionIds: string[] }
  | { code: 'CHILD_ARCHIVED'; childId: string }
  | { code: 'GUARDIAN_ARCHIVED'; guardianId: string }
  | { code: 'ALREADY_ARCHIVED'; id: string }
  | { code: 'NOT_ARCHIVED'; id: string }
  | { code: 'ADULT_BOOKING_DISABLED'; guardianId: string }
  | { code: 'LAST_GUARDIAN'; childId: string; guardianId: string }
  | { code: 'ALREADY_LINKED'; childId: string; guardianId: string }
  | { code: 'SAME_HOUSEHOLD'; guardianId: string; householdId: string }
  | { code: 'CLASS_NOT_IN_SCHOOL'; classId: string; schoolId: string }
  | { code: 'ATTRIBUTE_VALUE_NOT_ALLOWED'; attributeId: string; value: string; allowed: string[] }
  | { code: 'ATTRIBUTE_NOT_APPLICABLE'; attributeId: string; appliesTo: 'child' | 'guardian' }
  | { code: 'INSURANCE_HIDDEN'; insuranceId: string }

/** The code of a {@link DirectoryRefusal}. */
export type DirectoryRefusalCode = DirectoryRefusal['code']

/**
 * What a directory operation returns: the new state (and what the operation reports, `E`), or the
 * refusal. The input state is never changed.
 */
export type DirectoryOutcome<E extends object = object> = ({ ok: true; state: DirectoryState } & E) | { ok: false; refusal: DirectoryRefusal }

/** @internal A refused outcome. */
export function refuse(refusal: DirectoryRefusal): { ok: false; refusal: DirectoryRefusal } {
  return { ok: false, refusal }
}

/** @internal The record `id` of `table`, or an `EcoleError` `NOT_FOUND` naming it. */
export function getRecord<T>(table: Readonly<Record<string, T>>, id: string, what: string): T {
  const found = Object.prototype.hasOwnProperty.call(table, id) ? table[id] : undefined
  if (found === undefined) throw new EcoleError('NOT_FOUND', `${what} ${describeValue(id)} is not in this directory`, { details: { what, id } })
  return found
}

/** @internal Refuses to create a record whose id already exists. */
export function assertNew(table: Readonly<Record<string, unknown>>, id: string, what: string): void {
  if (Object.prototype.hasOwnProperty.call(table, id)) {
    throw new EcoleError('DUPLICATE_ID', `${what} ${describeValue(id)} already exists`, { details: { what, id } })
  }
}
