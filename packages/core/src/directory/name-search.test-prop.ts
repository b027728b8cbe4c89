import { fc, test } from '@fast-check/vitest'
import { foldName, matchesDirectorySearch, nameWords, prepareDirectorySearch } from './name-search'
import type { Child } from './child'

const letters = fc.constantFrom(...'abcdeéèëœÉÈAZßçÇ -\''.split(''))
const name = fc.array(letters, { minLength: 1, maxLength: 16 }).map((cs) => cs.join(''))

test.prop([name])('folding is idempotent: a folded name folds to itself', (n) => foldName(foldName(n)) === foldName(n))

test.prop([name, name])('a child is found by the beginning of each word of its own name, however it is typed', (first, last) => {
  const child = { firstName: first, lastName: last } as Child
  const words = nameWords(`${first} ${last}`).slice(0, 5)
  const typed = words.map((w) => w.slice(0, Math.max(1, Math.ceil(w.length / 2))).toUpperCase()).join(' ')
  return matchesDirectorySearch(prepareDirectorySearch('child', { name: typed }), child)
})

test.prop([name, name, name])('adding a word to a search never finds more', (first, last, q) => {
  const child = { firstName: first, lastName: last } as Child
  const one = prepareDirectorySearch('child', { name: 'a' })
  const two = prepareDirectorySearch('child', { name: `a ${nameWords(q).slice(0, 3).join(' ')}` })
  return !matchesDirectorySearch(two, child) || matchesDirectorySearch(one, child)
})
