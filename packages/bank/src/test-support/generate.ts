/** Generators of large bank files for benchmarks (valid OGMs computed here: base + base mod 97). */

export function ogmOf(n: number): string {
  const base = String(n).padStart(10, '0')
  const r = Number(BigInt(base) % 97n)
  return base + String(r === 0 ? 97 : r).padStart(2, '0')
}

/** A camt.053.001.08 of `count` booked credit entries, each one transfer with an OGM (every third to a wallet), balances that add up. */
export function bigCamt053(count: number): { xml: string; invoices: number; wallets: number } {
  const parts: string[] = []
  let total = 0
  const entries: string[] = []
  for (let i = 0; i < count; i++) {
    const cents = 100 + (i % 9000)
    total += cents
    const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`
    const ref = i % 3 === 0 ? ogmOf(1_000_000_000 + (i % 30_000)) : ogmOf(2_000_000_000 + i)
    entries.push(
      `<Ntry><NtryRef>${i + 1}</NtryRef><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-30</Dt></BookgDt><ValDt><Dt>2026-11-30</Dt></ValDt><AcctSvcrRef>BANK-2026-11-30-${i + 1}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><RltdPties><Dbtr><Pty><Nm>Famille Dupont ${i}</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>BE71096123456769</IBAN></Id></DbtrAcct></RltdPties><RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp><Ref>${ref}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>\n`,
    )
  }
  const closing = `${Math.floor(total / 100)}.${String(total % 100).padStart(2, '0')}`
  parts.push(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-12-01T06:00:00+01:00</CreDtTm></GrpHdr><Stmt><Id>BENCH-1</Id><Acct><Id><IBAN>BE68539007547034</IBAN></Id><Ccy>EUR</Ccy></Acct>`,
    `<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-29</Dt></Dt></Bal>`,
    `<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-30</Dt></Dt></Bal>`,
    `<TxsSummry><TtlNtries><NbOfNtries>${count}</NbOfNtries><Sum>${closing}</Sum></TtlNtries></TxsSummry>\n`,
    ...entries,
    `</Stmt></BkToCstmrStmt></Document>`,
  )
  return { xml: parts.join(''), invoices: count - Math.ceil(count / 3), wallets: Math.min(30_000, Math.ceil(count / 3)) }
}

function rec(fields: Record<number, string>): string {
  const chars = Array.from({ length: 128 }, () => ' ')
  for (const [pos, text] of Object.entries(fields)) for (let i = 0; i < text.length; i++) chars[Number(pos) - 1 + i] = text[i] as string
  return chars.join('')
}

/** A CODA file of one statement with `count` movements (2.1 + 2.2 + 2.3 each), OGM communications, consistent totals. */
export function bigCoda(count: number): string {
  const lines: string[] = [rec({ 1: '00000', 6: '011226', 12: '005', 61: 'GEBABEBB', 128: '2' })]
  lines.push(rec({ 1: '12001BE68539007547034', 40: 'EUR', 43: '0', 44: '0'.repeat(15), 59: '301126', 65: 'COMMUNE DE WAVRE', 126: '001' }))
  let credit = 0n
  for (let i = 0; i < count; i++) {
    const seq = String((i % 9999) + 1).padStart(4, '0') + '0000'
    const cents = BigInt(100 + (i % 9000))
    credit += cents
    lines.push(rec({ 1: '21', 3: seq, 11: `B${String(i).padStart(12, '0')}`, 32: '0', 33: (cents * 10n).toString().padStart(15, '0'), 48: '011226', 54: '00150000', 62: `1101${ogmOf(2_000_000_000 + i)}`, 116: '011226', 125: '0', 126: '1', 128: '0' }))
    lines.push(rec({ 1: '22', 3: seq, 64: `E2E-${i}`, 99: 'GKCCBEBB', 126: '1', 128: '0' }))
    lines.push(rec({ 1: '23', 3: seq, 11: 'BE71096123456769', 48: `FAMILLE ${i}`, 126: '0', 128: '0' }))
  }
  lines.push(rec({ 1: '8001BE68539007547034                  EUR', 42: '0', 43: (credit * 10n).toString().padStart(15, '0'), 58: '011226' }))
  lines.push(rec({ 1: '9', 17: String(lines.length - 1).padStart(6, '0'), 23: '0'.repeat(15), 38: (credit * 10n).toString().padStart(15, '0'), 128: '2' }))
  return lines.join('\r\n') + '\r\n'
}

