-- Accounts: users, their roles, refresh tokens, login lockout and sign-up rate counters.
-- Phones are never stored in clear: phone_sealed is secretbox ciphertext (core/pii.h) and
-- phone_index its keyed blind index, used for look-up and uniqueness.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    email         TEXT UNIQUE,              -- lower-cased
    phone_sealed  TEXT,
    phone_index   TEXT UNIQUE,
    password_hash TEXT NOT NULL,            -- argon2id PHC string
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CHECK (email IS NOT NULL OR phone_index IS NOT NULL),
    CHECK ((phone_sealed IS NULL) = (phone_index IS NULL))
);

-- provider_id is NULL for platform roles (owner, operator, ...); the expression index makes
-- (user, role, provider) unique even though NULLs never compare equal.
CREATE TABLE user_roles (
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    provider_id TEXT,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX user_roles_unique ON user_roles (user_id, role, COALESCE(provider_id, ''));
CREATE INDEX user_roles_provider ON user_roles (provider_id, role) WHERE provider_id IS NOT NULL;

-- Opaque refresh tokens, stored as SHA-256 hex. A login starts a family; each refresh uses
-- one token and adds the next to the same family. Reuse of a used token revokes the family.
CREATE TABLE refresh_tokens (
    token_hash  TEXT PRIMARY KEY,
    family_id   TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT,
    revoked_at  BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

-- Failed logins per login (keyed by the blind index of the normalised login, so typed
-- logins are not kept in clear either): a fixed window that starts at the first failure.
CREATE TABLE login_failures (
    login_key    TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0
);

-- Hits per bucket ("signup:<client address>") per fixed window, kept in the database so that
-- every node behind a load balancer counts the same.
CREATE TABLE accounts_rate_counters (
    bucket       TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
