/* Nearby search, the headline read path: the spatial index gives the providers inside the
 * circle's bounding box (SQLite: the providers_geo R*Tree; PostgreSQL: the btree on
 * (lat, lng)), joined to their live offer of the service type; the exact great-circle test,
 * the ranking and the JSON answer are done here in C, written straight into one buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/router.h"
#include "providers/geo.h"
#include "providers/providers_internal.h"
#include "providers/rank.h"


/* CROSS JOIN fixes SQLite's join order: R*Tree first, then each row by rowid. */
#define NEARBY_SQL_SQLITE                                                                      \
    "SELECT p.id, p.name, p.address, p.lat, p.lng, p.rating_sum, p.review_count, s.id, "        \
    "s.price_fen, s.labor_fen, s.parts_fen, s.duration_min "                                    \
    "FROM providers_geo g CROSS JOIN providers p CROSS JOIN provider_services s "               \
    "WHERE g.max_lat >= $1 AND g.min_lat <= $2 AND g.max_lng >= $3 AND g.min_lng <= $4 "        \
    "AND p.rid = g.id AND p.status = 'approved' AND p.is_open = 1 "                             \
    "AND s.provider_id = p.id AND s.service_type = $5 AND s.active = 1"
#define NEARBY_SQL_PG                                                                          \
    "SELECT p.id, p.name, p.address, p.lat, p.lng, p.rating_sum, p.review_count, s.id, "        \
    "s.price_fen, s.labor_fen, s.parts_fen, s.duration_min "                                    \
    "FROM providers p JOIN provider_services s ON s.provider_id = p.id "                        \
    "AND s.service_type = $5 AND s.active = 1 "                                                 \
    "WHERE p.lat BETWEEN $1 AND $2 AND p.lng BETWEEN $3 AND $4 "                                \
    "AND p.status = 'approved' AND p.is_open = 1"

static const char SQL_NEARBY_SQLITE[] = NEARBY_SQL_SQLITE;
static const char SQL_NEARBY_PG[] = NEARBY_SQL_PG;
static const char SQL_EXPLAIN_SQLITE[] = "EXPLAIN QUERY PLAN " NEARBY_SQL_SQLITE;
static const char SQL_EXPLAIN_PG[] = "EXPLAIN " NEARBY_SQL_PG;

struct row {
    uint32_t id, name, address, service;   /* offsets into the string pool */
    double lat, lng, rating, dist;
    int64_t price, labor, parts, reviews;
    int duration;
};

static int pool_add(struct ps_buf *pool, const char *s, uint32_t *off)
{
    *off = (uint32_t)pool->len;
    return ps_buf_append(pool, s ? s : "", (s ? strlen(s) : 0) + 1);
}

static void bind_box(struct ps_db_stmt *s, const struct providers_bbox *b, const char *type)
{
    ps_db_bind_double(s, 1, b->min_lat);
    ps_db_bind_double(s, 2, b->max_lat);
    ps_db_bind_double(s, 3, b->min_lng);
    ps_db_bind_double(s, 4, b->max_lng);
    ps_db_bind_text(s, 5, type);
}

