import { asInputError, AmountLocaleSchema, EcoleError, LocalDateSchema, ogm, pagoPa, parseInput, rf } from '@ecole/core'
import * as z from 'zod'
import { createFormatter, type Formatter } from './format'
import { checkPrintImage, ImageInputSchema, type ImageKind } from './images'
import { label, LanguageSchema, type Language } from './language'
import { Layout, type DocumentMeta } from './layout'
import { printable, printableProblem } from './printable'

/** One line of printed text: trimmed, not empty, at most `max` characters, and printable (see `printableProblem`). */
const line = (max: number) => printable(z.string().trim().min(1, 'must not be empty').max(max, `must have at most ${max} characters`))

/**
 * Schema of a person or body a document is addressed to: a name and up to six address lines,
 * each on one line and printable by the embedded fonts (no control character, no right-to-left
 * script, no character the fonts cannot draw: `printableProblem`).
 *
 * @example
 * PartySchema.parse({ name: 'Marie Dupont-Lefèvre', address: ['12 rue des Écoles', '75005 Paris'] })
 */
export const PartySchema = z.object({
  name: line(200),
  address: z.array(line(200)).max(6, 'must have at most 6 lines').default([]),
})
/**
 * A person or body a document is addressed to.
 *
 * @example
 * const payer: Party = { name: 'Marie Dupont', address: ['12 rue des Écoles', '75005 Paris'] }
 */
export type Party = z.output<typeof PartySchema>

/**
 * Schema of who issues a document: the site or establishment (name, identifiers such as a UAI
 * or an enterprise number), its billing office (name, address, contact, bank account), a logo
 * and a stamp (PNG or JPEG bytes). Every text is one line the embedded fonts can print
 * (`printableProblem`).
 *
 * @example
 * IssuerSchema.parse({ name: 'Commune de Montreuil-sur-Mer', billingOffice: { name: 'Régie périscolaire', address: ['Place de la Mairie'], iban: 'FR76 3000 6000 0112 3456 7890 189' } })
 */
export const IssuerSchema = z.object({
  name: line(200),
  identifiers: z.array(line(100)).max(4).default([]),
  billingOffice: z.object({
    name: line(70),
    address: z.array(line(200)).max(6).default([]),
    email: line(200).optional(),
    phone: line(50).optional(),
    iban: line(42).optional(),
    bic: line(11).optional(),
    creditorId: line(35).optional(),
  }),
  logo: ImageInputSchema.optional(),
  stamp: ImageInputSchema.optional(),
  signatory: line(200).optional(),
})
/**
 * Who issues a document.
 *
 * @example
 * const issuer: Issuer = IssuerSchema.parse({ name: 'École Saint-Joseph', billingOffice: { name: 'Régie' } })
 */
export type Issuer = z.output<typeof IssuerSchema>

/**
 * The fields every document request has: its language and, optionally, how amounts are written.
 *
 * @example
 * DocumentBaseSchema.parse({ language: 'fr', printedOn: '2027-01-04', issuer: { name: 'École', billingOffice: { name: 'Régie' } } })
 */
export const DocumentBaseSchema = z.object({
  language: LanguageSchema,
  amountLocale: AmountLocaleSchema.optional(),
  issuer: IssuerSchema,
  printedOn: LocalDateSchema,
})

/**
 * A positive or zero bigint of minor units.
 *
 * @example
 * minorSchema.parse(415n) //=> 415n
 */
export const minorSchema = z.bigint({ error: 'must be an amount in minor units (a bigint)' })

/**
 * Parses a request with its schema, checks the language first (so an unknown language is named
 * as such) and the images, all before a single byte is written.
 *
 * @throws EcoleError `INVALID_INPUT` naming the field.
 *
 * @example
 * const request = parseRequest(InvoiceRequestSchema, input, 'invoice')
 */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  if (typeof input === 'object' && input !== null && 'language' in input) {
    parseInput(LanguageSchema, (input as { language: unknown }).language, `${subject}.language`)
  }
  const parsed = parseInput(schema, input, subject)
  const issuer = (parsed as { issuer?: Issuer }).issuer
  if (issuer?.logo) checkPrintImage(issuer.logo, 'siteLogo', `${subject}.issuer.logo`)
  if (issuer?.stamp) checkPrintImage(issuer.stamp, 'schoolStamp', `${subject}.issuer.stamp`)
  return parsed
}

