import { asInputError, EcoleError, parseInput, type LocalDate } from '@ecole/core'
import { enterpriseNumber, nationalNumber } from './identifiers'
import { Belcotax28186InputSchema, type Belcotax28186, type Belcotax28186Fiche, type Belcotax28186Input } from './belcotax-281-86-input'
import { BELCOTAX_28186_RULES } from './belcotax-281-86-rules'

/**
 * The export register's format token of a Belcotax-on-web 281.86 file.
 *
 * @example
 * await storage.exportRegister!.listExports('site-1', { format: BELCOTAX_28186_FORMAT })
 */
export const BELCOTAX_28186_FORMAT = 'belcotax-281.86'

/**
 * Something the file does differently from its input, that a person should know: a text cut to
 * its zone's length (`TEXT_TRUNCATED`), a fiche left out because it was exported before
 * (`ALREADY_EXPORTED_LEFT_OUT`, from the workflow), a period amount rounded down to whole cents per
 * day (`AMOUNT_ROUNDED_DOWN`, from {@link belcotaxFicheFromCertificate}).
 *
 * @example
 * const w: BelcotaxWarning = { code: 'TEXT_TRUNCATED', field: 'fiches.0.debtor.firstName', message: 'cut to 15 characters (f2114_voornamen)' }
 */
export interface BelcotaxWarning {
  /** What happened. */
  code: 'TEXT_TRUNCATED' | 'ALREADY_EXPORTED_LEFT_OUT' | 'AMOUNT_ROUNDED_DOWN'
  /** The input field concerned. */
  field: string
  /** In plain English. */
  message: string
}

/**
 * The control totals of a 281.86 file, as written in its trailers.
 *
 * @example
 * const t: Belcotax28186Totals = { fiches: 2, amountMinor: 100000n, r8010: 4, r8011: 3, r8012: 200000n, r9010: 3, r9011: 6 }
 */
export interface Belcotax28186Totals {
  /** Number of fiches. */
  fiches: number
  /** Sum of the fiches' total amounts (f86_2064), in cents. */
  amountMinor: bigint
  /** r8010_aantalrecords: records of the declaration, its header and trailer included (fiches + 2). */
  r8010: number
  /** r8011_controletotaal (= r9012): sum of the fiches' sequence numbers (f2009). */
  r8011: number
  /** r8012_controletotaal (= r9013): sum of the fiches' control totals (f86_2059). */
  r8012: bigint
  /** r9010_aantallogbestanden: logical files, the sending's start and end included (declarations + 2). */
  r9010: number
  /** r9011_totaalaantalrecords: records of the whole file, start and end included. */
  r9011: number
}

/**
 * A built 281.86 file: its bytes (UTF-8 XML), the warnings, the control totals and the export
 * register's item key of each fiche, in file order.
 *
 * @example
 * const { bytes, warnings, totals, itemKeys }: Belcotax28186File = buildBelcotax28186(input)
 */
export interface Belcotax28186File {
  /** The XML, UTF-8. */
  bytes: Uint8Array
  /** What the file does differently from its input. */
  warnings: BelcotaxWarning[]
  /** The control totals written in its trailers. */
  totals: Belcotax28186Totals
  /** `year|childId|debtorId` of each fiche, in file order. */
  itemKeys: string[]
}

/**
 * The export register's key of a fiche: one per income year, child and debtor. Distinct fiches
 * always get distinct keys: when an id holds a `|` itself, both ids are escaped (each `\` and `|`
 * in them preceded by a `\`); keys of ids without one are as they always were.
 *
 * @example
 * belcotaxItemKey(2026, 'k1', 'g1') //=> '2026|k1|g1'
 * belcotaxItemKey(2026, 'a|b', 'c') //=> '2026|a\\|b|c' (and 'a', 'b|c' gives '2026|a|b\\|c')
 */
export function belcotaxItemKey(year: number, childId: string, debtorId: string): string {
  try {
    if (!childId.includes('|') && !debtorId.includes('|')) return `${year}|${childId}|${debtorId}`
    const escaped = (id: string) => id.replaceAll('\\', '\\\\').replaceAll('|', '\\|')
    return `${year}|${escaped(childId)}|${escaped(debtorId)}`
  } catch (error) {
    throw asInputError(error, 'belcotaxItemKey', { year: [year, 'number', 'the income year'], childId: [childId, 'string', 'a child id'], debtorId: [debtorId, 'string', 'a debtor id'] })
  }
}

