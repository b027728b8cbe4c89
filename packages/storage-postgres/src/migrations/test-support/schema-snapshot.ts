// Writes src/migrations/schema.sql: the catalogue of a fresh PGlite database after every migration.
// Run with `npm run schema:snapshot` after adding a migration; a test checks the file is current.
import { writeFileSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { pgliteDatabase } from '../../driver'
import { runMigrations } from '../../migrate'
import { schemaCatalogue } from './catalogue'

const pglite = await PGlite.create()
await runMigrations(pgliteDatabase(pglite, false))
const text = await schemaCatalogue(async (sql) => (await pglite.query<Record<string, unknown>>(sql)).rows)
writeFileSync(new URL('../schema.sql', import.meta.url), text)
await pglite.close()
console.log(`src/migrations/schema.sql: ${text.split('\n').length} lines`)
