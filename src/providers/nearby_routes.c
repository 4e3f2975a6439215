/* GET /api/v1/providers/nearby: validated by the router, answered from nearby_store.c's
 * buffer without building a JSON tree; and `pitstop providers-explain`, which prints the
 * query plan so tests can check that the spatial index serves it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/limits.h"
#include "core/module.h"
#include "core/router.h"
#include "providers/nearby_cache.h"
#include "providers/providers_internal.h"
#include "providers/providers_routes.h"
#include "providers/rank.h"

static const char *const sorts[] = { "best", "distance", "price", NULL };

const struct ps_param providers_nearby_query[] = {
    { "lat", PS_NUMBER, PS_REQUIRED, .dmin = -90, .dmax = 90, .dbounds = true },
    { "lng", PS_NUMBER, PS_REQUIRED, .dmin = -180, .dmax = 180, .dbounds = true },
    { "service_type", PS_STRING, PS_REQUIRED, .min = 1, .max = 40,
      .description = "a code from GET /api/v1/service-types" },
    { "radius_km", PS_NUMBER, 0, .dmin = 0.1, .dmax = 50, .dbounds = true,
      .description = "default 5" },
    { "limit", PS_INT, 0, .min = 1, .max = PS_LIST_MAX, .description = "default 20" },
    { "sort", PS_ENUM, 0, .choices = sorts,
      .description = "best (price, Bayesian rating and distance blended), distance or price" },
    PS_PARAM_END
};

int providers_nearby_get(struct ps_req *r)
{
    struct providers_nearby_q q = {
        .lat = ps_json_num(r->query, "lat", 0),
        .lng = ps_json_num(r->query, "lng", 0),
        .radius_km = ps_json_num(r->query, "radius_km", 5.0),
        .service_type = ps_json_str(r->query, "service_type", ""),
        .limit = (int)ps_json_int(r->query, "limit", PS_LIST_DEFAULT),
        .sort = providers_sort_parse(ps_json_str(r->query, "sort", "best")),
    };
    if (!providers_catalog_find(q.service_type))
        return ps_fail_field(r, "service_type", "is not a service type of the catalog");
    /* The key holds every input of the answer, normalised. */
    char key[NEARBY_CACHE_KEY_MAX];
    snprintf(key, sizeof key, "%.6f,%.6f,%.4f,%d,%d,%s", q.lat, q.lng, q.radius_km, q.limit,
             q.sort, q.service_type);
    int64_t gen = -1;
    char *cached = NULL;
    size_t clen = 0;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = providers_nearby_generation(c, &gen);
    if (rc == 0 && gen >= 0 && providers_nearby_cache_get(key, gen, &cached, &clen)) {
        ps_db_release(c);
        ps_reply_raw(r, 200, "application/json", cached, clen);
        free(cached);
        return 0;
    }
    struct ps_buf b;
    ps_buf_init(&b, PS_MAX_RESPONSE_BYTES);
    if (rc == 0)
        rc = providers_nearby(c, &q, &b);
    ps_db_release(c);
    if (rc == 0) {
        if (gen >= 0)
            providers_nearby_cache_put(key, gen, b.data, b.len);
        ps_reply_raw(r, 200, "application/json", b.data, b.len);
    }
    ps_buf_free(&b);
    return rc;
}

int providers_explain_cmd(const struct ps_app *app, int argc, char **argv)
{
    struct ps_buf b;
    ps_buf_init(&b, 1024 * 1024);
    struct ps_db_conn *c = ps_db_reader(app->db);
    int rc = providers_nearby_explain(c, &b);
    ps_db_release(c);
    if (rc == 0)
        fputs(b.data ? b.data : "", stdout);
    else
        fprintf(stderr, "providers-explain: %d\n", rc);
    ps_buf_free(&b);
    return rc ? 1 : 0;
}
