/**
 * The purchases port: supplier invoices a site received (Italian "fatture passive" read from
 * FatturaPA files) and every file received, kept as it came for the audit trail. Types only.
 *
 * Contract: every method takes `siteId` first.
 * - **Files are idempotent on their content**: (site, sha256) is unique; receiving the same bytes
 *   again returns `exists` and changes nothing, so two imports of one file at the same time store
 *   it once.
 * - **Purchases are idempotent on their id** (the adapter does not compute it: the reader derives
 *   it from the supplier, the document type, number and date): creating one whose id exists with
 *   the same content returns `exists`; with other content it fails with `IDEMPOTENCY_CONFLICT`,
 *   `details.fields` naming the differing fields. Purchases are never updated or deleted.
 *
 * @module
 */
import type { CurrencyCode } from '../money'
import type { LocalDate } from '../time'
import type { Page, PageRequest } from './storage'

/** An amount posted on a purchase, in minor units. */
export interface PurchaseAmount {
  /** Minor units (cents). */
  minor: bigint
  /** ISO 4217 currency. */
  currency: CurrencyCode
}

/** A party of a purchase (the supplier). */
export interface PurchaseParty {
  /** Its VAT number with the country prefix (`IT01234567890`), when it has one. */
  vatNumber: string | null
  /** Its fiscal code (codice fiscale), when given. */
  fiscalCode: string | null
  /** Its name (company name, or first and last name). */
  name: string
}

/** One line of a purchase (DettaglioLinee). Quantities and prices keep the file's decimals. */
export interface PurchaseLine {
  /** Line number in the document. */
  number: number
  /** What was bought. */
  description: string
  /** Quantity, as a decimal string (absent for a flat amount). */
  quantity: string | null
  /** Unit of measure. */
  unit: string | null
  /** Unit price, as a decimal string (up to 8 decimals). */
  unitPrice: string
  /** Line total before VAT, as a decimal string (2 to 8 decimals). */
  total: string
  /** VAT rate in percent, as a decimal string (`22.00`; `0.00` with a nature code). */
  vatRate: string
  /** Why no VAT (N1..N7 codes), when the rate is zero. */
  nature: string | null
}

/** One line of the VAT summary (DatiRiepilogo). */
export interface PurchaseVatSummary {
  /** VAT rate in percent, as a decimal string. */
  vatRate: string
  /** Why no VAT, when the rate is zero. */
  nature: string | null
  /** Taxable amount. */
  taxable: PurchaseAmount
  /** VAT. */
  tax: PurchaseAmount
  /** When VAT is due: `I` immediately, `D` deferred, `S` split payment. */
  chargeability: string | null
}

/** One instalment of the payment terms (DettaglioPagamento). */
export interface PurchasePaymentDetail {
  /** Payment method code (MP01 cash, MP05 transfer, MP19 SEPA direct debit...). */
  method: string
  /** Due date, when given. */
  dueDate: LocalDate | null
  /** Amount. */
  amount: PurchaseAmount
  /** IBAN to pay to, when given. */
  iban: string | null
}

/** Payment terms of a purchase (DatiPagamento): TP01 instalments, TP02 in full, TP03 advance. */
export interface PurchasePaymentTerms {
  /** TP01, TP02 or TP03. */
  condition: string
  /** The instalments. */
  details: PurchasePaymentDetail[]
}

/**
 * A supplier invoice accepted into a site's purchases: one body of a FatturaPA file.
 *
 * @example
 * const p: Purchase = { id: 'IT01234567890|TD01|123|2014-12-18', fileSha256: 'ab12...', bodyIndex: 0, format: 'FPR12',
 *   supplier: { vatNumber: 'IT01234567890', fiscalCode: null, name: 'SOCIETA ALPHA SRL' }, number: '123', date: '2014-12-18',
 *   documentType: 'TD01', currency: 'EUR', lines: [], vatSummary: [], total: { minor: 3660n, currency: 'EUR' }, paymentTerms: [],
 *   receivedAt: '2027-01-18T08:00:00.000Z', signer: null }
 */
