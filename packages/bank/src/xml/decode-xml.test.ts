import { describe, expect, it } from 'vitest'
import { parseCamt053 } from '../camt/parse-camt-053'
import { thrown } from '../test-support/thrown'
import { decodeXml } from './decode-xml'

const doc = (decl: string) => `${decl}<Document><BkToCstmrStmt><Stmt><Id>S</Id><Acct><Ccy>EUR</Ccy><Ownr><Nm>Crèche Zoë</Nm></Ownr></Acct></Stmt></BkToCstmrStmt></Document>`

describe('decodeXml and the parsers given bytes', () => {
  it('reads UTF-8 (with or without a byte-order mark), ISO-8859-1 and Windows-1252 as the prolog declares', () => {
    expect(parseCamt053(Buffer.from(doc('<?xml version="1.0" encoding="UTF-8"?>')))[0]!.account.ownerName).toBe('Crèche Zoë')
    expect(parseCamt053(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc(''))]))[0]!.account.ownerName).toBe('Crèche Zoë')
    expect(parseCamt053(Buffer.from(doc('<?xml version="1.0" encoding="ISO-8859-1"?>'), 'latin1'))[0]!.account.ownerName).toBe('Crèche Zoë')
    expect(decodeXml(new Uint8Array([...Buffer.from("<?xml version='1.0' encoding='windows-1252'?><a>"), 0x80, ...Buffer.from('</a>')]), 't')).toContain('<a>€</a>')
  })

  it('reads UTF-16 little- and big-endian behind their byte-order marks', () => {
    const text = doc('<?xml version="1.0" encoding="UTF-16"?>')
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    const be = Buffer.from(le.subarray(2)).swap16()
    expect(parseCamt053(le)[0]!.account.ownerName).toBe('Crèche Zoë')
    expect(parseCamt053(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))[0]!.account.ownerName).toBe('Crèche Zoë')
  })

  it('refuses bytes that are not valid in the declared encoding, an unknown encoding, and UTF-16 without a byte-order mark', () => {
    expect(thrown(() => parseCamt053(Buffer.from(doc('<?xml version="1.0" encoding="UTF-8"?>'), 'latin1'))).message).toContain('the bytes are not valid UTF-8')
    expect(thrown(() => parseCamt053(Buffer.from(doc('<?xml version="1.0" encoding="EBCDIC-FR"?>')))).message).toContain('unknown encoding "ebcdic-fr"')
    expect(thrown(() => parseCamt053(Buffer.from(doc('<?xml version="1.0" encoding="UTF-16"?>'), 'utf16le'))).message).toContain('UTF-16 without a byte-order mark')
    expect(thrown(() => parseCamt053(42 as unknown as string)).code).toBe('INVALID_INPUT')
  })
})
