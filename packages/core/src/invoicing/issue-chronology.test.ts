import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { refusal } from '../test-support/refusal'
import { checkIssueChronology, type IssueChronologyFacts } from './issue-chronology'
import { defineInvoiceNumbering } from './numbering'

const numbering = defineInvoiceNumbering()
const facts = (issueDate: string, latestIssueDate: string, first = 2): IssueChronologyFacts =>
  ({ series: 'invoice', seriesKey: 'regie/invoice/2027', numbering, issueDate, first, latestIssueDate }) as IssueChronologyFacts

describe('checkIssueChronology (CGI annexe II art. 242 nonies A: one continuous, chronological series)', () => {
  it('accepts a document issued on the latest issue date of its series, or later', () => {
    expect(() => checkIssueChronology(facts('2027-01-10', '2027-01-10'))).not.toThrow()
    expect(() => checkIssueChronology(facts('2027-01-11', '2027-01-11'))).not.toThrow()
    expect(() => checkIssueChronology(facts('2027-01-01', '2027-01-01', 1))).not.toThrow()
  })
  it('refuses a document issued before the latest one of its series, naming issueDate, both dates and the last number', () => {
    try {
      checkIssueChronology(facts('2027-01-03', '2027-01-10'))
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e, 'INVALID_INPUT')).toBe(true)
      expect((e as Error).message).toBe('[ecole] issueDate: must be on or after 2027-01-10: invoice series regie/invoice/2027 (last number F2027-000001) has a document issued that day, and the numbers of a series follow their issue dates (CGI annexe II art. 242 nonies A), got 2027-01-03')
      expect((e as { details: unknown }).details).toMatchObject({ issueDate: '2027-01-03', latestIssueDate: '2027-01-10', lastNumber: 'F2027-000001', lastSequence: 1, seriesKey: 'regie/invoice/2027', series: 'invoice', issues: [{ path: 'issueDate' }] })
    }
  })
  it('names the credit-note series and its last number in the credit-note prefix', () => {
    const r = refusal(() => checkIssueChronology({ ...facts('2027-01-19', '2027-01-20', 4), series: 'creditNote', seriesKey: 'regie/creditNote/2027' }))
    expect(r.paths).toEqual(['issueDate'])
    expect(r.message).toContain('credit note series regie/creditNote/2027 (last number AV2027-000003)')
  })
  it('refuses facts that are not of their kind, naming them', () => {
    expect(refusal(() => checkIssueChronology({ ...facts('2027-01-03', '2027-01-10'), issueDate: '03/01/2027' } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['facts.issueDate'] })
    expect(refusal(() => checkIssueChronology(null as never))).toMatchObject({ code: 'INVALID_INPUT' })
  })
})
