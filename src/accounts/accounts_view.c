/* How accounts look from outside: the User representation, its OpenAPI schemas, and the
 * small helpers every accounts handler shares (429 replies, settings with defaults). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts_internal.h"
#include "core/config.h"
#include "core/errors.h"
#include "core/log.h"

int accounts_user_json(const struct ps_pii_keys *pii, const struct accounts_user *u,
                       const struct ps_claims *roles, json_t *provider_roles, json_t **out)
{
    char phone[64] = "", created[32];
    *out = NULL;
    if (!provider_roles)
        provider_roles = json_array();
    if (u->phone_sealed[0] && ps_pii_open(pii, u->phone_sealed, phone, sizeof phone) != 0) {
        /* Sealed under another key: PITSTOP_DATA_KEY changed. Say so loudly, show nothing. */
        ps_log_error("accounts: cannot open the phone of user %s (wrong PITSTOP_DATA_KEY?)", u->id);
        json_decref(provider_roles);
        return PS_E_INTERNAL;
    }
    json_t *role_list = json_array();
    for (int i = 0; roles && i < roles->nroles; i++)
        json_array_append_new(role_list, json_string(roles->roles[i]));
    ps_format_time_ms(u->created_at, created);
    json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:s}",
                          "id", u->id,
                          "name", u->name,
                          "phone", phone[0] ? json_string(phone) : json_null(),
                          "email", u->email[0] ? json_string(u->email) : json_null(),
                          "roles", role_list,
                          "provider_roles", provider_roles,
                          "created_at", created);
    sodium_memzero(phone, sizeof phone);
    if (!o)
        return PS_E_NOMEM;
    *out = o;
    return 0;
}

int accounts_load_view(struct ps_db_conn *c, const struct ps_pii_keys *pii, const char *user_id,
                       struct accounts_user *u, struct ps_claims *roles, json_t **out)
{
    *out = NULL;
    int rc = accounts_store_user_by_id(c, user_id, u);
    if (rc != 0)
        return rc;
    memset(roles, 0, sizeof *roles);
    snprintf(roles->sub, sizeof roles->sub, "%s", u->id);
    if ((rc = accounts_store_platform_roles(c, user_id, roles)) != 0)
        return rc;
    json_t *provider_roles = json_array();
    if (!provider_roles)
        return PS_E_NOMEM;
    if ((rc = accounts_store_provider_roles(c, user_id, provider_roles)) != 0) {
        json_decref(provider_roles);
        return rc;
    }
    return accounts_user_json(pii, u, roles, provider_roles, out);
}

int accounts_rate_limited(struct ps_req *r, int64_t until_ms, int64_t now_ms)
{
    int64_t secs = (until_ms - now_ms + 999) / 1000;
    if (secs < 1)
        secs = 1;
    const char *v = ps_arena_printf(&r->arena, "%lld", (long long)secs);
    if (v)
        ps_reply_header(r, "Retry-After", v);
    return PS_E_RATE_LIMITED;
}

int accounts_cfg_signup_per_hour(const struct ps_app *app)
{
    return app && app->cfg && app->cfg->signup_per_hour > 0 ? app->cfg->signup_per_hour : 1000;
}

int accounts_cfg_max_failures(const struct ps_app *app)
{
    return app && app->cfg && app->cfg->login_max_failures > 0 ? app->cfg->login_max_failures : 5;
}

int64_t accounts_cfg_lock_ms(const struct ps_app *app)
{
    int s = app && app->cfg && app->cfg->login_lock_s > 0 ? app->cfg->login_lock_s : 900;
    return (int64_t)s * 1000;
}

/* --- OpenAPI ---------------------------------------------------------------------- */

static json_t *ref(const char *name)
{
    char buf[96];
    snprintf(buf, sizeof buf, "#/components/schemas/%s", name);
    return json_pack("{s:s}", "$ref", buf);
}

void accounts_schemas(json_t *components)
{
    json_t *user = json_pack(
        "{s:s, s:[s,s,s,s,s,s,s], s:{"
        "s:{s:s}, s:{s:s, s:i, s:i},"
        "s:{s:[s,s], s:s}, s:{s:[s,s], s:s},"
        "s:{s:s, s:{s:s}, s:s},"
        "s:{s:s, s:{s:s, s:[s,s], s:{s:{s:s}, s:{s:s}}}},"
        "s:{s:s, s:s}}}",
        "type", "object",
        "required", "id", "name", "phone", "email", "roles", "provider_roles", "created_at",
        "properties",
        "id", "type", "string",
        "name", "type", "string", "minLength", 1, "maxLength", ACCOUNTS_NAME_MAX_CHARS,
        "phone", "type", "string", "null", "description", "in full: only the account's holder sees this",
        "email", "type", "string", "null", "description", "lower-cased",
        "roles", "type", "array", "items", "type", "string",
        "description", "platform roles, as carried in the access token (always includes owner)",
        "provider_roles", "type", "array", "items", "type", "object",
        "required", "provider_id", "role",
        "properties", "provider_id", "type", "string", "role", "type", "string",
        "created_at", "type", "string", "format", "date-time");
    json_t *session = json_pack(
        "{s:s, s:[s,s,s,s,s], s:{s:{s:s, s:s}, s:{s:s, s:[s]}, s:{s:s, s:s}, s:{s:s, s:s}, s:o}}",
        "type", "object",
        "required", "access_token", "token_type", "expires_in", "refresh_token", "user",
        "properties",
        "access_token", "type", "string", "description", "JWT HS256, 15 minutes",
        "token_type", "type", "string", "enum", "Bearer",
        "expires_in", "type", "integer", "description", "seconds until the access token expires",
        "refresh_token", "type", "string", "description", "opaque, single use, 30 days",
        "user", ref("User"));
    json_t *registration = json_pack("{s:s, s:[s], s:{s:o}}", "type", "object", "required", "user",
                                     "properties", "user", ref("User"));
    if (user)
        json_object_set_new(components, "User", user);
    if (session)
        json_object_set_new(components, "Session", session);
    if (registration)
        json_object_set_new(components, "Registration", registration);
}
