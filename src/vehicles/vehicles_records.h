/* For the orders module: when an order completes, its service record joins the vehicle's
 * service history (GET /api/v1/vehicles/{id}/service-records, source "order"), and the
 * maintenance reminders of that service type restart from it. */
#ifndef VEHICLES_RECORDS_H
#define VEHICLES_RECORDS_H

#include <stdint.h>

struct ps_db_conn;

/* Inside the caller's write transaction. Idempotent per order_id (a second call for the same
 * order adds nothing). service_type: catalog code; date: YYYY-MM-DD; odometer_km and
 * cost_fen: -1 when unknown; leaf_index: the transparency-log leaf, -1 when none.
 * Also advances the vehicle's odometer when odometer_km is above it (source "service").
 * Returns 0 or a PS_E_* code (PS_E_NOT_FOUND for an unknown or removed vehicle). */
int vehicles_add_order_record(struct ps_db_conn *c, const char *vehicle_id, const char *order_id,
                              const char *service_type, const char *title, const char *date,
                              int64_t odometer_km, int64_t cost_fen, const char *provider_id,
                              const char *provider_name, int64_t leaf_index);

#endif
