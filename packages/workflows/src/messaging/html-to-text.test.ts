import { describe, expect, it } from 'vitest'
import { htmlToText } from './html-to-text'

describe('htmlToText', () => {
  it('decodes the named references of Latin-1 and the typographic marks, and numeric ones in decimal and hexadecimal', () => {
    expect(htmlToText('<p>Cong&eacute;s d&rsquo;hiver&nbsp;: 20&nbsp;&euro; &#233;t&#xE9;</p>')).toBe('Congés d’hiver\u00a0: 20\u00a0€ été')
    expect(htmlToText('&laquo;&nbsp;Re&ccedil;u&nbsp;&raquo; &ndash; &hellip; &oelig;uvre &Scaron;koda &copy;&trade; &frac12; &times;2 &deg;C &apos;x&apos;')).toBe('«\u00a0Reçu\u00a0» – … œuvre Škoda ©™ ½ ×2 °C \'x\'')
    expect(htmlToText('&#8364; &#x20ac; &#X20AC; &#x1F600;')).toBe('€ € € 😀')
  })

  it('writes U+FFFD for a numeric reference to no character, and reads 128–159 as Windows-1252 as browsers do', () => {
    expect(htmlToText('[&#0;][&#xD800;][&#x110000;][&#99999999999;][&#1;]')).toBe('[\ufffd][\ufffd][\ufffd][\ufffd][\ufffd]')
    expect(htmlToText('&#150; &#128; &#146;')).toBe('– € ’')
  })

  it('leaves an unknown name as written, and decodes once (an escaped reference stays a reference)', () => {
    expect(htmlToText('&foo; &constructor; AT&T 1 & 2')).toBe('&foo; &constructor; AT&T 1 & 2')
    expect(htmlToText('&amp;eacute; &amp;lt;p&amp;gt;')).toBe('&eacute; &lt;p&gt;')
  })

  it('leaves out what a reader never sees: the head, styles, scripts, the title, comments', () => {
    expect(htmlToText('<html><head><style>p{color:red}</style><title>Lettre</title><meta charset="utf-8"></head><body><p>Bonjour</p></body></html>')).toBe('Bonjour')
    expect(htmlToText('<p>A</p><script>if (a < b) document.write("<p>x</p>")</script><!-- interne : ne pas envoyer --><STYLE type="text/css">b{}</STYLE><p>B</p>')).toBe('A\n\nB')
  })

  it('keeps the address of a link after its text whatever the quoting of href (double, single, none)', () => {
    expect(htmlToText('<p><a href="https://portail.example/paiement">Payer</a></p>')).toBe('Payer <https://portail.example/paiement>')
    expect(htmlToText("<p><a href='https://portail.example/paiement'>Payer en ligne</a></p>")).toBe('Payer en ligne <https://portail.example/paiement>')
    expect(htmlToText('<p><a class=btn href=https://portail.example/?a=1&amp;b=2>Payer</a> ensuite</p>')).toBe('Payer <https://portail.example/?a=1&b=2> ensuite')
    expect(htmlToText('<a href="https://portail.example/"></a>')).toBe('https://portail.example/')
  })

  it('does not end a tag at a ">" inside a quoted attribute value', () => {
    expect(htmlToText('<p title="a > b" data-x=\'<p>\'>Texte</p>')).toBe('Texte')
  })

  it('separates table cells with " | " and rows with line breaks', () => {
    expect(htmlToText('<table><tr><th>Libellé</th><th>Montant</th></tr><tr><td>Total</td><td>12 €</td></tr></table><p>Merci</p>')).toBe('Libellé | Montant\nTotal | 12 €\n\nMerci')
  })

  it('keeps block and line breaks: a blank line between paragraphs, one list item per line', () => {
    expect(htmlToText('<p>A<br>B</p><ul><li>un</li><li>deux</li></ul><ol><li>premier</li><li>second</li></ol><h2>Titre</h2><div>Fin</div>')).toBe('A\nB\n\n- un\n- deux\n\n1. premier\n2. second\n\nTitre\n\nFin')
  })

  it('collapses white space as a browser shows it, except in <pre>', () => {
    expect(htmlToText('<p>\n  Bonjour   <b>Marie</b> ,\n  à bientôt\n</p>')).toBe('Bonjour Marie , à bientôt')
    expect(htmlToText('<pre>a\n  b</pre>')).toBe('a\n  b')
  })
})
