// Turns a documentation code block into a checked program: every `expr //=> expected` (or a line
// `//=> expected` under a statement) becomes an assertion that the expression deep-equals the value.
// Used by the consumer check (README's "A taste" against the packed packages).

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
      out.push(`__check((${before.replace(/;$/, '')}), (${expected}), ${JSON.stringify(`line ${i + 1}`)})`)
    } else {
      if (lastCode < 0) throw new Error(`line ${i + 1}: //=> with no statement above it`)
      const stmt = codeOf(out[lastCode]).trim().replace(/;$/, '')
      out[lastCode] = `__check((${stmt}), (${expected}), ${JSON.stringify(`line ${i + 1}`)})`
    }
    assertions++
    lastCode = -1
  }
  return { program: out.join('\n'), assertions }
}

/** The fenced blocks of a language in a Markdown text, with the heading above each. */
export function codeBlocks(markdown, lang = 'ts') {
  const blocks = []
  let heading = ''
  const re = /^(#{1,6} .*)$|^```(\w*)\n([\s\S]*?)^```$/gm
  for (const m of markdown.matchAll(re)) {
    if (m[1]) heading = m[1].replace(/^#+ /, '')
    else if (m[2] === lang) blocks.push({ heading, code: m[3] })
  }
  return blocks
}
