-- Running balance of each provider's payable, kept by the ledger in the same transaction as
-- the lines that move it, so a refund or payout checks the balance with one row instead of a
-- sum over the provider's whole history. The CHECK makes "never below zero" a database rule
-- too. (It equals sum(credit_fen - debit_fen) of the account's lines: docs/MONEY.md.)
CREATE TABLE ledger_payable_balances (
    provider_id TEXT PRIMARY KEY,
    balance_fen BIGINT NOT NULL CHECK (balance_fen >= 0),
    updated_at  BIGINT NOT NULL
);
INSERT INTO ledger_payable_balances (provider_id, balance_fen, updated_at)
    SELECT substr(account, 18), sum(credit_fen - debit_fen), max(created_at)
    FROM ledger_lines WHERE account LIKE 'provider\_payable:%' ESCAPE '\' GROUP BY account;
