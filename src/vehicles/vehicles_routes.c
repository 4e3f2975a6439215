/* The vehicles module's route table and declared inputs, VIN decoding, and the owner's
 * vehicles themselves (create, list, read, edit, remove). Logs are in vehicles_logs.c,
 * reminders/inspection/health in vehicles_care.c, devices and ingest in telemetry_routes.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/log.h"
#include "core/module.h"
#include "vehicles/maintenance.h"
#include "vehicles/plate.h"
#include "vehicles/vehicles_internal.h"
#include "vehicles/vin.h"
#include "vehicles/wmi.h"

/* --- declared inputs ---------------------------------------------------------------- */

static const char *const fuel_types[] = { "gasoline", "diesel", "hybrid", "phev", "bev", NULL };
static const char *const usages[] = { "private", "commercial", NULL };

static const struct ps_param page_query[] = {
    { "limit", PS_INT, 0, .min = 1, .max = PS_LIST_MAX, .description = "page size (default 20)" },
    { "cursor", PS_STRING, 0, .max = 64, .description = "next_cursor of the previous page" },
    PS_PARAM_END
};

static const struct ps_param create_params[] = {
    { "vin", PS_STRING, PS_REQUIRED, .min = 1, .max = 17, .description = "17 characters, check digit in position 9" },
    { "plate", PS_STRING, PS_NULLABLE, .max = 16, .description = "mainland plate, e.g. 京A12345 or 沪AD12345" },
    { "nickname", PS_STRING, PS_NULLABLE, .max = 60 },
    { "make", PS_STRING, PS_NULLABLE, .max = 20, .description = "brand; defaults to the make of the VIN's WMI" },
    { "model", PS_STRING, PS_NULLABLE, .max = 20 },
    { "odometer_km", PS_INT, PS_REQUIRED, .min = 0, .max = 5000000 },
    { "registration_date", PS_DATE, PS_NULLABLE, .description = "first registration (inspection is counted from it)" },
    { "fuel_type", PS_ENUM, PS_REQUIRED, .choices = fuel_types },
    { "seats", PS_INT, PS_NULLABLE, .min = 1, .max = 99 },
    { "usage", PS_ENUM, PS_REQUIRED, .choices = usages, .description = "commercial = operating (营运) vehicle" },
    { "insurance_expiry", PS_DATE, PS_NULLABLE, .description = "compulsory insurance (交强险) expiry" },
    PS_PARAM_END
};

static const struct ps_param patch_params[] = {
    { "plate", PS_STRING, PS_NULLABLE, .max = 16 },
    { "nickname", PS_STRING, PS_NULLABLE, .max = 60 },
    { "make", PS_STRING, PS_NULLABLE, .max = 20 },
    { "model", PS_STRING, PS_NULLABLE, .max = 20 },
    { "registration_date", PS_DATE, PS_NULLABLE, .description = "not in the future" },
    { "fuel_type", PS_ENUM, 0, .choices = fuel_types },
    { "seats", PS_INT, PS_NULLABLE, .min = 1, .max = 99 },
    { "usage", PS_ENUM, 0, .choices = usages },
    { "insurance_expiry", PS_DATE, PS_NULLABLE, .description = "compulsory insurance (交强险) expiry" },
    PS_PARAM_END
};

static const struct ps_param odometer_params[] = {
    { "km", PS_INT, PS_REQUIRED, .min = 0, .max = 5000000 },
    { "recorded_at", PS_TIME, 0, .description = "when the reading was taken (default now)" },
    PS_PARAM_END
};

static const struct ps_param fuel_params[] = {
    { "liters", PS_NUMBER, PS_REQUIRED, .dmin = 0.01, .dmax = 1000, .dbounds = true },
    { "price_fen", PS_INT, PS_REQUIRED, .min = 0, .max = 100000000, .description = "total paid, in fen" },
    { "odometer_km", PS_INT, PS_REQUIRED, .min = 0, .max = 5000000 },
    { "full_tank", PS_BOOL, PS_REQUIRED, .description = "filled to full: closes a consumption interval" },
    { "logged_at", PS_TIME, 0, .description = "default now" },
    PS_PARAM_END
};

static const struct ps_param charge_params[] = {
    { "kwh", PS_NUMBER, PS_REQUIRED, .dmin = 0.01, .dmax = 1000, .dbounds = true },
    { "price_fen", PS_INT, PS_REQUIRED, .min = 0, .max = 100000000 },
    { "odometer_km", PS_INT, PS_REQUIRED, .min = 0, .max = 5000000 },
    { "logged_at", PS_TIME, 0, .description = "default now" },
    PS_PARAM_END
};

