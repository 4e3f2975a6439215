-- The transactional outbox and the inbox it feeds. An outbox row commits with the change it
-- announces; the delivery worker copies it into the inbox once (unique outbox_id), at least
-- once even across crashes.
CREATE TABLE notify_outbox (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    payload       TEXT NOT NULL DEFAULT '{}',
    created_at    BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    delivered_at  BIGINT
);
CREATE INDEX notify_outbox_pending ON notify_outbox (id) WHERE delivered_at IS NULL;

CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    outbox_id  TEXT NOT NULL UNIQUE,
    user_id    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    payload    TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id);
