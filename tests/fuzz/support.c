#include "support.h"

#include <stddef.h>

#include "core/module.h"

/* The fuzz targets link the core alone: no domain modules. */
const struct ps_module *const ps_modules[] = { NULL };

static const char *const colours[] = { "red", "green", "blue", NULL };

static const struct ps_param item_params[] = {
    { "name", PS_STRING, PS_REQUIRED, .min = 1, .max = 40 },
    { "price_fen", PS_INT, PS_REQUIRED, .min = 0, .max = 100000000 },
    PS_PARAM_END
};

static const struct ps_param body_params[] = {
    { "name", PS_STRING, PS_REQUIRED, .min = 1, .max = 64 },
    { "count", PS_INT, 0, .min = -5, .max = 500 },
    { "ratio", PS_NUMBER, PS_NULLABLE, .dmin = -1, .dmax = 1, .dbounds = true },
    { "on", PS_BOOL, 0 },
    { "day", PS_DATE, 0 },
    { "at", PS_TIME, 0 },
    { "colour", PS_ENUM, 0, .choices = colours },
    { "ref", PS_ID, 0 },
    { "tags", PS_ARRAY, 0, .item = PS_STRING, .max = 8 },
    { "items", PS_ARRAY, 0, .item = PS_OBJECT, .fields = item_params, .max = 4 },
    { "nested", PS_OBJECT, 0, .fields = item_params },
    PS_PARAM_END
};

static const struct ps_param query_params[] = {
    { "limit", PS_INT, 0, .min = 1, .max = 100 },
    { "lat", PS_NUMBER, 0, .dmin = -90, .dmax = 90, .dbounds = true },
    { "from", PS_DATE, 0 },
    { "colour", PS_ENUM, 0, .choices = colours },
    PS_PARAM_END
};

static int echo(struct ps_req *r)
{
    json_t *out = json_object();
    json_object_set(out, "body", r->json ? r->json : json_null());
    json_object_set(out, "query", r->query ? r->query : json_null());
    const char *id = ps_req_param(r, "id");
    json_object_set_new(out, "id", id ? json_string_nocheck(id) : json_null());
    return ps_reply_json(r, 200, out);
}

static int fail_validation(struct ps_req *r)
{
    return ps_fail_field(r, "name", "always wrong");
}

static const struct ps_route fuzz_routes[] = {
    { PS_POST, "/api/v1/things", echo, 0, .body = body_params, .query = query_params },
    { PS_GET, "/api/v1/things/:id", echo, 0, .query = query_params },
    { PS_PATCH, "/api/v1/things/:id/parts/:part", echo, PS_JSON },
    { PS_PUT, "/api/v1/things/:id", fail_validation, 0 },
    { PS_GET, "/api/v1/private", echo, PS_AUTH },
    { PS_DELETE, "/api/v1/admin/:id", echo, 0, .roles = "operator" },
    { PS_POST, "/api/v1/uploads", echo, PS_UPLOAD },
    { PS_GET, "/", echo, 0 },
    PS_ROUTE_END
};

void fuzz_routes_register(void)
{
    static int done;
    if (!done) {
        ps_router_add(fuzz_routes);
        done = 1;
    }
}
