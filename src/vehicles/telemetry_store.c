/* SQL of telemetry ingest. Readings go in with one prepared INSERT run per reading on SQLite
 * (in-process, no round trips) and one INSERT ... SELECT FROM unnest(arrays) per batch on
 * PostgreSQL (one round trip); the rest of the batch is a handful of statements. */
#include "vehicles/telemetry_store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "notifications/notify.h"
#include "vehicles/vehicles_internal.h"

#define PREP(c, sql, s)                                  \
    do {                                                 \
        int prc_ = ps_db_prepare((c), (sql), &(s));      \
        if (prc_)                                        \
            return ps_db_err_to_ps(prc_);                \
    } while (0)

#define ARRAY_TEXT_MAX (4 * 1024 * 1024)

static void bind_opt_double(struct ps_db_stmt *s, int i, double v)
{
    if (isnan(v))
        ps_db_bind_null(s, i);
    else
        ps_db_bind_double(s, i, v);
}

int telemetry_find_device(struct ps_db_conn *c, const char *token_hash, char device_id[27],
                          char vehicle_id[27], char owner_id[27])
{
    static const char sql[] =
        "SELECT d.id, d.vehicle_id, v.owner_id FROM vehicle_devices d "
        "JOIN vehicles v ON v.id = d.vehicle_id "
        "WHERE d.token_hash = $1 AND d.revoked_at IS NULL AND v.active = 1";
    struct ps_db_stmt *s;
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, token_hash);
    int rc = ps_db_step(s);
    if (rc == PS_DB_ROW) {
        snprintf(device_id, 27, "%s", ps_db_col_text(s, 0));
        snprintf(vehicle_id, 27, "%s", ps_db_col_text(s, 1));
        snprintf(owner_id, 27, "%s", ps_db_col_text(s, 2));
    }
    ps_db_reset(s);
    return rc == PS_DB_ROW ? 0 : rc == PS_DB_DONE ? PS_E_NOT_FOUND : ps_db_err_to_ps(rc);
}

static int insert_sqlite(struct ps_db_conn *c, const struct telemetry_batch *b)
{
    static const char sql[] =
        "INSERT INTO telemetry_readings (vehicle_id, device_id, reading_at, odometer_km, "
        "fuel_level_pct, battery_soc_pct, battery_soh_pct, coolant_temp_c, voltage, dtcs) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    for (int i = 0; i < b->n; i++) {
        const struct telemetry_reading *t = &b->readings[i];
        struct ps_db_stmt *s;
        PREP(c, sql, s);
        ps_db_bind_text(s, 1, b->vehicle_id);
        ps_db_bind_text(s, 2, b->device_id);
        ps_db_bind_int64(s, 3, t->at);
        if (t->odometer_km >= 0)
            ps_db_bind_int64(s, 4, t->odometer_km);
        else
            ps_db_bind_null(s, 4);
        bind_opt_double(s, 5, t->fuel_level_pct);
        bind_opt_double(s, 6, t->battery_soc_pct);
        bind_opt_double(s, 7, t->battery_soh_pct);
        bind_opt_double(s, 8, t->coolant_temp_c);
        bind_opt_double(s, 9, t->voltage);
        ps_db_bind_text(s, 10, t->ndtcs >= 0 ? t->dtcs : NULL);
        int rc = ps_db_step(s);
        ps_db_reset(s);
        if (rc != PS_DB_DONE)
            return ps_db_err_to_ps(rc);
    }
    return 0;
}

/* PostgreSQL array literals, one per column: {1,NULL,3}. DTC lists only hold [A-Z0-9,] so
 * double quotes are enough to keep their commas inside one element. */
enum { COL_AT, COL_ODO, COL_FUEL, COL_SOC, COL_SOH, COL_COOLANT, COL_VOLTAGE, COL_DTCS, NCOLS };

