/* SQL of orders, their timeline, extra items and service records, plus the provider tables
 * the orders module reads (written by the providers module: providers, provider_services;
 * staff from accounts' user_roles). Statements are literals, prepared once per connection. */
#include "orders/orders_store.h"

#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/router.h"
#include "orders/orders_view.h"

static void copy_col(struct ps_db_stmt *s, int col, char *out, size_t outlen)
{
    const char *v = ps_db_col_text(s, col);
    snprintf(out, outlen, "%s", v ? v : "");
}

static bool is_pg(void)
{
    const struct ps_app *app = ps_app();
    return app && app->db && ps_db_backend(app->db) == PS_DB_POSTGRES;
}

/* --- provider tables -------------------------------------------------------------- */

int orders_store_offer(struct ps_db_conn *c, const char *provider_id, const char *service_id,
                       struct service_offer *out)
{
    static const char sql[] =
        "SELECT s.id, s.provider_id, s.service_type, s.name, s.labor_fen, s.parts_fen, "
        "s.price_fen, s.duration_min FROM provider_services s JOIN providers p ON p.id = s.provider_id "
        "WHERE s.id = $1 AND s.provider_id = $2 AND s.active = 1 AND p.status = 'approved'";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, service_id);
    ps_db_bind_text(s, 2, provider_id);
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW) {
        copy_col(s, 0, out->id, sizeof out->id);
        copy_col(s, 1, out->provider_id, sizeof out->provider_id);
        copy_col(s, 2, out->service_type, sizeof out->service_type);
        copy_col(s, 3, out->name, sizeof out->name);
        out->labor_fen = ps_db_col_int64(s, 4);
        out->parts_fen = ps_db_col_int64(s, 5);
        out->price_fen = ps_db_col_int64(s, 6);
        out->duration_min = (int)ps_db_col_int64(s, 7);
    }
    ps_db_reset(s);
    if (rc == PS_DB_DONE)
        return PS_E_NOT_FOUND;
    return rc == PS_DB_ROW ? 0 : ps_db_err_to_ps(rc);
}

int orders_store_provider_name(struct ps_db_conn *c, const char *provider_id, char *out, size_t n)
{
    static const char sql[] = "SELECT name FROM providers WHERE id = $1";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, provider_id);
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW)
        copy_col(s, 0, out, n);
    ps_db_reset(s);
    if (rc == PS_DB_DONE)
        return PS_E_NOT_FOUND;
    return rc == PS_DB_ROW ? 0 : ps_db_err_to_ps(rc);
}

int orders_store_offers_near(struct ps_db_conn *c, const char *service_type, double lat_min,
                             double lat_max, double lng_min, double lng_max, int max, json_t *out)
{
    /* SQLite walks its R*Tree; PostgreSQL its (lat, lng) btree: never a full scan. */
    static const char sql_sqlite[] =
        "SELECT p.id, p.name, s.id, s.labor_fen, s.parts_fen, s.price_fen, s.duration_min, "
        "p.lat, p.lng FROM providers_geo g JOIN providers p ON p.rid = g.id "
        "JOIN provider_services s ON s.provider_id = p.id AND s.service_type = $1 AND s.active = 1 "
        "WHERE g.min_lat >= $2 AND g.max_lat <= $3 AND g.min_lng >= $4 AND g.max_lng <= $5 "
        "AND p.status = 'approved' AND p.is_open = 1 LIMIT $6";
    static const char sql_pg[] =
        "SELECT p.id, p.name, s.id, s.labor_fen, s.parts_fen, s.price_fen, s.duration_min, "
        "p.lat, p.lng FROM providers p "
        "JOIN provider_services s ON s.provider_id = p.id AND s.service_type = $1 AND s.active = 1 "
        "WHERE p.lat BETWEEN $2 AND $3 AND p.lng BETWEEN $4 AND $5 "
        "AND p.status = 'approved' AND p.is_open = 1 LIMIT $6";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, is_pg() ? sql_pg : sql_sqlite, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, service_type);
    ps_db_bind_double(s, 2, lat_min);
    ps_db_bind_double(s, 3, lat_max);
    ps_db_bind_double(s, 4, lng_min);
    ps_db_bind_double(s, 5, lng_max);
    ps_db_bind_int64(s, 6, max);
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        json_array_append_new(out, json_pack(
            "{s:s, s:s, s:s, s:I, s:I, s:I, s:i, s:f, s:f}",
            "provider_id", ps_db_col_text(s, 0), "provider_name", ps_db_col_text(s, 1),
            "service_id", ps_db_col_text(s, 2),
            "labor_fen", (json_int_t)ps_db_col_int64(s, 3),
            "parts_fen", (json_int_t)ps_db_col_int64(s, 4),
            "price_fen", (json_int_t)ps_db_col_int64(s, 5),
            "duration_min", (int)ps_db_col_int64(s, 6),
            "lat", ps_db_col_double(s, 7), "lng", ps_db_col_double(s, 8)));
    }
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int orders_store_provider_staff(struct ps_db_conn *c, const char *provider_id, json_t *out)
{
    static const char sql[] =
        "SELECT DISTINCT user_id FROM user_roles WHERE provider_id = $1 "
        "AND role IN ('provider_admin', 'advisor') ORDER BY user_id LIMIT 50";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, provider_id);
    while ((rc = ps_db_step(s)) == PS_DB_ROW)
        json_array_append_new(out, json_string(ps_db_col_text(s, 0)));
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

