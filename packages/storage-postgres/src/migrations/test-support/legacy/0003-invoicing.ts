/**
 * Invoicing, payments and bank imports. Records are kept whole in a jsonb `body` (bigint amounts
 * as tagged text, see `documents.ts`), with the columns the contract filters on or keeps unique
 * beside them: one row per billed charge (a charge is billed once), a unique (site, office,
 * number) for validated invoices and credit notes, a unique bank entry reference per payment and
 * per imported entry.
 *
 * @internal
 */
export const migration0003 = {
  version: 3,
  name: 'invoicing',
  sql: `
CREATE TABLE ecole_invoice_batches (
  site_id text COLLATE "C" NOT NULL,
  id      text COLLATE "C" NOT NULL,
  body    jsonb NOT NULL,
  PRIMARY KEY (site_id, id)
);

CREATE TABLE ecole_invoices (
  site_id           text COLLATE "C" NOT NULL,
  id                text COLLATE "C" NOT NULL,
  batch_id          text COLLATE "C" NOT NULL,
  payer_id          text COLLATE "C" NOT NULL,
  billing_office_id text COLLATE "C" NOT NULL,
  status            text NOT NULL CHECK (status IN ('draft', 'validated')),
  number            text COLLATE "C",
  due_date          date NOT NULL,
  folder_id         text COLLATE "C",
  body              jsonb NOT NULL,
  PRIMARY KEY (site_id, id),
  CHECK (status = 'draft' OR number IS NOT NULL)
);
CREATE UNIQUE INDEX ecole_invoices_number ON ecole_invoices (site_id, billing_office_id, number) WHERE number IS NOT NULL;
CREATE INDEX ecole_invoices_by_batch ON ecole_invoices (site_id, batch_id, id);
CREATE INDEX ecole_invoices_by_payer ON ecole_invoices (site_id, payer_id, id);

CREATE TABLE ecole_invoice_charges (
  site_id    text COLLATE "C" NOT NULL,
  charge_id  text COLLATE "C" NOT NULL,
  invoice_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (site_id, charge_id)
);
CREATE INDEX ecole_invoice_charges_by_invoice ON ecole_invoice_charges (site_id, invoice_id);

CREATE TABLE ecole_credit_notes (
  site_id           text COLLATE "C" NOT NULL,
  id                text COLLATE "C" NOT NULL,
  invoice_id        text COLLATE "C" NOT NULL,
  billing_office_id text COLLATE "C" NOT NULL,
  number            text COLLATE "C" NOT NULL,
  body              jsonb NOT NULL,
  PRIMARY KEY (site_id, id),
  UNIQUE (site_id, billing_office_id, number)
);

CREATE TABLE ecole_invoice_folders (
  site_id text COLLATE "C" NOT NULL,
  id      text COLLATE "C" NOT NULL,
  body    jsonb NOT NULL,
  PRIMARY KEY (site_id, id)
);

CREATE TABLE ecole_invoice_reminders (
  site_id    text COLLATE "C" NOT NULL,
  invoice_id text COLLATE "C" NOT NULL,
  level      integer NOT NULL,
  date       date NOT NULL,
  on_portal  boolean NOT NULL,
  PRIMARY KEY (site_id, invoice_id, level, date)
);

CREATE TABLE ecole_payments (
  site_id              text COLLATE "C" NOT NULL,
  id                   text COLLATE "C" NOT NULL,
  payer_id             text COLLATE "C" NOT NULL,
  method               text NOT NULL,
  status               text NOT NULL CHECK (status IN ('recorded', 'refused')),
  deposit_id           text COLLATE "C",
  end_to_end_id        text,
  bank_entry_reference text,
  body                 jsonb NOT NULL,
  PRIMARY KEY (site_id, id)
);
CREATE UNIQUE INDEX ecole_payments_bank_entry ON ecole_payments (site_id, bank_entry_reference) WHERE bank_entry_reference IS NOT NULL;
CREATE INDEX ecole_payments_by_payer ON ecole_payments (site_id, payer_id, id);

CREATE TABLE ecole_deposits (
  site_id text COLLATE "C" NOT NULL,
  id      text COLLATE "C" NOT NULL,
  locked  boolean NOT NULL,
  body    jsonb NOT NULL,
  PRIMARY KEY (site_id, id)
);

CREATE TABLE ecole_sepa_mandates (
  site_id  text COLLATE "C" NOT NULL,
  id       text COLLATE "C" NOT NULL,
  payer_id text COLLATE "C" NOT NULL,
  body     jsonb NOT NULL,
  PRIMARY KEY (site_id, id)
);

CREATE TABLE ecole_bank_entries (
  site_id         text COLLATE "C" NOT NULL,
  entry_reference text COLLATE "C" NOT NULL,
  outcome_kind    text NOT NULL,
  body            jsonb NOT NULL,
  PRIMARY KEY (site_id, entry_reference)
);
`,
}
