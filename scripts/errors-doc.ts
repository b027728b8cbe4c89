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

## The catalogue

This table is generated from \`ERROR_CATALOGUE\` (\`npm run docs:errors\`).

| code | when | what a caller does |
|---|---|---|
${rows.join('\n')}
`
writeFileSync(new URL('../docs/errors.md', import.meta.url), page)
console.log(`docs/errors.md: ${rows.length} codes`)
