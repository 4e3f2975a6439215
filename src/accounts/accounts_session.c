/* Sessions: login (with per-login lockout), refresh (single-use rotating tokens in families,
 * reuse revokes the family) and logout. An access token is a 15-minute JWT carrying the
 * platform roles; the refresh token is opaque and only its SHA-256 is stored. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts_internal.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"

/* A new session for a user whose view is in *view: issues the access token and replies.
 * Takes ownership of view. */
static int reply_session(struct ps_req *r, const struct ps_app *app, struct ps_claims *claims,
                         const char *refresh_token, json_t *view, int64_t now_ms)
{
    char *access = NULL;
    int rc = ps_jwt_issue(app->jwt, claims, now_ms / 1000, ACCOUNTS_ACCESS_TTL_S, &access);
    if (rc != 0) {
        json_decref(view);
        return rc;
    }
    json_t *body = json_pack("{s:s, s:s, s:i, s:s, s:o}",
                             "access_token", access,
                             "token_type", "Bearer",
                             "expires_in", ACCOUNTS_ACCESS_TTL_S,
                             "refresh_token", refresh_token,
                             "user", view);
    sodium_memzero(access, strlen(access));
    free(access);
    if (!body)
        return PS_E_NOMEM;
    return ps_reply_json(r, 200, body);
}

/* --- login ------------------------------------------------------------------------ */

struct failure_tx {
    const char *login_key;
    int64_t now, window_ms, lock_ms;
    int max_failures;
};

static int failure_fn(struct ps_db_conn *c, void *arg)
{
    struct failure_tx *a = arg;
    return accounts_store_failure_add(c, a->login_key, a->now, a->window_ms, a->max_failures,
                                      a->lock_ms);
}

struct login_tx {
    const struct ps_pii_keys *pii;
    const char *login_key;
    const char *user_id;
    const char *refresh_hash;
    char family_id[PS_ID_LEN + 1];
    int64_t now;
    struct accounts_user user;         /* out */
    struct ps_claims claims;           /* out: sub and roles */
    json_t *view;                      /* out */
};

static int login_fn(struct ps_db_conn *c, void *arg)
{
    struct login_tx *a = arg;
    json_decref(a->view);
    a->view = NULL;
    int rc = accounts_store_failures_clear(c, a->login_key);
    if (rc == 0)
        rc = accounts_store_refresh_insert(c, a->refresh_hash, a->family_id, a->user_id, a->now,
                                           a->now + ACCOUNTS_REFRESH_TTL_MS);
    if (rc == 0)
        rc = accounts_load_view(c, a->pii, a->user_id, &a->user, &a->claims, &a->view);
    return rc;
}

int accounts_h_login(struct ps_req *r)
{
    const struct ps_app *app = ps_app();
    const char *login = ps_json_str(r->json, "login", "");
    const char *password = ps_json_str(r->json, "password", "");
    char norm[ACCOUNTS_EMAIL_MAX + 2], login_key[PS_PII_INDEX_LEN + 1];
    struct accounts_user u;
    int64_t now = ps_now_ms(), locked_until = 0;
    int rc;

    enum accounts_login_kind kind = accounts_classify_login(login, norm, sizeof norm);
    accounts_login_key(app->pii, norm, login_key);

    struct ps_db_conn *c = ps_db_reader(app->db);
    rc = accounts_store_lock_get(c, login_key, &locked_until);
    bool found = false;
    if (rc == 0 && locked_until <= now) {
        if (kind == ACCOUNTS_LOGIN_PHONE) {
            char idx[PS_PII_INDEX_LEN + 1];
            ps_pii_blind_index(app->pii, norm, idx);
            rc = accounts_store_user_by_phone_index(c, idx, &u);
        } else if (kind == ACCOUNTS_LOGIN_EMAIL) {
            rc = accounts_store_user_by_email(c, norm, &u);
        } else {
            rc = PS_E_NOT_FOUND;
        }
        found = rc == 0;
        if (rc == PS_E_NOT_FOUND)
            rc = 0;
    }
    ps_db_release(c);
    if (rc != 0)
        return rc;
    /* Locked: refused before the password is even looked at, right or wrong. */
    if (locked_until > now)
        return accounts_rate_limited(r, locked_until, now);

    /* Unknown logins are checked against a dummy hash so they take as long as known ones. */
    bool ok = ps_password_verify(found ? u.password_hash : ps_password_dummy_hash(), password);
    ok = ok && found;
    sodium_memzero(u.password_hash, sizeof u.password_hash);
    if (!ok) {
        struct failure_tx f = {
            .login_key = login_key, .now = now, .max_failures = accounts_cfg_max_failures(app),
            .window_ms = accounts_cfg_lock_ms(app), .lock_ms = accounts_cfg_lock_ms(app),
        };
        rc = ps_db_write(app->db, failure_fn, &f);
        if (rc != 0)
            ps_log_warn("accounts: could not count a failed login (%d)", rc);
        return PS_E_BAD_CREDENTIALS;
    }

    char refresh[PS_TOKEN_LEN + 1], refresh_hash[65];
    ps_token_new(refresh);
    ps_token_hash(refresh, refresh_hash);
    struct login_tx tx = {
        .pii = app->pii, .login_key = login_key, .user_id = u.id, .refresh_hash = refresh_hash,
        .now = now,
    };
    ps_id_new(tx.family_id);
    rc = ps_db_write(app->db, login_fn, &tx);
    if (rc != 0) {
        json_decref(tx.view);
        return rc;
    }
    rc = reply_session(r, app, &tx.claims, refresh, tx.view, now);
    sodium_memzero(refresh, sizeof refresh);
    return rc;
}

