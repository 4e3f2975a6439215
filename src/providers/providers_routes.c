/* The catalog, a provider's public page, and what its admins manage: services and prices,
 * schedule (zone, bays, weekly hours, closed dates), staff; and the slots offered for a day.
 * Only the provider's own provider_admins may change it: anyone else gets 403 (the provider
 * is public, so its existence is no secret); a service of another provider is 404. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "accounts/roles.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/router.h"
#include "providers/providers_internal.h"
#include "providers/providers_routes.h"
#include "providers/slot_grid.h"
#include "providers/tz.h"

const char *const providers_staff_roles[] = { "provider_admin", "advisor", "technician", "finance", NULL };


const struct ps_param providers_service_params[] = {
    { "service_type", PS_STRING, PS_REQUIRED, .min = 1, .max = 40,
      .description = "a code from GET /api/v1/service-types" },
    { "name", PS_STRING, 0, .min = 1, .max = 100, .description = "defaults to the catalog name" },
    { "price_fen", PS_INT, PS_REQUIRED, .min = 0, .max = MAX_FEN,
      .description = "labor_fen + parts_fen" },
    { "duration_min", PS_INT, PS_REQUIRED, .min = 15, .max = PROVIDERS_MAX_DURATION },
    { "description", PS_STRING, PS_NULLABLE, .max = 1000 },
    { "labor_fen", PS_INT, 0, .min = 0, .max = MAX_FEN },
    { "parts_fen", PS_INT, 0, .min = 0, .max = MAX_FEN },
    PS_PARAM_END
};

const struct ps_param providers_service_patch_params[] = {
    { "name", PS_STRING, 0, .min = 1, .max = 100 },
    { "price_fen", PS_INT, 0, .min = 0, .max = MAX_FEN },
    { "duration_min", PS_INT, 0, .min = 15, .max = PROVIDERS_MAX_DURATION },
    { "description", PS_STRING, PS_NULLABLE, .max = 1000 },
    { "labor_fen", PS_INT, 0, .min = 0, .max = MAX_FEN },
    { "parts_fen", PS_INT, 0, .min = 0, .max = MAX_FEN },
    PS_PARAM_END
};

static const struct ps_param weekly_fields[] = {
    { "weekday", PS_INT, PS_REQUIRED, .min = 1, .max = 7, .description = "1 = Monday ... 7 = Sunday" },
    { "open", PS_STRING, PS_REQUIRED, .min = 5, .max = 5, .description = "HH:MM on the 30-minute grid" },
    { "close", PS_STRING, PS_REQUIRED, .min = 5, .max = 5, .description = "HH:MM, 24:00 allowed" },
    PS_PARAM_END
};

const struct ps_param providers_schedule_params[] = {
    { "timezone", PS_STRING, 0, .min = 1, .max = 40, .description = "default Asia/Shanghai" },
    { "bays", PS_INT, PS_REQUIRED, .min = 1, .max = PROVIDERS_MAX_BAYS },
    { "weekly", PS_ARRAY, PS_REQUIRED, .max = 7 * PROVIDERS_MAX_INTERVALS, .item = PS_OBJECT,
      .fields = weekly_fields },
    { "closed_dates", PS_ARRAY, 0, .max = 366, .item = PS_DATE },
    PS_PARAM_END
};

const struct ps_param providers_staff_params[] = {
    { "login", PS_STRING, PS_REQUIRED, .min = 1, .max = 254, .description = "phone or email" },
    { "role", PS_ENUM, PS_REQUIRED, .choices = providers_staff_roles },
    PS_PARAM_END
};

const struct ps_param providers_slots_query[] = {
    { "service_id", PS_ID, PS_REQUIRED, .description = "one of the provider's services" },
    { "date", PS_DATE, PS_REQUIRED, .description = "local date in the provider's zone" },
    PS_PARAM_END
};

/* --- catalog ----------------------------------------------------------------------- */

/* The catalog never changes while the server runs: serialise it once. */
static char *catalog_json;
static size_t catalog_len;

