/* The accounts route table, its declared bodies, and the handlers for signing up and for the
 * caller's own account (/me). Sessions (login, refresh, logout) are in accounts_session.c. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts_internal.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"

/* --- declared bodies -------------------------------------------------------------- */

static const struct ps_param register_params[] = {
    { "phone", PS_STRING, 0, .max = 32, .description = "mainland mobile, 11 digits (give phone or email)" },
    { "email", PS_STRING, 0, .max = ACCOUNTS_EMAIL_MAX, .description = "give phone or email" },
    { "password", PS_STRING, PS_REQUIRED, .max = ACCOUNTS_PASSWORD_MAX,
      .description = "at least 8 characters, with letters and digits" },
    { "name", PS_STRING, PS_REQUIRED, .min = 1, .max = ACCOUNTS_NAME_MAX_CHARS },
    PS_PARAM_END
};

static const struct ps_param login_params[] = {
    { "login", PS_STRING, PS_REQUIRED, .min = 1, .max = ACCOUNTS_EMAIL_MAX, .description = "phone or email" },
    { "password", PS_STRING, PS_REQUIRED, .min = 1, .max = ACCOUNTS_PASSWORD_MAX },
    PS_PARAM_END
};

static const struct ps_param refresh_params[] = {
    { "refresh_token", PS_STRING, PS_REQUIRED, .min = 1, .max = 128 },
    PS_PARAM_END
};

static const struct ps_param me_patch_params[] = {
    { "name", PS_STRING, 0, .min = 1, .max = ACCOUNTS_NAME_MAX_CHARS },
    { "password", PS_STRING, 0, .max = ACCOUNTS_PASSWORD_MAX,
      .description = "new password; needs current_password" },
    { "current_password", PS_STRING, 0, .max = ACCOUNTS_PASSWORD_MAX },
    PS_PARAM_END
};

const struct ps_route accounts_routes[] = {
    { PS_POST, "/api/v1/auth/register", accounts_h_register, PS_PUBLIC, .body = register_params,
      .summary = "Create an owner account with a phone or an email", .tag = "accounts",
      .response = "Registration", .status = 201, .errors = "409,422,429" },
    { PS_POST, "/api/v1/auth/login", accounts_h_login, PS_PUBLIC, .body = login_params,
      .summary = "Log in with phone or email and password", .tag = "accounts",
      .response = "Session", .errors = "401,422,429" },
    { PS_POST, "/api/v1/auth/refresh", accounts_h_refresh, PS_PUBLIC, .body = refresh_params,
      .summary = "Trade a refresh token for a new session (single use)", .tag = "accounts",
      .response = "Session", .errors = "401,422" },
    { PS_POST, "/api/v1/auth/logout", accounts_h_logout, PS_PUBLIC, .body = refresh_params,
      .summary = "End the session the refresh token belongs to", .tag = "accounts",
      .status = 204, .errors = "422" },
    { PS_GET, "/api/v1/me", accounts_h_me_get, PS_AUTH,
      .summary = "The caller's account", .tag = "accounts", .response = "User", .errors = "401" },
    { PS_PATCH, "/api/v1/me", accounts_h_me_patch, PS_AUTH, .body = me_patch_params,
      .summary = "Change the caller's name or password", .tag = "accounts", .response = "User",
      .errors = "401,422" },
    PS_ROUTE_END
};

/* --- sign-up ---------------------------------------------------------------------- */

struct register_tx {
    const char *bucket;
    int64_t window_start;
    int limit;
    const char *phone_index;         /* NULL for an email account */
    struct accounts_user user;
    bool limited, taken;             /* out */
};

/* Counts the attempt, then creates the user unless the login is taken. The count commits
 * even when the login is taken, so probing for accounts costs sign-up allowance too. */
static int register_fn(struct ps_db_conn *c, void *arg)
{
    struct register_tx *a = arg;
    int64_t hits = 0;
    bool taken = false;
    a->limited = a->taken = false;

    int rc = accounts_store_rate_hit(c, a->bucket, a->window_start, &hits);
    if (rc != 0)
        return rc;
    if (hits > a->limit) {
        a->limited = true;
        return 0;
    }
    if ((rc = accounts_store_login_taken(c, a->user.email, a->phone_index, &taken)) != 0)
        return rc;
    if (taken) {
        a->taken = true;
        return 0;
    }
    if ((rc = accounts_store_insert_user(c, &a->user, a->phone_index)) != 0)
        return rc;
    return accounts_store_role_add(c, a->user.id, "owner", NULL, a->user.created_at);
}

