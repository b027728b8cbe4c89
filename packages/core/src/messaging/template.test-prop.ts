import { fc, test } from '@fast-check/vitest'
import { formTextArb } from '@ecole/testing'
import { mailMerge } from './template'

// Independent oracle: the HTML escaping of a value, character by character.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const oracleEscape = (s: string) => [...s].map((c) => ENTITIES[c] ?? c).join('')

test.prop([formTextArb(), formTextArb()])('a merged HTML body never contains an unescaped value', (first, last) => {
  const r = mailMerge(
    { subject: 'Hello', body: '<p>{{guardian.firstName}}</p><i>{{ guardian.lastName }}</i>', format: 'html' },
    [{ recipientId: 'g', values: { 'guardian.firstName': first, 'guardian.lastName': last } }],
    ['guardian'],
  )
  if (!r.ok) return false
  const body = r.messages[0]!.body
  // exactly the template's markup around the escaped values
  if (body !== `<p>${oracleEscape(first)}</p><i>${oracleEscape(last)}</i>`) return false
  // and no raw special character from a value survives between the template's tags
  const inner = body.slice(3, body.length - 4).replace('</p><i>', '')
  return !/[<>"']/.test(inner) && !/&(?!(amp|lt|gt|quot|#39);)/.test(inner)
})

test.prop([fc.array(fc.record({ id: fc.uuid(), name: formTextArb() }), { maxLength: 10 })])('every recipient gets exactly one message, in order', (people) => {
  const r = mailMerge({ subject: 's', body: '{{guardian.firstName}}', format: 'html' }, people.map((p) => ({ recipientId: p.id, values: { 'guardian.firstName': p.name } })), ['guardian'])
  return r.ok && r.messages.map((m) => m.recipientId).join() === people.map((p) => p.id).join()
})