static int build_catalog(void)
{
    json_t *items = json_array();
    for (size_t i = 0; i < providers_catalog_count(); i++) {
        const struct providers_service_type *t = providers_catalog_at(i);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:i}", "code", t->code,
                              "name_zh", t->name_zh, "name_en", t->name_en, "category", t->category,
                              "duration_min", t->duration_min));
    }
    json_t *doc = json_pack("{s:o}", "items", items);
    catalog_json = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!catalog_json)
        return PS_E_NOMEM;
    catalog_len = strlen(catalog_json);
    return 0;
}

int providers_service_types(struct ps_req *r)
{
    if (!catalog_json && build_catalog())
        return PS_E_NOMEM;
    return ps_reply_raw(r, 200, "application/json", catalog_json, catalog_len);
}

int providers_catalog_init(void)
{
    int rc = providers_catalog_load();
    return rc ? rc : build_catalog();
}

/* --- provider page ----------------------------------------------------------------- */

int providers_get(struct ps_req *r)
{
    const char *id = ps_req_param(r, "id");
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    bool staff = r->authenticated &&
                 accounts_has_provider_role(c, ps_req_user(r), id, "provider_admin,advisor,technician,finance");
    json_t *o = providers_store_provider_get(c, id, staff);
    ps_db_release(c);
    return o ? ps_reply_json(r, 200, o) : PS_E_NOT_FOUND;
}

int providers_services_list(struct ps_req *r)
{
    const char *id = ps_req_param(r, "id");
    struct providers_schedule sch;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = providers_store_schedule_load(c, id, false, &sch);
    json_t *items = rc ? NULL : providers_store_services(c, id);
    ps_db_release(c);
    if (rc)
        return rc;
    return items ? ps_reply_json(r, 200, json_pack("{s:o}", "items", items)) : PS_E_DB;
}

/* --- services ---------------------------------------------------------------------- */

/* Merge price_fen / labor_fen / parts_fen of body into s (see docs/PROVIDERS.md): the split
 * must add up to the price; a price alone keeps the old parts share where it still fits. */
static void merge_prices(struct ps_req *r, const json_t *b, struct providers_service *s, bool create)
{
    bool has_price = ps_json_has(b, "price_fen"), has_labor = ps_json_has(b, "labor_fen"),
         has_parts = ps_json_has(b, "parts_fen");
    int64_t price = has_price ? ps_json_int(b, "price_fen", 0) : s->price_fen;
    int64_t labor = has_labor ? ps_json_int(b, "labor_fen", 0) : s->labor_fen;
    int64_t parts = has_parts ? ps_json_int(b, "parts_fen", 0) : s->parts_fen;
    if (has_price && !has_labor && !has_parts) {
        parts = create ? 0 : (s->parts_fen <= price ? s->parts_fen : 0);
        labor = price - parts;
    } else if (has_price && has_labor && !has_parts) {
        parts = price - labor;
        if (parts < 0)
            ps_errs_add(&r->errs, "labor_fen", "must not exceed price_fen");
    } else if (has_price && !has_labor && has_parts) {
        labor = price - parts;
        if (labor < 0)
            ps_errs_add(&r->errs, "parts_fen", "must not exceed price_fen");
    } else if (!has_price) {
        price = labor + parts;
        if (price > MAX_FEN)
            ps_errs_add(&r->errs, "price_fen", "labor_fen + parts_fen is too large");
    }
    if (labor + parts != price && labor >= 0 && parts >= 0)
        ps_errs_add(&r->errs, "price_fen", "must equal labor_fen + parts_fen");
    s->price_fen = price;
    s->labor_fen = labor;
    s->parts_fen = parts;
}

struct svc_ctx {
    const char *provider_id, *user_id, *service_id;
    struct providers_service s;
    json_t *body;
    struct ps_req *r;
    int op;          /* 0 add, 1 patch, 2 delete */
    json_t *out;
};

