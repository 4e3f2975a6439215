/* All of the accounts module's SQL, prepared and bound (see accounts_store.h). The texts
 * are written once, PostgreSQL style, and run unchanged on both backends. */
#include "accounts_store.h"

#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"

/* Prepare sql into *s or leave with the mapped error. */
#define PREPARE(c, sql, s)                                   \
    do {                                                     \
        int prc_ = ps_db_prepare((c), (sql), (s));           \
        if (prc_ != 0) {                                     \
            ps_log_error("accounts: prepare failed: %s", ps_db_errmsg(c)); \
            return ps_db_err_to_ps(prc_);                    \
        }                                                    \
    } while (0)

static void copy_col(struct ps_db_stmt *s, int col, char *dst, size_t cap)
{
    const char *v = ps_db_col_text(s, col);
    snprintf(dst, cap, "%s", v ? v : "");
}

/* Steps a statement expected to change rows; maps errors. */
static int exec_stmt(struct ps_db_stmt *s, int64_t *changes)
{
    int rc = ps_db_step(s);
    if (rc == PS_DB_DONE || rc == PS_DB_ROW) {
        if (changes)
            *changes = ps_db_changes(s);
        rc = 0;
    }
    ps_db_reset(s);
    return ps_db_err_to_ps(rc);
}

/* --- users ------------------------------------------------------------------------ */

#define USER_COLS "id, name, email, phone_sealed, password_hash, created_at"

static const char SQL_USER_BY_ID[] =
    "SELECT " USER_COLS " FROM users WHERE id = $1";
static const char SQL_USER_BY_EMAIL[] =
    "SELECT " USER_COLS " FROM users WHERE email = $1";
static const char SQL_USER_BY_PHONE[] =
    "SELECT " USER_COLS " FROM users WHERE phone_index = $1";

static int user_query(struct ps_db_conn *c, const char *sql, const char *key, struct accounts_user *u)
{
    struct ps_db_stmt *s;
    PREPARE(c, sql, &s);
    ps_db_bind_text(s, 1, key);
    int rc = ps_db_step(s);
    if (rc == PS_DB_ROW) {
        memset(u, 0, sizeof *u);
        copy_col(s, 0, u->id, sizeof u->id);
        copy_col(s, 1, u->name, sizeof u->name);
        copy_col(s, 2, u->email, sizeof u->email);
        copy_col(s, 3, u->phone_sealed, sizeof u->phone_sealed);
        copy_col(s, 4, u->password_hash, sizeof u->password_hash);
        u->created_at = ps_db_col_int64(s, 5);
        rc = 0;
    } else if (rc == PS_DB_DONE) {
        rc = PS_E_NOT_FOUND;
    }
    ps_db_reset(s);
    return ps_db_err_to_ps(rc);
}

int accounts_store_user_by_id(struct ps_db_conn *c, const char *id, struct accounts_user *u)
{
    return user_query(c, SQL_USER_BY_ID, id, u);
}

int accounts_store_user_by_email(struct ps_db_conn *c, const char *email, struct accounts_user *u)
{
    return user_query(c, SQL_USER_BY_EMAIL, email, u);
}

int accounts_store_user_by_phone_index(struct ps_db_conn *c, const char *phone_index,
                                       struct accounts_user *u)
{
    return user_query(c, SQL_USER_BY_PHONE, phone_index, u);
}

static const char SQL_LOGIN_TAKEN[] =
    "SELECT 1 FROM users WHERE email = $1 OR phone_index = $2";

int accounts_store_login_taken(struct ps_db_conn *c, const char *email, const char *phone_index,
                               bool *taken)
{
    struct ps_db_stmt *s;
    PREPARE(c, SQL_LOGIN_TAKEN, &s);
    ps_db_bind_text(s, 1, email && *email ? email : NULL);
    ps_db_bind_text(s, 2, phone_index);
    int rc = ps_db_step(s);
    *taken = rc == PS_DB_ROW;
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

static const char SQL_USER_INSERT[] =
    "INSERT INTO users (id, name, email, phone_sealed, phone_index, password_hash, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";

int accounts_store_insert_user(struct ps_db_conn *c, const struct accounts_user *u,
                               const char *phone_index)
{
    struct ps_db_stmt *s;
    PREPARE(c, SQL_USER_INSERT, &s);
    ps_db_bind_text(s, 1, u->id);
    ps_db_bind_text(s, 2, u->name);
    ps_db_bind_text(s, 3, u->email[0] ? u->email : NULL);
    ps_db_bind_text(s, 4, u->phone_sealed[0] ? u->phone_sealed : NULL);
    ps_db_bind_text(s, 5, phone_index);
    ps_db_bind_text(s, 6, u->password_hash);
    ps_db_bind_int64(s, 7, u->created_at);
    return exec_stmt(s, NULL);
}

static const char SQL_USER_NAME_SET[] =
    "UPDATE users SET name = $2, updated_at = $3 WHERE id = $1";
static const char SQL_USER_PASSWORD_SET[] =
    "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1";

static int update_user_text(struct ps_db_conn *c, const char *sql, const char *id,
                            const char *value, int64_t now)
{
    struct ps_db_stmt *s;
    int64_t changed = 0;
    PREPARE(c, sql, &s);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, value);
    ps_db_bind_int64(s, 3, now);
    int rc = exec_stmt(s, &changed);
    return rc != 0 ? rc : changed == 1 ? 0 : PS_E_NOT_FOUND;
}

