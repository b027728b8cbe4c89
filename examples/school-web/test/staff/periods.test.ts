import { describe, expect, it } from 'vitest'
import { peopleSite } from './people-support'
import { Client, host, NOW, pgliteForFile } from './support'

// The national school calendar of a zone, previewed with the bookings each closure would delete
// (seed 001: « Périodes du calendrier national », and the warning of « Ajouter une période »).
const db = pgliteForFile()
let site = 0

async function fresh() {
  const siteId = `staff-periods-${++site}`
  await peopleSite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const as = async (login: string) => {
    const client = new Client(app, ctx)
    await client.login(login)
    return client
  }
  return { ctx, siteId, as }
}

describe('the national school calendar (seed 001: générer les périodes d’une zone, réservations supprimées)', () => {
  it('lists the closures of zone C for 2026-2027 and, under the winter holidays, the canteen booking they would delete, by name and class', async () => {
    const { ctx, siteId, as } = await fresh()
    await ctx.storage.bookings!.putBooking(siteId, { id: 'b-winter', beneficiaryId: 'k1', serviceId: 'cantine', date: '2027-02-09', status: 'booked', bookedAt: NOW })
    await ctx.storage.bookings!.putBooking(siteId, { id: 'b-school', beneficiaryId: 'k1', serviceId: 'cantine', date: '2027-03-02', status: 'booked', bookedAt: NOW })
    const page = (await (await as('direction@jaures.example')).get('/staff/admin/periods?zone=FR-C&year=2026-2027&serviceId=cantine')).text
    expect(page).toContain('Vacances d&#39;hiver 2026-2027')
    const winter = page.slice(page.indexOf('data-period="FR-C-2027-02-07"'))
    expect(winter.slice(0, winter.indexOf('</tr>'))).toContain('Attention : 1 réservation(s) de Cantine seraient supprimées :</strong><ul><li>Léo Martin (CP), 09/02/2027</li></ul>')
    // the school day in March is in no closure
    expect(page).not.toContain('02/03/2027</li>')
    expect(page).toContain('la bibliothèque ne stocke pas encore les périodes')
  })

  it('says when no holidays are known for a zone and year, and refuses the secretary (settings.services)', async () => {
    const { as } = await fresh()
    const none = await (await as('direction@jaures.example')).get('/staff/admin/periods?zone=FR-C&year=1990-1991&serviceId=cantine')
    expect(none.status).toBe(400)
    expect(none.text).toContain('Pas de vacances connues pour France zone C en 1990-1991')
    const secretary = await (await as('secretariat@jaures.example')).get('/staff/admin/periods')
    expect(secretary.status).toBe(403)
    expect(secretary.text).toContain('« settings.services »')
  })
})
