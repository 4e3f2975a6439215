/* Capacity of a provider's bays, for the orders module: a booking claims one bay for the whole
 * duration of its service, atomically, inside the caller's write transaction, so concurrent
 * bookings can never exceed the number of bays (SPEC §6). */
#ifndef PS_PROVIDERS_SLOTS_H
#define PS_PROVIDERS_SLOTS_H

#include <stdint.h>

struct ps_db_conn;

/* Claim a bay for booking_id (the order id) over [start_ms, start_ms + duration_min).
 * hold_until_ms > 0: an unpaid hold that stops counting after that time; 0: a firm booking.
 * Returns 0; PS_E_SLOT_FULL when every bay is taken for part of that span; PS_E_VALIDATION when
 * the span is outside opening hours, on a closed date, or not on the slot grid;
 * PS_E_NOT_FOUND when the provider is unknown or not approved. */
int providers_reserve_slot(struct ps_db_conn *c, const char *provider_id, const char *booking_id,
                           int64_t start_ms, int duration_min, int64_t hold_until_ms);
/* The order was paid: its hold becomes a firm booking. */
int providers_confirm_slot(struct ps_db_conn *c, const char *booking_id);
/* Cancelled, expired or refunded: the bay is free again. Releasing twice is harmless. */
int providers_release_slot(struct ps_db_conn *c, const char *booking_id);
/* First free start time at or after from_ms for a service of duration_min, within 14 days;
 * *out_ms = 0 when none. Read-only; works on a reader connection. */
int providers_next_free_slot(struct ps_db_conn *c, const char *provider_id, int duration_min,
                             int64_t from_ms, int64_t *out_ms);

#endif
