/* Telemetry devices (registered by the owner, token shown once, stored hashed) and the
 * ingest endpoint they post batches of readings to. Ingest converts the validated body into
 * a flat array of readings and hands it to one write transaction. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/auth.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/log.h"
#include "vehicles/telemetry_store.h"
#include "vehicles/vehicles_internal.h"

/* --- devices ------------------------------------------------------------------------ */

struct device_args {
    const char *owner, *vehicle_id, *name;
    char device_id[PS_ID_LEN + 1];
    char token_hash[65];
};

static int device_tx(struct ps_db_conn *c, void *arg)
{
    struct device_args *a = arg;
    struct vehicle_row v;
    int rc = vstore_load(c, a->owner, a->vehicle_id, &v);
    if (rc)
        return rc;
    return vstore_add_device(c, a->vehicle_id, a->device_id, a->name, a->token_hash, ps_now_ms());
}

int vehicles_h_device_add(struct ps_req *r)
{
    struct vehicle_row v;
    int rc = vehicles_owned_from_path(r, &v);
    if (rc)
        return rc;
    struct device_args a = { .owner = ps_req_user(r), .vehicle_id = v.b.id,
                             .name = ps_json_str(r->json, "name", NULL) };
    char token[PS_TOKEN_LEN + 1];
    ps_token_new(token);
    ps_token_hash(token, a.token_hash);
    ps_id_new(a.device_id);
    rc = ps_db_write(ps_app()->db, device_tx, &a);
    if (rc)
        return rc;
    return ps_reply_json(r, 201, json_pack("{s:s, s:s, s:s, s:o, s:s}", "device_id", a.device_id,
                                           "token", token, "vehicle_id", v.b.id,
                                           "name", a.name ? json_string(a.name) : json_null(),
                                           "authorization", "Device <token>"));
}

int vehicles_h_device_list(struct ps_req *r)
{
    struct vehicle_row v;
    int rc = vehicles_owned_from_path(r, &v);
    if (rc)
        return rc;
    int limit;
    const char *cursor;
    int bad = vehicles_page_args(r, &limit, &cursor);
    if (bad)
        return bad;
    json_t *items = json_array();
    bool more = false;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    rc = vstore_list_devices(c, v.b.id, cursor, limit, items, &more);
    ps_db_release(c);
    if (rc) {
        json_decref(items);
        return rc;
    }
    return vehicles_reply_page(r, items, more, "device_id");
}

struct revoke_args { const char *owner, *vehicle_id, *device_id; };

static int revoke_tx(struct ps_db_conn *c, void *arg)
{
    struct revoke_args *a = arg;
    struct vehicle_row v;
    int rc = vstore_load(c, a->owner, a->vehicle_id, &v);
    if (rc)
        return rc;
    return vstore_revoke_device(c, a->vehicle_id, a->device_id, ps_now_ms());
}

int vehicles_h_device_delete(struct ps_req *r)
{
    struct revoke_args a = { ps_req_user(r), ps_req_param(r, "id"), ps_req_param(r, "device_id") };
    if (!a.vehicle_id || !ps_id_valid(a.vehicle_id) || !a.device_id || !ps_id_valid(a.device_id))
        return PS_E_NOT_FOUND;
    int rc = ps_db_write(ps_app()->db, revoke_tx, &a);
    if (rc)
        return rc;
    return ps_reply_empty(r, 204);
}

/* --- ingest ------------------------------------------------------------------------- */

static bool valid_dtc(const char *s)
{
    /* P/C/B/U, then 0-3, then three hex digits (SAE J2012 / ISO 15031-6). */
    if (strlen(s) != 5 || !strchr("PCBU", s[0]) || s[1] < '0' || s[1] > '3')
        return false;
    for (int i = 2; i < 5; i++)
        if (!strchr("0123456789ABCDEF", s[i]))
            return false;
    return true;
}

static bool code_in(const char *list, const char *code)
{
    for (const char *p = strstr(list, code); p; p = strstr(p + 1, code))
        if ((p == list || p[-1] == ',') && (p[5] == ',' || p[5] == '\0'))
            return true;
    return false;
}

