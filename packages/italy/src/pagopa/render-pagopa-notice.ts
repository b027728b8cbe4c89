import { pagoPa } from '@ecole/core'
import { Layout, collect, drawQr, formatMinor } from '@ecole/pdf'
import bwipjs from 'bwip-js/node'
import { pagoPaQrPayload, posteDataMatrixPayload, preparePagoPaNotice, type PagoPaNotice, type PagoPaNoticeInput } from './pagopa-notice'

const QR_SIZE = 110
const DATA_MATRIX_SIZE = 100

/** Draws a Data Matrix (ECC 200, made by bwip-js) as vector squares, one rectangle per run of dark modules. */
function drawDataMatrix(layout: Layout, text: string, x: number, y: number, size: number): void {
  const symbol = bwipjs.raw({ bcid: 'datamatrix', text })[0] as { pixs: number[]; pixx: number; pixy: number }
  const cell = size / Math.max(symbol.pixx, symbol.pixy)
  const doc = layout.doc
  for (let row = 0; row < symbol.pixy; row++) {
    let col = 0
    while (col < symbol.pixx) {
      if (!symbol.pixs[row * symbol.pixx + col]) {
        col++
        continue
      }
      let end = col
      while (end < symbol.pixx && symbol.pixs[row * symbol.pixx + end]) end++
      doc.rect(x + col * cell, y + row * cell, (end - col) * cell, cell)
      col = end
    }
  }
  doc.fillColor('black').fill()
}

/** The "Bollettino Postale PA" part of a payment, for a creditor with a Poste account: its fields and data matrix. */
function posteBox(layout: Layout, notice: PagoPaNotice, index: number, title: string): void {
  const p = notice.payments[index]!
  const account = notice.creditor.posteAccount!
  const height = DATA_MATRIX_SIZE + 40
  layout.ensure(height + 10)
  const top = layout.y
  layout.doc.rect(layout.left, top, layout.width, height).lineWidth(0.7).strokeColor('#8a8a8a').stroke()
  layout.y = top + 8
  const width = layout.width - DATA_MATRIX_SIZE - 40
  layout.text(`BOLLETTINO POSTALE PA · ${title}`, { bold: true, size: 10, x: layout.left + 10, width })
  layout.gap(4)
  layout.fields([
    ['Sul C/C n.', account],
    ['Intestato a', notice.creditor.posteAccountHolder ?? notice.creditor.name],
    ['Importo', formatMinor(p.amount, 'EUR', 'it-IT')],
    ['Destinatario', notice.debtor.name],
    ['Oggetto', notice.subject],
    ['Codice avviso', pagoPa.formatNotice(p.noticeCode)],
    ['Tipo documento', 'P.A. 896'],
    ['Codice fiscale ente', notice.creditor.fiscalCode],
    ...(notice.creditor.posteAuthorization ? [['Autorizzazione', notice.creditor.posteAuthorization] as const] : []),
  ], { x: layout.left + 10, labelWidth: 110, width })
  const payload = posteDataMatrixPayload({
    noticeCode: p.noticeCode, posteAccount: account, amountMinor: p.amount, creditorFiscalCode: notice.creditor.fiscalCode,
    debtorFiscalCode: notice.debtor.fiscalCode, debtorName: notice.debtor.name, subject: notice.subject,
  })
  drawDataMatrix(layout, payload, layout.right - DATA_MATRIX_SIZE - 15, top + 15, DATA_MATRIX_SIZE)
  layout.y = Math.max(layout.y, top + height) + 10
}

function italianDate(date: string): string {
  const [y, m, d] = date.split('-')
  return `${d}/${m}/${y}`
}

function paymentBox(layout: Layout, notice: PagoPaNotice, index: number, title: string): void {
  const p = notice.payments[index]!
  const height = QR_SIZE + 30
  layout.ensure(height + 10)
  const top = layout.y
  layout.doc.rect(layout.left, top, layout.width, height).lineWidth(0.7).strokeColor('#8a8a8a').stroke()
  layout.y = top + 8
  layout.text(title, { bold: true, size: 10, x: layout.left + 10, width: layout.width - QR_SIZE - 40 })
  layout.gap(4)
  layout.fields([
    ['Importo', formatMinor(p.amount, 'EUR', 'it-IT')],
    ['Entro il', italianDate(p.dueDate)],
    ['Codice avviso', pagoPa.formatNotice(p.noticeCode)],
    ['Codice fiscale ente', notice.creditor.fiscalCode],
    ...(notice.creditor.cbill ? [['Codice CBILL', notice.creditor.cbill] as const] : []),
    ...(notice.creditor.posteAccount ? [['Conto corrente postale', notice.creditor.posteAccount] as const] : []),
  ], { x: layout.left + 10, labelWidth: 120, width: layout.width - QR_SIZE - 40 })
  drawQr(layout, pagoPaQrPayload({ noticeCode: p.noticeCode, creditorFiscalCode: notice.creditor.fiscalCode, amountMinor: p.amount }), layout.right - QR_SIZE - 10, top + 10, QR_SIZE)
  layout.y = top + height + 10
}

