/**
 * The outbox's claims get an identity (`claim_id`): each claim writes a new random one
 * (`gen_random_uuid()`, built in since PostgreSQL 13 and in PGlite) to the rows it takes, and
 * `markDelivered` / `markFailed` given a claim change a row only while it holds that claim's id
 * (and its `attempts`), removing the id as they end the claim. The claim was named by `attempts`
 * alone, which a person's retry of a dead message puts back to 0: a worker that hung past its
 * lease before the message went dead had the same count as the first claim after the retry, and
 * its late outcome overwrote that claim's (the mail could go out twice).
 *
 * No index: the fence reads the row by its primary key. Rows of before this migration have no
 * claim id; a claim under way while it runs (a worker of the previous release) is ended by that
 * release's own `attempts` fence.
 *
 * @internal
 */
export const migration0038 = {
  version: 38,
  name: 'outbox-claim-ids',
  sql: `
ALTER TABLE ecole_outbox ADD COLUMN claim_id text;
`,
}
