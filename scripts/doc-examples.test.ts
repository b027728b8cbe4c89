// Every ```ts block of docs/*.md and of the READMEs is a checked example: extracted here,
// type-checked against the sources (the "@ecole/source" condition, like every other test), run,
// and its `//=>` results asserted with deep equality. A block that is deliberately not run carries
// `<!-- example: no-run (why) -->` on the line above its fence and is counted below; a block that
// goes on from the previous one carries `<!-- example: continues -->` (see doc-examples.mjs).
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { checkedExamples, codeBlocks } from './doc-examples.mjs'

const root = path.resolve(import.meta.dirname, '..')
const out = path.join(root, '.doc-examples')

const readmes = (dir: string) =>
  fs
    .readdirSync(path.join(root, dir))
    .map((d) => path.join(dir, d, 'README.md'))
    .filter((f) => fs.existsSync(path.join(root, f)))
const markdownFiles = [
  'README.md',
  ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f)),
  ...readmes('packages'),
  ...readmes('examples'),
].sort()

const PRELUDE =
  "import { expect as __expect } from 'vitest'\n" +
  'const __check = (actual: unknown, expected: unknown, label: string): void => { __expect(actual, label).toStrictEqual(expected) }\n'

interface Example {
  file: string
  line: number
  heading: string
  assertions: number
  path: string
  run: boolean
  reason?: string | undefined
}

fs.rmSync(out, { recursive: true, force: true })
fs.mkdirSync(out, { recursive: true })
const examples: Example[] = []
const notRun: Array<{ file: string; line: number; reason: string }> = []
let fences = 0
let parsed = 0
for (const file of markdownFiles) {
  const markdown = fs.readFileSync(path.join(root, file), 'utf8')
  fences += markdown.split('\n').filter((l) => /^```ts\b/.test(l)).length
  parsed += codeBlocks(markdown).length
  const checked = checkedExamples(markdown)
  for (const p of checked.programs) {
    const name = `${file.replace(/[/\\.]/g, '_')}-L${p.line}.ts`
    const label = `${file}:${p.line}`
    const program = p.program.replace(/;__check\(([\s\S]*?), ("line \d+")\)$/gm, (_m, args: string, l: string) => `;__check(${args}, ${JSON.stringify(`${label} (${JSON.parse(l)} of the example)`)})`)
    fs.writeFileSync(path.join(out, name), `${PRELUDE}${program}\nexport {}\n`)
    examples.push({ file, line: p.line, heading: p.heading, assertions: p.assertions, path: path.join(out, name), run: p.run, reason: p.reason })
  }
  for (const n of checked.notRun) notRun.push({ file, line: n.line, reason: n.reason })
}

/** Type errors of each example, from one program over all of them (strict, the repository's settings). */
function typeErrors(): Map<string, string[]> {
  const base = ts.readConfigFile(path.join(root, 'tsconfig.base.json'), ts.sys.readFile)
  const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, root)
  const program = ts.createProgram(examples.map((e) => e.path), { ...options, noEmit: true, declaration: false, sourceMap: false })
  const errors = new Map<string, string[]>()
  for (const e of examples) {
    const source = program.getSourceFile(e.path)!
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
    errors.set(
      e.path,
      diagnostics.map((d) => {
        const at = d.start === undefined ? '' : `line ${source.getLineAndCharacterOfPosition(d.start).line + 1}: `
        return `${at}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
      }),
    )
  }
  return errors
}

describe('the code blocks of the docs and READMEs', () => {
  it('parses every ts fence, and each block not run says why', () => {
    expect(parsed).toBe(fences)
    expect(examples.length + notRun.length).toBeLessThanOrEqual(fences)
    for (const n of notRun) expect(n.reason.length, `${n.file}:${n.line}`).toBeGreaterThan(3)
    const typesOnly = examples.filter((e) => !e.run)
    for (const e of typesOnly) expect((e.reason ?? '').length, `${e.file}:${e.line}`).toBeGreaterThan(3)
    const run = examples.filter((e) => e.run)
    console.log(
      `doc examples: ${fences} ts blocks; ${run.length} programs type-checked and run (${run.reduce((s, e) => s + e.assertions, 0)} results asserted); ` +
        `${typesOnly.length} type-checked only; ${notRun.length} fragments not run:\n` +
        [...typesOnly.map((e) => ({ ...e, reason: `types only: ${e.reason}` })), ...notRun].map((n) => `  ${n.file}:${n.line} ${n.reason}`).join('\n'),
    )
  })

  let errors: Map<string, string[]> | undefined
  for (const e of examples) {
    it(`${e.file}:${e.line} (${e.heading}) type-checks${e.run ? ' and runs as written' : ''}`, async () => {
      errors ??= typeErrors()
      const found = errors.get(e.path)!
      if (found.length > 0) throw new Error(`type errors in ${path.relative(root, e.path)}:\n${found.join('\n')}`)
      if (e.run) await import(pathToFileURL(e.path).href)
    })
  }
})
