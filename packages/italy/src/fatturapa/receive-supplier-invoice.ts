import { createHash } from 'node:crypto'
import { asInputError, EcoleError, isEcoleError, type Site } from '@ecole/core'
import type { Purchase, ReceivedFileOutcome, StoragePorts, StorageTransaction } from '@ecole/core/ports'
import * as z from 'zod'
import { parseFatturaPA, type FatturaPAFile } from './parse-fatturapa'

/**
 * Why a received file does not become purchases of the site:
 * - `OPTION_OFF`: the site's "supplier e-invoices" option is off (sites sharing a VAT number keep them apart);
 * - `SITE_HAS_NO_VAT_NUMBER`: the site has no VAT number to compare with;
 * - `NOT_ADDRESSED_TO_SITE`: CessionarioCommittente/DatiAnagrafici/IdFiscaleIVA is not the site's VAT number;
 * - `UNKNOWN_DOCUMENT_TYPE`: a body's TipoDocumento is not TD01..TD29;
 * - `NOT_FATTURAPA`: the file is not a readable FatturaPA invoice;
 * - `ENVELOPE_CORRUPT`: the `.p7m` envelope cannot be opened;
 * - `TAMPERED`: the signed content does not match its signature;
 * - `BAD_FILE_NAME`: the name is not `IT<id>_<progressive>.xml[.p7m]`;
 * - `DUPLICATE_INVOICE_IN_FILE`: two bodies of the file are one invoice (same type, number and date of one supplier);
 * - `ALREADY_RECEIVED_IN_ANOTHER_FILE`: a purchase with the same supplier, type, number and date came in another file.
 *
 * @example
 * const code: PurchaseRefusalCode = 'NOT_ADDRESSED_TO_SITE'
 */
export type PurchaseRefusalCode =
  | 'OPTION_OFF' | 'SITE_HAS_NO_VAT_NUMBER' | 'NOT_ADDRESSED_TO_SITE' | 'UNKNOWN_DOCUMENT_TYPE' | 'NOT_FATTURAPA' | 'ENVELOPE_CORRUPT' | 'TAMPERED'
  | 'BAD_FILE_NAME' | 'DUPLICATE_INVOICE_IN_FILE' | 'ALREADY_RECEIVED_IN_ANOTHER_FILE'

/** What {@link receiveSupplierInvoice} takes. */
export const ReceivedFileInputSchema = z.strictObject({
  /** The file name as received (checked against the FatturaPA naming rule). */
  fileName: z.string().min(1),
  /** The file's bytes, as received. */
  bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'must be the file\'s bytes (Uint8Array)'),
  /** When it was received (ISO 8601 instant). */
  receivedAt: z.iso.datetime({ offset: true }),
})
/** What {@link receiveSupplierInvoice} takes. */
export type ReceivedFileInput = z.input<typeof ReceivedFileInputSchema>

/** What became of a received file. */
export type ReceiveSupplierInvoiceResult =
  | {
    status: 'accepted'
    /** SHA-256 of the bytes (the key of the kept file). */
    fileSha256: string
    /** The purchase ids, one per invoice body. */
    purchaseIds: string[]
    /** True when this very file had been received before (nothing new was stored). */
    duplicate: boolean
  }
  | {
    status: 'refused'
    fileSha256: string
    /** Why. */
    code: PurchaseRefusalCode
    /** A sentence for the back office. */
    message: string
    duplicate: boolean
  }

type Decision = { kind: 'accept'; file: FatturaPAFile } | { kind: 'refuse'; code: PurchaseRefusalCode; message: string }

function normaliseVat(v: string): string {
  const s = v.replace(/[\s.-]/g, '').toUpperCase()
  return /^\d{11}$/.test(s) ? `IT${s}` : s
}

/**
 * Decides whether a parsed FatturaPA file belongs in the site's purchases: the option must be on
 * the envelope, if any, intact (a tampered file is refused whoever it is for), and the customer's VAT
 * number (IdFiscaleIVA) must be the site's (a site VAT number without a country prefix is taken
 * as Italian). The checks run in that order; the first that fails is the refusal.
 *
 * @example
 * acceptanceOf(site, file) //=> undefined (accepted) or { code: 'OPTION_OFF', message: '...' }
 */
