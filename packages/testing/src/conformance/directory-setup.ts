import { createBillingOffice, createSchool, createSchoolClass, createService, emptyDirectory, type DirectoryOutcome, type DirectoryState } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

function ok(r: DirectoryOutcome): DirectoryState {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.refusal)}`)
  return r.state
}

/** Directory set-up: schools, classes, billing offices and services stored come back in `loadDirectory`. @internal */
export function describeDirectorySetup(ctx: ConformanceContext): void {
  describe('directory set-up', () => {
    it('gives back in loadDirectory the schools, classes, billing offices and services it stored, equal to those the core created', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const siteId = freshSiteId()
      let state = ok(createSchool(emptyDirectory(siteId), { id: 'jaures', name: 'École Jean Jaurès', uai: '0751234J' }))
      state = ok(createSchoolClass(state, { id: 'cp-a', schoolId: 'jaures', name: 'CP A', levels: ['CP'], schoolYear: '2026-2027' }))
      state = ok(createBillingOffice(state, { id: 'regie', name: 'Régie cantine', iban: 'BE15 7326 6455 4630', paymentReference: 'ogm' }))
      state = ok(createService(state, { id: 'meal', name: 'Repas', billing: 'invoiced', billingOfficeId: 'regie', offeredTo: [{ schoolId: 'jaures' }] }))
      for (const school of Object.values(state.schools)) await store.putDirectoryRecord(siteId, 'school', school)
      for (const klass of Object.values(state.classes)) await store.putDirectoryRecord(siteId, 'schoolClass', klass)
      for (const office of Object.values(state.billingOffices)) await store.putDirectoryRecord(siteId, 'billingOffice', office)
      for (const service of Object.values(state.services)) await store.putDirectoryRecord(siteId, 'service', service)
      const loaded = await store.loadDirectory(siteId)
      expect(loaded.schools).toEqual(state.schools)
      expect(loaded.classes).toEqual(state.classes)
      expect(loaded.billingOffices).toEqual(state.billingOffices)
      expect(loaded.services).toEqual(state.services)
      // the loaded state is one the core operations take: creating the same school again changes nothing
      const again = createSchool(loaded, { id: 'jaures', name: 'École Jean Jaurès', uai: '0751234J' })
      expect(again.ok && again.result).toBe('exists')
    })
  })
}
