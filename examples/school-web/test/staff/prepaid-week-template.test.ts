import { walletAccountId } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { SITE } from '../../src/site-settings'
import { peopleSite } from './people-support'
import { Client, host, NOW, pgliteForFile } from './support'
import { prepaidSnack } from './prepaid-support'

// A week template for a prepaid service through HTTP (seed 001: réservations selon une semaine
// type, prestations prépayées): each booked day reserves its price in the payer's wallet, the
// days the wallet cannot pay are refused with the shortfall, shown date by date. One PGlite for the file.
const db = pgliteForFile()
let site = 0
const SECRETARY = 'secretariat@jaures.example'

/** The people site, plus a prepaid snack (« Goûter », 0.80 a day) Léo is subscribed to, paid by Claire (g1) whose wallet holds 5.00. */
async function fresh() {
  const siteId = `staff-prepaid-template-${++site}`
  await peopleSite(db.storage, siteId)
  await prepaidSnack(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const secretary = new Client(app, ctx)
  await secretary.login(SECRETARY)
  const available = async () => (await db.storage.ledger!.getBalances(siteId, [walletAccountId('g1', SITE.billingOfficeId)], NOW))[0]!.available
  const booked = async () => (await db.storage.bookings!.listBookings(siteId, { from: '2027-03-01', to: '2027-03-31', beneficiaryId: 'k1', serviceId: 'gouter' })).items.filter((b) => b.status === 'booked').map((b) => b.date)
  return { siteId, secretary, available, booked }
}

const form = { serviceId: 'gouter', weekdays: ['1', '2', '4', '5'], from: '2027-03-01', to: '2027-03-12', recurrence: 'everyWeek', weeks: '', mode: 'add' }

describe('a prepaid week template (seed 001: prestations prépayées, semaine type)', () => {
  it('offers the prepaid service with its price, previews day by day with what each day reserves, and refuses the days past the balance with the shortfall', async () => {
    const { secretary, available, booked } = await fresh()
    const page = await secretary.get('/staff/children/k1/week-template')
    expect(page.text).toMatch(/<option value="gouter">Goûter \(prépayé, 0,80\s€ par jour\)<\/option>/)
    const preview = await secretary.post('/staff/children/k1/week-template', { ...form, step: 'preview' })
    expect(preview.status).toBe(200)
    expect(preview.text).toContain('6 jour(s) à réserver, 0 déjà réservé(s), 2 refusé(s), 0 annulation(s).')
    expect(preview.text).toMatch(/lundi 1 mars 2027<\/td><td>réservé \(réservé sur le compte : 0,80\s€\)/)
    expect(preview.text).toMatch(/jeudi 11 mars 2027<\/td><td>refusé: Solde insuffisant : il manque 0,60\s€ \(solde disponible 0,20\s€, prix 0,80\s€\)\./)
    // the preview writes nothing
    expect(await booked()).toEqual([])
    expect(await available()).toBe(500n)
  })

  it('applies it: six days booked, each holding 0.80 of the wallet, the two it cannot pay refused; applied again, nothing more is taken', async () => {
    const { secretary, available, booked } = await fresh()
    const applied = await secretary.post('/staff/children/k1/week-template', { ...form, step: 'apply' })
    expect(applied.text).toContain('Semaine type appliquée : 6 jour(s) réservé(s), 2 refusé(s), 0 annulé(s).')
    expect(await booked()).toEqual(['2027-03-01', '2027-03-02', '2027-03-04', '2027-03-05', '2027-03-08', '2027-03-09'])
    expect(await available()).toBe(20n)
    const again = await secretary.post('/staff/children/k1/week-template', { ...form, step: 'apply' })
    expect(again.text).toContain('Semaine type appliquée : 0 jour(s) réservé(s), 2 refusé(s), 0 annulé(s).')
    expect(await available()).toBe(20n)
  })

  it('replaces what is not billed: the dropped days are cancelled and their money is back in the wallet', async () => {
    const { secretary, available, booked } = await fresh()
    await secretary.post('/staff/children/k1/week-template', { ...form, to: '2027-03-05', step: 'apply' })
    expect(await available()).toBe(500n - 4n * 80n)
    const replaced = await secretary.post('/staff/children/k1/week-template', { ...form, to: '2027-03-05', weekdays: ['1'], mode: 'replace', step: 'apply' })
    expect(replaced.text).toContain('Semaine type appliquée : 0 jour(s) réservé(s), 0 refusé(s), 3 annulé(s).')
    expect(await booked()).toEqual(['2027-03-01'])
    expect(await available()).toBe(500n - 80n)
  })

  it('refuses the animateur, naming bookings.write, and takes nothing from the wallet', async () => {
    const { siteId, available } = await fresh()
    const { ctx, app } = await host(db.storage, siteId)
    const animateur = new Client(app, ctx)
    await animateur.login('animateur@jaures.example')
    const r = await animateur.post('/staff/children/k1/week-template', { ...form, step: 'apply' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('bookings.write')
    expect(await available()).toBe(500n)
  })
})
