import { XMLParser } from 'fast-xml-parser'
import { EcoleError, type LocalDate } from '@ecole/core'
import { decodeLatin } from '../text/latin9'

/**
 * A pupil of a SIECLE "base élèves" export (file `ElevesSansAdresses.xml`, root `BEE_ELEVES`).
 *
 * @example
 * const p: SieclePupil = { siecleId: '1001', ine: '070803070AJ', lastName: 'DUPONT', firstName: 'Léa', birthDate: '2014-05-14',
 *   mef: '10010012110', classCode: '6A', enteredOn: '2026-09-01', leftOn: undefined, previousUai: '0750001A', problems: [] }
 */
export interface SieclePupil {
  /** ELEVE_ID: the pupil's id in the export. */
  siecleId: string
  /** ID_NATIONAL: the INE, when SIECLE has one. */
  ine: string | undefined
  /** NOM_USAGE, or NOM_DE_FAMILLE. */
  lastName: string
  /** PRENOM. */
  firstName: string
  /** DATE_NAISS, as a LocalDate (undefined when unreadable: see problems). */
  birthDate: LocalDate | undefined
  /** CODE_MEF: the pupil's "module élémentaire de formation" (level and course). */
  mef: string | undefined
  /** CODE_STRUCTURE of the division (TYPE_STRUCTURE D): the class. */
  classCode: string | undefined
  /** DATE_ENTREE in the establishment. */
  enteredOn: LocalDate | undefined
  /** DATE_SORTIE, when the pupil left. */
  leftOn: LocalDate | undefined
  /** SCOLARITE_AN_DERNIER/CODE_RNE: the establishment of the previous year. */
  previousUai: string | undefined
  /** What could not be read, by field. */
  problems: Array<{ field: string; message: string }>
}

/**
 * A person responsible for pupils (file `ResponsablesAvecAdresses.xml`, root `BEE_RESPONSABLES`).
 *
 * @example
 * const p: SieclePerson = { personId: '5001', civility: 'MME', lastName: 'DUPONT', firstName: 'Marie', email: 'marie@example.fr',
 *   phone: undefined, mobile: '0612345678', addressId: 'A1' }
 */
export interface SieclePerson {
  /** PERSONNE_ID. */
  personId: string
  /** LC_CIVILITE or LL_CIVILITE. */
  civility: string | undefined
  /** NOM_USAGE, or NOM_DE_FAMILLE. */
  lastName: string
  /** PRENOM. */
  firstName: string
  /** MEL. */
  email: string | undefined
  /** TEL_PERSONNEL. */
  phone: string | undefined
  /** TEL_PORTABLE. */
  mobile: string | undefined
  /** ADRESSE_ID. */
  addressId: string | undefined
}

/**
 * A postal address of the responsables' file.
 *
 * @example
 * const a: SiecleAddress = { addressId: 'A1', line1: '3 RUE DES ECOLES', line2: undefined, postcode: '75005', city: 'PARIS', country: 'FRANCE' }
 */
export interface SiecleAddress {
  /** ADRESSE_ID. */
  addressId: string
  /** LIGNE1_ADRESSE. */
  line1: string | undefined
  /** LIGNE2..4_ADRESSE joined. */
  line2: string | undefined
  /** CODE_POSTAL. */
  postcode: string | undefined
  /** LIBELLE_POSTAL (or LL_COMMUNE_INSEE, COMMUNE_ETRANGERE). */
  city: string | undefined
  /** LL_PAYS. */
  country: string | undefined
}

/**
 * The link of a person to a pupil: legal responsibility (RESP_LEGAL 1 or 2, 0 for another contact)
 * and the relationship code (CODE_PARENTE).
 *
 * @example
 * const l: SiecleResponsibility = { siecleId: '1001', personId: '5001', legal: 1, relationshipCode: '20' }
 */
export interface SiecleResponsibility {
  /** ELEVE_ID. */
  siecleId: string
  /** PERSONNE_ID. */
  personId: string
  /** RESP_LEGAL: 1 or 2 for a legal guardian, 0 otherwise. */
  legal: number
  /** CODE_PARENTE. */
  relationshipCode: string | undefined
}

