/* The owner's logs of a vehicle: odometer readings, refuelling, charging, service records,
 * and the alerts raised by refused readings and telemetry. Every route loads the caller's
 * vehicle first, so someone else's vehicle is always a 404. */
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/log.h"
#include "vehicles/catalog.h"
#include "vehicles/vehicles_internal.h"

#define FUTURE_SLACK_MS (5 * 60 * 1000)   /* clocks of phones drift: allow 5 minutes ahead */

/* An optional RFC 3339 member, defaulting to now; false (field error added) when it lies in
 * the future. */
static bool time_member(struct ps_req *r, const char *key, int64_t now, int64_t *out)
{
    long long ms = now;
    const char *s = ps_json_str(r->json, key, NULL);
    if (s && !ps_parse_time(s, &ms))
        ms = now;
    if (ms > now + FUTURE_SLACK_MS) {
        ps_errs_add(&r->errs, key, "must not be in the future");
        return false;
    }
    *out = ms;
    return true;
}

/* --- lists -------------------------------------------------------------------------- */

typedef int (*list_fn)(struct ps_db_conn *c, const char *vehicle_id, const char *cursor,
                       int limit, json_t *items, bool *more);

static int list_for_vehicle(struct ps_req *r, list_fn fn, const char *id_key)
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
    rc = fn(c, v.b.id, cursor, limit, items, &more);
    ps_db_release(c);
    if (rc) {
        json_decref(items);
        return rc;
    }
    return vehicles_reply_page(r, items, more, id_key);
}

int vehicles_h_odometer_list(struct ps_req *r) { return list_for_vehicle(r, vstore_list_odometer, "id"); }
int vehicles_h_fuel_list(struct ps_req *r) { return list_for_vehicle(r, vstore_list_fuel, "id"); }
int vehicles_h_charge_list(struct ps_req *r) { return list_for_vehicle(r, vstore_list_charges, "id"); }
int vehicles_h_records_list(struct ps_req *r) { return list_for_vehicle(r, vstore_list_service_records, "id"); }
int vehicles_h_alerts_list(struct ps_req *r) { return list_for_vehicle(r, vstore_list_alerts, "id"); }

/* --- odometer ----------------------------------------------------------------------- */

struct odometer_args {
    const char *owner, *id;
    int64_t km, at;
    bool refused;                /* out: below the current reading (alert stored) */
    int64_t current;             /* out */
};

static int odometer_tx(struct ps_db_conn *c, void *arg)
{
    struct odometer_args *a = arg;
    struct vehicle_row v;
    int rc = vstore_load(c, a->owner, a->id, &v);
    if (rc)
        return rc;
    rc = vstore_record_odometer(c, a->id, a->km, a->at, "owner", &a->current);
    if (rc == PS_E_VALIDATION) {
        a->refused = true;       /* commit: the rollback alert must stay */
        return 0;
    }
    return rc;
}

int vehicles_h_odometer_add(struct ps_req *r)
{
    struct vehicle_row v;
    int rc = vehicles_owned_from_path(r, &v);
    if (rc)
        return rc;
    struct odometer_args a = { .owner = ps_req_user(r), .id = v.b.id,
                               .km = ps_json_int(r->json, "km", 0) };
    if (!time_member(r, "recorded_at", ps_now_ms(), &a.at))
        return PS_E_VALIDATION;
    rc = ps_db_write(ps_app()->db, odometer_tx, &a);
    if (rc)
        return rc;
    if (a.refused) {
        ps_errs_add(&r->errs, "km", "is below the current reading of %lld km; the attempt was "
                    "recorded as an alert", (long long)a.current);
        return PS_E_VALIDATION;
    }
    char t[32];
    ps_format_time_ms(a.at, t);
    return ps_reply_json(r, 201, json_pack("{s:I, s:s, s:s}", "km", (json_int_t)a.km,
                                           "recorded_at", t, "source", "owner"));
}

/* --- fuel and charge logs ----------------------------------------------------------- */

struct log_args {
    const char *owner, *id;
    struct fuel_log_in fuel;
    struct charge_log_in charge;
    bool is_fuel;
    bool refused;                /* out: odometer below the previous log */
    json_t *out;
};

