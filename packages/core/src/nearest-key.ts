/**
 * The Levenshtein distance between two strings (insertions, deletions, substitutions), case
 * folded: `quotients` is 7 edits from `familyQuotients`... and closer than any other key.
 *
 * @internal
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase()
  const t = b.toLowerCase()
  if (s === t) return 0
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j)
  for (let i = 1; i <= s.length; i++) {
    const row = [i]
    for (let j = 1; j <= t.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[t.length]!
}

/**
 * The known key nearest to `key`: the one with the smallest edit distance, or the one `key` contains
 * or is contained in (`familyQuotients` -> `quotients`); `undefined` when none is reasonably close.
 *
 * @internal
 */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestScore = Infinity
  let bestContained = false
  const k = key.toLowerCase()
  for (const candidate of known) {
    const c = candidate.toLowerCase()
    const distance = editDistance(k, c)
    // containment (a prefix or a suffix added or dropped) is close whatever its length
    const contained = c.length > 2 && k.length > 2 && (k.includes(c) || c.includes(k))
    if (distance < bestScore) {
      bestScore = distance
      best = candidate
      bestContained = contained
    }
  }
  if (best === undefined) return undefined
  const limit = Math.max(2, Math.floor(Math.max(key.length, best.length) / 3))
  return bestContained || bestScore <= limit ? best : undefined
}
