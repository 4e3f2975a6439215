/* SQL of the vehicles module: vehicles, odometer, alerts, fuel and charge logs, service
 * records and devices. Every statement is a literal, prepared once per connection and bound;
 * lists page by id (ids sort by creation time). */
#include "vehicles/vehicles_store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/log.h"
#include "vehicles/consumption.h"
#include "vehicles/vehicles_records.h"

#define PREP(c, sql, s)                                  \
    do {                                                 \
        int prc_ = ps_db_prepare((c), (sql), &(s));      \
        if (prc_)                                        \
            return ps_db_err_to_ps(prc_);                \
    } while (0)

static void bind_opt_text(struct ps_db_stmt *s, int i, const char *v)
{
    ps_db_bind_text(s, i, v && *v ? v : NULL);
}

static void copy_col(char *dst, size_t cap, struct ps_db_stmt *s, int col)
{
    const char *v = ps_db_col_text(s, col);
    snprintf(dst, cap, "%s", v ? v : "");
}

static double col_opt_double(struct ps_db_stmt *s, int col)
{
    return ps_db_col_is_null(s, col) ? NAN : ps_db_col_double(s, col);
}

/* The first page starts above every id: ids use lower-case base32, '~' sorts after them. */
static const char *page_start(const char *cursor) { return cursor && *cursor ? cursor : "~"; }

static json_t *time_json(int64_t ms)
{
    char t[32];
    ps_format_time_ms(ms, t);
    return json_string(t);
}

static json_t *opt_int_json(struct ps_db_stmt *s, int col)
{
    return ps_db_col_is_null(s, col) ? json_null() : json_integer(ps_db_col_int64(s, col));
}

static json_t *opt_real_json(struct ps_db_stmt *s, int col)
{
    return ps_db_col_is_null(s, col) ? json_null() : json_real(ps_db_col_double(s, col));
}

static json_t *opt_text_json(struct ps_db_stmt *s, int col)
{
    const char *v = ps_db_col_text(s, col);
    return v ? json_string(v) : json_null();
}

/* --- vehicles ----------------------------------------------------------------------- */

#define VEHICLE_COLS                                                                          \
    "id, owner_id, vin, COALESCE(plate, ''), COALESCE(nickname, ''), make, model, "           \
    "COALESCE(manufacturer, ''), COALESCE(country, ''), COALESCE(model_year, 0), fuel_type, " \
    "COALESCE(seats, 0), usage, COALESCE(registration_date, ''), "                            \
    "COALESCE(insurance_expiry, ''), odometer_km, odometer_at, fuel_level_pct, "              \
    "battery_soc_pct, battery_soh_pct, coolant_temp_c, voltage, COALESCE(telemetry_at, 0), "  \
    "created_at, updated_at"

static void read_vehicle(struct ps_db_stmt *s, struct vehicle_row *v)
{
    memset(v, 0, sizeof *v);
    copy_col(v->b.id, sizeof v->b.id, s, 0);
    copy_col(v->b.owner_id, sizeof v->b.owner_id, s, 1);
    copy_col(v->b.vin, sizeof v->b.vin, s, 2);
    copy_col(v->b.plate, sizeof v->b.plate, s, 3);
    copy_col(v->nickname, sizeof v->nickname, s, 4);
    copy_col(v->b.make, sizeof v->b.make, s, 5);
    copy_col(v->b.model, sizeof v->b.model, s, 6);
    copy_col(v->manufacturer, sizeof v->manufacturer, s, 7);
    copy_col(v->country, sizeof v->country, s, 8);
    v->b.model_year = (int)ps_db_col_int64(s, 9);
    copy_col(v->b.fuel_type, sizeof v->b.fuel_type, s, 10);
    v->seats = (int)ps_db_col_int64(s, 11);
    copy_col(v->usage, sizeof v->usage, s, 12);
    v->b.commercial = strcmp(v->usage, "commercial") == 0;
    copy_col(v->b.registration_date, sizeof v->b.registration_date, s, 13);
    copy_col(v->insurance_expiry, sizeof v->insurance_expiry, s, 14);
    v->b.odometer_km = ps_db_col_int64(s, 15);
    v->odometer_at = ps_db_col_int64(s, 16);
    v->fuel_level_pct = col_opt_double(s, 17);
    v->battery_soc_pct = col_opt_double(s, 18);
    v->battery_soh_pct = col_opt_double(s, 19);
    v->coolant_temp_c = col_opt_double(s, 20);
    v->voltage = col_opt_double(s, 21);
    v->telemetry_at = ps_db_col_int64(s, 22);
    v->created_at = ps_db_col_int64(s, 23);
    v->updated_at = ps_db_col_int64(s, 24);
}