/**
 * Builds the Belcotax-on-web XML of a year's 281.86 childcare certificates (attestations de frais
 * de garde / attesten opvangkosten): one `Verzending` with one `Aangifte` of the issuer, one
 * `Fiche28186` per child and debtor with up to four periods (first and last day, days, daily
 * rate, amount = days × rate), and the control totals Belcotax checks:
 * `f86_2059` = the fiche's amounts plus its total (zones 2.60 to 2.64); `r8010` = fiches + 2;
 * `r8011` = sum of the sequence numbers 1..n; `r8012` = sum of the `f86_2059`; `r9010` = 3;
 * `r9011` = fiches + 4; `r9012`/`r9013` repeat `r8011`/`r8012`. Amounts are in euro cents, dates
 * `DD-MM-YYYY`.
 *
 * Pure: no clock (the creation date is `createdOn`), no I/O. Bad input — a missing national
 * number, more than four periods, a rate over the daily ceiling, a child aged 14, any rule of
 * {@link BELCOTAX_28186_RULES} — throws `EcoleError` `INVALID_INPUT` listing every field, before
 * any byte is written. Texts longer than their zone are cut, with a warning.
 *
 * @example
 * const { bytes, totals } = buildBelcotax28186(input)
 * totals.r8011 //=> 3 for two fiches
 * @throws EcoleError `INVALID_INPUT` naming each field and rule.
 */
export function buildBelcotax28186(input: Belcotax28186Input): Belcotax28186File {
  const file = parseInput(Belcotax28186InputSchema, input, 'belcotax')
  const issues = BELCOTAX_28186_RULES.flatMap((r) => r.check(file))
  if (issues.length > 0) {
    const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ')
    throw new EcoleError('INVALID_INPUT', `${issues.length} problem${issues.length === 1 ? '' : 's'} in the 281.86 file: ${shown}${issues.length > 5 ? '; ...' : ''}`, { details: { issues } })
  }
  return write(file)
}