/* --- orders ----------------------------------------------------------------------- */

#define ORDER_COLS \
    "id, owner_id, vehicle_id, provider_id, service_id, service_type, service_name, " \
    "slot_start, duration_min, status, note, labor_fen, parts_fen, price_fen, discount_fen, " \
    "total_fen, extras_fen, paid_fen, refunded_fen, fee_fen, pay_before, cancelled_by, " \
    "cancel_reason, odometer_km, technician, leaf_index, created_at, updated_at"

static void read_order(struct ps_db_stmt *s, struct order_row *o)
{
    char status[32];
    copy_col(s, 0, o->id, sizeof o->id);
    copy_col(s, 1, o->owner_id, sizeof o->owner_id);
    copy_col(s, 2, o->vehicle_id, sizeof o->vehicle_id);
    copy_col(s, 3, o->provider_id, sizeof o->provider_id);
    copy_col(s, 4, o->service_id, sizeof o->service_id);
    copy_col(s, 5, o->service_type, sizeof o->service_type);
    copy_col(s, 6, o->service_name, sizeof o->service_name);
    o->slot_start = ps_db_col_int64(s, 7);
    o->duration_min = (int)ps_db_col_int64(s, 8);
    copy_col(s, 9, status, sizeof status);
    if (!order_state_parse(status, &o->status))
        o->status = OS_CANCELLED;
    copy_col(s, 10, o->note, sizeof o->note);
    o->labor_fen = ps_db_col_int64(s, 11);
    o->parts_fen = ps_db_col_int64(s, 12);
    o->price_fen = ps_db_col_int64(s, 13);
    o->discount_fen = ps_db_col_int64(s, 14);
    o->total_fen = ps_db_col_int64(s, 15);
    o->extras_fen = ps_db_col_int64(s, 16);
    o->paid_fen = ps_db_col_int64(s, 17);
    o->refunded_fen = ps_db_col_int64(s, 18);
    o->fee_fen = ps_db_col_int64(s, 19);
    o->pay_before = ps_db_col_int64(s, 20);
    copy_col(s, 21, o->cancelled_by, sizeof o->cancelled_by);
    copy_col(s, 22, o->cancel_reason, sizeof o->cancel_reason);
    o->odometer_km = ps_db_col_is_null(s, 23) ? -1 : ps_db_col_int64(s, 23);
    copy_col(s, 24, o->technician, sizeof o->technician);
    o->leaf_index = ps_db_col_is_null(s, 25) ? -1 : ps_db_col_int64(s, 25);
    o->created_at = ps_db_col_int64(s, 26);
    o->updated_at = ps_db_col_int64(s, 27);
}

static void bind_text_or_null(struct ps_db_stmt *s, int i, const char *v)
{
    if (v && *v)
        ps_db_bind_text(s, i, v);
    else
        ps_db_bind_null(s, i);
}

int orders_store_insert(struct ps_db_conn *c, const struct order_row *o)
{
    static const char sql[] =
        "INSERT INTO orders (id, owner_id, vehicle_id, provider_id, service_id, service_type, "
        "service_name, slot_start, duration_min, status, note, labor_fen, parts_fen, price_fen, "
        "discount_fen, total_fen, pay_before, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, o->id);
    ps_db_bind_text(s, 2, o->owner_id);
    ps_db_bind_text(s, 3, o->vehicle_id);
    ps_db_bind_text(s, 4, o->provider_id);
    ps_db_bind_text(s, 5, o->service_id);
    ps_db_bind_text(s, 6, o->service_type);
    ps_db_bind_text(s, 7, o->service_name);
    ps_db_bind_int64(s, 8, o->slot_start);
    ps_db_bind_int64(s, 9, o->duration_min);
    ps_db_bind_text(s, 10, order_state_name(o->status));
    bind_text_or_null(s, 11, o->note);
    ps_db_bind_int64(s, 12, o->labor_fen);
    ps_db_bind_int64(s, 13, o->parts_fen);
    ps_db_bind_int64(s, 14, o->price_fen);
    ps_db_bind_int64(s, 15, o->discount_fen);
    ps_db_bind_int64(s, 16, o->total_fen);
    ps_db_bind_int64(s, 17, o->pay_before);
    ps_db_bind_int64(s, 18, o->created_at);
    return ps_db_run(s, NULL);
}

