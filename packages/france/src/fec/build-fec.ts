import { EcoleError, parseInput } from '@ecole/core'
import { encodeLatin9 } from '../text/latin9'
import { FEC_COLUMNS } from './fec-columns'
import { buildFecEntries, FEC_JOURNALS, type ExportWarning, type FecData, type FecEntry } from './fec-entries'
import { FecSettingsSchema, type FecSettingsInput } from './fec-settings'
import { FEC_CONTROL_CHARACTERS } from './fec-text'

/**
 * The totals of one journal in a FEC.
 *
 * @example
 * const balanced = (t: FecJournalTotals) => t.debitMinor === t.creditMinor
 */
export interface FecJournalTotals {
  /** Journal label. */
  label: string
  /** Number of entries (écritures). */
  entries: number
  /** Number of lines. */
  lines: number
  /** Sum of the Debit column, minor units. */
  debitMinor: bigint
  /** Sum of the Credit column, minor units. */
  creditMinor: bigint
}

/**
 * A FEC file: its bytes, the name the administration expects, what was left out, and the totals
 * per journal (each balanced).
 *
 * @example
 * const fec: FecFile = buildFec(settings, data)
 * fec.fileName //=> '123456789FEC20261231.txt'
 */
export interface FecFile {
  /** The file's bytes (ISO 8859-15 unless UTF-8 was asked for). */
  bytes: Uint8Array
  /** `<SIREN>FEC<AAAAMMJJ of the period's last day>.txt`. */
  fileName: string
  /** Records left out or text changed, with why. */
  warnings: ExportWarning[]
  /** Totals per journal code. */
  journals: Record<string, FecJournalTotals>
  /** Number of lines after the header. */
  lineCount: number
  /**
   * The description that must accompany the file (article A47 A-1, II): character set, separators,
   * the fields and the journal codes used, in French.
   */
  description: string
}

const compact = (d: string) => d.slice(0, 4) + d.slice(5, 7) + d.slice(8, 10)

/** Minor units (cents) written with a comma and two decimals, no thousands separator: 123456n -> '1234,56'. */
function amount(minor: bigint): string {
  const neg = minor < 0n
  const abs = neg ? -minor : minor
  const cents = abs % 100n
  return `${neg ? '-' : ''}${abs / 100n},${cents < 10n ? '0' : ''}${cents}`
}

/**
 * Builds the Fichier des écritures comptables of one entity for one fiscal period, from the
 * library's records (validated invoices, credit notes, payments, deposits, wallet movements).
 *
 * The file follows article A47 A-1 of the LPF and BOI-CF-IOR-60-40-20: a header line with the 18
 * column names, then one line per entry line; fields separated by a tab (or `|`), lines by CR LF;
 * dates AAAAMMJJ; amounts with a comma, in separate Debit and Credit columns; every entry
 * (EcritureNum) and every journal balanced; EcritureNum continuous per journal, in date order.
 * Journals: per billing office, `<prefix>VT` sales, `<prefix>EN` receipts, `<prefix>BQ` deposits,
 * `<prefix>PM` prepaid wallets. A tab, `|`, or line break inside a text is replaced by a space (with
 * a `TEXT_CLEANED` warning), and so is a control character (C0, DEL, C1: a `CHARACTERS_REPLACED`
 * warning naming the record). The records are checked first ({@link buildFecEntries}): real calendar
 * days, bigint amounts, no empty PieceRef, EcritureLib or half auxiliary pair, deposits that hold
 * each payment once, of their own method, adding up to their total. Text is composed (NFC) in
 * either character set; in ISO 8859-15 (the default), typographic characters become
 * their plain forms first ({@link encodeLatin9}: `l’Hôte` is written `l'Hôte`, a decomposed `é` is
 * one byte); any other character outside the set is written `?` with a `CHARACTERS_REPLACED`
 * warning. A refused payment is reversed on the bank (512) once it was deposited, on the account it
 * waited on (5112 for a cheque) before; a payment refused before its own date is not booked at all
 * (`REFUSED_BEFORE_RECEIVED`).
 *
 * @example
 * const fec = buildFec(
 *   { siren: '123456789', period: { from: '2026-01-01', to: '2026-12-31' }, validatedOn: '2027-01-15',
 *     billingOffices: [{ id: 'regie', name: 'Régie cantine', journalPrefix: 'C' }] },
 *   { invoices, payments, debtors: { 'g-1': { name: 'DUPONT Marie' } } },
 * )
 * fec.fileName //=> '123456789FEC20261231.txt'
 * @throws EcoleError `INVALID_INPUT` naming the field (settings, or a record naming an unknown office, a missing debtor, a non-euro
 * amount, a date that is no calendar day, an amount that is not a bigint, an empty PieceRef or EcritureLib, a half
 * auxiliary pair, a payment twice in deposits or of another method than its deposit's, a top-up naming a payment not
 * given), `FEC_UNBALANCED_ENTRY` (a document whose totals disagree with its parts, a deposit's total included): before
 * any byte is written.
 */
