import { describe, expect, it } from 'vitest'
import { isEcoleError } from '@ecole/core'
import { sanitizeHtml } from './sanitize-html'

describe('sanitizeHtml', () => {
  it('keeps the structure a message is written with: paragraphs, emphasis, lists, headings, tables, quotes', () => {
    const body = '<h1>Sortie</h1><p>Bonjour <strong>Zoé</strong>, <em>à</em> <b>bientôt</b> <i>!</i> <u>lundi</u><br>8 h</p>'
      + '<ul><li>pique-nique</li></ul><ol><li>un</li></ol><blockquote><div><span>cité</span></div></blockquote>'
      + '<table><thead><tr><th>Jour</th></tr></thead><tbody><tr><td>lundi</td></tr></tbody></table><h2>a</h2><h3>b</h3><h4>c</h4>'
    expect(sanitizeHtml(body)).toBe(body)
  })

  it('removes a meta refresh, a form posting to another host and a script, with the form and script content', () => {
    const body = '<p>Bonjour</p><meta http-equiv="refresh" content="0;url=https://evil.example/"><form action="https://evil.example/"><input name="password">Mot de passe</form><script>alert(1)</script>'
    expect(sanitizeHtml(body)).toBe('<p>Bonjour</p>')
  })

  it('removes styles, iframes, objects, embeds, links and base elements', () => {
    expect(sanitizeHtml('<style>p{display:none}</style><iframe src="https://x.example">x</iframe><object data="x.swf">fallback</object><embed src="x"><link rel="stylesheet" href="x.css"><base href="https://evil.example/">Texte'))
      .toBe('Texte')
  })

  it('keeps no attribute but the href of a link: no style, class, id or event handler', () => {
    expect(sanitizeHtml('<p style="color:red" class="x" id="y" onclick="steal()" onmouseover=steal()>Texte</p><div title="t" data-x="1">d</div>'))
      .toBe('<p>Texte</p><div>d</div>')
  })

  it('keeps a link to an http, https or mailto address and drops any other address', () => {
    expect(sanitizeHtml('<a href="https://portail.example/a?b=1&amp;c=2" target="_blank">portail</a>')).toBe('<a href="https://portail.example/a?b=1&amp;c=2">portail</a>')
    expect(sanitizeHtml("<a href='HTTP://x.example'>x</a> <a href=mailto:ecole@ferry.fr>m</a>")).toBe('<a href="HTTP://x.example">x</a> <a href="mailto:ecole@ferry.fr">m</a>')
    expect(sanitizeHtml('<a href="javascript:alert(1)">j</a><a href=" jav&#x09;ascript:alert(1)">t</a><a href="data:text/html,x">d</a><a href="/relative">r</a><a href="//evil.example">s</a>'))
      .toBe('<a>j</a><a>t</a><a>d</a><a>r</a><a>s</a>')
  })

  it('keeps a link address whole but percent-encodes the characters an address cannot hold', () => {
    expect(sanitizeHtml('<a href=\' https://x.example/a b"<c> \'>x</a>')).toBe('<a href="https://x.example/a%20b%22%3Cc%3E">x</a>')
  })

  it('keeps the text of an element it does not allow, and the text stays text', () => {
    expect(sanitizeHtml('<font color="red">rouge</font> <img src=x onerror=alert(1)>1 &lt; 2 &amp; 3 > 2 <3 </'))
      .toBe('rouge 1 &lt; 2 &amp; 3 > 2 &lt;3 &lt;/')
  })

  it('keeps the text as written, its character references and quotes included', () => {
    expect(sanitizeHtml("<p>Cong&eacute;s de l'école &amp;lt;script&amp;gt; 20&nbsp;&euro; &quot;Zoé&quot; &#39;</p>")).toBe("<p>Cong&eacute;s de l'école &amp;lt;script&amp;gt; 20&nbsp;&euro; &quot;Zoé&quot; &#39;</p>")
  })

  it('removes comments, doctypes and processing instructions, including a conditional comment', () => {
    expect(sanitizeHtml('<!DOCTYPE html><!--[if IE]><script>x</script><![endif]--><?xml version="1.0"?><p>ok</p>')).toBe('<p>ok</p>')
  })

  it('closes what is left open and drops end tags with nothing to close, so the body cannot spill into the page around it', () => {
    expect(sanitizeHtml('</div></td><table><tr><td><a href="https://x.example">lien')).toBe('<table><tr><td><a href="https://x.example">lien</a></td></tr></table>')
    expect(sanitizeHtml('<p><b>gras</p> suite')).toBe('<p><b>gras</b></p> suite')
  })

  it('ends a link where the next one starts, as a browser reads it', () => {
    expect(sanitizeHtml('<a href="https://a.example">a<a href="https://b.example">b</a>')).toBe('<a href="https://a.example">a</a><a href="https://b.example">b</a>')
  })

  it('drops the rest of a body that ends inside a tag', () => {
    expect(sanitizeHtml('<p>Bonjour</p><a href="https://x.example')).toBe('<p>Bonjour</p>')
  })

  it('changes nothing in a body it has already sanitized', () => {
    const once = sanitizeHtml('<p onclick=x>a &amp; b<script>y</script><a href=" https://x.example/?q=<1>&amp;r ">l</a><b>open')
    expect(sanitizeHtml(once)).toBe(once)
  })

  it('refuses a body that is not a string, naming it', () => {
    let caught: unknown
    try {
      sanitizeHtml(42 as unknown as string)
    } catch (error) {
      caught = error
    }
    expect(isEcoleError(caught, 'INVALID_INPUT')).toBe(true)
    expect((caught as Error).message).toContain('html')
  })
})