static void read_order_row(struct ps_db_stmt *s, void *out) { read_order(s, out); }

static int get_order(struct ps_db_conn *c, const char *sql, const char *id, struct order_row *out)
{
    return ps_db_get_by_key(c, sql, id, read_order_row, out);
}

int orders_store_get(struct ps_db_conn *c, const char *id, struct order_row *out)
{
    static const char sql[] = "SELECT " ORDER_COLS " FROM orders WHERE id = $1";
    return get_order(c, sql, id, out);
}

int orders_store_get_for_update(struct ps_db_conn *c, const char *id, struct order_row *out)
{
    /* PostgreSQL: lock the row so that read-check-write cannot interleave with another
     * node's change of the same order. SQLite has one writer: the plain read is enough. */
    static const char sql[] = "SELECT " ORDER_COLS " FROM orders WHERE id = $1";
    static const char sql_pg[] = "SELECT " ORDER_COLS " FROM orders WHERE id = $1 FOR UPDATE";
    return get_order(c, is_pg() ? sql_pg : sql, id, out);
}

int orders_store_update(struct ps_db_conn *c, const struct order_row *o,
                        enum order_state expected, int64_t expected_paid)
{
    static const char sql[] =
        "UPDATE orders SET status = $3, extras_fen = $4, paid_fen = $5, refunded_fen = $6, "
        "fee_fen = $7, pay_before = $8, cancelled_by = $9, cancel_reason = $10, "
        "odometer_km = $11, technician = $12, leaf_index = $13, updated_at = $14 "
        "WHERE id = $1 AND status = $2 AND paid_fen = $15";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, o->id);
    ps_db_bind_text(s, 2, order_state_name(expected));
    ps_db_bind_text(s, 3, order_state_name(o->status));
    ps_db_bind_int64(s, 4, o->extras_fen);
    ps_db_bind_int64(s, 5, o->paid_fen);
    ps_db_bind_int64(s, 6, o->refunded_fen);
    ps_db_bind_int64(s, 7, o->fee_fen);
    if (o->pay_before > 0)
        ps_db_bind_int64(s, 8, o->pay_before);
    else
        ps_db_bind_null(s, 8);
    bind_text_or_null(s, 9, o->cancelled_by);
    bind_text_or_null(s, 10, o->cancel_reason);
    if (o->odometer_km >= 0)
        ps_db_bind_int64(s, 11, o->odometer_km);
    else
        ps_db_bind_null(s, 11);
    bind_text_or_null(s, 12, o->technician);
    if (o->leaf_index >= 0)
        ps_db_bind_int64(s, 13, o->leaf_index);
    else
        ps_db_bind_null(s, 13);
    ps_db_bind_int64(s, 14, o->updated_at);
    ps_db_bind_int64(s, 15, expected_paid);
    int64_t n = 0;
    rc = ps_db_run(s, &n);
    if (rc)
        return rc;
    return n == 1 ? 0 : PS_E_CONFLICT;
}

static int list_rows(struct ps_db_stmt *s, int limit, json_t *items, bool *more)
{
    int rc, n = 0;
    *more = false;
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        if (n == limit) {
            *more = true;
            break;
        }
        struct order_row o;
        read_order(s, &o);
        json_array_append_new(items, orders_view_order(&o));
        n++;
    }
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

/* Above every id ("z" is the last character of the id alphabet): "no cursor". */
#define CURSOR_TOP "zzzzzzzzzzzzzzzzzzzzzzzzzzz"

/* One page of orders whose key column ($1) matches, newest first, optionally in one status. */
static int list_page(struct ps_db_conn *c, const char *sql_all, const char *sql_status,
                     const char *key, const char *status, const char *cursor, int limit,
                     json_t *items, bool *more)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, status ? sql_status : sql_all, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, key);
    ps_db_bind_text(s, 2, cursor ? cursor : CURSOR_TOP);
    ps_db_bind_int64(s, 3, limit + 1);
    if (status)
        ps_db_bind_text(s, 4, status);
    return list_rows(s, limit, items, more);
}

