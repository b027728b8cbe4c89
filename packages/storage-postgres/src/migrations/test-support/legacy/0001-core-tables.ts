/**
 * Billing rules, bookings and attendance, invoice number counters, the outbox. Every table is
 * keyed by `site_id` first (tenant first: a distributed PostgreSQL can shard on it unchanged);
 * text keys use the "C" collation so that key order is the same on every server and in memory.
 *
 * @internal
 */
export const migration0001 = {
  version: 1,
  name: 'core-tables',
  sql: `
CREATE TABLE ecole_billing_rules (
  site_id    text COLLATE "C" NOT NULL,
  id         text COLLATE "C" NOT NULL,
  from_date  date NOT NULL,
  to_date    date,
  body       jsonb NOT NULL,
  PRIMARY KEY (site_id, id)
);

CREATE TABLE ecole_bookings (
  site_id                 text COLLATE "C" NOT NULL,
  id                      text COLLATE "C" NOT NULL,
  beneficiary_id          text COLLATE "C" NOT NULL,
  service_id              text COLLATE "C" NOT NULL,
  date                    date NOT NULL,
  status                  text NOT NULL CHECK (status IN ('booked', 'cancelled')),
  booked_at               timestamptz NOT NULL,
  cancelled_at            timestamptz,
  reservation_transfer_id text,
  PRIMARY KEY (site_id, id)
);
CREATE UNIQUE INDEX ecole_bookings_one_active ON ecole_bookings (site_id, beneficiary_id, service_id, date) WHERE status = 'booked';
CREATE INDEX ecole_bookings_by_day ON ecole_bookings (site_id, date, beneficiary_id, service_id, id);

CREATE TABLE ecole_attendance (
  site_id        text COLLATE "C" NOT NULL,
  date           date NOT NULL,
  beneficiary_id text COLLATE "C" NOT NULL,
  service_id     text COLLATE "C" NOT NULL,
  status         text NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
  recorded_at    timestamptz NOT NULL,
  PRIMARY KEY (site_id, date, beneficiary_id, service_id)
);

CREATE TABLE ecole_invoice_number_counters (
  site_id     text COLLATE "C" NOT NULL,
  series_key  text COLLATE "C" NOT NULL,
  last_number bigint NOT NULL CHECK (last_number >= 0),
  PRIMARY KEY (site_id, series_key)
);

CREATE TABLE ecole_outbox (
  site_id      text COLLATE "C" NOT NULL,
  id           text COLLATE "C" NOT NULL,
  sequence     bigint GENERATED ALWAYS AS IDENTITY,
  topic        text NOT NULL,
  payload      jsonb NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts     integer NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL,
  last_error   text,
  PRIMARY KEY (site_id, id)
);
CREATE INDEX ecole_outbox_due ON ecole_outbox (site_id, status, available_at, sequence);
CREATE INDEX ecole_outbox_by_sequence ON ecole_outbox (site_id, sequence);
`,
}
