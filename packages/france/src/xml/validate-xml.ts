import { validateXML } from 'xmllint-wasm'

/**
 * A schema file given to {@link validateXml}: its name (as the other files' `schemaLocation`
 * names it) and its text.
 *
 * @example
 * const f: XmlSchemaFile = { fileName: 'PES_V2/Rev0/PES_Aller.xsd', contents: xsdText }
 */
export interface XmlSchemaFile {
  /** Path the schemas import it by. */
  fileName: string
  /** The XSD text. */
  contents: string
}

/**
 * What {@link validateXml} found: valid only when the validator ran, loaded every schema and
 * reported no error.
 *
 * @example
 * const r: XmlValidation = { valid: false, errors: ['Element NatJur: this element is not expected.'] }
 */
export interface XmlValidation {
  /** True only when the document was checked and nothing was wrong. */
  valid: boolean
  /** The validator's messages, one per problem (a schema that cannot load is one). */
  errors: string[]
}

/**
 * Validates an XML document against an XSD (and the files it imports) with libxml2 compiled to
 * WebAssembly (`xmllint-wasm`: no native build).
 *
 * Rule (a lesson from an exporter that did otherwise): anything short of a clean run is a failure.
 * A schema that does not load, a validator that throws, a run that reports invalid without
 * messages: each returns `valid: false` with what is known, never success.
 *
 * @example
 * const r = await validateXml(xml, { main: { fileName: 'PES_Aller.xsd', contents: xsd }, others: imports })
 * if (!r.valid) console.error(r.errors.join('\n'))
 */
export async function validateXml(xml: string, schema: { main: XmlSchemaFile; others?: readonly XmlSchemaFile[] }): Promise<XmlValidation> {
  try {
    const result = await validateXML({
      xml: [{ fileName: 'document.xml', contents: xml }],
      schema: [schema.main],
      preload: [...(schema.others ?? [])],
      // the exporter's files can be large: up to 1 GiB
      maxMemoryPages: 16384,
    })
    const errors = result.errors.map((e) => e.rawMessage.trim()).filter((m) => m !== '')
    if (result.valid && errors.length === 0) return { valid: true, errors: [] }
    return { valid: false, errors: errors.length > 0 ? errors : [`validator reported the document invalid: ${result.rawOutput.trim() || 'no message'}`] }
  } catch (error) {
    return { valid: false, errors: [`validator did not run: ${error instanceof Error ? error.message : String(error)}`] }
  }
}