int accounts_store_update_name(struct ps_db_conn *c, const char *id, const char *name, int64_t now)
{
    return update_user_text(c, SQL_USER_NAME_SET, id, name, now);
}

int accounts_store_update_password(struct ps_db_conn *c, const char *id, const char *hash, int64_t now)
{
    return update_user_text(c, SQL_USER_PASSWORD_SET, id, hash, now);
}

/* --- roles ------------------------------------------------------------------------ */

static const char SQL_ROLE_ADD[] =
    "INSERT INTO user_roles (user_id, role, provider_id, created_at) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT DO NOTHING";
static const char SQL_ROLE_REMOVE[] =
    "DELETE FROM user_roles WHERE user_id = $1 AND role = $2"
    " AND COALESCE(provider_id, '') = COALESCE($3, '')";
static const char SQL_ROLES_PLATFORM[] =
    "SELECT role FROM user_roles WHERE user_id = $1 AND provider_id IS NULL ORDER BY role";
static const char SQL_ROLES_PROVIDER[] =
    "SELECT provider_id, role FROM user_roles WHERE user_id = $1 AND provider_id IS NOT NULL"
    " ORDER BY provider_id, role";
static const char SQL_ROLES_AT_PROVIDER[] =
    "SELECT role FROM user_roles WHERE user_id = $1 AND provider_id = $2";

int accounts_store_role_add(struct ps_db_conn *c, const char *user_id, const char *role,
                            const char *provider_id, int64_t now)
{
    struct ps_db_stmt *s;
    PREPARE(c, SQL_ROLE_ADD, &s);
    ps_db_bind_text(s, 1, user_id);
    ps_db_bind_text(s, 2, role);
    ps_db_bind_text(s, 3, provider_id);
    ps_db_bind_int64(s, 4, now);
    return exec_stmt(s, NULL);
}

int accounts_store_role_remove(struct ps_db_conn *c, const char *user_id, const char *role,
                               const char *provider_id)
{
    struct ps_db_stmt *s;
    PREPARE(c, SQL_ROLE_REMOVE, &s);
    ps_db_bind_text(s, 1, user_id);
    ps_db_bind_text(s, 2, role);
    ps_db_bind_text(s, 3, provider_id);
    return exec_stmt(s, NULL);
}

int accounts_store_platform_roles(struct ps_db_conn *c, const char *user_id, struct ps_claims *claims)
{
    struct ps_db_stmt *s;
    PREPARE(c, SQL_ROLES_PLATFORM, &s);
    ps_db_bind_text(s, 1, user_id);
    claims->nroles = 1;
    snprintf(claims->roles[0], sizeof claims->roles[0], "owner");
    int rc;
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        const char *role = ps_db_col_text(s, 0);
        if (!role || strcmp(role, "owner") == 0 || !accounts_is_platform_role(role))
            continue;
        if (claims->nroles < PS_MAX_ROLES)
            snprintf(claims->roles[claims->nroles++], sizeof claims->roles[0], "%s", role);
    }
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int accounts_store_provider_roles(struct ps_db_conn *c, const char *user_id, json_t *arr)
{
    struct ps_db_stmt *s;
    PREPARE(c, SQL_ROLES_PROVIDER, &s);
    ps_db_bind_text(s, 1, user_id);
    int rc;
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        json_array_append_new(arr, json_pack("{s:s, s:s}",
                                             "provider_id", ps_db_col_text(s, 0) ? ps_db_col_text(s, 0) : "",
                                             "role", ps_db_col_text(s, 1) ? ps_db_col_text(s, 1) : ""));
    }
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

/* True when role is one of the comma-separated names in csv (whole names only). */
static bool csv_has(const char *csv, const char *role)
{
    size_t n = strlen(role);
    for (const char *p = csv; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, role, n) == 0)
            return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