static int insert_reading(struct ps_db_conn *c, const char *vehicle_id, int64_t km,
                          int64_t recorded_at, const char *source, int64_t now)
{
    static const char sql[] =
        "INSERT INTO vehicle_odometer (id, vehicle_id, km, recorded_at, source, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)";
    struct ps_db_stmt *s;
    char id[PS_ID_LEN + 1];
    ps_id_new(id);
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, vehicle_id);
    ps_db_bind_int64(s, 3, km);
    ps_db_bind_int64(s, 4, recorded_at);
    ps_db_bind_text(s, 5, source);
    ps_db_bind_int64(s, 6, now);
    return ps_db_run(s, NULL);
}

int vstore_insert(struct ps_db_conn *c, const struct vehicle_row *v)
{
    static const char sql[] =
        "INSERT INTO vehicles (id, owner_id, vin, plate, nickname, make, model, manufacturer, "
        "country, model_year, fuel_type, seats, usage, registration_date, insurance_expiry, "
        "odometer_km, odometer_at, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
    struct ps_db_stmt *s;
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, v->b.id);
    ps_db_bind_text(s, 2, v->b.owner_id);
    ps_db_bind_text(s, 3, v->b.vin);
    bind_opt_text(s, 4, v->b.plate);
    bind_opt_text(s, 5, v->nickname);
    ps_db_bind_text(s, 6, v->b.make);
    ps_db_bind_text(s, 7, v->b.model);
    bind_opt_text(s, 8, v->manufacturer);
    bind_opt_text(s, 9, v->country);
    if (v->b.model_year)
        ps_db_bind_int64(s, 10, v->b.model_year);
    else
        ps_db_bind_null(s, 10);
    ps_db_bind_text(s, 11, v->b.fuel_type);
    if (v->seats)
        ps_db_bind_int64(s, 12, v->seats);
    else
        ps_db_bind_null(s, 12);
    ps_db_bind_text(s, 13, v->usage);
    bind_opt_text(s, 14, v->b.registration_date);
    bind_opt_text(s, 15, v->insurance_expiry);
    ps_db_bind_int64(s, 16, v->b.odometer_km);
    ps_db_bind_int64(s, 17, v->odometer_at);
    ps_db_bind_int64(s, 18, v->created_at);
    ps_db_bind_int64(s, 19, v->updated_at);
    int rc = ps_db_run(s, NULL);
    if (rc)
        return rc;
    return insert_reading(c, v->b.id, v->b.odometer_km, v->odometer_at, "owner", v->created_at);
}

int vstore_load(struct ps_db_conn *c, const char *owner_id, const char *id, struct vehicle_row *out)
{
    static const char by_owner[] =
        "SELECT " VEHICLE_COLS " FROM vehicles WHERE id = $1 AND owner_id = $2 AND active = 1";
    static const char any_owner[] =
        "SELECT " VEHICLE_COLS " FROM vehicles WHERE id = $1 AND active = 1";
    struct ps_db_stmt *s;
    PREP(c, owner_id ? by_owner : any_owner, s);
    ps_db_bind_text(s, 1, id);
    if (owner_id)
        ps_db_bind_text(s, 2, owner_id);
    int rc = ps_db_step(s);
    if (rc == PS_DB_ROW)
        read_vehicle(s, out);
    ps_db_reset(s);
    if (rc == PS_DB_ROW)
        return 0;
    return rc == PS_DB_DONE ? PS_E_NOT_FOUND : ps_db_err_to_ps(rc);
}