/**
 * A SIECLE export read: the establishment (UAJ), the school year, the pupils, and (from the
 * responsables' file) persons, addresses and responsibilities.
 *
 * @example
 * const e: SiecleExport = parseSiecleExport({ eleves: elevesBytes, responsables: responsablesBytes })
 * e.uai //=> '0751234J'
 */
export interface SiecleExport {
  /** PARAMETRES/UAJ. */
  uai: string
  /** PARAMETRES/ANNEE_SCOLAIRE as `YYYY-YYYY`. */
  schoolYear: string
  /** PARAMETRES/DATE_EXPORT. */
  exportedOn: LocalDate | undefined
  /** Pupils, in the file's order. */
  pupils: SieclePupil[]
  /** Persons responsible. */
  persons: SieclePerson[]
  /** Their addresses. */
  addresses: SiecleAddress[]
  /** Who is responsible for whom. */
  responsibilities: SiecleResponsibility[]
  /** MEF code -> label, from the nomenclature file when given. */
  mefLabels: Record<string, string>
  /** CODE_PARENTE -> label (MERE, PERE, ...), from the nomenclature file when given. */
  relationshipLabels: Record<string, string>
}

/**
 * One SIECLE file as {@link parseSiecleExport} takes it: its bytes (decoded with the charset its
 * XML declaration names) or its text.
 *
 * @example
 * const f: SiecleFile = fs.readFileSync('ElevesSansAdresses.xml')
 */
export type SiecleFile = Uint8Array | string

/**
 * The characters of Windows-1252 bytes 0x80-0x9F, where it differs from ISO 8859-1 (the five bytes
 * it leaves undefined, 0x81 0x8D 0x8F 0x90 0x9D, stay the C1 controls, as the WHATWG decoder does).
 */
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
].map((cp) => String.fromCharCode(cp))

/** Windows-1252 bytes as text (Latin-1, but for 0x80-0x9F: € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ). */
function decodeWindows1252(bytes: Uint8Array): string {
  // eslint-disable-next-line no-control-regex
  return decodeLatin(bytes, 'iso-8859-1').replace(/[\u0080-\u009f]/g, (c) => CP1252_80_9F[c.charCodeAt(0) - 0x80]!)
}

/** The charsets read, by the names an XML declaration may give them (case, `_` and `-` aside). */
const CHARSETS: ReadonlyMap<string, 'iso-8859-15' | 'iso-8859-1' | 'windows-1252' | 'utf-8'> = new Map([
  ['iso-8859-15', 'iso-8859-15'], ['iso8859-15', 'iso-8859-15'], ['latin-9', 'iso-8859-15'], ['latin9', 'iso-8859-15'], ['l9', 'iso-8859-15'],
  ['iso-8859-1', 'iso-8859-1'], ['iso8859-1', 'iso-8859-1'], ['latin-1', 'iso-8859-1'], ['latin1', 'iso-8859-1'], ['l1', 'iso-8859-1'],
  ['windows-1252', 'windows-1252'], ['cp1252', 'windows-1252'], ['x-cp1252', 'windows-1252'],
  ['utf-8', 'utf-8'], ['utf8', 'utf-8'],
])

function textOf(input: SiecleFile, field: string): string {
  if (typeof input === 'string') return input
  if (!(input instanceof Uint8Array)) throw new EcoleError('INVALID_INPUT', `${field}: must be the file's bytes or text`, { details: { field } })
  // a UTF-16 file starts with its byte-order mark (XML 1.0, section 4.3.3)
  const bom = input[0] === 0xff && input[1] === 0xfe ? 'utf-16le' : input[0] === 0xfe && input[1] === 0xff ? 'utf-16be' : undefined
  if (bom !== undefined) {
    try {
      return new TextDecoder(bom, { fatal: true }).decode(input)
    } catch (error) {
      throw new EcoleError('INVALID_INPUT', `${field}: the file starts as ${bom.toUpperCase()} but is not`, { details: { field }, cause: error })
    }
  }
  const head = new TextDecoder('ascii').decode(input.subarray(0, 200))
  const declared = /encoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1]?.toLowerCase().replace(/_/g, '-') ?? 'utf-8'
  const charset = CHARSETS.get(declared)
  if (charset === 'iso-8859-15' || charset === 'iso-8859-1') return decodeLatin(input, charset)
  if (charset === 'windows-1252') return decodeWindows1252(input)
  if (charset === 'utf-8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(input)
    } catch (error) {
      // where the first byte that is not UTF-8 is (the lenient decoder puts U+FFFD there)
      const lenient = new TextDecoder('utf-8').decode(input)
      const at = new TextEncoder().encode(lenient.slice(0, Math.max(0, lenient.indexOf('\ufffd')))).length
      throw new EcoleError('INVALID_INPUT', `${field}: the XML declares UTF-8 (or no charset) but byte ${at} (0x${input[at]?.toString(16).padStart(2, '0') ?? '??'}) is not UTF-8: is it an ISO-8859-15 file whose declaration is wrong?`, { details: { field, byte: at }, cause: error })
    }
  }
  throw new EcoleError('INVALID_INPUT', `${field}: the XML declares ${declared}, not one of ISO-8859-15, ISO-8859-1, Windows-1252, UTF-8`, { details: { field } })
}

