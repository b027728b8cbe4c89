/**
 * The portal's booking settings come from what the site stores (issue 17): the zone from the
 * stored site, the schools each service is offered to and the billing office whose wallets pay
 * prepaid days from the stored service records, not from the demo's constants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookingSettings } from '../src/portal/booking-service'
import { SITE } from '../src/site-settings'
import { STORED_SETTINGS_TTL_MS } from '../src/stored-settings'
import { startTestHost, type TestHost } from './support'

let host: TestHost
beforeAll(async () => {
  host = await startTestHost()
}, 120_000)
afterAll(async () => host?.close())

describe('bookingSettings', () => {
  it('reads the zone of the stored site and, from the stored services, the schools they are offered to and their billing office', async () => {
    const settings = await bookingSettings(host.ctx)
    expect(settings.timeZone).toBe('Europe/Paris')
    expect(settings.billingOfficeId).toBe(SITE.billingOfficeId)
    const services = await host.ctx.storage.directory!.listDirectoryRecords(SITE.id, 'service', { limit: 100 })
    expect(settings.offers).toEqual(
      [...services.items].sort((a, b) => (a.id < b.id ? -1 : 1)).flatMap((s) => s.offeredTo.map((o) => ({ serviceId: s.id, schoolId: o.schoolId }))),
    )
    expect(settings.offers.length).toBeGreaterThan(0)
  })

  it('follows a stored service offered to one class only and paid to another billing office, once the brief cache has expired', async () => {
    const directory = host.ctx.storage.directory!
    const before = (await directory.listDirectoryRecords(SITE.id, 'service', { limit: 100 })).items
    const prepaid = before.filter((s) => s.billing === 'prepaid').sort((a, b) => (a.id < b.id ? -1 : 1))[0]!
    const office = (await directory.getDirectoryRecord(SITE.id, 'billingOffice', SITE.billingOfficeId))!
    try {
      await host.ctx.storage.transaction(SITE.id, async (tx) => {
        await tx.directory!.putDirectoryRecord(SITE.id, 'billingOffice', { ...office, id: 'regie-bis', name: 'Régie bis' })
        await tx.directory!.putDirectoryRecord(SITE.id, 'service', { ...prepaid, billingOfficeId: 'regie-bis', offeredTo: [{ schoolId: SITE.schoolId, classIds: ['cm2'] }] })
      })
      host.clock.advance(STORED_SETTINGS_TTL_MS)
      const settings = await bookingSettings(host.ctx)
      expect(settings.billingOfficeId).toBe('regie-bis')
      expect(settings.offers.filter((o) => o.serviceId === prepaid.id)).toEqual([{ serviceId: prepaid.id, schoolId: SITE.schoolId, classIds: ['cm2'] }])
    } finally {
      await host.ctx.storage.transaction(SITE.id, async (tx) => {
        await tx.directory!.putDirectoryRecord(SITE.id, 'service', prepaid)
      })
      host.clock.advance(STORED_SETTINGS_TTL_MS)
    }
    expect((await bookingSettings(host.ctx)).billingOfficeId).toBe(SITE.billingOfficeId)
  })
})