int orders_store_list_owner(struct ps_db_conn *c, const char *owner_id, const char *status,
                            const char *cursor, int limit, json_t *items, bool *more)
{
    static const char sql_all[] =
        "SELECT " ORDER_COLS " FROM orders WHERE owner_id = $1 AND id < $2 "
        "ORDER BY id DESC LIMIT $3";
    static const char sql_status[] =
        "SELECT " ORDER_COLS " FROM orders WHERE owner_id = $1 AND id < $2 AND status = $4 "
        "ORDER BY id DESC LIMIT $3";
    return list_page(c, sql_all, sql_status, owner_id, status, cursor, limit, items, more);
}

int orders_store_list_provider(struct ps_db_conn *c, const char *provider_id, const char *status,
                               const char *cursor, int limit, json_t *items, bool *more)
{
    static const char sql_all[] =
        "SELECT " ORDER_COLS " FROM orders WHERE provider_id = $1 AND id < $2 "
        "ORDER BY id DESC LIMIT $3";
    static const char sql_status[] =
        "SELECT " ORDER_COLS " FROM orders WHERE provider_id = $1 AND id < $2 AND status = $4 "
        "ORDER BY id DESC LIMIT $3";
    return list_page(c, sql_all, sql_status, provider_id, status, cursor, limit, items, more);
}

int orders_store_overdue(struct ps_db_conn *c, int64_t now, char (*out)[PS_ID_LEN + 1], int max,
                         int *n)
{
    static const char sql[] =
        "SELECT id FROM orders WHERE status = 'pending_payment' AND pay_before < $1 "
        "ORDER BY pay_before LIMIT $2";
    struct ps_db_stmt *s;
    *n = 0;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_int64(s, 1, now);
    ps_db_bind_int64(s, 2, max);
    while (*n < max && (rc = ps_db_step(s)) == PS_DB_ROW)
        copy_col(s, 0, out[(*n)++], PS_ID_LEN + 1);
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int orders_store_expire(struct ps_db_conn *c, const char *id, int64_t now, bool *claimed)
{
    static const char sql[] =
        "UPDATE orders SET status = 'expired', pay_before = NULL, updated_at = $2 "
        "WHERE id = $1 AND status = 'pending_payment' AND pay_before < $2";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_int64(s, 2, now);
    int64_t changed = 0;
    rc = ps_db_run(s, &changed);
    *claimed = changed == 1;
    return rc;
}

/* --- timeline, items, records ------------------------------------------------------ */

int orders_store_event(struct ps_db_conn *c, const char *order_id, const char *kind,
                       const char *status, const char *text, const char *photo_ids_json,
                       const char *actor_id, const char *actor, int64_t now)
{
    static const char sql[] =
        "INSERT INTO order_events (id, order_id, kind, status, text, photo_ids, actor_id, actor, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    char id[PS_ID_LEN + 1];
    ps_id_new(id);
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, order_id);
    ps_db_bind_text(s, 3, kind);
    bind_text_or_null(s, 4, status);
    bind_text_or_null(s, 5, text);
    bind_text_or_null(s, 6, photo_ids_json);
    bind_text_or_null(s, 7, actor_id);
    ps_db_bind_text(s, 8, actor);
    ps_db_bind_int64(s, 9, now);
    return ps_db_run(s, NULL);
}

int orders_store_events(struct ps_db_conn *c, const char *order_id, json_t *out)
{
    static const char sql[] =
        "SELECT id, kind, status, text, photo_ids, actor, created_at FROM order_events "
        "WHERE order_id = $1 ORDER BY id LIMIT 500";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, order_id);
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        json_t *e = json_pack("{s:s, s:s, s:s, s:o}", "id", ps_db_col_text(s, 0),
                              "kind", ps_db_col_text(s, 1), "actor", ps_db_col_text(s, 5),
                              "at", orders_view_time(ps_db_col_int64(s, 6)));
        if (!ps_db_col_is_null(s, 2))
            json_object_set_new(e, "status", json_string(ps_db_col_text(s, 2)));
        if (!ps_db_col_is_null(s, 3))
            json_object_set_new(e, "text", json_string(ps_db_col_text(s, 3)));
        const char *photos = ps_db_col_text(s, 4);
        json_t *arr = photos ? json_loads(photos, 0, NULL) : NULL;
        json_object_set_new(e, "photo_ids", json_is_array(arr) ? arr : json_array());
        if (arr && !json_is_array(arr))
            json_decref(arr);
        json_array_append_new(out, e);
    }
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int orders_store_item_insert(struct ps_db_conn *c, const struct extra_item *it, int64_t now)
{
    static const char sql[] =
        "INSERT INTO order_extra_items (id, order_id, name, price_fen, status, created_at) "
        "VALUES ($1, $2, $3, $4, 'pending', $5)";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, it->id);
    ps_db_bind_text(s, 2, it->order_id);
    ps_db_bind_text(s, 3, it->name);
    ps_db_bind_int64(s, 4, it->price_fen);
    ps_db_bind_int64(s, 5, now);
    return ps_db_run(s, NULL);
}

