/* What the accounts module's own files share with each other (never included elsewhere):
 * the handlers the route table names, the User view builder and small reply helpers. */
#ifndef ACCOUNTS_INTERNAL_H
#define ACCOUNTS_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "accounts_store.h"
#include "core/module.h"
#include "core/router.h"

/* Handlers (accounts_routes.c, accounts_session.c). */
int accounts_h_register(struct ps_req *r);
int accounts_h_me_get(struct ps_req *r);
int accounts_h_me_patch(struct ps_req *r);
int accounts_h_login(struct ps_req *r);
int accounts_h_refresh(struct ps_req *r);
int accounts_h_logout(struct ps_req *r);

/* Everything the User representation needs, read through c: the user row, the platform
 * roles for the token (into *roles) and the User JSON (*out, new reference) with the phone
 * opened in full, so only ever build it for the account's own holder. */
int accounts_load_view(struct ps_db_conn *c, const struct ps_pii_keys *pii, const char *user_id,
                       struct accounts_user *u, struct ps_claims *roles, json_t **out);
/* The User JSON from parts already at hand; steals provider_roles (may be NULL = []). */
int accounts_user_json(const struct ps_pii_keys *pii, const struct accounts_user *u,
                       const struct ps_claims *roles, json_t *provider_roles, json_t **out);

/* 429 with Retry-After: seconds until until_ms (at least 1). */
int accounts_rate_limited(struct ps_req *r, int64_t until_ms, int64_t now_ms);

/* Settings with their defaults when the configuration leaves them at zero. */
int accounts_cfg_signup_per_hour(const struct ps_app *app);
int accounts_cfg_max_failures(const struct ps_app *app);
int64_t accounts_cfg_lock_ms(const struct ps_app *app);

/* OpenAPI component schemas (User, Session, Registration). */
void accounts_schemas(json_t *components);

extern const struct ps_route accounts_routes[];
extern const struct ps_command accounts_commands[];
extern const struct ps_job accounts_jobs[];

#endif