/* --- refresh ---------------------------------------------------------------------- */

enum refresh_outcome { REFRESH_BAD = 0, REFRESH_REUSED, REFRESH_OK };

struct refresh_tx {
    const struct ps_pii_keys *pii;
    const char *old_hash, *new_hash;
    int64_t now;
    enum refresh_outcome outcome;      /* out */
    struct accounts_refresh row;       /* out */
    struct accounts_user user;         /* out */
    struct ps_claims claims;           /* out */
    json_t *view;                      /* out */
};

static int refresh_fn(struct ps_db_conn *c, void *arg)
{
    struct refresh_tx *a = arg;
    bool won = false;
    json_decref(a->view);
    a->view = NULL;
    a->outcome = REFRESH_BAD;

    int rc = accounts_store_refresh_get(c, a->old_hash, &a->row);
    if (rc == PS_E_NOT_FOUND || (rc == 0 && a->row.revoked_at))
        return 0;
    if (rc != 0)
        return rc;
    if (!a->row.used_at && a->row.expires_at <= a->now)
        return 0;
    if (!a->row.used_at && (rc = accounts_store_refresh_use(c, a->old_hash, a->now, &won)) != 0)
        return rc;
    if (!won) {
        /* Used before: someone holds a copy. End the whole family, the thief's copy and the
         * rightful holder's newer token alike; the transaction commits so the revocation holds. */
        a->outcome = REFRESH_REUSED;
        return accounts_store_refresh_revoke_family(c, a->row.family_id, a->now);
    }
    if ((rc = accounts_store_refresh_insert(c, a->new_hash, a->row.family_id, a->row.user_id,
                                            a->now, a->now + ACCOUNTS_REFRESH_TTL_MS)) != 0)
        return rc;
    rc = accounts_load_view(c, a->pii, a->row.user_id, &a->user, &a->claims, &a->view);
    if (rc == PS_E_NOT_FOUND)
        return PS_E_BAD_TOKEN;         /* the account is gone: roll back, answer 401 */
    if (rc == 0)
        a->outcome = REFRESH_OK;
    return rc;
}

int accounts_h_refresh(struct ps_req *r)
{
    const struct ps_app *app = ps_app();
    char old_hash[65], fresh[PS_TOKEN_LEN + 1], new_hash[65];
    ps_token_hash(ps_json_str(r->json, "refresh_token", ""), old_hash);
    ps_token_new(fresh);
    ps_token_hash(fresh, new_hash);
    int64_t now = ps_now_ms();
    struct refresh_tx tx = { .pii = app->pii, .old_hash = old_hash, .new_hash = new_hash, .now = now };

    int rc = ps_db_write(app->db, refresh_fn, &tx);
    if (rc == 0 && tx.outcome == REFRESH_REUSED)
        ps_log_warn("accounts: refresh token reused; family of user %s revoked", tx.row.user_id);
    if (rc == 0 && tx.outcome != REFRESH_OK)
        rc = PS_E_BAD_TOKEN;
    if (rc != 0) {
        json_decref(tx.view);
        sodium_memzero(fresh, sizeof fresh);
        return rc;
    }
    rc = reply_session(r, app, &tx.claims, fresh, tx.view, now);
    sodium_memzero(fresh, sizeof fresh);
    return rc;
}

/* --- logout ----------------------------------------------------------------------- */

struct logout_tx {
    const char *hash;
    int64_t now;
};

static int logout_fn(struct ps_db_conn *c, void *arg)
{
    struct logout_tx *a = arg;
    struct accounts_refresh row;
    int rc = accounts_store_refresh_get(c, a->hash, &row);
    if (rc == PS_E_NOT_FOUND)
        return 0;                      /* nothing to end: logging out twice is fine */
    if (rc != 0)
        return rc;
    return accounts_store_refresh_revoke_family(c, row.family_id, a->now);
}

int accounts_h_logout(struct ps_req *r)
{
    char hash[65];
    ps_token_hash(ps_json_str(r->json, "refresh_token", ""), hash);
    struct logout_tx tx = { .hash = hash, .now = ps_now_ms() };
    int rc = ps_db_write(ps_app()->db, logout_fn, &tx);
    if (rc != 0)
        return rc;
    return ps_reply_empty(r, 204);
}