int orders_store_item_get(struct ps_db_conn *c, const char *order_id, const char *item_id,
                          struct extra_item *out)
{
    static const char sql[] =
        "SELECT id, order_id, name, price_fen, status FROM order_extra_items "
        "WHERE id = $1 AND order_id = $2";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, item_id);
    ps_db_bind_text(s, 2, order_id);
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW) {
        copy_col(s, 0, out->id, sizeof out->id);
        copy_col(s, 1, out->order_id, sizeof out->order_id);
        copy_col(s, 2, out->name, sizeof out->name);
        out->price_fen = ps_db_col_int64(s, 3);
        copy_col(s, 4, out->status, sizeof out->status);
    }
    ps_db_reset(s);
    if (rc == PS_DB_DONE)
        return PS_E_NOT_FOUND;
    return rc == PS_DB_ROW ? 0 : ps_db_err_to_ps(rc);
}

int orders_store_item_decide(struct ps_db_conn *c, const char *item_id, const char *status,
                             int64_t now)
{
    static const char sql[] =
        "UPDATE order_extra_items SET status = $2, decided_at = $3 "
        "WHERE id = $1 AND status = 'pending'";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, item_id);
    ps_db_bind_text(s, 2, status);
    ps_db_bind_int64(s, 3, now);
    int64_t n = 0;
    rc = ps_db_run(s, &n);
    if (rc)
        return rc;
    return n == 1 ? 0 : PS_E_INVALID_STATE;
}

int orders_store_items(struct ps_db_conn *c, const char *order_id, json_t *out)
{
    static const char sql[] =
        "SELECT id, name, price_fen, status, created_at, decided_at FROM order_extra_items "
        "WHERE order_id = $1 ORDER BY id LIMIT 200";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, order_id);
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        json_t *it = json_pack("{s:s, s:s, s:I, s:s, s:o}", "id", ps_db_col_text(s, 0),
                               "name", ps_db_col_text(s, 1),
                               "price_fen", (json_int_t)ps_db_col_int64(s, 2),
                               "status", ps_db_col_text(s, 3),
                               "created_at", orders_view_time(ps_db_col_int64(s, 4)));
        if (!ps_db_col_is_null(s, 5))
            json_object_set_new(it, "decided_at", orders_view_time(ps_db_col_int64(s, 5)));
        json_array_append_new(out, it);
    }
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int orders_store_pending_items(struct ps_db_conn *c, const char *order_id, int *n)
{
    static const char sql[] =
        "SELECT COUNT(*) FROM order_extra_items WHERE order_id = $1 AND status = 'pending'";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, order_id);
    rc = ps_db_step(s);
    *n = rc == PS_DB_ROW ? (int)ps_db_col_int64(s, 0) : 0;
    ps_db_reset(s);
    return rc == PS_DB_ROW ? 0 : ps_db_err_to_ps(rc);
}

int orders_store_record_insert(struct ps_db_conn *c, const struct order_row *o,
                               const char *service_date, const char *record_json,
                               int64_t leaf_index, int64_t now)
{
    static const char sql[] =
        "INSERT INTO order_service_records (order_id, vehicle_id, provider_id, service_type, "
        "service_date, odometer_km, record, leaf_index, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, o->id);
    ps_db_bind_text(s, 2, o->vehicle_id);
    ps_db_bind_text(s, 3, o->provider_id);
    ps_db_bind_text(s, 4, o->service_type);
    ps_db_bind_text(s, 5, service_date);
    ps_db_bind_int64(s, 6, o->odometer_km);
    ps_db_bind_text(s, 7, record_json);
    ps_db_bind_int64(s, 8, leaf_index);
    ps_db_bind_int64(s, 9, now);
    return ps_db_run(s, NULL);
}
