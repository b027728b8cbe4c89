import { isEcoleError, selectDueReminders } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { renderPdf, renderPdfBytes, type PdfRequest } from '../renderer'
import { belgianIssuer } from '../test-support/fixtures'
import { pdfText } from '../test-support/tools'

const text = async (request: PdfRequest) => pdfText(await renderPdfBytes(request)).replace(/[\u00a0\u202f]/g, ' ')
const refusal = (fn: () => unknown) => {
  try {
    fn()
  } catch (e) {
    if (isEcoleError(e)) return e
    throw e
  }
  throw new Error('expected an EcoleError')
}

// an invoice due on 15 January 2027, selected on 25 January (10 days late)
const selected = () =>
  selectDueReminders([{ invoiceId: 'i1', debtorId: 'g1', number: 'F2027-000001', dueDate: '2027-01-15', outstandingMinor: 5000n, lastLevelSent: 0 }], { levels: [{ level: 1, daysAfterDue: 10, templateId: 'r1' }] }, '2027-01-25')
const letter = (printedOn: string, reminders: unknown[] = selected()): PdfRequest => ({
  kind: 'reminder',
  data: { language: 'fr', printedOn, issuer: belgianIssuer(), payer: { name: 'Marie Dupont' }, currency: 'EUR', reminders: reminders as never },
})

describe('reminder letter dates', () => {
  it("prints each invoice's own due date when the letter is printed days after the selection, not the letter's date minus the days late", async () => {
    const t = await text(letter('2027-02-01'))
    expect(t).toMatch(/F2027-000001\s+15\/01\/2027\s+10\s+50,00 €/)
    expect(t).not.toContain('22/01/2027')
  })
  it('says on which day the days past due were counted when it is not the letter’s date', async () => {
    expect(await text(letter('2027-02-01'))).toContain('Jours de retard comptés au 25/01/2027')
    expect(await text(letter('2027-01-25'))).not.toContain('comptés au')
  })
  it('names, per invoice, the days its lateness was counted on when they differ', async () => {
    const [a] = selected()
    const b = { ...a!, invoiceId: 'i2', number: 'F2027-000002', dueDate: '2027-01-10', daysLate: 12 } // counted on 22 January
    const t = await text(letter('2027-02-01', [a, b]))
    expect(t).toMatch(/F2027-000002\s+10\/01\/2027\s+12/)
    expect(t).toContain('Jours de retard comptés au 22/01/2027 (F2027-000002), 25/01/2027 (F2027-000001)')
  })
  it('refuses a reminder without its due date, naming reminder.reminders.0.dueDate', () => {
    const { dueDate, ...rest } = selected()[0]!
    void dueDate
    const e = refusal(() => renderPdf(letter('2027-02-01', [rest])))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toMatch(/reminder\.reminders\.0\.dueDate/)
  })
  it('refuses a letter dated before the day its lateness was counted, naming reminder.reminders.0.daysLate', () => {
    const e = refusal(() => renderPdf(letter('2027-01-20')))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toMatch(/reminder\.reminders\.0\.daysLate: 10 days past the due date 2027-01-15 is 2027-01-25, after the letter's date 2027-01-20/)
  })
})
