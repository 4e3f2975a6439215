/* Onboarding: a user applies with the business's credit code, address, coordinates, phone and
 * services; operators review the queue and approve (the applicant becomes the provider's
 * provider_admin) or reject with a reason. Every decision is audited and announced. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/router.h"
#include "notifications/notify.h"
#include "providers/geo.h"
#include "providers/providers_internal.h"
#include "providers/providers_routes.h"
#include "providers/uscc.h"

static const char *const app_statuses[] = { "pending", "approved", "rejected", NULL };

const struct ps_param providers_app_params[] = {
    { "business_name", PS_STRING, PS_REQUIRED, .min = 2, .max = 100 },
    { "uscc", PS_STRING, PS_REQUIRED, .min = 1, .max = 32,
      .description = "18-character unified social credit code (GB 32100)" },
    { "address", PS_STRING, PS_REQUIRED, .min = 2, .max = 200 },
    { "city", PS_STRING, PS_REQUIRED, .min = 1, .max = 50 },
    { "lat", PS_NUMBER, PS_REQUIRED, .dmin = -90, .dmax = 90, .dbounds = true },
    { "lng", PS_NUMBER, PS_REQUIRED, .dmin = -180, .dmax = 180, .dbounds = true },
    { "phone", PS_STRING, PS_REQUIRED, .min = 1, .max = 20,
      .description = "mainland mobile (1[3-9] + 9 digits) or landline (0xx-xxxxxxxx)" },
    { "service_types", PS_ARRAY, PS_REQUIRED, .min = 1, .max = 40, .item = PS_STRING,
      .description = "codes from GET /api/v1/service-types" },
    PS_PARAM_END
};

const struct ps_param providers_app_queue_query[] = {
    { "status", PS_ENUM, 0, .choices = app_statuses },
    PS_PARAM_LIMIT,
    PS_PARAM_CURSOR,
    PS_PARAM_END
};

const struct ps_param providers_page_query[] = {
    PS_PARAM_LIMIT,
    PS_PARAM_CURSOR,
    PS_PARAM_END
};

const struct ps_param providers_reject_params[] = {
    { "reason", PS_STRING, PS_REQUIRED, .min = 1, .max = 500 },
    PS_PARAM_END
};

/* Mainland mobile 1[3-9]xxxxxxxxx, or a landline 0 + 2-3 digit area code, optional dash,
 * 7-8 digits. */
static bool phone_valid(const char *p)
{
    size_t n = strlen(p);
    if (n == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9') {
        for (size_t i = 2; i < n; i++)
            if (!isdigit((unsigned char)p[i]))
                return false;
        return true;
    }
    if (p[0] != '0')
        return false;
    size_t digits = 0, dash = 0, dash_at = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '-') {
            dash++;
            dash_at = i;
        } else if (isdigit((unsigned char)p[i])) {
            digits++;
        } else {
            return false;
        }
    }
    if (dash > 1 || (dash && (dash_at < 3 || dash_at > 4)))
        return false;
    return digits >= 10 && digits <= 12;
}

struct create_ctx {
    struct providers_application a;
    char id[PS_ID_LEN + 1];
};

static int create_tx(struct ps_db_conn *c, void *arg)
{
    struct create_ctx *x = arg;
    return providers_store_application_add(c, &x->a, x->id);
}

int providers_app_create(struct ps_req *r)
{
    const json_t *b = r->json;
    char uscc[PROVIDERS_USCC_LEN + 1];
    const char *why = NULL;
    if (!providers_uscc_valid(ps_json_str(b, "uscc", ""), uscc, &why))
        ps_errs_add(&r->errs, "uscc", "%s", why);
    const char *phone = ps_json_str(b, "phone", "");
    if (!phone_valid(phone))
        ps_errs_add(&r->errs, "phone", "must be a mainland mobile or landline number");
    double lat = ps_json_num(b, "lat", 0), lng = ps_json_num(b, "lng", 0);
    if (!providers_coords_in_china(lat, lng)) {
        ps_errs_add(&r->errs, "lat", "the coordinates must lie in China (lat 3.8-53.6)");
        ps_errs_add(&r->errs, "lng", "the coordinates must lie in China (lng 73.4-135.1)");
    }
    json_t *types = json_array();
    ps_arena_defer(&r->arena, providers_json_free, types);
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(b, "service_types"), i, t) {
        const char *code = json_string_value(t);
        char field[48];
        snprintf(field, sizeof field, "service_types[%zu]", i);
        if (!providers_catalog_find(code)) {
            ps_errs_add(&r->errs, field, "is not a service type of the catalog");
            continue;
        }
        bool seen = false;
        for (size_t k = 0; k < json_array_size(types) && !seen; k++)
            seen = !strcmp(json_string_value(json_array_get(types, k)), code);
        if (!seen)
            json_array_append_new(types, json_string(code));
    }
    if (r->errs.n)
        return PS_E_VALIDATION;
    struct create_ctx x = { .a = {
        .applicant_id = ps_req_user(r), .business_name = ps_json_str(b, "business_name", ""),
        .uscc = uscc, .address = ps_json_str(b, "address", ""), .city = ps_json_str(b, "city", ""),
        .phone = phone, .lat = lat, .lng = lng, .service_types = types } };
    int rc = ps_db_write(ps_app()->db, create_tx, &x);
    if (rc == PS_E_DUPLICATE)
        return ps_reply_problem(r, rc, "this business already has a pending application or is a provider");
    if (rc)
        return rc;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    json_t *o = providers_store_application_get(c, x.id, true, NULL);
    ps_db_release(c);
    return o ? ps_reply_json(r, 201, o) : PS_E_DB;
}

