import { NAME_FOLDS, foldName, nameWords } from '@ecole/core'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pgliteDatabase } from '../driver'
import { runMigrations } from '../migrate'
import { MIGRATIONS } from './index'

// One embedded database for the file (PGlite takes seconds to start).
let pglite: PGlite

beforeAll(async () => {
  pglite = await PGlite.create()
})
afterAll(async () => {
  await pglite.close()
})

describe('migration 0023: the directory searched by name', () => {
  it('folds every letter of core\'s NAME_FOLDS, every ASCII capital and combining accents exactly as foldName does', async () => {
    await pglite.exec('CREATE SCHEMA fold_test; SET search_path TO fold_test')
    await runMigrations(pgliteDatabase(pglite, false))
    const samples = [
      ...NAME_FOLDS.flatMap(([, letters]) => [...letters]),
      'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'Éloïse Lefèvre-Œuvray', 'E\u0301lodie', 'Straße', 'Ærø', 'Şişli Țară', 'Жанна', '李', "D'Angelo", 'x_%\\y',
    ]
    const { rows } = await pglite.query<{ folded: string }>('SELECT ecole_fold_name(t) AS folded FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n', [samples])
    expect(rows.map((r) => r.folded)).toEqual(samples.map(foldName))
  })

  it('splits names into the words nameWords gives', async () => {
    const names = ["Jean-Pierre D'Angelo", 'Marie  Dupont', 'Anne\u00a0Sophie (dite) Roux', 'Le Goff, Yann', 'A.B./C\u2019D', '  ', 'Lucie\tMartin']
    for (const name of names) {
      const { rows } = await pglite.query<{ w: string }>(`SELECT w FROM ecole_name_words('directory:household', jsonb_build_object('name', $1::text)) AS w ORDER BY w COLLATE "C"`, [name])
      expect(rows.map((r) => r.w), name).toEqual([...new Set(nameWords(name))].sort())
    }
  })

  it('indexes the households, guardians and children stored before it ran', async () => {
    await pglite.exec('CREATE SCHEMA backfill_test; SET search_path TO backfill_test')
    const db = pgliteDatabase(pglite, false)
    await runMigrations(db, MIGRATIONS.filter((m) => m.version < 23))
    await pglite.query(
      `INSERT INTO ecole_records (site_id, kind, id, body) VALUES
        ('s1', 'directory:household', 'h1', '{"name": "Famille Lefèvre"}'),
        ('s1', 'directory:child', 'c1', '{"firstName": "Léa", "lastName": "Dupont"}'),
        ('s1', 'directory:school', 'e1', '{"name": "École Jaurès"}')`,
    )
    await runMigrations(db)
    const { rows } = await pglite.query<{ kind: string; id: string; word: string }>('SELECT kind, id, word FROM ecole_directory_words ORDER BY kind, id, word COLLATE "C"')
    expect(rows.map((r) => `${r.kind}/${r.id}/${r.word}`)).toEqual(['directory:child/c1/dupont', 'directory:child/c1/lea', 'directory:household/h1/famille', 'directory:household/h1/lefevre'])
  })
})
