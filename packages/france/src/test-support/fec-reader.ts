// A reader of FEC files written from the published rules (article A47 A-1 LPF, BOI-CF-IOR-60-40-20),
// independent of the writer: the tests check the writer's bytes with it.

const LATIN9: Record<number, string> = { 0xa4: '€', 0xa6: 'Š', 0xa8: 'š', 0xb4: 'Ž', 0xb8: 'ž', 0xbc: 'Œ', 0xbd: 'œ', 0xbe: 'Ÿ' }

/** ISO 8859-15 bytes to text. */
export function decodeLatin9(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += LATIN9[b] ?? String.fromCharCode(b)
  return s
}

export const OFFICIAL_COLUMNS =
  'JournalCode JournalLib EcritureNum EcritureDate CompteNum CompteLib CompAuxNum CompAuxLib PieceRef PieceDate EcritureLib Debit Credit EcritureLet DateLet ValidDate Montantdevise Idevise'.split(' ')

export interface FecRow { [column: string]: string }

/** Cents of a FEC amount ('1234,56'), refusing any other shape. */
export function cents(text: string): bigint {
  if (!/^\d+,\d{2}$/.test(text)) throw new Error(`amount ${JSON.stringify(text)} is not digits, a comma and two decimals`)
  return BigInt(text.replace(',', ''))
}

function isDate(text: string): boolean {
  if (!/^\d{8}$/.test(text)) return false
  const d = new Date(Date.UTC(+text.slice(0, 4), +text.slice(4, 6) - 1, +text.slice(6, 8)))
  return d.getUTCFullYear() === +text.slice(0, 4) && d.getUTCMonth() === +text.slice(4, 6) - 1 && d.getUTCDate() === +text.slice(6, 8)
}

/**
 * Parses a FEC and returns its rows, or throws with the first rule broken: header of the 18 names
 * in order, 18 fields per line, mandatory fields present, dates AAAAMMJJ, amounts with a comma,
 * auxiliary number and label together, each EcritureNum on consecutive lines of one journal and one
 * date, each entry and each journal balanced, entries of a journal in date order.
 */
export function readFec(text: string, separator: '\t' | '|' = '\t'): FecRow[] {
  const lines = text.split(/\r\n|\n|\r/)
  if (lines.at(-1) === '') lines.pop()
  const header = lines[0]?.split(separator) ?? []
  if (header.join(' ') !== OFFICIAL_COLUMNS.join(' ')) throw new Error(`header is not the 18 columns in order: ${header.join(',')}`)
  const rows: FecRow[] = []
  const seenNums = new Set<string>()
  let current: { num: string; journal: string; date: string; sum: bigint } | undefined
  const journals = new Map<string, { sum: bigint; lastDate: string }>()
  const close = () => {
    if (current && current.sum !== 0n) throw new Error(`entry ${current.num} is not balanced (${current.sum})`)
  }
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.split(separator)
    if (f.length !== 18) throw new Error(`line ${i + 1} has ${f.length} fields`)
    const row: FecRow = {}
    OFFICIAL_COLUMNS.forEach((c, k) => (row[c] = f[k]!))
    for (const c of ['JournalCode', 'JournalLib', 'EcritureNum', 'EcritureDate', 'CompteNum', 'CompteLib', 'PieceRef', 'PieceDate', 'EcritureLib', 'ValidDate']) {
      if (row[c] === '') throw new Error(`line ${i + 1}: ${c} is empty`)
    }
    for (const c of ['EcritureDate', 'PieceDate', 'ValidDate']) if (!isDate(row[c]!)) throw new Error(`line ${i + 1}: ${c} ${row[c]} is not AAAAMMJJ`)
    if ((row['CompAuxNum'] === '') !== (row['CompAuxLib'] === '')) throw new Error(`line ${i + 1}: CompAuxNum and CompAuxLib go together`)
    const d = cents(row['Debit']!)
    const c = cents(row['Credit']!)
    if (d !== 0n && c !== 0n) throw new Error(`line ${i + 1}: both Debit and Credit`)
    if (row['ValidDate']! < row['EcritureDate']!) throw new Error(`line ${i + 1}: validated before its date`)
    const num = row['EcritureNum']!
    if (!current || current.num !== num) {
      close()
      if (seenNums.has(num)) throw new Error(`line ${i + 1}: entry ${num} is split`)
      seenNums.add(num)
      current = { num, journal: row['JournalCode']!, date: row['EcritureDate']!, sum: 0n }
      const j = journals.get(current.journal) ?? { sum: 0n, lastDate: '' }
      if (current.date < j.lastDate) throw new Error(`line ${i + 1}: journal ${current.journal} goes back in time`)
      j.lastDate = current.date
      journals.set(current.journal, j)
    } else if (current.journal !== row['JournalCode'] || current.date !== row['EcritureDate']) {
      throw new Error(`line ${i + 1}: entry ${num} changes journal or date`)
    }
    current.sum += d - c
    journals.get(current.journal)!.sum += d - c
    rows.push(row)
  }
  close()
  for (const [code, j] of journals) if (j.sum !== 0n) throw new Error(`journal ${code} is not balanced`)
  return rows
}
