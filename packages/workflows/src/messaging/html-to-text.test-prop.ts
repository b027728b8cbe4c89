import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { HTML_ENTITIES } from './html-entities'
import { htmlToText } from './html-to-text'

// Markup as mail templates and editors write it, and worse: every tag complete, attribute values
// quoted three ways (holding `>` and `<`), hidden elements, comments, references of every kind.
// Nothing in it stands for a `<` or a `&` in the text (no `&lt;`, `&amp;`, `&#60;`...), so a `<`
// followed by a tag name, or a reference, in the text part can only come from the markup.
const TAGS = ['p', 'div', 'span', 'a', 'b', 'br', 'ul', 'ol', 'li', 'table', 'tr', 'td', 'th', 'h1', 'pre', 'style', 'script', 'title', 'head', 'body', 'html', 'img', 'hr', 'em', 'tbody', 'Strong', 'TD']
const names = Object.keys(HTML_ENTITIES).filter((n) => !['&', '<'].includes(HTML_ENTITIES[n]!))
const textChar = fc.constantFrom(...'aZé€😀 \n\t"\'=/>;#x09-!'.split(''), '\u00a0', '\u2028')
const text = fc.string({ unit: textChar, maxLength: 12 })
const value = fc.string({ unit: fc.constantFrom(...'a >b<p/"\'= \n'.split('')), maxLength: 8 })
const href = fc.constantFrom('https://portail.example/a?b=1', 'HTTP://x.example', 'mailto:ecole@ferry.fr', 'javascript:alert(1)', ' https://x.example/<p> ', 'relative/page', '')
const attribute = fc.oneof(
  fc.tuple(fc.constantFrom('class', 'title', 'data-x', 'HREF', 'style'), value).map(([n, v]) => [`${n}="${v.replaceAll('"', '')}"`, `${n}='${v.replaceAll("'", '')}'`, `${n}=${v.replace(/[\s>]/g, '') || 'v'}`, n]),
  href.map((h) => [`href="${h}"`, `href='${h}'`, `href=${h.replace(/[\s>]/g, '') || 'x'}`]),
).chain((forms) => fc.constantFrom(...forms))
const tag = fc.constantFrom(...TAGS)
const piece = fc.oneof(
  text,
  fc.constantFrom(...names).map((n) => `&${n};`),
  fc.integer({ min: 0, max: 0x11ffff }).filter((c) => c !== 38 && c !== 60).chain((c) => fc.constantFrom(`&#${c};`, `&#x${c.toString(16)};`, `&#X${c.toString(16).toUpperCase()};`)),
  fc.tuple(tag, fc.array(attribute, { maxLength: 3 }), fc.boolean()).map(([t, attrs, self]) => `<${[t, ...attrs].join(' ')}${self ? '/' : ''}>`),
  tag.map((t) => `</${t}>`),
  text.map((t) => `<!--${t}-->`),
  fc.constantFrom('< ', '<3', '& ', '<!DOCTYPE html>', '</>'),
)
const markup = fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join(''))

test.prop([markup])('the text part of any markup is a string without a tag of that markup nor an undecoded reference to a known character', (html) => {
  const text = htmlToText(html)
  expect(typeof text).toBe('string')
  const used = new Set([...html.matchAll(/<\/?([A-Za-z][^\s/>]*)/g)].map((m) => m[1]!.toLowerCase()))
  for (const name of used) expect(text.toLowerCase()).not.toMatch(new RegExp(`</?${name.replace(/[^a-z0-9]/g, '\\$&')}(?![a-z0-9])`))
  for (const reference of text.match(/&[A-Za-z][A-Za-z0-9]*;/g) ?? []) expect(Object.hasOwn(HTML_ENTITIES, reference.slice(1, -1))).toBe(false)
})

test.prop([fc.string({ maxLength: 200 })])('htmlToText never throws on any string', (html) => {
  expect(typeof htmlToText(html)).toBe('string')
})