int accounts_h_register(struct ps_req *r)
{
    const struct ps_app *app = ps_app();
    const char *phone = ps_json_str(r->json, "phone", NULL);
    const char *email = ps_json_str(r->json, "email", NULL);
    const char *password = ps_json_str(r->json, "password", "");
    const char *msg;
    struct register_tx tx = { .limit = accounts_cfg_signup_per_hour(app) };
    struct accounts_user *u = &tx.user;
    char phone_index[PS_PII_INDEX_LEN + 1];

    /* exactly one of phone and email */
    if (!phone && !email) {
        ps_errs_add(&r->errs, "phone", "give a phone or an email");
        ps_errs_add(&r->errs, "email", "give a phone or an email");
    } else if (phone && email) {
        ps_errs_add(&r->errs, "phone", "give a phone or an email, not both");
        ps_errs_add(&r->errs, "email", "give a phone or an email, not both");
    } else if (phone && !accounts_valid_phone(phone)) {
        ps_errs_add(&r->errs, "phone", "must be a mainland mobile number (11 digits starting 13-19)");
    } else if (email && (msg = accounts_normalize_email(email, u->email, sizeof u->email))) {
        ps_errs_add(&r->errs, "email", "%s", msg);
    }
    if ((msg = accounts_password_problem(password)))
        ps_errs_add(&r->errs, "password", "%s", msg);
    if ((msg = accounts_clean_name(ps_json_str(r->json, "name", ""), u->name, sizeof u->name)))
        ps_errs_add(&r->errs, "name", "%s", msg);
    if (r->errs.n > 0)
        return PS_E_VALIDATION;

    /* Turn away a client over its allowance before spending a password hash on it. */
    int64_t now = ps_now_ms(), hits = 0;
    const int64_t hour = 3600 * 1000;
    tx.window_start = now / hour * hour;
    tx.bucket = ps_arena_printf(&r->arena, "signup:%s", r->client_ip);
    if (!tx.bucket)
        return PS_E_NOMEM;
    struct ps_db_conn *c = ps_db_reader(app->db);
    int rc = accounts_store_rate_get(c, tx.bucket, tx.window_start, &hits);
    ps_db_release(c);
    if (rc != 0)
        return rc;
    if (hits >= tx.limit)
        return accounts_rate_limited(r, tx.window_start + hour, now);

    ps_id_new(u->id);
    u->created_at = now;
    if (phone) {
        if ((rc = ps_pii_seal(app->pii, phone, u->phone_sealed, sizeof u->phone_sealed)) != 0)
            return rc;
        ps_pii_blind_index(app->pii, phone, phone_index);
        tx.phone_index = phone_index;
    }
    if ((rc = ps_password_hash(password, u->password_hash)) != 0)
        return rc;

    rc = ps_db_write(app->db, register_fn, &tx);
    if (rc == 0 && tx.limited)
        return accounts_rate_limited(r, tx.window_start + hour, now);
    if (rc == PS_E_DUPLICATE || (rc == 0 && tx.taken)) {
        r->problem_detail = phone ? "an account with this phone already exists"
                                  : "an account with this email already exists";
        return PS_E_DUPLICATE;
    }
    if (rc != 0)
        return rc;

    struct ps_claims roles = { .nroles = 1 };
    snprintf(roles.roles[0], sizeof roles.roles[0], "owner");
    json_t *user;
    if ((rc = accounts_user_json(app->pii, u, &roles, NULL, &user)) != 0)
        return rc;
    ps_log_info("accounts: user %s registered", u->id);
    return ps_reply_json(r, 201, json_pack("{s:o}", "user", user));
}

/* --- the caller's own account ----------------------------------------------------- */

int accounts_h_me_get(struct ps_req *r)
{
    const struct ps_app *app = ps_app();
    struct accounts_user u;
    struct ps_claims roles;
    json_t *view = NULL;
    struct ps_db_conn *c = ps_db_reader(app->db);
    int rc = accounts_load_view(c, app->pii, ps_req_user(r), &u, &roles, &view);
    ps_db_release(c);
    if (rc == PS_E_NOT_FOUND)
        return PS_E_BAD_TOKEN;          /* a valid token for an account that is gone */
    if (rc != 0)
        return rc;
    return ps_reply_json(r, 200, view);
}

struct me_patch_tx {
    const struct ps_pii_keys *pii;
    const char *user_id;
    const char *name;                 /* NULL: unchanged */
    const char *password_hash;        /* NULL: unchanged */
    int64_t now;
    json_t *view;                     /* out */
};