static const struct ps_param record_params[] = {
    { "service_type", PS_STRING, 0, .max = 32, .description = "a code of GET /api/v1/service-types" },
    { "title", PS_STRING, 0, .min = 1, .max = 120, .description = "defaults to the service type's name" },
    { "date", PS_DATE, PS_REQUIRED, .description = "day of the service, not in the future" },
    { "odometer_km", PS_INT, 0, .min = 0, .max = 5000000 },
    { "cost_fen", PS_INT, 0, .min = 0, .max = 100000000 },
    { "provider_name", PS_STRING, 0, .max = 120 },
    { "notes", PS_STRING, 0, .max = 1000 },
    PS_PARAM_END
};

static const struct ps_param device_params[] = {
    { "name", PS_STRING, 0, .max = 60, .description = "a label, e.g. the OBD dongle's model" },
    PS_PARAM_END
};

static const struct ps_param reading_fields[] = {
    { "at", PS_TIME, PS_REQUIRED, .description = "when the reading was taken" },
    { "odometer_km", PS_INT, 0, .min = 0, .max = 5000000 },
    { "fuel_level_pct", PS_NUMBER, 0, .dmin = 0, .dmax = 100, .dbounds = true },
    { "battery_soc_pct", PS_NUMBER, 0, .dmin = 0, .dmax = 100, .dbounds = true },
    { "battery_soh_pct", PS_NUMBER, 0, .dmin = 0, .dmax = 100, .dbounds = true },
    { "coolant_temp_c", PS_NUMBER, 0, .dmin = -60, .dmax = 200, .dbounds = true },
    { "voltage", PS_NUMBER, 0, .dmin = 0, .dmax = 1000, .dbounds = true },
    { "dtcs", PS_ARRAY, 0, .max = TELEMETRY_MAX_DTCS, .item = PS_STRING,
      .description = "the trouble codes active now, e.g. [\"P0301\"]; [] clears them" },
    PS_PARAM_END
};

static const struct ps_param telemetry_params[] = {
    { "readings", PS_ARRAY, PS_REQUIRED, .min = 1, .max = TELEMETRY_MAX_READINGS, .item = PS_OBJECT,
      .fields = reading_fields, .description = "1 to 1000 readings; more is a 422 naming readings" },
    PS_PARAM_END
};