int providers_app_mine(struct ps_req *r)
{
    char next[PS_ID_LEN + 1];
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    json_t *items = providers_store_application_list(c, NULL, ps_req_user(r),
        ps_json_str(r->query, "cursor", ""), (int)ps_json_int(r->query, "limit", PS_LIST_DEFAULT), next);
    ps_db_release(c);
    if (!items)
        return PS_E_DB;
    return ps_reply_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor",
                                           next[0] ? json_string(next) : json_null()));
}

static bool is_operator(const struct ps_req *r)
{
    return ps_req_has_role(r, "operator") || ps_req_has_role(r, "reviewer");
}

int providers_app_get(struct ps_req *r)
{
    char applicant[PS_ID_LEN + 8] = "";
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    json_t *o = providers_store_application_get(c, ps_req_param(r, "id"), false, applicant);
    bool mine = o && !strcmp(applicant, ps_req_user(r));
    if (mine) {
        json_decref(o);
        o = providers_store_application_get(c, ps_req_param(r, "id"), true, NULL);
    }
    ps_db_release(c);
    if (!o || (!mine && !is_operator(r))) {
        json_decref(o);
        return PS_E_NOT_FOUND;
    }
    return ps_reply_json(r, 200, o);
}

int providers_app_queue(struct ps_req *r)
{
    char next[PS_ID_LEN + 1];
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    json_t *items = providers_store_application_list(c, ps_json_str(r->query, "status", NULL), NULL,
        ps_json_str(r->query, "cursor", ""), (int)ps_json_int(r->query, "limit", PS_LIST_DEFAULT), next);
    ps_db_release(c);
    if (!items)
        return PS_E_DB;
    return ps_reply_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor",
                                           next[0] ? json_string(next) : json_null()));
}

struct decide_ctx {
    const char *id, *operator_id, *reason;
    bool approve;
    char provider_id[PS_ID_LEN + 1];
    char applicant[PS_ID_LEN + 8];
    char name[256];
};

static int decide_tx(struct ps_db_conn *c, void *arg)
{
    struct decide_ctx *x = arg;
    int rc = x->approve
        ? providers_store_approve(c, x->id, x->operator_id, x->provider_id, x->applicant, x->name)
        : providers_store_reject(c, x->id, x->operator_id, x->reason, x->applicant, x->name);
    if (rc)
        return rc;
    json_t *detail = x->approve
        ? json_pack("{s:s, s:s}", "provider_id", x->provider_id, "business_name", x->name)
        : json_pack("{s:s, s:s}", "reason", x->reason, "business_name", x->name);
    rc = ps_audit(c, x->operator_id, x->approve ? "provider.approve" : "provider.reject",
                  "provider_application", x->id, detail);
    if (rc)
        return rc;
    json_t *payload = x->approve
        ? json_pack("{s:s, s:s}", "application_id", x->id, "provider_id", x->provider_id)
        : json_pack("{s:s, s:s}", "application_id", x->id, "reason", x->reason);
    char title[400];
    snprintf(title, sizeof title, x->approve ? "服务商申请已通过 Application approved: %s"
                                             : "服务商申请未通过 Application rejected: %s", x->name);
    return notify_enqueue(c, x->applicant, x->approve ? "provider.approved" : "provider.rejected",
                          title, payload);
}

static int decide_reply(struct ps_req *r, bool approve)
{
    struct decide_ctx x = { .id = ps_req_param(r, "id"), .operator_id = ps_req_user(r),
                            .reason = ps_json_str(r->json, "reason", ""), .approve = approve };
    int rc = ps_db_write(ps_app()->db, decide_tx, &x);
    if (rc == PS_E_INVALID_STATE)
        return ps_reply_problem(r, rc, "the application was already decided");
    if (rc == PS_E_DUPLICATE)
        return ps_reply_problem(r, rc, "a provider with this credit code exists already");
    if (rc)
        return rc;
    json_t *o = approve ? json_pack("{s:s, s:s, s:s}", "application_id", x.id, "status", "approved",
                                    "provider_id", x.provider_id)
                        : json_pack("{s:s, s:s, s:s}", "application_id", x.id, "status", "rejected",
                                    "reason", x.reason);
    return ps_reply_json(r, 200, o);
}

int providers_app_approve(struct ps_req *r) { return decide_reply(r, true); }
int providers_app_reject(struct ps_req *r) { return decide_reply(r, false); }