/**
 * A document being written: the page writer, the formatter, the language.
 *
 * @example
 * const { layout, f, lang } = openDraft(request, { title: 'Facture F1' })
 */
export interface Draft {
  /** The page writer. */
  layout: Layout
  /** Dates and amounts. */
  f: Formatter
  /** The language. */
  lang: Language
}

const LANG_TAG: Record<Language, string> = { fr: 'fr-FR', en: 'en-GB', it: 'it-IT', nl: 'nl-BE' }

/**
 * Opens a document with its metadata.
 *
 * @example
 * const draft = openDraft(request, { title: 'Facture F2027-000001', pdfA: true })
 */
export function openDraft(base: z.output<typeof DocumentBaseSchema>, meta: Omit<DocumentMeta, 'lang' | 'author' | 'created'> & { author?: string }): Draft {
  const f = createFormatter(base.language, base.amountLocale)
  const [y, m, d] = base.printedOn.split('-').map(Number) as [number, number, number]
  const layout = new Layout(
    { ...meta, author: meta.author ?? base.issuer.billingOffice.name, lang: LANG_TAG[base.language], created: new Date(Date.UTC(y, m - 1, d, 12)) },
    base.language,
  )
  return { layout, f, lang: base.language }
}

/** Which image kind the bytes are (already checked). */
function kindOf(bytes: Uint8Array): ImageKind {
  return bytes[0] === 0x89 ? 'png' : 'jpeg'
}

/**
 * Writes the header every document shares: the logo at the top left, the issuer's name and
 * billing office with its address and contact beside it, and the title block on the right.
 *
 * @example
 * drawHeader(draft, issuer, 'Facture F2027-000001', [['Date', '4 janvier 2027']])
 */
export function drawHeader(draft: Draft, issuer: Issuer, title: string, facts: ReadonlyArray<readonly [string, string]>): void {
  const { layout: l } = draft
  const top = l.y
  let x = l.left
  if (issuer.logo) {
    void kindOf(issuer.logo.bytes)
    l.doc.image(Buffer.from(issuer.logo.bytes.buffer, issuer.logo.bytes.byteOffset, issuer.logo.bytes.byteLength), l.left, top, { fit: [70, 60] })
    x += 80
  }
  const leftWidth = 250 - (x - l.left)
  l.y = top
  l.text(issuer.name, { x, width: leftWidth, bold: true, size: 11 })
  l.text(issuer.billingOffice.name, { x, width: leftWidth, size: 9 })
  for (const a of issuer.billingOffice.address) l.text(a, { x, width: leftWidth, size: 8.5, muted: true })
  const contact = [issuer.billingOffice.phone, issuer.billingOffice.email].filter((s): s is string => s !== undefined)
  if (contact.length > 0) l.text(contact.join(' · '), { x, width: leftWidth, size: 8.5, muted: true })
  for (const id of issuer.identifiers) l.text(id, { x, width: leftWidth, size: 8.5, muted: true })
  const leftBottom = Math.max(l.y, top + (issuer.logo ? 62 : 0))
  l.y = top
  const rx = l.left + 290
  l.text(title, { x: rx, width: l.right - rx, bold: true, size: 15 })
  l.gap(2)
  l.fields(facts, { x: rx, labelWidth: 100 })
  l.y = Math.max(l.y, leftBottom) + 10
}

/**
 * Writes an address block (the window of an envelope) at the right.
 *
 * @example
 * drawAddressee(draft, { name: 'Marie Dupont', address: ['12 rue des Écoles'] }, 'Redevable')
 */
export function drawAddressee(draft: Draft, party: Party, caption?: string): void {
  const { layout: l } = draft
  const rx = l.left + 290
  if (caption) l.text(caption, { x: rx, size: 8, muted: true })
  l.text(party.name, { x: rx, bold: true, size: 10 })
  for (const a of party.address) l.text(a, { x: rx, size: 9.5 })
  l.gap(12)
}