static int svc_tx(struct ps_db_conn *c, void *arg)
{
    struct svc_ctx *x = arg;
    int rc = providers_check_staff(c, x->provider_id, x->user_id, "provider_admin");
    if (rc)
        return rc;
    if (x->op == 0) {
        ps_id_new(x->s.id);
        rc = providers_store_service_insert(c, &x->s);
    } else {
        struct providers_service cur;
        if ((rc = providers_store_service_load(c, x->provider_id, x->service_id, &cur)) != 0)
            return rc;
        if (!cur.active)
            return PS_E_NOT_FOUND;
        if (x->op == 2) {
            rc = providers_store_service_deactivate(c, cur.id);
        } else {
            const json_t *b = x->body;
            if (ps_json_has(b, "name"))
                snprintf(cur.name, sizeof cur.name, "%s", ps_json_str(b, "name", ""));
            if (ps_json_has(b, "description")) {
                cur.has_description = !json_is_null(json_object_get(b, "description"));
                snprintf(cur.description, sizeof cur.description, "%s", ps_json_str(b, "description", ""));
            }
            if (ps_json_has(b, "duration_min"))
                cur.duration_min = (int)ps_json_int(b, "duration_min", cur.duration_min);
            merge_prices(x->r, b, &cur, false);
            if (x->r->errs.n)
                return PS_E_VALIDATION;
            x->s = cur;
            rc = providers_store_service_update(c, &cur);
        }
    }
    if (rc == 0)
        rc = providers_store_reindex(c, x->provider_id);
    return rc;
}

int providers_service_add(struct ps_req *r)
{
    const json_t *b = r->json;
    struct svc_ctx *x = ps_arena_calloc(&r->arena, sizeof *x);
    if (!x)
        return PS_E_NOMEM;
    x->provider_id = ps_req_param(r, "id");
    x->user_id = ps_req_user(r);
    x->r = r;
    const struct providers_service_type *t = providers_catalog_find(ps_json_str(b, "service_type", ""));
    if (!t)
        ps_errs_add(&r->errs, "service_type", "is not a service type of the catalog");
    snprintf(x->s.provider_id, sizeof x->s.provider_id, "%s", x->provider_id);
    snprintf(x->s.service_type, sizeof x->s.service_type, "%s", t ? t->code : "");
    snprintf(x->s.name, sizeof x->s.name, "%s", ps_json_str(b, "name", t ? t->name_zh : ""));
    x->s.has_description = ps_json_str(b, "description", NULL) != NULL;
    snprintf(x->s.description, sizeof x->s.description, "%s", ps_json_str(b, "description", ""));
    x->s.duration_min = (int)ps_json_int(b, "duration_min", 60);
    merge_prices(r, b, &x->s, true);
    if (r->errs.n)
        return PS_E_VALIDATION;
    int rc = ps_db_write(ps_app()->db, svc_tx, x);
    if (rc == PS_E_DUPLICATE)
        return ps_reply_problem(r, rc, "this provider already offers %s; change that offer instead",
                                x->s.service_type);
    if (rc)
        return rc;
    return ps_reply_json(r, 201, providers_service_json(&x->s));
}

static int service_change(struct ps_req *r, int op)
{
    struct svc_ctx *x = ps_arena_calloc(&r->arena, sizeof *x);
    if (!x)
        return PS_E_NOMEM;
    x->provider_id = ps_req_param(r, "id");
    x->service_id = ps_req_param(r, "service_id");
    x->user_id = ps_req_user(r);
    x->body = r->json;
    x->r = r;
    x->op = op;
    int rc = ps_db_write(ps_app()->db, svc_tx, x);
    if (rc)
        return rc;
    return op == 2 ? ps_reply_empty(r, 204) : ps_reply_json(r, 200, providers_service_json(&x->s));
}

int providers_service_patch(struct ps_req *r) { return service_change(r, 1); }
int providers_service_delete(struct ps_req *r) { return service_change(r, 2); }

/* --- schedule ---------------------------------------------------------------------- */

static void today_in(int offset_min, char out[16])
{
    struct providers_local l;
    providers_local_parts(ps_now_ms(), offset_min, &l);
    snprintf(out, 16, "%04d-%02d-%02d", l.y % 10000, l.m % 100, l.d % 100);
}

