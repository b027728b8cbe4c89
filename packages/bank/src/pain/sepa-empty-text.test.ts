import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sampleBatch } from '../test-support/batches'
import { SHARED_DATA, hasSharedData, xsdProblems } from '../test-support/shared-data'
import { writePain008 } from './build-pain-008'
import { sepaField, type TextCut } from './sepa-fields'

const VERSIONS = ['pain.008.001.08', 'pain.008.001.02'] as const
const XMLLINT = ['/usr/bin/xmllint', '/usr/local/bin/xmllint'].find((p) => existsSync(p))

/** What Debian's xmllint says of `xml` against the official schema: '' when it validates. */
function xmllintProblems(xml: string, version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pain008-'))
  try {
    const file = join(dir, 'pain.xml')
    writeFileSync(file, xml)
    const r = spawnSync(XMLLINT!, ['--noout', '--schema', join(SHARED_DATA, 'iso20022', `${version}.xsd`), file], { encoding: 'utf8' })
    return r.status === 0 ? '' : r.stderr
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('a text that leaves nothing in the SEPA set', () => {
  it('is written as one full stop with a replaced warning, never as an empty field', () => {
    for (const given of ['\uFE0F', 'Ъ', '\u0301', 'Ъ Ь']) {
      const warnings: TextCut[] = []
      expect(sepaField(given, 70, 'debits.1.debtor.name', warnings)).toBe('.')
      expect(warnings).toEqual([{ field: 'debits.1.debtor.name', limit: 70, given, written: '.', replaced: [...new Set(given.normalize('NFC'))].filter((c) => c !== ' ') }])
    }
  })

  it("keeps the collection file schema-valid (.08 and .02) for the other families when one family's name, town or remittance text is erased", () => {
    const b = sampleBatch()
    b.debits[1]!.debtor.name = '\uFE0F'
    b.debits[1]!.debtor.address = { town: 'Ь', country: 'DE' }
    b.debits[2]!.debtor.name = 'Ъ'
    b.debits[2]!.remittance = { kind: 'text', text: 'Ъ' }
    b.debits[3]!.debtor.name = '\u0301'
    for (const version of VERSIONS) {
      const { xml, warnings } = writePain008(b, { version })
      expect(xml).not.toMatch(/<(\w+)><\/\1>/)
      expect(xml).toContain('<Nm>.</Nm>')
      expect(xml).toContain('<TwnNm>.</TwnNm>')
      expect(xml).toContain('<Ustrd>.</Ustrd>')
      expect(warnings.filter((w) => w.written === '.').map((w) => [w.field, w.replaced])).toEqual([
        ['debits.1.debtor.name', ['\uFE0F']],
        ['debits.1.debtor.address.town', ['Ь']],
        ['debits.2.debtor.name', ['Ъ']],
        ['debits.2.remittance.text', ['Ъ']],
        ['debits.3.debtor.name', ['\u0301']],
      ])
      if (hasSharedData) expect(xsdProblems(xml, version)).toEqual([])
      if (hasSharedData && XMLLINT !== undefined) expect(xmllintProblems(xml, version)).toBe('')
    }
  })
})
