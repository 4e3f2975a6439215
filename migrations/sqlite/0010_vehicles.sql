-- Vehicles: the owner's cars, their logs, reminders' inputs, telemetry devices and readings.
-- An active vehicle's VIN is unique (one owner at a time); removing a car keeps its rows
-- (active = 0) so that history and a later re-registration by a buyer both work.
CREATE TABLE vehicles (
    id                TEXT PRIMARY KEY,
    owner_id          TEXT NOT NULL REFERENCES users(id),
    vin               TEXT NOT NULL,
    plate             TEXT,
    nickname          TEXT,
    make              TEXT NOT NULL DEFAULT '',
    model             TEXT NOT NULL DEFAULT '',
    manufacturer      TEXT,
    country           TEXT,
    model_year        INTEGER,
    fuel_type         TEXT NOT NULL,
    seats             INTEGER,
    usage             TEXT NOT NULL,
    registration_date TEXT,                    -- YYYY-MM-DD
    insurance_expiry  TEXT,                    -- YYYY-MM-DD
    odometer_km       BIGINT NOT NULL,
    odometer_at       BIGINT NOT NULL,
    -- latest telemetry state (NULL until a device reports it)
    fuel_level_pct    DOUBLE PRECISION,
    battery_soc_pct   DOUBLE PRECISION,
    battery_soh_pct   DOUBLE PRECISION,
    coolant_temp_c    DOUBLE PRECISION,
    voltage           DOUBLE PRECISION,
    telemetry_at      BIGINT,
    active            INTEGER NOT NULL DEFAULT 1,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    removed_at        BIGINT,
    CHECK (fuel_type IN ('gasoline', 'diesel', 'hybrid', 'phev', 'bev')),
    CHECK (usage IN ('private', 'commercial')),
    CHECK (odometer_km >= 0)
);
CREATE UNIQUE INDEX vehicles_active_vin ON vehicles (vin) WHERE active = 1;
CREATE INDEX vehicles_owner ON vehicles (owner_id, id) WHERE active = 1;

-- Every accepted odometer reading (owner, telemetry, service).
CREATE TABLE vehicle_odometer (
    id          TEXT PRIMARY KEY,
    vehicle_id  TEXT NOT NULL REFERENCES vehicles(id),
    km          BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    source      TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX vehicle_odometer_vehicle ON vehicle_odometer (vehicle_id, id);

-- Things the owner should know about that are not reminders: refused odometer rollbacks,
-- new trouble codes, low traction-battery health.
CREATE TABLE vehicle_alerts (
    id         TEXT PRIMARY KEY,
    vehicle_id TEXT NOT NULL REFERENCES vehicles(id),
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL
);
CREATE INDEX vehicle_alerts_vehicle ON vehicle_alerts (vehicle_id, id);

CREATE TABLE fuel_logs (
    id          TEXT PRIMARY KEY,
    vehicle_id  TEXT NOT NULL REFERENCES vehicles(id),
    liters      DOUBLE PRECISION NOT NULL,
    price_fen   BIGINT NOT NULL,
    odometer_km BIGINT NOT NULL,
    full_tank   INTEGER NOT NULL,
    l_per_100km DOUBLE PRECISION,
    logged_at   BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX fuel_logs_vehicle ON fuel_logs (vehicle_id, id);

CREATE TABLE charge_logs (
    id            TEXT PRIMARY KEY,
    vehicle_id    TEXT NOT NULL REFERENCES vehicles(id),
    kwh           DOUBLE PRECISION NOT NULL,
    price_fen     BIGINT NOT NULL,
    odometer_km   BIGINT NOT NULL,
    kwh_per_100km DOUBLE PRECISION,
    logged_at     BIGINT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX charge_logs_vehicle ON charge_logs (vehicle_id, id);

-- Service history: completed orders (source 'order', with the transparency-log leaf) and
-- records the owner adds (source 'owner', never part of the verifiable log).
CREATE TABLE service_records (
    id            TEXT PRIMARY KEY,
    vehicle_id    TEXT NOT NULL REFERENCES vehicles(id),
    source        TEXT NOT NULL,
    service_type  TEXT,
    title         TEXT NOT NULL,
    service_date  TEXT NOT NULL,               -- YYYY-MM-DD
    odometer_km   BIGINT,
    cost_fen      BIGINT,
    provider_id   TEXT,
    provider_name TEXT,
    order_id      TEXT UNIQUE,
    leaf_index    BIGINT,
    notes         TEXT,
    created_at    BIGINT NOT NULL,
    CHECK (source IN ('owner', 'order'))
);
CREATE INDEX service_records_vehicle ON service_records (vehicle_id, id);
CREATE INDEX service_records_type ON service_records (vehicle_id, service_type, service_date);

-- Telemetry devices: the token is shown once; only its SHA-256 is kept.
CREATE TABLE vehicle_devices (
    id           TEXT PRIMARY KEY,
    vehicle_id   TEXT NOT NULL REFERENCES vehicles(id),
    name         TEXT,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX vehicle_devices_vehicle ON vehicle_devices (vehicle_id, id);

-- Trouble codes a device reported: active until a reading lists the current codes without it.
CREATE TABLE vehicle_dtcs (
    vehicle_id    TEXT NOT NULL REFERENCES vehicles(id),
    code          TEXT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    active        INTEGER NOT NULL,
    PRIMARY KEY (vehicle_id, code)
);

-- Raw readings, append-only and written in bulk: an integer key (the rowid) and no foreign
-- key or secondary index, so that ingest stays one b-tree append per reading.
CREATE TABLE telemetry_readings (
    id              INTEGER PRIMARY KEY,
    vehicle_id      TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    reading_at      BIGINT NOT NULL,
    odometer_km     BIGINT,
    fuel_level_pct  DOUBLE PRECISION,
    battery_soc_pct DOUBLE PRECISION,
    battery_soh_pct DOUBLE PRECISION,
    coolant_temp_c  DOUBLE PRECISION,
    voltage         DOUBLE PRECISION,
    dtcs            TEXT
);