int vstore_list(struct ps_db_conn *c, const char *owner_id, const char *cursor, int limit,
                void (*each)(const struct vehicle_row *v, void *ctx), void *ctx, bool *more)
{
    static const char sql[] =
        "SELECT " VEHICLE_COLS " FROM vehicles WHERE owner_id = $1 AND active = 1 AND id < $2 "
        "ORDER BY id DESC LIMIT $3";
    struct ps_db_stmt *s;
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, owner_id);
    ps_db_bind_text(s, 2, page_start(cursor));
    ps_db_bind_int64(s, 3, limit + 1);
    int rc, n = 0;
    *more = false;
    struct vehicle_row v;
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        if (n == limit) {
            *more = true;
            break;
        }
        read_vehicle(s, &v);
        each(&v, ctx);
        n++;
    }
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int vstore_update(struct ps_db_conn *c, const struct vehicle_row *v, int64_t now)
{
    static const char sql[] =
        "UPDATE vehicles SET plate = $3, nickname = $4, make = $5, model = $6, fuel_type = $7, "
        "seats = $8, usage = $9, registration_date = $10, insurance_expiry = $11, updated_at = $12 "
        "WHERE id = $1 AND owner_id = $2 AND active = 1";
    struct ps_db_stmt *s;
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, v->b.id);
    ps_db_bind_text(s, 2, v->b.owner_id);
    bind_opt_text(s, 3, v->b.plate);
    bind_opt_text(s, 4, v->nickname);
    ps_db_bind_text(s, 5, v->b.make);
    ps_db_bind_text(s, 6, v->b.model);
    ps_db_bind_text(s, 7, v->b.fuel_type);
    if (v->seats)
        ps_db_bind_int64(s, 8, v->seats);
    else
        ps_db_bind_null(s, 8);
    ps_db_bind_text(s, 9, v->usage);
    bind_opt_text(s, 10, v->b.registration_date);
    bind_opt_text(s, 11, v->insurance_expiry);
    ps_db_bind_int64(s, 12, now);
    int rc = ps_db_step(s);
    int64_t changed = ps_db_changes(s);
    ps_db_reset(s);
    if (rc != PS_DB_DONE)
        return ps_db_err_to_ps(rc);
    return changed == 1 ? 0 : PS_E_NOT_FOUND;
}

int vstore_remove(struct ps_db_conn *c, const char *owner_id, const char *id, int64_t now)
{
    static const char sql[] =
        "UPDATE vehicles SET active = 0, removed_at = $3, updated_at = $3 "
        "WHERE id = $1 AND owner_id = $2 AND active = 1";
    static const char revoke[] =
        "UPDATE vehicle_devices SET revoked_at = $2 WHERE vehicle_id = $1 AND revoked_at IS NULL";
    struct ps_db_stmt *s;
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, owner_id);
    ps_db_bind_int64(s, 3, now);
    int rc = ps_db_step(s);
    int64_t changed = ps_db_changes(s);
    ps_db_reset(s);
    if (rc != PS_DB_DONE)
        return ps_db_err_to_ps(rc);
    if (changed != 1)
        return PS_E_NOT_FOUND;
    PREP(c, revoke, s);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_int64(s, 2, now);
    return ps_db_run(s, NULL);
}

/* --- odometer and alerts ------------------------------------------------------------ */

int vstore_add_alert(struct ps_db_conn *c, const char *vehicle_id, const char *kind,
                     const char *title, const char *detail_json)
{
    static const char sql[] =
        "INSERT INTO vehicle_alerts (id, vehicle_id, kind, title, detail, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)";
    struct ps_db_stmt *s;
    char id[PS_ID_LEN + 1];
    ps_id_new(id);
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, vehicle_id);
    ps_db_bind_text(s, 3, kind);
    ps_db_bind_text(s, 4, title);
    ps_db_bind_text(s, 5, detail_json ? detail_json : "{}");
    ps_db_bind_int64(s, 6, ps_now_ms());
    return ps_db_run(s, NULL);
}