/** The five entities XML predefines. */
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' }

/** Whether a code point is a character XML 1.0 allows (production [2] Char). */
const isXmlChar = (cp: number): boolean => cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)

/**
 * The references of an XML text or attribute value, decoded as XML requires (section 4.1): the
 * character references `&#233;` and `&#xE9;` and the five predefined entities, in one pass (so
 * `&amp;#233;` is the text `&#233;`). A DOCTYPE's entities are not expanded (no export of SIECLE
 * declares any; left as written, they cannot multiply); a character reference to a character XML
 * does not allow (`&#0;`) makes the file not well-formed.
 */
function xmlReferences() {
  return {
    setExternalEntities: (): void => undefined,
    addInputEntities: (): void => undefined,
    reset: (): void => undefined,
    setXmlVersion: (): void => undefined,
    decode: (text: string): string => {
      if (!text.includes('&')) return text
      return text.replace(/&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z]+);/g, (whole, ref: string) => {
        if (ref[0] !== '#') return PREDEFINED[ref] ?? whole
        const cp = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10)
        if (!isXmlChar(cp)) throw new Error(`the character reference ${whole} is not a character XML allows`)
        return String.fromCodePoint(cp)
      })
    },
  }
}

const parserOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name: string) => ['ELEVE', 'STRUCTURES_ELEVE', 'STRUCTURE', 'PERSONNE', 'RESPONSABLE_ELEVE', 'ADRESSE', 'MEF', 'LIEN_PARENTE'].includes(name),
  processEntities: true,
} as const

type Node = Record<string, unknown>

function parse(input: SiecleFile, field: string, root: string): Node {
  const text = textOf(input, field)
  let doc: Node
  try {
    // a parser per file: the reference decoder is its own
    doc = new XMLParser({ ...parserOptions, entityDecoder: xmlReferences() }).parse(text, true) as Node
  } catch (error) {
    throw new EcoleError('INVALID_INPUT', `${field}: not well-formed XML (${error instanceof Error ? error.message : String(error)})`, { details: { field }, cause: error })
  }
  const found = Object.keys(doc).filter((k) => !k.startsWith('?'))
  const node = doc[root]
  if (node === undefined || typeof node !== 'object') {
    throw new EcoleError('INVALID_INPUT', `${field}: the root element is ${found.join(', ') || 'missing'}, not ${root}: is this the right SIECLE file?`, { details: { field } })
  }
  return node as Node
}

const str = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined
  if (typeof v === 'object') {
    const t = (v as Node)['#text']
    return t === undefined ? undefined : str(t)
  }
  const s = String(v).trim()
  return s === '' ? undefined : s
}
const attrOrChild = (n: Node, name: string) => str(n[`@${name}`]) ?? str(n[name])
const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v && typeof v === 'object' ? [v as Node] : [])
const child = (n: Node | undefined, name: string): Node | undefined => {
  const v = n?.[name]
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : undefined
}

/** Every element of that name anywhere under a node (the nomenclature's containers vary between versions). */
function findAll(node: Node, name: string): Node[] {
  const found: Node[] = []
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk)
    if (!n || typeof n !== 'object') return
    for (const [k, v] of Object.entries(n as Node)) {
      if (k === name) found.push(...list(v))
      else if (!k.startsWith('@')) walk(v)
    }
  }
  walk(node)
  return found
}