/**
 * Renders a pagoPA payment notice ("avviso di pagamento") as an A4 PDF in Italian, through
 * `@ecole/pdf`'s layout and embedded fonts: the creditor entity, the debtor, what is paid, then one
 * box per payment (the single payment, or each instalment) with its amount, due date, notice code
 * (printed in groups of four), the creditor's fiscal code and the QR code a banking or pagoPA app
 * scans (`PAGOPA|002|...`, see {@link pagoPaQrPayload}). When the creditor has a Poste account, each
 * payment also gets its "Bollettino Postale PA" part: account, holder, amount, debtor, subject,
 * notice code, document type 896 and the Poste data matrix (ECC 200, drawn as vectors from
 * bwip-js; its text is {@link posteDataMatrixPayload}).
 *
 * @example
 * const pdf = await renderPagoPaNotice({ creditor: { name: 'Comune di Roma', fiscalCode: '02438750586' },
 *   debtor: { name: 'Giulia Bianchi', fiscalCode: 'BNCGLI80A41H501C' }, subject: 'Mensa scolastica gennaio 2027',
 *   payments: [{ noticeCode: '301000000000000144', amount: '42.50', dueDate: '2027-02-28' }] })
 * @throws EcoleError `INVALID_INPUT` naming every wrong field (see {@link preparePagoPaNotice}).
 */
export async function renderPagoPaNotice(input: PagoPaNoticeInput): Promise<Uint8Array> {
  const notice = preparePagoPaNotice(input)
  const first = notice.payments[0]!
  const layout = new Layout({ title: `Avviso di pagamento pagoPA ${pagoPa.formatNotice(first.noticeCode)}`, author: notice.creditor.name, subject: notice.subject, lang: 'it-IT', created: new Date(`${first.dueDate}T00:00:00Z`) }, 'it')
  layout.text('AVVISO DI PAGAMENTO', { size: 16, bold: true })
  layout.text(notice.subject, { size: 11 })
  layout.gap(10)
  layout.heading('Ente creditore')
  layout.text(notice.creditor.name, { bold: true })
  if (notice.creditor.sector) layout.text(notice.creditor.sector)
  if (notice.creditor.contact) layout.text(notice.creditor.contact, { muted: true })
  layout.text(`Codice fiscale ${notice.creditor.fiscalCode}`, { muted: true })
  layout.heading('Destinatario dell\'avviso')
  layout.text(notice.debtor.name, { bold: true })
  layout.text(`Codice fiscale ${notice.debtor.fiscalCode}`, { muted: true })
  if (notice.debtor.address) layout.text(notice.debtor.address, { muted: true })
  layout.gap(6)
  const total = notice.payments.reduce((a, p) => a + p.amount, 0n)
  if (notice.payments.length === 1) {
    layout.heading('Quanto e quando pagare')
    layout.text(`${formatMinor(total, 'EUR', 'it-IT')} entro il ${italianDate(first.dueDate)}`, { size: 11, bold: true })
    layout.gap(6)
    paymentBox(layout, notice, 0, 'Unica soluzione')
    if (notice.creditor.posteAccount) posteBox(layout, notice, 0, 'Unica soluzione')
  } else {
    layout.heading('Quanto e quando pagare')
    layout.text(`${formatMinor(total, 'EUR', 'it-IT')} in ${notice.payments.length} rate: ogni rata ha il suo codice avviso.`, { size: 11, bold: true })
    layout.gap(6)
    notice.payments.forEach((_, i) => paymentBox(layout, notice, i, `Rata ${i + 1} di ${notice.payments.length}`))
    if (notice.creditor.posteAccount) notice.payments.forEach((_, i) => posteBox(layout, notice, i, `Rata ${i + 1} di ${notice.payments.length}`))
  }
  layout.heading('Dove pagare')
  layout.text('Sul sito o con l\'app dell\'ente, con l\'app IO, con la tua banca o gli altri canali di pagamento abilitati a pagoPA: inquadra il codice QR o inserisci il codice avviso e il codice fiscale dell\'ente.')
  if (notice.creditor.posteAccount) layout.text('Negli uffici postali e con le app di Poste Italiane anche con il bollettino postale PA: il codice a matrice (data matrix) ne riporta i dati.')
  return collect(layout.finish() as unknown as AsyncIterable<Uint8Array>)
}
