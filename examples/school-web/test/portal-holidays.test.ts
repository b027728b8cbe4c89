import { SiteSchema } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { compose, type WebConfig } from '../src/compose'
import { bookingSettings } from '../src/portal/booking-service'
import { pgliteForFile } from './staff/support'

// The public holidays the portal's bookings close on are those of the stored site's country
// (seed 000: « le pays définira le fuseau horaire »), for the years around the site's today:
// they were France's of 2026 and 2027 only, so an Italian site opened on 2 June and, from 2028,
// every site on its public holidays.
const db = pgliteForFile()
let site = 0

async function hostOf(country: string, at: string) {
  const siteId = `holidays-${++site}`
  await db.storage.directory!.putSite(siteId, { ...SiteSchema.parse({ id: siteId, name: 'École', country }), smtp: null })
  const clock = { at: new Date(at) }
  const config: WebConfig = { port: 0, publicUrl: 'http://localhost', https: false, siteId, dataDir: '/nonexistent', devMailbox: false, outboxWorker: false, sleep: async () => {} }
  const ctx = await compose(config, { storage: db.storage, clock: { now: () => clock.at } })
  return { ctx, clock }
}

describe('the public holidays of the portal’s bookings', () => {
  it('are the stored site’s country’s: an Italian site closes on 2 June and 25 April, not on 14 July, in its own time zone', async () => {
    const { ctx } = await hostOf('IT', '2028-03-01T08:00:00Z')
    const settings = await bookingSettings(ctx)
    expect(settings.timeZone).toBe('Europe/Rome')
    expect(settings.publicHolidays).toEqual(expect.arrayContaining(['2028-06-02', '2028-04-25', '2028-12-08']))
    expect(settings.publicHolidays).not.toContain('2028-07-14')
    const french = await bookingSettings((await hostOf('FR', '2028-03-01T08:00:00Z')).ctx)
    expect(french.publicHolidays).toEqual(expect.arrayContaining(['2028-07-14', '2028-05-08', '2028-11-11']))
    expect(french.publicHolidays).not.toContain('2028-06-02')
  })

  it('cover the year before the site’s today to two years after, and move on with the clock (none was known after 2027)', async () => {
    const { ctx, clock } = await hostOf('FR', '2028-03-01T08:00:00Z')
    const years = (days: readonly string[] | undefined) => [...new Set((days ?? []).map((d) => d.slice(0, 4)))]
    expect(years((await bookingSettings(ctx)).publicHolidays)).toEqual(['2027', '2028', '2029', '2030'])
    // New Year's Eve at 23:30 UTC is already 2031 in Paris: the site's year, not the host's
    clock.at = new Date('2030-12-31T23:30:00Z')
    expect(years((await bookingSettings(ctx)).publicHolidays)).toEqual(['2030', '2031', '2032', '2033'])
  })

  it('are France’s national ones on Réunion, in its own time zone', async () => {
    const settings = await bookingSettings((await hostOf('RE', '2028-03-01T08:00:00Z')).ctx)
    expect(settings.timeZone).toBe('Indian/Reunion')
    expect(settings.publicHolidays).toEqual(expect.arrayContaining(['2028-07-14', '2028-11-11']))
  })

  it('are none for a country the library has no table for (its closures are the stored periods)', async () => {
    const { ctx } = await hostOf('DE', '2028-03-01T08:00:00Z')
    const settings = await bookingSettings(ctx)
    expect([settings.timeZone, settings.publicHolidays]).toEqual(['Europe/Berlin', []])
  })
})
