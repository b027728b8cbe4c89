import * as z from 'zod'
import { EcoleError, parseInput } from '../errors'
import { asInputError } from '../input-error'
import type { Child } from './child'
import { RecordIdSchema } from './fields'
import type { Guardian } from './guardian'
import type { Household } from './household'

/**
 * The kinds of directory records that can be searched by name: households (by their name),
 * guardians and children (by first and last name).
 *
 * @example
 * DIRECTORY_SEARCH_KINDS.includes('child') //=> true
 */
export const DIRECTORY_SEARCH_KINDS = ['household', 'guardian', 'child'] as const
/** A kind of directory record that can be searched by name. */
export type DirectorySearchKind = (typeof DIRECTORY_SEARCH_KINDS)[number]

/**
 * The letters a name search folds, each to the plain lower-case letters it stands for: a search
 * for "eloise" finds "Éloïse", "oe" finds "Œ". Upper-case ASCII letters fold to lower case
 * besides these; combining accents (U+0300-U+036F) are dropped. Letters of other scripts are
 * matched as typed. Storage adapters fold with exactly this table (the PostgreSQL adapter's SQL
 * function is checked against it).
 *
 * @example
 * NAME_FOLDS.find(([, letters]) => letters.includes('é'))?.[0] //=> 'e'
 */
export const NAME_FOLDS: ReadonlyArray<readonly [string, string]> = [
  ['a', 'àáâãäåāăąÀÁÂÃÄÅĀĂĄ'],
  ['c', 'çćĉċčÇĆĈĊČ'],
  ['d', 'ďđĎĐ'],
  ['e', 'èéêëēĕėęěÈÉÊËĒĔĖĘĚ'],
  ['g', 'ĝğġģĜĞĠĢ'],
  ['h', 'ĥħĤĦ'],
  ['i', 'ìíîïĩīĭįıÌÍÎÏĨĪĬĮİ'],
  ['j', 'ĵĴ'],
  ['k', 'ķĶ'],
  ['l', 'ĺļľŀłĹĻĽĿŁ'],
  ['n', 'ñńņňÑŃŅŇ'],
  ['o', 'òóôõöøōŏőÒÓÔÕÖØŌŎŐ'],
  ['r', 'ŕŗřŔŖŘ'],
  ['s', 'śŝşšșŚŜŞŠȘ'],
  ['t', 'ţťŧțŢŤŦȚ'],
  ['u', 'ùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲ'],
  ['w', 'ŵŴ'],
  ['y', 'ýÿŷÝŸŶ'],
  ['z', 'źżžŹŻŽ'],
  ['oe', 'œŒ'],
  ['ae', 'æÆ'],
  ['ss', 'ß'],
]

const FOLD = new Map<string, string>()
for (const [plain, letters] of NAME_FOLDS) for (const letter of letters) FOLD.set(letter, plain)
for (let c = 65; c <= 90; c++) FOLD.set(String.fromCharCode(c), String.fromCharCode(c + 32))

/**
 * What separates the words of a name: spaces (also no-break), hyphens, apostrophes (straight and
 * typographic), dots, commas, slashes and parentheses. "Jean-Pierre D'Angelo" has the words
 * jean, pierre, d, angelo.
 *
 * @example
 * 'Jean-Pierre'.split(NAME_WORD_SEPARATORS) //=> ['Jean', 'Pierre']
 */
