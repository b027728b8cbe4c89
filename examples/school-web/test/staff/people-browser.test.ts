import { CustomAttributeSchema, InsuranceSchema } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { peopleSite } from './people-support'
import { staffBrowser } from './browser-support'

// The people procedures in Debian's Chromium, written as the seed's steps, in French and in
// another language; screenshots of every screen go to test-artifacts/staff/ (not committed).
const { open, login, shot } = staffBrowser('staff-people-browser', (storage, siteId) => peopleSite(storage, siteId, { maxPupils: 300 }))

const TEXT = {
  fr: { create: 'Créer un foyer', submit: 'Créer le foyer', created: 'Le foyer est créé.', enrol: 'Inscrire', enrolled: "L'enfant est inscrit.", check: 'Vérifier la règle', preview: 'Voir le résultat jour par jour', apply: 'Appliquer la semaine type', save: 'Enregistrer les présences', saved: '1 présence(s) enregistrée(s).', hint: 'jj/mm/aaaa' },
  en: { create: 'Create a household', submit: 'Create the household', created: 'The household is created.', enrol: 'Enrol', enrolled: 'The child is enrolled.', check: 'Check the rule', preview: 'See the outcome day by day', apply: 'Apply the week template', save: 'Save the attendance', saved: '1 attendance mark(s) saved.', hint: 'dd/mm/yyyy' },
  nl: { create: 'Een gezin aanmaken', submit: 'Het gezin aanmaken', created: 'Het gezin is aangemaakt.', enrol: 'Inschrijven', enrolled: 'Het kind is ingeschreven.', check: 'De regel controleren', preview: 'Het resultaat per dag bekijken', apply: 'De standaardweek toepassen', save: 'Aanwezigheden opslaan', saved: '1 aanwezigheid/-heden opgeslagen.', hint: 'dd/mm/jjjj' },
}

describe('in Chromium: créer un foyer, inscrire l\'enfant, sa règle de facturation et sa semaine type (seed 001)', () => {
  for (const lang of ['fr', 'nl'] as const) {
    it(`[${lang}] the secretary creates a household with a child, enrols the child, checks a rule and applies a week template`, async () => {
      const { page, base, ctx } = await open(lang)
      const x = TEXT[lang]
      // 1. log in; 2. FOYERS; 3. create a household
      await login(page, base, 'secretariat@jaures.example')
      await page.goto(`${base}/staff/households`)
      await page.getByRole('link', { name: x.create }).click()
      // 4. the guardian and contact details; 5. a new child; 6. the household's name and address
      await page.locator('#f-firstName').fill('Marie')
      await page.locator('#f-lastName').fill('Dupont')
      await page.locator('#f-email').fill('marie@example.fr')
      await page.locator('#f-childFirstName').fill('Léa')
      await page.locator('#f-childLastName').fill('Dupont')
      await page.locator('#f-birthDate').fill('2019-05-14')
      await page.locator('#f-name').fill('Famille Dupont')
      await page.locator('#f-city').fill('Créteil')
      expect(await page.locator('#f-birthDate-hint').textContent()).toContain(x.hint)
      await shot(page, `people-${lang}-1-new-household`)
      await page.getByRole('button', { name: x.submit }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.created)
      await shot(page, `people-${lang}-2-household`)
      // 7. the child's file: enrol in CP from a date
      await page.getByRole('link', { name: 'Léa Dupont' }).click()
      await page.locator('#f-classId').selectOption('cp')
      await page.locator('#f-from').fill('2027-01-25')
      await page.getByRole('button', { name: x.enrol, exact: true }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.enrolled)
      await shot(page, `people-${lang}-3-child`)
      // 8. Léo's billing rules: an even-week rule checked before saving
      await page.goto(`${base}/staff/children/k1/rules`)
      await page.locator('input[name=criterion][value=isoParity]').check()
      await page.getByRole('button', { name: x.check }).click()
      expect(await page.locator('#diagnostics li').count()).toBeGreaterThan(0)
      await shot(page, `people-${lang}-4-rules-preview`)
      // 9. Léo's week template: the outcome day by day, then applied
      await page.goto(`${base}/staff/children/k1/week-template`)
      await page.locator('#f-from').fill('2027-03-01')
      await page.locator('#f-to').fill('2027-03-12')
      await page.getByRole('button', { name: x.preview }).click()
      await page.getByRole('button', { name: x.apply }).click()
      await shot(page, `people-${lang}-5-week-template`)
      const booked = await ctx.storage.bookings!.listBookings(ctx.config.siteId, { from: '2027-03-01', to: '2027-03-12', beneficiaryId: 'k1' })
      expect(booked.items).toHaveLength(8)
      await page.context().close()
    }, 120_000)
  }
})