int providers_schedule_get(struct ps_req *r)
{
    const char *id = ps_req_param(r, "id");
    struct providers_schedule sch;
    char today[16];
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = providers_store_schedule_load(c, id, false, &sch);
    json_t *o = NULL;
    if (rc == 0) {
        today_in(sch.offset_min, today);
        o = providers_schedule_json(&sch, providers_store_closed_dates(c, id, today));
    }
    ps_db_release(c);
    return rc ? rc : ps_reply_json(r, 200, o);
}

struct sched_ctx {
    const char *provider_id, *user_id;
    struct providers_schedule s;
    json_t *closed;
};

static int sched_tx(struct ps_db_conn *c, void *arg)
{
    struct sched_ctx *x = arg;
    int rc = providers_check_staff(c, x->provider_id, x->user_id, "provider_admin");
    return rc ? rc : providers_store_schedule_save(c, x->provider_id, &x->s, x->closed);
}

int providers_schedule_put(struct ps_req *r)
{
    const json_t *b = r->json;
    struct sched_ctx *x = ps_arena_calloc(&r->arena, sizeof *x);
    if (!x)
        return PS_E_NOMEM;
    x->provider_id = ps_req_param(r, "id");
    x->user_id = ps_req_user(r);
    snprintf(x->s.timezone, sizeof x->s.timezone, "%s", ps_json_str(b, "timezone", PROVIDERS_TZ_DEFAULT));
    if (!providers_tz_offset(x->s.timezone, &x->s.offset_min))
        ps_errs_add(&r->errs, "timezone", "is not a supported zone (fixed-offset zones such as "
                    "Asia/Shanghai, Asia/Urumqi, Asia/Hong_Kong, UTC; see docs/PROVIDERS.md)");
    x->s.bays = (int)ps_json_int(b, "bays", 1);
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(b, "weekly"), i, w) {
        int wd = (int)ps_json_int(w, "weekday", 0);
        int open = providers_parse_hhmm(ps_json_str(w, "open", ""));
        int close = providers_parse_hhmm(ps_json_str(w, "close", ""));
        char fo[48], fc[48];
        snprintf(fo, sizeof fo, "weekly[%zu].open", i);
        snprintf(fc, sizeof fc, "weekly[%zu].close", i);
        if (open < 0 || open >= 1440 || open % PROVIDERS_GRID_MIN)
            ps_errs_add(&r->errs, fo, "must be HH:MM on the 30-minute grid");
        if (close < 0 || close % PROVIDERS_GRID_MIN)
            ps_errs_add(&r->errs, fc, "must be HH:MM on the 30-minute grid (24:00 allowed)");
        if (open >= 0 && close >= 0 && close <= open)
            ps_errs_add(&r->errs, fc, "must be after open");
        x->s.hours[x->s.nhours].weekday = wd;
        x->s.hours[x->s.nhours].open_min = open;
        x->s.hours[x->s.nhours].close_min = close;
        x->s.nhours++;
    }
    if (r->errs.n == 0) {
        for (int wd = 1; wd <= 7; wd++) {
            struct providers_interval iv[7 * PROVIDERS_MAX_INTERVALS];
            int n = 0;
            for (int k = 0; k < x->s.nhours; k++)
                if (x->s.hours[k].weekday == wd) {
                    iv[n].open_min = x->s.hours[k].open_min;
                    iv[n].close_min = x->s.hours[k].close_min;
                    n++;
                }
            if (n > PROVIDERS_MAX_INTERVALS || !providers_intervals_valid(iv, n))
                ps_errs_add(&r->errs, "weekly", "weekday %d: at most %d intervals that do not overlap",
                            wd, PROVIDERS_MAX_INTERVALS);
        }
    }
    if (r->errs.n)
        return PS_E_VALIDATION;
    json_t *closed = json_object_get(b, "closed_dates");
    x->closed = closed ? closed : json_array();
    if (!closed)
        ps_arena_defer(&r->arena, providers_json_free, x->closed);
    int rc = ps_db_write(ps_app()->db, sched_tx, x);
    if (rc)
        return rc;
    char today[16];
    today_in(x->s.offset_min, today);
    json_t *later = json_array();
    size_t k;
    json_t *d;
    json_array_foreach(x->closed, k, d)
        if (strcmp(json_string_value(d), today) >= 0)
            json_array_append(later, d);
    return ps_reply_json(r, 200, providers_schedule_json(&x->s, later));
}

