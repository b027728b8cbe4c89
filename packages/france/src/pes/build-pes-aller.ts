import { EcoleError, asInputError, checkOptions, describeValue, isEcoleError, parseInput, type Invoice, type OptionKinds } from '@ecole/core'
import { xmlAttr } from '../xml/xml-text'
import type { ExportWarning } from '../fec/fec-entries'
import { PesBordereauSchema, PesDebtorSchema, PesRegieSchema, type PesBordereauInput, type PesDebtorInput, type PesRegieInput } from './pes-settings'

/** Namespace of the `PES_Aller` root (PES V2, revision 0). */
export const PES_ALLER_NAMESPACE = 'http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller'

/**
 * What a title's check keys are computed from: the references the protocol's keys cover.
 *
 * @example
 * const ref: PesDebtReference = { collectivityCode: '001', year: 2027, bordereauNumber: 12, titleNumber: 431, period: '1', debtNumber: 'F2027-000431' }
 */
export interface PesDebtReference {
  /** CodCol. */
  collectivityCode: string
  /** Exer. */
  year: number
  /** IdBord. */
  bordereauNumber: number
  /** IdPce. */
  titleNumber: number
  /** Per. */
  period: string
  /** NumDette: the invoice number, whole (at most 15 characters, unique in the file). */
  debtNumber: string
}

/**
 * The check keys of one title (Cle1, Cle2), as the DGFiP's annex defines them.
 *
 * @example
 * const keys: PesCheckKeys = { cle1: '7', cle2: 'K' }
 */
export interface PesCheckKeys {
  /** Cle1. */
  cle1: string
  /** Cle2. */
  cle2: string
}

/**
 * An invoice to export as a title, with the reference of its PDF when the file should carry it
 * (PJRef: the PDF's unique id and file name; with `bytes`, the PDF itself goes in the PES_PJ block).
 *
 * @example
 * const t: PesTitleInput = { invoice, pdf: { id: 'inv-2027-000431', fileName: 'F2027-000431.pdf' } }
 */
export interface PesTitleInput {
  /** A validated invoice. */
  invoice: Invoice
  /** Its PDF, referenced (and embedded when `bytes` is given). */
  pdf?: { id: string; fileName: string; bytes?: Uint8Array | undefined } | undefined
}

/**
 * One title as written: which invoice, its number in the bordereau (IdPce), its amount and its keys
 * (the same values a payment slip printed on the invoice must carry).
 *
 * @example
 * const t: PesTitle = { invoiceId: 'inv-1', titleNumber: 431, debtNumber: 'F2027-000431', amountMinor: 7055n, keys: undefined }
 */
export interface PesTitle {
  /** The invoice. */
  invoiceId: string
  /** IdPce. */
  titleNumber: number
  /** NumDette: the invoice number, whole and unique in the file. */
  debtNumber: string
  /** MtHT, minor units. */
  amountMinor: bigint
  /** The keys written, when a key function was given. */
  keys: PesCheckKeys | undefined
}

/**
 * Options of {@link buildPesAller}.
 *
 * @example
 * const options: PesOptions = { checkKeys: (ref) => myAnnexKeys(ref) }
 */
export interface PesOptions {
  /**
   * Computes Cle1 and Cle2 as the DGFiP's annex specifies. The library does not ship one: the annex
   * could not be consulted when this was written (see docs/public-finance.md). Without it, the keys
   * are left out and a warning says so. When it throws, `buildPesAller` throws an `EcoleError`
   * (`INVALID_INPUT` naming `options.checkKeys` and the title, the function's error as `cause`; an
   * `EcoleError` it throws is passed on as it is).
   */
  checkKeys?: ((ref: PesDebtReference) => PesCheckKeys) | undefined
}

/**
 * A PES_Aller file: the XML, its UTF-8 bytes, the titles written, the bordereau's total, warnings.
 *
 * @example
 * const file: PesAllerFile = buildPesAller(regie, bordereau, titles, debtors)
 */
