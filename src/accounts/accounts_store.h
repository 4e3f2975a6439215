/* All of the accounts module's SQL (users, roles, refresh tokens, login failures, sign-up
 * counters). Every function works on a connection it is given: a reader for look-ups, the
 * connection of a ps_db_write() transaction for changes. Returns 0 or a PS_E_* code. */
#ifndef ACCOUNTS_STORE_H
#define ACCOUNTS_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "accounts.h"
#include "core/auth.h"
#include "core/id.h"
#include "core/pii.h"

struct ps_db_conn;

#define ACCOUNTS_SEALED_PHONE_MAX 128

struct accounts_user {
    char id[PS_ID_LEN + 1];
    char name[ACCOUNTS_NAME_BYTES];
    char email[ACCOUNTS_EMAIL_MAX + 1];                 /* "" when none */
    char phone_sealed[ACCOUNTS_SEALED_PHONE_MAX];       /* "" when none */
    char password_hash[PS_PASSWORD_HASH_MAX];
    int64_t created_at;                                 /* ms */
};

/* --- users ------------------------------------------------------------------------ */

/* PS_E_NOT_FOUND when there is no such user. */
int accounts_store_user_by_id(struct ps_db_conn *c, const char *id, struct accounts_user *u);
int accounts_store_user_by_email(struct ps_db_conn *c, const char *email, struct accounts_user *u);
int accounts_store_user_by_phone_index(struct ps_db_conn *c, const char *phone_index,
                                       struct accounts_user *u);
/* True when email (if non-empty) or phone_index (if non-NULL) belongs to an account. */
int accounts_store_login_taken(struct ps_db_conn *c, const char *email, const char *phone_index,
                               bool *taken);
/* Inserts u (phone_index NULL for an email account). PS_E_DUPLICATE on a unique clash. */
int accounts_store_insert_user(struct ps_db_conn *c, const struct accounts_user *u,
                               const char *phone_index);
int accounts_store_update_name(struct ps_db_conn *c, const char *id, const char *name, int64_t now);
int accounts_store_update_password(struct ps_db_conn *c, const char *id, const char *hash, int64_t now);

/* --- roles ------------------------------------------------------------------------ */

/* Inserts the role unless held already. */
int accounts_store_role_add(struct ps_db_conn *c, const char *user_id, const char *role,
                            const char *provider_id, int64_t now);
int accounts_store_role_remove(struct ps_db_conn *c, const char *user_id, const char *role,
                               const char *provider_id);
/* Platform roles of a user into claims->roles ("owner" first, always present). */
int accounts_store_platform_roles(struct ps_db_conn *c, const char *user_id, struct ps_claims *claims);
/* Appends {provider_id, role} objects for every provider role of the user to arr. */
int accounts_store_provider_roles(struct ps_db_conn *c, const char *user_id, json_t *arr);
/* True when the user holds one of the comma-separated roles at provider_id. */
int accounts_store_has_provider_role(struct ps_db_conn *c, const char *user_id,
                                     const char *provider_id, const char *roles_csv, bool *has);

/* --- refresh tokens --------------------------------------------------------------- */

struct accounts_refresh {
    char family_id[PS_ID_LEN + 1];
    char user_id[PS_ID_LEN + 1];
    int64_t expires_at, used_at, revoked_at;            /* ms; 0 when not set */
};

int accounts_store_refresh_insert(struct ps_db_conn *c, const char *token_hash,
                                  const char *family_id, const char *user_id, int64_t now,
                                  int64_t expires_at);
int accounts_store_refresh_get(struct ps_db_conn *c, const char *token_hash,
                               struct accounts_refresh *out);
/* Marks a token used; *won is false when another request used it first. */
int accounts_store_refresh_use(struct ps_db_conn *c, const char *token_hash, int64_t now, bool *won);
int accounts_store_refresh_revoke_family(struct ps_db_conn *c, const char *family_id, int64_t now);
int accounts_store_refresh_revoke_user(struct ps_db_conn *c, const char *user_id, int64_t now);

/* --- login failures and rate counters --------------------------------------------- */

/* *locked_until: ms until which the login is locked (0 when it is not). */
int accounts_store_lock_get(struct ps_db_conn *c, const char *login_key, int64_t *locked_until);
/* Counts one failure in a window of window_ms starting at the first failure; once the count
 * reaches max_failures the login is locked until now + lock_ms. */
int accounts_store_failure_add(struct ps_db_conn *c, const char *login_key, int64_t now,
                               int64_t window_ms, int max_failures, int64_t lock_ms);
int accounts_store_failures_clear(struct ps_db_conn *c, const char *login_key);

int accounts_store_rate_get(struct ps_db_conn *c, const char *bucket, int64_t window_start, int64_t *hits);
int accounts_store_rate_hit(struct ps_db_conn *c, const char *bucket, int64_t window_start, int64_t *hits);

/* Deletes what can no longer matter: expired refresh tokens, stale failures and counters. */
int accounts_store_purge(struct ps_db_conn *c, int64_t now);

#endif