/** A DD/MM/YYYY date of SIECLE as a LocalDate, or undefined when it is not a real day. */
function frenchDate(text: string | undefined): LocalDate | undefined {
  const m = text === undefined ? null : /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text)
  if (!m) return undefined
  const [, d, mo, y] = m
  const probe = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)))
  if (probe.getUTCFullYear() !== Number(y) || probe.getUTCMonth() !== Number(mo) - 1 || probe.getUTCDate() !== Number(d)) return undefined
  return `${y}-${mo}-${d}` as LocalDate
}

/**
 * Reads the XML files a French establishment downloads from SIECLE (the "base élèves
 * établissement"): `ElevesSansAdresses.xml` (BEE_ELEVES: pupils, INE, divisions), and optionally
 * `ResponsablesAvecAdresses.xml` (BEE_RESPONSABLES: guardians, their contacts and addresses) and
 * `Nomenclature.xml` (BEE_NOMENCLATURES: the MEF labels used as levels).
 *
 * Bytes are decoded with the charset their XML declaration names (SIECLE writes ISO-8859-15;
 * ISO-8859-1, Windows-1252 and UTF-8 are read too, UTF-16 by its byte-order mark); bytes that are
 * not UTF-8 under a UTF-8 declaration (or none) are refused, not replaced. Character references
 * (`&#233;`, `&#xE9;`) and the five predefined entities are decoded as XML requires.
 * Dates DD/MM/YYYY become LocalDates; a pupil whose birth date cannot be read keeps a `problems`
 * entry instead of failing the whole file.
 *
 * @example
 * const e = parseSiecleExport({ eleves: fs.readFileSync('ElevesSansAdresses.xml'), responsables: fs.readFileSync('ResponsablesAvecAdresses.xml') })
 * e.pupils.filter((p) => p.ine === undefined) // the pupils who cannot be transferred
 * @throws EcoleError `INVALID_INPUT` naming the file: not XML, a charset not read or bytes not in the declared one,
 * not the expected root, no UAJ or school year.
 */