describe('in Chromium: foyers de parents séparés (seed 001): the second household, the child found by name', () => {
  const STEP = {
    fr: { existing: 'Un enfant déjà enregistré (parents séparés)', find: "Rechercher l'enfant déjà enregistré par son nom", submit: 'Créer le foyer', created: 'Le foyer est créé.' },
    en: { existing: 'A child already registered (separated parents)', find: 'Find the child already registered by name', submit: 'Create the household', created: 'The household is created.' },
  }
  for (const lang of ['fr', 'en'] as const) {
    it(`[${lang}] the secretary creates the father's household and finds Léo by the beginning of his name, without typing an id`, async () => {
      const { page, base, ctx } = await open(lang)
      const x = STEP[lang]
      await login(page, base, 'secretariat@jaures.example')
      await page.goto(`${base}/staff/households/new`)
      // 1. the guardian; 2. "a child already registered", searched by name
      await page.locator('#f-firstName').fill('Marc')
      await page.locator('#f-lastName').fill('Martin')
      await page.getByLabel(x.existing).check()
      await page.getByLabel(x.find).fill('léo mar')
      await page.locator('button[name=findChild]').click()
      // 3. the children found: Léo picked from the list, what was typed still there
      const leo = page.getByRole('radio', { name: /Léo Martin/ })
      await leo.check()
      expect(await page.locator('#f-firstName').inputValue()).toBe('Marc')
      await page.locator('#f-name').fill('Foyer Marc Martin')
      await shot(page, `people-${lang}-7-existing-child`)
      await page.getByRole('button', { name: x.submit }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.created)
      await shot(page, `people-${lang}-8-second-household`)
      const child = await ctx.storage.directory!.getDirectoryRecord(ctx.config.siteId, 'child', 'k1')
      expect(child?.guardians).toHaveLength(2)
      await page.context().close()
    }, 120_000)
  }
})