int vstore_record_odometer(struct ps_db_conn *c, const char *vehicle_id, int64_t km,
                           int64_t recorded_at, const char *source, int64_t *current_km)
{
    static const char current[] = "SELECT odometer_km FROM vehicles WHERE id = $1 AND active = 1";
    static const char advance[] =
        "UPDATE vehicles SET odometer_km = $2, odometer_at = $3, updated_at = $4 WHERE id = $1";
    struct ps_db_stmt *s;
    PREP(c, current, s);
    ps_db_bind_text(s, 1, vehicle_id);
    int rc = ps_db_step(s);
    int64_t cur = rc == PS_DB_ROW ? ps_db_col_int64(s, 0) : 0;
    ps_db_reset(s);
    if (rc != PS_DB_ROW)
        return rc == PS_DB_DONE ? PS_E_NOT_FOUND : ps_db_err_to_ps(rc);
    if (current_km)
        *current_km = cur;
    if (km < cur) {
        /* Refused, but remembered: a rollback is what odometer fraud looks like. */
        char title[160], detail[256];
        snprintf(title, sizeof title, "Odometer reading of %lld km refused: below the current %lld km",
                 (long long)km, (long long)cur);
        snprintf(detail, sizeof detail, "{\"attempted_km\":%lld,\"current_km\":%lld,\"source\":\"%s\"}",
                 (long long)km, (long long)cur, source);
        rc = vstore_add_alert(c, vehicle_id, "odometer_rollback", title, detail);
        return rc ? rc : PS_E_VALIDATION;
    }
    int64_t now = ps_now_ms();
    rc = insert_reading(c, vehicle_id, km, recorded_at, source, now);
    if (rc)
        return rc;
    PREP(c, advance, s);
    ps_db_bind_text(s, 1, vehicle_id);
    ps_db_bind_int64(s, 2, km);
    ps_db_bind_int64(s, 3, recorded_at);
    ps_db_bind_int64(s, 4, now);
    return ps_db_run(s, NULL);
}

/* --- lists -------------------------------------------------------------------------- */

typedef json_t *(*row_to_json)(struct ps_db_stmt *s);

/* Shared keyset paging: sql selects id first and takes ($1 vehicle, $2 cursor, $3 limit). */
static int list_rows(struct ps_db_conn *c, const char *sql, const char *vehicle_id,
                     const char *cursor, int limit, row_to_json conv, json_t *items, bool *more)
{
    struct ps_db_stmt *s;
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, vehicle_id);
    ps_db_bind_text(s, 2, page_start(cursor));
    ps_db_bind_int64(s, 3, limit + 1);
    int rc, n = 0;
    *more = false;
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        if (n == limit) {
            *more = true;
            break;
        }
        json_array_append_new(items, conv(s));
        n++;
    }
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

static json_t *odometer_json(struct ps_db_stmt *s)
{
    return json_pack("{s:s, s:I, s:o, s:s}", "id", ps_db_col_text(s, 0),
                     "km", (json_int_t)ps_db_col_int64(s, 1),
                     "recorded_at", time_json(ps_db_col_int64(s, 2)),
                     "source", ps_db_col_text(s, 3));
}

int vstore_list_odometer(struct ps_db_conn *c, const char *vehicle_id, const char *cursor, int limit, json_t *items, bool *more)
{
    static const char sql[] =
        "SELECT id, km, recorded_at, source FROM vehicle_odometer WHERE vehicle_id = $1 AND id < $2 "
        "ORDER BY id DESC LIMIT $3";
    return list_rows(c, sql, vehicle_id, cursor, limit, odometer_json, items, more);
}

static json_t *alert_json(struct ps_db_stmt *s)
{
    json_t *detail = json_loads(ps_db_col_text(s, 3), 0, NULL);
    return json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", ps_db_col_text(s, 0),
                     "kind", ps_db_col_text(s, 1), "title", ps_db_col_text(s, 2),
                     "detail", detail ? detail : json_object(),
                     "created_at", time_json(ps_db_col_int64(s, 4)));
}

int vstore_list_alerts(struct ps_db_conn *c, const char *vehicle_id, const char *cursor, int limit, json_t *items, bool *more)
{
    static const char sql[] =
        "SELECT id, kind, title, detail, created_at FROM vehicle_alerts WHERE vehicle_id = $1 "
        "AND id < $2 ORDER BY id DESC LIMIT $3";
    return list_rows(c, sql, vehicle_id, cursor, limit, alert_json, items, more);
}

#define FUEL_COLS "id, liters, price_fen, odometer_km, full_tank, l_per_100km, logged_at, created_at"

