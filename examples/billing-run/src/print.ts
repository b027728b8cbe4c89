/** Plain-text tables for the terminal. */
export function table(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, align: ReadonlyArray<'l' | 'r'> = []): string {
  const cells = rows.map((r) => r.map(String))
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)))
  const line = (r: readonly string[]) => r.map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n')
}

/** Minor units as euros with a comma, e.g. 7055n -> '70,55 €'. */
export function euros(minor: bigint): string {
  const neg = minor < 0n
  const abs = neg ? -minor : minor
  return `${neg ? '-' : ''}${abs / 100n},${String(abs % 100n).padStart(2, '0')} €`
}