export function buildFec(settingsInput: FecSettingsInput, data: FecData): FecFile {
  const settings = parseInput(FecSettingsSchema, settingsInput, 'fec')
  if (data === null || typeof data !== 'object' || data.debtors === null || typeof data.debtors !== 'object') {
    throw new EcoleError('INVALID_INPUT', 'fec data: debtors is required (the names of the guardians the records name)', { details: { field: 'debtors' } })
  }
  const { entries, warnings } = buildFecEntries(settings, data)
  const officeById = new Map(settings.billingOffices.map((o) => [o.id, o]))
  const code = (e: FecEntry) => `${officeById.get(e.billingOfficeId)?.journalPrefix ?? ''}${FEC_JOURNALS[e.journal].suffix}`
  // chronological, then by journal; a stable sort keeps the records' order within one day
  const keyed = entries.map((e, i) => ({ e, code: code(e), i }))
  keyed.sort((a, b) => (a.e.date < b.e.date ? -1 : a.e.date > b.e.date ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : a.i - b.i))

  const validDate = compact(settings.validatedOn)
  const sep = settings.separator === 'tab' ? '\t' : '|'
  const unsafe = settings.separator === 'tab' ? /[\t\r\n\u0085\u2028\u2029]/g : /[|\t\r\n\u0085\u2028\u2029]/g
  const clean = (text: string, ref: string): string => {
    FEC_CONTROL_CHARACTERS.lastIndex = 0
    if (FEC_CONTROL_CHARACTERS.test(text)) {
      const shown = text.slice(0, 40).replace(FEC_CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      warnings.push({ code: 'CHARACTERS_REPLACED', ref, message: `${ref}: a control character in "${shown}" was replaced by a space` })
      text = text.replace(FEC_CONTROL_CHARACTERS, ' ')
    }
    unsafe.lastIndex = 0
    if (!unsafe.test(text)) return text
    warnings.push({ code: 'TEXT_CLEANED', ref, message: `${ref}: a separator or line break in "${text.slice(0, 40)}" was replaced by a space` })
    return text.replace(unsafe, ' ')
  }

  const journals: Record<string, FecJournalTotals> = {}
  const counters = new Map<string, number>()
  const rows: string[] = [FEC_COLUMNS.join(sep)]
  for (const { e, code: jc } of keyed) {
    if (e.lines.length === 0) {
      // a document of zero (an invoice wholly reduced): nothing to post, and no number taken
      warnings.push({ code: 'ZERO_AMOUNT_SKIPPED', ref: e.pieceRef, message: `${e.pieceRef}: every amount is zero, no entry is written` })
      continue
    }
    if (e.date > settings.validatedOn) {
      throw new EcoleError('INVALID_INPUT', `fec.validatedOn: ${settings.validatedOn} is before entry ${e.pieceRef} of ${e.date}; entries are validated after they happen`, { details: { field: 'validatedOn' } })
    }
    const n = (counters.get(jc) ?? 0) + 1
    counters.set(jc, n)
    const office = officeById.get(e.billingOfficeId)
    const jl = clean(`${FEC_JOURNALS[e.journal].label} ${office?.name ?? ''}`, jc)
    const totals = (journals[jc] ??= { label: jl, entries: 0, lines: 0, debitMinor: 0n, creditMinor: 0n })
    totals.entries++
    const num = `${jc}${String(n).padStart(6, '0')}`
    const date = compact(e.date)
    const pieceRef = clean(e.pieceRef, e.pieceRef)
    const pieceDate = compact(e.pieceDate)
    const label = clean(e.label, e.pieceRef)
    for (const l of e.lines) {
      totals.lines++
      totals.debitMinor += l.debitMinor
      totals.creditMinor += l.creditMinor
      rows.push(
        jc + sep + jl + sep + num + sep + date + sep + l.account.number + sep + clean(l.account.label, l.account.number) + sep +
          clean(l.auxNum, e.pieceRef) + sep + clean(l.auxLabel, e.pieceRef) + sep + pieceRef + sep + pieceDate + sep + label + sep +
          amount(l.debitMinor) + sep + amount(l.creditMinor) + sep + sep + sep + validDate + sep + sep,
      )
    }
  }
  const text = rows.join('\r\n') + '\r\n'
  let bytes: Uint8Array
  // composed (NFC) in either character set: a decomposed 'é' is one character, as encodeLatin9 writes it
  if (settings.encoding === 'utf-8') bytes = new TextEncoder().encode(text.normalize('NFC'))
  else {
    const enc = encodeLatin9(text)
    bytes = enc.bytes
    if (enc.unmappable > 0) warnings.push({ code: 'CHARACTERS_REPLACED', ref: 'fec', message: `${enc.unmappable} character(s) outside ISO 8859-15 were written as ?` })
  }
  const fileName = `${settings.siren}FEC${compact(settings.period.to)}.txt`
  const description = [
    `Fichier des écritures comptables ${fileName} (article A47 A-1 du LPF), SIREN ${settings.siren}, exercice du ${settings.period.from} au ${settings.period.to}.`,
    `Jeu de caractères : ${settings.encoding === 'utf-8' ? 'UTF-8' : 'ISO 8859-15'}. Fichier à plat, longueur variable, séparateur de zone : ${settings.separator === 'tab' ? 'tabulation' : 'barre verticale (|)'}, séparateur d'enregistrement : CR LF.`,
    `Première ligne : le nom des 18 zones. Dates au format AAAAMMJJ ; montants en euros, virgule décimale, sans séparateur de milliers, débit et crédit en deux zones ; Montantdevise et Idevise vides (tenue en euros) ; EcritureLet et DateLet vides (pas de lettrage).`,
    `Zones : ${FEC_COLUMNS.join(', ')}.`,
    `EcritureNum : code du journal suivi d'un numéro continu à 6 chiffres, par journal, dans l'ordre des dates. CompAuxNum : compte auxiliaire de la famille débitrice.`,
    'Journaux :',
    ...Object.entries(journals).map(([code, t]) => `- ${code} : ${t.label} (${t.entries} écritures, ${t.lines} lignes)`),
  ].join('\r\n')
  return { bytes, fileName, warnings, journals, lineCount: rows.length - 1, description }
}
