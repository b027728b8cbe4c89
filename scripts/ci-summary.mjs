// Reads vitest's JSON report, checks that the suites CI depends on really ran (the PostgreSQL
// server suite must not skip in CI), and prints the closing line `N passed, N failed`.
import fs from 'node:fs'

const report = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
let passed = 0
let failed = 0
let skipped = 0
const names = []
const failures = []
for (const file of report.testResults ?? []) {
  for (const t of file.assertionResults ?? []) {
    names.push({ name: t.fullName ?? t.title ?? '', status: t.status })
    if (t.status === 'passed') passed++
    else if (t.status === 'failed') {
      failed++
      failures.push({ file: file.name, name: t.fullName ?? t.title ?? '', duration: t.duration, messages: t.failureMessages ?? [] })
    } else skipped++
  }
  if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) {
    failed++
    failures.push({ file: file.name, name: '(the file did not load)', messages: [file.message ?? ''] })
  }
}
// The failures are printed last, so that they survive when only the tail of the log is kept.
for (const f of failures) {
  // a timeout's message is only a stack ("STACK_TRACE_ERROR"): the duration says what it was
  const after = typeof f.duration === 'number' ? ` (failed after ${Math.round(f.duration)} ms)` : ''
  console.error(`\n✗ ${f.file}\n  ${f.name}${after}`)
  for (const m of f.messages) console.error(m.split('\n').slice(0, 40).map((l) => `    ${l}`).join('\n'))
}
let ok = failed === 0 && passed > 0
const serverRan = names.some((t) => /PostgreSQL server/i.test(t.name) && t.status === 'passed')
if (!serverRan) {
  console.error('!! the storage suite on a real PostgreSQL server did not run (no passed test named "PostgreSQL server")')
  ok = false
}
if (skipped > 0) {
  console.error(`!! ${skipped} tests were skipped or pending; in CI nothing skips`)
  ok = false
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(ok ? 0 : 1)
