/* All SQL of the vehicles module except telemetry ingest (telemetry_store.h). Functions take
 * the connection they run on: a reader for look-ups, the write transaction's connection for
 * changes. They return 0 or a PS_E_* code. */
#ifndef VEHICLES_STORE_H
#define VEHICLES_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "vehicles/vehicles_api.h"

struct ps_db_conn;

/* A vehicle as stored. Unknown numbers are NAN (doubles) or 0 (seats, telemetry_at). */
struct vehicle_row {
    struct vehicle_brief b;
    char nickname[256];
    char manufacturer[128];
    char country[64];
    char usage[16];
    int seats;
    char insurance_expiry[11];
    int64_t odometer_at;
    double fuel_level_pct, battery_soc_pct, battery_soh_pct, coolant_temp_c, voltage;
    int64_t telemetry_at;
    int64_t created_at, updated_at;
};

/* Insert a new vehicle and its first odometer reading. PS_E_DUPLICATE when the VIN is
 * active already (under anyone). */
int vstore_insert(struct ps_db_conn *c, const struct vehicle_row *v);
/* Load an active vehicle; owner_id NULL means any owner. PS_E_NOT_FOUND otherwise. */
int vstore_load(struct ps_db_conn *c, const char *owner_id, const char *id, struct vehicle_row *out);
/* The owner's active vehicles, newest first, ids below cursor (NULL: from the top); calls
 * each(row, ctx) for at most limit rows and sets *more when another page exists. */
int vstore_list(struct ps_db_conn *c, const char *owner_id, const char *cursor, int limit,
                void (*each)(const struct vehicle_row *v, void *ctx), void *ctx, bool *more);
/* Write the owner-editable fields of v (plate, nickname, make, model, fuel_type, seats,
 * usage, registration_date, insurance_expiry). */
int vstore_update(struct ps_db_conn *c, const struct vehicle_row *v, int64_t now);
/* Deactivate (the VIN becomes free) and revoke its devices. */
int vstore_remove(struct ps_db_conn *c, const char *owner_id, const char *id, int64_t now);

/* Odometer: accept km at recorded_at when it is not below the current reading, else store a
 * rollback alert and return PS_E_VALIDATION (*current_km tells the current reading). */
int vstore_record_odometer(struct ps_db_conn *c, const char *vehicle_id, int64_t km,
                           int64_t recorded_at, const char *source, int64_t *current_km);
int vstore_add_alert(struct ps_db_conn *c, const char *vehicle_id, const char *kind,
                     const char *title, const char *detail_json);

/* Lists of a vehicle's rows as JSON objects appended to items (newest first, keyset paging
 * by id). *more is set when another page exists. */
int vstore_list_odometer(struct ps_db_conn *c, const char *vehicle_id, const char *cursor, int limit, json_t *items, bool *more);
int vstore_list_alerts(struct ps_db_conn *c, const char *vehicle_id, const char *cursor, int limit, json_t *items, bool *more);
int vstore_list_fuel(struct ps_db_conn *c, const char *vehicle_id, const char *cursor, int limit, json_t *items, bool *more);
int vstore_list_charges(struct ps_db_conn *c, const char *vehicle_id, const char *cursor, int limit, json_t *items, bool *more);
int vstore_list_service_records(struct ps_db_conn *c, const char *vehicle_id, const char *cursor, int limit, json_t *items, bool *more);
int vstore_list_devices(struct ps_db_conn *c, const char *vehicle_id, const char *cursor, int limit, json_t *items, bool *more);

struct fuel_log_in {
    double liters;
    int64_t price_fen, odometer_km, logged_at;
    bool full_tank;
};
/* Insert a fuel log, computing l_per_100km when it closes a full-tank interval. Refuses an
 * odometer below the vehicle's latest fuel log (PS_E_VALIDATION). *out: the stored row. */
int vstore_add_fuel(struct ps_db_conn *c, const char *vehicle_id, const struct fuel_log_in *in, json_t **out);
struct charge_log_in {
    double kwh;
    int64_t price_fen, odometer_km, logged_at;
};
int vstore_add_charge(struct ps_db_conn *c, const char *vehicle_id, const struct charge_log_in *in, json_t **out);

struct service_record_in {
    const char *source;          /* "owner" | "order" */
    const char *service_type;    /* catalog code or NULL */
    const char *title;
    const char *date;            /* YYYY-MM-DD */
    int64_t odometer_km;         /* -1: unknown */
    int64_t cost_fen;            /* -1: unknown */
    const char *provider_id, *provider_name, *order_id, *notes;
    int64_t leaf_index;          /* -1: none */
};
int vstore_add_service_record(struct ps_db_conn *c, const char *vehicle_id,
                              const struct service_record_in *in, json_t **out);

/* The latest record (date and odometer) of each service type, for reminders: calls
 * each(service_type, date, odometer_km or -1, ctx). */
int vstore_last_services(struct ps_db_conn *c, const char *vehicle_id,
                         void (*each)(const char *type, const char *date, int64_t km, void *ctx), void *ctx);
/* Active trouble codes of a vehicle (at most max, 8 bytes each). */
int vstore_active_dtcs(struct ps_db_conn *c, const char *vehicle_id, char (*codes)[8], int max, int *n);

/* Devices. */
int vstore_add_device(struct ps_db_conn *c, const char *vehicle_id, const char *device_id,
                      const char *name, const char *token_hash, int64_t now);
int vstore_revoke_device(struct ps_db_conn *c, const char *vehicle_id, const char *device_id, int64_t now);

#endif
