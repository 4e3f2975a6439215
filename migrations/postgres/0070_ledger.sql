-- The double-entry ledger (SPEC §6, docs/MONEY.md). One journal entry per money event,
-- idempotent per (kind, subject, reference); its lines are written first and the entry row
-- last, and a trigger refuses the entry row unless its lines balance to its total. Both
-- tables are append-only. The view ledger_unbalanced_entries must always be empty.
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

CREATE FUNCTION ledger_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n BIGINT; d BIGINT; c BIGINT;
BEGIN
    SELECT count(*), coalesce(sum(debit_fen), 0), coalesce(sum(credit_fen), 0)
      INTO n, d, c FROM ledger_lines WHERE entry_id = NEW.id;
    IF n < 2 OR d <> NEW.total_fen OR c <> NEW.total_fen THEN
        RAISE EXCEPTION 'ledger entry % does not balance', NEW.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced();

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_lines_append_only BEFORE UPDATE OR DELETE ON ledger_lines
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

-- Audit queries: both must return no rows.
CREATE VIEW ledger_unbalanced_entries AS
    SELECT e.id AS entry_id, e.total_fen,
           coalesce(sum(l.debit_fen), 0) AS debit_fen, coalesce(sum(l.credit_fen), 0) AS credit_fen
    FROM ledger_entries e LEFT JOIN ledger_lines l ON l.entry_id = e.id
    GROUP BY e.id, e.total_fen
    HAVING coalesce(sum(l.debit_fen), 0) <> e.total_fen OR coalesce(sum(l.credit_fen), 0) <> e.total_fen;
CREATE VIEW ledger_orphan_lines AS
    SELECT l.* FROM ledger_lines l LEFT JOIN ledger_entries e ON e.id = l.entry_id WHERE e.id IS NULL;