type Out = { parts: string[]; warnings: BelcotaxWarning[] }

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }
const escape = (s: string): string => (/[&<>"']/.test(s) ? s.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : s)

/** One element (the writer builds each fiche as one string: 50,000 fiches are 50,000 parts, not 3 million). */
function el(tag: string, value: string | number | bigint): string {
  return `<${tag}>${typeof value === 'string' ? escape(value) : String(value)}</${tag}>`
}

/** Printable ASCII: the same in NFC, one code point per grapheme (the common case, not segmented). */
const PLAIN = /^[\x20-\x7e]*$/
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * `text` in NFC cut into a head of at most `max` characters (code points, as the schema's
 * `maxLength` counts them) and the rest, between user-perceived characters (graphemes), so that a
 * letter never loses its accent to the cut: a letter typed decomposed (`e` + U+0301, as macOS
 * sends it) is one character once composed, and a letter with a mark that has no composed form
 * goes whole to the rest.
 */
function cutText(text: string, max: number): [head: string, rest: string] {
  const nfc = PLAIN.test(text) ? text : text.normalize('NFC')
  if (nfc.length <= max) return [nfc, '']
  if (PLAIN.test(nfc)) return [nfc.slice(0, max), nfc.slice(max)]
  let head = ''
  let count = 0
  for (const { segment, index } of GRAPHEMES.segment(nfc)) {
    let n = 0
    for (const _ of segment) n++
    if (count + n > max) return [head, nfc.slice(index)]
    head += segment
    count += n
  }
  return [head, '']
}

/**
 * A text zone: the text in NFC, cut to `max` characters between graphemes ({@link cutText}), with
 * a warning naming the input field when anything is left out.
 */
function textEl(out: Out, tag: string, value: string, max: number, field: string): string {
  if (value.length <= max && PLAIN.test(value)) return el(tag, value)
  const [head, rest] = cutText(value, max)
  if (rest !== '') out.warnings.push({ code: 'TEXT_TRUNCATED', field, message: `cut to ${max} characters (${tag}): "${value}"` })
  return el(tag, head)
}

const date = (d: LocalDate): string => `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}`
const LANGUAGE = { nl: 1, fr: 2, de: 3 } as const
const TREATMENT = { original: 0, modification: 1, cancellation: 3 } as const
/** Belgium in the country codes of annex 3 of the Belcotax brochure. */
const BELGIUM = 150

/** Period zones of a fiche, in the order of their `Fiche28186` elements. */
const PERIOD_DATES = [
  ['f86_2055_begindate1', 'f86_2056_enddate1'],
  ['f86_2093_begindate2', 'f86_2144_enddate2'],
  ['f86_2157_begindate3', 'f86_2158_enddate3'],
  ['f86_2161_begindate4', 'f86_2162_enddate4'],
] as const
const PERIOD_AMOUNTS = ['f86_2060_amount1', 'f86_2061_amount2', 'f86_2062_amount3', 'f86_2063_amount4'] as const
const PERIOD_DAYS = [
  ['f86_2110_numberofday1', 'f86_2111_dailytariff1'],
  ['f86_2113_numberofday2', 'f86_2115_dailytariff2'],
  ['f86_2116_numberofday3', 'f86_2117_dailytariff3'],
  ['f86_2119_numberofday4', 'f86_2120_dailytariff4'],
] as const

function write(file: Belcotax28186): Belcotax28186File {
  const out: Out = { parts: [], warnings: [] }
  const year = file.year
  const sender = file.sender
  const issuer = file.issuer
  const issuerNumber = enterpriseNumber.normalize(issuer.enterpriseNumber)!
  const certifierNumber = enterpriseNumber.normalize(file.certifier.enterpriseNumber)!
  out.parts.push('<?xml version="1.0" encoding="UTF-8"?>\n<Verzendingen><Verzending>')
  out.parts.push(el('v0002_inkomstenjaar', year))
  out.parts.push(el('v0010_bestandtype', file.test ? 'BCTEST' : 'BELCOTAX'))
  out.parts.push(el('v0011_aanmaakdatum', date(file.createdOn)))
  out.parts.push(textEl(out, 'v0014_naam', sender.name, 41, 'sender.name'))
  out.parts.push(textEl(out, 'v0015_adres', sender.address.street, 32, 'sender.address.street'))
  out.parts.push(el('v0016_postcode', sender.address.postalCode))
  out.parts.push(textEl(out, 'v0017_gemeente', sender.address.municipality, 27, 'sender.address.municipality'))
  out.parts.push(el('v0018_telefoonnummer', sender.phone))
  out.parts.push(textEl(out, 'v0021_contactpersoon', sender.contactName, 34, 'sender.contactName'))
  out.parts.push(el('v0022_taalcode', LANGUAGE[sender.language]))
  out.parts.push(el('v0023_emailadres', sender.email))
  out.parts.push(el('v0024_nationaalnr', enterpriseNumber.normalize(sender.enterpriseNumber)!))
  out.parts.push(el('v0025_typeenvoi', file.correction ? 1 : 0))
  if (file.correction) out.parts.push(el('v0026_referte', file.correction.originalSendingReference))
  out.parts.push('<Aangiften><Aangifte>')
  out.parts.push(el('a1002_inkomstenjaar', year))
  out.parts.push(el('a1005_registratienummer', issuerNumber))
  // the name in NFC over two zones of 28 and 31 characters, each cut between graphemes
  const [name1, after1] = cutText(issuer.name, 28)
  const [name2, lost] = cutText(after1, 31)
  if (lost !== '') out.warnings.push({ code: 'TEXT_TRUNCATED', field: 'issuer.name', message: `cut to 59 characters (a1011_naamnl1 + a1012_naamnl2): "${issuer.name}"` })
  out.parts.push(el('a1011_naamnl1', name1))
  if (name2 !== '') out.parts.push(el('a1012_naamnl2', name2))
  out.parts.push(textEl(out, 'a1013_adresnl', issuer.address.street, 32, 'issuer.address.street'))
  out.parts.push(el('a1014_postcodebelgisch', issuer.address.postalCode))
  out.parts.push(textEl(out, 'a1015_gemeente', issuer.address.municipality, 27, 'issuer.address.municipality'))
  out.parts.push(el('a1020_taalcode', LANGUAGE[issuer.language]))
  out.parts.push('<Opgaven><Opgave32586>')
  let r8011 = 0
  let r8012 = 0n
  let amountMinor = 0n
  const itemKeys: string[] = []
  file.fiches.forEach((fiche, i) => {
    const sequence = i + 1
    const total = writeFiche(out, file, fiche, i, sequence, issuerNumber, certifierNumber)
    r8011 += sequence
    r8012 += total * 2n
    amountMinor += total
    itemKeys.push(belcotaxItemKey(year, fiche.childId, fiche.debtorId))
  })
  out.parts.push('</Opgave32586></Opgaven>')
  const n = file.fiches.length
  const totals: Belcotax28186Totals = { fiches: n, amountMinor, r8010: n + 2, r8011, r8012, r9010: 3, r9011: n + 4 }
  out.parts.push(el('r8002_inkomstenjaar', year))
  out.parts.push(el('r8005_registratienummer', issuerNumber))
  out.parts.push(el('r8010_aantalrecords', totals.r8010))
  out.parts.push(el('r8011_controletotaal', r8011))
  out.parts.push(el('r8012_controletotaal', r8012))
  out.parts.push(el('r8013_totaalvoorheffingen', 0))
  out.parts.push('</Aangifte></Aangiften>')
  out.parts.push(el('r9002_inkomstenjaar', year))
  out.parts.push(el('r9010_aantallogbestanden', totals.r9010))
  out.parts.push(el('r9011_totaalaantalrecords', totals.r9011))
  out.parts.push(el('r9012_controletotaal', r8011))
  out.parts.push(el('r9013_controletotaal', r8012))
  out.parts.push(el('r9014_controletotaal', 0))
  out.parts.push('</Verzending></Verzendingen>\n')
  const seen = new Set<string>()
  const warnings = out.warnings.filter((w) => {
    const key = `${w.code}\u0000${w.field}`
    return seen.has(key) ? false : (seen.add(key), true)
  })
  return { bytes: new TextEncoder().encode(out.parts.join('')), warnings, totals, itemKeys }
}

/** Writes one fiche; returns its total amount (f86_2064). */
function writeFiche(out: Out, file: Belcotax28186, fiche: Belcotax28186Fiche, i: number, sequence: number, issuerNumber: string, certifierNumber: string): bigint {
  const f = `fiches.${i}`
  const amounts = fiche.periods.map((p) => p.dailyRateMinor * BigInt(p.days))
  const total = amounts.reduce((s, a) => s + a, 0n)
  let x = '<Fiche28186>'
  x += el('f2002_inkomstenjaar', file.year)
  x += el('f2005_registratienummer', issuerNumber)
  x += el('f2008_typefiche', '28186')
  x += el('f2009_volgnummer', sequence)
  x += el('f2010_referentie', fiche.reference)
  x += el('f2011_nationaalnr', nationalNumber.normalize(fiche.debtor.nationalNumber)!)
  x += textEl(out, 'f2013_naam', fiche.debtor.lastName, 41, `${f}.debtor.lastName`)
  x += textEl(out, 'f2015_adres', fiche.debtor.address.street, 150, `${f}.debtor.address.street`)
  x += el('f2016_postcodebelgisch', fiche.debtor.address.postalCode)
  x += textEl(out, 'f2017_gemeente', fiche.debtor.address.municipality, 50, `${f}.debtor.address.municipality`)
  x += el('f2018_landwoonplaats', BELGIUM)
  x += el('f2028_typetraitement', TREATMENT[fiche.treatment])
  x += el('f2029_enkelopgave325', 0)
  x += textEl(out, 'f2114_voornamen', fiche.debtor.firstName, 15, `${f}.debtor.firstName`)
  x += el('f86_2031_certificationautorisation', file.certifier.code)
  const p1 = fiche.periods[0]!
  x += el(PERIOD_DATES[0][0], date(p1.from))
  x += el(PERIOD_DATES[0][1], date(p1.to))
  x += el('f86_2059_totaalcontrole', total * 2n)
  amounts.forEach((a, j) => (x += el(PERIOD_AMOUNTS[j]!, a)))
  x += el('f86_2064_totalamount', total)
  const p2 = fiche.periods[1]
  if (p2) x += el(PERIOD_DATES[1][0], date(p2.from))
  x += el('f86_2100_certifierpostnr', file.certifier.address.postalCode)
  x += el('f86_2101_childcountry', BELGIUM)
  x += textEl(out, 'f86_2102_childaddress', fiche.child.address.street, 41, `${f}.child.address.street`)
  x += textEl(out, 'f86_2106_childname', fiche.child.lastName, 41, `${f}.child.lastName`)
  x += textEl(out, 'f86_2107_childfirstname', fiche.child.firstName, 32, `${f}.child.firstName`)
  x += el('f86_2109_certifiercbenumber', certifierNumber)
  fiche.periods.forEach((p, j) => {
    x += el(PERIOD_DAYS[j]![0], p.days)
    x += el(PERIOD_DAYS[j]![1], p.dailyRateMinor)
  })
  x += el('f86_2139_childpostnr', fiche.child.address.postalCode)
  x += textEl(out, 'f86_2140_childmunicipality', fiche.child.address.municipality, 148, `${f}.child.address.municipality`)
  if (p2) x += el(PERIOD_DATES[1][1], date(p2.to))
  if (fiche.child.nationalNumber !== undefined) x += el('f86_2153_nnchild', nationalNumber.normalize(fiche.child.nationalNumber)!)
  x += textEl(out, 'f86_2154_certifiermunicipality', file.certifier.address.municipality, 50, 'certifier.address.municipality')
  x += textEl(out, 'f86_2155_certifiername', file.certifier.name, 54, 'certifier.name')
  x += textEl(out, 'f86_2156_certifieradres', file.certifier.address.street, 54, 'certifier.address.street')
  for (const j of [2, 3] as const) {
    const p = fiche.periods[j]
    if (p) {
      x += el(PERIOD_DATES[j][0], date(p.from))
      x += el(PERIOD_DATES[j][1], date(p.to))
    }
  }
  x += el('f86_2163_childbirthdate', date(fiche.child.birthDate))
  out.parts.push(`${x}</Fiche28186>`)
  return total
}
