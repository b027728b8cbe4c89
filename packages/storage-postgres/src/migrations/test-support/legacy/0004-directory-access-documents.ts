/**
 * The site and its directory records, access (tokens by hash, credentials, portal accounts,
 * users, roles) and portal documents. Records are kept whole in jsonb, keyed (site_id, kind, id);
 * logins are unique per site through their own table; a token is found by its hash only.
 *
 * @internal
 */
export const migration0004 = {
  version: 4,
  name: 'directory-access-documents',
  sql: `
CREATE TABLE ecole_records (
  site_id text COLLATE "C" NOT NULL,
  kind    text COLLATE "C" NOT NULL,
  id      text COLLATE "C" NOT NULL,
  body    jsonb NOT NULL,
  PRIMARY KEY (site_id, kind, id)
);

CREATE TABLE ecole_logins (
  site_id   text COLLATE "C" NOT NULL,
  namespace text COLLATE "C" NOT NULL CHECK (namespace IN ('portal', 'user')),
  login     text COLLATE "C" NOT NULL,
  owner_id  text COLLATE "C" NOT NULL,
  PRIMARY KEY (site_id, namespace, login),
  UNIQUE (site_id, namespace, owner_id)
);

CREATE TABLE ecole_one_time_tokens (
  site_id      text COLLATE "C" NOT NULL,
  id           text COLLATE "C" NOT NULL,
  subject_kind text NOT NULL,
  subject_id   text COLLATE "C" NOT NULL,
  hash         text NOT NULL,
  used_at      text,
  body         jsonb NOT NULL,
  PRIMARY KEY (site_id, id)
);
CREATE INDEX ecole_one_time_tokens_by_hash ON ecole_one_time_tokens (site_id, hash);
CREATE INDEX ecole_one_time_tokens_by_subject ON ecole_one_time_tokens (site_id, subject_kind, subject_id);

CREATE TABLE ecole_documents (
  site_id    text COLLATE "C" NOT NULL,
  id         text COLLATE "C" NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  body       jsonb NOT NULL,
  bytes      bytea NOT NULL,
  PRIMARY KEY (site_id, id),
  CHECK (octet_length(bytes) = size_bytes)
);
`,
}
