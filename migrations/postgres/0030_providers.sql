-- Providers (SPEC §5): applications and the operator's decisions, approved providers with
-- their spatial index, services and prices, opening hours, closed dates, staff, slot
-- bookings (bay capacity) and reviews. Phones are sealed (core/pii.h); phone_masked is what
-- everyone but the provider's own staff sees.
CREATE TABLE provider_applications (
    id            TEXT PRIMARY KEY,
    applicant_id  TEXT NOT NULL REFERENCES users(id),
    business_name TEXT NOT NULL,
    uscc          TEXT NOT NULL,
    address       TEXT NOT NULL,
    city          TEXT NOT NULL,
    lat           DOUBLE PRECISION NOT NULL,
    lng           DOUBLE PRECISION NOT NULL,
    phone_sealed  TEXT NOT NULL,
    phone_masked  TEXT NOT NULL,
    service_types TEXT NOT NULL,                -- JSON array of catalog codes
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    reason        TEXT,
    provider_id   TEXT,
    decided_by    TEXT,
    created_at    BIGINT NOT NULL,
    decided_at    BIGINT
);
CREATE INDEX provider_applications_status ON provider_applications (status, id);
CREATE INDEX provider_applications_applicant ON provider_applications (applicant_id, id);
-- One open application per business at a time.
CREATE UNIQUE INDEX provider_applications_pending ON provider_applications (uscc)
    WHERE status = 'pending';

CREATE TABLE providers (
    id             TEXT PRIMARY KEY,
    application_id TEXT,
    name           TEXT NOT NULL,
    uscc           TEXT NOT NULL UNIQUE,
    address        TEXT NOT NULL,
    city           TEXT NOT NULL,
    lat            DOUBLE PRECISION NOT NULL,
    lng            DOUBLE PRECISION NOT NULL,
    phone_sealed   TEXT,
    phone_masked   TEXT,
    status         TEXT NOT NULL CHECK (status IN ('approved', 'suspended')),
    timezone       TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    bays           INTEGER NOT NULL DEFAULT 1 CHECK (bays >= 1),
    is_open        INTEGER NOT NULL DEFAULT 0,   -- 1 once weekly hours are published
    rating_sum     BIGINT NOT NULL DEFAULT 0,
    review_count   BIGINT NOT NULL DEFAULT 0,
    seed           INTEGER NOT NULL DEFAULT 0,   -- 1 for `pitstop seed demo` rows
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

-- The spatial index for nearby search: a bounding-box predicate on lat with lng checked in
-- the same index (btree on (lat, lng)); the exact great-circle test runs on the few rows left.
CREATE INDEX providers_lat_lng ON providers (lat, lng);

CREATE TABLE provider_services (
    id           TEXT PRIMARY KEY,
    provider_id  TEXT NOT NULL REFERENCES providers(id),
    service_type TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT,
    labor_fen    BIGINT NOT NULL CHECK (labor_fen >= 0),
    parts_fen    BIGINT NOT NULL CHECK (parts_fen >= 0),
    price_fen    BIGINT NOT NULL CHECK (price_fen = labor_fen + parts_fen),
    duration_min INTEGER NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
-- One live offer per service type and provider; deleted offers stay for old orders.
CREATE UNIQUE INDEX provider_services_live ON provider_services (provider_id, service_type)
    WHERE active = 1;
CREATE INDEX provider_services_provider ON provider_services (provider_id, id);

CREATE TABLE provider_hours (
    provider_id TEXT NOT NULL REFERENCES providers(id),
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    open_min    INTEGER NOT NULL,
    close_min   INTEGER NOT NULL,
    PRIMARY KEY (provider_id, weekday, open_min)
);

CREATE TABLE provider_closed_dates (
    provider_id TEXT NOT NULL REFERENCES providers(id),
    day         TEXT NOT NULL,                  -- YYYY-MM-DD in the provider's zone
    PRIMARY KEY (provider_id, day)
);

CREATE TABLE provider_staff (
    provider_id TEXT NOT NULL REFERENCES providers(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    role        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (provider_id, user_id, role)
);

-- A bay held or booked over [start_ms, end_ms) (end rounded up to the 30-minute grid).
-- hold_until > 0: an unpaid hold that stops counting after that instant; 0: firm.
CREATE TABLE slot_bookings (
    booking_id  TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers(id),
    start_ms    BIGINT NOT NULL,
    end_ms      BIGINT NOT NULL,
    hold_until  BIGINT NOT NULL DEFAULT 0,
    released    INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);
CREATE INDEX slot_bookings_provider ON slot_bookings (provider_id, start_ms);

CREATE TABLE reviews (
    id          TEXT PRIMARY KEY,
    order_id    TEXT NOT NULL UNIQUE,
    provider_id TEXT NOT NULL REFERENCES providers(id),
    author_id   TEXT NOT NULL REFERENCES users(id),
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment     TEXT,
    reply       TEXT,
    reply_by    TEXT,
    replied_at  BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX reviews_provider ON reviews (provider_id, id);
