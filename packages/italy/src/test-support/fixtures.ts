import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { validateXML } from 'xmllint-wasm'

const root = fileURLToPath(new URL('../../fixtures/', import.meta.url))

/** The bytes of a fixture file (`fatturapa/IT01234567890_FPR01.xml`). */
export function fixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(root + path))
}

/** The text of a fixture file. */
export function fixtureText(path: string): string {
  return readFileSync(root + path, 'utf8')
}

const schema = { fileName: 'Schema_del_file_xml_FatturaPA_v1.2.2.xsd', contents: fixtureText('xsd/Schema_del_file_xml_FatturaPA_v1.2.2.xsd') }
const dsig = { fileName: 'xmldsig-core-schema.xsd', contents: fixtureText('xsd/xmldsig-core-schema.xsd') }

/** Validates FatturaPA XML documents against the 1.2.2 schema (xmllint compiled to WebAssembly); the errors, none when valid. */
export async function xsdErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'invoice.xml', contents: xml }], schema: [schema], preload: [dsig] })
  return result.valid ? [] : result.errors.map((e) => e.message)
}