int accounts_store_has_provider_role(struct ps_db_conn *c, const char *user_id,
                                     const char *provider_id, const char *roles_csv, bool *has)
{
    struct ps_db_stmt *s;
    *has = false;
    PREPARE(c, SQL_ROLES_AT_PROVIDER, &s);
    ps_db_bind_text(s, 1, user_id);
    ps_db_bind_text(s, 2, provider_id);
    int rc;
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        const char *role = ps_db_col_text(s, 0);
        if (role && csv_has(roles_csv, role))
            *has = true;
    }
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

/* --- refresh tokens --------------------------------------------------------------- */

static const char SQL_REFRESH_INSERT[] =
    "INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at)"
    " VALUES ($1, $2, $3, $4, $5)";
static const char SQL_REFRESH_GET[] =
    "SELECT family_id, user_id, expires_at, used_at, revoked_at FROM refresh_tokens"
    " WHERE token_hash = $1";
static const char SQL_REFRESH_USE[] =
    "UPDATE refresh_tokens SET used_at = $2"
    " WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL";
static const char SQL_REFRESH_REVOKE_FAMILY[] =
    "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL";
static const char SQL_REFRESH_REVOKE_USER[] =
    "UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";

int accounts_store_refresh_insert(struct ps_db_conn *c, const char *token_hash,
                                  const char *family_id, const char *user_id, int64_t now,
                                  int64_t expires_at)
{
    struct ps_db_stmt *s;
    PREPARE(c, SQL_REFRESH_INSERT, &s);
    ps_db_bind_text(s, 1, token_hash);
    ps_db_bind_text(s, 2, family_id);
    ps_db_bind_text(s, 3, user_id);
    ps_db_bind_int64(s, 4, now);
    ps_db_bind_int64(s, 5, expires_at);
    return exec_stmt(s, NULL);
}

int accounts_store_refresh_get(struct ps_db_conn *c, const char *token_hash,
                               struct accounts_refresh *out)
{
    struct ps_db_stmt *s;
    PREPARE(c, SQL_REFRESH_GET, &s);
    ps_db_bind_text(s, 1, token_hash);
    int rc = ps_db_step(s);
    if (rc == PS_DB_ROW) {
        memset(out, 0, sizeof *out);
        copy_col(s, 0, out->family_id, sizeof out->family_id);
        copy_col(s, 1, out->user_id, sizeof out->user_id);
        out->expires_at = ps_db_col_int64(s, 2);
        out->used_at = ps_db_col_is_null(s, 3) ? 0 : ps_db_col_int64(s, 3);
        out->revoked_at = ps_db_col_is_null(s, 4) ? 0 : ps_db_col_int64(s, 4);
        rc = 0;
    } else if (rc == PS_DB_DONE) {
        rc = PS_E_NOT_FOUND;
    }
    ps_db_reset(s);
    return ps_db_err_to_ps(rc);
}

int accounts_store_refresh_use(struct ps_db_conn *c, const char *token_hash, int64_t now, bool *won)
{
    struct ps_db_stmt *s;
    int64_t changed = 0;
    PREPARE(c, SQL_REFRESH_USE, &s);
    ps_db_bind_text(s, 1, token_hash);
    ps_db_bind_int64(s, 2, now);
    int rc = exec_stmt(s, &changed);
    *won = rc == 0 && changed == 1;
    return rc;
}

static int revoke_by(struct ps_db_conn *c, const char *sql, const char *key, int64_t now)
{
    struct ps_db_stmt *s;
    PREPARE(c, sql, &s);
    ps_db_bind_text(s, 1, key);
    ps_db_bind_int64(s, 2, now);
    return exec_stmt(s, NULL);
}

int accounts_store_refresh_revoke_family(struct ps_db_conn *c, const char *family_id, int64_t now)
{
    return revoke_by(c, SQL_REFRESH_REVOKE_FAMILY, family_id, now);
}

int accounts_store_refresh_revoke_user(struct ps_db_conn *c, const char *user_id, int64_t now)
{
    return revoke_by(c, SQL_REFRESH_REVOKE_USER, user_id, now);
}

/* --- login failures and rate counters --------------------------------------------- */

static const char SQL_LOCK_GET[] =
    "SELECT locked_until FROM login_failures WHERE login_key = $1";
/* One failure: a window older than $4 starts over at 1; reaching $5 failures locks until $6.
 * $3 is the lock of a brand-new row (only when a single failure already reaches the limit).
 * No arithmetic on parameters, so PostgreSQL infers every type from a column. */