static const struct ps_route vehicles_routes[] = {
    { PS_GET, "/api/v1/vins/:vin", vehicles_h_decode_vin, PS_PUBLIC,
      .summary = "Decode a VIN without saving it", .tag = "vehicles", .response = "VinDecoded",
      .errors = "422" },
    { PS_POST, "/api/v1/vehicles", vehicles_h_create, PS_AUTH, .body = create_params,
      .summary = "Add a vehicle (its VIN is decoded)", .tag = "vehicles", .response = "Vehicle",
      .status = 201, .errors = "409,422" },
    { PS_GET, "/api/v1/vehicles", vehicles_h_list, PS_AUTH, .query = page_query,
      .summary = "My vehicles, newest first", .tag = "vehicles", .response = "VehicleList" },
    { PS_GET, "/api/v1/vehicles/:id", vehicles_h_get, PS_AUTH,
      .summary = "One of my vehicles", .tag = "vehicles", .response = "Vehicle", .errors = "404" },
    { PS_PATCH, "/api/v1/vehicles/:id", vehicles_h_patch, PS_AUTH, .body = patch_params,
      .summary = "Edit a vehicle (null clears a field)", .tag = "vehicles", .response = "Vehicle",
      .errors = "404,422" },
    { PS_DELETE, "/api/v1/vehicles/:id", vehicles_h_delete, PS_AUTH,
      .summary = "Remove a vehicle (its VIN can be added again, e.g. by a buyer)", .tag = "vehicles",
      .status = 204, .errors = "404" },
    { PS_POST, "/api/v1/vehicles/:id/odometer", vehicles_h_odometer_add, PS_AUTH, .body = odometer_params,
      .summary = "Record an odometer reading (a rollback is refused and kept as an alert)",
      .tag = "vehicles", .response = "OdometerReading", .status = 201, .errors = "404,422" },
    { PS_GET, "/api/v1/vehicles/:id/odometer", vehicles_h_odometer_list, PS_AUTH, .query = page_query,
      .summary = "Odometer readings, newest first", .tag = "vehicles", .response = "OdometerList",
      .errors = "404" },
    { PS_POST, "/api/v1/vehicles/:id/fuel-logs", vehicles_h_fuel_add, PS_AUTH, .body = fuel_params,
      .summary = "Log a refuelling", .tag = "vehicles", .response = "FuelLog", .status = 201,
      .errors = "404,422" },
    { PS_GET, "/api/v1/vehicles/:id/fuel-logs", vehicles_h_fuel_list, PS_AUTH, .query = page_query,
      .summary = "Fuel logs with L/100 km per full-tank interval", .tag = "vehicles",
      .response = "FuelLogList", .errors = "404" },
    { PS_POST, "/api/v1/vehicles/:id/charge-logs", vehicles_h_charge_add, PS_AUTH, .body = charge_params,
      .summary = "Log a charge", .tag = "vehicles", .response = "ChargeLog", .status = 201,
      .errors = "404,422" },
    { PS_GET, "/api/v1/vehicles/:id/charge-logs", vehicles_h_charge_list, PS_AUTH, .query = page_query,
      .summary = "Charge logs with kWh/100 km", .tag = "vehicles", .response = "ChargeLogList",
      .errors = "404" },
    { PS_POST, "/api/v1/vehicles/:id/service-records", vehicles_h_records_add, PS_AUTH, .body = record_params,
      .summary = "Add a service record of my own (source owner, not in the verifiable log)",
      .tag = "vehicles", .response = "ServiceRecord", .status = 201, .errors = "404,422" },
    { PS_GET, "/api/v1/vehicles/:id/service-records", vehicles_h_records_list, PS_AUTH, .query = page_query,
      .summary = "Service history: completed orders and my own records", .tag = "vehicles",
      .response = "ServiceRecordList", .errors = "404" },
    { PS_GET, "/api/v1/vehicles/:id/alerts", vehicles_h_alerts_list, PS_AUTH, .query = page_query,
      .summary = "Alerts: refused odometer rollbacks, new trouble codes, low battery health",
      .tag = "vehicles", .response = "VehicleAlertList", .errors = "404" },
    { PS_GET, "/api/v1/vehicles/:id/reminders", vehicles_h_reminders, PS_AUTH,
      .summary = "Maintenance, inspection and insurance reminders", .tag = "vehicles",
      .response = "ReminderList", .errors = "404" },
    { PS_GET, "/api/v1/vehicles/:id/inspection", vehicles_h_inspection, PS_AUTH,
      .summary = "Next annual inspection (年检) due date", .tag = "vehicles",
      .response = "Inspection", .errors = "404,409" },
    { PS_GET, "/api/v1/vehicles/:id/health", vehicles_h_health, PS_AUTH,
      .summary = "Health score and findings", .tag = "vehicles", .response = "HealthReport",
      .errors = "404" },
    { PS_POST, "/api/v1/vehicles/:id/devices", vehicles_h_device_add, PS_AUTH, .body = device_params,
      .summary = "Register a telemetry device (the token is shown once)", .tag = "telemetry",
      .response = "DeviceToken", .status = 201, .errors = "404,422" },
    { PS_GET, "/api/v1/vehicles/:id/devices", vehicles_h_device_list, PS_AUTH, .query = page_query,
      .summary = "Telemetry devices of a vehicle", .tag = "telemetry", .response = "DeviceList",
      .errors = "404" },
    { PS_DELETE, "/api/v1/vehicles/:id/devices/:device_id", vehicles_h_device_delete, PS_AUTH,
      .summary = "Revoke a telemetry device", .tag = "telemetry", .status = 204, .errors = "404" },
    { PS_POST, "/api/v1/telemetry", vehicles_h_telemetry, 0, .body = telemetry_params,
      .authenticate = vehicles_telemetry_auth, .auth_scheme = "device",
      .summary = "Ingest a batch of readings (Authorization: Device <token>)", .tag = "telemetry",
      .response = "TelemetryAccepted", .status = 202, .errors = "401,413,422" },
    PS_ROUTE_END
};

static int vehicles_init(const struct ps_app *app)
{
    (void)app;
    /* The embedded tables are parsed once here so that a bad row stops start-up. */
    int rc = wmi_init();
    if (rc == 0)
        rc = maint_init();
    return rc;
}

const struct ps_module ps_module_vehicles = {
    .name = "vehicles",
    .routes = vehicles_routes,
    .init = vehicles_init,
    .schemas = vehicles_schemas,
};

/* --- helpers shared by the route files ---------------------------------------------- */