static json_t *fuel_json(struct ps_db_stmt *s)
{
    return json_pack("{s:s, s:f, s:I, s:I, s:b, s:o, s:o, s:o}", "id", ps_db_col_text(s, 0),
                     "liters", ps_db_col_double(s, 1),
                     "price_fen", (json_int_t)ps_db_col_int64(s, 2),
                     "odometer_km", (json_int_t)ps_db_col_int64(s, 3),
                     "full_tank", ps_db_col_int64(s, 4) != 0,
                     "l_per_100km", opt_real_json(s, 5),
                     "logged_at", time_json(ps_db_col_int64(s, 6)),
                     "created_at", time_json(ps_db_col_int64(s, 7)));
}

int vstore_list_fuel(struct ps_db_conn *c, const char *vehicle_id, const char *cursor, int limit, json_t *items, bool *more)
{
    static const char sql[] =
        "SELECT " FUEL_COLS " FROM fuel_logs WHERE vehicle_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";
    return list_rows(c, sql, vehicle_id, cursor, limit, fuel_json, items, more);
}

#define CHARGE_COLS "id, kwh, price_fen, odometer_km, kwh_per_100km, logged_at, created_at"

static json_t *charge_json(struct ps_db_stmt *s)
{
    return json_pack("{s:s, s:f, s:I, s:I, s:o, s:o, s:o}", "id", ps_db_col_text(s, 0),
                     "kwh", ps_db_col_double(s, 1),
                     "price_fen", (json_int_t)ps_db_col_int64(s, 2),
                     "odometer_km", (json_int_t)ps_db_col_int64(s, 3),
                     "kwh_per_100km", opt_real_json(s, 4),
                     "logged_at", time_json(ps_db_col_int64(s, 5)),
                     "created_at", time_json(ps_db_col_int64(s, 6)));
}

int vstore_list_charges(struct ps_db_conn *c, const char *vehicle_id, const char *cursor, int limit, json_t *items, bool *more)
{
    static const char sql[] =
        "SELECT " CHARGE_COLS " FROM charge_logs WHERE vehicle_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";
    return list_rows(c, sql, vehicle_id, cursor, limit, charge_json, items, more);
}

#define RECORD_COLS                                                                          \
    "id, source, service_type, title, service_date, odometer_km, cost_fen, provider_id, "    \
    "provider_name, order_id, leaf_index, notes, created_at"

static json_t *record_json(struct ps_db_stmt *s)
{
    bool verified = strcmp(ps_db_col_text(s, 1), "order") == 0 && !ps_db_col_is_null(s, 10);
    return json_pack("{s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o}",
                     "id", ps_db_col_text(s, 0), "source", ps_db_col_text(s, 1),
                     "service_type", opt_text_json(s, 2), "title", ps_db_col_text(s, 3),
                     "date", ps_db_col_text(s, 4), "odometer_km", opt_int_json(s, 5),
                     "cost_fen", opt_int_json(s, 6), "provider_id", opt_text_json(s, 7),
                     "provider_name", opt_text_json(s, 8), "order_id", opt_text_json(s, 9),
                     "leaf_index", opt_int_json(s, 10), "notes", opt_text_json(s, 11),
                     "verified", verified, "created_at", time_json(ps_db_col_int64(s, 12)));
}

int vstore_list_service_records(struct ps_db_conn *c, const char *vehicle_id, const char *cursor, int limit, json_t *items, bool *more)
{
    static const char sql[] =
        "SELECT " RECORD_COLS " FROM service_records WHERE vehicle_id = $1 AND id < $2 "
        "ORDER BY id DESC LIMIT $3";
    return list_rows(c, sql, vehicle_id, cursor, limit, record_json, items, more);
}

static json_t *device_json(struct ps_db_stmt *s)
{
    return json_pack("{s:s, s:o, s:o, s:o, s:b}", "device_id", ps_db_col_text(s, 0),
                     "name", opt_text_json(s, 1), "created_at", time_json(ps_db_col_int64(s, 2)),
                     "last_seen_at", ps_db_col_is_null(s, 3) ? json_null() : time_json(ps_db_col_int64(s, 3)),
                     "revoked", !ps_db_col_is_null(s, 4));
}

