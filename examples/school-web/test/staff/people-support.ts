/** The people screens' test site, shared by the HTTP and the browser tests. */
import {
  BillingRuleSchema, ChildSchema, EnrolmentSchema, SchoolClassSchema, SchoolSchema, ServiceSchema, ServiceSubscriptionSchema, SiteSchema,
} from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { DEMO_BOOKING_SERVICES } from '../../src/seed'
import { SITE } from '../../src/site-settings'
import { smallSite } from './support'

/** The small site, plus a school with classes CP and CE1, the canteen and the after-school care, and Léo Martin (child of g1) in CP with both. */
export async function peopleSite(ports: StoragePorts, siteId: string, licence: { maxPupils: number | null } = { maxPupils: null }): Promise<void> {
  await smallSite(ports, siteId)
  await ports.transaction(siteId, async (tx) => {
    const d = tx.directory!
    await d.putSite(siteId, { ...SiteSchema.parse({ id: siteId, name: 'École de test', country: 'FR', timeZone: 'Europe/Paris', licence: { maxPupils: licence.maxPupils } }), smtp: null })
    await d.putDirectoryRecord(siteId, 'school', SchoolSchema.parse({ id: SITE.schoolId, siteId, name: 'École Jean-Jaurès' }))
    for (const [id, name] of [['cp', 'CP'], ['ce1', 'CE1']] as const) await d.putDirectoryRecord(siteId, 'schoolClass', SchoolClassSchema.parse({ id, siteId, schoolId: SITE.schoolId, name }))
    for (const [id, name] of [['cantine', 'Cantine'], ['garderie', 'Garderie du soir']] as const) {
      // the demo's booking settings (start time, cut-offs), stored on the service record as the portal reads them
      const { startsAt, bookingCutoff, cancellationCutoff } = DEMO_BOOKING_SERVICES.find((s) => s.id === id)!
      await d.putDirectoryRecord(siteId, 'service', ServiceSchema.parse({ id, siteId, name, billing: 'invoiced', billingOfficeId: 'regie', offeredTo: [{ schoolId: SITE.schoolId }], weekdays: [1, 2, 4, 5], startTime: startsAt, bookingCutoff, cancellationCutoff }))
    }
    await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: 'k1', siteId, firstName: 'Léo', lastName: 'Martin', birthDate: '2019-04-02', guardians: [{ guardianId: 'g1', relationship: 'mother' }] }))
    await d.putDirectoryRecord(siteId, 'enrolment', EnrolmentSchema.parse({ id: 'e-k1', siteId, beneficiaryId: 'k1', schoolId: SITE.schoolId, classId: 'cp', from: '2026-09-01' }))
    for (const s of ['cantine', 'garderie']) await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: `d-k1-${s}`, siteId, beneficiaryId: 'k1', serviceId: s, from: '2026-09-01' }))
    // Claire pays Léo's canteen (a booking needs a rule that bills the day)
    await tx.directory!.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: 'r-k1-cantine', payers: [{ guardianId: 'g1', weight: 1 }], covers: [{ beneficiaryId: 'k1', serviceId: 'cantine' }], from: '2026-09-01', criterion: { kind: 'always' } }))
  })
}