struct vdate vehicles_today(void) { return vdate_china_from_ms(ps_now_ms()); }

int vehicles_owned_from_path(struct ps_req *r, struct vehicle_row *out)
{
    const char *id = ps_req_param(r, "id");
    if (!id || !ps_id_valid(id))
        return PS_E_NOT_FOUND;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = vstore_load(c, ps_req_user(r), id, out);
    ps_db_release(c);
    return rc;
}

int vehicles_page_args(struct ps_req *r, int *limit, const char **cursor)
{
    *limit = (int)ps_json_int(r->query, "limit", PS_LIST_DEFAULT);
    *cursor = ps_json_str(r->query, "cursor", NULL);
    if (*cursor && !ps_id_valid(*cursor))
        return ps_fail_field(r, "cursor", "not a cursor from a previous page");
    return 0;
}

int vehicles_reply_page(struct ps_req *r, json_t *items, bool more, const char *id_key)
{
    json_t *next = json_null();
    size_t n = json_array_size(items);
    if (more && n > 0)
        next = json_incref(json_object_get(json_array_get(items, n - 1), id_key));
    return ps_reply_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

static json_t *opt_str(const char *s) { return s && *s ? json_string(s) : json_null(); }
static json_t *opt_num(double v) { return isnan(v) ? json_null() : json_real(v); }

static json_t *time_or_null(int64_t ms)
{
    if (!ms)
        return json_null();
    char t[32];
    ps_format_time_ms(ms, t);
    return json_string(t);
}

json_t *vehicles_to_json(const struct vehicle_row *v)
{
    char wmi[4] = { 0 }, plant[2] = { 0 }, serial[7] = { 0 };
    memcpy(wmi, v->b.vin, 3);
    plant[0] = v->b.vin[10];
    memcpy(serial, v->b.vin + 11, 6);
    json_t *state = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
                              "fuel_level_pct", opt_num(v->fuel_level_pct),
                              "battery_soc_pct", opt_num(v->battery_soc_pct),
                              "battery_soh_pct", opt_num(v->battery_soh_pct),
                              "coolant_temp_c", opt_num(v->coolant_temp_c),
                              "voltage", opt_num(v->voltage),
                              "updated_at", time_or_null(v->telemetry_at));
    json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:s, s:s, s:b}",
                          "id", v->b.id, "vin", v->b.vin, "plate", opt_str(v->b.plate),
                          "nickname", opt_str(v->nickname), "make", opt_str(v->b.make),
                          "model", opt_str(v->b.model), "wmi", wmi,
                          "manufacturer", opt_str(v->manufacturer), "country", opt_str(v->country),
                          "model_year", v->b.model_year ? json_integer(v->b.model_year) : json_null(),
                          "plant_code", plant, "serial", serial, "check_digit_valid", 1);
    json_object_set_new(o, "fuel_type", json_string(v->b.fuel_type));
    json_object_set_new(o, "seats", v->seats ? json_integer(v->seats) : json_null());
    json_object_set_new(o, "usage", json_string(v->usage));
    json_object_set_new(o, "registration_date", opt_str(v->b.registration_date));
    json_object_set_new(o, "insurance_expiry", opt_str(v->insurance_expiry));
    json_object_set_new(o, "odometer_km", json_integer(v->b.odometer_km));
    json_object_set_new(o, "odometer_updated_at", time_or_null(v->odometer_at));
    json_object_set_new(o, "state", state);
    json_object_set_new(o, "created_at", time_or_null(v->created_at));
    json_object_set_new(o, "updated_at", time_or_null(v->updated_at));
    return o;
}

/* --- VIN decoding ------------------------------------------------------------------- */

/* Decode and name the manufacturer; *why is set on a 422. */
static int decode(const char *vin, struct vin_parts *p, const struct wmi_entry **wmi,
                  const char **country, const char **why)
{
    int rc = vin_decode(vin, vehicles_today().y, p, why);
    if (rc)
        return rc;
    *wmi = wmi_lookup(p->vin);
    *country = *wmi ? (*wmi)->country : wmi_region_country(p->vin);
    return 0;
}

