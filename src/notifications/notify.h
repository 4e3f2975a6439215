/* The transactional outbox: a module that changes state queues the event that announces it in
 * the same write transaction; the notifications worker delivers it to the user's inbox at least
 * once, and delivery is idempotent (one inbox row per outbox event). */
#ifndef PS_NOTIFY_H
#define PS_NOTIFY_H

#include <jansson.h>

struct ps_db_conn;

/* Queue an event for user_id inside the caller's write transaction.
 * kind: dotted name ("order.paid", "vehicle.dtc", "vehicle.battery_low");
 * title: one line a person can read; payload: JSON object (stolen, may be NULL).
 * Returns 0 or a PS_E_* code. */
int notify_enqueue(struct ps_db_conn *c, const char *user_id, const char *kind,
                   const char *title, json_t *payload);

#endif
