/**
 * Mail accounts become a kind of the directory's record port (issue 13, a smaller storage
 * contract): their rows of `ecole_records` move from kind `mailAccount` (the messaging port's) to
 * `directory:mailAccount` (the directory's). Data only; the schema does not change.
 *
 * @internal
 */
export const migration0019 = {
  version: 19,
  name: 'mail-accounts-in-directory',
  sql: `
UPDATE ecole_records SET kind = 'directory:mailAccount' WHERE kind = 'mailAccount';
`,
}