int vehicles_h_decode_vin(struct ps_req *r)
{
    struct vin_parts p;
    const struct wmi_entry *w;
    const char *country, *why;
    if (decode(ps_req_param(r, "vin"), &p, &w, &country, &why))
        return ps_fail_field(r, "vin", why);
    return ps_reply_json(r, 200, json_pack(
        "{s:s, s:b, s:s, s:o, s:o, s:o, s:o, s:s, s:s}",
        "vin", p.vin, "check_digit_valid", p.check_digit_valid, "wmi", p.wmi,
        "manufacturer", opt_str(w ? w->manufacturer : NULL), "make", opt_str(w ? w->make : NULL),
        "country", opt_str(country),
        "model_year", p.model_year ? json_integer(p.model_year) : json_null(),
        "plant_code", p.plant_code, "serial", p.serial));
}

/* --- create ------------------------------------------------------------------------- */

static void check_plate(struct ps_req *r, const char *plate, char out[PLATE_MAX])
{
    enum plate_kind kind;
    const char *why;
    out[0] = '\0';
    if (plate && plate_normalize(plate, out, &kind, &why))
        ps_errs_add(&r->errs, "plate", "%s", why);
}

static void check_past_date(struct ps_req *r, const char *field, const char *value)
{
    struct vdate d;
    if (value && vdate_parse(value, &d) && vdate_cmp(d, vehicles_today()) > 0)
        ps_errs_add(&r->errs, field, "must not be in the future");
}