/**
 * Draws the signatory's name and the stamp image (cachet) at the cursor, right side, together on one page.
 *
 * @example
 * drawStamp(draft, issuer)
 */
export function drawStamp(draft: Draft, issuer: Issuer): void {
  const { layout: l } = draft
  // the signatory's name and the stamp stay on one page
  if (issuer.stamp) l.ensure((issuer.signatory ? l.lineHeight(9) : 0) + 90)
  if (issuer.signatory) l.text(issuer.signatory, { x: l.left + 300, size: 9 })
  if (!issuer.stamp) return
  l.ensure(90)
  const b = issuer.stamp.bytes
  l.doc.image(Buffer.from(b.buffer, b.byteOffset, b.byteLength), l.left + 300, l.y, { fit: [120, 80] })
  l.gap(86)
}

/**
 * A payment reference in its printed form: OGM `+++123/4567/89002+++`, RF in groups of four, pagoPA notice in groups.
 *
 * @example
 * printedReference('123456789002') //=> { scheme: 'ogm', text: '+++123/4567/89002+++' }
 */
export function printedReference(reference: string): { scheme: 'ogm' | 'rf' | 'pagoPa' | 'other'; text: string } {
  try {
    if (/^RF/i.test(reference.trim()) && rf.isValid(reference)) return { scheme: 'rf', text: rf.format(reference) }
    if (ogm.isValid(reference)) return { scheme: 'ogm', text: ogm.format(reference) }
    if (pagoPa.isValidNotice(reference)) return { scheme: 'pagoPa', text: pagoPa.formatNotice(reference) }
    return { scheme: 'other', text: reference }
  } catch (error) {
    throw asInputError(error, 'printedReference', { reference: [reference, 'string', 'a payment reference'] })
  }
}

/**
 * A file name safe on every file system.
 *
 * @example
 * safeFileName('invoice', 'F2027/000001') //=> 'invoice-F2027_000001.pdf'
 */
export function safeFileName(...parts: string[]): string {
  return `${parts
    .join('-')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_+/g, '_')}.pdf`
}

/**
 * The name `names` gives `id`. Throws `INVALID_INPUT` naming `field` when `id` has no entry in
 * `names`, and naming the entry (`invoice.names.k1`) when its name cannot be printed (a control
 * character, a right-to-left script, a character the fonts cannot draw: `printableProblem`). Only
 * the names a document prints are checked: a directory's whole list of names may come with each
 * request.
 *
 * `field` is the record's path, optionally followed by what the id was read from in parentheses:
 * `invoice.names (invoice.lines.0.beneficiaryId)`.
 *
 * @example
 * nameOf({ k1: 'Léa' }, 'k1', 'invoice.names') //=> 'Léa'
 * nameOf({ k1: '王小明' }, 'k1', 'invoice.names (invoice.lines.0.beneficiaryId)')
 * // throws '[ecole] invoice.names.k1: cannot print U+738B 王: ... (the name of invoice.lines.0.beneficiaryId)'
 */
export function nameOf(names: Readonly<Record<string, string>>, id: string, field: string): string {
  const n = Object.hasOwn(names, id) ? names[id] : undefined
  if (n === undefined) throw new EcoleError('INVALID_INPUT', `${field}: no name given for ${JSON.stringify(id)}`, { details: { field, id } })
  const m = /^(\S+) \((.+)\)$/.exec(field)
  const problem = printableProblem(n)
  if (problem !== undefined) throw EcoleError.invalidInput(`${m ? m[1] : field}.${id}`, m ? `${problem} (the name of ${m[2]})` : problem, { id })
  return n
}

/**
 * The label of the "page n / m" text, for tests.
 *
 * @example
 * pageLabel('nl', 2, 3) //=> 'Pagina 2 / 3'
 */
export const pageLabel = (lang: Language, n: number, m: number): string => label(lang, 'page', { n, m })
