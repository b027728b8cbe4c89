import { escapeHtml } from '@ecole/core'
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { mailPayload, outboxMessageId, outgoingMail } from './mail-outbox'
import { htmlToText } from './html-to-text'

const id = fc.string({ minLength: 0, maxLength: 20, unit: fc.oneof(fc.constantFrom('.', '=', ':', '/', ' ', 'é', '<', '>', '@', '\r', '\n', 'U'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) })

test.prop([id, id, id, id])('distinct (site, outbox id) pairs never share a Message-ID, and every Message-ID is a single safe header value', (s1, i1, s2, i2) => {
  const a = outboxMessageId(s1, i1, 'ecole.example')
  const b = outboxMessageId(s2, i2, 'ecole.example')
  expect(a === b).toBe(s1 === s2 && i1 === i2)
  expect(a).toMatch(/^<[A-Za-z0-9_=-]*\.[A-Za-z0-9_=-]*@ecole\.example>$/)
})

test.prop([fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 300 })])('a queued mail comes back from the outbox with its body and its attachment bytes unchanged', (text, bytes) => {
  const payload = JSON.parse(JSON.stringify(mailPayload({ id: 'm', purpose: 'p', mail: { from: 'a@x.fr', to: ['b@x.fr'], subject: 's', text, attachments: [{ filename: 'f.pdf', contentType: 'application/pdf', content: bytes }] } })))
  const mail = outgoingMail(payload, '<m.s@e.x>')
  expect(mail.text).toBe(text)
  expect([...mail.attachments![0]!.content]).toEqual([...bytes])
})

test.prop([fc.string({ maxLength: 100 }).filter((s) => s.trim() === s && !/\s{2,}|\n/.test(s))])('the text part of an escaped value is the value itself, as a browser shows it (HTML escaping and htmlToText undo each other; a tab, CR or form feed reads as a space)', (value) => {
  expect(htmlToText(`<p>${escapeHtml(value)}</p>`)).toBe(value.replace(/[\t\r\f]/g, ' '))
})
