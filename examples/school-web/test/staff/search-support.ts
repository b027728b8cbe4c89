/** The search screens' test site, shared by the HTTP and the browser tests. */
import { BillingRuleSchema, ChildSchema, GuardianSchema, HouseholdSchema, SchoolClassSchema, ServiceSubscriptionSchema } from '@ecole/core'
import { SITE } from '../../src/site-settings'
import type { StoragePorts } from '@ecole/core/ports'
import { peopleSite } from './people-support'

/**
 * The people site plus the Lefèvre household (h3): Hélène Lefèvre (g3) and Marc Dupuis (g4), their
 * children Éloïse (k3, active; child of both) and Hugo (k4, archived; Hélène's). Hélène pays
 * Éloïse's canteen with Marc as joint debtor (rule r-k3). An adult class "Adultes" (adult meals).
 */
export async function searchSite(storage: StoragePorts, siteId: string): Promise<void> {
  await peopleSite(storage, siteId)
  await storage.transaction(siteId, async (tx) => {
    const d = tx.directory!
    await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h3', siteId, name: 'Famille Lefèvre' }))
    await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'g3', siteId, householdId: 'h3', firstName: 'Hélène', lastName: 'Lefèvre', attributes: {} }))
    await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'g4', siteId, householdId: 'h3', firstName: 'Marc', lastName: 'Dupuis', attributes: {} }))
    await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: 'k3', siteId, firstName: 'Éloïse', lastName: 'Lefèvre', birthDate: '2018-02-11', guardians: [{ guardianId: 'g3', relationship: 'mother' }, { guardianId: 'g4', relationship: 'father' }] }))
    await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({
      id: 'k4', siteId, firstName: 'Hugo', lastName: 'Lefèvre', birthDate: '2015-06-30', guardians: [{ guardianId: 'g3', relationship: 'mother' }], archived: { on: '2026-07-04', reason: 'moved' },
    }))
    await d.putDirectoryRecord(siteId, 'schoolClass', SchoolClassSchema.parse({ id: 'adultes', siteId, schoolId: SITE.schoolId, name: 'Adultes' }))
    await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: 'd-k3-cantine', siteId, beneficiaryId: 'k3', serviceId: 'cantine', from: '2026-09-01' }))
    await tx.directory!.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({
      id: 'r-k3', payers: [{ guardianId: 'g3', weight: 1 }], covers: [{ beneficiaryId: 'k3', serviceId: 'cantine' }], from: '2026-09-01', criterion: { kind: 'always' }, jointDebtorIds: ['g4'],
    }))
  })
}
