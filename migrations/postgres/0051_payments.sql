-- Payments and refunds through a gateway, the webhook events already handled (a replayed
-- event id has no second effect), and the sandbox gateway's own queue of webhooks to send.
CREATE TABLE payments (
    id          TEXT PRIMARY KEY,
    order_id    TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
    method      TEXT NOT NULL,
    amount_fen  BIGINT NOT NULL CHECK (amount_fen >= 0),
    fee_fen     BIGINT NOT NULL DEFAULT 0,      -- refunds: cancellation fee kept
    status      TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'flagged')),
    flag_reason TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX payments_order ON payments (order_id, id);

CREATE TABLE payment_events (
    id          TEXT PRIMARY KEY,               -- the gateway's event id
    type        TEXT NOT NULL,
    payment_id  TEXT NOT NULL,
    amount_fen  BIGINT NOT NULL,
    result      TEXT NOT NULL,                  -- applied | flagged | ignored
    received_at BIGINT NOT NULL
);

CREATE TABLE sandbox_webhooks (
    id            TEXT PRIMARY KEY,             -- the event id it will carry
    payment_id    TEXT NOT NULL,
    body          TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    delivered_at  BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX sandbox_webhooks_due ON sandbox_webhooks (next_at) WHERE delivered_at IS NULL;
