import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { renderPdfBytes } from '../renderer'
import { xsdProblems } from '../test-support/factur-x-schemas'
import { creditNoteRequest } from '../test-support/fixtures'
import { pdfText } from '../test-support/tools'
import { prepareCreditNote, type CreditNoteRequestInput } from './credit-note'

const fx = { seller: { country: 'BE', vatId: 'BE0207373429' }, buyer: { country: 'BE' } } as const

function refusal(data: CreditNoteRequestInput): Error & { details?: { issues?: Array<{ path: string }> } } {
  try {
    prepareCreditNote(data)
  } catch (e) {
    expect(isEcoleError(e, 'INVALID_INPUT')).toBe(true)
    return e as Error
  }
  throw new Error('expected the credit note to be refused')
}

describe('the texts of a credit note', () => {
  const r = creditNoteRequest()

  it('refuses a reason with a control character pasted into it, naming creditNote.creditNote.reason', () => {
    expect(refusal({ ...r, creditNote: { ...r.creditNote, reason: 'Grève\u0002 du 10 décembre' }, facturX: fx }).message).toMatch(/creditNote\.creditNote\.reason: must not contain the control character U\+0002/)
  })

  it('refuses the name of a credited line’s child that the fonts cannot draw, naming creditNote.names and the line', () => {
    const kid = r.invoice.lines.find((l) => l.id === r.creditNote.lines[0]!.lineId)!.beneficiaryId
    const e = refusal({ ...r, names: { ...r.names, [kid]: '王小明' } })
    expect(e.message).toMatch(new RegExp(`creditNote\\.names\\.${kid}: cannot print U\\+738B 王: .*\\(the name of creditNote\\.creditNote\\.lines\\.0: line `))
    expect(e.details!.issues![0]!.path).toBe(`creditNote.names.${kid}`)
  })

  it('refuses a payer’s name in a right-to-left script, saying it is not supported yet', () => {
    expect(refusal({ ...r, payer: { name: 'דוד כהן', address: [] } }).message).toMatch(/creditNote\.payer\.name: cannot print U\+05D3 ד: right-to-left scripts/)
  })

  it('prints a reason typed on two lines (CR LF) on two lines, and writes it in a Factur-X XML valid against the XSD', async () => {
    const data: CreditNoteRequestInput = { ...r, creditNote: { ...r.creditNote, lines: [], reason: 'Grève du 10 décembre :\r\nrepas non servis' }, facturX: fx }
    const lines = pdfText(await renderPdfBytes({ kind: 'creditNote', data })).split('\n').map((l) => l.trim())
    expect(lines.some((l) => l.endsWith('Grève du 10 décembre :'))).toBe(true)
    expect(lines.some((l) => l.startsWith('repas non servis'))).toBe(true)
    expect(xsdProblems(prepareCreditNote(data).facturX!.xml, 'EN16931')).toEqual([])
  })
})
