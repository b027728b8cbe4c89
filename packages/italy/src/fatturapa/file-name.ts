import { EcoleError } from '@ecole/core'

/** What a FatturaPA file name says. */
export interface FatturaPAFileName {
  /** ISO 3166-1 alpha-2 country of the transmitter (`IT`). */
  country: string
  /** The transmitter's identifier (VAT number or fiscal code), 2 to 28 characters. */
  transmitterId: string
  /** The progressive that makes the name unique, 1 to 5 alphanumeric characters. */
  progressive: string
  /** Whether the name ends in `.p7m` (a signed envelope). */
  signed: boolean
}

const NAME = /^([A-Z]{2})([A-Za-z0-9]{2,28})_([A-Za-z0-9]{1,5})\.(?:xml|XML)(\.p7m|\.P7M)?$/

/**
 * Reads a FatturaPA file name: `IT<id>_<progressive>.xml` or `.xml.p7m` (the exchange system's
 * naming rule: country code, the transmitter's identifier, an underscore, a progressive of at most
 * five alphanumeric characters).
 *
 * @example
 * parseFatturaPAFileName('IT01234567890_FPR01.xml') //=> { country: 'IT', transmitterId: '01234567890', progressive: 'FPR01', signed: false }
 * @throws EcoleError `FATTURAPA_FILE_NAME` when the name does not follow the rule.
 */
export function parseFatturaPAFileName(fileName: string): FatturaPAFileName {
  const m = typeof fileName === 'string' ? NAME.exec(fileName) : null
  if (!m) {
    throw new EcoleError('FATTURAPA_FILE_NAME', `fileName: ${typeof fileName === 'string' ? JSON.stringify(fileName) : fileName === null ? 'null' : `a value of type ${typeof fileName}`} is not a FatturaPA file name (IT<id>_<progressive>.xml or .xml.p7m, progressive of 1 to 5 letters or digits)`, {
      details: { field: 'fileName', fileName },
    })
  }
  return { country: m[1]!, transmitterId: m[2]!, progressive: m[3]!, signed: m[4] !== undefined }
}
