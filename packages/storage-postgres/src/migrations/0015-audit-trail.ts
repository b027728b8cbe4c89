/**
 * The audit trail: one append-only row per entry (who, when, what, before and after), listed
 * newest first per site, by subject, household or actor.
 *
 * @internal
 */
export const migration0015 = {
  version: 15,
  name: 'audit-trail',
  sql: `
CREATE TABLE ecole_audit (
  site_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  at text COLLATE "C" NOT NULL,
  actor_kind text COLLATE "C" NOT NULL,
  actor_id text COLLATE "C" NOT NULL,
  action text COLLATE "C" NOT NULL,
  subject_kind text COLLATE "C" NOT NULL,
  subject_id text COLLATE "C" NOT NULL,
  household_id text COLLATE "C",
  body jsonb NOT NULL,
  PRIMARY KEY (site_id, id)
);
CREATE INDEX ecole_audit_by_time ON ecole_audit (site_id, at DESC, id DESC);
CREATE INDEX ecole_audit_by_subject ON ecole_audit (site_id, subject_id, at DESC, id DESC);
CREATE INDEX ecole_audit_by_household ON ecole_audit (site_id, household_id, at DESC, id DESC) WHERE household_id IS NOT NULL;
CREATE INDEX ecole_audit_by_actor ON ecole_audit (site_id, actor_id, at DESC, id DESC);
`,
}
