// Turns a documentation code block into a checked program: every `expr //=> expected` (or a line
// `//=> expected` under a statement) becomes an assertion that the expression deep-equals the value.
// Used by the consumer check (README's "A taste" against the packed packages) and by the docs test
// (scripts/doc-examples.test.ts: every ts block of docs/*.md and the READMEs).

/** The longest prefix of `text` that is a JavaScript expression (a comment may follow the value). */
function expectedValue(text) {
  for (let end = text.length; end > 0; end--) {
    const candidate = text.slice(0, end).trim()
    if (!candidate) break
    try {
      new Function(`return (${candidate})`)
      return candidate
    } catch {
      // shorter
    }
  }
  throw new Error(`cannot read an expected value in: //=> ${text}`)
}

/** Strips a trailing `// comment` from a code line (not inside strings; good enough for examples). */
function codeOf(line) {
  let quote = null
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = null
    } else if (c === "'" || c === '"' || c === '`') quote = c
    else if (c === '/' && line[i + 1] === '/') return line.slice(0, i).trimEnd()
  }
  return line.trimEnd()
}

/**
 * @param {string} source a code block
 * @returns {{ program: string, assertions: number }} the block with `__check(actual, expected, label)` calls
 */
export function checkedProgram(source) {
  const lines = source.split('\n')
  const out = []
  let assertions = 0
  let lastCode = -1
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const at = line.indexOf('//=>')
    if (at === -1) {
      out.push(line)
      if (codeOf(line).trim() && !line.trim().startsWith('//')) lastCode = out.length - 1
      continue
    }
    const expected = expectedValue(line.slice(at + 4))
    const before = codeOf(line.slice(0, at)).trim()
    if (before) {
      out.push(`;__check((${before.replace(/;$/, '')}), (${expected}), ${JSON.stringify(`line ${i + 1}`)})`)
    } else {
      if (lastCode < 0) throw new Error(`line ${i + 1}: //=> with no statement above it`)
      const stmt = codeOf(out[lastCode]).trim().replace(/;$/, '')
      out[lastCode] = `;__check((${stmt}), (${expected}), ${JSON.stringify(`line ${i + 1}`)})`
    }
    assertions++
    lastCode = -1
  }
  return { program: out.join('\n'), assertions }
}

/**
 * The fenced blocks of a language in a Markdown text, with the heading above each, the line the
 * block starts on, and the marker written in an HTML comment on the line just above the fence:
 *
 * - no marker: the block is a complete program (imports included), type-checked and run, its
 *   `//=>` results asserted;
 * - `<!-- example: continues -->`: the block goes on from the previous block of the same file (one
 *   program, checked and run together; do not import a name twice);
 * - `<!-- example: types-only (why) -->`: a complete program that is type-checked but not run (a
 *   test file for a test runner, a block that needs a server or a file);
 * - `<!-- example: no-run (why) -->`: deliberately not run (a fragment, a shell session, a block
 *   that needs a server); the reason is required and the block is counted, never skipped silently.
 */
export function codeBlocks(markdown, lang = 'ts') {
  const blocks = []
  let heading = ''
  const re = /^(#{1,6} .*)$|^(?:<!--\s*example:\s*(.*?)\s*-->\n)?```([\w-]*)[^\n]*\n([\s\S]*?)^```$/gm
  for (const m of markdown.matchAll(re)) {
    if (m[1]) heading = m[1].replace(/^#+ /, '')
    else if (m[3] === lang) {
      const line = markdown.slice(0, m.index).split('\n').length + (m[2] === undefined ? 0 : 1)
      const marker = parseMarker(m[2], line)
      blocks.push({ heading, code: m[4], line, ...marker })
    }
  }
  return blocks
}

/** The marker of a block: `{ mode: 'run' | 'continues' | 'types-only' | 'no-run', reason? }`. */
function parseMarker(text, line) {
  if (text === undefined) return { mode: 'run' }
  if (text === 'continues') return { mode: 'continues' }
  const other = /^(no-run|types-only)\s*\((.+)\)$/.exec(text)
  if (other) return { mode: other[1], reason: other[2].trim() }
  throw new Error(`line ${line}: unknown example marker "${text}" (use "continues", "types-only (why)" or "no-run (why)")`)
}

/**
 * The checked programs of a Markdown file: each runnable block with the blocks that continue it,
 * and the blocks deliberately not run.
 *
 * @param {string} markdown
 * @returns {{ programs: Array<{ line: number, heading: string, program: string, assertions: number, run: boolean, reason?: string }>, notRun: Array<{ line: number, heading: string, reason: string }> }}
 */
export function checkedExamples(markdown) {
  const programs = []
  const notRun = []
  let current
  for (const block of codeBlocks(markdown)) {
    if (block.mode === 'no-run') {
      notRun.push({ line: block.line, heading: block.heading, reason: block.reason })
      continue
    }
    if (block.mode === 'continues') {
      if (!current) throw new Error(`line ${block.line}: "continues" with no runnable block before it`)
      current.code += `\n${block.code}`
      continue
    }
    current = { line: block.line, heading: block.heading, code: block.code, run: block.mode === 'run', reason: block.reason }
    programs.push(current)
  }
  return {
    programs: programs.map(({ line, heading, code, run, reason }) => ({ line, heading, run, ...(reason ? { reason } : {}), ...checkedProgram(code) })),
    notRun,
  }
}
