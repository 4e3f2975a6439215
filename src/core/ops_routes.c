/* Routes of the core itself: liveness, readiness, metrics and the OpenAPI document. */
#include "core/ops_routes.h"

#include <stdlib.h>
#include <string.h>

#include "core/audit_routes.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/metrics.h"
#include "core/openapi.h"
#include "core/router.h"

static char *openapi_text;
static size_t openapi_len;

static int healthz(struct ps_req *r)
{
    return ps_reply_raw(r, 200, "application/json", "{\"status\":\"ok\"}", 15);
}

/* Ready means: the database answers and every migration of this binary is applied. */
static int readyz(struct ps_req *r)
{
    int pending = ps_db_pending_migrations(ps_app()->db);
    if (pending < 0)
        return ps_reply_problem(r, PS_E_UNAVAILABLE, "the database is not reachable");
    if (pending > 0)
        return ps_reply_problem(r, PS_E_UNAVAILABLE, "%d migration(s) not applied: run `pitstop migrate`", pending);
    return ps_reply_raw(r, 200, "application/json", "{\"status\":\"ready\"}", 18);
}

static int metrics(struct ps_req *r)
{
    size_t len;
    char *text = ps_metrics_render(&len);
    if (!text)
        return PS_E_NOMEM;
    int rc = ps_reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
    free(text);
    return rc;
}

static int openapi(struct ps_req *r)
{
    if (!openapi_text)
        return PS_E_UNAVAILABLE;
    return ps_reply_raw(r, 200, "application/json", openapi_text, openapi_len);
}

static const struct ps_route core_routes[] = {
    { PS_GET, "/healthz", healthz, PS_PUBLIC, .summary = "Liveness: the process is up", .tag = "ops" },
    { PS_GET, "/readyz", readyz, PS_PUBLIC, .summary = "Readiness: database reachable, migrations current",
      .tag = "ops", .errors = "503" },
    { PS_GET, "/metrics", metrics, PS_PUBLIC, .summary = "Prometheus metrics (text format)", .tag = "ops" },
    { PS_GET, "/api/openapi.json", openapi, PS_PUBLIC, .summary = "This OpenAPI 3.1 document", .tag = "ops" },
    PS_ROUTE_END
};

int ps_ops_routes_register(void)
{
    int rc = ps_router_add(core_routes);
    return rc ? rc : ps_audit_routes_register();
}

int ps_ops_openapi_freeze(void)
{
    json_t *doc = ps_openapi_build();
    if (!doc)
        return PS_E_NOMEM;
    free(openapi_text);
    openapi_text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!openapi_text)
        return PS_E_NOMEM;
    openapi_len = strlen(openapi_text);
    return 0;
}
