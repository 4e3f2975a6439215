/* Shared by the vehicles module's route files: handlers, the JSON view of a vehicle and the
 * helpers every vehicle route uses (ownership, paging). Not for other modules. */
#ifndef VEHICLES_INTERNAL_H
#define VEHICLES_INTERNAL_H

#include <jansson.h>

#include "core/limits.h"
#include "core/router.h"
#include "vehicles/caldate.h"
#include "vehicles/reminders.h"
#include "vehicles/vehicles_store.h"

#define VEHICLES_MAX_REMINDERS 40
#define VEHICLES_MAX_DTCS 32
#define BATTERY_SOH_LOW_PCT 80.0    /* below this a traction battery needs a check */
#define TELEMETRY_CLOCK_SKEW_MS (3600 * 1000LL)  /* device clocks may run this far ahead */

/* "Today" for owners (China time) and its year. */
struct vdate vehicles_today(void);

/* Load the caller's active vehicle named by :id on a reader; PS_E_NOT_FOUND for anything
 * else (unknown, removed, someone else's). */
int vehicles_owned_from_path(struct ps_req *r, struct vehicle_row *out);
/* The full JSON view of a vehicle (new reference). */
json_t *vehicles_to_json(const struct vehicle_row *v);
/* {"items": items, "next_cursor": id of the last item or null}; takes items. */
int vehicles_reply_page(struct ps_req *r, json_t *items, bool more, const char *id_key);
/* ?limit and ?cursor of a list request; 0, or PS_E_VALIDATION (r->errs names cursor). */
int vehicles_page_args(struct ps_req *r, int *limit, const char **cursor);
/* Maintenance, inspection and insurance reminders of v, sorted worst first. */
int vehicles_reminders(struct ps_db_conn *c, const struct vehicle_row *v, struct vdate today,
                       struct reminder *out, int max, int *n);

/* Handlers. */
int vehicles_h_decode_vin(struct ps_req *r);
int vehicles_h_create(struct ps_req *r);
int vehicles_h_list(struct ps_req *r);
int vehicles_h_get(struct ps_req *r);
int vehicles_h_patch(struct ps_req *r);
int vehicles_h_delete(struct ps_req *r);
int vehicles_h_odometer_add(struct ps_req *r);
int vehicles_h_odometer_list(struct ps_req *r);
int vehicles_h_fuel_add(struct ps_req *r);
int vehicles_h_fuel_list(struct ps_req *r);
int vehicles_h_charge_add(struct ps_req *r);
int vehicles_h_charge_list(struct ps_req *r);
int vehicles_h_records_add(struct ps_req *r);
int vehicles_h_records_list(struct ps_req *r);
int vehicles_h_alerts_list(struct ps_req *r);
int vehicles_h_reminders(struct ps_req *r);
int vehicles_h_inspection(struct ps_req *r);
int vehicles_h_health(struct ps_req *r);
int vehicles_h_device_add(struct ps_req *r);
int vehicles_h_device_list(struct ps_req *r);
int vehicles_h_device_delete(struct ps_req *r);
int vehicles_h_telemetry(struct ps_req *r);
int vehicles_telemetry_auth(struct ps_req *r);

void vehicles_schemas(json_t *schemas);

#endif
