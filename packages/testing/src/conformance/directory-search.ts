import { isEcoleError, matchesDirectorySearch, prepareDirectorySearch, type Child, type DirectorySearch, type Guardian, type Household } from '@ecole/core'
import type { DirectoryStore } from '@ecole/core/ports'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

// The stores keep records whole and opaque: these fixtures carry the fields the search reads.
const household = (siteId: string, id: string, name: string) => ({ id, siteId, name, address: {} }) as unknown as Household
const guardian = (siteId: string, id: string, firstName: string, lastName: string, householdId = 'h1', archived: unknown = null) =>
  ({ id, siteId, householdId, firstName, lastName, archived }) as unknown as Guardian
const child = (siteId: string, id: string, firstName: string, lastName: string, archived: unknown = null) =>
  ({ id, siteId, firstName, lastName, birthDate: '2019-05-14', guardians: [{ guardianId: 'g1', relationship: 'mother' }], archived }) as unknown as Child
const ARCHIVED = { on: '2026-07-04', reason: 'moved' }

const ids = (page: { items: ReadonlyArray<{ id: string }> }) => page.items.map((r) => r.id)

async function everyPage(store: DirectoryStore, siteId: string, kind: 'household' | 'guardian' | 'child', search: DirectorySearch, limit: number): Promise<string[]> {
  const found: string[] = []
  let after: string | undefined
  for (let i = 0; i < 1000; i++) {
    const page = await store.searchDirectoryRecords(siteId, kind, search, { limit, ...(after === undefined ? {} : { after }) })
    found.push(...ids(page))
    if (page.next === undefined) return found
    after = page.next
  }
  throw new Error('the pages never ended')
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (error: unknown) => error,
  )
}

