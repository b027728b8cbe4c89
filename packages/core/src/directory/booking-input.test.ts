import { describe, expect, it } from 'vitest'
import { BookingContextInputSchema } from '../booking/booking-context'
import { directoryForBooking } from './booking-input'
import { emptyDirectory, type DirectoryOutcome, type DirectoryState } from './directory-state'
import { enrol, setAdultBooking, subscribeToService } from './enrolment-operations'
import { createHousehold } from './household-operations'
import { archiveChild } from './archive'
import { SchoolClassSchema, SchoolSchema } from './school'
import { ServiceSchema } from './service'

function ok(r: DirectoryOutcome): DirectoryState {
  if (!r.ok) throw new Error(JSON.stringify(r.refusal))
  return r.state
}

describe('directoryForBooking', () => {
  let s: DirectoryState = {
    ...emptyDirectory('s1'),
    schools: { sc1: SchoolSchema.parse({ id: 'sc1', siteId: 's1', name: 'École' }), staff: SchoolSchema.parse({ id: 'staff', siteId: 's1', name: 'Adultes', kind: 'adults' }) },
    classes: {
      cpa: SchoolClassSchema.parse({ id: 'cpa', siteId: 's1', schoolId: 'sc1', name: 'CP A' }),
      ad: SchoolClassSchema.parse({ id: 'ad', siteId: 's1', schoolId: 'staff', name: 'Adulte' }),
    },
    services: {
      meal: ServiceSchema.parse({ id: 'meal', siteId: 's1', name: 'Repas', billing: 'invoiced', billingOfficeId: 'bo', offeredTo: [{ schoolId: 'sc1' }, { schoolId: 'staff', classIds: ['ad'] }] }),
    },
  }
  s = ok(createHousehold(s, {
    household: { id: 'h1', name: 'Famille Dupont' },
    guardian: { id: 'marie', firstName: 'Marie', lastName: 'Dupont' },
    child: { newChild: { id: 'lea', firstName: 'Léa', lastName: 'Dupont', birthDate: '2019-05-14' }, relationship: 'mother' },
    today: '2026-09-01',
  }))
  s = ok(enrol(s, { id: 'e1', beneficiaryId: 'lea', schoolId: 'sc1', classId: 'cpa', from: '2026-09-01', to: '2027-07-03' }, { maxPupils: null }))
  s = ok(subscribeToService(s, { id: 'r1', beneficiaryId: 'lea', serviceId: 'meal', from: '2026-09-07' }))
  s = ok(setAdultBooking(s, 'marie', true))
  s = ok(enrol(s, { id: 'e2', beneficiaryId: 'marie', beneficiaryKind: 'adult', schoolId: 'staff', classId: 'ad', from: '2026-09-01' }, { maxPupils: null }))
  s = ok(archiveChild(s, 'lea', { on: '2027-07-04' }))

  it('gives booking the offers and every beneficiary with enrolments, rights and groups', () => {
    expect(directoryForBooking(s)).toEqual({
      offers: [
        { serviceId: 'meal', schoolId: 'sc1' },
        { serviceId: 'meal', schoolId: 'staff', classIds: ['ad'] },
      ],
      children: [
        { id: 'lea', archived: true, groupIds: ['cpa', 'sc1'], enrolments: [{ schoolId: 'sc1', classId: 'cpa', from: '2026-09-01', to: '2027-07-03' }], subscriptions: [{ serviceId: 'meal', from: '2026-09-07', to: undefined }] },
        { id: 'marie', archived: false, groupIds: ['ad', 'staff'], enrolments: [{ schoolId: 'staff', classId: 'ad', from: '2026-09-01', to: undefined }], subscriptions: [] },
      ],
    })
  })

  it('is accepted by the booking context schema', () => {
    const parsed = BookingContextInputSchema.safeParse({ timeZone: 'Europe/Paris', services: [], ...directoryForBooking(s) })
    expect(parsed.success).toBe(true)
  })
})