int vstore_list_devices(struct ps_db_conn *c, const char *vehicle_id, const char *cursor, int limit, json_t *items, bool *more)
{
    static const char sql[] =
        "SELECT id, name, created_at, last_seen_at, revoked_at FROM vehicle_devices "
        "WHERE vehicle_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";
    return list_rows(c, sql, vehicle_id, cursor, limit, device_json, items, more);
}

/* Re-reads one row just written, for the 201 answer. */
static int fetch_one(struct ps_db_conn *c, const char *sql, const char *id, row_to_json conv, json_t **out)
{
    struct ps_db_stmt *s;
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, id);
    int rc = ps_db_step(s);
    if (rc == PS_DB_ROW)
        *out = conv(s);
    ps_db_reset(s);
    return rc == PS_DB_ROW ? 0 : rc == PS_DB_DONE ? PS_E_NOT_FOUND : ps_db_err_to_ps(rc);
}

/* --- fuel and charge logs ----------------------------------------------------------- */

#define FUEL_WINDOW 64   /* partial fills looked back over to find the previous full tank */

int vstore_add_fuel(struct ps_db_conn *c, const char *vehicle_id, const struct fuel_log_in *in, json_t **out)
{
    static const char recent[] =
        "SELECT odometer_km, liters, full_tank FROM fuel_logs WHERE vehicle_id = $1 "
        "ORDER BY odometer_km DESC, id DESC LIMIT 64";
    static const char insert[] =
        "INSERT INTO fuel_logs (id, vehicle_id, liters, price_fen, odometer_km, full_tank, "
        "l_per_100km, logged_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    static const char one[] = "SELECT " FUEL_COLS " FROM fuel_logs WHERE id = $1";
    struct fuel_fill fills[FUEL_WINDOW + 1];
    int n = 0, rc;
    bool found_full = false;
    struct ps_db_stmt *s;
    PREP(c, recent, s);
    ps_db_bind_text(s, 1, vehicle_id);
    /* Newest first: collect back to (and including) the previous full tank. */
    while ((rc = ps_db_step(s)) == PS_DB_ROW && n < FUEL_WINDOW && !found_full) {
        fills[n].odometer_km = ps_db_col_int64(s, 0);
        fills[n].liters = ps_db_col_double(s, 1);
        fills[n].full_tank = ps_db_col_int64(s, 2) != 0;
        found_full = fills[n].full_tank;
        n++;
    }
    ps_db_reset(s);
    if (rc < 0)
        return ps_db_err_to_ps(rc);
    if (n > 0 && in->odometer_km < fills[0].odometer_km)
        return PS_E_VALIDATION;
    double l100 = NAN;
    if (in->full_tank && found_full) {
        /* Oldest first, then the new fill. */
        struct fuel_fill ordered[FUEL_WINDOW + 1];
        for (int i = 0; i < n; i++)
            ordered[i] = fills[n - 1 - i];
        ordered[n] = (struct fuel_fill){ in->odometer_km, in->liters, true };
        double v;
        if (fuel_l_per_100km(ordered, (size_t)n + 1, &v))
            l100 = v;
    }
    char id[PS_ID_LEN + 1];
    ps_id_new(id);
    PREP(c, insert, s);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, vehicle_id);
    ps_db_bind_double(s, 3, in->liters);
    ps_db_bind_int64(s, 4, in->price_fen);
    ps_db_bind_int64(s, 5, in->odometer_km);
    ps_db_bind_int64(s, 6, in->full_tank ? 1 : 0);
    if (isnan(l100))
        ps_db_bind_null(s, 7);
    else
        ps_db_bind_double(s, 7, l100);
    ps_db_bind_int64(s, 8, in->logged_at);
    ps_db_bind_int64(s, 9, ps_now_ms());
    rc = ps_db_run(s, NULL);
    return rc ? rc : fetch_one(c, one, id, fuel_json, out);
}