export interface Purchase {
  /** Supplier, document type, number and date: what makes a purchase unique in a site. */
  id: string
  /** The file it was read from (see {@link ReceivedInvoiceFile}). */
  fileSha256: string
  /** Which body of the file (from 0). */
  bodyIndex: number
  /** FPA12 (public administration) or FPR12 (private). */
  format: 'FPA12' | 'FPR12'
  /** Who issued it (CedentePrestatore). */
  supplier: PurchaseParty
  /** The supplier's document number. */
  number: string
  /** Document date. */
  date: LocalDate
  /** TipoDocumento, TD01..TD29. */
  documentType: string
  /** Currency of the document. */
  currency: CurrencyCode
  /** The lines. */
  lines: PurchaseLine[]
  /** The VAT summary. */
  vatSummary: PurchaseVatSummary[]
  /** ImportoTotaleDocumento, or the sum of the VAT summary when the file does not state it. */
  total: PurchaseAmount
  /** Payment terms. */
  paymentTerms: PurchasePaymentTerms[]
  /** When the file was received (ISO 8601 instant). */
  receivedAt: string
  /** Who signed the envelope, for a `.p7m` file (common name), else `null`. */
  signer: string | null
}

/** What became of a received file. */
export type ReceivedFileOutcome =
  | { kind: 'accepted'; purchaseIds: string[] }
  | { kind: 'refused'; code: string; message: string }

/**
 * A file received for a site, kept byte for byte with what became of it.
 *
 * @example
 * const f: ReceivedInvoiceFile = { sha256: 'ab12...', fileName: 'IT01234567890_FPR01.xml', contentBase64: 'PD94...', receivedAt: '2027-01-18T08:00:00.000Z',
 *   outcome: { kind: 'refused', code: 'OPTION_OFF', message: 'supplier e-invoices are off for this site' } }
 */
export interface ReceivedInvoiceFile {
  /** SHA-256 of the bytes, hex: what receiving is idempotent on. */
  sha256: string
  /** The file name as received. */
  fileName: string
  /** The bytes, base64. */
  contentBase64: string
  /** When it was received (ISO 8601 instant). */
  receivedAt: string
  /** Accepted (with its purchases) or refused (with a code). */
  outcome: ReceivedFileOutcome
}

/**
 * Persistence of purchases and received files. See the module contract above.
 *
 * @example
 * if ((await store.createReceivedFile('site-1', file)) === 'exists') return // already received
 */
export interface PurchaseStore {
  /**
   * Keeps a received file; `exists` (and no change) when a file with its SHA-256 was kept before.
   *
   * @example
   * await store.createReceivedFile('site-1', file) //=> 'created'
   */
  createReceivedFile(siteId: string, file: ReceivedInvoiceFile): Promise<'created' | 'exists'>
  /**
   * The received file with that SHA-256, if any.
   *
   * @example
   * (await store.getReceivedFile('site-1', sha256))?.outcome.kind //=> 'accepted'
   */
  getReceivedFile(siteId: string, sha256: string): Promise<ReceivedInvoiceFile | undefined>
  /**
   * Received files, ordered by SHA-256, a page at a time.
   *
   * @example
   * await store.listReceivedFiles('site-1', { limit: 50 })
   */
  listReceivedFiles(siteId: string, page?: PageRequest): Promise<Page<ReceivedInvoiceFile>>
  /**
   * Creates a purchase; `exists` when its id exists with the same content, `IDEMPOTENCY_CONFLICT`
   * when with other content (`receivedAt` aside).
   *
   * @example
   * await store.createPurchase('site-1', purchase) //=> 'created'
   */
  createPurchase(siteId: string, purchase: Purchase): Promise<'created' | 'exists'>
  /**
   * The purchase of that id, if any.
   *
   * @example
   * (await store.getPurchase('site-1', 'IT01234567890|TD01|123|2014-12-18'))?.total //=> { minor: 3660n, currency: 'EUR' }
   */
  getPurchase(siteId: string, id: string): Promise<Purchase | undefined>
  /**
   * Purchases, ordered by id, a page at a time.
   *
   * @example
   * await store.listPurchases('site-1', { limit: 50 })
   */
  listPurchases(siteId: string, page?: PageRequest): Promise<Page<Purchase>>
}