export interface PesAllerFile {
  /** The XML text. */
  xml: string
  /** The XML as UTF-8 bytes. */
  bytes: Uint8Array
  /** The titles, in the file's order. */
  titles: PesTitle[]
  /** MtBordHt: sum of the titles, minor units. */
  totalMinor: bigint
  /** What was truncated or left out. */
  warnings: ExportWarning[]
}

/**
 * The most characters a title's debt number (NumDette) holds. The invoice number is written there
 * whole: a longer one is refused, never cut (two numbers cut alike would be one debt for the
 * comptable public).
 */
const PES_DEBT_NUMBER_MAX = 15

const decimal = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`

/**
 * Free text (a name, an address, an object) of at most `max` characters, composed (NFC) first so a
 * name typed with decomposed accents is neither counted nor cut by its combining marks; a longer one
 * is cut, with a warning naming the field. Never used for an identifier: one is written whole or
 * refused.
 */
function fit(raw: string, max: number, ref: string, field: string, warnings: ExportWarning[]): string {
  const text = raw.normalize('NFC')
  if (text.length <= max) return text
  const chars = [...text]
  if (chars.length <= max) return text
  warnings.push({ code: 'TEXT_TRUNCATED', ref, message: `${field} is cut to ${max} characters: "${text}"` })
  return chars.slice(0, max).join('')
}

const PES_OPTION_KINDS: OptionKinds<PesOptions> = { checkKeys: 'function?' }

const KEY1 = /^\d$/
const KEY2 = /^[A-Z]$/

/**
 * Builds a PES V2 `PES_Aller` file of "titres de recettes" (ORMC: one individual title per
 * invoice) for a billing office configured as a public régie.
 *
 * Rules: every input is checked before any byte is written (a régie without its identifiers, a
 * bordereau without its numbers, an invoice that is a draft, not in euros, not positive, or given
 * twice, a debtor without a name or a full postal address: `EcoleError` naming the field). Titles
 * are numbered from `firstTitleNumber` in the order given. Each title's debt number (NumDette) is its
 * invoice number, whole: an identifier is never cut, so a number longer than 15 characters is
 * refused, and so are two titles of the file with the
 * same number or the same attachment id (each named). A value that is not what the library builds
 * (a total that is not a bigint, a `pdf` of `null`) is refused naming its field. Free text (names,
 * addresses, objects) leaves out the characters XML cannot carry and must still hold a character
 * (checked after, so `<Nom V=""/>` is never written); it is composed to NFC, then cut to the protocol's lengths with a `TEXT_TRUNCATED` warning. A family is a private person (CatTiers 01,
 * NatJur 01, TypTiers 01); no print code (`Edition`) is written, so the code reserved for public
 * debtors can never reach a family. The invoice's PDF is referenced in PJRef (support 01) and, when
 * its bytes are given, embedded in PES_PJ. The check keys come from `options.checkKeys`, computed
 * once per title; without it they are left out with a warning.
 *
 * @example
 * const file = buildPesAller(regie, { fileName: 'PES_2027_12.xml', year: 2027, number: 12, firstTitleNumber: 431,
 *   issueDate: '2027-02-01', period: '1' }, [{ invoice }], { 'g-1': { lastName: 'Dupont', firstName: 'Marie',
 *   address: { line: '3 rue des Écoles', postalCode: '75005', city: 'Paris' } } })
 * file.titles[0]?.titleNumber //=> 431
 * file.titles[0]?.debtNumber //=> invoice.number, e.g. 'F2027-000431'
 *
 * buildPesAller(regie, bordereau, [{ invoice: { ...invoice, number: 'CANTINE-2026-0000001' } }], debtors)
 * // throws EcoleError INVALID_INPUT: 'titles[0].invoice.number: invoice inv-1's number CANTINE-2026-0000001 has 20 characters; NumDette ... holds at most 15 ...'
 * @throws EcoleError `INVALID_INPUT` naming the field at fault, before anything is written (an
 * invoice number longer than 15 characters or given by two titles: `titles[i].invoice.number`, with
 * both invoices named); `options` is checked key by key (a misspelt `checkKey`, a `checkKeys` that
 * is not a function, options that are not an object are refused, never read as "no keys"); a
 * `checkKeys` that throws gives `INVALID_INPUT` naming `options.checkKeys` and the title, its error
 * as `cause`.
 */
export function buildPesAller(
  regieInput: PesRegieInput,
  bordereauInput: PesBordereauInput,
  titles: readonly PesTitleInput[],
  debtorsInput: Readonly<Record<string, PesDebtorInput>>,
  options: PesOptions = {},
): PesAllerFile {
  try {
    return pesAller(regieInput, bordereauInput, titles, debtorsInput, options)
  } catch (error) {
    throw asInputError(error, 'buildPesAller', {
      regie: [regieInput, 'object', 'the régie\'s identifiers'],
      bordereau: [bordereauInput, 'object', 'the bordereau'],
      titles: [titles, 'array', 'the invoices to send as titles'],
      debtors: [debtorsInput, 'object', 'the debtors, by guardian id'],
    })
  }
}

function pesAller(
  regieInput: PesRegieInput,
  bordereauInput: PesBordereauInput,
  titles: readonly PesTitleInput[],
  debtorsInput: Readonly<Record<string, PesDebtorInput>>,
  options: PesOptions,
): PesAllerFile {
  options = checkOptions<PesOptions>('buildPesAller', 'options', options, PES_OPTION_KINDS)
  const regie = parseInput(PesRegieSchema, regieInput, 'regie')
  const bord = parseInput(PesBordereauSchema, bordereauInput, 'bordereau')
  if (!Array.isArray(titles) || titles.length === 0) {
    throw new EcoleError('INVALID_INPUT', 'titles: a bordereau needs at least one title', { details: { field: 'titles' } })
  }
  if (bord.firstTitleNumber + titles.length - 1 > 99_999_999) {
    throw new EcoleError('INVALID_INPUT', 'bordereau.firstTitleNumber: the titles would number past 99,999,999', { details: { field: 'bordereau.firstTitleNumber' } })
  }
  const warnings: ExportWarning[] = []
  // 1. check everything
  const debtors = new Map<string, ReturnType<typeof PesDebtorSchema.parse>>()
  const seen = new Set<string>()
  // NumDette and the attachment's IdUnique identify a title for the comptable: each once in the file
  const debtNumberAt = new Map<string, number>()
  const pdfIdAt = new Map<string, number>()
  titles.forEach((t, i) => {
    const inv = t?.invoice
    const field = `titles[${i}].invoice`
    if (!inv || inv.status !== 'validated' || inv.number === null || inv.issueDate === null) {
      throw new EcoleError('INVALID_INPUT', `${field}.status: only a validated invoice becomes a title`, { details: { field: `${field}.status` } })
    }
    if (typeof inv.id !== 'string' || inv.id === '') throw new EcoleError('INVALID_INPUT', `${field}.id: must be the invoice's id, got ${describeValue(inv.id)}`, { details: { field: `${field}.id` } })
    if (seen.has(inv.id)) throw new EcoleError('INVALID_INPUT', `${field}.id: invoice ${inv.id} is given twice`, { details: { field: `${field}.id` } })
    seen.add(inv.id)
    if (inv.currency !== 'EUR') throw new EcoleError('INVALID_INPUT', `${field}.currency: a title is in euros, not ${inv.currency}`, { details: { field: `${field}.currency` } })
    if (typeof inv.totalMinor !== 'bigint') {
      throw new EcoleError('INVALID_INPUT', `${field}.totalMinor: must be the invoice's total in minor units as a bigint (415n for 4.15 EUR), got ${describeValue(inv.totalMinor)}`, { details: { field: `${field}.totalMinor` } })
    }
    if (inv.totalMinor <= 0n) throw new EcoleError('INVALID_INPUT', `${field}.totalMinor: a title must be positive (invoice ${inv.number} is ${decimal(inv.totalMinor)})`, { details: { field: `${field}.totalMinor` } })
    if (typeof inv.number !== 'string' || inv.number === '') throw new EcoleError('INVALID_INPUT', `${field}.number: must be the invoice's number`, { details: { field: `${field}.number` } })
    const number = inv.number
    const length = [...number].length
    if (length > PES_DEBT_NUMBER_MAX) {
      throw new EcoleError(
        'INVALID_INPUT',
        `${field}.number: invoice ${inv.id}'s number ${number} has ${length} characters; NumDette, the debt's number for the comptable public, holds at most ${PES_DEBT_NUMBER_MAX} and is never cut (two numbers cut alike would be one debt). ` +
          `Number the invoices the régie sends as titles with at most ${PES_DEBT_NUMBER_MAX} characters (a shorter prefix or fewer digits in the billing office's numbering)`,
        { details: { field: `${field}.number`, invoiceId: inv.id, number, maxLength: PES_DEBT_NUMBER_MAX } },
      )
    }
    const twin = debtNumberAt.get(number)
    if (twin !== undefined) {
      const other = titles[twin]!.invoice
      throw new EcoleError(
        'INVALID_INPUT',
        `${field}.number: invoices ${other.id} (titles[${twin}]) and ${inv.id} (titles[${i}]) both have the number ${number}; NumDette must tell each title of the file apart (invoices of two billing offices sharing one numbering cannot go in one bordereau)`,
        { details: { field: `${field}.number`, invoiceIds: [other.id, inv.id], number } },
      )
    }
    debtNumberAt.set(number, i)
    if (!debtors.has(inv.debtorId)) {
      const raw = Object.prototype.hasOwnProperty.call(debtorsInput ?? {}, inv.debtorId) ? debtorsInput[inv.debtorId] : undefined
      if (raw === undefined) throw new EcoleError('INVALID_INPUT', `debtors.${inv.debtorId}: invoice ${inv.number} is billed to ${inv.debtorId}, who is not among the debtors`, { details: { field: `debtors.${inv.debtorId}` } })
      debtors.set(inv.debtorId, parseInput(PesDebtorSchema, raw, `debtors.${inv.debtorId}`))
    }
    if (t.pdf !== undefined && (typeof t.pdf !== 'object' || t.pdf === null)) {
      throw new EcoleError('INVALID_INPUT', `titles[${i}].pdf: must be the PDF's reference ({ id, fileName, bytes? }) or absent, got ${describeValue(t.pdf)}`, { details: { field: `titles[${i}].pdf` } })
    }
    if (t.pdf !== undefined && t.pdf.bytes !== undefined && !(t.pdf.bytes instanceof Uint8Array)) {
      throw new EcoleError('INVALID_INPUT', `titles[${i}].pdf.bytes: must be the PDF's bytes (a Uint8Array) or absent, got ${describeValue(t.pdf.bytes)}`, { details: { field: `titles[${i}].pdf.bytes` } })
    }
    if (t.pdf !== undefined && (typeof t.pdf.id !== 'string' || !/^[\w.-]{1,50}$/.test(t.pdf.id) || typeof t.pdf.fileName !== 'string' || !/^[\w.-]{1,100}$/.test(t.pdf.fileName))) {
      throw new EcoleError('INVALID_INPUT', `titles[${i}].pdf: id (1-50) and fileName (1-100) are letters, digits, dots, dashes or underscores`, { details: { field: `titles[${i}].pdf` } })
    }
    if (t.pdf !== undefined) {
      const twinPdf = pdfIdAt.get(t.pdf.id)
      if (twinPdf !== undefined) {
        throw new EcoleError('INVALID_INPUT', `titles[${i}].pdf.id: titles[${twinPdf}] (invoice ${titles[twinPdf]!.invoice.id}) and titles[${i}] (invoice ${inv.id}) both reference the PDF ${t.pdf.id}; IdUnique must tell each title's attachment apart`, {
          details: { field: `titles[${i}].pdf.id`, invoiceIds: [titles[twinPdf]!.invoice.id, inv.id] },
        })
      }
      pdfIdAt.set(t.pdf.id, i)
    }
  })

  // 2. the titles and their keys, computed once each
  const written: PesTitle[] = titles.map((t, i) => {
    const inv = t.invoice
    const titleNumber = bord.firstTitleNumber + i
    // checked above: the whole invoice number, unique in the file
    const debtNumber = inv.number!
    let keys: PesCheckKeys | undefined
    if (options.checkKeys) {
      try {
        keys = options.checkKeys({ collectivityCode: regie.collectivityCode, year: bord.year, bordereauNumber: bord.number, titleNumber, period: bord.period, debtNumber })
      } catch (error) {
        if (isEcoleError(error)) throw error
        const message = `failed for title ${titleNumber} (invoice ${inv.id}): ${error instanceof Error ? `${String(error.name)}: ${String(error.message)}` : describeValue(error)}`
        throw new EcoleError('INVALID_INPUT', `buildPesAller: options.checkKeys ${message}`, {
          details: { function: 'buildPesAller', field: 'options.checkKeys', invoiceId: inv.id, issues: [{ path: 'options.checkKeys', code: 'custom', message }] },
          cause: error,
        })
      }
      if (!keys || !KEY1.test(keys.cle1) || !KEY2.test(keys.cle2)) {
        throw new EcoleError('INVALID_INPUT', `options.checkKeys: returned ${JSON.stringify(keys)} for title ${titleNumber}; Cle1 is one digit, Cle2 one capital letter`, { details: { field: 'options.checkKeys' } })
      }
    }
    return { invoiceId: inv.id, titleNumber, debtNumber, amountMinor: inv.totalMinor, keys }
  })
  if (!options.checkKeys) warnings.push({ code: 'PES_KEYS_NOT_COMPUTED', ref: bord.fileName, message: 'Cle1 and Cle2 are left out: no key function was given (see docs/public-finance.md)' })
  const totalMinor = written.reduce((s, t) => s + t.amountMinor, 0n)

  // 3. write
  const v = (name: string, value: string | number) => `<${name} V="${xmlAttr(String(value))}"/>`
  const out: string[] = []
  out.push('<?xml version="1.0" encoding="UTF-8"?>\n')
  out.push(`<n:PES_Aller xmlns:n="${PES_ALLER_NAMESPACE}">`)
  out.push(`<Enveloppe><Parametres>${v('Version', 2)}${v('TypFic', 'PESORMC')}${v('NomFic', bord.fileName)}</Parametres>`)
  out.push(`<Emetteur>${v('Sigle', fit(regie.issuer.name, 100, 'issuer', 'Sigle', warnings))}${v('Adresse', regie.issuer.software)}</Emetteur></Enveloppe>`)
  out.push(`<EnTetePES>${v('DteStr', bord.issueDate)}${v('IdPost', regie.postCode)}${v('IdColl', regie.siret)}${v('CodCol', regie.collectivityCode)}${v('CodBud', regie.budgetCode)}</EnTetePES>`)
  out.push(`<PES_RecetteAller><EnTeteRecette>${v('IdVer', 2)}${v('InfoDematerialisee', 0)}</EnTeteRecette><Bordereau>`)
  out.push(`<BlocBordereau>${v('Exer', bord.year)}${v('IdBord', bord.number)}${v('DteBordEm', bord.issueDate)}${v('TypBord', '06')}${v('NbrPce', written.length)}${v('MtBordHt', decimal(totalMinor))}${v('DteAsp', bord.issueDate)}${v('Objet', regie.titleObject)}</BlocBordereau>`)
  // one debtor's block is the same in each of its titles: written once
  const tiersBlocks = new Map<string, string>()
  const lineTail = `${v('CodProdLoc', regie.productCode)}${v('Nature', regie.nature)}${v('Majo', 0)}${v('TvaIntraCom', 0)}`
  titles.forEach((t, i) => {
    const inv = t.invoice
    const w = written[i]!
    const d = debtors.get(inv.debtorId)!
    const object = fit(`${regie.titleObject} ${inv.number}`, 160, inv.id, 'ObjPce', warnings)
    out.push(`<Piece><BlocPiece>${v('IdPce', w.titleNumber)}${v('TypPce', '15')}${v('NatPce', '01')}${v('ObjPce', object)}${v('NumDette', w.debtNumber)}${v('Per', bord.period)}`)
    if (w.keys) out.push(v('Cle1', w.keys.cle1) + v('Cle2', w.keys.cle2))
    if (t.pdf) out.push(`<PJRef>${v('Support', '01')}${v('IdUnique', t.pdf.id)}${v('NomPJ', t.pdf.fileName)}</PJRef>`)
    // NumeroFacture holds 20 characters: the number, already checked to fit NumDette's 15, is written whole
    out.push(`${v('NumeroFacture', w.debtNumber)}</BlocPiece>`)
    out.push(`<LigneDePiece><BlocLignePiece><InfoLignePiece>${v('IdLigne', 1)}${v('ObjLignePce', object)}${lineTail}${v('MtHT', decimal(inv.totalMinor))}</InfoLignePiece></BlocLignePiece>`)
    let tiers = tiersBlocks.get(inv.debtorId)
    if (tiers === undefined) {
      tiers =
        `<Tiers><InfoTiers>${v('CatTiers', '01')}${v('NatJur', '01')}${v('TypTiers', '01')}` +
        (d.civility ? v('Civilite', d.civility) : '') +
        v('Nom', fit(d.lastName, 38, inv.debtorId, 'Nom', warnings)) +
        (d.firstName ? v('Prenom', fit(d.firstName, 38, inv.debtorId, 'Prenom', warnings)) : '') +
        `</InfoTiers><Adresse>${v('TypAdr', 1)}${v('Adr2', fit(d.address.line, 38, inv.debtorId, 'Adr2', warnings))}${v('CP', d.address.postalCode)}${v('Ville', fit(d.address.city, 38, inv.debtorId, 'Ville', warnings))}${v('CodRes', 0)}</Adresse></Tiers>`
      tiersBlocks.set(inv.debtorId, tiers)
    }
    out.push(tiers, '</LigneDePiece></Piece>')
  })
  out.push('</Bordereau></PES_RecetteAller>')
  const attached = titles.filter((t) => t.pdf?.bytes !== undefined)
  if (attached.length > 0) {
    out.push(`<PES_PJ><EnTetePES_PJ>${v('IdVer', 1)}</EnTetePES_PJ>`)
    for (const t of attached) {
      out.push(`<PJ><Contenu><Fichier MIMEType="application/pdf">${Buffer.from(t.pdf!.bytes!).toString('base64')}</Fichier></Contenu>${v('IdUnique', t.pdf!.id)}${v('NomPJ', t.pdf!.fileName)}${v('TypePJ', '007')}${v('Description', fit(`FACTURE ${t.invoice.number}`, 100, t.invoice.id, 'Description', warnings))}</PJ>`)
    }
    out.push('</PES_PJ>')
  }
  out.push('</n:PES_Aller>\n')
  const xml = out.join('')
  return { xml, bytes: new TextEncoder().encode(xml), titles: written, totalMinor, warnings }
}