int vstore_add_charge(struct ps_db_conn *c, const char *vehicle_id, const struct charge_log_in *in, json_t **out)
{
    static const char previous[] =
        "SELECT odometer_km FROM charge_logs WHERE vehicle_id = $1 ORDER BY odometer_km DESC, id DESC LIMIT 1";
    static const char insert[] =
        "INSERT INTO charge_logs (id, vehicle_id, kwh, price_fen, odometer_km, kwh_per_100km, "
        "logged_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    static const char one[] = "SELECT " CHARGE_COLS " FROM charge_logs WHERE id = $1";
    struct ps_db_stmt *s;
    PREP(c, previous, s);
    ps_db_bind_text(s, 1, vehicle_id);
    int rc = ps_db_step(s);
    bool has_prev = rc == PS_DB_ROW;
    int64_t prev = has_prev ? ps_db_col_int64(s, 0) : 0;
    ps_db_reset(s);
    if (rc < 0)
        return ps_db_err_to_ps(rc);
    if (has_prev && in->odometer_km < prev)
        return PS_E_VALIDATION;
    double per100 = NAN, v;
    if (has_prev && charge_kwh_per_100km(prev, in->kwh, in->odometer_km, &v))
        per100 = v;
    char id[PS_ID_LEN + 1];
    ps_id_new(id);
    PREP(c, insert, s);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, vehicle_id);
    ps_db_bind_double(s, 3, in->kwh);
    ps_db_bind_int64(s, 4, in->price_fen);
    ps_db_bind_int64(s, 5, in->odometer_km);
    if (isnan(per100))
        ps_db_bind_null(s, 6);
    else
        ps_db_bind_double(s, 6, per100);
    ps_db_bind_int64(s, 7, in->logged_at);
    ps_db_bind_int64(s, 8, ps_now_ms());
    rc = ps_db_run(s, NULL);
    return rc ? rc : fetch_one(c, one, id, charge_json, out);
}

/* --- service records ---------------------------------------------------------------- */

int vstore_add_service_record(struct ps_db_conn *c, const char *vehicle_id,
                              const struct service_record_in *in, json_t **out)
{
    static const char insert[] =
        "INSERT INTO service_records (id, vehicle_id, source, service_type, title, service_date, "
        "odometer_km, cost_fen, provider_id, provider_name, order_id, leaf_index, notes, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
        "ON CONFLICT (order_id) DO NOTHING";   /* an order's record is added once */
    static const char one[] = "SELECT " RECORD_COLS " FROM service_records WHERE id = $1";
    struct ps_db_stmt *s;
    char id[PS_ID_LEN + 1];
    ps_id_new(id);
    PREP(c, insert, s);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, vehicle_id);
    ps_db_bind_text(s, 3, in->source);
    bind_opt_text(s, 4, in->service_type);
    ps_db_bind_text(s, 5, in->title);
    ps_db_bind_text(s, 6, in->date);
    if (in->odometer_km >= 0)
        ps_db_bind_int64(s, 7, in->odometer_km);
    else
        ps_db_bind_null(s, 7);
    if (in->cost_fen >= 0)
        ps_db_bind_int64(s, 8, in->cost_fen);
    else
        ps_db_bind_null(s, 8);
    bind_opt_text(s, 9, in->provider_id);
    bind_opt_text(s, 10, in->provider_name);
    bind_opt_text(s, 11, in->order_id);
    if (in->leaf_index >= 0)
        ps_db_bind_int64(s, 12, in->leaf_index);
    else
        ps_db_bind_null(s, 12);
    bind_opt_text(s, 13, in->notes);
    ps_db_bind_int64(s, 14, ps_now_ms());
    int rc = ps_db_run(s, NULL);
    if (rc || !out)
        return rc;
    return fetch_one(c, one, id, record_json, out);
}

int vstore_last_services(struct ps_db_conn *c, const char *vehicle_id,
                         void (*each)(const char *type, const char *date, int64_t km, void *ctx), void *ctx)
{
    /* Newest first; the caller keeps the first row of each type. */
    static const char sql[] =
        "SELECT service_type, service_date, odometer_km FROM service_records "
        "WHERE vehicle_id = $1 AND service_type IS NOT NULL ORDER BY service_date DESC, id DESC LIMIT 1000";
    struct ps_db_stmt *s;
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, vehicle_id);
    int rc;
    while ((rc = ps_db_step(s)) == PS_DB_ROW)
        each(ps_db_col_text(s, 0), ps_db_col_text(s, 1),
             ps_db_col_is_null(s, 2) ? -1 : ps_db_col_int64(s, 2), ctx);
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int vstore_active_dtcs(struct ps_db_conn *c, const char *vehicle_id, char (*codes)[8], int max, int *n)
{
    static const char sql[] =
        "SELECT code FROM vehicle_dtcs WHERE vehicle_id = $1 AND active = 1 ORDER BY code";
    struct ps_db_stmt *s;
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, vehicle_id);
    int rc;
    *n = 0;
    while ((rc = ps_db_step(s)) == PS_DB_ROW && *n < max) {
        copy_col(codes[*n], 8, s, 0);
        (*n)++;
    }
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

