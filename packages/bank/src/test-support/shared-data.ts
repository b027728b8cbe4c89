import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { XmlDocument, XsdValidator } from 'libxml2-wasm'

/**
 * `../shared/data` relative to the repository root, when present (CI and developer machines), or
 * one level higher for a git worktree kept in a folder beside the checkout.
 */
export const SHARED_DATA = [
  fileURLToPath(new URL('../../../../../shared/data/', import.meta.url)),
  fileURLToPath(new URL('../../../../../../shared/data/', import.meta.url)),
].find((p) => existsSync(p)) ?? fileURLToPath(new URL('../../../../../shared/data/', import.meta.url))

/** Whether the shared data folder is there; tests that need it skip (saying why) when it is not. */
export const hasSharedData = existsSync(SHARED_DATA)

if (!hasSharedData) console.log(`[@ecole/bank tests] ${SHARED_DATA} is absent: tests on official schemas and sample bank files are skipped`)

/** A file of the shared data folder, as text. */
export function sharedText(path: string, encoding: BufferEncoding = 'utf8'): string {
  return readFileSync(`${SHARED_DATA}${path}`, encoding)
}

/** A file of the shared data folder, as bytes. */
export function sharedBytes(path: string): Uint8Array {
  return readFileSync(`${SHARED_DATA}${path}`)
}

const validators = new Map<string, XsdValidator>()

/**
 * The problems libxml2 finds when validating `xml` against the official ISO 20022 schema
 * `iso20022/<version>.xsd` (an empty list when valid).
 */
export function xsdProblems(xml: string, version: string): string[] {
  return problemsAgainst(xml, `iso20022/${version}`, () => sharedText(`iso20022/${version}.xsd`))
}

/** The problems libxml2 finds when validating `xml` against the schema file at `url` (an empty list when valid). */
export function xsdFileProblems(xml: string, url: URL): string[] {
  return problemsAgainst(xml, url.href, () => readFileSync(url, 'utf8'))
}

function problemsAgainst(xml: string, key: string, schemaText: () => string): string[] {
  let validator = validators.get(key)
  if (validator === undefined) {
    const schemaDoc = XmlDocument.fromString(schemaText())
    validator = XsdValidator.fromDoc(schemaDoc)
    schemaDoc.dispose()
    validators.set(key, validator)
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
