import { describe, expect, it } from 'vitest'
import { staffBrowser } from './browser-support'
import { searchSite } from './search-support'

// Moving a guardian, archiving a child, removing a joint debtor and adult meals in Debian's Chromium, written as the seed's steps, in
// French and in Italian; screenshots go to test-artifacts/staff/moves-*.png (not committed).
const { open: openSite, shot } = staffBrowser('staff-moves-browser', (storage, siteId) => searchSite(storage, siteId))
const open = (lang: 'fr' | 'it') => openSite(lang, { username: 'secretariat@jaures.example' })

const TEXT = {
  fr: { move: 'Déplacer dans un autre foyer', search: 'Rechercher', existing: 'Dans un foyer existant', submit: 'Déplacer le responsable', moved: 'Le responsable a changé de foyer, avec ses enfants.', archive: "Archiver l'enfant", confirm: 'Confirmer', archived: "L'enfant est archivé.", reason: 'Motif (facultatif)', find: 'Rechercher le foyer de destination par nom', remove: 'retirer', jointRemoved: 'Le tiers solidaire est retiré de la règle.', adult: 'Inscrire aux repas adultes', adultSubmit: "Inscrire l'adulte", adultDone: "L'adulte est inscrit à ses repas, facturés à son nom.", klass: 'Classe', service: 'Prestation' },
  it: { move: 'Spostare in un altro nucleo', search: 'Cerca', existing: 'In un nucleo esistente', submit: 'Spostare il responsabile', moved: 'Il responsabile ha cambiato nucleo, con i figli.', archive: 'Archiviare il bambino', confirm: 'Conferma', archived: 'Il bambino è archiviato.', reason: 'Motivo (facoltativo)', find: 'Cerca per nome il nucleo di destinazione', remove: 'rimuovi', jointRemoved: 'Il coobbligato è rimosso dalla regola.', adult: 'Iscrivere ai pasti per adulti', adultSubmit: "Iscrivere l'adulto", adultDone: "L'adulto è iscritto ai pasti, fatturati a suo nome.", klass: 'Classe', service: 'Servizio' },
}

describe('in Chromium: déplacer un responsable, archiver un enfant, retirer un tiers solidaire (seed 001)', () => {
  for (const lang of ['fr', 'it'] as const) {
    it(`[${lang}] the secretary moves Hélène Lefèvre to the Martin household with her children`, async () => {
      const { page, base, ctx, siteId } = await open(lang)
      const x = TEXT[lang]
      // 1. the guardian's file; 2. "move to another household"
      await page.goto(`${base}/staff/guardians/g3`)
      await page.getByRole('link', { name: x.move }).click()
      // 3. the page says which children follow; 4. find the household by name
      expect(await page.locator('#move-effect').textContent()).toContain('Éloïse Lefèvre, Hugo Lefèvre')
      await page.getByLabel(x.find).fill('martin')
      await page.getByRole('button', { name: x.search, exact: true }).click()
      // 5. choose it; 6. move
      await page.getByLabel(x.existing).check()
      await page.getByLabel('Foyer Martin').check()
      await shot(page, `moves-${lang}-1-move-guardian`)
      await page.getByRole('button', { name: x.submit }).click()
      await page.waitForURL(`${base}/staff/households/h1?done=guardianMoved`)
      expect(await page.locator('.notice.ok').textContent()).toBe(x.moved)
      expect(await page.getByRole('link', { name: 'Hugo Lefèvre' }).count()).toBe(1)
      await shot(page, `moves-${lang}-2-household`)
      expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g3'))?.householdId).toBe('h1')
    })

    it(`[${lang}] the secretary archives Éloïse Lefèvre after the confirmation`, async () => {
      const { page, base, ctx, siteId } = await open(lang)
      const x = TEXT[lang]
      // 1. the child's file; 2. archive; 3. the confirmation says what changes, with a reason; 4. confirm
      await page.goto(`${base}/staff/children/k3`)
      await page.getByRole('link', { name: x.archive }).click()
      expect(await page.locator('#archive-effect').textContent()).toContain('Éloïse Lefèvre')
      await page.getByLabel(x.reason).fill('Déménagement')
      await shot(page, `moves-${lang}-3-archive-child`)
      await page.getByRole('button', { name: x.confirm }).click()
      await page.waitForURL(`${base}/staff/children/k3?done=archived`)
      expect(await page.locator('.notice.ok').textContent()).toBe(x.archived)
      expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', 'k3'))?.archived).toMatchObject({ reason: 'Déménagement' })
    })

    it(`[${lang}] the secretary removes Marc Dupuis as joint debtor of Éloïse's canteen rule`, async () => {
      const { page, base, ctx, siteId } = await open(lang)
      const x = TEXT[lang]
      // 1. the child's billing rules; 2. "remove" beside the joint debtor; 3. the confirmation names who and which rule; 4. confirm
      await page.goto(`${base}/staff/children/k3/rules`)
      await page.getByRole('link', { name: x.remove, exact: true }).click()
      expect(await page.locator('#joint-effect').textContent()).toContain('Marc Dupuis')
      await shot(page, `moves-${lang}-4-joint-debtor`)
      await page.getByRole('button', { name: x.confirm }).click()
      await page.waitForURL(`${base}/staff/children/k3/rules?done=jointRemoved`)
      expect(await page.locator('.notice.ok').textContent()).toBe(x.jointRemoved)
      expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'billingRule', 'r-k3'))?.jointDebtorIds).toEqual([])
    })

    it(`[${lang}] the secretary enrols Paul Roux for adult meals billed to himself`, async () => {
      const { page, base, ctx, siteId } = await open(lang)
      const x = TEXT[lang]
      // 1. the guardian's file; 2. "adult meals"; 3. the adult class, the service, the first day; 4. enrol
      await page.goto(`${base}/staff/guardians/g2`)
      await page.getByRole('link', { name: x.adult }).click()
      await page.getByLabel(x.klass, { exact: true }).selectOption('adultes')
      await page.getByLabel(x.service, { exact: true }).selectOption('cantine')
      await page.locator('#f-from').fill('2027-01-25')
      await shot(page, `moves-${lang}-5-adult-meals`)
      await page.getByRole('button', { name: x.adultSubmit }).click()
      await page.waitForURL(`${base}/staff/guardians/g2?done=adultEnrolled`)
      expect(await page.locator('.notice.ok').textContent()).toBe(x.adultDone)
      expect((await ctx.storage.directory!.listBillingRulesOf(siteId, ['g2'])).map((r) => r.payers[0]?.guardianId)).toEqual(['g2'])
    })
  }
})