static const char SQL_FAILURE_ADD[] =
    "INSERT INTO login_failures (login_key, failures, window_start, locked_until)"
    " VALUES ($1, 1, $2, $3)"
    " ON CONFLICT (login_key) DO UPDATE SET"
    "  failures = CASE WHEN login_failures.window_start <= $4 THEN 1"
    "                  ELSE login_failures.failures + 1 END,"
    "  window_start = CASE WHEN login_failures.window_start <= $4 THEN $2"
    "                      ELSE login_failures.window_start END,"
    "  locked_until = CASE WHEN (CASE WHEN login_failures.window_start <= $4 THEN 1"
    "                                 ELSE login_failures.failures + 1 END) >= $5 THEN $6"
    "                      ELSE login_failures.locked_until END";
static const char SQL_FAILURES_CLEAR[] =
    "DELETE FROM login_failures WHERE login_key = $1";
static const char SQL_RATE_GET[] =
    "SELECT hits FROM accounts_rate_counters WHERE bucket = $1 AND window_start = $2";
static const char SQL_RATE_HIT[] =
    "INSERT INTO accounts_rate_counters (bucket, window_start, hits) VALUES ($1, $2, 1)"
    " ON CONFLICT (bucket, window_start) DO UPDATE SET hits = accounts_rate_counters.hits + 1"
    " RETURNING hits";

int accounts_store_lock_get(struct ps_db_conn *c, const char *login_key, int64_t *locked_until)
{
    struct ps_db_stmt *s;
    *locked_until = 0;
    PREPARE(c, SQL_LOCK_GET, &s);
    ps_db_bind_text(s, 1, login_key);
    int rc = ps_db_step(s);
    if (rc == PS_DB_ROW)
        *locked_until = ps_db_col_int64(s, 0);
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int accounts_store_failure_add(struct ps_db_conn *c, const char *login_key, int64_t now,
                               int64_t window_ms, int max_failures, int64_t lock_ms)
{
    struct ps_db_stmt *s;
    PREPARE(c, SQL_FAILURE_ADD, &s);
    ps_db_bind_text(s, 1, login_key);
    ps_db_bind_int64(s, 2, now);
    ps_db_bind_int64(s, 3, max_failures <= 1 ? now + lock_ms : 0);
    ps_db_bind_int64(s, 4, now - window_ms);
    ps_db_bind_int64(s, 5, max_failures);
    ps_db_bind_int64(s, 6, now + lock_ms);
    return exec_stmt(s, NULL);
}

int accounts_store_failures_clear(struct ps_db_conn *c, const char *login_key)
{
    struct ps_db_stmt *s;
    PREPARE(c, SQL_FAILURES_CLEAR, &s);
    ps_db_bind_text(s, 1, login_key);
    return exec_stmt(s, NULL);
}

static int rate_query(struct ps_db_conn *c, const char *sql, const char *bucket,
                      int64_t window_start, int64_t *hits)
{
    struct ps_db_stmt *s;
    *hits = 0;
    PREPARE(c, sql, &s);
    ps_db_bind_text(s, 1, bucket);
    ps_db_bind_int64(s, 2, window_start);
    int rc = ps_db_step(s);
    if (rc == PS_DB_ROW)
        *hits = ps_db_col_int64(s, 0);
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int accounts_store_rate_get(struct ps_db_conn *c, const char *bucket, int64_t window_start, int64_t *hits)
{
    return rate_query(c, SQL_RATE_GET, bucket, window_start, hits);
}

int accounts_store_rate_hit(struct ps_db_conn *c, const char *bucket, int64_t window_start, int64_t *hits)
{
    return rate_query(c, SQL_RATE_HIT, bucket, window_start, hits);
}

/* --- clean-up --------------------------------------------------------------------- */

static const char SQL_PURGE_REFRESH[] =
    "DELETE FROM refresh_tokens WHERE expires_at < $1";
static const char SQL_PURGE_FAILURES[] =
    "DELETE FROM login_failures WHERE window_start < $1 AND locked_until < $2";
static const char SQL_PURGE_RATES[] =
    "DELETE FROM accounts_rate_counters WHERE window_start < $1";

int accounts_store_purge(struct ps_db_conn *c, int64_t now)
{
    const int64_t day = 24LL * 3600 * 1000;
    struct ps_db_stmt *s;
    int rc;

    PREPARE(c, SQL_PURGE_REFRESH, &s);
    ps_db_bind_int64(s, 1, now);
    if ((rc = exec_stmt(s, NULL)) != 0)
        return rc;

    /* the longest configurable window is 7 days */
    PREPARE(c, SQL_PURGE_FAILURES, &s);
    ps_db_bind_int64(s, 1, now - 7 * day);
    ps_db_bind_int64(s, 2, now);
    if ((rc = exec_stmt(s, NULL)) != 0)
        return rc;

    PREPARE(c, SQL_PURGE_RATES, &s);
    ps_db_bind_int64(s, 1, now - day);
    return exec_stmt(s, NULL);
}