static int append_elem(struct ps_buf *buf, const struct telemetry_reading *t, int col)
{
    double v = NAN;
    switch (col) {
    case COL_AT: return ps_buf_printf(buf, "%lld", (long long)t->at);
    case COL_ODO:
        return t->odometer_km >= 0 ? ps_buf_printf(buf, "%lld", (long long)t->odometer_km)
                                   : ps_buf_puts(buf, "NULL");
    case COL_FUEL: v = t->fuel_level_pct; break;
    case COL_SOC: v = t->battery_soc_pct; break;
    case COL_SOH: v = t->battery_soh_pct; break;
    case COL_COOLANT: v = t->coolant_temp_c; break;
    case COL_VOLTAGE: v = t->voltage; break;
    case COL_DTCS:
        return t->ndtcs >= 0 ? ps_buf_printf(buf, "\"%s\"", t->dtcs) : ps_buf_puts(buf, "NULL");
    }
    return isnan(v) ? ps_buf_puts(buf, "NULL") : ps_buf_printf(buf, "%.10g", v);
}

static int insert_pg(struct ps_db_conn *c, const struct telemetry_batch *b)
{
    static const char sql[] =
        "INSERT INTO telemetry_readings (vehicle_id, device_id, reading_at, odometer_km, "
        "fuel_level_pct, battery_soc_pct, battery_soh_pct, coolant_temp_c, voltage, dtcs) "
        "SELECT $1, $2, u.* FROM unnest($3::bigint[], $4::bigint[], $5::float8[], $6::float8[], "
        "$7::float8[], $8::float8[], $9::float8[], $10::text[]) AS u";
    struct ps_buf cols[NCOLS];
    int rc = 0;
    for (int k = 0; k < NCOLS; k++)
        ps_buf_init(&cols[k], ARRAY_TEXT_MAX);
    for (int k = 0; k < NCOLS && rc == 0; k++) {
        rc = ps_buf_puts(&cols[k], "{");
        for (int i = 0; i < b->n && rc == 0; i++) {
            if (i)
                rc = ps_buf_puts(&cols[k], ",");
            if (rc == 0)
                rc = append_elem(&cols[k], &b->readings[i], k);
        }
        if (rc == 0)
            rc = ps_buf_puts(&cols[k], "}");
    }
    struct ps_db_stmt *s = NULL;
    if (rc == 0)
        rc = ps_db_err_to_ps(ps_db_prepare(c, sql, &s));
    if (rc == 0) {
        ps_db_bind_text(s, 1, b->vehicle_id);
        ps_db_bind_text(s, 2, b->device_id);
        for (int k = 0; k < NCOLS; k++)
            ps_db_bind_text(s, 3 + k, cols[k].data);
        int step = ps_db_step(s);
        ps_db_reset(s);
        rc = step == PS_DB_DONE ? 0 : ps_db_err_to_ps(step);
    }
    for (int k = 0; k < NCOLS; k++)
        ps_buf_free(&cols[k]);
    return rc;
}

/* The batch's latest value of each field (by reading time) and its summary figures. */
struct batch_summary {
    int64_t latest_at;
    double fuel, soc, soh, coolant, voltage;
    int64_t fuel_at, soc_at, soh_at, coolant_at, voltage_at;
    int64_t max_km, max_km_at;                  /* -1: no odometer in the batch */
    const struct telemetry_reading *dtc_reading; /* latest reading carrying dtcs */
};

static void take_latest(double v, int64_t at, double *dst, int64_t *dst_at)
{
    if (!isnan(v) && at >= *dst_at) {
        *dst = v;
        *dst_at = at;
    }
}

static void summarize(const struct telemetry_batch *b, struct batch_summary *sm)
{
    *sm = (struct batch_summary){ .fuel = NAN, .soc = NAN, .soh = NAN, .coolant = NAN,
                                  .voltage = NAN, .fuel_at = -1, .soc_at = -1, .soh_at = -1,
                                  .coolant_at = -1, .voltage_at = -1, .max_km = -1, .latest_at = 0 };
    for (int i = 0; i < b->n; i++) {
        const struct telemetry_reading *t = &b->readings[i];
        if (t->at > sm->latest_at)
            sm->latest_at = t->at;
        take_latest(t->fuel_level_pct, t->at, &sm->fuel, &sm->fuel_at);
        take_latest(t->battery_soc_pct, t->at, &sm->soc, &sm->soc_at);
        take_latest(t->battery_soh_pct, t->at, &sm->soh, &sm->soh_at);
        take_latest(t->coolant_temp_c, t->at, &sm->coolant, &sm->coolant_at);
        take_latest(t->voltage, t->at, &sm->voltage, &sm->voltage_at);
        if (t->odometer_km > sm->max_km) {
            sm->max_km = t->odometer_km;
            sm->max_km_at = t->at;
        }
        if (t->ndtcs >= 0 && (!sm->dtc_reading || t->at >= sm->dtc_reading->at))
            sm->dtc_reading = t;
    }
}

