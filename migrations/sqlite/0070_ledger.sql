-- The double-entry ledger (SPEC §6, docs/MONEY.md). One journal entry per money event,
-- idempotent per (kind, subject, reference); its lines are written first and the entry row
-- last, and a trigger refuses the entry row unless its lines balance to its total. Both
-- tables are append-only. The view ledger_unbalanced_entries must always be empty.
CREATE TABLE ledger_lines (
    entry_id    TEXT NOT NULL REFERENCES ledger_entries(id) DEFERRABLE INITIALLY DEFERRED,
    line_no     INTEGER NOT NULL,
    account     TEXT NOT NULL,
    order_id    TEXT,
    debit_fen   BIGINT NOT NULL CHECK (debit_fen >= 0),
    credit_fen  BIGINT NOT NULL CHECK (credit_fen >= 0),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (entry_id, line_no),
    CHECK ((debit_fen > 0 AND credit_fen = 0) OR (credit_fen > 0 AND debit_fen = 0))
);
CREATE INDEX ledger_lines_account ON ledger_lines (account, created_at);
CREATE INDEX ledger_lines_order ON ledger_lines (order_id, account);

CREATE TABLE ledger_entries (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('payment', 'completion', 'refund', 'payout')),
    subject_id  TEXT NOT NULL,     -- the order; the provider for payouts
    reference   TEXT NOT NULL,     -- payment, refund or payout id; '' for a completion
    order_id    TEXT,
    provider_id TEXT,
    amount_fen  BIGINT NOT NULL CHECK (amount_fen >= 0),   -- the event's amount
    total_fen   BIGINT NOT NULL CHECK (total_fen > 0),     -- sum of debits = sum of credits
    created_at  BIGINT NOT NULL,
    UNIQUE (kind, subject_id, reference)
);
CREATE INDEX ledger_entries_provider ON ledger_entries (provider_id, kind, created_at);

CREATE TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
WHEN (SELECT count(*) FROM ledger_lines WHERE entry_id = new.id) < 2
  OR (SELECT sum(debit_fen) FROM ledger_lines WHERE entry_id = new.id) <> new.total_fen
  OR (SELECT sum(credit_fen) FROM ledger_lines WHERE entry_id = new.id) <> new.total_fen
BEGIN
    SELECT RAISE(ABORT, 'ledger entry does not balance');
END;
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_lines_no_update BEFORE UPDATE ON ledger_lines
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_lines_no_delete BEFORE DELETE ON ledger_lines
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- Audit queries: both must return no rows.
CREATE VIEW ledger_unbalanced_entries AS
    SELECT e.id AS entry_id, e.total_fen,
           coalesce(sum(l.debit_fen), 0) AS debit_fen, coalesce(sum(l.credit_fen), 0) AS credit_fen
    FROM ledger_entries e LEFT JOIN ledger_lines l ON l.entry_id = e.id
    GROUP BY e.id, e.total_fen
    HAVING coalesce(sum(l.debit_fen), 0) <> e.total_fen OR coalesce(sum(l.credit_fen), 0) <> e.total_fen;
CREATE VIEW ledger_orphan_lines AS
    SELECT l.* FROM ledger_lines l LEFT JOIN ledger_entries e ON e.id = l.entry_id WHERE e.id IS NULL;