static void copy_str(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

static int create_tx(struct ps_db_conn *c, void *arg)
{
    return vstore_insert(c, arg);
}

int vehicles_h_create(struct ps_req *r)
{
    const json_t *b = r->json;
    struct vehicle_row v;
    memset(&v, 0, sizeof v);
    struct vin_parts p;
    const struct wmi_entry *w = NULL;
    const char *country = NULL, *why;
    if (decode(ps_json_str(b, "vin", ""), &p, &w, &country, &why))
        ps_errs_add(&r->errs, "vin", "%s", why);
    check_plate(r, ps_json_str(b, "plate", NULL), v.b.plate);
    check_past_date(r, "registration_date", ps_json_str(b, "registration_date", NULL));
    if (r->errs.n)
        return PS_E_VALIDATION;

    int64_t now = ps_now_ms();
    ps_id_new(v.b.id);
    copy_str(v.b.owner_id, sizeof v.b.owner_id, ps_req_user(r));
    copy_str(v.b.vin, sizeof v.b.vin, p.vin);
    copy_str(v.nickname, sizeof v.nickname, ps_json_str(b, "nickname", NULL));
    copy_str(v.b.make, sizeof v.b.make, ps_json_str(b, "make", w ? w->make : NULL));
    copy_str(v.b.model, sizeof v.b.model, ps_json_str(b, "model", NULL));
    copy_str(v.manufacturer, sizeof v.manufacturer, w ? w->manufacturer : NULL);
    copy_str(v.country, sizeof v.country, country);
    v.b.model_year = p.model_year;
    copy_str(v.b.fuel_type, sizeof v.b.fuel_type, ps_json_str(b, "fuel_type", "gasoline"));
    v.seats = (int)ps_json_int(b, "seats", 0);
    copy_str(v.usage, sizeof v.usage, ps_json_str(b, "usage", "private"));
    v.b.commercial = strcmp(v.usage, "commercial") == 0;
    copy_str(v.b.registration_date, sizeof v.b.registration_date, ps_json_str(b, "registration_date", NULL));
    copy_str(v.insurance_expiry, sizeof v.insurance_expiry, ps_json_str(b, "insurance_expiry", NULL));
    v.b.odometer_km = ps_json_int(b, "odometer_km", 0);
    v.odometer_at = v.created_at = v.updated_at = now;
    v.fuel_level_pct = v.battery_soc_pct = v.battery_soh_pct = v.coolant_temp_c = v.voltage = NAN;

    int rc = ps_db_write(ps_app()->db, create_tx, &v);
    if (rc == PS_E_DUPLICATE)
        return ps_reply_problem(r, PS_E_DUPLICATE, "a vehicle with VIN %s is already registered; "
                                "its owner must remove it first", v.b.vin);
    if (rc)
        return rc;
    ps_reply_header(r, "Location", ps_arena_printf(&r->arena, "/api/v1/vehicles/%s", v.b.id));
    return ps_reply_json(r, 201, vehicles_to_json(&v));
}

/* --- list, read --------------------------------------------------------------------- */

static void append_vehicle(const struct vehicle_row *v, void *ctx)
{
    json_array_append_new(ctx, vehicles_to_json(v));
}

int vehicles_h_list(struct ps_req *r)
{
    int limit;
    const char *cursor;
    int bad = vehicles_page_args(r, &limit, &cursor);
    if (bad)
        return bad;
    json_t *items = json_array();
    bool more = false;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = vstore_list(c, ps_req_user(r), cursor, limit, append_vehicle, items, &more);
    ps_db_release(c);
    if (rc) {
        json_decref(items);
        return rc;
    }
    return vehicles_reply_page(r, items, more, "id");
}

int vehicles_h_get(struct ps_req *r)
{
    struct vehicle_row v;
    int rc = vehicles_owned_from_path(r, &v);
    if (rc)
        return rc;
    return ps_reply_json(r, 200, vehicles_to_json(&v));
}

/* --- edit, remove ------------------------------------------------------------------- */

struct patch_args {
    const char *owner, *id;
    const json_t *body;
    const char *plate;           /* canonical plate when given */
    struct vehicle_row v;        /* out */
};

/* A nullable text member of the PATCH body: absent keeps, null clears, else sets. */
static void patch_text(const json_t *body, const char *key, char *dst, size_t cap)
{
    if (!ps_json_has(body, key))
        return;
    copy_str(dst, cap, ps_json_str(body, key, NULL));
}

static int patch_tx(struct ps_db_conn *c, void *arg)
{
    struct patch_args *a = arg;
    int rc = vstore_load(c, a->owner, a->id, &a->v);
    if (rc)
        return rc;
    struct vehicle_row *v = &a->v;
    const json_t *b = a->body;
    if (ps_json_has(b, "plate"))
        copy_str(v->b.plate, sizeof v->b.plate, a->plate);
    patch_text(b, "nickname", v->nickname, sizeof v->nickname);
    patch_text(b, "make", v->b.make, sizeof v->b.make);
    patch_text(b, "model", v->b.model, sizeof v->b.model);
    patch_text(b, "registration_date", v->b.registration_date, sizeof v->b.registration_date);
    patch_text(b, "insurance_expiry", v->insurance_expiry, sizeof v->insurance_expiry);
    if (ps_json_has(b, "fuel_type"))
        copy_str(v->b.fuel_type, sizeof v->b.fuel_type, ps_json_str(b, "fuel_type", v->b.fuel_type));
    if (ps_json_has(b, "usage"))
        copy_str(v->usage, sizeof v->usage, ps_json_str(b, "usage", v->usage));
    if (ps_json_has(b, "seats"))
        v->seats = (int)ps_json_int(b, "seats", 0);
    int64_t now = ps_now_ms();
    rc = vstore_update(c, v, now);
    v->updated_at = now;
    v->b.commercial = strcmp(v->usage, "commercial") == 0;
    return rc;
}

int vehicles_h_patch(struct ps_req *r)
{
    struct patch_args a = { .owner = ps_req_user(r), .id = ps_req_param(r, "id"), .body = r->json };
    if (!a.id || !ps_id_valid(a.id))
        return PS_E_NOT_FOUND;
    char plate[PLATE_MAX];
    check_plate(r, ps_json_str(r->json, "plate", NULL), plate);
    a.plate = plate;
    check_past_date(r, "registration_date", ps_json_str(r->json, "registration_date", NULL));
    if (ps_json_has(r->json, "fuel_type") && json_is_null(json_object_get(r->json, "fuel_type")))
        ps_errs_add(&r->errs, "fuel_type", "cannot be cleared");
    if (ps_json_has(r->json, "usage") && json_is_null(json_object_get(r->json, "usage")))
        ps_errs_add(&r->errs, "usage", "cannot be cleared");
    /* Ownership first: someone else's vehicle is a 404 even when the body is wrong. */
    struct vehicle_row probe;
    int rc = vehicles_owned_from_path(r, &probe);
    if (rc)
        return rc;
    if (r->errs.n)
        return PS_E_VALIDATION;
    rc = ps_db_write(ps_app()->db, patch_tx, &a);
    if (rc)
        return rc;
    return ps_reply_json(r, 200, vehicles_to_json(&a.v));
}

struct remove_args { const char *owner, *id; };

static int remove_tx(struct ps_db_conn *c, void *arg)
{
    struct remove_args *a = arg;
    return vstore_remove(c, a->owner, a->id, ps_now_ms());
}

int vehicles_h_delete(struct ps_req *r)
{
    struct remove_args a = { ps_req_user(r), ps_req_param(r, "id") };
    if (!a.id || !ps_id_valid(a.id))
        return PS_E_NOT_FOUND;
    int rc = ps_db_write(ps_app()->db, remove_tx, &a);
    if (rc)
        return rc;
    return ps_reply_empty(r, 204);
}