export function parseSiecleExport(files: { eleves: SiecleFile; responsables?: SiecleFile | undefined; nomenclature?: SiecleFile | undefined }): SiecleExport {
  if (files === null || typeof files !== 'object' || files.eleves === undefined) throw new EcoleError('INVALID_INPUT', 'siecle.eleves: the ElevesSansAdresses.xml file is required', { details: { field: 'siecle.eleves' } })
  const bee = parse(files.eleves, 'siecle.eleves', 'BEE_ELEVES')
  const params = child(bee, 'PARAMETRES')
  const uai = str(params?.['UAJ'])?.toUpperCase()
  if (!uai) throw new EcoleError('INVALID_INPUT', 'siecle.eleves: PARAMETRES/UAJ (the establishment) is missing', { details: { field: 'siecle.eleves.PARAMETRES.UAJ' } })
  const year = str(params?.['ANNEE_SCOLAIRE'])
  if (!year || !/^\d{4}$/.test(year)) throw new EcoleError('INVALID_INPUT', 'siecle.eleves: PARAMETRES/ANNEE_SCOLAIRE must be the year the school year starts (2026)', { details: { field: 'siecle.eleves.PARAMETRES.ANNEE_SCOLAIRE' } })
  const data = child(bee, 'DONNEES')
  const classOf = new Map<string, string>()
  for (const se of list(child(data, 'STRUCTURES')?.['STRUCTURES_ELEVE'])) {
    const id = attrOrChild(se, 'ELEVE_ID')
    const division = list(se['STRUCTURE']).find((s) => str(s['TYPE_STRUCTURE'])?.toUpperCase() === 'D')
    const code = division ? str(division['CODE_STRUCTURE']) : undefined
    if (id && code) classOf.set(id, code)
  }
  const pupils: SieclePupil[] = list(child(data, 'ELEVES')?.['ELEVE']).map((e, i) => {
    const problems: SieclePupil['problems'] = []
    const siecleId = attrOrChild(e, 'ELEVE_ID') ?? `#${i + 1}`
    const birthText = str(e['DATE_NAISS'])
    const birthDate = frenchDate(birthText)
    if (!birthDate) problems.push({ field: 'DATE_NAISS', message: `birth date ${JSON.stringify(birthText ?? '')} is not a DD/MM/YYYY day` })
    const lastName = str(e['NOM_USAGE']) ?? str(e['NOM_DE_FAMILLE']) ?? str(e['NOM'])
    const firstName = str(e['PRENOM'])
    if (!lastName) problems.push({ field: 'NOM_DE_FAMILLE', message: 'no last name' })
    if (!firstName) problems.push({ field: 'PRENOM', message: 'no first name' })
    return {
      siecleId, ine: str(e['ID_NATIONAL'])?.toUpperCase(), lastName: lastName ?? '', firstName: firstName ?? '', birthDate,
      mef: str(e['CODE_MEF']), classCode: classOf.get(siecleId), enteredOn: frenchDate(str(e['DATE_ENTREE'])), leftOn: frenchDate(str(e['DATE_SORTIE'])),
      previousUai: str(child(e, 'SCOLARITE_AN_DERNIER')?.['CODE_RNE'])?.toUpperCase(), problems,
    }
  })
  const out: SiecleExport = { uai, schoolYear: `${year}-${Number(year) + 1}`, exportedOn: frenchDate(str(params?.['DATE_EXPORT'])), pupils, persons: [], addresses: [], responsibilities: [], mefLabels: {}, relationshipLabels: {} }
  if (files.responsables !== undefined) {
    const resp = child(parse(files.responsables, 'siecle.responsables', 'BEE_RESPONSABLES'), 'DONNEES')
    out.persons = list(child(resp, 'PERSONNES')?.['PERSONNE']).flatMap((p) => {
      const personId = attrOrChild(p, 'PERSONNE_ID')
      if (!personId) return []
      return [{
        personId, civility: str(p['LC_CIVILITE']) ?? str(p['LL_CIVILITE']), lastName: str(p['NOM_USAGE']) ?? str(p['NOM_DE_FAMILLE']) ?? '', firstName: str(p['PRENOM']) ?? '',
        email: str(p['MEL']), phone: str(p['TEL_PERSONNEL']), mobile: str(p['TEL_PORTABLE']), addressId: str(p['ADRESSE_ID']),
      }]
    })
    out.addresses = list(child(resp, 'ADRESSES')?.['ADRESSE']).flatMap((a) => {
      const addressId = attrOrChild(a, 'ADRESSE_ID')
      if (!addressId) return []
      const rest = ['LIGNE2_ADRESSE', 'LIGNE3_ADRESSE', 'LIGNE4_ADRESSE'].map((k) => str(a[k])).filter((x): x is string => x !== undefined)
      return [{ addressId, line1: str(a['LIGNE1_ADRESSE']), line2: rest.length ? rest.join(' ') : undefined, postcode: str(a['CODE_POSTAL']), city: str(a['LIBELLE_POSTAL']) ?? str(a['LL_COMMUNE_INSEE']) ?? str(a['COMMUNE_ETRANGERE']), country: str(a['LL_PAYS']) }]
    })
    out.responsibilities = list(child(resp, 'RESPONSABLES')?.['RESPONSABLE_ELEVE']).flatMap((r) => {
      const siecleId = str(r['ELEVE_ID'])
      const personId = str(r['PERSONNE_ID'])
      if (!siecleId || !personId) return []
      return [{ siecleId, personId, legal: Number(str(r['RESP_LEGAL']) ?? '0') || 0, relationshipCode: str(r['CODE_PARENTE']) }]
    })
  }
  if (files.nomenclature !== undefined) {
    const nom = parse(files.nomenclature, 'siecle.nomenclature', 'BEE_NOMENCLATURES')
    for (const m of findAll(nom, 'MEF')) {
      const code = attrOrChild(m, 'CODE_MEF')
      const label = str(m['LIBELLE_EDITION']) ?? str(m['LIBELLE_LONG']) ?? str(m['FORMATION'])
      if (code && label) out.mefLabels[code] = label
    }
    for (const l of findAll(nom, 'LIEN_PARENTE')) {
      const code = attrOrChild(l, 'CODE_PARENTE')
      const label = str(l['LIBELLE_COURT']) ?? str(l['LIBELLE_LONG'])
      if (code && label) out.relationshipLabels[code] = label
    }
  }
  return out
}