/* --- staff ------------------------------------------------------------------------- */

int providers_staff_list(struct ps_req *r)
{
    const char *id = ps_req_param(r, "id");
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = providers_check_staff(c, id, ps_req_user(r), "provider_admin");
    json_t *items = rc ? NULL : providers_store_staff_list(c, id);
    ps_db_release(c);
    if (rc)
        return rc;
    return items ? ps_reply_json(r, 200, json_pack("{s:o}", "items", items)) : PS_E_DB;
}

struct staff_ctx {
    const char *provider_id, *user_id, *login, *role, *target;
    char member[32];
    char name[256];
    bool remove;
};

static int staff_tx(struct ps_db_conn *c, void *arg)
{
    struct staff_ctx *x = arg;
    int rc = providers_check_staff(c, x->provider_id, x->user_id, "provider_admin");
    if (rc)
        return rc;
    if (x->remove) {
        if (!strcmp(x->target, x->user_id))
            return PS_E_CONFLICT;
        return providers_store_staff_remove(c, x->provider_id, x->target);
    }
    if ((rc = accounts_find_by_login(c, x->login, x->member)) != 0)
        return rc;
    if ((rc = accounts_grant_role(c, x->member, x->role, x->provider_id)) != 0)
        return rc;
    accounts_user_name(c, x->member, x->name, sizeof x->name);
    return providers_store_staff_add(c, x->provider_id, x->member, x->role);
}

int providers_staff_add(struct ps_req *r)
{
    struct staff_ctx x = { .provider_id = ps_req_param(r, "id"), .user_id = ps_req_user(r),
                           .login = ps_json_str(r->json, "login", ""),
                           .role = ps_json_str(r->json, "role", "") };
    int rc = ps_db_write(ps_app()->db, staff_tx, &x);
    if (rc == PS_E_NOT_FOUND) {
        /* Tell an unknown login from an unknown provider: the provider was checked first. */
        struct ps_db_conn *c = ps_db_reader(ps_app()->db);
        bool provider_ok = providers_check_staff(c, x.provider_id, x.user_id, "provider_admin") == 0;
        ps_db_release(c);
        if (provider_ok)
            return ps_reply_problem(r, rc, "no user signs in with that login");
    }
    if (rc)
        return rc;
    return ps_reply_json(r, 201, json_pack("{s:s, s:s, s:s}", "user_id", x.member, "name", x.name,
                                           "role", x.role));
}

int providers_staff_delete(struct ps_req *r)
{
    struct staff_ctx x = { .provider_id = ps_req_param(r, "id"), .user_id = ps_req_user(r),
                           .target = ps_req_param(r, "user_id"), .remove = true };
    int rc = ps_db_write(ps_app()->db, staff_tx, &x);
    if (rc == PS_E_CONFLICT)
        return ps_reply_problem(r, rc, "you cannot remove yourself; ask another provider_admin");
    return rc ? rc : ps_reply_empty(r, 204);
}

/* --- slots ------------------------------------------------------------------------- */

int providers_slots(struct ps_req *r)
{
    const char *id = ps_req_param(r, "id");
    struct providers_service s;
    json_t *o = NULL;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = providers_store_service_load(c, id, ps_json_str(r->query, "service_id", ""), &s);
    if (rc == 0 && !s.active)
        rc = PS_E_NOT_FOUND;
    if (rc == 0)
        rc = providers_day_offer(c, id, ps_json_str(r->query, "date", ""), s.duration_min, &o);
    ps_db_release(c);
    if (rc)
        return rc;
    json_object_set_new(o, "service_id", json_string(s.id));
    return ps_reply_json(r, 200, o);
}