static double num_or_nan(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The declared table has checked types and bounds already; this turns each reading into a
 * flat struct and checks what a table cannot (DTC syntax). Field errors go to r->errs. */
static void convert(struct ps_req *r, const json_t *arr, struct telemetry_reading *out)
{
    /* A reading from the future would pin the vehicle's state (newer wins) until then. */
    int64_t latest_ok = ps_now_ms() + TELEMETRY_CLOCK_SKEW_MS;
    size_t n = json_array_size(arr);
    for (size_t i = 0; i < n; i++) {
        const json_t *o = json_array_get(arr, i);
        struct telemetry_reading *t = &out[i];
        long long at = 0;
        ps_parse_time(json_string_value(json_object_get(o, "at")), &at);
        t->at = at;
        if (at > latest_ok) {
            char field[48];
            snprintf(field, sizeof field, "readings[%zu].at", i);
            ps_errs_add(&r->errs, field, "must not be more than an hour in the future");
        }
        const json_t *km = json_object_get(o, "odometer_km");
        t->odometer_km = json_is_integer(km) ? json_integer_value(km) : -1;
        t->fuel_level_pct = num_or_nan(o, "fuel_level_pct");
        t->battery_soc_pct = num_or_nan(o, "battery_soc_pct");
        t->battery_soh_pct = num_or_nan(o, "battery_soh_pct");
        t->coolant_temp_c = num_or_nan(o, "coolant_temp_c");
        t->voltage = num_or_nan(o, "voltage");
        const json_t *codes = json_object_get(o, "dtcs");
        t->ndtcs = -1;
        t->dtcs[0] = '\0';
        if (!json_is_array(codes))
            continue;
        t->ndtcs = 0;
        size_t used = 0;
        for (size_t j = 0; j < json_array_size(codes); j++) {
            char code[8];
            snprintf(code, sizeof code, "%s", json_string_value(json_array_get(codes, j)));
            for (char *p = code; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                    *p = (char)(*p - 'a' + 'A');
            if (strlen(json_string_value(json_array_get(codes, j))) != 5 || !valid_dtc(code)) {
                char field[64];
                snprintf(field, sizeof field, "readings[%zu].dtcs[%zu]", i, j);
                ps_errs_add(&r->errs, field, "must be a trouble code like P0301");
                continue;
            }
            if (code_in(t->dtcs, code))
                continue;
            used += (size_t)snprintf(t->dtcs + used, sizeof t->dtcs - used, "%s%s", used ? "," : "", code);
            t->ndtcs++;
        }
    }
}

/* "Authorization: Device <token>" -> the token, or NULL. */
static const char *device_token(const struct ps_req *r)
{
    const char *h = ps_req_header(r, "Authorization");
    if (!h || strncasecmp(h, "Device ", 7) != 0)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    return *h ? h : NULL;
}

static int ingest_tx(struct ps_db_conn *c, void *arg)
{
    return telemetry_ingest(c, arg);
}

/* The route's own credentials (Authorization: Device <token>), checked before the body. */
int vehicles_telemetry_auth(struct ps_req *r)
{
    const char *token = device_token(r);
    if (!token) {
        ps_reply_header(r, "WWW-Authenticate", "Device");
        r->problem_detail = "send Authorization: Device <token>";
        return PS_E_UNAUTHENTICATED;
    }
    char hash[65];
    ps_token_hash(token, hash);
    struct telemetry_batch *b = ps_arena_calloc(&r->arena, sizeof *b);
    if (!b)
        return PS_E_NOMEM;
    b->postgres = ps_db_backend(ps_app()->db) == PS_DB_POSTGRES;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = telemetry_find_device(c, hash, b->device_id, b->vehicle_id, b->owner_id);
    ps_db_release(c);
    if (rc == PS_E_NOT_FOUND) {
        ps_reply_header(r, "WWW-Authenticate", "Device error=\"invalid_token\"");
        r->problem_detail = "unknown or revoked device token";
        return PS_E_BAD_TOKEN;
    }
    if (rc)
        return rc;
    r->auth_ctx = b;
    return 0;
}

int vehicles_h_telemetry(struct ps_req *r)
{
    struct telemetry_batch *bp = r->auth_ctx;
    struct telemetry_batch b = *bp;
    int rc;
    const json_t *arr = json_object_get(r->json, "readings");
    b.n = (int)json_array_size(arr);
    struct telemetry_reading *readings = ps_arena_alloc(&r->arena, sizeof *readings * (size_t)b.n);
    if (!readings)
        return PS_E_NOMEM;
    convert(r, arr, readings);
    if (r->errs.n)
        return PS_E_VALIDATION;
    b.readings = readings;
    rc = ps_db_write(ps_app()->db, ingest_tx, &b);
    if (rc)
        return rc;
    return ps_reply_json(r, 202, json_pack("{s:i}", "accepted", b.n));
}
