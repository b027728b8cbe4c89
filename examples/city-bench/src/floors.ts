/**
 * The floors of the stages, measured in the same run on the same database, each right after its
 * stage (while the stage's rows are still in hand, so the month is not kept for them): the cheapest
 * way to do the same work, so each stage's ratio to its floor says what the library's path costs.
 * - bookings, attendance: a plain `COPY` of the same rows into a table made `LIKE` the adapter's
 *   (same columns, keys and indexes);
 * - charges: the same aggregation as one SQL statement over the same tables (the booked days of
 *   the month joined to their attendance, counted and priced per child and service);
 * - drafts: the same charge lines copied into a table and summed per payer into invoice rows by
 *   one `INSERT ... SELECT ... GROUP BY`;
 * - pdfs: pdfkit writing the same text (issuer, payer, one line of text per invoice line,
 *   total) on one A4 page per invoice, without layout, tables, fonts or QR code.
 * Memory storage has no SQL: only the PDF floor is measured there. Each floor table is dropped
 * once measured. The CSV text is built before the clock starts, as it was before.
 */
import type { Invoice, InvoiceChargeLine } from '@ecole/core'
import type { PdfRequest } from '@ecole/pdf'
import PDFDocument from 'pdfkit'
import { SITE_ID, type City } from './city'
import type { StageRecorder } from './measure'
import { attendanceOf } from './run-city'
import { csvChunks, type RawSql } from './storage'

const csv = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)

/** The bookings' floor: a `COPY` of the same rows (their ids `child|service|date`, all booked at `bookedAt`). */
export async function floorBookings(rec: StageRecorder, raw: RawSql | undefined, ids: readonly string[], bookedAt: Date): Promise<void> {
  if (!raw) return
  await raw.query('DROP TABLE IF EXISTS city_floor_bookings')
  await raw.query('CREATE TABLE city_floor_bookings (LIKE ecole_bookings INCLUDING ALL)')
  const at = bookedAt.toISOString()
  function* lines(): Generator<string> {
    for (const id of ids) {
      const [beneficiaryId, serviceId, date] = id.split('|') as [string, string, string]
      yield [SITE_ID, id, beneficiaryId, serviceId, date, 'booked', at].map(csv).join(',')
    }
  }
  const chunks = csvChunks(lines())
  await rec.floor('bookings', 'COPY of the same rows into a table LIKE ecole_bookings', () => raw.copyCsv('city_floor_bookings', ['site_id', 'id', 'beneficiary_id', 'service_id', 'date', 'status', 'booked_at'], chunks))
  await raw.query('DROP TABLE city_floor_bookings')
}

/** The attendance's floor: a `COPY` of the same rows (derived from the same booking ids). */
export async function floorAttendance(rec: StageRecorder, raw: RawSql | undefined, ids: readonly string[]): Promise<void> {
  if (!raw) return
  await raw.query('DROP TABLE IF EXISTS city_floor_attendance')
  await raw.query('CREATE TABLE city_floor_attendance (LIKE ecole_attendance INCLUDING ALL)')
  function* lines(): Generator<string> {
    for (const id of ids) {
      const a = attendanceOf(id)
      if (a) yield [SITE_ID, a.date, a.beneficiaryId, a.serviceId, a.status, a.recordedAt.toISOString()].map(csv).join(',')
    }
  }
  const chunks = csvChunks(lines())
  await rec.floor('attendance', 'COPY of the same rows into a table LIKE ecole_attendance', () => raw.copyCsv('city_floor_attendance', ['site_id', 'date', 'beneficiary_id', 'service_id', 'status', 'recorded_at'], chunks))
  await raw.query('DROP TABLE city_floor_attendance')
}