/** Directory: households, guardians and children searched by name, archive state and household (`searchDirectoryRecords`). @internal */
export function describeDirectorySearch(ctx: ConformanceContext): void {
  describe('directory: search by name', () => {
    it('finds a household by the beginning of any word of its name, case and accents ignored', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      await store.putDirectoryRecord(s, 'household', household(s, 'h1', 'Famille Dupont'))
      await store.putDirectoryRecord(s, 'household', household(s, 'h2', 'Famille Lefèvre-Œuvray'))
      await store.putDirectoryRecord(s, 'household', household(s, 'h3', "Foyer D'Angelo"))
      expect(ids(await store.searchDirectoryRecords(s, 'household', { name: 'dup' }))).toEqual(['h1'])
      expect(ids(await store.searchDirectoryRecords(s, 'household', { name: 'LEFE' }))).toEqual(['h2'])
      expect(ids(await store.searchDirectoryRecords(s, 'household', { name: 'oeuv' }))).toEqual(['h2'])
      expect(ids(await store.searchDirectoryRecords(s, 'household', { name: 'angelo' }))).toEqual(['h3'])
      expect(ids(await store.searchDirectoryRecords(s, 'household', { name: 'famille' }))).toEqual(['h1', 'h2'])
      expect(ids(await store.searchDirectoryRecords(s, 'household', { name: 'pont' }))).toEqual([])
      expect(ids(await store.searchDirectoryRecords(s, 'household', {}))).toEqual(['h1', 'h2', 'h3'])
    })

    it('finds a person only when every word searched begins a word of the first or last name', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      await store.putDirectoryRecord(s, 'child', child(s, 'c1', 'Éloïse', 'Dupont'))
      await store.putDirectoryRecord(s, 'child', child(s, 'c2', 'Marc', 'Dupuis'))
      await store.putDirectoryRecord(s, 'child', child(s, 'c3', 'Jean-Marc', 'Lefort'))
      expect(ids(await store.searchDirectoryRecords(s, 'child', { name: 'dup' }))).toEqual(['c1', 'c2'])
      expect(ids(await store.searchDirectoryRecords(s, 'child', { name: 'dup elo' }))).toEqual(['c1'])
      expect(ids(await store.searchDirectoryRecords(s, 'child', { name: 'ÉLOI' }))).toEqual(['c1'])
      expect(ids(await store.searchDirectoryRecords(s, 'child', { name: 'marc' }))).toEqual(['c2', 'c3'])
      expect(ids(await store.searchDirectoryRecords(s, 'child', { name: 'marc lef' }))).toEqual(['c3'])
      expect(ids(await store.searchDirectoryRecords(s, 'child', { name: 'dup xyz' }))).toEqual([])
      expect(ids(await store.searchDirectoryRecords(s, 'child', { name: '100%' }))).toEqual([])
      expect(ids(await store.searchDirectoryRecords(s, 'child', { name: '_' }))).toEqual([])
    })

    it('keeps the active or the archived children and guardians when asked, both otherwise', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      await store.putDirectoryRecord(s, 'child', child(s, 'c1', 'Léa', 'Dupont'))
      await store.putDirectoryRecord(s, 'child', child(s, 'c2', 'Hugo', 'Dupont', ARCHIVED))
      await store.putDirectoryRecord(s, 'guardian', guardian(s, 'g1', 'Marie', 'Dupont', 'h1', ARCHIVED))
      await store.putDirectoryRecord(s, 'guardian', guardian(s, 'g2', 'Paul', 'Dupont'))
      expect(ids(await store.searchDirectoryRecords(s, 'child', { name: 'dupont', archived: false }))).toEqual(['c1'])
      expect(ids(await store.searchDirectoryRecords(s, 'child', { archived: true }))).toEqual(['c2'])
      expect(ids(await store.searchDirectoryRecords(s, 'child', { name: 'dupont' }))).toEqual(['c1', 'c2'])
      expect(ids(await store.searchDirectoryRecords(s, 'guardian', { archived: false }))).toEqual(['g2'])
      expect(ids(await store.searchDirectoryRecords(s, 'guardian', { archived: true }))).toEqual(['g1'])
    })

    it('answers the guardians of one household', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      await store.putDirectoryRecord(s, 'guardian', guardian(s, 'g1', 'Marie', 'Dupont', 'h1'))
      await store.putDirectoryRecord(s, 'guardian', guardian(s, 'g2', 'Paul', 'Martin', 'h2'))
      await store.putDirectoryRecord(s, 'guardian', guardian(s, 'g3', 'Jean', 'Dupont', 'h1'))
      expect(ids(await store.searchDirectoryRecords(s, 'guardian', { householdId: 'h1' }))).toEqual(['g1', 'g3'])
      expect(ids(await store.searchDirectoryRecords(s, 'guardian', { householdId: 'h1', name: 'jean' }))).toEqual(['g3'])
      expect(ids(await store.searchDirectoryRecords(s, 'guardian', { householdId: 'h9' }))).toEqual([])
    })

    it('finds a renamed record by its new name only, and no longer finds a deleted one', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      await store.putDirectoryRecord(s, 'household', household(s, 'h1', 'Famille Dupont'))
      await store.putDirectoryRecord(s, 'household', household(s, 'h1', 'Famille Martin'))
      await store.putDirectoryRecord(s, 'guardian', guardian(s, 'g1', 'Marie', 'Dupont', 'h1'))
      await store.putDirectoryRecord(s, 'guardian', guardian(s, 'g1', 'Marie', 'Dupont', 'h2'))
      expect(ids(await store.searchDirectoryRecords(s, 'household', { name: 'dupont' }))).toEqual([])
      expect(ids(await store.searchDirectoryRecords(s, 'household', { name: 'martin' }))).toEqual(['h1'])
      expect(ids(await store.searchDirectoryRecords(s, 'guardian', { householdId: 'h1' }))).toEqual([])
      expect(ids(await store.searchDirectoryRecords(s, 'guardian', { householdId: 'h2' }))).toEqual(['g1'])
      await store.deleteDirectoryRecord(s, 'household', 'h1')
      expect(ids(await store.searchDirectoryRecords(s, 'household', { name: 'martin' }))).toEqual([])
    })

    it('never answers a record of another site, nor a record of another kind with the same name', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const a = freshSiteId()
      const b = freshSiteId()
      await store.putDirectoryRecord(a, 'guardian', guardian(a, 'g1', 'Marie', 'Dupont'))
      await store.putDirectoryRecord(b, 'guardian', guardian(b, 'g2', 'Marie', 'Dupont'))
      await store.putDirectoryRecord(a, 'child', child(a, 'c1', 'Marie', 'Dupont'))
      expect(ids(await store.searchDirectoryRecords(a, 'guardian', { name: 'dupont' }))).toEqual(['g1'])
      expect(ids(await store.searchDirectoryRecords(b, 'guardian', { name: 'dupont' }))).toEqual(['g2'])
      expect(ids(await store.searchDirectoryRecords(a, 'child', { name: 'dupont' }))).toEqual(['c1'])
    })

    it('refuses a bad search naming its field, and a kind that has no name', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      const fields = async (p: Promise<unknown>) => {
        const error = await errorOf(p)
        expect(isEcoleError(error, 'INVALID_INPUT'), String(error)).toBe(true)
        return error instanceof Error ? error.message : ''
      }
      expect(await fields(store.searchDirectoryRecords(s, 'household', { archived: true }))).toContain('search.archived')
      expect(await fields(store.searchDirectoryRecords(s, 'child', { householdId: 'h1' }))).toContain('search.householdId')
      expect(await fields(store.searchDirectoryRecords(s, 'child', { name: 'a b c d e f' }))).toContain('search.name')
      expect(await fields(store.searchDirectoryRecords(s, 'school' as 'child', { name: 'a' }))).toContain('kind')
    })

    it('pages the matches in id order, each once, exactly as matchesDirectorySearch says', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const names = fc.constantFrom('Dupont', 'Dupuis', 'Éloïse', 'Lefèvre', 'Œuvray', 'Jean-Marc', "D'Angelo", 'Ana', 'André', 'Lucie')
      const person = fc.record({ firstName: names, lastName: names, archived: fc.boolean() })
      const query = fc.record({
        name: fc.option(fc.constantFrom('du', 'dup', 'DUPO', 'elo', 'lef', 'oe', 'ana', 'an', 'and', 'marc je', 'angelo', 'a d', ''), { nil: undefined }),
        archived: fc.option(fc.boolean(), { nil: undefined }),
      })
      await fc.assert(
        fc.asyncProperty(fc.array(person, { minLength: 1, maxLength: 12 }), query, fc.integer({ min: 1, max: 5 }), async (people, search, limit) => {
          const s = freshSiteId()
          const records = people.map((p, i) => child(s, `c${String(i).padStart(2, '0')}`, p.firstName, p.lastName, p.archived ? ARCHIVED : null))
          for (const r of records) await store.putDirectoryRecord(s, 'child', r)
          const prepared = prepareDirectorySearch('child', search)
          const expected = records.filter((r) => matchesDirectorySearch(prepared, r)).map((r) => r.id)
          expect(await everyPage(store, s, 'child', search, limit)).toEqual(expected)
        }),
        { numRuns: Math.min(ctx.numRuns, 15) },
      )
    })
  })
}
