import { describe, expect, it } from 'vitest'
import { checkTemplate, escapeHtml, mailMerge, MessageTemplateSchema, parseTemplate, type MessageTemplate } from './template'
import { assertHeaderValue, headerText } from './header-text'
import { mailFrom } from './mail-account'

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
      { recipientId: 'g', values: { 'guardian.lastName': `O'Brien & <script>x</script>` } },
    ], ['guardian'])
    expect(r.ok && r.messages[0]!.body).toBe('<b>O&#39;Brien &amp; &lt;script&gt;x&lt;/script&gt;</b>')
    expect(r.ok && r.messages[0]!.subject).toBe(`Hi O'Brien & <script>x</script>`)
  })

  it('keeps a line break of a value merged into the body only', () => {
    const r = mailMerge({ subject: 'Hi', body: '{{household.address}}', format: 'text' }, [
      { recipientId: 'g', values: { 'household.address': '1 rue de la Paix\r\n75002 Paris' } },
    ], ['household'])
    expect(r.ok && r.messages[0]!.body).toBe('1 rue de la Paix\r\n75002 Paris')
  })

  describe('header injection (issue 12, defect 8)', () => {
    const breaks = { CR: '\r', LF: '\n', NEL: '\u0085', 'LINE SEPARATOR': '\u2028', 'PARAGRAPH SEPARATOR': '\u2029' }

    for (const [name, br] of Object.entries(breaks)) {
      it(`refuses a template whose subject holds a ${name}, naming the subject`, () => {
        expect(MessageTemplateSchema.safeParse({ subject: `Facture${br}Bcc: x@evil.example`, body: 'b' }).success).toBe(false)
        expect(() => mailMerge({ subject: `Facture${br}Bcc: x@evil.example`, body: 'b' }, [], ['invoice'])).toThrow(/template\.subject: must not contain a line break/)
      })

      it(`refuses a value with a ${name} merged into the subject, and sends nothing`, () => {
        const r = mailMerge({ subject: 'Hi {{guardian.lastName}}', body: 'b', format: 'text' }, [
          { recipientId: 'ok', values: { 'guardian.lastName': 'Roy' } },
          { recipientId: 'evil', values: { 'guardian.lastName': `Roy${br}Bcc: x@evil.example` } },
        ], ['guardian'])
        expect(r).toEqual({ ok: false, problems: [{ code: 'LINE_BREAK_IN_HEADER', variable: 'guardian.lastName', recipientId: 'evil' }] })
      })

      it(`refuses a sender name or a guardian name with a ${name}`, () => {
        expect(() => mailFrom({ senderName: `Secrétariat${br}Bcc: x@evil.example`, address: 'secr@lycee.fr' })).toThrow(/account\.senderName/)
        expect(headerText(100).safeParse(`Marie${br}Bcc: x@evil.example`).success).toBe(false)
        expect(() => assertHeaderValue(`a${br}b`, 'to.name')).toThrow(/to\.name: must not contain a line break/)
      })
    }

    it('accepts ordinary one-line header values', () => {
      expect(mailFrom({ senderName: 'Lycée "Jean Moulin"', address: 'secr@lycee.fr' })).toBe('"Lycée \\"Jean Moulin\\"" <secr@lycee.fr>')
      expect(headerText(100).parse(' Facture 2026-001 ')).toBe('Facture 2026-001')
    })
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
