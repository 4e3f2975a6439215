-- Orders (SPEC §6): the order itself with its money columns in fen, the timeline of every
-- step the owner can follow, extra items waiting for the owner's decision, and the service
-- record appended to the transparency log on completion.
CREATE TABLE orders (
    id            TEXT PRIMARY KEY,
    owner_id      TEXT NOT NULL,
    vehicle_id    TEXT NOT NULL,
    provider_id   TEXT NOT NULL,
    service_id    TEXT NOT NULL,
    service_type  TEXT NOT NULL,
    service_name  TEXT NOT NULL,
    slot_start    BIGINT NOT NULL,
    duration_min  INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending_payment', 'paid', 'accepted',
                    'in_service', 'completed', 'cancelled', 'expired', 'refunded')),
    note          TEXT,
    labor_fen     BIGINT NOT NULL,
    parts_fen     BIGINT NOT NULL,
    price_fen     BIGINT NOT NULL,
    discount_fen  BIGINT NOT NULL DEFAULT 0,
    total_fen     BIGINT NOT NULL CHECK (total_fen >= 0),
    extras_fen    BIGINT NOT NULL DEFAULT 0,     -- approved extra items
    paid_fen      BIGINT NOT NULL DEFAULT 0,     -- confirmed by the gateway
    refunded_fen  BIGINT NOT NULL DEFAULT 0,
    fee_fen       BIGINT NOT NULL DEFAULT 0,     -- cancellation fee kept
    pay_before    BIGINT,                        -- end of the unpaid hold
    cancelled_by  TEXT,                          -- owner | provider
    cancel_reason TEXT,
    odometer_km   BIGINT,
    technician    TEXT,
    leaf_index    BIGINT,                        -- transparency log leaf of the service record
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX orders_owner ON orders (owner_id, id);
CREATE INDEX orders_provider_all ON orders (provider_id, id);
CREATE INDEX orders_unpaid ON orders (pay_before) WHERE status = 'pending_payment';

-- The timeline: state changes, progress notes with photos, extra items and decisions.
CREATE TABLE order_events (
    id         TEXT PRIMARY KEY,
    order_id   TEXT NOT NULL REFERENCES orders(id),
    kind       TEXT NOT NULL,                   -- status | update | extra_item | payment
    status     TEXT,                            -- the new status for kind = status
    text       TEXT,
    photo_ids  TEXT,                            -- JSON array of upload ids
    actor_id   TEXT,
    actor      TEXT NOT NULL,                   -- owner | provider | system
    created_at BIGINT NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, id);

CREATE TABLE order_extra_items (
    id         TEXT PRIMARY KEY,
    order_id   TEXT NOT NULL REFERENCES orders(id),
    name       TEXT NOT NULL,
    price_fen  BIGINT NOT NULL CHECK (price_fen >= 0),
    status     TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX order_extra_items_order ON order_extra_items (order_id, id);

-- One per completed order: what was appended to the Merkle log, and where.
CREATE TABLE order_service_records (
    order_id      TEXT PRIMARY KEY REFERENCES orders(id),
    vehicle_id    TEXT NOT NULL,
    provider_id   TEXT NOT NULL,
    service_type  TEXT NOT NULL,
    service_date  TEXT NOT NULL,                -- YYYY-MM-DD
    odometer_km   BIGINT NOT NULL,
    record        TEXT NOT NULL,                -- the JSON object given to translog_append
    leaf_index    BIGINT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX order_service_records_vehicle ON order_service_records (vehicle_id, created_at);
