import { isEcoleError } from '@ecole/core'
import { fc, test } from '@fast-check/vitest'
import { SaxesParser } from 'saxes'
import { describe, expect, it } from 'vitest'
import { fixtureText } from '../test-support/fixtures'
import { scanXml } from './xml-scanner'

/** The independent oracle: saxes, a maintained SAX parser that checks well-formedness and namespaces. */
function saxesAccepts(xml: string): boolean {
  const parser = new SaxesParser({ xmlns: true })
  let ok = true
  parser.on('error', () => {
    ok = false
  })
  try {
    parser.write(xml).close()
  } catch {
    ok = false
  }
  return ok
}

function scannerAccepts(xml: string): boolean {
  try {
    scanXml(xml, { subject: 'fuzz' })
    return true
  } catch (e) {
    if (!isEcoleError(e)) throw new Error(`not an EcoleError: ${String(e)}`, { cause: e })
    return false
  }
}

/**
 * Where the two may differ: the scanner refuses DTDs and names outside ASCII on purpose, and
 * saxes misses two things XML 1.0 refuses: a lone surrogate followed by '<' (`'<a>\ud800<</a>'`
 * passes it; bytes decoded by `decodeXml` never hold one), and a '?' inside a processing
 * instruction's target (`'<?x?y?><a/>'` passes it; a target is a Name, and '?' is no name character).
 */
const deliberatelyRefused = (xml: string) => /\p{Cs}/u.test(xml) || /<\?[^\s?]*\?(?!>)/.test(xml) || /<!DOCTYPE/i.test(xml) || /<\/?[^\s>]*[^\x00-\x7f]/.test(xml) || /\s[^\s=<>]*[^\x00-\x7f][^\s=<>]*\s*=/.test(xml)

const real = ['genkgo-camt-camt053.v2.minimal.xml', 'genkgo-camt-camt053.v8.xml', 'genkgo-camt-camt054.v2.xml', 'oca-account-payment-test-sepa-pain-unpaid.pain.002.001.03.xml', 'moov-iso20022-postfinance-pain002-rjct-1.xml'].map((f) => fixtureText(f))
const small = '<?xml version="1.0" encoding="UTF-8"?>\n<p:Doc xmlns:p="urn:x" xmlns:q="urn:y"><p:A q:k="v" Ccy="EUR">5 &amp; &#233;</p:A><!-- c --><?pi x?><B><![CDATA[<&>]]></B></p:Doc>'

const pieces = fc.constantFrom('<', '>', '/', '"', "'", '=', '&', ';', '!', '?', '[', ']', '-', ' ', '\n', '\t', '\u0000', '\u00a0', '\uffff', '\ud800', 'a', 'p:', 'q:', 'xmlns', 'xmlns:p="urn:z"', 'Ccy="EUR"', '<!--', '-->', '--', '<?xml version="1.0"?>', '<![CDATA[', ']]>', '&amp;', '&#0;', '&#x1F;', '&lt;', 'é', '</', '/>')
const snippet = fc.array(pieces, { maxLength: 12 }).map((a) => a.join(''))

/** A document with one to three random edits: slices removed, snippets inserted, slices repeated. */
function mutated(doc: string) {
  const edit = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(30), snippet, fc.constantFrom('delete', 'insert', 'repeat', 'replace'))
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    let d = doc
    for (const [where, len, ins, op] of edits) {
      const at = Math.floor(where * d.length)
      if (op === 'delete') d = d.slice(0, at) + d.slice(at + len)
      else if (op === 'insert') d = d.slice(0, at) + ins + d.slice(at)
      else if (op === 'replace') d = d.slice(0, at) + ins + d.slice(at + ins.length)
      else d = d.slice(0, at + len) + d.slice(at, at + len) + d.slice(at + len)
    }
    return d
  })
}

const docs = fc.oneof(fc.constantFrom(small, ...real).chain(mutated), snippet.map((s) => `<a>${s}</a>`), snippet, fc.string({ unit: 'binary', maxLength: 60 }))

describe('the XML scanner against saxes, an independent well-formedness oracle', () => {
  it('agrees with saxes on the real files and on what XML refuses (NUL, < in an attribute, duplicate attributes, undeclared prefixes)', () => {
    for (const xml of [...real, small]) expect([scannerAccepts(xml), saxesAccepts(xml)]).toEqual([true, true])
    const refused = [
      '<a>\u0000</a>', '<a b="<"/>', '<a b="1" b="2"/>', '<p:a/>', '<a p:b="1"/>', '<a xmlns:p=""/>', '<a b="1"c="2"/>', '<!-- a -- b --><a/>',
      ' <?xml version="1.0"?><a/>', '<a/><?xml version="1.0"?>', '<?xml version="1.0" standalone="maybe"?><a/>', '<a>&#1;</a>', '<a></ a>', '\u00a0<a/>', '<a>\ud800</a>',
    ]
    for (const xml of refused) expect([xml, scannerAccepts(xml), saxesAccepts(xml)]).toEqual([xml, false, false])
  })

  it("refuses a processing instruction whose target holds a '?', which saxes lets through (XML 1.0: the target is a Name)", () => {
    for (const xml of ['<?x?y?><a/>', '<a><?x?y z?></a>', '<?x?xml version="1.0"?>\n<a/>']) {
      expect([xml, scannerAccepts(xml), saxesAccepts(xml), deliberatelyRefused(xml)]).toEqual([xml, false, true, true])
    }
    for (const xml of ['<?x?><a/>', '<a><?x y?z?></a>']) expect([xml, scannerAccepts(xml), deliberatelyRefused(xml)]).toEqual([xml, true, false])
  })

  test.prop([docs], { numRuns: 3000, interruptAfterTimeLimit: 20_000 })('whatever the scanner accepts, saxes accepts; whatever saxes accepts (no DTD, ASCII names), the scanner accepts', (xml) => {
    const mine = scannerAccepts(xml)
    const theirs = saxesAccepts(xml)
    if (mine) expect(theirs).toBe(true)
    else if (theirs && !deliberatelyRefused(xml)) expect({ xml, mine }).toEqual({ xml, mine: true })
  }, 60_000)
})
