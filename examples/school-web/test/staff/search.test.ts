import type { DirectoryStore, StoragePorts } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { guardiansOf } from '../../src/staff/people'
import { searchSite } from './search-support'
import { Client, host, pgliteForFile } from './support'

// Searching the families by name in the back office (seed 001: find a household, a guardian, a
// child), through HTTP: the search runs in the storage a page at a time, accents and capitals do not
// matter, children are filtered by archive state, and a bad search is shown beside its field.
const db = pgliteForFile()
let site = 0

async function fresh() {
  const siteId = `staff-search-${++site}`
  await searchSite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const client = new Client(app, ctx)
  await client.login('secretariat@jaures.example')
  return { ctx, siteId, client }
}

// the records listed (not the list's own links: a new household, the information sheets of the children found)
const links = (html: string, prefix: string) => [...html.matchAll(new RegExp(`href="${prefix}([^"]+)">([^<]+)</a>`, 'g'))].filter((m) => m[1] !== 'new' && !m[1]!.startsWith('info-sheets?')).map((m) => `${decodeURIComponent(m[1]!)} ${m[2]}`)

describe('searching the families by name (seed 001)', () => {
  it('finds a household by the beginning of its name typed without accents, and the guardians whose name matches beside it', async () => {
    const { client } = await fresh()
    const page = await client.get('/staff/households?q=lefe')
    expect(page.status).toBe(200)
    expect(links(page.text, '/staff/households/')).toEqual(['h3 Famille Lefèvre'])
    expect(links(page.text, '/staff/guardians/')).toEqual(['g3 Hélène Lefèvre'])
    expect(page.text).toContain('value="lefe"')
  })

  it('finds a guardian of another household by first and last name from the households list', async () => {
    const { client } = await fresh()
    const page = await client.get('/staff/households?q=MARC+dup')
    expect(links(page.text, '/staff/households/')).toEqual([])
    expect(page.text).toContain('Aucun résultat.')
    expect(links(page.text, '/staff/guardians/')).toEqual(['g4 Marc Dupuis'])
  })

  it('lists every household, a page at a time, when nothing is searched', async () => {
    const { client } = await fresh()
    const first = await client.get('/staff/households?limit=2')
    expect(links(first.text, '/staff/households/')).toEqual(['h1 Foyer Martin', 'h2 Foyer Roux'])
    const next = first.text.match(/href="([^"]+)" rel="next"/)?.[1]?.replaceAll('&amp;', '&')
    expect(next).toBe('/staff/households?limit=2&after=h2')
    expect(links((await client.get(next!)).text, '/staff/households/')).toEqual(['h3 Famille Lefèvre'])
  })

  it('lists the active children by default, the archived ones or all when asked, searched by name', async () => {
    const { client } = await fresh()
    expect(links((await client.get('/staff/children')).text, '/staff/children/')).toEqual(['k1 Léo Martin', 'k3 Éloïse Lefèvre'])
    expect(links((await client.get('/staff/children?q=lefevre')).text, '/staff/children/')).toEqual(['k3 Éloïse Lefèvre'])
    const archived = await client.get('/staff/children?q=lefevre&archived=archived')
    expect(links(archived.text, '/staff/children/')).toEqual(['k4 Hugo Lefèvre'])
    expect(archived.text).toContain('<option value="archived" selected="">Archivés</option>')
    expect(links((await client.get('/staff/children?q=lef&archived=all')).text, '/staff/children/')).toEqual(['k3 Éloïse Lefèvre', 'k4 Hugo Lefèvre'])
  })

  it('pages the children found, the next page keeping the search', async () => {
    const { client } = await fresh()
    const first = await client.get('/staff/children?q=l&archived=all&limit=2')
    expect(links(first.text, '/staff/children/')).toEqual(['k1 Léo Martin', 'k3 Éloïse Lefèvre'])
    const next = first.text.match(/href="([^"]+)" rel="next"/)?.[1]?.replaceAll('&amp;', '&')
    expect(next).toBe('/staff/children?q=l&archived=all&limit=2&after=k3')
    expect(links((await client.get(next!)).text, '/staff/children/')).toEqual(['k4 Hugo Lefèvre'])
  })

  it('shows a search of more than five words beside its field, in the user\'s language, with what was typed', async () => {
    const { client } = await fresh()
    const r = await client.get('/staff/children?q=a+b+c+d+e+f')
    expect(r.status).toBe(400)
    expect(r.text).toContain('<span class="field-error" id="q-error" role="alert">Recherche : au plus 5 mots et 100 caractères.</span>')
    expect(r.text).toContain('aria-invalid="true"')
    expect(r.text).toContain('value="a b c d e f"')
    await client.post('/lang', { lang: 'it' })
    const it = await client.get('/staff/children?q=a+b+c+d+e+f')
    expect(it.text).toContain('Ricerca: al massimo 5 parole e 100 caratteri.')
    expect(it.text).toContain('<label for="q">Cerca per nome</label>')
  })

  it('shows the guardians of a household on its page, read by household rather than by paging every guardian', async () => {
    const { ctx, siteId, client } = await fresh()
    const page = await client.get('/staff/households/h3')
    expect(links(page.text, '/staff/guardians/')).toEqual(['g3 Hélène Lefèvre', 'g4 Marc Dupuis'])
    const listed: string[] = []
    const directory = ctx.storage.directory!
    const spy: DirectoryStore = Object.assign(Object.create(directory) as DirectoryStore, {
      listDirectoryRecords: ((s, kind, p) => (listed.push(kind), directory.listDirectoryRecords(s, kind, p))) as DirectoryStore['listDirectoryRecords'],
    })
    const ports = Object.assign(Object.create(ctx.storage) as StoragePorts, { directory: spy })
    expect((await guardiansOf(ports, siteId, 'h3')).map((g) => g.id)).toEqual(['g3', 'g4'])
    expect(listed).toEqual([])
  })
})
