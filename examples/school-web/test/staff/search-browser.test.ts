import { describe, expect, it } from 'vitest'
import { staffBrowser } from './browser-support'
import { searchSite } from './search-support'

// Searching the families in Debian's Chromium, written as the steps a secretary takes, in French
// and in English; screenshots go to test-artifacts/staff/search-*.png (not committed).
const { open, login, shot } = staffBrowser('staff-search-browser', (storage, siteId) => searchSite(storage, siteId))

const TEXT = {
  fr: { households: 'Foyers', children: 'Enfants', search: 'Rechercher', name: 'Rechercher par nom', show: 'Afficher', none: 'Aucun résultat.', invalid: 'Recherche : au plus 5 mots et 100 caractères.' },
  en: { households: 'Households', children: 'Children', search: 'Search', name: 'Search by name', show: 'Show', none: 'Nothing found.', invalid: 'Search: at most 5 words and 100 characters.' },
}

describe('in Chromium: rechercher un foyer, un responsable, un enfant (seed 001)', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`[${lang}] the secretary finds a household and a guardian by name, then an archived child`, async () => {
      const { page, base } = await open(lang)
      const x = TEXT[lang]
      // 1. log in
      await login(page, base, 'secretariat@jaures.example')
      // 2. FOYERS; 3. type the beginning of the name, without its accent; 4. search
      await page.getByRole('navigation').getByRole('link', { name: x.households, exact: true }).click()
      await page.getByLabel(x.name).fill('lefe')
      await page.getByRole('button', { name: x.search }).click()
      await page.waitForURL(`${base}/staff/households?q=lefe`)
      expect(await page.locator('table tbody tr td a').allTextContents()).toEqual(['Famille Lefèvre'])
      expect(await page.locator('.guardian-matches li a').allTextContents()).toEqual(['Hélène Lefèvre'])
      await shot(page, `search-${lang}-1-households`)
      // 5. open the household: its guardians
      await page.getByRole('link', { name: 'Famille Lefèvre' }).click()
      expect(await page.getByRole('link', { name: 'Marc Dupuis' }).count()).toBe(1)
      // 6. ENFANTS; 7. the archived children named Lefèvre
      await page.getByRole('navigation').getByRole('link', { name: x.children, exact: true }).click()
      expect(await page.locator('table tbody tr td a').allTextContents()).toEqual(['Léo Martin', 'Éloïse Lefèvre'])
      await page.getByLabel(x.name).fill('LEFÈVRE')
      await page.getByLabel(x.show).selectOption('archived')
      await page.getByRole('button', { name: x.search }).click()
      expect(await page.locator('table tbody tr td a').allTextContents()).toEqual(['Hugo Lefèvre'])
      await shot(page, `search-${lang}-2-children-archived`)
      // 8. a search of too many words is shown beside the field
      await page.getByLabel(x.name).fill('a b c d e f')
      await page.getByRole('button', { name: x.search }).click()
      expect(await page.locator('#q-error').textContent()).toBe(x.invalid)
      await shot(page, `search-${lang}-3-invalid`)
    })
  }
})