/** The charges' floor: the same aggregation as one SQL statement over the adapter's tables. */
export async function floorCharges(rec: StageRecorder, raw: RawSql | undefined, month: City['month']): Promise<void> {
  if (!raw) return
  await rec.floor('charges', 'one SQL statement: booked days joined to attendance, counted and priced per child and service', () => raw.query(
    `SELECT b.beneficiary_id, b.service_id, count(*) AS days,
            count(*) FILTER (WHERE a.status IS DISTINCT FROM 'excused' AND (b.service_id <> 'garderie' OR a.status = 'present')) AS billable,
            sum(CASE b.service_id WHEN 'cantine' THEN 320 WHEN 'garderie' THEN 250 WHEN 'mercredi' THEN 1200 ELSE 80 END) AS amount_minor
       FROM ecole_bookings b
       LEFT JOIN ecole_attendance a ON a.site_id = b.site_id AND a.date = b.date AND a.beneficiary_id = b.beneficiary_id AND a.service_id = b.service_id
      WHERE b.site_id = $1 AND b.date BETWEEN $2::date AND $3::date AND b.status = 'booked'
      GROUP BY b.beneficiary_id, b.service_id`, [SITE_ID, month.from, month.to]))
}

/** The drafts' floor: a `COPY` of the same charge lines, then one `INSERT ... SELECT ... GROUP BY` payer. */
export async function floorDrafts(rec: StageRecorder, raw: RawSql | undefined, charges: readonly InvoiceChargeLine[]): Promise<void> {
  if (!raw) return
  await raw.query('DROP TABLE IF EXISTS city_floor_charges, city_floor_invoices')
  await raw.query('CREATE TABLE city_floor_charges (site_id text NOT NULL, charge_id text NOT NULL, payer_id text NOT NULL, beneficiary_id text NOT NULL, service_id text NOT NULL, date date NOT NULL, amount_minor bigint NOT NULL, PRIMARY KEY (site_id, charge_id))')
  await raw.query('CREATE TABLE city_floor_invoices (site_id text NOT NULL, payer_id text NOT NULL, lines integer NOT NULL, total_minor bigint NOT NULL, PRIMARY KEY (site_id, payer_id))')
  function* lines(): Generator<string> {
    for (const c of charges) yield [SITE_ID, c.chargeId, c.debtorId, c.beneficiaryId, c.serviceId, c.date, String(c.amountMinor)].map(csv).join(',')
  }
  const chunks = csvChunks(lines())
  await rec.floor('drafts', 'COPY of the charge lines, then one INSERT ... SELECT ... GROUP BY payer', async () => {
    await raw.copyCsv('city_floor_charges', ['site_id', 'charge_id', 'payer_id', 'beneficiary_id', 'service_id', 'date', 'amount_minor'], chunks)
    await raw.query(`INSERT INTO city_floor_invoices SELECT site_id, payer_id, count(*), sum(amount_minor) FROM city_floor_charges WHERE site_id = $1 GROUP BY site_id, payer_id HAVING sum(amount_minor) >= 500`, [SITE_ID])
  })
  await raw.query('DROP TABLE city_floor_charges, city_floor_invoices')
}

/** The PDFs' floor: pdfkit writing the same text, one page per invoice (measured in memory too). */
export async function floorPdfs(rec: StageRecorder, invoices: readonly Invoice[], invoiceRequest: (i: Invoice) => PdfRequest): Promise<void> {
  await rec.floor('pdfs', 'pdfkit writing the same text, one page per invoice, no layout', async () => {
    for (const invoice of invoices) {
      const request = invoiceRequest(invoice)
      if (request.kind !== 'invoice') continue
      await plainPdf(invoice, request.data.names as Record<string, string>)
    }
  })
}

async function plainPdf(invoice: Invoice, names: Record<string, string>): Promise<number> {
  const doc = new PDFDocument({ size: 'A4', compress: true })
  let bytes = 0
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()))
  doc.on('data', (c: Buffer) => { bytes += c.length })
  doc.fontSize(10)
  doc.text('Régie périscolaire – Ville de Créteil')
  doc.text(`Facture ${invoice.number} du ${invoice.issueDate}`)
  doc.text(names[invoice.debtorId] ?? invoice.debtorId)
  for (const l of invoice.lines) doc.text(`${names[l.beneficiaryId] ?? l.beneficiaryId} ${l.serviceId} ${l.quantity} x ${l.unitPriceMinor} = ${l.amountMinor}`)
  doc.text(`Total ${invoice.totalMinor} – référence ${invoice.paymentReference ?? ''}`)
  doc.end()
  await done
  return bytes
}