export const NAME_WORD_SEPARATORS = /[ \t\u00a0'\u2019.,/()-]+/

/**
 * A name folded for searching: combining accents dropped, then every letter of {@link NAME_FOLDS}
 * and every upper-case ASCII letter replaced by its plain lower-case form.
 *
 * @example
 * foldName('Éloïse Lefèvre-Œuvray') //=> 'eloise lefevre-oeuvray'
 */
export function foldName(text: string): string {
  if (typeof text !== 'string') {
    throw new EcoleError('INVALID_INPUT', `text: must be a string (got ${typeof text})`, { details: { field: 'text' } })
  }
  let out = ''
  for (const ch of text.replace(/[\u0300-\u036f]/g, '')) out += FOLD.get(ch) ?? ch
  return out
}

/**
 * The folded words of a name ({@link foldName}, split at {@link NAME_WORD_SEPARATORS}), empty
 * words left out.
 *
 * @example
 * nameWords("Jean-Pierre D'Angelo") //=> ['jean', 'pierre', 'd', 'angelo']
 */
export function nameWords(text: string): string[] {
  return foldName(text).split(NAME_WORD_SEPARATORS).filter((w) => w.length > 0)
}

/**
 * The name a record is searched by: a household's name; a guardian's or a child's first name and
 * last name.
 *
 * @example
 * searchedName('child', { firstName: 'Léa', lastName: 'Dupont' } as Child) //=> 'Léa Dupont'
 */
export function searchedName<K extends DirectorySearchKind>(kind: K, record: DirectorySearchRecords[K]): string {
  try {
    if (kind === 'household') return (record as Household).name ?? ''
    const person = record as Guardian | Child
    return `${person.firstName ?? ''} ${person.lastName ?? ''}`
  } catch (error) {
    throw asInputError(error, 'searchedName', {
      kind: [kind, 'string', "'household', 'guardian' or 'child'"],
      record: [record, 'object', 'a household, guardian or child'],
    })
  }
}

/** The record types of the searchable kinds. */
export interface DirectorySearchRecords {
  /** Households. */
  household: Household
  /** Guardians. */
  guardian: Guardian
  /** Children. */
  child: Child
}

/** At most this many words in a name search. */
export const MAX_NAME_SEARCH_WORDS = 5

/**
 * A search of the directory, as a list screen sends it: `name`, words that must each begin a
 * word of the record's name (case and the accents of {@link NAME_FOLDS} ignored: "dup mar" finds
 * "Marie Dupont"); `archived`, `false` for the active records only, `true` for the archived only,
 * absent for both (guardians and children; households have no archive mark); `householdId`, the
 * guardians of one household. Every field is optional; an empty name is no name filter.
 *
 * @example
 * DirectorySearchSchema.parse({ name: ' Dup ', archived: false }) //=> { name: 'Dup', archived: false }
 */
export const DirectorySearchSchema = z.strictObject({
  name: z.string().trim().max(100, 'must be at most 100 characters').optional(),
  archived: z.boolean().optional(),
  householdId: RecordIdSchema.optional(),
})
/** A search of the directory, as a list screen sends it. */
export type DirectorySearch = z.input<typeof DirectorySearchSchema>

/** A validated search ({@link prepareDirectorySearch}), what storage adapters run. */
export interface PreparedDirectorySearch {
  /** The kind searched. */
  readonly kind: DirectorySearchKind
  /** Folded words, each of which must begin a word of the name (none: no name filter). */
  readonly words: readonly string[]
  /** `false`: active only; `true`: archived only; absent: both. */
  readonly archived?: boolean | undefined
  /** Guardians of this household only. */
  readonly householdId?: string | undefined
}

/**
 * Validates a search for a kind of record and folds its words.
 *
 * @example
 * prepareDirectorySearch('child', { name: 'Lé Dup' }) //=> { kind: 'child', words: ['le', 'dup'], archived: undefined, householdId: undefined }
 * @throws EcoleError `INVALID_INPUT` naming the field: a kind that cannot be searched (`kind`), a
 * name over 100 characters or of more than 5 words (`search.name`), an archive filter on households
 * (`search.archived`), a household filter on anything but guardians (`search.householdId`).
 */
export function prepareDirectorySearch(kind: DirectorySearchKind, search: DirectorySearch): PreparedDirectorySearch {
  if (!(DIRECTORY_SEARCH_KINDS as readonly string[]).includes(kind)) {
    throw new EcoleError('INVALID_INPUT', `kind: ${typeof kind === 'string' ? kind : `a ${typeof kind}`} cannot be searched by name (household, guardian or child)`, { details: { field: 'kind' } })
  }
  const parsed = parseInput(DirectorySearchSchema, search, 'search')
  const words = nameWords(parsed.name ?? '')
  if (words.length > MAX_NAME_SEARCH_WORDS) {
    throw new EcoleError('INVALID_INPUT', `search.name: at most ${MAX_NAME_SEARCH_WORDS} words, got ${words.length}`, { details: { field: 'search.name', max: MAX_NAME_SEARCH_WORDS } })
  }
  if (kind === 'household' && parsed.archived !== undefined) {
    throw new EcoleError('INVALID_INPUT', 'search.archived: households have no archive mark (filter guardians or children)', { details: { field: 'search.archived' } })
  }
  if (kind !== 'guardian' && parsed.householdId !== undefined) {
    throw new EcoleError('INVALID_INPUT', `search.householdId: only guardians are filtered by household, not ${kind}`, { details: { field: 'search.householdId' } })
  }
  return { kind, words, archived: parsed.archived, householdId: parsed.householdId }
}

/**
 * Whether a record matches a prepared search: the reference every storage adapter agrees with.
 * A record without an archive mark counts as active.
 *
 * @example
 * const search = prepareDirectorySearch('guardian', { name: 'dup mar' })
 * matchesDirectorySearch(search, { firstName: 'Marie', lastName: 'Dupont', archived: null } as Guardian) //=> true
 */
export function matchesDirectorySearch(search: PreparedDirectorySearch, record: DirectorySearchRecords[DirectorySearchKind]): boolean {
  try {
    if (search.archived !== undefined) {
      const mark = (record as { archived?: unknown }).archived
      const archived = mark !== undefined && mark !== null
      if (archived !== search.archived) return false
    }
    if (search.householdId !== undefined && (record as Guardian).householdId !== search.householdId) return false
    if (search.words.length === 0) return true
    const words = nameWords(searchedName(search.kind, record))
    return search.words.every((w) => words.some((word) => word.startsWith(w)))
  } catch (error) {
    throw asInputError(error, 'matchesDirectorySearch', {
      search: [search, 'object', 'a prepared search (from prepareDirectorySearch)'],
      record: [record, 'object', 'a household, guardian or child'],
    })
  }
}
