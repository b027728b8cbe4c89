/** A small camt.053.001.08 writer for the demo: booked credit transfers, direct-debit credits and returns, balances that add up. */
export interface TestCamtEntry {
  ref: string
  cents: bigint
  credit: boolean
  date: string
  endToEndId?: string
  structured?: { reference: string; issuer: 'BBA' | 'ISO' }
  text?: string
  debtorName?: string
  returnCode?: string
}

function amount(c: bigint): string {
  return `${c / 100n}.${String(c % 100n).padStart(2, '0')}`
}

export function camt053(iban: string, entries: readonly TestCamtEntry[]): string {
  let total = 0n
  const body = entries.map((e, i) => {
    total += e.credit ? e.cents : -e.cents
    const cd = e.credit ? 'CRDT' : 'DBIT'
    const family = e.returnCode ? '<Cd>RDDT</Cd><SubFmlyCd>UPDD</SubFmlyCd>' : e.endToEndId ? '<Cd>RDDT</Cd><SubFmlyCd>ESDD</SubFmlyCd>' : '<Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd>'
    const rmt = e.structured
      ? `<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>${e.structured.issuer}</Issr></Tp><Ref>${e.structured.reference}</Ref></CdtrRefInf></Strd></RmtInf>`
      : e.text ? `<RmtInf><Ustrd>${e.text}</Ustrd></RmtInf>` : ''
    const rtr = e.returnCode ? `<RtrInf><Rsn><Cd>${e.returnCode}</Cd></Rsn></RtrInf>` : ''
    return `<Ntry><NtryRef>${i + 1}</NtryRef><Amt Ccy="EUR">${amount(e.cents)}</Amt><CdtDbtInd>${cd}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>${e.date}</Dt></BookgDt><ValDt><Dt>${e.date}</Dt></ValDt><AcctSvcrRef>${e.ref}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly>${family}</Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>${e.endToEndId ?? 'NOTPROVIDED'}</EndToEndId></Refs><Amt Ccy="EUR">${amount(e.cents)}</Amt><CdtDbtInd>${cd}</CdtDbtInd><RltdPties><Dbtr><Pty><Nm>${e.debtorName ?? 'Famille'}</Nm></Pty></Dbtr></RltdPties>${rmt}${rtr}</TxDtls></NtryDtls></Ntry>`
  })
  const closing = total < 0n ? `<Amt Ccy="EUR">${amount(-total)}</Amt><CdtDbtInd>DBIT</CdtDbtInd>` : `<Amt Ccy="EUR">${amount(total)}</Amt><CdtDbtInd>CRDT</CdtDbtInd>`
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>TEST</MsgId><CreDtTm>2027-01-20T06:00:00+01:00</CreDtTm></GrpHdr><Stmt><Id>STMT-1</Id><Acct><Id><IBAN>${iban}</IBAN></Id><Ccy>EUR</Ccy></Acct><Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2027-01-01</Dt></Dt></Bal><Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>${closing}<Dt><Dt>2027-01-20</Dt></Dt></Bal>${body.join('')}</Stmt></BkToCstmrStmt></Document>`
}