static int update_state(struct ps_db_conn *c, const char *vehicle_id, const struct batch_summary *sm)
{
    /* Newer readings win; a late batch (older than the state) leaves the state alone. */
    static const char sql[] =
        "UPDATE vehicles SET fuel_level_pct = COALESCE($2, fuel_level_pct), "
        "battery_soc_pct = COALESCE($3, battery_soc_pct), battery_soh_pct = COALESCE($4, battery_soh_pct), "
        "coolant_temp_c = COALESCE($5, coolant_temp_c), voltage = COALESCE($6, voltage), "
        "telemetry_at = $7 WHERE id = $1 AND (telemetry_at IS NULL OR telemetry_at <= $7)";
    struct ps_db_stmt *s;
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, vehicle_id);
    bind_opt_double(s, 2, sm->fuel);
    bind_opt_double(s, 3, sm->soc);
    bind_opt_double(s, 4, sm->soh);
    bind_opt_double(s, 5, sm->coolant);
    bind_opt_double(s, 6, sm->voltage);
    ps_db_bind_int64(s, 7, sm->latest_at);
    int rc = ps_db_step(s);
    ps_db_reset(s);
    return rc == PS_DB_DONE ? 0 : ps_db_err_to_ps(rc);
}

/* Owner-visible alert plus an inbox notification, in this transaction. */
static int raise(struct ps_db_conn *c, const struct telemetry_batch *b, const char *alert_kind,
                 const char *notify_kind, const char *title, json_t *payload)
{
    char *detail = json_dumps(payload, JSON_COMPACT);
    int rc = vstore_add_alert(c, b->vehicle_id, alert_kind, title, detail);
    free(detail);
    if (rc) {
        json_decref(payload);
        return rc;
    }
    return notify_enqueue(c, b->owner_id, notify_kind, title, payload);
}

static bool code_listed(const char *list, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = list; p && *p;) {
        if (strncmp(p, code, n) == 0 && (p[n] == ',' || p[n] == '\0'))
            return true;
        p = strchr(p, ',');
        if (p)
            p++;
    }
    return false;
}

/* Marks codes of the latest DTC list active (new ones raise a notification) and clears codes
 * that list no longer has. */
static int apply_dtcs(struct ps_db_conn *c, const struct telemetry_batch *b, const struct telemetry_reading *t)
{
    static const char touch[] =
        "UPDATE vehicle_dtcs SET last_seen_at = $3 WHERE vehicle_id = $1 AND code = $2 AND active = 1";
    static const char upsert[] =
        "INSERT INTO vehicle_dtcs (vehicle_id, code, first_seen_at, last_seen_at, active) "
        "VALUES ($1, $2, $3, $3, 1) ON CONFLICT (vehicle_id, code) DO UPDATE SET active = 1, "
        "first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at";
    static const char clear[] =
        "UPDATE vehicle_dtcs SET active = 0 WHERE vehicle_id = $1 AND code = $2";
    char active[VEHICLES_MAX_DTCS][8];
    int nactive = 0;
    int rc = vstore_active_dtcs(c, b->vehicle_id, active, VEHICLES_MAX_DTCS, &nactive);
    if (rc)
        return rc;
    for (int i = 0; i < nactive; i++) {
        if (code_listed(t->dtcs, active[i]))
            continue;
        struct ps_db_stmt *s;
        PREP(c, clear, s);
        ps_db_bind_text(s, 1, b->vehicle_id);
        ps_db_bind_text(s, 2, active[i]);
        rc = ps_db_step(s);
        ps_db_reset(s);
        if (rc != PS_DB_DONE)
            return ps_db_err_to_ps(rc);
    }
    for (const char *p = t->dtcs; *p;) {
        char code[8];
        size_t len = strcspn(p, ",");
        snprintf(code, sizeof code, "%.*s", (int)(len < 7 ? len : 7), p);
        p += len + (p[len] == ',');
        struct ps_db_stmt *s;
        PREP(c, touch, s);
        ps_db_bind_text(s, 1, b->vehicle_id);
        ps_db_bind_text(s, 2, code);
        ps_db_bind_int64(s, 3, t->at);
        rc = ps_db_step(s);
        int64_t known = ps_db_changes(s);
        ps_db_reset(s);
        if (rc != PS_DB_DONE)
            return ps_db_err_to_ps(rc);
        if (known)
            continue;
        PREP(c, upsert, s);
        ps_db_bind_text(s, 1, b->vehicle_id);
        ps_db_bind_text(s, 2, code);
        ps_db_bind_int64(s, 3, t->at);
        rc = ps_db_step(s);
        ps_db_reset(s);
        if (rc != PS_DB_DONE)
            return ps_db_err_to_ps(rc);
        char title[96];
        snprintf(title, sizeof title, "New trouble code %s reported", code);
        rc = raise(c, b, "dtc", "vehicle.dtc", title,
                   json_pack("{s:s, s:s}", "vehicle_id", b->vehicle_id, "code", code));
        if (rc)
            return rc;
    }
    return 0;
}

