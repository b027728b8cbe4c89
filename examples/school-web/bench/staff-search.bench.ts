/**
 * Searching the families by name on a site of 50,000 children (issue 18: "a site of 50,000
 * children stays fast"), through the host (routing, session, the can() gate, the store's indexed
 * search, rendering), on the PostgreSQL server of ECOLE_PG_URL. Baselines in the same run: the
 * staff home page (same middleware, no list), and a household's guardians found the way the page
 * did before (paging every guardian and keeping the household's). The site is built once per
 * database (50,000 children, 30,000 guardians, 20,000 households) and reused.
 */
import { ChildSchema, GuardianSchema, HouseholdSchema } from '@ecole/core'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, bench, describe } from 'vitest'
import { guardiansOf } from '../src/staff/people'
import { Client, host, smallSite } from '../test/staff/support'

const url = process.env['ECOLE_PG_URL']
const SITE = 'staff-search-50k'
const CHILDREN = 50_000
const GUARDIANS = 30_000
const HOUSEHOLDS = 20_000
const LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Lefebvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet', "D'Angelo", 'Le Goff', 'Nguyen', 'Traoré', 'Diallo', 'Benali', 'Haddad', 'Öztürk', 'Müller', 'Schmitt']
const FIRST = ['Léa', 'Hugo', 'Emma', 'Louis', 'Chloé', 'Gabriel', 'Inès', 'Raphaël', 'Jade', 'Arthur', 'Louise', 'Jules', 'Alice', 'Adam', 'Lina', 'Maël', 'Rose', 'Lucas', 'Anna', 'Noah', 'Éloïse', 'Paul', 'Mila', 'Tom', 'Zoé', 'Sacha', 'Giulia', 'Matteo', 'Sofia', 'Lorenzo']
const pick = <T>(list: readonly T[], i: number, salt: number): T => list[(i * 7919 + salt * 104729) % list.length]!
const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(5, '0')}`

describe.skipIf(!url)('searching the families of a 50,000-child site (PostgreSQL server)', async () => {
  const storage = await createPostgresStorage({ connectionString: url!, poolSize: 4 })
  if ((await storage.directory!.getDirectoryRecord(SITE, 'child', id('k', CHILDREN - 1))) === undefined) {
    const t0 = Date.now()
    await smallSite(storage, SITE)
    for (let from = 0; from < CHILDREN; from += 2_000) {
      await storage.transaction(SITE, async (tx) => {
        const d = tx.directory!
        for (let n = from; n < from + 2_000; n++) {
          if (n < HOUSEHOLDS) await d.putDirectoryRecord(SITE, 'household', HouseholdSchema.parse({ id: id('h', n), siteId: SITE, name: `Famille ${pick(LAST, n, 1)}` }))
          if (n < GUARDIANS) {
            await d.putDirectoryRecord(SITE, 'guardian', GuardianSchema.parse({ id: id('g', n), siteId: SITE, householdId: id('h', n % HOUSEHOLDS), firstName: pick(FIRST, n, 2), lastName: pick(LAST, n % HOUSEHOLDS, 1), attributes: {} }))
          }
          // three children only carry the rare name searched below
          const lastName = n % 16_000 === 7 ? 'Zyglowski' : pick(LAST, n % GUARDIANS % HOUSEHOLDS, 1)
          await d.putDirectoryRecord(SITE, 'child', ChildSchema.parse({
            id: id('k', n), siteId: SITE, firstName: pick(FIRST, n, 3), lastName, birthDate: '2018-03-01', guardians: [{ guardianId: id('g', n % GUARDIANS), relationship: 'mother' }],
            archived: n % 10 === 0 ? { on: '2026-07-04' } : null,
          }))
        }
      })
    }
    console.log(`[bench] built the 50,000-child site in ${Date.now() - t0} ms`)
  }
  const { ctx, app } = await host(storage, SITE)
  const secretary = new Client(app, ctx)
  await secretary.login('secretariat@jaures.example')
  afterAll(async () => {
    await storage.close()
  })
  // two words that begin a child's first and last names, as a secretary would type them
  const known = (await storage.directory!.getDirectoryRecord(SITE, 'child', 'k01234'))!
  const twoWords = `${known.lastName.slice(0, 3)} ${known.firstName.slice(0, 3)}`.toLowerCase()
  const expectOk = (r: { status: number; text: string }, text: string) => {
    if (r.status !== 200 || !r.text.includes(text)) throw new Error(`unexpected answer ${r.status}`)
  }

  bench('baseline: the staff home page (same session, gate and layout, no list)', async () => {
    const r = await secretary.get('/staff')
    if (r.status !== 200) throw new Error(String(r.status))
  }, { time: 3000 })
  bench('children list, active, first page of 50 (no name)', async () => {
    expectOk(await secretary.get('/staff/children'), '/staff/children/k00001')
  }, { time: 3000 })
  bench('children by a common name prefix ("mar": ~1 in 10)', async () => {
    expectOk(await secretary.get('/staff/children?q=mar'), 'Mar')
  }, { time: 3000 })
  bench('children by two words (the beginnings of a last and a first name), all states', async () => {
    expectOk(await secretary.get(`/staff/children?q=${encodeURIComponent(twoWords)}&archived=all`), known.firstName)
  }, { time: 3000 })
  bench('children by a rare name ("zyg": 3 of 50,000)', async () => {
    expectOk(await secretary.get('/staff/children?q=zyg&archived=all'), 'Zyglowski')
  }, { time: 3000 })
  bench('households by name, with the matching guardians ("dupont")', async () => {
    expectOk(await secretary.get('/staff/households?q=dupont'), 'Famille Dupont')
  }, { time: 3000 })
  bench("a household's guardians, read by household (searchDirectoryRecords)", async () => {
    if ((await guardiansOf(storage, SITE, 'h05000')).length !== 2) throw new Error('expected 2 guardians')
  }, { time: 3000 })
  bench("baseline: a household's guardians by paging every guardian (as the page did before)", async () => {
    const found = []
    let after: string | undefined
    do {
      const page = await storage.directory!.listDirectoryRecords(SITE, 'guardian', { limit: 1000, ...(after ? { after } : {}) })
      found.push(...page.items.filter((g) => g.householdId === 'h05000'))
      after = page.next
    } while (after)
    if (found.length !== 2) throw new Error('expected 2 guardians')
  }, { time: 3000, iterations: 3 })
})
