/**
 * The FatturaPA document types (TipoDocumento) an ordinary invoice file may carry, per the
 * technical specification (version 1.9, in force from April 2025): TD01..TD06 invoices, advances,
 * credit and debit notes and fees; TD16..TD28 reverse charge, self-invoicing and the operations
 * declared to the exchange system; TD29 the notice of an invoice that was not issued or was
 * irregular. TD07..TD15 do not exist in the ordinary format (TD07..TD09 are the simplified one).
 *
 * @example
 * FATTURAPA_DOCUMENT_TYPES.TD04 //=> 'nota di credito'
 */
export const FATTURAPA_DOCUMENT_TYPES = {
  TD01: 'fattura',
  TD02: 'acconto/anticipo su fattura',
  TD03: 'acconto/anticipo su parcella',
  TD04: 'nota di credito',
  TD05: 'nota di debito',
  TD06: 'parcella',
  TD16: 'integrazione fattura reverse charge interno',
  TD17: 'integrazione/autofattura per acquisto servizi dall\'estero',
  TD18: 'integrazione per acquisto di beni intracomunitari',
  TD19: 'integrazione/autofattura per acquisto di beni ex art.17 c.2 DPR 633/72',
  TD20: 'autofattura per regolarizzazione e integrazione delle fatture',
  TD21: 'autofattura per splafonamento',
  TD22: 'estrazione beni da Deposito IVA',
  TD23: 'estrazione beni da Deposito IVA con versamento dell\'IVA',
  TD24: 'fattura differita di cui all\'art.21, comma 4, lett. a)',
  TD25: 'fattura differita di cui all\'art.21, comma 4, terzo periodo lett. b)',
  TD26: 'cessione di beni ammortizzabili e per passaggi interni',
  TD27: 'fattura per autoconsumo o per cessioni gratuite senza rivalsa',
  TD28: 'acquisti da San Marino con IVA (fattura cartacea)',
  TD29: 'comunicazione per omessa o irregolare fatturazione',
} as const

/** A FatturaPA document type code. */
export type FatturaPADocumentType = keyof typeof FATTURAPA_DOCUMENT_TYPES

/**
 * Whether `code` is a document type of the ordinary FatturaPA format.
 *
 * @example
 * isFatturaPADocumentType('TD04') //=> true
 * isFatturaPADocumentType('TD07') //=> false
 */
export function isFatturaPADocumentType(code: string): code is FatturaPADocumentType {
  if (typeof code !== 'string') return false
  return Object.prototype.hasOwnProperty.call(FATTURAPA_DOCUMENT_TYPES, code)
}