/* --- devices ------------------------------------------------------------------------ */

int vstore_add_device(struct ps_db_conn *c, const char *vehicle_id, const char *device_id,
                      const char *name, const char *token_hash, int64_t now)
{
    static const char sql[] =
        "INSERT INTO vehicle_devices (id, vehicle_id, name, token_hash, created_at) "
        "VALUES ($1, $2, $3, $4, $5)";
    struct ps_db_stmt *s;
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, device_id);
    ps_db_bind_text(s, 2, vehicle_id);
    bind_opt_text(s, 3, name);
    ps_db_bind_text(s, 4, token_hash);
    ps_db_bind_int64(s, 5, now);
    return ps_db_run(s, NULL);
}

int vstore_revoke_device(struct ps_db_conn *c, const char *vehicle_id, const char *device_id, int64_t now)
{
    static const char sql[] =
        "UPDATE vehicle_devices SET revoked_at = $3 WHERE id = $1 AND vehicle_id = $2 AND revoked_at IS NULL";
    struct ps_db_stmt *s;
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, device_id);
    ps_db_bind_text(s, 2, vehicle_id);
    ps_db_bind_int64(s, 3, now);
    int rc = ps_db_step(s);
    int64_t changed = ps_db_changes(s);
    ps_db_reset(s);
    if (rc != PS_DB_DONE)
        return ps_db_err_to_ps(rc);
    return changed == 1 ? 0 : PS_E_NOT_FOUND;
}

/* --- the cross-module contract (vehicles_api.h) -------------------------------------- */

int vehicles_load_owned(struct ps_db_conn *c, const char *owner_id, const char *vehicle_id,
                        struct vehicle_brief *out)
{
    struct vehicle_row v;
    if (!owner_id || !vehicle_id || !ps_id_valid(vehicle_id))
        return PS_E_NOT_FOUND;
    int rc = vstore_load(c, owner_id, vehicle_id, &v);
    if (rc == 0)
        *out = v.b;
    return rc;
}

int vehicles_load(struct ps_db_conn *c, const char *vehicle_id, struct vehicle_brief *out)
{
    struct vehicle_row v;
    if (!vehicle_id || !ps_id_valid(vehicle_id))
        return PS_E_NOT_FOUND;
    int rc = vstore_load(c, NULL, vehicle_id, &v);
    if (rc == 0)
        *out = v.b;
    return rc;
}

int vehicles_record_odometer(struct ps_db_conn *c, const char *vehicle_id, int64_t km,
                             const char *source)
{
    return vstore_record_odometer(c, vehicle_id, km, ps_now_ms(), source, NULL);
}

int vehicles_add_order_record(struct ps_db_conn *c, const char *vehicle_id, const char *order_id,
                              const char *service_type, const char *title, const char *date,
                              int64_t odometer_km, int64_t cost_fen, const char *provider_id,
                              const char *provider_name, int64_t leaf_index)
{
    struct vehicle_row v;
    int rc = vstore_load(c, NULL, vehicle_id, &v);
    if (rc)
        return rc;
    struct service_record_in in = {
        .source = "order", .service_type = service_type, .title = title && *title ? title : service_type,
        .date = date, .odometer_km = odometer_km, .cost_fen = cost_fen, .provider_id = provider_id,
        .provider_name = provider_name, .order_id = order_id, .leaf_index = leaf_index,
    };
    rc = vstore_add_service_record(c, vehicle_id, &in, NULL);
    if (rc == 0 && odometer_km > v.b.odometer_km)
        rc = vstore_record_odometer(c, vehicle_id, odometer_km, ps_now_ms(), "service", NULL);
    return rc;
}
