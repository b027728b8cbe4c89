import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { XmlSchemaFile } from '../xml/validate-xml'

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-fixtures/pes')

/** The schema files as the XSDs import each other: the stand-in root, the official recette fragments, the stand-in commons. */
export function pesSchemaFiles(): { main: XmlSchemaFile; others: XmlSchemaFile[] } {
  const read = (p: string) => fs.readFileSync(path.join(fixtures, p), 'utf8')
  return {
    main: { fileName: 'PES_Aller_ORMC.xsd', contents: read('standin/PES_Aller_ORMC.xsd') },
    others: [
      { fileName: 'PES_V2/Class_SchemasCommuns.xsd', contents: read('standin/Class_SchemasCommuns.xsd') },
      { fileName: 'PES_V2/NS_Recette/r0/Class_TiersRecette.xsd', contents: read('official/PES_V2/NS_Recette/r0/Class_TiersRecette.xsd') },
      { fileName: 'PES_V2/NS_Recette/r0/CommunRecette.xsd', contents: read('official/PES_V2/NS_Recette/r0/CommunRecette.xsd') },
    ],
  }
}

/** Runs Debian's `xmllint --schema` on a document, with the same files laid out in a temporary directory. */
export function debianXmllint(xml: string): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecole-pes-'))
  try {
    const { main, others } = pesSchemaFiles()
    for (const f of [main, ...others]) {
      fs.mkdirSync(path.dirname(path.join(dir, f.fileName)), { recursive: true })
      fs.writeFileSync(path.join(dir, f.fileName), f.contents)
    }
    fs.writeFileSync(path.join(dir, 'document.xml'), xml)
    const r = spawnSync('xmllint', ['--noout', '--schema', path.join(dir, main.fileName), path.join(dir, 'document.xml')], { encoding: 'utf8' })
    if (r.error) throw r.error
    return { status: r.status, output: `${r.stdout}${r.stderr}` }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
