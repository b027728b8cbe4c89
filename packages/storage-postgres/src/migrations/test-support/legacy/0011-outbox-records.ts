/**
 * The outbox keeps the relay's record of each delivery (per recipient: sent with the server's
 * reply, or refused) and a fourth state, `discarded`, for a dead message a person chose to drop.
 *
 * @internal
 */
export const migration0011 = {
  version: 11,
  name: 'outbox-records',
  sql: `
ALTER TABLE ecole_outbox ADD COLUMN delivery_record jsonb;
ALTER TABLE ecole_outbox DROP CONSTRAINT ecole_outbox_status_check;
ALTER TABLE ecole_outbox ADD CONSTRAINT ecole_outbox_status_check CHECK (status IN ('pending', 'delivered', 'dead', 'discarded'));
`,
}
