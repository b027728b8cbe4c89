import { describe, expect, it } from 'vitest'
import { checkTemplate, escapeHtml, mailMerge, parseTemplate, type MessageTemplate } from './template'

const invoiceMail: MessageTemplate = {
  subject: 'Facture {{invoice.number}}',
  body: '<p>Bonjour {{guardian.firstName}},</p><p>Reste à payer : {{ invoice.amountDue }} avant le {{invoice.dueDate}}.</p>',
  format: 'html',
}

describe('message templates (seed 001 "envoyer un message à plusieurs familles")', () => {
  it('fills each family’s values', () => {
    const r = mailMerge(invoiceMail, [
      { recipientId: 'marie', values: { 'guardian.firstName': 'Marie', 'invoice.number': 'F2026-000012', 'invoice.amountDue': '6,00 €', 'invoice.dueDate': '23/03/2026' } },
    ], ['guardian', 'invoice'])
    expect(r).toEqual({
      ok: true,
      messages: [{ recipientId: 'marie', subject: 'Facture F2026-000012', body: '<p>Bonjour Marie,</p><p>Reste à payer : 6,00 € avant le 23/03/2026.</p>' }],
    })
  })

  it('escapes values in an HTML body, but not the template’s own markup', () => {
    const r = mailMerge({ subject: 'Hi {{guardian.lastName}}', body: '<b>{{guardian.lastName}}</b>', format: 'html' }, [
      { recipientId: 'g', values: { 'guardian.lastName': `O'Brien & <script>x</script>\r\nBcc: a@b.c` } },
    ], ['guardian'])
    expect(r.ok && r.messages[0]!.body).toBe('<b>O&#39;Brien &amp; &lt;script&gt;x&lt;/script&gt;\r\nBcc: a@b.c</b>')
    // no header injection through the subject
    expect(r.ok && r.messages[0]!.subject).toBe(`Hi O'Brien & <script>x</script> Bcc: a@b.c`)
  })

  it('reports an unknown variable before anything is sent', () => {
    const r = mailMerge({ ...invoiceMail, body: '{{guardian.firstname}}' }, [{ recipientId: 'g', values: {} }], ['guardian', 'invoice'])
    expect(r).toEqual({ ok: false, problems: [{ code: 'UNKNOWN_VARIABLE', field: 'body', variable: 'guardian.firstname' }] })
  })

  it('reports a variable of a context the message does not have', () => {
    expect(checkTemplate(invoiceMail, ['guardian'])).toEqual([
      { code: 'UNKNOWN_VARIABLE', field: 'subject', variable: 'invoice.number' },
      { code: 'UNKNOWN_VARIABLE', field: 'body', variable: 'invoice.amountDue' },
      { code: 'UNKNOWN_VARIABLE', field: 'body', variable: 'invoice.dueDate' },
    ])
  })

  it('reports every missing value, for every recipient, and sends to nobody', () => {
    const r = mailMerge(invoiceMail, [
      { recipientId: 'marie', values: { 'guardian.firstName': 'Marie', 'invoice.number': 'F1', 'invoice.amountDue': '6,00 €', 'invoice.dueDate': '23/03/2026' } },
      { recipientId: 'paul', values: { 'guardian.firstName': 'Paul', 'invoice.number': 'F2', 'invoice.amountDue': null } },
    ], ['guardian', 'invoice'])
    expect(r).toEqual({
      ok: false,
      problems: [
        { code: 'MISSING_VALUE', variable: 'invoice.amountDue', recipientId: 'paul' },
        { code: 'MISSING_VALUE', variable: 'invoice.dueDate', recipientId: 'paul' },
      ],
    })
  })

  it('reports an unclosed placeholder with its position', () => {
    expect(parseTemplate('Bonjour {{guardian.firstName').malformedAt).toEqual([8])
    expect(checkTemplate({ subject: 'x', body: 'a {{ 1 + 1 }} b', format: 'text' }, ['guardian'])).toEqual([{ code: 'MALFORMED_PLACEHOLDER', field: 'body', at: 2 }])
  })

  it('inserts values as they are in a plain-text body', () => {
    const r = mailMerge({ subject: 's', body: 'Bonjour {{guardian.firstName}}', format: 'text' }, [{ recipientId: 'g', values: { 'guardian.firstName': 'Zoé & <Léa>' } }], ['guardian'])
    expect(r.ok && r.messages[0]!.body).toBe('Bonjour Zoé & <Léa>')
  })

  it('escapes the five HTML special characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;')
  })
})
