/**
 * The wallet ledger: accounts with their running totals (bigint minor units, with CHECK
 * constraints that refuse a bounded account below its overdraft policy even if code went wrong),
 * append-only transfers unique per (site_id, id) — a trigger refuses DELETE and any UPDATE other
 * than the pending state and the reversed total — and the ids that failed.
 *
 * @internal
 */
export const migration0002 = {
  version: 2,
  name: 'ledger',
  sql: `
CREATE TABLE ecole_ledger_accounts (
  site_id               text COLLATE "C" NOT NULL,
  id                    text COLLATE "C" NOT NULL,
  kind                  text NOT NULL CHECK (kind IN ('wallet', 'system')),
  billing_office_id     text NOT NULL,
  guardian_id           text,
  compartment           text,
  role                  text,
  service_id            text,
  currency              text NOT NULL,
  overdraft_kind        text NOT NULL CHECK (overdraft_kind IN ('none', 'limit', 'unbounded')),
  overdraft_limit       bigint CHECK (overdraft_limit >= 0),
  low_balance_threshold bigint,
  debits_posted         bigint NOT NULL DEFAULT 0,
  credits_posted        bigint NOT NULL DEFAULT 0,
  debits_pending        bigint NOT NULL DEFAULT 0,
  credits_pending       bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, id),
  CONSTRAINT ecole_ledger_accounts_no_overdraft CHECK (
    overdraft_kind = 'unbounded'
    OR credits_posted - debits_posted - debits_pending >= -COALESCE(overdraft_limit, 0)
  )
);

CREATE TABLE ecole_ledger_transfers (
  site_id           text COLLATE "C" NOT NULL,
  id                text COLLATE "C" NOT NULL,
  debit_account_id  text COLLATE "C" NOT NULL,
  credit_account_id text COLLATE "C" NOT NULL,
  amount            bigint NOT NULL CHECK (amount > 0),
  currency          text,
  code              text NOT NULL,
  flags             jsonb,
  pending_id        text COLLATE "C",
  reverses_id       text COLLATE "C",
  expires_at        timestamptz,
  links             jsonb,
  memo              text,
  "timestamp"       timestamptz NOT NULL,
  pending_status    text CHECK (pending_status IN ('pending', 'posted', 'voided', 'expired')),
  resolved_by_id    text COLLATE "C",
  reversed_amount   bigint NOT NULL DEFAULT 0 CHECK (reversed_amount >= 0 AND reversed_amount <= amount),
  PRIMARY KEY (site_id, id)
);
CREATE INDEX ecole_ledger_transfers_by_time ON ecole_ledger_transfers (site_id, "timestamp", id);
CREATE INDEX ecole_ledger_transfers_by_debit ON ecole_ledger_transfers (site_id, debit_account_id, "timestamp", id);
CREATE INDEX ecole_ledger_transfers_by_credit ON ecole_ledger_transfers (site_id, credit_account_id, "timestamp", id);
CREATE INDEX ecole_ledger_transfers_expiring ON ecole_ledger_transfers (site_id, expires_at) WHERE pending_status = 'pending' AND expires_at IS NOT NULL;

CREATE FUNCTION ecole_ledger_transfers_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ledger transfers are append-only: % cannot be deleted (correct it with a reversing transfer)', OLD.id USING ERRCODE = '23514';
  END IF;
  IF (NEW.site_id, NEW.id, NEW.debit_account_id, NEW.credit_account_id, NEW.amount, NEW.code, NEW."timestamp")
       IS DISTINCT FROM (OLD.site_id, OLD.id, OLD.debit_account_id, OLD.credit_account_id, OLD.amount, OLD.code, OLD."timestamp")
     OR (NEW.currency, NEW.flags, NEW.pending_id, NEW.reverses_id, NEW.expires_at, NEW.links, NEW.memo)
       IS DISTINCT FROM (OLD.currency, OLD.flags, OLD.pending_id, OLD.reverses_id, OLD.expires_at, OLD.links, OLD.memo) THEN
    RAISE EXCEPTION 'ledger transfers are append-only: % cannot be edited (only its pending state and reversed total evolve)', OLD.id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER ecole_ledger_transfers_append_only BEFORE UPDATE OR DELETE ON ecole_ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION ecole_ledger_transfers_append_only();

CREATE TABLE ecole_ledger_failed (
  site_id text COLLATE "C" NOT NULL,
  id      text COLLATE "C" NOT NULL,
  code    text NOT NULL,
  PRIMARY KEY (site_id, id)
);
`,
}
