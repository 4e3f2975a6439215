#include "core/metrics.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/router.h"

#define MAX_SERIES_ROUTES 514            /* router capacity + unmatched + static */
#define ROUTE_SLOT(id) ((id) + 2)

/* Statuses get their own series; anything else is counted under "other". */
static const int statuses[] = { 200, 201, 204, 206, 301, 304, 400, 401, 403, 404, 405, 409,
                                413, 414, 415, 422, 429, 431, 500, 503 };
#define NSTATUS ((int)(sizeof statuses / sizeof statuses[0]) + 1)
/* Upper bounds of the latency buckets, in seconds (+Inf is implicit). */
static const double bounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                 0.25, 0.5, 1, 2.5 };
#define NBUCKET ((int)(sizeof bounds / sizeof bounds[0]))

struct series {
    uint64_t count;
    uint64_t sum_ns;
    uint64_t bucket[NBUCKET];            /* not cumulative; summed when rendered */
};

static struct series table[MAX_SERIES_ROUTES][NSTATUS];
static int inflight;
static uint64_t jobs_ok, jobs_failed;

static int status_slot(int status)
{
    for (int i = 0; i < NSTATUS - 1; i++)
        if (statuses[i] == status)
            return i;
    return NSTATUS - 1;
}

void ps_metrics_observe(int route_id, int status, long long duration_ns)
{
    int slot = ROUTE_SLOT(route_id);
    if (slot < 0 || slot >= MAX_SERIES_ROUTES)
        slot = ROUTE_SLOT(PS_METRICS_UNMATCHED);
    struct series *s = &table[slot][status_slot(status)];
    __atomic_fetch_add(&s->count, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&s->sum_ns, (uint64_t)(duration_ns > 0 ? duration_ns : 0), __ATOMIC_RELAXED);
    double secs = (double)duration_ns / 1e9;
    for (int b = 0; b < NBUCKET; b++)
        if (secs <= bounds[b]) {
            __atomic_fetch_add(&s->bucket[b], 1, __ATOMIC_RELAXED);
            break;
        }
}

void ps_metrics_inflight(int delta) { __atomic_fetch_add(&inflight, delta, __ATOMIC_RELAXED); }
int ps_metrics_inflight_now(void) { return __atomic_load_n(&inflight, __ATOMIC_RELAXED); }

void ps_metrics_job(int ok)
{
    __atomic_fetch_add(ok ? &jobs_ok : &jobs_failed, 1, __ATOMIC_RELAXED);
}

static void route_label(int slot, char *out, size_t n)
{
    int id = slot - 2;
    const struct ps_route *rt = ps_router_at(id);
    if (id == PS_METRICS_STATIC)
        snprintf(out, n, "method=\"GET\",route=\"static\"");
    else if (!rt)
        snprintf(out, n, "method=\"\",route=\"unmatched\"");
    else
        snprintf(out, n, "method=\"%s\",route=\"%s\"", ps_method_name(rt->method), rt->pattern);
}

static void render_series(struct ps_buf *b, const char *route, int st, const struct series *s)
{
    char status[8];
    if (st < NSTATUS - 1)
        snprintf(status, sizeof status, "%d", statuses[st]);
    else
        snprintf(status, sizeof status, "other");
    uint64_t count = __atomic_load_n(&s->count, __ATOMIC_RELAXED);
    ps_buf_printf(b, "pitstop_http_requests_total{%s,status=\"%s\"} %llu\n", route, status,
                  (unsigned long long)count);
    uint64_t cumulative = 0;
    for (int i = 0; i < NBUCKET; i++) {
        cumulative += __atomic_load_n(&s->bucket[i], __ATOMIC_RELAXED);
        ps_buf_printf(b, "pitstop_http_request_duration_seconds_bucket{%s,status=\"%s\",le=\"%g\"} %llu\n",
                      route, status, bounds[i], (unsigned long long)cumulative);
    }
    ps_buf_printf(b, "pitstop_http_request_duration_seconds_bucket{%s,status=\"%s\",le=\"+Inf\"} %llu\n",
                  route, status, (unsigned long long)count);
    ps_buf_printf(b, "pitstop_http_request_duration_seconds_sum{%s,status=\"%s\"} %.6f\n", route, status,
                  (double)__atomic_load_n(&s->sum_ns, __ATOMIC_RELAXED) / 1e9);
    ps_buf_printf(b, "pitstop_http_request_duration_seconds_count{%s,status=\"%s\"} %llu\n", route,
                  status, (unsigned long long)count);
}

static void render_db(struct ps_buf *b)
{
    const struct ps_app *app = ps_app();
    if (!app || !app->db)
        return;
    struct ps_db_stats st;
    ps_db_stats(app->db, &st);
    ps_buf_printf(b, "# HELP pitstop_db_pool_connections Pooled read connections.\n"
                     "# TYPE pitstop_db_pool_connections gauge\n"
                     "pitstop_db_pool_connections{state=\"total\"} %d\n"
                     "pitstop_db_pool_connections{state=\"busy\"} %d\n", st.readers_total, st.readers_busy);
    ps_buf_printf(b, "# HELP pitstop_db_writes_total Write transactions committed or rolled back.\n"
                     "# TYPE pitstop_db_writes_total counter\npitstop_db_writes_total %llu\n"
                     "# HELP pitstop_db_write_groups_total Group commits (one fsync each).\n"
                     "# TYPE pitstop_db_write_groups_total counter\npitstop_db_write_groups_total %llu\n"
                     "# HELP pitstop_db_write_queue Writes waiting for the writer.\n"
                     "# TYPE pitstop_db_write_queue gauge\npitstop_db_write_queue %d\n",
                  (unsigned long long)st.writes, (unsigned long long)st.write_groups, st.write_queue);
}

char *ps_metrics_render(size_t *len)
{
    struct ps_buf b;
    ps_buf_init(&b, PS_MAX_RESPONSE_BYTES);
    ps_buf_puts(&b, "# HELP pitstop_http_requests_total HTTP requests by route and status.\n"
                    "# TYPE pitstop_http_requests_total counter\n"
                    "# HELP pitstop_http_request_duration_seconds Time from request to response.\n"
                    "# TYPE pitstop_http_request_duration_seconds histogram\n");
    for (int slot = 0; slot < MAX_SERIES_ROUTES; slot++) {
        char route[320];
        bool labelled = false;
        for (int st = 0; st < NSTATUS; st++) {
            if (!__atomic_load_n(&table[slot][st].count, __ATOMIC_RELAXED))
                continue;
            if (!labelled) {
                route_label(slot, route, sizeof route);
                labelled = true;
            }
            render_series(&b, route, st, &table[slot][st]);
        }
    }
    ps_buf_printf(&b, "# HELP pitstop_http_requests_in_flight Requests being served now.\n"
                      "# TYPE pitstop_http_requests_in_flight gauge\npitstop_http_requests_in_flight %d\n",
                  ps_metrics_inflight_now());
    ps_buf_printf(&b, "# HELP pitstop_jobs_runs_total Background job runs by outcome.\n"
                      "# TYPE pitstop_jobs_runs_total counter\n"
                      "pitstop_jobs_runs_total{outcome=\"ok\"} %llu\n"
                      "pitstop_jobs_runs_total{outcome=\"failed\"} %llu\n",
                  (unsigned long long)jobs_ok, (unsigned long long)jobs_failed);
    render_db(&b);
    return ps_buf_detach(&b, len);
}
