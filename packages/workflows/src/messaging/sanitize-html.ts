import { EcoleError } from '@ecole/core'
import { walkHtml, type Tag } from './html-to-text'

/**
 * The elements a message body may hold ({@link sanitizeHtml}): text structure, emphasis, links,
 * lists, headings and simple tables. Nothing that runs, loads, submits, redirects or styles.
 *
 * @example
 * SANITIZED_HTML_TAGS.has('strong') //=> true
 * SANITIZED_HTML_TAGS.has('img') //=> false
 */
export const SANITIZED_HTML_TAGS: ReadonlySet<string> = new Set([
  'p', 'br', 'strong', 'em', 'b', 'i', 'u', 'a', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4',
  'table', 'thead', 'tbody', 'tr', 'td', 'th', 'blockquote', 'span', 'div',
])

/** Elements removed with everything inside them (what they hold is code, styles, a form, or never shown). */
const DROPPED_WITH_CONTENT = new Set([
  'script', 'style', 'iframe', 'object', 'form', 'title', 'template', 'noembed', 'noframes', 'noscript',
  'textarea', 'select', 'svg', 'math', 'xmp', 'head', 'applet', 'frameset', 'audio', 'video',
])

/** The address schemes a link of a message may have. */
const LINK_SCHEME = /^(?:https?:|mailto:)/i

/** The start tag of a link: its `href` kept only for an `http`, `https` or `mailto` address. */
function anchor(tag: Tag): string {
  // as a browser reads it: leading and trailing spaces and control characters are not part of the address
  const href = (tag.attributes.get('href') ?? '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
  if (!LINK_SCHEME.test(href)) return '<a>'
  // characters an address cannot hold are percent-encoded (as a browser does), `&` written as a reference
  const value = href.replace(/[\u0000-\u0020<>"\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).replaceAll('&', '&amp;')
  return `<a href="${value}">`
}

/**
 * The HTML of a message body with only what a family's mail may hold: an allow-list, not a
 * block-list, so a construct nobody thought of is removed rather than kept.
 *
 * - the elements kept are those of {@link SANITIZED_HTML_TAGS}, written again without any
 *   attribute (no `style`, no `class`, no `on...` handler), except `href` on a link, kept only
 *   for an `http:`, `https:` or `mailto:` address;
 * - `<script>`, `<style>`, `<iframe>`, `<object>`, `<form>`, `<template>`, `<textarea>`, `<svg>`,
 *   `<head>` and the like are removed with what they hold; other elements (`<meta>`, `<link>`,
 *   `<base>`, `<embed>`, `<input>`, `<img>`, `<font>`...) lose their tags and keep their text;
 *   comments, doctypes and processing instructions are removed;
 * - the text between tags is kept as written (its character references are text to a browser,
 *   never markup), and a `<` that starts no tag is written `&lt;`, so the result holds no markup
 *   but the tags written here; end tags with no open element are dropped and what is left open is
 *   closed, so the result can be put inside a page whole;
 * - sanitizing a sanitized body changes nothing.
 *
 * `queueGroupMessage` and `queueFamilyMessage` queue the sanitized body (and the text part read
 * from it); a host showing a preview sanitizes it the same way.
 *
 * @example
 * sanitizeHtml('<p style="color:red" onclick="x()">Bonjour <b>Zoé</b></p><script>alert(1)</script>')
 * //=> '<p>Bonjour <b>Zoé</b></p>'
 * sanitizeHtml('<a href="javascript:alert(1)">x</a> <a href="https://portail.example/?a=1&amp;b=2" target="_blank">portail</a>')
 * //=> '<a>x</a> <a href="https://portail.example/?a=1&amp;b=2">portail</a>'
 * sanitizeHtml('<meta http-equiv="refresh" content="0;url=https://evil.example/">1 &lt; 2')
 * //=> '1 &lt; 2'
 * @throws EcoleError `INVALID_INPUT` when `html` is not a string.
 */
export function sanitizeHtml(html: string): string {
  if (typeof html !== 'string') throw EcoleError.invalidInput('html', 'must be a string of HTML')
  const out: string[] = []
  const open: string[] = []
  // a run of text between two tags holds no `<`: written as it is, a browser reads it as text
  const text = (raw: string) => {
    if (raw !== '') out.push(raw)
  }
  const close = (name: string) => {
    const at = open.lastIndexOf(name)
    if (at < 0) return
    while (open.length > at) out.push(`</${open.pop()!}>`)
  }
  walkHtml(html, {
    text,
    literal: (raw) => text(raw.replace('<', '&lt;')),
    hides: (name) => DROPPED_WITH_CONTENT.has(name),
    end: (name) => {
      if (name !== 'br' && SANITIZED_HTML_TAGS.has(name)) close(name)
    },
    start: (tag) => {
      if (tag.name === 'br') out.push('<br>')
      else if (SANITIZED_HTML_TAGS.has(tag.name)) {
        // a link inside a link is not HTML: the first ends where the second starts, as a browser reads it
        if (tag.name === 'a') {
          close('a')
          out.push(anchor(tag))
        } else out.push(`<${tag.name}>`)
        open.push(tag.name)
      }
    },
  })
  while (open.length > 0) out.push(`</${open.pop()!}>`)
  return out.join('')
}
