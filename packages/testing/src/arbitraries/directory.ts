import fc from 'fast-check'
import { PERMISSIONS, type AccessScope, type Actor, type LocalDate, type Permission, type UserScope } from '@ecole/core'
import { inputCheckedArb } from '../input-errors'
import { dateRangeArb } from './time'

const SCHOOL_POOL = ['sc1', 'sc2', 'sc3'] as const
const SERVICE_POOL = ['meal', 'care', 'study'] as const

/**
 * Sets of permissions of the catalogue (possibly empty), without repeats.
 *
 * @example
 * fc.sample(permissionSetArb(), 1)[0] //=> ['bookings.read', 'invoices.validate'] (for instance)
 */
export function permissionSetArb(): fc.Arbitrary<Permission[]> {
  return fc.subarray([...PERMISSIONS])
}

/**
 * User scopes over a small pool of schools (`sc1`..`sc3`) and services (`meal`, `care`, `study`):
 * `'all'` or a (possibly empty) list of each.
 *
 * @example
 * fc.sample(userScopeArb(), 1)[0] //=> { schoolIds: ['sc2'], serviceIds: 'all' } (for instance)
 */
export function userScopeArb(): fc.Arbitrary<UserScope> {
  const list = (pool: readonly string[]) => fc.oneof(fc.constant('all' as const), fc.subarray([...pool]).map((ids) => [...ids].sort()))
  return fc.record({ schoolIds: list(SCHOOL_POOL), serviceIds: list(SERVICE_POOL) })
}

/**
 * Actors (users with their role's permissions) of site `s1` or `s2`.
 *
 * @example
 * fc.sample(actorArb(), 1)[0]!.siteId //=> 's1' (for instance)
 */
export function actorArb(): fc.Arbitrary<Actor> {
  return fc.record({
    userId: fc.constantFrom('u1', 'u2', 'u3'),
    siteId: fc.constantFrom('s1', 's2'),
    profile: fc.constantFrom('administrator', 'headTeacher', 'teacher', 'staff', 'inspector' as const),
    permissions: permissionSetArb(),
    scope: userScopeArb(),
  })
}

/**
 * What an action may be on: site `s1` or `s2`, optionally a school and a service of the pools (or
 * one outside them).
 *
 * @example
 * fc.sample(accessScopeArb(), 1)[0] //=> { siteId: 's1', schoolId: 'sc3' } (for instance)
 */
export function accessScopeArb(): fc.Arbitrary<AccessScope> {
  return fc.record(
    {
      siteId: fc.constantFrom('s1', 's2'),
      schoolId: fc.constantFrom(...SCHOOL_POOL, 'elsewhere'),
      serviceId: fc.constantFrom(...SERVICE_POOL, 'other'),
    },
    { requiredKeys: ['siteId'] },
  )
}

/**
 * Text a family could type in a form field, biased towards characters that are special in HTML
 * (`< > & " '`) and template braces.
 *
 * @example
 * fc.sample(formTextArb(), 1)[0] //=> 'O\'Brien & <b>fils</b>' (for instance)
 */
export function formTextArb(): fc.Arbitrary<string> {
  const unit = fc.oneof(fc.constantFrom('<', '>', '&', '"', "'", '{', '}', '/', ' ', 'é', 'a', 'Z', '1', ';', '#'), fc.string({ minLength: 1, maxLength: 1 }))
  return fc.string({ unit, maxLength: 40 })
}

/** A requested enrolment period of one of a few children (`c1`..`c4`), possibly open-ended. */
export interface EnrolmentRequest {
  /** Enrolment id (unique in the list). */
  id: string
  /** The child. */
  beneficiaryId: string
  /** First day. */
  from: LocalDate
  /** Last day, or undefined for open-ended. */
  to: LocalDate | undefined
}

/**
 * Lists of enrolment requests for a few children over 2026-2028, some open-ended, with unique ids:
 * many of them overlap, which is what enrolment rules must catch.
 *
 * @example
 * fc.sample(enrolmentRequestsArb(), 1)[0] //=> [{ id: 'e0', beneficiaryId: 'c2', from: '2026-10-03', to: '2027-01-12' }, ...]
 */
export function enrolmentRequestsArb(maxLength = 12): fc.Arbitrary<EnrolmentRequest[]> {
  return inputCheckedArb('enrolmentRequestsArb', { maxLength: [maxLength, 'number?', 'the longest list'] }, () =>
    fc
      .array(
        fc.record({
          beneficiaryId: fc.constantFrom('c1', 'c2', 'c3', 'c4'),
          range: dateRangeArb({ from: '2026-01-01', to: '2028-12-31' }, 500),
          open: fc.boolean(),
        }),
        { maxLength },
      )
      .map((list) => list.map((e, i) => ({ id: `e${i}`, beneficiaryId: e.beneficiaryId, from: e.range.from, to: e.open ? undefined : e.range.to }))),
  )
}