export function acceptanceOf(site: Pick<Site, 'vatNumber' | 'options'>, file: FatturaPAFile): { code: PurchaseRefusalCode; message: string } | undefined {
  try {
    if (!site.options.supplierEInvoices) return { code: 'OPTION_OFF', message: 'supplier e-invoices are not shown for this site (its option is off)' }
    if (file.envelope && !file.envelope.intact) return { code: 'TAMPERED', message: `the signed content does not match its signature (${file.envelope.problem ?? 'signature check failed'})` }
    if (!site.vatNumber) return { code: 'SITE_HAS_NO_VAT_NUMBER', message: 'the site has no VAT number to receive supplier e-invoices under' }
    const to = file.customer.vatNumber
    if (to === null || normaliseVat(to) !== normaliseVat(site.vatNumber)) {
      return { code: 'NOT_ADDRESSED_TO_SITE', message: `the invoice is addressed to VAT number ${to ?? '(none)'}, not to the site's ${normaliseVat(site.vatNumber)}` }
    }
    return undefined
  } catch (error) {
    throw asInputError(error, 'acceptanceOf', { site: [site, 'object', 'the site ({ vatNumber, options })'], file: [file, 'object', 'a parsed FatturaPA file (from parseFatturaPA)'] })
  }
}

function refusalOf(e: unknown): { code: PurchaseRefusalCode; message: string } {
  if (isEcoleError(e, 'FATTURAPA_MALFORMED') && (e.details as { rule?: string }).rule === 'UNKNOWN_DOCUMENT_TYPE') return { code: 'UNKNOWN_DOCUMENT_TYPE', message: e.message }
  if (isEcoleError(e, 'FATTURAPA_ENVELOPE_CORRUPT')) return { code: 'ENVELOPE_CORRUPT', message: e.message }
  if (isEcoleError(e, 'FATTURAPA_FILE_NAME')) return { code: 'BAD_FILE_NAME', message: e.message }
  if (isEcoleError(e)) return { code: 'NOT_FATTURAPA', message: e.message }
  throw e
}

/**
 * The purchase id of a body: supplier (VAT number, else fiscal code), document type, number and date.
 *
 * @example
 * purchaseId(file, file.invoices[0]!) //=> 'IT01234567890|TD01|123|2014-12-18'
 */
export function purchaseId(file: FatturaPAFile, invoice: FatturaPAFile['invoices'][number]): string {
  try {
    return `${file.supplier.vatNumber ?? file.supplier.fiscalCode}|${invoice.documentType}|${invoice.number}|${invoice.date}`
  } catch (error) {
    throw asInputError(error, 'purchaseId', { file: [file, 'object', 'a parsed FatturaPA file (from parseFatturaPA)'], invoice: [invoice, 'object', 'one of its invoice bodies'] })
  }
}

function purchasesOf(file: FatturaPAFile, sha256: string, receivedAt: string): Purchase[] {
  return file.invoices.map((inv, bodyIndex) => ({
    id: purchaseId(file, inv), fileSha256: sha256, bodyIndex, format: file.format,
    supplier: { vatNumber: file.supplier.vatNumber, fiscalCode: file.supplier.fiscalCode, name: file.supplier.name },
    number: inv.number, date: inv.date, documentType: inv.documentType, currency: inv.currency, lines: inv.lines, vatSummary: inv.vatSummary,
    total: inv.total, paymentTerms: inv.paymentTerms, receivedAt, signer: file.envelope?.signer.commonName ?? null,
  }))
}

/** The first invoice a file carries twice (its id and the bodies, from 1), or undefined. */
function repeatedInvoice(purchases: readonly Purchase[]): { id: string; bodies: number[] } | undefined {
  const seen = new Map<string, number>()
  for (const p of purchases) {
    const first = seen.get(p.id)
    if (first !== undefined) return { id: p.id, bodies: [first + 1, p.bodyIndex + 1] }
    seen.set(p.id, p.bodyIndex)
  }
  return undefined
}