/**
 * A CODA file of `groups` globalised collection credits (globalisation code 1), each of `details`
 * details (at most 9,999: the detail number has four digits) with an information record 3.1 each,
 * as banks send SEPA direct-debit collections; balances and trailer that add up.
 */
export function globalisedCoda(groups: number, details: number): string {
  const lines: string[] = [rec({ 1: '00000', 6: '011226', 12: '005', 61: 'GEBABEBB', 128: '2' })]
  lines.push(rec({ 1: '12001BE68539007547034', 40: 'EUR', 43: '0', 44: '0'.repeat(15), 59: '301126', 65: 'COMMUNE DE WAVRE', 126: '001' }))
  const amount = (cents: bigint) => (cents * 10n).toString().padStart(15, '0')
  let credit = 0n
  for (let g = 1; g <= groups; g++) {
    const seq = String(g).padStart(4, '0')
    const total = BigInt(details) * 3000n
    credit += total
    lines.push(rec({ 1: '21', 3: `${seq}0000`, 11: `GLOB${g}`, 32: '0', 33: amount(total), 48: '011226', 54: '10550000', 62: '0SEPA DD COLLECTION', 116: '011226', 125: '1', 126: '0', 128: '1' }))
    for (let d = 1; d <= details; d++) {
      const ref = `${seq}${String(d).padStart(4, '0')}`
      lines.push(rec({ 1: '21', 3: ref, 11: `D${g}-${d}`, 32: '0', 33: amount(3000n), 48: '011226', 54: '60550000', 62: `1101${ogmOf(2_000_000_000 + g * 10_000 + d)}`, 116: '011226', 125: d === details ? '1' : '0', 126: '0', 128: '1' }))
      lines.push(rec({ 1: '31', 3: ref, 11: `D${g}-${d}`, 32: '60550000', 40: '0', 41: `MANDAT RUM-${g}-${d}`, 126: '0', 128: '0' }))
    }
  }
  lines.push(rec({ 1: '8001BE68539007547034                  EUR', 42: '0', 43: amount(credit), 58: '011226' }))
  lines.push(rec({ 1: '9', 17: String(lines.length - 1).padStart(6, '0'), 23: '0'.repeat(15), 38: amount(credit), 128: '2' }))
  return lines.join('\r\n') + '\r\n'
}

/**
 * An MT940 file of `count` movements in one statement, in SWIFT blocks: alternating credits with
 * an RF in a `/KEY/value/` :86: and debits with German `?xx` subfields, opening and closing
 * balances that add up.
 */
export function bigMt940(count: number): string {
  const lines = ['{1:F01ECOLBEBBAXXX0000000000}{2:I940ECOLBEBBXXXXN}{4:', ':20:BIG', ':25:BE68539007547034', ':28C:00001/001', ':60F:C270101EUR0,00']
  let total = 0n
  for (let i = 0; i < count; i++) {
    const cents = BigInt(100 + (i % 9000))
    const credit = i % 3 !== 2
    total += credit ? cents : -cents
    const amount = `${cents / 100n},${String(cents % 100n).padStart(2, '0')}`
    lines.push(`:61:2701150115${credit ? 'C' : 'D'}${amount}NTRFNONREF//B${String(i).padStart(12, '0')}`)
    lines.push(credit
      ? `:86:/EREF/E2E-${i}//CNTP/BE71096123456769/GKCCBEBB/FAMILLE ${i}///REMI/USTD//CANTINE ${ogmOf(2_000_000_000 + i)}/`
      : `:86:105?00LASTSCHRIFT?20MREF+RUM-${i}?21SVWZ+Abonnement ${i}?32Fournisseur`)
  }
  const closing = total < 0n ? -total : total
  lines.push(`:62F:${total < 0n ? 'D' : 'C'}270115EUR${closing / 100n},${String(closing % 100n).padStart(2, '0')}`, '-}')
  return lines.join('\r\n')
}
