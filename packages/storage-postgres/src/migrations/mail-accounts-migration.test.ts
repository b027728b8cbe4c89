import { MailAccountSchema } from '@ecole/core'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { pgliteDatabase } from '../driver'
import { runMigrations } from '../migrate'
import { createPostgresStorage } from '../postgres-storage'
import { MIGRATIONS } from './index'

describe('migration 19: mail accounts become records of the directory', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it('keeps a mail account stored by the messaging port before it, readable through the directory after it', async () => {
    const db = pgliteDatabase(pglite, false)
    await runMigrations(db, MIGRATIONS.filter((m) => m.version < 19))
    const account = MailAccountSchema.parse({ kind: 'establishment', id: 'secretariat', siteId: 's1', name: 'Secrétariat', address: 'secretariat@lycee.fr', senderName: 'Secrétariat', authorisedUserIds: ['u1'] })
    // the row as the messaging port wrote it (kind 'mailAccount')
    await pglite.query(`INSERT INTO ecole_records (site_id, kind, id, body) VALUES ('s1', 'mailAccount', 'secretariat', $1::jsonb)`, [JSON.stringify(account)])
    expect((await runMigrations(db, MIGRATIONS.filter((m) => m.version <= 19))).applied).toEqual([19])
    const storage = await createPostgresStorage({ pglite, migrate: false })
    expect(await storage.directory!.getDirectoryRecord('s1', 'mailAccount', 'secretariat')).toEqual(account)
    expect((await pglite.query(`SELECT count(*)::int AS n FROM ecole_records WHERE kind = 'mailAccount'`)).rows).toEqual([{ n: 0 }])
  })
})