static int touch_device(struct ps_db_conn *c, const char *device_id)
{
    static const char sql[] = "UPDATE vehicle_devices SET last_seen_at = $2 WHERE id = $1";
    struct ps_db_stmt *s;
    PREP(c, sql, s);
    ps_db_bind_text(s, 1, device_id);
    ps_db_bind_int64(s, 2, ps_now_ms());
    int rc = ps_db_step(s);
    ps_db_reset(s);
    return rc == PS_DB_DONE ? 0 : ps_db_err_to_ps(rc);
}

int telemetry_ingest(struct ps_db_conn *c, const struct telemetry_batch *b)
{
    struct vehicle_row v;
    int rc = vstore_load(c, NULL, b->vehicle_id, &v);
    if (rc)
        return rc;
    rc = b->postgres ? insert_pg(c, b) : insert_sqlite(c, b);
    if (rc)
        return rc;
    struct batch_summary sm;
    summarize(b, &sm);
    rc = update_state(c, b->vehicle_id, &sm);
    if (rc == 0 && sm.max_km >= 0 && sm.max_km != v.b.odometer_km) {
        rc = vstore_record_odometer(c, b->vehicle_id, sm.max_km, sm.max_km_at, "telemetry", NULL);
        if (rc == PS_E_VALIDATION) {
            /* A device reporting less than the car has done: the alert is stored; tell the owner. */
            char title[128];
            snprintf(title, sizeof title, "A device reported %lld km, below the odometer's %lld km",
                     (long long)sm.max_km, (long long)v.b.odometer_km);
            rc = notify_enqueue(c, b->owner_id, "vehicle.odometer_rollback", title,
                                json_pack("{s:s, s:I, s:I}", "vehicle_id", b->vehicle_id,
                                          "reported_km", (json_int_t)sm.max_km,
                                          "current_km", (json_int_t)v.b.odometer_km));
        }
    }
    if (rc == 0 && sm.dtc_reading)
        rc = apply_dtcs(c, b, sm.dtc_reading);
    /* Low traction-battery health: notify when it crosses the threshold, not on every batch. */
    if (rc == 0 && !isnan(sm.soh) && sm.soh < BATTERY_SOH_LOW_PCT
        && (isnan(v.battery_soh_pct) || v.battery_soh_pct >= BATTERY_SOH_LOW_PCT)
        && sm.latest_at >= v.telemetry_at) {
        char title[128];
        snprintf(title, sizeof title, "Traction battery health dropped to %.0f%%", sm.soh);
        rc = raise(c, b, "battery_soh_low", "vehicle.battery_low", title,
                   json_pack("{s:s, s:f}", "vehicle_id", b->vehicle_id, "battery_soh_pct", sm.soh));
    }
    if (rc == 0)
        rc = touch_device(c, b->device_id);
    return rc;
}