/**
 * Receives a supplier e-invoice file for a site: keeps the file byte for byte (once per content:
 * the same file received twice, even at the same time, is kept once), reads it, and when the site's
 * option is on and the invoice is addressed to the site's VAT number, stores one purchase per
 * invoice body (supplier, number, date, type, lines, VAT summary, total, payment terms). Otherwise
 * the file is kept with a coded refusal ({@link PurchaseRefusalCode}); nothing is lost. Anything
 * wrong with the file itself is a refusal, never an exception: a file carrying one invoice in two
 * bodies (same type, number and date) is refused whole with `DUPLICATE_INVOICE_IN_FILE`, and
 * receiving it again answers the same refusal.
 *
 * @example
 * const r = await receiveSupplierInvoice(storage, 'site-1', { fileName: 'IT01234567890_FPR01.xml', bytes, receivedAt: '2027-01-18T08:00:00Z' })
 * r.status //=> 'accepted'
 * @throws EcoleError `PORT_MISSING` (no directory or purchases port), `INVALID_INPUT` (bad input), `NOT_FOUND`-like
 * `INVALID_INPUT` when the site does not exist.
 */
export async function receiveSupplierInvoice(storage: StoragePorts, siteId: string, input: ReceivedFileInput): Promise<ReceiveSupplierInvoiceResult> {
  const parsed = ReceivedFileInputSchema.safeParse(input)
  if (!parsed.success) throw EcoleError.fromZod('INVALID_INPUT', parsed.error, 'received file')
  const { fileName, bytes, receivedAt } = parsed.data
  if (!storage.purchases || !storage.directory) {
    throw new EcoleError('PORT_MISSING', `receiveSupplierInvoice needs the ${storage.purchases ? 'directory' : 'purchases'} port of the storage`, { details: { port: storage.purchases ? 'directory' : 'purchases' } })
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  let decision: Decision
  try {
    const file = await parseFatturaPA(bytes, { fileName })
    decision = { kind: 'accept', file }
  } catch (e) {
    decision = { kind: 'refuse', ...refusalOf(e) }
  }
  return storage.transaction(siteId, async (tx: StorageTransaction) => {
    const site = await tx.directory!.getSite(siteId)
    if (!site) throw new EcoleError('INVALID_INPUT', `siteId: no site ${siteId}`, { details: { field: 'siteId' } })
    const stored = await tx.purchases!.getReceivedFile(siteId, sha256)
    if (stored) return resultOf(sha256, stored.outcome, true)
    let outcome: ReceivedFileOutcome
    if (decision.kind === 'refuse') {
      outcome = { kind: 'refused', code: decision.code, message: decision.message }
    } else {
      const refusal = acceptanceOf(site, decision.file)
      const purchases = refusal ? [] : purchasesOf(decision.file, sha256, receivedAt)
      const repeated = repeatedInvoice(purchases)
      const other = []
      if (repeated === undefined) {
        for (const p of purchases) {
          const existing = await tx.purchases!.getPurchase(siteId, p.id)
          if (existing && existing.fileSha256 !== sha256) other.push(p.id)
        }
      }
      if (refusal) outcome = { kind: 'refused', ...refusal }
      else if (repeated) {
        outcome = { kind: 'refused', code: 'DUPLICATE_INVOICE_IN_FILE', message: `bodies ${repeated.bodies.join(' and ')} of the file are one invoice (${repeated.id}: supplier, type, number and date): a file cannot carry an invoice twice` }
      } else if (other.length > 0) outcome = { kind: 'refused', code: 'ALREADY_RECEIVED_IN_ANOTHER_FILE', message: `already received in another file: ${other.join(', ')}` }
      else outcome = { kind: 'accepted', purchaseIds: purchases.map((p) => p.id) }
      if (outcome.kind === 'accepted') for (const p of purchases) await tx.purchases!.createPurchase(siteId, p)
    }
    const created = await tx.purchases!.createReceivedFile(siteId, { sha256, fileName, contentBase64: Buffer.from(bytes).toString('base64'), receivedAt, outcome })
    return resultOf(sha256, outcome, created === 'exists')
  })
}

function resultOf(sha256: string, outcome: ReceivedFileOutcome, duplicate: boolean): ReceiveSupplierInvoiceResult {
  return outcome.kind === 'accepted'
    ? { status: 'accepted', fileSha256: sha256, purchaseIds: outcome.purchaseIds, duplicate }
    : { status: 'refused', fileSha256: sha256, code: outcome.code as PurchaseRefusalCode, message: outcome.message, duplicate }
}
