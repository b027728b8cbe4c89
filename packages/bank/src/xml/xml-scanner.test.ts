import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { MAX_ATTRIBUTES_PER_TAG, scanXml, type XmlElement } from './xml-scanner'

const plain = (el: XmlElement): unknown => ({ name: el.name, attrs: el.attrs, text: el.text.trim(), children: el.children.map(plain) })
const read = (xml: string) => plain(scanXml(xml, { subject: 'test' }))
const problem = (xml: string) => {
  try {
    scanXml(xml, { subject: 'test' })
  } catch (e) {
    if (isEcoleError(e)) return e.message
    throw e
  }
  throw new Error('accepted')
}

describe('scanXml', () => {
  it('reads elements by local name, with attributes, self-closing tags and a ">" inside an attribute value', () => {
    expect(read('<?xml version="1.0"?><p:Doc xmlns:p="urn:x"><p:A Ccy="EUR" x=\'1>2\'>5</p:A><B/><C k="v"/></p:Doc>')).toEqual({
      name: 'Doc', attrs: undefined, text: '', children: [
        { name: 'A', attrs: { Ccy: 'EUR', x: '1>2' }, text: '5', children: [] },
        { name: 'B', attrs: undefined, text: '', children: [] },
        { name: 'C', attrs: { k: 'v' }, text: '', children: [] },
      ],
    })
  })

  it('decodes the predefined and numeric entities, keeps CDATA as is and reads CR LF as LF', () => {
    expect(read('<a>x &lt;&amp;&gt; &#233;&#xE9; <![CDATA[<&>]]>\r\ny</a>')).toEqual({ name: 'a', attrs: undefined, text: 'x <&> éé <&>\ny', children: [] })
  })

  it('hands over detached elements as they close, keeping them out of their parent', () => {
    const seen: string[] = []
    const root = scanXml('<S><N>1</N><X/><N>2</N></S>', { subject: 't', detach: new Set(['N']), onDetached: (el, parent) => seen.push(`${parent.name}:${el.text}`) })
    expect([seen, root.children.map((c) => c.name)]).toEqual([['S:1', 'S:2'], ['X']])
  })

  it('refuses what is not well formed, naming line and column', () => {
    expect(problem('<a>\n<b></a>')).toContain('line 2, column 4: </a> closes <b>')
    expect(problem('<a>')).toContain('<a> is never closed')
    expect(problem('<a/><b/>')).toContain('content after the root element')
    expect(problem('x<a/>')).toContain('text outside the root element')
    expect(problem('<a>&nbsp;</a>')).toContain('unknown entity &nbsp;')
    expect(problem('<a b=1/>')).toContain('bad attribute syntax')
    expect(problem('<a/b>x</a/b>')).toContain('bad attribute syntax')
    expect(problem('<!DOCTYPE a><a/>')).toContain('DTDs')
    expect(problem('')).toContain('no root element')
  })

  it('reads a tag of 256 attributes and refuses one of more, so a tag of 200,000 attributes (2.3 MB, which kept the scanner busy for minutes) is refused after reading 257', () => {
    const tag = (n: number) => `<a ${Array.from({ length: n }, (_, i) => `a${i}="${i}"`).join(' ')}/>`
    expect(Object.keys((scanXml(tag(MAX_ATTRIBUTES_PER_TAG), { subject: 'test' }).attrs ?? {}))).toHaveLength(256)
    expect(problem(tag(MAX_ATTRIBUTES_PER_TAG + 1))).toContain('more than 256 attributes on one tag')
    expect(problem(tag(200_000))).toContain('more than 256 attributes on one tag')
    expect(problem(`<a ${Array.from({ length: 200 }, (_, i) => `a${i}="x"`).join(' ')} a150="y"/>`)).toContain('duplicate attribute a150')
  })
})
