// Writes docs/errors.md from the one error catalogue of @ecole/core (run: npm run docs:errors).
// A test of @ecole/core checks that the page lists every code of the catalogue, and no other.
import { writeFileSync } from 'node:fs'
import { ERROR_CATALOGUE } from '../packages/core/src/error-catalogue'

const cell = (s: string) => s.replace(/\|/g, '\\|')
const rows = Object.entries(ERROR_CATALOGUE).map(([code, e]) => `| \`${code}\` | ${cell(e.when)} | ${cell(e.action)} |`)
const page = `# Errors

Every function of \`@ecole\` reports misuse and broken invariants with one error type, \`EcoleError\`,
and nothing else: whatever the input, no \`TypeError\`, \`RangeError\` or \`ZodError\` escapes a public
function (a property test feeds arbitrary values to every export to hold this). Expected business
outcomes (a refused booking, a refused user) are returned as values, not thrown.

- \`message\` starts with \`[ecole]\` and names the field and the rule.
- \`code\` is one of the codes below: the type \`EcoleErrorCode\` is built from the constant
  \`ERROR_CATALOGUE\`, so a misspelt code fails to compile.
- \`details\` holds what a program needs. An \`INVALID_INPUT\` error always carries
  \`details.issues\`: one \`{ path, code, message }\` per problem, \`path\` dotted (\`guardians.0.email\`).
- Boundary schemas are strict: an unknown key is refused, naming where it was found and the nearest
  known key (\`\` unknown key \`familyQuotients\` at \`tariffs[0]\`: did you mean \`quotients\`? \`\`).

<!-- example: no-run (a fragment: the request body and the form come from your host) -->
\`\`\`ts
import { isEcoleError, parseInput, BillingRuleSetSchema } from '@ecole/core'

try {
  const rules = parseInput(BillingRuleSetSchema, JSON.parse(body), 'rules') // never a ZodError
} catch (e) {
  if (isEcoleError(e, 'INVALID_INPUT')) {
    for (const issue of e.details.issues) showNextToField(issue.path, issue.message)
  } else throw e
}
\`\`\`

Use \`parseInput(schema, input, subject?)\` rather than a schema's own \`parse\`: zod's \`parse\` throws
a \`ZodError\`; \`parseInput\` throws an \`EcoleError\` with the one shape above. \`isEcoleError(e, 'CODE')\`
narrows \`e\` to that code (and \`e.details\` to its shape); never test with \`instanceof\`, since the
ESM and CommonJS builds each have their own class.

## Values the library built

Many functions take values that the library itself built: prepared rules (\`prepareRules\`), a
booking context, a directory state, stored invoices and payments, ledger records, and the host's
wiring (\`{ storage, clock }\`). These are not parsed on every call, since some sit on hot paths
(\`priceUnit\`, \`checkBooking\`, the ledger's decisions). If one of them is given \`null\` or a value
of another shape, the function still throws only \`EcoleError\`. The error is \`INVALID_INPUT\`
naming the function and its first argument that is not of the kind it must be:
\`invoiceBalance: invoice must be a stored invoice (an object), got null\`. \`details.function\` holds the
function's name, \`details.issues[0].path\` the argument's, and \`cause\` the original \`TypeError\`.
When every argument has its kind, the error names them all: a field deeper inside one of them is
wrong.

The check runs only once the call has already failed (\`asInputError\`, exported from
\`@ecole/core\` for your own functions over these values), so a call with right arguments pays
nothing for it. In the use cases of \`@ecole/workflows\`, errors thrown by your own callbacks or
storage adapter (anything but a runtime \`TypeError\`, \`RangeError\`, \`SyntaxError\`...) pass
through unchanged. They are yours, not the use case's to rename.

<!-- example: no-run (shows the error shape) -->
\`\`\`ts
import { asInputError } from '@ecole/core'

export function linesTotal(invoice: { lines: Array<{ minor: bigint }> }): bigint {
  try {
    return invoice.lines.reduce((sum, line) => sum + line.minor, 0n)
  } catch (error) {
    throw asInputError(error, 'linesTotal', { invoice: [invoice, 'object', 'a stored invoice'] })
  }
}
\`\`\`

**How it is tested.** Each package has a \`src/boundaries.test-prop.ts\`. It collects every exported
function, static method and namespace member, and calls each one with \`fc.anything()\` arguments
(bigints, boxed values, null-prototype objects, sparse arrays, typed arrays...). A call that throws
anything but an \`EcoleError\` fails the test. None of these tests exempts any export. They run 150
draws per function in CI; set \`FUZZ_RUNS\` for a longer run, for example
\`FUZZ_RUNS=5000 npx vitest run src/boundaries.test-prop.ts\`. The harness they share is public, for
fuzzing your own package the same way: \`exportedFunctions\`, \`anyArguments\` and \`foreignError\` from
\`@ecole/testing/arbitraries\` (see its README). \`packages/workflows/src/wiring-errors.test.ts\`
calls every use case with \`null\` or half-built wiring and a valid request. Random values rarely make
a valid request, so a use case that checks its request first would otherwise never get far enough
for its wiring to be tried.

## The catalogue

This table is generated from \`ERROR_CATALOGUE\` (\`npm run docs:errors\`).

| code | when | what a caller does |
|---|---|---|
${rows.join('\n')}
`
writeFileSync(new URL('../docs/errors.md', import.meta.url), page)
console.log(`docs/errors.md: ${rows.length} codes`)
