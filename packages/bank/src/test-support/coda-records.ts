/**
 * Builds 128-character CODA records for tests, from fields placed at the 1-based positions of
 * the Febelfin CODA 2.x specification (written here independently of the parser).
 */
export function record(fields: Record<number, string>): string {
  const chars = Array.from({ length: 128 }, () => ' ')
  for (const [pos, text] of Object.entries(fields)) {
    const start = Number(pos) - 1
    for (let i = 0; i < text.length; i++) chars[start + i] = text[i] as string
  }
  return chars.join('').slice(0, 128)
}

/** A 15-digit CODA amount (3 implied decimals) from cents. */
export function amount15(cents: bigint): string {
  return (cents * 10n).toString().padStart(15, '0')
}

/** A movement as a test describes it. */
export interface TestMovement {
  seq: number
  detail?: number
  bankRef: string
  credit: boolean
  cents: bigint
  /** Structured communication: type and content (at most 146 characters); or free text. */
  structured?: { type: string; content: string }
  text?: string
  customerRef?: string
  counterparty?: { account: string; name: string }
  glob?: number
}

/** The records 2.1, 2.2 and 2.3 of a movement (2.2 and 2.3 always written). */
export function movementRecords(m: TestMovement): string[] {
  const seq = String(m.seq).padStart(4, '0') + String(m.detail ?? 0).padStart(4, '0')
  const comm = m.structured ? m.structured.content.padEnd(146, ' ') : (m.text ?? '').padEnd(149, ' ')
  const first = m.structured ? `1${m.structured.type}${comm.slice(0, 50)}` : `0${comm.slice(0, 53)}`
  const rest = m.structured ? comm.slice(50) : comm.slice(53)
  return [
    record({ 1: '21', 3: seq, 11: m.bankRef, 32: m.credit ? '0' : '1', 33: amount15(m.cents), 48: '011226', 54: '00501000', 62: first, 116: '021226', 125: String(m.glob ?? 0), 126: '1', 128: '0' }),
    record({ 1: '22', 3: seq, 11: rest.slice(0, 53), 64: m.customerRef ?? '', 126: '1', 128: '0' }),
    record({ 1: '23', 3: seq, 11: m.counterparty?.account ?? '', 48: m.counterparty?.name ?? '', 83: rest.slice(53, 96), 126: '0', 128: '0' }),
  ]
}

/** A whole CODA statement for account BE68539007547034 in EUR, with the given balances and movements. */
export function codaFile(options: { openingCents: bigint; movements: TestMovement[]; closingCents?: bigint; trailer?: { count?: number; debit?: bigint; credit?: bigint }; holder?: string }): string {
  const { openingCents, movements } = options
  const lines: string[] = []
  lines.push(record({ 1: '00000', 6: '021226', 12: '005', 35: 'ECOLE TEST', 61: 'GEBABEBB', 128: '2' }))
  const sign = (c: bigint) => (c < 0n ? '1' : '0')
  const abs = (c: bigint) => (c < 0n ? -c : c)
  lines.push(record({ 1: '12001BE68539007547034', 40: 'EUR', 43: sign(openingCents), 44: amount15(abs(openingCents)), 59: '011226', 65: options.holder ?? 'COMMUNE DE WAVRE', 91: 'COMPTE COURANT', 126: '001' }))
  let debit = 0n
  let credit = 0n
  for (const m of movements) {
    lines.push(...movementRecords(m))
    if ((m.detail ?? 0) === 0) {
      if (m.credit) credit += m.cents
      else debit += m.cents
    }
  }
  const closing = options.closingCents ?? openingCents + credit - debit
  lines.push(record({ 1: '8001BE68539007547034                  EUR', 42: sign(closing), 43: amount15(abs(closing)), 58: '021226' }))
  const count = options.trailer?.count ?? lines.length - 1
  lines.push(record({ 1: '9', 17: String(count).padStart(6, '0'), 23: amount15(options.trailer?.debit ?? debit), 38: amount15(options.trailer?.credit ?? credit), 128: '2' }))
  return lines.join('\r\n') + '\r\n'
}
