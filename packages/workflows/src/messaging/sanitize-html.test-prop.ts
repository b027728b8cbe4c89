import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { SANITIZED_HTML_TAGS, sanitizeHtml } from './sanitize-html'

// Markup as editors and attackers write it: allowed and forbidden tags in any case, attributes
// quoted three ways or not at all (holding `>`, `<` and quotes), event handlers, links of every
// scheme, comments, hidden elements, references, stray `<` and `&`.
const TAGS = [
  'p', 'div', 'span', 'a', 'b', 'br', 'ul', 'ol', 'li', 'table', 'tr', 'td', 'th', 'h1', 'h4', 'h5', 'pre', 'style', 'script', 'title', 'head', 'body', 'html',
  'img', 'hr', 'em', 'tbody', 'Strong', 'TD', 'meta', 'link', 'base', 'form', 'input', 'iframe', 'object', 'embed', 'svg', 'math', 'textarea', 'template',
  'noscript', 'font', 'button', 'A', 'SCRIPT', 'blockquote', 'u', 'i',
]
const textChar = fc.constantFrom(...'aZé€😀 \n\t"\'=/>;#x09-!&<'.split(''), '\u00a0', '\u0000')
const text = fc.string({ unit: textChar, maxLength: 12 })
const value = fc.string({ unit: fc.constantFrom(...'a >b<p/"\'=& \n:'.split('')), maxLength: 8 })
const href = fc.constantFrom(
  'https://portail.example/a?b=1&amp;c=2', 'HTTP://x.example', 'mailto:ecole@ferry.fr', 'javascript:alert(1)', ' https://x.example/<p> ', 'relative/page', '',
  'jav&#x09;ascript:x', 'data:text/html,<script>x</script>', '\u0001https://x.example', 'https://x.example/"onmouseover="x',
)
const attribute = fc.oneof(
  fc.tuple(fc.constantFrom('class', 'title', 'data-x', 'HREF', 'style', 'onclick', 'onerror', 'src', 'action', 'http-equiv', 'content', 'id'), value)
    .map(([n, v]) => [`${n}="${v.replaceAll('"', '')}"`, `${n}='${v.replaceAll("'", '')}'`, `${n}=${v.replace(/[\s>]/g, '') || 'v'}`, n]),
  href.map((h) => [`href="${h.replaceAll('"', '')}"`, `href='${h}'`, `href=${h.replace(/[\s>]/g, '') || 'x'}`]),
).chain((forms) => fc.constantFrom(...forms))
const tag = fc.constantFrom(...TAGS)
const piece = fc.oneof(
  text,
  fc.constantFrom('&amp;', '&lt;', '&gt;', '&quot;', '&#60;', '&#x3C;', '&eacute;', '&nbsp;', '&foo;', '&amp', '&#0;'),
  fc.tuple(tag, fc.array(attribute, { maxLength: 3 }), fc.boolean()).map(([t, attrs, self]) => `<${[t, ...attrs].join(' ')}${self ? '/' : ''}>`),
  tag.map((t) => `</${t}>`),
  text.map((t) => `<!--${t}-->`),
  fc.constantFrom('< ', '<3', '& ', '<!DOCTYPE html>', '</>', '<!', '<?x?>', '</ p>', '<a', '<p title="'),
)
const markup = fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join(''))

const TAG_NAMES = [...SANITIZED_HTML_TAGS].join('|')
/** Every way a tag of the allow-list is written in a sanitized body; anything else starting with `<` is not allowed. */
const ALLOWED_TAG = new RegExp(`^<(?:/(?:${TAG_NAMES})|(?:${TAG_NAMES})|a href="(?:https?:|mailto:)[^"<>\\s]*")>$`, 'i')

/** The tags of a sanitized body that are outside the allow-list (a `<` is always a tag in HTML's tokenizer once text escapes it). */
function forbiddenMarkup(html: string): string[] {
  const bad: string[] = []
  for (let i = html.indexOf('<'); i >= 0; i = html.indexOf('<', i + 1)) {
    const gt = html.indexOf('>', i)
    const tag = gt < 0 ? html.slice(i) : html.slice(i, gt + 1)
    if (!ALLOWED_TAG.test(tag)) bad.push(tag)
  }
  return bad
}

test.prop([markup])('a sanitized body holds no tag or attribute outside the allow-list, whatever the markup', (html) => {
  expect(forbiddenMarkup(sanitizeHtml(html))).toEqual([])
})

test.prop([fc.string({ maxLength: 200 })])('a sanitized body holds no tag or attribute outside the allow-list, for any string', (html) => {
  expect(forbiddenMarkup(sanitizeHtml(html))).toEqual([])
})

test.prop([fc.oneof(markup, fc.string({ maxLength: 200 }))])('sanitizing a sanitized body changes nothing', (html) => {
  const once = sanitizeHtml(html)
  expect(sanitizeHtml(once)).toBe(once)
})

test.prop([markup])('every element a sanitized body opens is closed, in order', (html) => {
  const open: string[] = []
  for (const m of sanitizeHtml(html).matchAll(/<(\/?)([a-z0-9]+)[^>]*>/g)) {
    if (m[2] === 'br') continue
    if (m[1] === '') open.push(m[2]!)
    else expect(open.pop()).toBe(m[2])
  }
  expect(open).toEqual([])
})
