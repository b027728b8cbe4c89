/**
 * A FatturaPA writer used only by the tests (the library reads FatturaPA; it does not issue it):
 * a small model of an invoice file, written as schema-valid XML.
 */

export interface ModelLine { description: string; quantity: string; unitPriceMinor: bigint; rate: '22.00' | '10.00' | '4.00' | '0.00' }
export interface ModelBody { type: string; number: string; date: string; lines: ModelLine[]; withTotal: boolean; payments: Array<{ method: string; due: string }>; attachment?: Uint8Array | undefined }
export interface ModelFile { format: 'FPA12' | 'FPR12'; supplierVat: string; customerVat: string; supplierName: string; progressive: string; bodies: ModelBody[] }

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export function minorText(minor: bigint): string {
  const sign = minor < 0n ? '-' : ''
  const abs = minor < 0n ? -minor : minor
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}

/** Quantity (2 decimals) x unit price (cents), rounded half-up to cents. */
export function lineTotalMinor(l: ModelLine): bigint {
  const [i, f = ''] = l.quantity.split('.')
  const hundredths = BigInt(i!) * 100n + BigInt((f + '00').slice(0, 2))
  return (hundredths * l.unitPriceMinor + 50n) / 100n
}

/** The VAT summary of a body: per rate, the taxable amount and its VAT rounded half-up. */
export function summaryOf(body: ModelBody): Array<{ rate: string; taxable: bigint; tax: bigint }> {
  const rates = [...new Set(body.lines.map((l) => l.rate))]
  return rates.map((rate) => {
    const taxable = body.lines.filter((l) => l.rate === rate).reduce((a, l) => a + lineTotalMinor(l), 0n)
    const r = BigInt(rate.replace('.', ''))
    const tax = (taxable * r + 5000n) / 10000n
    return { rate, taxable, tax }
  })
}

export function writeFatturaPA(file: ModelFile): string {
  const country = (vat: string): string => vat.slice(0, 2)
  const code = (vat: string): string => vat.slice(2)
  const bodies = file.bodies.map((b) => {
    const summary = summaryOf(b)
    const total = summary.reduce((a, s) => a + s.taxable + s.tax, 0n)
    return `<FatturaElettronicaBody>
<DatiGenerali><DatiGeneraliDocumento><TipoDocumento>${b.type}</TipoDocumento><Divisa>EUR</Divisa><Data>${b.date}</Data><Numero>${esc(b.number)}</Numero>${b.withTotal ? `<ImportoTotaleDocumento>${minorText(total)}</ImportoTotaleDocumento>` : ''}</DatiGeneraliDocumento></DatiGenerali>
<DatiBeniServizi>${b.lines.map((l, i) => `<DettaglioLinee><NumeroLinea>${i + 1}</NumeroLinea><Descrizione>${esc(l.description)}</Descrizione><Quantita>${l.quantity}</Quantita><PrezzoUnitario>${minorText(l.unitPriceMinor)}</PrezzoUnitario><PrezzoTotale>${minorText(lineTotalMinor(l))}</PrezzoTotale><AliquotaIVA>${l.rate}</AliquotaIVA>${l.rate === '0.00' ? '<Natura>N4</Natura>' : ''}</DettaglioLinee>`).join('')}
${summary.map((s) => `<DatiRiepilogo><AliquotaIVA>${s.rate}</AliquotaIVA>${s.rate === '0.00' ? '<Natura>N4</Natura>' : ''}<ImponibileImporto>${minorText(s.taxable)}</ImponibileImporto><Imposta>${minorText(s.tax)}</Imposta>${s.rate === '0.00' ? '' : '<EsigibilitaIVA>I</EsigibilitaIVA>'}</DatiRiepilogo>`).join('')}</DatiBeniServizi>
${b.payments.length ? `<DatiPagamento><CondizioniPagamento>${b.payments.length > 1 ? 'TP01' : 'TP02'}</CondizioniPagamento>${b.payments.map((p, i) => `<DettaglioPagamento><ModalitaPagamento>${p.method}</ModalitaPagamento><DataScadenzaPagamento>${p.due}</DataScadenzaPagamento><ImportoPagamento>${minorText(i === 0 ? total - (total / BigInt(b.payments.length)) * BigInt(b.payments.length - 1) : total / BigInt(b.payments.length))}</ImportoPagamento></DettaglioPagamento>`).join('')}</DatiPagamento>` : ''}
${b.attachment ? `<Allegati><NomeAttachment>allegato.bin</NomeAttachment><Attachment>${Buffer.from(b.attachment).toString('base64')}</Attachment></Allegati>` : ''}
</FatturaElettronicaBody>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>
<p:FatturaElettronica versione="${file.format}" xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
<FatturaElettronicaHeader>
<DatiTrasmissione><IdTrasmittente><IdPaese>${country(file.supplierVat)}</IdPaese><IdCodice>${code(file.supplierVat)}</IdCodice></IdTrasmittente><ProgressivoInvio>${file.progressive}</ProgressivoInvio><FormatoTrasmissione>${file.format}</FormatoTrasmissione><CodiceDestinatario>${file.format === 'FPA12' ? 'UFY9MH' : '0000000'}</CodiceDestinatario></DatiTrasmissione>
<CedentePrestatore><DatiAnagrafici><IdFiscaleIVA><IdPaese>${country(file.supplierVat)}</IdPaese><IdCodice>${code(file.supplierVat)}</IdCodice></IdFiscaleIVA><Anagrafica><Denominazione>${esc(file.supplierName)}</Denominazione></Anagrafica><RegimeFiscale>RF01</RegimeFiscale></DatiAnagrafici><Sede><Indirizzo>VIALE ROMA 543</Indirizzo><CAP>07100</CAP><Comune>SASSARI</Comune><Provincia>SS</Provincia><Nazione>IT</Nazione></Sede></CedentePrestatore>
<CessionarioCommittente><DatiAnagrafici><IdFiscaleIVA><IdPaese>${country(file.customerVat)}</IdPaese><IdCodice>${code(file.customerVat)}</IdCodice></IdFiscaleIVA><Anagrafica><Denominazione>PLESSO GARIBALDI</Denominazione></Anagrafica></DatiAnagrafici><Sede><Indirizzo>VIA TORINO 38-B</Indirizzo><CAP>00145</CAP><Comune>ROMA</Comune><Provincia>RM</Provincia><Nazione>IT</Nazione></Sede></CessionarioCommittente>
</FatturaElettronicaHeader>
${bodies.join('\n')}
</p:FatturaElettronica>
`
}
