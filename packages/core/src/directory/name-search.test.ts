import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import type { Child } from './child'
import type { Guardian } from './guardian'
import type { Household } from './household'
import { foldName, matchesDirectorySearch, nameWords, prepareDirectorySearch } from './name-search'

const marie = { firstName: 'Marie-Éloïse', lastName: 'Dupont', householdId: 'h1', archived: null } as unknown as Guardian

function codeAndMessage(f: () => unknown): string {
  try {
    f()
  } catch (error) {
    if (isEcoleError(error, 'INVALID_INPUT')) return error.message
    throw error
  }
  throw new Error('expected INVALID_INPUT')
}

describe('searching the directory by name', () => {
  it('folds accents, ligatures and capitals to plain lower-case letters', () => {
    expect(foldName('Éloïse LEFÈVRE-Œuvray Straße')).toBe('eloise lefevre-oeuvray strasse')
    expect(foldName('E\u0301lodie')).toBe('elodie')
  })

  it('keeps letters of other scripts as typed', () => {
    expect(foldName('Жанна')).toBe('Жанна')
  })

  it('splits a name at spaces, hyphens, apostrophes, dots, commas, slashes and parentheses', () => {
    expect(nameWords("Jean-Pierre D'Angelo")).toEqual(['jean', 'pierre', 'd', 'angelo'])
    expect(nameWords('Le Goff, Yann (dit) A.B/C\u2019D')).toEqual(['le', 'goff', 'yann', 'dit', 'a', 'b', 'c', 'd'])
  })

  it('finds a guardian when every word searched begins a word of the first or last name', () => {
    expect(matchesDirectorySearch(prepareDirectorySearch('guardian', { name: 'dup elo' }), marie)).toBe(true)
    expect(matchesDirectorySearch(prepareDirectorySearch('guardian', { name: 'MAR' }), marie)).toBe(true)
    expect(matchesDirectorySearch(prepareDirectorySearch('guardian', { name: 'pont' }), marie)).toBe(false)
    expect(matchesDirectorySearch(prepareDirectorySearch('guardian', { name: 'dup paul' }), marie)).toBe(false)
  })

  it('treats an empty name as no name filter', () => {
    expect(prepareDirectorySearch('child', { name: '  ' }).words).toEqual([])
    expect(matchesDirectorySearch(prepareDirectorySearch('child', { name: '' }), { firstName: 'Léa', lastName: 'Roux' } as Child)).toBe(true)
  })

  it('counts a record without an archive mark as active', () => {
    const lea = { firstName: 'Léa', lastName: 'Roux' } as Child
    expect(matchesDirectorySearch(prepareDirectorySearch('child', { archived: false }), lea)).toBe(true)
    expect(matchesDirectorySearch(prepareDirectorySearch('child', { archived: true }), lea)).toBe(false)
    expect(matchesDirectorySearch(prepareDirectorySearch('child', { archived: true }), { ...lea, archived: { on: '2026-07-04' } } as unknown as Child)).toBe(true)
  })

  it('keeps the guardians of one household', () => {
    expect(matchesDirectorySearch(prepareDirectorySearch('guardian', { householdId: 'h1' }), marie)).toBe(true)
    expect(matchesDirectorySearch(prepareDirectorySearch('guardian', { householdId: 'h2' }), marie)).toBe(false)
  })

  it('searches a household by its name', () => {
    const h = { name: 'Famille Lefèvre' } as Household
    expect(matchesDirectorySearch(prepareDirectorySearch('household', { name: 'lefe' }), h)).toBe(true)
  })

  it('refuses an archive filter on households, a household filter on children, more than five words, naming the field', () => {
    expect(codeAndMessage(() => prepareDirectorySearch('household', { archived: false }))).toContain('search.archived')
    expect(codeAndMessage(() => prepareDirectorySearch('child', { householdId: 'h1' }))).toContain('search.householdId')
    expect(codeAndMessage(() => prepareDirectorySearch('child', { name: 'a b c d e f' }))).toContain('search.name')
    expect(codeAndMessage(() => prepareDirectorySearch('child', { name: 'x'.repeat(101) }))).toContain('search.name')
    expect(codeAndMessage(() => prepareDirectorySearch('child', { extra: 1 } as never))).toContain('search')
  })
})