describe('in Chromium: pointer les présences (seed 001), and the debtor data of a guardian', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`[${lang}] the animateur lists the class for the after-school care and marks Léo present`, async () => {
      const { page, base, ctx } = await open(lang)
      const x = TEXT[lang]
      await login(page, base, 'animateur@jaures.example')
      await page.goto(`${base}/staff/attendance?date=2027-01-19&classId=cp&serviceId=garderie`)
      await page.locator('input[name="status:k1"][value=present]').check()
      await shot(page, `people-${lang}-6-attendance`)
      await page.getByRole('button', { name: x.save }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.saved)
      const marks = await ctx.storage.bookings!.listAttendance(ctx.config.siteId, { from: '2027-01-19', to: '2027-01-19' })
      expect(marks.items.map((m) => m.status)).toEqual(['present'])
      await page.context().close()
    }, 120_000)
  }

  it('[fr] the cashier records the SEPA mandate on the guardian\'s file', async () => {
    const { page, base } = await open('fr')
    await login(page, base, 'regisseur@jaures.example')
    await page.goto(`${base}/staff/guardians/g1/edit`)
    await page.locator('#f-iban').fill('FR7630006000011234567890189')
    await page.locator('#f-rum').fill('RUM-G1-2026')
    await page.getByRole('button', { name: 'Enregistrer le mandat' }).click()
    expect(await page.locator('.notice.ok').textContent()).toContain('Le mandat est enregistré')
    await shot(page, 'people-fr-7-mandate')
    await page.goto(`${base}/staff/children/k1/move`)
    await page.context().close()
  }, 120_000)

  it("[fr] the secretary adds the site's insurance to the guardian's file, chosen from the list, with its policy number and last day", async () => {
    const { page, base, ctx } = await open('fr')
    const siteId = ctx.config.siteId
    await ctx.storage.directory!.putDirectoryRecord(siteId, 'insurance', InsuranceSchema.parse({ id: 'ins-maif', siteId, label: 'MAIF Scolaire', visible: true }))
    await ctx.storage.directory!.putDirectoryRecord(siteId, 'insurance', InsuranceSchema.parse({ id: 'ins-macif', siteId, label: 'MACIF Écoles', visible: true }))
    await login(page, base, 'secretariat@jaures.example')
    await page.goto(`${base}/staff/guardians/g1/edit`)
    await page.locator('#f-insuranceId').selectOption({ label: 'MAIF Scolaire' })
    await page.locator('#f-policyNumber').fill('P-2026-17')
    await page.locator('#f-validUntil').fill('2027-08-31')
    await page.getByRole('button', { name: "Ajouter l'assurance sur la fiche" }).click()
    expect(await page.locator('.notice.ok').textContent()).toBe('Assurance enregistrée sur la fiche.')
    expect(await page.locator('#insurances table.guardian-insurances tbody tr').allTextContents()).toEqual(['MAIF ScolaireP-2026-1731/08/2027Retirer'])
    await shot(page, 'people-fr-8-insurance')
    await page.goto(`${base}/staff/guardians/g1`)
    expect(await page.locator('table.guardian-insurances tbody tr').allTextContents()).toEqual(['MAIF ScolaireP-2026-1731/08/2027'])
    await shot(page, 'people-fr-9-guardian-insurance')
    await page.context().close()
  }, 120_000)

  it("[fr] the secretary sets Léo's criteria from his file, chosen among each criterion's values, and sees them on his file", async () => {
    const { page, base, ctx } = await open('fr')
    const siteId = ctx.config.siteId
    await ctx.storage.directory!.putDirectoryRecord(siteId, 'customAttribute', CustomAttributeSchema.parse({ id: 'regime', siteId, label: 'Régime', appliesTo: 'child', allowedValues: ['sans porc', 'végétarien'] }))
    await ctx.storage.directory!.putDirectoryRecord(siteId, 'customAttribute', CustomAttributeSchema.parse({ id: 'transport', siteId, label: 'Transport', appliesTo: 'child', allowedValues: ['bus', 'à pied'] }))
    await login(page, base, 'secretariat@jaures.example')
    await page.goto(`${base}/staff/children/k1`)
    await page.getByRole('link', { name: 'Modifier les critères' }).click()
    await page.getByLabel('Régime').selectOption('végétarien')
    await page.getByLabel('Transport').selectOption('bus')
    await page.getByRole('button', { name: 'Enregistrer les critères' }).click()
    expect(await page.locator('.notice.ok').textContent()).toBe('Critères enregistrés.')
    await shot(page, 'people-fr-10-criteria')
    await page.goto(`${base}/staff/children/k1`)
    expect(await page.locator('#criteria dl').textContent()).toBe('RégimevégétarienTransportbus')
    await shot(page, 'people-fr-11-child-criteria')
    await page.context().close()
  }, 120_000)

  it('[fr] the secretary finds children by name and opens the information sheets of that set', async () => {
    const { page, base } = await open('fr')
    await login(page, base, 'secretariat@jaures.example')
    await page.goto(`${base}/staff/children?q=L%C3%A9o`)
    await page.getByRole('link', { name: 'Fiches de renseignements de ces enfants' }).click()
    expect(await page.locator('#sheet-count').textContent()).toBe('1 enfant(s) :')
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Télécharger les fiches (ZIP, un PDF par enfant)' }).click()
    expect((await download).suggestedFilename()).toBe('fiches-de-renseignements-2027-01-20.zip')
    await shot(page, 'people-fr-12-info-sheet-set')
    await page.context().close()
  }, 120_000)
})