int providers_nearby(struct ps_db_conn *c, const struct providers_nearby_q *q, struct ps_buf *b)
{
    struct providers_bbox box;
    providers_bbox_around(q->lat, q->lng, q->radius_km, &box);
    bool pg = ps_db_backend(ps_app()->db) == PS_DB_POSTGRES;
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, pg ? SQL_NEARBY_PG : SQL_NEARBY_SQLITE, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    bind_box(s, &box, q->service_type);
    struct ps_buf pool;
    ps_buf_init(&pool, 8 * 1024 * 1024);
    size_t cap = 64, n = 0;
    struct row *rows = malloc(cap * sizeof *rows);
    struct providers_candidate *cand = NULL;
    if (!rows) {
        ps_db_reset(s);
        return PS_E_NOMEM;
    }
    while ((rc = ps_db_step(s)) == PS_DB_ROW && n < NEARBY_MAX_CANDIDATES) {
        double lat = ps_db_col_double(s, 3), lng = ps_db_col_double(s, 4);
        double d = providers_haversine_km(q->lat, q->lng, lat, lng);
        if (d > q->radius_km)
            continue;
        if (n == cap) {
            struct row *bigger = realloc(rows, cap * 2 * sizeof *rows);
            if (!bigger) {
                rc = PS_E_NOMEM;
                break;
            }
            rows = bigger;
            cap *= 2;
        }
        struct row *r = &rows[n];
        r->lat = lat;
        r->lng = lng;
        r->dist = d;
        r->reviews = ps_db_col_int64(s, 6);
        r->rating = providers_bayes_rating(ps_db_col_int64(s, 5), r->reviews);
        r->price = ps_db_col_int64(s, 8);
        r->labor = ps_db_col_int64(s, 9);
        r->parts = ps_db_col_int64(s, 10);
        r->duration = (int)ps_db_col_int64(s, 11);
        if (pool_add(&pool, ps_db_col_text(s, 0), &r->id) || pool_add(&pool, ps_db_col_text(s, 1), &r->name) ||
            pool_add(&pool, ps_db_col_text(s, 2), &r->address) ||
            pool_add(&pool, ps_db_col_text(s, 7), &r->service)) {
            rc = PS_E_NOMEM;
            break;
        }
        n++;
    }
    ps_db_reset(s);
    if (rc < 0) {
        rc = rc == PS_E_NOMEM ? rc : ps_db_err_to_ps(rc);
        goto out;
    }
    rc = 0;
    cand = malloc((n ? n : 1) * sizeof *cand);
    if (!cand) {
        rc = PS_E_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        cand[i].id = pool.data + rows[i].id;
        cand[i].price_fen = rows[i].price;
        cand[i].rating = rows[i].rating;
        cand[i].distance_km = rows[i].dist;
        cand[i].row = i;
    }
    providers_rank(cand, n, (enum providers_sort)q->sort, q->radius_km);
    rc = ps_buf_puts(b, "{\"items\":[");
    for (size_t i = 0; rc == 0 && i < n && i < (size_t)q->limit; i++) {
        const struct row *r = &rows[cand[i].row];
        rc = ps_buf_puts(b, i ? ",{\"provider\":{\"id\":" : "{\"provider\":{\"id\":");
        if (!rc) rc = providers_json_str(b, pool.data + r->id);
        if (!rc) rc = ps_buf_puts(b, ",\"name\":");
        if (!rc) rc = providers_json_str(b, pool.data + r->name);
        if (!rc) rc = ps_buf_puts(b, ",\"address\":");
        if (!rc) rc = providers_json_str(b, pool.data + r->address);
        if (!rc)
            rc = ps_buf_printf(b, ",\"lat\":%.6f,\"lng\":%.6f,\"rating\":%.2f,\"review_count\":%lld},"
                               "\"distance_km\":%.3f,\"service\":{\"id\":",
                               r->lat, r->lng, r->rating, (long long)r->reviews, r->dist);
        if (!rc) rc = providers_json_str(b, pool.data + r->service);
        if (!rc)
            rc = ps_buf_printf(b, ",\"price_fen\":%lld,\"labor_fen\":%lld,\"parts_fen\":%lld,"
                               "\"duration_min\":%d}}",
                               (long long)r->price, (long long)r->labor, (long long)r->parts,
                               r->duration);
    }
    if (!rc)
        rc = ps_buf_printf(b, "],\"total\":%zu}", n);
out:
    free(cand);
    free(rows);
    ps_buf_free(&pool);
    return rc;
}

static const char SQL_GENERATION[] = "SELECT n FROM nearby_generation WHERE id = 1";

int providers_nearby_generation(struct ps_db_conn *c, int64_t *gen)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_GENERATION, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    rc = ps_db_step(s);
    *gen = rc == PS_DB_ROW ? ps_db_col_int64(s, 0) : -1;
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int providers_nearby_explain(struct ps_db_conn *c, struct ps_buf *b)
{
    bool pg = ps_db_backend(ps_app()->db) == PS_DB_POSTGRES;
    struct providers_bbox box;
    providers_bbox_around(31.2304, 121.4737, 5, &box);
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, pg ? SQL_EXPLAIN_PG : SQL_EXPLAIN_SQLITE, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    bind_box(s, &box, "oil_change");
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        /* SQLite: id, parent, notused, detail; PostgreSQL: one text column. */
        const char *line = ps_db_col_text(s, pg ? 0 : 3);
        ps_buf_puts(b, line ? line : "");
        ps_buf_puts(b, "\n");
    }
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}
