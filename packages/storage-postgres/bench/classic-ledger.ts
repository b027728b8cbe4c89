/**
 * The second baseline of the ledger benchmark: the classic PostgreSQL ledger design, as open-source
 * ledgers written in PostgreSQL functions (pgledger among them) build it, written here from that
 * description for the benchmark (not their code). One PL/pgSQL function per transfer:
 *
 * 1. idempotency: a transfer id given again answers `exists` and changes nothing;
 * 2. lock both accounts `FOR UPDATE`, in id order (no deadlock between crossing transfers);
 * 3. overdraft check: an account that may not go negative is refused (`EXCEEDS_BALANCE`) when the
 *    debit would take it below zero;
 * 4. update both balances (and their versions), insert the transfer and its two entries (each entry
 *    with the account's balance before and after), all in the function's transaction.
 *
 * Its tables live in their own scratch schema, dropped after the run.
 *
 * @module
 */
import type pg from 'pg'

/** The SQL that creates the classic design's tables and function in `schema`. */
export function classicLedgerSql(schema: string): string {
  return `
CREATE SCHEMA ${schema};
CREATE TABLE ${schema}.accounts (
  id text PRIMARY KEY,
  currency text NOT NULL,
  balance bigint NOT NULL DEFAULT 0,
  allow_negative boolean NOT NULL,
  version bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${schema}.transfers (
  id text PRIMARY KEY,
  from_account_id text NOT NULL REFERENCES ${schema}.accounts (id),
  to_account_id text NOT NULL REFERENCES ${schema}.accounts (id),
  amount bigint NOT NULL CHECK (amount > 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${schema}.entries (
  id bigserial PRIMARY KEY,
  account_id text NOT NULL REFERENCES ${schema}.accounts (id),
  transfer_id text NOT NULL REFERENCES ${schema}.transfers (id),
  amount bigint NOT NULL,
  account_previous_balance bigint NOT NULL,
  account_current_balance bigint NOT NULL,
  account_version bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON ${schema}.entries (account_id, id);
CREATE INDEX ON ${schema}.entries (transfer_id);

CREATE FUNCTION ${schema}.create_transfer(p_id text, p_from text, p_to text, p_amount bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_from ${schema}.accounts%ROWTYPE;
  v_to ${schema}.accounts%ROWTYPE;
  v_existing ${schema}.transfers%ROWTYPE;
BEGIN
  SELECT * INTO v_existing FROM ${schema}.transfers WHERE id = p_id;
  IF FOUND THEN
    IF v_existing.from_account_id = p_from AND v_existing.to_account_id = p_to AND v_existing.amount = p_amount THEN
      RETURN 'exists';
    END IF;
    RETURN 'EXISTS_WITH_DIFFERENT_FIELDS';
  END IF;
  IF p_from = p_to THEN
    RETURN 'ACCOUNTS_MUST_BE_DIFFERENT';
  END IF;
  -- both accounts locked in id order
  IF p_from < p_to THEN
    SELECT * INTO v_from FROM ${schema}.accounts WHERE id = p_from FOR UPDATE;
    SELECT * INTO v_to FROM ${schema}.accounts WHERE id = p_to FOR UPDATE;
  ELSE
    SELECT * INTO v_to FROM ${schema}.accounts WHERE id = p_to FOR UPDATE;
    SELECT * INTO v_from FROM ${schema}.accounts WHERE id = p_from FOR UPDATE;
  END IF;
  IF v_from.id IS NULL OR v_to.id IS NULL THEN
    RETURN 'ACCOUNT_NOT_FOUND';
  END IF;
  IF v_from.currency <> v_to.currency THEN
    RETURN 'CURRENCY_MISMATCH';
  END IF;
  IF NOT v_from.allow_negative AND v_from.balance - p_amount < 0 THEN
    RETURN 'EXCEEDS_BALANCE';
  END IF;
  UPDATE ${schema}.accounts SET balance = balance - p_amount, version = version + 1, updated_at = now() WHERE id = p_from;
  UPDATE ${schema}.accounts SET balance = balance + p_amount, version = version + 1, updated_at = now() WHERE id = p_to;
  INSERT INTO ${schema}.transfers (id, from_account_id, to_account_id, amount) VALUES (p_id, p_from, p_to, p_amount);
  INSERT INTO ${schema}.entries (account_id, transfer_id, amount, account_previous_balance, account_current_balance, account_version)
  VALUES (p_from, p_id, -p_amount, v_from.balance, v_from.balance - p_amount, v_from.version + 1),
         (p_to, p_id, p_amount, v_to.balance, v_to.balance + p_amount, v_to.version + 1);
  RETURN 'created';
END
$$;
`
}

/** The classic design on a pool: its schema, accounts, and the three workloads of the benchmark. */
export class ClassicLedger {
  constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {}

  /** Creates the schema and opens the accounts (`allowNegative` for system accounts). */
  async setUp(accounts: ReadonlyArray<{ id: string; allowNegative: boolean }>): Promise<void> {
    await this.pool.query(classicLedgerSql(this.schema))
    await this.pool.query(`INSERT INTO ${this.schema}.accounts (id, currency, allow_negative) SELECT v.id, 'EUR', v.neg FROM unnest($1::text[], $2::boolean[]) AS v(id, neg)`, [
      accounts.map((a) => a.id),
      accounts.map((a) => a.allowNegative),
    ])
    await this.pool.query(`ANALYZE ${this.schema}.accounts`)
  }

  /** One transfer in its own transaction (one statement, autocommit); its outcome. */
  async transfer(id: string, from: string, to: string, amount: bigint): Promise<string> {
    const { rows } = await this.pool.query<{ r: string }>(`SELECT ${this.schema}.create_transfer($1, $2, $3, $4) AS r`, [id, from, to, amount.toString()])
    return rows[0]!.r
  }

  /**
   * A batch in one transaction and one statement: the function called once per transfer, in batch
   * order (the most favourable way to batch this design: one round trip).
   */
  async batch(transfers: ReadonlyArray<{ id: string; from: string; to: string; amount: bigint }>): Promise<string[]> {
    const { rows } = await this.pool.query<{ r: string }>(
      `SELECT ${this.schema}.create_transfer(v.id, v.f, v.t, v.a) AS r
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS v(id, f, t, a, n) ORDER BY v.n`,
      [transfers.map((t) => t.id), transfers.map((t) => t.from), transfers.map((t) => t.to), transfers.map((t) => t.amount.toString())],
    )
    return rows.map((r) => r.r)
  }

  /**
   * The floor of any design that writes one transfer per transaction: one statement (autocommit)
   * that updates both balances and inserts the transfer, with no lock taken first, no idempotency
   * and no overdraft check, no entries. What a transaction of one transfer cannot go below.
   */
  async bareTransfer(id: string, from: string, to: string, amount: bigint): Promise<void> {
    await this.pool.query(
      `WITH d AS (UPDATE ${this.schema}.accounts SET balance = balance - $4 WHERE id = $2 RETURNING 1),
            c AS (UPDATE ${this.schema}.accounts SET balance = balance + $4 WHERE id = $3 RETURNING 1)
       INSERT INTO ${this.schema}.transfers (id, from_account_id, to_account_id, amount) VALUES ($1, $2, $3, $4)`,
      [id, from, to, amount.toString()],
    )
  }

  /** Drops the schema. */
  async tearDown(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`)
  }
}
