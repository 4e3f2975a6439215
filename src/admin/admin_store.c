#include "admin/admin_store.h"

#include "admin/dashboard.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"

static const char SQL_ORDERS[] =
    "SELECT o.id, o.status, o.owner_id, o.provider_id, p.name, o.service_type, o.service_name, "
    "o.slot_start, o.total_fen, o.paid_fen, o.refunded_fen, o.created_at "
    "FROM orders o LEFT JOIN providers p ON p.id = o.provider_id "
    "WHERE ($1 = '' OR o.status = $1) AND ($2 = '' OR o.provider_id = $2) AND ($3 = '' OR o.id < $3) "
    "ORDER BY o.id DESC LIMIT $4";

/* Day buckets in UTC+8: integer division of the shifted time (same on both databases). */
static const char SQL_PER_DAY[] =
    "SELECT (created_at + 28800000) / 86400000 AS day, COUNT(*), "
    "SUM(CASE WHEN paid_fen > refunded_fen THEN paid_fen - refunded_fen ELSE 0 END) "
    "FROM orders WHERE created_at >= $1 GROUP BY (created_at + 28800000) / 86400000 ORDER BY day";

static const char SQL_TOP_SERVICES[] =
    "SELECT service_type, COUNT(*) AS n, "
    "SUM(CASE WHEN paid_fen > refunded_fen THEN paid_fen - refunded_fen ELSE 0 END) "
    "FROM orders WHERE created_at >= $1 GROUP BY service_type ORDER BY n DESC, service_type LIMIT $2";

/* (C*m + sum) / (C + n) with the providers module's prior (m = 4.0, C = 5). */
static const char SQL_TOP_PROVIDERS[] =
    "SELECT id, name, city, (20.0 + rating_sum) / (5.0 + review_count) AS rating, review_count "
    "FROM providers WHERE status = 'approved' "
    "ORDER BY rating DESC, review_count DESC, id LIMIT $1";

static void time_field(json_t *obj, const char *key, int64_t ms)
{
    char t[32];
    ps_format_time_ms(ms, t);
    json_object_set_new(obj, key, json_string(t));
}

static json_t *order_from_row(struct ps_db_stmt *s)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s,s:s,s:I,s:I,s:I}", "id", ps_db_col_text(s, 0),
                          "status", ps_db_col_text(s, 1), "owner_id", ps_db_col_text(s, 2),
                          "provider_id", ps_db_col_text(s, 3), "provider_name", ps_db_col_text(s, 4),
                          "service_type", ps_db_col_text(s, 5), "service_name", ps_db_col_text(s, 6),
                          "total_fen", (json_int_t)ps_db_col_int64(s, 8),
                          "paid_fen", (json_int_t)ps_db_col_int64(s, 9),
                          "refunded_fen", (json_int_t)ps_db_col_int64(s, 10));
    time_field(o, "slot_start", ps_db_col_int64(s, 7));
    time_field(o, "created_at", ps_db_col_int64(s, 11));
    return o;
}

int admin_orders_page(struct ps_db_conn *c, const struct admin_order_filter *f, json_t *items, bool *more)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_ORDERS, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, f->status);
    ps_db_bind_text(s, 2, f->provider_id);
    ps_db_bind_text(s, 3, f->cursor);
    ps_db_bind_int64(s, 4, f->limit + 1);
    while ((rc = ps_db_step(s)) == PS_DB_ROW && (int)json_array_size(items) < f->limit)
        json_array_append_new(items, order_from_row(s));
    *more = rc == PS_DB_ROW;
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int admin_orders_per_day(struct ps_db_conn *c, int64_t since_ms, json_t *days, int64_t *orders,
                         int64_t *gmv_fen)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_PER_DAY, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_int64(s, 1, since_ms);
    *orders = *gmv_fen = 0;
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        char date[11];
        admin_day_format(ps_db_col_int64(s, 0), date);
        int64_t n = ps_db_col_int64(s, 1), gmv = ps_db_col_int64(s, 2);
        json_array_append_new(days, json_pack("{s:s,s:I,s:I}", "date", date, "orders", (json_int_t)n,
                                              "gmv_fen", (json_int_t)gmv));
        *orders += n;
        *gmv_fen += gmv;
    }
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int admin_top_services(struct ps_db_conn *c, int64_t since_ms, int limit, json_t *out)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_TOP_SERVICES, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_int64(s, 1, since_ms);
    ps_db_bind_int64(s, 2, limit);
    while ((rc = ps_db_step(s)) == PS_DB_ROW)
        json_array_append_new(out, json_pack("{s:s,s:I,s:I}", "service_type", ps_db_col_text(s, 0),
                                             "orders", (json_int_t)ps_db_col_int64(s, 1),
                                             "gmv_fen", (json_int_t)ps_db_col_int64(s, 2)));
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int admin_top_providers(struct ps_db_conn *c, int limit, json_t *out)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_TOP_PROVIDERS, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_int64(s, 1, limit);
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        double rating = (double)(int64_t)(ps_db_col_double(s, 3) * 100 + 0.5) / 100;
        json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:f,s:I}", "id", ps_db_col_text(s, 0),
                                             "name", ps_db_col_text(s, 1), "city", ps_db_col_text(s, 2),
                                             "rating", rating, "review_count",
                                             (json_int_t)ps_db_col_int64(s, 4)));
    }
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}
