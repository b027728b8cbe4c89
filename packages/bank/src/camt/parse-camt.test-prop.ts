import { isEcoleError } from '@ecole/core'
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { parsePain002 } from '../pain/parse-pain-002'
import { hasSharedData, sharedText } from '../test-support/shared-data'
import { parseCamt053 } from './parse-camt-053'
import { parseCamt054 } from './parse-camt-054'

/** Runs `parse` and says whether it parsed or threw an EcoleError; any other throw fails the property. */
function parsesOrRefuses(parse: () => unknown): 'parsed' | 'refused' {
  try {
    parse()
    return 'parsed'
  } catch (e) {
    if (!isEcoleError(e)) throw new Error(`not an EcoleError: ${String(e)}`, { cause: e })
    expect(e.message.startsWith('[ecole]')).toBe(true)
    return 'refused'
  }
}

const VALID = `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S</Id><Acct><Id><IBAN>BE68539007547034</IBAN></Id><Ccy>EUR</Ccy></Acct><Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-30</Dt></Dt></Bal><Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">15.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-01</Dt></Dt></Bal><Ntry><Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-12-01</Dt></BookgDt><AcctSvcrRef>R1</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>E</EndToEndId></Refs><RmtInf><Ustrd>a &amp; b</Ustrd><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp><Ref>123456789002</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`

const xmlish = fc.array(fc.constantFrom('<', '>', '/', '"', "'", '=', '&', ';', '!', '?', '[', ']', '-', ' ', '\n', 'a', 'Ntry', 'Amt', 'Document', 'CDATA', 'xmlns', ':', '#', 'x', '1', '.'), { maxLength: 80 }).map((a) => a.join(''))

/** A valid document with one random edit: a slice removed, a string inserted, or a slice repeated. */
function mutated(doc: string) {
  return fc.tuple(fc.nat(doc.length), fc.nat(40), fc.oneof(fc.string({ maxLength: 12 }), xmlish), fc.constantFrom('delete', 'insert', 'repeat')).map(([at, len, ins, op]) => {
    if (op === 'delete') return doc.slice(0, at) + doc.slice(at + len)
    if (op === 'insert') return doc.slice(0, at) + ins + doc.slice(at)
    return doc.slice(0, at + len) + doc.slice(at, at + len) + doc.slice(at + len)
  })
}

const samples = hasSharedData
  ? ['bank/genkgo-camt-camt053.v2.minimal.xml', 'bank/genkgo-camt-camt053.v8.xml', 'bank/genkgo-camt-camt054.v2.xml', 'bank/oca-account-payment-test-sepa-pain-unpaid.pain.002.001.03.xml'].map((p) => sharedText(p))
  : [VALID]

describe('XML statement readers under fuzzing', () => {
  test.prop([fc.oneof(fc.string(), xmlish, fc.anything())])('any input either parses or is refused with an EcoleError', (input) => {
    for (const parse of [parseCamt053, parseCamt054, parsePain002]) expect(['parsed', 'refused']).toContain(parsesOrRefuses(() => parse(input as string)))
  }, 60_000)

  test.prop([mutated(VALID)], { numRuns: 300 })('a valid camt.053 with one random edit either parses or is refused with an EcoleError', (doc) => {
    expect(['parsed', 'refused']).toContain(parsesOrRefuses(() => parseCamt053(doc)))
  }, 60_000)

  test.prop([fc.constantFrom(...samples).chain((s) => mutated(s))], { numRuns: 120 })(
    'a sample bank file with one random edit either parses or is refused with an EcoleError, whichever reader gets it',
    (doc) => {
      for (const parse of [parseCamt053, parseCamt054, parsePain002]) expect(['parsed', 'refused']).toContain(parsesOrRefuses(() => parse(doc)))
    },
    60_000,
  )

  // the example is the counterexample fast-check once found (seed 39957727): '$' patterns in the text
  test.prop([fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { maxLength: 5 })], { examples: [[['$$', '$&', "$'", '$`', 'a $1 b']]] })('remittance text of any characters is read back exactly', (texts) => {
    const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
    const cleaned = texts.map((t) => t.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/g, '').trim()).filter((t) => t !== '')
    // a replacer function, not a replacement string: in a string, `$$`, `$&`, `$'` and `$\`` are patterns
    const doc = VALID.replace('<Ustrd>a &amp; b</Ustrd>', () => cleaned.map((t) => `<Ustrd>${esc(t)}</Ustrd>`).join(''))
    expect(parseCamt053(doc)[0]!.entries[0]!.transactions[0]!.remittance.unstructured).toEqual(cleaned)
  }, 60_000)
})