static int me_patch_fn(struct ps_db_conn *c, void *arg)
{
    struct me_patch_tx *a = arg;
    struct accounts_user u;
    struct ps_claims roles;
    int rc = 0;
    json_decref(a->view);             /* a retried transaction starts clean */
    a->view = NULL;
    if (a->name && (rc = accounts_store_update_name(c, a->user_id, a->name, a->now)) != 0)
        return rc;
    if (a->password_hash) {
        /* a new password ends every session made with the old one */
        if ((rc = accounts_store_update_password(c, a->user_id, a->password_hash, a->now)) != 0 ||
            (rc = accounts_store_refresh_revoke_user(c, a->user_id, a->now)) != 0)
            return rc;
    }
    return accounts_load_view(c, a->pii, a->user_id, &u, &roles, &a->view);
}

struct failure_tx {
    const char *login_key;
    int64_t now, lock_ms;
    int max_failures;
};

static int failure_fn(struct ps_db_conn *c, void *arg)
{
    struct failure_tx *a = arg;
    return accounts_store_failure_add(c, a->login_key, a->now, a->lock_ms, a->max_failures, a->lock_ms);
}

/* The password change's proof of knowledge. Wrong guesses count against the account's login
 * lockout, so a stolen access token cannot be used to try passwords without limit either. */
static int check_current_password(struct ps_req *r, const struct ps_app *app, const char *user_id,
                                  const char *current)
{
    struct accounts_user u;
    char login[ACCOUNTS_EMAIL_MAX + 1], login_key[PS_PII_INDEX_LEN + 1];
    int64_t now = ps_now_ms(), locked_until = 0;
    struct ps_db_conn *c = ps_db_reader(app->db);
    int rc = accounts_store_user_by_id(c, user_id, &u);
    if (rc == 0) {
        if (u.email[0])
            snprintf(login, sizeof login, "%s", u.email);
        else
            rc = ps_pii_open(app->pii, u.phone_sealed, login, sizeof login) ? PS_E_INTERNAL : 0;
    }
    if (rc == 0) {
        accounts_login_key(app->pii, login, login_key);
        sodium_memzero(login, sizeof login);
        rc = accounts_store_lock_get(c, login_key, &locked_until);
    }
    ps_db_release(c);
    if (rc == PS_E_NOT_FOUND)
        return PS_E_BAD_TOKEN;
    if (rc != 0)
        return rc;
    if (locked_until > now)
        return accounts_rate_limited(r, locked_until, now);

    bool ok = ps_password_verify(u.password_hash, current);
    sodium_memzero(u.password_hash, sizeof u.password_hash);
    if (ok)
        return 0;
    struct failure_tx f = { .login_key = login_key, .now = now, .lock_ms = accounts_cfg_lock_ms(app),
                            .max_failures = accounts_cfg_max_failures(app) };
    if ((rc = ps_db_write(app->db, failure_fn, &f)) != 0)
        ps_log_warn("accounts: could not count a failed password check (%d)", rc);
    return ps_fail_field(r, "current_password", "is not the current password");
}

int accounts_h_me_patch(struct ps_req *r)
{
    const struct ps_app *app = ps_app();
    const char *name = ps_json_str(r->json, "name", NULL);
    const char *password = ps_json_str(r->json, "password", NULL);
    const char *current = ps_json_str(r->json, "current_password", NULL);
    char clean_name[ACCOUNTS_NAME_BYTES];
    char new_hash[PS_PASSWORD_HASH_MAX];
    const char *msg;
    struct me_patch_tx tx = { .pii = app->pii, .user_id = ps_req_user(r), .now = ps_now_ms() };

    if (name) {
        if ((msg = accounts_clean_name(name, clean_name, sizeof clean_name)))
            ps_errs_add(&r->errs, "name", "%s", msg);
        tx.name = clean_name;
    }
    if (password) {
        if ((msg = accounts_password_problem(password)))
            ps_errs_add(&r->errs, "password", "%s", msg);
        if (!current)
            ps_errs_add(&r->errs, "current_password", "is required to change the password");
    } else if (current) {
        ps_errs_add(&r->errs, "current_password", "is only used together with password");
    }
    if (r->errs.n > 0)
        return PS_E_VALIDATION;

    if (password) {
        int rc = check_current_password(r, app, tx.user_id, current);
        if (rc != 0)
            return rc;
        if ((rc = ps_password_hash(password, new_hash)) != 0)
            return rc;
        tx.password_hash = new_hash;
    }

    int rc = ps_db_write(app->db, me_patch_fn, &tx);
    if (rc == PS_E_NOT_FOUND)
        rc = PS_E_BAD_TOKEN;
    if (rc != 0) {
        json_decref(tx.view);
        return rc;
    }
    return ps_reply_json(r, 200, tx.view);
}