static int log_tx(struct ps_db_conn *c, void *arg)
{
    struct log_args *a = arg;
    struct vehicle_row v;
    int rc = vstore_load(c, a->owner, a->id, &v);
    if (rc)
        return rc;
    int64_t km = a->is_fuel ? a->fuel.odometer_km : a->charge.odometer_km;
    rc = a->is_fuel ? vstore_add_fuel(c, a->id, &a->fuel, &a->out)
                    : vstore_add_charge(c, a->id, &a->charge, &a->out);
    if (rc == PS_E_VALIDATION) {
        a->refused = true;
        return rc;
    }
    /* A log taken at a higher reading moves the vehicle's odometer on too. */
    if (rc == 0 && km > v.b.odometer_km)
        rc = vstore_record_odometer(c, a->id, km, a->is_fuel ? a->fuel.logged_at : a->charge.logged_at,
                                    "owner", NULL);
    return rc;
}

static int add_log(struct ps_req *r, bool is_fuel)
{
    struct vehicle_row v;
    int rc = vehicles_owned_from_path(r, &v);
    if (rc)
        return rc;
    struct log_args a = { .owner = ps_req_user(r), .id = v.b.id, .is_fuel = is_fuel };
    const json_t *b = r->json;
    int64_t at;
    if (!time_member(r, "logged_at", ps_now_ms(), &at))
        return PS_E_VALIDATION;
    if (is_fuel) {
        a.fuel = (struct fuel_log_in){ ps_json_num(b, "liters", 0), ps_json_int(b, "price_fen", 0),
                                       ps_json_int(b, "odometer_km", 0), at,
                                       ps_json_bool(b, "full_tank", false) };
    } else {
        a.charge = (struct charge_log_in){ ps_json_num(b, "kwh", 0), ps_json_int(b, "price_fen", 0),
                                           ps_json_int(b, "odometer_km", 0), at };
    }
    rc = ps_db_write(ps_app()->db, log_tx, &a);
    if (a.refused) {
        json_decref(a.out);
        return ps_fail_field(r, "odometer_km", is_fuel ? "is below the odometer of an earlier fuel log"
                                                       : "is below the odometer of an earlier charge log");
    }
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    return ps_reply_json(r, 201, a.out);
}

int vehicles_h_fuel_add(struct ps_req *r) { return add_log(r, true); }
int vehicles_h_charge_add(struct ps_req *r) { return add_log(r, false); }

/* --- service records ---------------------------------------------------------------- */

struct record_args {
    const char *owner, *id;
    struct service_record_in in;
    json_t *out;
};

static int record_tx(struct ps_db_conn *c, void *arg)
{
    struct record_args *a = arg;
    struct vehicle_row v;
    int rc = vstore_load(c, a->owner, a->id, &v);
    if (rc)
        return rc;
    rc = vstore_add_service_record(c, a->id, &a->in, &a->out);
    if (rc == 0 && a->in.odometer_km > v.b.odometer_km)
        rc = vstore_record_odometer(c, a->id, a->in.odometer_km, ps_now_ms(), "service", NULL);
    return rc;
}

int vehicles_h_records_add(struct ps_req *r)
{
    struct vehicle_row v;
    int rc = vehicles_owned_from_path(r, &v);
    if (rc)
        return rc;
    const json_t *b = r->json;
    const char *type = ps_json_str(b, "service_type", NULL);
    const char *title = ps_json_str(b, "title", NULL);
    const char *date = ps_json_str(b, "date", "");
    if (type && !catalog_known(type))
        ps_errs_add(&r->errs, "service_type", "is not a code of GET /api/v1/service-types");
    if (!type && !title)
        ps_errs_add(&r->errs, "title", "give a title or a service_type");
    struct vdate d;
    if (vdate_parse(date, &d) && vdate_cmp(d, vehicles_today()) > 0)
        ps_errs_add(&r->errs, "date", "must not be in the future");
    if (r->errs.n)
        return PS_E_VALIDATION;
    struct record_args a = { .owner = ps_req_user(r), .id = v.b.id };
    a.in = (struct service_record_in){
        .source = "owner", .service_type = type,
        .title = title ? title : catalog_name_en(type), .date = date,
        .odometer_km = ps_json_has(b, "odometer_km") ? ps_json_int(b, "odometer_km", -1) : -1,
        .cost_fen = ps_json_has(b, "cost_fen") ? ps_json_int(b, "cost_fen", -1) : -1,
        .provider_name = ps_json_str(b, "provider_name", NULL),
        .notes = ps_json_str(b, "notes", NULL), .leaf_index = -1,
    };
    rc = ps_db_write(ps_app()->db, record_tx, &a);
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    return ps_reply_json(r, 201, a.out);
}
